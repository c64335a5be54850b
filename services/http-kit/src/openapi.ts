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
  /** Query parameters (name → description), all strings. */
  readonly query?: Readonly<Record<string, string>>;
  readonly responses: Readonly<
    Record<number, { readonly description: string; readonly mediaType?: string; readonly schema?: z.ZodType }>
  >;
  /** Names of security schemes that apply (none: public). */
  readonly security?: readonly string[];
}

/** Problem details (RFC 9457) as every error is returned. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
  })
  .meta({ id: 'Problem' });

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Collects operations as routes are registered and writes one OpenAPI 3.1 document from them. OpenAPI 3.1
 * schemas are JSON Schema 2020-12, which is what zod 4 emits, so the document is generated from the very
 * schemas that validate requests — it cannot drift from what the service accepts.
 */
export class OpenApiRegistry {
  readonly #operations: OperationDoc[] = [];
  readonly #securitySchemes: Readonly<Record<string, object>>;

  /** A registry whose document names these security schemes (the service's tokens and keys). */
  constructor(securitySchemes: Readonly<Record<string, object>> = {}) {
    this.#securitySchemes = securitySchemes;
  }

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
      const parameters: object[] = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      for (const [name, description] of Object.entries(op.query ?? {}))
        parameters.push({ name, in: 'query', required: false, description, schema: { type: 'string' } });
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
      components: { securitySchemes: { ...this.#securitySchemes } },
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
