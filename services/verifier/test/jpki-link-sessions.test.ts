/**
 * JPKI requests by link or QR code, end to end: a real issuer listening on 127.0.0.1 installs a resident's
 * card on a real phone; the relying party (its reader key certified by the sandbox reader CA) opens a JPKI
 * session and gets a `mynakit-jpki://` link; the phone — the wallet engine, its fetch going to the verifier
 * app of each host — reads the signed request object (readJpkiRequest), shows who asks and what, and
 * answers after the PIN or the signature password (answerJpkiRequest) at response_uri; the relying party
 * reads the verdict with GET /sessions/{id}/jpki. Refused with stable codes: a request signed by a reader
 * the phone does not trust, an expired request, a response_uri on another host, a relying party without a
 * reader key; a wrong PIN counts down as it always does and sends nothing.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import {
  createReaderAuthCertificateWithSigner,
  JPKI_REQUEST_MEDIA_TYPE,
  signJpkiRequestObject,
  verifyJpkiRequestObject,
} from '@mynakit/oid4vp';
import { createCertificate, parseCertificate } from '@mynakit/pki';
import { answerJpkiRequest, authenticateWithJpki, readJpkiRequest, WalletError } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import type { VerifierStore } from '../src/store/index.js';
import { BIOMETRIC, type TestClock, testClock } from './helpers/issuer-and-phone.js';
import {
  AUTH_PIN,
  type JpkiIssuerAndPhone,
  jpkiIssuerAndPhone,
  SIGNATURE_PASSWORD,
} from './helpers/jpki-issuer-and-phone.js';
import { certifyReaderKey } from './helpers/reader-key-party.js';
import { ADMIN, DECLARED, verifierStore } from './helpers/verifier-fixture.js';

/** 12:00 in Japan: method カ under 犯収法. */
const START = new Date('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
const BANK_HOST = 'verifier.bank.example';
/** A host that serves request objects made by the test (a hostile or misconfigured party). */
const ROGUE_HOST = 'rogue.example';
const APPLICATION = '普通預金口座開設申込書\n申込日: 2026年12月2日\n取引の目的: 生計費決済';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface Created {
  sessionId: string;
  requestUri?: string;
  walletUrl?: string;
  expiresAt: string;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

/** The wallet's code and the protocol library's cause under it. */
async function codesOf(p: Promise<unknown>): Promise<[string, string | undefined]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return [e.code, (e.cause as { code?: string } | undefined)?.code];
    throw e;
  }
  return ['resolved', undefined];
}

describe('JPKI sessions by link or QR code (signed request object)', () => {
  let clock: TestClock;
  let env: JpkiIssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let app: ReturnType<typeof createVerifierApp>;
  let readerRoot: Uint8Array;
  let bankKey: string;
  /** Request objects the rogue host serves, by path. */
  const rogue = new Map<string, string>();
  /** Answers the rogue host received. */
  const rogueAnswers: string[] = [];
  const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  /** The phone's network: the bank's verifier app, or the rogue host. */
  const phoneFetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const u = new URL(url);
    if (u.hostname === BANK_HOST) return app.request(url, init);
    if (u.hostname === ROGUE_HOST) {
      if (init?.method === 'POST') {
        rogueAnswers.push(String(init.body));
        return Response.json({});
      }
      const jws = rogue.get(u.pathname);
      return jws === undefined
        ? new Response(null, { status: 404 })
        : new Response(jws, { headers: { 'content-type': JPKI_REQUEST_MEDIA_TYPE } });
    }
    throw new TypeError('no such host');
  };

  async function relyingParty(clientId: string) {
    const res = await app.request('/relying-parties', {
      method: 'POST',
      headers: operator,
      body: JSON.stringify({
        name: 'サンドボックス銀行',
        clientId,
        law: 'hanshu',
        isSignatureVerifier: true,
        trustAnchors: env.jpkiAnchors.map(b64),
        verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { relyingParty: { id: string }; apiKey: { apiKey: string } };
    return { id: body.relyingParty.id, apiKey: body.apiKey.apiKey };
  }

  /** A reader certificate by the sandbox reader CA for a key the test holds (a party's own signer). */
  async function readerCertificate(dnsName: string, publicKey: KeyObject) {
    const ca = env.issuer.deps.hierarchy.reader.root;
    return createReaderAuthCertificateWithSigner({
      subject: `C=JP, O=Rogue, CN=${dnsName}`,
      publicKey,
      issuer: { certificate: ca.der, signer: ca.signer },
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
      dnsNames: [dnsName],
    });
  }

  beforeAll(async () => {
    clock = testClock(START);
    env = await jpkiIssuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    app = createVerifierApp({
      store,
      config: {
        origin: `https://${BANK_HOST}`,
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
        readerKeyEncryptionKey: new Uint8Array(32).fill(3),
        sessionKeyEncryptionKey: new Uint8Array(32).fill(4),
      },
      clock: clock.read,
      writerId: 'jpki-link-writer',
      jpkiStatus: { origins: [env.origin] },
    });
    readerRoot = env.issuer.deps.hierarchy.reader.root.der;
    const bank = await relyingParty(`x509_san_dns:${BANK_HOST}`);
    bankKey = bank.apiKey;
    await certifyReaderKey(app, {
      relyingPartyId: bank.id,
      operator: operator,
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
    });
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  const post = (apiKey: string, path: string, body: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  async function open(kind: 'authentication' | 'signature', apiKey = bankKey): Promise<Created> {
    const res =
      kind === 'authentication'
        ? await post(apiKey, '/sessions/jpki-authentication', { purpose: 'log-in' })
        : await post(apiKey, '/sessions/jpki-signature', {
            purpose: 'account-opening',
            text: APPLICATION,
            ...DECLARED,
          });
    expect(res.status).toBe(201);
    return (await res.json()) as Created;
  }
  const stateOf = async (id: string) =>
    (await (
      await app.request(`/sessions/${id}/jpki`, { headers: { authorization: `Bearer ${bankKey}` } })
    ).json()) as {
      state: string;
      verdict: string | null;
      recordId: string | null;
    };
  const resultOf = (id: string, apiKey = bankKey) =>
    app.request(`/sessions/${id}/jpki-result`, { headers: { authorization: `Bearer ${apiKey}` } });
  const phone = (link: string, anchors: readonly Uint8Array[] = [readerRoot]) => ({
    device: env.phone,
    link,
    fetch: phoneFetch,
    readerTrustAnchors: anchors,
  });

  it('a user authentication by link: the phone reads who asks, answers after the PIN, the relying party reads valid', async () => {
    const s = await open('authentication');
    expect(s.walletUrl).toBe(
      `mynakit-jpki://?client_id=x509_san_dns%3A${BANK_HOST}&request_uri=${encodeURIComponent(
        `https://${BANK_HOST}/sessions/${s.sessionId}/jpki-request-object`,
      )}`,
    );
    const link = s.walletUrl as string;
    const summary = await readJpkiRequest(phone(link));
    expect(summary).toMatchObject({
      requestType: 'jpki-user-authentication',
      clientId: `x509_san_dns:${BANK_HOST}`,
      clientName: 'サンドボックス銀行',
      purpose: 'log-in',
      secret: 'auth-pin-or-biometric',
      responseUri: `https://${BANK_HOST}/sessions/${s.sessionId}/jpki-response`,
      reader: { authentication: 'verified' },
    });
    expect(summary.document).toBeUndefined();
    expect(summary.expiresAt.getTime()).toBe(Date.parse(s.expiresAt));
    // The request object as served: typed, signed with the reader key, naming this session's challenge.
    const jws = await (await app.request(s.requestUri as string)).text();
    const verified = await verifyJpkiRequestObject(jws, {
      trustAnchors: [parseCertificate(readerRoot)],
      now: clock.read(),
    });
    expect(verified.challenge).toHaveLength(32);
    expect(await stateOf(s.sessionId)).toMatchObject({ state: 'open', verdict: null });
    const pending = await resultOf(s.sessionId);
    expect(pending.status).toBe(409);
    expect(((await pending.json()) as { code: string }).code).toBe('VERIFIER_SESSION_PENDING');

    await answerJpkiRequest({ ...phone(link), userAuthentication: { method: 'pin', value: AUTH_PIN } });
    const state = await stateOf(s.sessionId);
    expect(state).toMatchObject({ state: 'done', verdict: 'valid' });
    expect(state.recordId).not.toBeNull();
    // The relying party reads the verification: the holder's opaque id to bind an account to, no identity.
    const result = (await (await resultOf(s.sessionId)).json()) as {
      verdict: string;
      recordId: string;
      certificate?: { subjectCommonName: string | null };
      identity?: unknown;
      checks: { id: string; status: string }[];
    };
    expect(result).toMatchObject({ verdict: 'valid', recordId: state.recordId });
    expect(result.certificate?.subjectCommonName).toBeTruthy();
    expect(result.identity).toBeUndefined();
    expect(result.checks.find((c) => c.id === 'auth.signature')?.status).toBe('passed');
    // Answered once: the request is no longer served, a second answer is refused.
    expect((await app.request(s.requestUri as string)).status).toBe(409);
    expect(
      await codeOf(
        answerJpkiRequest({ ...phone(link), userAuthentication: { method: 'pin', value: AUTH_PIN } }),
      ),
    ).toBe('WALLET_REQUEST_INVALID');
  });

  it('a signature by link: the phone shows the document, signs after the password, the relying party reads valid', async () => {
    const s = await open('signature');
    const link = s.walletUrl as string;
    const summary = await readJpkiRequest(phone(link));
    expect(summary).toMatchObject({
      requestType: 'jpki-signature',
      purpose: 'account-opening',
      secret: 'signature-password',
      document: { mediaType: 'text/plain;charset=utf-8', text: APPLICATION },
    });
    expect(summary.document?.sha256).toBe(
      Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(APPLICATION))).toString(
        'base64url',
      ),
    );
    // The signature password, never the PIN.
    expect(
      await codeOf(
        answerJpkiRequest({ ...phone(link), userAuthentication: { method: 'pin', value: AUTH_PIN } }),
      ),
    ).toBe('WALLET_INVALID_INPUT');
    await answerJpkiRequest({ ...phone(link), password: SIGNATURE_PASSWORD });
    expect(await stateOf(s.sessionId)).toMatchObject({ state: 'done', verdict: 'valid' });
    // The signer's basic four go to the relying party once; later reads answer the report alone.
    const first = (await (await resultOf(s.sessionId)).json()) as {
      verdict: string;
      method: { letter: string } | null;
      identity?: { name: string; birthDate: string };
    };
    expect(first.verdict).toBe('valid');
    expect(first.method?.letter).toBe('カ');
    expect(first.identity?.name).toBeTruthy();
    expect(first.identity?.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const second = (await (await resultOf(s.sessionId)).json()) as { verdict: string; identity?: unknown };
    expect(second.verdict).toBe('valid');
    expect(second.identity).toBeUndefined();
    // Another relying party reads nothing of it.
    const other = await relyingParty('x509_san_dns:verifier.other.example');
    expect((await resultOf(s.sessionId, other.apiKey)).status).toBe(404);
  });

  it('a document of bytes is shown as such; a user authentication also opens with a biometric', async () => {
    const bytes = Uint8Array.of(0x25, 0x50, 0x44, 0x46, 0xff, 0x00, 0x80);
    const res = await post(bankKey, '/sessions/jpki-signature', {
      purpose: 'contract',
      content: b64(bytes),
      ...DECLARED,
    });
    expect(res.status).toBe(201);
    const s = (await res.json()) as Created;
    const summary = await readJpkiRequest(phone(s.walletUrl as string));
    expect(summary.document).toEqual({
      mediaType: 'application/octet-stream',
      size: bytes.length,
      sha256: Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('base64url'),
    });
    await answerJpkiRequest({ ...phone(s.walletUrl as string), password: SIGNATURE_PASSWORD });
    expect(await stateOf(s.sessionId)).toMatchObject({ state: 'done', verdict: 'valid' });

    const auth = await open('authentication');
    await answerJpkiRequest({ ...phone(auth.walletUrl as string), userAuthentication: BIOMETRIC });
    expect(await stateOf(auth.sessionId)).toMatchObject({ state: 'done', verdict: 'valid' });
  });

  it('hands out URLs under the path the verifier is served on', async () => {
    const mounted = createVerifierApp({
      store,
      config: {
        origin: `https://${BANK_HOST}/verifier`,
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
        readerKeyEncryptionKey: new Uint8Array(32).fill(3),
      },
      clock: clock.read,
      writerId: 'jpki-link-writer-mounted',
      jpkiStatus: { origins: [env.origin] },
    });
    const res = await mounted.request('/sessions/jpki-authentication', {
      method: 'POST',
      headers: { authorization: `Bearer ${bankKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: 'log-in' }),
    });
    const s = (await res.json()) as Created;
    expect(s.requestUri).toBe(`https://${BANK_HOST}/verifier/sessions/${s.sessionId}/jpki-request-object`);
    const served = await mounted.request(`/sessions/${s.sessionId}/jpki-request-object`);
    const claims = JSON.parse(
      Buffer.from((await served.text()).split('.')[1] as string, 'base64url').toString('utf8'),
    ) as { response_uri: string };
    expect(claims.response_uri).toBe(`https://${BANK_HOST}/verifier/sessions/${s.sessionId}/jpki-response`);
  });

  it('a wrong PIN counts down and sends nothing; the right one then answers', async () => {
    const s = await open('authentication');
    const link = s.walletUrl as string;
    const before = (await env.phone.secrets.status('authPin')).remaining as number;
    const wrong = await answerJpkiRequest({
      ...phone(link),
      userAuthentication: { method: 'pin', value: '0000' },
    }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(WalletError);
    expect((wrong as WalletError).code).toBe('WALLET_SECRET_WRONG');
    expect((await env.phone.secrets.status('authPin')).remaining).toBe(before - 1);
    expect(await stateOf(s.sessionId)).toMatchObject({ state: 'open' });
    await answerJpkiRequest({ ...phone(link), userAuthentication: { method: 'pin', value: AUTH_PIN } });
    expect(await stateOf(s.sessionId)).toMatchObject({ state: 'done', verdict: 'valid' });
  });

  it('refuses a request signed by a reader the phone does not trust', async () => {
    const s = await open('authentication');
    // The phone trusts another reader root only.
    const otherRoot = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = createCertificate({
      subject: 'C=JP, O=Other, CN=Other reader CA',
      publicKey: otherRoot.publicKey,
      privateKey: otherRoot.privateKey,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    });
    expect(await codeOf(readJpkiRequest(phone(s.walletUrl as string, [other])))).toBe(
      'WALLET_READER_AUTH_INVALID',
    );
    // A rogue party names the bank but signs with a certificate of its own making.
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const selfMade = createCertificate({
      subject: `C=JP, O=Rogue, CN=${BANK_HOST}`,
      publicKey: key.publicKey,
      privateKey: key.privateKey,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
      extensions: [{ type: 'subjectAltName', names: [{ type: 'dNSName', value: BANK_HOST }] }],
    });
    rogue.set(
      '/untrusted',
      await signJpkiRequestObject({
        request: {
          clientId: `x509_san_dns:${BANK_HOST}`,
          purpose: 'log-in',
          responseUri: `https://${BANK_HOST}/sessions/${s.sessionId}/jpki-response`,
          now: clock.read(),
          requestType: 'jpki-user-authentication',
          challenge: new Uint8Array(32).fill(7),
        },
        privateKey: key.privateKey,
        certificateChain: [selfMade],
      }),
    );
    const link = `mynakit-jpki://?client_id=x509_san_dns%3A${BANK_HOST}&request_uri=${encodeURIComponent(`https://${ROGUE_HOST}/untrusted`)}`;
    expect(await codesOf(readJpkiRequest(phone(link)))).toEqual([
      'WALLET_READER_AUTH_INVALID',
      'REQUEST_CERTIFICATE_UNTRUSTED',
    ]);
    expect(
      await codeOf(
        answerJpkiRequest({ ...phone(link), userAuthentication: { method: 'pin', value: AUTH_PIN } }),
      ),
    ).toBe('WALLET_READER_AUTH_INVALID');
    expect(await stateOf(s.sessionId)).toMatchObject({ state: 'open' });
  });

  it('refuses an expired request, and one whose response_uri is on another host than its certificate', async () => {
    const s = await open('authentication');
    const jws = await (await app.request(s.requestUri as string)).text();
    rogue.set('/late', jws);
    const late = `mynakit-jpki://?client_id=x509_san_dns%3A${BANK_HOST}&request_uri=${encodeURIComponent(`https://${ROGUE_HOST}/late`)}`;
    const lifetime = Date.parse(s.expiresAt) - clock.read().getTime();
    clock.advance(lifetime + 61_000);
    try {
      expect(await codeOf(readJpkiRequest(phone(late)))).toBe('WALLET_REQUEST_EXPIRED');
      // The verifier no longer serves it either.
      expect((await app.request(s.requestUri as string)).status).toBe(410);
    } finally {
      clock.advance(-(lifetime + 61_000));
    }

    // A party with a trusted reader certificate for its own host asks the answer to go elsewhere.
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leaf = await readerCertificate(ROGUE_HOST, key.publicKey);
    rogue.set(
      '/elsewhere',
      await signJpkiRequestObject({
        request: {
          clientId: `x509_san_dns:${ROGUE_HOST}`,
          purpose: 'log-in',
          responseUri: 'https://collector.example/answers',
          now: clock.read(),
          requestType: 'jpki-user-authentication',
          challenge: new Uint8Array(32).fill(9),
        },
        privateKey: key.privateKey,
        certificateChain: [leaf],
      }),
    );
    const elsewhere = `mynakit-jpki://?client_id=x509_san_dns%3A${ROGUE_HOST}&request_uri=${encodeURIComponent(`https://${ROGUE_HOST}/elsewhere`)}`;
    expect(await codesOf(readJpkiRequest(phone(elsewhere)))).toEqual([
      'WALLET_REQUEST_INVALID',
      'RESPONSE_URI_MISMATCH',
    ]);
    const before = (await env.phone.secrets.status('authPin')).remaining;
    expect(
      await codeOf(
        answerJpkiRequest({ ...phone(elsewhere), userAuthentication: { method: 'pin', value: AUTH_PIN } }),
      ),
    ).toBe('WALLET_REQUEST_INVALID');
    expect((await env.phone.secrets.status('authPin')).remaining).toBe(before);
    expect(rogueAnswers).toEqual([]);
  });

  it('a relying party without a reader key gets no link, and its request object is refused with a code', async () => {
    const plain = await relyingParty('x509_san_dns:verifier.plain.example');
    const s = await open('authentication', plain.apiKey);
    expect(s.walletUrl).toBeUndefined();
    const res = await app.request(`https://${BANK_HOST}/sessions/${s.sessionId}/jpki-request-object`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('VERIFIER_JPKI_LINK_UNAVAILABLE');
    const unknown = await app.request(`https://${BANK_HOST}/sessions/no-such-session/jpki-request-object`);
    expect(unknown.status).toBe(404);
    // The wallet-facing answer route checks its body without echoing it.
    const bad = await app.request(`https://${BANK_HOST}/sessions/${s.sessionId}/jpki-response`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ certificate: 'not base64!' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain('not base64!');

    // A session with a link answered through the API instead: that answer was its verification.
    const viaApi = await open('authentication');
    const signed = await authenticateWithJpki({
      device: env.phone,
      challenge: (
        await verifyJpkiRequestObject(await (await app.request(viaApi.requestUri as string)).text(), {
          trustAnchors: [parseCertificate(readerRoot)],
          now: clock.read(),
        })
      ).challenge as Uint8Array,
      userAuthentication: { method: 'pin', value: AUTH_PIN },
      relyingParty: 'サンドボックス銀行',
    });
    const answered = await post(bankKey, `/sessions/${viaApi.sessionId}/jpki-authentication`, {
      certificate: b64(signed.certificate),
      signature: b64(signed.signature),
    });
    expect(((await answered.json()) as { verdict: string }).verdict).toBe('valid');
    const notByLink = await resultOf(viaApi.sessionId);
    expect(notByLink.status).toBe(404);
    expect(((await notByLink.json()) as { code: string }).code).toBe('VERIFIER_NOT_FOUND');

    // An instance whose key-encryption key does not open the bank's reader key still opens the session,
    // without a link; the request object names the cause.
    const misconfigured = createVerifierApp({
      store,
      config: {
        origin: `https://${BANK_HOST}`,
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
        readerKeyEncryptionKey: new Uint8Array(32).fill(5),
      },
      clock: clock.read,
      writerId: 'jpki-link-writer-2',
      jpkiStatus: { origins: [env.origin] },
    });
    const opened = await misconfigured.request('/sessions/jpki-authentication', {
      method: 'POST',
      headers: { authorization: `Bearer ${bankKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: 'log-in' }),
    });
    expect(opened.status).toBe(201);
    const created = (await opened.json()) as Created;
    expect(created.walletUrl).toBeUndefined();
    const sealed = await misconfigured.request(`/sessions/${created.sessionId}/jpki-request-object`);
    expect(((await sealed.json()) as { code: string }).code).toBe('VERIFIER_READER_KEY_UNAVAILABLE');
  });

  // Last: it takes the result table away.
  it('the result is kept in the record’s transaction: when it cannot be kept, no record stands and the session reopens', async () => {
    const s = await open('authentication');
    const link = s.walletUrl as string;
    const recordsBefore = await store.db
      .selectFrom('verification_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // A storage fault at the result's insert: the table is gone.
    await store.db.schema.alterTable('jpki_link_results').renameTo('jpki_link_results_away').execute();
    try {
      expect(
        await codeOf(
          answerJpkiRequest({ ...phone(link), userAuthentication: { method: 'pin', value: AUTH_PIN } }),
        ),
      ).not.toBe('resolved');
    } finally {
      await store.db.schema.alterTable('jpki_link_results_away').renameTo('jpki_link_results').execute();
    }
    const recordsAfter = await store.db
      .selectFrom('verification_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(recordsAfter.n)).toBe(Number(recordsBefore.n));
    expect(await stateOf(s.sessionId)).toMatchObject({ state: 'open', recordId: null });
    // Given back: the same session is answered once the store works again, record and result together.
    await answerJpkiRequest({ ...phone(link), userAuthentication: { method: 'pin', value: AUTH_PIN } });
    const state = await stateOf(s.sessionId);
    expect(state).toMatchObject({ state: 'done', verdict: 'valid' });
    const result = (await (await resultOf(s.sessionId)).json()) as { recordId: string };
    expect(result.recordId).toBe(state.recordId);
  });
});
