/**
 * @mynakit/oid4vp — how a card-substitute record travels from phone to relying party, both halves:
 * ISO/IEC 18013-7 Annex C (`org-iso-mdoc`, HPKE), OpenID for Verifiable Presentations 1.0 with DCQL
 * (DC API and redirect/cross-device), one DC API request carrying both, ISO/IEC 18013-5 proximity
 * sessions over a pluggable transport, and the reader-authentication certificate profile.
 */

export {
  ANNEX_C_PROTOCOL,
  type AnnexCRequestData,
  type BuildAnnexCRequestInput,
  type BuiltAnnexCRequest,
  buildAnnexCRequest,
  type ParsedAnnexCRequest,
  parseAnnexCRequest,
  type ReaderAuthenticationForm,
} from './annex-c/annex-c-request.js';
export {
  annexCSessionTranscript,
  type DecryptAnnexCResponseInput,
  type DecryptedAnnexCResponse,
  decryptAnnexCResponse,
  type EncryptAnnexCResponseInput,
  type EncryptedResponseParts,
  encryptAnnexCResponse,
  parseEncryptedResponse,
} from './annex-c/annex-c-response.js';
export { createAnnexCPresentation } from './annex-c/create-annex-c-presentation.js';
// ISO/IEC 18013-7 Annex C
export {
  type EncryptionInfo,
  encodeEncryptionInfo,
  MIN_ANNEX_C_NONCE_LENGTH,
  parseEncryptionInfo,
} from './annex-c/encryption-info.js';
export {
  type AnnexCVerifierSession,
  annexCNonceKey,
  type VerifyAnnexCResponseOptions,
  verifyAnnexCResponse,
} from './annex-c/verify-annex-c-response.js';
export { coseKeyToP256Jwk, p256JwkToCoseKey } from './cose-key-p256.js';
// W3C Digital Credentials API: both protocols in one request
export {
  type BuildDigitalCredentialRequestInput,
  buildDigitalCredentialRequest,
  type DigitalCredentialGetRequest,
  type DigitalCredentialProtocol,
  type DigitalCredentialRequestEntry,
  type DigitalCredentialVerifierSessions,
  readDigitalCredentialRequest,
  verifyDigitalCredentialResponse,
  type WalletDigitalCredentialRequest,
} from './dc-api.js';
export {
  type P256PrivateJwk,
  type P256PrivateKeyInput,
  type P256PublicJwk,
  type P256PublicKeyInput,
  p256Point,
  toP256PrivateJwk,
  toP256PublicJwk,
} from './ec-keys.js';
export {
  type AuthorizationErrorResponse,
  isOAuthErrorCode,
  type OAuthErrorCode,
  Oid4vpError,
  type Oid4vpErrorCode,
} from './errors.js';
export { type HpkeOpenInput, type HpkeSealed, type HpkeSealInput, hpkeOpen, hpkeSeal } from './hpke.js';
export {
  buildJpkiRequestLink,
  JPKI_REQUEST_SCHEME,
  type JpkiRequestLink,
  MAX_JPKI_LINK_CHARS,
  parseJpkiRequestLink,
} from './jpki-request/jpki-request-link.js';
// JPKI requests by link or QR code (a signed request object, as OpenID4VP/JAR)
export {
  buildJpkiRequestClaims,
  DEFAULT_JPKI_CLOCK_SKEW_SECONDS,
  JPKI_CHALLENGE_BYTES,
  JPKI_DOCUMENT_MEDIA_TYPES,
  JPKI_REQUEST_MEDIA_TYPE,
  JPKI_REQUEST_TYP,
  type JpkiDocumentMediaType,
  type JpkiRequestClaims,
  type JpkiRequestDocument,
  type JpkiRequestInput,
  type JpkiRequestType,
  MAX_JPKI_DOCUMENT_BYTES,
  MAX_JPKI_REQUEST_CHAIN,
  MAX_JPKI_REQUEST_LIFETIME_SECONDS,
  MAX_JPKI_REQUEST_OBJECT_CHARS,
  signJpkiRequestObject,
  type VerifiedJpkiRequest,
  type VerifyJpkiRequestOptions,
  validateJpkiRequestClaims,
  verifyJpkiRequestObject,
} from './jpki-request/jpki-request-object.js';
export { type JpkiResponseBody, jpkiResponseBody } from './jpki-request/jpki-response.js';
export {
  generateNonce,
  InMemoryNonceStore,
  type NonceConsumeResult,
  type NonceStore,
} from './nonce-store.js';
export {
  type AuthorizationRequest,
  type BuildAuthorizationRequestInput,
  buildAuthorizationRequest,
  type ClientMetadata,
  isDcApiMode,
  isEncryptedMode,
  MSO_MDOC_VP_FORMATS,
  type ResponseMode,
  validateAuthorizationRequest,
} from './openid4vp/authorization-request.js';
export {
  type AuthorizationResponseBody,
  createAuthorizationResponse,
  createErrorResponse,
  type ParsedAuthorizationResponse,
  parseAuthorizationResponse,
  postAuthorizationResponse,
  toFormBody,
  type VpToken,
} from './openid4vp/authorization-response.js';
export {
  type ClientIdPrefix,
  checkClientIdCertificate,
  checkResponseUriHost,
  originClientId,
  type ParsedClientId,
  parseClientId,
  x509Hash,
} from './openid4vp/client-id.js';
export {
  type CreateOpenId4VpPresentationInput,
  createOpenId4VpPresentation,
  type OpenId4VpPresentation,
} from './openid4vp/create-presentation.js';
export {
  type DcqlCredentialMatch,
  type DcqlMatchResult,
  type HeldDocument,
  matchDcqlQuery,
  selectForDcqlQuery,
  unmetCredentialQueries,
} from './openid4vp/dcql-match.js';
// OpenID4VP 1.0 + DCQL
export {
  type DcqlClaimsQuery,
  type DcqlCredentialQuery,
  type DcqlCredentialSetQuery,
  type DcqlQuery,
  requestedElements,
  validateDcqlQuery,
} from './openid4vp/dcql-query.js';
export {
  REQUEST_OBJECT_TYP,
  type SignRequestObjectInput,
  signRequestObject,
  type VerifiedRequestObject,
  type VerifyRequestObjectOptions,
  verifyRequestObject,
} from './openid4vp/request-object.js';
export {
  buildRequestUriInvocation,
  type Fetcher,
  fetchRequestObject,
  parseRequestUriInvocation,
  REQUEST_OBJECT_MEDIA_TYPE,
  type RequestUriInvocation,
  type RequestUriMethod,
} from './openid4vp/request-uri.js';
export {
  type ContentEncryption,
  decryptAuthorizationResponse,
  type EncryptedResponse,
  encryptAuthorizationResponse,
  jwkThumbprint,
  type ResponseEncryptionMetadata,
  SUPPORTED_ENC,
  selectEncryptionKey,
} from './openid4vp/response-encryption.js';
export {
  encryptionKeyThumbprint,
  sessionTranscriptForRequest,
  type TranscriptContext,
} from './openid4vp/session-transcript.js';
export {
  type OpenId4VpVerifierSession,
  type VerifyOpenId4VpResponseOptions,
  verifyOpenId4VpResponse,
} from './openid4vp/verify-authorization-response.js';
export type { MdocVerifyOptions, PresentationVerification } from './presentation-verification.js';
// ISO/IEC 18013-5 proximity
export {
  buildDeviceEngagement,
  DEVICE_ENGAGEMENT_VERSION,
  type DeviceEngagement,
  type DeviceRetrievalMethod,
  deviceEngagementToUri,
  parseDeviceEngagement,
  parseDeviceEngagementUri,
  RETRIEVAL_BLE,
  RETRIEVAL_NFC,
  RETRIEVAL_WIFI_AWARE,
  WEBSOCKET_RETRIEVAL_TYPE,
  webSocketRetrievalMethod,
  webSocketUrlOf,
} from './proximity/device-engagement.js';
export {
  DEVICE_ENGAGEMENT_RECORD_TYPE,
  deviceEngagementFromHandoverSelect,
  type NdefRecord,
  parseNdefMessage,
} from './proximity/nfc-handover.js';
export {
  type HolderSessionOptions,
  ProximityHolderSession,
  ProximityReaderSession,
  type ReaderSessionOptions,
} from './proximity/proximity-session.js';
export {
  deriveSessionKeys,
  SessionEncryption,
  type SessionKeys,
  type SessionRole,
} from './proximity/session-encryption.js';
export {
  decodeSessionData,
  decodeSessionEstablishment,
  encodeSessionData,
  encodeSessionEstablishment,
  SESSION_STATUS,
  type SessionData,
  type SessionEstablishment,
} from './proximity/session-messages.js';
export { type MessageTransport, type WebSocketLike, webSocketTransport } from './proximity/transport.js';
export {
  MY_NUMBER_ELEMENT,
  type MyNumberGuardResult,
  withholdMyNumberWithoutBasis,
} from './reader-auth/my-number-consent.js';
export {
  encodeMyNumberBasisPolicies,
  type MyNumberLegalBasis,
  type MyNumberLegalBasisDeclaration,
  readMyNumberLegalBasis,
} from './reader-auth/my-number-legal-basis.js';
export {
  type CreateReaderAuthCertificateInput,
  type CreateReaderAuthCertificateWithSignerInput,
  checkReaderAuthProfile,
  createReaderAuthCertificate,
  createReaderAuthCertificateWithSigner,
} from './reader-auth/reader-auth-certificate.js';
// Reader authentication certificates for relying parties
export {
  DEFAULT_MY_NUMBER_BASIS_OIDS,
  MDOC_READER_AUTH_EKU,
  type MyNumberBasisOids,
  PLACEHOLDER_PRIVATE_ARC,
} from './reader-auth/reader-auth-oids.js';
// Wallet side, end to end
export { heldDocumentOf, type StoredMdoc } from './stored-mdoc.js';
