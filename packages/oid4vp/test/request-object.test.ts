import { execFileSync } from 'node:child_process';
import { verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64urlToBytes } from '@mynakit/cbor';
import { derToPem } from '@mynakit/pki';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import { parseClientId, x509Hash } from '../src/openid4vp/client-id.js';
import {
  MAX_REQUEST_OBJECT_CHAIN,
  MAX_REQUEST_OBJECT_CHARS,
  signRequestObject,
  verifyRequestObject,
} from '../src/openid4vp/request-object.js';
import { makeReaderPki, NOW } from './helpers/fixtures.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const dcql = {
  credentials: [
    {
      id: 'mnc',
      format: 'mso_mdoc' as const,
      meta: { doctype_value: MNC },
      claims: [{ path: ['org.iso.23220.1.jp', 'full_name_unicode'] as [string, string] }],
    },
  ],
};
const rp = makeReaderPki('rp.example');
const options = { trustAnchors: [rp.root], now: NOW };

function redirectRequest(overrides: Partial<Parameters<typeof buildAuthorizationRequest>[0]> = {}) {
  return buildAuthorizationRequest({
    responseMode: 'direct_post',
    clientId: 'x509_san_dns:rp.example',
    responseUri: 'https://rp.example/response/1',
    nonce: 'n-0S6_WzA2Mj',
    dcqlQuery: dcql,
    ...overrides,
  });
}

async function sign(request: ReturnType<typeof redirectRequest>, pki = rp) {
  return signRequestObject({ request, privateKey: pki.leafKey, certificateChain: [pki.leaf.der], now: NOW });
}

const tmp = mkdtempSync(join(tmpdir(), 'mynakit-jar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('signed request objects (JAR, OpenID4VP 1.0 §5.2, §5.9)', () => {
  it('x509_san_dns: verifies, and the JWS is an ES256 signature a third party can check', async () => {
    const jws = await sign(redirectRequest());
    const v = await verifyRequestObject(jws, { ...options, expectedClientId: 'x509_san_dns:rp.example' });
    expect(v.clientId).toBe('x509_san_dns:rp.example');
    expect(v.request.nonce).toBe('n-0S6_WzA2Mj');
    expect(v.certificate.fingerprint256).toBe(rp.leaf.fingerprint256);
    // Independent check with node:crypto (JOSE ES256 = raw r||s over "header.payload").
    const [h, p, s] = jws.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      typ: 'oauth-authz-req+jwt',
    });
    expect(
      nodeVerify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: rp.leaf.publicKey, dsaEncoding: 'ieee-p1363' },
        base64urlToBytes(s),
      ),
    ).toBe(true);
  });

  it('bounds what it reads: an over-long request object and an over-long x5c chain are refused unread', async () => {
    await expect(
      verifyRequestObject('a'.repeat(MAX_REQUEST_OBJECT_CHARS + 1), options),
    ).rejects.toMatchObject({
      code: 'DECODE',
    });
    const request = redirectRequest();
    const longChain = await signRequestObject({
      request,
      privateKey: rp.leafKey,
      certificateChain: Array.from({ length: MAX_REQUEST_OBJECT_CHAIN + 1 }, () => rp.leaf.der),
      now: NOW,
    });
    await expect(verifyRequestObject(longChain, options)).rejects.toMatchObject({
      code: 'REQUEST_SIGNATURE_INVALID',
    });
  });

  it('x509_hash: the client id is base64url SHA-256 of the leaf DER, as OpenSSL computes it', async () => {
    const pem = join(tmp, 'leaf.pem');
    writeFileSync(pem, derToPem(rp.leaf.der, 'CERTIFICATE'));
    const der = execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER']);
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der });
    expect(x509Hash(rp.leaf.der)).toBe(Buffer.from(digest).toString('base64url'));
    const clientId = `x509_hash:${x509Hash(rp.leaf.der)}`;
    const v = await verifyRequestObject(await sign(redirectRequest({ clientId })), options);
    expect(v.clientId).toBe(clientId);
    expect(parseClientId(clientId).prefix).toBe('x509_hash');
  });

  it('CLIENT_ID_MISMATCH: a dNSName the certificate does not carry', async () => {
    const jws = await sign(
      redirectRequest({ clientId: 'x509_san_dns:bank.example', responseUri: 'https://bank.example/r' }),
    );
    await expect(verifyRequestObject(jws, options)).rejects.toMatchObject({ code: 'CLIENT_ID_MISMATCH' });
  });

  it('CLIENT_ID_MISMATCH: an x509_hash of another certificate', async () => {
    const other = makeReaderPki('rp.example');
    const jws = await sign(redirectRequest({ clientId: `x509_hash:${x509Hash(other.leaf.der)}` }));
    await expect(verifyRequestObject(jws, options)).rejects.toMatchObject({ code: 'CLIENT_ID_MISMATCH' });
  });

  it('CLIENT_ID_MISMATCH: the client_id outside the JWT differs from the one inside', async () => {
    const jws = await sign(redirectRequest());
    await expect(
      verifyRequestObject(jws, { ...options, expectedClientId: 'x509_san_dns:other.example' }),
    ).rejects.toMatchObject({
      code: 'CLIENT_ID_MISMATCH',
    });
  });

  it('RESPONSE_URI_MISMATCH: x509_san_dns with a response_uri on another host', async () => {
    const jws = await sign(redirectRequest({ responseUri: 'https://collector.example/response' }));
    await expect(verifyRequestObject(jws, options)).rejects.toMatchObject({ code: 'RESPONSE_URI_MISMATCH' });
    await expect(verifyRequestObject(jws, { ...options, allowAnyResponseUri: true })).resolves.toBeDefined();
  });

  it('REQUEST_CERTIFICATE_UNTRUSTED: a chain to a root the wallet does not trust', async () => {
    const stranger = makeReaderPki('rp.example');
    await expect(verifyRequestObject(await sign(redirectRequest(), stranger), options)).rejects.toMatchObject(
      {
        code: 'REQUEST_CERTIFICATE_UNTRUSTED',
      },
    );
  });

  it('REQUEST_SIGNATURE_INVALID: a tampered payload, or a typ other than oauth-authz-req+jwt', async () => {
    const jws = await sign(redirectRequest());
    const [h, , s] = jws.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...redirectRequest(), nonce: 'forged' })).toString(
      'base64url',
    );
    await expect(verifyRequestObject(`${h}.${forged}.${s}`, options)).rejects.toMatchObject({
      code: 'REQUEST_SIGNATURE_INVALID',
    });
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const badTyp = Buffer.from(JSON.stringify({ ...header, typ: 'JWT' })).toString('base64url');
    await expect(verifyRequestObject(`${badTyp}.${jws.split('.')[1]}.${s}`, options)).rejects.toMatchObject({
      code: 'REQUEST_SIGNATURE_INVALID',
    });
  });

  it('invalid_request: an expired request object', async () => {
    const jws = await sign(redirectRequest());
    await expect(
      verifyRequestObject(jws, { ...options, now: new Date(NOW.getTime() + 3600_000) }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('DC API: expected_origins must contain the origin the browser reports (ORIGIN_MISMATCH)', async () => {
    const request = buildAuthorizationRequest({
      responseMode: 'dc_api',
      clientId: 'x509_san_dns:rp.example',
      nonce: 'dc-nonce-1',
      dcqlQuery: dcql,
      expectedOrigins: ['https://rp.example'],
    });
    const jws = await signRequestObject({ request, privateKey: rp.leafKey, certificateChain: [rp.leaf.der] });
    await expect(
      verifyRequestObject(jws, { ...options, origin: 'https://rp.example' }),
    ).resolves.toBeDefined();
    await expect(
      verifyRequestObject(jws, { ...options, origin: 'https://evil.example' }),
    ).rejects.toMatchObject({ code: 'ORIGIN_MISMATCH' });
    await expect(verifyRequestObject(jws, options)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('invalid_transaction_data: transaction data types are refused', async () => {
    const request = { ...redirectRequest(), transaction_data: ['eyJ0eXBlIjoicGF5bWVudCJ9'] };
    const jws = await signRequestObject({ request, privateKey: rp.leafKey, certificateChain: [rp.leaf.der] });
    await expect(verifyRequestObject(jws, options)).rejects.toMatchObject({
      code: 'invalid_transaction_data',
    });
  });
});
