/**
 * @mynakit/mdoc — ISO/IEC 18013-5 mdoc: issue, present and verify, and the My Number Card
 * card-substitute record profile (`org.iso.23220.1.jp.mnc`).
 */

/** A received COSE_Sign1 / COSE_Mac0 as @mynakit/cose reads it (what `DeviceSigned.deviceAuth.message` holds). */
export type { CoseMessage } from '@mynakit/cose';
/** Who may sign what in mdoc (ISO/IEC 18013-5 Annex B; per-docType document signer EKUs). */
export {
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  type DocumentSignerEkuTable,
  documentSignerEkuTable,
  MdocEku,
  STATUS_LIST_SIGNING_EKU,
} from '@mynakit/pki';
export { MDOC_DS_EKU } from './checks/issuer-certificate-path.js';
export { DEFAULT_CLOCK_SKEW_SECONDS } from './checks/mso-validity.js';
export { MDOC_READER_AUTH_EKU } from './checks/reader-signature.js';
export type {
  StatusCheckContext,
  StatusChecker,
  StatusCheckResult,
  StatusInquiry,
} from './checks/status.js';
export { combineStatus, statusSignerMaySpeakFor } from './checks/status.js';
export type { TrustAnchorInput } from './checks/trust-anchors.js';
export { deviceAuthenticationBytes } from './device-authentication.js';
export {
  type DeviceKeyInfo,
  decodeDeviceKeyInfo,
  encodeDeviceKeyInfo,
  isDeviceSignedElementAuthorized,
  type KeyAuthorizations,
} from './device-key-info.js';
export {
  type BuildDeviceRequestOptions,
  buildDeviceRequest,
  type DeviceRequest,
  type DocRequest,
  decodeDeviceRequest,
  decodeDeviceRequestBytes,
  decodeItemsRequest,
  encodeItemsRequest,
  type ItemsRequest,
} from './device-request.js';
export {
  buildDeviceResponseMap,
  DEVICE_RESPONSE_STATUS,
  DEVICE_RESPONSE_VERSION,
  type DeviceResponse,
  type DeviceResponseDocument,
  type DocumentToEncode,
  decodeDeviceResponse,
  ERROR_DATA_NOT_RETURNED,
} from './device-response.js';
export {
  buildDeviceSigned,
  type DeviceSigned,
  decodeDeviceSigned,
  encodeDeviceNameSpaces,
} from './device-signed.js';
export { MdocError, type MdocErrorCode } from './errors.js';
export {
  coseKeyFromKeyObject,
  type KeyInput,
  p256PrivateKeyFromD,
  publicKeyFromCoseKey,
} from './internal/keys.js';
export type { SignatureAlgorithmName } from './internal/signing.js';
export {
  type IssuedMdoc,
  type IssueMdocOptions,
  type IssuerSigner,
  issueMdoc,
  type RandomSource,
} from './issue-mdoc.js';
export {
  buildIssuerSigned,
  decodeIssuerSigned,
  decodeIssuerSignedBytes,
  encodeIssuerSigned,
  type IssuerSigned,
} from './issuer-signed.js';
export {
  decodeIssuerSignedItem,
  encodeIssuerSignedItem,
  type IssuerSignedItem,
  MIN_RANDOM_LENGTH,
  type ReceivedIssuerSignedItem,
} from './issuer-signed-item.js';
export { checkLimit, LIMITS, type LimitName, MdocLimitError } from './limits.js';
export {
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestID,
  decodeMobileSecurityObject,
  encodeMobileSecurityObject,
  type MobileSecurityObject,
  type StatusListReference,
} from './mobile-security-object.js';
export {
  buildDeviceResponse,
  type DeviceSigner,
  type PresentationRequest,
  type PresentMdocOptions,
  presentMdoc,
  type SimpleDocumentRequest,
} from './present-mdoc.js';
export * from './profiles/jp-mnc.js';
export {
  type ReaderAuthenticationResult,
  readerAuthenticationAllBytes,
  readerAuthenticationBytes,
  type VerifyReaderAuthOptions,
  verifyReaderAuth,
} from './reader-authentication.js';
export {
  sessionTranscriptOf,
  startsWithTag24,
  toSessionTranscriptBytes,
  wrapInTag24,
} from './session-transcript.js';
export * from './transcripts/index.js';
export { decodeValidityInfo, encodeValidityInfo, type ValidityInfo } from './validity-info.js';
export { type CachedSignerPath, defaultVerificationCache, VerificationCache } from './verification-cache.js';
export type {
  DocumentSignerSummary,
  ElementValues,
  MsoSummary,
  VerifiedDocument,
} from './verified-document.js';
export {
  type DeviceResponseVerification,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from './verify-device-response.js';
export { type IssuerSignedVerification, verifyIssuerSigned } from './verify-issuer-signed.js';
export type { VerifyIssuerOptions } from './verify-options.js';
