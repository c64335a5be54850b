/**
 * Cross-device OpenID4VP 1.0 (DOMAIN.md §2, the OpenID4VPHandover row): the relying party opens a session
 * for a page without the Digital Credentials API (POST /sessions/cross-device) and shows its wallet URL as a
 * QR code; the phone — the real wallet engine, its fetch going to the verifier app — fetches the request
 * object signed with the relying party's reader key (the sandbox reader CA certified it), verifies it,
 * shows the consent summary, signs the DeviceResponse over the OpenID4VPHandover transcript and posts the
 * JWE to the session's direct-post endpoint; the relying party reads the verdict with GET /sessions/{id}
 * and the report with GET /sessions/{id}/result. A wallet-facing answer never says how the verification
 * went; replays, another session's transcript, expiry, tampering and My Number without a declared basis
 * are refused with stable codes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToBase64url } from '@mynakit/cbor';
import { JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, presentMdoc } from '@mynakit/mdoc';
import {
  createAuthorizationResponse,
  type MyNumberLegalBasis,
  sessionTranscriptForRequest,
  toFormBody,
  verifyRequestObject,
} from '@mynakit/oid4vp';
import { parseCertificate } from '@mynakit/pki';
import {
  OPENID4VP_CROSS_DEVICE_CHANNEL,
  presentOpenId4VpCrossDevice,
  readOpenId4VpCrossDeviceRequest,
  WalletError,
} from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import { getRecord } from '../src/records/record-chains.js';
import { openVerifierStore, type VerifierStore } from '../src/store/index.js';
import {
  BIOMETRIC,
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from './helpers/issuer-and-phone.js';
import { certifyReaderKey } from './helpers/reader-key-party.js';
import {
  expectBothUndetermined,
  expectListThenInquiryValid,
  INQUIRY_ALWAYS,
  inquiryAnswering503,
  listDown,
  recordInquiryOf,
  registerInquiryClient,
} from './helpers/record-inquiry-client.js';
import {
  ADMIN,
  createRelyingParty,
  DECLARED,
  RP_ORIGIN,
  statusOf,
  type VerificationAnswer,
} from './helpers/verifier-fixture.js';

const START = new Date('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
/** The bank's verifier host: its client id `x509_san_dns:` names it, so response_uri may be there. */
const BANK_HOST = 'verifier.bank.example';
/** A securities firm's verifier host (a second deployment on the same store). */
const SHOKEN_HOST = 'verifier.shoken.example';
/** Another relying party's verifier host. */
const OTHER_HOST = 'verifier.other.example';
/** A verifier served under a path of its host (a reverse proxy's `/verifier`). */
const MOUNTED_HOST = 'mounted.bank.example';
/** The verifier host of a relying party that asks the issuer's record inquiry at every verification. */
const INQUIRY_HOST = 'verifier.inquiry.example';

/** What POST /sessions/cross-device answers. */
interface CrossDeviceSession {
  sessionId: string;
  requestUri: string;
  walletUrl: string;
  expiresAt: string;
  elements: Record<string, string[]>;
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

describe('cross-device OpenID4VP sessions (QR code, request_uri, direct_post.jwt)', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let dir: string;
  let store: VerifierStore;
  /** One verifier app per public host, on one store (services are stateless). */
  const apps = new Map<string, ReturnType<typeof createVerifierApp>>();
  let bank: { id: string; apiKey: string };
  let readerRoot: Uint8Array;
  const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  const appOf = (host: string) => apps.get(host) as ReturnType<typeof createVerifierApp>;
  /** The phone's network: every https URL goes to the verifier app of its host. */
  const phoneFetch = (url: string, init?: RequestInit) => {
    const app = apps.get(new URL(url).hostname);
    if (app === undefined) throw new TypeError('no such host');
    return Promise.resolve(app.request(url, init));
  };

  /** A relying party whose reader key the sandbox reader CA certified (with `basis` declared, if given). */
  async function relyingPartyWithReaderKey(
    host: string,
    overrides: Record<string, unknown>,
    basis?: MyNumberLegalBasis,
  ): Promise<{ id: string; apiKey: string }> {
    const app = appOf(host);
    const rp = await createRelyingParty(app, env, { clientId: `x509_san_dns:${host}`, ...overrides });
    await certifyReaderKey(app, {
      relyingPartyId: rp.id,
      operator: operator,
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
      ...(basis === undefined ? {} : { myNumberLegalBasis: basis }),
    });
    return rp;
  }

  /** The verifier app of public host `host` on the store, with `deps` beside the usual ones. */
  function verifierAppFor(host: string, deps: Partial<Parameters<typeof createVerifierApp>[0]> = {}) {
    return createVerifierApp({
      store,
      config: {
        origin: host === MOUNTED_HOST ? `https://${host}/verifier` : `https://${host}`,
        adminToken: ADMIN,
        readerKeyEncryptionKey: new Uint8Array(32).fill(3),
        sessionKeyEncryptionKey: new Uint8Array(32).fill(4),
      },
      clock: clock.read,
      writerId: 'test-writer',
      fetchStatusList: env.fetchFromIssuer,
      ...deps,
    });
  }

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-cross-device-'));
    store = await openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` });
    for (const host of [BANK_HOST, SHOKEN_HOST, OTHER_HOST, MOUNTED_HOST])
      apps.set(host, verifierAppFor(host));
    readerRoot = env.issuer.deps.hierarchy.reader.root.der;
    bank = await relyingPartyWithReaderKey(BANK_HOST, { name: 'サンドボックス銀行' });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await env?.close();
  });

  const rpHeaders = (apiKey: string) => ({
    authorization: `Bearer ${apiKey}`,
    'content-type': 'application/json',
  });

  async function openCrossDevice(
    apiKey: string,
    body: Record<string, unknown> = {},
    host = BANK_HOST,
  ): Promise<CrossDeviceSession> {
    const res = await appOf(host).request('/sessions/cross-device', {
      method: 'POST',
      headers: rpHeaders(apiKey),
      body: JSON.stringify({ purpose: 'account-opening', origin: RP_ORIGIN, ...DECLARED, ...body }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as CrossDeviceSession;
  }

  const result = (apiKey: string, sessionId: string, host = BANK_HOST) =>
    appOf(host).request(`/sessions/${sessionId}/result`, { headers: rpHeaders(apiKey) });

  const postForm = (sessionId: string, form: string, host = BANK_HOST) =>
    appOf(host).request(`https://${host}/sessions/${sessionId}/direct-post`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });

  const history = () => env.phone.store.presentations.list(env.phone.id);
  const base = (session: CrossDeviceSession) => ({
    device: env.phone,
    walletUrl: session.walletUrl,
    fetch: phoneFetch,
    readerTrustAnchors: [readerRoot],
  });

  it('hands out URLs under the path the verifier is served on', async () => {
    const mounted = await relyingPartyWithReaderKey(MOUNTED_HOST, { name: 'パス配下の銀行' });
    const session = await openCrossDevice(mounted.apiKey, {}, MOUNTED_HOST);
    const requestUri = new URL(new URL(session.walletUrl).searchParams.get('request_uri') as string);
    expect(requestUri.origin).toBe(`https://${MOUNTED_HOST}`);
    expect(requestUri.pathname).toBe(`/verifier/sessions/${session.sessionId}/request-object`);
    expect(session.requestUri).toBe(requestUri.href);
    const served = await appOf(MOUNTED_HOST).request(`/sessions/${session.sessionId}/request-object`);
    expect(served.status).toBe(200);
    const claims = JSON.parse(
      Buffer.from((await served.text()).split('.')[1] as string, 'base64url').toString('utf8'),
    ) as { response_uri: string };
    expect(claims.response_uri).toBe(
      `https://${MOUNTED_HOST}/verifier/sessions/${session.sessionId}/direct-post`,
    );
  });

  it('end to end: the phone scans, consents and posts; the relying party reads a valid result', async () => {
    const session = await openCrossDevice(bank.apiKey);
    expect(session.walletUrl.startsWith('openid4vp://?')).toBe(true);
    const invocation = new URL(session.walletUrl);
    expect(invocation.searchParams.get('client_id')).toBe(`x509_san_dns:${BANK_HOST}`);
    expect(invocation.searchParams.get('request_uri')).toBe(session.requestUri);
    expect(session.requestUri).toBe(`https://${BANK_HOST}/sessions/${session.sessionId}/request-object`);
    // Nothing to read before the wallet answers.
    const early = await result(bank.apiKey, session.sessionId);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe('VERIFIER_SESSION_PENDING');

    // The request object: signed, JAR media type, the same bytes at every fetch of the open session.
    const fetched = await phoneFetch(session.requestUri);
    expect(fetched.headers.get('content-type')).toBe('application/oauth-authz-req+jwt');
    const jws = await fetched.text();
    expect(await (await phoneFetch(session.requestUri)).text()).toBe(jws);
    const verified = await verifyRequestObject(jws, {
      trustAnchors: [parseCertificate(readerRoot)],
      now: clock.now,
    });
    expect(verified.request.response_mode).toBe('direct_post.jwt');
    expect(verified.request.response_uri).toBe(
      `https://${BANK_HOST}/sessions/${session.sessionId}/direct-post`,
    );
    expect(verified.request.dcql_query.credentials[0]?.meta.doctype_value).toBe(JP_MNC_DOCTYPE);
    expect(verified.request.client_metadata?.jwks?.keys[0]?.alg).toBe('ECDH-ES');

    const summary = await readOpenId4VpCrossDeviceRequest(base(session));
    expect(summary.clientId).toBe(`x509_san_dns:${BANK_HOST}`);
    expect(summary.reader.subject).toContain('サンドボックス銀行');
    expect(summary.responseMode).toBe('direct_post.jwt');
    expect(summary.documents[0]?.elements.every((e) => e.held)).toBe(true);

    const before = (await history()).length;
    const presented = await presentOpenId4VpCrossDevice({
      ...base(session),
      consent: { [JP_MNC_DOCTYPE]: session.elements },
      userAuthentication: BIOMETRIC,
    });
    expect(presented.answer).toEqual({});
    const lines = await history();
    expect(lines).toHaveLength(before + 1);
    expect(lines.some((l) => l.channel === OPENID4VP_CROSS_DEVICE_CHANNEL)).toBe(true);

    const state = (await (
      await appOf(BANK_HOST).request(`/sessions/${session.sessionId}`, { headers: rpHeaders(bank.apiKey) })
    ).json()) as { state: string; verdict: string; recordId: string };
    expect(state.state).toBe('done');
    expect(state.verdict).toBe('valid');
    const res = await result(bank.apiKey, session.sessionId);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as VerificationAnswer;
    expect(answer.verdict).toBe('valid');
    expect(answer.recordId).toBe(state.recordId);
    for (const id of [
      'response.decrypt',
      'request.nonce',
      'response.vp_token',
      'device.signature',
      'request.elements',
    ])
      expect(statusOf(answer, id), id).toBe('passed');
    expect(answer.method).not.toBeNull();
    expect(answer.elements?.[JP_MNC_NAMESPACE]?.full_name_unicode).toBeTypeOf('string');
    const record = await getRecord(store, answer.recordId);
    expect((record?.content as { channel?: string } | null)?.channel).toBe(
      'cross-device-openid4vp-v1-direct-post-jwt',
    );
    // The disclosed values go to the relying party once; the report stays readable.
    const again = (await (await result(bank.apiKey, session.sessionId)).json()) as VerificationAnswer;
    expect(again.verdict).toBe('valid');
    expect(again.elements).toBeUndefined();
    // Another relying party reads nothing of it.
    const other = await relyingPartyWithReaderKey(OTHER_HOST, { name: '他社' });
    expect((await result(other.apiKey, session.sessionId)).status).toBe(404);
    // The request object is gone with the session's use.
    const gone = await phoneFetch(session.requestUri);
    expect(gone.status).toBe(409);
    expect(((await gone.json()) as { code: string }).code).toBe('VERIFIER_SESSION_USED');
  }, 120_000);

  it("asks the issuer's record inquiry of a direct_post.jwt answer when the relying party chooses `always`", async () => {
    const client = await registerInquiryClient(env);
    apps.set(INQUIRY_HOST, verifierAppFor(INQUIRY_HOST, { recordInquiry: recordInquiryOf(env, client) }));
    const party = await relyingPartyWithReaderKey(INQUIRY_HOST, {
      name: '照会する銀行',
      revocation: INQUIRY_ALWAYS,
    });
    /** The phone answers a new session of the party's host; the party reads the result. */
    const presentAndRead = async (): Promise<VerificationAnswer> => {
      const session = await openCrossDevice(party.apiKey, {}, INQUIRY_HOST);
      await presentOpenId4VpCrossDevice({
        ...base(session),
        consent: { [JP_MNC_DOCTYPE]: session.elements },
        userAuthentication: BIOMETRIC,
      });
      const res = await result(party.apiKey, session.sessionId, INQUIRY_HOST);
      expect(res.status).toBe(200);
      return (await res.json()) as VerificationAnswer;
    };

    const answer = await presentAndRead();
    expect(answer.verdict).toBe('valid');
    expect(statusOf(answer, 'status.revocation')).toBe('passed');
    const record = await getRecord(store, answer.recordId);
    expect((record?.content as { channel?: string } | null)?.channel).toBe(
      'cross-device-openid4vp-v1-direct-post-jwt',
    );
    await expectListThenInquiryValid(store, answer.recordId);

    // The list down and the issuer answering 503: nothing to rely on, rejected under the default policy.
    const unavailable = inquiryAnswering503();
    apps.set(
      INQUIRY_HOST,
      verifierAppFor(INQUIRY_HOST, {
        fetchStatusList: listDown,
        recordInquiry: recordInquiryOf(env, client, unavailable.fetch),
      }),
    );
    const refused = await presentAndRead();
    expect(refused.verdict).toBe('invalid');
    expect(statusOf(refused, 'status.revocation')).toBe('undetermined');
    expect(refused.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
    expect(unavailable.asked()).toBe(1);
    await expectBothUndetermined(store, refused.recordId);
  }, 120_000);

  it('refuses a replayed direct post, and the DC API route takes no cross-device answer', async () => {
    const session = await openCrossDevice(bank.apiKey);
    const posted: string[] = [];
    const recording = async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') posted.push(String(init.body));
      return phoneFetch(url, init);
    };
    await presentOpenId4VpCrossDevice({
      ...base(session),
      fetch: recording,
      consent: { [JP_MNC_DOCTYPE]: session.elements },
      userAuthentication: BIOMETRIC,
    });
    expect(posted).toHaveLength(1);
    const replay = await postForm(session.sessionId, posted[0] as string);
    expect(replay.status).toBe(409);
    const problem = (await replay.json()) as { code: string; detail?: string };
    expect(problem.code).toBe('VERIFIER_SESSION_USED');
    // A wallet-facing problem says nothing of the verification.
    expect(JSON.stringify(problem)).not.toContain('valid');
    // A second presentation: the request object is no longer served.
    expect(
      await codeOf(
        presentOpenId4VpCrossDevice({
          ...base(session),
          consent: { [JP_MNC_DOCTYPE]: session.elements },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_REQUEST_INVALID');
    // The relying party's DC API route does not take a cross-device session's answer.
    const fresh = await openCrossDevice(bank.apiKey);
    const viaDcApi = await appOf(BANK_HOST).request(`/sessions/${fresh.sessionId}/response`, {
      method: 'POST',
      headers: rpHeaders(bank.apiKey),
      body: JSON.stringify({ protocol: 'openid4vp-v1-signed', data: { response: 'a.b.c.d.e' } }),
    });
    expect(viaDcApi.status).toBe(400);
    // A form without a JWE is refused before anything is claimed.
    const malformed = await postForm(fresh.sessionId, 'response=not-a-jwe');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('VERIFIER_INVALID_INPUT');
  }, 120_000);

  it('refuses an answer made over another session’s transcript (its nonce)', async () => {
    const a = await openCrossDevice(bank.apiKey);
    const b = await openCrossDevice(bank.apiKey);
    const read = async (s: CrossDeviceSession) =>
      verifyRequestObject(await (await phoneFetch(s.requestUri)).text(), {
        trustAnchors: [parseCertificate(readerRoot)],
        now: clock.now,
      });
    const requestA = (await read(a)).request;
    const requestB = (await read(b)).request;
    expect(requestA.nonce).not.toBe(requestB.nonce);
    // A DeviceResponse signed over B's OpenID4VPHandover, encrypted to A's key and posted to A.
    const doc = (await env.phone.store.documents.list(env.phone.id, JP_MNC_DOCTYPE)).find(
      (d) => d.state === 'active',
    );
    if (doc === undefined) throw new Error('no record on the phone');
    const ticket = await env.phone.secureArea.authenticate(doc.deviceKeyAlias, BIOMETRIC);
    const deviceResponse = await presentMdoc({
      documents: [doc.issuerSigned],
      request: [{ docType: JP_MNC_DOCTYPE, elements: a.elements }],
      sessionTranscriptBytes: (await sessionTranscriptForRequest(requestB)).sessionTranscriptBytes,
      deviceSigner: {
        [JP_MNC_DOCTYPE]: {
          algorithm: 'ES256',
          sign: (tbs: Uint8Array) => env.phone.secureArea.sign(doc.deviceKeyAlias, tbs, 'ES256', ticket),
        },
      },
      mode: 'signature',
    });
    const body = await createAuthorizationResponse(requestA, { mnc: [bytesToBase64url(deviceResponse)] });
    const posted = await postForm(a.sessionId, toFormBody(body));
    // Taken (the wallet learns nothing more) …
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({});
    // … and the relying party reads why it is invalid.
    const answer = (await (await result(bank.apiKey, a.sessionId)).json()) as VerificationAnswer;
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer, 'response.decrypt')).toBe('passed');
    expect(statusOf(answer, 'device.signature')).toBe('failed');
    expect(answer.elements).toBeUndefined();
  }, 120_000);

  it('an expired session serves no request object and takes no answer', async () => {
    const session = await openCrossDevice(bank.apiKey);
    clock.advance(301_000);
    try {
      const fetched = await phoneFetch(session.requestUri);
      expect(fetched.status).toBe(410);
      expect(((await fetched.json()) as { code: string }).code).toBe('VERIFIER_SESSION_EXPIRED');
      expect(await codeOf(readOpenId4VpCrossDeviceRequest(base(session)))).toBe('WALLET_REQUEST_INVALID');
      const posted = await postForm(session.sessionId, 'response=a.b.c.d.e');
      expect(posted.status).toBe(410);
      expect(((await posted.json()) as { code: string }).code).toBe('VERIFIER_SESSION_EXPIRED');
      const read = await result(bank.apiKey, session.sessionId);
      expect(read.status).toBe(410);
      expect(((await read.json()) as { code: string }).code).toBe('VERIFIER_SESSION_EXPIRED');
    } finally {
      clock.advance(-301_000);
    }
  }, 60_000);

  it('the wallet refuses a tampered request object, another client id, and a response URI elsewhere', async () => {
    const session = await openCrossDevice(bank.apiKey);
    const before = (await history()).length;
    const jws = await (await phoneFetch(session.requestUri)).text();
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const serve = (text: string) => async () =>
      new Response(text, { headers: { 'content-type': 'application/oauth-authz-req+jwt' } });
    // The response URI moved to another host, the signature kept: the signature no longer verifies.
    const moved = Buffer.from(
      JSON.stringify({ ...claims, response_uri: 'https://attacker.example/collect' }),
    ).toString('base64url');
    expect(
      await codeOf(
        readOpenId4VpCrossDeviceRequest({
          ...base(session),
          fetch: serve(`${header}.${moved}.${signature}`),
        }),
      ),
    ).toBe('WALLET_READER_AUTH_INVALID');
    // A QR code naming another client id than the request object's.
    const url = new URL(session.walletUrl);
    url.searchParams.set('client_id', 'x509_san_dns:other.example');
    expect(await codeOf(readOpenId4VpCrossDeviceRequest({ ...base(session), walletUrl: url.href }))).toBe(
      'WALLET_READER_AUTH_INVALID',
    );
    // A request_uri that is not http(s), and one answering something else than a request object.
    const file = new URL(session.walletUrl);
    file.searchParams.set('request_uri', 'file:///etc/passwd');
    expect(await codeOf(readOpenId4VpCrossDeviceRequest({ ...base(session), walletUrl: file.href }))).toBe(
      'WALLET_REQUEST_INVALID',
    );
    expect(
      await codeOf(
        readOpenId4VpCrossDeviceRequest({
          ...base(session),
          fetch: async () =>
            new Response('x'.repeat(300 * 1024), {
              headers: { 'content-type': 'application/oauth-authz-req+jwt' },
            }),
        }),
      ),
    ).toBe('WALLET_REQUEST_INVALID');
    // An untrusted reader root.
    expect(
      await codeOf(readOpenId4VpCrossDeviceRequest({ ...base(session), readerTrustAnchors: env.iacas })),
    ).toBe('WALLET_READER_AUTH_INVALID');
    expect(await history()).toHaveLength(before);
    // The untouched request still reads.
    expect((await readOpenId4VpCrossDeviceRequest(base(session))).reader.authentication).toBe('verified');
  }, 60_000);

  it('withholds My Number without a declared basis; the verifier makes no request it cannot answer for', async () => {
    const asked = { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] };
    // The relying party says it has a basis, but its reader certificate declares none.
    const rp = await relyingPartyWithReaderKey(SHOKEN_HOST, {
      name: '申告だけの証券',
      myNumberLegalBasis: '番号法第19条第8号',
    });
    const session = await openCrossDevice(rp.apiKey, { elements: asked }, SHOKEN_HOST);
    const summary = await readOpenId4VpCrossDeviceRequest(base(session));
    const myNumber = summary.documents[0]?.elements.find((e) => e.identifier === 'individual_number_unicode');
    expect(myNumber?.held).toBe(true);
    expect(myNumber?.withheld).toBe('my-number-without-basis');
    const before = (await history()).length;
    expect(
      await codeOf(
        presentOpenId4VpCrossDevice({
          ...base(session),
          consent: { [JP_MNC_DOCTYPE]: asked },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_MY_NUMBER_WITHHELD');
    expect(await history()).toHaveLength(before);
    // Asked of a relying party with no basis configured at all, the verifier refuses to ask.
    const refused = await appOf(BANK_HOST).request('/sessions/cross-device', {
      method: 'POST',
      headers: rpHeaders(bank.apiKey),
      body: JSON.stringify({ purpose: 'account-opening', origin: RP_ORIGIN, elements: asked }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
    // The bank's client id names another host than the securities firm's verifier: no request is made.
    const elsewhere = await appOf(SHOKEN_HOST).request('/sessions/cross-device', {
      method: 'POST',
      headers: rpHeaders(bank.apiKey),
      body: JSON.stringify({ purpose: 'account-opening', origin: RP_ORIGIN, ...DECLARED }),
    });
    expect(elsewhere.status).toBe(409);
    expect(((await elsewhere.json()) as { code: string }).code).toBe('VERIFIER_CROSS_DEVICE_UNAVAILABLE');
  }, 120_000);
});
