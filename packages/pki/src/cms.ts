/**
 * CMS SignedData (RFC 5652 §5), as JPKI signatures use it:
 *
 *   ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
 *   SignedData ::= SEQUENCE { version CMSVersion, digestAlgorithms SET OF DigestAlgorithmIdentifier,
 *     encapContentInfo EncapsulatedContentInfo, certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos SET OF SignerInfo }
 *   EncapsulatedContentInfo ::= SEQUENCE { eContentType ContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
 *   SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
 *     signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL, signatureAlgorithm SignatureAlgorithmIdentifier,
 *     signature SignatureValue, unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 *   SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber, subjectKeyIdentifier [0] SubjectKeyIdentifier }
 *   Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
 *
 * §5.4: with signed attributes the signature covers the DER of the SET OF Attribute — the received
 * [0] IMPLICIT bytes with the tag changed to SET (0x31), never a re-encoding. contentType and
 * messageDigest are then mandatory (§11.1, §11.2). Parsing uses the lean DER reader and reads DER: a
 * SignedData has then one accepted encoding. BER (indefinite lengths of streamed CMS, §5.1 allows it) is
 * read only with `allowBer`; the signed attributes and the certificates must be DER even then (§5.4,
 * RFC 5280 §4.1). When the signed attributes hold CMSAlgorithmProtection (RFC 6211), the algorithms
 * it signs must be those the SignerInfo names outside the signature. SHA-1 (as the digest or the
 * signature hash) is refused unless `allowSha1`. Building emits DER.
 */
import { Buffer } from 'node:buffer';
import { constants as cryptoConstants, type KeyObject, sign as nodeSign } from 'node:crypto';
import { type Check, check, type Verdict, verdictOf } from '@mynakit/report';
import {
  type AlgorithmIdentifier,
  algorithmAt,
  digest,
  digestEquals,
  HASH_OID,
  type HashName,
  hashNameOf,
  namedAlgorithm,
  type SignaturePolicy,
  type SigningAlgorithm,
  signingAlgorithmIdentifier,
  verifyRsaWithKeyDer,
  verifySignature,
} from './algorithm.js';
import {
  type Certificate,
  oneShotRsaKey,
  parseCertificate,
  serialToBigInt,
  toCertificate,
} from './certificate.js';
import {
  bytesEqual,
  type DerHeader,
  elementAt,
  expectHeader,
  integerHexAt,
  newHeader,
  oidAt,
  readHeader,
  readOctetString,
  smallIntAt,
  Tag,
  timeAt,
  toHex,
} from './der-reader.js';
import {
  explicit,
  implicit,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  setOf,
  x509Time,
} from './der-writer.js';
import { type CertificateSigner, signVerified } from './create-certificate.js';
import { PkiError } from './errors.js';
import { namesEqual } from './name.js';
import { OID } from './oids.js';
import { type PathValidationResult, validateCertificatePath } from './path-validation.js';

export type CmsDigest = 'SHA-256' | 'SHA-384' | 'SHA-512';
const DIGESTS: ReadonlyMap<CmsDigest, HashName> = new Map<CmsDigest, HashName>([
  ['SHA-256', 'sha256'],
  ['SHA-384', 'sha384'],
  ['SHA-512', 'sha512'],
]);

export interface SignCmsOptions {
  readonly content: Uint8Array;
  /** Detached: the content is not embedded (eContent absent). */
  readonly detached: boolean;
  readonly signer: {
    readonly certificate: Certificate | Uint8Array | string;
    readonly privateKey: KeyObject;
  };
  /** Further certificates to embed (e.g. intermediates). */
  readonly certificates?: readonly Certificate[];
  /** Embed the signer's certificate (default true). */
  readonly includeSignerCertificate?: boolean;
  readonly signingTime: Date;
  /** Default issuerAndSerialNumber. */
  readonly signerIdentifier?: 'issuerAndSerialNumber' | 'subjectKeyIdentifier';
  /** Default SHA-256. */
  readonly digest?: CmsDigest;
  /** eContentType (default id-data). */
  readonly contentType?: string;
  /** RSA keys: PKCS #1 v1.5 (default, what JPKI uses) or PSS. */
  readonly rsaPadding?: 'pkcs1' | 'pss';
  /**
   * Sign the algorithms too, in a CMSAlgorithmProtection attribute (RFC 6211): the SignerInfo names
   * them outside the signature. Default false (the signed attributes JPKI documents carry).
   */
  readonly algorithmProtection?: boolean;
}

const attribute = (type: string, value: Uint8Array): Uint8Array => sequence(oid(type), setOf(value));

/** id-aa-CMSAlgorithmProtection (RFC 6211). */
const CMS_ALGORITHM_PROTECTION = '1.2.840.113549.1.9.52';

/** Produces a DER ContentInfo holding SignedData with one signer. */
export function signCms(opts: SignCmsOptions): Uint8Array<ArrayBuffer> {
  const key = opts.signer.privateKey;
  const dg = opts.digest ?? 'SHA-256';
  const hash = DIGESTS.get(dg);
  if (hash === undefined)
    throw new PkiError('INVALID_ARGUMENT', 'digest must be SHA-256, SHA-384 or SHA-512');
  let sigAlg: Uint8Array;
  let signOver: (data: Uint8Array) => Uint8Array;
  const t = key.asymmetricKeyType;
  if (t === 'rsa' && opts.rsaPadding !== 'pss') {
    // rsaEncryption as the SignerInfo algorithm, as OpenSSL and most CMS producers write it.
    sigAlg = sequence(oid(OID.rsaEncryption), nullValue());
    signOver = (d) => nodeSign(hash, d, { key, padding: cryptoConstants.RSA_PKCS1_PADDING });
  } else if (t === 'rsa' || t === 'rsa-pss') {
    const h = sequence(oid(HASH_OID[hash]), nullValue());
    const saltLength = hash === 'sha256' ? 32 : hash === 'sha384' ? 48 : 64;
    sigAlg = sequence(
      oid(OID.rsassaPss),
      sequence(explicit(0, h), explicit(1, sequence(oid(OID.mgf1), h)), explicit(2, integer(saltLength))),
    );
    signOver = (d) => nodeSign(hash, d, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength });
  } else if (t === 'ec') {
    sigAlg = sequence(oid(ECDSA_OID[hash as 'sha256' | 'sha384' | 'sha512']));
    signOver = (d) => nodeSign(hash, d, { key, dsaEncoding: 'der' });
  } else {
    throw new PkiError('UNSUPPORTED_KEY', `CMS signing with a ${t ?? 'unknown'} key is not supported`);
  }
  // DIGESTS holds SHA-256, SHA-384 and SHA-512 only.
  const prepared = prepareSignedData(
    opts,
    opts.signer.certificate,
    hash as 'sha256' | 'sha384' | 'sha512',
    sigAlg,
  );
  return prepared.complete(new Uint8Array(signOver(prepared.signedAttrs)));
}

const ECDSA_OID = {
  sha256: OID.ecdsaWithSHA256,
  sha384: OID.ecdsaWithSHA384,
  sha512: OID.ecdsaWithSHA512,
} as const;

/** What the SignerInfo writes for each algorithm a CertificateSigner names (RSASSA-PSS and Ed25519 are not offered). */
const SIGNER_ALGORITHMS: ReadonlyMap<
  SigningAlgorithm,
  { hash: 'sha256' | 'sha384' | 'sha512'; rsa: boolean }
> = new Map([
  ['sha256WithRSAEncryption', { hash: 'sha256', rsa: true }],
  ['sha384WithRSAEncryption', { hash: 'sha384', rsa: true }],
  ['sha512WithRSAEncryption', { hash: 'sha512', rsa: true }],
  ['ecdsa-with-SHA256', { hash: 'sha256', rsa: false }],
  ['ecdsa-with-SHA384', { hash: 'sha384', rsa: false }],
  ['ecdsa-with-SHA512', { hash: 'sha512', rsa: false }],
]);

/** signCms's options with the signer's key behind a CertificateSigner (a phone's secure element, an HSM). */
export interface SignCmsWithSignerOptions extends Omit<SignCmsOptions, 'signer' | 'digest' | 'rsaPadding'> {
  readonly signer: {
    readonly certificate: Certificate | Uint8Array | string;
    /** Signs the DER signed attributes (RSA PKCS #1 v1.5 or ECDSA with a DER Ecdsa-Sig-Value); its algorithm names the digest. */
    readonly signer: CertificateSigner;
  };
}

/**
 * signCms for a key held elsewhere: the same SignedData, its signed attributes signed by
 * `await signer.sign(signedAttrs)`, and the signature verified under the signer certificate's public key
 * before the SignedData is returned (INVALID_ARGUMENT for a signer answering with another key or form).
 * The digest is the one the signer's algorithm names; RSA is written as rsaEncryption, as signCms does.
 */
export async function signCmsWithSigner(opts: SignCmsWithSignerOptions): Promise<Uint8Array<ArrayBuffer>> {
  const { signer } = opts.signer;
  const spec = SIGNER_ALGORITHMS.get(signer.algorithm);
  if (spec === undefined)
    throw new PkiError(
      'UNSUPPORTED_KEY',
      `CMS signing through a ${signer.algorithm} signer is not supported`,
    );
  const sigAlg = spec.rsa
    ? sequence(oid(OID.rsaEncryption), nullValue())
    : sequence(oid(ECDSA_OID[spec.hash]));
  const prepared = prepareSignedData(opts, opts.signer.certificate, spec.hash, sigAlg);
  const signature = await signVerified(
    signer,
    prepared.signedAttrs,
    signingAlgorithmIdentifier(signer.algorithm),
    prepared.certificate.publicKey,
    "the signer certificate's",
  );
  return prepared.complete(signature);
}

/** The one SignedData writer of both paths: signed attributes to sign, then the structure around the signature. */
function prepareSignedData(
  opts: Omit<SignCmsOptions, 'signer' | 'digest' | 'rsaPadding'>,
  certificate: Certificate | Uint8Array | string,
  hash: 'sha256' | 'sha384' | 'sha512',
  sigAlg: Uint8Array,
): {
  readonly certificate: Certificate;
  readonly signedAttrs: Uint8Array;
  complete(signature: Uint8Array): Uint8Array<ArrayBuffer>;
} {
  const signer = toCertificate(certificate);
  const contentType = opts.contentType ?? OID.data;
  const useSki = opts.signerIdentifier === 'subjectKeyIdentifier';
  if (useSki && signer.subjectKeyIdentifier === undefined)
    throw new PkiError('INVALID_ARGUMENT', 'the signer certificate has no subjectKeyIdentifier');
  const digestAlg = sequence(oid(HASH_OID[hash]));
  const attrs = [
    attribute(OID.contentType, oid(contentType)),
    attribute(OID.signingTime, x509Time(opts.signingTime)),
    attribute(OID.messageDigest, octetString(digest(hash, opts.content))),
  ];
  // CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm, signatureAlgorithm [1] IMPLICIT … }
  if (opts.algorithmProtection === true)
    attrs.push(attribute(CMS_ALGORITHM_PROTECTION, sequence(digestAlg, implicit(1, sigAlg))));
  const signedAttrs = setOf(...attrs);
  return {
    certificate: signer,
    signedAttrs,
    complete(signature) {
      const sid = useSki
        ? implicit(0, octetString(Buffer.from(signer.subjectKeyIdentifier!, 'hex')))
        : sequence(signer.issuerDer, integer(serialToBigInt(signer.serialNumber)));
      const signerInfo = sequence(
        integer(useSki ? 3 : 1),
        sid,
        digestAlg,
        implicit(0, signedAttrs),
        sigAlg,
        octetString(signature),
      );
      const certs = [
        ...(opts.includeSignerCertificate === false ? [] : [signer]),
        ...(opts.certificates ?? []),
      ];
      const unique = certs.filter(
        (c, i) => certs.findIndex((d) => d.fingerprint256 === c.fingerprint256) === i,
      );
      const version = useSki || contentType !== OID.data ? 3 : 1;
      const signedData = sequence(
        integer(version),
        setOf(digestAlg),
        sequence(oid(contentType), ...(opts.detached ? [] : [explicit(0, octetString(opts.content))])),
        ...(unique.length ? [implicit(0, setOf(...unique.map((c) => c.der)))] : []),
        setOf(signerInfo),
      );
      return sequence(oid(OID.signedData), explicit(0, signedData));
    },
  };
}

// ---- parsing ----

export type SignerIdentifier =
  | { readonly issuerDer: Uint8Array; readonly serialNumber: string }
  | { readonly subjectKeyIdentifier: string };

export interface CmsAttribute {
  readonly type: string;
  /** Each AttributeValue TLV. */
  readonly values: readonly Uint8Array[];
}

export interface CmsSignerInfo {
  readonly version: number;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: AlgorithmIdentifier;
  /** The signedAttrs TLV exactly as received ([0] IMPLICIT). */
  readonly signedAttrsDer?: Uint8Array;
  readonly signedAttributes: readonly CmsAttribute[];
  readonly signatureAlgorithm: AlgorithmIdentifier & { readonly name: string };
  readonly signature: Uint8Array;
  readonly contentType?: string;
  readonly messageDigest?: Uint8Array;
  readonly signingTime?: Date;
}

export interface CmsSignedData {
  readonly version: number;
  readonly contentType: string;
  /** eContent, when attached. */
  readonly content?: Uint8Array;
  /** DER of the embedded X.509 certificates (other certificate choices are skipped). */
  readonly certificates: readonly Uint8Array[];
  readonly signers: readonly CmsSignerInfo[];
}

/** SignedAttributes ::= SET SIZE (1..MAX) OF Attribute, given its contents. */
function attributesIn(buf: Uint8Array, start: number, end: number, h: DerHeader): CmsAttribute[] {
  const out: CmsAttribute[] = [];
  let p = start;
  while (p < end) {
    expectHeader(buf, p, end, Tag.SEQUENCE, 'Attribute', h);
    p = h.end;
    const aEnd = h.contentEnd;
    expectHeader(buf, h.contentStart, aEnd, Tag.OID, 'attrType', h);
    const type = oidAt(buf, h.contentStart, h.contentEnd);
    expectHeader(buf, h.end, aEnd, Tag.SET, 'attrValues', h);
    const vEnd = h.contentEnd;
    const values: Uint8Array[] = [];
    let q = h.contentStart;
    while (q < vEnd) {
      readHeader(buf, q, vEnd, h);
      values.push(buf.subarray(h.start, h.end));
      q = h.end;
    }
    out.push({ type, values });
  }
  return out;
}

/** An OCTET STRING's contents; a BER constructed encoding (BER only) is joined (element reader). */
function octetStringAt(buf: Uint8Array, h: DerHeader, ber = false): Uint8Array {
  return (h.tag & 0x20) === 0
    ? buf.subarray(h.contentStart, h.contentEnd)
    : readOctetString(elementAt(buf, h, ber));
}

function readSignerInfo(
  buf: Uint8Array,
  start: number,
  end: number,
  h: DerHeader,
  ber: boolean,
): CmsSignerInfo {
  expectHeader(buf, start, end, Tag.INTEGER, 'version', h, ber);
  const version = smallIntAt(buf, h.contentStart, h.contentEnd);
  if (h.end >= end) throw new PkiError('DER_MALFORMED', 'missing sid');
  readHeader(buf, h.end, end, h, ber);
  let p = h.end;
  let sid: SignerIdentifier;
  if (h.tag === Tag.SEQUENCE) {
    const sEnd = h.contentEnd;
    expectHeader(buf, h.contentStart, sEnd, Tag.SEQUENCE, 'issuer', h, ber);
    const issuerDer = buf.subarray(h.start, h.end);
    expectHeader(buf, h.end, sEnd, Tag.INTEGER, 'serialNumber', h, ber);
    sid = { issuerDer, serialNumber: integerHexAt(buf, h.contentStart, h.contentEnd) };
  } else if (h.tag === 0x80 || h.tag === 0xa0) {
    sid = {
      subjectKeyIdentifier: toHex(
        h.tag === 0x80 ? buf.subarray(h.contentStart, h.contentEnd) : octetStringAt(buf, h, ber),
      ),
    };
  } else throw new PkiError('CMS_MALFORMED', 'bad SignerIdentifier');
  expectHeader(buf, p, end, Tag.SEQUENCE, 'digestAlgorithm', h, ber);
  p = h.end;
  const digestAlgorithm = algorithmAt(buf, h);
  let signedAttributes: CmsAttribute[] = [];
  let signedAttrsDer: Uint8Array | undefined;
  if (p < end && buf[p] === 0xa0) {
    // §5.4: the signed attributes are DER, whatever the rest of the message is.
    readHeader(buf, p, end, h);
    p = h.end;
    signedAttrsDer = buf.subarray(h.start, h.end);
    signedAttributes = attributesIn(buf, h.contentStart, h.contentEnd, h);
  }
  expectHeader(buf, p, end, Tag.SEQUENCE, 'signatureAlgorithm', h, ber);
  p = h.end;
  const signatureAlgorithm = algorithmAt(buf, h);
  if (p >= end) throw new PkiError('DER_MALFORMED', 'missing signature');
  readHeader(buf, p, end, h, ber);
  p = h.end;
  const signature = octetStringAt(buf, h, ber);
  if (p < end && buf[p] === 0xa1) p = readHeader(buf, p, end, h, ber).end;
  if (p !== end) throw new PkiError('DER_MALFORMED', 'SignerInfo: unexpected trailing data');
  // contentType, messageDigest and signingTime: at most one attribute each, with exactly one value (§11).
  let ct: Uint8Array | undefined;
  let md: Uint8Array | undefined;
  let st: Uint8Array | undefined;
  for (const a of signedAttributes) {
    if (a.type !== OID.contentType && a.type !== OID.messageDigest && a.type !== OID.signingTime) continue;
    const seenBefore = a.type === OID.contentType ? ct : a.type === OID.messageDigest ? md : st;
    if (seenBefore !== undefined || a.values.length !== 1)
      throw new PkiError('CMS_MALFORMED', `attribute ${a.type} must have exactly one value (§11)`);
    if (a.type === OID.contentType) ct = a.values[0];
    else if (a.type === OID.messageDigest) md = a.values[0];
    else st = a.values[0];
  }
  const info: {
    -readonly [K in keyof CmsSignerInfo]: CmsSignerInfo[K];
  } = {
    version,
    sid,
    digestAlgorithm,
    signedAttributes,
    signatureAlgorithm: namedAlgorithm(signatureAlgorithm),
    signature,
  };
  if (signedAttrsDer !== undefined) info.signedAttrsDer = signedAttrsDer;
  // Each value is one whole TLV (attributesIn cut it so); its contents are read in place.
  if (ct) {
    readHeader(ct, 0, ct.length, h);
    info.contentType = oidAt(ct, h.contentStart, h.contentEnd);
  }
  if (md) {
    readHeader(md, 0, md.length, h);
    info.messageDigest = octetStringAt(md, h);
  }
  if (st) {
    readHeader(st, 0, st.length, h);
    info.signingTime = timeAt(st, h.tag, h.contentStart, h.contentEnd);
  }
  return info;
}

export interface ParseCmsOptions {
  /**
   * Read BER (indefinite and non-minimal lengths, constructed OCTET STRINGs), as streamed CMS is written
   * (RFC 5652 §5.1). Default false: DER only. Signed attributes and certificates are DER regardless.
   */
  readonly allowBer?: boolean;
}

/** Parses a ContentInfo holding SignedData. Throws `CMS_MALFORMED`. */
export function parseCms(der: Uint8Array, options: ParseCmsOptions = {}): CmsSignedData {
  const ber = options.allowBer === true;
  try {
    const h = newHeader();
    readHeader(der, 0, der.length, h, ber);
    if (h.end !== der.length)
      throw new PkiError('DER_MALFORMED', 'ContentInfo: trailing data after the element');
    if ((h.tag & 0x20) === 0)
      throw new PkiError('DER_MALFORMED', 'ContentInfo: expected a constructed element');
    const ciEnd = h.contentEnd;
    expectHeader(der, h.contentStart, ciEnd, Tag.OID, 'contentType', h, ber);
    const type = oidAt(der, h.contentStart, h.contentEnd);
    if (type !== OID.signedData) throw new PkiError('CMS_MALFORMED', `not SignedData (${type})`);
    expectHeader(der, h.end, ciEnd, 0xa0, 'content', h, ber);
    const wrapperEnd = h.contentEnd;
    readHeader(der, h.contentStart, wrapperEnd, h, ber);
    if (h.end !== wrapperEnd)
      throw new PkiError('DER_MALFORMED', 'SignedData: trailing data after the element');
    if ((h.tag & 0x20) === 0)
      throw new PkiError('DER_MALFORMED', 'SignedData: expected a constructed element');
    const sdEnd = h.contentEnd;
    expectHeader(der, h.contentStart, sdEnd, Tag.INTEGER, 'version', h, ber);
    const version = smallIntAt(der, h.contentStart, h.contentEnd);
    expectHeader(der, h.end, sdEnd, Tag.SET, 'digestAlgorithms', h, ber);
    expectHeader(der, h.end, sdEnd, Tag.SEQUENCE, 'encapContentInfo', h, ber);
    let p = h.end;
    const eciEnd = h.contentEnd;
    expectHeader(der, h.contentStart, eciEnd, Tag.OID, 'eContentType', h, ber);
    const contentType = oidAt(der, h.contentStart, h.contentEnd);
    let content: Uint8Array | undefined;
    if (h.end < eciEnd && der[h.end] === 0xa0) {
      readHeader(der, h.end, eciEnd, h, ber);
      const ecEnd = h.contentEnd;
      if (h.contentStart >= ecEnd) throw new PkiError('DER_MALFORMED', 'missing eContent');
      readHeader(der, h.contentStart, ecEnd, h, ber);
      content = octetStringAt(der, h, ber);
    }
    const certificates: Uint8Array[] = [];
    if (p < sdEnd && der[p] === 0xa0) {
      readHeader(der, p, sdEnd, h, ber);
      p = h.end;
      const setEnd = h.contentEnd;
      let q = h.contentStart;
      while (q < setEnd) {
        readHeader(der, q, setEnd, h, ber);
        if (h.tag === Tag.SEQUENCE) certificates.push(der.subarray(h.start, h.end));
        q = h.end;
      }
    }
    if (p < sdEnd && der[p] === 0xa1) p = readHeader(der, p, sdEnd, h, ber).end;
    expectHeader(der, p, sdEnd, Tag.SET, 'signerInfos', h, ber);
    p = h.end;
    const siEnd = h.contentEnd;
    const signers: CmsSignerInfo[] = [];
    let q = h.contentStart;
    while (q < siEnd) {
      readHeader(der, q, siEnd, h, ber);
      q = h.end;
      if ((h.tag & 0x20) === 0)
        throw new PkiError('DER_MALFORMED', 'SignerInfo: expected a constructed element');
      signers.push(readSignerInfo(der, h.contentStart, h.contentEnd, newHeader(), ber));
    }
    if (p !== sdEnd) throw new PkiError('DER_MALFORMED', 'SignedData: unexpected trailing data');
    return content
      ? { version, contentType, content, certificates, signers }
      : { version, contentType, certificates, signers };
  } catch (cause) {
    if (cause instanceof PkiError && cause.code === 'CMS_MALFORMED') throw cause;
    throw new PkiError('CMS_MALFORMED', `malformed CMS: ${(cause as Error).message}`, { cause });
  }
}

// ---- verification ----

export interface VerifyCmsOptions extends ParseCmsOptions, SignaturePolicy {
  /** The content of a detached signature (or the expected content of an attached one). */
  readonly content?: Uint8Array;
  /** Certificates to look for the signer among, besides the embedded ones. */
  readonly extraCertificates?: readonly Certificate[];
  /** With `now`: also validate the signer's certification path (check `cms.signer_path`). */
  readonly trustAnchors?: readonly Certificate[];
  readonly now?: Date;
  readonly requiredEku?: string;
}

export interface CmsVerification {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly signerCertificate?: Certificate;
  /** Embedded certificates (parsable ones). */
  readonly certificates: readonly Certificate[];
  readonly signingTime?: Date;
  readonly content?: Uint8Array;
  readonly contentType?: string;
  readonly detached?: boolean;
  readonly signerPath?: PathValidationResult;
}

function sameAlgorithm(a: AlgorithmIdentifier, b: AlgorithmIdentifier): boolean {
  if (a.oid !== b.oid) return false;
  if (a.parametersDer === undefined || b.parametersDer === undefined)
    return a.parametersDer === b.parametersDer;
  return bytesEqual(a.parametersDer, b.parametersDer);
}

/**
 * RFC 6211 §2: CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm DigestAlgorithmIdentifier,
 *   signatureAlgorithm [1] SignatureAlgorithmIdentifier OPTIONAL, macAlgorithm [2] … OPTIONAL }.
 * When it is signed, the SignerInfo's own (unsigned) digestAlgorithm and signatureAlgorithm must be the
 * ones it names (§3). Returns why not, or undefined (also when the attribute is absent).
 */
function algorithmProtectionMismatch(si: CmsSignerInfo): string | undefined {
  let value: Uint8Array | undefined;
  for (const a of si.signedAttributes) {
    if (a.type !== CMS_ALGORITHM_PROTECTION) continue;
    if (value !== undefined || a.values.length !== 1)
      return 'CMSAlgorithmProtection must be one attribute with one value (RFC 6211 §2)';
    value = a.values[0];
  }
  if (value === undefined) return undefined;
  try {
    const h = newHeader();
    expectHeader(value, 0, value.length, Tag.SEQUENCE, 'CMSAlgorithmProtection', h);
    const end = h.contentEnd;
    expectHeader(value, h.contentStart, end, Tag.SEQUENCE, 'digestAlgorithm', h);
    let p = h.end;
    const digestAlgorithm = algorithmAt(value, h);
    let signatureAlgorithm: AlgorithmIdentifier | undefined;
    if (p < end && value[p] === 0xa1) {
      expectHeader(value, p, end, 0xa1, 'signatureAlgorithm', h);
      p = h.end;
      signatureAlgorithm = algorithmAt(value, h);
    }
    if (!sameAlgorithm(digestAlgorithm, si.digestAlgorithm))
      return 'the signed CMSAlgorithmProtection names another digestAlgorithm than the SignerInfo (RFC 6211 §3)';
    if (signatureAlgorithm === undefined)
      return 'the signed CMSAlgorithmProtection names no signatureAlgorithm (RFC 6211 §2)';
    if (!sameAlgorithm(signatureAlgorithm, si.signatureAlgorithm))
      return 'the signed CMSAlgorithmProtection names another signatureAlgorithm than the SignerInfo (RFC 6211 §3)';
    return undefined;
  } catch (e) {
    return `malformed CMSAlgorithmProtection: ${(e as Error).message}`;
  }
}

function findSigner(sid: SignerIdentifier, pool: readonly Certificate[]): Certificate | undefined {
  if ('subjectKeyIdentifier' in sid)
    return pool.find((c) => c.subjectKeyIdentifier === sid.subjectKeyIdentifier);
  return pool.find((c) => c.serialNumber === sid.serialNumber && namesEqual(c.issuerDer, sid.issuerDer));
}

/**
 * Verifies every SignerInfo of a SignedData: signer found, contentType and messageDigest attributes,
 * the signature over the signed attributes, the signer's key usage, and — when trust anchors and `now`
 * are given — the signer's certification path. Reports; throws only for programmer errors.
 */
export function verifyCmsSignature(der: Uint8Array, opts: VerifyCmsOptions = {}): CmsVerification {
  const checks: Check[] = [];
  let cms: CmsSignedData;
  try {
    cms = parseCms(der, opts);
  } catch (e) {
    checks.push(check('cms.decode', 'failed', (e as Error).message));
    return { verdict: 'invalid', checks, certificates: [] };
  }
  if (cms.signers.length === 0) {
    checks.push(check('cms.decode', 'failed', 'SignedData without a SignerInfo'));
    return { verdict: 'invalid', checks, certificates: [] };
  }
  checks.push(check('cms.decode', 'passed', `SignedData v${cms.version}, ${cms.signers.length} signer(s)`));
  const certificates: Certificate[] = [];
  for (const c of cms.certificates) {
    try {
      certificates.push(parseCertificate(c));
    } catch {
      /* an unreadable embedded certificate is simply not a candidate */
    }
  }
  const detached = cms.content === undefined;
  let content = cms.content;
  if (detached) {
    if (opts.content === undefined)
      checks.push(check('cms.content', 'failed', 'detached signature and no content given'));
    else {
      content = opts.content;
      checks.push(check('cms.content', 'passed', 'detached content supplied by the caller'));
    }
  } else if (opts.content !== undefined && !bytesEqual(opts.content, cms.content!)) {
    checks.push(check('cms.content', 'failed', 'the embedded content differs from the content given'));
  } else {
    checks.push(check('cms.content', 'passed', 'content embedded'));
  }

  const pool = [...certificates, ...(opts.extraCertificates ?? [])];
  let first: Certificate | undefined;
  let signingTime: Date | undefined;
  let signerPath: PathValidationResult | undefined;
  cms.signers.forEach((si, idx) => {
    const who = cms.signers.length > 1 ? `signer ${idx + 1}: ` : '';
    const cert = findSigner(si.sid, pool);
    signingTime ??= si.signingTime;
    if (!cert) {
      checks.push(
        check(
          'cms.signer',
          'failed',
          `${who}the signer certificate is neither included nor given (${'subjectKeyIdentifier' in si.sid ? 'by subjectKeyIdentifier' : 'by issuer and serial number'})`,
        ),
      );
      return;
    }
    first ??= cert;
    checks.push(
      check(
        'cms.signer',
        'passed',
        `${who}signer certificate found ${'subjectKeyIdentifier' in si.sid ? 'by subjectKeyIdentifier' : 'by issuer and serial number'}`,
      ),
    );
    const hash = hashNameOf(si.digestAlgorithm.oid);
    if (hash === undefined) {
      checks.push(
        check('cms.message_digest', 'failed', `${who}unsupported digest algorithm ${si.digestAlgorithm.oid}`),
      );
      return;
    }
    let signed: Uint8Array;
    if (si.signedAttrsDer) {
      if (si.contentType === undefined || si.contentType !== cms.contentType)
        checks.push(
          check(
            'cms.content_type',
            'failed',
            `${who}the contentType attribute is missing or differs from eContentType`,
          ),
        );
      else checks.push(check('cms.content_type', 'passed', `${who}contentType attribute matches`));
      if (si.messageDigest === undefined)
        checks.push(check('cms.message_digest', 'failed', `${who}no messageDigest attribute`));
      else if (content === undefined)
        checks.push(check('cms.message_digest', 'undetermined', `${who}no content to digest`));
      else if (!digestEquals(hash, content, si.messageDigest))
        checks.push(check('cms.message_digest', 'failed', `${who}messageDigest does not match the content`));
      else checks.push(check('cms.message_digest', 'passed', `${who}messageDigest matches the content`));
      // §5.4: the signature covers the SET OF, not the [0] IMPLICIT tag. A copy with the tag changed
      // (from node's allocation pool: a few hundred bytes, made once per signature).
      signed = Buffer.allocUnsafe(si.signedAttrsDer.length);
      signed.set(si.signedAttrsDer);
      signed[0] = Tag.SET;
    } else {
      if (content === undefined) {
        checks.push(check('cms.signature', 'undetermined', `${who}no content to verify the signature over`));
        return;
      }
      signed = content;
    }
    let ok = false;
    let why = "the signature does not verify under the signer's key";
    const protection = algorithmProtectionMismatch(si);
    if (protection !== undefined) why = protection;
    else if (hash === 'sha1' && opts.allowSha1 !== true)
      why = `digestAlgorithm SHA-1: SHA-1 signatures are not accepted (allowSha1 to accept them)`;
    else {
      try {
        // A new signer's key is read from its bytes for this one check (no KeyObject to make and
        // finalize); anything that path does not settle goes to the KeyObject, as before.
        const der = oneShotRsaKey(cert);
        const quick =
          der !== undefined
            ? verifyRsaWithKeyDer(si.signatureAlgorithm, signed, si.signature, der, hash, opts)
            : undefined;
        ok =
          quick ?? verifySignature(si.signatureAlgorithm, signed, si.signature, cert.publicKey, hash, opts);
      } catch (e) {
        why = (e as Error).message;
      }
    }
    checks.push(
      ok
        ? check('cms.signature', 'passed', `${who}${si.signatureAlgorithm.name} signature verified`)
        : check('cms.signature', 'failed', `${who}${why}`),
    );
    const ku = cert.keyUsage;
    checks.push(
      ku === undefined || ku.includes('digitalSignature') || ku.includes('nonRepudiation')
        ? check('cms.signer_key_usage', 'passed', `${who}the signer key may sign`)
        : check(
            'cms.signer_key_usage',
            'failed',
            `${who}the signer certificate keyUsage allows neither digitalSignature nor nonRepudiation`,
          ),
    );
    if (opts.trustAnchors && opts.now) {
      const p = validateCertificatePath({
        leaf: cert,
        intermediates: pool.filter((c) => c.fingerprint256 !== cert.fingerprint256),
        trustAnchors: opts.trustAnchors,
        now: opts.now,
        ...(opts.requiredEku ? { requiredEku: opts.requiredEku } : {}),
        ...(opts.allowSha1 === true ? { allowSha1: true } : {}),
      });
      signerPath ??= p;
      checks.push(
        p.ok
          ? check('cms.signer_path', 'passed', `${who}the signer certificate chains to a trust anchor`)
          : check('cms.signer_path', 'failed', `${who}${p.failure?.code}: ${p.failure?.detail}`),
      );
    }
  });
  // Member by member in the interface's order (conditional spreads are a builtin call each).
  const out = { verdict: verdictOf(checks), checks } as Partial<Mutable<CmsVerification>>;
  if (first) out.signerCertificate = first;
  out.certificates = certificates;
  if (signingTime) out.signingTime = signingTime;
  if (content) out.content = content;
  out.contentType = cms.contentType;
  out.detached = detached;
  if (signerPath) out.signerPath = signerPath;
  return out as CmsVerification;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
