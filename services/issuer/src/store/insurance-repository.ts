import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@mynakit/db';
import type { Kysely, Selectable } from 'kysely';
import { IssuerError } from '../errors.js';
import type { InsuranceQualificationsTable, IssuerDatabase } from './schema.js';
import { check, checkInstant, PreparedQuery } from './store-support.js';

/**
 * The sandbox's insurer registry (DOMAIN.md §3 "Health insurance"): each resident's health-insurance
 * qualification (資格), which a clinic's online qualification confirmation (オンライン資格確認) answers once the
 * holder identified themself with the user-authentication certificate (src/insurance/). A resident may hold
 * several rows over time (a change of insurer, a new copayment bracket); the one in force on a day is the
 * latest whose validity covers it.
 */

/** A qualification to register. */
export interface NewQualification {
  /** A stable id (the sandbox seed's, so racing instances collide instead of doubling); default a random UUID. */
  id?: string;
  residentId: string;
  /** 保険者番号: 6 digits (国民健康保険) or 8 digits. */
  insurerNumber: string;
  /** 記号 (1–20 characters). */
  symbol: string;
  /** 番号 (1–20 characters). */
  number: string;
  /** 枝番: 2 digits, when issued. */
  branch?: string | null;
  /** 一部負担金割合 in percent: 10, 20 or 30. */
  copaymentPercent: number;
  /** `YYYY-MM-DD`. */
  validFrom: string;
  /** `YYYY-MM-DD` (inclusive), or null when open-ended. */
  validUntil?: string | null;
}

/** A stored qualification. */
export interface Qualification {
  id: string;
  residentId: string;
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string | null;
  copaymentPercent: number;
  validFrom: string;
  validUntil: string | null;
  createdAt: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COPAYMENTS: ReadonlySet<number> = new Set([10, 20, 30]);

function fromRow(r: Selectable<InsuranceQualificationsTable>): Qualification {
  return {
    id: r.id,
    residentId: r.resident_id,
    insurerNumber: r.insurer_number,
    symbol: r.symbol,
    number: r.number,
    branch: r.branch,
    copaymentPercent: Number(r.copayment_percent),
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    createdAt: Number(r.created_at),
  };
}

const Q = {
  inForce: new PreparedQuery<[residentId: string, day: string], Selectable<InsuranceQualificationsTable>>(
    (db, slot) =>
      db
        .selectFrom('insurance_qualifications')
        .selectAll()
        .where('resident_id', '=', slot(0))
        // `YYYY-MM-DD` texts compare as the days they name, on both dialects.
        .where('valid_from', '<=', slot(1))
        .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', slot(1))]))
        .orderBy('valid_from', 'desc')
        .orderBy('created_at', 'desc')
        .limit(1),
  ),
};

/** The insurer registry's qualifications. */
export class InsuranceRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /**
   * Registers a qualification. ISSUER_INVALID_INPUT for values out of their domain, ISSUER_DUPLICATE when
   * the id is taken.
   */
  async create(input: NewQualification, now: number): Promise<Qualification> {
    checkInstant(now, 'now');
    check(/^(\d{6}|\d{8})$/.test(input.insurerNumber), 'insurerNumber must be 6 or 8 digits');
    check(
      typeof input.symbol === 'string' && input.symbol.length >= 1 && input.symbol.length <= 20,
      'symbol must be 1..20 characters',
    );
    check(
      typeof input.number === 'string' && input.number.length >= 1 && input.number.length <= 20,
      'number must be 1..20 characters',
    );
    const branch = input.branch ?? null;
    check(branch === null || /^\d{2}$/.test(branch), 'branch must be 2 digits');
    check(COPAYMENTS.has(input.copaymentPercent), 'copaymentPercent must be 10, 20 or 30');
    const validUntil = input.validUntil ?? null;
    check(DAY.test(input.validFrom), 'validFrom must be YYYY-MM-DD');
    check(
      validUntil === null || (DAY.test(validUntil) && validUntil >= input.validFrom),
      'validUntil must be YYYY-MM-DD, not before validFrom',
    );
    const row = {
      id: input.id ?? randomUUID(),
      resident_id: input.residentId,
      insurer_number: input.insurerNumber,
      symbol: input.symbol,
      number: input.number,
      branch,
      copayment_percent: input.copaymentPercent,
      valid_from: input.validFrom,
      valid_until: validUntil,
      created_at: now,
    };
    check(
      typeof row.id === 'string' && row.id.length >= 1 && row.id.length <= 128,
      'id must be 1..128 characters',
    );
    try {
      await this.db.insertInto('insurance_qualifications').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e))
        throw new IssuerError('ISSUER_DUPLICATE', 'a qualification with this id exists', { cause: e });
      throw e;
    }
    return fromRow(row);
  }

  /** The resident's qualification in force on `day` (`YYYY-MM-DD`), or undefined. */
  async inForce(residentId: string, day: string): Promise<Qualification | undefined> {
    check(DAY.test(day), 'day must be YYYY-MM-DD');
    const row = await Q.inForce.first(this.db, residentId, day);
    return row && fromRow(row);
  }

  /** How many qualifications the resident has (any validity): seeding adds one only to those with none. */
  async countForResident(residentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('insurance_qualifications')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('resident_id', '=', residentId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
