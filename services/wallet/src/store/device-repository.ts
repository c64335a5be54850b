/** Phones known to this wallet store. */
import type { Kysely } from 'kysely';
import { WalletError } from '../errors.js';
import type { WalletDatabase } from './schema.js';

/** A phone. */
export interface Device {
  readonly id: string;
  readonly family: 'iphone' | 'android';
  readonly model?: string;
  readonly createdAt: Date;
}

/** Device ids: safe as a folder name. */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Devices. */
export class DeviceRepository {
  readonly #db: Kysely<WalletDatabase>;

  /** A repository over `db`. */
  constructor(db: Kysely<WalletDatabase>) {
    this.#db = db;
  }

  /** Registers a phone unless it exists; returns it. */
  async ensure(
    device: { id: string; family: 'iphone' | 'android'; model?: string },
    at: number,
  ): Promise<Device> {
    if (!DEVICE_ID.test(device.id))
      throw new WalletError('WALLET_INVALID_INPUT', 'a device id is [A-Za-z0-9_-], at most 64');
    await this.#db
      .insertInto('devices')
      .values({ id: device.id, family: device.family, model: device.model ?? null, created_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const found = await this.get(device.id);
    if (found === undefined) throw new WalletError('WALLET_NOT_FOUND', 'the device vanished');
    return found;
  }

  /** The phone, or undefined. */
  async get(id: string): Promise<Device | undefined> {
    const row = await this.#db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      family: row.family,
      ...(row.model === null ? {} : { model: row.model }),
      createdAt: new Date(Number(row.created_at)),
    };
  }
}
