/**
 * The phone answers unsigned OpenID4VP 1.0 requests over the Digital Credentials API
 * (`openid4vp-v1-unsigned`, Appendix A.3.1; DOMAIN.md §2): request parameters without client_id built with
 * @mynakit/oid4vp's verifier half, a phone holding a record the real issuer installed, and the answer
 * verified by @mynakit/oid4vp and by @mynakit/mdoc verifyDeviceResponse over the OpenID4VPDCAPIHandover
 * transcript of the page's origin. The requester is known only by that origin; My Number is withheld (no
 * certificate, no declared legal basis); a protocol the phone does not answer is refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { base64urlToBytes } from '@mynakit/cbor';
import {
  buildOpenId4VpDcApiSessionTranscript,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  MY_NUMBER_ELEMENT,
  verifyDeviceResponse,
} from '@mynakit/mdoc';
import {
  buildAuthorizationRequest,
  buildDigitalCredentialRequest,
  type DcqlQuery,
  InMemoryNonceStore,
  verifyDigitalCredentialResponse,
} from '@mynakit/oid4vp';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installCredentials,
  OPENID4VP_DC_API_UNSIGNED_CHANNEL,
  presentOpenId4VpDcApi,
  readOpenId4VpDcApiRequest,
  type WalletDevice,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';

const BIOMETRIC = { method: 'biometric', matched: true } as const;
const ORIGIN = 'https://shop.example';
const ELEMENTS = ['full_name_unicode', 'resident_address_unicode'];

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

function dcqlFor(elements: readonly string[]): DcqlQuery {
  return {
    credentials: [
      {
        id: 'mnc',
        format: 'mso_mdoc',
        meta: { doctype_value: JP_MNC_DOCTYPE },
        claims: elements.map((e) => ({ path: [JP_MNC_NAMESPACE, e] as [string, string] })),
      },
    ],
  };
}

/** What a page sends: the unsigned entry of a DC API request, and what the verifier keeps of it. */
async function unsignedRequest(
  mode: 'dc_api' | 'dc_api.jwt',
  nonce: string,
  elements: readonly string[] = ELEMENTS,
) {
  const encryption = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const encPublic = { ...(await exportJWK(encryption.publicKey)), kid: 'enc-1' };
  const request = buildAuthorizationRequest({
    responseMode: mode,
    nonce,
    dcqlQuery: dcqlFor(elements),
    clientName: 'Shop that signs nothing',
    ...(mode === 'dc_api.jwt' ? { encryptionKeys: [encPublic] } : {}),
  });
  const digital = buildDigitalCredentialRequest({ openid4vp: { request } });
  const entry = digital.requests[0];
  if (entry === undefined) throw new Error('no entry');
  return {
    entry,
    request,
    encPublic,
    encryptionPrivateKey: { ...(await exportJWK(encryption.privateKey)), kid: 'enc-1' },
  };
}

describe('presenting to an unsigned OpenID4VP request over the DC API', () => {
  let env: IssuerEnvironment;
  let phone: WalletDevice;
  let iacas: Uint8Array[];
  let nonces: InMemoryNonceStore;
  const now = () => phone.clock();

  beforeAll(async () => {
    env = await issuerEnvironment();
    phone = await env.phone('iphone-unsigned-openid4vp', 'iphone');
    const residentId = 'sandbox-ordinary-female';
    await installCredentials({
      device: phone,
      issuer: env.client,
      card: await env.card(residentId),
      cardPins: await cardPinsOf(env, residentId),
      liveness: { confirmed: true },
      newAuthPin: ['2468', '2468'],
      newSignaturePassword: ['PHONE2026', 'PHONE2026'],
      biometric: BIOMETRIC,
      trustAnchors: env.trustAnchors,
    });
    iacas = env.issuer.deps.hierarchy.mnc.iacas.map((c) => c.der);
    nonces = new InMemoryNonceStore();
  }, 180_000);
  afterAll(async () => {
    await env?.close();
  });

  const history = () => phone.store.presentations.list(phone.id);

  it.each(['dc_api', 'dc_api.jwt'] as const)(
    'answers %s; the page’s origin names the requester and the answer verifies',
    async (mode) => {
      const nonce = `unsigned-${mode}`;
      await nonces.issue({ nonce, purpose: 'openid4vp', now: now(), ttlSeconds: 300 });
      const { entry, request, encryptionPrivateKey } = await unsignedRequest(mode, nonce);
      expect(entry.protocol).toBe('openid4vp-v1-unsigned');
      expect(entry.data).not.toHaveProperty('client_id');
      const base = { device: phone, protocol: entry.protocol, data: entry.data, origin: ORIGIN };

      const summary = await readOpenId4VpDcApiRequest(base);
      expect(summary.protocol).toBe('openid4vp-v1-unsigned');
      expect(summary.origin).toBe(ORIGIN);
      expect(summary.readerAuthentication).toBe('none');
      // Known only by its origin: no verified subject, no client id, not the name the request gives itself.
      expect(summary.reader).toEqual({ authentication: 'none' });
      expect(summary.clientId).toBeUndefined();
      expect(JSON.stringify(summary)).not.toContain('Shop that signs nothing');
      expect(summary.responseMode).toBe(mode);
      expect(summary.documents.map((d) => `${d.credentialQueryId}:${d.docType}:${d.available}`)).toEqual([
        `mnc:${JP_MNC_DOCTYPE}:true`,
      ]);
      expect(summary.documents[0]?.elements.map((e) => `${e.identifier}:${e.held}`)).toEqual(
        ELEMENTS.map((e) => `${e}:true`),
      );

      const before = (await history()).length;
      const presented = await presentOpenId4VpDcApi({
        ...base,
        consent: { [JP_MNC_DOCTYPE]: { [JP_MNC_NAMESPACE]: ELEMENTS } },
        userAuthentication: BIOMETRIC,
      });
      expect(presented.protocol).toBe('openid4vp-v1-unsigned');
      expect(presented.disclosed[JP_MNC_DOCTYPE]?.map(([, id]) => id)).toEqual(ELEMENTS);

      // @mynakit/oid4vp, as the page's verifier: the transcript rebuilt from what it sent and its own origin.
      const verification = await verifyDigitalCredentialResponse(
        { protocol: presented.protocol, data: presented.data },
        { openid4vp: { request, origin: ORIGIN, encryptionPrivateKey } },
        { mdoc: { trustAnchors: iacas, now: now() }, nonceStore: nonces },
      );
      expect(verification.checks.filter((c) => c.status === 'failed')).toEqual([]);
      expect(verification.checks.find((c) => c.id === 'device.signature')?.status).toBe('passed');
      if (mode === 'dc_api.jwt') {
        expect(Object.keys(presented.data)).toEqual(['response']);
        expect(verification.checks.find((c) => c.id === 'response.decrypt')?.status).toBe('passed');
      }

      // @mynakit/mdoc directly, over the OpenID4VPDCAPIHandover transcript of that origin (dc_api: in clear).
      if (mode === 'dc_api') {
        const deviceResponse = base64urlToBytes(presented.data.vp_token?.mnc?.[0] as string);
        const transcriptOf = (origin: string) =>
          buildOpenId4VpDcApiSessionTranscript({ origin, nonce, jwkThumbprint: null }).sessionTranscriptBytes;
        const mdoc = await verifyDeviceResponse(deviceResponse, {
          trustAnchors: iacas,
          now: now(),
          sessionTranscriptBytes: transcriptOf(ORIGIN),
          docType: JP_MNC_DOCTYPE,
        });
        expect(mdoc.checks.filter((c) => c.status === 'failed')).toEqual([]);
        expect(mdoc.checks.find((c) => c.id === 'device.signature')?.status).toBe('passed');
        // Bound to the origin: another page's transcript does not verify the same answer.
        const elsewhere = await verifyDeviceResponse(deviceResponse, {
          trustAnchors: iacas,
          now: now(),
          sessionTranscriptBytes: transcriptOf('https://other.example'),
          docType: JP_MNC_DOCTYPE,
        });
        expect(elsewhere.checks.find((c) => c.id === 'device.signature')?.status).toBe('failed');
      }

      // One history line, naming the origin on the unsigned channel.
      const lines = await history();
      expect(lines).toHaveLength(before + 1);
      expect(lines[0]?.relyingParty).toBe(ORIGIN);
      expect(lines[0]?.channel).toBe(OPENID4VP_DC_API_UNSIGNED_CHANNEL);
    },
    60_000,
  );

  it('withholds My Number: no certificate, no declared legal basis', async () => {
    const { entry } = await unsignedRequest('dc_api', 'unsigned-my-number', [
      'full_name_unicode',
      MY_NUMBER_ELEMENT,
    ]);
    const base = { device: phone, protocol: entry.protocol, data: entry.data, origin: ORIGIN };
    const summary = await readOpenId4VpDcApiRequest(base);
    const myNumber = summary.documents[0]?.elements.find((e) => e.identifier === MY_NUMBER_ELEMENT);
    expect(myNumber?.withheld).toBe('my-number-without-basis');
    const before = (await history()).length;
    expect(
      await codeOf(
        presentOpenId4VpDcApi({
          ...base,
          consent: {
            [JP_MNC_DOCTYPE]: { [JP_MNC_NAMESPACE]: ['full_name_unicode', MY_NUMBER_ELEMENT] },
          },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_MY_NUMBER_WITHHELD');
    expect(await history()).toHaveLength(before);
  }, 60_000);

  it('refuses a protocol it does not answer, a client_id in an unsigned request, and a mode that answers elsewhere', async () => {
    const { entry } = await unsignedRequest('dc_api', 'unsigned-refusals');
    const base = { device: phone, data: entry.data, origin: ORIGIN };
    expect(await codeOf(readOpenId4VpDcApiRequest({ ...base, protocol: 'openid4vp-v2-unsigned' }))).toBe(
      'WALLET_PROTOCOL_UNSUPPORTED',
    );
    expect(await codeOf(readOpenId4VpDcApiRequest({ ...base, protocol: 'org-iso-mdoc' }))).toBe(
      'WALLET_PROTOCOL_UNSUPPORTED',
    );
    const unsigned = { ...base, protocol: 'openid4vp-v1-unsigned' };
    // Appendix A.2: client_id "MUST be omitted in unsigned requests" — a claimed name is no verified one.
    expect(
      await codeOf(
        readOpenId4VpDcApiRequest({
          ...unsigned,
          data: { ...entry.data, client_id: 'x509_san_dns:bank.example' },
        }),
      ),
    ).toBe('WALLET_REQUEST_INVALID');
    expect(
      await codeOf(
        readOpenId4VpDcApiRequest({
          ...unsigned,
          data: { ...entry.data, response_mode: 'direct_post', response_uri: 'https://shop.example/cb' },
        }),
      ),
    ).toBe('WALLET_REQUEST_INVALID');
    expect(await codeOf(readOpenId4VpDcApiRequest({ ...unsigned, data: 'not an object' }))).toBe(
      'WALLET_REQUEST_INVALID',
    );
    // expected_origins does not apply to an unsigned request (Appendix A.2): the transcript binds the origin.
    const summary = await readOpenId4VpDcApiRequest({
      ...unsigned,
      data: { ...entry.data, expected_origins: ['https://elsewhere.example'] },
    });
    expect(summary.origin).toBe(ORIGIN);
  }, 60_000);
});
