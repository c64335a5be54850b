import { sValidator } from '@hono/standard-validator';

import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { problem } from './problem.js';

/** How a rejected body is answered: problem+json, or OAuth's `{error: "invalid_request"}` on protocol endpoints. */
export type InvalidBodyStyle = 'problem' | 'oauth';

/** A validation issue as Standard Schema reports it (only its path is used). */
interface Issue {
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * The 400 of a body that does not match its schema. The default 400 of the validator echoes the input;
 * this one names only the paths of the fields that failed (`signCsr`, `proofs.jwt.0`), never their values.
 */
function invalidBody(c: Context, issues: readonly Issue[], style: InvalidBodyStyle): Response {
  const paths = [
    ...new Set(
      issues.slice(0, 10).map((i) =>
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
}

/**
 * A form-encoded body (application/x-www-form-urlencoded, WHATWG URL §5.1) read as Hono's form validator
 * reads it — a repeated name, or one ending in `[]`, becomes an array — but from the body's text, without
 * building a FormData through a Response.
 */
function formOf(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const held = form[key];
    if (key.endsWith('[]')) form[key] = Array.isArray(held) ? [...held, value] : [value];
    else if (Array.isArray(held)) held.push(value);
    else if (held !== undefined) form[key] = [held, value];
    else form[key] = value;
  }
  return form;
}

/**
 * Validates a JSON (or form) body with a zod schema, answering a mismatch without echoing the input
 * (invalidBody). Form bodies of type application/x-www-form-urlencoded are read from their text here;
 * other media types go through Hono's validator as before.
 */
export function validBody<S extends z.ZodType>(
  target: 'json' | 'form',
  schema: S,
  style: InvalidBodyStyle = 'problem',
): MiddlewareHandler {
  const standard = sValidator(target, schema, (result, c) => {
    if (result.success) return;
    return invalidBody(c, result.error, style);
  }) as unknown as MiddlewareHandler;
  if (target !== 'form') return standard;
  return async (c, next) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return standard(c, next);
    const result = await schema['~standard'].validate(formOf(await c.req.text()));
    if (result.issues !== undefined) return invalidBody(c, result.issues, style);
    c.req.addValidatedData('form', result.value as Record<string, unknown>);
    await next();
  };
}
