import { CompiledQuery, type Kysely, PostgresAdapter } from 'kysely';
import { SQLITE_SYNCHRONOUS } from './store-support.js';

// Run around every relaxed write (several per verification): compiled once, not built and compiled each time.
const SET_LOCAL_ASYNC_COMMIT = CompiledQuery.raw('SET LOCAL synchronous_commit = off');
const RELAX_SQLITE = CompiledQuery.raw('PRAGMA synchronous = NORMAL');
const RESTORE_SQLITE = CompiledQuery.raw(`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`);

/**
 * Runs one write whose loss on a power failure harms no one — opening a session, claiming it — without
 * waiting for the disk, while every other commit of the store stays durable.
 *
 * Why it is safe: a lost session is one the holder opens again; a lost claim leaves a session `open` whose
 * answer then never produced a result (the result is returned only after the durable commit that writes the
 * verification record and completes the session, which compares-and-sets the state again). And the order is
 * kept: on SQLite in WAL mode every commit appends to the one WAL file, so the next durable commit's fsync
 * makes every earlier commit durable too (https://sqlite.org/wal.html); on PostgreSQL `synchronous_commit =
 * off` for one transaction likewise never reorders it after a later durable commit.
 *
 * How: on SQLite the one connection is held for the statements (no other request's commit runs while
 * `synchronous` is NORMAL) and FULL is restored before it is released; on PostgreSQL one transaction with
 * `SET LOCAL synchronous_commit = off`. Inside a transaction already (`db.isTransaction`), `fn` runs in it.
 *
 * Measured in `npm run bench verifier-http`: three fsyncs per verification became one. The verification
 * record's transaction runs here too on a SQLite file, and is then made durable by the store's group commit
 * before anyone learns of it (verification/record-in-transaction.ts): one fsync, off the event loop, for every
 * record committed meanwhile.
 */
export async function withRelaxedDurability<DB, T>(
  db: Kysely<DB>,
  fn: (db: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    return db.transaction().execute(async (trx) => {
      await trx.executeQuery(SET_LOCAL_ASYNC_COMMIT);
      return fn(trx);
    });
  return db.connection().execute(async (connection) => {
    await connection.executeQuery(RELAX_SQLITE);
    try {
      return await fn(connection);
    } finally {
      await connection.executeQuery(RESTORE_SQLITE);
    }
  });
}
