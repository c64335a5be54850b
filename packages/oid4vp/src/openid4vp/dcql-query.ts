import { Oid4vpError } from '../errors.js';
import { dictionary, isReservedKey, ownValue } from '../own-keys.js';

/**
 * Digital Credentials Query Language — OpenID for Verifiable Presentations 1.0 §6, restricted to
 * what an mdoc verifier sends (format `mso_mdoc`, Appendix B.2.3 for the mdoc-specific parts).
 *
 * ```
 * DcqlQuery          = { credentials: [+ CredentialQuery], ? credential_sets: [+ CredentialSetQuery] }
 * CredentialQuery    = { id, format, ? multiple: bool (false), meta: { doctype_value: tstr },
 *                        ? trusted_authorities: [+ {type, values}], ? require_cryptographic_holder_binding: bool (true),
 *                        ? claims: [+ ClaimsQuery], ? claim_sets: [+ [+ claim id]] }
 * ClaimsQuery (mdoc) = { ? id, path: [namespace, element], ? values: [+ string / number / bool],
 *                        ? intent_to_retain: bool }
 * CredentialSetQuery = { options: [+ [+ credential id]], ? required: bool (true) }
 * ```
 * Identifiers are non-empty strings of alphanumerics, `_` and `-` (§6.1, §6.3).
 *
 * One restriction of our own: `__proto__`, `constructor` and `prototype` are refused as ids, namespaces
 * and element identifiers (DCQL_INVALID). The query is text from the other party and these names
 * address JavaScript's prototype machinery; no mdoc namespace or element is named like that.
 */
export interface DcqlClaimsQuery {
  readonly id?: string;
  /** For mso_mdoc: exactly `[namespace, elementIdentifier]`. */
  readonly path: readonly [string, string];
  readonly values?: readonly (string | number | boolean)[];
  readonly intent_to_retain?: boolean;
}

export interface DcqlCredentialQuery {
  readonly id: string;
  readonly format: 'mso_mdoc';
  readonly multiple?: boolean;
  readonly meta: { readonly doctype_value: string };
  readonly trusted_authorities?: readonly { readonly type: string; readonly values: readonly string[] }[];
  readonly require_cryptographic_holder_binding?: boolean;
  readonly claims?: readonly DcqlClaimsQuery[];
  readonly claim_sets?: readonly (readonly string[])[];
}

export interface DcqlCredentialSetQuery {
  readonly options: readonly (readonly string[])[];
  readonly required?: boolean;
}

export interface DcqlQuery {
  readonly credentials: readonly DcqlCredentialQuery[];
  readonly credential_sets?: readonly DcqlCredentialSetQuery[];
}

const ID = /^[A-Za-z0-9_-]+$/;

function invalid(where: string, why: string): never {
  throw new Oid4vpError('DCQL_INVALID', `${where}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyArray(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0) invalid(where, 'must be a non-empty array');
  return v;
}

function identifier(v: unknown, where: string): string {
  if (typeof v !== 'string' || !ID.test(v)) invalid(where, 'must be a non-empty string of A-Z a-z 0-9 _ -');
  if (isReservedKey(v)) invalid(where, `${v} is not accepted as an identifier`);
  return v;
}

function optionalBoolean(o: Record<string, unknown>, key: string, where: string): void {
  if (o[key] !== undefined && typeof o[key] !== 'boolean') invalid(`${where}.${key}`, 'must be a boolean');
}

function validateClaim(c: unknown, where: string): DcqlClaimsQuery {
  if (!isObject(c)) invalid(where, 'must be an object');
  if (c.id !== undefined) identifier(c.id, `${where}.id`);
  const path = nonEmptyArray(c.path, `${where}.path`);
  if (
    path.length !== 2 ||
    typeof path[0] !== 'string' ||
    typeof path[1] !== 'string' ||
    path[0] === '' ||
    path[1] === ''
  ) {
    invalid(`${where}.path`, 'an mso_mdoc claim path is [namespace, element identifier]');
  }
  for (const segment of path as [string, string]) {
    if (isReservedKey(segment)) invalid(`${where}.path`, `${segment} is not accepted as a path segment`);
  }
  if (c.values !== undefined) {
    for (const [i, v] of nonEmptyArray(c.values, `${where}.values`).entries()) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        invalid(`${where}.values[${i}]`, 'must be a string, number or boolean');
      }
    }
  }
  optionalBoolean(c, 'intent_to_retain', where);
  return c as unknown as DcqlClaimsQuery;
}

function validateCredential(q: unknown, where: string): DcqlCredentialQuery {
  if (!isObject(q)) invalid(where, 'must be an object');
  identifier(q.id, `${where}.id`);
  if (q.format !== 'mso_mdoc') {
    throw new Oid4vpError('vp_formats_not_supported', `${where}.format: only mso_mdoc is supported`);
  }
  optionalBoolean(q, 'multiple', where);
  optionalBoolean(q, 'require_cryptographic_holder_binding', where);
  if (!isObject(q.meta)) invalid(`${where}.meta`, 'is required and must be an object');
  if (typeof q.meta.doctype_value !== 'string' || q.meta.doctype_value === '') {
    invalid(`${where}.meta.doctype_value`, 'must be a non-empty string');
  }
  if (q.trusted_authorities !== undefined) {
    for (const [i, ta] of nonEmptyArray(q.trusted_authorities, `${where}.trusted_authorities`).entries()) {
      const w = `${where}.trusted_authorities[${i}]`;
      if (!isObject(ta) || typeof ta.type !== 'string') invalid(w, 'must be {type, values}');
      for (const v of nonEmptyArray(ta.values, `${w}.values`))
        if (typeof v !== 'string') invalid(`${w}.values`, 'must hold strings');
    }
  }
  const claimIds = new Set<string>();
  if (q.claims !== undefined) {
    for (const [i, c] of nonEmptyArray(q.claims, `${where}.claims`).entries()) {
      const claim = validateClaim(c, `${where}.claims[${i}]`);
      if (claim.id !== undefined) {
        if (claimIds.has(claim.id)) invalid(`${where}.claims[${i}].id`, 'is not unique');
        claimIds.add(claim.id);
      }
    }
  }
  if (q.claim_sets !== undefined) {
    if (q.claims === undefined) invalid(`${where}.claim_sets`, 'needs claims');
    const claims = q.claims as unknown[];
    if (claims.some((c) => (c as DcqlClaimsQuery).id === undefined)) {
      invalid(`${where}.claims`, 'every claim needs an id when claim_sets is present');
    }
    for (const [i, set] of nonEmptyArray(q.claim_sets, `${where}.claim_sets`).entries()) {
      for (const id of nonEmptyArray(set, `${where}.claim_sets[${i}]`)) {
        if (typeof id !== 'string' || !claimIds.has(id))
          invalid(`${where}.claim_sets[${i}]`, 'refers to an unknown claim id');
      }
    }
  }
  return q as unknown as DcqlCredentialQuery;
}

/** Checks a DCQL query (parsed JSON) against OpenID4VP 1.0 §6; throws DCQL_INVALID (or vp_formats_not_supported). */
export function validateDcqlQuery(query: unknown): DcqlQuery {
  if (!isObject(query)) invalid('dcql_query', 'must be an object');
  const ids = new Set<string>();
  for (const [i, q] of nonEmptyArray(query.credentials, 'dcql_query.credentials').entries()) {
    const cred = validateCredential(q, `dcql_query.credentials[${i}]`);
    if (ids.has(cred.id)) invalid(`dcql_query.credentials[${i}].id`, 'is not unique');
    ids.add(cred.id);
  }
  if (query.credential_sets !== undefined) {
    for (const [i, s] of nonEmptyArray(query.credential_sets, 'dcql_query.credential_sets').entries()) {
      const w = `dcql_query.credential_sets[${i}]`;
      if (!isObject(s)) invalid(w, 'must be an object');
      optionalBoolean(s, 'required', w);
      for (const [j, option] of nonEmptyArray(s.options, `${w}.options`).entries()) {
        for (const id of nonEmptyArray(option, `${w}.options[${j}]`)) {
          if (typeof id !== 'string' || !ids.has(id))
            invalid(`${w}.options[${j}]`, 'refers to an unknown credential id');
        }
      }
    }
  }
  return query as unknown as DcqlQuery;
}

/**
 * The mdoc elements a list of claims asks for: namespace → element → intent to retain. Dictionaries
 * without a prototype, so a namespace such as `toString` is an ordinary key.
 */
export function elementsOf(claims: readonly DcqlClaimsQuery[]): Record<string, Record<string, boolean>> {
  const out = dictionary<Record<string, boolean>>();
  for (const c of claims) {
    const [ns, el] = c.path;
    let elements = ownValue(out, ns);
    if (elements === undefined) {
      elements = dictionary<boolean>();
      out[ns] = elements;
    }
    elements[el] = c.intent_to_retain ?? false;
  }
  return out;
}

/** The mdoc elements a credential query asks for, by namespace, with their intent to retain. */
export function requestedElements(q: DcqlCredentialQuery): Record<string, Record<string, boolean>> {
  return elementsOf(q.claims ?? []);
}
