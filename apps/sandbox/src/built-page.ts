/**
 * The sandbox's Vite + Preact pages, served from their builds in `apps/sandbox/dist-pages/<name>` by the
 * one implementation the issuer's console uses too (@mynakit/http-kit `registerBuiltPage`).
 */
import {
  BUILD_PAGES_COMMAND,
  type BuiltPage,
  builtPageDir,
  registerBuiltPage as registerPage,
} from '@mynakit/http-kit';
import type { Hono } from 'hono';

export { BUILD_PAGES_COMMAND };

/** The build folder of a page of the sandbox: `apps/sandbox/dist-pages/<name>`. */
export function defaultPageDir(name: string): string {
  return builtPageDir(import.meta.url, name);
}

/** Registers `<prefix>` and `<prefix>/*` of a sandbox page (register the page's API routes before this). */
export function registerBuiltPage(app: Hono, page: Omit<BuiltPage, 'servedBy'>): void {
  registerPage(app, { ...page, servedBy: 'mynakit sandbox' });
}
