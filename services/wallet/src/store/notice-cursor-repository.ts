/**
 * The last issuer notice each installation of a phone has applied: what a reconnect sends as
 * `Last-Event-ID` (WHATWG HTML §9.2 server-sent events), so a phone that was offline hears exactly what it
 * missed, and nothing twice.
 */
import type { Kysely } from 'kysely';
import type { WalletDatabase } from './schema.js';

/** Notice cursors. */
export class NoticeCursorRepository {
  readonly #db: Kysely<WalletDatabase>;

  /** A repository over `db`. */
  constructor(db: Kysely<WalletDatabase>) {
    this.#db = db;
  }

  /** The last applied `seq` for the installation (0 before any). */
  async lastSeq(deviceId: string, installationId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('notice_cursors')
      .select('last_seq')
      .where('device_id', '=', deviceId)
      .where('installation_id', '=', installationId)
      .executeTakeFirst();
    return row === undefined ? 0 : Number(row.last_seq);
  }

  /** Records `seq` as applied; a cursor never moves back (an older seq changes nothing). */
  async advance(deviceId: string, installationId: string, seq: number, at: number): Promise<void> {
    await this.#db
      .insertInto('notice_cursors')
      .values({ device_id: deviceId, installation_id: installationId, last_seq: seq, updated_at: at })
      .onConflict((oc) =>
        oc
          .columns(['device_id', 'installation_id'])
          .doUpdateSet({ last_seq: seq, updated_at: at })
          .where('notice_cursors.last_seq', '<', seq),
      )
      .execute();
  }
}
