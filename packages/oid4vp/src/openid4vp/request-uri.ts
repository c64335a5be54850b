import { Oid4vpError } from '../errors.js';

/**
 * Passing the request by reference — OpenID4VP 1.0 §5.7 and RFC 9101 §5.2. A cross-device flow shows
 * the wallet an invocation URL (QR code) `openid4vp://?client_id=…&request_uri=…[&request_uri_method=post]`;
 * the wallet then fetches the signed request object from `request_uri`:
 * - `get` (default): GET, the verifier answers `application/oauth-authz-req+jwt`;
 * - `post`: POST `application/x-www-form-urlencoded` with optional `wallet_metadata` and `wallet_nonce`;
 *   the request object must echo `wallet_nonce`. A verifier that does not support the method the wallet
 *   used answers `invalid_request_uri_method`.
 */
export type RequestUriMethod = 'get' | 'post';

export interface RequestUriInvocation {
  readonly clientId: string;
  readonly requestUri: string;
  readonly requestUriMethod?: RequestUriMethod;
}

export const REQUEST_OBJECT_MEDIA_TYPE = 'application/oauth-authz-req+jwt';

export function buildRequestUriInvocation(input: RequestUriInvocation, scheme = 'openid4vp://'): string {
  const q = new URLSearchParams({ client_id: input.clientId, request_uri: input.requestUri });
  if (input.requestUriMethod !== undefined) q.set('request_uri_method', input.requestUriMethod);
  return `${scheme}?${q.toString()}`;
}

export function parseRequestUriInvocation(url: string): RequestUriInvocation {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the invocation is not a URL', { cause: e });
  }
  const clientId = u.searchParams.get('client_id');
  const requestUri = u.searchParams.get('request_uri');
  if (!clientId) throw new Oid4vpError('invalid_request', 'the invocation has no client_id');
  if (!requestUri) throw new Oid4vpError('invalid_request', 'the invocation has no request_uri');
  const method = u.searchParams.get('request_uri_method');
  if (method !== null && method !== 'get' && method !== 'post') {
    throw new Oid4vpError('invalid_request_uri_method', 'request_uri_method must be get or post');
  }
  return method === null ? { clientId, requestUri } : { clientId, requestUri, requestUriMethod: method };
}

/** A `fetch`-compatible function, injected so the library does no I/O of its own. */
export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

/** Wallet side: fetches the request object named by an invocation; returns the compact JWS. */
export async function fetchRequestObject(
  invocation: RequestUriInvocation,
  fetcher: Fetcher,
  post?: { readonly walletNonce?: string; readonly walletMetadata?: Readonly<Record<string, unknown>> },
): Promise<string> {
  const method = invocation.requestUriMethod ?? 'get';
  let res: Response;
  if (method === 'post') {
    const body = new URLSearchParams();
    if (post?.walletNonce !== undefined) body.set('wallet_nonce', post.walletNonce);
    if (post?.walletMetadata !== undefined) body.set('wallet_metadata', JSON.stringify(post.walletMetadata));
    res = await fetcher(invocation.requestUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: REQUEST_OBJECT_MEDIA_TYPE },
      body: body.toString(),
    });
  } else {
    res = await fetcher(invocation.requestUri, {
      method: 'GET',
      headers: { accept: REQUEST_OBJECT_MEDIA_TYPE },
    });
  }
  if (!res.ok) {
    let error: unknown;
    try {
      error = ((await res.json()) as { error?: unknown }).error;
    } catch {
      error = undefined;
    }
    if (error === 'invalid_request_uri_method') {
      throw new Oid4vpError(
        'invalid_request_uri_method',
        `the verifier does not accept request_uri_method=${method}`,
      );
    }
    throw new Oid4vpError('invalid_request', `request_uri answered HTTP ${res.status}`);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith(REQUEST_OBJECT_MEDIA_TYPE)) {
    throw new Oid4vpError(
      'invalid_request',
      `request_uri answered ${type || 'no content type'}, not ${REQUEST_OBJECT_MEDIA_TYPE}`,
    );
  }
  return (await res.text()).trim();
}
