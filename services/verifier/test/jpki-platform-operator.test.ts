/**
 * JPKI status through a platform operator (DOMAIN.md §3 "Status"): a relying party whose `jpkiStatusVia` is
 * `platform-operator` gets the status of the certificates it verifies from the platform operator the
 * deployment configured — here the live issuer's `POST /platform/certificate-status`, with client credentials
 * of role `platform-status` — instead of OCSP and CRLs. good → valid; a signature certificate revoked by a
 * move → invalid; wrong credentials, no operator, an unreachable operator and every malformed answer →
 * undetermined, decided by the party's policy. The record names the source and the time.
 */
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { authenticateWithJpki, signWithJpki } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import type { JpkiStatusConfig } from '../src/jpki/jpki-status.js';
import {
  checkPlatformOperatorConfig,
  MAX_PLATFORM_STATUS_RESPONSE_BYTES,
  type PlatformOperatorConfig,
} from '../src/jpki/platform-operator-status.js';
import { getRecord } from '../src/records/record-chains.js';
import { RelyingPartyConfigSchema } from '../src/relying-parties/config.js';
import type { VerifierStore } from '../src/store/index.js';
import { type TestClock, testClock } from './helpers/issuer-and-phone.js';
import {
  AUTH_PIN,
  deadOrigin,
  type JpkiIssuerAndPhone,
  jpkiIssuerAndPhone,
  SIGNATURE_PASSWORD,
} from './helpers/jpki-issuer-and-phone.js';
import { ADMIN, statusOf, verifierStore } from './helpers/verifier-fixture.js';

const START = new Date('2026-12-02T03:00:00Z');
const APPLICATION = '口座開設申込書\n申込日: 2026年12月2日';
const STATUS_PATH = '/platform/certificate-status';

interface JpkiAnswer {
  verdict: string;
  checks: { id: string; status: string; detail: string }[];
  recordId: string;
  flags: string[];
  errorCode?: string;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('JPKI status through a platform operator', () => {
  let clock: TestClock;
  let env: JpkiIssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let operator: PlatformOperatorConfig;

  const appWith = (jpkiStatus: JpkiStatusConfig) =>
    createVerifierApp({
      store,
      config: {
        origin: 'http://127.0.0.1:8403',
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
      },
      clock: clock.read,
      writerId: 'platform-writer',
      jpkiStatus,
    });
  type App = ReturnType<typeof appWith>;
  let app: App;

  async function relyingParty(target: App, overrides: Record<string, unknown> = {}) {
    const res = await target.request('/relying-parties', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Sample Portal',
        clientId: `x509_san_dns:portal-${Math.random().toString(36).slice(2, 10)}.example`,
        law: 'none',
        jpkiStatusVia: 'platform-operator',
        trustAnchors: env.jpkiAnchors.map(b64),
        verificationProgram: { name: 'mynakit', version: '0.1.0' },
        ...overrides,
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      relyingParty: { id: string; config: { jpkiStatusVia: string } };
      apiKey: { apiKey: string };
    };
    return { apiKey: body.apiKey.apiKey, relyingParty: body.relyingParty };
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
    return (await res.json()) as { sessionId: string; challenge: string };
  }
  const phoneAuthenticates = (challenge: Uint8Array) =>
    authenticateWithJpki({
      device: env.phone,
      challenge,
      userAuthentication: { method: 'pin', value: AUTH_PIN },
      relyingParty: 'Sample Portal',
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
    const opened = await post(target, apiKey, '/sessions/jpki-signature', {
      purpose: 'account-opening',
      text: APPLICATION,
    });
    expect(opened.status).toBe(201);
    const s = (await opened.json()) as { sessionId: string; content: string };
    const signed = await signWithJpki({
      device: env.phone,
      content: Buffer.from(s.content, 'base64'),
      password: SIGNATURE_PASSWORD,
      detached: true,
      relyingParty: 'Sample Portal',
    });
    const res = await post(target, apiKey, `/sessions/${s.sessionId}/jpki-signature`, {
      cms: b64(signed.signature),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as JpkiAnswer;
  }
  const recordOf = async (id: string) => (await getRecord(store, id))?.content as Record<string, unknown>;
  /** An app whose platform operator answers with `respond` (the issuer's OCSP never asked). */
  const answeringWith = (respond: () => Response) =>
    appWith({ origins: [env.origin], platformOperator: operator, fetch: async () => respond() });

  beforeAll(async () => {
    clock = testClock(START);
    env = await jpkiIssuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    const client = await env.issuer.deps.store.rpClients.create(
      { name: 'mynakit verifier', roles: ['platform-status'] },
      START.getTime(),
    );
    operator = { origin: env.origin, clientId: client.clientId, clientSecret: client.clientSecret };
    app = appWith({ origins: [env.origin], platformOperator: operator });
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('asks the platform operator alone for such a party: good → valid, and the record names the source and the time', async () => {
    const { apiKey, relyingParty: party } = await relyingParty(app);
    expect(party.config.jpkiStatusVia).toBe('platform-operator');
    const before = env.requests.length;
    const answer = await authOnce(app, apiKey);
    expect(answer.verdict).toBe('valid');
    expect(statusOf(answer as never, 'status.revocation')).toBe('passed');
    expect(statusOf(answer as never, 'revocation.policy')).toBe('passed');
    // Only the operator's interface, over the socket: no OCSP, no CRL.
    expect(env.requests.slice(before)).toEqual([STATUS_PATH]);
    const content = await recordOf(answer.recordId);
    expect(content).toMatchObject({
      outcome: 'verified',
      revocationCheck: {
        result: 'passed',
        kind: 'platform-operator',
        source: `${env.origin}${STATUS_PATH}`,
        via: 'network',
        outcome: 'good',
        checkedAt: START.toISOString(),
        producedAt: START.toISOString(),
        attempts: [{ url: `${env.origin}${STATUS_PATH}`, outcome: 'good' }],
      },
    });
    // The credentials stay with the deployment.
    expect(JSON.stringify(content)).not.toContain(operator.clientSecret);
    expect(JSON.stringify(answer)).not.toContain(operator.clientSecret);

    // A signature verifies the same way; a party of the default kind still asks OCSP.
    expect((await signOnce(app, apiKey)).verdict).toBe('valid');
    const { apiKey: ocspParty, relyingParty: other } = await relyingParty(app, { jpkiStatusVia: undefined });
    expect(other.config.jpkiStatusVia).toBe('issuer');
    const mark = env.requests.length;
    const viaIssuer = await authOnce(app, ocspParty);
    expect(viaIssuer.verdict).toBe('valid');
    expect(env.requests.slice(mark)).toEqual(['/ocsp']);
    expect(await recordOf(viaIssuer.recordId)).toMatchObject({ revocationCheck: { kind: 'OCSP' } });
  }, 60_000);

  it('is undetermined with wrong client credentials (401), a client without the role (403) or no operator configured', async () => {
    const wrong = appWith({
      origins: [env.origin],
      platformOperator: { ...operator, clientSecret: `${operator.clientSecret}x` },
    });
    const { apiKey } = await relyingParty(wrong);
    const answer = await authOnce(wrong, apiKey);
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer as never, 'status.revocation')).toBe('undetermined');
    expect(statusOf(answer as never, 'revocation.policy')).toBe('failed');
    expect(answer.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
    expect(await recordOf(answer.recordId)).toMatchObject({
      outcome: 'rejected',
      revocationCheck: {
        result: 'undetermined',
        action: 'reject',
        kind: 'platform-operator',
        via: 'failed',
        outcome: 'unusable',
        attempts: [{ url: `${env.origin}${STATUS_PATH}`, outcome: 'HTTP 401' }],
      },
    });

    const inquiry = await env.issuer.deps.store.rpClients.create(
      { name: 'inquiry only', roles: ['inquiry'] },
      START.getTime(),
    );
    const noRole = appWith({
      origins: [env.origin],
      platformOperator: {
        origin: env.origin,
        clientId: inquiry.clientId,
        clientSecret: inquiry.clientSecret,
      },
    });
    const forbidden = await authOnce(noRole, apiKey);
    expect(forbidden.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
    expect(await recordOf(forbidden.recordId)).toMatchObject({
      revocationCheck: { attempts: [{ outcome: 'HTTP 403' }] },
    });

    // No operator configured: nothing is asked — never the issuer's OCSP in its place.
    const none = appWith({ origins: [env.origin] });
    const before = env.requests.length;
    const unconfigured = await authOnce(none, apiKey);
    expect(env.requests.slice(before)).toEqual([]);
    expect(statusOf(unconfigured as never, 'status.revocation')).toBe('undetermined');
    expect(await recordOf(unconfigured.recordId)).toMatchObject({
      revocationCheck: { kind: 'platform-operator', source: null, via: 'failed', attempts: [] },
    });
  }, 60_000);

  it('is undetermined for an unknown certificate, a malformed, oversized, stale or redirected answer, a 5xx or a timeout', async () => {
    const { apiKey } = await relyingParty(app);
    const json = (body: unknown, init: ResponseInit = {}) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' }, ...init });
    const produced = START.toISOString();
    const cases: [string, () => Response][] = [
      [
        'unknown',
        () => json({ status: 'unknown', producedAt: produced, issuer: 'ca', source: 'issuer-database' }),
      ],
      ['malformed answer', () => new Response('{"status": "good"')],
      ['malformed answer', () => json({ status: 'fine', producedAt: produced, issuer: 'ca', source: 's' })],
      ['malformed answer', () => json({ status: 'good', issuer: 'ca', source: 's' })],
      [
        'too large',
        () =>
          json({
            status: 'good',
            producedAt: produced,
            issuer: 'x'.repeat(MAX_PLATFORM_STATUS_RESPONSE_BYTES),
            source: 's',
          }),
      ],
      [
        'stale answer',
        () =>
          json({
            status: 'good',
            producedAt: new Date(START.getTime() - 3_600_000).toISOString(),
            issuer: 'ca',
            source: 's',
          }),
      ],
      [
        'HTTP 302',
        () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.invalid/' } }),
      ],
      ['HTTP 503', () => json({ code: 'ISSUER_STATUS_UNAVAILABLE' }, { status: 503 })],
    ];
    for (const [outcome, respond] of cases) {
      const answer = await authOnce(answeringWith(respond), apiKey);
      expect(answer.verdict, outcome).toBe('invalid');
      expect(statusOf(answer as never, 'status.revocation'), outcome).toBe('undetermined');
      expect(answer.errorCode, outcome).toBe('VERIFIER_REVOCATION_UNDETERMINED');
      const check = (await recordOf(answer.recordId)).revocationCheck as {
        outcome: string;
        attempts: { outcome: string }[];
      };
      expect(check.outcome, outcome).toBe('unusable');
      expect(check.attempts.map((a) => a.outcome)).toEqual([outcome]);
    }
    // An operator that never answers: given up after the timeout.
    const silent = appWith({
      origins: [env.origin],
      platformOperator: operator,
      timeoutMs: 200,
      fetch: (request) =>
        new Promise<Response>((_, reject) =>
          request.signal.addEventListener('abort', () => reject(request.signal.reason)),
        ),
    });
    const timedOut = await authOnce(silent, apiKey);
    expect(statusOf(timedOut as never, 'status.revocation')).toBe('undetermined');
    expect(timedOut.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
    expect(await recordOf(timedOut.recordId)).toMatchObject({
      revocationCheck: { via: 'failed', attempts: [{ outcome: 'unreachable' }] },
    });
  }, 120_000);

  describe('when the platform operator cannot be reached', () => {
    let down: App;
    beforeAll(async () => {
      down = appWith({
        origins: [env.origin],
        platformOperator: { ...operator, origin: await deadOrigin() },
        timeoutMs: 2_000,
      });
    });

    it('rejects under the default policy', async () => {
      const { apiKey } = await relyingParty(down);
      const answer = await authOnce(down, apiKey);
      expect(answer.verdict).toBe('invalid');
      expect(statusOf(answer as never, 'status.revocation')).toBe('undetermined');
      expect(answer.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
      expect(await recordOf(answer.recordId)).toMatchObject({
        revocationCheck: {
          result: 'undetermined',
          action: 'reject',
          kind: 'platform-operator',
          via: 'failed',
          attempts: [{ outcome: 'unreachable' }],
        },
      });
    }, 60_000);

    it('accepts with a flag under accept-flagged, and asks to retry (503, session kept) under retry', async () => {
      const { apiKey: flagged } = await relyingParty(down, {
        revocation: { check: 'required', undetermined: 'accept-flagged' },
      });
      const answer = await signOnce(down, flagged);
      expect(answer.verdict).toBe('valid');
      expect(answer.flags).toEqual(['revocation-undetermined']);
      expect(statusOf(answer as never, 'revocation.policy')).toBe('warning');
      expect(await recordOf(answer.recordId)).toMatchObject({
        flags: ['revocation-undetermined'],
        revocationCheck: { result: 'undetermined', kind: 'platform-operator' },
      });

      const { apiKey: retry } = await relyingParty(down, {
        revocation: { check: 'required', undetermined: 'retry' },
      });
      const s = await openAuth(down, retry);
      const a = await phoneAuthenticates(Buffer.from(s.challenge, 'base64url'));
      const first = await answerAuth(down, retry, s.sessionId, a);
      expect(first.status).toBe(503);
      expect(((await first.json()) as { code: string }).code).toBe('VERIFIER_REVOCATION_UNAVAILABLE');
      // Once the operator answers again, the same answer verifies.
      const up = await answerAuth(app, retry, s.sessionId, a);
      expect(up.status).toBe(200);
      expect(((await up.json()) as JpkiAnswer).verdict).toBe('valid');
    }, 60_000);
  });

  it('keeps old configurations valid and checks the deployment configuration', () => {
    const stored = RelyingPartyConfigSchema.parse({
      name: 'Old Bank',
      clientId: 'x509_san_dns:old.example',
      law: 'hanshu',
      verificationProgram: { name: 'mynakit', version: '0.0.9' },
    });
    expect(stored.jpkiStatusVia).toBe('issuer');
    expect(
      RelyingPartyConfigSchema.safeParse({ ...stored, jpkiStatusVia: 'https://elsewhere.example' }).success,
    ).toBe(false);
    for (const origin of ['https://platform.example/status', 'ftp://platform.example', 'platform'])
      expect(() => checkPlatformOperatorConfig({ ...operator, origin }), origin).toThrow(
        expect.objectContaining({ code: 'VERIFIER_INVALID_INPUT' }),
      );
    expect(() => checkPlatformOperatorConfig({ ...operator, clientId: 'a:b' })).toThrow(
      expect.objectContaining({ code: 'VERIFIER_INVALID_INPUT' }),
    );
    try {
      checkPlatformOperatorConfig({ ...operator, clientSecret: 'bad secret' });
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('VERIFIER_INVALID_INPUT');
      expect((e as Error).message).not.toContain('bad secret');
    }
    expect(checkPlatformOperatorConfig({ ...operator, origin: `${env.origin}/` }).origin).toBe(env.origin);
  });

  it('refuses a signature certificate revoked by a move (the operator says revoked); the user-auth certificate survives it', async () => {
    await env.issuer.deps.store.lifeEvents.record(
      {
        residentId: env.residentId,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目' },
      },
      clock.now.getTime(),
    );
    const { apiKey } = await relyingParty(app);
    const answer = await signOnce(app, apiKey);
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer as never, 'status.revocation')).toBe('failed');
    expect(answer.checks.find((c) => c.id === 'status.revocation')?.detail).toContain(
      'reason affiliationChanged',
    );
    expect(statusOf(answer as never, 'revocation.policy')).toBe('failed');
    expect(answer.errorCode).toBe('VERIFIER_REVOKED');
    const content = await recordOf(answer.recordId);
    expect(content).toMatchObject({
      outcome: 'rejected',
      revocationCheck: {
        result: 'failed',
        kind: 'platform-operator',
        source: `${env.origin}${STATUS_PATH}`,
        outcome: 'revoked',
      },
    });
    expect(JSON.stringify(answer)).not.toContain('試験町');
    expect((await authOnce(app, apiKey)).verdict).toBe('valid');
  }, 60_000);
});
