import type { Hono } from 'hono';
import type { IssuerDeps } from '../context.js';
import type { OpenApiRegistry } from '../http/openapi.js';

/** Registers OpenID4VCI 1.0: metadata, token, nonce, credential and notification endpoints. */
export function registerOid4vciRoutes(_app: Hono, _registry: OpenApiRegistry, _deps: IssuerDeps): void {}
