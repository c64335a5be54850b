/**
 * Secrets at rest, sealed under a key-encryption key (KEK) — one format and one KEK handling for every
 * mynakit service (the issuer's signing keys, the verifier's keys):
 *
 *   sealed  = version (1 byte, 0x01) ‖ IV (12 random bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes)
 *   AAD     = version ‖ the caller's context (UTF-8; e.g. the secret's name)
 *
 * AES-256-GCM as NIST SP 800-38D; a fresh random 96-bit IV per seal. The context in the AAD binds a sealed
 * value to what it is: one copied under another name, a flipped bit, a truncation or another KEK's value
 * fails authentication (unsealSecret gives undefined; the service names its own error).
 *
 * The KEK is 32 bytes: from the deployment (`MYNAKIT_KEK`, base64url: decodeKek) or, when none is given,
 * generated once into a file of the service's data directory (mode 0600). A check value — a fixed text
 * sealed under the first KEK the store sees, written once — makes opening a store with another KEK fail at
 * once (openKeyEncryptionKey: `wrong-kek`) instead of at the first secret.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readOrCreateFile } from './write-once-file.js';

/** AES-256: the KEK is 32 bytes. */
export const KEK_LENGTH = 32;
const VERSION = 0x01;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/** A configured KEK from its text form (base64url, exactly 32 bytes: `MYNAKIT_KEK`), or undefined. */
export function decodeKek(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64url');
  return bytes.length === KEK_LENGTH ? new Uint8Array(bytes) : undefined;
}

/** version ‖ IV ‖ AES-256-GCM(kek, IV, aad = version ‖ context)(plaintext) ‖ tag. */
export function sealSecret(kek: Uint8Array, context: string, plaintext: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_LENGTH);
  const version = Buffer.of(VERSION);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.concat([version, Buffer.from(context, 'utf8')]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([version, iv, body, cipher.getAuthTag()]));
}

/** The plaintext, or undefined when the version is unknown or authentication fails (wrong KEK or context). */
export function unsealSecret(kek: Uint8Array, context: string, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < 1 + IV_LENGTH + TAG_LENGTH || sealed[0] !== VERSION) return undefined;
  const iv = sealed.subarray(1, 1 + IV_LENGTH);
  const body = sealed.subarray(1 + IV_LENGTH, sealed.length - TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(Buffer.concat([Buffer.of(VERSION), Buffer.from(context, 'utf8')]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Where a service keeps its KEK (when none is given) and its check value. */
export interface KeyEncryptionKeyOptions {
  /** The configured KEK (`MYNAKIT_KEK`, decoded); absent: `kekFile`, generated once. */
  readonly kek?: Uint8Array;
  /** The file a generated KEK is kept in (raw 32 bytes, mode 0600). */
  readonly kekFile: string;
  /** The check value's file. */
  readonly checkFile: string;
  /** The service's name in the check value's context (`issuer`, `verifier`): one service's check fails another's. */
  readonly service: string;
}

/** The KEK, or why it cannot be used. */
export type KeyEncryptionKeyResult =
  | { readonly ok: true; readonly kek: Buffer; readonly source: 'configured' | 'file' }
  | {
      readonly ok: false;
      /**
       * `invalid-kek`: the configured KEK is not 32 bytes; `invalid-stored-kek`: the KEK file is not;
       * `wrong-kek`: the store was created under another KEK.
       */
      readonly reason: 'invalid-kek' | 'invalid-stored-kek' | 'wrong-kek';
    };

/**
 * The service's KEK (see the file comment): the configured one or its file's (created once), checked
 * against the check value (created with the first KEK seen). Directories must exist.
 */
export async function openKeyEncryptionKey(
  options: KeyEncryptionKeyOptions,
): Promise<KeyEncryptionKeyResult> {
  let kek: Buffer;
  let source: 'configured' | 'file';
  if (options.kek !== undefined) {
    if (options.kek.length !== KEK_LENGTH) return { ok: false, reason: 'invalid-kek' };
    kek = Buffer.from(options.kek);
    source = 'configured';
  } else {
    const stored = await readOrCreateFile(options.kekFile, () => randomBytes(KEK_LENGTH));
    if (stored.bytes.length !== KEK_LENGTH) return { ok: false, reason: 'invalid-stored-kek' };
    kek = Buffer.from(stored.bytes);
    source = 'file';
  }
  const context = `mynakit ${options.service} kek check`;
  const check = await readOrCreateFile(options.checkFile, () =>
    sealSecret(kek, context, Buffer.from(`mynakit ${options.service} key-encryption key`)),
  );
  if (unsealSecret(kek, context, check.bytes) === undefined) return { ok: false, reason: 'wrong-kek' };
  return { ok: true, kek, source };
}
