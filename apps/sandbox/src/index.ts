/** The mynakit sandbox: the services and pages in one process. */
export { escapeHtml, html, SafeHtml } from '@mynakit/page-html';
export { renderLandingPage, type SandboxParts } from './landing-page.js';
export {
  createSandboxApp,
  type RunningSandbox,
  SANDBOX_PARTS,
  SandboxError,
  type StartSandboxOptions,
  startSandbox,
} from './start-sandbox.js';
export { SUPPORT_MATRIX, SUPPORT_MATRIX_CHECKED, type SupportRow } from './support-matrix.js';
