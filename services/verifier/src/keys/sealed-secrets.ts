/**
 * The verifier's secrets at rest — the checkpoint signing key, the key that seals sessions' HPKE keys
 * (`session-kek`) and the key that seals relying parties' reader keys (`reader-kek`) — each sealed with
 * AES-256-GCM under the verifier's key-encryption key (KEK), in the format and with the KEK handling the
 * issuer uses for its signing keys (@mynakit/http-kit sealSecret, openKeyEncryptionKey):
 *
 *   `<dataDir>/verifier/secrets/<name>.sealed`  version ‖ IV ‖ ciphertext ‖ tag, AAD "mynakit verifier secret <name>"
 *   `<dataDir>/verifier/secrets/kek-check`      a fixed text sealed under the first KEK this store saw
 *   `<dataDir>/verifier/kek`                    the KEK, generated once (mode 0600) — only when none is configured
 *
 * The KEK comes from the deployment (`MYNAKIT_KEK`, 32 bytes base64url) or is generated once into the data
 * directory. Opening with another KEK than the store was created with fails at once with
 * VERIFIER_KEY_WRONG_KEK (nothing is printed of either key); a KEK that is not 32 bytes is
 * VERIFIER_KEY_INVALID_KEK; a sealed file that does not open is VERIFIER_KEY_CORRUPT. Every file is written
 * once, atomically, so instances starting together on one data directory end with the same secrets.
 *
 * A data directory from before keeps working: a secret still kept as a plain file (`checkpoint-key.pem`,
 * `session-kek`, `reader-kek` under `<dataDir>/verifier/`) is migrated at open — sealed with its value
 * unchanged, and the plain file then removed — so sessions, reader keys and record chains made before go on
 * verifying.
 */
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeKek,
  KEK_LENGTH,
  openKeyEncryptionKey,
  readFileIfExists,
  sealSecret,
  unsealSecret,
  writeFileOnce,
} from '@mynakit/http-kit';
import { VerifierError } from '../errors.js';

/** The directory of the sealed secrets, under `<dataDir>/verifier/`. */
export const SECRETS_DIR = 'secrets';
/** The generated KEK's file under `<dataDir>/verifier/` (absent when the KEK is configured). */
export const KEK_FILE = 'kek';
const CONTEXT_PREFIX = 'mynakit verifier secret ';
const NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** Options of VerifierSecrets.open. */
export interface VerifierSecretsOptions {
  /** `MYNAKIT_DATA_DIR`: secrets under `<dataDir>/verifier/secrets/`. */
  readonly dataDir: string;
  /** The KEK: 32 bytes, or their base64url text (`MYNAKIT_KEK`). Absent: `<dataDir>/verifier/kek`. */
  readonly kek?: Uint8Array | string;
}

/** A plain file a secret was kept in before it was sealed, and how its bytes become the secret. */
export interface LegacySecretFile {
  /** The file's name under `<dataDir>/verifier/`. */
  readonly file: string;
  /** The secret from the file's bytes; throws (VERIFIER_KEY_CORRUPT) when they are not one. */
  readonly decode: (bytes: Uint8Array) => Uint8Array;
}

/** A secret as opened. */
export interface OpenedSecret {
  readonly bytes: Buffer;
  /** Where it is kept. */
  readonly file: string;
  /** True when it was found as a plain file and sealed by this open. */
  readonly migrated: boolean;
}

/** The verifier's sealed secrets (see the file comment). */
export class VerifierSecrets {
  readonly #kek: Buffer;
  readonly #verifierDir: string;
  /** Where the sealed files are. */
  readonly dir: string;
  /** `configured` (MYNAKIT_KEK) or `file` (`<dataDir>/verifier/kek`). */
  readonly kekSource: 'configured' | 'file';

  private constructor(verifierDir: string, kek: Buffer, kekSource: 'configured' | 'file') {
    this.#verifierDir = verifierDir;
    this.dir = join(verifierDir, SECRETS_DIR);
    this.#kek = kek;
    this.kekSource = kekSource;
  }

  /** Opens (creating on first use) the secrets of a data directory under its KEK. */
  static async open(options: VerifierSecretsOptions): Promise<VerifierSecrets> {
    let kek: Uint8Array | undefined;
    if (typeof options.kek === 'string') {
      kek = decodeKek(options.kek);
      if (kek === undefined)
        throw new VerifierError(
          'VERIFIER_KEY_INVALID_KEK',
          `the KEK must be ${KEK_LENGTH} bytes in base64url`,
        );
    } else kek = options.kek;
    const verifierDir = join(options.dataDir, 'verifier');
    const dir = join(verifierDir, SECRETS_DIR);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const opened = await openKeyEncryptionKey({
      ...(kek === undefined ? {} : { kek }),
      kekFile: join(verifierDir, KEK_FILE),
      checkFile: join(dir, 'kek-check'),
      service: 'verifier',
    });
    if (!opened.ok)
      throw opened.reason === 'wrong-kek'
        ? new VerifierError(
            'VERIFIER_KEY_WRONG_KEK',
            "the key-encryption key is not the one this verifier's secrets were sealed with",
          )
        : new VerifierError(
            'VERIFIER_KEY_INVALID_KEK',
            opened.reason === 'invalid-kek'
              ? `the KEK must be ${KEK_LENGTH} bytes`
              : `the stored KEK file is not ${KEK_LENGTH} bytes`,
          );
    return new VerifierSecrets(verifierDir, opened.kek, opened.source);
  }

  /** The secret `name` when it exists (sealed, or still plain in `legacy`), else undefined. Nothing is written. */
  async read(name: string, legacy?: LegacySecretFile): Promise<OpenedSecret | undefined> {
    const sealed = await this.#readSealed(name);
    if (sealed !== undefined) return { bytes: sealed, file: this.#path(name), migrated: false };
    if (legacy === undefined) return undefined;
    const plain = await readFileIfExists(join(this.#verifierDir, legacy.file));
    return plain === undefined
      ? undefined
      : {
          bytes: Buffer.from(legacy.decode(plain)),
          file: join(this.#verifierDir, legacy.file),
          migrated: false,
        };
  }

  /**
   * The secret `name`: the sealed one; else the plain `legacy` file's, sealed now and the plain file removed;
   * else `make()`'s, sealed. When another instance stores it first, its value is the secret.
   */
  async secret(name: string, make: () => Uint8Array, legacy?: LegacySecretFile): Promise<OpenedSecret> {
    const file = this.#path(name);
    const existing = await this.#readSealed(name);
    if (existing !== undefined) {
      if (legacy !== undefined) await this.#removePlain(legacy, existing);
      return { bytes: existing, file, migrated: false };
    }
    const plain =
      legacy === undefined ? undefined : await readFileIfExists(join(this.#verifierDir, legacy.file));
    const value = plain === undefined || legacy === undefined ? make() : legacy.decode(plain);
    const stored = await writeFileOnce(file, sealSecret(this.#kek, CONTEXT_PREFIX + name, value));
    const bytes = stored ? Buffer.from(value) : await this.#readSealed(name);
    if (bytes === undefined) throw new VerifierError('VERIFIER_KEY_CORRUPT', `the sealed ${name} vanished`);
    if (legacy !== undefined) await this.#removePlain(legacy, bytes);
    return { bytes, file, migrated: stored && plain !== undefined };
  }

  #path(name: string): string {
    if (!NAME.test(name)) throw new VerifierError('VERIFIER_INVALID_INPUT', 'a secret name is [a-z0-9-]');
    return join(this.dir, `${name}.sealed`);
  }

  async #readSealed(name: string): Promise<Buffer | undefined> {
    const sealed = await readFileIfExists(this.#path(name));
    if (sealed === undefined) return undefined;
    const bytes = unsealSecret(this.#kek, CONTEXT_PREFIX + name, sealed);
    if (bytes === undefined)
      throw new VerifierError(
        'VERIFIER_KEY_CORRUPT',
        `secrets/${name}.sealed does not decrypt: altered, truncated or not this store's`,
      );
    return bytes;
  }

  /**
   * Removes the plain file once its secret is sealed — only when it holds the sealed value (a plain file
   * holding another value is left for the operator to look at, never silently lost).
   */
  async #removePlain(legacy: LegacySecretFile, sealed: Buffer): Promise<void> {
    const path = join(this.#verifierDir, legacy.file);
    const plain = await readFileIfExists(path);
    if (plain === undefined) return;
    let same = false;
    try {
      same = Buffer.from(legacy.decode(plain)).equals(sealed);
    } catch {
      same = false;
    }
    if (same)
      await unlink(path).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
  }
}

/** A plain 32-byte key as the verifier kept it before (one base64url line): VERIFIER_KEY_CORRUPT otherwise. */
export function decodeKeyLine(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('utf8').trim();
  const key = /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : Buffer.alloc(0);
  if (key.length !== 32) throw new VerifierError('VERIFIER_KEY_CORRUPT', 'a plain key file is not 32 bytes');
  return new Uint8Array(key);
}
