export {
  type ClaimResult,
  type NewSession,
  SessionRepository,
  type SessionState,
  type VerificationSession,
} from '../sessions/session-repository.js';
export { verifierMigrations } from './migrations/index.js';
export {
  MAX_READER_CHAIN,
  ReaderKeyRepository,
  type StoredReaderKey,
} from './reader-key-repository.js';
export {
  type IssuedApiKey,
  type RelyingParty,
  RelyingPartyRepository,
  type RpCaller,
  type RpCredentialRole,
} from './relying-party-repository.js';
export type { VerifierDatabase } from './schema.js';
export { type OpenVerifierStoreOptions, openVerifierStore, type VerifierStore } from './verifier-store.js';
