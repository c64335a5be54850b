/**
 * The elements a verified presentation disclosed: which requested ones are missing (every requested element
 * must be disclosed — @mynakit/mdoc only reports what arrived, and a wallet may leave out what the holder
 * declined), the values as JSON for the relying party (the portrait as base64, a full-date as
 * `YYYY-MM-DD`), and the identity facts a verification record keeps (DOMAIN.md §5: name, address, birth
 * date; the portrait only as its SHA-256; never My Number).
 */
import { createHash } from 'node:crypto';
import { type CborValue, EncodedCbor, Tagged } from '@mynakit/cbor';
import { ISO_23220_NAMESPACE, JP_MNC_NAMESPACE, jpMncBirthDate, type ElementValues } from '@mynakit/mdoc';
import type { JsonValue } from '../records/canonical-json.js';
import type { RequestedElements } from '../sessions/requested-elements.js';

/** The `namespace/identifier` of every requested element that was not disclosed. */
export function missingElements(
  requested: RequestedElements,
  disclosed: ElementValues | undefined,
): string[] {
  const missing: string[] = [];
  for (const [namespace, ids] of Object.entries(requested)) {
    const got =
      disclosed !== undefined && Object.hasOwn(disclosed, namespace) ? disclosed[namespace] : undefined;
    for (const id of ids)
      if (got === undefined || !Object.hasOwn(got, id)) missing.push(`${namespace}/${id}`);
  }
  return missing;
}

/** Deepest nesting converted; deeper values become null. */
const MAX_DEPTH = 8;
/** Most members or items converted per map or array. */
const MAX_ITEMS = 256;

/** One CBOR element value as JSON (bytes → base64, tags → their value, maps → objects with text keys). */
export function elementValueToJson(value: CborValue, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) return null;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Tagged) {
    const date = jpMncBirthDate(value);
    return date ?? elementValueToJson(value.value, depth + 1);
  }
  if (value instanceof EncodedCbor) return Buffer.from(value.bytes).toString('base64');
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => elementValueToJson(v, depth + 1));
  if (value instanceof Map) {
    const out = new Map<string, JsonValue>();
    for (const [k, v] of value) {
      if (out.size >= MAX_ITEMS) break;
      if (typeof k === 'string') out.set(k, elementValueToJson(v, depth + 1));
    }
    return Object.fromEntries(out);
  }
  return null;
}

/** The disclosed values as JSON, namespace → identifier → value (own members only). */
export function disclosedElementsJson(disclosed: ElementValues): Record<string, Record<string, JsonValue>> {
  const out = new Map<string, Record<string, JsonValue>>();
  for (const [namespace, items] of Object.entries(disclosed)) {
    const values = new Map<string, JsonValue>();
    for (const [id, v] of Object.entries(items)) {
      values.set(
        id,
        namespace === ISO_23220_NAMESPACE && id === 'birth_date'
          ? (jpMncBirthDate(v) ?? null)
          : elementValueToJson(v),
      );
    }
    out.set(namespace, Object.fromEntries(values));
  }
  return Object.fromEntries(out);
}

/** The identity facts a verification record keeps (never My Number; the portrait as SHA-256 hex). */
export interface IdentityFacts {
  readonly name?: string;
  readonly address?: string;
  readonly birthDate?: string;
  readonly portraitSha256?: string;
  /**
   * Sex, only when the relying party asked for it and the holder disclosed it: `sex_unicode` as written
   * (`女`), else ISO/IEC 5218 `sex` (2) — kept so a JPKI signature of the same person can be cross-checked
   * against it (cross-checks/identity-cross-check.ts).
   */
  readonly sex?: string | number;
}

/** The identity facts of the disclosed elements (see IdentityFacts). */
export function identityFactsOf(disclosed: ElementValues): IdentityFacts {
  const jp = Object.hasOwn(disclosed, JP_MNC_NAMESPACE) ? disclosed[JP_MNC_NAMESPACE] : undefined;
  const iso = Object.hasOwn(disclosed, ISO_23220_NAMESPACE) ? disclosed[ISO_23220_NAMESPACE] : undefined;
  const text = (v: CborValue | undefined) => (typeof v === 'string' ? v : undefined);
  const own = (o: Record<string, CborValue> | undefined, k: string) =>
    o !== undefined && Object.hasOwn(o, k) ? o[k] : undefined;
  const name = text(own(jp, 'full_name_unicode'));
  const address = text(own(jp, 'resident_address_unicode'));
  const isoBirth = own(iso, 'birth_date');
  const birthDate =
    text(own(jp, 'birth_date_unicode')) ?? (isoBirth === undefined ? undefined : jpMncBirthDate(isoBirth));
  const portrait = own(jp, 'portrait');
  const isoSex = own(iso, 'sex');
  const sex =
    text(own(jp, 'sex_unicode')) ??
    (typeof isoSex === 'number'
      ? isoSex
      : typeof isoSex === 'bigint' && isoSex < 256n
        ? Number(isoSex)
        : undefined);
  return {
    ...(name === undefined ? {} : { name }),
    ...(address === undefined ? {} : { address }),
    ...(birthDate === undefined ? {} : { birthDate }),
    ...(portrait instanceof Uint8Array
      ? { portraitSha256: createHash('sha256').update(portrait).digest('hex') }
      : {}),
    ...(sex === undefined ? {} : { sex }),
  };
}

/** The disclosed element identifiers without namespace (what @mynakit/kyc's evidence takes). */
export function disclosedIdentifiers(disclosed: ElementValues): string[] {
  return Object.values(disclosed).flatMap((items) => Object.keys(items));
}
