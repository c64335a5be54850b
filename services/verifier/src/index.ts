/**
 * @mynakit/verifier — the verifier service: relying parties and their configuration, lawful verification
 * records (確認記録) in signed hash chains, Digital Credentials API sessions (ISO/IEC 18013-7 Annex C) verified
 * with revocation and the KYC method, and the HTTP app and server.
 */
export { createVerifierApp, DEFAULT_MAX_BODY_BYTES, VERIFIER_API_VERSION } from './app.js';
export type { VerifierConfig, VerifierDeps } from './context.js';
export { VerifierError, type VerifierErrorCode } from './errors.js';
export type { VerifierEnv } from './http/auth.js';
export {
  type CreatedJpkiAuthenticationSession,
  type CreatedJpkiSignatureSession,
  createJpkiAuthenticationSession,
  createJpkiSignatureSession,
  MAX_SIGNED_DOCUMENT_BYTES,
} from './jpki/create-jpki-session.js';
export { JPKI_RECORD_CHANNEL, type JpkiRecordFacts, jpkiRecordContent } from './jpki/jpki-record-content.js';
export {
  type JpkiClaimResult,
  type JpkiSession,
  type JpkiSessionKind,
  JpkiSessionRepository,
  type NewJpkiSession,
} from './jpki/jpki-session-repository.js';
export {
  DEFAULT_JPKI_STATUS_TIMEOUT_MS,
  type JpkiStatusConfig,
  type JpkiStatusConsultation,
  jpkiStatusSource,
} from './jpki/jpki-status.js';
export {
  checkPlatformOperatorConfig,
  type JpkiStatusVia,
  MAX_PLATFORM_STATUS_RESPONSE_BYTES,
  PLATFORM_STATUS_PATH,
  type PlatformOperatorConfig,
  platformOperatorStatusSource,
} from './jpki/platform-operator-status.js';
export {
  type JpkiAuthenticationAnswer,
  type JpkiCertificateSummary,
  type JpkiIdentity,
  type JpkiSignatureAnswer,
  type JpkiVerification,
  type JpkiVerificationErrorCode,
  verifyJpkiAnswer,
} from './jpki/verify-jpki-answer.js';
export {
  CHECKPOINT_KEY_FILE,
  CHECKPOINT_KEY_SECRET,
  CHECKPOINT_PUBLIC_KEY_FILE,
  type CheckpointKey,
  readCheckpointKey,
  readOrCreateCheckpointKey,
} from './keys/checkpoint-key.js';
export {
  KEK_FILE,
  type LegacySecretFile,
  type OpenedSecret,
  SECRETS_DIR,
  VerifierSecrets,
  type VerifierSecretsOptions,
} from './keys/sealed-secrets.js';
export {
  runVerifierMaintenance,
  VERIFIER_MAINTENANCE_INTERVAL_MS,
  type VerifierMaintenanceResult,
} from './maintenance.js';
export {
  DEFAULT_PROXIMITY_TIMEOUT_SECONDS,
  proximityTimeoutSecondsOf,
} from './proximity/proximity-session.js';
export {
  listRecordAccess,
  logRecordAccess,
  type RecordAccess,
  type RecordAccessEntry,
} from './records/access-log.js';
export { canonicalJson, canonicalJsonBytes, type JsonValue } from './records/canonical-json.js';
export {
  CHECKPOINT_TYPE,
  type ChainCheckpoint,
  type CheckpointPayload,
  checkpointPayloadBytes,
  es256Signer,
  signCheckpoints,
} from './records/checkpoints.js';
export { MY_NUMBER_ELEMENT, refuseForbiddenContent } from './records/content-guard.js';
export {
  CSV_COLUMNS,
  type ExportRecordsOptions,
  exportRecords,
  japanDayRange,
  MAX_EXPORT_RECORDS,
  type RecordView,
  recordsCsv,
  recordView,
} from './records/export.js';
export {
  type AppendRecordInput,
  appendVerificationRecord,
  chainIdOf,
  getRecord,
  type ListRecordsOptions,
  listRecords,
  MAX_RECORD_CONTENT_BYTES,
  purgeExpiredRecords,
  type RecordPage,
  setLegalHold,
  type VerificationRecord,
} from './records/record-chains.js';
export {
  contentHashOf,
  GENESIS_PREV_HASH,
  RECORD_HASH_TYPE,
  type RecordHashInput,
  recordHashOf,
} from './records/record-hash.js';
export {
  type BrokenPoint,
  type RecordChainsReport,
  type VerifyRecordChainsOptions,
  verifyRecordChains,
} from './records/verify-chains.js';
export {
  DEFAULT_RETENTION_YEARS,
  LAWS,
  type Law,
  type RelyingPartyConfig,
  type RelyingPartyConfigInput,
  RelyingPartyConfigSchema,
  RevocationPolicySchema,
  retainUntilOf,
  retentionYearsOf,
  VerificationProgramSchema,
  WebOriginSchema,
} from './relying-parties/config.js';
export {
  activeReaderKey,
  createReaderKey,
  installReaderCertificate,
  openReaderKey,
  type ReaderKeyRequest,
  type ReaderKeyView,
  type ReaderSigningKey,
  readerKeyView,
  sealReaderKey,
} from './relying-parties/reader-key.js';
export {
  decideRevocation,
  REVOCATION_POLICY_CHECK,
  REVOCATION_UNDETERMINED_FLAG,
  type RevocationDecision,
} from './revocation/revocation-policy.js';
export {
  createStatusChecker,
  type StatusCheckerInput,
  type StatusConsultation,
} from './revocation/status-checker.js';
export {
  type CachedStatusList,
  MAX_CACHED_STATUS_LISTS,
  StatusListCache,
} from './revocation/status-list-cache.js';
export {
  type ConfiguredFetcherOptions,
  configuredStatusListFetcher,
  DEFAULT_STATUS_LIST_TIMEOUT_MS,
  MAX_STATUS_LIST_BYTES,
  StatusListFetchError,
  type StatusListFetcher,
} from './revocation/status-list-fetcher.js';
export {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  type OpenedVerifier,
  type OpenVerifierOptions,
  openVerifier,
  type RunningVerifier,
  type StartVerifierOptions,
  startVerifier,
} from './server.js';
export {
  type CreatedSession,
  type CreateSessionInput,
  createAnnexCSession,
  MAX_SESSION_TTL_SECONDS,
  MNC_CREDENTIAL_QUERY_ID,
  OPENID4VP_SIGNED_PROTOCOL,
  openid4vpKeyAad,
  type SessionReaderAuthentication,
  type SessionRequestEntry,
} from './sessions/create-session.js';
export {
  type CustomerDeclaration,
  type CustomerDeclarationInput,
  customerDeclarationFor,
  type DeclarationCategory,
  type DeclaredItem,
  MAX_DECLARATION_DETAIL,
  OCCUPATIONS,
  TRANSACTION_PURPOSES,
} from './sessions/customer-declaration.js';
export {
  KYC_RECORD_ELEMENTS,
  MAX_REQUESTED_ELEMENTS,
  type RequestedElements,
  requestedElementsFor,
} from './sessions/requested-elements.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from './sessions/routes.js';
export { newSessionKeyPair, openSessionKey, sealSessionKey } from './sessions/session-key.js';
export * from './store/index.js';
export { type SessionVerification, verifySessionResponse } from './verification/verify-session-response.js';
