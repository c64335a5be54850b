/**
 * The phone page as the wallet app serves it (built-page.ts registerRootPage): `/` is the build's
 * index.html with its files under /assets/ — only the build's own files, with the page's
 * Content-Security-Policy — and, without a build, a page that names the command that builds it (still
 * HTTP 200, so `mynakit wallet` alone always answers `/`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_PAGES_COMMAND } from '@mynakit/http-kit';
import { describe, expect, it } from 'vitest';
import { createWalletApp } from '../src/index.js';
import { tempDir } from './helpers/wallet-fixtures.js';

describe('the phone page at /', () => {
  it('serves the build’s index.html and its assets, and nothing else', async () => {
    const dir = tempDir('mynakit-phone-page-');
    try {
      mkdirSync(join(dir.path, 'assets'));
      writeFileSync(
        join(dir.path, 'index.html'),
        '<!doctype html><html lang="ja"><script type="module" src="./assets/app-1.js"></script></html>',
      );
      writeFileSync(join(dir.path, 'assets', 'app-1.js'), 'console.log(1)');
      writeFileSync(join(dir.path, 'secret.key'), 'not served');
      const app = createWalletApp({ phones: [], phonePageDir: dir.path });
      const page = await app.request('/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("form-action 'none'");
      expect(await page.text()).toContain('./assets/app-1.js');
      const script = await app.request('/assets/app-1.js');
      expect([script.status, script.headers.get('content-type')]).toEqual([
        200,
        'text/javascript; charset=utf-8',
      ]);
      for (const path of [
        '/assets/..%2Fsecret.key',
        '/assets/../secret.key',
        '/assets/none.js',
        '/secret.key',
      ]) {
        const r = await app.request(path);
        expect([path, r.status, ((await r.json()) as { code: string }).code]).toEqual([
          path,
          404,
          'WALLET_NOT_FOUND',
        ]);
      }
      // The JSON routes are the app's own, not the page's.
      expect((await (await app.request('/overview')).json()) as unknown).toEqual({
        issuer: { state: 'not-configured' },
        phones: [],
        install: null,
      });
    } finally {
      dir.remove();
    }
  });

  it('answers 200 with the build command when the page is not built', async () => {
    const dir = tempDir('mynakit-phone-page-');
    try {
      const app = createWalletApp({ phones: [], phonePageDir: join(dir.path, 'missing') });
      const page = await app.request('/');
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).toContain('data-page-not-built');
      expect(text).toContain(BUILD_PAGES_COMMAND);
      expect((await app.request('/assets/app.js')).status).toBe(404);
    } finally {
      dir.remove();
    }
  });
});
