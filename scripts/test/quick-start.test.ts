/**
 * The README's quick start, as a user runs it (scripts/quick-start-check.mjs): `npm start` on an empty data
 * directory prints one URL within 60 s, the landing page and every page it links (and every page those link,
 * one level down) answer 200, and Ctrl-C (SIGINT) stops it with exit code 0. A broken quick start fails the
 * suite, hence CI; `.ci/run` also runs the same check on its own after the suite.
 */
import { describe, expect, it } from 'vitest';
import { checkQuickStart, linksOf } from '../quick-start-check.mjs';

describe('npm start', () => {
  it('prints one URL, serves the landing page and every page it links, and stops on SIGINT', async () => {
    const run = await checkQuickStart({ withinMs: 60_000 });
    expect(run.failures).toEqual([]);
    expect(run.pages.length).toBeGreaterThan(3);
    expect(run.code === 0 || run.signal === 'SIGINT', `exit ${run.code} ${run.signal}`).toBe(true);
    expect(run.stillAnswering).toBe(false);
  }, 120_000);

  it('finds same-origin links only', () => {
    expect(linksOf('<a href="/a">a</a><a href="https://x.invalid/b">b</a><link href="/c.css">')).toEqual([
      '/a',
      '/c.css',
    ]);
  });
});
