import { OpenApiRegistry as ServiceOpenApiRegistry } from '@mynakit/http-kit';

/** The registry and the problem schema are shared by every service (@mynakit/http-kit). */
export { type OperationDoc, ProblemSchema } from '@mynakit/http-kit';

/** The verifier's tokens and keys, as the OpenAPI document names them. */
export const VERIFIER_SECURITY_SCHEMES = {
  operatorToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'the operator token of the verifier',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      "a relying party's API key (POST /relying-parties answers it once); /records needs the auditor role",
  },
} as const;

/** The verifier's OpenAPI registry: the shared one, with the verifier's security schemes. */
export class OpenApiRegistry extends ServiceOpenApiRegistry {
  /** A registry naming the verifier's security schemes. */
  constructor() {
    super(VERIFIER_SECURITY_SCHEMES);
  }
}
