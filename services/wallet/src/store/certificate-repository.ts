/** The smartphone JPKI certificates a phone holds, each with the alias of its key in the secure area. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { JpkiCertificateTable, WalletDatabase } from './schema.js';

/** A held certificate. */
export interface WalletCertificate {
  readonly id: string;
  readonly deviceId: string;
  readonly installationId: string;
  readonly purpose: 'sign' | 'auth';
  readonly certificate: Uint8Array;
  readonly issuerCertificate: Uint8Array;
  readonly serialNumber: string;
  readonly notAfter: Date;
  readonly keyAlias: string;
  readonly state: 'active' | 'invalidated';
  readonly receivedAt: Date;
  readonly invalidatedAt?: Date;
  /** The issuer's CRLReason name when a notice invalidated it (`certificateHold` can be lifted). */
  readonly invalidationReason?: string;
}

/** What `add` takes. */
export type NewWalletCertificate = Omit<
  WalletCertificate,
  'id' | 'state' | 'receivedAt' | 'invalidatedAt' | 'invalidationReason'
>;

function certificateOf(row: JpkiCertificateTable): WalletCertificate {
  return {
    id: row.id,
    deviceId: row.device_id,
    installationId: row.installation_id,
    purpose: row.purpose,
    certificate: new Uint8Array(row.certificate),
    issuerCertificate: new Uint8Array(row.issuer_certificate),
    serialNumber: row.serial_number,
    notAfter: new Date(Number(row.not_after)),
    keyAlias: row.key_alias,
    state: row.state,
    receivedAt: new Date(Number(row.received_at)),
    ...(row.invalidated_at === null ? {} : { invalidatedAt: new Date(Number(row.invalidated_at)) }),
    ...(row.invalidation_reason === null ? {} : { invalidationReason: row.invalidation_reason }),
  };
}

/** JPKI certificates. */
export class CertificateRepository {
  readonly #db: Kysely<WalletDatabase>;

  /** A repository over `db`. */
  constructor(db: Kysely<WalletDatabase>) {
    this.#db = db;
  }

  /** Stores a certificate as active, invalidating the device's earlier one of the same purpose. */
  async add(c: NewWalletCertificate, at: number): Promise<WalletCertificate> {
    const row: JpkiCertificateTable = {
      id: randomUUID(),
      device_id: c.deviceId,
      installation_id: c.installationId,
      purpose: c.purpose,
      certificate: c.certificate,
      issuer_certificate: c.issuerCertificate,
      serial_number: c.serialNumber,
      not_after: c.notAfter.getTime(),
      key_alias: c.keyAlias,
      state: 'active',
      received_at: at,
      invalidated_at: null,
      invalidation_reason: null,
    };
    await this.#db
      .updateTable('jpki_certificates')
      .set({ state: 'invalidated', invalidated_at: at, invalidation_reason: 'replaced' })
      .where('device_id', '=', c.deviceId)
      .where('state', '=', 'active')
      .where('purpose', '=', c.purpose)
      .execute();
    await this.#db.insertInto('jpki_certificates').values(row).execute();
    return certificateOf(row);
  }

  /** The device's certificates, newest first. */
  async list(deviceId: string): Promise<WalletCertificate[]> {
    const rows = await this.#db
      .selectFrom('jpki_certificates')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('received_at', 'desc')
      .execute();
    return rows.map(certificateOf);
  }

  /** The device's active certificate of `purpose`, or undefined. */
  async active(deviceId: string, purpose: 'sign' | 'auth'): Promise<WalletCertificate | undefined> {
    const row = await this.#db
      .selectFrom('jpki_certificates')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('purpose', '=', purpose)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return row === undefined ? undefined : certificateOf(row);
  }

  /** Marks a certificate invalidated with the issuer's reason (its key is never used again unless the reason is a hold). */
  async invalidate(id: string, reason: string, at: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('jpki_certificates')
      .set({ state: 'invalidated', invalidated_at: at, invalidation_reason: reason })
      .where('id', '=', id)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Makes a certificate usable again — only one invalidated by a suspension (`certificateHold`). */
  async reactivate(id: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('jpki_certificates')
      .set({ state: 'active', invalidated_at: null, invalidation_reason: null })
      .where('id', '=', id)
      .where('state', '=', 'invalidated')
      .where('invalidation_reason', '=', 'certificateHold')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
