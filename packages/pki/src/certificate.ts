/**
 * X.509 certificate (RFC 5280 §4.1), read into mynakit's own read-only view:
 *
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier,
 *                              signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE {
 *     version [0] EXPLICIT Version DEFAULT v1, serialNumber CertificateSerialNumber,
 *     signature AlgorithmIdentifier, issuer Name, validity Validity, subject Name,
 *     subjectPublicKeyInfo SubjectPublicKeyInfo,
 *     issuerUniqueID [1] IMPLICIT UniqueIdentifier OPTIONAL, subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL,
 *     extensions [3] EXPLICIT Extensions OPTIONAL }
 *   Validity ::= SEQUENCE { notBefore Time, notAfter Time }
 *   SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 *
 * Parsed with the lean DER reader: `tbsDer` is the exact span the issuer signed. Document-signer and CA
 * certificates arrive again and again (in every mdoc's x5chain), so views are cached by SHA-256
 * fingerprint in a bounded LRU; the cache holds its own copy of the bytes, never the caller's buffer.
 */
import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { type AlgorithmIdentifier, readAlgorithmIdentifier, signatureAlgorithmName } from './algorithm.js';
import {
  children,
  readBitString,
  readDer,
  readIntegerHex,
  readOid,
  readSmallInt,
  readTime,
  Tag,
} from './der-reader.js';
import { PkiError } from './errors.js';
import {
  type AccessDescription,
  type BasicConstraints,
  type DistributionPoint,
  type Extension,
  type KeyUsage,
  type NameConstraints,
  readAuthorityInfoAccess,
  readAuthorityKeyIdentifier,
  readBasicConstraints,
  readCertificatePolicies,
  readCrlDistributionPoints,
  readExtensions,
  readExtKeyUsage,
  readKeyUsage,
  readNameConstraints,
  readSubjectAltName,
  readSubjectKeyIdentifier,
} from './extensions.js';
import type { GeneralName } from './general-name.js';
import { LruCache } from './lru.js';
import { namesEqual, nameToString } from './name.js';
import { OID } from './oids.js';
import { pemToDer } from './pem.js';

export interface PublicKeyInfo {
  /** SubjectPublicKeyInfo algorithm OID (rsaEncryption, id-ecPublicKey, id-Ed25519…). */
  readonly algorithm: string;
  /** Named curve OID for EC keys. */
  readonly namedCurve?: string;
}

export interface Certificate {
  readonly der: Uint8Array;
  /** SHA-256 of `der`, lowercase hex. */
  readonly fingerprint256: string;
  readonly version: 1 | 2 | 3;
  /** Serial number as lowercase hex of its magnitude (see `serialNumberHex`). */
  readonly serialNumber: string;
  /** Subject in string form (encoding order, RFC 4514 escaping). */
  readonly subject: string;
  readonly subjectDer: Uint8Array;
  readonly issuer: string;
  readonly issuerDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Lowercase hex. */
  readonly subjectKeyIdentifier?: string;
  /** keyIdentifier of the AuthorityKeyIdentifier, lowercase hex. */
  readonly authorityKeyIdentifier?: string;
  readonly basicConstraints?: BasicConstraints;
  readonly keyUsage?: readonly KeyUsage[];
  /** KeyPurposeId OIDs. */
  readonly extKeyUsage?: readonly string[];
  /** Empty when the extension is absent. */
  readonly subjectAltName: readonly GeneralName[];
  readonly crlDistributionPoints: readonly DistributionPoint[];
  readonly authorityInfoAccess: readonly AccessDescription[];
  /** Policy OIDs. */
  readonly certificatePolicies: readonly string[];
  readonly nameConstraints?: NameConstraints;
  readonly extensions: readonly Extension[];
  /** SubjectPublicKeyInfo DER. */
  readonly spkiDer: Uint8Array;
  readonly publicKeyInfo: PublicKeyInfo;
  /** subjectPublicKey BIT STRING contents (what OCSP's issuerKeyHash and key identifiers hash). */
  readonly subjectPublicKey: Uint8Array;
  /** The public key as a node:crypto KeyObject (created on first use; throws `UNSUPPORTED_KEY`). */
  readonly publicKey: KeyObject;
  readonly signatureAlgorithm: AlgorithmIdentifier & { readonly name: string };
  readonly tbsDer: Uint8Array;
  readonly signatureValue: Uint8Array;
  /** Subject and issuer names match (RFC 5280 §6.1: self-issued; not necessarily self-signed). */
  readonly isSelfIssued: boolean;
}

/**
 * Serial numbers as text: lowercase hex of the magnitude, even length, no sign byte (`"0a1b"`), and
 * a leading `-` for the (non-conforming but real) negative serials.
 */
export function serialNumberHex(v: bigint): string {
  const neg = v < 0n;
  let h = (neg ? -v : v).toString(16);
  if (h.length % 2) h = `0${h}`;
  return neg ? `-${h}` : h;
}

/** Normalises a serial given as hex (any case, optional colons or sign byte), bigint or number. */
export function normaliseSerialNumber(v: string | bigint | number): string {
  if (typeof v === 'bigint' || typeof v === 'number') return serialNumberHex(BigInt(v));
  const neg = v.startsWith('-');
  const h = v.replace(/^-/, '').replace(/[:\s]/g, '');
  if (!/^[0-9a-fA-F]+$/.test(h)) throw new PkiError('INVALID_ARGUMENT', 'bad serial number');
  const n = BigInt(`0x${h}`);
  return serialNumberHex(neg ? -n : n);
}

/** A serial number (hex or bigint) as a bigint. */
export function serialToBigInt(serial: string | bigint | number): bigint {
  const h = normaliseSerialNumber(serial);
  return h.startsWith('-') ? -BigInt(`0x${h.slice(1)}`) : BigInt(`0x${h}`);
}

class CertificateView implements Certificate {
  readonly der!: Uint8Array;
  readonly fingerprint256!: string;
  readonly version!: 1 | 2 | 3;
  readonly serialNumber!: string;
  readonly subject!: string;
  readonly subjectDer!: Uint8Array;
  readonly issuer!: string;
  readonly issuerDer!: Uint8Array;
  readonly notBefore!: Date;
  readonly notAfter!: Date;
  readonly subjectKeyIdentifier?: string;
  readonly authorityKeyIdentifier?: string;
  readonly basicConstraints?: BasicConstraints;
  readonly keyUsage?: readonly KeyUsage[];
  readonly extKeyUsage?: readonly string[];
  readonly subjectAltName!: readonly GeneralName[];
  readonly crlDistributionPoints!: readonly DistributionPoint[];
  readonly authorityInfoAccess!: readonly AccessDescription[];
  readonly certificatePolicies!: readonly string[];
  readonly nameConstraints?: NameConstraints;
  readonly extensions!: readonly Extension[];
  readonly spkiDer!: Uint8Array;
  readonly publicKeyInfo!: PublicKeyInfo;
  readonly subjectPublicKey!: Uint8Array;
  readonly signatureAlgorithm!: AlgorithmIdentifier & { readonly name: string };
  readonly tbsDer!: Uint8Array;
  readonly signatureValue!: Uint8Array;
  readonly isSelfIssued!: boolean;
  #publicKey: KeyObject | undefined;

  constructor(fields: Omit<Certificate, 'publicKey'>) {
    Object.assign(this, fields);
  }

  get publicKey(): KeyObject {
    if (this.#publicKey === undefined) {
      try {
        this.#publicKey = createPublicKey({ key: Buffer.from(this.spkiDer), format: 'der', type: 'spki' });
      } catch (cause) {
        throw new PkiError('UNSUPPORTED_KEY', 'the certificate public key is not supported', { cause });
      }
    }
    return this.#publicKey;
  }

  toJSON(): Record<string, unknown> {
    return {
      subject: this.subject,
      issuer: this.issuer,
      serialNumber: this.serialNumber,
      fingerprint256: this.fingerprint256,
    };
  }
}

function parseDer(der: Uint8Array, fingerprint256: string): Certificate {
  const cert = readDer(der, 'Certificate');
  if (cert.tag !== Tag.SEQUENCE) throw new PkiError('DER_MALFORMED', 'Certificate is not a SEQUENCE');
  const top = children(cert, 'Certificate');
  const tbs = top.expect(Tag.SEQUENCE, 'tbsCertificate');
  const outerAlg = readAlgorithmIdentifier(top.expect(Tag.SEQUENCE, 'signatureAlgorithm'));
  const sig = readBitString(top.expect(Tag.BIT_STRING, 'signatureValue'));
  top.finish('Certificate');

  const t = children(tbs, 'TBSCertificate');
  const v = t.optional(0xa0);
  const version = v ? readSmallInt(readDer(v.value, 'version')) + 1 : 1;
  if (version < 1 || version > 3) throw new PkiError('DER_MALFORMED', 'unknown certificate version');
  const serialNumber = readIntegerHex(t.expect(Tag.INTEGER, 'serialNumber'));
  const innerAlg = readAlgorithmIdentifier(t.expect(Tag.SEQUENCE, 'signature'));
  if (innerAlg.oid !== outerAlg.oid)
    throw new PkiError('DER_MALFORMED', 'signature algorithm mismatch (§4.1.1.2)');
  const issuer = t.expect(Tag.SEQUENCE, 'issuer').bytes;
  const validity = children(t.expect(Tag.SEQUENCE, 'validity'), 'Validity');
  const notBefore = readTime(validity.next('notBefore'));
  const notAfter = readTime(validity.next('notAfter'));
  const subject = t.expect(Tag.SEQUENCE, 'subject').bytes;
  const spki = t.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo');
  t.optional(0x81);
  t.optional(0xa1);
  t.optional(0x82);
  t.optional(0xa2);
  const extWrapper = t.optional(0xa3);
  t.finish('TBSCertificate');

  const spkiR = children(spki, 'SubjectPublicKeyInfo');
  const keyAlg = readAlgorithmIdentifier(spkiR.expect(Tag.SEQUENCE, 'algorithm'));
  const subjectPublicKey = readBitString(spkiR.expect(Tag.BIT_STRING, 'subjectPublicKey')).bytes;
  let namedCurve: string | undefined;
  if (keyAlg.oid === OID.ecPublicKey && keyAlg.parametersDer) {
    const p = readDer(keyAlg.parametersDer);
    if (p.tag === Tag.OID) namedCurve = readOid(p);
  }

  const extensions = extWrapper ? readExtensions(readDer(extWrapper.value, 'Extensions')) : [];
  const ext = (o: string): Uint8Array | undefined => extensions.find((e) => e.oid === o)?.value;
  const ski = ext(OID.subjectKeyIdentifier);
  const aki = ext(OID.authorityKeyIdentifier);
  const bc = ext(OID.basicConstraints);
  const ku = ext(OID.keyUsage);
  const eku = ext(OID.extKeyUsage);
  const san = ext(OID.subjectAltName);
  const cdp = ext(OID.cRLDistributionPoints);
  const aia = ext(OID.authorityInfoAccess);
  const cp = ext(OID.certificatePolicies);
  const nc = ext(OID.nameConstraints);
  const akid = aki ? readAuthorityKeyIdentifier(aki).keyIdentifier : undefined;

  return new CertificateView({
    der,
    fingerprint256,
    version: version as 1 | 2 | 3,
    serialNumber,
    subject: nameToString(subject),
    subjectDer: subject,
    issuer: nameToString(issuer),
    issuerDer: issuer,
    notBefore,
    notAfter,
    ...(ski ? { subjectKeyIdentifier: readSubjectKeyIdentifier(ski) } : {}),
    ...(akid !== undefined ? { authorityKeyIdentifier: akid } : {}),
    ...(bc ? { basicConstraints: readBasicConstraints(bc) } : {}),
    ...(ku ? { keyUsage: readKeyUsage(ku) } : {}),
    ...(eku ? { extKeyUsage: readExtKeyUsage(eku) } : {}),
    subjectAltName: san ? readSubjectAltName(san) : [],
    crlDistributionPoints: cdp ? readCrlDistributionPoints(cdp) : [],
    authorityInfoAccess: aia ? readAuthorityInfoAccess(aia) : [],
    certificatePolicies: cp ? readCertificatePolicies(cp) : [],
    ...(nc ? { nameConstraints: readNameConstraints(nc) } : {}),
    extensions,
    spkiDer: spki.bytes,
    publicKeyInfo: { algorithm: keyAlg.oid, ...(namedCurve !== undefined ? { namedCurve } : {}) },
    subjectPublicKey,
    signatureAlgorithm: { ...outerAlg, name: signatureAlgorithmName(outerAlg.oid) },
    tbsDer: tbs.bytes,
    signatureValue: sig.bytes,
    isSelfIssued: namesEqual(subject, issuer),
  });
}

const CACHE_SIZE = 4096;
const cache = new LruCache<string, Certificate>(CACHE_SIZE);

/**
 * Parses a certificate from DER bytes or PEM text. Throws `CERTIFICATE_MALFORMED` (with the reader's
 * error as `cause`) when the input is not a certificate.
 */
export function parseCertificate(derOrPem: Uint8Array | string): Certificate {
  let der: Uint8Array;
  try {
    der = typeof derOrPem === 'string' ? pemToDer(derOrPem, 'CERTIFICATE') : derOrPem;
  } catch (cause) {
    throw new PkiError('CERTIFICATE_MALFORMED', 'not a PEM certificate', { cause });
  }
  if (!(der instanceof Uint8Array))
    throw new PkiError('INVALID_ARGUMENT', 'parseCertificate expects bytes or PEM text');
  const fingerprint256 = createHash('sha256').update(der).digest('hex');
  const hit = cache.get(fingerprint256);
  if (hit !== undefined) return hit;
  let cert: Certificate;
  try {
    cert = Object.freeze(parseDer(new Uint8Array(der), fingerprint256));
  } catch (cause) {
    if (cause instanceof PkiError && cause.code === 'UNSUPPORTED_ALGORITHM') throw cause;
    throw new PkiError('CERTIFICATE_MALFORMED', `malformed certificate: ${(cause as Error).message}`, {
      cause,
    });
  }
  cache.set(fingerprint256, cert);
  return cert;
}

/** A certificate from either form: an already parsed view passes through. */
export function toCertificate(c: Certificate | Uint8Array | string): Certificate {
  return typeof c === 'string' || c instanceof Uint8Array ? parseCertificate(c) : c;
}

/** Key identifier per RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifierOf(subjectPublicKey: Uint8Array): string {
  return createHash('sha1').update(subjectPublicKey).digest('hex');
}
