import { sValidator } from '@hono/standard-validator';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { problem } from './problem.js';

/** How a rejected body is answered: problem+json, or OAuth's `{error: "invalid_request"}` on protocol endpoints. */
export type InvalidBodyStyle = 'problem' | 'oauth';

/**
 * Validates a JSON (or form) body with a zod schema. The default 400 of the validator echoes the input;
 * this one names only the paths of the fields that failed (`signCsr`, `proofs.jwt.0`), never their values.
 */
export function validBody<S extends z.ZodType>(
  target: 'json' | 'form',
  schema: S,
  style: InvalidBodyStyle = 'problem',
): MiddlewareHandler {
  return sValidator(target, schema, (result, c) => {
    if (result.success) return;
    const paths = [
      ...new Set(
        result.error.slice(0, 10).map((i) =>
          (i.path ?? [])
            .map((p) => (typeof p === 'object' && p !== null ? p.key : p))
            // A path segment may be a key the client chose (a record's key): only schema-like names are
            // repeated back, anything else becomes `*`.
            .map((k) => (typeof k === 'number' || /^[A-Za-z0-9_-]{1,40}$/.test(String(k)) ? String(k) : '*'))
            .join('.'),
        ),
      ),
    ];
    const where = paths.filter((p) => p !== '').join(', ');
    const detail = where === '' ? 'the body does not match the schema' : `invalid or missing: ${where}`;
    if (style === 'oauth') {
      return c.json({ error: 'invalid_request', error_description: detail }, 400);
    }
    return problem(c, 400, 'ISSUER_INVALID_BODY', 'Invalid request body', detail);
  }) as unknown as MiddlewareHandler;
}
