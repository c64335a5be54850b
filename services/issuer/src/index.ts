/** The issuer service. */
export * from './ca/index.js';
export { IssuerError, type IssuerErrorCode } from './errors.js';
export * from './keys/index.js';
