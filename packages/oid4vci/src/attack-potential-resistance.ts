/**
 * Attack potential resistance values for `key_storage` and `user_authentication` (OpenID4VCI 1.0
 * Appendix D.2), and whether an attestation meets what an issuer accepts (§12.2.4
 * `key_attestations_required`).
 *
 * D.2: "`iso_18045_high`: … resistant to attack with attack potential "High", equivalent to VAN.5
 * according to [ISO.18045]. `iso_18045_moderate`: … "Moderate", VAN.4. `iso_18045_enhanced-basic`: …
 * "Enhanced-Basic", VAN.3. `iso_18045_basic`: … "Basic", VAN.2." "When [ISO.18045] is not used,
 * ecosystems may define their own values."
 *
 * §12.2.4: `key_storage` / `user_authentication` in `key_attestations_required` are "A non-empty array
 * defining values specified in (#keyattestation-apr) accepted by the Credential Issuer." The requirement
 * is met when the attestation asserts one of the accepted values; for the four ISO/IEC 18045 values we
 * also count a stronger level as meeting a weaker one (resistance to "High" attack potential includes
 * resistance to "Moderate"), so an issuer may list just its minimum.
 */

/** The Appendix D.2 values, weakest first. */
export const ATTACK_POTENTIAL_RESISTANCE = Object.freeze([
  'iso_18045_basic',
  'iso_18045_enhanced-basic',
  'iso_18045_moderate',
  'iso_18045_high',
] as const);

/** One of the four ISO/IEC 18045 values of Appendix D.2. */
export type AttackPotentialResistance = (typeof ATTACK_POTENTIAL_RESISTANCE)[number];

/** The VAN level rank (2 basic … 5 high) of an ISO/IEC 18045 value, undefined for other values. */
function rank(value: string): number | undefined {
  const i = (ATTACK_POTENTIAL_RESISTANCE as readonly string[]).indexOf(value);
  return i < 0 ? undefined : i + 2;
}

/**
 * Whether the values an attestation asserts meet the values an issuer accepts: one asserted value is
 * accepted verbatim, or an asserted ISO/IEC 18045 level is at least the weakest accepted ISO/IEC 18045 level.
 */
export function meetsAttackPotentialResistance(
  asserted: readonly string[],
  accepted: readonly string[],
): boolean {
  let minAccepted: number | undefined;
  for (const a of accepted) {
    const r = rank(a);
    if (r !== undefined && (minAccepted === undefined || r < minAccepted)) minAccepted = r;
  }
  for (const v of asserted) {
    if (accepted.includes(v)) return true;
    const r = rank(v);
    if (r !== undefined && minAccepted !== undefined && r >= minAccepted) return true;
  }
  return false;
}
