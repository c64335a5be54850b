/**
 * @mynakit/page-html — server-rendered HTML for the services' and the sandbox's pages: a tagged template
 * that escapes every interpolated value, so text that came from a store or a request can never become
 * markup. Pages work before any script loads.
 */
export { escapeHtml, html, SafeHtml } from './html.js';
