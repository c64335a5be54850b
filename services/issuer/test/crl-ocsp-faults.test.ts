/**
 * When the register cannot be read, the status services say so and never guess: the OCSP responder answers
 * `tryLater` (RFC 6960 §2.3), the platform status API 503 ISSUER_STATUS_UNAVAILABLE — neither good nor
 * revoked.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createOcspRequest, parseOcspResponse } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSandboxUserAuthenticationCertificate } from '../src/ca/jpki-certificates.js';
import { jpkiMunicipalityOf } from '../src/cards/municipality.js';
import { post, type TestIssuer, testIssuer } from './helpers/installation-fixtures.js';
import { createRpClient, type TestRpClient } from './helpers/rp-client.js';

const NOW = new Date('2026-05-10T03:00:00Z');

let t: TestIssuer;
let client: TestRpClient;
let request: Uint8Array<ArrayBuffer>;
let certificate: Uint8Array;
beforeAll(async () => {
  t = await testIssuer({ now: NOW });
  client = await createRpClient(t.store, ['platform-status']);
  const issued = await issueSandboxUserAuthenticationCertificate(
    t.hierarchy,
    { birthDate: { year: 1990, month: 1, day: 2 }, municipality: jpkiMunicipalityOf('139904') },
    { publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, issuedAt: NOW },
  );
  certificate = issued.der;
  request = createOcspRequest({
    certificate: issued.certificate,
    issuerCertificate: t.hierarchy.jpki.userAuthentication.ca.certificate,
  });
  // The client is authenticated from the store too: take the register away only after this check passes.
  const ok = await post(
    t.app,
    '/platform/certificate-status',
    { certificate: Buffer.from(certificate).toString('base64') },
    {
      authorization: client.authorization,
    },
  );
  expect(ok.json.status).toBe('unknown');
});
afterAll(async () => {
  await t.close().catch(() => undefined);
});

describe('a register that cannot be read', () => {
  it('OCSP answers tryLater, as an OCSP response', async () => {
    await t.store.db.schema.dropTable('credentials').execute();
    const r = await t.app.request('/jpki/ocsp', {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: request,
    });
    expect(r.headers.get('content-type')).toBe('application/ocsp-response');
    expect(parseOcspResponse(new Uint8Array(await r.arrayBuffer())).responseStatus).toBe('tryLater');
  });

  it('the platform status API answers 503 ISSUER_STATUS_UNAVAILABLE', async () => {
    const r = await post(
      t.app,
      '/platform/certificate-status',
      { certificate: Buffer.from(certificate).toString('base64') },
      {
        authorization: client.authorization,
      },
    );
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('ISSUER_STATUS_UNAVAILABLE');
  });
});
