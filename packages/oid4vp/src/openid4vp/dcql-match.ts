import { Oid4vpError } from '../errors.js';
import { dictionary, ownValue } from '../own-keys.js';
import { type DcqlClaimsQuery, type DcqlCredentialQuery, type DcqlQuery, elementsOf } from './dcql-query.js';

/**
 * Wallet-side DCQL evaluation (OpenID4VP 1.0 §6.4): which held mdocs can answer which credential
 * queries, with which claims, and which queries to answer so every required credential set is met.
 *
 * Rules implemented:
 * - a document matches a credential query when its docType equals `meta.doctype_value` and the
 *   claims can be met: every claim when there is no `claim_sets`, else the first claim set (in the
 *   verifier's order of preference) whose claims all exist; a claim with `values` matches only when
 *   the element's value equals one of them;
 * - `multiple: false` (the default) keeps one document per query;
 * - without `credential_sets` every credential query must be met; with them, each required set needs
 *   one option whose queries are all met (the first such option wins), optional sets are answered
 *   when they can be;
 * - `trusted_authorities` of type `aki` is compared with the document's issuer key identifiers
 *   (base64url); other types cannot be evaluated from the document alone and are ignored.
 *
 * Namespaces, element identifiers and query ids are the verifier's text: only own members of the
 * held elements answer a claim, and every structure returned is a dictionary without a prototype.
 */
export interface HeldDocument {
  /** The wallet's own identifier of the stored document. */
  readonly id: string;
  readonly docType: string;
  /** namespace → element identifier → value (decoded). Only presence and, for `values`, equality matter. */
  readonly elements: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Authority key identifiers (base64url) of the issuer chain, for `trusted_authorities` type `aki`. */
  readonly authorityKeyIdentifiers?: readonly string[];
}

export interface DcqlCredentialMatch {
  readonly queryId: string;
  readonly documentId: string;
  readonly docType: string;
  /** The elements to disclose: namespace → element → intent to retain. */
  readonly elements: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
}

export interface DcqlMatchResult {
  /** True when the query can be answered as a whole. */
  readonly satisfied: boolean;
  /** Every document that can answer each credential query. */
  readonly candidates: Readonly<Record<string, readonly DcqlCredentialMatch[]>>;
  /** What to present: for each selected credential query, its first candidate (all of them when `multiple`). */
  readonly selection: readonly DcqlCredentialMatch[];
  /** Credential query ids whose answers are required but cannot be met (ids only, never values). */
  readonly unmet: readonly string[];
}

function valueMatches(claim: DcqlClaimsQuery, value: unknown): boolean {
  if (claim.values === undefined) return true;
  return claim.values.some(
    (v) => v === value || (typeof value === 'bigint' && typeof v === 'number' && BigInt(v) === value),
  );
}

function hasClaim(doc: HeldDocument, claim: DcqlClaimsQuery): boolean {
  const [ns, el] = claim.path;
  const namespace = ownValue(doc.elements, ns);
  if (namespace === undefined || namespace === null || !Object.hasOwn(namespace, el)) return false;
  return valueMatches(claim, namespace[el]);
}

function trustedAuthorityMatches(q: DcqlCredentialQuery, doc: HeldDocument): boolean {
  const aki = (q.trusted_authorities ?? []).filter((t) => t.type === 'aki');
  if (aki.length === 0) return true;
  const held = new Set(doc.authorityKeyIdentifiers ?? []);
  return aki.some((t) => t.values.some((v) => held.has(v)));
}

/** The claims of `q` that `doc` can disclose, or undefined when it cannot answer `q`. */
function matchDocument(q: DcqlCredentialQuery, doc: HeldDocument): DcqlCredentialMatch | undefined {
  if (doc.docType !== q.meta.doctype_value) return undefined;
  if (!trustedAuthorityMatches(q, doc)) return undefined;
  const claims = q.claims ?? [];
  let chosen: readonly DcqlClaimsQuery[] | undefined;
  if (q.claim_sets === undefined) {
    chosen = claims.every((c) => hasClaim(doc, c)) ? claims : undefined;
  } else {
    const byId = new Map(claims.map((c) => [c.id as string, c]));
    for (const set of q.claim_sets) {
      const setClaims = set.map((id) => byId.get(id));
      if (setClaims.every((c) => c !== undefined && hasClaim(doc, c))) {
        chosen = setClaims as DcqlClaimsQuery[];
        break;
      }
    }
  }
  if (chosen === undefined) return undefined;
  return { queryId: q.id, documentId: doc.id, docType: doc.docType, elements: elementsOf(chosen) };
}

/** Evaluates a validated DCQL query against the held documents. */
export function matchDcqlQuery(query: DcqlQuery, documents: readonly HeldDocument[]): DcqlMatchResult {
  const candidates = dictionary<DcqlCredentialMatch[]>();
  const byId = new Map<string, DcqlCredentialQuery>();
  for (const q of query.credentials) {
    const list: DcqlCredentialMatch[] = [];
    for (const doc of documents) {
      const m = matchDocument(q, doc);
      if (m) list.push(m);
    }
    candidates[q.id] = list;
    byId.set(q.id, q);
  }
  const met = (id: string) => (ownValue(candidates, id)?.length ?? 0) > 0;

  // Sets keep the selection linear in the size of the query.
  const selectedIds = new Set<string>();
  const unmet = new Set<string>();
  if (query.credential_sets === undefined) {
    for (const q of query.credentials) (met(q.id) ? selectedIds : unmet).add(q.id);
  } else {
    for (const set of query.credential_sets) {
      const option = set.options.find((o) => o.every(met));
      if (option) {
        for (const id of option) selectedIds.add(id);
      } else if (set.required ?? true) {
        for (const id of set.options[0] ?? []) if (!met(id)) unmet.add(id);
      }
    }
  }

  const selection: DcqlCredentialMatch[] = [];
  for (const id of selectedIds) {
    const list = ownValue(candidates, id) ?? [];
    selection.push(...(byId.get(id)?.multiple === true ? list : list.slice(0, 1)));
  }
  return { satisfied: unmet.size === 0, candidates, selection, unmet: [...unmet] };
}

/** Like `matchDcqlQuery`, but throws DCQL_NO_MATCH (wire: access_denied) when the query cannot be met. */
export function selectForDcqlQuery(
  query: DcqlQuery,
  documents: readonly HeldDocument[],
): readonly DcqlCredentialMatch[] {
  const r = matchDcqlQuery(query, documents);
  if (!r.satisfied)
    throw new Oid4vpError(
      'DCQL_NO_MATCH',
      `no held document answers credential queries: ${r.unmet.join(', ')}`,
    );
  return r.selection;
}

/**
 * Verifier side: given the credential query ids a response answers, the required ids it lacks
 * (empty when the query is met: every query without `credential_sets`, else one option of every
 * required set).
 */
export function unmetCredentialQueries(query: DcqlQuery, answeredIds: readonly string[]): readonly string[] {
  const answered = new Set(answeredIds);
  if (query.credential_sets === undefined)
    return query.credentials.map((c) => c.id).filter((id) => !answered.has(id));
  const unmet = new Set<string>();
  for (const set of query.credential_sets) {
    if (!(set.required ?? true)) continue;
    if (set.options.some((o) => o.every((id) => answered.has(id)))) continue;
    for (const id of set.options[0] ?? []) if (!answered.has(id)) unmet.add(id);
  }
  return [...unmet];
}
