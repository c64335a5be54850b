/**
 * Story 2 through the browser's real Digital Credentials API: Debian's Chromium runs the sandbox bank's
 * page, whose script (@mynakit/verifier-sdk's page bundle) calls `navigator.credentials.get({digital})`;
 * Chromium's CDP virtual wallet answers (`DigitalCredentials.setVirtualWalletBehavior`). The wallet's
 * answer is made by the real wallet engine (services/wallet presentAnnexC on the sandbox's iPhone, its
 * owner's biometric matched) from the very request the bank's backend opened and the page's origin: a
 * `page.route` on the session-opening endpoint reads the session on its way to the page and arms the
 * virtual wallet before the page calls `get()` (a pending call is not released by a later answer).
 *
 * Cases: verified (name, the KYC method "none: not certified"), the same answer replayed to a new session
 * (the verifier's HPKE_OPEN_FAILED) and to its own spent session (VERIFIER_SESSION_USED), an answer in a
 * protocol the page did not ask for (refused by the SDK, nothing submitted), the wallet declining, no
 * wallet answering in time (the labelled bridge answers, saying why), and a browser without the API. The
 * bridge's request waits on the phone's own screen (`/wallet/phones/<id>/incoming`, opened in a page of its
 * own, as the phone is another device): the bank's page shows which phone to look at with the link to its screen, the holder
 * approves there — or declines, which the bank's page shows as the customer's refusal, with nothing in the
 * phone's history and a button that asks the phone again.
 *
 * And My Number refused through the pages: a developer ticks "ask for My Number (個人番号)"; the bank has no
 * legal basis configured, so the verifier opens no session — the page shows its code
 * (VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS), `navigator.credentials.get` is never called, nothing is submitted,
 * and the phone's history stays as it was; the same through the bridge's form in a browser without the API.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { presentAnnexC, type WalletDevice } from '@mynakit/wallet';
import type { Browser, CDPSession, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { chooseDeclaration } from './helpers/bank-form.js';
import { answerOnPhonePage } from './helpers/phone-consent.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const MNC = 'org.iso.23220.1.jp.mnc';
const RESIDENT = 'sandbox-ordinary-female';

interface CreatedSession {
  sessionId: string;
  request: { protocol: string; data: { deviceRequest: string; encryptionInfo: string } };
  /** Further requests (OpenID4VP over the DC API when the bank has a reader key). */
  requests?: { protocol: string }[];
  elements: Record<string, string[]>;
}

/** What the virtual wallet does for the next session the page opens. */
type Arming =
  | { kind: 'respond'; protocol?: string }
  | { kind: 'decline' }
  | { kind: 'wait' }
  /** Leave the wallet as it is (sticky): it answers again what it answered last. */
  | { kind: 'keep' }
  /** Hand the page the session of the last answer again instead of a new one. */
  | { kind: 'same-session' };

describe('the sandbox bank through the browser’s Digital Credentials API', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let cdp: CDPSession;
  let iphone: WalletDevice;
  let arming: Arming = { kind: 'wait' };
  let lastSession: CreatedSession | undefined;
  const submitted: string[] = [];
  /** The protocols of each `navigator.credentials.get({digital})` call the page made, in its order. */
  const askedProtocols: string[][] = [];

  const wallet = (params: Record<string, unknown>) =>
    (cdp.send as unknown as (method: string, params: object) => Promise<unknown>)(
      'DigitalCredentials.setVirtualWalletBehavior',
      params,
    );

  /** The session-opening endpoint, seen on its way to the page: arms the virtual wallet first. */
  const onSessionOpened = async (route: Route) => {
    if (arming.kind === 'same-session' && lastSession !== undefined) {
      await route.fulfill({ status: 201, json: lastSession });
      return;
    }
    const response = await route.fetch();
    // A session the verifier refused: its problem goes to the page as it is, and the wallet is not armed.
    if (response.status() !== 201) {
      await route.fulfill({ response });
      return;
    }
    const session = (await response.json()) as CreatedSession;
    if (arming.kind === 'respond') {
      // The phone's wallet engine answers the real request for the page's real origin.
      const presented = await presentAnnexC({
        device: iphone,
        data: session.request.data,
        origin: sandbox.url,
        consent: { [MNC]: session.elements },
        userAuthentication: { method: 'biometric', matched: true },
      });
      await wallet({
        action: 'respond',
        protocol: arming.protocol ?? 'org-iso-mdoc',
        response: { response: presented.response },
      });
      lastSession = session;
    } else if (arming.kind === 'decline') await wallet({ action: 'decline' });
    else if (arming.kind === 'wait') await wallet({ action: 'wait' });
    await route.fulfill({ response, json: session });
  };

  /** Opens the bank's page (with a short DC API timeout), picks the browser's wallet and sends the form. */
  const verifyThroughDcApi = async (fallbackPhone = 'iphone') => {
    await page.goto(`${sandbox.url}/verifier/bank/?dcTimeout=2000`);
    await page.locator('body[data-dc-api="present"]').waitFor();
    expect(await page.locator('input[name="phone"][value="dc-api"]').isChecked()).toBe(true);
    await page.locator('select[name="fallbackPhone"]').selectOption(fallbackPhone);
    await chooseDeclaration(page);
    await page.locator('form button').click();
  };

  beforeAll(async () => {
    // The SDK's page bundle is built with the pages when missing or stale.
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bank-dc-api-'));
    sandbox = await startSandbox({ port: 0, dataDir });
    const found = sandbox.phones.find((p) => p.id === 'iphone');
    if (found === undefined) throw new Error('the sandbox has no iphone');
    iphone = found;
    // The iPhone-like phone takes the record with the card at once.
    const installed = await fetch(`${sandbox.url}/wallet/phones/iphone/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        residentId: RESIDENT,
        newAuthPin: '1234',
        newAuthPinAgain: '1234',
        newSignaturePassword: 'DCAPIPASS1',
        newSignaturePasswordAgain: 'DCAPIPASS1',
        liveness: 'confirmed',
      }).toString(),
      redirect: 'manual',
    });
    expect(installed.status).toBe(303);
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    cdp = await page.context().newCDPSession(page);
    // Watches (never answers) the page's calls: the real `get` runs with the same options.
    await page.exposeFunction('recordDigitalRequest', (protocols: string[]) => {
      askedProtocols.push(protocols);
    });
    await page.addInitScript(() => {
      const container = navigator.credentials;
      const get = container.get.bind(container);
      container.get = (options?: CredentialRequestOptions) => {
        const requests = (options as { digital?: { requests?: { protocol: string }[] } } | undefined)?.digital
          ?.requests;
        if (requests !== undefined)
          (window as unknown as { recordDigitalRequest: (p: string[]) => void }).recordDigitalRequest(
            requests.map((r) => r.protocol),
          );
        return get(options);
      };
    });
    await page.route('**/verifier/bank/api/sessions', onSessionOpened);
    page.on('request', (r) => {
      if (/\/verifier\/bank\/api\/sessions\/[^/]+\/response$/.test(r.url())) submitted.push(r.url());
    });
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('story 2: the browser’s wallet answers, the verifier verifies, and the page says who answered', async () => {
    arming = { kind: 'respond' };
    await verifyThroughDcApi();
    await page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/);
    expect(await page.locator('[data-answered-by]').getAttribute('data-answered-by')).toBe('dc-api');
    expect(await page.locator('[data-answered-by]').textContent()).toContain('Digital Credentials API');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    const body = await page.locator('body').textContent();
    expect(body).toContain('番号');
    expect(body).toContain('花子');
    expect(body).toContain('1986');
    expect(
      await page.locator('img.portrait').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.locator('[data-method]').getAttribute('data-method')).toBe('none');
    expect(await page.locator('[data-method]').textContent()).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(await page.locator('tr[data-check="device.signature"] td.passed').count()).toBe(1);
    expect(await page.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    expect(await page.locator('[data-record]').getAttribute('data-record')).toMatch(/.+/);
    // What the customer declared on the form, beside the record that keeps it.
    expect(await page.locator('[data-field="transactionPurpose"]').getAttribute('data-code')).toBe(
      'living-expenses',
    );
    expect(await page.locator('[data-field="occupation"]').textContent()).toContain('会社員');
    expect(submitted).toHaveLength(1);
    // One call carrying every request of the session (OpenID4VP too when the verifier added it), each
    // protocol once, Annex C first.
    const others = (lastSession?.requests ?? []).map((r) => r.protocol).filter((p) => p !== 'org-iso-mdoc');
    expect(askedProtocols).toEqual([['org-iso-mdoc', ...new Set(others)]]);
    // The result stays at its address (kept in memory by the bank) and fits a 390 px wide screen.
    const small = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await small.goto(page.url());
      await small.locator('[data-verdict="valid"]').waitFor();
      expect(await small.locator('img.portrait').count()).toBe(1);
      expect(
        await small.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(0);
    } finally {
      await small.close();
    }
  }, 60_000);

  it('the same answer replayed to a new session does not open: the verifier says HPKE_OPEN_FAILED', async () => {
    arming = { kind: 'keep' };
    await verifyThroughDcApi();
    await page.waitForURL(/\/verifier\/bank\/result\//);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('invalid');
    expect(await page.locator('[data-error-code]').getAttribute('data-error-code')).toBe('HPKE_OPEN_FAILED');
    expect(await page.locator('tr[data-check="session.transcript"] td.failed').count()).toBe(1);
    // Nothing of the holder is shown.
    expect(await page.locator('img.portrait').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('花子');
  }, 60_000);

  it('the same answer replayed to its own spent session is rejected with VERIFIER_SESSION_USED', async () => {
    arming = { kind: 'same-session' };
    await verifyThroughDcApi();
    const status = page.locator('#dc-status[data-error]');
    await status.waitFor();
    expect(await status.getAttribute('data-error')).toBe('rejected');
    expect(await status.getAttribute('data-problem')).toBe('VERIFIER_SESSION_USED');
    expect(page.url()).toBe(`${sandbox.url}/verifier/bank/?dcTimeout=2000`);
  }, 60_000);

  it('an answer in a protocol the page did not ask for is refused by the SDK and never submitted', async () => {
    arming = { kind: 'respond', protocol: 'openid4vp-v1-unsigned' };
    const before = submitted.length;
    await verifyThroughDcApi();
    const status = page.locator('#dc-status[data-error]');
    await status.waitFor();
    expect(await status.getAttribute('data-error')).toBe('protocol-mismatch');
    expect(submitted.length).toBe(before);
  }, 60_000);

  it('the wallet declining shows declined', async () => {
    arming = { kind: 'decline' };
    await verifyThroughDcApi();
    const status = page.locator('#dc-status[data-error]');
    await status.waitFor();
    expect(await status.getAttribute('data-error')).toBe('declined');
    expect(await status.textContent()).toContain('拒否');
  }, 60_000);

  it('no wallet answering in time: the labelled bridge answers with the chosen phone and says why', async () => {
    arming = { kind: 'wait' };
    await verifyThroughDcApi('iphone');
    // The fallback's request waits on the iPhone's own screen, where its holder approves it.
    await page.locator('[data-waiting-phone="iphone"]').waitFor({ timeout: 30_000 });
    await answerOnPhonePage(browser, sandbox.url, 'iphone');
    await page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/, { timeout: 30_000 });
    expect(await page.locator('[data-answered-by]').getAttribute('data-answered-by')).toBe('bridge');
    expect(await page.locator('.bridge').textContent()).toContain('iphone');
    expect(await page.locator('[data-fallback]').getAttribute('data-fallback')).toBe('timed-out');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
  }, 60_000);

  it('a browser without the API is offered the bridge only, and the form still verifies', async () => {
    const other = await browser.newPage({ locale: 'ja-JP' });
    try {
      await other.addInitScript(() => {
        delete (window as { DigitalCredential?: unknown }).DigitalCredential;
      });
      await other.goto(`${sandbox.url}/verifier/bank/`);
      await other.locator('body[data-dc-api="missing"]').waitFor();
      expect(await other.locator('[data-choice="dc-api"]').isHidden()).toBe(true);
      expect(await other.locator('#dc-status').textContent()).toContain('ブリッジ');
      await other.locator('input[name="phone"][value="iphone"]').check();
      await chooseDeclaration(other);
      await other.locator('form button').click();
      // The bank's page waits for the holder: it names the phone and links the phone's own screen.
      const waiting = other.locator('[data-waiting-phone="iphone"]');
      await waiting.waitFor();
      expect(await waiting.textContent()).toContain('iphone');
      expect(await waiting.locator('[data-open-phone]').getAttribute('href')).toBe(
        '/wallet/phones/iphone/incoming',
      );
      expect(await other.locator('form button').isDisabled()).toBe(true);
      // The holder approves on the phone; only then does the bank's page show the result.
      await Promise.all([
        other.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/),
        answerOnPhonePage(browser, sandbox.url, 'iphone'),
      ]);
      expect(await other.locator('[data-answered-by]').getAttribute('data-answered-by')).toBe('bridge');
      expect(await other.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    } finally {
      await other.close();
    }
  }, 60_000);

  it('the holder declines on the phone: the bank’s page shows the refusal, nothing reaches the bank, and asking again verifies', async () => {
    const history = () => iphone.store.presentations.list(iphone.id);
    const phoneBefore = (await history()).length;
    const other = await browser.newPage({ locale: 'ja-JP' });
    try {
      await other.addInitScript(() => {
        delete (window as { DigitalCredential?: unknown }).DigitalCredential;
      });
      await other.goto(`${sandbox.url}/verifier/bank/`);
      await other.locator('body[data-dc-api="missing"]').waitFor();
      await other.locator('input[name="phone"][value="iphone"]').check();
      await chooseDeclaration(other);
      const [answer] = await Promise.all([
        other.waitForResponse(`${sandbox.url}/verifier/bank/api/bridge`),
        other.locator('form button').click(),
        answerOnPhonePage(browser, sandbox.url, 'iphone', 'decline'),
      ]);
      expect(answer.status()).toBe(409);
      const refusal = other.locator('[data-error="WALLET_DECLINED"]');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('お客さまがスマートフォンで送信を断りました');
      expect(await refusal.textContent()).toContain('declined on the phone');
      expect(await other.locator('[data-waiting-phone]').count()).toBe(0);
      expect(other.url()).toBe(`${sandbox.url}/verifier/bank/`);
      expect(await history()).toHaveLength(phoneBefore);
      // Asking the phone again: the request is back on its screen, and this time the holder approves.
      await refusal.locator('button[data-try-again]').click();
      await other.locator('[data-waiting-phone="iphone"]').waitFor();
      expect(await other.locator('[data-error]').count()).toBe(0);
      await Promise.all([
        other.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/),
        answerOnPhonePage(browser, sandbox.url, 'iphone'),
      ]);
      expect(await other.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
      expect(await history()).toHaveLength(phoneBefore + 1);
    } finally {
      await other.close();
    }
  }, 90_000);

  it('My Number asked without a legal basis: the verifier refuses, the page shows its code, no request reaches the phone', async () => {
    const history = () => iphone.store.presentations.list(iphone.id);
    const phoneBefore = (await history()).length;
    const askedBefore = askedProtocols.length;
    const submittedBefore = submitted.length;
    // Armed to answer: were a request made, the wallet would present — so nothing presented proves none was.
    arming = { kind: 'respond' };
    await page.goto(`${sandbox.url}/verifier/bank/?dcTimeout=2000`);
    await page.locator('body[data-dc-api="present"]').waitFor();
    await chooseDeclaration(page);
    await page.locator('details.developer summary').click();
    await page.locator('input[name="askMyNumber"]').check();
    await page.locator('form button').click();
    const status = page.locator('#dc-status[data-error]');
    await status.waitFor();
    expect(await status.getAttribute('data-error')).toBe('rejected');
    expect(await status.getAttribute('data-problem')).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
    const shown = await status.textContent();
    expect(shown).toContain('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
    expect(shown).toContain('個人番号');
    expect(page.url()).toBe(`${sandbox.url}/verifier/bank/?dcTimeout=2000`);
    expect(askedProtocols).toHaveLength(askedBefore);
    expect(submitted).toHaveLength(submittedBefore);
    expect(await history()).toHaveLength(phoneBefore);

    // The same through the bridge's form, in a browser without the API: refused before any phone is asked.
    const other = await browser.newPage({ locale: 'ja-JP' });
    try {
      await other.addInitScript(() => {
        delete (window as { DigitalCredential?: unknown }).DigitalCredential;
      });
      await other.goto(`${sandbox.url}/verifier/bank/`);
      await other.locator('body[data-dc-api="missing"]').waitFor();
      await other.locator('input[name="phone"][value="iphone"]').check();
      await chooseDeclaration(other);
      await other.locator('details.developer summary').click();
      await other.locator('input[name="askMyNumber"]').check();
      const [answer] = await Promise.all([
        other.waitForResponse(`${sandbox.url}/verifier/bank/api/bridge`),
        other.locator('form button').click(),
      ]);
      expect(answer.status()).toBe(400);
      const refusal = other.locator('[data-error]');
      expect(await refusal.getAttribute('data-error')).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
      expect(await refusal.textContent()).toContain('法令上の根拠');
      expect(await refusal.locator('code').textContent()).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
      expect(await history()).toHaveLength(phoneBefore);
    } finally {
      await other.close();
    }
  }, 60_000);
});
