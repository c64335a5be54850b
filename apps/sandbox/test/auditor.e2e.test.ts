/**
 * The auditor's view in Debian's Chromium (the Vite + Preact page at /verifier/auditor/): the sandbox runs
 * in this process (startSandbox, 127.0.0.1, port 0, a fresh data directory), the bank verifies the iPhone's
 * record through its form route, then the auditor opens the page from the verifier's list, finds the record
 * of the day with the customer's declaration, opens it in full, runs the chain check (intact), and after the
 * record is edited in the database runs it again: broken, the record named and opened from the result. The
 * page fits a 390 px wide screen. With MYNAKIT_SCREENSHOTS=1 it saves docs/screenshots/sandbox-auditor.png and
 * sandbox-auditor-390.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openVerifierStore } from '@mynakit/verifier';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { DECLARED_FIELDS, verifyAtBank } from './helpers/bank-form.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = process.env.MYNAKIT_SCREENSHOTS === '1';

describe('the auditor’s view in Chromium', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let recordId: string;
  const requested: string[] = [];

  const form = (path: string, fields: Record<string, string>) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });

  beforeAll(async () => {
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-auditor-e2e-'));
    sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
    const installed = await form('/wallet/phones/iphone/install', {
      residentId: 'sandbox-ordinary-female',
      newAuthPin: '1234',
      newAuthPinAgain: '1234',
      newSignaturePassword: 'AUDIT2026',
      newSignaturePasswordAgain: 'AUDIT2026',
      liveness: 'confirmed',
    });
    expect(installed.status).toBe(303);
    const verified = await verifyAtBank(sandbox.url, 'iphone');
    expect(verified.status, JSON.stringify(verified.body).slice(0, 300)).toBe(200);
    recordId = verified.body.recordId as string;
    expect(recordId).toMatch(/\S/);
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page.on('request', (r) => requested.push(r.url()));
  }, 180_000);
  afterAll(async () => {
    await closeBrowser?.();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the day’s record with the customer’s declaration and opens it in full', async () => {
    await page.goto(`${sandbox.url}/verifier/`);
    await Promise.all([
      page.waitForURL(/\/verifier\/auditor\/$/),
      page.click('a[href="/verifier/auditor/"]'),
    ]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    const row = page.locator(`button[data-record-id="${recordId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-verdict')).toBe('valid');
    expect(await row.locator('[data-purpose]').getAttribute('data-purpose')).toBe(
      DECLARED_FIELDS.transactionPurpose,
    );
    expect(await row.locator('[data-declaration]').textContent()).toContain('生計費決済');
    expect(await row.locator('[data-declaration]').textContent()).toContain('会社員');
    expect(await row.textContent()).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    // The range the sandbox used (today in Japan) is in the form; searching it again finds the record.
    const from = await page.inputValue('input[name="from"]');
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.click('form.range button[type="submit"]');
    await row.waitFor();
    // The export buttons download the same range.
    expect(await page.getAttribute('a[data-export="csv"]', 'href')).toContain(`from=${from}`);
    expect(await page.getAttribute('a[data-export="json"]', 'href')).toContain('format=json');

    await row.click();
    const detail = page.locator(`section[data-detail-for="${recordId}"]`);
    await detail.locator('[data-record-content]').waitFor();
    expect(await detail.locator('[data-record-id-shown]').textContent()).toBe(recordId);
    expect(await detail.locator('[data-transaction-type]').getAttribute('data-transaction-type')).toBe(
      'account-opening',
    );
    expect(await detail.locator('[data-record-content]').textContent()).not.toContain('individual_number');
    expect(new URL(page.url()).hash).toBe(`#record=${recordId}`);
  });

  it('runs the chain check: intact, then broken with the edited record named and opened', async () => {
    await page.click('button[name="check-chains"]');
    await page.locator('[data-chain-verdict="valid"]').waitFor();
    expect(await page.locator('[data-first-broken]').count()).toBe(0);

    const store = await openVerifierStore({ url: `sqlite:${join(dataDir, 'verifier', 'verifier.sqlite')}` });
    try {
      const row = await store.db
        .selectFrom('verification_records')
        .select('content')
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('verification_records')
        .set({ content: String(row.content).replace('account-opening', 'loan') })
        .where('id', '=', recordId)
        .execute();
    } finally {
      await store.close();
    }
    await page.click('button[name="check-chains"]');
    await page.locator('[data-chain-verdict="invalid"]').waitFor();
    expect(await page.getAttribute('[data-first-broken]', 'data-first-broken')).toBe(recordId);
    expect(await page.locator('tr[data-check="chain.content"]').getAttribute('data-status')).toBe('failed');
    // The list marks the record; the result opens it.
    await page.locator(`button.record.broken[data-record-id="${recordId}"]`).waitFor();
    await page.click('button[data-open-broken]');
    await page.locator(`section[data-detail-for="${recordId}"] [data-record-content]`).waitFor();
  });

  it('asks only the sandbox’s own auditor routes, with no key in any URL', () => {
    const urls = requested.filter((u) => u.startsWith(sandbox.url));
    expect(urls.some((u) => u.includes('/verifier/auditor/api/records'))).toBe(true);
    expect(urls.some((u) => u.includes('/verifier/auditor/api/chains'))).toBe(true);
    for (const u of urls) expect(new URL(u).pathname.startsWith('/verifier/records')).toBe(false);
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    if (SCREENSHOTS) {
      mkdirSync(join(REPO, 'docs', 'screenshots'), { recursive: true });
      await page.screenshot({
        path: join(REPO, 'docs', 'screenshots', 'sandbox-auditor.png'),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator(`section[data-detail-for="${recordId}"] [data-record-content]`).waitFor();
    if (SCREENSHOTS)
      await page.screenshot({
        path: join(REPO, 'docs', 'screenshots', 'sandbox-auditor-390.png'),
        fullPage: true,
      });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
  });
});
