import { z } from 'zod';

/** What the OpenAPI document says about one operation; the same zod schemas validate the bodies. */
export interface OperationDoc {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Hono path (`/residents/:id`); written as `/residents/{id}` in the document. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly requestBody?: { readonly mediaType: string; readonly schema: z.ZodType };
  readonly responses: Readonly<
    Record<number, { readonly description: string; readonly mediaType?: string; readonly schema?: z.ZodType }>
  >;
  /** Names of security schemes that apply (none: public). */
  readonly security?: readonly string[];
}

/** Problem details (RFC 9457) as every non-protocol error is returned. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
  })
  .meta({ id: 'Problem' });

/** OAuth 2.0 error response (RFC 6749 §5.2) as the OpenID4VCI endpoints return it. */
export const OAuthErrorSchema = z
  .object({ error: z.string(), error_description: z.string().optional() })
  .meta({ id: 'OAuthError' });

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Collects operations as routes are registered and writes one OpenAPI 3.1 document from them. OpenAPI 3.1
 * schemas are JSON Schema 2020-12, which is what zod 4 emits, so the document is generated from the very
 * schemas that validate requests — it cannot drift from what the service accepts.
 */
export class OpenApiRegistry {
  readonly #operations: OperationDoc[] = [];

  /** Records one operation. */
  add(op: OperationDoc): void {
    this.#operations.push(op);
  }

  /** The OpenAPI 3.1 document. */
  document(info: { title: string; version: string; description?: string }, serverUrl?: string): object {
    const paths = new Map<string, Record<string, unknown>>();
    for (const op of this.#operations) {
      const p = toOpenApiPath(op.path);
      const entry = paths.get(p) ?? {};
      const parameters = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.schema
            ? { content: { [r.mediaType ?? 'application/json']: { schema: schemaOf(r.schema) } } }
            : {}),
        };
      }
      entry[op.method] = {
        operationId: op.operationId,
        summary: op.summary,
        tags: [...op.tags],
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(op.requestBody
          ? {
              requestBody: {
                required: true,
                content: { [op.requestBody.mediaType]: { schema: schemaOf(op.requestBody.schema) } },
              },
            }
          : {}),
        responses,
        security: op.security ? op.security.map((s) => ({ [s]: [] })) : [],
      };
      paths.set(p, entry);
    }
    return {
      openapi: '3.1.0',
      info,
      ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
      paths: Object.fromEntries([...paths.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      components: {
        securitySchemes: {
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
        },
      },
    };
  }
}

function schemaOf(schema: z.ZodType): unknown {
  // io 'input': the document describes what a client sends / receives on the wire.
  const s = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}
