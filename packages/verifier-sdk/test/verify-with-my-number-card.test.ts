/**
 * verifyWithMyNumberCard against a stand-in for the browser's `navigator.credentials` (the browser API is
 * the boundary; the real one is driven in apps/sandbox/test/bank-dc-api.e2e.test.ts) and a backend given as
 * a fetch function answering as the verifier would.
 */
import { describe, expect, it } from 'vitest';
import {
  ANNEX_C_PROTOCOL,
  type DigitalCredentialRequest,
  type DigitalCredentialsContainer,
  hasDigitalCredentialsApi,
  VerifierSdkError,
  verifyWithMyNumberCard,
} from '../src/index.js';

const ANNEX_C_DATA = { deviceRequest: 'omd2ZXJzaW9u', encryptionInfo: 'gmVkY2FwaaI' };
const OID4VP = { protocol: 'openid4vp-v1-unsigned', data: { dcql_query: {}, nonce: 'n' } };
const VERIFIED = {
  verdict: 'valid',
  checks: [{ id: 'issuer.signature', status: 'passed', detail: 'ok' }],
  method: null,
  methodReasons: ['KYC_PROGRAM_NOT_CERTIFIED'],
  recordId: 'rec-1',
  flags: [],
};

interface Call {
  url: string;
  body: unknown;
}

/** A backend: opens `session`, answers the submission with `answer` (status, JSON). */
function backend(
  session: Record<string, unknown>,
  answer: { status: number; body: unknown } = { status: 200, body: VERIFIED },
) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init?.body)) });
    if (url === '/bank/sessions')
      return new Response(JSON.stringify(session), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      });
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: {
        'content-type': answer.status < 300 ? 'application/json' : 'application/problem+json',
      },
    });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const annexCSession = {
  sessionId: 'sess-1',
  request: { protocol: ANNEX_C_PROTOCOL, data: ANNEX_C_DATA },
  expiresAt: '2026-12-02T21:00:00Z',
  elements: { 'org.iso.23220.1.jp': ['full_name_unicode'] },
};

/** A credentials container answering with `answer` (or running `behaviour`), recording what it was asked. */
function wallet(
  behaviour: (requests: readonly DigitalCredentialRequest[], signal: AbortSignal) => Promise<unknown>,
) {
  const asked: { requests: readonly DigitalCredentialRequest[]; signal: AbortSignal }[] = [];
  const credentials: DigitalCredentialsContainer = {
    get: (options) => {
      asked.push({ requests: options.digital.requests, signal: options.signal });
      return behaviour(options.digital.requests, options.signal);
    },
  };
  return { credentials, asked };
}

async function failure(promise: Promise<unknown>): Promise<VerifierSdkError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(VerifierSdkError);
    return e as VerifierSdkError;
  }
  throw new Error('expected a failure');
}

describe('verifyWithMyNumberCard', () => {
  it('sends every request in one call with Annex C first, posts {response} and returns the report', async () => {
    const { fetch, calls } = backend({ ...annexCSession, requests: [OID4VP] });
    const { credentials, asked } = wallet(async () => ({
      protocol: ANNEX_C_PROTOCOL,
      data: { response: 'gmVkY2FwaaJjZW5j' },
    }));
    const result = await verifyWithMyNumberCard({
      sessionUrl: '/bank/sessions',
      sessionBody: { purpose: 'account-opening' },
      credentials,
      fetch,
    });
    expect(result.verdict).toBe('valid');
    expect(result.methodReasons).toEqual(['KYC_PROGRAM_NOT_CERTIFIED']);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.requests.map((r) => r.protocol)).toEqual([ANNEX_C_PROTOCOL, OID4VP.protocol]);
    expect(asked[0]?.requests[0]?.data).toEqual(ANNEX_C_DATA);
    expect(calls).toEqual([
      { url: '/bank/sessions', body: { purpose: 'account-opening' } },
      { url: '/bank/sessions/sess-1/response', body: { response: 'gmVkY2FwaaJjZW5j' } },
    ]);
  });

  it('puts Annex C first even when the backend lists it after another protocol, and sends a repeated request once', async () => {
    const { fetch } = backend({
      sessionId: 's',
      request: { protocol: ANNEX_C_PROTOCOL, data: ANNEX_C_DATA },
      requests: [OID4VP, { protocol: ANNEX_C_PROTOCOL, data: { ...ANNEX_C_DATA } }],
    });
    const { credentials, asked } = wallet(async () => ({
      protocol: OID4VP.protocol,
      data: { vp_token: {} },
    }));
    await verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch });
    expect(asked[0]?.requests.map((r) => r.protocol)).toEqual([ANNEX_C_PROTOCOL, OID4VP.protocol]);
  });

  it('refuses an answer in a protocol that was not requested (protocol-mismatch) and submits nothing', async () => {
    const { fetch, calls } = backend(annexCSession);
    const { credentials } = wallet(async () => ({ protocol: OID4VP.protocol, data: { response: 'abc' } }));
    const e = await failure(verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch }));
    expect(e.code).toBe('protocol-mismatch');
    expect(calls.map((c) => c.url)).toEqual(['/bank/sessions']);
  });

  it('aborts the browser call at the timeout (timed-out) and the signal it was given is aborted', async () => {
    const { fetch } = backend(annexCSession);
    // A wallet-less browser: the call never settles by itself.
    const { credentials, asked } = wallet(() => new Promise(() => undefined));
    const e = await failure(
      verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch, timeoutMs: 20 }),
    );
    expect(e.code).toBe('timed-out');
    expect(asked[0]?.signal.aborted).toBe(true);
  });

  it('hands a timeout to the cross-device fallback when one is given', async () => {
    const { fetch } = backend(annexCSession);
    const { credentials } = wallet(
      (_r, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const reasons: string[] = [];
    const result = await verifyWithMyNumberCard({
      sessionUrl: '/bank/sessions',
      credentials,
      fetch,
      timeoutMs: 10,
      crossDevice: async ({ reason }) => {
        reasons.push(reason);
        return { ...VERIFIED, verdict: 'valid' as const, checks: [] };
      },
    });
    expect(reasons).toEqual(['timed-out']);
    expect(result.verdict).toBe('valid');
  });

  it('maps NotAllowedError to declined', async () => {
    const { fetch } = backend(annexCSession);
    const { credentials } = wallet(async () => {
      throw new DOMException('The user declined', 'NotAllowedError');
    });
    const e = await failure(verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch }));
    expect(e.code).toBe('declined');
  });

  it('reports a verifier problem as rejected with its code and status', async () => {
    const { fetch } = backend(annexCSession, {
      status: 409,
      body: {
        type: 'https://mynakit.dev/problems/verifier-session-used',
        title: 'Conflict',
        status: 409,
        code: 'VERIFIER_SESSION_USED',
        detail: 'the session was already used: open a new one',
      },
    });
    const { credentials } = wallet(async () => ({ protocol: ANNEX_C_PROTOCOL, data: { response: 'AAAA' } }));
    const e = await failure(verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch }));
    expect(e.code).toBe('rejected');
    expect(e.problemCode).toBe('VERIFIER_SESSION_USED');
    expect(e.status).toBe(409);
    expect(e.message).toContain('already used');
  });

  it('returns an invalid verification as a report, not as an error', async () => {
    const invalid = { ...VERIFIED, verdict: 'invalid', errorCode: 'HPKE_OPEN_FAILED' };
    const { fetch } = backend(annexCSession, { status: 200, body: invalid });
    const { credentials } = wallet(async () => ({ protocol: ANNEX_C_PROTOCOL, data: { response: 'AAAA' } }));
    const result = await verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch });
    expect(result.verdict).toBe('invalid');
    expect(result.errorCode).toBe('HPKE_OPEN_FAILED');
  });

  it('says unsupported without a DC API, before opening any session, unless a cross-device fallback is given', async () => {
    const { fetch, calls } = backend(annexCSession);
    const e = await failure(verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', fetch }));
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain('crossDevice');
    expect(calls).toHaveLength(0);
    const reasons: string[] = [];
    await verifyWithMyNumberCard({
      sessionUrl: '/bank/sessions',
      fetch,
      crossDevice: async ({ reason }) => {
        reasons.push(reason);
        return { verdict: 'valid', checks: [] };
      },
    });
    expect(reasons).toEqual(['unsupported']);
  });

  it('says network when the backend cannot be reached, aborted when the caller stops it', async () => {
    const { credentials } = wallet(() => new Promise(() => undefined));
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    expect((await failure(verifyWithMyNumberCard({ sessionUrl: '/x', credentials, fetch: down }))).code).toBe(
      'network',
    );
    const { fetch } = backend(annexCSession);
    const controller = new AbortController();
    const pending = verifyWithMyNumberCard({
      sessionUrl: '/bank/sessions',
      credentials,
      fetch,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    expect((await failure(pending)).code).toBe('aborted');
  });

  it('refuses an Annex C answer without a base64url response, and a session without requests', async () => {
    const { fetch } = backend(annexCSession);
    const { credentials } = wallet(async () => ({
      protocol: ANNEX_C_PROTOCOL,
      data: { response: 'not base64!' },
    }));
    expect(
      (await failure(verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch }))).code,
    ).toBe('invalid-response');
    const empty = backend({ sessionId: 's' });
    expect(
      (
        await failure(
          verifyWithMyNumberCard({ sessionUrl: '/bank/sessions', credentials, fetch: empty.fetch }),
        )
      ).code,
    ).toBe('invalid-response');
  });
});

describe('hasDigitalCredentialsApi', () => {
  it('needs DigitalCredential and navigator.credentials.get, whatever userAgentAllowsProtocol says', () => {
    // Chromium's answers true for any protocol: not part of the test.
    const DigitalCredential = Object.assign(function DigitalCredential() {}, {
      userAgentAllowsProtocol: () => true,
    });
    const get = async () => undefined;
    expect(hasDigitalCredentialsApi({ DigitalCredential, navigator: { credentials: { get } } })).toBe(true);
    expect(hasDigitalCredentialsApi({ navigator: { credentials: { get } } })).toBe(false);
    expect(hasDigitalCredentialsApi({ DigitalCredential, navigator: {} })).toBe(false);
    expect(hasDigitalCredentialsApi({})).toBe(false);
  });
});
