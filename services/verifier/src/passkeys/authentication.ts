/**
 * Signing a person in with the passkey bound to them (WebAuthn L3 §7.2). The options name a configured
 * page origin (its host is the RP ID, rp-id.ts) and, when the relying party knows the account, its
 * credentials; without one the browser offers the discoverable passkeys of that RP ID. Verifying the
 * answer claims the challenge once, finds the credential among this relying party's (and of the account
 * asked for), checks type, origin, RP ID and user verification with codes of their own (ceremony-data.ts),
 * lets @simplewebauthn/server verify the signature over authenticatorData ‖ SHA-256(clientDataJSON), and
 * moves the signature counter by compare-and-set: a counter that did not grow while either value is
 * non-zero is VERIFIER_PASSKEY_COUNTER_REGRESSION (§6.1.1: a cloned authenticator may exist).
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import {
  authenticatorDataOfAssertion,
  checkCeremony,
  readAuthenticatorData,
  readClientData,
} from './ceremony-data.js';
import { claimChallenge, newChallengeBytes, PASSKEY_CHALLENGE_TTL_MS } from './challenges.js';
import type { PasskeyRepository } from './passkey-repository.js';
import type { PasskeyOptions } from './registration.js';
import { rpIdFor } from './rp-id.js';

/** What sign-in options are asked with. */
export interface AuthenticationOptionsInput {
  /** The page origin the sign-in runs on: one of the relying party's configured origins. */
  readonly origin: string;
  /** The account to sign in, when the relying party knows it; absent: any discoverable passkey. */
  readonly accountId?: string | undefined;
}

/** A successful sign-in. */
export interface SignedIn {
  readonly accountId: string;
  readonly credentialId: string;
  /** Whether the relying party asked for a fresh card verification that is still pending (step-up). */
  readonly stepUpRequired: boolean;
  /** ISO 8601: when the account was last bound to a valid card verification. */
  readonly verifiedAt: string;
}

/** Sign-in options (see the file comment). VERIFIER_ORIGIN_NOT_ALLOWED, VERIFIER_NOT_FOUND (account). */
export async function authenticationOptions(
  deps: VerifierDeps,
  passkeys: PasskeyRepository,
  caller: RpCaller,
  input: AuthenticationOptionsInput,
): Promise<PasskeyOptions<PublicKeyCredentialRequestOptionsJSON>> {
  const now = deps.clock().getTime();
  const party = await deps.store.relyingParties.get(caller.relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  const rpId = rpIdFor(party.config.origins, input.origin);
  let allowCredentials: { id: string; transports?: string[] }[] | undefined;
  if (input.accountId !== undefined) {
    const account = await passkeys.getAccount(input.accountId, caller.relyingPartyId);
    if (account === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such account');
    const credentials = await passkeys.credentialsOf(account.id, caller.relyingPartyId);
    allowCredentials = credentials
      .filter((c) => c.rpId === rpId)
      .map((c) => ({ id: c.id, transports: [...c.transports] }));
  }
  const options = await generateAuthenticationOptions({
    rpID: rpId,
    challenge: newChallengeBytes(),
    timeout: PASSKEY_CHALLENGE_TTL_MS,
    userVerification: 'required',
    ...(allowCredentials === undefined ? {} : { allowCredentials }),
  });
  const expiresAt = now + PASSKEY_CHALLENGE_TTL_MS;
  await passkeys.createChallenge({
    challenge: options.challenge,
    relying_party_id: caller.relyingPartyId,
    ceremony: 'authentication',
    rp_id: rpId,
    origin: input.origin,
    account_id: input.accountId ?? null,
    session_id: null,
    record_id: null,
    identity_hmac: null,
    identity_key_id: null,
    createdAt: now,
    expiresAt,
  });
  return { options, expiresAt: new Date(expiresAt).toISOString() };
}

/** Verifies a sign-in answer (see the file comment). */
export async function verifyAuthentication(
  deps: VerifierDeps,
  passkeys: PasskeyRepository,
  caller: RpCaller,
  response: AuthenticationResponseJSON,
): Promise<SignedIn> {
  const now = deps.clock().getTime();
  const client = readClientData(response.response.clientDataJSON);
  const challenge = await claimChallenge(
    passkeys,
    client.challenge,
    caller.relyingPartyId,
    'authentication',
    now,
  );
  const unknown = () =>
    new VerifierError('VERIFIER_PASSKEY_CREDENTIAL_UNKNOWN', 'the passkey is not registered here');
  const credential = await passkeys.getCredential(response.id, caller.relyingPartyId);
  if (credential === undefined) throw unknown();
  if (challenge.account_id !== null && credential.accountId !== challenge.account_id) throw unknown();
  if (credential.rpId !== challenge.rp_id)
    throw new VerifierError('VERIFIER_PASSKEY_RP_ID_MISMATCH', 'the passkey was made for another RP ID');
  // §7.2 step 6: a user handle, when returned, must be the account the credential belongs to.
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== credential.accountId)
    throw new VerifierError('VERIFIER_PASSKEY_INVALID', 'the user handle is not the credential’s account');
  const authData = readAuthenticatorData(authenticatorDataOfAssertion(response.response.authenticatorData));
  checkCeremony(client, authData, {
    type: 'webauthn.get',
    origins: [challenge.origin],
    rpId: challenge.rp_id,
  });
  let newCounter: number;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: challenge.origin,
      expectedRPID: challenge.rp_id,
      // The counter is judged below with its own code, against the stored value by compare-and-set.
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: 0,
        transports: [...credential.transports] as never,
      },
      requireUserVerification: true,
    });
    if (!verified.verified) throw new Error('not verified');
    newCounter = verified.authenticationInfo.newCounter;
  } catch (e) {
    throw new VerifierError('VERIFIER_PASSKEY_INVALID', 'the assertion does not verify', { cause: e });
  }
  const regression = () =>
    new VerifierError(
      'VERIFIER_PASSKEY_COUNTER_REGRESSION',
      'the signature counter did not grow: the passkey may have been cloned',
    );
  if ((credential.counter > 0 || newCounter > 0) && newCounter <= credential.counter) throw regression();
  if (
    !(await passkeys.advanceCounter(
      credential.id,
      caller.relyingPartyId,
      credential.counter,
      newCounter,
      now,
    ))
  )
    throw regression();
  const account = await passkeys.getAccount(credential.accountId, caller.relyingPartyId);
  if (account === undefined) throw unknown();
  return {
    accountId: account.id,
    credentialId: credential.id,
    stepUpRequired: account.stepUpRequestedAt !== null,
    verifiedAt: new Date(account.verifiedAt).toISOString(),
  };
}
