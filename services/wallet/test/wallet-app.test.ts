import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWalletApp,
  installCredentials,
  openWallet,
  type PhoneSummary,
  startWallet,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';
import { tempDir } from './helpers/wallet-fixtures.js';

const MNC = 'org.iso.23220.1.jp.mnc';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

describe('the wallet app without an issuer', () => {
  it('serves / with HTTP 200, both phones and the not-configured state', async () => {
    const dir = tempDir('mynakit-wallet-app-');
    const lines: string[] = [];
    const wallet = await openWallet({ dataDir: dir.path, log: (l) => lines.push(l) });
    try {
      const page = await wallet.app.request('/');
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).toContain('data-issuer="not-configured"');
      expect(text).toContain('data-phone="iphone"');
      expect(text).toContain('data-phone="android"');

      const list = (await (await wallet.app.request('/phones')).json()) as { phones: PhoneSummary[] };
      expect(list.phones.map((p) => [p.id, p.family])).toEqual([
        ['iphone', 'iphone'],
        ['android', 'android'],
      ]);
      expect(list.phones.every((p) => p.documents.length === 0 && !p.secrets.authPin.set)).toBe(true);

      const unknown = await wallet.app.request('/phones/constructor');
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { code: string }).code).toBe('WALLET_NOT_FOUND');
      expect(await (await wallet.app.request('/issuer-status')).json()).toEqual({ state: 'not-configured' });
      // One line per request, with the route pattern and never the requested path.
      expect(lines.some((l) => l.includes('/phones/:id 404'))).toBe(true);
      expect(lines.join('\n')).not.toContain('constructor');
    } finally {
      await wallet.close();
      dir.remove();
    }
  });

  it('says the issuer is unreachable when nothing listens at its URL, and still answers 200', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dir = tempDir('mynakit-wallet-app-');
    const wallet = await openWallet({ dataDir: dir.path, issuerUrl: `http://127.0.0.1:${port}` });
    try {
      const page = await wallet.app.request('/');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-issuer="unreachable"');
      const status = (await (await wallet.app.request('/issuer-status')).json()) as { state: string };
      expect(status.state).toBe('unreachable');
    } finally {
      await wallet.close();
      dir.remove();
    }
  });

  it('refuses an issuer URL that is not http(s), and a taken port', async () => {
    const dir = tempDir('mynakit-wallet-app-');
    try {
      expect(await codeOf(openWallet({ dataDir: dir.path, issuerUrl: 'file:///etc/passwd' }))).toBe(
        'WALLET_ISSUER_URL',
      );
      expect(await codeOf(openWallet({ dataDir: dir.path, issuerUrl: 'not a url' }))).toBe(
        'WALLET_ISSUER_URL',
      );
      const first = await startWallet({ dataDir: dir.path, port: 0 });
      try {
        const home = await fetch(`${first.url}/`);
        expect(home.status).toBe(200);
        expect(await codeOf(startWallet({ dataDir: dir.path, port: first.port }))).toBe('WALLET_PORT_IN_USE');
      } finally {
        await first.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describe('the wallet app with the issuer', () => {
  let env: IssuerEnvironment;
  beforeAll(async () => {
    env = await issuerEnvironment();
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  it('shows what an installed phone holds and its secrets, and no personal data', async () => {
    const phone = await env.phone('app-iphone', 'iphone');
    const other = await env.phone('app-android', 'android');
    await installCredentials({
      device: phone,
      issuer: env.client,
      card: await env.card('sandbox-ordinary-female'),
      cardPins: await cardPinsOf(env, 'sandbox-ordinary-female'),
      liveness: { confirmed: true },
      newAuthPin: ['2468', '2468'],
      newSignaturePassword: ['PHONE2026', 'PHONE2026'],
      biometric: { method: 'biometric', matched: true },
      trustAnchors: env.trustAnchors,
    });
    const app = createWalletApp({ phones: [phone, other], issuer: env.client });
    const summary = (await (await app.request('/phones/app-iphone')).json()) as PhoneSummary;
    expect(summary.documents.map((d) => [d.docType, d.state])).toEqual([[MNC, 'active']]);
    expect(summary.certificates.map((c) => c.purpose).sort()).toEqual(['auth', 'sign']);
    expect(summary.secrets.authPin).toEqual({ set: true, remaining: 3, locked: false });
    expect(summary.secrets.signaturePassword).toEqual({ set: true, remaining: 5, locked: false });
    const empty = (await (await app.request('/phones/app-android')).json()) as PhoneSummary;
    expect(empty.documents).toEqual([]);

    const page = await (await app.request('/')).text();
    expect(page).toContain('data-issuer="reachable"');
    expect(page).toContain(`data-doctype="${MNC}"`);
    expect(page).toContain('data-certificate="sign"');
    // The overview shows summaries: not the holder's name or address held inside the record.
    expect(page).not.toContain('番号　花子');
    expect(page).not.toContain('見本町');
    expect(JSON.stringify(summary)).not.toContain('花子');
  }, 60_000);
});
