/**
 * The issuer's OCSP responder (services/issuer/src/ocsp): signed OCSP responses per second through HTTP,
 * against the raw RSA-2048 signature every response costs.
 *
 * Workload: 400 smartphone user-authentication certificates issued by the sandbox CA and recorded through
 * the store (a quarter revoked through store.revocations), on SQLite. Each timed request is
 * `POST /jpki/ocsp` through `app.request()` (Hono's fetch handler: routing, body read, the middleware of the
 * real app — no socket) with a DER OCSPRequest for one of them, cycling through all, each with a fresh
 * 16-byte nonce as OpenSSL sends by default: parse, CertID → CA generation, the status read from the
 * database, the response signed by the delegated responder's RSA-2048 key through the KeySource and
 * verified once under its certificate (createOcspResponseWithSigner), the nonce echoed. Requests are
 * prepared before timing (their nonces too); a few hundred warm V8 up first.
 *
 * The floor: node:crypto `sign('sha256', …)` with an RSA-2048 key (PKCS #1 v1.5) over 400 bytes, about a
 * ResponseData, in the same run: rounds of OCSP and of raw signing alternate, and each figure is the median
 * of its rounds (the ratio: the median of the rounds' ratios), so a drifting machine load does not land on
 * one side of the ratio.
 *
 * Figures:
 *   issuer.ocsp.per_s         OCSP responses per second through HTTP (app.request())
 *   issuer.ocsp.rsa_sign_per_s raw RSA-2048 PKCS #1 v1.5 signatures per second
 *   issuer.ocsp.vs_rsa_sign   the ratio
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Certificate, createOcspRequest, parseOcspResponse } from '@mynakit/pki';
import { createIssuerApp } from '../services/issuer/src/app.js';
import { FileCertificateStore } from '../services/issuer/src/ca/certificate-store.js';
import { issueSandboxUserAuthenticationCertificate } from '../services/issuer/src/ca/jpki-certificates.js';
import { ensureSandboxHierarchy } from '../services/issuer/src/ca/sandbox-hierarchy.js';
import { jpkiMunicipalityOf } from '../services/issuer/src/cards/municipality.js';
import type { IssuerDeps } from '../services/issuer/src/context.js';
import { EncryptedFileKeySource } from '../services/issuer/src/keys/encrypted-file-key-source.js';
import { syntheticResidents, withCheckDigit } from '../services/issuer/src/residents/seed-residents.js';
import { openIssuerStore } from '../services/issuer/src/store/index.js';
import { type BenchFigure, opsPerSecond } from './figure.js';

const CERTIFICATES = 400;
const WARMUP = 300;
const PREPARED = 4096;
const ROUNDS = 7;
const ROUND_MS = 700;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs the OCSP responder benchmark. */
export async function runIssuerOcspBench(): Promise<BenchFigure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bench-ocsp-'));
  try {
    const store = await openIssuerStore({ url: `sqlite:${join(dataDir, 'issuer.sqlite')}` });
    try {
      const now = new Date();
      const keySource = await EncryptedFileKeySource.open({ dataDir });
      const hierarchy = await ensureSandboxHierarchy({
        keySource,
        store: new FileCertificateStore(dataDir),
        now,
      });
      const residents = [];
      for (const r of syntheticResidents(CERTIFICATES, { seed: 6960 }))
        residents.push(await store.residents.create(r, now.getTime()));
      const ca = hierarchy.jpki.userAuthentication.ca;
      const phoneKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
      const certificates: Certificate[] = [];
      const toRevoke: string[] = [];
      for (const [i, resident] of residents.entries()) {
        const id = resident.id;
        const issued = await issueSandboxUserAuthenticationCertificate(
          hierarchy,
          {
            birthDate: { year: 1980, month: 1 + (i % 12), day: 1 + (i % 28) },
            municipality: jpkiMunicipalityOf(resident.municipalityCode),
          },
          { publicKey: phoneKey, issuedAt: now },
        );
        const installation = await store.installations.begin(
          { residentId: id, family: 'android' },
          now.getTime(),
        );
        const done = await store.installations.complete(
          installation.id,
          [
            {
              kind: 'jpki-auth',
              serial: issued.serialNumber,
              notAfter: issued.notAfter.getTime(),
              bytes: issued.der,
              crlPartition: withCheckDigit(resident.municipalityCode.slice(0, 5)),
              issuerCertificate: issued.issuerName,
            },
          ],
          { now: now.getTime() },
        );
        certificates.push(issued.certificate);
        if (i % 4 === 0) toRevoke.push(done.credentials[0]?.id as string);
      }
      for (const id of toRevoke) await store.revocations.revoke([id], 'keyCompromise', now.getTime());

      const deps: IssuerDeps = {
        store,
        keySource,
        hierarchy,
        config: { origin: 'http://localhost:8787', sandbox: true },
        clock: () => new Date(),
      };
      const app = createIssuerApp(deps);
      const requests = Array.from({ length: PREPARED }, (_, i) =>
        createOcspRequest({
          certificate: certificates[i % CERTIFICATES] as Certificate,
          issuerCertificate: ca.certificate,
          nonce: randomBytes(16),
        }),
      );
      let next = 0;
      const statuses = new Map<string, number>();
      const ask = async () => {
        const body = requests[next++ % PREPARED] as Uint8Array<ArrayBuffer>;
        const r = await app.request('/jpki/ocsp', {
          method: 'POST',
          headers: { 'content-type': 'application/ocsp-request' },
          body,
        });
        return new Uint8Array(await r.arrayBuffer());
      };
      for (let i = 0; i < WARMUP; i++) {
        const single = parseOcspResponse(await ask()).basic?.responses[0];
        if (single === undefined) throw new Error('the responder did not answer successfully');
        statuses.set(single.status, (statuses.get(single.status) ?? 0) + 1);
      }
      if (statuses.get('good') === undefined || statuses.get('revoked') === undefined)
        throw new Error('expected both good and revoked answers');
      // Interleaved rounds, the medians taken: the machine's load drifts, and a ratio of two figures
      // measured minutes apart would measure the drift.
      const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const responseData = new Uint8Array(400).fill(0x5a);
      let i = 0;
      const rsaSign = () => {
        responseData[0] = i++ & 0xff;
        sign('sha256', responseData, rsaKey);
      };
      const ocsp: number[] = [];
      const rsa: number[] = [];
      const ratios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const o = await opsPerSecond(ask, ROUND_MS);
        const r = await opsPerSecond(rsaSign, ROUND_MS);
        ocsp.push(o);
        rsa.push(r);
        ratios.push(o / r);
      }
      const perSecond = median(ocsp);
      const rsaPerSecond = median(rsa);
      const ratio = median(ratios);
      const note =
        `POST /jpki/ocsp through app.request() (no socket), one CertID and a 16-byte nonce per request, ` +
        `${CERTIFICATES} certificates on SQLite (a quarter revoked), delegated RSA-2048 responder through the ` +
        `KeySource; sequential requests; medians of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms each`;
      return [
        { name: 'issuer.ocsp.per_s', value: Math.round(perSecond), unit: 'resp/s', note },
        { name: 'issuer.ocsp.rsa_sign_per_s', value: Math.round(rsaPerSecond), unit: 'sig/s' },
        {
          name: 'issuer.ocsp.vs_rsa_sign',
          value: Math.round(ratio * 10_000) / 10_000,
          unit: 'ratio',
          ratio_to: 'issuer.ocsp.rsa_sign_per_s',
        },
      ];
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
