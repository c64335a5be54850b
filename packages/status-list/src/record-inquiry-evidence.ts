/**
 * The signed answer of an issuer's per-record status inquiry (DOMAIN.md §4: "a per-record inquiry endpoint
 * for authenticated relying parties, keyed by SHA-256 of the MobileSecurityObjectBytes"), which a relying
 * party verifies and keeps as the evidence of its revocation check — a KYC file or a dispute can show it
 * later without the issuer. It is a CWT (RFC 8392) in a COSE_Sign1 (RFC 9052 §4.2), signed by the key that
 * already speaks for the records' status — the status-list signer, certified by the record IACA (ISO/IEC
 * 18013-5 2nd edition §12.3.6.2) — so the relying party checks it with the trust anchor it holds for the
 * records and the same signer rule as a Status List Token:
 *
 *   COSE_Sign1_Tagged (tag 18) = [
 *     protected:   << { 1 (alg): asymmetric, 16 (typ, RFC 9596): "application/inquiry-evidence+cwt" } >>,
 *     unprotected: { 33 (x5chain, RFC 9360): the signer's certificate [, its issuers] },
 *     payload:     << {
 *       1 (iss): tstr,                 ; the issuer's origin (its credential issuer identifier)
 *       3 (aud): tstr,                 ; the client id that asked
 *       6 (iat): uint,                 ; when the issuer looked, seconds since the epoch
 *       "mso_digest": bstr .size 32,   ; SHA-256 of the MobileSecurityObjectBytes asked about
 *       "status": "valid" / "invalid" / "suspended" / "unknown"
 *     } >>,
 *     signature
 *   ]
 *
 * Nothing else: no name, no index, no reason beyond the four statuses. The `typ` keeps the evidence from
 * being taken for another signed object of the same key (a Status List Token is application/statuslist+cwt);
 * `aud` and `mso_digest` keep one relying party's answer about one record from being replayed as another's,
 * and `iat` bounds how old an answer may be. `unknown` means the issuer has no record with that digest — no
 * statement, never revocation (DOMAIN.md §4).
 */
import { type CborMap, type CborValue, decode, encode } from '@mynakit/cbor';
import {
  type CoseSigner,
  defaultSignatureAlgorithm,
  HeaderLabel,
  signatureAlgorithmId,
  signSign1,
  UNDERSTOOD_HEADER_LABELS,
  x5chainValue,
} from '@mynakit/cose';
import { type Report, ReportBuilder } from '@mynakit/report';
import { StatusListError } from './errors.js';
import { epochSeconds, type KeyInput, signingKeyOf } from './keys.js';
import { decodeCwtSign1, verifyCwtSigner } from './signed-cwt.js';

/** The `typ` of the evidence (RFC 9596: a media type). */
export const INQUIRY_EVIDENCE_TYP = 'application/inquiry-evidence+cwt';

/** What an inquiry answers. */
export const INQUIRY_STATUSES = ['valid', 'invalid', 'suspended', 'unknown'] as const;

/** One of INQUIRY_STATUSES. */
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** CWT claim keys of the evidence (RFC 8392 §3.1) and its two private text labels. */
export const InquiryClaim = {
  iss: 1,
  aud: 3,
  iat: 6,
  msoDigest: 'mso_digest',
  status: 'status',
} as const;

/** The check ids of verifyInquiryEvidence. */
export const InquiryEvidenceCheck = {
  decode: 'inquiry_evidence.decode',
  type: 'inquiry_evidence.type',
  certificatePath: 'inquiry_evidence.certificate_path',
  signature: 'inquiry_evidence.signature',
  record: 'inquiry_evidence.record',
  audience: 'inquiry_evidence.audience',
  issuer: 'inquiry_evidence.issuer',
  issuedAt: 'inquiry_evidence.issued_at',
  status: 'inquiry_evidence.status',
} as const;

/** Default: how old an answer may be when it is verified, seconds. */
export const DEFAULT_INQUIRY_EVIDENCE_MAX_AGE_SECONDS = 300;
/** Default: how far `iat` may lie after `now` (clocks differ), seconds. */
export const DEFAULT_INQUIRY_EVIDENCE_SKEW_SECONDS = 60;
/** Largest evidence verified, bytes (a few claims and a certificate chain). */
export const MAX_INQUIRY_EVIDENCE_BYTES = 32 * 1024;

/** What signInquiryEvidence states, and with which key. */
export interface SignInquiryEvidenceInput {
  /** SHA-256 of the MobileSecurityObjectBytes, 32 bytes. */
  readonly msoDigest: Uint8Array;
  readonly status: InquiryStatus;
  /** When the issuer looked (iat, whole seconds). */
  readonly checkedAt: Date;
  /** The client id that asked (aud). */
  readonly audience: string;
  /** The issuer's origin (iss). */
  readonly issuer: string;
  /** The private key; or give `signer` (an HSM, a key store) instead. Exactly one of the two. */
  readonly key?: KeyInput;
  readonly signer?: CoseSigner;
  /** COSE alg; default the signer's, or the key's (ES256 for P-256). */
  readonly alg?: number;
  /** The signer's certificate chain, leaf first (x5chain). */
  readonly x5chain: readonly Uint8Array[];
}

/** Signs the evidence: COSE_Sign1_Tagged bytes. */
export async function signInquiryEvidence(input: SignInquiryEvidenceInput): Promise<Uint8Array> {
  if ((input.key === undefined) === (input.signer === undefined))
    throw new StatusListError('STATUS_LIST_SIGN', 'give exactly one of key and signer');
  if (input.msoDigest.length !== 32)
    throw new StatusListError('STATUS_LIST_SIGN', 'msoDigest must be the 32 bytes of a SHA-256');
  if (!(INQUIRY_STATUSES as readonly string[]).includes(input.status))
    throw new StatusListError('STATUS_LIST_SIGN', 'status must be valid, invalid, suspended or unknown');
  if (input.x5chain.length === 0)
    throw new StatusListError('STATUS_LIST_SIGN', 'the evidence needs the signer certificate (x5chain)');
  const key = input.key === undefined ? undefined : signingKeyOf(input.key);
  let alg: number;
  try {
    alg =
      input.alg ??
      (key === undefined
        ? signatureAlgorithmId((input.signer as CoseSigner).algorithm)
        : defaultSignatureAlgorithm(key).id);
  } catch (error) {
    throw new StatusListError('STATUS_LIST_SIGN', 'no supported COSE algorithm for the key', {
      cause: error,
    });
  }
  const claims: CborMap = new Map<CborValue, CborValue>([
    [InquiryClaim.iss, input.issuer],
    [InquiryClaim.aud, input.audience],
    [InquiryClaim.iat, epochSeconds(input.checkedAt)],
    [InquiryClaim.msoDigest, input.msoDigest],
    [InquiryClaim.status, input.status],
  ]);
  try {
    const sign1 = await signSign1({
      protectedHeaders: new Map<CborValue, CborValue>([
        [HeaderLabel.alg, alg],
        [HeaderLabel.typ, INQUIRY_EVIDENCE_TYP],
      ]),
      unprotectedHeaders: new Map<CborValue, CborValue>([[HeaderLabel.x5chain, x5chainValue(input.x5chain)]]),
      payload: encode(claims),
      ...(key === undefined ? { signer: input.signer as CoseSigner } : { key }),
      tagged: true,
    });
    return sign1.encode({ tagged: true });
  } catch (error) {
    throw new StatusListError('STATUS_LIST_SIGN', 'signing the inquiry evidence failed', { cause: error });
  }
}

/** What verifyInquiryEvidence checks the evidence against. */
export interface VerifyInquiryEvidenceOptions {
  /** The verification time. Required: libraries never read the clock. */
  readonly now: Date;
  /**
   * Trust anchors (DER or PEM) for the signer's chain — the record IACAs. The evidence's certificates are
   * path candidates only. Whether that signer may speak for a given record (the DS itself, or a status-list
   * signer of the DS's IACA) is the caller's rule (@mynakit/pki statusListSignerAuthority), given
   * `signerCertificate`.
   */
  readonly trustAnchors: readonly (Uint8Array | string)[];
  /** SHA-256 of the MobileSecurityObjectBytes the relying party asked about: `mso_digest` must equal it. */
  readonly msoDigest: Uint8Array;
  /** The client id that asked: `aud` must equal it. */
  readonly audience: string;
  /** The issuer asked (its origin): `iss` must equal it when given. */
  readonly issuer?: string;
  /** How old the answer may be, seconds (default DEFAULT_INQUIRY_EVIDENCE_MAX_AGE_SECONDS). */
  readonly maxAgeSeconds?: number;
  /** How far `iat` may lie after `now`, seconds (default DEFAULT_INQUIRY_EVIDENCE_SKEW_SECONDS). */
  readonly clockSkewSeconds?: number;
}

/** The evidence verified: every check, and what it states when it could be read after a good signature. */
export interface InquiryEvidenceVerification {
  /** True when every check passed: the status may be relied on (subject to the signer rule). */
  readonly ok: boolean;
  readonly report: Report;
  readonly status?: InquiryStatus;
  /** `iat`. */
  readonly checkedAt?: Date;
  /** DER of the certificate whose key verified the signature. */
  readonly signerCertificate?: Uint8Array;
}

const C = InquiryEvidenceCheck;
const ALL_CHECKS = Object.values(C);
const UNDERSTOOD_HEADERS: ReadonlySet<CborValue> = new Set<CborValue>([
  ...UNDERSTOOD_HEADER_LABELS,
  HeaderLabel.typ,
]);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Verifies inquiry evidence (see the file comment). Never throws for bad input: the report says what is wrong. */
export async function verifyInquiryEvidence(
  evidence: Uint8Array,
  options: VerifyInquiryEvidenceOptions,
): Promise<InquiryEvidenceVerification> {
  const now = options.now;
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw new TypeError('options.now (a valid Date) is required');
  if (!(options.msoDigest instanceof Uint8Array) || options.msoDigest.length !== 32)
    throw new TypeError('options.msoDigest must be the 32 bytes of a SHA-256');
  if (typeof options.audience !== 'string' || options.audience.length === 0)
    throw new TypeError('options.audience (the client id that asked) is required');
  if (!Array.isArray(options.trustAnchors)) throw new TypeError('options.trustAnchors must be an array');
  const b = new ReportBuilder();
  const parts: { status?: InquiryStatus; checkedAt?: Date; signerCertificate?: Uint8Array } = {};
  const done = (reason = 'not evaluated'): InquiryEvidenceVerification => {
    const seen = new Set(b.checks.map((c) => c.id));
    for (const id of ALL_CHECKS) if (!seen.has(id)) b.skipped(id, reason);
    const report = b.report();
    return { ok: report.verdict === 'valid', report, ...parts };
  };

  const sign1 = evidence.length > MAX_INQUIRY_EVIDENCE_BYTES ? undefined : decodeCwtSign1(evidence);
  if (sign1 === undefined) {
    b.failed(C.decode, 'the evidence is not a COSE_Sign1 with an attached payload');
    return done('the evidence could not be decoded');
  }
  b.passed(C.decode, sign1.tagged ? 'COSE_Sign1 (tag 18)' : 'COSE_Sign1 (untagged)');

  // typ must be protected: in the unprotected header anyone could have put it.
  const typ = sign1.protectedHeaders.get(HeaderLabel.typ);
  if (typeof typ === 'string' && typ.toLowerCase() === INQUIRY_EVIDENCE_TYP) b.passed(C.type, `typ ${typ}`);
  else b.failed(C.type, `typ must be ${INQUIRY_EVIDENCE_TYP} in the protected header`);

  const signer = await verifyCwtSigner(b, sign1, {
    ids: { certificatePath: C.certificatePath, signature: C.signature },
    now,
    trustAnchors: options.trustAnchors,
    understoodHeaders: UNDERSTOOD_HEADERS,
    what: 'the evidence',
    chainRequired: true,
  });
  if (!signer.verified)
    return done(
      signer.signerCertificate === undefined
        ? 'the signature was not verified'
        : 'the signature did not verify',
    );
  if (signer.signerCertificate !== undefined) parts.signerCertificate = signer.signerCertificate;

  let claims: CborMap;
  try {
    const decoded = decode(sign1.payload as Uint8Array);
    if (!(decoded instanceof Map)) throw new Error('not a map');
    claims = decoded;
  } catch {
    b.failed(C.record, 'the payload is not a CBOR map of claims');
    return done('the payload could not be read');
  }

  const digest = claims.get(InquiryClaim.msoDigest);
  if (digest instanceof Uint8Array && sameBytes(digest, options.msoDigest))
    b.passed(C.record, 'the answer is about the record asked about');
  else b.failed(C.record, 'mso_digest is not the digest of the record asked about');

  const aud = claims.get(InquiryClaim.aud);
  if (aud === options.audience) b.passed(C.audience, 'addressed to this client');
  else b.failed(C.audience, 'aud is not this client: the answer was made for another');

  const iss = claims.get(InquiryClaim.iss);
  if (options.issuer === undefined)
    b.add(C.issuer, typeof iss === 'string' ? 'passed' : 'failed', 'iss present (no issuer to compare with)');
  else if (iss === options.issuer) b.passed(C.issuer, `issued by ${options.issuer}`);
  else b.failed(C.issuer, 'iss is not the issuer asked');

  const iat = claims.get(InquiryClaim.iat);
  const maxAge = options.maxAgeSeconds ?? DEFAULT_INQUIRY_EVIDENCE_MAX_AGE_SECONDS;
  const skew = options.clockSkewSeconds ?? DEFAULT_INQUIRY_EVIDENCE_SKEW_SECONDS;
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat < 0) {
    b.failed(C.issuedAt, 'iat is not a NumericDate');
  } else {
    const at = new Date(iat * 1000);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (iat > nowSeconds + skew) b.failed(C.issuedAt, `iat ${at.toISOString()} lies in the future`);
    else if (iat < nowSeconds - maxAge)
      b.failed(C.issuedAt, `iat ${at.toISOString()} is older than ${maxAge} s: not a current answer`);
    else {
      b.passed(C.issuedAt, `issued ${at.toISOString()}`);
      parts.checkedAt = at;
    }
  }

  const status = claims.get(InquiryClaim.status);
  if (typeof status === 'string' && (INQUIRY_STATUSES as readonly string[]).includes(status)) {
    parts.status = status as InquiryStatus;
    b.passed(C.status, `status ${status}`);
  } else b.failed(C.status, 'status is not valid, invalid, suspended or unknown');
  return done();
}
