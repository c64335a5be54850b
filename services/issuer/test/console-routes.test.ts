/**
 * `/console` through app.request(): the relative redirect, the built files with their content types and
 * caching, no way out of the build folder (`..%2f`, `%2e%2e`, absolute paths, files that are not listed),
 * the page that says how to build when there is no build, and the sandbox session's conditions.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerApp } from '../src/app.js';
import {
  BUILD_PAGES_COMMAND,
  isLoopbackAddress,
  isLoopbackHost,
  listConsoleFiles,
} from '../src/console/routes.js';
import type { IssuerConfig } from '../src/context.js';
import { ADMIN_TOKEN, type TestIssuer, testIssuer } from './helpers/installation-fixtures.js';

const NOW = new Date('2026-05-10T03:00:00Z');

describe('/console', () => {
  let t: TestIssuer;
  let tmp: string;
  let built: string;
  let app: Hono;
  const appWith = (config: Partial<IssuerConfig>) =>
    createIssuerApp({ ...t.deps, config: { ...t.deps.config, ...config } });

  beforeAll(async () => {
    t = await testIssuer({ now: NOW });
    tmp = mkdtempSync(join(tmpdir(), 'mynakit-console-'));
    built = join(tmp, 'console');
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(built, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(built, 'assets', 'notes.unknown'), 'not a type the build writes');
    // Secrets beside the build, and a link out of it: none of them may be served.
    writeFileSync(join(tmp, 'secret.txt'), 'SECRET');
    symlinkSync(join(tmp, 'secret.txt'), join(built, 'assets', 'link.txt'));
    app = appWith({ consoleDir: built });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('redirects /console to console/ (relative, so a prefix such as /issuer keeps working)', async () => {
    const res = await app.request('/console');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('console/');
    expect(new URL(res.headers.get('location') as string, 'http://127.0.0.1/issuer/console').pathname).toBe(
      '/issuer/console/',
    );
  });

  it('serves index.html (no-cache, with its policy) and the hashed assets (immutable) with their types', async () => {
    const index = await app.request('/console/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>console</title>');
    expect((await app.request('/console/index.html')).status).toBe(200);
    const js = await app.request('/console/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const css = await app.request('/console/assets/index-abc123.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('needs no token for its files', async () => {
    const res = await app.request('/console/assets/index-abc123.js', { headers: {} });
    expect(res.status).toBe(200);
  });

  for (const path of [
    '/console/..%2fsecret.txt',
    '/console/..%2F..%2Fpackage.json',
    '/console/%2e%2e/secret.txt',
    '/console/%2E%2E%2Fsecret.txt',
    '/console/assets/..%2f..%2fsecret.txt',
    '/console//etc/passwd',
    '/console/%2fetc%2fpasswd',
    `/console/${encodeURIComponent('/etc/passwd')}`,
    '/console/..\\secret.txt',
    '/console/assets/link.txt',
    '/console/assets/notes.unknown',
    '/console/assets/',
    '/console/missing.js',
  ]) {
    it(`404s ${path}`, async () => {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.text()).not.toContain('SECRET');
    });
  }

  it('lists only regular files of known types (no links, no dot files)', () => {
    writeFileSync(join(built, '.hidden.js'), 'x');
    expect([...listConsoleFiles(built).keys()].sort()).toEqual([
      'assets/index-abc123.css',
      'assets/index-abc123.js',
      'index.html',
    ]);
  });

  it('without a build, /console/ says the console is not built and how to build it', async () => {
    const missing = appWith({ consoleDir: join(tmp, 'no-such-build') });
    const res = await missing.request('/console/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain(BUILD_PAGES_COMMAND);
    expect(html).toContain('not built');
    expect((await missing.request('/console/assets/index-abc123.js')).status).toBe(404);
  });

  it('picks up a build made after the start at the next load of index.html', async () => {
    const later = join(tmp, 'later');
    const lateApp = appWith({ consoleDir: later });
    expect(await (await lateApp.request('/console/')).text()).toContain(BUILD_PAGES_COMMAND);
    mkdirSync(join(later, 'assets'), { recursive: true });
    writeFileSync(join(later, 'index.html'), '<!doctype html><title>built later</title>');
    writeFileSync(join(later, 'assets', 'index-later.js'), '1');
    expect(await (await lateApp.request('/console/')).text()).toContain('built later');
    expect((await lateApp.request('/console/assets/index-later.js')).status).toBe(200);
  });

  describe('sandbox session', () => {
    const session = (host: string, extra: Record<string, string> = {}) =>
      app.request(`http://${host}/console/sandbox-session`, { headers: { host, ...extra } });

    it('hands the token to a same-origin page on a loopback host, never cached', async () => {
      for (const host of ['127.0.0.1:8401', 'localhost:8401', '[::1]:8401', '127.0.0.1']) {
        const res = await session(host, { 'sec-fetch-site': 'same-origin' });
        expect(res.status, host).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.json()).toEqual({ token: ADMIN_TOKEN });
      }
    });

    it('refuses other hosts (DNS rebinding), cross-site requests, and a non-loopback connection', async () => {
      for (const host of ['issuer.example', 'evil.example:8401', '10.0.0.1:8401', '127.0.0.1.evil.example']) {
        const res = await session(host);
        expect(res.status, host).toBe(403);
        expect((await res.json()).code).toBe('ISSUER_FORBIDDEN');
      }
      expect((await session('127.0.0.1:8401', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      const remote = await app.request(
        'http://127.0.0.1:8401/console/sandbox-session',
        { headers: { host: '127.0.0.1:8401' } },
        { incoming: { socket: { remoteAddress: '192.0.2.7' } } },
      );
      expect(remote.status).toBe(403);
      const local = await app.request(
        'http://127.0.0.1:8401/console/sandbox-session',
        { headers: { host: '127.0.0.1:8401' } },
        { incoming: { socket: { remoteAddress: '::ffff:127.0.0.1' } } },
      );
      expect(local.status).toBe(200);
    });

    it('does not exist outside sandbox mode', async () => {
      const real = appWith({ sandbox: false, consoleDir: built });
      const res = await real.request('http://127.0.0.1/console/sandbox-session', {
        headers: { host: '127.0.0.1' },
      });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(ADMIN_TOKEN);
    });

    it('recognises loopback hosts and addresses', () => {
      expect(isLoopbackHost('127.1.2.3:80')).toBe(true);
      expect(isLoopbackHost('LOCALHOST')).toBe(true);
      expect(isLoopbackHost('[::1]')).toBe(true);
      expect(isLoopbackHost('[::2]:80')).toBe(false);
      expect(isLoopbackHost('localhost.example')).toBe(false);
      expect(isLoopbackHost(undefined)).toBe(false);
      expect(isLoopbackAddress('127.0.0.1')).toBe(true);
      expect(isLoopbackAddress('::1')).toBe(true);
      expect(isLoopbackAddress('::ffff:10.0.0.1')).toBe(false);
    });
  });
});
