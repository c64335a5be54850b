import type { Hono } from 'hono';
import type { IssuerDeps } from '../context.js';
import type { OpenApiRegistry } from '../http/openapi.js';

/** Registers /residents: the sandbox's resident register. */
export function registerResidentRoutes(_app: Hono, _registry: OpenApiRegistry, _deps: IssuerDeps): void {}
