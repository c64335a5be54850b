export { verifierMigrations } from './migrations/index.js';
export {
  type IssuedApiKey,
  type RelyingParty,
  RelyingPartyRepository,
  type RpCaller,
  type RpCredentialRole,
} from './relying-party-repository.js';
export type { VerifierDatabase } from './schema.js';
export { type OpenVerifierStoreOptions, openVerifierStore, type VerifierStore } from './verifier-store.js';
export {
  type ClaimResult,
  type NewSession,
  SessionRepository,
  type SessionState,
  type VerificationSession,
} from '../sessions/session-repository.js';
