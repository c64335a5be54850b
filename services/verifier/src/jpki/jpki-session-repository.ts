/**
 * JPKI sessions in the verifier's database (migration 0003), shared by every instance: a user-authentication
 * challenge or the document a signature must cover, answered once. As for the Annex C sessions
 * (sessions/session-repository.ts), the submission claims the session with one conditional UPDATE
 * (`state = 'open'`, the right kind, not expired → `verifying`), so of two submissions at once — on one
 * instance or two — exactly one wins and the other learns why it lost (used or expired). The winner finishes
 * it (`done`, erasing the challenge or document) in the same transaction as its verification record, or
 * releases it when the relying party's policy asks the caller to retry.
 *
 * The table is declared here and added to the store's Kysely type with `withTables`, so the schema of the
 * other tables (store/schema.ts) stays as it is.
 */
import type { Kysely } from 'kysely';
import {
  type CustomerDeclaration,
  declarationColumn,
  declarationOfColumn,
} from '../sessions/customer-declaration.js';
import { type SingleUseOutcome, SingleUseSessions } from '../sessions/single-use-session.js';
import { withRelaxedDurability } from '../store/relaxed-durability.js';
import type { VerifierDatabase } from '../store/schema.js';
import { checkInstant, fromDriverBytes, toDriverBytes } from '../store/store-support.js';

/** The two JPKI channels: challenge–response user authentication, and a CMS signature over a document. */
export type JpkiSessionKind = 'authentication' | 'signature';

/** One JPKI session as stored (migration 0003). */
export interface JpkiSessionTable {
  id: string;
  relying_party_id: string;
  /** The API key that opened it. */
  credential_id: string;
  kind: JpkiSessionKind;
  purpose: string;
  /** The 32-byte challenge, or the document's exact bytes; null once done. */
  content: Uint8Array | null;
  /** SHA-256 of `content`, lower-case hex (kept after the content is erased). */
  content_sha256: string;
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

/** The store's tables with the JPKI sessions. */
export type JpkiSessionDatabase = VerifierDatabase & { jpki_sessions: JpkiSessionTable };

/** A JPKI session as the routes see it. */
export interface JpkiSession {
  readonly id: string;
  readonly relyingPartyId: string;
  readonly credentialId: string;
  readonly kind: JpkiSessionKind;
  readonly purpose: string;
  /** The challenge or the document; null once done. */
  readonly content: Uint8Array | null;
  readonly contentSha256: string;
  /** What the customer declared (purpose of the transaction, occupation); null when none or once done. */
  readonly declaration: CustomerDeclaration | null;
  readonly state: JpkiSessionTable['state'];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly claimedAt: number | null;
  readonly completedAt: number | null;
  readonly verdict: string | null;
  readonly recordId: string | null;
}

/** What create stores. */
export interface NewJpkiSession {
  readonly id: string;
  readonly relyingPartyId: string;
  readonly credentialId: string;
  readonly kind: JpkiSessionKind;
  readonly purpose: string;
  readonly content: Uint8Array;
  readonly contentSha256: string;
  /** The customer's declaration, when one was made. */
  readonly declaration?: CustomerDeclaration | undefined;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** The outcome of a claim: won, or why not (`unknown`: no such session of that party and kind). */
export type JpkiClaimResult = 'claimed' | 'used' | 'expired' | 'unknown';

function toSession(row: JpkiSessionTable): JpkiSession {
  return {
    id: row.id,
    relyingPartyId: row.relying_party_id,
    credentialId: row.credential_id,
    kind: row.kind,
    purpose: row.purpose,
    content: row.content === null ? null : fromDriverBytes(row.content),
    contentSha256: row.content_sha256,
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

/** The jpki_sessions table (see the file comment). */
export class JpkiSessionRepository {
  readonly #db: Kysely<JpkiSessionDatabase>;
  readonly #singleUse: SingleUseSessions;

  /** @param db the store's database, or a transaction */
  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db.withTables<{ jpki_sessions: JpkiSessionTable }>();
    // `done` erases the challenge or document and the customer's declaration (written into the record in the
    // same transaction: the session keeps no copy).
    this.#singleUse = new SingleUseSessions(this.#db as never, 'jpki_sessions', ['content', 'declaration']);
  }

  /** Stores a new open session. */
  async create(session: NewJpkiSession): Promise<void> {
    checkInstant(session.createdAt, 'createdAt');
    checkInstant(session.expiresAt, 'expiresAt');
    // Not worth an fsync: a lost session is opened again (store/relaxed-durability.ts).
    await withRelaxedDurability(this.#db, (db) =>
      db
        .insertInto('jpki_sessions')
        .values({
          id: session.id,
          relying_party_id: session.relyingPartyId,
          credential_id: session.credentialId,
          kind: session.kind,
          purpose: session.purpose,
          content: toDriverBytes(session.content),
          content_sha256: session.contentSha256,
          declaration: declarationColumn(session.declaration),
          state: 'open',
          created_at: session.createdAt,
          expires_at: session.expiresAt,
          claimed_at: null,
          completed_at: null,
          verdict: null,
          record_id: null,
        })
        .execute(),
    );
  }

  /** The session (of that relying party and kind, when named), or undefined. */
  async get(id: string, relyingPartyId?: string, kind?: JpkiSessionKind): Promise<JpkiSession | undefined> {
    let q = this.#db.selectFrom('jpki_sessions').selectAll().where('id', '=', id);
    if (relyingPartyId !== undefined) q = q.where('relying_party_id', '=', relyingPartyId);
    if (kind !== undefined) q = q.where('kind', '=', kind);
    const row = await q.executeTakeFirst();
    return row === undefined ? undefined : toSession(row);
  }

  /**
   * Claims the open, unexpired session of that party and kind for one submission (compare-and-set on
   * `state`): `claimed` for the one winner; else `used`, `expired` or `unknown`.
   */
  async claim(
    id: string,
    relyingPartyId: string,
    kind: JpkiSessionKind,
    now: number,
  ): Promise<JpkiClaimResult> {
    return this.#singleUse.claim(
      id,
      relyingPartyId,
      now,
      async () => (await this.get(id, relyingPartyId, kind))?.state,
      { column: 'kind', equals: kind },
    );
  }

  /** Gives a claimed session back (`verifying` → `open`), when the caller is told to retry. */
  async release(id: string): Promise<boolean> {
    return this.#singleUse.release(id);
  }

  /** Finishes a claimed session (`verifying` → `done`), erasing its content; false when it was not claimed. */
  async complete(id: string, outcome: SingleUseOutcome): Promise<boolean> {
    return this.#singleUse.complete(id, outcome);
  }

  /** Deletes sessions that expired before `before` (epoch ms), done or not; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    return this.#singleUse.purgeExpired(before);
  }
}
