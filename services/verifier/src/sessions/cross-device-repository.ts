/**
 * The cross-device part of OpenID4VP sessions (store/migrations/0008-cross-device-sessions.ts), shared by
 * every instance: the signed request object the wallet fetches, and the result the relying party reads.
 *
 * The result is written in the same transaction as the verification record and the session's end
 * (verification/verify-session-response.ts `keep`): the report without the disclosed values — checks,
 * method, record id, flags: no personal data (ARCHITECTURE.md rule 5) — and the disclosed values (name,
 * address, portrait, My Number when lawfully asked) sealed apart with AES-256-GCM (NIST SP 800-38D) under
 * the session key-encryption key, the session id as additional data: `0x01 ‖ iv(12) ‖ tag(16) ‖
 * ciphertext`, or `0x00 ‖ JSON` without a key, as session keys are (session-key.ts). The values go to the
 * relying party once: the read that takes them erases them by compare-and-set, so of two reads at once
 * exactly one gets them; later reads answer the report alone.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { VerifierError } from '../errors.js';
import type { VerifierDatabase } from '../store/schema.js';
import { checkInstant, fromDriverBytes, toDriverBytes } from '../store/store-support.js';
import type { CrossDeviceTables } from './cross-device-tables.js';

const PLAIN = 0x00;
const SEALED = 0x01;

/** What a cross-device session keeps beside its `verification_sessions` row. */
export interface CrossDeviceSession {
  readonly sessionId: string;
  readonly relyingPartyId: string;
  /** The signed request object (compact JWS). */
  readonly requestObject: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Whether the wallet's answer was verified and its report kept. */
  readonly answered: boolean;
}

function aadOf(sessionId: string): Buffer {
  return Buffer.from(`${sessionId}/result`, 'utf8');
}

function checkKek(kek: Uint8Array): Buffer {
  if (kek.length !== 32)
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'the session key-encryption key must be 32 bytes');
  return Buffer.from(kek.buffer, kek.byteOffset, kek.byteLength);
}

/** The stored form of the disclosed values of session `sessionId` (see the file comment). */
export function sealResultElements(elements: unknown, sessionId: string, kek?: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(elements), 'utf8');
  if (kek === undefined) return new Uint8Array(Buffer.concat([Buffer.of(PLAIN), json]));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', checkKek(kek), iv);
  cipher.setAAD(aadOf(sessionId));
  const ciphertext = Buffer.concat([cipher.update(json), cipher.final()]);
  json.fill(0);
  return new Uint8Array(Buffer.concat([Buffer.of(SEALED), iv, cipher.getAuthTag(), ciphertext]));
}

/** The disclosed values back; VERIFIER_SESSION_KEY_UNAVAILABLE when they cannot be opened. */
export function openResultElements(
  stored: Uint8Array,
  sessionId: string,
  kek?: Uint8Array,
): Record<string, Record<string, unknown>> {
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  try {
    if (bytes[0] === PLAIN) return JSON.parse(bytes.subarray(1).toString('utf8'));
    if (bytes[0] === SEALED && kek !== undefined && bytes.length > 29) {
      const decipher = createDecipheriv('aes-256-gcm', checkKek(kek), bytes.subarray(1, 13));
      decipher.setAAD(aadOf(sessionId));
      decipher.setAuthTag(bytes.subarray(13, 29));
      const json = Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]);
      return JSON.parse(json.toString('utf8'));
    }
  } catch (e) {
    throw new VerifierError('VERIFIER_SESSION_KEY_UNAVAILABLE', 'the session result cannot be opened', {
      cause: e,
    });
  }
  throw new VerifierError('VERIFIER_SESSION_KEY_UNAVAILABLE', 'the session result cannot be opened');
}

/** The cross-device table (see the file comment). */
export class CrossDeviceRepository {
  readonly #db: Kysely<VerifierDatabase & CrossDeviceTables>;

  /** @param db the verifier's database, or a transaction on it */
  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db.withTables<CrossDeviceTables>();
  }

  /** Stores the request object of a new cross-device session (its `verification_sessions` row exists). */
  async create(session: Omit<CrossDeviceSession, 'answered'>): Promise<void> {
    checkInstant(session.createdAt, 'createdAt');
    checkInstant(session.expiresAt, 'expiresAt');
    await this.#db
      .insertInto('cross_device_sessions')
      .values({
        session_id: session.sessionId,
        relying_party_id: session.relyingPartyId,
        request_object: session.requestObject,
        report: null,
        sealed_elements: null,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  /** The cross-device part of session `sessionId` (of that relying party, when one is named), or undefined. */
  async get(sessionId: string, relyingPartyId?: string): Promise<CrossDeviceSession | undefined> {
    let q = this.#db
      .selectFrom('cross_device_sessions')
      .select(['session_id', 'relying_party_id', 'request_object', 'created_at', 'expires_at', 'report'])
      .where('session_id', '=', sessionId);
    if (relyingPartyId !== undefined) q = q.where('relying_party_id', '=', relyingPartyId);
    const row = await q.executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          sessionId: row.session_id,
          relyingPartyId: row.relying_party_id,
          requestObject: row.request_object,
          createdAt: Number(row.created_at),
          expiresAt: Number(row.expires_at),
          answered: row.report !== null,
        };
  }

  /** Keeps the result (inside the record's transaction); false when the session has no cross-device row. */
  async keepResult(
    sessionId: string,
    result: { readonly report: Record<string, unknown>; readonly sealedElements: Uint8Array | null },
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('cross_device_sessions')
      .set({
        report: JSON.stringify(result.report),
        sealed_elements: result.sealedElements === null ? null : toDriverBytes(result.sealedElements),
      })
      .where('session_id', '=', sessionId)
      .where('report', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /**
   * The kept result of the relying party's session, or undefined before the answer (or no such session). The
   * sealed values come with the first read only: they are erased by compare-and-set as they are taken.
   */
  async takeResult(
    sessionId: string,
    relyingPartyId: string,
  ): Promise<
    { readonly report: Record<string, unknown>; readonly sealedElements: Uint8Array | null } | undefined
  > {
    const row = await this.#db
      .selectFrom('cross_device_sessions')
      .select(['report', 'sealed_elements'])
      .where('session_id', '=', sessionId)
      .where('relying_party_id', '=', relyingPartyId)
      .executeTakeFirst();
    if (row === undefined || row.report === null) return undefined;
    const report = JSON.parse(row.report) as Record<string, unknown>;
    if (row.sealed_elements === null) return { report, sealedElements: null };
    const taken = await this.#db
      .updateTable('cross_device_sessions')
      .set({ sealed_elements: null })
      .where('session_id', '=', sessionId)
      .where('sealed_elements', 'is not', null)
      .executeTakeFirst();
    return {
      report,
      sealedElements: taken.numUpdatedRows === 1n ? fromDriverBytes(row.sealed_elements) : null,
    };
  }

  /** Deletes rows whose session expired before `before` (epoch ms); returns how many. */
  async purgeExpired(before: number): Promise<number> {
    checkInstant(before, 'before');
    const r = await this.#db
      .deleteFrom('cross_device_sessions')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
