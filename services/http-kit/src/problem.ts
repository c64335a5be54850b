import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * RFC 9457 problem details with a stable `code`. Every non-protocol error of a mynakit service leaves
 * through here. `detail` is written by the service, never copied from the request: a problem never echoes a
 * submitted name, address, PIN or token.
 */
export interface ProblemDetails {
  /** A URI naming the problem type; `about:blank` when the status says it all. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  /** Stable machine-readable code (e.g. `ISSUER_INSTALLATION_CONFLICT`, `VERIFIER_SESSION_USED`). */
  readonly code: string;
  readonly detail?: string;
}

/** The media type of RFC 9457 §3. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Answers with a problem document. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  title: string,
  detail?: string,
): Response {
  const body: ProblemDetails = {
    type: `https://mynakit.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
  };
  return c.body(JSON.stringify(body), status, { 'content-type': PROBLEM_MEDIA_TYPE });
}
