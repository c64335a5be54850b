/**
 * Trust in key attesters (OpenID4VCI 1.0 Appendix D.1: the attestation's `x5c` chain, validated from a
 * configured trust anchor, RFC 5280 §6): the anchors parsed once, and the chains already validated kept by
 * their exact text.
 *
 * A wallet's attester certificate chain is the same in every attestation that platform makes, so an issuer
 * validates the same chain again and again. Path validation is a pure function of the certificates, the
 * anchors, the required EKU and the time; only the time changes between two requests. So a chain that
 * validated is kept — by the exact `x5c` strings, with the anchor it reached and the span in which every
 * certificate of that path, the anchor included, is valid — and a later request with the same strings at a
 * time inside that span gets the same answer without parsing or checking a signature again. A time outside
 * the span, or a chain never seen, is validated in full. Failures are never kept. Revocation is not part of
 * this validation (nor of @mynakit/pki's), so nothing here can go stale.
 */
import {
  type Certificate,
  toCertificate,
  type ValidateCertificatePathOptions,
  validateCertificatePath,
} from '@mynakit/pki';
import { decodeX5c } from './jose-keys.js';

/** Most certificates an attestation's `x5c` may carry. */
export const MAX_ATTESTER_X5C = 8;

/** How many validated chains an AttesterTrust keeps by default. */
export const DEFAULT_ATTESTER_CHAINS_KEPT = 1024;

/** Why an attester chain was refused. */
export type AttesterChainFailure =
  | { readonly reason: 'format' }
  | { readonly reason: 'parse' }
  | { readonly reason: 'path'; readonly code: string };

/** An attester chain that validated: its leaf (whose key signs the attestation) and the anchor it reached. */
export interface ValidatedAttesterChain {
  readonly leaf: Certificate;
  readonly anchor: Certificate;
}

interface KeptChain extends ValidatedAttesterChain {
  /** Every certificate of the path is valid from `from` to `until` (epoch ms, inclusive). */
  readonly from: number;
  readonly until: number;
}

/** Parses trust anchors once; a configured anchor that is not a certificate is a programmer error. */
export function parseTrustAnchors(anchors: readonly (Certificate | Uint8Array | string)[]): Certificate[] {
  if (!Array.isArray(anchors)) throw new TypeError('trustAnchors must be an array of certificates');
  return anchors.map((a) => {
    try {
      return toCertificate(a);
    } catch (e) {
      throw new TypeError('a configured trust anchor is not a certificate', { cause: e });
    }
  });
}

/** The attester trust anchors, parsed once, with the chains validated under them (see the file comment). */
export class AttesterTrust {
  /** The configured anchors, parsed. */
  readonly anchors: readonly Certificate[];
  readonly #kept = new Map<string, KeptChain>();
  readonly #max: number;

  constructor(
    trustAnchors: readonly (Certificate | Uint8Array | string)[],
    options: { readonly maxChainsKept?: number } = {},
  ) {
    this.anchors = Object.freeze(parseTrustAnchors(trustAnchors));
    const max = options.maxChainsKept ?? DEFAULT_ATTESTER_CHAINS_KEPT;
    if (!Number.isSafeInteger(max) || max < 0) throw new TypeError('maxChainsKept must be an integer ≥ 0');
    this.#max = max;
  }

  /** How many validated chains are kept now. */
  get keptChains(): number {
    return this.#kept.size;
  }

  /**
   * Validates a received `x5c` header value (leaf first) at `now`: 1..MAX_ATTESTER_X5C standard base64 DER
   * certificates, the leaf chaining to one of the anchors (the others are path candidates only), with
   * `requiredEku` in the leaf when given.
   */
  validate(
    x5c: unknown,
    now: Date,
    requiredEku?: string,
  ): ({ readonly ok: true } & ValidatedAttesterChain) | ({ readonly ok: false } & AttesterChainFailure) {
    const t = now.getTime();
    const key = Array.isArray(x5c) && x5c.every((s) => typeof s === 'string') ? x5c.join(',') : undefined;
    const keptKey = key === undefined ? undefined : `${requiredEku ?? ''}\n${key}`;
    const kept = keptKey === undefined ? undefined : this.#kept.get(keptKey);
    if (kept !== undefined && kept.from <= t && t <= kept.until)
      return { ok: true, leaf: kept.leaf, anchor: kept.anchor };

    const chain = decodeX5c(x5c, MAX_ATTESTER_X5C);
    if (chain === undefined) return { ok: false, reason: 'format' };
    let leaf: Certificate;
    let intermediates: Certificate[];
    try {
      leaf = toCertificate(chain[0] as Uint8Array);
      intermediates = chain.slice(1).map((der) => toCertificate(der));
    } catch {
      return { ok: false, reason: 'parse' };
    }
    const options: ValidateCertificatePathOptions = {
      leaf,
      intermediates,
      trustAnchors: this.anchors,
      now,
      ...(requiredEku === undefined ? {} : { requiredEku }),
    };
    const path = validateCertificatePath(options);
    if (!path.ok || path.anchor === undefined)
      return { ok: false, reason: 'path', code: path.failure?.code ?? 'PATH_INVALID' };
    if (keptKey !== undefined && this.#max > 0) {
      const certs = path.path.includes(path.anchor) ? path.path : [...path.path, path.anchor];
      this.#keep(keptKey, {
        leaf,
        anchor: path.anchor,
        from: Math.max(...certs.map((c) => c.notBefore.getTime())),
        until: Math.min(...certs.map((c) => c.notAfter.getTime())),
      });
    }
    return { ok: true, leaf, anchor: path.anchor };
  }

  #keep(key: string, chain: KeptChain): void {
    this.#kept.delete(key);
    this.#kept.set(key, chain);
    if (this.#kept.size > this.#max) this.#kept.delete(this.#kept.keys().next().value as string);
  }
}

/** The trust to validate attester chains with: the given AttesterTrust, or one over the given anchors. */
export function attesterTrustOf(
  anchors: readonly (Certificate | Uint8Array | string)[] | AttesterTrust,
): AttesterTrust {
  return anchors instanceof AttesterTrust ? anchors : new AttesterTrust(anchors, { maxChainsKept: 0 });
}
