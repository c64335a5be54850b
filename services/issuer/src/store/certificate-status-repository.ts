import type { Kysely } from 'kysely';
import type { IssuerDatabase } from './schema.js';
import { PreparedQuery } from './store-support.js';

/**
 * What the CRL publisher, the OCSP responder and the platform status API read about smartphone JPKI
 * certificates (DOMAIN.md §3 "Status"): the status of one certificate by its serial, and the revoked
 * certificates of one CRL scope — an issuing CA generation (`issuer_certificate`) and a municipality
 * partition (`crl_partition`) — with a cheap fingerprint of that scope, so a publisher re-signs only when
 * the scope changed. Read only; statuses change through RevocationRepository.
 *
 * The scope queries run on the index `credentials_crl (issuer_certificate, crl_partition, state)`
 * (migration 0003); the serial look-up on the unique `credentials_kind_serial (kind, serial)`.
 */

/** The status columns of one certificate credential. */
export interface CertificateStatusRow {
  state: 'active' | 'revoked';
  revokedAt: number | null;
  /** RFC 5280 §5.3.1 CRLReason name. */
  reason: string | null;
  /** The issuing CA's hierarchy name; null for certificates recorded before it was kept. */
  issuerCertificate: string | null;
  crlPartition: string | null;
}

/** One revoked certificate of a CRL scope. */
export interface RevokedCertificateRow {
  /** Lower-case hex. */
  serial: string;
  revokedAt: number;
  /** RFC 5280 §5.3.1 CRLReason name. */
  reason: string | null;
}

/** A CRL scope's revoked set, summarised: changes whenever a certificate is revoked, held or released. */
export interface CrlScopeFingerprint {
  count: number;
  maxRevokedAt: number | null;
}

/** A CRL scope that has certificates: an issuing CA generation and a municipality partition. */
export interface CrlScope {
  issuerCertificate: string;
  crlPartition: string;
}

/** At most this many entries in one CRL (a municipality partition of one generation stays far below). */
export const MAX_CRL_ENTRIES = 1_000_000;

const Q = {
  bySerial: new PreparedQuery<
    [kind: 'jpki-sign' | 'jpki-auth', serial: string],
    {
      state: 'active' | 'revoked';
      revoked_at: number | string | null;
      revocation_reason: string | null;
      issuer_certificate: string | null;
      crl_partition: string | null;
    }
  >((db, slot) =>
    db
      .selectFrom('credentials')
      .select(['state', 'revoked_at', 'revocation_reason', 'issuer_certificate', 'crl_partition'])
      .where('kind', '=', slot(0))
      .where('serial', '=', slot(1)),
  ),
  bytesBySerial: new PreparedQuery<[kind: 'jpki-sign' | 'jpki-auth', serial: string], { bytes: Uint8Array }>(
    (db, slot) =>
      db.selectFrom('credentials').select('bytes').where('kind', '=', slot(0)).where('serial', '=', slot(1)),
  ),
  fingerprint: new PreparedQuery<
    [issuerCertificate: string, crlPartition: string],
    { n: number | string; latest: number | string | null }
  >((db, slot) =>
    db
      .selectFrom('credentials')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('revoked_at').as('latest')])
      .where('issuer_certificate', '=', slot(0))
      .where('crl_partition', '=', slot(1))
      .where('state', '=', 'revoked'),
  ),
  revoked: new PreparedQuery<
    [issuerCertificate: string, crlPartition: string, limit: number],
    { serial: string | null; revoked_at: number | string | null; revocation_reason: string | null }
  >((db, slot) =>
    db
      .selectFrom('credentials')
      .select(['serial', 'revoked_at', 'revocation_reason'])
      .where('issuer_certificate', '=', slot(0))
      .where('crl_partition', '=', slot(1))
      .where('state', '=', 'revoked')
      .orderBy('serial')
      .limit(slot(2)),
  ),
};

const asNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** Read-only certificate statuses for CRLs, OCSP and the platform status API (see the file comment). */
export class CertificateStatusRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /** The status of the smartphone certificate of this kind and serial (lower-case hex), or undefined. */
  async bySerial(kind: 'jpki-sign' | 'jpki-auth', serial: string): Promise<CertificateStatusRow | undefined> {
    const row = await Q.bySerial.first(this.db, kind, serial);
    if (row === undefined) return undefined;
    return {
      state: row.state,
      revokedAt: asNumber(row.revoked_at),
      reason: row.revocation_reason,
      issuerCertificate: row.issuer_certificate,
      crlPartition: row.crl_partition,
    };
  }

  /** The certificate's DER (for rows recorded without their issuer's name), or undefined. */
  async certificateBySerial(
    kind: 'jpki-sign' | 'jpki-auth',
    serial: string,
  ): Promise<Uint8Array | undefined> {
    return (await Q.bytesBySerial.first(this.db, kind, serial))?.bytes;
  }

  /** Count and latest revocation instant of the scope's revoked certificates (one indexed aggregate). */
  async fingerprint(issuerCertificate: string, crlPartition: string): Promise<CrlScopeFingerprint> {
    const row = await Q.fingerprint.first(this.db, issuerCertificate, crlPartition);
    return { count: Number(row?.n ?? 0), maxRevokedAt: asNumber(row?.latest ?? null) };
  }

  /** The scope's revoked certificates, by serial, at most MAX_CRL_ENTRIES. */
  async revoked(issuerCertificate: string, crlPartition: string): Promise<RevokedCertificateRow[]> {
    const rows = await Q.revoked.rows(this.db, issuerCertificate, crlPartition, MAX_CRL_ENTRIES);
    const out: RevokedCertificateRow[] = [];
    for (const r of rows)
      if (r.serial !== null && r.revoked_at !== null)
        out.push({ serial: r.serial, revokedAt: Number(r.revoked_at), reason: r.revocation_reason });
    return out;
  }

  /**
   * Every scope that holds certificates (distinct issuer and partition), at most `limit`: read from the
   * leading columns of `credentials_crl`.
   */
  async scopes(limit: number): Promise<CrlScope[]> {
    const rows = await this.db
      .selectFrom('credentials')
      .select(['issuer_certificate', 'crl_partition'])
      .distinct()
      .where('issuer_certificate', 'is not', null)
      .where('crl_partition', 'is not', null)
      .orderBy('issuer_certificate')
      .orderBy('crl_partition')
      .limit(limit)
      .execute();
    const out: CrlScope[] = [];
    for (const r of rows)
      if (r.issuer_certificate !== null && r.crl_partition !== null)
        out.push({ issuerCertificate: r.issuer_certificate, crlPartition: r.crl_partition });
    return out;
  }
}

const repositories = new WeakMap<Kysely<IssuerDatabase>, CertificateStatusRepository>();

/** The repository over `db` (one per database handle). */
export function certificateStatusRepositoryOf(db: Kysely<IssuerDatabase>): CertificateStatusRepository {
  let r = repositories.get(db);
  if (r === undefined) {
    r = new CertificateStatusRepository(db);
    repositories.set(db, r);
  }
  return r;
}
