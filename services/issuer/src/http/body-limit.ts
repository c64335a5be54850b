import { limitBody as limitBodyWithCode } from '@mynakit/http-kit';
import type { MiddlewareHandler } from 'hono';

/**
 * The issuer's request-body bound (@mynakit/http-kit): a CMS signature over an installation request and two
 * CSRs with their attestations fit comfortably in the default 64 KiB; beyond it, 413 ISSUER_BODY_TOO_LARGE.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return limitBodyWithCode(maxBytes, 'ISSUER_BODY_TOO_LARGE');
}
