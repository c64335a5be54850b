/**
 * Group commit for SQLite in WAL mode: many commits made durable by one fsync, off the event loop.
 *
 * With `synchronous = FULL` SQLite fsyncs the write-ahead log inside every COMMIT; better-sqlite3 is
 * synchronous, so each fsync stalls every request of the process, one commit at a time. The same guarantee can
 * be had in two steps: commit with `synchronous = NORMAL` (the frames are written to the WAL, not yet synced),
 * then fsync the WAL file before anyone is told the commit happened. The WAL is one file appended in commit
 * order (https://sqlite.org/wal.html), so one fsync makes every commit written before it durable: concurrent
 * commits share it, and it runs on libuv's thread pool while the event loop serves the next requests. A
 * checkpoint under NORMAL still syncs the WAL before copying it and the database after
 * (https://sqlite.org/pragma.html#pragma_synchronous), so frames are never dropped before they are durable
 * in the database file.
 *
 * Rules: a caller awaits `flush()` after its commit returned and before it reports the commit to anyone; a
 * flush never resolves with an fsync that started before the call (a commit made while an fsync runs waits for
 * the next one, shared by every commit made meanwhile). An fsync that fails breaks the barrier for good
 * (`DB_DURABILITY_LOST` from then on): after a failed fsync Linux may drop the dirty pages and report the next
 * fsync as a success, so no later commit could be trusted (PostgreSQL stops for the same reason).
 */
import { open } from 'node:fs/promises';
import { DbError } from './errors.js';

/** Makes the commits made before a call durable. */
export interface DurabilityBarrier {
  /** Resolves once every commit that returned before this call is on disk; rejects with DB_DURABILITY_LOST. */
  flush(): Promise<void>;
  /** fsyncs done so far (each covering every commit before it). */
  readonly syncs: number;
}

/** How one fsync of the log is done (default: open the WAL file — or the database when it has none — sync, close). */
export type SyncFile = () => Promise<void>;

/** The default SyncFile for the SQLite database at `databasePath` (its WAL is `<databasePath>-wal`). */
export function syncSqliteWal(databasePath: string): SyncFile {
  return async () => {
    // Opened for each sync: SQLite may remove the WAL when the last connection closes and create it again,
    // and an fsync must reach the file that holds the commits now. No WAL (every frame checkpointed and the
    // file removed): the database file holds the commits.
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(`${databasePath}-wal`, 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      handle = await open(databasePath, 'r+');
    }
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
}

/** A barrier over `sync` (see the file comment). */
export function walGroupCommit(sync: SyncFile): DurabilityBarrier {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let broken: DbError | undefined;
  let syncs = 0;

  const start = (): Promise<void> => {
    // Declared first: a `sync` that throws at once reaches the `finally` before the assignment below.
    let done: Promise<void> | undefined;
    done = (async () => {
      if (broken) throw broken;
      try {
        await sync();
        syncs++;
      } catch (cause) {
        broken = new DbError('DB_DURABILITY_LOST', 'an fsync of the write-ahead log failed', { cause });
        throw broken;
      } finally {
        if (running === done) running = undefined;
      }
    })();
    running = done;
    return done;
  };

  return {
    flush() {
      if (broken) return Promise.reject(broken);
      if (running === undefined) return start();
      // The running fsync may have started before this caller's commit: it needs the next one, which every
      // caller arriving before that one starts shares.
      if (queued === undefined) {
        const after = () => {
          queued = undefined;
          return start();
        };
        queued = running.then(after, after);
      }
      return queued;
    },
    get syncs() {
      return syncs;
    },
  };
}
