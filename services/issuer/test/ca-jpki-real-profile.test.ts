/**
 * The sandbox JPKI CAs have the structure of the real J-LIS CAs (vectors/jpki-real, README "Profile of
 * all six"), extension by extension — names and keys aside: the same extensions in the same order with
 * the same criticality, keyUsage keyCertSign + cRLSign, basicConstraints cA without pathLenConstraint, a
 * directoryName subjectAltName, a CRL distribution point whose directoryName is the CA's own name, an SKI
 * and no AKI; RSA-2048 and sha256WithRSAEncryption.
 */
import { readFileSync } from 'node:fs';
import { checkJpkiCaCertificate } from '@mynakit/jpki';
import { type Certificate, parseCertificate, pemToDer } from '@mynakit/pki';
import { vectorPath } from '@mynakit/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHierarchy } from '../src/ca/sandbox-hierarchy.js';
import { CA_EPOCH, sandboxAt, type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

function real(file: string): Certificate {
  const bytes = readFileSync(vectorPath('jpki-real', file));
  return parseCertificate(file.endsWith('.pem') ? pemToDer(bytes.toString('utf8')) : new Uint8Array(bytes));
}

const REAL = {
  signature: ['signca01.cer', 'signca02.cer', 'signca03.cer'].map(real),
  userAuthentication: ['authca01.cer', 'authca02.cer', 'authca03.pem'].map(real),
};

/** The shape of a CA certificate, names and keys aside. */
function shape(c: Certificate) {
  const cdp = c.crlDistributionPoints;
  const dpName = cdp[0]?.distributionPoint;
  const fullName = dpName !== undefined && 'fullName' in dpName ? dpName.fullName : [];
  return {
    version: c.version,
    signatureAlgorithm: c.signatureAlgorithm.name,
    keyAlgorithm: c.publicKey.asymmetricKeyType,
    modulusLength: c.publicKey.asymmetricKeyDetails?.modulusLength,
    extensions: c.extensions.map((e) => ({ oid: e.oid, critical: e.critical })),
    keyUsage: c.keyUsage,
    basicConstraints: c.basicConstraints,
    subjectAltNameTypes: c.subjectAltName.map((n) => n.type),
    crlDistributionPoints: cdp.map((p) => ({
      fullNameTypes: fullName.map((n) => n.type),
      reasons: p.reasons,
      cRLIssuer: p.cRLIssuer,
    })),
    crlDistributionPointIsOwnName:
      fullName.length === 1 &&
      fullName[0]!.type === 'directoryName' &&
      Buffer.from(fullName[0]!.der).equals(Buffer.from(c.subjectDer)),
    subjectKeyIdentifier: c.subjectKeyIdentifier !== undefined,
    authorityKeyIdentifier: c.authorityKeyIdentifier,
    selfIssued: c.isSelfIssued,
    subjectIsIssuer: Buffer.from(c.subjectDer).equals(Buffer.from(c.issuerDer)),
  };
}

let dir: TempDataDir;
let h: SandboxHierarchy;
beforeAll(async () => {
  dir = tempDataDir();
  h = await sandboxAt(dir.path);
});
afterAll(() => dir.remove());

describe('sandbox JPKI CAs against the real J-LIS CAs', () => {
  for (const purpose of ['signature', 'userAuthentication'] as const) {
    it(`${purpose} CA: the same extensions, order, criticality and shapes as every real generation`, () => {
      const ours = h.jpki[purpose].ca.certificate;
      const expected = shape(ours);
      // What the README states, spelled out once, so a change on either side is visible here.
      expect(expected).toEqual({
        version: 3,
        signatureAlgorithm: 'sha256WithRSAEncryption',
        keyAlgorithm: 'rsa',
        modulusLength: 2048,
        extensions: [
          { oid: '2.5.29.15', critical: true }, // keyUsage
          { oid: '2.5.29.17', critical: false }, // subjectAltName
          { oid: '2.5.29.19', critical: true }, // basicConstraints
          { oid: '2.5.29.31', critical: false }, // cRLDistributionPoints
          { oid: '2.5.29.14', critical: false }, // subjectKeyIdentifier
        ],
        keyUsage: ['keyCertSign', 'cRLSign'],
        basicConstraints: { ca: true },
        subjectAltNameTypes: ['directoryName'],
        crlDistributionPoints: [
          { fullNameTypes: ['directoryName'], reasons: undefined, cRLIssuer: undefined },
        ],
        crlDistributionPointIsOwnName: true,
        subjectKeyIdentifier: true,
        authorityKeyIdentifier: undefined,
        selfIssued: true,
        subjectIsIssuer: true,
      });
      for (const r of REAL[purpose]) expect(shape(r), r.subject).toEqual(expected);
    });
  }

  it('names differ: nothing of the sandbox passes for J-LIS', () => {
    for (const purpose of ['signature', 'userAuthentication'] as const) {
      const ours = h.jpki[purpose].ca.certificate;
      for (const r of REAL[purpose]) {
        expect(ours.subject).not.toBe(r.subject);
        expect(ours.subjectAltName[0]).not.toEqual(r.subjectAltName[0]);
      }
      expect(ours.subject).toMatch(/^C=JP, O=mynakit sandbox, OU=sandbox /);
    }
  });

  it('@mynakit/jpki checkJpkiCaCertificate accepts the sandbox CAs as configured anchors, as it does the real ones', () => {
    for (const purpose of ['signature', 'userAuthentication'] as const) {
      const ours = h.jpki[purpose].ca.certificate;
      const report = checkJpkiCaCertificate(ours, { caNames: [ours.subject], now: CA_EPOCH });
      expect(report.verdict, JSON.stringify(report.checks)).toBe('valid');
      expect(report.checks.filter((c) => c.status !== 'passed')).toEqual([]);
      // Not configured: only the name is questioned, as for any root that is not J-LIS's.
      const unconfigured = checkJpkiCaCertificate(ours, { now: CA_EPOCH });
      expect(unconfigured.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual(['ca.name']);
      expect(unconfigured.purpose).toBeUndefined();
      // The same checker on the real CAs: the same checks pass (names are J-LIS's own).
      for (const r of REAL[purpose]) {
        const real = checkJpkiCaCertificate(r);
        expect(real.checks.filter((c) => c.status !== 'passed')).toEqual([]);
        expect(real.checks.map((c) => c.id)).toEqual(
          report.checks.map((c) => c.id).filter((id) => id !== 'ca.validity'),
        );
      }
    }
  });
});
