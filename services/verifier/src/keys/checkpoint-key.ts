/**
 * The checkpoint signing key of a verifier started on its own: a P-256 private key (PKCS #8), kept sealed
 * under the verifier's key-encryption key as secret `checkpoint-key` (sealed-secrets.ts:
 * `<dataDir>/verifier/secrets/checkpoint-key.sealed`), and its public key in the clear beside it
 * (`<dataDir>/verifier/checkpoint-key.pub.pem`) for whoever verifies the chains (`mynakit records verify`).
 * A key kept by an earlier version as plain PEM (`checkpoint-key.pem`) is sealed at open and the plain file
 * removed; its public key stays the same, so earlier checkpoints go on verifying.
 *
 * Instances of one deployment that share a PostgreSQL must share this key (ARCHITECTURE.md rule 7) — the
 * same data directory, or its `secrets/` and KEK — or verifyRecordChains with one public key reports the
 * other instances' checkpoints as failing.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VerifierError } from '../errors.js';
import type { LegacySecretFile, VerifierSecrets } from './sealed-secrets.js';

/** The secret's name (sealed-secrets.ts). */
export const CHECKPOINT_KEY_SECRET = 'checkpoint-key';
/** The plain PEM file an earlier version kept the key in, under `<dataDir>/verifier/` (migrated at open). */
export const CHECKPOINT_KEY_FILE = 'checkpoint-key.pem';
/** The public key's file name under `<dataDir>/verifier/`. */
export const CHECKPOINT_PUBLIC_KEY_FILE = 'checkpoint-key.pub.pem';

/** The checkpoint key pair. */
export interface CheckpointKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Where the private key is kept (sealed). */
  readonly file: string;
}

function checkP256(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new VerifierError('VERIFIER_KEY_CORRUPT', 'the checkpoint key is not a P-256 key');
}

/** The plain PEM of an earlier version, as PKCS #8 DER. */
const LEGACY_PEM: LegacySecretFile = {
  file: CHECKPOINT_KEY_FILE,
  decode: (bytes) => {
    try {
      return new Uint8Array(
        createPrivateKey(Buffer.from(bytes).toString('utf8')).export({ type: 'pkcs8', format: 'der' }),
      );
    } catch (e) {
      throw new VerifierError('VERIFIER_KEY_CORRUPT', 'the checkpoint key file is not a private key', {
        cause: e,
      });
    }
  },
};

function keyOf(der: Uint8Array, file: string): CheckpointKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new VerifierError('VERIFIER_KEY_CORRUPT', 'the checkpoint key is not a private key', { cause: e });
  }
  checkP256(privateKey);
  return { privateKey, publicKey: createPublicKey(privateKey), file };
}

/** Reads the checkpoint private key (sealed, or still plain), or undefined when there is none. */
export async function readCheckpointKey(secrets: VerifierSecrets): Promise<CheckpointKey | undefined> {
  const found = await secrets.read(CHECKPOINT_KEY_SECRET, LEGACY_PEM);
  return found === undefined ? undefined : keyOf(found.bytes, found.file);
}

/**
 * Reads the checkpoint key, or creates it — sealed; a plain one from before is sealed and its file
 * removed — and writes its public key beside it when absent.
 */
export async function readOrCreateCheckpointKey(
  dataDir: string,
  secrets: VerifierSecrets,
): Promise<CheckpointKey & { readonly migrated: boolean }> {
  const opened = await secrets.secret(
    CHECKPOINT_KEY_SECRET,
    () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
    },
    LEGACY_PEM,
  );
  const key = keyOf(opened.bytes, opened.file);
  opened.bytes.fill(0);
  try {
    await writeFile(
      join(dataDir, 'verifier', CHECKPOINT_PUBLIC_KEY_FILE),
      key.publicKey.export({ type: 'spki', format: 'pem' }),
      { mode: 0o644, flag: 'wx' },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return { ...key, migrated: opened.migrated };
}
