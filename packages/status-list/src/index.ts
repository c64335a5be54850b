/**
 * @mynakit/status-list — IETF Token Status List (draft-ietf-oauth-status-list-20): the packed status
 * array and its ZLIB compression, the Status List Token in CWT and JWT form (sign and verify), the
 * status reference inside Referenced Tokens (mdoc MSO, CWT, JWT), the single `status.revocation`
 * check, an I/O-free publisher for issuers, and the signed answer of an issuer's per-record inquiry.
 */

export {
  type CheckReferencedStatusInput,
  checkReferencedStatus,
  detectTokenFormat,
  type ReferencedStatusCheck,
  type ReferencedStatusOutcome,
  STATUS_REVOCATION_CHECK,
} from './check-status.js';
export {
  type CompressOptions,
  compressStatusBytes,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecompressOptions,
  decompressStatusBytes,
} from './compressed-byte-array.js';
export { StatusListError, type StatusListErrorCode } from './errors.js';
export type { KeyInput } from './keys.js';
export {
  DEFAULT_INQUIRY_EVIDENCE_MAX_AGE_SECONDS,
  DEFAULT_INQUIRY_EVIDENCE_SKEW_SECONDS,
  INQUIRY_EVIDENCE_TYP,
  INQUIRY_STATUSES,
  InquiryClaim,
  InquiryEvidenceCheck,
  type InquiryEvidenceVerification,
  type InquiryStatus,
  MAX_INQUIRY_EVIDENCE_BYTES,
  type SignInquiryEvidenceInput,
  signInquiryEvidence,
  type VerifyInquiryEvidenceOptions,
  verifyInquiryEvidence,
} from './record-inquiry-evidence.js';
export {
  buildCborStatus,
  buildJsonStatus,
  CWT_STATUS_CLAIM,
  readStatusListReference,
  type StatusReference,
  statusReferenceFromCwtClaims,
  statusReferenceFromJwtPayload,
  statusReferenceFromMso,
} from './referenced-token.js';
export { isStatusBits, type StatusBits, StatusList } from './status-list.js';
export { decodeStatusListCbor, encodeStatusListCbor } from './status-list-cbor.js';
export {
  CwtClaim,
  type SignStatusListCwtInput,
  STATUS_LIST_CWT_MEDIA_TYPE,
  STATUS_LIST_CWT_TYP,
  signStatusListCwt,
  verifyStatusListCwt,
} from './status-list-cwt.js';
export {
  type DecodedStatusList,
  decodeStatusListJson,
  encodeStatusListJson,
  type StatusListJson,
} from './status-list-json.js';
export {
  type SignStatusListJwtInput,
  STATUS_LIST_JWT_MEDIA_TYPE,
  STATUS_LIST_JWT_TYP,
  signStatusListJwt,
  verifyStatusListJwt,
} from './status-list-jwt.js';
export {
  matchesIfNoneMatch,
  type PublishedStatusList,
  StatusListPublisher,
  type StatusListPublisherOptions,
} from './status-list-publisher.js';
export {
  StatusListTokenCheck,
  type StatusListTokenFormat,
  type StatusListTokenVerification,
  type VerifyStatusListTokenOptions,
} from './status-list-token.js';
export { describeStatus, StatusType, type StatusTypeName, statusTypeName } from './status-types.js';
