/** The presentation history: what was shared with whom, when — element names only, never values. */
import type { Kysely } from 'kysely';
import type { WalletDatabase } from './schema.js';

/** One presentation. */
export interface PresentationRecord {
  readonly deviceId: string;
  readonly documentId?: string;
  readonly relyingParty: string;
  readonly channel: string;
  /** [namespace, element identifier] pairs shared. */
  readonly elements: readonly (readonly [string, string])[];
  readonly sharedAt: Date;
}

/** Presentations. */
export class PresentationRepository {
  readonly #db: Kysely<WalletDatabase>;

  /** A repository over `db`. */
  constructor(db: Kysely<WalletDatabase>) {
    this.#db = db;
  }

  /** Records one presentation. */
  async record(p: PresentationRecord): Promise<void> {
    await this.#db
      .insertInto('presentations')
      .values({
        device_id: p.deviceId,
        document_id: p.documentId ?? null,
        relying_party: p.relyingParty,
        channel: p.channel,
        elements: JSON.stringify(p.elements),
        shared_at: p.sharedAt.getTime(),
      })
      .execute();
  }

  /** The device's presentations, newest first, at most `limit` (default 100). */
  async list(deviceId: string, limit = 100): Promise<PresentationRecord[]> {
    const rows = await this.#db
      .selectFrom('presentations')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('shared_at', 'desc')
      .limit(Math.max(1, Math.min(limit, 1000)))
      .execute();
    return rows.map((r) => ({
      deviceId: r.device_id,
      ...(r.document_id === null ? {} : { documentId: r.document_id }),
      relyingParty: r.relying_party,
      channel: r.channel,
      elements: JSON.parse(r.elements) as [string, string][],
      sharedAt: new Date(Number(r.shared_at)),
    }));
  }
}
