/**
 * How the verifier obtains a Status List Token (draft-ietf-oauth-status-list §8.3 step 3, "resolve the
 * Status List Token from uri"): an injected function, so tests hand in the issuer app's fetch and a
 * deployment hands in `configuredStatusListFetcher` — a fetch that reaches only the issuer origins the
 * operator configured (ARCHITECTURE.md rule 9: no outbound network except configured URLs). A URI from a
 * presented MSO is chosen by whoever made the record; without the allow-list it would let a forged record
 * steer the verifier's requests anywhere.
 */
import { readBoundedBody } from '@mynakit/http-kit';
import { STATUS_LIST_CWT_MEDIA_TYPE } from '@mynakit/status-list';

/** Fetches the Status List Token at `uri` (CWT bytes, or a compact JWT as text); rejects on any failure. */
export type StatusListFetcher = (uri: string) => Promise<Uint8Array | string>;

/** Largest Status List Token accepted, bytes (2^20 two-bit entries compress to far less). */
export const MAX_STATUS_LIST_BYTES = 4 * 1024 * 1024;

/** Default time allowed for one fetch, ms. */
export const DEFAULT_STATUS_LIST_TIMEOUT_MS = 5_000;

/** Why a status list could not be fetched (its message names the URI's origin and the cause, never a holder). */
export class StatusListFetchError extends Error {
  /** @param message what failed, e.g. `HTTP 503` */
  constructor(message: string) {
    super(message);
    this.name = 'StatusListFetchError';
  }
}

/** Options of configuredStatusListFetcher. */
export interface ConfiguredFetcherOptions {
  /** The issuer origins status lists may come from, e.g. `https://issuer.example` (exact origin match). */
  readonly allowedOrigins: readonly string[];
  /** The fetch to use (default the global one). */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Time allowed per fetch, ms (default DEFAULT_STATUS_LIST_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/**
 * A fetcher that GETs only `https:` (or loopback `http:`) URIs on one of `allowedOrigins`, follows no
 * redirect, bounds the body to MAX_STATUS_LIST_BYTES and the time to `timeoutMs`.
 */
export function configuredStatusListFetcher(options: ConfiguredFetcherOptions): StatusListFetcher {
  const allowed = new Set(options.allowedOrigins);
  const doFetch = options.fetch ?? ((request: Request) => fetch(request));
  const timeoutMs = options.timeoutMs ?? DEFAULT_STATUS_LIST_TIMEOUT_MS;
  return async (uri) => {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new StatusListFetchError('the status list URI is not a URL');
    }
    if (!allowed.has(url.origin))
      throw new StatusListFetchError(`status lists are not fetched from ${url.origin} (not configured)`);
    const response = await doFetch(
      new Request(url, {
        headers: { accept: `${STATUS_LIST_CWT_MEDIA_TYPE}, application/statuslist+jwt` },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      }),
    );
    if (!response.ok) throw new StatusListFetchError(`HTTP ${response.status} from ${url.origin}`);
    const bytes = await readBoundedBody(response, MAX_STATUS_LIST_BYTES);
    if (bytes === undefined) throw new StatusListFetchError('the status list is too large');
    return bytes;
  };
}
