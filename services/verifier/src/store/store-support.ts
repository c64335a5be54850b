import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { VerifierError } from '../errors.js';

/**
 * SQLite durability (https://sqlite.org/pragma.html#pragma_synchronous): the verifier's file runs in WAL
 * mode with `synchronous = FULL`, so a commit is on disk before it returns. Nearly every write of this
 * store is a verification record the law requires to be made at once and kept for years (DOMAIN.md §5), or
 * an entry of the access log: no write here is cheap enough to lose on a power failure. PostgreSQL commits
 * durably by default (`synchronous_commit = on`). Two writes are exempt, because losing them harms no one
 * and the next durable commit makes them durable anyway: opening a session and claiming it
 * (relaxed-durability.ts).
 */
export const SQLITE_SYNCHRONOUS = 'FULL';

/** SHA-256 of a secret's UTF-8 bytes, lower-case hex: how API keys are stored (never in clear). */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new random identifier (UUID v4). */
export function newId(): string {
  return randomUUID();
}

/** The prefix of every API key, so a leaked one is recognisable in logs and secret scanners. */
export const API_KEY_PREFIX = 'mvk_';

/** A new API key: the prefix and 32 random bytes in base64url (256 bits). */
export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Throws VERIFIER_INVALID_INPUT unless `ok`; `message` names the field, never its value. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new VerifierError('VERIFIER_INVALID_INPUT', message);
}

/** An instant: an integer count of milliseconds since the epoch. */
export function checkInstant(value: number, field: string): void {
  check(Number.isSafeInteger(value) && value >= 0, `${field} must be epoch milliseconds`);
}

/** The bytes as a Buffer view (no copy): better-sqlite3 binds Buffers, not every Uint8Array. */
export function toDriverBytes(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A driver's bytes (Buffer from both drivers) as a plain Uint8Array view. */
export function fromDriverBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
