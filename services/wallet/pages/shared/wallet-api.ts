/**
 * Shared by the wallet's pages (services/wallet/pages/*): how a page calls the wallet app's JSON routes.
 * URLs are relative to the page's own address (document.baseURI), so a page works wherever the wallet is
 * mounted (the sandbox mounts it at `/wallet/`); nothing personal goes in a URL — secrets and evidence go
 * in the JSON body. An answer that is not 2xx becomes a WalletApiError with the RFC 9457 problem's stable
 * `code` and, for a wrong secret, the tries left.
 */

/** A refused call: the problem's stable code, its message and the tries left when it counted one. */
export class WalletApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly remainingTries?: number,
  ) {
    super(message);
    this.name = 'WalletApiError';
  }
}

/** GETs `path` (relative to the page), or POSTs `body` as JSON; the answer's JSON, or WalletApiError. */
export async function callWallet<T>(path: string, body?: unknown): Promise<T> {
  const posting = body !== undefined;
  let res: Response;
  try {
    res = await fetch(new URL(path, document.baseURI), {
      method: posting ? 'POST' : 'GET',
      headers: { accept: 'application/json', ...(posting ? { 'content-type': 'application/json' } : {}) },
      ...(posting ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    throw new WalletApiError(0, 'NETWORK', 'the wallet did not answer');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const p = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const code = typeof p.code === 'string' ? p.code : `HTTP_${res.status}`;
    const message = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : code;
    const tries = typeof p.remainingTries === 'number' ? p.remainingTries : undefined;
    throw new WalletApiError(res.status, code, message, tries);
  }
  return json as T;
}

/** Any thrown value as a WalletApiError (a bug in the page shows as PAGE_ERROR, not as nothing). */
export function asWalletApiError(e: unknown): WalletApiError {
  return e instanceof WalletApiError ? e : new WalletApiError(0, 'PAGE_ERROR', String(e));
}
