/**
 * The sandbox process: one port, the landing page rendered on the server with a link to every part, the
 * issuer mounted under /issuer with its OpenID4VCI identifier `<url>/issuer` and the metadata at the
 * inserted well-known path; a taken port fails with SANDBOX_PORT_IN_USE before anything is created.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escapeHtml,
  type RunningSandbox,
  renderLandingPage,
  SUPPORT_MATRIX,
  startSandbox,
} from '../src/index.js';
import { DECLARED_JSON } from './helpers/bank-form.js';
import { sandboxFetch, withHolderAnswer } from './helpers/phone-consent.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-sandbox-'));
const lines: string[] = [];
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, dataDir, log: (l) => lines.push(l) });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${sandbox.url}${path}`);

describe('sandbox', () => {
  it('serves a landing page that works without scripts and links every part', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    const page = await r.text();
    expect(page).not.toContain('<script');
    expect(page).toContain('lang="ja"');
    expect(page).toContain('href="/issuer/"');
    expect(page).toContain('href="/wallet/"');
    expect(page).toContain('href="/verifier/"');
    for (const row of SUPPORT_MATRIX) expect(page).toContain(escapeHtml(row.channel));
    // Every story works through the pages now (what the sandbox simulates is in the support matrix).
    expect(page).not.toContain('not in this version yet');
    expect(page).not.toContain('in part:');
  });

  it('links only pages that answer 200', async () => {
    const page = await (await get('/')).text();
    const links = [...page.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect((await get(link)).status, link).toBe(200);
    const issuerPage = await (await get('/issuer/')).text();
    for (const link of [...issuerPage.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1] as string))
      expect((await get(link)).status, link).toBe(200);
  });

  it('mounts the issuer under /issuer with its identifier and inserted well-known metadata', async () => {
    const meta = (await (await get('/.well-known/openid-credential-issuer/issuer')).json()) as Record<
      string,
      unknown
    >;
    expect(meta.credential_issuer).toBe(`${sandbox.url}/issuer`);
    expect(String(meta.credential_endpoint)).toBe(`${sandbox.url}/issuer/oid4vci/credential`);
    const as = (await (await get('/.well-known/oauth-authorization-server/issuer')).json()) as Record<
      string,
      unknown
    >;
    expect(as.issuer).toBe(`${sandbox.url}/issuer`);
    const openapi = (await (await get('/issuer/openapi.json')).json()) as { openapi: string; paths: object };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/installations');
    const health = await get('/issuer/health');
    expect(health.status).toBe(200);
    const missing = await get('/issuer/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('mounts the two phones under /wallet, reaching the issuer through the sandbox itself', async () => {
    const r = await get('/wallet/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    // The phone page (a built page) shows what the wallet's `overview` says.
    const overview = (await (await get('/wallet/overview')).json()) as {
      issuer: { state: string };
      phones: { id: string }[];
    };
    expect(overview.issuer.state).toBe('reachable');
    expect(overview.phones.map((p) => p.id)).toEqual(['iphone', 'android']);
    const phones = (await (await get('/wallet/phones')).json()) as {
      phones: { id: string; family: string }[];
    };
    expect(phones.phones.map((p) => `${p.id}:${p.family}`)).toEqual(['iphone:iphone', 'android:android']);
    expect(await (await get('/wallet/issuer-status')).json()).toEqual({
      state: 'reachable',
      url: `${sandbox.url}/issuer`,
    });
    expect((await get('/wallet')).status).toBe(200);
  });

  it('story 1 through the phone pages: install on one phone, then the other, and the first loses it', async () => {
    const form = (path: string, fields: Record<string, string>) =>
      fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    const phone = async (id: string) =>
      (await (await get(`/wallet/phones/${id}`)).json()) as {
        documents: { docType: string; state: string; invalidationReason?: string }[];
        certificates: { purpose: string; state: string }[];
      };
    // The install screen offers the sandbox's test cards.
    const overview = (await (await get('/wallet/overview')).json()) as { install: { residents: string[] } };
    expect(overview.install.residents).toContain('sandbox-heisei-first-day');
    const holder = {
      residentId: 'sandbox-heisei-first-day',
      newAuthPin: '1234',
      newAuthPinAgain: '1234',
      newSignaturePassword: 'STORY1PASS',
      newSignaturePasswordAgain: 'STORY1PASS',
      liveness: 'confirmed',
    };
    // Without the liveness step nothing is installed.
    const noLiveness = await form('/wallet/phones/iphone/install', { ...holder, liveness: '' });
    expect(noLiveness.status).toBe(400);
    expect(await noLiveness.text()).toContain('data-refusal="WALLET_LIVENESS_REQUIRED"');

    const first = await form('/wallet/phones/iphone/install', holder);
    expect(first.status).toBe(303);
    expect(
      new URL(first.headers.get('location') as string, `${sandbox.url}/wallet/phones/iphone/install`)
        .pathname,
    ).toBe('/wallet/');
    expect((await phone('iphone')).documents.map((d) => d.state)).toEqual(['active']);

    // The Android-like phone: certificates first, then the record without the card.
    expect((await form('/wallet/phones/android/install', holder)).status).toBe(303);
    expect((await phone('android')).certificates.filter((c) => c.state === 'active')).toHaveLength(2);
    expect((await phone('android')).documents).toEqual([]);
    expect((await form('/wallet/phones/android/record', { biometric: 'matched' })).status).toBe(303);
    expect((await phone('android')).documents.map((d) => d.state)).toEqual(['active']);

    // The iPhone still shows its record until it hears the issuer; then it has lost everything.
    expect((await phone('iphone')).documents.map((d) => d.state)).toEqual(['active']);
    expect((await form('/wallet/phones/iphone/notices/sync', { biometric: 'matched' })).status).toBe(303);
    const lost = await phone('iphone');
    expect(lost.documents.map((d) => `${d.state}:${d.invalidationReason}`)).toEqual([
      'invalidated:superseded',
    ]);
    expect(lost.certificates.every((c) => c.state === 'invalidated')).toBe(true);
    // The page's forms posted no secret into the log.
    expect(lines.join('\n')).not.toContain('STORY1PASS');
  }, 120_000);

  it('stories 2 and 4 through the pages: the bank verifies a phone’s record, then catches it revoked', async () => {
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    /**
     * The bank page's labelled bridge (its JSON route), the holder approving what is offered on the phone's
     * consent screen: the status and the answer, and what the phone said.
     */
    const bridge = async (phone: string) => {
      const { result: res, phone: answered } = await withHolderAnswer(sandboxFetch(sandbox.url), phone, () =>
        fetch(`${sandbox.url}/verifier/bank/api/bridge`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone, ...DECLARED_JSON }),
        }),
      );
      // biome-ignore lint/suspicious/noExplicitAny: the bank's answer is read loosely and asserted field by field
      return { status: res.status, body: (await res.json()) as any, phone: answered };
    };
    const checkOf = (body: { checks: { id: string; status: string }[] }, id: string) =>
      body.checks.find((k) => k.id === id)?.status;
    // Story 1 left the record on the Android-like phone (the iPhone lost it).
    expect((await get('/verifier/bank/')).status).toBe(200);
    const ok = await bridge('android');
    expect(ok.status, JSON.stringify(ok.body).slice(0, 400)).toBe(200);
    expect(ok.body.verdict).toBe('valid');
    // The Android-like phone took the session's OpenID4VP request over the DC API (as Chrome on Android
    // does), shown on its screen as such, named by the bank's signed request object.
    expect(ok.phone.view.channel).toBe('dc-api-openid4vp-v1-signed');
    expect(ok.phone.view.reader).toMatchObject({ authentication: 'verified' });
    expect(ok.phone.view.reader.subject).toContain('Sandbox Bank');
    expect(ok.body.answeredBy).toMatchObject({ kind: 'bridge', protocol: 'openid4vp-v1-signed' });
    const androidHistory = await sandbox.phones
      .find((p) => p.id === 'android')
      ?.store.presentations.list('android');
    expect(androidHistory?.[0]?.channel).toBe('dc-api-openid4vp-v1-signed');
    expect(checkOf(ok.body, 'status.revocation')).toBe('passed');
    // The sandbox's program is not certified, and the result says so instead of naming a method.
    expect(ok.body.method).toBeNull();
    expect(ok.body.methodReasons).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    // … and which letter a certified program would satisfy on this date (@mynakit/kyc's dated table).
    expect(ok.body.methodIfCertified.id).toMatch(/^hanshu:(ru|shin-to)$/);
    expect(ok.body.recordId).toMatch(/\S/);
    // What the customer declared, shown beside the record that keeps it.
    expect(ok.body.declared.occupation.code).toBe('company-employee');
    expect(ok.body.resultUrl).toBe(`result/${ok.body.sessionId}`);
    // The iPhone heard it was superseded: it holds nothing the bank asks for, so no consent screen is raised
    // on it and the bank hears why at once.
    const none = await fetch(`${sandbox.url}/verifier/bank/api/bridge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: 'iphone', ...DECLARED_JSON }),
    });
    expect(none.status).toBe(409);
    expect(((await none.json()) as { code: string }).code).toBe('WALLET_DOCUMENT_NOT_HELD');
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);

    // Story 4: the Android phone goes offline, the holder moves (the operator records it), and the bank
    // catches the record the offline phone still presents through the issuer's status list.
    await post('/wallet/phones/android/offline', { offline: '1' });
    const token = await readFile(join(dataDir, 'issuer', 'admin-token'), 'utf8');
    const moved = await fetch(`${sandbox.url}/issuer/life-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.trim()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        residentId: 'sandbox-heisei-first-day',
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町四丁目' },
      }),
    });
    expect(moved.status).toBe(201);
    const caught = await bridge('android');
    expect(caught.body.verdict).toBe('invalid');
    expect(checkOf(caught.body, 'status.revocation')).toBe('failed');
    expect(caught.body.identity).toBeNull();
  }, 120_000);

  it('seeded the test residents and wrote their card files once', async () => {
    expect(existsSync(sandbox.cardDirectory)).toBe(true);
    expect(lines.some((l) => l.includes(sandbox.cardDirectory))).toBe(true);
    expect(lines.some((l) => l.includes('seeded'))).toBe(true);
  });

  it('logs one line per request with the route pattern, never the concrete path', async () => {
    lines.length = 0;
    await get('/issuer/residents/sandbox-ordinary-male');
    await get('/');
    expect(lines.filter((l) => l.startsWith('GET ')).length).toBe(2);
    expect(lines.join('\n')).not.toContain('sandbox-ordinary-male');
  });
});

describe('a taken port', () => {
  let busy: Server;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  });
  afterAll(() => new Promise<void>((done) => busy.close(() => done())));

  it('fails at once with SANDBOX_PORT_IN_USE and creates nothing', async () => {
    const port = (busy.address() as { port: number }).port;
    const empty = mkdtempSync(join(tmpdir(), 'mynakit-sandbox-busy-'));
    await expect(startSandbox({ port, dataDir: empty })).rejects.toMatchObject({
      code: 'SANDBOX_PORT_IN_USE',
    });
    expect(existsSync(join(empty, 'issuer'))).toBe(false);
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('landing page', () => {
  it('escapes what it renders', () => {
    expect(renderLandingPage({ issuer: false, wallet: false, verifier: false })).toContain('(準備中');
  });
});
