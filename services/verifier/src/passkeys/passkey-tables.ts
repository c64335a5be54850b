/**
 * The Kysely types of the passkey tables (store/migrations/0004-passkeys.ts). They are added to the
 * verifier's database type where they are used (`db.withTables<PasskeyTables>()`), so the passkeys stay
 * one self-contained part of the store.
 */

/** A relying party's account bound to a verified person: an opaque id, never personal data. */
export interface PasskeyAccountTable {
  id: string;
  relying_party_id: string;
  /** HMAC-SHA256 hex of the person's name and birth date (identity-binding.ts). */
  identity_hmac: string;
  /** The key version that made identity_hmac. */
  identity_key_id: string;
  /** The verification record (and its session) that proved the person, then the latest step-up's. */
  record_id: string;
  session_id: string;
  created_at: number;
  verified_at: number;
  step_up_requested_at: number | null;
}

/** One WebAuthn credential of an account. */
export interface PasskeyCredentialTable {
  /** Credential id, base64url. */
  id: string;
  relying_party_id: string;
  account_id: string;
  rp_id: string;
  /** COSE_Key bytes. */
  public_key: Uint8Array;
  counter: number;
  /** JSON array of transports. */
  transports: string;
  backed_up: number;
  created_at: number;
  last_used_at: number | null;
}

/** A single-use WebAuthn challenge. */
export interface PasskeyChallengeTable {
  challenge: string;
  relying_party_id: string;
  ceremony: 'registration' | 'authentication';
  rp_id: string;
  origin: string;
  account_id: string | null;
  session_id: string | null;
  record_id: string | null;
  identity_hmac: string | null;
  identity_key_id: string | null;
  state: 'open' | 'used';
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A verification spent on a registration or a step-up. */
export interface PasskeySessionUseTable {
  session_id: string;
  relying_party_id: string;
  account_id: string;
  kind: 'registration' | 'step-up';
  at: number;
}

/** The passkey tables (a type alias: Kysely's `withTables` needs an index-compatible type). */
export type PasskeyTables = {
  passkey_accounts: PasskeyAccountTable;
  passkey_credentials: PasskeyCredentialTable;
  passkey_challenges: PasskeyChallengeTable;
  passkey_session_uses: PasskeySessionUseTable;
};
