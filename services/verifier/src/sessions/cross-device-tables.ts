/**
 * The Kysely type of the cross-device session table (store/migrations/0008-cross-device-sessions.ts). It is
 * added to the verifier's database type where it is used (`db.withTables<CrossDeviceTables>()`), so the
 * cross-device channel stays one self-contained part of the store.
 */

/** What a cross-device session adds to its `verification_sessions` row. */
export interface CrossDeviceSessionTable {
  /** The `verification_sessions` id. */
  session_id: string;
  relying_party_id: string;
  /** The signed request object (compact JWS) the wallet fetches at `request_uri`. */
  request_object: string;
  /** The report (SessionVerification) without `elements`, JSON; null until the wallet has posted. */
  report: string | null;
  /** The disclosed values, sealed (cross-device-repository.ts); null before the answer and after their read. */
  sealed_elements: Uint8Array | null;
  created_at: number;
  expires_at: number;
}

/** The cross-device table (a type alias: Kysely's `withTables` needs an index-compatible type). */
export type CrossDeviceTables = {
  cross_device_sessions: CrossDeviceSessionTable;
};
