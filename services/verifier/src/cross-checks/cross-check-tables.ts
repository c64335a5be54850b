/**
 * The Kysely type of the identity cross-check table (store/migrations/0007-identity-cross-checks.ts). It is
 * added to the verifier's database type where it is used (`db.withTables<CrossCheckTables>()`), so the
 * cross-checks stay one self-contained part of the store.
 */

/** One cross-check of a record session against a signature session: ids only, never personal data. */
export interface IdentityCrossCheckTable {
  id: string;
  relying_party_id: string;
  /** The DC API session whose card-substitute record was verified (unique: used once). */
  record_session_id: string;
  /** The JPKI signature session whose certificate was verified (unique: used once). */
  signature_session_id: string;
  /** The cross-check's own verification record. */
  record_id: string;
  verdict: 'valid' | 'invalid' | 'undetermined';
  at: number;
}

/** The cross-check table (a type alias: Kysely's `withTables` needs an index-compatible type). */
export type CrossCheckTables = {
  identity_cross_checks: IdentityCrossCheckTable;
};
