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

interface OverviewJson {
  issuer: { state: string };
  phones: PhoneSummary[];
  install: { residents: string[] } | null;
}

/** `/` is the phone page (its build, or the page naming the build command); `/overview` what it shows. */
async function homeOf(app: { request: (path: string) => Response | Promise<Response> }) {
  const page = await app.request('/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('lang="ja"');
  return (await (await app.request('/overview')).json()) as OverviewJson;
}

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
      const home = await homeOf(wallet.app);
      expect(home.issuer.state).toBe('not-configured');
      expect(home.phones.map((p) => p.id)).toEqual(['iphone', 'android']);
      // `mynakit wallet` alone installs nothing: the page gets no test cards.
      expect(home.install).toBeNull();

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
      expect((await homeOf(wallet.app)).issuer.state).toBe('unreachable');
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

    const home = await homeOf(app);
    expect(home.issuer.state).toBe('reachable');
    const shown = home.phones.find((p) => p.id === 'app-iphone');
    expect(shown?.documents.map((d) => d.docType)).toEqual([MNC]);
    expect(shown?.certificates.map((c) => c.purpose)).toContain('sign');
    // The overview shows summaries: not the holder's name or address held inside the record.
    const overview = JSON.stringify(home);
    expect(overview).not.toContain('番号　花子');
    expect(overview).not.toContain('見本町');
    expect(JSON.stringify(summary)).not.toContain('花子');
  }, 60_000);

  it('switches a phone offline (it hears nothing) and back; unlocking it hears the supersession', async () => {
    const old = await env.phone('app-old', 'iphone');
    const fresh = await env.phone('app-new', 'iphone');
    const install = async (phone: typeof old) =>
      installCredentials({
        device: phone,
        issuer: env.client,
        card: await env.card('sandbox-sex-unknown'),
        cardPins: await cardPinsOf(env, 'sandbox-sex-unknown'),
        liveness: { confirmed: true },
        newAuthPin: ['1357', '1357'],
        newSignaturePassword: ['SWITCH2026', 'SWITCH2026'],
        biometric: { method: 'biometric', matched: true },
        trustAnchors: env.trustAnchors,
      });
    await install(old);
    await install(fresh);
    const app = createWalletApp({ phones: [old, fresh], issuer: env.client });
    const post = (path: string, body: Record<string, unknown>) =>
      app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });

    const off = await post('/phones/app-old/offline', { offline: true });
    expect(((await off.json()) as PhoneSummary).offline).toBe(true);
    const refused = await post('/phones/app-old/notices/sync', { biometric: 'matched' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('WALLET_OFFLINE');
    // Offline, it still holds an active record: what a verifier must catch through the status list.
    const offline = (await (await app.request('/phones/app-old')).json()) as PhoneSummary;
    expect(offline.documents.map((d) => d.state)).toEqual(['active']);
    expect((await homeOf(app)).phones.find((p) => p.id === 'app-old')?.offline).toBe(true);

    // A form post (no script) redirects back to the overview page.
    const on = await app.request('/phones/app-old/offline', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'offline=0',
    });
    expect(on.status).toBe(303);
    expect(on.headers.get('location')).toBe('../../');

    const failed = await post('/phones/app-old/notices/sync', { biometric: 'failed' });
    expect(failed.status).toBe(401);
    expect(((await failed.json()) as { code: string }).code).toBe('WALLET_BIOMETRIC_FAILED');
    const bad = await post('/phones/app-old/notices/sync', { biometric: 'yes please' });
    expect(((await bad.json()) as { code: string }).code).toBe('WALLET_INVALID_INPUT');

    const heard = await post('/phones/app-old/notices/sync', { biometric: 'matched' });
    expect(heard.status).toBe(200);
    const kinds = (
      (await heard.json()) as { installations: { applied: { kind: string }[] }[] }
    ).installations.flatMap((i) => i.applied.map((a) => a.kind));
    expect(kinds).toContain('installation.superseded');
    const after = (await (await app.request('/phones/app-old')).json()) as PhoneSummary;
    expect(after.documents.map((d) => [d.state, d.invalidationReason])).toEqual([
      ['invalidated', 'superseded'],
    ]);
    expect(after.certificates.every((c) => c.state === 'invalidated')).toBe(true);

    const noIssuer = createWalletApp({ phones: [fresh] });
    const none = await noIssuer.request('/phones/app-new/notices/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"biometric":"matched"}',
    });
    expect(((await none.json()) as { code: string }).code).toBe('WALLET_ISSUER_NOT_CONFIGURED');
  }, 120_000);

  it('story 5: three wrong auth PINs lock the auth key, and the right PIN no longer opens it', async () => {
    const phone = await env.phone('app-lock', 'iphone');
    await installCredentials({
      device: phone,
      issuer: env.client,
      card: await env.card('sandbox-substituted-characters'),
      cardPins: await cardPinsOf(env, 'sandbox-substituted-characters'),
      liveness: { confirmed: true },
      newAuthPin: ['4321', '4321'],
      newSignaturePassword: ['LOCKSTORY1', 'LOCKSTORY1'],
      biometric: { method: 'biometric', matched: true },
      trustAnchors: env.trustAnchors,
    });
    const app = createWalletApp({ phones: [phone], issuer: env.client });
    const unlock = async (pin: string) => {
      const r = await app.request('/phones/app-lock/keys/auth/unlock', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin }),
      });
      return { status: r.status, body: (await r.json()) as { code?: string; remainingTries?: number } };
    };
    expect((await unlock('4321')).status).toBe(200);
    const first = await unlock('0000');
    expect([first.status, first.body.code, first.body.remainingTries]).toEqual([
      401,
      'WALLET_SECRET_WRONG',
      2,
    ]);
    expect((await unlock('1111')).body.remainingTries).toBe(1);
    const third = await unlock('2222');
    expect(third.body.code).toMatch(/^WALLET_SECRET_(WRONG|LOCKED)$/);
    const right = await unlock('4321');
    expect([right.status, right.body.code]).toEqual([423, 'WALLET_SECRET_LOCKED']);
    const summary = (await (await app.request('/phones/app-lock')).json()) as PhoneSummary;
    expect(summary.secrets.authPin).toEqual({ set: true, remaining: 0, locked: true });
    // The signature password is a separate secret and still has its five tries.
    expect(summary.secrets.signaturePassword.remaining).toBe(5);
    expect((await homeOf(app)).phones[0]?.secrets.authPin.locked).toBe(true);
    // The page's own form gets a page back (not JSON), with the code and a way home.
    const form = await app.request('/phones/app-lock/keys/auth/unlock', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'pin=4321',
    });
    expect(form.status).toBe(423);
    expect(form.headers.get('content-type')).toContain('text/html');
    const refusal = await form.text();
    expect(refusal).toContain('data-refusal="WALLET_SECRET_LOCKED"');
    expect(refusal).toContain('href="../../../../"');
    expect(refusal).not.toContain('4321');
  }, 120_000);

  it('shows a held document’s elements only after the biometric, and the history of what was shared', async () => {
    const phone = await env.phone('app-elements', 'iphone');
    await installCredentials({
      device: phone,
      issuer: env.client,
      card: await env.card('sandbox-ordinary-female'),
      cardPins: await cardPinsOf(env, 'sandbox-ordinary-female'),
      liveness: { confirmed: true },
      newAuthPin: ['8642', '8642'],
      newSignaturePassword: ['ELEMENTS26', 'ELEMENTS26'],
      biometric: { method: 'biometric', matched: true },
      trustAnchors: env.trustAnchors,
    });
    const lines: string[] = [];
    const app = createWalletApp({ phones: [phone], issuer: env.client, log: (l) => lines.push(l) });
    const [held] = ((await (await app.request('/phones/app-elements')).json()) as PhoneSummary).documents;
    if (held === undefined) throw new Error('nothing installed');
    const path = `/phones/app-elements/documents/${held.id}/elements`;
    const post = (to: string, body: string) =>
      app.request(to, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      });

    // Refusals: a stable code, nothing of the input echoed, no element shown.
    const refusals: [string, string, number, string][] = [
      [path, '{"biometric":"<b>yes</b>"}', 400, 'WALLET_INVALID_INPUT'],
      [path, '{"biometric":', 400, 'WALLET_INVALID_INPUT'],
      [path, '{"biometric":"failed"}', 401, 'WALLET_BIOMETRIC_FAILED'],
      [
        '/phones/app-elements/documents/00000000-0000-0000-0000-000000000000/elements',
        '{"biometric":"matched"}',
        404,
        'WALLET_NOT_FOUND',
      ],
      [
        '/phones/app-elements/documents/..%2F..%2Fetc/elements',
        '{"biometric":"matched"}',
        404,
        'WALLET_NOT_FOUND',
      ],
      [
        `/phones/constructor/documents/${held.id}/elements`,
        '{"biometric":"matched"}',
        404,
        'WALLET_NOT_FOUND',
      ],
    ];
    for (const [to, body, status, code] of refusals) {
      const r = await post(to, body);
      const text = await r.text();
      expect([to, r.status, (JSON.parse(text) as { code: string }).code]).toEqual([to, status, code]);
      expect(text).not.toContain('<b>');
      expect(text).not.toContain('etc');
      expect(text).not.toContain('花子');
    }

    // Nothing changed: no secret lost a try, the document is still held in force.
    const after = (await (await app.request('/phones/app-elements')).json()) as PhoneSummary;
    expect(after.secrets.authPin).toEqual({ set: true, remaining: 3, locked: false });
    expect(after.documents.map((d) => d.state)).toEqual(['active']);

    const shown = await post(path, '{"biometric":"matched"}');
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const { docType, elements } = (await shown.json()) as {
      docType: string;
      elements: {
        namespace: string;
        identifier: string;
        label?: { ja: string; en: string };
        value: { kind: string; text?: string };
      }[];
    };
    expect(docType).toBe(MNC);
    const value = (id: string) => elements.find((e) => e.identifier === id)?.value;
    expect(value('full_name_unicode')?.text).toContain('番号');
    expect(elements.find((e) => e.identifier === 'full_name_unicode')?.label).toEqual({
      ja: '氏名',
      en: 'Full name',
    });
    expect(value('portrait')?.kind).toBe('image');
    // My Number is not shown even to the owner, and no value went into a log line.
    expect(value('individual_number_unicode')).toEqual({ kind: 'withheld' });
    expect(JSON.stringify(elements)).not.toMatch(/"\d{12}"/);
    expect(lines.join('\n')).not.toContain('花子');
    expect(lines.join('\n')).not.toContain(held.id);

    // The history: what was shared with whom, when — names only, newest first.
    const empty = (await (await app.request('/phones/app-elements/history')).json()) as {
      presentations: unknown[];
    };
    expect(empty.presentations).toEqual([]);
    await phone.store.presentations.record({
      deviceId: phone.id,
      documentId: held.id,
      relyingParty: 'https://bank.example',
      channel: 'dc-api-org-iso-mdoc',
      elements: [['org.iso.23220.1.jp', 'full_name_unicode']],
      sharedAt: new Date('2026-05-01T01:00:00Z'),
    });
    await phone.store.presentations.record({
      deviceId: phone.id,
      relyingParty: 'https://carrier.example',
      channel: 'jpki-signature',
      elements: [],
      sharedAt: new Date('2026-05-02T01:00:00Z'),
    });
    const history = (await (await app.request('/phones/app-elements/history')).json()) as {
      presentations: { relyingParty: string; docType?: string; elements: string[][]; sharedAt: string }[];
    };
    expect(history.presentations).toEqual([
      {
        relyingParty: 'https://carrier.example',
        channel: 'jpki-signature',
        elements: [],
        sharedAt: '2026-05-02T01:00:00.000Z',
      },
      {
        relyingParty: 'https://bank.example',
        channel: 'dc-api-org-iso-mdoc',
        docType: MNC,
        elements: [['org.iso.23220.1.jp', 'full_name_unicode']],
        sharedAt: '2026-05-01T01:00:00.000Z',
      },
    ]);
    const unknown = await app.request('/phones/constructor/history');
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([
      404,
      'WALLET_NOT_FOUND',
    ]);
  }, 120_000);
});
