/**
 * WebAuthn challenges (WebAuthn L3 §13.4.3): 32 random bytes from the verifier, kept server-side with what
 * the ceremony is for, used once. The response names its challenge in clientDataJSON; claiming it is the
 * compare-and-set that refuses a replayed response (VERIFIER_PASSKEY_CHALLENGE_USED), a late one
 * (VERIFIER_PASSKEY_CHALLENGE_EXPIRED) and one this relying party never asked for
 * (VERIFIER_PASSKEY_CHALLENGE_UNKNOWN).
 */
import { randomBytes } from 'node:crypto';
import { VerifierError } from '../errors.js';
import type { PasskeyChallenge, PasskeyRepository } from './passkey-repository.js';
import type { PasskeyChallengeTable } from './passkey-tables.js';

/** Lifetime of a challenge, and the ceremony's timeout handed to the browser: 5 minutes. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** 32 fresh random bytes (≥ 16 as WebAuthn L3 §13.4.3 asks). */
export function newChallengeBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(32));
}

/** Claims the challenge for this relying party and ceremony, or throws why it cannot be. */
export async function claimChallenge(
  passkeys: PasskeyRepository,
  challenge: string,
  relyingPartyId: string,
  ceremony: PasskeyChallengeTable['ceremony'],
  now: number,
): Promise<PasskeyChallenge> {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(challenge))
    throw new VerifierError('VERIFIER_PASSKEY_CHALLENGE_UNKNOWN', 'no such challenge');
  const claim = await passkeys.claimChallenge(challenge, relyingPartyId, ceremony, now);
  switch (claim.result) {
    case 'claimed':
      return claim.challenge;
    case 'used':
      throw new VerifierError('VERIFIER_PASSKEY_CHALLENGE_USED', 'the challenge was already answered');
    case 'expired':
      throw new VerifierError('VERIFIER_PASSKEY_CHALLENGE_EXPIRED', 'the challenge has expired');
    default:
      throw new VerifierError('VERIFIER_PASSKEY_CHALLENGE_UNKNOWN', 'no such challenge');
  }
}
