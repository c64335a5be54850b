/**
 * A session of a relying party with a reader key carries two requests (DOMAIN.md §2): Annex C
 * (`org-iso-mdoc`, readerAuthAll) and OpenID4VP 1.0 over the DC API (`openid4vp-v1-signed`, DCQL for
 * `org.iso.23220.1.jp.mnc`, `dc_api.jwt`). The phone answers either; POST /sessions/{id}/response verifies
 * each with its own SessionTranscript (`dcapi` / `OpenID4VPDCAPIHandover`) and writes the record with the
 * channel used. The wallet half here is @mynakit/oid4vp readDigitalCredentialRequest (signature, chain to
 * the reader CA, client id, expected_origins) and the phone's secure area signing the DeviceResponse.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToBase64url } from '@mynakit/cbor';
import { JP_MNC_DOCTYPE, presentMdoc } from '@mynakit/mdoc';
import {
  createAuthorizationResponse,
  type DigitalCredentialRequestEntry,
  readDigitalCredentialRequest,
} from '@mynakit/oid4vp';
import { parseCertificate } from '@mynakit/pki';
import { presentAnnexC } from '@mynakit/wallet';
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
  type OpenedSession,
  openSession,
  RP_ORIGIN,
  statusOf,
  type VerificationAnswer,
} from './helpers/verifier-fixture.js';

const START = new Date('2026-12-02T03:00:00Z');

/** What POST /sessions answers, with the requests. */
type TwoRequestSession = OpenedSession & { requests: DigitalCredentialRequestEntry[] };

describe('OpenID4VP over the DC API as the second request of a session', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let dir: string;
  let store: VerifierStore;
  let app: ReturnType<typeof createVerifierApp>;
  let rp: { id: string; apiKey: string };
  const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-openid4vp-'));
    store = await openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` });
    app = appWith();
    rp = await createRelyingParty(app, env, { name: 'サンドボックス銀行' });
    await certifyReader(app, rp.id);
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await env?.close();
  });

  /** A verifier app on the store (its own status-list cache), with `deps` beside the usual ones. */
  function appWith(deps: Partial<Parameters<typeof createVerifierApp>[0]> = {}) {
    return createVerifierApp({
      store,
      config: {
        origin: 'http://127.0.0.1:8403',
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

  /** Certifies and installs a reader key of the sandbox reader CA for relying party `id`. */
  async function certifyReader(verifier: ReturnType<typeof appWith>, id: string): Promise<void> {
    await certifyReaderKey(verifier, {
      relyingPartyId: id,
      operator: operator,
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - 86_400_000),
      notAfter: new Date(START.getTime() + 90 * 86_400_000),
    });
  }

  const submitCredential = (sessionId: string, body: unknown, verifier = app, apiKey = rp.apiKey) =>
    verifier.request(`/sessions/${sessionId}/response`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The phone answers the OpenID4VP request as the platform would hand it over from `origin`. */
  async function phoneAnswersOpenId4Vp(session: TwoRequestSession, origin = RP_ORIGIN) {
    const entry = session.requests.find((r) => r.protocol === 'openid4vp-v1-signed');
    if (entry === undefined) throw new Error('no openid4vp request');
    const read = await readDigitalCredentialRequest(entry, origin, {
      trustAnchors: [parseCertificate(env.issuer.deps.hierarchy.reader.root.der)],
      now: clock.now,
    });
    if (read.protocol === 'org-iso-mdoc') throw new Error('unexpected protocol');
    const docs = await env.phone.store.documents.list(env.phone.id, JP_MNC_DOCTYPE);
    const doc = docs.find((d) => d.state === 'active');
    if (doc === undefined) throw new Error('no record on the phone');
    const ticket = await env.phone.secureArea.authenticate(doc.deviceKeyAlias, BIOMETRIC);
    const deviceResponse = await presentMdoc({
      documents: [doc.issuerSigned],
      request: [{ docType: JP_MNC_DOCTYPE, elements: session.elements }],
      sessionTranscriptBytes: read.transcript.sessionTranscriptBytes,
      deviceSigner: {
        [JP_MNC_DOCTYPE]: {
          algorithm: 'ES256',
          sign: (tbs: Uint8Array) => env.phone.secureArea.sign(doc.deviceKeyAlias, tbs, 'ES256', ticket),
        },
      },
      mode: 'signature',
    });
    const body = await createAuthorizationResponse(read.request, { mnc: [bytesToBase64url(deviceResponse)] });
    return { read, body };
  }

  it('answers both requests, Annex C first and unchanged in `request`', async () => {
    const session = (await openSession(app, rp.apiKey)) as TwoRequestSession;
    expect(session.requests.map((r) => r.protocol)).toEqual(['org-iso-mdoc', 'openid4vp-v1-signed']);
    expect(session.requests[0]).toEqual(session.request);
    const { read } = await phoneAnswersOpenId4Vp(session);
    expect(read.request.response_mode).toBe('dc_api.jwt');
    expect(read.request.dcql_query.credentials[0]?.meta.doctype_value).toBe(JP_MNC_DOCTYPE);
    expect(read.request.expected_origins).toEqual([RP_ORIGIN]);
    expect(read.verified?.certificate.subject).toContain('サンドボックス銀行');
    expect(read.verified?.clientId).toMatch(/^x509_san_dns:/);
  });

  it('verifies an answer in OpenID4VP (dc_api.jwt) with the OpenID4VPDCAPIHandover transcript', async () => {
    const session = (await openSession(app, rp.apiKey)) as TwoRequestSession;
    const { body } = await phoneAnswersOpenId4Vp(session);
    expect(Object.keys(body)).toEqual(['response']);
    const res = await submitCredential(session.sessionId, { protocol: 'openid4vp-v1-signed', data: body });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as VerificationAnswer;
    expect(answer.verdict).toBe('valid');
    for (const id of [
      'response.decrypt',
      'request.nonce',
      'response.vp_token',
      'device.signature',
      'request.elements',
    ])
      expect(statusOf(answer, id), id).toBe('passed');
    const record = await getRecord(store, answer.recordId);
    expect((record?.content as { channel?: string } | null)?.channel).toBe('dc-api-openid4vp-v1-signed');
    // Single use, whichever protocol answered.
    const again = await submitCredential(session.sessionId, { protocol: 'openid4vp-v1-signed', data: body });
    expect(again.status).toBe(409);
  });

  it("asks the issuer's record inquiry of an OpenID4VP answer when the relying party chooses `always`", async () => {
    const client = await registerInquiryClient(env);
    const asking = appWith({ recordInquiry: recordInquiryOf(env, client) });
    const party = await createRelyingParty(asking, env, {
      name: '照会する銀行',
      revocation: INQUIRY_ALWAYS,
    });
    await certifyReader(asking, party.id);
    const answerOpenId4Vp = async (verifier: ReturnType<typeof appWith>): Promise<VerificationAnswer> => {
      const session = (await openSession(verifier, party.apiKey)) as TwoRequestSession;
      const { body } = await phoneAnswersOpenId4Vp(session);
      const data = { protocol: 'openid4vp-v1-signed', data: body };
      const res = await submitCredential(session.sessionId, data, verifier, party.apiKey);
      expect(res.status).toBe(200);
      return (await res.json()) as VerificationAnswer;
    };

    const answer = await answerOpenId4Vp(asking);
    expect(answer.verdict).toBe('valid');
    expect(statusOf(answer, 'status.revocation')).toBe('passed');
    const record = await getRecord(store, answer.recordId);
    expect((record?.content as { channel?: string } | null)?.channel).toBe('dc-api-openid4vp-v1-signed');
    await expectListThenInquiryValid(store, answer.recordId);

    // The list down and the issuer answering 503: nothing to rely on, rejected under the default policy.
    const unavailable = inquiryAnswering503();
    const down = appWith({
      fetchStatusList: listDown,
      recordInquiry: recordInquiryOf(env, client, unavailable.fetch),
    });
    const refused = await answerOpenId4Vp(down);
    expect(refused.verdict).toBe('invalid');
    expect(statusOf(refused, 'status.revocation')).toBe('undetermined');
    expect(refused.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
    expect(unavailable.asked()).toBe(1);
    await expectBothUndetermined(store, refused.recordId);
  }, 60_000);

  it('still verifies the Annex C answer, alone or as {protocol, data}', async () => {
    const session = (await openSession(app, rp.apiKey)) as TwoRequestSession;
    const presented = await presentAnnexC({
      device: env.phone,
      data: session.request.data,
      origin: RP_ORIGIN,
      readerTrustAnchors: [env.issuer.deps.hierarchy.reader.root.der],
      consent: { [JP_MNC_DOCTYPE]: session.elements },
      userAuthentication: BIOMETRIC,
    });
    const res = await submitCredential(session.sessionId, {
      protocol: 'org-iso-mdoc',
      data: { response: presented.response },
    });
    const answer = (await res.json()) as VerificationAnswer;
    expect(answer.verdict).toBe('valid');
    const record = await getRecord(store, answer.recordId);
    expect((record?.content as { channel?: string } | null)?.channel).toBe('dc-api-org-iso-mdoc');
  });

  it('refuses an OpenID4VP answer made for another page origin, or for another session', async () => {
    // The wallet refuses the request from another origin (expected_origins).
    const session = (await openSession(app, rp.apiKey)) as TwoRequestSession;
    await expect(phoneAnswersOpenId4Vp(session, 'https://elsewhere.example')).rejects.toMatchObject({
      code: 'ORIGIN_MISMATCH',
    });
    // An answer made for one session, submitted to another: its JWE is for another key.
    const other = (await openSession(app, rp.apiKey)) as TwoRequestSession;
    const { body } = await phoneAnswersOpenId4Vp(other);
    const res = await submitCredential(session.sessionId, { protocol: 'openid4vp-v1-signed', data: body });
    const answer = (await res.json()) as VerificationAnswer & { errorCode?: string };
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer, 'response.decrypt')).toBe('failed');
  });

  it('a session without a reader key has only the Annex C request, and refuses an OpenID4VP answer', async () => {
    const plain = await createRelyingParty(app, env, { name: 'Unsigned Bank' });
    const session = (await openSession(app, plain.apiKey)) as TwoRequestSession;
    expect(session.requests.map((r) => r.protocol)).toEqual(['org-iso-mdoc']);
    const res = await app.request(`/sessions/${session.sessionId}/response`, {
      method: 'POST',
      headers: { authorization: `Bearer ${plain.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 'openid4vp-v1-signed', data: { response: 'a.b.c.d.e' } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('VERIFIER_INVALID_INPUT');
  });

  it('a client id the certificate does not name gets no OpenID4VP request (wallets would refuse it)', async () => {
    const read = await app.request(`/relying-parties/${rp.id}`, { headers: operator });
    const { config } = (await read.json()) as { config: Record<string, unknown> };
    const put = (clientId: unknown) =>
      app.request(`/relying-parties/${rp.id}`, {
        method: 'PUT',
        headers: operator,
        body: JSON.stringify({ ...config, clientId }),
      });
    expect((await put('x509_san_dns:renamed.example')).status).toBe(200);
    const session = (await openSession(app, rp.apiKey)) as TwoRequestSession & {
      readerAuthentication: { form: string };
    };
    expect(session.requests.map((r) => r.protocol)).toEqual(['org-iso-mdoc']);
    // The Annex C request is still signed: ISO 18013-5 reader authentication does not name a client id.
    expect(session.readerAuthentication.form).toBe('readerAuthAll');
    expect((await put(config.clientId)).status).toBe(200);
  });
});
