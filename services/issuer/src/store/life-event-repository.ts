import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { IssuerError } from '../errors.js';
import {
  type LifeEventName,
  type LifeEventRule,
  type ResidentField,
  lifeEventRule,
} from '../life-events/life-event-rules.js';
import type { StatusesChanged } from '../revocation/revocation-hub.js';
import type { RevocationReason } from './credential-repository.js';
import { RESIDENT_LIMITS } from './resident-repository.js';
import { RevocationRepository, type RevokedCredential } from './revocation-repository.js';
import type {
  CredentialKind,
  IssuerDatabase,
  LifeEventsTable,
  ResidentSex,
  ResidentsTable,
} from './schema.js';
import { check, checkInstant, codePoints, inTransaction, pageLimit } from './store-support.js';

/**
 * The life events of residents (DOMAIN.md §3–4) and what each did, written in ONE durable transaction:
 * the `life_events` row, the register's change (resident facts, the card's end), the failure of the
 * resident's pending installations, and every revocation through RevocationRepository (CAS, partition
 * versions, the phones' notices). A crash leaves either all of it or none of it. The caller emits
 * `result.change` on deps.hub after commit.
 *
 * Personal data (the new name, address, birth date, sex) goes into the resident row only: never into
 * `life_events.detail`, which names the fields that changed, never their values.
 */

/** New register facts a basic-four event carries (which ones: the rule's `changes`). */
export interface ResidentChanges {
  fullName?: string | undefined;
  fullNameKana?: string | null | undefined;
  address?: string | undefined;
  municipalityCode?: string | undefined;
  municipalityName?: string | undefined;
  sex?: ResidentSex | undefined;
  birthDate?: string | undefined;
}

/** A life event to record. */
export interface NewLifeEvent {
  residentId: string;
  /** An event of the table (life-event-rules.ts); anything else is ISSUER_INVALID_INPUT. */
  event: string;
  /** When it happened (epoch ms); default: when it is recorded. */
  occurredAt?: number;
  changes?: ResidentChanges;
}

/** One credential a life event changed. */
export interface LifeEventCredential {
  id: string;
  kind: CredentialKind;
  /** The reason now in force; for a lifted hold, `certificateHold` (what was lifted). */
  reason: RevocationReason;
}

/** A stored life event. */
export interface LifeEvent {
  id: string;
  residentId: string;
  event: LifeEventName;
  /** The legal basis' stable code (life-event-rules.ts LEGAL_BASES). */
  legalBasis: string;
  /** Credentials revoked or held by the event. */
  revoked: LifeEventCredential[];
  /** Credentials whose hold the event lifted. */
  reinstated: LifeEventCredential[];
  /** The card the event ended, when it ended one. */
  endedCardId: string | null;
  /** Pending installations the event failed (their card step vouched for facts that changed). */
  failedInstallationIds: string[];
  /** The register fields changed (names only). */
  changedFields: ResidentField[];
  occurredAt: number;
  recordedAt: number;
}

/** What `record` did, and the change to emit on the hub after commit. */
export interface RecordedLifeEvent {
  lifeEvent: LifeEvent;
  /** Everything the revocations changed, merged; empty lists when nothing was revoked. */
  change: StatusesChanged;
}

/** One page of a resident's life events, newest first; `next` continues it. */
export interface LifeEventPage {
  lifeEvents: LifeEvent[];
  next?: string;
}

const MAX_PAGE = 100;
const SEXES: ReadonlySet<number> = new Set([1, 2, 3, 9]);
const DURABLE = { durable: true } as const;
const CURSOR = /^(\d{1,16})\.([A-Za-z0-9-]{1,64})$/;

function checkText(text: unknown, max: number, field: string): asserts text is string {
  check(typeof text === 'string' && text.trim() !== '', `${field} must be non-empty text`);
  check(codePoints(text) <= max, `${field} must be at most ${max} characters`);
  check(!/\p{Cc}/u.test(text), `${field} must not contain control characters`);
}

function checkBirthDate(text: unknown): void {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  check(m !== null, 'birthDate must be YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  check(
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d,
    'birthDate must be a calendar date',
  );
}

/**
 * Checks `changes` against the rule (only the rule's fields, at least one; the municipality's code and
 * name together) and builds the resident row update. Messages name fields, never values.
 */
function residentUpdate(
  rule: LifeEventRule,
  changes: ResidentChanges | undefined,
): { update: Updateable<ResidentsTable>; fields: ResidentField[] } {
  const given = changes ?? {};
  check(typeof given === 'object' && given !== null && !Array.isArray(given), 'changes must be an object');
  const fields = Object.keys(given).filter(
    (k) => Object.hasOwn(given, k) && given[k as ResidentField] !== undefined,
  ) as ResidentField[];
  const allowed = new Set<string>(rule.changes);
  check(
    fields.every((f) => allowed.has(f)),
    rule.changes.length === 0
      ? `${rule.event} changes no register facts`
      : `${rule.event} changes only ${rule.changes.join(', ')}`,
  );
  if (rule.changes.length > 0)
    check(
      rule.changes.some((f) => f !== 'fullNameKana' && fields.includes(f)),
      `${rule.event} needs changes.${rule.changes[0]}`,
    );
  const update: Updateable<ResidentsTable> = {};
  if (given.fullName !== undefined) {
    checkText(given.fullName, RESIDENT_LIMITS.nameChars, 'fullName');
    update.full_name = given.fullName;
  }
  if (given.fullNameKana !== undefined) {
    if (given.fullNameKana !== null) checkText(given.fullNameKana, RESIDENT_LIMITS.nameChars, 'fullNameKana');
    update.full_name_kana = given.fullNameKana;
  }
  if (given.address !== undefined) {
    checkText(given.address, RESIDENT_LIMITS.addressChars, 'address');
    update.address = given.address;
  }
  check(
    (given.municipalityCode === undefined) === (given.municipalityName === undefined),
    'municipalityCode and municipalityName go together',
  );
  if (given.municipalityCode !== undefined) {
    check(
      typeof given.municipalityCode === 'string' && /^\d{5,6}$/.test(given.municipalityCode),
      'municipalityCode must be 5 or 6 digits',
    );
    checkText(given.municipalityName, RESIDENT_LIMITS.municipalityNameChars, 'municipalityName');
    update.municipality_code = given.municipalityCode;
    update.municipality_name = given.municipalityName;
  }
  if (given.sex !== undefined) {
    check(SEXES.has(given.sex), 'sex must be 1, 2, 3 or 9');
    update.sex = given.sex;
  }
  if (given.birthDate !== undefined) {
    checkBirthDate(given.birthDate);
    update.birth_date = given.birthDate;
  }
  return { update, fields: fields.sort() };
}

interface Detail {
  revoked: LifeEventCredential[];
  reinstated: LifeEventCredential[];
  endedCardId: string | null;
  failedInstallationIds: string[];
  changedFields: ResidentField[];
}

function fromRow(row: Selectable<LifeEventsTable>): LifeEvent {
  const detail = JSON.parse(row.detail) as Partial<Detail>;
  return {
    id: row.id,
    residentId: row.resident_id,
    event: row.event as LifeEventName,
    legalBasis: row.legal_basis,
    revoked: detail.revoked ?? [],
    reinstated: detail.reinstated ?? [],
    endedCardId: detail.endedCardId ?? null,
    failedInstallationIds: detail.failedInstallationIds ?? [],
    changedFields: detail.changedFields ?? [],
    occurredAt: Number(row.occurred_at),
    recordedAt: Number(row.recorded_at),
  };
}

function merged(changes: readonly StatusesChanged[], residentId: string, at: number): StatusesChanged {
  const crl = new Map<string, { issuerCertificate: string; crlPartition: string }>();
  for (const c of changes)
    for (const p of c.crlPartitions) crl.set(`${p.issuerCertificate}\u0000${p.crlPartition}`, p);
  return {
    residentId,
    installationIds: [...new Set(changes.flatMap((c) => c.installationIds))].sort(),
    statusListPartitions: [...new Set(changes.flatMap((c) => c.statusListPartitions))].sort((a, b) => a - b),
    crlPartitions: [...crl.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v),
    at,
  };
}

function view(revoked: readonly RevokedCredential[]): LifeEventCredential[] {
  return revoked.map((c) => ({ id: c.id, kind: c.kind, reason: c.reason }));
}

/** Life events: record one (everything it does, in one durable transaction), read them back. */
export class LifeEventRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /**
   * Records `input` at `now` and does what its rule says, all in one durable transaction (or the
   * caller's): update the resident's facts, end the active card, fail pending installations, revoke or
   * hold (or lift the hold on) the resident's credentials the rule names — only those that exist, so an
   * under-15 resident loses only the authentication certificate. ISSUER_INVALID_INPUT for an unknown event
   * or changes that do not fit it, ISSUER_NOT_FOUND for an unknown resident. The caller emits
   * `result.change` on deps.hub after commit.
   */
  async record(input: NewLifeEvent, now: number): Promise<RecordedLifeEvent> {
    checkInstant(now, 'now');
    const rule = lifeEventRule(input.event);
    check(typeof input.residentId === 'string' && input.residentId.length <= 64, 'residentId must be an id');
    const occurredAt = input.occurredAt ?? now;
    checkInstant(occurredAt, 'occurredAt');
    const { update, fields } = residentUpdate(rule, input.changes);
    return inTransaction(
      this.db,
      async (trx) => {
        const resident = await trx
          .selectFrom('residents')
          .select('id')
          .where('id', '=', input.residentId)
          .executeTakeFirst();
        if (!resident) throw new IssuerError('ISSUER_NOT_FOUND', 'no such resident');
        if (fields.length > 0)
          await trx.updateTable('residents').set(update).where('id', '=', input.residentId).execute();

        let endedCardId: string | null = null;
        if (rule.endsCard) {
          const ended = await trx
            .updateTable('cards')
            .set({ state: 'revoked', revoked_at: now })
            .where('resident_id', '=', input.residentId)
            .where('state', '=', 'active')
            .returning('id')
            .execute();
          endedCardId = ended[0]?.id ?? null;
        }

        const revocations = new RevocationRepository(trx);
        const candidates = await trx
          .selectFrom('credentials')
          .select(['id', 'kind'])
          .where('resident_id', '=', input.residentId)
          .where((eb) =>
            eb.or([
              eb('state', '=', 'active'),
              eb.and([eb('state', '=', 'revoked'), eb('revocation_reason', '=', 'certificateHold')]),
            ]),
          )
          .orderBy('id')
          .execute();
        const changes: StatusesChanged[] = [];
        const revoked: RevokedCredential[] = [];
        const reinstated: RevokedCredential[] = [];
        if (rule.action === 'reinstate') {
          const done = await revocations.reinstate(
            candidates.map((c) => c.id),
            now,
          );
          reinstated.push(...done.revoked);
          changes.push(done.change);
        } else {
          // One call per reason (a call revokes with one reason); kinds the rule spares stay as they are.
          const byReason = new Map<RevocationReason, string[]>();
          for (const c of candidates) {
            const reason = rule.revokes[c.kind];
            if (reason === null) continue;
            const ids = byReason.get(reason);
            if (ids) ids.push(c.id);
            else byReason.set(reason, [c.id]);
          }
          for (const [reason, ids] of [...byReason.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
            const done = await revocations.revoke(ids, reason, now);
            revoked.push(...done.revoked);
            changes.push(done.change);
          }
        }
        revoked.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

        // A pending installation's card step vouched for the facts (or the card) this event changes. After
        // the revocations: they lock the active installation first, as complete() does (no lock-order cycle).
        const failedInstallationIds: string[] = [];
        if (rule.action === 'revoke') {
          const failed = await trx
            .updateTable('installations')
            .set({ state: 'failed', ended_at: now })
            .where('resident_id', '=', input.residentId)
            .where('state', '=', 'pending')
            .returning('id')
            .execute();
          for (const { id } of failed) {
            await trx.deleteFrom('staged_credentials').where('installation_id', '=', id).execute();
            await trx.deleteFrom('installation_tokens').where('installation_id', '=', id).execute();
            failedInstallationIds.push(id);
          }
          failedInstallationIds.sort();
        }

        const detail: Detail = {
          revoked: view(revoked),
          reinstated: view(reinstated),
          endedCardId,
          failedInstallationIds,
          changedFields: fields,
        };
        const row: LifeEventsTable = {
          id: randomUUID(),
          resident_id: input.residentId,
          event: rule.event,
          legal_basis: rule.legalBasis.code,
          detail: JSON.stringify(detail),
          occurred_at: occurredAt,
          recorded_at: now,
        };
        await trx.insertInto('life_events').values(row).execute();
        return { lifeEvent: fromRow(row), change: merged(changes, input.residentId, now) };
      },
      DURABLE,
    );
  }

  /** The life event, or undefined. */
  async get(id: string): Promise<LifeEvent | undefined> {
    const row = await this.db.selectFrom('life_events').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  /**
   * The resident's life events, newest first (recordedAt, then id, descending), `limit` (1..100, default
   * 20) at a time; `before` is the previous page's `next`.
   */
  async listForResident(
    residentId: string,
    options: { limit?: number; before?: string } = {},
  ): Promise<LifeEventPage> {
    const limit = pageLimit(options.limit, 20, MAX_PAGE);
    let q = this.db
      .selectFrom('life_events')
      .selectAll()
      .where('resident_id', '=', residentId)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (options.before !== undefined) {
      const m = CURSOR.exec(options.before);
      check(m !== null, 'before must be a cursor from a previous page');
      const at = Number(m[1]);
      const id = m[2] as string;
      q = q.where((eb) =>
        eb.or([eb('recorded_at', '<', at), eb.and([eb('recorded_at', '=', at), eb('id', '<', id)])]),
      );
    }
    const rows = await q.execute();
    const page = rows.slice(0, limit).map(fromRow);
    const last = page.at(-1);
    return rows.length > limit && last
      ? { lifeEvents: page, next: `${last.recordedAt}.${last.id}` }
      : { lifeEvents: page };
  }
}
