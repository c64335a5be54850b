/**
 * POST /platform/certificate-status: a platform operator (client role `platform-status`) asks about a
 * certificate by its DER or by issuer and serial, and hears good / revoked (with the reason) / unknown from
 * the issuer's register — for smartphone certificates (also those recorded before their issuing CA's name
 * was kept) and for the card's own certificates; a certificate of another CA is 422
 * ISSUER_CERTIFICATE_UNKNOWN_ISSUER; nothing of the certificate is repeated back.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createCertificate, generateKeyPair, parseCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSandboxUserAuthenticationCertificate } from '../src/ca/jpki-certificates.js';
import { jpkiMunicipalityOf } from '../src/cards/municipality.js';
import { post, residentWithCard, type TestIssuer, testIssuer } from './helpers/installation-fixtures.js';
import { installationWithAuthCertificate } from './helpers/notice-fixtures.js';
import { createRpClient, type TestRpClient } from './helpers/rp-client.js';

const NOW = new Date('2026-05-10T03:00:00Z');
const PATH = '/platform/certificate-status';
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

let t: TestIssuer;
let client: TestRpClient;
let residentId: string;
let cardAuthCertificate: Uint8Array;
beforeAll(async () => {
  t = await testIssuer({ now: NOW });
  client = await createRpClient(t.store, ['platform-status']);
  const r = await residentWithCard(t);
  residentId = r.residentId;
  cardAuthCertificate = r.card.userAuthentication.certificate;
});
afterAll(async () => t.close());

const ask = (body: unknown, authorization = client.authorization) =>
  post(t.app, PATH, body, { authorization });

describe('POST /platform/certificate-status', () => {
  it('good, then revoked with its reason — by certificate and by issuer + serial', async () => {
    const installed = await installationWithAuthCertificate(t, residentId);
    const cert = parseCertificate(installed.certificate);
    const issuer = t.hierarchy.jpki.userAuthentication.ca.name;

    const good = await ask({ certificate: b64(installed.certificate) });
    expect(good.status).toBe(200);
    expect(good.json).toEqual({
      status: 'good',
      producedAt: NOW.toISOString(),
      issuer,
      source: 'issuer-database',
    });

    t.clock.now = new Date(NOW.getTime() + 60_000);
    await t.store.revocations.revoke([installed.credentialId], 'affiliationChanged', t.clock().getTime());
    for (const body of [
      { certificate: b64(installed.certificate) },
      { issuer, serialNumber: cert.serialNumber.toUpperCase() },
    ]) {
      const revoked = await ask(body);
      expect(revoked.status).toBe(200);
      expect(revoked.json).toMatchObject({
        status: 'revoked',
        reason: 'affiliationChanged',
        revokedAt: t.clock().toISOString(),
        issuer,
      });
      // Nothing of the certificate comes back: no subject, no serial.
      expect(JSON.stringify(revoked.json)).not.toContain(cert.serialNumber);
      expect(JSON.stringify(revoked.json)).not.toContain(cert.subject);
    }
  });

  it("answers for the card's own certificate: good while the card is in force, revoked after", async () => {
    const first = await ask({ certificate: b64(cardAuthCertificate) });
    expect(first.json.status).toBe('good');
    const card = await t.store.cards.activeForResident(residentId);
    await t.store.cards.revoke(card?.id as string, t.clock().getTime());
    const after = await ask({ certificate: b64(cardAuthCertificate) });
    expect(after.json).toMatchObject({ status: 'revoked', revokedAt: t.clock().toISOString() });
    expect(after.json.reason).toBeUndefined();
  });

  it('unknown for a certificate of our CA the register does not hold, or a serial it never issued', async () => {
    const stray = await issueSandboxUserAuthenticationCertificate(
      t.hierarchy,
      { birthDate: { year: 1990, month: 1, day: 2 }, municipality: jpkiMunicipalityOf('139904') },
      { publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, issuedAt: t.clock() },
    );
    expect((await ask({ certificate: b64(stray.der) })).json.status).toBe('unknown');
    const bySerial = await ask({ issuer: t.hierarchy.jpki.signature.ca.name, serialNumber: '0badc0de' });
    expect(bySerial.json.status).toBe('unknown');
  });

  it('422 ISSUER_CERTIFICATE_UNKNOWN_ISSUER for another CA’s certificate or an issuer that is not ours', async () => {
    const keys = generateKeyPair('RSA-2048');
    const foreign = createCertificate({
      subject: 'C=JP, CN=not ours',
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
    });
    for (const body of [
      { certificate: b64(foreign) },
      { issuer: t.hierarchy.mnc.iaca.name, serialNumber: '01' },
      { issuer: 'jpki-auth-ca-g99', serialNumber: '01' },
    ]) {
      const r = await ask(body);
      expect(r.status).toBe(422);
      expect(r.json.code).toBe('ISSUER_CERTIFICATE_UNKNOWN_ISSUER');
    }
  });

  it('400 for a body that is not a certificate; 401 without a client; 403 without the role', async () => {
    const notDer = await ask({ certificate: b64(Uint8Array.of(1, 2, 3)) });
    expect(notDer.status).toBe(400);
    expect(notDer.json.code).toBe('ISSUER_INVALID_INPUT');
    const both = await ask({ certificate: 'AA==', issuer: 'x', serialNumber: '01' });
    expect(both.status).toBe(400);
    expect(both.json.code).toBe('ISSUER_INVALID_BODY');
    const anonymous = await post(t.app, PATH, { certificate: b64(cardAuthCertificate) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.code).toBe('ISSUER_UNAUTHORIZED');
    const inquiryOnly = await createRpClient(t.store, ['inquiry']);
    const forbidden = await ask({ certificate: b64(cardAuthCertificate) }, inquiryOnly.authorization);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.code).toBe('ISSUER_FORBIDDEN');
  });

  it('is described in /openapi.json with the CRL and OCSP routes', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      PATH,
      '/crl',
      '/crl/{issuerCertificate}/{partition}',
      '/ca/{file}',
      '/jpki/ocsp',
      '/jpki/ocsp/{request}',
      '/ocsp',
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
  });
});
