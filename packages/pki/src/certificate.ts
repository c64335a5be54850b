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
import type { KeyObject } from 'node:crypto';
import {
  type AlgorithmIdentifier,
  algorithmAt,
  digestHex,
  type HashName,
  namedAlgorithm,
} from './algorithm.js';
import {
  bitStringAt,
  expectHeader,
  integerHexAt,
  newHeader,
  readDer,
  readHeader,
  readOid,
  signatureBitsAt,
  smallIntAt,
  Tag,
  timeAt,
} from './der-reader.js';
import { PkiError } from './errors.js';
import {
  type AccessDescription,
  type BasicConstraints,
  type DistributionPoint,
  type Extension,
  extensionsAt,
  type KeyUsage,
  type NameConstraints,
  readAuthorityInfoAccess,
  readAuthorityKeyIdentifier,
  readBasicConstraints,
  readCertificatePolicies,
  readCrlDistributionPoints,
  readExtKeyUsage,
  readKeyUsage,
  readNameConstraints,
  readSubjectAltName,
  readSubjectKeyIdentifier,
} from './extensions.js';
import type { GeneralName } from './general-name.js';
import { importPublicKey, rsaPublicKeyDer } from './keys.js';
import { LruCache } from './lru.js';
import {
  checkNameStructure,
  formatName,
  type NameAttribute,
  namesEqual,
  nameToStringCached,
  parseName,
} from './name.js';
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

/** The parts of a certificate read eagerly; the rest is decoded on first use (see `CertificateView`). */
type CertificateParts = {
  readonly [K in keyof Omit<
    Certificate,
    'publicKey' | 'subject' | 'issuer' | 'crlDistributionPoints' | 'authorityInfoAccess' | 'isSelfIssued'
  >]-?: Certificate[K] | undefined;
} & {
  readonly der: Uint8Array;
  readonly keyParameters: Uint8Array | undefined;
  /** subjectPublicKey when its BIT STRING has no unused bits. */
  readonly keyBits: Uint8Array | undefined;
  readonly cdpDer: Uint8Array | undefined;
  readonly aiaDer: Uint8Array | undefined;
};

/**
 * The read-only view. What every verification needs (names as DER, validity, key, the extensions that
 * decide a path) is read when the certificate is parsed; what only some callers need — the string forms
 * of the names, CRL distribution points, authority information access, whether it is self-issued, the
 * KeyObject — is computed on first use and kept. A relying party meets a new signer certificate for
 * every person, and this keeps their first reading to what a verification uses. The structure of the
 * names is checked at parse time; a malformed CRL distribution point or AIA value throws
 * `CERTIFICATE_MALFORMED` when it is first read.
 */
class CertificateView implements Certificate {
  readonly der: Uint8Array;
  readonly fingerprint256: string;
  readonly version: 1 | 2 | 3;
  readonly serialNumber: string;
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectKeyIdentifier?: string;
  readonly authorityKeyIdentifier?: string;
  readonly basicConstraints?: BasicConstraints;
  readonly keyUsage?: readonly KeyUsage[];
  readonly extKeyUsage?: readonly string[];
  readonly subjectAltName: readonly GeneralName[];
  readonly certificatePolicies: readonly string[];
  readonly nameConstraints?: NameConstraints;
  readonly extensions: readonly Extension[];
  readonly spkiDer: Uint8Array;
  readonly publicKeyInfo: PublicKeyInfo;
  readonly subjectPublicKey: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier & { readonly name: string };
  readonly tbsDer: Uint8Array;
  readonly signatureValue: Uint8Array;
  readonly #keyParameters: Uint8Array | undefined;
  readonly #keyBits: Uint8Array | undefined;
  readonly #cdpDer: Uint8Array | undefined;
  readonly #aiaDer: Uint8Array | undefined;
  #publicKey: KeyObject | undefined;
  /** Whether the key was already handed out once as PKCS #1 bytes (see `oneShotRsaKey`). */
  #keyLent = false;
  #subject: string | undefined;
  #subjectAttributes: NameAttribute[][] | undefined;
  #issuer: string | undefined;
  #crlDistributionPoints: readonly DistributionPoint[] | undefined;
  #authorityInfoAccess: readonly AccessDescription[] | undefined;
  #isSelfIssued: boolean | undefined;
  /** Signature checks under issuers (by fingerprint): the first inline, more in a map. */
  #checkedIssuer: string | undefined;
  #checkedValid = false;
  #moreChecks: Map<string, boolean> | undefined;

  constructor(p: CertificateParts) {
    this.der = p.der;
    this.fingerprint256 = p.fingerprint256!;
    this.version = p.version!;
    this.serialNumber = p.serialNumber!;
    this.subjectDer = p.subjectDer!;
    this.issuerDer = p.issuerDer!;
    this.notBefore = p.notBefore!;
    this.notAfter = p.notAfter!;
    if (p.subjectKeyIdentifier !== undefined) this.subjectKeyIdentifier = p.subjectKeyIdentifier;
    if (p.authorityKeyIdentifier !== undefined) this.authorityKeyIdentifier = p.authorityKeyIdentifier;
    if (p.basicConstraints !== undefined) this.basicConstraints = p.basicConstraints;
    if (p.keyUsage !== undefined) this.keyUsage = p.keyUsage;
    if (p.extKeyUsage !== undefined) this.extKeyUsage = p.extKeyUsage;
    this.subjectAltName = p.subjectAltName!;
    this.certificatePolicies = p.certificatePolicies!;
    if (p.nameConstraints !== undefined) this.nameConstraints = p.nameConstraints;
    this.extensions = p.extensions!;
    this.spkiDer = p.spkiDer!;
    this.publicKeyInfo = p.publicKeyInfo!;
    this.subjectPublicKey = p.subjectPublicKey!;
    this.signatureAlgorithm = p.signatureAlgorithm!;
    this.tbsDer = p.tbsDer!;
    this.signatureValue = p.signatureValue!;
    this.#keyParameters = p.keyParameters;
    this.#keyBits = p.keyBits;
    this.#cdpDer = p.cdpDer;
    this.#aiaDer = p.aiaDer;
  }

  get subject(): string {
    if (this.#subject === undefined) this.#subject = formatName(CertificateView.subjectAttributes(this));
    return this.#subject;
  }

  static oneShotRsaKey(v: CertificateView): Buffer | undefined {
    if (v.#publicKey !== undefined || v.#keyLent) return undefined;
    v.#keyLent = true;
    return rsaPublicKeyDer(v.publicKeyInfo.algorithm, v.#keyParameters, v.#keyBits);
  }

  static checkedSignature(v: CertificateView, issuerFingerprint: string): boolean | undefined {
    if (v.#checkedIssuer === issuerFingerprint) return v.#checkedValid;
    return v.#moreChecks?.get(issuerFingerprint);
  }

  static rememberSignature(v: CertificateView, issuerFingerprint: string, valid: boolean): void {
    if (v.#checkedIssuer === undefined || v.#checkedIssuer === issuerFingerprint) {
      v.#checkedIssuer = issuerFingerprint;
      v.#checkedValid = valid;
      return;
    }
    if (v.#moreChecks === undefined || v.#moreChecks.size >= MAX_REMEMBERED_ISSUERS)
      v.#moreChecks = new Map();
    v.#moreChecks.set(issuerFingerprint, valid);
  }

  /** The parsed subject, kept: its string form and a caller's look at its attributes share one reading. */
  static subjectAttributes(v: CertificateView): NameAttribute[][] {
    if (v.#subjectAttributes === undefined) v.#subjectAttributes = parseName(v.subjectDer);
    return v.#subjectAttributes;
  }

  get issuer(): string {
    if (this.#issuer === undefined) this.#issuer = nameToStringCached(this.issuerDer);
    return this.#issuer;
  }

  get isSelfIssued(): boolean {
    if (this.#isSelfIssued === undefined) this.#isSelfIssued = namesEqual(this.subjectDer, this.issuerDer);
    return this.#isSelfIssued;
  }

  get crlDistributionPoints(): readonly DistributionPoint[] {
    if (this.#crlDistributionPoints === undefined) {
      const v = this.#cdpDer;
      this.#crlDistributionPoints = Object.freeze(v ? decodeLate(v, readCrlDistributionPoints) : []);
    }
    return this.#crlDistributionPoints;
  }

  get authorityInfoAccess(): readonly AccessDescription[] {
    if (this.#authorityInfoAccess === undefined) {
      const v = this.#aiaDer;
      this.#authorityInfoAccess = Object.freeze(v ? decodeLate(v, readAuthorityInfoAccess) : []);
    }
    return this.#authorityInfoAccess;
  }

  get publicKey(): KeyObject {
    if (this.#publicKey === undefined) {
      try {
        this.#publicKey = importPublicKey(
          this.spkiDer,
          this.publicKeyInfo.algorithm,
          this.#keyParameters,
          this.#keyBits,
        );
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

function spanEqual(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
  return true;
}

function decodeLate<T>(value: Uint8Array, read: (v: Uint8Array) => T): T {
  try {
    return read(value);
  } catch (cause) {
    throw new PkiError('CERTIFICATE_MALFORMED', `malformed certificate: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** issuerUniqueID [1] and subjectUniqueID [2] IMPLICIT BIT STRING, primitive or (BER) constructed. */
const UNIQUE_ID_TAGS: readonly number[] = [0x81, 0xa1, 0x82, 0xa2];

/**
 * Reads the certificate in place with one reusable header (see DerHeader): this runs cold for every new
 * signer a relying party meets.
 */
function parseDer(der: Uint8Array, fingerprint256: string): Certificate {
  const h = newHeader();
  expectHeader(der, 0, der.length, Tag.SEQUENCE, 'Certificate', h);
  if (h.end !== der.length)
    throw new PkiError('DER_MALFORMED', 'Certificate: trailing data after the element');
  const certEnd = h.contentEnd;
  expectHeader(der, h.contentStart, certEnd, Tag.SEQUENCE, 'tbsCertificate', h);
  const tbsStart = h.start;
  const tbsEnd = h.end;
  const tbsContentStart = h.contentStart;
  const tbsContentEnd = h.contentEnd;
  expectHeader(der, tbsEnd, certEnd, Tag.SEQUENCE, 'signatureAlgorithm', h);
  const outerAlgStart = h.start;
  const outerAlgEnd = h.end;
  expectHeader(der, outerAlgEnd, certEnd, Tag.BIT_STRING, 'signatureValue', h);
  const signatureValue = signatureBitsAt(der, h, 'signatureValue');
  if (h.end !== certEnd) throw new PkiError('DER_MALFORMED', 'Certificate: unexpected trailing data');

  // TBSCertificate
  const te = tbsContentEnd;
  let p = tbsContentStart;
  let version = 1;
  if (p < te && der[p] === 0xa0) {
    readHeader(der, p, te, h);
    p = h.end;
    const vEnd = h.contentEnd;
    readHeader(der, h.contentStart, vEnd, h);
    if (h.end !== vEnd) throw new PkiError('DER_MALFORMED', 'version: trailing data after the element');
    version = smallIntAt(der, h.contentStart, h.contentEnd) + 1;
  }
  if (version < 1 || version > 3) throw new PkiError('DER_MALFORMED', 'unknown certificate version');
  expectHeader(der, p, te, Tag.INTEGER, 'serialNumber', h);
  const serialNumber = integerHexAt(der, h.contentStart, h.contentEnd);
  expectHeader(der, h.end, te, Tag.SEQUENCE, 'signature', h);
  p = h.end;
  // §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the signature field in
  // the sequence tbsCertificate" — byte for byte, so that the unsigned copy can neither differ (e.g. in
  // RSASSA-PSS parameters) nor be re-encoded. The signed one is what verification uses.
  if (!spanEqual(der, h.start, h.end, outerAlgStart, outerAlgEnd))
    throw new PkiError('DER_MALFORMED', 'signature algorithm mismatch (§4.1.1.2)');
  const signedAlg = algorithmAt(der, h);
  expectHeader(der, p, te, Tag.SEQUENCE, 'issuer', h);
  const issuer = der.subarray(h.start, h.end);
  expectHeader(der, h.end, te, Tag.SEQUENCE, 'validity', h);
  p = h.end;
  const validityEnd = h.contentEnd;
  readHeader(der, h.contentStart, validityEnd, h);
  const notBefore = timeAt(der, h.tag, h.contentStart, h.contentEnd);
  if (h.end >= validityEnd) throw new PkiError('DER_MALFORMED', 'missing notAfter');
  readHeader(der, h.end, validityEnd, h);
  const notAfter = timeAt(der, h.tag, h.contentStart, h.contentEnd);
  expectHeader(der, p, te, Tag.SEQUENCE, 'subject', h);
  const subject = der.subarray(h.start, h.end);
  expectHeader(der, h.end, te, Tag.SEQUENCE, 'subjectPublicKeyInfo', h);
  p = h.end;
  const spkiStart = h.start;
  const spkiEnd = h.end;
  const spkiContentEnd = h.contentEnd;
  expectHeader(der, h.contentStart, spkiContentEnd, Tag.SEQUENCE, 'algorithm', h);
  const keyAlgEnd = h.end;
  const keyAlg = algorithmAt(der, h);
  expectHeader(der, keyAlgEnd, spkiContentEnd, Tag.BIT_STRING, 'subjectPublicKey', h);
  const keyBitString = bitStringAt(der, h, 'subjectPublicKey');
  const subjectPublicKey = keyBitString.bytes;
  // issuerUniqueID, subjectUniqueID (v2), then extensions (v3)
  for (const tag of UNIQUE_ID_TAGS) {
    if (p < te && der[p] === tag) p = readHeader(der, p, te, h).end;
  }
  let extensions: Extension[] = [];
  if (p < te && der[p] === 0xa3) {
    readHeader(der, p, te, h);
    p = h.end;
    const wrapperEnd = h.contentEnd;
    readHeader(der, h.contentStart, wrapperEnd, h);
    if (h.end !== wrapperEnd)
      throw new PkiError('DER_MALFORMED', 'Extensions: trailing data after the element');
    if ((h.tag & 0x20) === 0)
      throw new PkiError('DER_MALFORMED', 'Extensions: expected a constructed element');
    extensions = extensionsAt(der, h.contentStart, h.contentEnd);
  }
  if (p !== te) throw new PkiError('DER_MALFORMED', 'TBSCertificate: unexpected trailing data');
  checkNameStructure(issuer);
  checkNameStructure(subject);

  let namedCurve: string | undefined;
  if (keyAlg.oid === OID.ecPublicKey && keyAlg.parametersDer) {
    const c = readDer(keyAlg.parametersDer);
    if (c.tag === Tag.OID) namedCurve = readOid(c);
  }
  const tbs = der.subarray(tbsStart, tbsEnd);
  const spki = der.subarray(spkiStart, spkiEnd);

  let ski: Uint8Array | undefined;
  let aki: Uint8Array | undefined;
  let bc: Uint8Array | undefined;
  let ku: Uint8Array | undefined;
  let eku: Uint8Array | undefined;
  let san: Uint8Array | undefined;
  let cdp: Uint8Array | undefined;
  let aia: Uint8Array | undefined;
  let cp: Uint8Array | undefined;
  let nc: Uint8Array | undefined;
  for (const e of extensions) {
    switch (e.oid) {
      case OID.subjectKeyIdentifier:
        ski = e.value;
        break;
      case OID.authorityKeyIdentifier:
        aki = e.value;
        break;
      case OID.basicConstraints:
        bc = e.value;
        break;
      case OID.keyUsage:
        ku = e.value;
        break;
      case OID.extKeyUsage:
        eku = e.value;
        break;
      case OID.subjectAltName:
        san = e.value;
        break;
      case OID.cRLDistributionPoints:
        cdp = e.value;
        break;
      case OID.authorityInfoAccess:
        aia = e.value;
        break;
      case OID.certificatePolicies:
        cp = e.value;
        break;
      case OID.nameConstraints:
        nc = e.value;
        break;
    }
  }
  const akid = aki ? readAuthorityKeyIdentifier(aki).keyIdentifier : undefined;
  // The deferred values must at least be one well-formed element each.
  if (cdp) readDer(cdp, 'CRLDistributionPoints');
  if (aia) readDer(aia, 'AuthorityInfoAccessSyntax');

  return new CertificateView({
    der,
    fingerprint256,
    version: version as 1 | 2 | 3,
    serialNumber,
    subjectDer: subject,
    issuerDer: issuer,
    notBefore,
    notAfter,
    subjectKeyIdentifier: ski ? readSubjectKeyIdentifier(ski) : undefined,
    authorityKeyIdentifier: akid,
    basicConstraints: bc ? readBasicConstraints(bc) : undefined,
    keyUsage: ku ? readKeyUsage(ku) : undefined,
    extKeyUsage: eku ? readExtKeyUsage(eku) : undefined,
    subjectAltName: san ? readSubjectAltName(san) : [],
    certificatePolicies: cp ? readCertificatePolicies(cp) : [],
    nameConstraints: nc ? readNameConstraints(nc) : undefined,
    extensions,
    spkiDer: spki,
    publicKeyInfo:
      namedCurve !== undefined ? { algorithm: keyAlg.oid, namedCurve } : { algorithm: keyAlg.oid },
    subjectPublicKey,
    signatureAlgorithm: namedAlgorithm(signedAlg),
    tbsDer: tbs,
    signatureValue,
    keyParameters: keyAlg.parametersDer,
    keyBits: keyBitString.unusedBits === 0 ? subjectPublicKey : undefined,
    cdpDer: cdp,
    aiaDer: aia,
  });
}

/**
 * The view keeps its own copy of the bytes. Small copies are carved from node's shared allocation pool
 * (as `Buffer.from` does) rather than each getting a backing store of its own, which the garbage collector
 * must track and free one by one; the view is still a plain Uint8Array.
 */
function ownCopy(der: Uint8Array): Uint8Array {
  const b = Buffer.from(der);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The last few views made, in a ring searched linearly (a handful of entries: cheaper than a Map). */
class RecentViews {
  private readonly keys: (string | undefined)[];
  private readonly views: (Certificate | undefined)[];
  private next = 0;

  constructor(size: number) {
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.views = new Array<Certificate | undefined>(size).fill(undefined);
  }

  /** Takes the view out of the ring when present. */
  take(fingerprint256: string): Certificate | undefined {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] === fingerprint256) {
        const v = this.views[i];
        this.keys[i] = undefined;
        this.views[i] = undefined;
        return v;
      }
    }
    return undefined;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.views.fill(undefined);
    this.next = 0;
  }

  add(fingerprint256: string, view: Certificate): void {
    this.keys[this.next] = fingerprint256;
    this.views[this.next] = view;
    this.next = this.next + 1 === this.keys.length ? 0 : this.next + 1;
  }
}

/**
 * Views are cached by fingerprint, and only certificates met more than once are kept long. A document
 * signer or IACA (in every mdoc), a CA, an OCSP responder recur; a person's signer certificate is
 * typically met in a single signature. So:
 *  - `cache`, a large LRU, holds the views of certificates met again, also indexed by length and last
 *    bytes (`byTail`): a recurring certificate is then recognised by comparing its bytes, without hashing;
 *  - `recent`, a small LRU, holds the last views made, so that a certificate parsed again in the same
 *    verification gets the same view back (and is then moved to `cache`);
 *  - `seen` remembers (a fixed table of fingerprint prefixes) the certificates met recently: one met
 *    again after its view left `recent` is admitted to `cache` on that second reading.
 * Keeping every one-off certificate's view for thousands of later parses would only make the garbage
 * collector carry it out of the young generation and sweep it later.
 */
const CACHE_SIZE = 4096;
const RECENT_SIZE = 16;
const SEEN_SLOTS = 16384;
const cache = new LruCache<string, Certificate>(CACHE_SIZE);
const byTail = new LruCache<number, Certificate>(CACHE_SIZE);
const recent = new RecentViews(RECENT_SIZE);
const seen = new Int32Array(SEEN_SLOTS);

/** Length and last four bytes: a cheap key under which to look for a certificate with these exact bytes. */
function tailKey(der: Uint8Array): number {
  const n = der.length;
  if (n < 4) return n;
  return (
    (Math.imul(n, 0x9e3779b1) ^
      (der[n - 1]! | (der[n - 2]! << 8) | (der[n - 3]! << 16) | (der[n - 4]! << 24))) >>>
    0
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function keep(fingerprint256: string, cert: Certificate): void {
  cache.set(fingerprint256, cert);
  byTail.set(tailKey(cert.der), cert);
}

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
  const known = byTail.get(tailKey(der));
  // Only while the view is still in `cache` (the index may outlive an eviction there).
  if (known !== undefined && sameBytes(known.der, der) && cache.get(known.fingerprint256) === known)
    return known;
  const fingerprint256 = digestHex('sha256', der);
  const hit = cache.get(fingerprint256);
  if (hit !== undefined) return hit;
  // One call site for the promotion into `cache`, whichever way a certificate comes to be met again: an
  // optimized caller then has its feedback from the common case and does not fall back to the
  // interpreter when the rarer one first happens.
  let cert = recent.take(fingerprint256);
  let promote = cert !== undefined;
  if (cert === undefined) {
    try {
      cert = Object.freeze(parseDer(ownCopy(der), fingerprint256));
    } catch (cause) {
      if (cause instanceof PkiError && cause.code === 'UNSUPPORTED_ALGORITHM') throw cause;
      throw new PkiError('CERTIFICATE_MALFORMED', `malformed certificate: ${(cause as Error).message}`, {
        cause,
      });
    }
    // An int32 mark (small integers only, whatever the fingerprint), never 0 (an empty slot).
    const mark = leadingHexValue(fingerprint256) | 1;
    const slot = (mark >>> 1) & (SEEN_SLOTS - 1);
    promote = seen[slot] === mark;
    if (!promote) {
      seen[slot] = mark;
      recent.add(fingerprint256, cert);
    }
  }
  if (promote) keep(fingerprint256, cert);
  return cert;
}

/** The first eight hex digits of a lowercase fingerprint as an int32 (their 32 bits). */
function leadingHexValue(hex: string): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = hex.charCodeAt(i);
    v = (v << 4) | (c <= 0x39 ? c - 0x30 : c - 0x57);
  }
  return v;
}

/**
 * Forgets every cached certificate view, so that the next reading of any certificate is a cold one. For
 * tests and benchmarks, and for a service that reloads its trust configuration. Views already handed out
 * stay valid (with what they remember: key, signature checks, hashes); caches of things shared by all
 * certificates (object identifiers, issuer name strings) are kept.
 */
export function clearCertificateCache(): void {
  cache.clear();
  byTail.clear();
  recent.clear();
  seen.fill(0);
}

const MAX_REMEMBERED_ISSUERS = 16;
const signatureChecks = new WeakMap<Certificate, Map<string, boolean>>();

/**
 * What is remembered of the certificate's signature checked under the issuer with this fingerprint (see
 * certificate-signature.ts): kept with the view itself, so that a one-off certificate costs no entry in a
 * shared table; other Certificate objects use a WeakMap.
 */
export function checkedSignature(cert: Certificate, issuerFingerprint: string): boolean | undefined {
  if (cert instanceof CertificateView) return CertificateView.checkedSignature(cert, issuerFingerprint);
  return signatureChecks.get(cert)?.get(issuerFingerprint);
}

export function rememberSignature(cert: Certificate, issuerFingerprint: string, valid: boolean): void {
  if (cert instanceof CertificateView) {
    CertificateView.rememberSignature(cert, issuerFingerprint, valid);
    return;
  }
  let m = signatureChecks.get(cert);
  if (m === undefined || m.size >= MAX_REMEMBERED_ISSUERS) {
    m = new Map();
    signatureChecks.set(cert, m);
  }
  m.set(issuerFingerprint, valid);
}

/**
 * The certificate's RSA key as RSAPublicKey bytes for one signature check, the first time a view's key is
 * needed and only then; `undefined` once a KeyObject exists or was lent before, and for other keys (then
 * `publicKey` is used). Why: a relying party meets a new signer certificate with every person, whose key
 * checks one signature; node:crypto reads the bytes for that one call, while a KeyObject costs wrapper
 * objects and a finalizer the garbage collector runs later. A view whose key is asked for again makes and
 * keeps its KeyObject as before.
 */
export function oneShotRsaKey(cert: Certificate): Buffer | undefined {
  return cert instanceof CertificateView ? CertificateView.oneShotRsaKey(cert) : undefined;
}

/**
 * The subject Name of a certificate, parsed (e.g. to read its commonName). For a parsed view the reading
 * is kept and shared with its `subject` string form.
 */
export function subjectAttributesOf(cert: Certificate): readonly (readonly NameAttribute[])[] {
  return cert instanceof CertificateView
    ? CertificateView.subjectAttributes(cert)
    : parseName(cert.subjectDer);
}

/** A certificate from either form: an already parsed view passes through. */
export function toCertificate(c: Certificate | Uint8Array | string): Certificate {
  return typeof c === 'string' || c instanceof Uint8Array ? parseCertificate(c) : c;
}

/** Key identifier per RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifierOf(subjectPublicKey: Uint8Array): string {
  return digestHex('sha1', subjectPublicKey);
}

/**
 * Hashes of a certificate's own subject name and public key, as OCSP compares them (CertID
 * issuerNameHash/issuerKeyHash, ResponderID byKey): a CA's or responder's are asked for on every status
 * check, so they are kept with the certificate (a WeakMap: they live as long as the view).
 */
const ownHashes = new WeakMap<Certificate, Map<string, string>>();
const HASH_KEYS: Readonly<Record<'subject' | 'subjectPublicKey', Readonly<Record<HashName, string>>>> = {
  subject: { sha1: 'n1', sha224: 'n224', sha256: 'n256', sha384: 'n384', sha512: 'n512' },
  subjectPublicKey: { sha1: 'k1', sha224: 'k224', sha256: 'k256', sha384: 'k384', sha512: 'k512' },
};

export function certificateHashHex(
  cert: Certificate,
  part: 'subject' | 'subjectPublicKey',
  hash: HashName,
): string {
  let m = ownHashes.get(cert);
  if (m === undefined) {
    m = new Map();
    ownHashes.set(cert, m);
  }
  const key = HASH_KEYS[part][hash];
  let h = m.get(key);
  if (h === undefined) {
    h = digestHex(hash, part === 'subject' ? cert.subjectDer : cert.subjectPublicKey);
    m.set(key, h);
  }
  return h;
}
