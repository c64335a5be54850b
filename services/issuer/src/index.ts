/** The issuer service. */
export { createIssuerApp, DEFAULT_MAX_BODY_BYTES, ISSUER_API_VERSION } from './app.js';
export * from './ca/index.js';
export type { IssuerConfig, IssuerDeps } from './context.js';
export { IssuerError, type IssuerErrorCode } from './errors.js';
export * from './keys/index.js';
export * from './store/index.js';
