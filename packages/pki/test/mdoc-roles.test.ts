/**
 * The mdoc role rules of mdoc-profile.ts: which key may sign an MSO (RFC 5280 §4.2.1.3; ISO/IEC
 * 18013-5 Annex B Table B.3), which DS EKU a docType accepts, and who may sign a Status List Token.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  acceptedDocumentSignerEkus,
  createCertificate,
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  documentSignerEku,
  documentSignerEkuTable,
  documentSignerKeyUsageProblem,
  type KeyUsage,
  MdocEku,
  parseCertificate,
  STATUS_LIST_SIGNING_EKU,
  statusListSignerAuthority,
} from '../src/index.js';

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const NB = new Date('2025-01-01T00:00:00Z');
const NA = new Date('2026-01-01T00:00:00Z');
const NOW = new Date('2025-06-01T00:00:00Z');

const iacaKeys = p256();
const iaca = parseCertificate(
  createCertificate({
    subject: 'C=JP, CN=roles IACA',
    publicKey: iacaKeys.publicKey,
    privateKey: iacaKeys.privateKey,
    notBefore: NB,
    notAfter: NA,
    extensions: [
      { type: 'basicConstraints', ca: true, pathLength: 0 },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
    ],
  }),
);

function leaf(keyUsage?: readonly KeyUsage[], eku?: readonly string[]) {
  const k = p256();
  return parseCertificate(
    createCertificate({
      subject: 'C=JP, CN=roles leaf',
      issuer: { certificate: iaca, privateKey: iacaKeys.privateKey },
      publicKey: k.publicKey,
      notBefore: NB,
      notAfter: NA,
      extensions: [
        ...(keyUsage ? [{ type: 'keyUsage' as const, usages: keyUsage }] : []),
        ...(eku ? [{ type: 'extKeyUsage' as const, usages: eku }] : []),
      ],
    }),
  );
}

describe('documentSignerKeyUsageProblem', () => {
  it('digitalSignature or no keyUsage: may sign; keyCertSign/cRLSign only (an IACA): may not', () => {
    expect(documentSignerKeyUsageProblem(leaf(['digitalSignature']))).toBeUndefined();
    expect(documentSignerKeyUsageProblem(leaf())).toBeUndefined();
    expect(documentSignerKeyUsageProblem(leaf(['keyCertSign']))).toMatch(/digitalSignature/);
    expect(documentSignerKeyUsageProblem(iaca)).toMatch(/keyCertSign, cRLSign/);
  });
});

describe('documentSignerEku', () => {
  const mdl = acceptedDocumentSignerEkus(DEFAULT_DOCUMENT_SIGNER_EKUS, 'org.iso.18013.5.1.mDL');
  it.each([
    [[MdocEku.documentSigner], 'accepted'],
    [['2.5.29.37.0'], 'accepted'],
    [undefined, 'absent'],
    [[MdocEku.euPidDocumentSigner], 'outside'],
    [[MdocEku.readerAuth], 'other-role'],
    [[MdocEku.documentSigner, STATUS_LIST_SIGNING_EKU], 'other-role'],
  ] as const)('%j for an mDL → %s', (eku, verdict) => {
    expect(documentSignerEku(leaf(['digitalSignature'], eku), mdl).verdict).toBe(verdict);
  });

  it('docTypes not in the table take the 18013-5 or 23220-4 DS EKU', () => {
    const other = acceptedDocumentSignerEkus(DEFAULT_DOCUMENT_SIGNER_EKUS, 'org.example.unknown.1');
    expect(documentSignerEku(leaf(undefined, [MdocEku.iso23220DocumentSigner]), other).verdict).toBe(
      'accepted',
    );
    const custom = documentSignerEkuTable(new Map([['x', ['1.2.3']]]), { otherDocTypes: [] });
    expect(acceptedDocumentSignerEkus(custom, 'y').size).toBe(0);
  });
});

describe('statusListSignerAuthority', () => {
  const ds = leaf(['digitalSignature'], [MdocEku.documentSigner]);
  const base = { documentSigner: ds, iaca, now: NOW };
  it('the DS itself, or an IACA-issued certificate without EKU or with the status list EKU: authorised', () => {
    expect(statusListSignerAuthority({ ...base, signer: ds }).authorised).toBe(true);
    expect(statusListSignerAuthority({ ...base, signer: leaf(['digitalSignature']) }).authorised).toBe(true);
    expect(
      statusListSignerAuthority({ ...base, signer: leaf(['digitalSignature'], [STATUS_LIST_SIGNING_EKU]) })
        .authorised,
    ).toBe(true);
  });

  it('another role, the IACA itself, no IACA, or outside its validity: not authorised', () => {
    const another = leaf(['digitalSignature'], [MdocEku.documentSigner]);
    expect(statusListSignerAuthority({ ...base, signer: another }).authorised).toBe(false);
    expect(statusListSignerAuthority({ ...base, signer: iaca }).authorised).toBe(false);
    expect(statusListSignerAuthority({ documentSigner: ds, now: NOW, signer: leaf() }).authorised).toBe(
      false,
    );
    expect(
      statusListSignerAuthority({ ...base, now: new Date('2027-01-01T00:00:00Z'), signer: leaf() })
        .authorised,
    ).toBe(false);
  });
});
