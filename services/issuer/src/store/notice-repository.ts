import type { Kysely } from 'kysely';
import { HashedTokenTable } from './hashed-token-table.js';
import type { IssuerDatabase } from './schema.js';
import { check, checkInstant, PreparedQuery } from './store-support.js';

/**
 * What the phones' notices stream reads (GET /notices, src/notices/): the `notices` rows of one
 * installation after a sequence number, and the bearer tokens of the stream's subscriptions.
 *
 * The rows themselves are appended only by RevocationRepository (revocation-repository.ts), in the
 * transaction that changes the statuses they speak of; this repository never writes one. Each installation
 * numbers its notices 1, 2, 3 … — the SSE `id` a phone resumes from with Last-Event-ID (WHATWG HTML
 * §9.2 "Server-sent events").
 */

/** One notice as the stream sends it. */
export interface Notice {
  installationId: string;
  /** 1, 2, 3 … per installation. */
  seq: number;
  /** `credential.revoked`, `credential.suspended`, `credential.reinstated`, `installation.superseded`. */
  kind: string;
  /** The JSON detail as stored (credential ids and kinds, the reason; no personal data). */
  detail: string;
  /** Epoch ms. */
  at: number;
}

/** What a subscription token grants: the installation whose notices it may read, until when. */
export interface NoticeSubscription {
  installationId: string;
  expiresAt: number;
}

/** At most this many notices per read: a stream replays in pages of this size. */
export const MAX_NOTICES_PER_READ = 100;

const Q = {
  after: new PreparedQuery<
    [installationId: string, afterSeq: number, limit: number],
    { installation_id: string; seq: number; kind: string; detail: string; at: number }
  >((db, slot) =>
    db
      .selectFrom('notices')
      .select(['installation_id', 'seq', 'kind', 'detail', 'at'])
      .where('installation_id', '=', slot(0))
      .where('seq', '>', slot(1))
      .orderBy('seq')
      .limit(slot(2)),
  ),
  last: new PreparedQuery<[installationId: string], { seq: number | string | null }>((db, slot) =>
    db
      .selectFrom('notices')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('installation_id', '=', slot(0)),
  ),
};

/** The notices of installations, read in order, and the tokens of their streams (SHA-256 only). */
export class NoticeRepository {
  readonly #subscriptions: HashedTokenTable;

  constructor(private readonly db: Kysely<IssuerDatabase>) {
    this.#subscriptions = new HashedTokenTable(db, 'notice_subscriptions', 'this token was stored before');
  }

  /** The installation's notices with seq > `afterSeq`, oldest first, at most `limit` (≤ MAX_NOTICES_PER_READ). */
  async listAfter(installationId: string, afterSeq: number, limit = MAX_NOTICES_PER_READ): Promise<Notice[]> {
    check(Number.isSafeInteger(afterSeq) && afterSeq >= 0, 'afterSeq must be a non-negative integer');
    check(
      Number.isInteger(limit) && limit >= 1 && limit <= MAX_NOTICES_PER_READ,
      `limit must be 1..${MAX_NOTICES_PER_READ}`,
    );
    const rows = await Q.after.rows(this.db, installationId, afterSeq, limit);
    return rows.map((r) => ({
      installationId: r.installation_id,
      // bigint columns come back as strings from PostgreSQL.
      seq: Number(r.seq),
      kind: r.kind,
      detail: r.detail,
      at: Number(r.at),
    }));
  }

  /** The installation's newest notices, newest first, at most `limit` (1..100): what an operator looks at. */
  async latest(installationId: string, limit = 10): Promise<Notice[]> {
    check(Number.isInteger(limit) && limit >= 1 && limit <= 100, 'limit must be 1..100');
    const rows = await this.db
      .selectFrom('notices')
      .selectAll()
      .where('installation_id', '=', installationId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      installationId: r.installation_id,
      seq: Number(r.seq),
      kind: r.kind,
      detail: r.detail,
      at: Number(r.at),
    }));
  }

  /** The installation's highest notice number, 0 when it has none. */
  async lastSeq(installationId: string): Promise<number> {
    const row = await Q.last.first(this.db, installationId);
    return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
  }

  /** Stores a subscription token's hash. ISSUER_DUPLICATE when the same token was stored before. */
  createSubscription(
    input: { token: string; installationId: string; expiresAt: number },
    now: number,
  ): Promise<void> {
    return this.#subscriptions.create(input, now);
  }

  /** The grant of an unexpired subscription token, or undefined (unknown, expired, malformed alike). */
  findSubscription(token: string, now: number): Promise<NoticeSubscription | undefined> {
    return this.#subscriptions.find(token, now);
  }

  /** Deletes subscription tokens that expired before `before`; returns how many. */
  purgeExpiredSubscriptions(before: number): Promise<number> {
    checkInstant(before, 'before');
    return this.#subscriptions.purgeExpired(before);
  }
}
