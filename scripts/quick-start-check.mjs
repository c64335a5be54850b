// The README's quick start, checked as a user meets it: `npm start` on an empty data directory prints one
// URL within 60 s, the landing page and every page it links (and every page those link, one level down)
// answer 200, and Ctrl-C (SIGINT to the process group, as a terminal sends it) stops it.
// `npm test` runs it as a test (scripts/test/quick-start.test.ts); `.ci/run` runs it once more on its own
// after the suite (`node scripts/quick-start-check.mjs`), so a broken quick start fails CI even when the
// suite's own copy was skipped or filtered.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every same-origin link of an HTML page (`href="/…"`), in order. */
export function linksOf(page) {
  return [...page.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]);
}

function firstUrl(proc, within) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no URL within ${within} ms; stderr:\n${err}`)), within);
    proc.stdout.on('data', (d) => {
      out += d.toString();
      const m = /(http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr.on('data', (d) => {
      err += d.toString();
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited ${code} before printing a URL:\n${err}`));
    });
  });
}

/**
 * Runs `npm start` in a fresh data directory, fetches the landing page and the pages it links two levels
 * deep, stops it with SIGINT and resolves `{ url, pages, code, signal, stillAnswering }`; rejects when no URL
 * is printed in time. A page that does not answer 200 is listed in `failures` (the caller decides).
 */
export async function checkQuickStart({ withinMs = 60_000 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-quick-start-'));
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, PORT: '0', MYNAKIT_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  try {
    const url = await firstUrl(child, withinMs);
    const base = new URL(url);
    const failures = [];
    const pages = [];
    const landing = await fetch(url);
    if (landing.status !== 200) failures.push(`/ → ${landing.status}`);
    const seen = new Set(['/']);
    const level1 = linksOf(await landing.text());
    if (level1.length === 0) failures.push('the landing page links nothing');
    for (const link of level1) {
      if (seen.has(link)) continue;
      seen.add(link);
      const r = await fetch(new URL(link, base));
      pages.push(link);
      if (r.status !== 200) failures.push(`${link} → ${r.status}`);
      if ((r.headers.get('content-type') ?? '').includes('text/html')) {
        for (const inner of linksOf(await r.text())) {
          if (seen.has(inner)) continue;
          seen.add(inner);
          pages.push(inner);
          const s = (await fetch(new URL(inner, base))).status;
          if (s !== 200) failures.push(`${inner} → ${s}`);
        }
      }
    }
    // npm runs the command in a child of its own: signal the whole group, as a terminal's Ctrl-C does.
    process.kill(-child.pid, 'SIGINT');
    const { code, signal } = await exited;
    const stillAnswering = await fetch(url).then(
      () => true,
      () => false,
    );
    return { url, pages, failures, code, signal, stillAnswering };
  } finally {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const r = await checkQuickStart();
    const stopped = (r.code === 0 || r.signal === 'SIGINT') && !r.stillAnswering;
    if (r.failures.length > 0 || !stopped) {
      console.error(
        `quick start: FAILED at ${r.url}: ${[...r.failures, stopped ? '' : `exit ${r.code} ${r.signal}`].filter(Boolean).join('; ')}`,
      );
      process.exit(1);
    }
    console.error(`quick start: ${r.url} and ${r.pages.length + 1} pages answered 200; stopped by SIGINT`);
  } catch (e) {
    console.error(`quick start: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
