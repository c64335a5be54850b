/**
 * The phone answers OpenID4VP 1.0 over the Digital Credentials API (`openid4vp-v1-signed`, DOMAIN.md §2)
 * against the real verifier's session flow: a relying party whose reader key the sandbox reader CA
 * certified opens a session (POST /sessions), the phone reads the second request — the signed request
 * object — and answers with the DeviceResponse over the OpenID4VPDCAPIHandover transcript encrypted to the
 * session's key (`dc_api.jwt`), which POST /sessions/{id}/response verifies. Refusals change nothing: no
 * history line, and the session still takes a proper answer.
 */

import { generateKeyPairSync } from 'node:crypto';
import { JP_MNC_DOCTYPE, JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import {
  type BuildAuthorizationRequestInput,
  buildAuthorizationRequest,
  createReaderAuthCertificate,
  type MyNumberLegalBasis,
  signRequestObject,
} from '@mynakit/oid4vp';
import { createCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The verifier's own app and test helpers: the session flow is the verifier's, not a stand-in for it.
import { createVerifierApp } from '../../verifier/src/app.js';
import { openVerifierStore, type VerifierStore } from '../../verifier/src/store/index.js';
import {
  BIOMETRIC,
  ISSUER_ORIGIN,
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from '../../verifier/test/helpers/issuer-and-phone.js';
import { certifyReaderKey } from '../../verifier/test/helpers/reader-key-party.js';
import {
  ADMIN,
  createRelyingParty,
  type OpenedSession,
  openSession,
  RP_ORIGIN,
  statusOf,
  type VerificationAnswer,
} from '../../verifier/test/helpers/verifier-fixture.js';
import {
  IssuerClient,
  OPENID4VP_DC_API_CHANNEL,
  presentOpenId4VpDcApi,
  readOpenId4VpDcApiRequest,
  syncNotices,
  WalletError,
} from '../src/index.js';
import { tempDir } from './helpers/wallet-fixtures.js';

const START = new Date('2026-12-02T03:00:00Z');
const DAY = 86_400_000;

/** What POST /sessions answers, with every request of the session. */
type TwoRequestSession = OpenedSession & {
  requests: { protocol: string; data: Record<string, unknown> }[];
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

/** The `openid4vp-v1-signed` request's data of a session. */
function openId4VpData(session: TwoRequestSession): { request: string } {
  const entry = session.requests.find((r) => r.protocol === 'openid4vp-v1-signed');
  if (entry === undefined || typeof entry.data.request !== 'string') throw new Error('no openid4vp request');
  return { request: entry.data.request };
}

describe('presenting over OpenID4VP 1.0 and the DC API to the verifier', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let dir: ReturnType<typeof tempDir>;
  let app: ReturnType<typeof createVerifierApp>;
  let bank: { id: string; apiKey: string };
  let readerRoot: Uint8Array;
  const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  /** A relying party with a reader key the sandbox reader CA certified (with `basis` declared, if given). */
  async function relyingPartyWithReaderKey(
    overrides: Record<string, unknown>,
    basis?: MyNumberLegalBasis,
  ): Promise<{ id: string; apiKey: string }> {
    const rp = await createRelyingParty(app, env, overrides);
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

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    dir = tempDir('mynakit-wallet-openid4vp-');
    store = await openVerifierStore({ url: `sqlite:${dir.path}/verifier.sqlite` });
    app = createVerifierApp({
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
    });
    readerRoot = env.issuer.deps.hierarchy.reader.root.der;
    bank = await relyingPartyWithReaderKey({ name: 'サンドボックス銀行' });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    dir?.remove();
    await env?.close();
  });

  const submit = (apiKey: string, sessionId: string, body: unknown) =>
    app.request(`/sessions/${sessionId}/response`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const history = () => env.phone.store.presentations.list(env.phone.id);

  it('shows who asks and what, and the answer verifies valid at the verifier', async () => {
    const session = (await openSession(app, bank.apiKey)) as TwoRequestSession;
    const data = openId4VpData(session);
    const base = { device: env.phone, data, origin: RP_ORIGIN, readerTrustAnchors: [readerRoot] };
    const summary = await readOpenId4VpDcApiRequest(base);
    expect(summary.reader.authentication).toBe('verified');
    expect(summary.reader.subject).toContain('サンドボックス銀行');
    expect(summary.reader.myNumberLegalBasis).toBeUndefined();
    expect(summary.clientId).toMatch(/^x509_san_dns:/);
    expect(summary.responseMode).toBe('dc_api.jwt');
    expect(summary.documents).toHaveLength(1);
    const [doc] = summary.documents;
    expect(doc?.credentialQueryId).toBe('mnc');
    expect(doc?.docType).toBe(JP_MNC_DOCTYPE);
    expect(doc?.available).toBe(true);
    expect(doc?.elements.map((e) => `${e.namespace}/${e.identifier}:${e.held}:${e.intentToRetain}`)).toEqual(
      (session.elements[JP_MNC_NAMESPACE] ?? []).map((id) => `${JP_MNC_NAMESPACE}/${id}:true:true`),
    );

    const before = (await history()).length;
    const presented = await presentOpenId4VpDcApi({
      ...base,
      consent: { [JP_MNC_DOCTYPE]: session.elements },
      userAuthentication: BIOMETRIC,
    });
    expect(presented.protocol).toBe('openid4vp-v1-signed');
    expect(Object.keys(presented.data)).toEqual(['response']);
    expect(presented.data.response?.split('.')).toHaveLength(5);
    expect(presented.disclosed[JP_MNC_DOCTYPE]?.map(([, id]) => id)).toEqual(
      session.elements[JP_MNC_NAMESPACE],
    );

    const res = await submit(bank.apiKey, session.sessionId, {
      protocol: presented.protocol,
      data: presented.data,
    });
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

    const lines = await history();
    expect(lines).toHaveLength(before + 1);
    expect(lines[0]?.channel).toBe(OPENID4VP_DC_API_CHANNEL);
    expect(lines[0]?.relyingParty).toBe(RP_ORIGIN);
    expect(lines[0]?.elements.map(([, id]) => id)).toEqual(session.elements[JP_MNC_NAMESPACE]);
    expect(JSON.stringify(lines)).not.toContain('花子');
  }, 60_000);

  it('refuses a page the request does not name, and that changes nothing', async () => {
    const session = (await openSession(app, bank.apiKey)) as TwoRequestSession;
    const data = openId4VpData(session);
    const consent = { [JP_MNC_DOCTYPE]: session.elements };
    const before = (await history()).length;
    const elsewhere = {
      device: env.phone,
      data,
      origin: 'https://elsewhere.example',
      readerTrustAnchors: [readerRoot],
    };
    expect(await codeOf(readOpenId4VpDcApiRequest(elsewhere))).toBe('WALLET_ORIGIN_MISMATCH');
    expect(
      await codeOf(presentOpenId4VpDcApi({ ...elsewhere, consent, userAuthentication: BIOMETRIC })),
    ).toBe('WALLET_ORIGIN_MISMATCH');
    // Nor does a failed biometric leave a trace.
    expect(
      await codeOf(
        presentOpenId4VpDcApi({
          device: env.phone,
          data,
          origin: RP_ORIGIN,
          readerTrustAnchors: [readerRoot],
          consent,
          userAuthentication: { method: 'biometric', matched: false },
        }),
      ),
    ).toBe('WALLET_BIOMETRIC_FAILED');
    expect(await history()).toHaveLength(before);
    // The session is untouched: the proper page's answer still verifies.
    const presented = await presentOpenId4VpDcApi({
      device: env.phone,
      data,
      origin: RP_ORIGIN,
      readerTrustAnchors: [readerRoot],
      consent,
      userAuthentication: BIOMETRIC,
    });
    const res = await submit(bank.apiKey, session.sessionId, {
      protocol: presented.protocol,
      data: presented.data,
    });
    expect(((await res.json()) as VerificationAnswer).verdict).toBe('valid');
  }, 60_000);

  it('refuses a request object whose signature does not verify, or whose reader root the phone does not trust', async () => {
    const session = (await openSession(app, bank.apiKey)) as TwoRequestSession;
    const { request } = openId4VpData(session);
    const [header, payload, signature] = request.split('.') as [string, string, string];
    const read = (data: unknown, anchors: Uint8Array[] = [readerRoot]) =>
      readOpenId4VpDcApiRequest({ device: env.phone, data, origin: RP_ORIGIN, readerTrustAnchors: anchors });
    // The claims changed after signing: another page added to expected_origins.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const widened = Buffer.from(
      JSON.stringify({ ...claims, expected_origins: [RP_ORIGIN, 'https://evil.example'] }),
    ).toString('base64url');
    expect(await codeOf(read({ request: `${header}.${widened}.${signature}` }))).toBe(
      'WALLET_READER_AUTH_INVALID',
    );
    // A signature byte flipped.
    const sig = Buffer.from(signature, 'base64url');
    sig[10] = (sig[10] ?? 0) ^ 0x01;
    expect(await codeOf(read({ request: `${header}.${payload}.${sig.toString('base64url')}` }))).toBe(
      'WALLET_READER_AUTH_INVALID',
    );
    // The phone trusts another reader root (the record's IACA), or none.
    expect(await codeOf(read({ request }, [...env.iacas]))).toBe('WALLET_READER_AUTH_INVALID');
    expect(await codeOf(read({ request }, []))).toBe('WALLET_READER_AUTH_INVALID');
    // Not a request object at all.
    expect(await codeOf(read({ request: 'not-a-jws' }))).toBe('WALLET_REQUEST_INVALID');
    expect(await codeOf(read('nope'))).toBe('WALLET_REQUEST_INVALID');
    // An expired request object (the session's lifetime is its `exp`).
    clock.advance(10 * 60_000);
    try {
      expect(await codeOf(read({ request }))).toBe('WALLET_REQUEST_INVALID');
    } finally {
      clock.advance(-10 * 60_000);
    }
    expect((await read({ request })).reader.authentication).toBe('verified');
  }, 60_000);

  it('withholds My Number unless the verified certificate declares a legal basis', async () => {
    const asked = { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] };
    // The relying party says it has a basis, but its reader certificate declares none.
    const claims = await relyingPartyWithReaderKey({
      name: '申告だけの証券',
      myNumberLegalBasis: '番号法第19条第8号',
    });
    const session = (await openSession(app, claims.apiKey, { elements: asked })) as TwoRequestSession;
    const base = {
      device: env.phone,
      data: openId4VpData(session),
      origin: RP_ORIGIN,
      readerTrustAnchors: [readerRoot],
    };
    const summary = await readOpenId4VpDcApiRequest(base);
    const myNumber = summary.documents[0]?.elements.find((e) => e.identifier === 'individual_number_unicode');
    expect(myNumber?.held).toBe(true);
    expect(myNumber?.withheld).toBe('my-number-without-basis');
    const before = (await history()).length;
    expect(
      await codeOf(
        presentOpenId4VpDcApi({
          ...base,
          consent: { [JP_MNC_DOCTYPE]: asked },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_MY_NUMBER_WITHHELD');
    expect(await history()).toHaveLength(before);

    // A certificate that declares the basis gets the number, and the verifier takes it.
    const declared = await relyingPartyWithReaderKey(
      { name: 'サンドボックス証券', myNumberLegalBasis: '番号法第19条第8号' },
      { provision: '番号法第19条', basisCode: '第8号' },
    );
    const lawful = (await openSession(app, declared.apiKey, { elements: asked })) as TwoRequestSession;
    const lawfulBase = { ...base, data: openId4VpData(lawful) };
    const read = await readOpenId4VpDcApiRequest(lawfulBase);
    expect(read.reader.myNumberLegalBasis).toEqual({ provision: '番号法第19条', basisCode: '第8号' });
    expect(read.documents[0]?.elements.every((e) => e.withheld === undefined)).toBe(true);
    const presented = await presentOpenId4VpDcApi({
      ...lawfulBase,
      consent: { [JP_MNC_DOCTYPE]: asked },
      userAuthentication: BIOMETRIC,
    });
    const res = await submit(declared.apiKey, lawful.sessionId, {
      protocol: presented.protocol,
      data: presented.data,
    });
    expect(((await res.json()) as VerificationAnswer).verdict).toBe('valid');
  }, 120_000);

  it('no longer offers a record the phone heard was invalidated', async () => {
    const session = (await openSession(app, bank.apiKey)) as TwoRequestSession;
    const base = {
      device: env.phone,
      data: openId4VpData(session),
      origin: RP_ORIGIN,
      readerTrustAnchors: [readerRoot],
    };
    await env.issuer.deps.store.lifeEvents.record(
      {
        residentId: env.residentId,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目' },
      },
      clock.now.getTime(),
    );
    // Before the phone hears it, it still offers the record (an offline phone) …
    expect((await readOpenId4VpDcApiRequest(base)).documents[0]?.available).toBe(true);
    // … and after, it no longer does.
    const issuer = new IssuerClient({ baseUrl: ISSUER_ORIGIN, fetch: (r) => env.issuer.app.fetch(r) });
    await syncNotices({ device: env.phone, issuer, userAuthentication: BIOMETRIC });
    const summary = await readOpenId4VpDcApiRequest(base);
    expect(summary.documents[0]?.available).toBe(false);
    expect(summary.documents[0]?.elements.some((e) => e.held)).toBe(false);
    const before = (await history()).length;
    expect(
      await codeOf(
        presentOpenId4VpDcApi({
          ...base,
          consent: { [JP_MNC_DOCTYPE]: session.elements },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_NOT_FOUND');
    expect(await history()).toHaveLength(before);
  }, 60_000);

  it('refuses a client id its certificate does not name, a mode that answers elsewhere, one docType asked twice', async () => {
    // A reader root of the test's own, so the request objects can be made as a careless verifier would.
    const rootKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rootDer = createCertificate({
      subject: 'C=JP, O=Test readers, CN=Test reader root',
      publicKey: rootKeys.publicKey,
      privateKey: rootKeys.privateKey,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 365 * DAY),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    });
    const readerKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const readerDer = createReaderAuthCertificate({
      subject: 'C=JP, O=Example Shop, CN=shop.example',
      publicKey: readerKeys.publicKey,
      issuer: { certificate: rootDer, privateKey: rootKeys.privateKey },
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 30 * DAY),
      dnsNames: ['shop.example'],
    });
    const encryption = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const mnc = (id: string) => ({
      id,
      format: 'mso_mdoc' as const,
      meta: { doctype_value: JP_MNC_DOCTYPE },
      claims: [{ path: [JP_MNC_NAMESPACE, 'full_name_unicode'] as const }],
    });
    const signed = async (overrides: Partial<BuildAuthorizationRequestInput>) => ({
      request: await signRequestObject({
        request: buildAuthorizationRequest({
          responseMode: 'dc_api.jwt',
          nonce: 'n-0123456789abcdef',
          dcqlQuery: { credentials: [mnc('mnc')] },
          clientId: 'x509_san_dns:shop.example',
          expectedOrigins: [RP_ORIGIN],
          encryptionKeys: [encryption.publicKey.export({ format: 'jwk' })],
          ...overrides,
        }),
        privateKey: readerKeys.privateKey,
        certificateChain: [readerDer],
        now: clock.now,
      }),
    });
    const read = async (overrides: Partial<BuildAuthorizationRequestInput>) =>
      readOpenId4VpDcApiRequest({
        device: env.phone,
        data: await signed(overrides),
        origin: RP_ORIGIN,
        readerTrustAnchors: [rootDer],
      });
    // The control: as made, the request is read and names its requester.
    expect((await read({})).reader.subject).toContain('Example Shop');
    expect(await codeOf(read({ clientId: 'x509_san_dns:bank.example' }))).toBe('WALLET_READER_AUTH_INVALID');
    expect(
      await codeOf(read({ responseMode: 'direct_post', responseUri: 'https://shop.example/response' })),
    ).toBe('WALLET_REQUEST_INVALID');
    expect(await codeOf(read({ dcqlQuery: { credentials: [mnc('a'), mnc('b')] } }))).toBe(
      'WALLET_REQUEST_INVALID',
    );
  }, 60_000);
});
