import { createCipheriv, createDecipheriv, createECDH, createHmac, type ECDH } from 'node:crypto';
import { base64urlToBytes } from '@mynakit/cbor';
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
 * SessionTranscript and an empty `aad`. A single-shot seal/open: one message per context, sequence 0, so
 * the nonce is the base nonce itself (§5.2: base_nonce XOR I2OSP(0, Nn)).
 *
 * Written on node:crypto's synchronous one-shots (ECDH, HMAC, AES-GCM): every step is a few microseconds
 * of native work on the calling thread, where a WebCrypto implementation queues each step as a job on the
 * thread pool and converts keys through JWK on the way — on a verifier answering a response that was most
 * of the time spent in HPKE. @hpke/core and an implementation written from the RFC text are the tests'
 * oracles (test/hpke.test.ts), with the RFC's own vector.
 */

const KEM_ID = 0x0010;
const KDF_ID = 0x0001;
const AEAD_ID = 0x0001;
/** Nsecret, Nk, Nn, Nsk of the suite (RFC 9180 §7.1, §7.3). */
const N_SECRET = 32;
const N_K = 16;
const N_N = 12;
const N_SK = 32;
const TAG_LENGTH = 16;
const MODE_BASE = 0x00;
/** The order of the P-256 group (SEC 2 §2.4.2), for DeriveKeyPair's rejection sampling. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const HPKE_V1 = ascii('HPKE-v1');
/** suite_id of the KEM (§4.1) and of the whole suite (§5.1). */
const KEM_SUITE_ID = Buffer.from([0x4b, 0x45, 0x4d, KEM_ID >> 8, KEM_ID & 0xff]);
const HPKE_SUITE_ID = Buffer.concat([
  ascii('HPKE'),
  Buffer.from([KEM_ID >> 8, KEM_ID & 0xff, KDF_ID >> 8, KDF_ID & 0xff, AEAD_ID >> 8, AEAD_ID & 0xff]),
]);
const EMPTY = Buffer.alloc(0);

/** LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm) (§4). */
function labeledExtract(suiteId: Buffer, salt: Uint8Array, label: Buffer, ikm: Uint8Array): Buffer {
  // HKDF-Extract with an empty salt uses HashLen zero bytes (RFC 5869 §2.2); HMAC pads an empty key with
  // zeros to the block size, which is the same key.
  return createHmac('sha256', salt).update(HPKE_V1).update(suiteId).update(label).update(ikm).digest();
}

/** LabeledExpand(prk, label, info, L) = HKDF-Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info, L) (§4). */
function labeledExpand(
  suiteId: Buffer,
  prk: Buffer,
  label: Buffer,
  info: Uint8Array,
  length: number,
): Buffer {
  const labeledInfo = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff]),
    HPKE_V1,
    suiteId,
    label,
    info,
  ]);
  // HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC(prk, T(i-1) ‖ info ‖ i); every length here is at most 32.
  const blocks: Buffer[] = [];
  let previous = EMPTY;
  for (let i = 1, produced = 0; produced < length; i++) {
    previous = createHmac('sha256', prk).update(previous).update(labeledInfo).update(Buffer.of(i)).digest();
    blocks.push(previous);
    produced += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const LABEL = {
  eaePrk: ascii('eae_prk'),
  sharedSecret: ascii('shared_secret'),
  pskIdHash: ascii('psk_id_hash'),
  infoHash: ascii('info_hash'),
  secret: ascii('secret'),
  key: ascii('key'),
  baseNonce: ascii('base_nonce'),
  dkpPrk: ascii('dkp_prk'),
  candidate: ascii('candidate'),
};

/** DHKEM's ExtractAndExpand(dh, kem_context) (§4.1). */
function extractAndExpand(dh: Buffer, kemContext: Buffer): Buffer {
  const eaePrk = labeledExtract(KEM_SUITE_ID, EMPTY, LABEL.eaePrk, dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, LABEL.sharedSecret, kemContext, N_SECRET);
}

/** KeySchedule(mode_base, shared_secret, info, default_psk, default_psk_id) (§5.1): the AEAD key and base nonce. */
function keySchedule(sharedSecret: Buffer, info: Uint8Array): { key: Buffer; baseNonce: Buffer } {
  const pskIdHash = labeledExtract(HPKE_SUITE_ID, EMPTY, LABEL.pskIdHash, EMPTY);
  const infoHash = labeledExtract(HPKE_SUITE_ID, EMPTY, LABEL.infoHash, info);
  const context = Buffer.concat([Buffer.of(MODE_BASE), pskIdHash, infoHash]);
  const secret = labeledExtract(HPKE_SUITE_ID, sharedSecret, LABEL.secret, EMPTY);
  return {
    key: labeledExpand(HPKE_SUITE_ID, secret, LABEL.key, context, N_K),
    baseNonce: labeledExpand(HPKE_SUITE_ID, secret, LABEL.baseNonce, context, N_N),
  };
}

/** DeriveKeyPair(ikm) for P-256 (§7.1.3): rejection sampling of the private scalar. */
function deriveP256PrivateKey(ikm: Uint8Array): Buffer {
  const dkpPrk = labeledExtract(KEM_SUITE_ID, EMPTY, LABEL.dkpPrk, ikm);
  for (let counter = 0; counter <= 255; counter++) {
    const candidate = labeledExpand(KEM_SUITE_ID, dkpPrk, LABEL.candidate, Buffer.of(counter), N_SK);
    // bitmask 0xff for P-256: the first byte is kept whole.
    const sk = BigInt(`0x${candidate.toString('hex')}`);
    if (sk !== 0n && sk < P256_ORDER) return candidate;
  }
  throw new Oid4vpError('KEY_INVALID', 'DeriveKeyPair found no P-256 key in 256 candidates');
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

/** The recipient's 65-byte point; node:crypto's ECDH rejects a point that is not on the curve when it is used. */
function recipientPoint(key: P256PublicKeyInput): Uint8Array {
  if (key instanceof Uint8Array && key.length === 65 && key[0] === 0x04) return key;
  return p256Point(toP256PublicJwk(key));
}

/** SealBase(pkR, info, aad, pt) (§6.1) with a single message. */
export async function hpkeSeal(input: HpkeSealInput): Promise<HpkeSealed> {
  const pkRm = recipientPoint(input.recipientPublicKey);
  const ephemeral = createECDH('prime256v1');
  if (input.ephemeralKeyMaterial === undefined) ephemeral.generateKeys();
  else ephemeral.setPrivateKey(deriveP256PrivateKey(input.ephemeralKeyMaterial));
  let dh: Buffer;
  try {
    dh = ephemeral.computeSecret(pkRm);
  } catch (e) {
    throw new Oid4vpError('KEY_INVALID', 'the recipient key is not a P-256 point', { cause: e });
  }
  const enc = ephemeral.getPublicKey();
  const { key, baseNonce } = keySchedule(extractAndExpand(dh, Buffer.concat([enc, pkRm])), input.info);
  const cipher = createCipheriv('aes-128-gcm', key, baseNonce);
  if (input.aad !== undefined && input.aad.length > 0) cipher.setAAD(input.aad);
  const ciphertext = Buffer.concat([cipher.update(input.plaintext), cipher.final(), cipher.getAuthTag()]);
  return { enc: new Uint8Array(enc), ciphertext: new Uint8Array(ciphertext) };
}

export interface HpkeOpenInput {
  readonly recipientPrivateKey: P256PrivateKeyInput;
  readonly enc: Uint8Array;
  readonly info: Uint8Array;
  readonly aad?: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/**
 * The recipient's key as node:crypto's ECDH holds it. A 32-byte scalar or a JWK is used as it is (its `x`
 * and `y`, when given, must be the point `d` makes); a KeyObject goes through its JWK.
 */
function recipientEcdh(key: P256PrivateKeyInput): ECDH {
  const jwk = key instanceof Uint8Array ? undefined : toP256PrivateJwk(key);
  const d = key instanceof Uint8Array ? key : base64urlToBytes((jwk as { d: string }).d);
  if (d.length !== N_SK) throw new Oid4vpError('KEY_INVALID', 'a P-256 private scalar must be 32 bytes');
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(d);
  } catch (e) {
    throw new Oid4vpError('KEY_INVALID', 'not a valid P-256 private key', { cause: e });
  }
  // node:crypto imports a JWK's x and y as given, beside d: a key whose public half is another key's would
  // open with d and answer for the other point.
  if (jwk !== undefined) {
    const point = ecdh.getPublicKey();
    if (
      point.subarray(1, 33).toString('base64url') !== jwk.x ||
      point.subarray(33).toString('base64url') !== jwk.y
    )
      throw new Oid4vpError('KEY_INVALID', 'the private key’s x and y are not the point of its d');
  }
  return ecdh;
}

/** Opens a single-shot HPKE message (OpenBase, §6.1); any failure (bad enc, wrong key, wrong info, tampering) → HPKE_OPEN_FAILED. */
export async function hpkeOpen(input: HpkeOpenInput): Promise<Uint8Array> {
  const recipient = recipientEcdh(input.recipientPrivateKey);
  if (input.enc.length !== 65 || input.enc[0] !== 0x04) {
    throw new Oid4vpError('HPKE_OPEN_FAILED', 'enc must be a 65-byte uncompressed P-256 point');
  }
  if (input.ciphertext.length < TAG_LENGTH) {
    throw new Oid4vpError('HPKE_OPEN_FAILED', 'the ciphertext is shorter than its authentication tag');
  }
  try {
    const dh = recipient.computeSecret(input.enc);
    const kemContext = Buffer.concat([input.enc, recipient.getPublicKey()]);
    const { key, baseNonce } = keySchedule(extractAndExpand(dh, kemContext), input.info);
    const decipher = createDecipheriv('aes-128-gcm', key, baseNonce);
    if (input.aad !== undefined && input.aad.length > 0) decipher.setAAD(input.aad);
    const body = input.ciphertext.length - TAG_LENGTH;
    decipher.setAuthTag(input.ciphertext.subarray(body));
    const plaintext = Buffer.concat([decipher.update(input.ciphertext.subarray(0, body)), decipher.final()]);
    return new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  } catch (e) {
    throw new Oid4vpError(
      'HPKE_OPEN_FAILED',
      'HPKE open failed: sealed to another key or with another info',
      { cause: e },
    );
  }
}
