/**
 * The JPKI channels end to end: a real issuer listening on 127.0.0.1 installs a resident's card on a real
 * phone (the wallet engine), the phone answers the verifier's sessions with its JPKI keys (authenticateWithJpki
 * after the auth PIN, signWithJpki after the signature password), and the verifier checks the signature, the
 * chain to the relying party's JPKI CAs, the profile and the status — OCSP at the live issuer first, its CRL
 * as the fallback, at the configured origin only — then decides the KYC method and writes the record.
 * Negative cases: a replayed, late, cross-session or altered answer; a signature certificate offered for
 * log-in; a certificate revoked by a move; the issuer unreachable under each revocation policy; a relying
 * party that is not a signature verifier.
 */
import { randomBytes } from 'node:crypto';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { challengeDigestInfo } from '@mynakit/jpki';
import { parseCertificate } from '@mynakit/pki';
import { authenticateWithJpki, signWithJpki } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import type { JpkiStatusConfig } from '../src/jpki/jpki-status.js';
import { getRecord } from '../src/records/record-chains.js';
import type { VerifierStore } from '../src/store/index.js';
import { type TestClock, testClock } from './helpers/issuer-and-phone.js';
import {
  AUTH_PIN,
  deadOrigin,
  type JpkiIssuerAndPhone,
  jpkiIssuerAndPhone,
  SIGNATURE_PASSWORD,
} from './helpers/jpki-issuer-and-phone.js';
import { ADMIN, DECLARED, statusOf, verifierStore } from './helpers/verifier-fixture.js';

/** 2026-12-02T03:00:00Z = 12:00 in Japan: method カ under 犯収法 (until 2027-03-31). */
const START = new Date('2026-12-02T03:00:00Z');
const APPLICATION = '普通預金口座開設申込書\n申込日: 2026年12月2日\n取引の目的: 生計費決済';

interface JpkiAnswer {
  verdict: string;
  checks: { id: string; status: string; detail: string }[];
  method: { id: string; letter: string } | null;
  methodReasons: string[];
  certificate?: { serialNumber: string; issuer: string; subjectCommonName: string | null };
  identity?: { name: string; address: string; birthDate: string; sex: string };
  signingTime?: string;
  recordId: string;
  flags: string[];
  errorCode?: string;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * The PIN as a value of its own: four digits occur by chance inside the hex and base64 of serials, hashes,
 * signatures and certificates (a plain substring test failed now and then), never between non-alphanumerics.
 */
function standalone(secret: string): RegExp {
  return new RegExp(`(^|[^0-9A-Za-z+/=_-])${secret}($|[^0-9A-Za-z+/=_-])`);
}

describe('JPKI sessions: user authentication and signatures', () => {
  let clock: TestClock;
  let env: JpkiIssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;

  const appWith = (jpkiStatus: JpkiStatusConfig | undefined) =>
    createVerifierApp({
      store,
      config: {
        origin: 'http://127.0.0.1:8403',
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
      },
      clock: clock.read,
      writerId: 'jpki-writer',
      ...(jpkiStatus === undefined ? {} : { jpkiStatus }),
    });
  type App = ReturnType<typeof appWith>;
  let app: App;

  async function relyingParty(target: App, overrides: Record<string, unknown> = {}) {
    const res = await target.request('/relying-parties', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Sample Bank',
        clientId: `x509_san_dns:bank-${Math.random().toString(36).slice(2, 10)}.example`,
        law: 'hanshu',
        isSignatureVerifier: true,
        trustAnchors: env.jpkiAnchors.map(b64),
        verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
        ...overrides,
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { apiKey: { apiKey: string } }).apiKey.apiKey;
  }
  const post = (target: App, apiKey: string, path: string, body: unknown) =>
    target.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  async function openAuth(target: App, apiKey: string) {
    const res = await post(target, apiKey, '/sessions/jpki-authentication', { purpose: 'log-in' });
    expect(res.status).toBe(201);
    return (await res.json()) as { sessionId: string; challenge: string; expiresAt: string };
  }
  async function openSign(target: App, apiKey: string, text = APPLICATION) {
    const res = await post(target, apiKey, '/sessions/jpki-signature', {
      purpose: 'account-opening',
      text,
      ...DECLARED,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as {
      sessionId: string;
      content: string;
      contentSha256: string;
      expiresAt: string;
    };
  }
  const phoneAuthenticates = (challenge: Uint8Array) =>
    authenticateWithJpki({
      device: env.phone,
      challenge,
      userAuthentication: { method: 'pin', value: AUTH_PIN },
      relyingParty: 'Sample Bank',
    });
  const phoneSigns = (content: Uint8Array, detached = true) =>
    signWithJpki({
      device: env.phone,
      content,
      password: SIGNATURE_PASSWORD,
      detached,
      relyingParty: 'Sample Bank',
    });
  const answerAuth = (
    target: App,
    apiKey: string,
    id: string,
    a: { certificate: Uint8Array; signature: Uint8Array },
  ) =>
    post(target, apiKey, `/sessions/${id}/jpki-authentication`, {
      certificate: b64(a.certificate),
      signature: b64(a.signature),
    });
  const answerSign = (target: App, apiKey: string, id: string, cms: Uint8Array) =>
    post(target, apiKey, `/sessions/${id}/jpki-signature`, { cms: b64(cms) });
  async function authOnce(target: App, apiKey: string): Promise<JpkiAnswer> {
    const s = await openAuth(target, apiKey);
    const res = await answerAuth(
      target,
      apiKey,
      s.sessionId,
      await phoneAuthenticates(Buffer.from(s.challenge, 'base64url')),
    );
    expect(res.status).toBe(200);
    return (await res.json()) as JpkiAnswer;
  }
  async function signOnce(target: App, apiKey: string): Promise<JpkiAnswer> {
    const s = await openSign(target, apiKey);
    const res = await answerSign(
      target,
      apiKey,
      s.sessionId,
      (await phoneSigns(Buffer.from(s.content, 'base64'))).signature,
    );
    expect(res.status).toBe(200);
    return (await res.json()) as JpkiAnswer;
  }
  const recordOf = async (id: string) => (await getRecord(store, id))?.content as Record<string, unknown>;

  beforeAll(async () => {
    clock = testClock(START);
    env = await jpkiIssuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    app = appWith({ origins: [env.origin] });
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('authenticates a holder: signature over the challenge, chain, jpki-auth profile, OCSP at the live issuer; no KYC method, no personal data', async () => {
    const apiKey = await relyingParty(app);
    const opened = await openAuth(app, apiKey);
    expect(Buffer.from(opened.challenge, 'base64url')).toHaveLength(32);
    expect(Date.parse(opened.expiresAt) - START.getTime()).toBeLessThanOrEqual(300_000);
    const before = env.requests.length;
    const res = await answerAuth(
      app,
      apiKey,
      opened.sessionId,
      await phoneAuthenticates(Buffer.from(opened.challenge, 'base64url')),
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as JpkiAnswer;
    expect(answer.verdict).toBe('valid');
    for (const id of [
      'auth.signature',
      'cert.path',
      'cert.validity',
      'cert.key_usage',
      'cert.policy',
      'status.revocation',
      'revocation.policy',
    ])
      expect(statusOf(answer as never, id), id).toBe('passed');
    expect(statusOf(answer as never, 'kyc.method')).toBe('skipped');
    expect(answer.method).toBeNull();
    expect(answer.methodReasons).toEqual(['KYC_EVIDENCE_NOT_A_METHOD']);
    expect(answer.identity).toBeUndefined();
    const auth = parseCertificate(
      (await env.phone.store.certificates.active(env.phone.id, 'auth'))!.certificate,
    );
    expect(answer.certificate?.serialNumber).toBe(auth.serialNumber);
    expect(answer.certificate?.subjectCommonName).toMatch(/^.{23}$/);
    // Asked over the socket: the issuer's /ocsp (the certificate's .invalid AIA host is never tried).
    expect(env.requests.slice(before)).toEqual(['/ocsp']);
    const content = await recordOf(answer.recordId);
    expect(content).toMatchObject({
      outcome: 'verified',
      channel: 'jpki-user-authentication',
      transactionType: 'log-in',
      certificateSerial: auth.serialNumber,
      certificateIssuer: auth.issuer,
      holderId: answer.certificate?.subjectCommonName,
      method: null,
      revocationCheck: {
        result: 'passed',
        kind: 'OCSP',
        source: `${env.origin}/ocsp`,
        via: 'network',
        outcome: 'good',
      },
    });
    expect(content.name).toBeUndefined();
    expect(JSON.stringify(content)).not.toMatch(standalone(AUTH_PIN));
    expect((await getRecord(store, answer.recordId))?.content).not.toHaveProperty('signatureValue');
  }, 60_000);

  it('refuses a replayed answer (409), a late one (410), an answer for another channel (404) and one signed over another challenge', async () => {
    const apiKey = await relyingParty(app);
    const s = await openAuth(app, apiKey);
    const a = await phoneAuthenticates(Buffer.from(s.challenge, 'base64url'));
    expect((await answerAuth(app, apiKey, s.sessionId, a)).status).toBe(200);
    const state = await app.request(`/sessions/${s.sessionId}/jpki`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(await state.json()).toMatchObject({ kind: 'authentication', state: 'done', verdict: 'valid' });
    const replay = await answerAuth(app, apiKey, s.sessionId, a);
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { code: string }).code).toBe('VERIFIER_SESSION_USED');

    // The same answer, submitted to a fresh session: made for another challenge.
    const other = await openAuth(app, apiKey);
    const cross = await answerAuth(app, apiKey, other.sessionId, a);
    expect(cross.status).toBe(200);
    const crossed = (await cross.json()) as JpkiAnswer;
    expect(crossed.verdict).toBe('invalid');
    expect(statusOf(crossed as never, 'auth.signature')).toBe('failed');
    expect(crossed.errorCode).toBe('VERIFIER_JPKI_SIGNATURE_INVALID');
    expect(await recordOf(crossed.recordId)).toMatchObject({
      outcome: 'rejected',
      failedChecks: ['auth.signature'],
    });

    // An answer for a signature session posted as an authentication: no such session of that channel.
    const sign = await openSign(app, apiKey);
    const wrongChannel = await answerAuth(app, apiKey, sign.sessionId, a);
    expect(wrongChannel.status).toBe(404);
    expect(((await wrongChannel.json()) as { code: string }).code).toBe('VERIFIER_NOT_FOUND');

    // Late: after the session's five minutes.
    const late = await openAuth(app, apiKey);
    const lateAnswer = await phoneAuthenticates(Buffer.from(late.challenge, 'base64url'));
    clock.advance(301_000);
    try {
      const res = await answerAuth(app, apiKey, late.sessionId, lateAnswer);
      expect(res.status).toBe(410);
      expect(((await res.json()) as { code: string }).code).toBe('VERIFIER_SESSION_EXPIRED');
    } finally {
      clock.now = START;
    }
    // Another relying party cannot answer this party's session.
    const stranger = await relyingParty(app);
    const foreign = await openAuth(app, apiKey);
    expect((await answerAuth(app, stranger, foreign.sessionId, a)).status).toBe(404);
  }, 60_000);

  it('fails the profile when the signature certificate is offered for log-in (cert.key_usage, cert.policy)', async () => {
    const apiKey = await relyingParty(app);
    const s = await openAuth(app, apiKey);
    const challenge = Buffer.from(s.challenge, 'base64url');
    // A client signing the challenge with the signature key (after its password) and sending that certificate.
    const sign = (await env.phone.store.certificates.active(env.phone.id, 'sign'))!;
    const ticket = await env.phone.secureArea.authenticate(sign.keyAlias, {
      method: 'password',
      value: SIGNATURE_PASSWORD,
    });
    const signature = await env.phone.secureArea.sign(
      sign.keyAlias,
      challengeDigestInfo(challenge),
      'RSA-PKCS1-DigestInfo',
      ticket,
    );
    const res = await answerAuth(app, apiKey, s.sessionId, { certificate: sign.certificate, signature });
    const answer = (await res.json()) as JpkiAnswer;
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer as never, 'auth.signature')).toBe('passed');
    expect(statusOf(answer as never, 'cert.path')).toBe('passed');
    expect(statusOf(answer as never, 'cert.key_usage')).toBe('failed');
    expect(statusOf(answer as never, 'cert.policy')).toBe('failed');
    expect(answer.errorCode).toBe('VERIFIER_JPKI_PROFILE_MISMATCH');
    const content = await recordOf(answer.recordId);
    expect(content.failedChecks).toEqual(['cert.key_usage', 'cert.policy']);
    expect(content.name).toBeUndefined();
  }, 60_000);

  it('verifies a signature over exactly the document: カ on 2026-12-02 for a signature verifier, the basic four, the record with signature and certificate', async () => {
    const apiKey = await relyingParty(app);
    const s = await openSign(app, apiKey);
    expect(Buffer.from(s.content, 'base64').toString('utf8')).toBe(APPLICATION);
    const signed = await phoneSigns(Buffer.from(s.content, 'base64'));
    const res = await answerSign(app, apiKey, s.sessionId, signed.signature);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as JpkiAnswer;
    expect(answer.verdict).toBe('valid');
    for (const id of [
      'cms.signature',
      'cms.message_digest',
      'cert.path',
      'cert.key_usage',
      'cert.policy',
      'jpki.basic_four',
      'status.revocation',
      'kyc.method',
    ])
      expect(statusOf(answer as never, id), id).toBe('passed');
    expect(answer.method).toMatchObject({ id: 'hanshu:ka', letter: 'カ' });
    expect(answer.identity).toMatchObject({ sex: expect.stringMatching(/^(male|female|unknown)$/) });
    expect(answer.identity?.name).toContain('\u3000');
    expect(answer.identity?.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const content = await recordOf(answer.recordId);
    const signer = parseCertificate(signed.certificate);
    expect(content).toMatchObject({
      outcome: 'verified',
      channel: 'jpki-signature',
      method: { id: 'hanshu:ka', letter: 'カ' },
      methodDate: '2026-12-02',
      transactionPurpose: { code: 'living-expenses', name_ja: '生計費決済' },
      occupation: { code: 'company-employee', name_ja: '会社員' },
      certificateSerial: signer.serialNumber,
      certificateIssuer: signer.issuer,
      name: answer.identity?.name,
      address: answer.identity?.address,
      birthDate: answer.identity?.birthDate,
      sex: answer.identity?.sex,
      signatureValue: b64(signed.signature),
      signatureDetached: true,
      signedData: s.content,
      signingCertificate: b64(signed.certificate),
      signedDataSha256: s.contentSha256,
      revocationCheck: { result: 'passed', kind: 'OCSP', outcome: 'good' },
    });
    const text = JSON.stringify(content);
    expect(text).not.toContain(SIGNATURE_PASSWORD);
    expect(text).not.toMatch(standalone(AUTH_PIN));
    // The answer's problems and checks never carry the basic four.
    expect(JSON.stringify(answer.checks)).not.toContain(answer.identity?.address as string);

    // An attached SignedData over the same document verifies too.
    const s2 = await openSign(app, apiKey);
    const attached = await phoneSigns(Buffer.from(s2.content, 'base64'), false);
    const a2 = (await (await answerSign(app, apiKey, s2.sessionId, attached.signature)).json()) as JpkiAnswer;
    expect(a2.verdict).toBe('valid');
    expect(await recordOf(a2.recordId)).toMatchObject({ signatureDetached: false, signedData: null });
  }, 60_000);

  it('refuses a signature over another document (cms.message_digest / cms.content), attached or detached', async () => {
    const apiKey = await relyingParty(app);
    const s = await openSign(app, apiKey);
    const altered = new TextEncoder().encode(`${APPLICATION}\n取引の目的: 事業費決済`);
    const detached = (await (
      await answerSign(app, apiKey, s.sessionId, (await phoneSigns(altered)).signature)
    ).json()) as JpkiAnswer;
    expect(detached.verdict).toBe('invalid');
    expect(statusOf(detached as never, 'cms.message_digest')).toBe('failed');
    expect(detached.errorCode).toBe('VERIFIER_JPKI_SIGNATURE_INVALID');
    expect(detached.identity).toBeUndefined();
    const rejected = await recordOf(detached.recordId);
    expect(rejected).toMatchObject({ outcome: 'rejected', method: null });
    expect(rejected.signatureValue).toBeUndefined();
    expect(rejected.name).toBeUndefined();

    const s2 = await openSign(app, apiKey);
    const attached = (await (
      await answerSign(app, apiKey, s2.sessionId, (await phoneSigns(altered, false)).signature)
    ).json()) as JpkiAnswer;
    expect(attached.verdict).toBe('invalid');
    expect(statusOf(attached as never, 'cms.content')).toBe('failed');
  }, 60_000);

  it('gives no method to a relying party that is not a signature verifier (KYC_NOT_A_SIGNATURE_VERIFIER), the verification itself valid', async () => {
    const apiKey = await relyingParty(app, { isSignatureVerifier: false });
    const answer = await signOnce(app, apiKey);
    expect(answer.verdict).toBe('valid');
    expect(answer.method).toBeNull();
    expect(answer.methodReasons).toEqual(['KYC_NOT_A_SIGNATURE_VERIFIER']);
    expect(statusOf(answer as never, 'kyc.method')).toBe('warning');
    expect(await recordOf(answer.recordId)).toMatchObject({
      outcome: 'verified',
      method: null,
      methodReasons: ['KYC_NOT_A_SIGNATURE_VERIFIER'],
    });
    // Under the Mobile Phone Act a signature verifier gets ト.
    const carrier = await relyingParty(app, { law: 'keitai' });
    expect((await signOnce(app, carrier)).method).toMatchObject({ id: 'keitai:to', letter: 'ト' });
  }, 60_000);

  it('gives 新ヌ from 2027-04-01 (JST): the method letter as of the verification date, in the record', async () => {
    const apiKey = await relyingParty(app);
    clock.now = new Date('2027-03-31T15:00:00Z'); // 00:00 on 1 April 2027 in Japan
    try {
      const answer = await signOnce(app, apiKey);
      expect(answer.verdict).toBe('valid');
      expect(answer.method).toMatchObject({ id: 'hanshu:shin-nu', letter: '新ヌ' });
      expect(await recordOf(answer.recordId)).toMatchObject({
        method: { letter: '新ヌ' },
        methodDate: '2027-04-01',
      });
    } finally {
      clock.now = START;
    }
  }, 60_000);

  describe('when the issuer cannot be reached', () => {
    let down: App;
    beforeAll(async () => {
      down = appWith({ origins: [await deadOrigin()], timeoutMs: 2_000 });
    });

    it('rejects under the default policy: status undetermined, never valid, never revoked', async () => {
      const apiKey = await relyingParty(down);
      const answer = await authOnce(down, apiKey);
      expect(answer.verdict).toBe('invalid');
      expect(statusOf(answer as never, 'status.revocation')).toBe('undetermined');
      expect(statusOf(answer as never, 'revocation.policy')).toBe('failed');
      expect(answer.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
      expect(await recordOf(answer.recordId)).toMatchObject({
        outcome: 'rejected',
        revocationCheck: { result: 'undetermined', action: 'reject', via: 'failed', outcome: 'unusable' },
      });
    }, 60_000);

    it('accepts with a flag under accept-flagged, and asks to retry (503, session kept) under retry', async () => {
      const flagged = await relyingParty(down, {
        revocation: { check: 'required', undetermined: 'accept-flagged' },
      });
      const answer = await signOnce(down, flagged);
      expect(answer.verdict).toBe('valid');
      expect(answer.flags).toEqual(['revocation-undetermined']);
      expect(statusOf(answer as never, 'revocation.policy')).toBe('warning');
      expect(await recordOf(answer.recordId)).toMatchObject({ flags: ['revocation-undetermined'] });

      const retry = await relyingParty(down, { revocation: { check: 'required', undetermined: 'retry' } });
      const s = await openAuth(down, retry);
      const a = await phoneAuthenticates(Buffer.from(s.challenge, 'base64url'));
      const first = await answerAuth(down, retry, s.sessionId, a);
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('30');
      expect(((await first.json()) as { code: string }).code).toBe('VERIFIER_REVOCATION_UNAVAILABLE');
      // Once the issuer answers again, the same answer verifies (the session was given back).
      const up = await answerAuth(app, retry, s.sessionId, a);
      expect(up.status).toBe(200);
      expect(((await up.json()) as JpkiAnswer).verdict).toBe('valid');
    }, 60_000);
  });

  it('falls back to the CRL when the OCSP responder fails, at the configured origin only', async () => {
    const asked: string[] = [];
    const ocspDown = appWith({
      origins: [env.origin],
      fetch: async (request) => {
        asked.push(request.url);
        return new URL(request.url).pathname.endsWith('/ocsp')
          ? new Response('down', { status: 503 })
          : fetch(request);
      },
    });
    const apiKey = await relyingParty(ocspDown);
    const answer = await authOnce(ocspDown, apiKey);
    expect(answer.verdict).toBe('valid');
    const check = (await recordOf(answer.recordId)).revocationCheck as {
      kind: string;
      source: string;
      attempts: { url: string }[];
    };
    expect(check.kind).toBe('CRL');
    expect(check.source).toMatch(new RegExp(`^${env.origin}/crl/`));
    for (const a of check.attempts) expect(a.url.startsWith(env.origin)).toBe(true);
    // Every request went to the configured issuer: its /ocsp, its CRL index, the partition's CRL — never
    // the certificate's own (.invalid) AIA host.
    expect(asked.map((u) => new URL(u).origin)).toEqual(asked.map(() => env.origin));
    expect(asked.map((u) => new URL(u).pathname.split('/').slice(0, 2).join('/'))).toEqual([
      '/ocsp',
      '/crl',
      '/crl',
    ]);
  }, 60_000);

  it('refuses a signature certificate revoked by a move (OCSP says revoked); the user-auth certificate survives it', async () => {
    await env.issuer.deps.store.lifeEvents.record(
      {
        residentId: env.residentId,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目' },
      },
      clock.now.getTime(),
    );
    const apiKey = await relyingParty(app);
    const answer = await signOnce(app, apiKey);
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer as never, 'status.revocation')).toBe('failed');
    expect(statusOf(answer as never, 'revocation.policy')).toBe('failed');
    expect(answer.errorCode).toBe('VERIFIER_REVOKED');
    expect(answer.identity).toBeUndefined();
    const content = await recordOf(answer.recordId);
    expect(content).toMatchObject({
      outcome: 'rejected',
      method: null,
      revocationCheck: { result: 'failed', kind: 'OCSP', outcome: 'revoked' },
    });
    expect(content.name).toBeUndefined();
    expect(JSON.stringify(answer)).not.toContain('試験町');
    // The auth certificate survives a change of the basic four (DOMAIN.md §3).
    expect((await authOnce(app, apiKey)).verdict).toBe('valid');
  }, 60_000);

  it('answers 400 without echoing a malformed body, and 401 without a key', async () => {
    const apiKey = await relyingParty(app);
    const s = await openAuth(app, apiKey);
    const bad = await post(app, apiKey, `/sessions/${s.sessionId}/jpki-authentication`, {
      certificate: '試験 花子',
      signature: 'AA==',
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('VERIFIER_INVALID_BODY');
    expect(text).not.toContain('花子');
    const both = await post(app, apiKey, '/sessions/jpki-signature', {
      purpose: 'x',
      text: 'a',
      content: 'YQ==',
    });
    expect(both.status).toBe(400);
    expect((await post(app, 'mvk_nope', '/sessions/jpki-authentication', {})).status).toBe(401);
    const junk = await answerAuth(app, apiKey, s.sessionId, {
      certificate: new Uint8Array(randomBytes(64)),
      signature: new Uint8Array(256),
    });
    const junkAnswer = (await junk.json()) as JpkiAnswer;
    expect(junkAnswer.verdict).toBe('invalid');
    expect(junkAnswer.errorCode).toBe('VERIFIER_JPKI_MALFORMED');
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/sessions/jpki-authentication',
      '/sessions/{id}/jpki-authentication',
      '/sessions/jpki-signature',
      '/sessions/{id}/jpki-signature',
    ])
      expect(Object.hasOwn(doc.paths, path), path).toBe(true);
  }, 60_000);
});
