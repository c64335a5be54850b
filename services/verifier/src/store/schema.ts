/**
 * The verifier's tables as Kysely sees them. Instants are epoch milliseconds (bigint columns); bytes are
 * `bytea` on PostgreSQL and `blob` on SQLite; booleans are 0/1 integers on both.
 */
import type { Generated } from 'kysely';

/** One relying party and its configuration (relying-parties/config.ts, as canonical JSON text). */
export interface RelyingPartyTable {
  id: string;
  name: string;
  client_id: string;
  config: string;
  created_at: number;
  updated_at: number;
}

/** An API key of a relying party, kept as SHA-256 only. */
export interface RpCredentialTable {
  id: string;
  relying_party_id: string;
  key_hash: string;
  role: 'rp' | 'auditor';
  created_at: number;
  revoked_at: number | null;
}

/** One verification record (確認記録) in its chain (records/record-hash.ts). */
export interface VerificationRecordTable {
  id: string;
  chain_id: string;
  seq: number;
  relying_party_id: string;
  writer_id: string;
  prev_hash: string;
  content_hash: string;
  hash: string;
  /** Canonical JSON (RFC 8785) of the content; null once tombstoned. */
  content: string | null;
  recorded_at: number;
  retain_until: number;
  tombstoned_at: number | null;
  legal_hold: number;
}

/** A signed checkpoint of one chain's head (records/checkpoints.ts). */
export interface ChainCheckpointTable {
  chain_id: string;
  seq: number;
  head_hash: string;
  /** The COSE_Sign1 bytes. */
  signed: Uint8Array;
  at: number;
}

/** Who read or exported which records, and when; append-only (triggers refuse UPDATE and DELETE). */
export interface RecordAccessLogTable {
  id: Generated<number>;
  relying_party_id: string | null;
  /** `credential:<id>` for an API key, `operator` for the CLI or the operator token. */
  actor: string;
  action: 'list' | 'read' | 'export';
  /** What was asked: the date range, or the record id (never personal data). */
  scope: string;
  record_count: number;
  /** JSON array of the record ids returned (bounded by the page / export size). */
  record_ids: string;
  at: number;
}

/** One verification session (sessions/session-repository.ts). */
export interface VerificationSessionTable {
  id: string;
  relying_party_id: string;
  /** The API key that opened it. */
  credential_id: string;
  /** `org-iso-mdoc` (ISO/IEC 18013-7 Annex C) for now. */
  protocol: string;
  purpose: string;
  origin: string;
  /** JSON: namespace → element identifiers requested. */
  elements: string;
  /** base64url DeviceRequest as sent. */
  device_request: string;
  /** base64url EncryptionInfo exactly as sent (the SessionTranscript hashes this string). */
  encryption_info: string;
  /** The HPKE private key (sessions/session-key.ts form); null once the session is done. */
  recipient_key: Uint8Array | null;
  /** OpenID4VP over the DC API: the request as signed (JSON); null when the session carries none. */
  openid4vp_request: string | null;
  /** Its dc_api.jwt decryption key (sessions/session-key.ts form); null when none or once done. */
  openid4vp_key: Uint8Array | null;
  /** The customer's declaration (sessions/customer-declaration.ts), JSON; null when none or once done (0009). */
  declaration?: string | null | undefined;
  state: 'open' | 'verifying' | 'done';
  created_at: number;
  expires_at: number;
  claimed_at: number | null;
  completed_at: number | null;
  verdict: string | null;
  record_id: string | null;
}

/** A relying party's reader-authentication key (migrations/0005-reader-keys.ts). */
export interface ReaderKeyTable {
  id: string;
  relying_party_id: string;
  state: 'pending' | 'active';
  /** SubjectPublicKeyInfo DER. */
  public_key: Uint8Array;
  /** The private key sealed under the reader key-encryption key (relying-parties/reader-key.ts). */
  sealed_private_key: Uint8Array;
  /** JSON array of base64 DER certificates, the reader certificate first; null while pending. */
  certificate_chain: string | null;
  created_at: number;
  activated_at: number | null;
}

/** The verifier's database. */
export interface VerifierDatabase {
  relying_parties: RelyingPartyTable;
  rp_credentials: RpCredentialTable;
  verification_records: VerificationRecordTable;
  chain_checkpoints: ChainCheckpointTable;
  record_access_log: RecordAccessLogTable;
  verification_sessions: VerificationSessionTable;
  reader_keys: ReaderKeyTable;
}
