import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@mynakit/db';
import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase, ResidentSex, ResidentsTable } from './schema.js';
import { check, checkInstant, codePoints, inTransaction, PreparedQuery, pageLimit } from './store-support.js';

/** A resident to register. `id` defaults to a random UUID. */
export interface NewResident {
  id?: string;
  /** Surname, U+3000, given name, as registered (before JPKI substitution). */
  fullName: string;
  fullNameKana?: string | null;
  /** From the prefecture, no postal code, at most 200 characters. */
  address: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: ResidentSex;
  /** 5 digits, or 6 with the check digit. */
  municipalityCode: string;
  municipalityName: string;
}

/** A registered resident. */
export interface Resident {
  id: string;
  fullName: string;
  fullNameKana: string | null;
  address: string;
  birthDate: string;
  sex: ResidentSex;
  municipalityCode: string;
  municipalityName: string;
  createdAt: number;
}

/** One page of residents, in id order; `next` is the cursor of the following page, absent on the last. */
export interface ResidentPage {
  residents: Resident[];
  next?: string;
}

/** Limits of a resident's fields: the JPKI address is at most 200 characters (DOMAIN.md §3). */
export const RESIDENT_LIMITS = {
  nameChars: 200,
  addressChars: 200,
  municipalityNameChars: 64,
  idChars: 64,
} as const;

const SEXES: ReadonlySet<number> = new Set([1, 2, 3, 9]);
const ID = /^[A-Za-z0-9_-]+$/;
const MAX_PAGE = 1000;
/**
 * Rows per INSERT of bulkInsert: 9 parameters a row stays far below SQLite's 32766 and PostgreSQL's 65535
 * bound parameters; larger statements gained nothing measurable.
 */
const DEFAULT_BATCH = 1000;
const MAX_BATCH = 3000;

function checkDate(text: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  check(m !== null, 'birthDate must be YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  check(
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d,
    'birthDate must be a calendar date',
  );
}

function checkText(text: string, max: number, field: string): void {
  check(typeof text === 'string' && text.trim() !== '', `${field} must be non-empty text`);
  check(codePoints(text) <= max, `${field} must be at most ${max} characters`);
  check(!/\p{Cc}/u.test(text), `${field} must not contain control characters`);
}

/** Validates a new resident and turns it into its row. */
const byId = new PreparedQuery<[string], Selectable<ResidentsTable>>((db, slot) =>
  db.selectFrom('residents').selectAll().where('id', '=', slot(0)),
);

function toRow(input: NewResident, createdAt: number): ResidentsTable {
  const id = input.id ?? randomUUID();
  check(ID.test(id) && id.length <= RESIDENT_LIMITS.idChars, 'id must be [A-Za-z0-9_-], at most 64');
  checkText(input.fullName, RESIDENT_LIMITS.nameChars, 'fullName');
  const kana = input.fullNameKana ?? null;
  if (kana !== null) checkText(kana, RESIDENT_LIMITS.nameChars, 'fullNameKana');
  checkText(input.address, RESIDENT_LIMITS.addressChars, 'address');
  checkDate(input.birthDate);
  check(SEXES.has(input.sex), 'sex must be 1, 2, 3 or 9');
  check(/^\d{5,6}$/.test(input.municipalityCode), 'municipalityCode must be 5 or 6 digits');
  checkText(input.municipalityName, RESIDENT_LIMITS.municipalityNameChars, 'municipalityName');
  return {
    id,
    full_name: input.fullName,
    full_name_kana: kana,
    address: input.address,
    birth_date: input.birthDate,
    sex: input.sex,
    municipality_code: input.municipalityCode,
    municipality_name: input.municipalityName,
    created_at: createdAt,
  };
}

/** The bound parameters of a multi-row INSERT of these rows: row after row, columns in the row objects' order. */
function parametersOf(rows: readonly ResidentsTable[]): unknown[] {
  const out: unknown[] = [];
  for (const r of rows) {
    out.push(
      r.id,
      r.full_name,
      r.full_name_kana,
      r.address,
      r.birth_date,
      r.sex,
      r.municipality_code,
      r.municipality_name,
      r.created_at,
    );
  }
  return out;
}

function sameParameters(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function fromRow(row: Selectable<ResidentsTable>): Resident {
  return {
    id: row.id,
    fullName: row.full_name,
    fullNameKana: row.full_name_kana,
    address: row.address,
    birthDate: row.birth_date,
    sex: Number(row.sex) as ResidentSex,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    createdAt: Number(row.created_at),
  };
}

/** The resident register: residents by id, paged listing, and bulk loading for national-scale tests. */
export class ResidentRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /** Registers one resident. Throws ISSUER_INVALID_INPUT for a field out of its domain, ISSUER_DUPLICATE for a taken id. */
  async create(input: NewResident, now: number): Promise<Resident> {
    checkInstant(now, 'now');
    const row = toRow(input, now);
    try {
      await this.db.insertInto('residents').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e))
        throw new IssuerError('ISSUER_DUPLICATE', 'a resident with this id exists', { cause: e });
      throw e;
    }
    return fromRow(row);
  }

  /** The resident, or undefined. */
  async get(id: string): Promise<Resident | undefined> {
    const row = await byId.first(this.db, id);
    return row && fromRow(row);
  }

  /** Residents in id order after the cursor `after` (keyset paging: stable under concurrent inserts). */
  async list(options: { limit?: number; after?: string } = {}): Promise<ResidentPage> {
    const limit = pageLimit(options.limit, 100, MAX_PAGE);
    let q = this.db
      .selectFrom('residents')
      .selectAll()
      .orderBy('id')
      .limit(limit + 1);
    if (options.after !== undefined) q = q.where('id', '>', options.after);
    const rows = await q.execute();
    const page = rows.slice(0, limit).map(fromRow);
    const last = page.at(-1);
    return rows.length > limit && last ? { residents: page, next: last.id } : { residents: page };
  }

  /** How many residents are registered. */
  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Registers many residents in one transaction, as multi-row INSERTs of `batchSize` rows (default 1000), so
   * 10^6 rows load in seconds. Takes any (async) iterable, so a generator need not hold them in memory.
   * All or nothing: an invalid row (ISSUER_INVALID_INPUT) or a taken id (ISSUER_DUPLICATE) rolls every
   * row back. Returns how many rows were inserted.
   */
  async bulkInsert(
    rows: Iterable<NewResident> | AsyncIterable<NewResident>,
    options: { now: number; batchSize?: number },
  ): Promise<number> {
    checkInstant(options.now, 'now');
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    check(
      Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_BATCH,
      `batchSize must be an integer in 1..${MAX_BATCH}`,
    );
    try {
      return await inTransaction(this.db, async (trx) => {
        let inserted = 0;
        let batch: ResidentsTable[] = [];
        // Compiling a 1000-row INSERT costs about as much as a tenth of running it: full batches reuse the
        // statement compiled for the first one, with their own parameters (checked once to be in the same order).
        let fullBatch: CompiledQuery | undefined;
        const insert = async () => {
          if (batch.length === batchSize && fullBatch) {
            await trx.executeQuery({ ...fullBatch, parameters: parametersOf(batch) });
          } else {
            const compiled = trx.insertInto('residents').values(batch).compile();
            if (batch.length === batchSize && sameParameters(compiled.parameters, parametersOf(batch))) {
              fullBatch = compiled;
            }
            await trx.executeQuery(compiled);
          }
          inserted += batch.length;
          batch = [];
        };
        for await (const input of rows) {
          batch.push(toRow(input, options.now));
          if (batch.length === batchSize) await insert();
        }
        if (batch.length > 0) await insert();
        return inserted;
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new IssuerError('ISSUER_DUPLICATE', 'a resident id is taken', { cause: e });
      throw e;
    }
  }
}
