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
import { type Stats, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { DbError } from './errors.js';

/** Makes the commits made before a call durable. */
export interface DurabilityBarrier {
  /** Resolves once every commit that returned before this call is on disk; rejects with DB_DURABILITY_LOST. */
  flush(): Promise<void>;
  /** fsyncs done so far (each covering every commit before it). */
  readonly syncs: number;
}

/** How one fsync of the log is done (default: the WAL file — or the database when it has none). */
export type SyncFile = () => Promise<void>;

/** The SyncFile of a SQLite database, holding the file it syncs open between syncs: `close` lets it go. */
export interface SqliteWalSync extends SyncFile {
  /** Closes the file held (after the sync running, if any); a later sync opens it again. */
  close(): Promise<void>;
}

/** The default SyncFile for the SQLite database at `databasePath` (its WAL is `<databasePath>-wal`). */
export function syncSqliteWal(databasePath: string): SqliteWalSync {
  // The file synced last, kept open: opening and closing it for every fsync cost more than the fsync's own
  // share of the event loop. Before each sync the path is looked up again (one stat): SQLite may remove the WAL
  // when the last connection closes and create it again, and an fsync must reach the file that holds the
  // commits now — a file at the path that is not the one held (another device or inode; an inode number is not
  // reused while a descriptor keeps the old file alive) is opened instead. No WAL (every frame checkpointed
  // and the file removed): the database file holds the commits. fsync reaches every dirty page of the file,
  // whichever descriptor wrote it; and a write-back error is reported to a descriptor open when it happened,
  // which a descriptor kept open always is.
  let held:
    | { readonly path: string; readonly handle: FileHandle; readonly dev: number; readonly ino: number }
    | undefined;
  let running: Promise<void> = Promise.resolve();

  const release = async (): Promise<void> => {
    const h = held;
    held = undefined;
    await h?.handle.close();
  };
  const current = (path: string): Stats | undefined => {
    try {
      return statSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
  const sync = async (): Promise<void> => {
    for (const path of [`${databasePath}-wal`, databasePath]) {
      const found = current(path);
      if (found === undefined) continue;
      if (held?.path !== path || held.dev !== found.dev || held.ino !== found.ino) {
        await release();
        let handle: FileHandle;
        try {
          handle = await open(path, 'r+');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed since the lookup
          throw e;
        }
        const opened = await handle.stat().catch(async (e) => {
          await handle.close();
          throw e;
        });
        held = { path, handle, dev: opened.dev, ino: opened.ino };
      }
      return held.handle.sync();
    }
    // Neither file: no commit can be made durable (the ENOENT of the database file says why).
    await (await open(databasePath, 'r+')).close();
    throw new Error(`${databasePath} has neither a WAL nor a database file to sync`);
  };

  const run = (): Promise<void> => {
    const next = running.then(sync, sync);
    running = next.catch(() => undefined);
    return next;
  };
  return Object.assign(run, {
    close: (): Promise<void> => {
      const closed = running.then(release);
      running = closed.catch(() => undefined);
      return closed;
    },
  });
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
