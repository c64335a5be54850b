import type { Hono } from 'hono';
import type { IssuerDeps } from '../context.js';
import type { OpenApiRegistry } from '../http/openapi.js';

/** Registers /installations: the card step, the JPKI certificates, and the record added later. */
export function registerInstallationRoutes(_app: Hono, _registry: OpenApiRegistry, _deps: IssuerDeps): void {}
