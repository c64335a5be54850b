/** The documents (mdocs) a phone holds: several per device, of any docType (DOMAIN.md §1). */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DocumentTable, WalletDatabase } from './schema.js';

/** A held document. */
export interface WalletDocument {
  readonly id: string;
  readonly deviceId: string;
  readonly installationId?: string;
  readonly docType: string;
  /** The IssuerSigned bytes exactly as received. */
  readonly issuerSigned: Uint8Array;
  readonly deviceKeyAlias: string;
  readonly state: 'active' | 'invalidated';
  readonly credentialIssuer: string;
  readonly credentialId?: string;
  readonly notificationId?: string;
  readonly validUntil: Date;
  readonly receivedAt: Date;
  readonly invalidatedAt?: Date;
  readonly invalidationReason?: string;
}

/** What `add` takes. */
export type NewWalletDocument = Omit<
  WalletDocument,
  'id' | 'state' | 'receivedAt' | 'invalidatedAt' | 'invalidationReason'
>;

function documentOf(row: DocumentTable): WalletDocument {
  return {
    id: row.id,
    deviceId: row.device_id,
    ...(row.installation_id === null ? {} : { installationId: row.installation_id }),
    docType: row.doc_type,
    issuerSigned: new Uint8Array(row.issuer_signed),
    deviceKeyAlias: row.device_key_alias,
    state: row.state,
    credentialIssuer: row.credential_issuer,
    ...(row.credential_id === null ? {} : { credentialId: row.credential_id }),
    ...(row.notification_id === null ? {} : { notificationId: row.notification_id }),
    validUntil: new Date(Number(row.valid_until)),
    receivedAt: new Date(Number(row.received_at)),
    ...(row.invalidated_at === null ? {} : { invalidatedAt: new Date(Number(row.invalidated_at)) }),
    ...(row.invalidation_reason === null ? {} : { invalidationReason: row.invalidation_reason }),
  };
}

/** Documents. */
export class DocumentRepository {
  readonly #db: Kysely<WalletDatabase>;

  /** A repository over `db`. */
  constructor(db: Kysely<WalletDatabase>) {
    this.#db = db;
  }

  /** Stores a verified document as active; returns it. */
  async add(d: NewWalletDocument, at: number): Promise<WalletDocument> {
    const row: DocumentTable = {
      id: randomUUID(),
      device_id: d.deviceId,
      installation_id: d.installationId ?? null,
      doc_type: d.docType,
      issuer_signed: d.issuerSigned,
      device_key_alias: d.deviceKeyAlias,
      state: 'active',
      credential_issuer: d.credentialIssuer,
      credential_id: d.credentialId ?? null,
      notification_id: d.notificationId ?? null,
      valid_until: d.validUntil.getTime(),
      received_at: at,
      invalidated_at: null,
      invalidation_reason: null,
    };
    await this.#db.insertInto('documents').values(row).execute();
    return documentOf(row);
  }

  /** The device's documents, newest first (optionally of one docType). */
  async list(deviceId: string, docType?: string): Promise<WalletDocument[]> {
    let q = this.#db.selectFrom('documents').selectAll().where('device_id', '=', deviceId);
    if (docType !== undefined) q = q.where('doc_type', '=', docType);
    const rows = await q.orderBy('received_at', 'desc').execute();
    return rows.map(documentOf);
  }

  /** Marks a document invalidated (it is never presented again). */
  async invalidate(id: string, reason: string, at: number): Promise<void> {
    await this.#db
      .updateTable('documents')
      .set({ state: 'invalidated', invalidated_at: at, invalidation_reason: reason })
      .where('id', '=', id)
      .where('state', '=', 'active')
      .execute();
  }

  /** Makes a document presentable again — only one invalidated by a suspension (`certificateHold`). */
  async reactivate(id: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('documents')
      .set({ state: 'active', invalidated_at: null, invalidation_reason: null })
      .where('id', '=', id)
      .where('state', '=', 'invalidated')
      .where('invalidation_reason', '=', 'certificateHold')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
