/**
 * The one schema of every mynakit store. The same tables run on SQLite (embedded default) and PostgreSQL;
 * instants are stored as integer milliseconds since the epoch so both dialects compare them the same way.
 */
export interface NonceTable {
  /** The nonce as sent, base64url. Primary key: a nonce is issued once. */
  nonce: string;
  /** What the nonce is for (e.g. `oid4vp`, `annex-c`, `jpki-auth`): a nonce is consumed only for its purpose. */
  purpose: string;
  issued_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface Database {
  nonces: NonceTable;
}
