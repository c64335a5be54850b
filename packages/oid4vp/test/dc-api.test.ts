import { buildDcapiSessionTranscript, buildOpenId4VpDcApiSessionTranscript } from '@mynakit/mdoc';
import { exportJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAnnexCRequest } from '../src/annex-c/annex-c-request.js';
import { createAnnexCPresentation } from '../src/annex-c/create-annex-c-presentation.js';
import { annexCNonceKey } from '../src/annex-c/verify-annex-c-response.js';
import {
  buildDigitalCredentialRequest,
  readDigitalCredentialRequest,
  verifyDigitalCredentialResponse,
} from '../src/dc-api.js';
import { InMemoryNonceStore } from '../src/nonce-store.js';
import { buildAuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import { createOpenId4VpPresentation } from '../src/openid4vp/create-presentation.js';
import { signRequestObject } from '../src/openid4vp/request-object.js';
import { jwkThumbprint } from '../src/openid4vp/response-encryption.js';
import { simpleDeviceRequest } from './helpers/device-request.js';
import { type Holder, issueHolder, JP_MNC, makeReaderPki, NOW, p256 } from './helpers/fixtures.js';
import { hex } from './helpers/vectors.js';

const ORIGIN = 'https://rp.example';
const dcqlQuery = {
  credentials: [
    {
      id: 'mnc',
      format: 'mso_mdoc' as const,
      meta: { doctype_value: JP_MNC.docType },
      claims: [{ path: [JP_MNC.jp, 'full_name_unicode'] as [string, string] }],
    },
  ],
};

describe('one DC API request carrying both protocols', () => {
  let holder: Holder;
  beforeAll(async () => {
    holder = await issueHolder();
  });
  const stored = () => [{ id: 'card', issuerSigned: holder.issuerSigned, deviceKey: holder.deviceKey }];

  async function setup(mode: 'dc_api' | 'dc_api.jwt' = 'dc_api') {
    const hpkeKey = p256();
    const annexC = buildAnnexCRequest({
      deviceRequest: simpleDeviceRequest(JP_MNC.docType, { [JP_MNC.jp]: { full_name_unicode: false } }),
      recipientKey: hpkeKey.publicKey,
    });
    const encKey = p256();
    const encPublic = { ...(await exportJWK(encKey.publicKey)), kid: 'k1' };
    const request = buildAuthorizationRequest({
      responseMode: mode,
      nonce: 'oid4vp-nonce-1',
      dcqlQuery,
      ...(mode === 'dc_api.jwt' ? { encryptionKeys: [encPublic] } : {}),
    });
    const nonceStore = new InMemoryNonceStore();
    await nonceStore.issue({
      nonce: annexCNonceKey(annexC.encryptionInfo),
      purpose: 'annex-c',
      now: NOW,
      ttlSeconds: 300,
    });
    await nonceStore.issue({ nonce: request.nonce, purpose: 'openid4vp', now: NOW, ttlSeconds: 300 });
    const digital = buildDigitalCredentialRequest({ annexC, openid4vp: { request } });
    const sessions = {
      annexC: {
        encryptionInfo: annexC.encryptionInfo,
        origin: ORIGIN,
        recipientPrivateKey: hpkeKey.privateKey,
        docType: JP_MNC.docType,
      },
      openid4vp: {
        request,
        origin: ORIGIN,
        encryptionPrivateKey: { ...(await exportJWK(encKey.privateKey)), kid: 'k1' },
      },
    };
    const options = { mdoc: { trustAnchors: [holder.chain.iaca], now: NOW }, nonceStore };
    return { digital, sessions, options, annexC, request, encPublic };
  }

  it('lists org-iso-mdoc first, then openid4vp-v1-unsigned, each with the transcript it implies', async () => {
    const { digital, annexC, request } = await setup();
    expect(digital.requests.map((r) => r.protocol)).toEqual(['org-iso-mdoc', 'openid4vp-v1-unsigned']);
    expect(digital.requests[1]!.data).not.toHaveProperty('client_id');
    const a = await readDigitalCredentialRequest(digital.requests[0]!, ORIGIN);
    const o = await readDigitalCredentialRequest(digital.requests[1]!, ORIGIN);
    expect(hex(a.transcript.sessionTranscript)).toBe(
      hex(
        buildDcapiSessionTranscript({ encryptionInfo: annexC.encryptionInfo, origin: ORIGIN })
          .sessionTranscript,
      ),
    );
    expect(hex(o.transcript.sessionTranscript)).toBe(
      hex(
        buildOpenId4VpDcApiSessionTranscript({ origin: ORIGIN, nonce: request.nonce, jwkThumbprint: null })
          .sessionTranscript,
      ),
    );
    // The two transcripts differ: a response made for one protocol cannot pass for the other.
    expect(hex(a.transcript.sessionTranscript)).not.toBe(hex(o.transcript.sessionTranscript));
  });

  it('the wallet answers with Annex C (as Safari would) and the verifier verifies it', async () => {
    const { digital, sessions, options } = await setup();
    const data = await createAnnexCPresentation({
      data: digital.requests[0]!.data,
      origin: ORIGIN,
      documents: stored(),
    });
    const result = await verifyDigitalCredentialResponse(
      { protocol: 'org-iso-mdoc', data },
      sessions,
      options,
    );
    expect(result.verdict).toBe('valid');
    expect(result.presentations[0]!.verification.documents[0]!.elements[JP_MNC.jp]).toHaveProperty(
      'full_name_unicode',
    );
  });

  it('the wallet answers with OpenID4VP dc_api and the verifier verifies it', async () => {
    const { digital, sessions, options } = await setup();
    const read = await readDigitalCredentialRequest(digital.requests[1]!, ORIGIN);
    if (read.protocol === 'org-iso-mdoc') throw new Error('unexpected');
    const p = await createOpenId4VpPresentation({
      request: read.request,
      origin: ORIGIN,
      documents: stored(),
    });
    const result = await verifyDigitalCredentialResponse(
      { protocol: 'openid4vp-v1-unsigned', data: p.response },
      sessions,
      options,
    );
    expect(result.verdict).toBe('valid');
  });

  it('dc_api.jwt: the thumbprint of the verifier key is in the transcript, the response decrypts', async () => {
    const { digital, sessions, options, request, encPublic } = await setup('dc_api.jwt');
    const read = await readDigitalCredentialRequest(digital.requests[1]!, ORIGIN);
    if (read.protocol === 'org-iso-mdoc') throw new Error('unexpected');
    const thumbprint = await jwkThumbprint({
      kty: encPublic.kty!,
      crv: encPublic.crv!,
      x: encPublic.x!,
      y: encPublic.y!,
    });
    expect(hex(read.transcript.sessionTranscript)).toBe(
      hex(
        buildOpenId4VpDcApiSessionTranscript({
          origin: ORIGIN,
          nonce: request.nonce,
          jwkThumbprint: thumbprint,
        }).sessionTranscript,
      ),
    );
    const p = await createOpenId4VpPresentation({
      request: read.request,
      origin: ORIGIN,
      documents: stored(),
    });
    const result = await verifyDigitalCredentialResponse(
      { protocol: 'openid4vp-v1-unsigned', data: p.response },
      sessions,
      options,
    );
    expect(result.verdict).toBe('valid');
    expect(result.checks.find((c) => c.id === 'response.decrypt')?.status).toBe('passed');
  });

  it('TRANSCRIPT_MISMATCH: a dc_api response the wallet made for another origin', async () => {
    const { digital, sessions, options } = await setup();
    const read = await readDigitalCredentialRequest(digital.requests[1]!, 'https://evil.example');
    if (read.protocol === 'org-iso-mdoc') throw new Error('unexpected');
    const p = await createOpenId4VpPresentation({
      request: read.request,
      origin: 'https://evil.example',
      documents: stored(),
    });
    const result = await verifyDigitalCredentialResponse(
      { protocol: 'openid4vp-v1-unsigned', data: p.response },
      sessions,
      options,
    );
    expect(result.verdict).toBe('invalid');
    expect(result.errorCode).toBe('TRANSCRIPT_MISMATCH');
  });

  it('HPKE_OPEN_FAILED: an Annex C response the wallet made for another origin', async () => {
    const { digital, sessions, options } = await setup();
    const data = await createAnnexCPresentation({
      data: digital.requests[0]!.data,
      origin: 'https://evil.example',
      documents: stored(),
    });
    const result = await verifyDigitalCredentialResponse(
      { protocol: 'org-iso-mdoc', data },
      sessions,
      options,
    );
    expect(result.errorCode).toBe('HPKE_OPEN_FAILED');
  });

  it('a protocol that was not requested is a failed check', async () => {
    const { sessions, options } = await setup();
    const result = await verifyDigitalCredentialResponse(
      { protocol: 'openid4vp-v1-multisigned', data: {} },
      sessions,
      options,
    );
    expect(result.verdict).toBe('invalid');
    expect(result.errorCode).toBe('invalid_request');
  });

  it('openid4vp-v1-signed: the wallet checks expected_origins against the origin (ORIGIN_MISMATCH)', async () => {
    const rp = makeReaderPki('rp.example');
    const request = buildAuthorizationRequest({
      responseMode: 'dc_api',
      clientId: 'x509_san_dns:rp.example',
      nonce: 'signed-nonce',
      dcqlQuery,
      expectedOrigins: [ORIGIN],
    });
    const signedRequest = await signRequestObject({
      request,
      privateKey: rp.leafKey,
      certificateChain: [rp.leaf.der],
    });
    const digital = buildDigitalCredentialRequest({ openid4vp: { signedRequest } });
    expect(digital.requests.map((r) => r.protocol)).toEqual(['openid4vp-v1-signed']);
    const trust = { trustAnchors: [rp.root], now: NOW };
    const ok = await readDigitalCredentialRequest(digital.requests[0]!, ORIGIN, trust);
    expect(ok.protocol).toBe('openid4vp-v1-signed');
    await expect(
      readDigitalCredentialRequest(digital.requests[0]!, 'https://evil.example', trust),
    ).rejects.toMatchObject({ code: 'ORIGIN_MISMATCH' });
  });

  it('refuses an unsigned request that carries client_id', () => {
    const request = buildAuthorizationRequest({
      responseMode: 'dc_api',
      clientId: 'x509_san_dns:rp.example',
      nonce: 'n',
      dcqlQuery,
    });
    expect(() => buildDigitalCredentialRequest({ openid4vp: { request } })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });
});
