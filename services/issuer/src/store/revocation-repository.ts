import type { Kysely } from 'kysely';
import { IssuerError } from '../errors.js';
import type { StatusesChanged } from '../revocation/revocation-hub.js';
import { isRevocationReason, type RevocationReason } from './credential-repository.js';
import type { CredentialKind, IssuerDatabase } from './schema.js';
import { check, checkInstant, inTransaction, isSqlite } from './store-support.js';

/**
 * Every change of a credential's status goes through here (DOMAIN.md §3–4): revocation with an RFC 5280
 * §5.3.1 CRLReason, suspension (`certificateHold`) and its lifting. One call is one durable transaction (or
 * a part of the caller's) that
 * 1. changes the credentials by compare-and-set on their state — of two racing revocations of one
 *    credential exactly one changes it, and the other reports nothing revoked;
 * 2. bumps `status_list_partitions.version` once for each Token Status List partition touched, so every
 *    instance's publisher knows to re-sign it (the database is the truth, the hub a shortcut);
 * 3. appends one notice per touched installation, numbered 1, 2, 3 … per installation (`notices.seq`, the
 *    SSE id a phone resumes from).
 * It does not emit: the caller emits `result.change` on deps.hub once its transaction committed.
 *
 * A held certificate may still be revoked for good (RFC 5280 §5.3.1 certificateHold: "the certificate may
 * be revoked permanently"): `revoke` with any reason other than certificateHold also takes credentials on
 * hold, so a death or a new device during a suspension ends them, and a later lifting finds nothing to lift.
 */

/** A credential whose status one call changed, with where its status is published. */
export interface RevokedCredential {
  id: string;
  installationId: string;
  residentId: string;
  kind: CredentialKind;
  /** Certificate serial, lower-case hex (JPKI kinds). */
  serial: string | null;
  /** The record's Token Status List partition. */
  statusListPartition: number | null;
  /** The record's index in its partition. */
  statusListIndex: number | null;
  /** The JPKI certificate's CRL partition (municipality code at issuance). */
  crlPartition: string | null;
  /** The issuing certificate's name in the hierarchy. */
  issuerCertificate: string | null;
  /** The reason now in force; for `reinstate`, the hold that was lifted (`certificateHold`). */
  reason: RevocationReason;
}

/** What one call changed, and the change to emit on the hub after commit. */
export interface RevocationResult {
  /** The credentials changed (for `reinstate`: those whose hold was lifted), ordered by id. */
  revoked: RevokedCredential[];
  /** Identifiers of what changed; empty lists when nothing did. */
  change: StatusesChanged;
}

/** At most this many credential ids per call (a resident holds a handful per installation). */
export const MAX_REVOCATIONS_PER_CALL = 1000;

/** Notice kinds appended to `notices` (the phones' stream). */
export type NoticeKind =
  | 'credential.revoked'
  | 'credential.suspended'
  | 'credential.reinstated'
  | 'installation.superseded';

const DURABLE = { durable: true } as const;

interface Row {
  id: string;
  installation_id: string;
  resident_id: string;
  kind: CredentialKind;
  serial: string | null;
  status_list_partition: number | null;
  status_list_index: number | null;
  crl_partition: string | null;
  issuer_certificate: string | null;
  revocation_reason: string | null;
}

/**
 * Appends one notice to each installation, each taking the next number of its installation (max + 1).
 * On PostgreSQL the installations must be row-locked by the caller's transaction (lockInstallations) so two
 * transactions never take the same number; SQLite has a single writer.
 */
export async function appendNotices(
  trx: Kysely<IssuerDatabase>,
  installationIds: readonly string[],
  kind: NoticeKind,
  detail: Record<string, unknown>,
  at: number,
): Promise<void> {
  const text = JSON.stringify(detail);
  for (const installationId of installationIds) {
    const last = await trx
      .selectFrom('notices')
      .select((eb) => eb.fn.max<number | string | null>('seq').as('seq'))
      .where('installation_id', '=', installationId)
      .executeTakeFirst();
    const seq = last?.seq == null ? 1 : Number(last.seq) + 1;
    await trx
      .insertInto('notices')
      .values({ installation_id: installationId, seq, kind, detail: text, at })
      .execute();
  }
}

/**
 * Row-locks the installations (PostgreSQL; ordered by id, so two transactions lock in the same order) for
 * the notice numbering and against a concurrent addCredentials / supersession. No-op on SQLite.
 */
export async function lockInstallations(
  trx: Kysely<IssuerDatabase>,
  installationIds: readonly string[],
): Promise<void> {
  if (installationIds.length === 0 || isSqlite(trx)) return;
  await trx
    .selectFrom('installations')
    .select('id')
    .where('id', 'in', [...installationIds])
    .orderBy('id')
    .forUpdate()
    .execute();
}

function sortedUnique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort();
}

function changeOf(rows: readonly Row[], residentId: string, at: number): StatusesChanged {
  const crl = new Map<string, { issuerCertificate: string; crlPartition: string }>();
  for (const r of rows)
    if (r.issuer_certificate !== null && r.crl_partition !== null)
      crl.set(`${r.issuer_certificate}\u0000${r.crl_partition}`, {
        issuerCertificate: r.issuer_certificate,
        crlPartition: r.crl_partition,
      });
  return {
    residentId,
    installationIds: sortedUnique(rows.map((r) => r.installation_id)),
    statusListPartitions: sortedUnique(
      rows.flatMap((r) => (r.status_list_partition === null ? [] : [Number(r.status_list_partition)])),
    ).sort((a, b) => a - b),
    crlPartitions: [...crl.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v),
    at,
  };
}

function revokedOf(row: Row, reason: RevocationReason): RevokedCredential {
  return {
    id: row.id,
    installationId: row.installation_id,
    residentId: row.resident_id,
    kind: row.kind,
    serial: row.serial,
    statusListPartition: row.status_list_partition === null ? null : Number(row.status_list_partition),
    statusListIndex: row.status_list_index === null ? null : Number(row.status_list_index),
    crlPartition: row.crl_partition,
    issuerCertificate: row.issuer_certificate,
    reason,
  };
}

const COLUMNS = [
  'id',
  'installation_id',
  'resident_id',
  'kind',
  'serial',
  'status_list_partition',
  'status_list_index',
  'crl_partition',
  'issuer_certificate',
  'revocation_reason',
] as const;

/** Revocation, suspension and lifting of credentials with their bookkeeping (see the file comment). */
export class RevocationRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /**
   * Revokes the active credentials among `credentialIds` (and, unless `reason` is certificateHold, those on
   * hold) with `reason` at `now`: CAS on the state, one version bump per touched status-list partition,
   * one notice per touched installation (`credential.suspended` for certificateHold, else
   * `credential.revoked`), in one durable transaction or the caller's. Ids not found or already revoked
   * are skipped. ISSUER_INVALID_INPUT for an unknown reason, more than MAX_REVOCATIONS_PER_CALL ids, or ids
   * of more than one resident. Does NOT emit: the caller emits `result.change` after commit.
   */
  async revoke(
    credentialIds: readonly string[],
    reason: RevocationReason,
    now: number,
  ): Promise<RevocationResult> {
    checkInstant(now, 'now');
    check(isRevocationReason(reason), 'reason must be an RFC 5280 CRLReason name');
    const ids = this.#ids(credentialIds);
    return inTransaction(
      this.db,
      async (trx) => {
        const candidates = await this.#candidates(trx, ids);
        const residentId = this.#residentOf(candidates);
        await lockInstallations(trx, sortedUnique(candidates.map((r) => r.installation_id)));
        if (candidates.length === 0) return { revoked: [], change: changeOf([], residentId, now) };
        const rows = (await trx
          .updateTable('credentials')
          .set({ state: 'revoked', revoked_at: now, revocation_reason: reason })
          .where('id', 'in', ids)
          .where((eb) =>
            reason === 'certificateHold'
              ? eb('state', '=', 'active')
              : eb.or([
                  eb('state', '=', 'active'),
                  eb.and([eb('state', '=', 'revoked'), eb('revocation_reason', '=', 'certificateHold')]),
                ]),
          )
          .returning(COLUMNS)
          .execute()) as Row[];
        rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        await this.#bookkeeping(
          trx,
          rows,
          reason === 'certificateHold' ? 'credential.suspended' : 'credential.revoked',
          reason,
          now,
        );
        return { revoked: rows.map((r) => revokedOf(r, reason)), change: changeOf(rows, residentId, now) };
      },
      DURABLE,
    );
  }

  /**
   * Lifts certificateHold on those of `credentialIds` that are suspended and whose installation is still
   * active (a superseded phone's credentials stay revoked): state back to active, revoked_at and reason
   * cleared; the same bookkeeping as `revoke` (notices `credential.reinstated`). Each result entry carries
   * reason `certificateHold`, the hold that was lifted. Same errors as `revoke`.
   */
  async reinstate(credentialIds: readonly string[], now: number): Promise<RevocationResult> {
    checkInstant(now, 'now');
    const ids = this.#ids(credentialIds);
    return inTransaction(
      this.db,
      async (trx) => {
        const candidates = await this.#candidates(trx, ids);
        const residentId = this.#residentOf(candidates);
        await lockInstallations(trx, sortedUnique(candidates.map((r) => r.installation_id)));
        if (candidates.length === 0) return { revoked: [], change: changeOf([], residentId, now) };
        const rows = (await trx
          .updateTable('credentials')
          .set({ state: 'active', revoked_at: null, revocation_reason: null })
          .where('id', 'in', ids)
          .where('state', '=', 'revoked')
          .where('revocation_reason', '=', 'certificateHold')
          .where('installation_id', 'in', (eb) =>
            eb.selectFrom('installations').select('id').where('state', '=', 'active'),
          )
          .returning(COLUMNS)
          .execute()) as Row[];
        rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        await this.#bookkeeping(trx, rows, 'credential.reinstated', 'certificateHold', now);
        return {
          revoked: rows.map((r) => revokedOf(r, 'certificateHold')),
          change: changeOf(rows, residentId, now),
        };
      },
      DURABLE,
    );
  }

  #ids(credentialIds: readonly string[]): string[] {
    check(Array.isArray(credentialIds), 'credentialIds must be an array');
    check(
      credentialIds.length <= MAX_REVOCATIONS_PER_CALL,
      `at most ${MAX_REVOCATIONS_PER_CALL} credentials at once`,
    );
    check(
      credentialIds.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 64),
      'credential ids must be non-empty strings of at most 64 characters',
    );
    return sortedUnique(credentialIds);
  }

  async #candidates(trx: Kysely<IssuerDatabase>, ids: readonly string[]): Promise<Row[]> {
    if (ids.length === 0) return [];
    return (await trx
      .selectFrom('credentials')
      .select(COLUMNS)
      .where('id', 'in', [...ids])
      .execute()) as Row[];
  }

  #residentOf(rows: readonly Row[]): string {
    const residents = new Set(rows.map((r) => r.resident_id));
    if (residents.size > 1)
      throw new IssuerError('ISSUER_INVALID_INPUT', 'one call changes the credentials of one resident');
    return rows[0]?.resident_id ?? '';
  }

  async #bookkeeping(
    trx: Kysely<IssuerDatabase>,
    rows: readonly Row[],
    kind: NoticeKind,
    reason: RevocationReason,
    now: number,
  ): Promise<void> {
    if (rows.length === 0) return;
    const partitions = sortedUnique(
      rows.flatMap((r) => (r.status_list_partition === null ? [] : [Number(r.status_list_partition)])),
    );
    // The partition row may not exist yet (the publisher creates partitions as it allocates): then there is
    // nothing to re-sign, and nothing matches.
    if (partitions.length > 0)
      await trx
        .updateTable('status_list_partitions')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('partition', 'in', partitions)
        .execute();
    const byInstallation = new Map<string, Row[]>();
    for (const r of rows) {
      const list = byInstallation.get(r.installation_id);
      if (list) list.push(r);
      else byInstallation.set(r.installation_id, [r]);
    }
    for (const installationId of [...byInstallation.keys()].sort()) {
      // A JPKI certificate is also named by its serial: the phone knows its certificates by serial, and
      // its record by the credential id (the OpenID4VCI notification_id it was issued with).
      const credentials = (byInstallation.get(installationId) ?? []).map((r) =>
        r.serial === null ? { id: r.id, kind: r.kind } : { id: r.id, kind: r.kind, serial: r.serial },
      );
      await appendNotices(trx, [installationId], kind, { credentials, reason }, now);
    }
  }
}
