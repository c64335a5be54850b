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
  defaultSigningAlgorithm,
  digest,
  type HashName,
  hashNameOf,
  readAlgorithmIdentifier,
  type SigningAlgorithm,
  signData,
  signingAlgorithmIdentifier,
  verifySignature,
} from './algorithm.js';
import {
  type Certificate,
  keyIdentifierOf,
  parseCertificate,
  serialToBigInt,
  toCertificate,
} from './certificate.js';
import { isSignedBy } from './certificate-signature.js';
import { type CrlReason, crlReasonCode, crlReasonFromCode } from './crl.js';
import {
  bytesEqual,
  children,
  DerReader,
  readBitString,
  readDer,
  readIntegerHex,
  readOctetString,
  readOid,
  readSmallInt,
  readTime,
  Tag,
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
import { type Extension, encodeExtension, readExtensions } from './extensions.js';
import { namesEqual } from './name.js';
import { OID } from './oids.js';

export type OcspHashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const HASHES: Readonly<Record<OcspHashAlgorithm, { name: HashName; oid: string }>> = {
  'SHA-1': { name: 'sha1', oid: OID.sha1 },
  'SHA-256': { name: 'sha256', oid: OID.sha256 },
  'SHA-384': { name: 'sha384', oid: OID.sha384 },
  'SHA-512': { name: 'sha512', oid: OID.sha512 },
};

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
  const h = HASHES[hashAlgorithm];
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
  const r = children(el, 'CertID');
  const alg = readAlgorithmIdentifier(r.expect(Tag.SEQUENCE, 'hashAlgorithm'));
  const nameHash = readOctetString(r.expect(Tag.OCTET_STRING, 'issuerNameHash'));
  const keyHash = readOctetString(r.expect(Tag.OCTET_STRING, 'issuerKeyHash'));
  const serialNumber = readIntegerHex(r.expect(Tag.INTEGER, 'serialNumber'));
  r.finish('CertID');
  return {
    hashAlgorithm: alg.oid,
    issuerNameHash: toHex(nameHash),
    issuerKeyHash: toHex(keyHash),
    serialNumber,
    der: el.bytes,
  };
}

/** Whether `id` names `certificate` issued by `issuer` (under the CertID's own hash algorithm). */
export function certIdMatches(id: CertId, certificate: Certificate, issuer: Certificate): boolean {
  const hash = hashNameOf(id.hashAlgorithm);
  if (hash === undefined) return false;
  return (
    id.serialNumber === certificate.serialNumber &&
    id.issuerNameHash === toHex(digest(hash, certificate.issuerDer)) &&
    id.issuerKeyHash === toHex(digest(hash, issuer.subjectPublicKey))
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

export function createOcspResponse(opts: CreateOcspResponseOptions): Uint8Array<ArrayBuffer> {
  const responder = toCertificate(opts.responder.certificate);
  const alg = opts.signingAlgorithm ?? defaultSigningAlgorithm(opts.responder.privateKey);
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
  const basic = sequence(
    tbs,
    algId,
    bitString(signData(alg, tbs, opts.responder.privateKey)),
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
    const top = children(readDer(der, 'OCSPResponse'), 'OCSPResponse');
    const st = top.expect(Tag.ENUMERATED, 'responseStatus');
    const responseStatus = RESPONSE_STATUS[readSmallInt(st)];
    if (responseStatus === undefined) throw new PkiError('OCSP_MALFORMED', 'unknown OCSP response status');
    const rb = top.optional(0xa0);
    top.finish('OCSPResponse');
    if (!rb) return { der, responseStatus };
    const bytes = children(readDer(rb.value, 'ResponseBytes'));
    const type = readOid(bytes.expect(Tag.OID, 'responseType'));
    const body = readOctetString(bytes.expect(Tag.OCTET_STRING, 'response'));
    if (type !== OID.ocspBasic) return { der, responseStatus };
    const b = children(readDer(body, 'BasicOCSPResponse'));
    const tbs = b.expect(Tag.SEQUENCE, 'tbsResponseData');
    const signatureAlgorithm = readAlgorithmIdentifier(b.expect(Tag.SEQUENCE, 'signatureAlgorithm'));
    const signatureValue = readBitString(b.expect(Tag.BIT_STRING, 'signature')).bytes;
    const certsW = b.optional(0xa0);
    const certificates = certsW ? new DerReader(readDer(certsW.value).value).rest().map((e) => e.bytes) : [];
    const t = children(tbs, 'ResponseData');
    const v = t.optional(0xa0);
    if (v && readSmallInt(readDer(v.value)) !== 0)
      throw new PkiError('OCSP_MALFORMED', 'unknown ResponseData version');
    const rid = t.next('responderID');
    let responderId: ResponderId;
    if (rid.tag === 0xa1) responderId = { byName: readDer(rid.value, 'byName').bytes };
    else if (rid.tag === 0xa2) responderId = { byKey: toHex(readOctetString(readDer(rid.value, 'byKey'))) };
    else throw new PkiError('OCSP_MALFORMED', 'bad ResponderID');
    const producedAt = readTime(t.expect(Tag.GENERALIZED_TIME, 'producedAt'));
    const list = children(t.expect(Tag.SEQUENCE, 'responses'));
    const responses: OcspSingleResponse[] = [];
    while (!list.done) {
      const s = children(list.expect(Tag.SEQUENCE, 'SingleResponse'));
      const certId = readCertId(s.expect(Tag.SEQUENCE, 'certID'));
      const cs = s.next('certStatus');
      let status: OcspCertStatus;
      let revocationTime: Date | undefined;
      let reason: CrlReason | undefined;
      if (cs.tag === 0x80) status = 'good';
      else if (cs.tag === 0x82) status = 'unknown';
      else if (cs.tag === 0xa1) {
        status = 'revoked';
        const ri = children(cs);
        revocationTime = readTime(ri.expect(Tag.GENERALIZED_TIME, 'revocationTime'));
        const rr = ri.optional(0xa0);
        if (rr) reason = crlReasonFromCode(readSmallInt(readDer(rr.value)));
      } else throw new PkiError('OCSP_MALFORMED', 'bad CertStatus');
      const thisUpdate = readTime(s.expect(Tag.GENERALIZED_TIME, 'thisUpdate'));
      const nu = s.optional(0xa0);
      responses.push({
        certId,
        status,
        ...(revocationTime ? { revocationTime } : {}),
        ...(reason ? { reason } : {}),
        thisUpdate,
        ...(nu ? { nextUpdate: readTime(readDer(nu.value)) } : {}),
      });
    }
    const extW = t.optional(0xa1);
    const extensions = extW ? readExtensions(readDer(extW.value)) : [];
    const n = extensions.find((e) => e.oid === OID.ocspNonce);
    return {
      der,
      responseStatus,
      basic: {
        tbsDer: tbs.bytes,
        signatureAlgorithm,
        signatureValue,
        responderId,
        producedAt,
        responses,
        ...(n ? { nonce: readNonce(n) } : {}),
        extensions,
        certificates,
      },
    };
  } catch (cause) {
    if (cause instanceof PkiError && cause.code === 'OCSP_MALFORMED') throw cause;
    throw new PkiError('OCSP_MALFORMED', `malformed OCSP response: ${(cause as Error).message}`, { cause });
  }
}

// ---- verification ----

export interface VerifyOcspResponseOptions {
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
    : id.byKey === keyIdentifierOf(c.subjectPublicKey);
}

/** Verifies an OCSP response for one certificate, failing closed (see the module comment). */
export function verifyOcspResponse(der: Uint8Array, opts: VerifyOcspResponseOptions): OcspVerification {
  const checks: Check[] = [];
  const unusable = (
    id: string,
    detail: string,
    status: 'failed' | 'undetermined' = 'failed',
  ): OcspVerification => {
    checks.push(check(id, status, detail));
    return { status: 'unusable', verdict: verdictOf(checks), detail, checks };
  };
  let resp: OcspResponse;
  try {
    resp = parseOcspResponse(der);
  } catch (e) {
    return unusable('ocsp.decode', (e as Error).message);
  }
  checks.push(check('ocsp.decode', 'passed', 'OCSP response decoded'));
  if (resp.responseStatus !== 'successful')
    return unusable('ocsp.response_status', `responder answered ${resp.responseStatus}`);
  const basic = resp.basic;
  if (!basic) return unusable('ocsp.response_status', 'not a basic OCSP response');
  checks.push(check('ocsp.response_status', 'passed', 'successful'));

  // Who signed: the CA itself, a locally trusted responder, or a delegated responder the CA authorised.
  const { issuerCertificate: ca, now } = opts;
  const tol = (opts.clockToleranceSeconds ?? 0) * 1000;
  const embedded: Certificate[] = [];
  for (const c of basic.certificates) {
    try {
      embedded.push(parseCertificate(c));
    } catch {
      /* an unreadable embedded certificate cannot be the responder */
    }
  }
  const signedBy = (c: Certificate): boolean => {
    try {
      return verifySignature(basic.signatureAlgorithm, basic.tbsDer, basic.signatureValue, c.publicKey);
    } catch {
      return false;
    }
  };
  let responderDetail: string | undefined;
  let signatureVerified = false;
  const reasons: string[] = [];
  const inValidity = (c: Certificate): boolean =>
    now.getTime() + tol >= c.notBefore.getTime() && now.getTime() - tol <= c.notAfter.getTime();
  if (responderMatches(basic.responderId, ca) && signedBy(ca)) {
    signatureVerified = true;
    responderDetail = 'signed by the issuing CA itself';
  } else {
    const trusted = opts.trustedResponders ?? [];
    for (const c of [...trusted, ...embedded]) {
      if (!responderMatches(basic.responderId, c)) continue;
      const isTrusted = trusted.some((t) => t.fingerprint256 === c.fingerprint256);
      if (isTrusted) {
        if (!inValidity(c)) {
          reasons.push('the locally trusted responder certificate is outside its validity');
          continue;
        }
        if (!signedBy(c)) {
          reasons.push('signature does not verify under the locally trusted responder key');
          continue;
        }
        signatureVerified = true;
        responderDetail = `signed by locally trusted responder "${c.subject}"`;
        break;
      }
      // RFC 6960 §4.2.2.2 (3): issued directly by the CA, with id-kp-OCSPSigning
      if (!namesEqual(c.issuerDer, ca.subjectDer) || !isSignedBy(c, ca)) {
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
      if (!inValidity(c)) {
        reasons.push(`responder certificate "${c.subject}" is outside its validity`);
        continue;
      }
      if (!signedBy(c)) {
        reasons.push(`signature does not verify under responder "${c.subject}"`);
        continue;
      }
      signatureVerified = true;
      responderDetail = `signed by delegated responder "${c.subject}" (OCSPSigning, issued by the CA)`;
      break;
    }
  }
  if (!signatureVerified) {
    if (responderMatches(basic.responderId, ca))
      return unusable(
        'ocsp.signature',
        "the response names the CA as responder but does not verify under the CA's key",
      );
    return unusable(
      'ocsp.responder',
      reasons[0] ?? 'no authorised responder certificate matches the ResponderID',
    );
  }
  checks.push(check('ocsp.signature', 'passed', 'response signature verified'));
  checks.push(check('ocsp.responder', 'passed', responderDetail ?? 'authorised'));

  const single = basic.responses.find((s) => certIdMatches(s.certId, opts.certificate, ca));
  if (!single)
    return unusable('ocsp.cert_id', 'the response does not cover the certificate (CertID mismatch)');
  checks.push(check('ocsp.cert_id', 'passed', 'CertID matches the certificate and its issuer'));

  // nonce
  let nonceOk = false;
  if (opts.nonce !== undefined) {
    if (basic.nonce === undefined)
      return unusable('ocsp.nonce', 'a nonce was sent but the response has none');
    if (!bytesEqual(basic.nonce, opts.nonce))
      return unusable('ocsp.nonce', 'the response nonce differs from the one sent');
    nonceOk = true;
    checks.push(check('ocsp.nonce', 'passed', 'nonce echoed'));
  } else {
    checks.push(check('ocsp.nonce', 'skipped', 'no nonce sent: freshness judged by the validity window'));
  }

  // freshness (§4.2.2.1 / §3.2 (4)–(5))
  const t = now.getTime();
  if (single.thisUpdate.getTime() > t + tol)
    return unusable(
      'ocsp.freshness',
      `thisUpdate ${single.thisUpdate.toISOString()} is after now`,
      'undetermined',
    );
  if (single.nextUpdate === undefined) {
    if (!nonceOk)
      return unusable(
        'ocsp.freshness',
        'no nextUpdate and no nonce: freshness cannot be judged',
        'undetermined',
      );
  } else if (single.nextUpdate.getTime() < t - tol) {
    return unusable(
      'ocsp.freshness',
      `stale: nextUpdate ${single.nextUpdate.toISOString()} has passed`,
      'undetermined',
    );
  }
  checks.push(
    check(
      'ocsp.freshness',
      'passed',
      `thisUpdate ${single.thisUpdate.toISOString()} ≤ now${single.nextUpdate ? ` ≤ nextUpdate ${single.nextUpdate.toISOString()}` : ''}`,
    ),
  );

  const times = {
    thisUpdate: single.thisUpdate,
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}),
    producedAt: basic.producedAt,
  };
  if (single.status === 'good') {
    checks.push(check('ocsp.cert_status', 'passed', 'good'));
    return { status: 'good', verdict: verdictOf(checks), detail: 'good', checks, ...times };
  }
  if (single.status === 'unknown') {
    checks.push(check('ocsp.cert_status', 'undetermined', 'the responder does not know the certificate'));
    return {
      status: 'unknown',
      verdict: verdictOf(checks),
      detail: 'unknown to the responder',
      checks,
      ...times,
    };
  }
  const detail = `revoked at ${single.revocationTime?.toISOString()}${single.reason ? ` (${single.reason})` : ''}`;
  checks.push(check('ocsp.cert_status', 'failed', detail));
  return {
    status: 'revoked',
    verdict: verdictOf(checks),
    ...(single.reason ? { reason: single.reason } : {}),
    ...(single.revocationTime ? { revocationTime: single.revocationTime } : {}),
    detail,
    checks,
    ...times,
  };
}
