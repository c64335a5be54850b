/**
 * `@mynakit/verifier-sdk` — the browser side of verifying the My Number Card on smartphones.
 *
 * @packageDocumentation
 */

/** The package's version, for a page's diagnostics. */
export const VERIFIER_SDK_VERSION = '0.1.0';
