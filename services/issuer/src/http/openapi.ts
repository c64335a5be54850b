import { OpenApiRegistry as ServiceOpenApiRegistry } from '@mynakit/http-kit';
import { z } from 'zod';

/** The registry and the problem schema are shared by every service (@mynakit/http-kit). */
export { type OperationDoc, ProblemSchema } from '@mynakit/http-kit';

/** The issuer's tokens and keys, as the OpenAPI document names them. */
export const ISSUER_SECURITY_SCHEMES = {
  sandboxAdmin: { type: 'http', scheme: 'bearer', description: 'the sandbox operator token' },
  accessToken: { type: 'http', scheme: 'bearer', description: 'an OpenID4VCI access token' },
  rpClient: {
    type: 'http',
    scheme: 'basic',
    description: "a relying party's client id and secret (POST /rp-clients)",
  },
  installationToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'the installationToken answered by the card step (POST /installations)',
  },
  noticeSubscription: {
    type: 'http',
    scheme: 'bearer',
    description: 'the token answered by POST /notices/subscriptions (device-key proof)',
  },
} as const;

/** The issuer's OpenAPI registry: the shared one, with the issuer's security schemes. */
export class OpenApiRegistry extends ServiceOpenApiRegistry {
  /** A registry naming the issuer's security schemes. */
  constructor() {
    super(ISSUER_SECURITY_SCHEMES);
  }
}

/** OAuth 2.0 error response (RFC 6749 §5.2) as the OpenID4VCI endpoints return it. */
export const OAuthErrorSchema = z
  .object({ error: z.string(), error_description: z.string().optional() })
  .meta({ id: 'OAuthError' });
