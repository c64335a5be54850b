/**
 * Secret verifiers and their try counters (DOMAIN.md §3 "PINs"). A try is taken before the PIN is
 * checked, by one conditional UPDATE (`remaining > 0 AND locked = 0`), so concurrent attempts can never
 * use more tries than there are: of four simultaneous attempts on three tries, one finds none left.
 */
import type { Kysely } from 'kysely';
import type { SecretTable, WalletDatabase } from './schema.js';

/** The two secrets a phone keeps. */
export type SecretKind = SecretTable['kind'];

/** A stored secret. */
export interface StoredSecret {
  readonly deviceId: string;
  readonly kind: SecretKind;
  readonly verifier: string;
  readonly remaining: number;
  readonly maxTries: number;
  readonly locked: boolean;
}

/** Reads and counts secrets. */
export class SecretRepository {
  readonly #db: Kysely<WalletDatabase>;

  /** A repository over `db`. */
  constructor(db: Kysely<WalletDatabase>) {
    this.#db = db;
  }

  /** Sets (or replaces) a secret with every try available and no lock: only (re-)installation does this. */
  async set(
    deviceId: string,
    kind: SecretKind,
    verifier: string,
    maxTries: number,
    at: number,
  ): Promise<void> {
    await this.#db
      .insertInto('secrets')
      .values({
        device_id: deviceId,
        kind,
        verifier,
        remaining: maxTries,
        max_tries: maxTries,
        locked: 0,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['device_id', 'kind']).doUpdateSet({
          verifier,
          remaining: maxTries,
          max_tries: maxTries,
          locked: 0,
          updated_at: at,
        }),
      )
      .execute();
  }

  /** The secret, or undefined. */
  async get(deviceId: string, kind: SecretKind): Promise<StoredSecret | undefined> {
    const row = await this.#db
      .selectFrom('secrets')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      deviceId,
      kind,
      verifier: row.verifier,
      remaining: Number(row.remaining),
      maxTries: Number(row.max_tries),
      locked: Number(row.locked) === 1,
    };
  }

  /** Takes one try; false when none is left (or the secret is locked or absent). */
  async takeTry(deviceId: string, kind: SecretKind, at: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('secrets')
      .set((eb) => ({ remaining: eb('remaining', '-', 1), updated_at: at }))
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .where('locked', '=', 0)
      .where('remaining', '>', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** After a right PIN: every try back, unless the secret was locked meanwhile (then false). */
  async restoreTries(deviceId: string, kind: SecretKind, at: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('secrets')
      .set((eb) => ({ remaining: eb.ref('max_tries'), updated_at: at }))
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .where('locked', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** After a wrong PIN: locks the secret when that was the last try. Returns the state after. */
  async settleFailure(deviceId: string, kind: SecretKind, at: number): Promise<StoredSecret | undefined> {
    await this.#db
      .updateTable('secrets')
      .set({ locked: 1, updated_at: at })
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .where('remaining', '=', 0)
      .execute();
    return this.get(deviceId, kind);
  }
}
