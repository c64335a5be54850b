import { constants, type KeyObject, privateEncrypt, publicDecrypt, timingSafeEqual } from 'node:crypto';
import { JpkiError } from './errors.js';

/**
 * The JPKI user-authentication challenge–response (DOMAIN.md §3): the relying party sends a random
 * challenge; the holder's authentication key signs the DER DigestInfo of it with RSA PKCS#1 v1.5 — the
 * card/secure element receives the DigestInfo itself and only pads and exponentiates (RFC 8017 §9.2 steps
 * 2–5 done by the caller, §8.2.1 by the key).
 *
 * RFC 8017 §9.2:
 *   DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
 * For SHA-256 the DER prefix is 30 31 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20 (RFC 8017 §9.2
 * note 1). The 32-byte challenge is the `digest` value: the signature is then identical to RSASSA-PKCS1-v1_5
 * with SHA-256 over a message whose hash is the challenge, which any PKCS#1 library can verify as a
 * "pre-hashed" signature (`openssl pkeyutl -verify -pkeyopt digest:sha256`).
 */
export const CHALLENGE_LENGTH = 32;

const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
  0x20,
]);

export type RandomFill = (bytes: Uint8Array) => Uint8Array;

/** A fresh 32-byte challenge. Randomness may be injected (tests); the default is crypto.getRandomValues. */
export function createChallenge(
  random: RandomFill = (b) => globalThis.crypto.getRandomValues(b),
): Uint8Array {
  const c = random(new Uint8Array(CHALLENGE_LENGTH));
  if (c.length !== CHALLENGE_LENGTH)
    throw new JpkiError('CHALLENGE_LENGTH', 'the random source returned the wrong length');
  return c;
}

/** DER DigestInfo(SHA-256, challenge). */
export function challengeDigestInfo(challenge: Uint8Array): Uint8Array {
  if (challenge.length !== CHALLENGE_LENGTH) {
    throw new JpkiError('CHALLENGE_LENGTH', `the challenge must be ${CHALLENGE_LENGTH} bytes`);
  }
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + CHALLENGE_LENGTH);
  out.set(SHA256_DIGEST_INFO_PREFIX, 0);
  out.set(challenge, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}

/** The wallet side: sign DigestInfo(SHA-256, challenge) with the RSA authentication key (PKCS#1 v1.5). */
export function signAuthChallenge(challenge: Uint8Array, privateKey: KeyObject): Uint8Array {
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw new JpkiError('INVALID_ARGUMENT', 'the authentication key must be RSA');
  return new Uint8Array(
    privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, challengeDigestInfo(challenge)),
  );
}

/**
 * Whether `signature` is the RSA PKCS#1 v1.5 signature of DigestInfo(SHA-256, challenge) under `publicKey`.
 * The recovered block is compared in constant time; any padding or key error is a plain `false`.
 */
export function verifyAuthChallengeSignature(
  challenge: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  if (publicKey.asymmetricKeyType !== 'rsa') return false;
  const expected = challengeDigestInfo(challenge);
  const modulusBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (signature.length !== modulusBytes) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}
