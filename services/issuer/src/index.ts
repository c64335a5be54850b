/** The issuer service. */
export { createIssuerApp, DEFAULT_MAX_BODY_BYTES, ISSUER_API_VERSION } from './app.js';
export * from './ca/index.js';
export * from './cards/index.js';
export type { IssuerConfig, IssuerDeps } from './context.js';
export { IssuerError, type IssuerErrorCode } from './errors.js';
export * from './installations/index.js';
export * from './keys/index.js';
export * from './residents/index.js';
export {
  type OpenedIssuer,
  type OpenIssuerOptions,
  openIssuer,
  type RunningIssuer,
  type StartIssuerOptions,
  startIssuer,
} from './server.js';
export * from './store/index.js';
