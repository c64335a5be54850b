/**
 * The checkpoint signing key of a verifier started on its own: a P-256 private key in PKCS #8 PEM at
 * `<dataDir>/verifier/checkpoint-key.pem`, created once with mode 0600 (owner read/write only), and its
 * public key beside it (`checkpoint-key.pub.pem`) for whoever verifies the chains.
 *
 * Limitation: the key is protected by file permissions only, not encrypted at rest (the issuer's
 * encrypted key source is not shared yet). Instances of one deployment that share a PostgreSQL must share
 * this key file too (ARCHITECTURE.md rule 7), or verifyRecordChains with one public key reports the other
 * instances' checkpoints as failing.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VerifierError } from '../errors.js';

/** The key file's name under `<dataDir>/verifier/`. */
export const CHECKPOINT_KEY_FILE = 'checkpoint-key.pem';
/** The public key's file name under `<dataDir>/verifier/`. */
export const CHECKPOINT_PUBLIC_KEY_FILE = 'checkpoint-key.pub.pem';

/** The checkpoint key pair. */
export interface CheckpointKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Where the private key is. */
  readonly file: string;
}

function checkP256(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new VerifierError('VERIFIER_KEY_CORRUPT', 'the checkpoint key is not a P-256 key');
}

/** Reads the checkpoint private key of `<dataDir>/verifier/`, or undefined when there is none. */
export async function readCheckpointKey(dataDir: string): Promise<CheckpointKey | undefined> {
  const file = join(dataDir, 'verifier', CHECKPOINT_KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (e) {
    throw new VerifierError('VERIFIER_KEY_CORRUPT', 'the checkpoint key file is not a private key', {
      cause: e,
    });
  }
  checkP256(privateKey);
  return { privateKey, publicKey: createPublicKey(privateKey), file };
}

/** Reads the checkpoint key, or creates it (mode 0600) with its public key beside it. */
export async function readOrCreateCheckpointKey(dataDir: string): Promise<CheckpointKey> {
  const found = await readCheckpointKey(dataDir);
  if (found !== undefined) return found;
  const dir = join(dataDir, 'verifier');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const file = join(dir, CHECKPOINT_KEY_FILE);
  try {
    // `wx`: never overwrite a key another process created meanwhile; then read whichever won.
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    await writeFile(
      join(dir, CHECKPOINT_PUBLIC_KEY_FILE),
      publicKey.export({ type: 'spki', format: 'pem' }),
      {
        mode: 0o644,
      },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = await readCheckpointKey(dataDir);
  if (key === undefined) throw new VerifierError('VERIFIER_KEY_CORRUPT', 'the checkpoint key file vanished');
  return key;
}
