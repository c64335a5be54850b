/**
 * What a verifier may remember between responses: the outcome of validating a document signer's
 * certificate path and the DS public key — nothing else (never results, items or device keys).
 *
 * DS certificates repeat across millions of responses while path validation costs far more than the
 * ECDSA verifications a response needs, so a successful validation is kept, keyed by the DS
 * certificate fingerprint together with everything else the outcome depends on: the rest of the
 * x5chain, the trust anchors and the policy. It is reused only while `now` lies inside every path
 * certificate's validity (the window in which the same validation would succeed again); outside it,
 * or for failures, the path is validated afresh.
 */
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '@mynakit/pki';
import type { Check } from '@mynakit/report';

export interface CachedSignerPath {
  /** The x5chain the entry was validated for (copied), compared byte for byte on every hit. */
  readonly chain: readonly Uint8Array[];
  /** The anchors and policy it was validated under (see `contextKey`). */
  readonly context: string;
  readonly certificate: Certificate;
  readonly publicKey: KeyObject;
  readonly pathChecks: readonly Check[];
  readonly profileChecks: readonly Check[];
  readonly path: readonly Certificate[];
  /** The checks and key reported for this path (immutable; shared by every hit). */
  readonly summary: unknown;
  /** Latest notBefore and earliest notAfter over the path (anchor included). */
  readonly windowStart: number;
  readonly windowEnd: number;
}

export class VerificationCache {
  /** By a hash of the DS certificate; each list holds the paths validated for different contexts. */
  readonly #entries = new Map<number, CachedSignerPath[]>();
  readonly #contexts = new WeakMap<readonly Certificate[], Map<string, string>>();
  #count = 0;

  constructor(readonly maxEntries = 1024) {}

  /**
   * The context a validation depends on besides the x5chain: the anchor set (by fingerprints) and the
   * policy. Memoised per anchors array, so the same string object comes back and compares in O(1).
   */
  contextKey(anchors: readonly Certificate[], policy: string): string {
    let byPolicy = this.#contexts.get(anchors);
    if (!byPolicy) {
      byPolicy = new Map();
      this.#contexts.set(anchors, byPolicy);
    }
    let k = byPolicy.get(policy);
    if (k === undefined) {
      k = `${policy}|${anchors
        .map((a) => a.fingerprint256)
        .sort()
        .join(',')}`;
      byPolicy.set(policy, k);
    }
    return k;
  }

  /** A validated path for exactly this x5chain and context, valid at `now`. */
  lookup(x5chain: readonly Uint8Array[], context: string, now: Date): CachedSignerPath | undefined {
    const list = this.#entries.get(chainHash(x5chain));
    if (!list) return undefined;
    const t = now.getTime();
    for (const e of list) {
      if (e.context !== context || t < e.windowStart || t > e.windowEnd) continue;
      if (sameChain(e.chain, x5chain)) return e;
    }
    return undefined;
  }

  store(x5chain: readonly Uint8Array[], entry: CachedSignerPath): void {
    if (this.#count >= this.maxEntries) {
      // Bounded: start afresh rather than track recency on every hit (hits are the hot path).
      this.#entries.clear();
      this.#count = 0;
    }
    const h = chainHash(x5chain);
    const list = this.#entries.get(h);
    if (list) list.push(entry);
    else this.#entries.set(h, [entry]);
    this.#count++;
  }

  clear(): void {
    this.#entries.clear();
    this.#count = 0;
  }

  get size(): number {
    return this.#count;
  }
}

/** FNV-1a over the length and the last bytes (the signature) of each certificate: selective, cheap. */
function chainHash(x5chain: readonly Uint8Array[]): number {
  let h = 0x811c9dc5;
  for (const der of x5chain) {
    h = Math.imul(h ^ der.length, 0x01000193);
    for (let i = Math.max(0, der.length - 16); i < der.length; i++)
      h = Math.imul(h ^ (der[i] as number), 0x01000193);
  }
  return h >>> 0;
}

function sameChain(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (Buffer.compare(a[i] as Uint8Array, b[i] as Uint8Array) !== 0) return false;
  return true;
}

/** The cache used when a caller passes none: bounded, and semantically invisible (see above). */
export const defaultVerificationCache = new VerificationCache();
