/**
 * The sandbox's KeySource: one file per key, `<dataDir>/issuer/keys/<name>.key`, holding the PKCS #8 DER
 * private key encrypted with AES-256-GCM (NIST SP 800-38D) under a 32-byte key-encryption key (KEK):
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
 * Every file is written once and atomically (write-once-file.ts): two instances creating the same key
 * concurrently both end with the key that was stored first. Decrypted keys stay inside this object as
 * KeyObjects; nothing returns or exports them.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { keyObjectSigner, PkiError, type SigningAlgorithm } from '@mynakit/pki';
import { IssuerError } from '../errors.js';
import { assertKeyName, type IssuerKeySpec, type KeySource } from './key-source.js';
import { readFileIfExists, readOrCreateFile, writeFileOnce } from './write-once-file.js';

const VERSION = 0x01;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
/** AES-256: the KEK is 32 bytes. */
export const KEK_LENGTH = 32;
const KEY_AAD_PREFIX = 'mynakit issuer key ';
const CHECK_AAD = 'mynakit issuer kek check';
const CHECK_TEXT = 'mynakit issuer key-encryption key';

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
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9_-]+$/.test(trimmed) ? Buffer.from(trimmed, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== KEK_LENGTH)
    throw new IssuerError('ISSUER_KEY_INVALID_KEK', `the KEK must be ${KEK_LENGTH} bytes in base64url`);
  return new Uint8Array(bytes);
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
    let kek: Buffer;
    if (options.kek !== undefined) {
      if (options.kek.length !== KEK_LENGTH)
        throw new IssuerError('ISSUER_KEY_INVALID_KEK', `the KEK must be ${KEK_LENGTH} bytes`);
      kek = Buffer.from(options.kek);
    } else {
      const stored = await readOrCreateFile(join(issuerDir, 'kek'), () => randomBytes(KEK_LENGTH));
      if (stored.bytes.length !== KEK_LENGTH)
        throw new IssuerError('ISSUER_KEY_INVALID_KEK', `the stored KEK file is not ${KEK_LENGTH} bytes`);
      kek = Buffer.from(stored.bytes);
    }
    const check = await readOrCreateFile(join(dir, 'kek-check'), () =>
      seal(kek, Buffer.from(CHECK_AAD), Buffer.from(CHECK_TEXT)),
    );
    if (unseal(kek, Buffer.from(CHECK_AAD), check.bytes) === undefined)
      throw new IssuerError(
        'ISSUER_KEY_WRONG_KEK',
        'the key-encryption key is not the one this key store was created with',
      );
    return new EncryptedFileKeySource(dir, kek);
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
    const sealed = seal(this.#kek, keyAad(name), pkcs8);
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
    const pkcs8 = unseal(this.#kek, keyAad(name), sealed);
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

function keyAad(name: string): Buffer {
  return Buffer.from(KEY_AAD_PREFIX + name, 'utf8');
}

/** version ‖ IV ‖ AES-256-GCM(kek, IV, aad = version ‖ aad)(plaintext) ‖ tag. */
function seal(kek: Buffer, aad: Buffer, plaintext: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_LENGTH);
  const version = Buffer.of(VERSION);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.concat([version, aad]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([version, iv, body, cipher.getAuthTag()]));
}

/** The plaintext, or undefined when the version is unknown or authentication fails. */
function unseal(kek: Buffer, aad: Buffer, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < 1 + IV_LENGTH + TAG_LENGTH || sealed[0] !== VERSION) return undefined;
  const iv = sealed.subarray(1, 1 + IV_LENGTH);
  const body = sealed.subarray(1 + IV_LENGTH, sealed.length - TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(Buffer.concat([Buffer.of(VERSION), aad]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
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
