import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { signSign1, verifySign1 } from '@mynakit/cose';
import {
  acceptedDocumentSignerEkus,
  checkDocumentSignerProfile,
  checkIacaProfile,
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  documentSignerEku,
  documentSignerKeyUsageProblem,
  MdocEku,
  OID,
  STATUS_LIST_SIGNING_EKU,
  statusListSignerAuthority,
  validateCertificatePath,
} from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCertificateStore } from '../src/ca/certificate-store.js';
import { ecdsaDerToP1363, sandboxMdocSigner } from '../src/ca/mdoc-signer.js';
import {
  ensureSandboxHierarchy,
  type SandboxCertificate,
  type SandboxHierarchy,
} from '../src/ca/sandbox-hierarchy.js';
import { SANDBOX_DOCTYPE } from '../src/ca/sandbox-names.js';
import { IssuerError } from '../src/errors.js';
import { EncryptedFileKeySource } from '../src/keys/encrypted-file-key-source.js';
import { CA_EPOCH, sandboxAt, type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

const DAY = 86_400_000;
const dirs: TempDataDir[] = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});
function newDir(): TempDataDir {
  const d = tempDataDir();
  dirs.push(d);
  return d;
}

/** Every certificate of a hierarchy by name. */
function allCertificates(h: SandboxHierarchy): Map<string, SandboxCertificate> {
  const list: SandboxCertificate[] = [
    ...h.mnc.iacas,
    h.mnc.documentSigner,
    h.mnc.statusListSigner,
    ...h.mdl.iacas,
    h.mdl.documentSigner,
    ...h.jpki.signature.cas,
    ...h.jpki.signature.ocspResponders.values(),
    ...h.jpki.userAuthentication.cas,
    ...h.jpki.userAuthentication.ocspResponders.values(),
    ...h.attestation.roots,
    h.attestation.ca,
    ...h.reader.roots,
  ];
  return new Map(list.map((c) => [c.name, c]));
}

function filesOf(dir: string): Map<string, number> {
  return new Map(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}

let dir: TempDataDir;
let h: SandboxHierarchy;
beforeAll(async () => {
  dir = newDir();
  h = await sandboxAt(dir.path);
});

describe('ensureSandboxHierarchy: first start', () => {
  it('creates every CA of the sandbox, each certificate under the name of its key', () => {
    expect([...allCertificates(h).keys()].sort()).toEqual([
      'attestation-ca-g0',
      'attestation-root-g0',
      'jpki-auth-ca-g0',
      'jpki-auth-ocsp-c0-g0',
      'jpki-sign-ca-g0',
      'jpki-sign-ocsp-c0-g0',
      'mdl-ds-g0',
      'mdl-iaca-g0',
      'mnc-ds-g0',
      'mnc-iaca-g0',
      'mnc-status-g0',
      'reader-ca-g0',
    ]);
    const keyFiles = readdirSync(join(dir.path, 'issuer', 'keys')).filter((f) => f.endsWith('.key'));
    expect(keyFiles.sort()).toEqual([...allCertificates(h).keys()].map((n) => `${n}.key`).sort());
    expect(h.epoch).toEqual(CA_EPOCH);
    for (const c of allCertificates(h).values()) {
      expect(c.certificate.notBefore).toEqual(CA_EPOCH);
      expect(c.certificate.subject).toMatch(/sandbox/i);
      expect(c.certificate.subject).not.toMatch(/JPKI|J-LIS|Japan Agency|Digital Agency|デジタル庁/);
    }
  });

  it('makes IACAs and document signers that pass the ISO/IEC 18013-5 Annex B profile checks, even strict', () => {
    for (const issuer of [h.mnc, h.mdl]) {
      const iacaChecks = checkIacaProfile(issuer.iaca.certificate, 'strict');
      expect(iacaChecks.filter((c) => c.status !== 'passed')).toEqual([]);
      const accepted = acceptedDocumentSignerEkus(DEFAULT_DOCUMENT_SIGNER_EKUS, issuer.docType);
      const ds = issuer.documentSigner.certificate;
      expect(checkDocumentSignerProfile(ds, 'strict', accepted).filter((c) => c.status !== 'passed')).toEqual(
        [],
      );
      expect(documentSignerEku(ds, accepted).verdict).toBe('accepted');
      expect(documentSignerKeyUsageProblem(ds)).toBeUndefined();
      expect(documentSignerKeyUsageProblem(issuer.iaca.certificate)).toBeDefined();
      const path = validateCertificatePath({
        leaf: ds,
        trustAnchors: [issuer.iaca.certificate],
        now: CA_EPOCH,
      });
      expect(path.ok, JSON.stringify(path.checks)).toBe(true);
      expect(ds.signatureAlgorithm.name).toBe('ecdsa-with-SHA256');
      expect(ds.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    }
    // The record's DS carries both ISO DS EKUs; the mDL's only the 18013-5 one (its rulebook's).
    expect(h.mnc.documentSigner.certificate.extKeyUsage).toEqual([
      MdocEku.documentSigner,
      MdocEku.iso23220DocumentSigner,
    ]);
    expect(h.mdl.documentSigner.certificate.extKeyUsage).toEqual([MdocEku.documentSigner]);
    expect(h.mdl.iaca.certificate.subject).toMatch(/^C=ZZ, /);
  });

  it('makes a status list signer that speaks for the record DS (issued by its IACA, status list EKU)', () => {
    const signer = h.mnc.statusListSigner.certificate;
    expect(signer.extKeyUsage).toEqual([STATUS_LIST_SIGNING_EKU]);
    const authority = statusListSignerAuthority({
      signer,
      documentSigner: h.mnc.documentSigner.certificate,
      iaca: h.mnc.iaca.certificate,
      now: CA_EPOCH,
    });
    expect(authority.authorised, authority.detail).toBe(true);
    // …and for nothing the mDL IACA issued.
    expect(
      statusListSignerAuthority({
        signer,
        documentSigner: h.mdl.documentSigner.certificate,
        iaca: h.mdl.iaca.certificate,
        now: CA_EPOCH,
      }).authorised,
    ).toBe(false);
    // The status list signer is no document signer.
    const accepted = acceptedDocumentSignerEkus(DEFAULT_DOCUMENT_SIGNER_EKUS, SANDBOX_DOCTYPE.mnc);
    expect(documentSignerEku(signer, accepted).verdict).toBe('other-role');
  });

  it('makes delegated OCSP responders under each JPKI CA, and the attestation and reader CAs', () => {
    for (const jpki of [h.jpki.signature, h.jpki.userAuthentication]) {
      const r = jpki.ocspResponder.certificate;
      expect(r.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.9']);
      expect(r.extensions.some((e) => e.oid === '1.3.6.1.5.5.7.48.1.5')).toBe(true); // id-pkix-ocsp-nocheck
      expect(r.issuer).toBe(jpki.ca.certificate.subject);
      expect(r.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
      expect(jpki.ocspResponders.get(jpki.ca.certificate.subjectKeyIdentifier!)).toBe(jpki.ocspResponder);
      const path = validateCertificatePath({ leaf: r, trustAnchors: [jpki.ca.certificate], now: CA_EPOCH });
      expect(path.ok, JSON.stringify(path.checks)).toBe(true);
    }
    const att = validateCertificatePath({
      leaf: h.attestation.ca.certificate,
      trustAnchors: [h.attestation.root.certificate],
      now: CA_EPOCH,
    });
    expect(att.ok, JSON.stringify(att.checks)).toBe(true);
    expect(h.attestation.ca.certificate.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(h.reader.root.certificate.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(h.reader.root.certificate.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(h.reader.root.certificate.extensions.some((e) => e.oid === OID.issuerAltName)).toBe(true);
  });
});

describe('ensureSandboxHierarchy: later starts', () => {
  it('reuses everything on the same data directory: the same certificates, no new key', async () => {
    const keysDir = join(dir.path, 'issuer', 'keys');
    const caDir = join(dir.path, 'issuer', 'ca');
    const keysBefore = filesOf(keysDir);
    const caBefore = filesOf(caDir);
    const again = await sandboxAt(dir.path, new Date(CA_EPOCH.getTime() + 30 * DAY));
    const before = allCertificates(h);
    const after = allCertificates(again);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, c] of after)
      expect(Buffer.from(c.der).equals(Buffer.from(before.get(name)!.der))).toBe(true);
    expect(filesOf(keysDir)).toEqual(keysBefore);
    expect(filesOf(caDir)).toEqual(caBefore);
    expect(again.epoch).toEqual(h.epoch);
  });

  it('renews signers each year and roots every four years, keeping older roots while they are valid', async () => {
    const d = newDir();
    const first = await sandboxAt(d.path);
    const nextYear = await sandboxAt(d.path, new Date(CA_EPOCH.getTime() + 366 * DAY));
    expect(nextYear.mnc.documentSigner.name).toBe('mnc-ds-g1');
    expect(nextYear.mnc.documentSigner.certificate.notBefore).toEqual(
      new Date(CA_EPOCH.getTime() + 365 * DAY),
    );
    expect(nextYear.mnc.iaca.name).toBe('mnc-iaca-g0');
    expect(Buffer.from(nextYear.mnc.iaca.der).equals(Buffer.from(first.mnc.iaca.der))).toBe(true);
    expect(nextYear.jpki.signature.ocspResponder.name).toBe('jpki-sign-ocsp-c0-g1');

    const later = await sandboxAt(d.path, new Date(CA_EPOCH.getTime() + (4 * 365 + 1) * DAY));
    expect(later.mnc.iaca.name).toBe('mnc-iaca-g1');
    expect(later.mnc.iacas.map((c) => c.name)).toEqual(['mnc-iaca-g1', 'mnc-iaca-g0']);
    expect(later.mnc.documentSigner.name).toBe('mnc-ds-g4');
    expect(later.mnc.documentSigner.certificate.issuer).toBe(later.mnc.iaca.certificate.subject);
    expect(later.mnc.documentSigner.certificate.authorityKeyIdentifier).toBe(
      later.mnc.iaca.certificate.subjectKeyIdentifier,
    );
    // JPKI: two generations under one name, told apart by key identifier; one responder each.
    expect(later.jpki.signature.cas.map((c) => c.name)).toEqual(['jpki-sign-ca-g1', 'jpki-sign-ca-g0']);
    expect(later.jpki.signature.cas[0]!.certificate.subject).toBe(
      later.jpki.signature.cas[1]!.certificate.subject,
    );
    expect([...later.jpki.signature.ocspResponders.values()].map((c) => c.name).sort()).toEqual([
      'jpki-sign-ocsp-c0-g4',
      'jpki-sign-ocsp-c1-g4',
    ]);
    for (const ca of later.jpki.signature.cas) {
      const responder = later.jpki.signature.ocspResponders.get(ca.certificate.subjectKeyIdentifier!)!;
      expect(responder.certificate.authorityKeyIdentifier).toBe(ca.certificate.subjectKeyIdentifier);
    }
    // Past its validity (10 years), a root generation is no longer offered.
    const muchLater = await sandboxAt(d.path, new Date(CA_EPOCH.getTime() + (10 * 365 + 1) * DAY));
    expect(muchLater.mnc.iacas.map((c) => c.name)).toEqual(['mnc-iaca-g2', 'mnc-iaca-g1']);
  });

  it('ends with one hierarchy when two instances start together on a new data directory', async () => {
    const d = newDir();
    const [a, b] = await Promise.all([sandboxAt(d.path), sandboxAt(d.path)]);
    const ca = allCertificates(a!);
    for (const [name, c] of allCertificates(b!))
      expect(Buffer.from(c.der).equals(Buffer.from(ca.get(name)!.der))).toBe(true);
    // Both sign with the stored keys: the DS each returns verifies under the IACA both returned.
    const path = validateCertificatePath({
      leaf: b!.mnc.documentSigner.certificate,
      trustAnchors: [a!.mnc.iaca.certificate],
      now: CA_EPOCH,
    });
    expect(path.ok).toBe(true);
  });

  it('refuses a stored certificate whose key is gone (ISSUER_CA_KEY_MISMATCH)', async () => {
    const d = newDir();
    await sandboxAt(d.path);
    // The same certificates with a key store under a new KEK in another directory: no keys of those names.
    const other = newDir();
    const keySource = await EncryptedFileKeySource.open({ dataDir: other.path });
    const err = await ensureSandboxHierarchy({
      keySource,
      store: new FileCertificateStore(d.path),
      now: CA_EPOCH,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IssuerError);
    expect((err as IssuerError).code).toBe('ISSUER_CA_KEY_MISMATCH');
  });
});

describe('sandboxMdocSigner', () => {
  it('signs a COSE_Sign1 as the document signer, r ‖ s, through the key source', async () => {
    const signer = sandboxMdocSigner(h, SANDBOX_DOCTYPE.mnc);
    expect(signer.issuerCertificateChain).toEqual([h.mnc.documentSigner.der]);
    expect(signer.iaca).toBe(h.mnc.iaca.certificate);
    const sign1 = await signSign1({
      protectedHeaders: new Map([[1, -7]]),
      unprotectedHeaders: new Map([[33, h.mnc.documentSigner.der]]),
      payload: new TextEncoder().encode('MobileSecurityObjectBytes stand-in'),
      signer: signer.issuerSigner,
    });
    expect(sign1.signature).toHaveLength(64);
    expect(await verifySign1(sign1, { key: signer.documentSigner.publicKey })).toBe(true);
    expect(sandboxMdocSigner(h, SANDBOX_DOCTYPE.mdl).documentSigner).toBe(h.mdl.documentSigner.certificate);
    expect(() => sandboxMdocSigner(h, 'eu.europa.ec.eudi.pid.1')).toThrow(
      expect.objectContaining({ code: 'ISSUER_CA_UNAVAILABLE' }),
    );
  });

  it('converts DER ECDSA values of every length to fixed-size r ‖ s', () => {
    const der = (r: string, s: string) => {
      const int = (hex: string) => `02${(hex.length / 2).toString(16).padStart(2, '0')}${hex}`;
      const body = int(r) + int(s);
      return Buffer.from(`30${(body.length / 2).toString(16).padStart(2, '0')}${body}`, 'hex');
    };
    const full = 'ff'.repeat(32);
    const out = ecdsaDerToP1363(der(`00${full}`, '01'), 32);
    expect(Buffer.from(out).toString('hex')).toBe(`${full}${'00'.repeat(31)}01`);
    expect(Buffer.from(ecdsaDerToP1363(der('7f', '7f'), 32)).toString('hex')).toBe(
      `${'00'.repeat(31)}7f${'00'.repeat(31)}7f`,
    );
    expect(() => ecdsaDerToP1363(der(`01${full}`, '01'), 32)).toThrow(RangeError);
    expect(() => ecdsaDerToP1363(der('00', '01'), 32)).toThrow(RangeError);
  });
});
