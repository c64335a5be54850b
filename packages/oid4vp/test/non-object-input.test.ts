/**
 * Envelopes that are not objects at all — `null`, a number, an array — where a protocol puts a JSON
 * object: the DC API request `data` and response `data`, a direct_post body, a request object's claims
 * (RFC 9101 §4: a JWT Claims Set). Each is a typed error (DECODE) or a failed `response.decode` check.
 */
import { bytesToBase64 } from '@mynakit/cbor';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyAnnexCResponse } from '../src/annex-c/verify-annex-c-response.js';
import { readDigitalCredentialRequest, verifyDigitalCredentialResponse } from '../src/dc-api.js';
import { buildAuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import { parseAuthorizationResponse } from '../src/openid4vp/authorization-response.js';
import { verifyRequestObject } from '../src/openid4vp/request-object.js';
import { verifyOpenId4VpResponse } from '../src/openid4vp/verify-authorization-response.js';
import { makeReaderPki, NOW, p256 } from './helpers/fixtures.js';

const request = buildAuthorizationRequest({
  responseMode: 'direct_post',
  clientId: 'x509_san_dns:rp.example',
  responseUri: 'https://rp.example/r',
  nonce: 'n-1',
  dcqlQuery: {
    credentials: [{ id: 'mnc', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.23220.1.jp.mnc' } }],
  },
});
const mdoc = { trustAnchors: [], now: NOW };
const notObjects: unknown[] = [null, 7, 'text', [], [{}]];

describe('envelopes that are not JSON objects', () => {
  it('parseAuthorizationResponse: DECODE', async () => {
    for (const body of notObjects) {
      await expect(parseAuthorizationResponse(body as never, request)).rejects.toMatchObject({
        code: 'DECODE',
      });
    }
  });

  it('verifyOpenId4VpResponse and verifyAnnexCResponse: a failed response.decode check', async () => {
    const key = p256();
    for (const body of notObjects) {
      const r = await verifyOpenId4VpResponse(body as never, { request }, { mdoc });
      expect(r.verdict).toBe('invalid');
      expect(r.checks[0]).toMatchObject({ id: 'response.decode', status: 'failed' });
      const a = await verifyAnnexCResponse(
        body as never,
        { encryptionInfo: 'AA', origin: 'https://rp.example', recipientPrivateKey: key.privateKey },
        { mdoc },
      );
      // A string is the `response` itself (the API accepts it bare): it fails to decrypt instead.
      expect(a.checks[0]).toMatchObject({
        id: typeof body === 'string' ? 'response.decrypt' : 'response.decode',
        status: 'failed',
      });
    }
  });

  it('verifyDigitalCredentialResponse: a report for a credential or data of any shape', async () => {
    for (const credential of [...notObjects, { protocol: 'openid4vp-v1-unsigned', data: null }]) {
      const r = await verifyDigitalCredentialResponse(
        credential as never,
        { openid4vp: { request } },
        { mdoc },
      );
      expect(r.verdict).toBe('invalid');
    }
  });

  it('readDigitalCredentialRequest: DECODE for every protocol', async () => {
    for (const protocol of ['org-iso-mdoc', 'openid4vp-v1-unsigned', 'openid4vp-v1-signed'] as const) {
      for (const data of notObjects) {
        await expect(
          readDigitalCredentialRequest({ protocol, data: data as never }, 'https://rp.example'),
        ).rejects.toMatchObject({ name: 'Oid4vpError', code: 'DECODE' });
      }
    }
  });

  it('a signed request object whose claims are not an object: DECODE', async () => {
    const rp = makeReaderPki('rp.example');
    for (const claims of ['null', '7', '[]']) {
      const jws = await new CompactSign(new TextEncoder().encode(claims))
        .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt', x5c: [bytesToBase64(rp.leaf.der)] })
        .sign(rp.leafKey);
      await expect(verifyRequestObject(jws, { trustAnchors: [rp.root], now: NOW })).rejects.toMatchObject({
        code: 'DECODE',
      });
    }
  });
});
