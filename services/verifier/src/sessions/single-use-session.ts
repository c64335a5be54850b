/**
 * The life of a single-use session, whatever its channel: `open` → `verifying` (claimed by exactly one
 * submission, with one conditional UPDATE — a compare-and-set on `state` that of two submissions at once, on one
 * instance or two, lets exactly one win) → `done` (finished in the same transaction as its verification record,
 * erasing what the session held), or back to `open` when the relying party's policy asks the caller to retry;
 * deleted once expired. The Annex C / OpenID4VP sessions (session-repository.ts) and the JPKI sessions
 * (jpki/jpki-session-repository.ts) keep their own tables and rows and share these transitions.
 */
import { type ReusableQuery, reusableQuery } from '@mynakit/db';
import { type Kysely, sql } from 'kysely';
import { withRelaxedDurability } from '../store/relaxed-durability.js';
import { checkInstant } from '../store/store-support.js';

/** The columns every single-use session table has. */
export interface SingleUseSessionColumns {
  id: string;
  relying_party_id: string;
  state: 'open' | 'verifying' | 'done';
  claimed_at: number | null;
  completed_at: number | null;
  verdict: string | null;
  record_id: string | null;
  expires_at: number;
}

/**
 * The session table as these transitions see it: only its shared columns, under a stand-in name — the queries
 * are typed against SingleUseSessionColumns and run against the real table (`as 'sessions'` below).
 */
interface SessionsView {
  sessions: SingleUseSessionColumns;
}

/** How a claim ended: won, or why not (`used` before, `expired`, `unknown` to that relying party). */
export type SingleUseClaim = 'claimed' | 'used' | 'expired' | 'unknown';

/** How a claimed session ends. */
export interface SingleUseOutcome {
  readonly verdict: string;
  readonly recordId: string | null;
  readonly now: number;
}

/** The claim and the completion of one table, built and compiled once (@mynakit/db reusableQuery). */
interface Transitions {
  readonly claim: ReusableQuery<SessionsView, [id: string, relyingPartyId: string, now: number], unknown>;
  readonly complete: ReusableQuery<
    SessionsView,
    [id: string, now: number, verdict: string, recordId: string | null],
    unknown
  >;
}

/** By table and erased columns: one entry per SingleUseSessions call site in the code, so a handful. */
const transitionsByTable = new Map<string, Transitions>();

function transitionsOf(table: 'sessions', erased: readonly string[]): Transitions {
  const key = `${table}\n${erased.join(',')}`;
  let found = transitionsByTable.get(key);
  if (found === undefined) {
    // The erased columns are the table's own, beyond the shared ones.
    const nulls = Object.fromEntries(erased.map((column) => [column, null])) as object;
    found = {
      // RETURNING (SQLite ≥ 3.35, PostgreSQL): the winner gets the claimed row without reading it again.
      claim: reusableQuery((db: Kysely<SessionsView>, id: string, relyingPartyId: string, now: number) =>
        db
          .updateTable(table)
          .set({ state: 'verifying', claimed_at: now })
          .where('id', '=', id)
          .where('relying_party_id', '=', relyingPartyId)
          .where('state', '=', 'open')
          .where('expires_at', '>', now)
          .returningAll(),
      ),
      complete: reusableQuery(
        (db: Kysely<SessionsView>, id: string, now: number, verdict: string, recordId: string | null) =>
          db
            .updateTable(table)
            .set({ state: 'done', completed_at: now, verdict, record_id: recordId, ...nulls })
            .where('id', '=', id)
            .where('state', '=', 'verifying'),
      ),
    };
    transitionsByTable.set(key, found);
  }
  return found;
}

/**
 * The transitions of table `table` (see the file comment). `erased` names what `done` clears (keys, content,
 * the customer's declaration): their values are set to null.
 */
export class SingleUseSessions {
  readonly #db: Kysely<SessionsView>;
  readonly #table: 'sessions';
  readonly #erased: readonly string[];

  /** @param db the store's database or a transaction, holding `table` */
  constructor(
    db: Kysely<never>,
    table: 'verification_sessions' | 'jpki_sessions',
    erased: readonly string[],
  ) {
    this.#db = db as unknown as Kysely<SessionsView>;
    this.#table = table as unknown as 'sessions';
    this.#erased = erased;
  }

  /**
   * Claims the open, unexpired session `id` of `relyingPartyId` for one submission; `narrow` adds conditions a
   * channel needs (e.g. the JPKI session's kind). On a lost race, `stateOf` tells why (its row's state, or
   * undefined when that relying party has no such session).
   */
  async claim(
    id: string,
    relyingPartyId: string,
    now: number,
    stateOf: () => Promise<SingleUseSessionColumns['state'] | undefined>,
    narrow: { readonly column: string; readonly equals: string } | undefined = undefined,
  ): Promise<SingleUseClaim> {
    return (await this.#claim(id, relyingPartyId, now, stateOf, narrow)).outcome;
  }

  /**
   * claim (without `narrow`), and for the winner the whole row of the session as the claim left it (every
   * column of its table): what the winner reads next, read by the claiming statement itself.
   */
  async claimRow(
    id: string,
    relyingPartyId: string,
    now: number,
    stateOf: () => Promise<SingleUseSessionColumns['state'] | undefined>,
  ): Promise<{ readonly outcome: SingleUseClaim; readonly row?: unknown }> {
    return this.#claim(id, relyingPartyId, now, stateOf, undefined);
  }

  async #claim(
    id: string,
    relyingPartyId: string,
    now: number,
    stateOf: () => Promise<SingleUseSessionColumns['state'] | undefined>,
    narrow: { readonly column: string; readonly equals: string } | undefined,
  ): Promise<{ readonly outcome: SingleUseClaim; readonly row?: unknown }> {
    checkInstant(now, 'now');
    let claimed: unknown;
    // No fsync either: a lost claim only reopens a session that returned nothing (relaxed-durability.ts).
    const won = await withRelaxedDurability(this.#db, async (db) => {
      if (narrow === undefined) {
        const { rows } = await transitionsOf(this.#table, this.#erased).claim(db, id, relyingPartyId, now);
        claimed = rows[0];
        return BigInt(rows.length);
      }
      const r = await db
        .updateTable(this.#table)
        .set({ state: 'verifying', claimed_at: now })
        .where('id', '=', id)
        .where('relying_party_id', '=', relyingPartyId)
        .where('state', '=', 'open')
        .where('expires_at', '>', now)
        .where(sql.ref(narrow.column), '=', narrow.equals)
        .executeTakeFirst();
      return r.numUpdatedRows;
    });
    if (won === 1n)
      return claimed === undefined ? { outcome: 'claimed' } : { outcome: 'claimed', row: claimed };
    const state = await stateOf();
    if (state === undefined) return { outcome: 'unknown' };
    if (state !== 'open') return { outcome: 'used' };
    return { outcome: 'expired' };
  }

  /** Gives a claimed session back (`verifying` → `open`); false when it was not claimed. */
  async release(id: string): Promise<boolean> {
    const r = await this.#db
      .updateTable(this.#table)
      .set({ state: 'open', claimed_at: null })
      .where('id', '=', id)
      .where('state', '=', 'verifying')
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** Finishes a claimed session (`verifying` → `done`), erasing what it held; false when it was not claimed. */
  async complete(id: string, outcome: SingleUseOutcome): Promise<boolean> {
    checkInstant(outcome.now, 'now');
    const r = await transitionsOf(this.#table, this.#erased).complete(
      this.#db,
      id,
      outcome.now,
      outcome.verdict,
      outcome.recordId,
    );
    return r.numAffectedRows === 1n;
  }

  /** Deletes sessions that expired before `before` (epoch ms), done or not; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    checkInstant(before, 'before');
    const r = await this.#db.deleteFrom(this.#table).where('expires_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
