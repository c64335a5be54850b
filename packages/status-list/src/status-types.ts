/**
 * Status Types (draft-ietf-oauth-status-list-20 §7, values in §7.1 and the IANA "Status Types"
 * registry of §14). A status is one whole `bits`-wide value; a list never carries several statuses
 * per entry.
 *
 *   0x00 VALID      — the Referenced Token is valid.
 *   0x01 INVALID    — revoked, annulled, cancelled. Irreversible.
 *   0x02 SUSPENDED  — temporarily invalid. Reversible.
 *   0x03            — application specific.
 *   0x0C–0x0F       — permanently reserved as application specific.
 *   everything else — reserved for future registration.
 *
 * The mapping from a value to a verdict lives in `check-status.ts`; this file only names values.
 */
export const StatusType = {
  VALID: 0x00,
  INVALID: 0x01,
  SUSPENDED: 0x02,
  APPLICATION_SPECIFIC: 0x03,
} as const;

export type StatusTypeName = 'VALID' | 'INVALID' | 'SUSPENDED' | 'APPLICATION_SPECIFIC' | 'UNASSIGNED';

/** Registered names by value; application-specific ranges are resolved by `statusTypeName`. */
const NAMES: ReadonlyMap<number, StatusTypeName> = new Map([
  [StatusType.VALID, 'VALID'],
  [StatusType.INVALID, 'INVALID'],
  [StatusType.SUSPENDED, 'SUSPENDED'],
  [StatusType.APPLICATION_SPECIFIC, 'APPLICATION_SPECIFIC'],
]);

/** The name of a status value per §7.1 (0x0C–0x0F are application specific too). */
export function statusTypeName(value: number): StatusTypeName {
  const known = NAMES.get(value);
  if (known !== undefined) return known;
  if (value >= 0x0c && value <= 0x0f) return 'APPLICATION_SPECIFIC';
  return 'UNASSIGNED';
}

/** Display form used in check details, e.g. `0x02 SUSPENDED`. */
export function describeStatus(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')} ${statusTypeName(value)}`;
}
