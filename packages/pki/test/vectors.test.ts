/**
 * Path validation on public vectors: ISO 18013-5 Annex D and document signers real wallets sent.
 * The document-signer certificate is taken from the response bytes (x5chain, COSE header 33) and must
 * equal the certificate file the vector names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS_DIR } from '@mynakit/test-vectors';
import { describe, expect, it } from 'vitest';
import { readElementAt } from '../src/der-reader.js';
import {
  checkDocumentSignerProfile,
  checkIacaProfile,
  OID,
  parseCertificate,
  splitPemBundle,
  validateCertificatePath,
} from '../src/index.js';

const V = VECTORS_DIR;
const annexD = (f: string) => readFileSync(join(V, 'iso-18013-5-annex-d', f), 'utf8');

/** Finds the x5chain certificates in a CBOR-encoded response: header label 33 followed by a bstr. */
function x5chainCerts(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 4 < bytes.length; i++) {
    if (bytes[i] !== 0x18 || bytes[i + 1] !== 0x21) continue;
    let j = i + 2;
    let count = 1;
    if ((bytes[j]! & 0xe0) === 0x80) {
      count = bytes[j]! & 0x1f;
      j++;
    }
    for (let k = 0; k < count; k++) {
      const head = bytes[j]!;
      let len: number;
      if (head === 0x59) {
        len = (bytes[j + 1]! << 8) | bytes[j + 2]!;
        j += 3;
      } else if (head === 0x58) {
        len = bytes[j + 1]!;
        j += 2;
      } else break;
      const der = bytes.subarray(j, j + len);
      try {
        if (readElementAt(der, 0).bytes.length === len && der[0] === 0x30) out.push(der);
      } catch {
        /* not a certificate */
      }
      j += len;
    }
  }
  return out;
}

describe('ISO 18013-5 Annex D', () => {
  const ds = parseCertificate(annexD('ds_cert.pem'));
  const iaca = parseCertificate(annexD('iaca_cert.pem'));

  it('the DS chains to the IACA at 2021-01-01', () => {
    const r = validateCertificatePath({
      leaf: ds,
      trustAnchors: [iaca],
      now: new Date('2021-01-01T00:00:00Z'),
      requiredEku: OID.mdlDocumentSigner,
    });
    expect(r.failure).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.path.map((c) => c.subject)).toEqual(['CN=utopia ds, C=US', 'CN=utopia iaca, C=US']);
    expect(r.checks.every((c) => c.status === 'passed')).toBe(true);
  });

  it('the DS fails as expired at 2022-01-01', () => {
    const r = validateCertificatePath({
      leaf: ds,
      trustAnchors: [iaca],
      now: new Date('2022-01-01T00:00:00Z'),
    });
    expect(r.ok).toBe(false);
    expect(r.failure?.code).toBe('PATH_EXPIRED');
  });

  it('the DS inside the DeviceResponse x5chain is ds_cert.pem', () => {
    const resp = Buffer.from(
      readFileSync(join(V, 'iso-18013-5-annex-d/device_response.hex'), 'utf8').trim(),
      'hex',
    );
    const certs = x5chainCerts(resp);
    expect(certs).toHaveLength(1);
    expect(parseCertificate(certs[0]!).fingerprint256).toBe(ds.fingerprint256);
  });

  it('the reader certificate chains to the reader root', () => {
    const r = validateCertificatePath({
      leaf: parseCertificate(annexD('reader_cert.pem')),
      trustAnchors: [parseCertificate(annexD('reader_root_cert.pem'))],
      now: new Date('2021-01-01T00:00:00Z'),
      requiredEku: OID.mdlReaderAuth,
    });
    expect(r.ok).toBe(true);
  });

  it('profiles: the Annex D IACA and DS conform to Annex B', () => {
    expect(checkIacaProfile(iaca, 'strict').filter((c) => c.status !== 'passed')).toEqual([
      // the example IACA is signed with ECDSA and carries every required extension
    ]);
    const dsChecks = checkDocumentSignerProfile(ds, 'strict');
    expect(dsChecks.filter((c) => c.status !== 'passed')).toEqual([]);
  });
});

describe('real-world document signers at their verification time', () => {
  const root = join(V, 'real-world');
  const cases: { dir: string; anchors: string[]; time: string; response: string }[] = [];
  for (const group of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const c of readdirSync(join(root, group.name), { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    )) {
      const dir = join(root, group.name, c.name);
      const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as {
        trust_anchors?: string[];
        verification_time: string;
      };
      const files = readdirSync(dir);
      cases.push({
        dir,
        anchors: meta.trust_anchors ?? (files.includes('issuer.pem') ? ['issuer.pem'] : ['cert0.pem']),
        time: meta.verification_time,
        response: files.find((f) => f === 'device_response.hex' || f === 'issuer_signed.hex')!,
      });
    }
  }

  it('found every case', () => {
    // wallet-responses 5, auth0-examples 4, eudi-reference-wallet 2, aosp-identity-credential 1,
    // smart-health-checkin 1 (real-world/README.md)
    expect(cases.length).toBe(13);
  });

  for (const c of cases) {
    it(`${c.dir.slice(root.length + 1)} validates at ${c.time}, and not after it expires`, () => {
      const bytes = Buffer.from(readFileSync(join(c.dir, c.response), 'utf8').trim(), 'hex');
      const chain = x5chainCerts(bytes).map((d) => parseCertificate(d));
      expect(chain.length).toBeGreaterThan(0);
      const [leafCert, ...rest] = chain;
      const anchors = c.anchors.flatMap((f) =>
        splitPemBundle(readFileSync(join(c.dir, f), 'utf8')).map((d) => parseCertificate(d)),
      );
      const now = new Date(c.time);
      const r = validateCertificatePath({ leaf: leafCert!, intermediates: rest, trustAnchors: anchors, now });
      expect(r.failure, JSON.stringify(r.checks)).toBeUndefined();
      expect(r.ok).toBe(true);
      const later = validateCertificatePath({
        leaf: leafCert!,
        intermediates: rest,
        trustAnchors: anchors,
        now: new Date(leafCert!.notAfter.getTime() + 86_400_000),
      });
      expect(later.failure?.code).toBe('PATH_EXPIRED');
      // lenient profile checks never fail; deviations are warnings
      expect(
        checkDocumentSignerProfile(leafCert!).every((x) => x.status === 'passed' || x.status === 'warning'),
      ).toBe(true);
    });
  }

  it('google: the signer is trusted directly, the expired extra anchor does not matter', () => {
    const dir = join(root, 'wallet-responses/google-cm-wallet-dcapi-draft24');
    const cert0 = parseCertificate(readFileSync(join(dir, 'cert0.pem'), 'utf8'));
    const cert1 = parseCertificate(readFileSync(join(dir, 'cert1.pem'), 'utf8'));
    expect(cert1.isSelfIssued).toBe(true); // same name, but signed by another key
    const now = new Date('2025-02-20T00:00:00Z');
    for (const anchors of [
      [cert0, cert1],
      [cert1, cert0],
    ]) {
      const r = validateCertificatePath({ leaf: cert1, trustAnchors: anchors, now });
      expect(r.ok).toBe(true);
      expect(r.path).toHaveLength(1);
    }
    // without cert1 there is no path: cert1 is not signed by its own key
    expect(validateCertificatePath({ leaf: cert1, trustAnchors: [cert0], now }).failure?.code).toBe(
      'PATH_NO_ANCHOR',
    );
  });

  it('animo: the DS chains to the Animo IACA, and the IACA passes the Annex B profile', () => {
    const dir = join(root, 'wallet-responses/animo-paradym-oid4vp1');
    const iaca = parseCertificate(readFileSync(join(dir, 'cert1.pem'), 'utf8'));
    const ds = parseCertificate(readFileSync(join(dir, 'cert0.pem'), 'utf8'));
    const r = validateCertificatePath({
      leaf: ds,
      trustAnchors: [iaca],
      now: new Date('2026-01-12T00:00:00Z'),
      requiredEku: OID.mdlDocumentSigner,
    });
    expect(r.ok).toBe(true);
    expect(r.path).toHaveLength(2);
  });

  it('auth0: a CA:TRUE DS without keyUsage is a profile warning (lenient) and a failure (strict)', () => {
    const ds = parseCertificate(readFileSync(join(root, 'auth0-examples/example1/issuer.pem'), 'utf8'));
    const lenient = checkDocumentSignerProfile(ds);
    expect(lenient.find((c) => c.id === 'profile.ds.not_ca')?.status).toBe('warning');
    expect(lenient.find((c) => c.id === 'profile.ds.key_usage')?.status).toBe('warning');
    expect(lenient.some((c) => c.status === 'failed')).toBe(false);
    const strict = checkDocumentSignerProfile(ds, 'strict');
    expect(strict.find((c) => c.id === 'profile.ds.not_ca')?.status).toBe('failed');
    expect(strict.find((c) => c.id === 'profile.ds.eku')?.status).toBe('failed');
  });

  it('ubique: a v1 certificate without extensions is parsed and trusted directly', () => {
    const c = parseCertificate(
      readFileSync(join(root, 'wallet-responses/ubique-oid4vp-draft18/cert0.pem'), 'utf8'),
    );
    expect(c.extensions).toEqual([]);
    expect(c.subject).toBe('C=CH, CN=Subject');
    expect(c.issuer).toBe('CN=Issuer, C=CH');
    expect(c.isSelfIssued).toBe(false);
  });
});
