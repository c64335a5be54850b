/**
 * A hot query built and compiled once per SQL dialect, then run with each call's values — Kysely's "execute
 * compiled queries" recipe (`db.executeQuery(compiledQuery)`,
 * https://kysely.dev/docs/recipes/splitting-query-building-and-execution) with the values swapped in.
 *
 * Why: building a query (immutable, frozen operation nodes) and compiling it to SQL cost more than running a
 * small indexed statement on SQLite, for every request.
 *
 * How: `build` is called once per dialect with a stand-in for each argument — for an argument that is a plain
 * object (a row to insert), an object of the same keys holding a stand-in each; the compiled SQL keeps a
 * placeholder wherever a stand-in went (Kysely passes every value as a parameter, never inlined in the text),
 * and each run passes that SQL with the stand-ins replaced by the call's values, in place. The query runs on
 * whatever `db` is given — the store or a transaction — since each compiles with its own dialect's adapter.
 *
 * Rules for `build`: its arguments are only values of the query (`where(col, '=', arg)`, `values(row)`,
 * `set({col: arg})`) — never inspected, branched on or combined in JavaScript; an object argument has the same
 * keys on every call. A stand-in that does not reach the parameters is refused when the query is compiled, and
 * an object argument with other keys when it runs (DB_INVALID_OPTION): a misuse fails at once, not silently.
 * Plugins transform the query once, when it is compiled; one that pairs a result with the query it saw by
 * query id (none of Kysely's own) would not find it.
 */
import { type Compilable, type CompiledQuery, createQueryId, type Kysely, type QueryResult } from 'kysely';
import { DbError } from './errors.js';

/** What a stand-in is while the query is compiled: the argument (and its key) it stands for. */
class StandIn {
  constructor(
    readonly index: number,
    readonly key: string | undefined,
  ) {}
}

/** Runs the query on `db` (the store's database or a transaction) with `args` as its values. */
export type ReusableQuery<DB, A extends readonly unknown[], R> = (
  db: Kysely<DB>,
  ...args: A
) => Promise<QueryResult<R>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

interface Compiled<R> {
  readonly query: CompiledQuery<R>;
  /** Per argument: the keys of an object argument, undefined for a value. */
  readonly shapes: readonly (readonly string[] | undefined)[];
}

/** The compilation for one adapter and plugin list so far, and the entries for one more plugin. */
interface CompiledFor<R> {
  compiled?: Compiled<R>;
  readonly next: WeakMap<object, CompiledFor<R>>;
}

/** `build` compiled once per dialect (see the file comment). */
export function reusableQuery<DB, A extends readonly unknown[], R>(
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): ReusableQuery<DB, A, R> {
  // Keyed by the dialect's adapter, then by each plugin in order (plugins transform the query as it is
  // compiled): a transaction has its database's adapter and plugins (in a copied list, hence not the list).
  const compiled = new WeakMap<object, CompiledFor<R>>();
  const compile = (db: Kysely<DB>, args: A): Compiled<R> => {
    const shapes = args.map((a) => (isPlainObject(a) ? definedKeys(a) : undefined));
    const standIns = shapes.map((keys, i) =>
      keys === undefined
        ? new StandIn(i, undefined)
        : Object.fromEntries(keys.map((key) => [key, new StandIn(i, key)])),
    );
    const query = build(db, ...(standIns as unknown as A)).compile();
    const reached = new Set(
      query.parameters.filter((p): p is StandIn => p instanceof StandIn).map((p) => `${p.index}.${p.key}`),
    );
    const expected = shapes.flatMap((keys, i) =>
      keys === undefined ? [`${i}.undefined`] : keys.map((key) => `${i}.${key}`),
    );
    if (reached.size !== expected.length || !expected.every((e) => reached.has(e)))
      throw new DbError('DB_INVALID_OPTION', 'every argument of a reusable query must be one of its values');
    return { query, shapes };
  };
  return async (db, ...args) => {
    const executor = db.getExecutor();
    let node = compiled.get(executor.adapter);
    if (node === undefined) {
      node = { next: new WeakMap() };
      compiled.set(executor.adapter, node);
    }
    for (const plugin of executor.plugins) {
      let next = node.next.get(plugin);
      if (next === undefined) {
        next = { next: new WeakMap() };
        node.next.set(plugin, next);
      }
      node = next;
    }
    node.compiled ??= compile(db, args);
    const found = node.compiled;
    const { query, shapes } = found;
    if (args.length !== shapes.length)
      throw new DbError('DB_INVALID_OPTION', 'a reusable query takes the same arguments on every call');
    for (let i = 0; i < shapes.length; i++) {
      const keys = shapes[i];
      const arg = args[i];
      if (keys === undefined ? isPlainObject(arg) : !isPlainObject(arg) || !sameKeys(arg, keys))
        throw new DbError('DB_INVALID_OPTION', 'a reusable query takes the same arguments on every call');
    }
    const parameters = query.parameters.map((p) =>
      p instanceof StandIn
        ? p.key === undefined
          ? args[p.index]
          : (args[p.index] as Record<string, unknown>)[p.key]
        : p,
    );
    return db.executeQuery<R>({ ...query, parameters, queryId: createQueryId() });
  };
}

/** The keys whose value is defined: Kysely leaves a column out of an insert or update when its value is undefined. */
function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

function sameKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key) && value[key] !== undefined) count++;
  return count === keys.length && keys.every((key) => Object.hasOwn(value, key) && value[key] !== undefined);
}
