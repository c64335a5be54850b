import { Hono } from 'hono';
import { registerRpClientRoutes } from './clients/routes.js';
import { registerConsoleRoutes } from './console/routes.js';
import type { IssuerDeps } from './context.js';
import { registerCrlRoutes } from './crl/routes.js';
import { IssuerError } from './errors.js';
import { limitBody } from './http/body-limit.js';
import { OpenApiRegistry } from './http/openapi.js';
import { problem } from './http/problem.js';
import { requestLog } from './http/request-log.js';
import { statusOfIssuerError } from './http/status-of-error.js';
import { registerInquiryRoutes } from './inquiry/routes.js';
import { registerInstallationRoutes } from './installations/routes.js';
import { registerInsuranceRoutes } from './insurance/routes.js';
import { registerLifeEventRoutes } from './life-events/routes.js';
import { registerNoticeRoutes } from './notices/routes.js';
import { registerOcspRoutes } from './ocsp/routes.js';
import { registerOid4vciRoutes } from './oid4vci/routes.js';
import { registerPlatformStatusRoutes } from './platform-status/routes.js';
import { registerResidentRoutes } from './residents/routes.js';
import { RevocationHub } from './revocation/revocation-hub.js';
import { registerStatisticsRoutes } from './statistics/routes.js';
import { registerStatusListRoutes } from './status-lists/routes.js';

/** Default bound on request bodies: an installation request with CMS, two CSRs and attestations fits easily. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The service version written into the OpenAPI document. */
export const ISSUER_API_VERSION = '0.1.0';

/**
 * The issuer as a Hono app. Route groups: `/residents`, `/installations`, `/oid4vci/…` and the OpenID4VCI
 * metadata under `/.well-known/`; `/openapi.json` describes them all (generated from the zod schemas that
 * validate the bodies). Protocol endpoints answer in OAuth's error format; everything else in RFC 9457
 * problem+json with a stable `code`.
 */
export function createIssuerApp(given: IssuerDeps): Hono {
  // Every route group of this app hears the same hub.
  const deps: IssuerDeps & { readonly hub: RevocationHub } = {
    ...given,
    hub: given.hub ?? new RevocationHub(),
  };
  const app = new Hono();
  const registry = new OpenApiRegistry();
  if (deps.log) app.use('*', requestLog(deps.log));
  app.use('*', limitBody(deps.config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));

  registerResidentRoutes(app, registry, deps);
  registerInstallationRoutes(app, registry, deps);
  registerOid4vciRoutes(app, registry, deps);
  registerLifeEventRoutes(app, registry, deps);
  registerNoticeRoutes(app, registry, deps);
  registerInsuranceRoutes(app, registry, deps);
  registerStatisticsRoutes(app, registry, deps);
  registerRpClientRoutes(app, registry, deps);
  registerStatusListRoutes(app, registry, deps);
  registerInquiryRoutes(app, registry, deps);
  registerCrlRoutes(app, registry, deps);
  registerOcspRoutes(app, registry, deps);
  registerPlatformStatusRoutes(app, registry, deps);
  registerConsoleRoutes(app, registry, deps);

  app.get('/openapi.json', (c) =>
    c.json(
      registry.document(
        {
          title: 'mynakit issuer',
          version: ISSUER_API_VERSION,
          description:
            'Installs the card-substitute record (ISO 18013-5 mdoc, OpenID4VCI) and the smartphone JPKI certificates on one device per person.',
        },
        deps.config.origin,
      ),
    ),
  );
  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.notFound((c) => problem(c, 404, 'ISSUER_NOT_FOUND', 'Not found'));
  app.onError((err, c) => {
    if (err instanceof IssuerError) {
      const { status, title } = statusOfIssuerError(err.code);
      // The message of an IssuerError is written by the service for the client and names no personal data.
      return problem(c, status, err.code, title, err.message);
    }
    deps.log?.(`error ${(err as Error).name ?? 'Error'} on ${c.req.method}`);
    return problem(c, 500, 'ISSUER_INTERNAL', 'Internal error');
  });
  return app;
}
