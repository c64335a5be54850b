/**
 * One sandbox key at rest: `<deviceDir>/keys/<alias>.json`, the private key (PKCS #8 DER) encrypted with
 * AES-256-GCM (NIST SP 800-38D) under the device KEK, with a fresh 96-bit IV. Everything else in the file
 * — alias, type, policy, creation time, public key — is authenticated as additional data together with
 * the device id, so a file altered, renamed to another alias or copied from another device fails
 * (WALLET_KEY_CORRUPT). No plaintext private key is ever written.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, type KeyObject, randomBytes } from 'node:crypto';
import { WalletError } from '../errors.js';
import type { KeyAuthenticationPolicy, SecureKeyType } from './secure-area.js';

/** The `format` member of a key file. */
export const KEY_FILE_FORMAT = 'mynakit-wallet-key/1';

/** What a key file says about its key in the clear (all of it authenticated). */
export interface KeyFileMetadata {
  readonly alias: string;
  readonly type: SecureKeyType;
  readonly userAuthentication: KeyAuthenticationPolicy;
  readonly createdAt: string;
  /** base64 SPKI DER. */
  readonly publicKey: string;
}

interface KeyFileJson extends KeyFileMetadata {
  readonly format: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

function aad(deviceId: string, m: KeyFileMetadata): Buffer {
  const policy = m.userAuthentication === 'none' ? 'none' : [...m.userAuthentication].join(',');
  return Buffer.from(
    JSON.stringify([KEY_FILE_FORMAT, deviceId, m.alias, m.type, policy, m.createdAt, m.publicKey]),
    'utf8',
  );
}

/** The text of a key file for `privateKey`. */
export function sealKeyFile(
  kek: Uint8Array,
  deviceId: string,
  metadata: KeyFileMetadata,
  privateKey: KeyObject,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(deviceId, metadata));
  const plain = privateKey.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  const json: KeyFileJson = {
    format: KEY_FILE_FORMAT,
    ...metadata,
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Reads a key file's metadata without decrypting (WALLET_KEY_CORRUPT when it is no key file). */
export function readKeyFileMetadata(text: string): KeyFileMetadata & { readonly sealed: KeyFileJson } {
  let json: KeyFileJson;
  try {
    json = JSON.parse(text) as KeyFileJson;
  } catch (e) {
    throw new WalletError('WALLET_KEY_CORRUPT', 'the key file is not JSON', { cause: e });
  }
  if (json === null || typeof json !== 'object' || json.format !== KEY_FILE_FORMAT)
    throw new WalletError('WALLET_KEY_CORRUPT', `the key file is not ${KEY_FILE_FORMAT}`);
  const policy = json.userAuthentication;
  return {
    alias: String(json.alias),
    type: json.type,
    userAuthentication: policy === 'none' ? 'none' : Object.freeze([...policy]),
    createdAt: String(json.createdAt),
    publicKey: String(json.publicKey),
    sealed: json,
  };
}

/** Decrypts the private key of a key file (WALLET_KEY_CORRUPT when it does not authenticate). */
export function openKeyFile(kek: Uint8Array, deviceId: string, text: string): KeyObject {
  const m = readKeyFileMetadata(text);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(m.sealed.iv, 'base64'));
    decipher.setAAD(aad(deviceId, m));
    decipher.setAuthTag(Buffer.from(m.sealed.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(m.sealed.ciphertext, 'base64')),
      decipher.final(),
    ]);
    const key = createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
    plain.fill(0);
    return key;
  } catch (e) {
    throw new WalletError('WALLET_KEY_CORRUPT', 'the key file does not decrypt under this device key', {
      cause: e,
    });
  }
}
