import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@mynakit/db';
import type { Kysely, Selectable } from 'kysely';
import { IssuerError } from '../errors.js';
import type { StatusesChanged } from '../revocation/revocation-hub.js';
import {
  type Credential,
  credentialFromRow,
  credentialRows,
  type NewCredential,
} from './credential-repository.js';
import { appendNotices, RevocationRepository } from './revocation-repository.js';
import type { InstallationFamily, InstallationState, InstallationsTable, IssuerDatabase } from './schema.js';
import { check, checkInstant, inTransaction, PreparedQuery } from './store-support.js';

/** Completing and adding credentials record issued credentials and revoke: durable (store-support.ts). */
const DURABLE = { durable: true } as const;

/** An installation to start, after the card step. */
export interface NewInstallation {
  residentId: string;
  family: InstallationFamily;
  /** The card whose signature (or user authentication) authorised the installation. */
  cardId?: string | null;
  /** The device description of the installation request (no personal data); stored as JSON. */
  deviceInfo?: Record<string, unknown> | null;
}

/** A stored installation. */
export interface Installation {
  id: string;
  residentId: string;
  family: InstallationFamily;
  state: InstallationState;
  /** The resident's device-slot generation when the installation started; completing it takes `baseGeneration + 1`. */
  baseGeneration: number;
  cardId: string | null;
  deviceInfo: Record<string, unknown> | null;
  keyAttestation: string | null;
  createdAt: number;
  completedAt: number | null;
  endedAt: number | null;
}

/** What a completion did: the installation now active, its credentials, and what it superseded. */
export interface CompletedInstallation {
  installation: Installation;
  credentials: Credential[];
  /** The previously active installation and the ids of its credentials revoked (reason `superseded`). */
  superseded?: { installationId: string; revokedCredentialIds: string[] };
  /**
   * Present when a previous installation was superseded: what its supersession changed (the old phone's
   * notices, its credentials' partitions). The caller emits it on deps.hub once the transaction committed.
   */
  change?: StatusesChanged;
}

const FAMILIES: ReadonlySet<string> = new Set<InstallationFamily>(['iphone', 'android']);
const MAX_DEVICE_INFO_CHARS = 4096;
const MAX_KEY_ATTESTATION_CHARS = 65536;

const Q = {
  byId: new PreparedQuery<[string], Selectable<InstallationsTable>>((db, slot) =>
    db.selectFrom('installations').selectAll().where('id', '=', slot(0)),
  ),
  residentExists: new PreparedQuery<[string], { id: string }>((db, slot) =>
    db.selectFrom('residents').select('id').where('id', '=', slot(0)),
  ),
  generation: new PreparedQuery<[string], { g: number | null }>((db, slot) =>
    db
      .selectFrom('device_slots')
      .select((eb) => eb.fn.max<number | null>('generation').as('g'))
      .where('resident_id', '=', slot(0)),
  ),
  insert: new PreparedQuery<
    [
      id: string,
      residentId: string,
      family: InstallationFamily,
      baseGeneration: number,
      cardId: string | null,
      deviceInfo: string | null,
      createdAt: number,
    ],
    never
  >((db, slot) =>
    db.insertInto('installations').values({
      id: slot(0),
      resident_id: slot(1),
      family: slot(2),
      state: 'pending',
      base_generation: slot(3),
      card_id: slot(4),
      device_info: slot(5),
      key_attestation: null,
      created_at: slot(6),
      completed_at: null,
      ended_at: null,
    }),
  ),
  takeSlot: new PreparedQuery<
    [residentId: string, generation: number, installationId: string, at: number],
    never
  >((db, slot) =>
    db.insertInto('device_slots').values({
      resident_id: slot(0),
      generation: slot(1),
      installation_id: slot(2),
      created_at: slot(3),
    }),
  ),
  activate: new PreparedQuery<
    [at: number, keyAttestation: string | null, id: string],
    Selectable<InstallationsTable>
  >((db, slot) =>
    db
      .updateTable('installations')
      .set({ state: 'active', completed_at: slot(0), key_attestation: slot(1) })
      .where('id', '=', slot(2))
      .where('state', '=', 'pending')
      .returningAll(),
  ),
};

function fromRow(row: Selectable<InstallationsTable>): Installation {
  return {
    id: row.id,
    residentId: row.resident_id,
    family: row.family,
    state: row.state,
    baseGeneration: Number(row.base_generation),
    cardId: row.card_id,
    deviceInfo: row.device_info === null ? null : (JSON.parse(row.device_info) as Record<string, unknown>),
    keyAttestation: row.key_attestation,
    createdAt: Number(row.created_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  };
}

/**
 * Installations and the one-device rule (issuer design, device_slots; DOMAIN.md §1 "One person, one
 * device"). An installation records the resident's current slot generation g when it begins; completing it
 * inserts the slot (resident, g + 1) in the same transaction that revokes the previous installation's
 * credentials and writes the new ones. Of several installations racing from the same g — in one process,
 * several processes or several instances — the primary key of device_slots lets exactly one complete; the
 * others get ISSUER_INSTALLATION_CONFLICT with nothing written.
 */
export class InstallationRepository {
  constructor(
    private readonly db: Kysely<IssuerDatabase>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  /**
   * Starts a pending installation from the resident's current generation. ISSUER_NOT_FOUND for an unknown
   * resident, ISSUER_INVALID_INPUT for an unknown family or an oversized device description.
   */
  async begin(input: NewInstallation, now: number): Promise<Installation> {
    checkInstant(now, 'now');
    check(FAMILIES.has(input.family), 'family must be iphone or android');
    const deviceInfo = input.deviceInfo == null ? null : JSON.stringify(input.deviceInfo);
    check(
      deviceInfo === null || deviceInfo.length <= MAX_DEVICE_INFO_CHARS,
      `deviceInfo must be at most ${MAX_DEVICE_INFO_CHARS} characters of JSON`,
    );
    const resident = await Q.residentExists.first(this.db, input.residentId);
    if (!resident) throw new IssuerError('ISSUER_NOT_FOUND', 'no such resident');
    const row: InstallationsTable = {
      id: randomUUID(),
      resident_id: input.residentId,
      family: input.family,
      state: 'pending',
      base_generation: await this.currentGeneration(input.residentId),
      card_id: input.cardId ?? null,
      device_info: deviceInfo,
      key_attestation: null,
      created_at: now,
      completed_at: null,
      ended_at: null,
    };
    await Q.insert.run(
      this.db,
      row.id,
      row.resident_id,
      row.family,
      row.base_generation,
      row.card_id,
      row.device_info,
      row.created_at,
    );
    return fromRow(row);
  }

  /** The installation, or undefined. */
  async get(id: string): Promise<Installation | undefined> {
    const row = await Q.byId.first(this.db, id);
    return row && fromRow(row);
  }

  /** Every installation of the resident, oldest first. */
  async listForResident(residentId: string): Promise<Installation[]> {
    const rows = await this.db
      .selectFrom('installations')
      .selectAll()
      .where('resident_id', '=', residentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  /** The resident's highest device-slot generation (0 when no installation ever completed). */
  async currentGeneration(residentId: string): Promise<number> {
    const row = await Q.generation.first(this.db, residentId);
    return row?.g == null ? 0 : Number(row.g);
  }

  /** The resident's active installation — the one in the highest-generation slot — or undefined. */
  async activeForResident(residentId: string): Promise<Installation | undefined> {
    const row = await this.db
      .selectFrom('installations')
      .selectAll()
      .where('resident_id', '=', residentId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /**
   * Completes a pending installation under the one-device rule, in one transaction:
   * 1. insert the device slot (resident, baseGeneration + 1) — a unique violation means an installation
   *    from the same base completed first: ISSUER_INSTALLATION_CONFLICT, nothing written;
   * 2. mark the previous active installation `superseded` and revoke all its active (or held) credentials
   *    (reason `superseded`, revoked_at = now) through RevocationRepository — partition versions bumped, the
   *    old phone told (`credential.revoked`, then `installation.superseded`); `result.change` is for the hub;
   * 3. insert the new credentials and mark this installation `active`.
   * ISSUER_NOT_FOUND / ISSUER_INSTALLATION_STATE when the installation does not exist or is not pending;
   * ISSUER_DUPLICATE when a serial or MSO digest is taken.
   */
  async complete(
    installationId: string,
    credentials: readonly NewCredential[],
    options: { now: number; keyAttestation?: string },
  ): Promise<CompletedInstallation> {
    const { now } = options;
    checkInstant(now, 'now');
    const keyAttestation = options.keyAttestation ?? null;
    check(
      keyAttestation === null ||
        (typeof keyAttestation === 'string' && keyAttestation.length <= MAX_KEY_ATTESTATION_CHARS),
      'keyAttestation must be at most 64 KiB of text',
    );
    return inTransaction(
      this.db,
      async (trx) => {
        const inst = await Q.byId.first(trx, installationId);
        if (!inst) throw new IssuerError('ISSUER_NOT_FOUND', 'no such installation');
        if (inst.state !== 'pending')
          throw new IssuerError('ISSUER_INSTALLATION_STATE', `the installation is ${inst.state}`);
        const rows = credentialRows(credentials, { installationId, residentId: inst.resident_id }, now);
        const base = Number(inst.base_generation);

        try {
          await Q.takeSlot.run(trx, inst.resident_id, base + 1, installationId, now);
        } catch (e) {
          if (isUniqueViolation(e)) {
            throw new IssuerError(
              'ISSUER_INSTALLATION_CONFLICT',
              'another installation of this resident completed first',
              { cause: e },
            );
          }
          throw e;
        }

        let superseded: CompletedInstallation['superseded'];
        let change: StatusesChanged | undefined;
        if (base > 0) {
          const previous = await trx
            .selectFrom('device_slots')
            .select('installation_id')
            .where('resident_id', '=', inst.resident_id)
            .where('generation', '=', base)
            .executeTakeFirst();
          if (previous) {
            // Row-locks the previous installation first, so an addCredentials holding it (FOR UPDATE) finishes
            // before its credentials are revoked below — none can slip in unrevoked.
            await trx
              .updateTable('installations')
              .set({ state: 'superseded', ended_at: now })
              .where('id', '=', previous.installation_id)
              .where('state', '=', 'active')
              .execute();
            // Through RevocationRepository: CAS, the partitions' versions, the old phone's notices. Credentials
            // on hold go too (a hold may become final, RFC 5280 §5.3.1): the old phone never gets them back.
            const held = await trx
              .selectFrom('credentials')
              .select('id')
              .where('installation_id', '=', previous.installation_id)
              .where((eb) =>
                eb.or([
                  eb('state', '=', 'active'),
                  eb.and([eb('state', '=', 'revoked'), eb('revocation_reason', '=', 'certificateHold')]),
                ]),
              )
              .execute();
            const revocation = await new RevocationRepository(trx).revoke(
              held.map((r) => r.id),
              'superseded',
              now,
            );
            await appendNotices(
              trx,
              [previous.installation_id],
              'installation.superseded',
              { installationId: previous.installation_id, supersededBy: installationId },
              now,
            );
            const revoked = revocation.revoked;
            change = {
              ...revocation.change,
              residentId: inst.resident_id,
              installationIds: [previous.installation_id],
            };
            superseded = {
              installationId: previous.installation_id,
              revokedCredentialIds: revoked.map((r) => r.id).sort(),
            };
          }
        }

        await this.insertCredentials(trx, rows);
        const done = await Q.activate.first(trx, now, keyAttestation, installationId);
        if (!done)
          throw new IssuerError('ISSUER_INSTALLATION_STATE', 'the installation left pending meanwhile');
        const result: CompletedInstallation = {
          installation: fromRow(done),
          credentials: rows.map(credentialFromRow),
        };
        if (superseded) result.superseded = superseded;
        if (change) result.change = change;
        return result;
      },
      DURABLE,
    );
  }

  /**
   * Adds credentials to the active installation (the Android family: the record arrives after the
   * certificates, without a new card step — DOMAIN.md §1 "Two phone families"). ISSUER_INSTALLATION_STATE
   * unless the installation is active. On PostgreSQL the installation row is locked (FOR UPDATE) so a
   * concurrent supersession either waits and then revokes these credentials too, or wins and this fails.
   */
  async addCredentials(
    installationId: string,
    credentials: readonly NewCredential[],
    now: number,
  ): Promise<Credential[]> {
    checkInstant(now, 'now');
    return inTransaction(
      this.db,
      async (trx) => {
        let q = trx.selectFrom('installations').selectAll().where('id', '=', installationId);
        if (this.dialect === 'postgres') q = q.forUpdate();
        const inst = await q.executeTakeFirst();
        if (!inst) throw new IssuerError('ISSUER_NOT_FOUND', 'no such installation');
        if (inst.state !== 'active')
          throw new IssuerError('ISSUER_INSTALLATION_STATE', `the installation is ${inst.state}`);
        const rows = credentialRows(credentials, { installationId, residentId: inst.resident_id }, now);
        await this.insertCredentials(trx, rows);
        return rows.map(credentialFromRow);
      },
      DURABLE,
    );
  }

  /** Marks a pending installation failed (compare-and-set); false when it was not pending. */
  async fail(installationId: string, now: number): Promise<boolean> {
    checkInstant(now, 'now');
    const res = await this.db
      .updateTable('installations')
      .set({ state: 'failed', ended_at: now })
      .where('id', '=', installationId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  private async insertCredentials(
    trx: Kysely<IssuerDatabase>,
    rows: ReturnType<typeof credentialRows>,
  ): Promise<void> {
    if (rows.length === 0) return;
    try {
      await trx.insertInto('credentials').values(rows).execute();
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new IssuerError('ISSUER_DUPLICATE', 'a credential with this serial or MSO digest exists', {
          cause: e,
        });
      }
      throw e;
    }
  }
}
