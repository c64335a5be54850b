/**
 * The verification a passkey account may be bound to (or a step-up completed with): a session of this
 * relying party that ended in a `valid` verification, within PASSKEY_OFFER_WINDOW_MS of it, whose
 * verification was not yet spent on a passkey or a step-up (FSA/JSDA 2025-10: the passkey is offered right
 * after the identity proofing, in that session only). The person is read from the session's verification
 * record — name and birth date (DOMAIN.md §5) — and kept only as its keyed hash (identity-binding.ts).
 *
 * Two kinds of session prove a person: a Digital Credentials API / Annex C session (the card-substitute
 * record) and a JPKI signature session, whose record holds the basic four of the signature certificate
 * (jpki/jpki-record-content.ts). The same name and birth date give the same hash either way, so a person
 * verified once with the record and once with a JPKI signature is one account for a step-up. A JPKI
 * user-authentication session proves no person: its certificate carries no personal data (公的個人認証法
 * §22; DOMAIN.md §3), so it is refused as VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE.
 */
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { JpkiSessionRepository } from '../jpki/jpki-session-repository.js';
import { getRecord } from '../records/record-chains.js';
import { boundIdentityOf, identityHmac, identityKeyOf } from './identity-binding.js';
import type { PasskeyRepository } from './passkey-repository.js';

/**
 * How long after a valid verification it may bind a passkey or complete a step-up: 10 minutes. (Sessions
 * themselves are deleted by the maintenance once expired, which may come sooner: ask at once.)
 */
export const PASSKEY_OFFER_WINDOW_MS = 10 * 60 * 1000;

/** A verified person, as a passkey binds it. */
export interface ProvenPerson {
  readonly sessionId: string;
  readonly recordId: string;
  /**
   * The page origin the verification ran on; undefined for a JPKI signature, which the relying party's
   * backend verifies without a page origin (the ceremony's origin is then named by the caller).
   */
  readonly origin: string | undefined;
  readonly verifiedAt: number;
  readonly identityHmac: string;
  readonly identityKeyId: string;
}

/** What provenPerson reads of either kind of session. */
interface ProvingSession {
  readonly id: string;
  readonly origin: string | undefined;
  readonly state: string;
  readonly verdict: string | null;
  readonly recordId: string | null;
  readonly completedAt: number | null;
  /** False for a JPKI user authentication (no personal data in its certificate). */
  readonly namesPerson: boolean;
}

/** Session `sessionId` of the relying party, looked up among the DC API sessions, then the JPKI ones. */
async function provingSession(
  deps: VerifierDeps,
  relyingPartyId: string,
  sessionId: string,
): Promise<ProvingSession | undefined> {
  const session = await deps.store.sessions.get(sessionId, relyingPartyId);
  if (session !== undefined)
    return {
      id: session.id,
      origin: session.origin,
      state: session.state,
      verdict: session.verdict,
      recordId: session.recordId,
      completedAt: session.completedAt,
      namesPerson: true,
    };
  const jpki = await new JpkiSessionRepository(deps.store.db).get(sessionId, relyingPartyId);
  if (jpki === undefined) return undefined;
  return {
    id: jpki.id,
    origin: undefined,
    state: jpki.state,
    verdict: jpki.verdict,
    recordId: jpki.recordId,
    completedAt: jpki.completedAt,
    namesPerson: jpki.kind === 'signature',
  };
}

/**
 * The person session `sessionId` proved (see the file comment): VERIFIER_NOT_FOUND,
 * VERIFIER_PASSKEY_SESSION_NOT_VALID, VERIFIER_PASSKEY_OFFER_EXPIRED, VERIFIER_PASSKEY_SESSION_USED,
 * VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE.
 */
export async function provenPerson(
  deps: VerifierDeps,
  passkeys: PasskeyRepository,
  relyingPartyId: string,
  sessionId: string,
  now: number,
): Promise<ProvenPerson> {
  const session = await provingSession(deps, relyingPartyId, sessionId);
  if (session === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  if (
    session.state !== 'done' ||
    session.verdict !== 'valid' ||
    session.recordId === null ||
    session.completedAt === null
  )
    throw new VerifierError(
      'VERIFIER_PASSKEY_SESSION_NOT_VALID',
      'the session did not end in a valid verification',
    );
  // A completion slightly in this instance's future (another instance's clock) is still recent.
  if (now - session.completedAt > PASSKEY_OFFER_WINDOW_MS)
    throw new VerifierError(
      'VERIFIER_PASSKEY_OFFER_EXPIRED',
      'the verification is too old: verify the card again',
    );
  if (!session.namesPerson)
    throw new VerifierError(
      'VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE',
      'a JPKI user authentication names no person: verify with a JPKI signature or the card',
    );
  if (await passkeys.sessionUsed(session.id))
    throw new VerifierError('VERIFIER_PASSKEY_SESSION_USED', 'the verification was already used');
  const record = await getRecord(deps.store, session.recordId, { relyingPartyId });
  const identity = boundIdentityOf(record?.content);
  if (identity === undefined)
    throw new VerifierError(
      'VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE',
      'the verification record holds no name and birth date (request them) or was purged',
    );
  const key = identityKeyOf(deps.config);
  return {
    sessionId: session.id,
    recordId: session.recordId,
    origin: session.origin,
    verifiedAt: session.completedAt,
    identityHmac: identityHmac(key, identity),
    identityKeyId: key.id,
  };
}
