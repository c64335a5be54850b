import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
} from 'node:crypto';
import type { P256PrivateJwk, P256PublicJwk } from '../ec-keys.js';
import { Oid4vpError } from '../errors.js';

/**
 * Session encryption — ISO/IEC 18013-5:2021 §9.1.1.5.
 *
 * - Key agreement: ECDH between the ephemeral keys EDeviceKey and EReaderKey (cipher suite 1, P-256);
 *   the shared secret Z_AB is the x-coordinate.
 * - Keys: `SKReader` / `SKDevice` = HKDF-SHA-256(IKM = Z_AB, salt = SHA-256(SessionTranscriptBytes),
 *   info = "SKReader" / "SKDevice", L = 32). The reader encrypts with SKReader, the mdoc with SKDevice.
 * - AES-256-GCM, 128-bit tag, empty AAD; IV = identifier (8 bytes: 0x00…00 for the reader,
 *   0x00…01 for the mdoc) ‖ message counter (4 bytes big-endian). Each side's counter starts at 1 and
 *   increases by one per message it encrypts, so each side also knows the exact counter the next
 *   message from its peer must use.
 *
 * A message that does not open under the expected counter is refused; to say why, the decryptor tries
 * the counters already used (a replay → SESSION_COUNTER_REPLAYED) and a few ahead (a message skipped
 * or reordered → SESSION_COUNTER_OUT_OF_ORDER); anything else is SESSION_DECRYPT_FAILED. Failed
 * messages never advance the counter.
 */
export type SessionRole = 'reader' | 'mdoc';

const READER_ID = new Uint8Array(8);
const MDOC_ID = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]);
const TAG_LENGTH = 16;
const LOOKAHEAD = 8;

export interface SessionKeys {
  readonly skReader: Uint8Array;
  readonly skDevice: Uint8Array;
}

/** SKReader and SKDevice from one side's private key, the other side's public key and the transcript. */
export function deriveSessionKeys(
  privateKey: P256PrivateJwk,
  peerPublicKey: P256PublicJwk,
  sessionTranscriptBytes: Uint8Array,
): SessionKeys {
  let z: Buffer;
  try {
    z = diffieHellman({
      privateKey: createPrivateKey({ key: { ...privateKey }, format: 'jwk' }),
      publicKey: createPublicKey({ key: { ...peerPublicKey }, format: 'jwk' }),
    });
  } catch (e) {
    throw new Oid4vpError('KEY_INVALID', 'ECDH with the session keys failed', { cause: e });
  }
  const salt = createHash('sha256').update(sessionTranscriptBytes).digest();
  const skReader = new Uint8Array(hkdfSync('sha256', z, salt, 'SKReader', 32));
  const skDevice = new Uint8Array(hkdfSync('sha256', z, salt, 'SKDevice', 32));
  return { skReader, skDevice };
}

function iv(identifier: Uint8Array, counter: number): Uint8Array {
  const out = new Uint8Array(12);
  out.set(identifier, 0);
  new DataView(out.buffer).setUint32(8, counter, false);
  return out;
}

function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-gcm', key, nonce);
  const body = c.update(plaintext);
  const last = c.final();
  const out = new Uint8Array(body.length + last.length + TAG_LENGTH);
  out.set(body, 0);
  out.set(last, body.length);
  out.set(c.getAuthTag(), body.length + last.length);
  return out;
}

function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
  if (ciphertext.length < TAG_LENGTH) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
    const body = d.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH));
    const last = d.final();
    const out = new Uint8Array(body.length + last.length);
    out.set(body, 0);
    out.set(last, body.length);
    return out;
  } catch {
    return undefined;
  }
}

/** One side of an encrypted session: its own send counter and the counter it expects from the peer. */
export class SessionEncryption {
  readonly role: SessionRole;
  readonly #sendKey: Uint8Array;
  readonly #receiveKey: Uint8Array;
  readonly #sendId: Uint8Array;
  readonly #receiveId: Uint8Array;
  #sendCounter = 1;
  #receiveCounter = 1;

  constructor(role: SessionRole, keys: SessionKeys) {
    this.role = role;
    this.#sendKey = role === 'reader' ? keys.skReader : keys.skDevice;
    this.#receiveKey = role === 'reader' ? keys.skDevice : keys.skReader;
    this.#sendId = role === 'reader' ? READER_ID : MDOC_ID;
    this.#receiveId = role === 'reader' ? MDOC_ID : READER_ID;
  }

  /** Counter the next outgoing message uses. */
  get sendCounter(): number {
    return this.#sendCounter;
  }

  /** Counter the next incoming message must use. */
  get receiveCounter(): number {
    return this.#receiveCounter;
  }

  encrypt(plaintext: Uint8Array): Uint8Array {
    if (this.#sendCounter > 0xffffffff)
      throw new Oid4vpError('SESSION_DECRYPT_FAILED', 'the message counter is exhausted');
    const out = seal(this.#sendKey, iv(this.#sendId, this.#sendCounter), plaintext);
    this.#sendCounter++;
    return out;
  }

  decrypt(ciphertext: Uint8Array): Uint8Array {
    const expected = this.#receiveCounter;
    const plain = open(this.#receiveKey, iv(this.#receiveId, expected), ciphertext);
    if (plain !== undefined) {
      this.#receiveCounter++;
      return plain;
    }
    for (let c = expected - 1; c >= 1 && c >= expected - 64; c--) {
      if (open(this.#receiveKey, iv(this.#receiveId, c), ciphertext) !== undefined) {
        throw new Oid4vpError(
          'SESSION_COUNTER_REPLAYED',
          `a message with counter ${c} was replayed (expected ${expected})`,
        );
      }
    }
    for (let c = expected + 1; c <= expected + LOOKAHEAD; c++) {
      if (open(this.#receiveKey, iv(this.#receiveId, c), ciphertext) !== undefined) {
        throw new Oid4vpError(
          'SESSION_COUNTER_OUT_OF_ORDER',
          `a message with counter ${c} arrived before counter ${expected}`,
        );
      }
    }
    throw new Oid4vpError(
      'SESSION_DECRYPT_FAILED',
      `the message does not decrypt with the session key and counter ${expected}`,
    );
  }
}
