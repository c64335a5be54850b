/**
 * The HPKE recipient key of one Annex C session (ISO/IEC 18013-7 Annex C: EncryptionInfo
 * `recipientPublicKey`, P-256) and its form at rest. The private key opens the holder's answer; it is never
 * answered to anyone, lives only as long as the session, and is erased when the session is done.
 *
 * At rest: with a key-encryption key (32 bytes, VerifierConfig.sessionKeyEncryptionKey) it is sealed with
 * AES-256-GCM (NIST SP 800-38D), the session id as additional data so a sealed key cannot be moved to another
 * session's row: `0x01 ‖ iv(12) ‖ tag(16) ‖ ciphertext`. Without one: `0x00 ‖ PKCS#8 DER`.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { VerifierError } from '../errors.js';

const PLAIN = 0x00;
const SEALED = 0x01;

/** A fresh P-256 key pair for one session. */
export function newSessionKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function checkKek(kek: Uint8Array): void {
  if (kek.length !== 32)
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'the session key-encryption key must be 32 bytes');
}

/** The stored form of `privateKey` for session `sessionId` (see the file comment). */
export function sealSessionKey(privateKey: KeyObject, sessionId: string, kek?: Uint8Array): Uint8Array {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  if (kek === undefined) return Buffer.concat([Buffer.of(PLAIN), der]);
  checkKek(kek);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(sessionId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  return Buffer.concat([Buffer.of(SEALED), iv, cipher.getAuthTag(), ciphertext]);
}

/** The private key back from its stored form; VERIFIER_SESSION_KEY_UNAVAILABLE when it cannot be opened. */
export function openSessionKey(stored: Uint8Array, sessionId: string, kek?: Uint8Array): KeyObject {
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  try {
    if (bytes[0] === PLAIN) return createPrivateKey({ key: bytes.subarray(1), format: 'der', type: 'pkcs8' });
    if (bytes[0] === SEALED && kek !== undefined && bytes.length > 29) {
      checkKek(kek);
      const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(1, 13));
      decipher.setAAD(Buffer.from(sessionId, 'utf8'));
      decipher.setAuthTag(bytes.subarray(13, 29));
      const der = Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]);
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    }
  } catch (e) {
    throw new VerifierError('VERIFIER_SESSION_KEY_UNAVAILABLE', 'the session key cannot be opened', {
      cause: e,
    });
  }
  throw new VerifierError('VERIFIER_SESSION_KEY_UNAVAILABLE', 'the session key cannot be opened');
}
