import { Hono } from 'hono';
import type { VerifierDeps } from './context.js';
import { registerCrossCheckRoutes } from './cross-checks/routes.js';
import { VerifierError } from './errors.js';
import type { VerifierEnv } from './http/auth.js';
import { limitBody } from './http/body-limit.js';
import { OpenApiRegistry } from './http/openapi.js';
import { problem } from './http/problem.js';
import { requestLog } from './http/request-log.js';
import { statusOfVerifierError } from './http/status-of-error.js';
import { registerPasskeyRoutes } from './passkeys/routes.js';
import { registerProximityRoutes } from './proximity/routes.js';
import { registerRecordRoutes } from './records/routes.js';
import { registerReaderKeyRoutes } from './relying-parties/reader-key-routes.js';
import { registerRelyingPartyRoutes } from './relying-parties/routes.js';
import { registerCrossDeviceRoutes } from './sessions/cross-device-routes.js';
import { registerJpkiLinkRoutes } from './sessions/jpki-link-routes.js';
import { registerJpkiSessionRoutes } from './sessions/jpki-routes.js';
import { registerSessionRoutes } from './sessions/routes.js';

/** The routes whose body may exceed the general limit (each bounds it itself): a session's answer. */
const RESPONSE_PATH = /^\/sessions\/[^/]+\/(response|direct-post)$/;

/** Default bound on request bodies: a relying-party configuration with a few certificates fits easily. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The service version written into the OpenAPI document. */
export const VERIFIER_API_VERSION = '0.1.0';

/**
 * The verifier as a Hono app. Route groups: `/relying-parties` (operator token), `/records` (a relying
 * party's auditor key); `/openapi.json` describes them (generated from the zod schemas that validate the
 * bodies) and `/health` answers. `/sessions` (a relying party's `rp` key) opens Digital Credentials API
 * sessions and verifies their answers, and cross-checks the basic four of a record and a JPKI signature of
 * one person (`/sessions/cross-checks`, cross-checks/routes.ts); `/passkeys` (the same key) binds a passkey
 * to the person a valid session verified, signs them in with it and guards high-risk operations with a
 * step-up (passkeys/routes.ts). Every error is RFC 9457 problem+json with a stable `VERIFIER_…` code whose detail
 * is written by the service and never echoes what was sent.
 */
export function createVerifierApp(deps: VerifierDeps): Hono<VerifierEnv> {
  const app = new Hono<VerifierEnv>();
  const registry = new OpenApiRegistry();
  if (deps.log) app.use('*', requestLog(deps.log));
  const bodyLimit = limitBody(deps.config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  // A session's answer carries a DeviceResponse with a portrait: its route sets its own, larger bound.
  app.use('*', (c, next) => (RESPONSE_PATH.test(c.req.path) ? next() : bodyLimit(c, next)));

  registerRelyingPartyRoutes(app, registry, deps);
  registerReaderKeyRoutes(app, registry, deps);
  registerRecordRoutes(app, registry, deps);
  registerSessionRoutes(app, registry, deps);
  registerJpkiSessionRoutes(app, registry, deps);
  registerJpkiLinkRoutes(app, registry, deps);
  registerCrossCheckRoutes(app, registry, deps);
  registerCrossDeviceRoutes(app, registry, deps);
  registerProximityRoutes(app, registry, deps);

  registerPasskeyRoutes(app, registry, deps);

  app.get('/openapi.json', (c) =>
    c.json(
      registry.document(
        {
          title: 'mynakit verifier',
          version: VERIFIER_API_VERSION,
          description:
            'Relying parties, verification sessions over the Digital Credentials API (ISO/IEC 18013-7 Annex C), and their lawful verification records (確認記録) in signed hash chains.',
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
