/**
 * The operator console in Debian's Chromium against a real issuer (startIssuer, 127.0.0.1, port 0, sandbox
 * mode): the page gets the token through the sandbox session, finds a seeded resident by name (searched in
 * the page: no name in any URL), shows their Android phone with its certificates, records an address
 * change and shows what it revoked, and draws the statistics as SVG bars; on a phone-sized screen nothing
 * overflows sideways. With MYNAKIT_SCREENSHOTS=1 it saves docs/screenshots/issuer-console.png
 * (`npm run screenshots`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { readCardFile } from '../src/cards/card-file.js';
import { type RunningIssuer, startIssuer } from '../src/server.js';
import {
  certificateRequests,
  phoneKeys,
  sandboxAttester,
  signedCardStep,
  TEST_PIN_KDF,
} from './helpers/installation-fixtures.js';
import { sandboxAt, type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const RESIDENT = 'sandbox-ordinary-female';
const SCREENSHOTS = process.env.MYNAKIT_SCREENSHOTS === '1';

type Json = Record<string, unknown>;

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = (await res.json()) as Json;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Installs the seeded resident's card on an Android phone over HTTP: the card step, then attested CSRs. */
async function installAndroid(issuer: RunningIssuer, dataDir: string): Promise<string> {
  const card = await readCardFile(issuer.seed.cardFiles.get(RESIDENT) as string);
  const ch = await postJson(`${issuer.url}/installations/challenges`, undefined);
  const started = await postJson(
    `${issuer.url}/installations`,
    signedCardStep(card, { family: 'android', nonce: ch.challengeId as string }, new Date()),
  );
  const attester = await sandboxAttester(await sandboxAt(dataDir, new Date()));
  const csrs = await certificateRequests(attester, phoneKeys(), {
    nonce: started.keyAttestationNonce as string,
    iat: new Date(),
    withSign: true,
  });
  const done = await postJson(
    `${issuer.url}/installations/${started.installationId}/jpki-certificates`,
    csrs,
    {
      authorization: `Bearer ${started.installationToken}`,
    },
  );
  expect(done.state).toBe('active');
  return started.installationId as string;
}

describe('issuer operator console (Chromium)', () => {
  let dir: TempDataDir;
  let issuer: RunningIssuer;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    // The page itself: built when missing or older than its sources.
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    dir = tempDataDir();
    issuer = await startIssuer({ port: 0, dataDir: dir.path, pinKdf: TEST_PIN_KDF });
    await installAndroid(issuer, dir.path);
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page.on('request', (r) => requested.push(r.url()));
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await issuer?.close();
    dir?.remove();
  });

  it('opens at /console, takes the sandbox token, finds a resident by name and shows their phone', async () => {
    await page.goto(`${issuer.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    // The sandbox handed the token over: the register is listed without typing anything.
    await page.locator(`button[data-resident-id="${RESIDENT}"]`).waitFor();
    await page.fill('input[name="resident-search"]', '花子');
    await expect.poll(() => page.locator('button[data-resident-id]').count()).toBe(1);
    await page.click(`button[data-resident-id="${RESIDENT}"]`);
    await page.locator('.resident-name').waitFor();
    expect(await page.locator('.resident-name').textContent()).toContain('番号');
    const active = page.locator('.installation[data-installation-state="active"]');
    await active.waitFor();
    expect(await active.locator('tr[data-credential-state="active"]').count()).toBe(2);
    expect(await active.textContent()).toContain('Android');
  });

  it('records an address change and shows the revoked signature certificate', async () => {
    await page.selectOption('select[name="event"]', 'addressChanged');
    await page.fill('input[name="change-address"]', '東京都千代田区試験町一丁目1番1号');
    await page.fill('input[name="change-municipalityCode"]', '131016');
    await page.fill('input[name="change-municipalityName"]', '千代田区');
    await page.click('form.life-event button[type="submit"]');
    const result = page.locator('.result');
    await result.waitFor();
    expect(await result.locator('[data-revoked-count]').getAttribute('data-revoked-count')).toBe('1');
    expect(await result.locator('[data-revoked-kind]').getAttribute('data-revoked-kind')).toBe('jpki-sign');
    expect(await result.textContent()).toContain('affiliationChanged');
    // The phone's table follows: one certificate revoked with its reason, the other still in force.
    const revoked = page.locator('.installation tr[data-credential-state="revoked"]');
    await revoked.waitFor();
    expect(await revoked.textContent()).toContain('affiliationChanged');
    // And the notice the phone was sent about it.
    const notice = page.locator('.installation li[data-notice-kind="credential.revoked"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('#1');
    expect(await page.locator('.resident-name').textContent()).toContain('番号');
    expect(await page.locator('.facts').textContent()).toContain('千代田区');
  });

  it('draws the statistics as SVG bars, and the CRL and status list panels', async () => {
    const chart = page.locator('svg.chart[data-chart="インストール Installations per day"]');
    await chart.waitFor();
    const widths = await chart
      .locator('rect.bar')
      .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    expect(widths.some((w) => w > 0)).toBe(true);
    const revocations = page.locator('svg.chart[data-chart="失効 Revocations by reason"]');
    await expect.poll(() => revocations.locator('rect.bar').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.locator('table.crls tr[data-crl]').first().waitFor();
    expect(await page.locator('#status-h').textContent()).toContain('Token Status Lists');
  });

  it('sends no name or address in any URL', () => {
    expect(requested.length).toBeGreaterThan(5);
    for (const url of requested) {
      const decoded = decodeURIComponent(url);
      expect(decoded).not.toContain('花子');
      expect(decoded).not.toContain('千代田');
    }
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    if (SCREENSHOTS) {
      await page.waitForTimeout(500);
      mkdirSync(join(REPO, 'docs', 'screenshots'), { recursive: true });
      await page.screenshot({
        path: join(REPO, 'docs', 'screenshots', 'issuer-console.png'),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.resident-name').waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
  });
});
