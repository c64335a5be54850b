import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import {
  type P256PrivateKeyInput,
  type P256PublicKeyInput,
  p256Point,
  toP256PrivateJwk,
  toP256PublicJwk,
} from './ec-keys.js';
import { Oid4vpError } from './errors.js';

/**
 * HPKE (RFC 9180) in the one configuration mdoc presentations use: mode_base,
 * DHKEM(P-256, HKDF-SHA256) (kem_id 0x0010), HKDF-SHA256 (kdf_id 0x0001), AES-128-GCM (aead_id 0x0001).
 * ISO/IEC 18013-7 Annex C and Apple's in-app envelope both use it with `info` = the bare
 * SessionTranscript and an empty `aad`. A single-shot seal/open: one message per context, sequence 0.
 */
const suite = new CipherSuite({
  kem: new DhkemP256HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});

const EMPTY = new Uint8Array(0);

/** Copies into a fresh ArrayBuffer: @hpke/core wants ArrayBuffers, and views may be slices of larger buffers. */
function buf(b: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(b.length);
  new Uint8Array(out).set(b);
  return out;
}

export interface HpkeSealInput {
  readonly recipientPublicKey: P256PublicKeyInput;
  readonly info: Uint8Array;
  readonly aad?: Uint8Array;
  readonly plaintext: Uint8Array;
  /**
   * Input keying material for the ephemeral key (RFC 9180 DeriveKeyPair(ikmE)). Only for
   * reproducing published test vectors: omit it and a fresh ephemeral key is generated.
   */
  readonly ephemeralKeyMaterial?: Uint8Array;
}

export interface HpkeSealed {
  /** The encapsulated key: the sender's ephemeral public key, 65 bytes uncompressed. */
  readonly enc: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export async function hpkeSeal(input: HpkeSealInput): Promise<HpkeSealed> {
  const pkR = await suite.kem.importKey(
    'raw',
    buf(p256Point(toP256PublicJwk(input.recipientPublicKey))),
    true,
  );
  const ctx = await suite.createSenderContext({
    recipientPublicKey: pkR,
    info: buf(input.info),
    ...(input.ephemeralKeyMaterial === undefined ? {} : { ekm: buf(input.ephemeralKeyMaterial) }),
  });
  const ct = await ctx.seal(buf(input.plaintext), buf(input.aad ?? EMPTY));
  return { enc: new Uint8Array(ctx.enc), ciphertext: new Uint8Array(ct) };
}

export interface HpkeOpenInput {
  readonly recipientPrivateKey: P256PrivateKeyInput;
  readonly enc: Uint8Array;
  readonly info: Uint8Array;
  readonly aad?: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** Opens a single-shot HPKE message; any failure (bad enc, wrong key, wrong info, tampering) → HPKE_OPEN_FAILED. */
export async function hpkeOpen(input: HpkeOpenInput): Promise<Uint8Array> {
  const jwk = toP256PrivateJwk(input.recipientPrivateKey);
  if (input.enc.length !== 65 || input.enc[0] !== 0x04) {
    throw new Oid4vpError('HPKE_OPEN_FAILED', 'enc must be a 65-byte uncompressed P-256 point');
  }
  const skR = await suite.kem.importKey(
    'jwk',
    { ...jwk, ext: true, key_ops: ['deriveBits'] } as JsonWebKey,
    false,
  );
  try {
    const ctx = await suite.createRecipientContext({
      recipientKey: skR,
      enc: buf(input.enc),
      info: buf(input.info),
    });
    return new Uint8Array(await ctx.open(buf(input.ciphertext), buf(input.aad ?? EMPTY)));
  } catch (e) {
    throw new Oid4vpError(
      'HPKE_OPEN_FAILED',
      'HPKE open failed: sealed to another key or with another info',
      { cause: e },
    );
  }
}
