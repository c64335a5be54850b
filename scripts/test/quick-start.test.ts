/**
 * The README's quick start, as a user runs it: `npm start` on an empty data directory prints one URL within
 * 60 s, the landing page and every page it links (and every page those link, one level down) answer 200,
 * and Ctrl-C (SIGINT) stops it with exit code 0. A broken quick start fails the suite, hence CI.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-quick-start-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function firstUrl(proc: ChildProcess, within: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no URL within ${within} ms; stderr:\n${err}`)), within);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    proc.on('exit', (code) => reject(new Error(`npm start exited ${code} before printing a URL:\n${err}`)));
  });
}

const linksOf = (page: string) => [...page.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1] as string);

describe('npm start', () => {
  it('prints one URL, serves the landing page and every page it links, and stops on SIGINT', async () => {
    child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: { ...process.env, PORT: '0', MYNAKIT_DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const url = await firstUrl(child, 60_000);
    const base = new URL(url);
    const landing = await fetch(url);
    expect(landing.status).toBe(200);
    const seen = new Set<string>();
    const level1 = linksOf(await landing.text());
    expect(level1.length).toBeGreaterThan(0);
    for (const link of level1) {
      const r = await fetch(new URL(link, base));
      expect(r.status, link).toBe(200);
      seen.add(link);
      if ((r.headers.get('content-type') ?? '').includes('text/html')) {
        for (const inner of linksOf(await r.text())) {
          if (seen.has(inner)) continue;
          seen.add(inner);
          expect((await fetch(new URL(inner, base))).status, inner).toBe(200);
        }
      }
    }
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
      child?.on('exit', (code, signal) => done({ code, signal })),
    );
    // npm runs the command in a child of its own: signal the whole process group, as a terminal's Ctrl-C does.
    // The sandbox exits 0; npm itself may end by the same signal.
    process.kill(-(child.pid as number), 'SIGINT');
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT', `exit ${code} ${signal}`).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
  }, 120_000);
});
