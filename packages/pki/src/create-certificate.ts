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
import { createPublicKey, getRandomValues, type KeyObject } from 'node:crypto';
import {
  defaultSigningAlgorithm,
  readAlgorithmIdentifier,
  type SigningAlgorithm,
  signData,
  signingAlgorithmIdentifier,
  verifySignature,
} from './algorithm.js';
import { type Certificate, keyIdentifierOf, serialToBigInt, toCertificate } from './certificate.js';
import { readDer } from './der-reader.js';
import { bitString, explicit, integer, sequence, x509Time } from './der-writer.js';
import { PkiError } from './errors.js';
import { type ExtensionInput, encodeExtension, encodeExtensionInput } from './extensions.js';
import { publicKeyFromSpki, spkiOf, subjectPublicKeyBits } from './keys.js';
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
  const signingKey = opts.issuer?.privateKey ?? opts.privateKey;
  if (signingKey === undefined)
    throw new PkiError('INVALID_ARGUMENT', 'a self-signed certificate needs privateKey');
  const alg = opts.signingAlgorithm ?? defaultSigningAlgorithm(signingKey);
  const { tbs, algId } = buildTbsCertificate(opts, opts.issuer?.certificate, alg);
  return sequence(tbs, algId, bitString(signData(alg, tbs, signingKey)));
}

/**
 * Something that signs with a private key it never hands out: an HSM, a cloud KMS, an encrypted key
 * store. `sign` receives the DER TBSCertificate and returns the signature value as the certificate's
 * signatureValue carries it — for ECDSA the DER Ecdsa-Sig-Value (RFC 5758 §3.2), not IEEE P1363 r‖s;
 * for RSA PKCS #1 v1.5 the octet string of RFC 8017 §8.2.
 */
export interface CertificateSigner {
  /** The signature algorithm the key signs with (written into the certificate twice, RFC 5280 §4.1.1.2). */
  readonly algorithm: SigningAlgorithm;
  /** Signs `tbs` (the whole DER to be signed; the signer hashes it). */
  sign(tbs: Uint8Array): Promise<Uint8Array>;
}

/**
 * A CertificateSigner over a private KeyObject held in this process (default algorithm: from the key,
 * as createCertificate chooses it). Key stores that decrypt keys in memory sign through it, so every
 * path signs with the same code. `sign` rejects with UNSUPPORTED_KEY when the key cannot sign with
 * `algorithm` (an EC key asked for RSA, …).
 */
export function keyObjectSigner(privateKey: KeyObject, algorithm?: SigningAlgorithm): CertificateSigner {
  const alg = algorithm ?? defaultSigningAlgorithm(privateKey);
  return { algorithm: alg, sign: async (data) => signData(alg, data, privateKey) };
}

/** An issuing CA whose key signs through a CertificateSigner. */
export interface SignerIssuer {
  /** The CA certificate (its subject becomes the issuer name, byte for byte). */
  readonly certificate: Certificate | Uint8Array | string;
  readonly signer: CertificateSigner;
}

/** createCertificate's options with the issuer's key behind a CertificateSigner. */
export interface CreateCertificateWithSignerOptions
  extends Omit<CreateCertificateOptions, 'issuer' | 'privateKey' | 'signingAlgorithm'> {
  /** The issuing CA. Absent: self-signed through `signer`, which must hold the subject's key. */
  readonly issuer?: SignerIssuer;
  /** The subject's own signer; required for a self-signed certificate. */
  readonly signer?: CertificateSigner;
}

/**
 * createCertificate for a key held elsewhere: the same TBSCertificate, signed by `await signer.sign(tbs)`.
 * The signature is verified under the issuer's public key before the certificate is returned, so a signer
 * that answers with another key, another encoding (P1363 instead of DER) or another algorithm fails here
 * (INVALID_ARGUMENT) instead of producing a certificate nobody can verify.
 */
export async function createCertificateWithSigner(
  opts: CreateCertificateWithSignerOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const signer = opts.issuer?.signer ?? opts.signer;
  if (signer === undefined) throw new PkiError('INVALID_ARGUMENT', 'a self-signed certificate needs signer');
  const alg = signer.algorithm;
  const { tbs, algId, issuerCert } = buildTbsCertificate(opts, opts.issuer?.certificate, alg);
  const verifyingKey = issuerCert?.publicKey ?? publicKeyOf(opts.publicKey);
  const signature = await signVerified(signer, tbs, algId, verifyingKey, "the issuer's");
  return sequence(tbs, algId, bitString(signature));
}

/**
 * `await signer.sign(tbs)`, checked under `verifyingKey` before anyone relies on it: a signer answering
 * with another key, another encoding (P1363 instead of DER) or another algorithm is refused
 * (INVALID_ARGUMENT) instead of producing a structure nobody can verify. Shared by every `…WithSigner`
 * writer (certificates, CRLs, OCSP responses).
 *
 * @internal
 */
export async function signVerified(
  signer: CertificateSigner,
  tbs: Uint8Array,
  algId: Uint8Array,
  verifyingKey: KeyObject,
  whose: string,
): Promise<Uint8Array> {
  const signature = await signer.sign(tbs);
  const algorithm = readAlgorithmIdentifier(readDer(algId, 'AlgorithmIdentifier'));
  if (!verifySignature(algorithm, tbs, signature, verifyingKey))
    throw new PkiError(
      'INVALID_ARGUMENT',
      `the signer's ${signer.algorithm} signature does not verify under ${whose} public key`,
    );
  return signature;
}

function publicKeyOf(key: KeyObject | Uint8Array): KeyObject {
  if (!(key instanceof Uint8Array)) return key.type === 'private' ? createPublicKey(key) : key;
  return publicKeyFromSpki(key);
}

/**
 * The one TBSCertificate builder of both paths:
 *
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, serialNumber, signature,
 *     issuer, validity, subject, subjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT OPTIONAL,
 *     subjectUniqueID [2] IMPLICIT OPTIONAL, extensions [3] EXPLICIT Extensions OPTIONAL }
 */
function buildTbsCertificate(
  opts: Omit<CreateCertificateOptions, 'issuer' | 'privateKey' | 'signingAlgorithm'>,
  issuerCertificate: Certificate | Uint8Array | string | undefined,
  alg: SigningAlgorithm,
): { readonly tbs: Uint8Array; readonly algId: Uint8Array; readonly issuerCert: Certificate | undefined } {
  const issuerCert = issuerCertificate !== undefined ? toCertificate(issuerCertificate) : undefined;
  if (opts.notAfter.getTime() < opts.notBefore.getTime())
    throw new PkiError('INVALID_ARGUMENT', 'notAfter precedes notBefore');
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
  return { tbs, algId, issuerCert };
}
