/**
 * The installation request the card signs in the card step (services/issuer README "The card step"):
 * the JSON text of `{"deviceInfo":{…},"family":…,"nonce":…}` with every object's members sorted by name
 * and no whitespace — the JSON Canonicalization Scheme (RFC 8785 §3.2.3) for these all-string values —
 * in UTF-8; `deviceInfo` is `{}` when absent. The issuer rebuilds these bytes from the fields it receives.
 */

/** The fields the card signs. */
export interface InstallationRequestFields {
  readonly family: 'iphone' | 'android';
  /** The challenge id from POST /installations/challenges. */
  readonly nonce: string;
  /** Model, OS, app version — no personal data; string values. */
  readonly deviceInfo?: Readonly<Record<string, string>>;
}

function canonicalObject(members: readonly (readonly [string, string])[]): string {
  // RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names.
  const sorted = [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** The canonical bytes of an installation request. */
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
