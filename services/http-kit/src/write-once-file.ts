/**
 * Files written once, atomically, by whichever of several racing writers comes first. Keys, the
 * key-encryption key and CA certificates are created this way, so two instances starting together on one
 * data directory end with the same file, and no reader ever sees a half-written one:
 *
 * 1. the content goes to a private temporary file (`wx`: never someone else's) and is flushed to disk;
 * 2. `link(temporary, final)` publishes it in one step and fails with EEXIST when the final name exists
 *    (unlike `rename`, which would silently replace the winner's file);
 * 3. the temporary name is removed either way; the loser reads the winner's file.
 */
import { randomUUID } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';

/** Writes `data` to `path` unless it exists. True when this call created it, false when it was there. */
export async function writeFileOnce(path: string, data: Uint8Array, mode = 0o600): Promise<boolean> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporary, path);
    return true;
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** The file's bytes, or undefined when it does not exist. */
export async function readFileIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The file at `path`, created with `create()`'s bytes when absent; when another writer wins the race,
 * its bytes.
 */
export async function readOrCreateFile(
  path: string,
  create: () => Uint8Array | Promise<Uint8Array>,
  mode = 0o600,
): Promise<{ readonly bytes: Uint8Array; readonly created: boolean }> {
  const existing = await readFileIfExists(path);
  if (existing !== undefined) return { bytes: existing, created: false };
  const bytes = await create();
  if (await writeFileOnce(path, bytes, mode)) return { bytes, created: true };
  const winner = await readFileIfExists(path);
  if (winner === undefined) throw new Error(`${path} vanished after a racing writer created it`);
  return { bytes: winner, created: false };
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e
    ? String((e as { code: unknown }).code)
    : undefined;
}
