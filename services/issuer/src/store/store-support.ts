import { createHash } from 'node:crypto';
import {
  type CompiledQuery,
  type Compilable,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  sql,
  type Transaction,
} from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase } from './schema.js';

/**
 * SQLite durability (https://sqlite.org/pragma.html#pragma_synchronous, https://sqlite.org/wal.html).
 * The issuer's SQLite file runs in WAL mode with `synchronous = NORMAL`, the usual server setting: a commit
 * appends to the write-ahead log without waiting for the disk, and the log is synced at each checkpoint.
 * The database never corrupts, and a commit survives a crash of the process; what a power loss or an OS
 * crash may take back is the last commits before it. That is acceptable for what most commits record —
 * challenges, nonces, tokens, offers, a pending installation, the event log: each is short-lived, and its
 * loss only makes a holder repeat a step.
 *
 * It is not acceptable for a commit that hands out or takes back a credential: a certificate or record
 * recorded as issued (and already sent to the phone), a device slot taken, a revocation. Those run in a
 * *durable* transaction (`synchronous = FULL` for its commit: the log is synced before the commit returns),
 * so once the issuer has answered, the register holds them across a power loss too. SQLite refuses to change
 * the setting inside a transaction, so a durable transaction reserves the single connection, raises the
 * setting, runs, and lowers it again. PostgreSQL commits durably by default (`synchronous_commit = on`).
 */
export const SQLITE_SYNCHRONOUS = 'NORMAL';

/** Options of inTransaction. */
export interface TransactionOptions {
  /**
   * The commit must be on disk before it returns (see SQLITE_SYNCHRONOUS): transactions that record issued
   * credentials or revoke anything. Ignored inside a caller's transaction — the caller's decides.
   */
  readonly durable?: boolean;
}

/** Whether `db` runs on SQLite. */
export function isSqlite(db: Kysely<IssuerDatabase>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` already is one (IssuerStore.transaction
 * hands repositories a transaction; Kysely does not nest them). Inside the caller's transaction on
 * PostgreSQL a failed statement aborts the caller's whole transaction — which is what a caller that grouped
 * steps wants.
 */
export function inTransaction<T>(
  db: Kysely<IssuerDatabase>,
  fn: (trx: Kysely<IssuerDatabase>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db.isTransaction) return fn(db);
  const run = (on: Kysely<IssuerDatabase>) =>
    on.transaction().execute((trx: Transaction<IssuerDatabase>) => fn(trx));
  return options.durable === true ? durably(db, run) : run(db);
}

/**
 * Runs `fn` so that every commit it makes is on disk before it returns (see SQLITE_SYNCHRONOUS): on SQLite,
 * outside a transaction, with the single connection reserved and `synchronous = FULL` meanwhile. On
 * PostgreSQL, and inside a caller's transaction (whose commit the caller owns), `fn` runs as it is.
 */
export function durably<T>(
  db: Kysely<IssuerDatabase>,
  fn: (db: Kysely<IssuerDatabase>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction || !isSqlite(db)) return fn(db);
  return db.connection().execute(async (connection) => {
    await sql`PRAGMA synchronous = FULL`.execute(connection);
    try {
      return await fn(connection);
    } finally {
      await sql.raw(`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`).execute(connection);
    }
  });
}

/** SHA-256 of a secret's UTF-8 bytes, lower-case hex: how codes and tokens are stored (never in clear). */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The bytes as a Buffer view (no copy): better-sqlite3 binds Buffers, not every Uint8Array. */
export function toDriverBytes(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Throws ISSUER_INVALID_INPUT unless `ok`; `message` names the field, never its value (it may be personal). */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new IssuerError('ISSUER_INVALID_INPUT', message);
}

/** An instant: an integer count of milliseconds since the epoch. */
export function checkInstant(value: number, field: string): void {
  check(Number.isSafeInteger(value) && value >= 0, `${field} must be epoch milliseconds`);
}

/** Code points in a string (a surrogate pair counts once). */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A page size within [1, max], default `fallback`. */
export function pageLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  check(Number.isInteger(limit) && limit >= 1 && limit <= max, `limit must be an integer in 1..${max}`);
  return limit;
}

/** Marks a value slot while a PreparedQuery is built; a string no caller sends as a value. */
const SLOT_PREFIX = '\u0000mynakit-slot:';

/**
 * Stands for the value of argument `index` while a PreparedQuery is built. Typed `never` so it fits any
 * column; the query's argument tuple type says what the values are.
 */
export type Slot = (index: number) => never;

interface QueryTemplate {
  readonly compiled: CompiledQuery;
  /** Per compiled parameter: the argument index it takes, or the constant the builder wrote. */
  readonly parameters: readonly ({ readonly argument: number } | { readonly constant: unknown })[];
}

/**
 * A query of the hot path, built and compiled once per dialect and then run with new values: Kysely builds
 * an immutable operation tree and compiles it to SQL on every call, which costs more than the indexed
 * look-up it runs. The builder writes `slot(i)` where argument `i` goes; compiling it with markers there
 * tells which compiled parameter takes which argument (constants the builder wrote stay as they are). The
 * SQL text is therefore the same on every call, and SQLite's prepared statement is reused (@mynakit/db).
 * Only for queries whose SQL does not depend on the values (no lists of varying length).
 */
export class PreparedQuery<A extends readonly unknown[], O> {
  readonly #build: (db: Kysely<IssuerDatabase>, slot: Slot) => Compilable<O>;
  /** Templates by dialect adapter (a transaction shares its database's adapter). */
  readonly #templates = new WeakMap<object, QueryTemplate>();

  constructor(build: (db: Kysely<IssuerDatabase>, slot: Slot) => Compilable<O>) {
    this.#build = build;
  }

  /** Runs the query on `db` (the database or a transaction) with `args` in its slots. */
  async run(db: Kysely<IssuerDatabase>, ...args: A): Promise<QueryResult<O>> {
    const template = this.#template(db);
    const parameters = template.parameters.map((p) => ('argument' in p ? args[p.argument] : p.constant));
    return db.executeQuery<O>({ ...template.compiled, parameters } as CompiledQuery<O>);
  }

  /** The rows the query returns. */
  async rows(db: Kysely<IssuerDatabase>, ...args: A): Promise<O[]> {
    return (await this.run(db, ...args)).rows;
  }

  /** The first row the query returns, or undefined. */
  async first(db: Kysely<IssuerDatabase>, ...args: A): Promise<O | undefined> {
    return (await this.run(db, ...args)).rows[0];
  }

  /** How many rows an UPDATE or DELETE changed. */
  async changes(db: Kysely<IssuerDatabase>, ...args: A): Promise<number> {
    return Number((await this.run(db, ...args)).numAffectedRows ?? 0n);
  }

  #template(db: Kysely<IssuerDatabase>): QueryTemplate {
    const adapter = db.getExecutor().adapter;
    const known = this.#templates.get(adapter);
    if (known !== undefined) return known;
    const slot = ((index: number) => `${SLOT_PREFIX}${index}`) as unknown as Slot;
    const compiled = this.#build(db, slot).compile();
    const parameters = compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SLOT_PREFIX)
        ? { argument: Number(p.slice(SLOT_PREFIX.length)) }
        : { constant: p },
    );
    const template = { compiled, parameters };
    this.#templates.set(adapter, template);
    return template;
  }
}
