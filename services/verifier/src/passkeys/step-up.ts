/**
 * Step-up before a high-risk operation (FSA/JSDA 2025-10): the relying party marks that an account needs a
 * fresh card verification; the person verifies the card again in a new session, and that verification
 * completes the step-up only when it is valid, recent, unspent, made after the step-up was asked, and of
 * the SAME person — its record's name and birth date give the same keyed hash as the account's
 * (identity-binding.ts; never the facts compared in the clear, never stored). The account is then bound to
 * the new verification record.
 */
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import { sameIdentity } from './identity-binding.js';
import type { PasskeyAccount, PasskeyRepository } from './passkey-repository.js';
import { provenPerson } from './proven-person.js';

/** An account as the relying party reads it (no personal data). */
export interface AccountView {
  readonly accountId: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601: when the account was last bound to a valid card verification (registration or step-up). */
  readonly verifiedAt: string;
  /** The verification record of that binding. */
  readonly recordId: string;
  readonly stepUpRequired: boolean;
  /** ISO 8601, or null. */
  readonly stepUpRequestedAt: string | null;
  readonly credentials: readonly {
    readonly credentialId: string;
    readonly rpId: string;
    readonly transports: readonly string[];
    readonly backedUp: boolean;
    readonly createdAt: string;
    readonly lastUsedAt: string | null;
  }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

async function accountOrThrow(
  passkeys: PasskeyRepository,
  caller: RpCaller,
  accountId: string,
): Promise<PasskeyAccount> {
  const account = await passkeys.getAccount(accountId, caller.relyingPartyId);
  if (account === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such account');
  return account;
}

/** The account with its credentials; VERIFIER_NOT_FOUND. */
export async function accountView(
  passkeys: PasskeyRepository,
  caller: RpCaller,
  accountId: string,
): Promise<AccountView> {
  const a = await accountOrThrow(passkeys, caller, accountId);
  const credentials = await passkeys.credentialsOf(a.id, caller.relyingPartyId);
  return {
    accountId: a.id,
    createdAt: iso(a.createdAt),
    verifiedAt: iso(a.verifiedAt),
    recordId: a.recordId,
    stepUpRequired: a.stepUpRequestedAt !== null,
    stepUpRequestedAt: a.stepUpRequestedAt === null ? null : iso(a.stepUpRequestedAt),
    credentials: credentials.map((c) => ({
      credentialId: c.id,
      rpId: c.rpId,
      transports: c.transports,
      backedUp: c.backedUp,
      createdAt: iso(c.createdAt),
      lastUsedAt: c.lastUsedAt === null ? null : iso(c.lastUsedAt),
    })),
  };
}

/** Marks that the account needs a fresh card verification (idempotent: the first request's time stays). */
export async function requestStepUp(
  deps: VerifierDeps,
  passkeys: PasskeyRepository,
  caller: RpCaller,
  accountId: string,
): Promise<AccountView> {
  const now = deps.clock().getTime();
  if (!(await passkeys.requestStepUp(accountId, caller.relyingPartyId, now)))
    throw new VerifierError('VERIFIER_NOT_FOUND', 'no such account');
  return accountView(passkeys, caller, accountId);
}

/**
 * Completes the pending step-up with the verification of session `sessionId` (see the file comment):
 * VERIFIER_NOT_FOUND, VERIFIER_PASSKEY_STEP_UP_NOT_REQUESTED, the refusals of provenPerson,
 * VERIFIER_PASSKEY_OFFER_EXPIRED (verified before the step-up was asked),
 * VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE (bound under another identity key), VERIFIER_PASSKEY_IDENTITY_MISMATCH.
 */
export async function completeStepUp(
  deps: VerifierDeps,
  passkeys: PasskeyRepository,
  caller: RpCaller,
  accountId: string,
  sessionId: string,
): Promise<AccountView> {
  const now = deps.clock().getTime();
  const account = await accountOrThrow(passkeys, caller, accountId);
  const requestedAt = account.stepUpRequestedAt;
  if (requestedAt === null)
    throw new VerifierError('VERIFIER_PASSKEY_STEP_UP_NOT_REQUESTED', 'no step-up is pending');
  const person = await provenPerson(deps, passkeys, caller.relyingPartyId, sessionId, now);
  if (person.verifiedAt < requestedAt)
    throw new VerifierError(
      'VERIFIER_PASSKEY_OFFER_EXPIRED',
      'the verification was made before the step-up was asked: verify the card again',
    );
  if (person.identityKeyId !== account.identityKeyId)
    throw new VerifierError(
      'VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE',
      'the account is bound under another identity key: register a new passkey',
    );
  if (!sameIdentity(person.identityHmac, account.identityHmac))
    throw new VerifierError(
      'VERIFIER_PASSKEY_IDENTITY_MISMATCH',
      'the verification is of another person than the account’s',
    );
  await passkeys.completeStepUp(account, {
    sessionId: person.sessionId,
    recordId: person.recordId,
    requestedAt,
    now,
  });
  return accountView(passkeys, caller, accountId);
}
