/**
 * Publishing a Status List Token for an issuer, without doing any I/O: given the current statuses,
 * sign a token and state the HTTP caching facts (draft-ietf-oauth-status-list-20 §8.2 Status List
 * Response — content types `application/statuslist+cwt` / `+jwt`; §13 / RFC 9111 caching: the token is
 * a static document a CDN may cache for `ttl` seconds).
 *
 *   ETag          strong, "<base64url SHA-256 of the body>": same bytes ⇔ same tag
 *   Cache-Control public, max-age = min(ttl, seconds until exp)
 *   Last-Modified iat; Expires exp
 */
import { createHash } from 'node:crypto';
import type { CoseSigner } from '@mynakit/cose';
import { base64urlEncode } from './base64url.js';
import type { CompressOptions } from './compressed-byte-array.js';
import type { KeyInput } from './keys.js';
import type { StatusList } from './status-list.js';
import { STATUS_LIST_CWT_MEDIA_TYPE, signStatusListCwt } from './status-list-cwt.js';
import { STATUS_LIST_JWT_MEDIA_TYPE, signStatusListJwt } from './status-list-jwt.js';
import type { StatusListTokenFormat } from './status-list-token.js';

export interface StatusListPublisherOptions {
  /** The URI the list is served at: the token's `sub`, and the `uri` in every Referenced Token. */
  readonly uri: string;
  readonly format: StatusListTokenFormat;
  /** Private signing key; or give `signer` instead. */
  readonly key?: KeyInput;
  /**
   * CWT only: a COSE signer holding the key elsewhere (a key store, an HSM) instead of `key`. Exactly one
   * of `key` and `signer`.
   */
  readonly signer?: CoseSigner;
  /** DER certificates, leaf first, carried as CWT x5chain (label 33) or JWT x5c. */
  readonly certificateChain?: readonly Uint8Array[];
  /** Key id header (CWT: bytes of the UTF-8 string; JWT: the string). */
  readonly kid?: string;
  /** Seconds consumers may cache the token (claim `ttl`). Default 3600. */
  readonly ttlSeconds?: number;
  /** Token lifetime in seconds: `exp` = `iat` + this. Default 86400. */
  readonly validitySeconds?: number;
  readonly iss?: string;
  readonly aggregationUri?: string;
  /** ZLIB settings; default level 9. `{ strategy: 'rle' }` suits very large sparse lists. */
  readonly compression?: CompressOptions;
}

export interface PublishedStatusList {
  readonly format: StatusListTokenFormat;
  /** The token as sent on the wire: CWT bytes, or the UTF-8 of the compact JWT. */
  readonly body: Uint8Array;
  /** The token itself: bytes for CWT, the compact string for JWT. */
  readonly token: Uint8Array | string;
  readonly contentType: string;
  /** Strong entity tag including its quotes. */
  readonly etag: string;
  /** Seconds. */
  readonly maxAge: number;
  readonly cacheControl: string;
  readonly lastModified: Date;
  readonly expires: Date;
  /** Response headers ready to set (names in canonical case). */
  readonly headers: Readonly<Record<string, string>>;
}

export class StatusListPublisher {
  readonly #options: StatusListPublisherOptions;
  readonly #ttl: number;
  readonly #validity: number;

  constructor(options: StatusListPublisherOptions) {
    const ttl = options.ttlSeconds ?? 3600;
    const validity = options.validitySeconds ?? 86400;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError('ttlSeconds must be a positive integer');
    if (!Number.isInteger(validity) || validity <= 0)
      throw new RangeError('validitySeconds must be a positive integer');
    if ((options.key === undefined) === (options.signer === undefined))
      throw new TypeError('give exactly one of key and signer');
    if (options.signer !== undefined && options.format !== 'cwt')
      throw new TypeError('a COSE signer signs only the CWT form');
    this.#options = options;
    this.#ttl = ttl;
    this.#validity = validity;
  }

  /** Signs `list` as of `now` and returns the body with its caching facts. */
  async publish(list: StatusList, now: Date): Promise<PublishedStatusList> {
    if (!(now instanceof Date) || Number.isNaN(now.getTime()))
      throw new TypeError('now (a valid Date) is required');
    const o = this.#options;
    const iat = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const exp = new Date(iat.getTime() + this.#validity * 1000);
    const common = {
      list,
      sub: o.uri,
      iat,
      exp,
      ttl: this.#ttl,
      compressed: list.compress(o.compression),
      ...(o.iss === undefined ? {} : { iss: o.iss }),
      ...(o.aggregationUri === undefined ? {} : { aggregationUri: o.aggregationUri }),
      ...(o.kid === undefined ? {} : { kid: o.kid }),
    };
    let token: Uint8Array | string;
    let body: Uint8Array;
    let contentType: string;
    if (o.format === 'jwt') {
      token = await signStatusListJwt({
        ...common,
        key: o.key as KeyInput,
        ...(o.certificateChain ? { x5c: o.certificateChain } : {}),
      });
      body = new TextEncoder().encode(token);
      contentType = STATUS_LIST_JWT_MEDIA_TYPE;
    } else {
      token = await signStatusListCwt({
        ...common,
        ...(o.signer === undefined ? { key: o.key as KeyInput } : { signer: o.signer }),
        ...(o.certificateChain ? { x5chain: o.certificateChain } : {}),
      });
      body = token;
      contentType = STATUS_LIST_CWT_MEDIA_TYPE;
    }
    const etag = `"${base64urlEncode(createHash('sha256').update(body).digest())}"`;
    const maxAge = Math.min(this.#ttl, this.#validity);
    const cacheControl = `public, max-age=${maxAge}`;
    return {
      format: o.format,
      body,
      token,
      contentType,
      etag,
      maxAge,
      cacheControl,
      lastModified: iat,
      expires: exp,
      headers: {
        'Content-Type': contentType,
        ETag: etag,
        'Cache-Control': cacheControl,
        'Last-Modified': iat.toUTCString(),
        Expires: exp.toUTCString(),
      },
    };
  }
}

/**
 * Conditional GET (RFC 9110 §13.1.2): true when an If-None-Match header value matches `etag`, i.e.
 * the response may be 304 Not Modified. Weak comparison, as RFC 9110 prescribes for If-None-Match.
 */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (ifNoneMatch === undefined || ifNoneMatch === null) return false;
  const value = ifNoneMatch.trim();
  if (value === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const target = bare(etag);
  return value.split(',').some((t) => bare(t) === target);
}
