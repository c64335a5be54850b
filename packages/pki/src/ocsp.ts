/**
 * OCSP (RFC 6960): requests, responses and their verification.
 *
 *   OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
 *   TBSRequest ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, requestorName [1] EXPLICIT GeneralName OPTIONAL,
 *     requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
 *   Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
 *   CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
 *     issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
 *
 *   OCSPResponse ::= SEQUENCE { responseStatus OCSPResponseStatus, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
 *   ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
 *   BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm AlgorithmIdentifier,
 *     signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 *   ResponseData ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, responderID ResponderID,
 *     producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT Extensions OPTIONAL }
 *   ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }
 *   SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime,
 *     nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, singleExtensions [1] EXPLICIT Extensions OPTIONAL }
 *   CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }
 *   RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
 *   Nonce (RFC 8954) ::= OCTET STRING (SIZE(1..32)), the extnValue of id-pkix-ocsp-nonce
 *
 * Responses are parsed with the lean DER reader (this runs on every JPKI status check). Verification
 * fails closed: anything that is not a properly signed, authorised, matching, fresh answer is
 * `unusable` with a reason — never `good`.
 */
import type { KeyObject } from 'node:crypto';
import { type Check, check, type Verdict, verdictOf } from '@mynakit/report';
import {
  type AlgorithmIdentifier,
  algorithmAt,
  defaultSigningAlgorithm,
  digest,
  digestHex,
  type HashName,
  hashNameOf,
  refusedSignature,
  type SignaturePolicy,
  type SigningAlgorithm,
  signData,
  signingAlgorithmIdentifier,
  verifySignature,
} from './algorithm.js';
import {
  type Certificate,
  certificateHashHex,
  parseCertificate,
  serialToBigInt,
  toCertificate,
} from './certificate.js';
import { checkCertificateSignature } from './certificate-signature.js';
import { type SignerIssuer, signVerified } from './create-certificate.js';
import { type CrlReason, crlReasonCode, crlReasonFromCode } from './crl.js';
import {
  bytesEqual,
  children,
  contentSpan,
  type DerHeader,
  type DerReader,
  elementAt,
  expectHeader,
  hexAt,
  integerHexAt,
  newHeader,
  oidAt,
  readDer,
  readHeader,
  readOctetString,
  readSmallInt,
  signatureBitsAt,
  smallIntAt,
  Tag,
  timeAt,
  toHex,
} from './der-reader.js';
import {
  bitString,
  enumerated,
  explicit,
  generalizedTime,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  tlv,
} from './der-writer.js';
import { PkiError } from './errors.js';
import { type Extension, encodeExtension, extensionsAt, readExtensions } from './extensions.js';
import { isoTime } from './iso-time.js';
import { namesEqual } from './name.js';
import { OID } from './oids.js';

export type OcspHashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const HASHES: ReadonlyMap<OcspHashAlgorithm, { name: HashName; oid: string }> = new Map<
  OcspHashAlgorithm,
  { name: HashName; oid: string }
>([
  ['SHA-1', { name: 'sha1', oid: OID.sha1 }],
  ['SHA-256', { name: 'sha256', oid: OID.sha256 }],
  ['SHA-384', { name: 'sha384', oid: OID.sha384 }],
  ['SHA-512', { name: 'sha512', oid: OID.sha512 }],
]);

export interface CertId {
  /** Hash algorithm OID. */
  readonly hashAlgorithm: string;
  /** Lowercase hex. */
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  /** Normalised hex, as `Certificate.serialNumber`. */
  readonly serialNumber: string;
  /** The CertID TLV (a responder echoes it as received). */
  readonly der: Uint8Array;
}

/** The CertID of `certificate` (issued by `issuerCertificate`) under a hash algorithm. */
export function certIdFor(
  certificate: Certificate,
  issuerCertificate: Certificate,
  hashAlgorithm: OcspHashAlgorithm = 'SHA-1',
): CertId {
  const h = HASHES.get(hashAlgorithm);
  if (h === undefined) throw new PkiError('INVALID_ARGUMENT', 'unknown CertID hash algorithm');
  const nameHash = digest(h.name, certificate.issuerDer);
  const keyHash = digest(h.name, issuerCertificate.subjectPublicKey);
  // SHA-1 with NULL parameters as OpenSSL writes it; SHA-2 without (RFC 5754 §2).
  const alg = hashAlgorithm === 'SHA-1' ? sequence(oid(h.oid), nullValue()) : sequence(oid(h.oid));
  const der = sequence(
    alg,
    octetString(nameHash),
    octetString(keyHash),
    integer(serialToBigInt(certificate.serialNumber)),
  );
  return {
    hashAlgorithm: h.oid,
    issuerNameHash: toHex(nameHash),
    issuerKeyHash: toHex(keyHash),
    serialNumber: certificate.serialNumber,
    der,
  };
}

function readCertId(el: ReturnType<DerReader['next']>): CertId {
  if (!el.constructed) throw new PkiError('DER_MALFORMED', 'CertID: expected a constructed element');
  const { buf, start, end } = contentSpan(el);
  return certIdIn(buf, start, end, el.bytes, newHeader());
}

/** CertID given its contents `buf[start..end)` and its whole TLV `der` (read in place; `h` is reused). */
function certIdIn(buf: Uint8Array, start: number, end: number, der: Uint8Array, h: DerHeader): CertId {
  expectHeader(buf, start, end, Tag.SEQUENCE, 'hashAlgorithm', h);
  const p = h.end;
  const alg = algorithmAt(buf, h);
  expectHeader(buf, p, end, Tag.OCTET_STRING, 'issuerNameHash', h);
  const issuerNameHash = contentsHex(buf, h);
  expectHeader(buf, h.end, end, Tag.OCTET_STRING, 'issuerKeyHash', h);
  const issuerKeyHash = contentsHex(buf, h);
  expectHeader(buf, h.end, end, Tag.INTEGER, 'serialNumber', h);
  const serialNumber = integerHexAt(buf, h.contentStart, h.contentEnd);
  if (h.end !== end) throw new PkiError('DER_MALFORMED', 'CertID: unexpected trailing data');
  return { hashAlgorithm: alg.oid, issuerNameHash, issuerKeyHash, serialNumber, der };
}

/** The contents of the primitive element at `h`, as lowercase hex. */
function contentsHex(buf: Uint8Array, h: DerHeader): string {
  return hexAt(buf, h.contentStart, h.contentEnd);
}

/** Whether `id` names `certificate` issued by `issuer` (under the CertID's own hash algorithm). */
export function certIdMatches(id: CertId, certificate: Certificate, issuer: Certificate): boolean {
  const hash = hashNameOf(id.hashAlgorithm);
  if (hash === undefined) return false;
  if (id.serialNumber !== certificate.serialNumber) return false;
  // issuerNameHash covers the issuer field of the certificate checked (§4.1.1); it is usually the very
  // bytes of the CA's subject, whose hash the CA's view keeps.
  const nameHash = bytesEqual(certificate.issuerDer, issuer.subjectDer)
    ? certificateHashHex(issuer, 'subject', hash)
    : digestHex(hash, certificate.issuerDer);
  return (
    id.issuerNameHash === nameHash &&
    id.issuerKeyHash === certificateHashHex(issuer, 'subjectPublicKey', hash)
  );
}

function nonceExtension(nonce: Uint8Array): Uint8Array {
  return encodeExtension(OID.ocspNonce, false, octetString(nonce));
}

/** The nonce value of an extension: RFC 8954 form (an OCTET STRING), or the raw bytes older responders send. */
function readNonce(ext: Extension): Uint8Array {
  try {
    const el = readDer(ext.value);
    if (el.tag === Tag.OCTET_STRING) return el.value;
  } catch {
    /* raw form */
  }
  return ext.value;
}

// ---- requests ----

export interface CreateOcspRequestOptions {
  readonly certificate: Certificate;
  readonly issuerCertificate: Certificate;
  readonly hashAlgorithm?: OcspHashAlgorithm;
  /** 1–32 bytes (RFC 8954); the caller supplies the randomness. */
  readonly nonce?: Uint8Array;
}

export function createOcspRequest(opts: CreateOcspRequestOptions): Uint8Array<ArrayBuffer> {
  if (opts.nonce !== undefined && (opts.nonce.length < 1 || opts.nonce.length > 32))
    throw new PkiError('INVALID_ARGUMENT', 'an OCSP nonce has 1 to 32 octets (RFC 8954)');
  const id = certIdFor(opts.certificate, opts.issuerCertificate, opts.hashAlgorithm ?? 'SHA-1');
  const tbs = sequence(
    sequence(sequence(id.der)),
    ...(opts.nonce ? [explicit(2, sequence(nonceExtension(opts.nonce)))] : []),
  );
  return sequence(tbs);
}

export interface OcspRequest {
  readonly der: Uint8Array;
  readonly requests: readonly CertId[];
  readonly nonce?: Uint8Array;
  readonly signed: boolean;
}

export function parseOcspRequest(der: Uint8Array): OcspRequest {
  try {
    const top = children(readDer(der, 'OCSPRequest'), 'OCSPRequest');
    const tbs = children(top.expect(Tag.SEQUENCE, 'tbsRequest'), 'TBSRequest');
    const signed = top.optional(0xa0) !== undefined;
    top.finish('OCSPRequest');
    const v = tbs.optional(0xa0);
    if (v && readSmallInt(readDer(v.value)) !== 0)
      throw new PkiError('OCSP_MALFORMED', 'unknown OCSP request version');
    tbs.optional(0xa1);
    const list = children(tbs.expect(Tag.SEQUENCE, 'requestList'));
    const requests: CertId[] = [];
    while (!list.done)
      requests.push(
        readCertId(children(list.expect(Tag.SEQUENCE, 'Request')).expect(Tag.SEQUENCE, 'reqCert')),
      );
    const extW = tbs.optional(0xa2);
    const exts = extW ? readExtensions(readDer(extW.value)) : [];
    const n = exts.find((e) => e.oid === OID.ocspNonce);
    return { der, requests, ...(n ? { nonce: readNonce(n) } : {}), signed };
  } catch (cause) {
    if (cause instanceof PkiError && cause.code === 'OCSP_MALFORMED') throw cause;
    throw new PkiError('OCSP_MALFORMED', `malformed OCSP request: ${(cause as Error).message}`, { cause });
  }
}

// ---- responses ----

export type OcspResponseStatus =
  | 'successful'
  | 'malformedRequest'
  | 'internalError'
  | 'tryLater'
  | 'sigRequired'
  | 'unauthorized';

const RESPONSE_STATUS: readonly (OcspResponseStatus | undefined)[] = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  undefined,
  'sigRequired',
  'unauthorized',
];

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspSingleResponseInput {
  /** The CertID to answer for (echo a request's), or the certificate and its issuer. */
  readonly certId?: CertId;
  readonly certificate?: Certificate;
  readonly issuerCertificate?: Certificate;
  readonly hashAlgorithm?: OcspHashAlgorithm;
  readonly status: OcspCertStatus;
  readonly revocationTime?: Date;
  readonly reason?: CrlReason;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

export interface CreateOcspResponseOptions {
  /** The CA itself, or a delegated responder (its certificate carries OCSPSigning and ocspNoCheck). */
  readonly responder: {
    readonly certificate: Certificate | Uint8Array | string;
    readonly privateKey: KeyObject;
  };
  readonly responses: readonly OcspSingleResponseInput[];
  readonly producedAt: Date;
  readonly nonce?: Uint8Array;
  /** Certificates to embed: true = the responder certificate (default for delegated responders). */
  readonly includeCertificates?: boolean | readonly Certificate[];
  /** Default byKey (RFC 5019 §2.2.3). */
  readonly responderIdType?: 'byName' | 'byKey';
  readonly signingAlgorithm?: SigningAlgorithm;
}

/** A response with an error status and no body (RFC 6960 §2.3). */
export function createOcspErrorResponse(
  status: Exclude<OcspResponseStatus, 'successful'>,
): Uint8Array<ArrayBuffer> {
  return sequence(enumerated(RESPONSE_STATUS.indexOf(status)));
}

/** Issues a successful basic OCSP response signed with a private key in hand; returns its DER. */
export function createOcspResponse(opts: CreateOcspResponseOptions): Uint8Array<ArrayBuffer> {
  const alg = opts.signingAlgorithm ?? defaultSigningAlgorithm(opts.responder.privateKey);
  const { tbs, algId, certs } = buildResponseData(opts, opts.responder.certificate, alg);
  return basicResponse(tbs, algId, signData(alg, tbs, opts.responder.privateKey), certs);
}

/** createOcspResponse's options with the responder's key behind a CertificateSigner. */
export interface CreateOcspResponseWithSignerOptions
  extends Omit<CreateOcspResponseOptions, 'responder' | 'signingAlgorithm'> {
  /**
   * The CA itself or its delegated responder (OCSPSigning, §4.2.2.2); its signer's algorithm is the
   * response's signature algorithm.
   */
  readonly responder: SignerIssuer;
}

/**
 * createOcspResponse for a responder whose key is held elsewhere: the same ResponseData, signed by
 * `await responder.signer.sign(tbs)`. The signature is verified under the responder certificate's public
 * key before the response is returned; a signer answering with another key or encoding is refused
 * (INVALID_ARGUMENT).
 */
export async function createOcspResponseWithSigner(
  opts: CreateOcspResponseWithSignerOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const { signer } = opts.responder;
  const { tbs, algId, certs, responder } = buildResponseData(
    opts,
    opts.responder.certificate,
    signer.algorithm,
  );
  const signature = await signVerified(signer, tbs, algId, responder.publicKey, "the responder's");
  return basicResponse(tbs, algId, signature, certs);
}

/**
 * The one ResponseData writer of both paths (RFC 6960 §4.2.1): v1 (default, omitted), responderID
 * (byKey by default, RFC 5019 §2.2.3), producedAt, one SingleResponse per input and the nonce extension
 * (RFC 8954) when given; and the certificates the BasicOCSPResponse will carry.
 */
function buildResponseData(
  opts: Omit<CreateOcspResponseOptions, 'responder' | 'signingAlgorithm'>,
  responderCertificate: Certificate | Uint8Array | string,
  alg: SigningAlgorithm,
): {
  readonly tbs: Uint8Array;
  readonly algId: Uint8Array;
  readonly certs: readonly Certificate[];
  readonly responder: Certificate;
} {
  const responder = toCertificate(responderCertificate);
  const algId = signingAlgorithmIdentifier(alg);
  const responderId =
    opts.responderIdType === 'byName'
      ? explicit(1, responder.subjectDer)
      : explicit(2, octetString(digest('sha1', responder.subjectPublicKey)));
  const singles = opts.responses.map((r) => {
    let id = r.certId;
    if (!id) {
      if (!r.certificate || !r.issuerCertificate)
        throw new PkiError(
          'INVALID_ARGUMENT',
          'a single response needs certId or certificate + issuerCertificate',
        );
      id = certIdFor(r.certificate, r.issuerCertificate, r.hashAlgorithm ?? 'SHA-1');
    }
    let status: Uint8Array;
    if (r.status === 'good') status = Uint8Array.of(0x80, 0);
    else if (r.status === 'unknown') status = Uint8Array.of(0x82, 0);
    else {
      if (!r.revocationTime)
        throw new PkiError('INVALID_ARGUMENT', 'a revoked response needs revocationTime');
      status = tlv(
        0xa1,
        generalizedTime(r.revocationTime),
        ...(r.reason !== undefined ? [explicit(0, enumerated(crlReasonCode(r.reason)))] : []),
      );
    }
    return sequence(
      id.der,
      status,
      generalizedTime(r.thisUpdate),
      ...(r.nextUpdate ? [explicit(0, generalizedTime(r.nextUpdate))] : []),
    );
  });
  const tbs = sequence(
    responderId,
    generalizedTime(opts.producedAt),
    sequence(...singles),
    ...(opts.nonce ? [explicit(1, sequence(nonceExtension(opts.nonce)))] : []),
  );
  // A delegated responder's certificate must reach the client (§4.2.2.2); the CA's own need not.
  const delegated = (responder.extKeyUsage ?? []).includes(OID.ocspSigning);
  const include = opts.includeCertificates ?? delegated;
  const certs = include === true ? [responder] : include === false ? [] : include;
  return { tbs, algId, certs, responder };
}

/** OCSPResponse { successful, ResponseBytes { id-pkix-ocsp-basic, BasicOCSPResponse } } (§4.2.1). */
function basicResponse(
  tbs: Uint8Array,
  algId: Uint8Array,
  signature: Uint8Array,
  certs: readonly Certificate[],
): Uint8Array<ArrayBuffer> {
  const basic = sequence(
    tbs,
    algId,
    bitString(signature),
    ...(certs.length ? [explicit(0, sequence(...certs.map((c) => c.der)))] : []),
  );
  return sequence(enumerated(0), explicit(0, sequence(oid(OID.ocspBasic), octetString(basic))));
}

export interface OcspSingleResponse {
  readonly certId: CertId;
  readonly status: OcspCertStatus;
  readonly revocationTime?: Date;
  readonly reason?: CrlReason;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

export type ResponderId = { readonly byName: Uint8Array } | { readonly byKey: string };

export interface OcspResponse {
  readonly der: Uint8Array;
  readonly responseStatus: OcspResponseStatus;
  /** Present when the status is successful and the type is id-pkix-ocsp-basic. */
  readonly basic?: {
    readonly tbsDer: Uint8Array;
    readonly signatureAlgorithm: AlgorithmIdentifier;
    readonly signatureValue: Uint8Array;
    readonly responderId: ResponderId;
    readonly producedAt: Date;
    readonly responses: readonly OcspSingleResponse[];
    readonly nonce?: Uint8Array;
    readonly extensions: readonly Extension[];
    /** DER of the embedded certificates. */
    readonly certificates: readonly Uint8Array[];
  };
}

export function parseOcspResponse(der: Uint8Array): OcspResponse {
  try {
    const h = newHeader();
    readHeader(der, 0, der.length, h);
    if (h.end !== der.length)
      throw new PkiError('DER_MALFORMED', 'OCSPResponse: trailing data after the element');
    if ((h.tag & 0x20) === 0)
      throw new PkiError('DER_MALFORMED', 'OCSPResponse: expected a constructed element');
    const topEnd = h.contentEnd;
    expectHeader(der, h.contentStart, topEnd, Tag.ENUMERATED, 'responseStatus', h);
    const responseStatus = RESPONSE_STATUS[smallIntAt(der, h.contentStart, h.contentEnd)];
    if (responseStatus === undefined) throw new PkiError('OCSP_MALFORMED', 'unknown OCSP response status');
    let p = h.end;
    if (!(p < topEnd && der[p] === 0xa0)) {
      if (p !== topEnd) throw new PkiError('DER_MALFORMED', 'OCSPResponse: unexpected trailing data');
      return { der, responseStatus };
    }
    readHeader(der, p, topEnd, h);
    if (h.end !== topEnd) throw new PkiError('DER_MALFORMED', 'OCSPResponse: unexpected trailing data');
    // ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
    const rbEnd = h.contentEnd;
    readHeader(der, h.contentStart, rbEnd, h);
    if (h.end !== rbEnd)
      throw new PkiError('DER_MALFORMED', 'ResponseBytes: trailing data after the element');
    if ((h.tag & 0x20) === 0)
      throw new PkiError('DER_MALFORMED', 'ResponseBytes: expected a constructed element');
    const bytesEnd = h.contentEnd;
    expectHeader(der, h.contentStart, bytesEnd, Tag.OID, 'responseType', h);
    const type = oidAt(der, h.contentStart, h.contentEnd);
    expectHeader(der, h.end, bytesEnd, Tag.OCTET_STRING, 'response', h);
    if (type !== OID.ocspBasic) return { der, responseStatus };
    // BasicOCSPResponse, read where it lies inside the OCTET STRING
    const bodyEnd = h.contentEnd;
    readHeader(der, h.contentStart, bodyEnd, h);
    if (h.end !== bodyEnd)
      throw new PkiError('DER_MALFORMED', 'BasicOCSPResponse: trailing data after the element');
    if ((h.tag & 0x20) === 0)
      throw new PkiError('DER_MALFORMED', 'BasicOCSPResponse: expected a constructed element');
    const bEnd = h.contentEnd;
    expectHeader(der, h.contentStart, bEnd, Tag.SEQUENCE, 'tbsResponseData', h);
    const tbsStart = h.start;
    const tbsEnd = h.end;
    const tbsContentStart = h.contentStart;
    const tbsContentEnd = h.contentEnd;
    expectHeader(der, tbsEnd, bEnd, Tag.SEQUENCE, 'signatureAlgorithm', h);
    p = h.end;
    const signatureAlgorithm = algorithmAt(der, h);
    expectHeader(der, p, bEnd, Tag.BIT_STRING, 'signature', h);
    const signatureValue = signatureBitsAt(der, h, 'signature');
    p = h.end;
    const certificates: Uint8Array[] = [];
    if (p < bEnd && der[p] === 0xa0) {
      readHeader(der, p, bEnd, h);
      const wEnd = h.contentEnd;
      readHeader(der, h.contentStart, wEnd, h);
      if (h.end !== wEnd) throw new PkiError('DER_MALFORMED', 'certs: trailing data after the element');
      const listEnd = h.contentEnd;
      let q = h.contentStart;
      while (q < listEnd) {
        readHeader(der, q, listEnd, h);
        certificates.push(der.subarray(h.start, h.end));
        q = h.end;
      }
    }
    // ResponseData
    const te = tbsContentEnd;
    p = tbsContentStart;
    if (p < te && der[p] === 0xa0) {
      readHeader(der, p, te, h);
      p = h.end;
      const vEnd = h.contentEnd;
      readHeader(der, h.contentStart, vEnd, h);
      if (h.end !== vEnd) throw new PkiError('DER_MALFORMED', 'version: trailing data after the element');
      if (smallIntAt(der, h.contentStart, h.contentEnd) !== 0)
        throw new PkiError('OCSP_MALFORMED', 'unknown ResponseData version');
    }
    if (p >= te) throw new PkiError('DER_MALFORMED', 'missing responderID');
    readHeader(der, p, te, h);
    p = h.end;
    let responderId: ResponderId;
    if (h.tag === 0xa1 || h.tag === 0xa2) {
      const ridTag = h.tag;
      const ridEnd = h.contentEnd;
      readHeader(der, h.contentStart, ridEnd, h);
      if (h.end !== ridEnd)
        throw new PkiError(
          'DER_MALFORMED',
          `${ridTag === 0xa1 ? 'byName' : 'byKey'}: trailing data after the element`,
        );
      responderId =
        ridTag === 0xa1 ? { byName: der.subarray(h.start, h.end) } : { byKey: toHex(octetStringAt(der, h)) };
    } else throw new PkiError('OCSP_MALFORMED', 'bad ResponderID');
    expectHeader(der, p, te, Tag.GENERALIZED_TIME, 'producedAt', h);
    const producedAt = timeAt(der, h.tag, h.contentStart, h.contentEnd);
    expectHeader(der, h.end, te, Tag.SEQUENCE, 'responses', h);
    p = h.end;
    const listEnd = h.contentEnd;
    const responses: OcspSingleResponse[] = [];
    let q = h.contentStart;
    while (q < listEnd) {
      expectHeader(der, q, listEnd, Tag.SEQUENCE, 'SingleResponse', h);
      q = h.end;
      responses.push(singleResponseIn(der, h.contentStart, h.contentEnd, h));
    }
    let extensions: Extension[] = [];
    if (p < te && der[p] === 0xa1) {
      readHeader(der, p, te, h);
      const wEnd = h.contentEnd;
      readHeader(der, h.contentStart, wEnd, h);
      if (h.end !== wEnd)
        throw new PkiError('DER_MALFORMED', 'responseExtensions: trailing data after the element');
      if ((h.tag & 0x20) === 0)
        throw new PkiError('DER_MALFORMED', 'Extensions: expected a constructed element');
      extensions = extensionsAt(der, h.contentStart, h.contentEnd);
    }
    let nonce: Uint8Array | undefined;
    for (const e of extensions) if (e.oid === OID.ocspNonce) nonce = readNonce(e);
    return {
      der,
      responseStatus,
      basic: {
        tbsDer: der.subarray(tbsStart, tbsEnd),
        signatureAlgorithm,
        signatureValue,
        responderId,
        producedAt,
        responses,
        ...(nonce ? { nonce } : {}),
        extensions,
        certificates,
      },
    };
  } catch (cause) {
    if (cause instanceof PkiError && cause.code === 'OCSP_MALFORMED') throw cause;
    throw new PkiError('OCSP_MALFORMED', `malformed OCSP response: ${(cause as Error).message}`, { cause });
  }
}

/** An OCTET STRING's contents; a BER constructed encoding is joined (through the element reader). */
function octetStringAt(buf: Uint8Array, h: DerHeader): Uint8Array {
  return (h.tag & 0x20) === 0
    ? buf.subarray(h.contentStart, h.contentEnd)
    : readOctetString(elementAt(buf, h));
}

/**
 * SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime,
 *   nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, singleExtensions [1] EXPLICIT Extensions OPTIONAL },
 * given its contents.
 */
function singleResponseIn(buf: Uint8Array, start: number, end: number, h: DerHeader): OcspSingleResponse {
  expectHeader(buf, start, end, Tag.SEQUENCE, 'certID', h);
  let p = h.end;
  const certId = certIdIn(buf, h.contentStart, h.contentEnd, buf.subarray(h.start, h.end), h);
  if (p >= end) throw new PkiError('DER_MALFORMED', 'missing certStatus');
  readHeader(buf, p, end, h);
  p = h.end;
  let status: OcspCertStatus;
  let revocationTime: Date | undefined;
  let reason: CrlReason | undefined;
  if (h.tag === 0x80) status = 'good';
  else if (h.tag === 0x82) status = 'unknown';
  else if (h.tag === 0xa1) {
    status = 'revoked';
    const riEnd = h.contentEnd;
    expectHeader(buf, h.contentStart, riEnd, Tag.GENERALIZED_TIME, 'revocationTime', h);
    revocationTime = timeAt(buf, h.tag, h.contentStart, h.contentEnd);
    if (h.end < riEnd && buf[h.end] === 0xa0) {
      readHeader(buf, h.end, riEnd, h);
      const rEnd = h.contentEnd;
      readHeader(buf, h.contentStart, rEnd, h);
      if (h.end !== rEnd)
        throw new PkiError('DER_MALFORMED', 'revocationReason: trailing data after the element');
      reason = crlReasonFromCode(smallIntAt(buf, h.contentStart, h.contentEnd));
    }
  } else throw new PkiError('OCSP_MALFORMED', 'bad CertStatus');
  expectHeader(buf, p, end, Tag.GENERALIZED_TIME, 'thisUpdate', h);
  p = h.end;
  const thisUpdate = timeAt(buf, h.tag, h.contentStart, h.contentEnd);
  let nextUpdate: Date | undefined;
  if (p < end && buf[p] === 0xa0) {
    readHeader(buf, p, end, h);
    const nEnd = h.contentEnd;
    readHeader(buf, h.contentStart, nEnd, h);
    if (h.end !== nEnd) throw new PkiError('DER_MALFORMED', 'nextUpdate: trailing data after the element');
    nextUpdate = timeAt(buf, h.tag, h.contentStart, h.contentEnd);
  }
  const single: { -readonly [K in keyof OcspSingleResponse]: OcspSingleResponse[K] } = {
    certId,
    status,
    thisUpdate,
  };
  if (revocationTime) single.revocationTime = revocationTime;
  if (reason) single.reason = reason;
  if (nextUpdate) single.nextUpdate = nextUpdate;
  return single;
}

// ---- verification ----

export interface VerifyOcspResponseOptions extends SignaturePolicy {
  readonly certificate: Certificate;
  readonly issuerCertificate: Certificate;
  readonly now: Date;
  /** The nonce sent in the request; the response must echo it. */
  readonly nonce?: Uint8Array;
  /** Responders trusted by local configuration (RFC 6960 §4.2.2.2 (1)). */
  readonly trustedResponders?: readonly Certificate[];
  /** Tolerance for thisUpdate/nextUpdate against `now`, in seconds (default 0). */
  readonly clockToleranceSeconds?: number;
}

export interface OcspVerification {
  readonly status: 'good' | 'revoked' | 'unknown' | 'unusable';
  readonly verdict: Verdict;
  readonly reason?: CrlReason;
  readonly revocationTime?: Date;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  readonly producedAt?: Date;
  readonly detail: string;
  readonly checks: readonly Check[];
}

function responderMatches(id: ResponderId, c: Certificate): boolean {
  return 'byName' in id
    ? namesEqual(id.byName, c.subjectDer)
    : id.byKey === certificateHashHex(c, 'subjectPublicKey', 'sha1');
}

function unusableResult(
  checks: Check[],
  id: string,
  detail: string,
  status: 'failed' | 'undetermined' = 'failed',
): OcspVerification {
  checks.push(check(id, status, detail));
  return { status: 'unusable', verdict: verdictOf(checks), detail, checks };
}

type BasicOcspResponse = NonNullable<OcspResponse['basic']>;

/** Only called once the policy has accepted the response's algorithm. */
function responseSignedBy(basic: BasicOcspResponse, c: Certificate): boolean {
  try {
    return verifySignature(
      basic.signatureAlgorithm,
      basic.tbsDer,
      basic.signatureValue,
      c.publicKey,
      undefined,
      {
        allowSha1: true,
      },
    );
  } catch {
    return false;
  }
}

function validAt(c: Certificate, t: number, tol: number): boolean {
  return t + tol >= c.notBefore.getTime() && t - tol <= c.notAfter.getTime();
}

/** Verifies an OCSP response for one certificate, failing closed (see the module comment). */
export function verifyOcspResponse(der: Uint8Array, opts: VerifyOcspResponseOptions): OcspVerification {
  const checks: Check[] = [];
  let resp: OcspResponse;
  try {
    resp = parseOcspResponse(der);
  } catch (e) {
    return unusableResult(checks, 'ocsp.decode', (e as Error).message);
  }
  checks.push(check('ocsp.decode', 'passed', 'OCSP response decoded'));
  if (resp.responseStatus !== 'successful')
    return unusableResult(checks, 'ocsp.response_status', `responder answered ${resp.responseStatus}`);
  const basic = resp.basic;
  if (!basic) return unusableResult(checks, 'ocsp.response_status', 'not a basic OCSP response');
  checks.push(check('ocsp.response_status', 'passed', 'successful'));

  // BasicOCSPResponse names its algorithm once, outside tbsResponseData (§4.2.1): nothing to compare it
  // with, but the policy applies (SHA-1 refused unless allowed).
  const refused = refusedSignature(basic.signatureAlgorithm, undefined, opts);
  if (refused !== undefined) return unusableResult(checks, 'ocsp.signature', refused);

  // Who signed: the CA itself, a locally trusted responder, or a delegated responder the CA authorised.
  const { issuerCertificate: ca, now } = opts;
  const t = now.getTime();
  const tol = (opts.clockToleranceSeconds ?? 0) * 1000;
  let responderDetail: string | undefined;
  let signatureVerified = false;
  const reasons: string[] = [];
  const caNamed = responderMatches(basic.responderId, ca);
  if (caNamed && responseSignedBy(basic, ca)) {
    signatureVerified = true;
    responderDetail = 'signed by the issuing CA itself';
  } else {
    const trusted = opts.trustedResponders ?? [];
    // An array literal, not a spread of `trusted`: its allocation site learns that it holds objects,
    // so that optimized code does not fall back to the interpreter at the first push.
    const candidates: Certificate[] = [];
    for (const c of trusted) candidates.push(c);
    for (const c of basic.certificates) {
      try {
        candidates.push(parseCertificate(c));
      } catch {
        /* an unreadable embedded certificate cannot be the responder */
      }
    }
    for (const c of candidates) {
      if (!responderMatches(basic.responderId, c)) continue;
      const isTrusted = trusted.some((x) => x.fingerprint256 === c.fingerprint256);
      if (isTrusted) {
        if (!validAt(c, t, tol)) {
          reasons.push('the locally trusted responder certificate is outside its validity');
          continue;
        }
        if (!responseSignedBy(basic, c)) {
          reasons.push('signature does not verify under the locally trusted responder key');
          continue;
        }
        signatureVerified = true;
        responderDetail = `signed by locally trusted responder "${c.subject}"`;
        break;
      }
      // RFC 6960 §4.2.2.2 (3): issued directly by the CA, with id-kp-OCSPSigning
      const issued = namesEqual(c.issuerDer, ca.subjectDer)
        ? checkCertificateSignature(c, ca, opts)
        : undefined;
      if (issued?.weak === true) {
        reasons.push(`responder "${c.subject}": its certificate's ${issued.unsupported}`);
        continue;
      }
      if (issued?.valid !== true) {
        reasons.push(`responder "${c.subject}" is not issued by the certificate's CA`);
        continue;
      }
      if (!(c.extKeyUsage ?? []).includes(OID.ocspSigning)) {
        reasons.push(`responder "${c.subject}" lacks the OCSPSigning extended key usage`);
        continue;
      }
      if (
        c.keyUsage !== undefined &&
        !c.keyUsage.includes('digitalSignature') &&
        !c.keyUsage.includes('nonRepudiation')
      ) {
        reasons.push(`responder "${c.subject}" keyUsage does not allow signing`);
        continue;
      }
      if (!validAt(c, t, tol)) {
        reasons.push(`responder certificate "${c.subject}" is outside its validity`);
        continue;
      }
      if (!responseSignedBy(basic, c)) {
        reasons.push(`signature does not verify under responder "${c.subject}"`);
        continue;
      }
      signatureVerified = true;
      responderDetail = `signed by delegated responder "${c.subject}" (OCSPSigning, issued by the CA)`;
      break;
    }
  }
  if (!signatureVerified) {
    if (caNamed)
      return unusableResult(
        checks,
        'ocsp.signature',
        "the response names the CA as responder but does not verify under the CA's key",
      );
    return unusableResult(
      checks,
      'ocsp.responder',
      reasons[0] ?? 'no authorised responder certificate matches the ResponderID',
    );
  }
  checks.push(check('ocsp.signature', 'passed', 'response signature verified'));
  checks.push(check('ocsp.responder', 'passed', responderDetail ?? 'authorised'));

  const single = basic.responses.find((s) => certIdMatches(s.certId, opts.certificate, ca));
  if (!single)
    return unusableResult(
      checks,
      'ocsp.cert_id',
      'the response does not cover the certificate (CertID mismatch)',
    );
  checks.push(check('ocsp.cert_id', 'passed', 'CertID matches the certificate and its issuer'));

  // nonce
  let nonceOk = false;
  if (opts.nonce !== undefined) {
    if (basic.nonce === undefined)
      return unusableResult(checks, 'ocsp.nonce', 'a nonce was sent but the response has none');
    if (!bytesEqual(basic.nonce, opts.nonce))
      return unusableResult(checks, 'ocsp.nonce', 'the response nonce differs from the one sent');
    nonceOk = true;
    checks.push(check('ocsp.nonce', 'passed', 'nonce echoed'));
  } else {
    checks.push(check('ocsp.nonce', 'skipped', 'no nonce sent: freshness judged by the validity window'));
  }

  // freshness (§4.2.2.1 / §3.2 (4)–(5))
  if (single.thisUpdate.getTime() > t + tol)
    return unusableResult(
      checks,
      'ocsp.freshness',
      `thisUpdate ${isoTime(single.thisUpdate)} is after now`,
      'undetermined',
    );
  if (single.nextUpdate === undefined) {
    if (!nonceOk)
      return unusableResult(
        checks,
        'ocsp.freshness',
        'no nextUpdate and no nonce: freshness cannot be judged',
        'undetermined',
      );
  } else if (single.nextUpdate.getTime() < t - tol) {
    return unusableResult(
      checks,
      'ocsp.freshness',
      `stale: nextUpdate ${isoTime(single.nextUpdate)} has passed`,
      'undetermined',
    );
  }
  checks.push(
    check(
      'ocsp.freshness',
      'passed',
      `thisUpdate ${isoTime(single.thisUpdate)} ≤ now${single.nextUpdate ? ` ≤ nextUpdate ${isoTime(single.nextUpdate)}` : ''}`,
    ),
  );

  // The result is built member by member in the interface's order (conditional spreads are a builtin
  // call each, on every status check).
  let status: OcspVerification['status'];
  let detail: string;
  if (single.status === 'good') {
    checks.push(check('ocsp.cert_status', 'passed', 'good'));
    status = 'good';
    detail = 'good';
  } else if (single.status === 'unknown') {
    checks.push(check('ocsp.cert_status', 'undetermined', 'the responder does not know the certificate'));
    status = 'unknown';
    detail = 'unknown to the responder';
  } else {
    detail = `revoked at ${single.revocationTime?.toISOString()}${single.reason ? ` (${single.reason})` : ''}`;
    checks.push(check('ocsp.cert_status', 'failed', detail));
    status = 'revoked';
  }
  const out = { status, verdict: verdictOf(checks) } as Mutable<OcspVerification>;
  if (status === 'revoked') {
    if (single.reason) out.reason = single.reason;
    if (single.revocationTime) out.revocationTime = single.revocationTime;
  }
  out.detail = detail;
  out.checks = checks;
  out.thisUpdate = single.thisUpdate;
  if (single.nextUpdate) out.nextUpdate = single.nextUpdate;
  out.producedAt = basic.producedAt;
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
