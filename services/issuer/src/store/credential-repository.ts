import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { CredentialKind, CredentialState, CredentialsTable, IssuerDatabase } from './schema.js';
import { RevocationRepository } from './revocation-repository.js';
import { check, checkInstant, toDriverBytes } from './store-support.js';

/**
 * Why a credential was revoked: RFC 5280 §5.3.1 CRLReason names, used for the record too. `superseded` is
 * the one-device rule (a new installation of the same resident completed).
 */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'privilegeWithdrawn';

const REASONS: ReadonlySet<string> = new Set<RevocationReason>([
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
]);

/** Whether `value` is one of the RevocationReason names (own entries only, never a prototype's). */
export function isRevocationReason(value: unknown): value is RevocationReason {
  return typeof value === 'string' && REASONS.has(value);
}

/**
 * A credential just issued: a JPKI certificate (`serial`, lower-case hex) or an mdoc IssuerSigned
 * (`msoDigest`: SHA-256 of MobileSecurityObjectBytes, 64 lower-case hex digits).
 */
export interface NewCredential {
  kind: CredentialKind;
  serial?: string;
  msoDigest?: string;
  notAfter: number;
  bytes: Uint8Array;
  /** The record's index in its status-list partition (with statusListPartition). */
  statusListIndex?: number;
  /** The record's Token Status List partition. */
  statusListPartition?: number;
  /** A JPKI certificate's CRL partition: the holder's municipality code at issuance. */
  crlPartition?: string;
  /** The issuing certificate's name in the hierarchy (`jpki-sign-ca-g0`, the DS name for a record). */
  issuerCertificate?: string;
}

/** A stored credential. */
export interface Credential {
  id: string;
  installationId: string;
  residentId: string;
  kind: CredentialKind;
  serial: string | null;
  msoDigest: string | null;
  notAfter: number;
  state: CredentialState;
  revokedAt: number | null;
  revocationReason: RevocationReason | null;
  bytes: Uint8Array;
  statusListIndex: number | null;
  createdAt: number;
  statusListPartition: number | null;
  crlPartition: string | null;
  issuerCertificate: string | null;
}

/** At most this many credentials go in at once (an installation issues three). */
export const MAX_CREDENTIALS_PER_CALL = 16;
const KINDS: ReadonlySet<string> = new Set<CredentialKind>(['mdoc', 'jpki-sign', 'jpki-auth']);

/** Validates credentials to insert for an installation and builds their rows. */
export function credentialRows(
  credentials: readonly NewCredential[],
  owner: { installationId: string; residentId: string },
  now: number,
): CredentialsTable[] {
  check(Array.isArray(credentials), 'credentials must be an array');
  check(
    credentials.length <= MAX_CREDENTIALS_PER_CALL,
    `at most ${MAX_CREDENTIALS_PER_CALL} credentials at once`,
  );
  return credentials.map((c) => {
    check(KINDS.has(c.kind), 'kind must be mdoc, jpki-sign or jpki-auth');
    if (c.kind === 'mdoc') {
      check(c.msoDigest !== undefined && /^[0-9a-f]{64}$/.test(c.msoDigest), 'an mdoc needs its msoDigest');
      check(c.serial === undefined, 'an mdoc has no serial');
    } else {
      check(c.serial !== undefined && /^[0-9a-f]{1,40}$/.test(c.serial), 'a certificate needs its serial');
      check(c.msoDigest === undefined, 'a certificate has no msoDigest');
    }
    checkInstant(c.notAfter, 'notAfter');
    check(c.bytes instanceof Uint8Array && c.bytes.length > 0, 'bytes must not be empty');
    if (c.statusListIndex !== undefined) {
      check(Number.isSafeInteger(c.statusListIndex) && c.statusListIndex >= 0, 'statusListIndex must be ≥ 0');
    }
    check(
      (c.statusListIndex === undefined) === (c.statusListPartition === undefined),
      'statusListIndex and statusListPartition go together',
    );
    if (c.statusListPartition !== undefined) {
      check(
        Number.isSafeInteger(c.statusListPartition) && c.statusListPartition >= 0,
        'statusListPartition must be ≥ 0',
      );
    }
    if (c.crlPartition !== undefined)
      check(/^[0-9]{5,6}$/.test(c.crlPartition), 'crlPartition must be 5 or 6 digits');
    if (c.issuerCertificate !== undefined)
      check(/^[a-z0-9-]{1,64}$/.test(c.issuerCertificate), 'issuerCertificate must be [a-z0-9-], at most 64');
    return {
      id: randomUUID(),
      installation_id: owner.installationId,
      resident_id: owner.residentId,
      kind: c.kind,
      serial: c.serial ?? null,
      mso_digest: c.msoDigest ?? null,
      not_after: c.notAfter,
      state: 'active',
      revoked_at: null,
      revocation_reason: null,
      bytes: toDriverBytes(c.bytes),
      status_list_index: c.statusListIndex ?? null,
      created_at: now,
      status_list_partition: c.statusListPartition ?? null,
      crl_partition: c.crlPartition ?? null,
      issuer_certificate: c.issuerCertificate ?? null,
    };
  });
}

/** A credential row as the service sees it. */
export function credentialFromRow(row: Selectable<CredentialsTable>): Credential {
  return {
    id: row.id,
    installationId: row.installation_id,
    residentId: row.resident_id,
    kind: row.kind,
    serial: row.serial,
    msoDigest: row.mso_digest,
    notAfter: Number(row.not_after),
    state: row.state,
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    revocationReason: row.revocation_reason as RevocationReason | null,
    bytes: new Uint8Array(row.bytes),
    statusListIndex: row.status_list_index === null ? null : Number(row.status_list_index),
    createdAt: Number(row.created_at),
    statusListPartition: row.status_list_partition === null ? null : Number(row.status_list_partition),
    crlPartition: row.crl_partition,
    issuerCertificate: row.issuer_certificate,
  };
}

/**
 * Issued credentials, looked up the ways revocation and inquiries need: by id, by installation, by JPKI
 * certificate serial, by the record's MSO digest (the inquiry key, DOMAIN.md §4), and the resident's active ones.
 * Credentials are written by InstallationRepository (complete / addCredentials), never alone.
 */
export class CredentialRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /** The credential, or undefined. */
  async get(id: string): Promise<Credential | undefined> {
    const row = await this.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
    return row && credentialFromRow(row);
  }

  /** The installation's credentials, oldest first. */
  async listByInstallation(installationId: string): Promise<Credential[]> {
    const rows = await this.db
      .selectFrom('credentials')
      .selectAll()
      .where('installation_id', '=', installationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(credentialFromRow);
  }

  /** The JPKI certificate of this kind with this serial (lower-case hex), or undefined. */
  async getBySerial(kind: 'jpki-sign' | 'jpki-auth', serial: string): Promise<Credential | undefined> {
    const row = await this.db
      .selectFrom('credentials')
      .selectAll()
      .where('kind', '=', kind)
      .where('serial', '=', serial.toLowerCase())
      .executeTakeFirst();
    return row && credentialFromRow(row);
  }

  /** The record whose MobileSecurityObjectBytes hash to this SHA-256 (hex), or undefined. */
  async getByMsoDigest(msoDigest: string): Promise<Credential | undefined> {
    const row = await this.db
      .selectFrom('credentials')
      .selectAll()
      .where('mso_digest', '=', msoDigest.toLowerCase())
      .executeTakeFirst();
    return row && credentialFromRow(row);
  }

  /** The resident's credentials in force, oldest first. */
  async listActiveForResident(residentId: string): Promise<Credential[]> {
    const rows = await this.db
      .selectFrom('credentials')
      .selectAll()
      .where('resident_id', '=', residentId)
      .where('state', '=', 'active')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(credentialFromRow);
  }

  /**
   * Revokes an active (or held) credential (compare-and-set, durable) through RevocationRepository, with
   * its partition bump and notice; false when it was not active. A caller that must tell the hub uses
   * `store.revocations.revoke`, whose result carries the change to emit.
   */
  async revoke(id: string, reason: RevocationReason, now: number): Promise<boolean> {
    const result = await new RevocationRepository(this.db).revoke([id], reason, now);
    return result.revoked.length === 1;
  }
}
