/**
 * A bounded cache of fetched Status List Tokens, honouring the token's own freshness
 * (draft-ietf-oauth-status-list §5.1 `ttl`: "the maximum amount of time, in seconds, that the Status List
 * Token can be cached by a consumer before a fresh copy SHOULD be retrieved"; `exp`: the token MUST NOT be
 * used after it). Only the bytes are cached: every use verifies them again (signature, signer, sub, exp)
 * with the `fetchedAt` of this copy, so a copy is never trusted beyond what its verification allows, and
 * relying parties with different trust anchors can share it.
 */

/** Most Status List URIs kept (a national issuer publishes about a hundred partitions). */
export const MAX_CACHED_STATUS_LISTS = 512;

/** A cached token and until when it may be used without fetching again. */
export interface CachedStatusList {
  readonly token: Uint8Array | string;
  /** When it was fetched (epoch ms). */
  readonly fetchedAt: number;
  /** min(fetchedAt + ttl, exp) (epoch ms). */
  readonly freshUntil: number;
}

/** The cache: URI → token, least recently stored evicted first. */
export class StatusListCache {
  readonly #entries = new Map<string, CachedStatusList>();
  readonly #max: number;

  /** @param max most entries (default MAX_CACHED_STATUS_LISTS) */
  constructor(max: number = MAX_CACHED_STATUS_LISTS) {
    this.#max = max;
  }

  /** The cached token of `uri` when still fresh at `now`; a stale one is dropped. */
  get(uri: string, now: number): CachedStatusList | undefined {
    const entry = this.#entries.get(uri);
    if (entry === undefined) return undefined;
    if (now >= entry.freshUntil || now < entry.fetchedAt) {
      this.#entries.delete(uri);
      return undefined;
    }
    return entry;
  }

  /**
   * Keeps a token that verified, for `ttlSeconds` from `fetchedAt` but never past `exp` (epoch ms). A
   * token without ttl is not kept: the issuer gave no caching allowance.
   */
  put(uri: string, token: Uint8Array | string, fetchedAt: number, ttlSeconds?: number, exp?: number): void {
    if (ttlSeconds === undefined || !(ttlSeconds > 0)) return;
    const freshUntil = Math.min(fetchedAt + ttlSeconds * 1000, exp ?? Number.POSITIVE_INFINITY);
    if (!(freshUntil > fetchedAt)) return;
    this.#entries.delete(uri);
    this.#entries.set(uri, { token, fetchedAt, freshUntil });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Forgets everything (e.g. after the trust configuration changed). */
  clear(): void {
    this.#entries.clear();
  }
}
