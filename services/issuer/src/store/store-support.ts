import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase } from './schema.js';

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` already is one (IssuerStore.transaction
 * hands repositories a transaction; Kysely does not nest them). Inside the caller's transaction on
 * PostgreSQL a failed statement aborts the caller's whole transaction — which is what a caller that grouped
 * steps wants.
 */
export function inTransaction<T>(
  db: Kysely<IssuerDatabase>,
  fn: (trx: Kysely<IssuerDatabase>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((trx: Transaction<IssuerDatabase>) => fn(trx));
}

/** SHA-256 of a secret's UTF-8 bytes, lower-case hex: how codes and tokens are stored (never in clear). */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The bytes as a Buffer view (no copy): better-sqlite3 binds Buffers, not every Uint8Array. */
export function toDriverBytes(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Throws ISSUER_INVALID_INPUT unless `ok`; `message` names the field, never its value (it may be personal). */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new IssuerError('ISSUER_INVALID_INPUT', message);
}

/** An instant: an integer count of milliseconds since the epoch. */
export function checkInstant(value: number, field: string): void {
  check(Number.isSafeInteger(value) && value >= 0, `${field} must be epoch milliseconds`);
}

/** Code points in a string (a surrogate pair counts once). */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A page size within [1, max], default `fallback`. */
export function pageLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  check(Number.isInteger(limit) && limit >= 1 && limit <= max, `limit must be an integer in 1..${max}`);
  return limit;
}
