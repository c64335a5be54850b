/**
 * How the sandbox's pages call their own server routes (`<page>/api/…`): JSON both ways, URLs relative to the
 * page (so a page works wherever the sandbox mounts it), nothing cached, cookies only to the same origin, and an
 * answer that is not 2xx turned into an ApiError carrying the RFC 9457 problem's stable code and members.
 */

/** The members of a problem document every page reads (RFC 9457 §3.1, and the stable `code`). */
export interface ProblemMembers {
  code?: string;
  title?: string;
  detail?: string;
}

/** An answer that was not 2xx: the problem's code, status and members. */
export class ApiError<P extends ProblemMembers = ProblemMembers> extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problem: P,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The URL of a route under `api/`, relative to the page — or to `base`, for a page whose views sit in
 * sub-folders of its own (the bank's `signin/`, `result/<session>`…).
 */
export function apiUrl(path: string, query: Record<string, string> = {}, base = document.baseURI): string {
  const url = new URL(`api/${path}`, base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.href;
}

/** Calls `api/<path>`: a GET, or a POST of `body` as JSON; the answer's JSON, or ApiError. */
export async function callApi<T, P extends ProblemMembers = ProblemMembers>(
  path: string,
  options: { readonly body?: unknown; readonly query?: Record<string, string>; readonly base?: string } = {},
): Promise<T> {
  const posting = options.body !== undefined;
  const res = await fetch(apiUrl(path, options.query, options.base), {
    method: posting ? 'POST' : 'GET',
    headers: { accept: 'application/json', ...(posting ? { 'content-type': 'application/json' } : {}) },
    ...(posting ? { body: JSON.stringify(options.body) } : {}),
    cache: 'no-store',
    credentials: 'same-origin',
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const problem = (typeof json === 'object' && json !== null ? json : {}) as P;
    const code = typeof problem.code === 'string' ? problem.code : `HTTP_${res.status}`;
    const message =
      typeof problem.detail === 'string'
        ? problem.detail
        : typeof problem.title === 'string'
          ? problem.title
          : code;
    throw new ApiError<P>(res.status, code, message, problem);
  }
  return json as T;
}
