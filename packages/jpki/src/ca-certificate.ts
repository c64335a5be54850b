import type { KeyObject } from 'node:crypto';
import { createCertificate, type ExtensionInput, type Issuer } from '@mynakit/pki';
import { caNameFor, type JpkiCertificatePurpose, type NameAttributes, nameToRdns } from './profiles.js';

/**
 * A JPKI CA certificate (signature CA or user-authentication CA; DOMAIN.md §3): RSA-2048,
 * sha256WithRSAEncryption, subject `C=JP, O=JPKI, OU=JPKI for digital signature | user authentication,
 * OU=Japan Agency for Local Authority Information Systems`, basicConstraints cA (critical), keyUsage
 * keyCertSign + cRLSign (critical), key identifiers. Each generation is a new key under the same name, so
 * relying parties pick the issuer by AKI/SKI. A link (cross) certificate of a new generation is the same
 * certificate issued by the previous generation's key: pass `issuer`.
 */
export interface JpkiCaCertificateOptions {
  readonly purpose: JpkiCertificatePurpose;
  readonly publicKey: KeyObject;
  /** Self-signed when `issuer` is absent: the CA's own private key. */
  readonly privateKey?: KeyObject;
  readonly issuer?: Issuer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string | bigint;
  /** Defaults to the J-LIS CA name of the purpose. */
  readonly name?: NameAttributes;
  /** Path length below this CA (JPKI issues end certificates directly: 0). */
  readonly pathLength?: number;
  readonly extraExtensions?: readonly ExtensionInput[];
}

export function createJpkiCaCertificate(o: JpkiCaCertificateOptions): Uint8Array {
  return createCertificate({
    subject: nameToRdns(o.name ?? caNameFor(o.purpose)),
    ...(o.issuer !== undefined ? { issuer: o.issuer } : {}),
    publicKey: o.publicKey,
    ...(o.privateKey !== undefined ? { privateKey: o.privateKey } : {}),
    ...(o.serialNumber !== undefined ? { serialNumber: o.serialNumber } : {}),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    signingAlgorithm: 'sha256WithRSAEncryption',
    extensions: [
      { type: 'basicConstraints', ca: true, pathLength: o.pathLength ?? 0, critical: true },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'], critical: true },
      ...(o.extraExtensions ?? []),
    ],
  });
}
