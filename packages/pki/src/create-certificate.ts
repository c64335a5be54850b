/**
 * Issues X.509 v3 certificates (RFC 5280 §4.1) with an explicit validity — no clock is read.
 *
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version (v3), serialNumber, signature,
 *     issuer, validity, subject, subjectPublicKeyInfo, extensions [3] EXPLICIT Extensions }
 *
 * The issuer Name is copied byte-exact from the issuer certificate's subject so that name chaining
 * never depends on re-encoding. Subject and authority key identifiers are added automatically
 * (RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits; the AKI is the issuer's SKI) unless
 * given or disabled. Random serial numbers are 128 bits, positive (§4.1.2.2: at most 20 octets).
 */
import { Buffer } from 'node:buffer';
import { getRandomValues, type KeyObject } from 'node:crypto';
import {
  defaultSigningAlgorithm,
  type SigningAlgorithm,
  signData,
  signingAlgorithmIdentifier,
} from './algorithm.js';
import { type Certificate, keyIdentifierOf, serialToBigInt, toCertificate } from './certificate.js';
import { bitString, explicit, integer, sequence, x509Time } from './der-writer.js';
import { PkiError } from './errors.js';
import { type ExtensionInput, encodeExtension, encodeExtensionInput } from './extensions.js';
import { spkiOf, subjectPublicKeyBits } from './keys.js';
import { encodeName, type NameInput } from './name.js';

export interface Issuer {
  readonly certificate: Certificate | Uint8Array | string;
  readonly privateKey: KeyObject;
}

export interface CreateCertificateOptions {
  readonly subject: NameInput;
  /** The issuing CA. Absent: self-signed with `privateKey`. */
  readonly issuer?: Issuer;
  /** The subject's public key (KeyObject or SPKI DER, e.g. from `parseCsr`). */
  readonly publicKey: KeyObject | Uint8Array;
  /** The subject's private key; required for a self-signed certificate. */
  readonly privateKey?: KeyObject;
  /** Hex or bigint; default 128 random bits. */
  readonly serialNumber?: string | bigint;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions?: readonly ExtensionInput[];
  /** Default: from the signing key (RSA → sha256WithRSAEncryption, P-384 → ecdsa-with-SHA384, …). */
  readonly signingAlgorithm?: SigningAlgorithm;
  /** Add subjectKeyIdentifier / authorityKeyIdentifier automatically (default true). */
  readonly keyIdentifiers?: boolean;
  /** Randomness for the serial number (default crypto.getRandomValues). */
  readonly random?: (bytes: Uint8Array) => Uint8Array;
}

export function randomSerial(random: (b: Uint8Array) => Uint8Array = (b) => getRandomValues(b)): bigint {
  const b = random(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x40; // positive and a full 16 octets
  return BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

/** Returns the DER of the new certificate. */
export function createCertificate(opts: CreateCertificateOptions): Uint8Array<ArrayBuffer> {
  const issuerCert = opts.issuer ? toCertificate(opts.issuer.certificate) : undefined;
  const signingKey = opts.issuer?.privateKey ?? opts.privateKey;
  if (signingKey === undefined)
    throw new PkiError('INVALID_ARGUMENT', 'a self-signed certificate needs privateKey');
  if (opts.notAfter.getTime() < opts.notBefore.getTime())
    throw new PkiError('INVALID_ARGUMENT', 'notAfter precedes notBefore');
  const alg = opts.signingAlgorithm ?? defaultSigningAlgorithm(signingKey);
  const algId = signingAlgorithmIdentifier(alg);
  const spki = spkiOf(opts.publicKey);
  const subject = encodeName(opts.subject);
  const issuerName = issuerCert ? issuerCert.subjectDer : subject;
  const serial =
    opts.serialNumber === undefined ? randomSerial(opts.random) : serialToBigInt(opts.serialNumber);

  const inputs = opts.extensions ?? [];
  const exts = inputs.map(encodeExtensionInput);
  if (opts.keyIdentifiers !== false) {
    const ski = keyIdentifierOf(subjectPublicKeyBits(spki));
    if (!inputs.some((e) => e.type === 'subjectKeyIdentifier'))
      exts.push(encodeExtensionInput({ type: 'subjectKeyIdentifier', keyIdentifier: ski }));
    if (!inputs.some((e) => e.type === 'authorityKeyIdentifier')) {
      const aki = issuerCert
        ? (issuerCert.subjectKeyIdentifier ?? keyIdentifierOf(issuerCert.subjectPublicKey))
        : ski;
      exts.push(encodeExtensionInput({ type: 'authorityKeyIdentifier', keyIdentifier: aki }));
    }
  }
  const seen = new Set<string>();
  for (const e of exts) {
    if (seen.has(e.oid)) throw new PkiError('INVALID_ARGUMENT', `extension ${e.oid} given twice`);
    seen.add(e.oid);
  }

  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algId,
    issuerName,
    sequence(x509Time(opts.notBefore), x509Time(opts.notAfter)),
    subject,
    spki,
    ...(exts.length > 0
      ? [explicit(3, sequence(...exts.map((e) => encodeExtension(e.oid, e.critical, e.value))))]
      : []),
  );
  const signature = signData(alg, tbs, signingKey);
  return sequence(tbs, algId, bitString(signature));
}
