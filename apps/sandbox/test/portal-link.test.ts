/**
 * The government portal's sign-in by link or QR code (スマートフォンで読み取る), over HTTP against a started
 * sandbox: the portal opens a JPKI user-authentication session with its phone sign-in party, whose reader key
 * the sandbox reader CA certified (sandbox-portal-link.ts); the page gets the `mynakit-jpki://` link, its QR
 * code and the phones to hand it to, and polls; the Android phone reads the request through the wallet app's
 * JSON routes (who asks: the portal, its reader verified), a wrong PIN counts and sends nothing, the PIN
 * answers at response_uri; the next poll signs the browser that opened the session in — the same signed-in
 * view as the bridge's, keyed by the certificate's opaque subject id — once. Bad input gets stable PORTAL_*
 * codes that echo nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFetch, withHolderAnswer } from './helpers/phone-consent.js';
import { installTwoPhones, type PageClient, startPageClient, TWO_PHONES } from './helpers/two-phones.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely and asserted field by field
type Json = any;

let client: PageClient;

const postJson = (path: string, body: unknown, cookie?: string) =>
  fetch(`${client.sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie === undefined ? {} : { cookie }) },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
const getJson = async (
  path: string,
  cookie?: string,
): Promise<{ status: number; body: Json; res: Response }> => {
  const res = await client.get(path, cookie);
  return { status: res.status, body: await res.json(), res };
};
/** The `name=value` pair the answer sets for cookie `name`. */
const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .find((pair) => pair.startsWith(`${name}=`)) ?? '';

beforeAll(async () => {
  const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
  client = await startPageClient('mynakit-sandbox-portal-link-');
  await installTwoPhones(client);
}, 180_000);
afterAll(async () => {
  await client?.close();
});

describe('the portal’s sign-in by link or QR code', () => {
  it('opens a session with a mynakit-jpki link; the phone answers with the auth PIN; the browser is signed in once', async () => {
    expect((await getJson('/verifier/portal/api/link')).body).toEqual({ available: true });
    const opened = await postJson('/verifier/portal/api/link', {});
    expect(opened.status).toBe(201);
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^mynakit_portal_link=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Path=\/verifier\/portal/);
    const binding = cookieOf(opened, 'mynakit_portal_link');
    const { sessionId } = (await opened.json()) as { sessionId: string };
    expect(sessionId).toMatch(/^[A-Za-z0-9-]{1,64}$/);

    const pending = await getJson(`/verifier/portal/api/link/${sessionId}`, binding);
    expect(pending.status).toBe(200);
    expect(pending.res.headers.get('cache-control')).toBe('no-store');
    expect(pending.body.state).toBe('pending');
    const link = new URL(pending.body.walletUrl as string);
    expect(link.protocol).toBe('mynakit-jpki:');
    expect(link.searchParams.get('client_id')).toBe('x509_san_dns:portal.localhost');
    const port = new URL(client.sandbox.url).port;
    expect(link.searchParams.get('request_uri')).toBe(
      `http://portal.localhost:${port}/verifier/portal/link/sessions/${sessionId}/jpki-request-object`,
    );
    expect(pending.body.qrSvg).toMatch(/^<svg[\s>]/);
    expect(pending.body.qrSvg).not.toContain('mynakit-jpki');
    expect(pending.body.phones).toEqual(
      expect.arrayContaining([
        { id: 'android', family: 'android' },
        { id: 'iphone', family: 'iphone' },
      ]),
    );
    // Another browser (no binding cookie) sees no such session.
    const stranger = await getJson(`/verifier/portal/api/link/${sessionId}`);
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('PORTAL_NO_SESSION');

    // The phone: who asks, then a wrong PIN (counted, nothing sent), then the PIN.
    const url = link.href;
    const screen = await postJson('/wallet/phones/android/jpki-request/screen', { url });
    const shown = (await screen.json()) as Json;
    expect(screen.status, JSON.stringify(shown).slice(0, 400)).toBe(200);
    expect(shown.requestType).toBe('jpki-user-authentication');
    expect(shown.reader.authentication).toBe('verified');
    expect(shown.clientId).toBe('x509_san_dns:portal.localhost');
    expect(shown.clientName).toContain('行政ポータル');
    const wrong = await postJson('/wallet/phones/android/jpki-request', { url, pin: '0000' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Json).code).toBe('WALLET_SECRET_WRONG');
    expect((await getJson(`/verifier/portal/api/link/${sessionId}`, binding)).body.state).toBe('pending');
    const answered = await postJson('/wallet/phones/android/jpki-request', {
      url,
      pin: TWO_PHONES.androidPin,
    });
    const sent = (await answered.json()) as Json;
    expect(answered.status, JSON.stringify(sent).slice(0, 400)).toBe(200);
    expect(sent.sent).toBe(true);

    const done = await getJson(`/verifier/portal/api/link/${sessionId}`, binding);
    expect(done.status, JSON.stringify(done.body).slice(0, 600)).toBe(200);
    expect(done.body.state).toBe('signed-in');
    expect(done.body.signedIn).toBe(true);
    expect(done.body.via).toBe('link');
    expect(done.body.phone).toBeNull();
    expect(done.body.verdict).toBe('valid');
    expect(done.body.subjectId).toMatch(/\S/);
    expect(done.body.certificate.subjectCommonName).toBe(done.body.subjectId);
    for (const key of ['identity', 'name', 'address', 'birthDate', 'sex'])
      expect(done.body).not.toHaveProperty(key);
    const session = cookieOf(done.res, 'mynakit_portal');
    expect(cookieOf(done.res, 'mynakit_portal_link')).toBe('mynakit_portal_link=');
    expect(session).toMatch(/^mynakit_portal=[A-Za-z0-9_-]{43}$/);
    const view = (await getJson('/verifier/portal/api/session', session)).body;
    expect(view.signedIn).toBe(true);
    expect(view.subjectId).toBe(done.body.subjectId);
    expect(view.account.signIns).toBe(1);

    // The same account as the bridge's sign-in from that phone (the PIN typed on the phone's screen).
    const { result: bridge } = await withHolderAnswer(
      sandboxFetch(client.sandbox.url),
      'android',
      () => postJson('/verifier/portal/api/login', { phone: 'android' }),
      { pin: TWO_PHONES.androidPin },
    );
    expect(bridge.status).toBe(200);
    const bridged = (await bridge.json()) as Json;
    expect(bridged.subjectId).toBe(done.body.subjectId);
    expect(bridged.account.signIns).toBe(2);

    // The answer signs in once.
    const again = await getJson(`/verifier/portal/api/link/${sessionId}`, binding);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('PORTAL_NO_SESSION');
  }, 120_000);

  it('refuses bad input with stable codes that echo nothing', async () => {
    const asForm = await client.form('/verifier/portal/api/link', { anything: 'x' });
    expect(asForm.status).toBe(415);
    expect(((await asForm.json()) as Json).code).toBe('PORTAL_JSON_REQUIRED');
    const probe = '<script>alert(1)</script>';
    const unknown = await getJson(`/verifier/portal/api/link/${encodeURIComponent(probe)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PORTAL_NO_SESSION');
    expect(JSON.stringify(unknown.body)).not.toContain('script');
    const forged = await getJson('/verifier/portal/api/link/abc-123', 'mynakit_portal_link=forged');
    expect(forged.body.code).toBe('PORTAL_NO_SESSION');
    // A link the verifier did not make is the phone's to refuse; nothing reaches the portal.
    const rogue = await postJson('/wallet/phones/android/jpki-request', {
      url: 'mynakit-jpki://?client_id=x509_san_dns%3Aportal.localhost&request_uri=https%3A%2F%2Fevil.example%2Fr',
      pin: TWO_PHONES.androidPin,
    });
    expect(rogue.status).toBeGreaterThanOrEqual(400);
  }, 60_000);

  it('after the holder moves abroad, the revoked certificate’s answer is refused with its checks, and nobody is signed in', async () => {
    const token = (await readFile(join(client.dataDir, 'issuer', 'admin-token'), 'utf8')).trim();
    const moved = await fetch(`${client.sandbox.url}/issuer/life-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ residentId: TWO_PHONES.androidHolder, event: 'movedAbroad' }),
    });
    expect(moved.status).toBe(201);
    const opened = await postJson('/verifier/portal/api/link', {});
    expect(opened.status).toBe(201);
    const binding = cookieOf(opened, 'mynakit_portal_link');
    const { sessionId } = (await opened.json()) as { sessionId: string };
    const url = (await getJson(`/verifier/portal/api/link/${sessionId}`, binding)).body.walletUrl as string;
    const answered = await postJson('/wallet/phones/android/jpki-request', {
      url,
      pin: TWO_PHONES.androidPin,
    });
    const sent = (await answered.json()) as Json;
    expect(answered.status, JSON.stringify(sent).slice(0, 400)).toBe(200);
    const refused = await getJson(`/verifier/portal/api/link/${sessionId}`, binding);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('PORTAL_SIGN_IN_REFUSED');
    expect(refused.body.verdict).toBe('invalid');
    expect(
      (refused.body.checks as { id: string; status: string }[]).find((k) => k.id === 'status.revocation')
        ?.status,
    ).toBe('failed');
    expect(refused.body).not.toHaveProperty('subjectId');
    expect(cookieOf(refused.res, 'mynakit_portal')).toBe('');
  }, 60_000);
});
