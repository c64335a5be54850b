import { sValidator } from '@hono/standard-validator';
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { problem } from './problem.js';

/** A validation issue as Standard Schema reports it (only its path is used). */
interface Issue {
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * The 400 of a body that does not match its schema. The default 400 of the validator echoes the input;
 * this one names only the paths of the fields that failed (`law`, `trustAnchors.0`), never their values.
 */
function invalidBody(c: Context, issues: readonly Issue[]): Response {
  const paths = [
    ...new Set(
      issues.slice(0, 10).map((i) =>
        (i.path ?? [])
          .map((p) => (typeof p === 'object' && p !== null ? p.key : p))
          // A path segment may be a key the client chose: only schema-like names are repeated back.
          .map((k) => (typeof k === 'number' || /^[A-Za-z0-9_-]{1,40}$/.test(String(k)) ? String(k) : '*'))
          .join('.'),
      ),
    ),
  ];
  const where = paths.filter((p) => p !== '').join(', ');
  const detail = where === '' ? 'the body does not match the schema' : `invalid or missing: ${where}`;
  return problem(c, 400, 'VERIFIER_INVALID_BODY', 'Invalid request body', detail);
}

/** Validates a JSON body with a zod schema, answering a mismatch without echoing the input (invalidBody). */
export function validJson<S extends z.ZodType>(schema: S): MiddlewareHandler {
  return sValidator('json', schema, (result, c) => {
    if (result.success) return;
    return invalidBody(c, result.error);
  }) as unknown as MiddlewareHandler;
}

/** The body validJson checked, typed by its schema's output. */
export function validated<T>(c: Context): T {
  return (c.req.valid as unknown as (target: 'json') => T)('json');
}
