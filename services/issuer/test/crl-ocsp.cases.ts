/**
 * CRLs and the OCSP responder against an installation completed through the routes, on SQLite
 * (crl-ocsp.test.ts) and PostgreSQL (crl-ocsp.pg.test.ts): the smartphone
 * certificates record their CRL partition and issuing CA, the partition's CRL lists them once revoked (with
 * the CRLReason, certificateHold included) and OpenSSL verifies it, and the responder — over a real
 * 127.0.0.1 socket for `openssl ocsp -url`, and through app.request() for @mynakit/jpki's revocation source —
 * says good, revoked, unknown, malformedRequest and unauthorized where it should.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { ocspRevocationSource } from '@mynakit/jpki';
import {
  type Certificate,
  createCertificate,
  createOcspRequest,
  derToPem,
  generateKeyPair,
  lookupInCrl,
  parseCertificate,
  parseCrl,
  parseOcspResponse,
  verifyCrl,
} from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSandboxUserAuthenticationCertificate } from '../src/ca/jpki-certificates.js';
import { jpkiMunicipalityOf } from '../src/cards/municipality.js';
import { cardStep, FLOW_NOW, sendCsrs } from './installations-flow.cases.js';
import {
  type Attester,
  phoneKeys,
  residentWithCard,
  sandboxAttester,
  type TestIssuer,
} from './helpers/installation-fixtures.js';

const PARTITION = '139904'; // residentInput's municipality (13990 with its check digit)
const seconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

/** Defines the CRL and OCSP cases on an issuer made by `open` (its clock at FLOW_NOW). */
export function defineCrlOcspCases(name: string, open: () => Promise<TestIssuer>): void {
  describe(`CRL and OCSP publishing (${name})`, () => {
    let t: TestIssuer;
    let attester: Attester;
    let dir: string;
    let server: Server;
    let base: string;
    let auth: Certificate;
    let sign: Certificate;
    let authCa: Certificate;
    let signCa: Certificate;
    let authId: string;
    let signId: string;

    const file = (name: string, data: string | Uint8Array) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    };
    /** OpenSSL without blocking the event loop (the server under test answers on it). */
    const openssl = (args: readonly string[]) =>
      new Promise<{ status: number | null; out: string }>((resolve, reject) => {
        const child = spawn('/usr/bin/openssl', args, { cwd: dir });
        let out = '';
        child.stdout.on('data', (b) => {
          out += String(b);
        });
        child.stderr.on('data', (b) => {
          out += String(b);
        });
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, out }));
      });
    const opensslSync = (args: readonly string[]) => {
      const r = spawnSync('/usr/bin/openssl', args, { cwd: dir });
      return { status: r.status, out: `${r.stdout}${r.stderr}` };
    };
    /** `openssl ocsp` against the listening server, judged at FLOW_NOW (the clock of the issuer under test). */
    const opensslOcsp = (cert: string, issuer: string, path = '/jpki/ocsp') =>
      openssl([
        'ocsp',
        '-issuer',
        issuer,
        '-cert',
        cert,
        '-url',
        `${base}${path}`,
        '-CAfile',
        issuer,
        '-attime',
        seconds(t.clock()),
        '-validity_period',
        String(10 * 365 * 86_400),
      ]);

    const getCrl = async (ca: string, partition = PARTITION) => {
      const r = await t.app.request(`/crl/${ca}/${partition}`);
      return { r, der: new Uint8Array(await r.arrayBuffer()) };
    };
    const ocspPost = async (body: Uint8Array<ArrayBuffer>) => {
      const r = await t.app.request('/jpki/ocsp', {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
        body,
      });
      expect(r.headers.get('content-type')).toBe('application/ocsp-response');
      return new Uint8Array(await r.arrayBuffer());
    };

    beforeAll(async () => {
      t = await open();
      attester = await sandboxAttester(t.hierarchy);
      dir = mkdtempSync(join(tmpdir(), 'mynakit-crl-ocsp-'));
      const { card } = await residentWithCard(t);
      const started = await cardStep(t, card, 'android');
      const issued = await sendCsrs(t, started, attester, phoneKeys(), true);
      expect(issued.status).toBe(200);
      const certs = issued.json.certificates as Record<string, { certificate: string }>;
      auth = parseCertificate(Buffer.from(certs.userAuthentication?.certificate ?? '', 'base64'));
      sign = parseCertificate(Buffer.from(certs.signature?.certificate ?? '', 'base64'));
      authCa = t.hierarchy.jpki.userAuthentication.ca.certificate;
      signCa = t.hierarchy.jpki.signature.ca.certificate;
      const credentials = await t.store.credentials.listByInstallation(started.installationId as string);
      authId = credentials.find((c) => c.kind === 'jpki-auth')?.id as string;
      signId = credentials.find((c) => c.kind === 'jpki-sign')?.id as string;
      file('auth.pem', derToPem(auth.der));
      file('sign.pem', derToPem(sign.der));
      file('auth-ca.pem', derToPem(authCa.der));
      file('sign-ca.pem', derToPem(signCa.der));
      server = createAdaptorServer({ fetch: t.app.fetch }) as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      if (server !== undefined) await new Promise((resolve) => server.close(resolve));
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('records where each smartphone certificate is published: municipality partition and issuing CA', async () => {
      const credentials = [await t.store.credentials.get(authId), await t.store.credentials.get(signId)];
      expect(credentials.map((c) => [c?.kind, c?.crlPartition, c?.issuerCertificate])).toEqual([
        ['jpki-auth', PARTITION, t.hierarchy.jpki.userAuthentication.ca.name],
        ['jpki-sign', PARTITION, t.hierarchy.jpki.signature.ca.name],
      ]);
    });

    it('GET /crl names each partition with its CA, the directoryName in the certificates, and its URL', async () => {
      const r = await t.app.request('/crl');
      expect(r.status).toBe(200);
      const index = (await r.json()) as {
        partitions: {
          issuerCertificate: string;
          partition: string;
          distributionPoint: string;
          url: string;
        }[];
        caCrls: { ca: string; url: string }[];
      };
      const authName = t.hierarchy.jpki.userAuthentication.ca.name;
      const entry = index.partitions.find(
        (p) => p.issuerCertificate === authName && p.partition === PARTITION,
      );
      const dp = auth.crlDistributionPoints[0]?.distributionPoint;
      const certDp = dp && 'fullName' in dp ? dp.fullName[0] : undefined;
      expect(certDp?.type).toBe('directoryName');
      expect(entry?.distributionPoint).toBe(certDp && 'value' in certDp ? certDp.value : undefined);
      expect(entry?.distributionPoint).toContain(`${jpkiMunicipalityOf(PARTITION).name} CRLDP`);
      expect(entry?.url).toBe(`https://issuer.example/crl/${authName}/${PARTITION}`);
      expect(index.caCrls.map((c) => c.ca)).toContain(t.hierarchy.mnc.iaca.name);
    });

    it('before any revocation: an empty, current CRL in scope for the certificate; OCSP says good', async () => {
      const { r, der } = await getCrl(t.hierarchy.jpki.userAuthentication.ca.name);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/pkix-crl');
      const v = verifyCrl(der, { issuerCertificate: authCa, now: t.clock(), certificate: auth });
      expect(v.status).toBe('current');
      expect(v.checks.find((c) => c.id === 'crl.scope')?.status).toBe('passed');
      expect(v.crl?.entries).toHaveLength(0);
      const good = await opensslOcsp('auth.pem', 'auth-ca.pem');
      expect(good.out).toContain('Response verify OK');
      expect(good.out).toContain('auth.pem: good');
    });

    it('serves a CRL from its cache until the partition changes; ETag, 304, max-age within nextUpdate', async () => {
      const name = t.hierarchy.jpki.userAuthentication.ca.name;
      const first = await getCrl(name);
      t.clock.now = new Date(FLOW_NOW.getTime() + 60_000);
      const again = await getCrl(name);
      expect(Buffer.from(again.der).equals(Buffer.from(first.der))).toBe(true);
      const etag = first.r.headers.get('etag') as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const maxAge = Number(/max-age=(\d+)/.exec(first.r.headers.get('cache-control') ?? '')?.[1]);
      const crl = parseCrl(first.der);
      expect(maxAge).toBeGreaterThan(0);
      expect(t.clock().getTime() + maxAge * 1000).toBeLessThanOrEqual(crl.nextUpdate?.getTime() ?? 0);
      expect((crl.nextUpdate?.getTime() ?? 0) - crl.thisUpdate.getTime()).toBe(86_400_000);
      const notModified = await t.app.request(`/crl/${name}/${PARTITION}`, {
        headers: { 'if-none-match': etag },
      });
      expect(notModified.status).toBe(304);
    });

    it('after revocation: the CRL lists the serials with their reasons (OpenSSL agrees), OCSP says revoked', async () => {
      const before = parseCrl((await getCrl(t.hierarchy.jpki.userAuthentication.ca.name)).der);
      t.clock.now = new Date(FLOW_NOW.getTime() + 120_000);
      const at = t.clock().getTime();
      const revoked = await t.store.revocations.revoke([authId], 'keyCompromise', at);
      expect(revoked.revoked).toHaveLength(1);
      await t.store.revocations.revoke([signId], 'certificateHold', at);

      const { der } = await getCrl(t.hierarchy.jpki.userAuthentication.ca.name);
      const crl = parseCrl(der);
      expect(crl.crlNumber).toBeGreaterThan(before.crlNumber ?? 0n);
      expect(crl.authorityKeyIdentifier).toBe(authCa.subjectKeyIdentifier);
      expect(lookupInCrl(crl, auth)).toMatchObject({ revoked: true, reason: 'keyCompromise' });
      expect(lookupInCrl(crl, auth).revocationDate?.getTime()).toBe(Math.floor(at / 1000) * 1000);
      expect(verifyCrl(der, { issuerCertificate: authCa, now: t.clock(), certificate: auth }).status).toBe(
        'current',
      );
      const text = opensslSync([
        'crl',
        '-inform',
        'DER',
        '-in',
        file('auth.crl', der),
        '-CAfile',
        'auth-ca.pem',
        '-verify',
        '-noout',
        '-text',
      ]);
      expect(text.out).toContain('verify OK');
      expect(text.out).toContain(`Serial Number: ${auth.serialNumber.toUpperCase()}`);
      expect(text.out).toContain('Key Compromise');
      expect(text.out).toContain('Issuing Distribution Point');

      const signCrl = (await getCrl(t.hierarchy.jpki.signature.ca.name)).der;
      expect(lookupInCrl(parseCrl(signCrl), sign)).toMatchObject({
        revoked: true,
        reason: 'certificateHold',
      });
      const signText = opensslSync([
        'crl',
        '-inform',
        'DER',
        '-in',
        file('sign.crl', signCrl),
        '-CAfile',
        'sign-ca.pem',
        '-verify',
        '-noout',
        '-text',
      ]);
      expect(signText.out).toContain('verify OK');
      expect(signText.out).toContain('Certificate Hold');

      const viaOpenssl = await opensslOcsp('auth.pem', 'auth-ca.pem');
      expect(viaOpenssl.out).toContain('Response verify OK');
      expect(viaOpenssl.out).toContain('auth.pem: revoked');
      expect(viaOpenssl.out).toContain('Reason: keyCompromise');
      const held = await opensslOcsp('sign.pem', 'sign-ca.pem', '/ocsp');
      expect(held.out).toContain('sign.pem: revoked');
      expect(held.out).toContain('Reason: certificateHold');

      const nonce = randomBytes(16);
      const response = await ocspPost(
        createOcspRequest({ certificate: auth, issuerCertificate: authCa, nonce, hashAlgorithm: 'SHA-256' }),
      );
      const answer = await ocspRevocationSource(response, { nonce }).check(auth, authCa, t.clock());
      expect(answer.status).toBe('revoked');
      expect(answer.reason).toBe('keyCompromise');
      const single = parseOcspResponse(response).basic?.responses[0];
      expect((single?.nextUpdate?.getTime() ?? 0) - (single?.thisUpdate.getTime() ?? 0)).toBe(15 * 60_000);
    });

    it('lifting the hold takes the certificate off the CRL, and OCSP says good again', async () => {
      t.clock.now = new Date(FLOW_NOW.getTime() + 180_000);
      await t.store.revocations.reinstate([signId], t.clock().getTime());
      const crl = parseCrl((await getCrl(t.hierarchy.jpki.signature.ca.name)).der);
      expect(lookupInCrl(crl, sign).revoked).toBe(false);
      const response = await ocspPost(createOcspRequest({ certificate: sign, issuerCertificate: signCa }));
      expect((await ocspRevocationSource(response).check(sign, signCa, t.clock())).status).toBe('good');
    });

    it('a serial the CA never issued to a phone is unknown (and unusable to a verifier)', async () => {
      const stray = await issueSandboxUserAuthenticationCertificate(
        t.hierarchy,
        { birthDate: { year: 1990, month: 1, day: 2 }, municipality: jpkiMunicipalityOf(PARTITION) },
        { publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, issuedAt: t.clock() },
      );
      const response = await ocspPost(
        createOcspRequest({ certificate: stray.certificate, issuerCertificate: authCa }),
      );
      expect(parseOcspResponse(response).basic?.responses[0]?.status).toBe('unknown');
      expect((await ocspRevocationSource(response).check(stray.certificate, authCa, t.clock())).status).toBe(
        'unusable',
      );
    });

    it('answers OCSP error statuses, never problem+json: malformedRequest, unauthorized', async () => {
      for (const body of [
        Uint8Array.of(0x30, 0x03, 0x02, 0x01),
        new Uint8Array(randomBytes(40)),
        new Uint8Array(0),
      ])
        expect(parseOcspResponse(await ocspPost(body)).responseStatus).toBe('malformedRequest');
      const bigGet = await t.app.request(`/jpki/ocsp/${'A'.repeat(20_000)}`);
      expect(parseOcspResponse(new Uint8Array(await bigGet.arrayBuffer())).responseStatus).toBe(
        'malformedRequest',
      );
      const bare = await t.app.request('/jpki/ocsp');
      expect(bare.headers.get('content-type')).toBe('application/ocsp-response');

      const foreignKeys = generateKeyPair('RSA-2048');
      const foreignCa = parseCertificate(
        createCertificate({
          subject: 'C=JP, O=Somebody else, CN=Foreign CA',
          publicKey: foreignKeys.publicKey,
          privateKey: foreignKeys.privateKey,
          notBefore: new Date('2026-01-01T00:00:00Z'),
          notAfter: new Date('2030-01-01T00:00:00Z'),
          extensions: [{ type: 'basicConstraints', ca: true }],
        }),
      );
      const leafKeys = generateKeyPair('P-256');
      const foreignLeaf = parseCertificate(
        createCertificate({
          subject: 'C=JP, CN=foreign holder',
          issuer: { certificate: foreignCa, privateKey: foreignKeys.privateKey },
          publicKey: leafKeys.publicKey,
          notBefore: new Date('2026-01-01T00:00:00Z'),
          notAfter: new Date('2030-01-01T00:00:00Z'),
        }),
      );
      const unauthorized = await ocspPost(
        createOcspRequest({ certificate: foreignLeaf, issuerCertificate: foreignCa }),
      );
      expect(parseOcspResponse(unauthorized).responseStatus).toBe('unauthorized');
      // The foreign CA's name with our CA's key hash is no CertID of ours either.
      const mixed = createOcspRequest({ certificate: auth, issuerCertificate: foreignCa });
      expect(parseOcspResponse(await ocspPost(mixed)).responseStatus).toBe('unauthorized');
    });

    it('GET /jpki/ocsp/{url-encoded base64} (RFC 6960 A.1) answers and may be cached until nextUpdate', async () => {
      const request = createOcspRequest({ certificate: sign, issuerCertificate: signCa });
      const encoded = encodeURIComponent(Buffer.from(request).toString('base64'));
      const r = await t.app.request(`/jpki/ocsp/${encoded}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toMatch(/^max-age=\d+, public, no-transform, must-revalidate$/);
      const maxAge = Number(/max-age=(\d+)/.exec(r.headers.get('cache-control') ?? '')?.[1]);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(15 * 60);
      const response = new Uint8Array(await r.arrayBuffer());
      expect((await ocspRevocationSource(response).check(sign, signCa, t.clock())).status).toBe('good');
      // The same request through the real socket, unencoded slashes and all.
      const viaSocket = await fetch(`${base}/ocsp/${Buffer.from(request).toString('base64')}`);
      expect(parseOcspResponse(new Uint8Array(await viaSocket.arrayBuffer())).responseStatus).toBe(
        'successful',
      );
    });

    it('404 problem for an unknown CA, a malformed partition or an unknown CA CRL file', async () => {
      for (const path of [
        `/crl/no-such-ca/${PARTITION}`,
        `/crl/${t.hierarchy.jpki.userAuthentication.ca.name}/139905`,
        `/crl/${t.hierarchy.jpki.userAuthentication.ca.name}/13990`,
        `/crl/${t.hierarchy.mnc.iaca.name}/${PARTITION}`,
        '/ca/no-such-ca.crl',
        `/ca/${t.hierarchy.mnc.documentSigner.name}.crl`,
      ]) {
        const r = await t.app.request(path);
        expect(r.status, path).toBe(404);
        expect(((await r.json()) as { code: string }).code).toBe('ISSUER_NOT_FOUND');
      }
    });

    it('serves /ca/<name>.crl, the URL baked into the mdoc certificates: empty, signed by that CA', async () => {
      for (const ca of [t.hierarchy.mnc.iaca, t.hierarchy.mdl.iaca, t.hierarchy.reader.root]) {
        const baked = t.hierarchy.mnc.documentSigner.certificate.crlDistributionPoints;
        expect(baked.length).toBeGreaterThan(0);
        const r = await t.app.request(`/ca/${ca.name}.crl`);
        expect(r.status).toBe(200);
        const der = new Uint8Array(await r.arrayBuffer());
        const v = verifyCrl(der, { issuerCertificate: ca.certificate, now: t.clock() });
        expect(v.status, ca.name).toBe('current');
        expect(v.crl?.entries).toHaveLength(0);
        const out = opensslSync([
          'crl',
          '-inform',
          'DER',
          '-in',
          file(`${ca.name}.crl`, der),
          '-CAfile',
          file(`${ca.name}.pem`, derToPem(ca.der)),
          '-verify',
          '-noout',
        ]);
        expect(out.out).toContain('verify OK');
      }
    });
  });
}
