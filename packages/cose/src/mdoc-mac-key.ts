import { createHash, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto';
import { ecdhSharedSecret, hkdfSha256 } from './ecdh-hkdf.js';
import { CoseError } from './errors.js';
import type { KeyInput } from './key-input.js';

export interface DeriveEMacKeyOptions {
  /** The reader's ephemeral private key (EReaderKey), or on the holder side the device private key (SDeviceKey). */
  readonly privateKey: KeyInput;
  /** The other party's public key: SDeviceKey from the MSO deviceKeyInfo, or EReaderKey. */
  readonly publicKey: KeyInput;
  /** SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript): the tag-24 item's bytes exactly. */
  readonly sessionTranscriptBytes: Uint8Array;
}

/**
 * EMacKey (ISO/IEC 18013-5 §9.1.3.5): the HMAC key of deviceMac.
 *   EMacKey = HKDF-SHA-256(IKM = ECDH(privateKey, publicKey) x-coordinate,
 *                          salt = SHA-256(SessionTranscriptBytes), info = "EMacKey", L = 32)
 */
export async function deriveEMacKey(options: DeriveEMacKeyOptions): Promise<Uint8Array> {
  const z = await ecdhSharedSecret(options.privateKey, options.publicKey);
  const salt = new Uint8Array(createHash('sha256').update(options.sessionTranscriptBytes).digest());
  return hkdfSha256(z, salt, 'EMacKey', 32);
}

/**
 * The same derivation synchronously, on KeyObjects, for any of the keys ISO/IEC 18013-5 derives this
 * way: EMacKey (§9.1.3.5), SKReader and SKDevice (§9.1.1.5) —
 * HKDF-SHA-256(IKM = ECDH(privateKey, publicKey), salt = SHA-256(SessionTranscriptBytes), info, L = 32).
 * COSE_KEY_INVALID when the keys do not agree (not one curve, a public key where the private one
 * belongs).
 */
export function deriveMdocKey(
  privateKey: KeyObject,
  publicKey: KeyObject,
  sessionTranscriptBytes: Uint8Array,
  info: 'EMacKey' | 'SKReader' | 'SKDevice',
): Uint8Array {
  let ikm: Buffer;
  try {
    ikm = diffieHellman({ privateKey, publicKey });
  } catch (cause) {
    throw new CoseError('COSE_KEY_INVALID', 'ECDH failed: the keys are not of one curve', { cause });
  }
  const salt = createHash('sha256').update(sessionTranscriptBytes).digest();
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, 32));
}
