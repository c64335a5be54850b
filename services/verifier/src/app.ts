import { Hono } from 'hono';
import type { VerifierDeps } from './context.js';
import { VerifierError } from './errors.js';
import type { VerifierEnv } from './http/auth.js';
import { limitBody } from './http/body-limit.js';
import { OpenApiRegistry } from './http/openapi.js';
import { problem } from './http/problem.js';
import { requestLog } from './http/request-log.js';
import { statusOfVerifierError } from './http/status-of-error.js';
import { registerRecordRoutes } from './records/routes.js';
import { registerRelyingPartyRoutes } from './relying-parties/routes.js';

/** Default bound on request bodies: a relying-party configuration with a few certificates fits easily. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The service version written into the OpenAPI document. */
export const VERIFIER_API_VERSION = '0.1.0';

/**
 * The verifier as a Hono app. Route groups: `/relying-parties` (operator token), `/records` (a relying
 * party's auditor key); `/openapi.json` describes them (generated from the zod schemas that validate the
 * bodies) and `/health` answers. `/sessions` and `/passkeys` are not built yet and answer 404
 * VERIFIER_ROUTE_NOT_AVAILABLE. Every error is RFC 9457 problem+json with a stable `VERIFIER_…` code whose
 * detail is written by the service and never echoes what was sent.
 */
export function createVerifierApp(deps: VerifierDeps): Hono<VerifierEnv> {
  const app = new Hono<VerifierEnv>();
  const registry = new OpenApiRegistry();
  if (deps.log) app.use('*', requestLog(deps.log));
  app.use('*', limitBody(deps.config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));

  registerRelyingPartyRoutes(app, registry, deps);
  registerRecordRoutes(app, registry, deps);

  for (const path of ['/sessions', '/sessions/*', '/passkeys', '/passkeys/*'])
    app.all(path, (c) =>
      problem(
        c,
        404,
        'VERIFIER_ROUTE_NOT_AVAILABLE',
        'Not available',
        'verification sessions and passkeys are not part of this version of the verifier',
      ),
    );

  app.get('/openapi.json', (c) =>
    c.json(
      registry.document(
        {
          title: 'mynakit verifier',
          version: VERIFIER_API_VERSION,
          description:
            'Relying parties and their lawful verification records (確認記録) in signed hash chains; verification sessions come later.',
        },
        deps.config.origin,
      ),
    ),
  );
  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.notFound((c) => problem(c, 404, 'VERIFIER_NOT_FOUND', 'Not found'));
  app.onError((err, c) => {
    if (err instanceof VerifierError) {
      const { status, title } = statusOfVerifierError(err.code);
      // The message of a VerifierError is written by the service and names no personal data.
      return problem(c, status, err.code, title, err.message);
    }
    deps.log?.(`error ${(err as Error).name ?? 'Error'} on ${c.req.method}`);
    return problem(c, 500, 'VERIFIER_INTERNAL', 'Internal error');
  });
  return app;
}
