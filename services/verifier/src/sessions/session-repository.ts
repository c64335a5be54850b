/**
 * Verification sessions in the verifier's database, shared by every instance. A session is used once: the
 * submission of its answer claims it with one conditional UPDATE (`state = 'open'` and not expired →
 * `verifying`), so of two submissions at once — on one instance or on two — exactly one wins; the other
 * learns why it lost (used or expired). The winner finishes it (`done`, erasing the HPKE key) in the same
 * transaction as its verification record, or releases it (`open` again) when the relying party's policy
 * asks the caller to retry.
 */
import { reusableQuery } from '@mynakit/db';
import type { Insertable, Kysely } from 'kysely';
import { withRelaxedDurability } from '../store/relaxed-durability.js';
import type { VerificationSessionTable, VerifierDatabase } from '../store/schema.js';
import { checkInstant, fromDriverBytes, toDriverBytes } from '../store/store-support.js';
import { type CustomerDeclaration, declarationColumn, declarationOfColumn } from './customer-declaration.js';
import { type SingleUseOutcome, SingleUseSessions } from './single-use-session.js';

/** A session's lifecycle: open (answer awaited), verifying (claimed by one submission), done. */
export type SessionState = VerificationSessionTable['state'];

/** A session as stored. */
export interface VerificationSession {
  readonly id: string;
  readonly relyingPartyId: string;
  /** The API key that opened it. */
  readonly credentialId: string;
  readonly protocol: string;
  readonly purpose: string;
  readonly origin: string;
  /** namespace → element identifiers requested. */
  readonly elements: Readonly<Record<string, readonly string[]>>;
  /** base64url DeviceRequest as sent. */
  readonly deviceRequest: string;
  /** base64url EncryptionInfo exactly as sent. */
  readonly encryptionInfo: string;
  /** The stored HPKE private key (session-key.ts); null once done, or when the session has no Annex C request. */
  readonly recipientKey: Uint8Array | null;
  /** OpenID4VP over the DC API: the request as signed (JSON text); null when the session carries none. */
  readonly openid4vpRequest: string | null;
  /** Its dc_api.jwt decryption key (session-key.ts form, sealed for `<id>/openid4vp`); null when none or done. */
  readonly openid4vpKey: Uint8Array | null;
  /** What the customer declared (purpose of the transaction, occupation); null when none or once done. */
  readonly declaration: CustomerDeclaration | null;
  readonly state: SessionState;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly claimedAt: number | null;
  readonly completedAt: number | null;
  readonly verdict: string | null;
  readonly recordId: string | null;
}

/** What create stores. */
export type NewSession = Omit<
  VerificationSession,
  | 'state'
  | 'claimedAt'
  | 'completedAt'
  | 'verdict'
  | 'recordId'
  | 'recipientKey'
  | 'openid4vpRequest'
  | 'openid4vpKey'
  | 'declaration'
> & {
  /** Annex C sessions: the sealed HPKE key; absent for a session with no Annex C request (cross-device). */
  readonly recipientKey?: Uint8Array;
  readonly openid4vpRequest?: string;
  readonly openid4vpKey?: Uint8Array;
  /** The customer's declaration (customer-declaration.ts), when one was made. */
  readonly declaration?: CustomerDeclaration | undefined;
};

/** The outcome of a claim: won, or why not. */
export type ClaimResult = 'claimed' | 'used' | 'expired' | 'unknown';

function toSession(row: VerificationSessionTable): VerificationSession {
  return {
    id: row.id,
    relyingPartyId: row.relying_party_id,
    credentialId: row.credential_id,
    protocol: row.protocol,
    purpose: row.purpose,
    origin: row.origin,
    elements: JSON.parse(row.elements) as Record<string, string[]>,
    deviceRequest: row.device_request,
    encryptionInfo: row.encryption_info,
    recipientKey: row.recipient_key === null ? null : fromDriverBytes(row.recipient_key),
    openid4vpRequest: row.openid4vp_request ?? null,
    openid4vpKey: row.openid4vp_key == null ? null : fromDriverBytes(row.openid4vp_key),
    declaration: declarationOfColumn(row.declaration),
    state: row.state,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    claimedAt: row.claimed_at === null ? null : Number(row.claimed_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
    verdict: row.verdict,
    recordId: row.record_id,
  };
}

// Every verification opens a session, and its answer reads it: built and compiled once (@mynakit/db reusableQuery).
const INSERT_SESSION = reusableQuery(
  (db: Kysely<VerifierDatabase>, row: Insertable<VerificationSessionTable>) =>
    db.insertInto('verification_sessions').values(row),
);
const SESSION_BY_ID = reusableQuery((db: Kysely<VerifierDatabase>, id: string) =>
  db.selectFrom('verification_sessions').selectAll().where('id', '=', id),
);
const SESSION_OF_PARTY = reusableQuery((db: Kysely<VerifierDatabase>, id: string, relyingPartyId: string) =>
  db
    .selectFrom('verification_sessions')
    .selectAll()
    .where('id', '=', id)
    .where('relying_party_id', '=', relyingPartyId),
);

/** The sessions table (see the file comment). */
export class SessionRepository {
  readonly #db: Kysely<VerifierDatabase>;
  readonly #singleUse: SingleUseSessions;

  /** @param db the database, or a transaction */
  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db;
    // `done` erases the session's keys and the customer's declaration (written into the record in the same
    // transaction: the session keeps no copy).
    this.#singleUse = new SingleUseSessions(db as never, 'verification_sessions', [
      'recipient_key',
      'openid4vp_key',
      'declaration',
    ]);
  }

  /** Stores a new open session. */
  async create(session: NewSession): Promise<void> {
    checkInstant(session.createdAt, 'createdAt');
    checkInstant(session.expiresAt, 'expiresAt');
    // Not worth an fsync: a lost session is opened again (store/relaxed-durability.ts).
    await withRelaxedDurability(this.#db, (db) =>
      INSERT_SESSION(db, {
        id: session.id,
        relying_party_id: session.relyingPartyId,
        credential_id: session.credentialId,
        protocol: session.protocol,
        purpose: session.purpose,
        origin: session.origin,
        elements: JSON.stringify(session.elements),
        device_request: session.deviceRequest,
        encryption_info: session.encryptionInfo,
        recipient_key: session.recipientKey === undefined ? null : toDriverBytes(session.recipientKey),
        openid4vp_request: session.openid4vpRequest ?? null,
        openid4vp_key: session.openid4vpKey === undefined ? null : toDriverBytes(session.openid4vpKey),
        declaration: declarationColumn(session.declaration),
        state: 'open',
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        claimed_at: null,
        completed_at: null,
        verdict: null,
        record_id: null,
      }),
    );
  }

  /** The session (of that relying party, when one is named), or undefined. */
  async get(id: string, relyingPartyId?: string): Promise<VerificationSession | undefined> {
    const [row] = (
      relyingPartyId === undefined
        ? await SESSION_BY_ID(this.#db, id)
        : await SESSION_OF_PARTY(this.#db, id, relyingPartyId)
    ).rows;
    return row === undefined ? undefined : toSession(row);
  }

  /**
   * Claims the open, unexpired session for one submission (compare-and-set on `state`): `claimed` for the
   * one winner; else `used` (claimed before), `expired` or `unknown` (no such session of that party).
   */
  async claim(id: string, relyingPartyId: string, now: number): Promise<ClaimResult> {
    return this.#singleUse.claim(
      id,
      relyingPartyId,
      now,
      async () => (await this.get(id, relyingPartyId))?.state,
    );
  }

  /**
   * claim, and for the winner the session as the claim left it (`verifying`), read by the claiming statement
   * itself rather than by a second one.
   */
  async claimAndRead(
    id: string,
    relyingPartyId: string,
    now: number,
  ): Promise<{ readonly result: ClaimResult; readonly session?: VerificationSession }> {
    const { outcome, row } = await this.#singleUse.claimRow(
      id,
      relyingPartyId,
      now,
      async () => (await this.get(id, relyingPartyId))?.state,
    );
    return row === undefined
      ? { result: outcome }
      : { result: outcome, session: toSession(row as VerificationSessionTable) };
  }

  /** Gives a claimed session back (`verifying` → `open`), e.g. when the caller is told to retry. */
  async release(id: string): Promise<boolean> {
    return this.#singleUse.release(id);
  }

  /**
   * Finishes a claimed session (`verifying` → `done`), erasing its keys and the customer's declaration;
   * false when it was not claimed.
   */
  async complete(id: string, outcome: SingleUseOutcome): Promise<boolean> {
    return this.#singleUse.complete(id, outcome);
  }

  /** Deletes sessions that expired before `before` (epoch ms), done or not; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    return this.#singleUse.purgeExpired(before);
  }
}
