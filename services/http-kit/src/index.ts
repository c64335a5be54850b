/**
 * @mynakit/http-kit — what every mynakit service's HTTP boundary shares: RFC 9457 problems with stable
 * codes, the request-body bound, one log line per request without personal data, the OpenAPI 3.1 document
 * generated from the zod schemas that validate the bodies, binding a port (a taken port is the service's
 * own error) and closing it, and serving a built Vite page. Also what the services share at rest: secrets sealed under a
 * key-encryption key (`MYNAKIT_KEK`) and files written once, atomically, by the first of racing writers.
 */
export { limitBody } from './body-limit.js';
export { readBoundedBody } from './bounded-body.js';
export {
  BUILD_PAGES_COMMAND,
  BUILT_PAGE_CONTENT_TYPES,
  type BuiltPage,
  type BuiltPageFile,
  builtPageDir,
  listBuiltPageFiles,
  registerBuiltPage,
} from './built-page.js';
export { closeServer, listenOn } from './listen.js';
export { OpenApiRegistry, type OperationDoc, ProblemSchema } from './openapi.js';
export { PROBLEM_MEDIA_TYPE, type ProblemDetails, problem } from './problem.js';
export { requestLog } from './request-log.js';
export {
  decodeKek,
  KEK_LENGTH,
  type KeyEncryptionKeyOptions,
  type KeyEncryptionKeyResult,
  openKeyEncryptionKey,
  sealSecret,
  unsealSecret,
} from './sealed-secret.js';
export { readFileIfExists, readOrCreateFile, writeFileOnce } from './write-once-file.js';
