/** The installations a phone took part in, by the issuer's installation id. */
import type { Kysely } from 'kysely';
import type { InstallationTable, WalletDatabase } from './schema.js';

/** An installation as the phone remembers it. */
export interface WalletInstallation {
  readonly id: string;
  readonly deviceId: string;
  readonly credentialIssuer: string;
  readonly family: 'iphone' | 'android';
  readonly state: 'pending' | 'active';
  readonly needs: readonly string[];
  readonly createdAt: Date;
}

/** Installations. */
export class InstallationRepository {
  readonly #db: Kysely<WalletDatabase>;

  /** A repository over `db`. */
  constructor(db: Kysely<WalletDatabase>) {
    this.#db = db;
  }

  /** Records a started installation. */
  async create(i: Omit<WalletInstallation, 'createdAt'>, at: number): Promise<void> {
    await this.#db
      .insertInto('installations')
      .values({
        id: i.id,
        device_id: i.deviceId,
        credential_issuer: i.credentialIssuer,
        family: i.family,
        state: i.state,
        needs: JSON.stringify(i.needs),
        created_at: at,
      })
      .execute();
  }

  /** Marks it active (the issuer completed it). */
  async activate(id: string): Promise<void> {
    await this.#db.updateTable('installations').set({ state: 'active' }).where('id', '=', id).execute();
  }

  /** The device's installations, oldest first. */
  async list(deviceId: string): Promise<WalletInstallation[]> {
    const rows = await this.#db
      .selectFrom('installations')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(installationOf);
  }

  /** The device's newest installation, or undefined. */
  async latest(deviceId: string): Promise<WalletInstallation | undefined> {
    const row = await this.#db
      .selectFrom('installations')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : installationOf(row);
  }
}

function installationOf(row: InstallationTable): WalletInstallation {
  return {
    id: row.id,
    deviceId: row.device_id,
    credentialIssuer: row.credential_issuer,
    family: row.family,
    state: row.state,
    needs: JSON.parse(row.needs) as string[],
    createdAt: new Date(Number(row.created_at)),
  };
}
