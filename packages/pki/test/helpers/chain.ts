/**
 * Test PKI built with the package's own issuing functions (each chain is also checked by OpenSSL in
 * the tests that use it).
 */
import type { KeyObject } from 'node:crypto';
import {
  type Certificate,
  createCertificate,
  createOcspResponse,
  derToPem,
  type ExtensionInput,
  generateKeyPair,
  type KeyAlgorithm,
  type KeyPair,
  parseCertificate,
  type SigningAlgorithm,
} from '../../src/index.js';

export interface TestEntity {
  readonly cert: Certificate;
  readonly der: Uint8Array;
  readonly pem: string;
  readonly keys: KeyPair;
  readonly privateKey: KeyObject;
}

export const NOT_BEFORE = new Date('2024-01-01T00:00:00Z');
export const NOT_AFTER = new Date('2030-01-01T00:00:00Z');
export const NOW = new Date('2025-06-01T00:00:00Z');

const keyCache = new Map<string, KeyPair>();

/** Key pairs are generated once per name and algorithm within a test file (RSA generation is slow). */
export function keysFor(name: string, alg: KeyAlgorithm = 'P-256'): KeyPair {
  const k = `${name}/${alg}`;
  let kp = keyCache.get(k);
  if (!kp) {
    kp = generateKeyPair(alg);
    keyCache.set(k, kp);
  }
  return kp;
}

export interface IssueOptions {
  readonly subject: string;
  readonly issuer?: TestEntity;
  readonly keys?: KeyPair;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly extensions?: readonly ExtensionInput[];
  readonly signingAlgorithm?: SigningAlgorithm;
  readonly serialNumber?: string;
  /** Sign with this key instead of the issuer's (a forged issuer). */
  readonly signWith?: KeyObject;
}

export function issue(o: IssueOptions): TestEntity {
  const keys = o.keys ?? keysFor(o.subject);
  const der = createCertificate({
    subject: o.subject,
    ...(o.issuer
      ? { issuer: { certificate: o.issuer.cert, privateKey: o.signWith ?? o.issuer.privateKey } }
      : { privateKey: o.signWith ?? keys.privateKey }),
    publicKey: keys.publicKey,
    notBefore: o.notBefore ?? NOT_BEFORE,
    notAfter: o.notAfter ?? NOT_AFTER,
    extensions: o.extensions ?? [],
    ...(o.signingAlgorithm ? { signingAlgorithm: o.signingAlgorithm } : {}),
    ...(o.serialNumber ? { serialNumber: o.serialNumber } : {}),
  });
  return { cert: parseCertificate(der), der, pem: derToPem(der), keys, privateKey: keys.privateKey };
}

export const caExtensions = (pathLength?: number): ExtensionInput[] => [
  { type: 'basicConstraints', ca: true, ...(pathLength !== undefined ? { pathLength } : {}) },
  { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
];

export const leafExtensions: ExtensionInput[] = [
  { type: 'basicConstraints', ca: false },
  { type: 'keyUsage', usages: ['digitalSignature'] },
];

export function root(subject: string, o: Partial<IssueOptions> = {}): TestEntity {
  return issue({ subject, extensions: caExtensions(), ...o });
}

export function intermediate(subject: string, issuer: TestEntity, o: Partial<IssueOptions> = {}): TestEntity {
  return issue({ subject, issuer, extensions: caExtensions(), ...o });
}

export function leaf(subject: string, issuer: TestEntity, o: Partial<IssueOptions> = {}): TestEntity {
  return issue({ subject, issuer, extensions: leafExtensions, ...o });
}

/** A `good` OCSP response for `holder`, signed by its issuing CA itself, valid for a day from `at`. */
export function goodOcspResponse(holder: TestEntity, ca: TestEntity, at: Date): Uint8Array {
  return createOcspResponse({
    responder: { certificate: ca.cert, privateKey: ca.privateKey },
    producedAt: at,
    responses: [
      {
        certificate: holder.cert,
        issuerCertificate: ca.cert,
        status: 'good',
        thisUpdate: at,
        nextUpdate: new Date(at.getTime() + 86_400_000),
      },
    ],
  });
}
