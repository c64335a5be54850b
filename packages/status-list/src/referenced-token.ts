/**
 * The status reference inside a Referenced Token (draft-ietf-oauth-status-list-20 §6).
 *
 * JOSE (§6.2):   "status": { "status_list": { "idx": <non-negative integer>, "uri": <URI> } }
 * CWT  (§6.3):   claim 65535 (status) → Status = { ? "status_list": StatusListInfo, * tstr => any }
 * mdoc (§6.4 and ISO/IEC 18013-5 2nd ed.): the MobileSecurityObject member "status" holds the same
 *                `Status` map:
 *
 *   Status = { ? "status_list" : StatusListInfo, * tstr => any }
 *   StatusListInfo = { "idx" : uint, "uri" : tstr, ? "certificate" : bstr }
 *
 * `certificate` (ISO 18013-5) optionally names the certificate that signs the Status List Token.
 * Other members of `Status` name other mechanisms (e.g. identifier lists) and are ignored here.
 */
import { StatusListError } from './errors.js';
import { own } from './own.js';

export interface StatusReference {
  /** Index of the Referenced Token in the list. */
  readonly idx: number;
  /** URI of the Status List Token (equals its `sub`). */
  readonly uri: string;
  /** Optional DER certificate for the list's signer (ISO 18013-5 StatusListInfo). */
  readonly certificate?: Uint8Array;
}

/** CWT claim key of `status` (§6.3, IANA CWT Claims registry). */
export const CWT_STATUS_CLAIM = 65535;

type Container = Map<unknown, unknown> | Record<string, unknown>;

function member(container: unknown, key: string | number): unknown {
  if (container instanceof Map) return container.get(key);
  if (
    typeof container === 'object' &&
    container !== null &&
    !Array.isArray(container) &&
    typeof key === 'string'
  ) {
    return own(container, key);
  }
  return undefined;
}

function isContainer(v: unknown): v is Container {
  return (
    v instanceof Map ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array))
  );
}

function isUri(text: string): boolean {
  // RFC 3986 absolute URI: a scheme followed by ':'; the WHATWG parser confirms the rest is well formed.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the `status_list` reference from a `Status` structure (a CBOR map or a JSON object).
 * Returns undefined when the structure names no status list; throws STATUS_LIST_REFERENCE when it
 * names one that is malformed.
 */
export function readStatusListReference(status: unknown): StatusReference | undefined {
  if (status === undefined) return undefined;
  if (!isContainer(status)) throw new StatusListError('STATUS_LIST_REFERENCE', 'status is not a map');
  const info = member(status, 'status_list');
  if (info === undefined) return undefined;
  if (!isContainer(info)) throw new StatusListError('STATUS_LIST_REFERENCE', 'status_list is not a map');
  const idx = member(info, 'idx');
  const uri = member(info, 'uri');
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
    throw new StatusListError('STATUS_LIST_REFERENCE', 'status_list.idx must be a non-negative integer');
  }
  if (typeof uri !== 'string' || !isUri(uri)) {
    throw new StatusListError('STATUS_LIST_REFERENCE', 'status_list.uri must be a URI');
  }
  const certificate = member(info, 'certificate');
  if (certificate === undefined) return { idx, uri };
  if (!(certificate instanceof Uint8Array)) {
    throw new StatusListError('STATUS_LIST_REFERENCE', 'status_list.certificate must be a byte string');
  }
  return { idx, uri, certificate };
}

/** The reference in a decoded MobileSecurityObject (`status` member), if any. */
export function statusReferenceFromMso(mso: Map<unknown, unknown>): StatusReference | undefined {
  return readStatusListReference(mso.get('status'));
}

/** The reference in a decoded CWT claims set (claim 65535), if any. */
export function statusReferenceFromCwtClaims(claims: Map<unknown, unknown>): StatusReference | undefined {
  return readStatusListReference(claims.get(CWT_STATUS_CLAIM));
}

/** The reference in a decoded JWT payload (`status` claim), if any. */
export function statusReferenceFromJwtPayload(payload: Record<string, unknown>): StatusReference | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new StatusListError('STATUS_LIST_REFERENCE', 'the JWT payload is not a JSON object');
  }
  return readStatusListReference(own(payload, 'status'));
}

function checkReference(ref: StatusReference): void {
  if (!Number.isSafeInteger(ref.idx) || ref.idx < 0)
    throw new RangeError('idx must be a non-negative integer');
  if (!isUri(ref.uri)) throw new RangeError('uri must be an absolute URI');
}

/**
 * The `Status` map to put in an MSO (`status`) or a CWT (claim 65535), as a CBOR map with text keys.
 * Insertion order is irrelevant: the CBOR encoder sorts keys deterministically.
 */
export function buildCborStatus(
  ref: StatusReference,
): Map<string, Map<string, number | string | Uint8Array>> {
  checkReference(ref);
  const info = new Map<string, number | string | Uint8Array>([
    ['idx', ref.idx],
    ['uri', ref.uri],
  ]);
  if (ref.certificate !== undefined) info.set('certificate', ref.certificate);
  return new Map([['status_list', info]]);
}

/** The JSON `status` claim for a JWT Referenced Token (§6.2). */
export function buildJsonStatus(ref: Pick<StatusReference, 'idx' | 'uri'>): {
  status_list: { idx: number; uri: string };
} {
  checkReference(ref);
  return { status_list: { idx: ref.idx, uri: ref.uri } };
}
