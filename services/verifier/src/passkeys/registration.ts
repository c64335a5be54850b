/**
 * Registering the passkey of a verified person (WebAuthn L3 §7.1): the options are made only for a
 * session of this relying party whose verification was `valid`, recent and not yet spent
 * (proven-person.ts), on that session's own page origin — or, for a JPKI signature (verified by the
 * relying party's backend, no page origin), on the configured origin the caller names, or the party's only
 * one; the account id (the WebAuthn user handle) is
 * fresh and opaque, and the person is kept only as the keyed hash. Verifying the answer claims the
 * challenge once, checks type, origin, RP ID and user verification with codes of their own
 * (ceremony-data.ts), then lets @simplewebauthn/server verify the attestation (`none` asked: WebAuthn L3
 * §8.7 — the relying party needs the key, not the authenticator's make), and creates the account with its
 * first credential while spending the verification, in one transaction.
 */
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import {
  authenticatorDataOfAttestation,
  checkCeremony,
  readAuthenticatorData,
  readClientData,
} from './ceremony-data.js';
import { claimChallenge, newChallengeBytes, PASSKEY_CHALLENGE_TTL_MS } from './challenges.js';
import type { PasskeyRepository } from './passkey-repository.js';
import { provenPerson } from './proven-person.js';
import { rpIdFor } from './rp-id.js';

/** COSE algorithms accepted for passkeys: ES256, EdDSA, RS256 (RFC 9053 / RFC 8812). */
export const PASSKEY_ALGORITHMS: readonly number[] = [-7, -8, -257];

/** What registration options are asked with. */
export interface RegistrationOptionsInput {
  readonly sessionId: string;
  /** The label the passkey is saved under on the person's device (the relying party's choice; not stored). */
  readonly userName?: string | undefined;
  readonly userDisplayName?: string | undefined;
  /**
   * The page origin the passkey is created on, when the session has none of its own (a JPKI signature):
   * one of the relying party's configured origins. A DC API session's own origin always wins.
   */
  readonly origin?: string | undefined;
}

/** The ceremony origin: the session's, else the one named, else the party's only configured origin. */
function ceremonyOrigin(
  sessionOrigin: string | undefined,
  named: string | undefined,
  configured: readonly string[],
): string {
  if (sessionOrigin !== undefined) return sessionOrigin;
  if (named !== undefined) return named;
  const [only] = configured;
  if (configured.length === 1 && only !== undefined) return only;
  throw new VerifierError(
    'VERIFIER_ORIGIN_NOT_ALLOWED',
    "name the page origin: one of the relying party's configured origins",
  );
}

/** Options for `navigator.credentials.create` and when they lapse. */
export interface PasskeyOptions<T> {
  readonly options: T;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/** What a registration gives. */
export interface RegisteredPasskey {
  readonly accountId: string;
  readonly credentialId: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** Registration options for the person session `input.sessionId` proved (see the file comment). */
export async function registrationOptions(
  deps: VerifierDeps,
  passkeys: PasskeyRepository,
  caller: RpCaller,
  input: RegistrationOptionsInput,
): Promise<PasskeyOptions<PublicKeyCredentialCreationOptionsJSON>> {
  const now = deps.clock().getTime();
  const person = await provenPerson(deps, passkeys, caller.relyingPartyId, input.sessionId, now);
  const party = await deps.store.relyingParties.get(caller.relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  const origin = ceremonyOrigin(person.origin, input.origin, party.config.origins);
  const rpId = rpIdFor(party.config.origins, origin);
  // The account id is the WebAuthn user handle: random, opaque, no personal data (WebAuthn L3 §14.6.1).
  const accountHandle = newChallengeBytes().subarray(0, 16);
  const accountId = Buffer.from(accountHandle).toString('base64url');
  const userName = input.userName ?? party.name;
  const options = await generateRegistrationOptions({
    rpName: party.name,
    rpID: rpId,
    userName,
    userID: accountHandle,
    userDisplayName: input.userDisplayName ?? userName,
    challenge: newChallengeBytes(),
    timeout: PASSKEY_CHALLENGE_TTL_MS,
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: [...PASSKEY_ALGORITHMS],
  });
  const expiresAt = now + PASSKEY_CHALLENGE_TTL_MS;
  await passkeys.createChallenge({
    challenge: options.challenge,
    relying_party_id: caller.relyingPartyId,
    ceremony: 'registration',
    rp_id: rpId,
    origin,
    account_id: accountId,
    session_id: person.sessionId,
    record_id: person.recordId,
    identity_hmac: person.identityHmac,
    identity_key_id: person.identityKeyId,
    createdAt: now,
    expiresAt,
  });
  return { options, expiresAt: new Date(expiresAt).toISOString() };
}

/** Verifies a registration answer and creates the account (see the file comment). */
export async function verifyRegistration(
  deps: VerifierDeps,
  passkeys: PasskeyRepository,
  caller: RpCaller,
  response: RegistrationResponseJSON,
): Promise<RegisteredPasskey> {
  const now = deps.clock().getTime();
  const client = readClientData(response.response.clientDataJSON);
  const challenge = await claimChallenge(
    passkeys,
    client.challenge,
    caller.relyingPartyId,
    'registration',
    now,
  );
  const { account_id: accountId, session_id: sessionId, record_id: recordId } = challenge;
  const { identity_hmac: identityHmac, identity_key_id: identityKeyId } = challenge;
  if (
    accountId === null ||
    sessionId === null ||
    recordId === null ||
    identityHmac === null ||
    identityKeyId === null
  )
    throw new VerifierError('VERIFIER_PASSKEY_CHALLENGE_UNKNOWN', 'no such challenge');
  const authData = readAuthenticatorData(authenticatorDataOfAttestation(response.response.attestationObject));
  checkCeremony(client, authData, {
    type: 'webauthn.create',
    origins: [challenge.origin],
    rpId: challenge.rp_id,
  });
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: challenge.origin,
      expectedRPID: challenge.rp_id,
      requireUserVerification: true,
      supportedAlgorithmIDs: [...PASSKEY_ALGORITHMS],
    });
  } catch (e) {
    throw new VerifierError('VERIFIER_PASSKEY_INVALID', 'the attestation does not verify', { cause: e });
  }
  if (!verified.verified)
    throw new VerifierError('VERIFIER_PASSKEY_INVALID', 'the attestation does not verify');
  const info = verified.registrationInfo;
  const transports = (response.response.transports ?? []).slice(0, 8);
  await passkeys.createAccount(
    {
      id: accountId,
      relyingPartyId: caller.relyingPartyId,
      identityHmac,
      identityKeyId,
      recordId,
      sessionId,
      createdAt: now,
      verifiedAt: now,
      stepUpRequestedAt: null,
    },
    {
      id: info.credential.id,
      relyingPartyId: caller.relyingPartyId,
      accountId,
      rpId: challenge.rp_id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports,
      backedUp: info.credentialBackedUp,
      createdAt: now,
      lastUsedAt: null,
    },
  );
  return { accountId, credentialId: info.credential.id, createdAt: new Date(now).toISOString() };
}
