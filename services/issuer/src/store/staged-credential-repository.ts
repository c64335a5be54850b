import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '@mynakit/db';
import { IssuerError } from '../errors.js';
import { credentialRows, type NewCredential } from './credential-repository.js';
import type { IssuerDatabase, StagedCredentialsTable } from './schema.js';
import { checkInstant, inTransaction, PreparedQuery } from './store-support.js';

const Q = {
  installation: new PreparedQuery<[string], { resident_id: string; state: string }>((db, slot) =>
    db.selectFrom('installations').select(['resident_id', 'state']).where('id', '=', slot(0)),
  ),
  list: new PreparedQuery<[string], Selectable<StagedCredentialsTable>>((db, slot) =>
    db.selectFrom('staged_credentials').selectAll().where('installation_id', '=', slot(0)).orderBy('kind'),
  ),
  clear: new PreparedQuery<[string], never>((db, slot) =>
    db.deleteFrom('staged_credentials').where('installation_id', '=', slot(0)),
  ),
};

/**
 * Credentials issued to a pending installation and held back until it completes: the iPhone family's two
 * JPKI certificates wait here for the record (DOMAIN.md §1 "Two phone families": on an iPhone the record
 * and both certificates arrive together). Completion reads them with `list`, hands them with the record to
 * InstallationRepository.complete and `clear`s them — in one transaction (src/installations/complete.ts),
 * so they become credentials exactly when the device slot is taken, or not at all.
 */
export class StagedCredentialRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /**
   * Holds credentials for a pending installation (validated as credentials are). ISSUER_NOT_FOUND for an
   * unknown installation, ISSUER_INSTALLATION_STATE when it is not pending or already holds one of the
   * kinds.
   */
  async stage(installationId: string, credentials: readonly NewCredential[], now: number): Promise<void> {
    checkInstant(now, 'now');
    // Staged certificates were issued (the phone receives them now): recorded durably (store-support.ts).
    await inTransaction(this.db, (trx) => this.#stage(trx, installationId, credentials, now), {
      durable: true,
    });
  }

  async #stage(
    db: Kysely<IssuerDatabase>,
    installationId: string,
    credentials: readonly NewCredential[],
    now: number,
  ): Promise<void> {
    const inst = await Q.installation.first(db, installationId);
    if (!inst) throw new IssuerError('ISSUER_NOT_FOUND', 'no such installation');
    if (inst.state !== 'pending')
      throw new IssuerError('ISSUER_INSTALLATION_STATE', `the installation is ${inst.state}`);
    const rows = credentialRows(credentials, { installationId, residentId: inst.resident_id }, now);
    if (rows.length === 0) return;
    try {
      await db
        .insertInto('staged_credentials')
        .values(
          rows.map((r) => ({
            id: r.id,
            installation_id: r.installation_id,
            kind: r.kind,
            serial: r.serial,
            mso_digest: r.mso_digest,
            not_after: r.not_after,
            bytes: r.bytes,
            created_at: r.created_at,
            status_list_partition: r.status_list_partition,
            status_list_index: r.status_list_index,
            crl_partition: r.crl_partition,
            issuer_certificate: r.issuer_certificate,
          })),
        )
        .execute();
    } catch (e) {
      if (isUniqueViolation(e))
        throw new IssuerError('ISSUER_INSTALLATION_STATE', 'credentials of this kind are staged already', {
          cause: e,
        });
      throw e;
    }
  }

  /** The installation's staged credentials, in kind order, as they go into `credentials`. */
  async list(installationId: string): Promise<NewCredential[]> {
    const rows = await Q.list.rows(this.db, installationId);
    return rows.map((r) => ({
      kind: r.kind,
      ...(r.serial === null ? {} : { serial: r.serial }),
      ...(r.mso_digest === null ? {} : { msoDigest: r.mso_digest }),
      notAfter: Number(r.not_after),
      bytes: new Uint8Array(r.bytes),
      ...(r.status_list_partition === null || r.status_list_index === null
        ? {}
        : {
            statusListPartition: Number(r.status_list_partition),
            statusListIndex: Number(r.status_list_index),
          }),
      ...(r.crl_partition === null ? {} : { crlPartition: r.crl_partition }),
      ...(r.issuer_certificate === null ? {} : { issuerCertificate: r.issuer_certificate }),
    }));
  }

  /** Removes the installation's staged credentials (after completion moved them, or when it failed). */
  async clear(installationId: string): Promise<number> {
    return Q.clear.changes(this.db, installationId);
  }
}
