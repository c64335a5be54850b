import { limitBody as limitBodyWithCode } from '@mynakit/http-kit';
import type { MiddlewareHandler } from 'hono';

/**
 * The verifier's request-body bound (@mynakit/http-kit): a relying-party configuration with its
 * certificates fits comfortably in the default 64 KiB; beyond it, 413 VERIFIER_BODY_TOO_LARGE.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return limitBodyWithCode(maxBytes, 'VERIFIER_BODY_TOO_LARGE');
}
