/**
 * The MSO status reference checked against the issuer's Token Status List (DOMAIN.md §4;
 * draft-ietf-oauth-status-list §8.3): the token comes from the cache while fresh, else from the injected
 * fetcher; @mynakit/status-list verifies it under the relying party's trust anchors (the IACAs) and reads
 * the record's entry. @mynakit/mdoc then accepts the answer only when the token's signer may speak for the
 * document — the DS itself, or a certificate of the DS's IACA carrying the status-list-signing EKU (ISO/IEC
 * 18013-5 2nd edition §12.3.6.2) — and reports anything else as undetermined.
 *
 * A fetch that fails is `undetermined`, never revoked and never valid; the relying party's policy decides
 * (revocation-policy.ts). What was consulted, when and how is kept for the verification record.
 */
import type { StatusChecker, StatusListReference } from '@mynakit/mdoc';
import { checkReferencedStatus } from '@mynakit/status-list';
import type { StatusListCache } from './status-list-cache.js';
import type { StatusListFetcher } from './status-list-fetcher.js';

/** How the status was obtained, for the verification record. */
export interface StatusConsultation {
  /** `status-list`: the MSO's Status List Token; `inquiry`: the issuer's per-record inquiry (record-inquiry.ts). */
  readonly kind: 'status-list' | 'inquiry';
  /** The list URI (the MSO's `status.status_list.uri`), or the inquiry URL asked. */
  readonly source: string;
  /** When the check ran (epoch ms). */
  readonly checkedAt: number;
  /** `network`: fetched now; `cache`: a fresh cached copy; `failed`: the fetch failed. */
  readonly via: 'network' | 'cache' | 'failed';
  /** When the copy used was fetched (epoch ms), when there was one. */
  readonly fetchedAt?: number;
  /** The outcome: valid, invalid, suspended, other, unknown — or why nothing usable came back. */
  readonly outcome: string;
  /** When the issuer looked, by its signed answer (an inquiry; epoch ms). */
  readonly answeredAt?: number;
  /** The inquiry's signed answer as received (base64url COSE_Sign1), to keep with the record. */
  readonly evidence?: string;
}

/** What createStatusChecker needs. */
export interface StatusCheckerInput {
  readonly fetchStatusList: StatusListFetcher | undefined;
  readonly cache: StatusListCache;
  /** The relying party's trust anchors (DER): the IACAs the status-list signer must chain to. */
  readonly trustAnchors: readonly Uint8Array[];
  /** Receives what was consulted (one call per document with a status reference). */
  readonly observe: (consultation: StatusConsultation) => void;
}

/** A StatusChecker for @mynakit/mdoc's verifyDeviceResponse (see the file comment). */
export function createStatusChecker(input: StatusCheckerInput): StatusChecker {
  return async (reference: StatusListReference, context) => {
    const now = context.now;
    const uri = reference.uri;
    const cached = input.cache.get(uri, now.getTime());
    let token: Uint8Array | string | undefined = cached?.token;
    let fetchedAt = cached?.fetchedAt;
    let fetchError: string | undefined;
    if (token === undefined) {
      try {
        if (input.fetchStatusList === undefined) throw new Error('no status list fetcher is configured');
        token = await input.fetchStatusList(uri);
        fetchedAt = now.getTime();
      } catch (e) {
        fetchError = e instanceof Error && e.message.length < 200 ? e.message : 'fetch failed';
      }
    }
    const result = await checkReferencedStatus({
      reference: { uri, idx: reference.idx },
      now,
      trustAnchors: input.trustAnchors,
      ...(token === undefined ? {} : { token }),
      ...(fetchError === undefined ? {} : { fetchError }),
      ...(fetchedAt === undefined ? {} : { fetchedAt: new Date(fetchedAt) }),
    });
    const verified = result.token;
    if (cached === undefined && token !== undefined && fetchedAt !== undefined && verified?.ok)
      input.cache.put(uri, token, fetchedAt, verified.ttl, verified.exp?.getTime());
    input.observe({
      kind: 'status-list',
      source: uri,
      checkedAt: now.getTime(),
      via: fetchError !== undefined ? 'failed' : cached !== undefined ? 'cache' : 'network',
      ...(fetchedAt === undefined ? {} : { fetchedAt }),
      outcome: result.outcome,
    });
    return {
      status: result.status,
      detail: result.detail,
      ...(verified?.signerCertificate === undefined ? {} : { signerCertificate: verified.signerCertificate }),
      ...(verified === undefined ? {} : { token: verified }),
    };
  };
}
