/**
 * The HPKE recipient key of one Annex C session (ISO/IEC 18013-7 Annex C: EncryptionInfo
 * `recipientPublicKey`, P-256) and its form at rest. The private key opens the holder's answer; it is never
 * answered to anyone, lives only as long as the session, and is erased when the session is done.
 *
 * At rest it is the private scalar `d` (32 bytes big-endian, SEC 1 §2.3.7): with a key-encryption key (32 bytes, VerifierConfig.sessionKeyEncryptionKey) sealed with
 * AES-256-GCM (NIST SP 800-38D), the session id as additional data so a sealed key cannot be moved to another
 * session's row: `0x03 ‖ iv(12) ‖ tag(16) ‖ ciphertext`; without one `0x02 ‖ d`. The scalar, not PKCS#8:
 * reading a PKCS#8 key back costs OpenSSL's decoder about a third of a millisecond, most of what answering a
 * session spent outside the verification itself, and HPKE needs nothing but `d`.
 * Sessions stored by earlier versions (`0x00 ‖ PKCS#8 DER`, `0x01 ‖ iv ‖ tag ‖ sealed PKCS#8`) still open.
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

const PLAIN_PKCS8 = 0x00;
const SEALED_PKCS8 = 0x01;
const PLAIN_SCALAR = 0x02;
const SEALED_SCALAR = 0x03;
/** The format byte, the GCM nonce and tag. */
const SEALED_HEADER = 1 + 12 + 16;

/** A fresh P-256 key pair for one session. */
export function newSessionKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function checkKek(kek: Uint8Array): void {
  if (kek.length !== 32)
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'the session key-encryption key must be 32 bytes');
}

/** The 32-byte private scalar of a P-256 KeyObject. */
function scalarOf(privateKey: KeyObject): Buffer {
  const d = privateKey.export({ format: 'jwk' }).d;
  if (typeof d !== 'string') throw new VerifierError('VERIFIER_INVALID_INPUT', 'a private key is required');
  return Buffer.from(d, 'base64url');
}

/** The stored form of `privateKey` for session `sessionId` (see the file comment). */
export function sealSessionKey(privateKey: KeyObject, sessionId: string, kek?: Uint8Array): Uint8Array {
  const d = scalarOf(privateKey);
  if (kek === undefined) return Buffer.concat([Buffer.of(PLAIN_SCALAR), d]);
  checkKek(kek);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(sessionId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(d), cipher.final()]);
  return Buffer.concat([Buffer.of(SEALED_SCALAR), iv, cipher.getAuthTag(), ciphertext]);
}

function unseal(bytes: Buffer, sessionId: string, kek: Uint8Array): Buffer {
  checkKek(kek);
  const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(1, 13));
  decipher.setAAD(Buffer.from(sessionId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(13, SEALED_HEADER));
  return Buffer.concat([decipher.update(bytes.subarray(SEALED_HEADER)), decipher.final()]);
}

function scalarOfPkcs8(der: Buffer): Buffer {
  return scalarOf(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

/**
 * The private scalar `d` back from its stored form (32 bytes; @mynakit/oid4vp takes it as a P-256 private
 * key); VERIFIER_SESSION_KEY_UNAVAILABLE when it cannot be opened.
 */
export function openSessionKey(stored: Uint8Array, sessionId: string, kek?: Uint8Array): Uint8Array {
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  let d: Buffer | undefined;
  try {
    const format = bytes[0];
    if (format === PLAIN_SCALAR) d = bytes.subarray(1);
    else if (format === SEALED_SCALAR && kek !== undefined && bytes.length > SEALED_HEADER)
      d = unseal(bytes, sessionId, kek);
    else if (format === PLAIN_PKCS8) d = scalarOfPkcs8(bytes.subarray(1));
    else if (format === SEALED_PKCS8 && kek !== undefined && bytes.length > SEALED_HEADER)
      d = scalarOfPkcs8(unseal(bytes, sessionId, kek));
  } catch (e) {
    throw new VerifierError('VERIFIER_SESSION_KEY_UNAVAILABLE', 'the session key cannot be opened', {
      cause: e,
    });
  }
  if (d === undefined || d.length !== 32)
    throw new VerifierError('VERIFIER_SESSION_KEY_UNAVAILABLE', 'the session key cannot be opened');
  return new Uint8Array(d);
}
