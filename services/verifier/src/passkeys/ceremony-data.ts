/**
 * What the verifier reads of a WebAuthn response before handing it to @simplewebauthn/server, so every
 * refusal has a stable code of its own: the collected client data (WebAuthn L3 §5.8.1 — `type`,
 * `challenge`, `origin`) and the authenticator data (§6.1):
 *
 * ```
 * rpIdHash (32) | flags (1: UP 0x01, UV 0x04, BE 0x08, BS 0x10, AT 0x40, ED 0x80) | signCount (4, big-endian) | …
 * ```
 *
 * In a registration the authenticator data sits in the attestation object (§6.5.4: a CBOR map
 * `{fmt, attStmt, authData}`), decoded with @mynakit/cbor. Malformed input is VERIFIER_PASSKEY_INVALID.
 */
import { createHash } from 'node:crypto';
import { asMap, decode } from '@mynakit/cbor';
import { VerifierError } from '../errors.js';

/** The collected client data a ceremony is judged by. */
export interface ClientData {
  readonly type: string;
  /** base64url, as the page received it. */
  readonly challenge: string;
  readonly origin: string;
  /** Present when the ceremony ran in a cross-origin iframe (§5.8.1). */
  readonly crossOrigin: boolean;
}

/** The parts of the authenticator data the verifier decides on. */
export interface AuthenticatorDataFacts {
  readonly rpIdHash: Uint8Array;
  readonly userPresent: boolean;
  readonly userVerified: boolean;
  readonly backupEligible: boolean;
  readonly backedUp: boolean;
  readonly signCount: number;
}

/** Longest clientDataJSON accepted, bytes (ours are ≈ 200; extensions may add some). */
const MAX_CLIENT_DATA_BYTES = 4096;

function invalid(detail: string): VerifierError {
  return new VerifierError('VERIFIER_PASSKEY_INVALID', detail);
}

function base64url(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw invalid(`${what} is not base64url`);
  return Buffer.from(text, 'base64url');
}

/** Parses clientDataJSON (base64url of UTF-8 JSON). */
export function readClientData(clientDataJSON: string): ClientData {
  const bytes = base64url(clientDataJSON, 'clientDataJSON');
  if (bytes.length > MAX_CLIENT_DATA_BYTES) throw invalid('clientDataJSON is too large');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('clientDataJSON is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid('clientDataJSON is not an object');
  const o = parsed as Record<string, unknown>;
  const get = (k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
  const type = get('type');
  const challenge = get('challenge');
  const origin = get('origin');
  if (typeof type !== 'string' || typeof challenge !== 'string' || typeof origin !== 'string')
    throw invalid('clientDataJSON lacks type, challenge or origin');
  if (challenge.length > 512 || origin.length > 512) throw invalid('clientDataJSON member too long');
  return { type, challenge, origin, crossOrigin: get('crossOrigin') === true };
}

/** Reads the fixed head of authenticator data (§6.1). */
export function readAuthenticatorData(authData: Uint8Array): AuthenticatorDataFacts {
  if (authData.length < 37) throw invalid('authenticator data shorter than 37 bytes');
  const flags = authData[32] as number;
  const view = new DataView(authData.buffer, authData.byteOffset, authData.byteLength);
  return {
    rpIdHash: authData.subarray(0, 32),
    userPresent: (flags & 0x01) !== 0,
    userVerified: (flags & 0x04) !== 0,
    backupEligible: (flags & 0x08) !== 0,
    backedUp: (flags & 0x10) !== 0,
    signCount: view.getUint32(33),
  };
}

/** The authenticator data of an attestation object (base64url CBOR map with `authData`). */
export function authenticatorDataOfAttestation(attestationObject: string): Uint8Array {
  const bytes = base64url(attestationObject, 'attestationObject');
  let authData: unknown;
  try {
    const map = asMap(decode(new Uint8Array(bytes)), 'attestationObject');
    authData = map.get('authData');
  } catch {
    throw invalid('attestationObject is not a CBOR map');
  }
  if (!(authData instanceof Uint8Array)) throw invalid('attestationObject has no authData');
  return authData;
}

/** The authenticator data of an assertion (base64url). */
export function authenticatorDataOfAssertion(authenticatorData: string): Uint8Array {
  return new Uint8Array(base64url(authenticatorData, 'authenticatorData'));
}

/**
 * The refusals with codes of their own, in the order WebAuthn L3 §7.1 / §7.2 checks them: the ceremony
 * type, the origin (VERIFIER_PASSKEY_ORIGIN_MISMATCH), the RP ID hash (VERIFIER_PASSKEY_RP_ID_MISMATCH),
 * user presence (VERIFIER_PASSKEY_INVALID) and user verification (VERIFIER_PASSKEY_USER_NOT_VERIFIED).
 */
export function checkCeremony(
  client: ClientData,
  auth: AuthenticatorDataFacts,
  expected: { type: 'webauthn.create' | 'webauthn.get'; origins: readonly string[]; rpId: string },
): void {
  if (client.type !== expected.type) throw invalid(`clientDataJSON.type is not ${expected.type}`);
  if (!expected.origins.includes(client.origin) || client.crossOrigin)
    throw new VerifierError(
      'VERIFIER_PASSKEY_ORIGIN_MISMATCH',
      'the ceremony ran on an origin the relying party did not start it on',
    );
  const want = createHash('sha256').update(expected.rpId, 'utf8').digest();
  if (!want.equals(Buffer.from(auth.rpIdHash)))
    throw new VerifierError('VERIFIER_PASSKEY_RP_ID_MISMATCH', 'the authenticator data is for another RP ID');
  if (!auth.userPresent) throw invalid('the authenticator did not test user presence');
  if (!auth.userVerified)
    throw new VerifierError(
      'VERIFIER_PASSKEY_USER_NOT_VERIFIED',
      'the authenticator did not verify the user',
    );
}
