/**
 * The installation request a card's signature key signs in the card step, and its canonical bytes.
 *
 * The phone sends the fields in JSON next to a CMS SignedData (RFC 5652) whose content — attached or
 * detached — must be exactly the canonical form of those fields, so the issuer rebuilds the bytes itself
 * and a request whose fields were changed after signing fails the CMS messageDigest:
 *
 *   canonical = JSON text of { "deviceInfo": {…}, "family": "iphone" | "android", "nonce": <challengeId> }
 *               with the members of every object in code-point order of their names, no whitespace,
 *               strings escaped as JSON.stringify does — the JSON Canonicalization Scheme (RFC 8785) for
 *               these all-string values — in UTF-8; `deviceInfo` is `{}` when absent.
 */

/** The phone families (DOMAIN.md §1 "Two phone families"). */
export type InstallationFamilyName = 'iphone' | 'android';

/** The fields of an installation request that the card signs. */
export interface InstallationRequestFields {
  readonly family: InstallationFamilyName;
  /** A challenge id from POST /installations/challenges (single use). */
  readonly nonce: string;
  /** A description of the device (model, OS, app version) — no personal data; string values only. */
  readonly deviceInfo?: Readonly<Record<string, string>>;
}

/** At most this many `deviceInfo` members. */
export const MAX_DEVICE_INFO_MEMBERS = 16;

/** Names a `deviceInfo` member may have (a letter first: never `__proto__`). */
export const DEVICE_INFO_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** RFC 8785 for an object whose values are strings: members sorted by their names' UTF-16 code units. */
function canonicalObject(members: readonly (readonly [string, string])[]): string {
  const sorted = [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** The bytes a card signs for an installation request (see the file comment). */
export function canonicalInstallationRequest(fields: InstallationRequestFields): Uint8Array {
  const device = Object.entries(fields.deviceInfo ?? {}).map(
    ([k, v]) => [k, JSON.stringify(String(v))] as const,
  );
  return new TextEncoder().encode(
    canonicalObject([
      ['deviceInfo', canonicalObject(device)],
      ['family', JSON.stringify(fields.family)],
      ['nonce', JSON.stringify(fields.nonce)],
    ]),
  );
}
