export {
  type AccessTokenGrant,
  AccessTokenRepository,
} from './access-token-repository.js';
export { type Card, CardRepository, type NewCard } from './card-repository.js';
export {
  type Credential,
  CredentialRepository,
  isRevocationReason,
  MAX_CREDENTIALS_PER_CALL,
  type NewCredential,
  type RevocationReason,
} from './credential-repository.js';
export { EventRepository, type IssuerEvent, type NewEvent } from './event-repository.js';
export {
  InsuranceRepository,
  type NewQualification,
  type Qualification,
} from './insurance-repository.js';
export {
  type CompletedInstallation,
  type Installation,
  InstallationRepository,
  type NewInstallation,
} from './installation-repository.js';
export { InstallationTokenRepository } from './installation-token-repository.js';
export {
  type IssuerRepositories,
  type IssuerStore,
  type OpenIssuerStoreOptions,
  openIssuerStore,
} from './issuer-store.js';
export {
  type LifeEvent,
  type LifeEventCredential,
  type LifeEventPage,
  LifeEventRepository,
  type NewLifeEvent,
  type RecordedLifeEvent,
  type ResidentChanges,
} from './life-event-repository.js';
export { issuerMigrations } from './migrations/index.js';
export {
  MAX_NOTICES_PER_READ,
  type Notice,
  NoticeRepository,
  type NoticeSubscription,
} from './notice-repository.js';
export {
  DEFAULT_TX_CODE_ATTEMPT_LIMIT,
  type NewOffer,
  OfferRepository,
  type RedeemResult,
} from './offer-repository.js';
export {
  type NewResident,
  RESIDENT_LIMITS,
  type Resident,
  type ResidentPage,
  ResidentRepository,
} from './resident-repository.js';
export {
  type CreatedRpClient,
  RP_CLIENT_ROLES,
  type RpClient,
  RpClientRepository,
  type RpClientRole,
} from './rp-client-repository.js';
export {
  appendNotices,
  lockInstallations,
  MAX_REVOCATIONS_PER_CALL,
  type NoticeKind,
  type RevocationResult,
  RevocationRepository,
  type RevokedCredential,
} from './revocation-repository.js';
export { StagedCredentialRepository } from './staged-credential-repository.js';
export {
  DEFAULT_STATUS_LIST_CAPACITY,
  type RevokedEntry,
  type SignedStatusList,
  type StatusListAllocation,
  type StatusListPartition,
  StatusListRepository,
} from './status-list-repository.js';
export type {
  CardState,
  CredentialKind,
  CredentialState,
  InstallationFamily,
  InstallationState,
  IssuerDatabase,
  ResidentSex,
} from './schema.js';
export { createTxCodeVerifier, TX_CODE_VERIFIER_PREFIX, verifyTxCode } from './tx-code-verifier.js';
