/**
 * Challenges of the installation steps, kept single use by the issuer's nonce store (@mynakit/db
 * NonceStore: one conditional UPDATE consumes a nonce, so of two requests — or two instances — racing
 * with the same value exactly one wins).
 *
 * One value serves both proofs of the card step (DOMAIN.md §3 "Signatures"): as the `nonce` of the
 * installation request the card's signature key signs (CMS), and — decoded to its 32 bytes — as the
 * challenge a user-authentication key signs (DigestInfo(SHA-256, challenge), @mynakit/jpki
 * auth-challenge.ts). The `challengeId` handed out *is* that value in base64url, so nothing maps one to
 * the other and the issuer never takes a challenge from the client that it did not store itself.
 */
import { CHALLENGE_LENGTH } from '@mynakit/jpki';
import { IssuerError } from '../errors.js';
import type { IssuerRepositories } from '../store/issuer-store.js';

/** Purpose of card-step and record-offer challenges in the nonce store. */
export const INSTALLATION_CHALLENGE_PURPOSE = 'installation-challenge';

/** A challenge lives 5 minutes: the holder reads the card right after asking for it. */
export const CHALLENGE_TTL_SECONDS = 300;

/** A challenge as handed out. */
export interface InstallationChallenge {
  /** base64url of the 32 challenge bytes: the `nonce` of a signed installation request, the `challengeId` of a user authentication. */
  readonly challengeId: string;
  /** The 32 bytes a user-authentication key signs (DigestInfo(SHA-256, challenge)). */
  readonly challenge: Uint8Array;
  readonly expiresAt: Date;
}

/** Draws and stores a fresh challenge. */
export async function issueChallenge(
  repos: Pick<IssuerRepositories, 'nonces'>,
  random: (b: Uint8Array) => Uint8Array,
  now: Date,
  purpose: string = INSTALLATION_CHALLENGE_PURPOSE,
  ttlSeconds: number = CHALLENGE_TTL_SECONDS,
): Promise<InstallationChallenge> {
  const challenge = random(new Uint8Array(CHALLENGE_LENGTH));
  const challengeId = Buffer.from(challenge).toString('base64url');
  await repos.nonces.issue({ nonce: challengeId, purpose, now, ttlSeconds });
  return { challengeId, challenge, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
}

/** The 32 challenge bytes of a challenge id, or ISSUER_CHALLENGE_UNKNOWN when it cannot be one. */
export function challengeBytesOf(challengeId: string): Uint8Array {
  const bytes = /^[A-Za-z0-9_-]{43}$/.test(challengeId)
    ? Buffer.from(challengeId, 'base64url')
    : Buffer.alloc(0);
  if (bytes.length !== CHALLENGE_LENGTH)
    throw new IssuerError('ISSUER_CHALLENGE_UNKNOWN', 'the challenge was not handed out here');
  return new Uint8Array(bytes);
}

/**
 * Uses up a nonce: returns when this request won it, throws ISSUER_CHALLENGE_UNKNOWN (never handed out,
 * or for another purpose), ISSUER_CHALLENGE_REPLAYED (used before) or ISSUER_CHALLENGE_EXPIRED.
 */
export async function consumeChallenge(
  repos: Pick<IssuerRepositories, 'nonces'>,
  nonce: string,
  now: Date,
  purpose: string = INSTALLATION_CHALLENGE_PURPOSE,
): Promise<void> {
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 256)
    throw new IssuerError('ISSUER_CHALLENGE_UNKNOWN', 'the challenge was not handed out here');
  const result = await repos.nonces.consume({ nonce, purpose, now });
  switch (result) {
    case 'consumed':
      return;
    case 'replayed':
      throw new IssuerError('ISSUER_CHALLENGE_REPLAYED', 'the challenge was used before; ask for a new one');
    case 'expired':
      throw new IssuerError('ISSUER_CHALLENGE_EXPIRED', 'the challenge has expired; ask for a new one');
    default:
      throw new IssuerError('ISSUER_CHALLENGE_UNKNOWN', 'the challenge was not handed out here');
  }
}
