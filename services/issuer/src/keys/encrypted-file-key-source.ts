/**
 * The sandbox's KeySource: one file per key, `<dataDir>/issuer/keys/<name>.key`, holding the PKCS #8 DER
 * private key encrypted with AES-256-GCM (NIST SP 800-38D) under a 32-byte key-encryption key (KEK), in
 * the format every mynakit service seals its secrets with (@mynakit/http-kit sealSecret):
 *
 *   key file  = version (1 byte, 0x01) ‖ IV (12 random bytes) ‖ ciphertext ‖ tag (16 bytes)
 *   AAD       = version ‖ "mynakit issuer key " ‖ key name (UTF-8)
 *
 * The name in the AAD binds each file to its name: a file copied or renamed to another key name, a
 * flipped bit, a truncation, or another store's file fails authentication (ISSUER_KEY_CORRUPT). The KEK
 * comes from the caller (the service reads `MYNAKIT_KEK`, base64url) or is generated once into
 * `<dataDir>/issuer/kek` (mode 0600). A check value, `<dataDir>/issuer/keys/kek-check` (the same format
 * over a fixed text), is written with the first KEK the store sees, so opening the store with another
 * KEK fails at once (ISSUER_KEY_WRONG_KEK) instead of at the first signature.
 *
 * Every file is written once and atomically (@mynakit/http-kit writeFileOnce): two instances creating the same key
 * concurrently both end with the key that was stored first. Decrypted keys stay inside this object as
 * KeyObjects; nothing returns or exports them.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  decodeKek,
  KEK_LENGTH,
  openKeyEncryptionKey,
  readFileIfExists,
  sealSecret,
  unsealSecret,
  writeFileOnce,
} from '@mynakit/http-kit';
import { keyObjectSigner, PkiError, type SigningAlgorithm } from '@mynakit/pki';
import { IssuerError } from '../errors.js';
import { assertKeyName, type IssuerKeySpec, type KeySource } from './key-source.js';

export { KEK_LENGTH };

const KEY_AAD_PREFIX = 'mynakit issuer key ';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Where and under which KEK an EncryptedFileKeySource keeps its keys. */
export interface EncryptedFileKeySourceOptions {
  /** The service data directory (`MYNAKIT_DATA_DIR`); keys go under `<dataDir>/issuer/keys/`. */
  readonly dataDir: string;
  /** The 32-byte key-encryption key. Absent: read from, or generated once into, `<dataDir>/issuer/kek`. */
  readonly kek?: Uint8Array;
}

/**
 * A configured KEK from its text form (base64url, 32 bytes: `MYNAKIT_KEK`). ISSUER_KEY_INVALID_KEK when it
 * is not exactly that.
 */
export function parseKek(text: string): Uint8Array {
  const kek = decodeKek(text);
  if (kek === undefined)
    throw new IssuerError('ISSUER_KEY_INVALID_KEK', `the KEK must be ${KEK_LENGTH} bytes in base64url`);
  return kek;
}

/** The KeySource of the sandbox: AES-256-GCM-encrypted PKCS #8 files (see the file comment). */
export class EncryptedFileKeySource implements KeySource {
  readonly #kek: Buffer;
  readonly #dir: string;
  /** Decrypted private keys by name: inside this object only. */
  readonly #keys = new Map<string, KeyObject>();

  private constructor(dir: string, kek: Buffer) {
    this.#dir = dir;
    this.#kek = kek;
  }

  /**
   * Opens (creating on first use) the key store of a data directory. ISSUER_KEY_INVALID_KEK for a KEK
   * (given or stored) that is not 32 bytes; ISSUER_KEY_WRONG_KEK when the store was created under another
   * KEK.
   */
  static async open(options: EncryptedFileKeySourceOptions): Promise<EncryptedFileKeySource> {
    const issuerDir = join(options.dataDir, 'issuer');
    const dir = join(issuerDir, 'keys');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const opened = await openKeyEncryptionKey({
      ...(options.kek === undefined ? {} : { kek: options.kek }),
      kekFile: join(issuerDir, 'kek'),
      checkFile: join(dir, 'kek-check'),
      service: 'issuer',
    });
    if (!opened.ok)
      throw opened.reason === 'wrong-kek'
        ? new IssuerError(
            'ISSUER_KEY_WRONG_KEK',
            'the key-encryption key is not the one this key store was created with',
          )
        : new IssuerError(
            'ISSUER_KEY_INVALID_KEK',
            opened.reason === 'invalid-kek'
              ? `the KEK must be ${KEK_LENGTH} bytes`
              : `the stored KEK file is not ${KEK_LENGTH} bytes`,
          );
    return new EncryptedFileKeySource(dir, opened.kek);
  }

  async ensureKey(name: string, spec: IssuerKeySpec): Promise<KeyObject> {
    assertKeyName(name);
    const existing = await this.#load(name);
    if (existing !== undefined) return publicOf(name, existing, spec);
    const pair =
      spec.kind === 'ec-p256'
        ? await generateKeyPairAsync('ec', { namedCurve: 'prime256v1' })
        : await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    const sealed = sealSecret(this.#kek, keyAad(name), pkcs8);
    pkcs8.fill(0);
    if (await writeFileOnce(this.#path(name), sealed)) {
      this.#keys.set(name, pair.privateKey);
      return pair.publicKey;
    }
    // Another instance stored this name first: its key is the key.
    const winner = await this.#load(name);
    if (winner === undefined) throw new IssuerError('ISSUER_KEY_NOT_FOUND', `key ${name} vanished`);
    return publicOf(name, winner, spec);
  }

  async publicKey(name: string): Promise<KeyObject | undefined> {
    assertKeyName(name);
    const key = await this.#load(name);
    return key === undefined ? undefined : createPublicKey(key);
  }

  async sign(name: string, data: Uint8Array, algorithm: SigningAlgorithm): Promise<Uint8Array> {
    assertKeyName(name);
    const key = await this.#load(name);
    if (key === undefined) throw new IssuerError('ISSUER_KEY_NOT_FOUND', `no key named ${name}`);
    try {
      return await keyObjectSigner(key, algorithm).sign(data);
    } catch (e) {
      if (e instanceof PkiError && e.code === 'UNSUPPORTED_KEY')
        throw new IssuerError('ISSUER_KEY_ALGORITHM_MISMATCH', `key ${name} cannot sign ${algorithm}`, {
          cause: e,
        });
      throw e;
    }
  }

  #path(name: string): string {
    return join(this.#dir, `${name}.key`);
  }

  async #load(name: string): Promise<KeyObject | undefined> {
    const cached = this.#keys.get(name);
    if (cached !== undefined) return cached;
    const sealed = await readFileIfExists(this.#path(name));
    if (sealed === undefined) return undefined;
    const pkcs8 = unsealSecret(this.#kek, keyAad(name), sealed);
    if (pkcs8 === undefined)
      throw new IssuerError(
        'ISSUER_KEY_CORRUPT',
        `key file ${name}.key does not decrypt: altered, truncated or not this store's`,
      );
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    } catch (e) {
      throw new IssuerError('ISSUER_KEY_CORRUPT', `key file ${name}.key holds no private key`, { cause: e });
    } finally {
      pkcs8.fill(0);
    }
    this.#keys.set(name, key);
    return key;
  }
}

function keyAad(name: string): string {
  return KEY_AAD_PREFIX + name;
}

/** The public key of `key`, which must be of `spec` (ISSUER_KEY_SPEC_MISMATCH otherwise). */
function publicOf(name: string, key: KeyObject, spec: IssuerKeySpec): KeyObject {
  const fits =
    spec.kind === 'ec-p256'
      ? key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      : key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === 2048;
  if (!fits) throw new IssuerError('ISSUER_KEY_SPEC_MISMATCH', `key ${name} exists and is not ${spec.kind}`);
  return createPublicKey(key);
}
