/**
 * The mobile carrier's contract and the government portal's sign-in through the sandbox's pages, over HTTP
 * against a started sandbox:
 *
 * - the carrier (携帯電話不正利用防止法, DOMAIN.md §5), through its JSON routes under `/verifier/carrier/api/`
 *   and its built page: チ — the card-substitute record through the bridge,
 *   only name, address, birth date and portrait, valid, the record written, and no letter because the
 *   sandbox program is not certified (KYC_PROGRAM_NOT_CERTIFIED) — once the holder approves on the phone's
 *   consent screen, and CARRIER_DECLINED with nothing presented when the holder declines there; ト — a JPKI
 *   signature over the contract, signed on the phone's screen with the signature password typed there (the
 *   route takes none: CARRIER_PASSWORD_ON_PHONE; a wrong one is counted on the phone while the carrier
 *   waits), valid, the basic four from the certificate, no letter because the carrier is no signature
 *   verifier, and CARRIER_DECLINED with nothing signed when the holder declines;
 * - the portal (the マイナポータル pattern, DOMAIN.md §3), through its JSON routes under
 *   `/verifier/portal/api/` and its built page: sign-in with the user-authentication certificate on each
 *   phone family, answered through the labelled bridge — the request waits on the phone's consent screen,
 *   which names the portal, until the holder types the auth PIN there or uses the biometric (the portal
 *   takes neither: PORTAL_UNLOCK_ON_PHONE, nothing reaching the phone) — a signed-in view keyed by the
 *   certificate's opaque subject id that holds no name or address, an HttpOnly SameSite=Lax cookie,
 *   sign-out ends it, a wrong PIN counted on the phone while the portal waits (three lock it: 423), a
 *   decline with no session and nothing recorded on the phone, a full screen 503 and no answer in time 504
 *   (the clinic's iPhone check too), problems with stable PORTAL_* codes that echo nothing, and after
 *   the holder moves abroad the offline phone's revoked
 *   certificate refused with `status.revocation` failed — and the carrier's ト from that phone refused too
 *   (CARRIER_NOT_VERIFIED, no identity given).
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IncomingRequests, MAX_INCOMING_PER_PHONE } from '@mynakit/wallet';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARRIER_CONTRACT } from '../src/carrier-pages.js';
import { registerClinicPages } from '../src/clinic-pages.js';
import type { RunningSandbox } from '../src/index.js';
import { registerPortalPages } from '../src/portal-pages.js';
import { SANDBOX_CARRIER_NAME } from '../src/sandbox-carrier.js';
import { SANDBOX_CLINIC_CLIENT_ID } from '../src/sandbox-clinic.js';
import { SANDBOX_PORTAL_CLIENT_ID, SANDBOX_PORTAL_NAME } from '../src/sandbox-portal.js';
import {
  type AuthenticationAnswer,
  answerOnPhone,
  sandboxFetch,
  withHolderAnswer,
} from './helpers/phone-consent.js';
import { installTwoPhones, type PageClient, startPageClient, TWO_PHONES } from './helpers/two-phones.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ANDROID_HOLDER = TWO_PHONES.androidHolder;
const IPHONE_PASSWORD = TWO_PHONES.iphonePassword;
const ANDROID_PASSWORD = TWO_PHONES.androidPassword;
const ANDROID_PIN = TWO_PHONES.androidPin;

let client: PageClient;
let sandbox: RunningSandbox;
let dataDir: string;
const get = (path: string, cookie?: string) => client.get(path, cookie);
const form = (path: string, fields: Record<string, string>, cookie?: string) =>
  client.form(path, fields, cookie);

// biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely and asserted field by field
type Json = any;

/** A JSON POST as the carrier's and the portal's pages send it, with an optional cookie. */
const postJson = (path: string, body: unknown, cookie?: string) =>
  fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie === undefined ? {} : { cookie }) },
    body: JSON.stringify(body),
    redirect: 'manual',
  });

/** A JSON GET's status, cache-control and body. */
async function getJson(
  path: string,
  cookie?: string,
): Promise<{ status: number; cacheControl: string | null; body: Json }> {
  const r = await get(path, cookie);
  return { status: r.status, cacheControl: r.headers.get('cache-control'), body: await r.json() };
}

/** The status of check `id` in a view or a problem. */
const checkOf = (view: Json, id: string): string | undefined =>
  (view.checks as { id: string; status: string }[]).find((k) => k.id === id)?.status;

/**
 * Signs in at the portal from `phone` while the holder answers on the phone's screen (`answer`: the auth PIN
 * typed there, or the biometric); answers the cookie pair (`name=value`), the Set-Cookie line, the view and
 * the request's view as the phone showed it.
 */
async function signIn(
  phone: string,
  answer: AuthenticationAnswer,
): Promise<{ cookie: string; setCookie: string; body: Json; view: Json }> {
  const { result: res, phone: answered } = await withHolderAnswer(
    sandboxFetch(sandbox.url),
    phone,
    () => postJson('/verifier/portal/api/login', { phone }),
    answer,
  );
  expect(answered.status, JSON.stringify(answered.body)).toBe(200);
  const text = await res.text();
  expect(res.status, text.slice(0, 600)).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0] ?? '', setCookie, body: JSON.parse(text), view: answered.view };
}

/** The phone's way to confirm in the portal's tests: the Android holder types the PIN, the iPhone uses Face ID. */
const MATCHED: AuthenticationAnswer = { biometric: 'matched', authentication: true };

/** What the record and the signature gave as the holders' names and addresses (the portal must show none). */
const personal = new Set<string>();

beforeAll(async () => {
  // The portal's page: built when missing or older than its sources.
  const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
  client = await startPageClient('mynakit-sandbox-carrier-portal-');
  ({ sandbox, dataDir } = client);
  await installTwoPhones(client);
}, 180_000);
afterAll(async () => {
  await client?.close();
});

describe('the carrier’s contract under 携帯電話不正利用防止法', () => {
  it('serves the built page, lists the contract and the phones; the verifier’s page links the carrier and the portal', async () => {
    const served = await get('/verifier/carrier/');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await served.text();
    expect(html).toContain('lang="ja"');
    expect(html).toContain('携帯電話の契約 A mobile phone contract');
    expect(html).not.toContain('data-page-not-built');
    const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await (await get(`/verifier/carrier/${script}`)).text();
    for (const label of [
      'ブリッジ経由',
      'through the bridge',
      'カード代替電磁的記録',
      '署名用パスワード',
      'KYC_PROGRAM_NOT_CERTIFIED',
    ])
      expect(js.includes(label), label).toBe(true);
    const contract = await getJson('/verifier/carrier/api/contract');
    expect(contract.status).toBe(200);
    expect(contract.body.contract).toContain('携帯電話利用契約申込書');
    expect(contract.body.phones).toEqual(
      expect.arrayContaining([
        { id: 'iphone', family: 'iphone', answeredBy: 'bridge' },
        { id: 'android', family: 'android', answeredBy: 'bridge' },
      ]),
    );
    const list = await (await get('/verifier/')).text();
    expect(list).toContain('href="/verifier/carrier/"');
    expect(list).toContain('href="/verifier/portal/"');
    expect(list).not.toContain('未提供');
    expect((await get('/verifier/portal/')).status).toBe(200);
  });

  for (const phone of ['iphone', 'android']) {
    it(`チ from the ${phone}: valid, only the four facts, the record written, no letter (program not certified)`, async () => {
      // The holder approves what the carrier asks on the phone's own consent screen.
      const { result: res, phone: answered } = await withHolderAnswer(sandboxFetch(sandbox.url), phone, () =>
        postJson('/verifier/carrier/api/record', { phone }),
      );
      expect(answered.status).toBe(200);
      const text = await res.text();
      expect(res.status, text.slice(0, 600)).toBe(200);
      const body = JSON.parse(text);
      expect(body.kind).toBe('chi');
      expect(body.phone).toEqual({ id: phone, family: phone, answeredBy: 'bridge' });
      expect(body.verdict).toBe('valid');
      for (const name of ['name', 'address', 'birthDate']) {
        const value = body.identity[name];
        expect(value, name).toBeTruthy();
        if (name !== 'birthDate') personal.add(value as string);
      }
      expect(body.identity.portrait).toMatch(/^[A-Za-z0-9+/=]+$/);
      expect(checkOf(body, 'status.revocation')).toBe('passed');
      expect(body.method).toBeNull();
      expect(body.methodReasons).toContain('KYC_PROGRAM_NOT_CERTIFIED');
      expect(body.recordId).toMatch(/\S/);
      // Sex and My Number were not asked: the law's record method needs the four facts only.
      expect(body.identity).not.toHaveProperty('sex');
      expect(text).not.toContain('individual_number');
    }, 60_000);
  }

  it('チ declined on the phone: the carrier answers CARRIER_DECLINED with the phone’s WALLET_DECLINED, nothing presented', async () => {
    const android = sandbox.phones.find((p) => p.id === 'android');
    if (android === undefined) throw new Error('the sandbox has no android');
    const before = (await android.store.presentations.list(android.id)).length;
    const { result: res, phone } = await withHolderAnswer(
      sandboxFetch(sandbox.url),
      'android',
      () => postJson('/verifier/carrier/api/record', { phone: 'android' }),
      { decline: true },
    );
    // The phone's screen showed the carrier's page as the origin and named the carrier from its reader
    // certificate (the sandbox reader CA certifies it at each start).
    expect(phone.view.origin).toBe(sandbox.url);
    expect(phone.view.reader.authentication).toBe('verified');
    expect(phone.view.reader.subject).toContain('CN=mobile.sandbox-mynakit.invalid');
    expect(phone.view.reader.myNumberLegalBasis).toBeNull();
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      code: 'CARRIER_DECLINED',
      walletCode: 'WALLET_DECLINED',
      phone: { id: 'android', family: 'android', answeredBy: 'bridge' },
    });
    for (const value of personal) expect(text).not.toContain(value);
    expect(await android.store.presentations.list(android.id)).toHaveLength(before);
  }, 60_000);

  it('ト from the iPhone: valid, the basic four from the certificate, no letter (no signature verifier)', async () => {
    const { result: res, phone } = await withHolderAnswer(
      sandboxFetch(sandbox.url),
      'iphone',
      () => postJson('/verifier/carrier/api/sign', { phone: 'iphone' }),
      { password: IPHONE_PASSWORD },
    );
    // The phone's screen named the carrier as the bridge named it and showed the contract it signed.
    expect(phone.view.relyingParty).toEqual({ name: SANDBOX_CARRIER_NAME, verified: false });
    expect(phone.view.document.text).toBe(CARRIER_CONTRACT);
    expect(phone.body).toEqual({ sent: true, signed: true });
    const text = await res.text();
    expect(res.status, text.slice(0, 600)).toBe(200);
    expect(text).not.toContain(IPHONE_PASSWORD);
    const body = JSON.parse(text);
    expect(body.kind).toBe('to');
    expect(body.verdict).toBe('valid');
    for (const name of ['name', 'address', 'birthDate', 'sex'])
      expect(body.identity[name], name).toBeTruthy();
    personal.add(body.identity.name as string);
    expect(body.certificate.serialNumber).toMatch(/^[0-9a-fA-F:]+$/);
    expect(checkOf(body, 'status.revocation')).toBe('passed');
    expect(body.method).toBeNull();
    expect(body.methodReasons).toContain('KYC_NOT_A_SIGNATURE_VERIFIER');
    expect(body.recordId).toMatch(/\S/);
    expect(body.contract).toContain('携帯電話利用契約申込書');
  }, 60_000);

  it('ト takes no password: a body that carries one is refused before the phone is asked; a wrong one typed on the phone is counted there while the carrier waits; nothing is echoed', async () => {
    const at = sandboxFetch(sandbox.url);
    for (const password of [ANDROID_PASSWORD, 'short']) {
      const carried = await postJson('/verifier/carrier/api/sign', { phone: 'android', password });
      expect(carried.status).toBe(400);
      expect(carried.headers.get('content-type')).toBe('application/problem+json');
      const carriedText = await carried.text();
      expect(JSON.parse(carriedText).code).toBe('CARRIER_PASSWORD_ON_PHONE');
      expect(carriedText).not.toContain(password);
      expect(sandbox.incoming.pendingFor('android')).toEqual([]);
    }
    let ended = false;
    const signing = postJson('/verifier/carrier/api/sign', { phone: 'android' }).finally(() => {
      ended = true;
    });
    const wrong = await answerOnPhone(at, 'android', { password: 'WRONG2026' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'WALLET_SECRET_WRONG', remainingTries: 4 });
    expect(ended).toBe(false);
    expect(await answerOnPhone(at, 'android', { password: ANDROID_PASSWORD })).toMatchObject({
      status: 200,
      body: { sent: true, signed: true },
    });
    const signed = await signing;
    expect(signed.status).toBe(200);
    const signedText = await signed.text();
    expect(signedText).not.toContain('WRONG2026');
    expect(signedText).not.toContain(ANDROID_PASSWORD);
    expect(JSON.parse(signedText).verdict).toBe('valid');
    const noPhone = await postJson('/verifier/carrier/api/record', { phone: '<b>x</b>' });
    expect(noPhone.status).toBe(400);
    const noPhoneText = await noPhone.text();
    expect(JSON.parse(noPhoneText).code).toBe('CARRIER_NO_PHONE');
    expect(noPhoneText).not.toContain('<b>');
    const asForm = await form('/verifier/carrier/api/record', { phone: 'iphone' });
    expect(asForm.status).toBe(415);
    expect((await asForm.json()).code).toBe('CARRIER_JSON_REQUIRED');
    expect((await getJson('/verifier/carrier/api/nothing')).body.code).toBe('CARRIER_NOT_FOUND');
  }, 60_000);

  it('ト declined on the phone: CARRIER_DECLINED with the phone’s WALLET_DECLINED, nothing signed', async () => {
    const android = sandbox.phones.find((p) => p.id === 'android');
    if (android === undefined) throw new Error('the sandbox has no android');
    const before = (await android.store.presentations.list(android.id)).length;
    const { result: res, phone } = await withHolderAnswer(
      sandboxFetch(sandbox.url),
      'android',
      () => postJson('/verifier/carrier/api/sign', { phone: 'android' }),
      { decline: true, signature: true },
    );
    expect(phone.view.channel).toBe('jpki-signature');
    expect(phone.view.origin).toBe(sandbox.url);
    expect(phone.body).toEqual({ declined: true });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      code: 'CARRIER_DECLINED',
      walletCode: 'WALLET_DECLINED',
      phone: { id: 'android', family: 'android', answeredBy: 'bridge' },
    });
    expect(await android.store.presentations.list(android.id)).toHaveLength(before);
    expect(sandbox.incoming.pendingFor('android')).toEqual([]);
  }, 60_000);
});

describe('the government portal’s sign-in with the user-authentication certificate', () => {
  const subjects = new Map<string, string>();
  const at = () => sandboxFetch(sandbox.url);
  const history = async (phone: string): Promise<Json[]> =>
    ((await (await get(`/wallet/phones/${phone}/history`)).json()) as Json).presentations;

  for (const [phone, answer] of [
    ['iphone', MATCHED],
    ['android', { pin: ANDROID_PIN }],
  ] as const) {
    it(`signs in from the ${phone} confirmed on the phone: a cookie session and a view keyed by the opaque subject id, no personal data`, async () => {
      const phones = await getJson('/verifier/portal/api/phones');
      expect(phones.status).toBe(200);
      expect(phones.body.phones).toEqual(
        expect.arrayContaining([
          {
            id: phone,
            family: phone,
            unlock: 'pin-or-biometric',
            unlockOn: 'phone',
            answeredBy: 'bridge',
          },
        ]),
      );
      expect((await getJson('/verifier/portal/api/session')).body).toEqual({ signedIn: false });
      const { cookie, setCookie, body, view: shown } = await signIn(phone, answer);
      // The phone's screen named the portal (as the bridge named it, not verified) and its page's origin.
      expect(shown).toMatchObject({
        channel: 'jpki-user-authentication',
        relyingParty: { name: SANDBOX_PORTAL_NAME, verified: false },
        unlock: 'pin-or-biometric',
        origin: new URL(sandbox.url).origin,
        remainingTries: 3,
      });
      expect(setCookie).toMatch(/^mynakit_portal=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).toMatch(/Path=\/verifier\/portal/);
      expect(body.signedIn).toBe(true);
      const res = await getJson('/verifier/portal/api/session', cookie);
      expect(res.status).toBe(200);
      expect(res.cacheControl).toBe('no-store');
      const view = res.body;
      expect(view.signedIn).toBe(true);
      expect(view.subjectId).toMatch(/\S/);
      expect(view.subjectId).toBe(body.subjectId);
      expect(view.certificate.subjectCommonName).toBe(view.subjectId);
      subjects.set(phone, view.subjectId);
      expect(view.verdict).toBe('valid');
      expect(checkOf(view, 'status.revocation')).toBe('passed');
      expect(checkOf(view, 'cert.path')).toBe('passed');
      expect(view.account.signIns).toBe(1);
      // How the holder unlocked on the phone: the PIN typed there, or the biometric.
      expect(view.phone).toMatchObject({
        id: phone,
        answeredBy: 'bridge',
        how: phone === 'android' ? 'pin' : 'biometric',
      });
      expect(view.method).toBeNull();
      // The user-authentication certificate carries no name, address, birth date or sex.
      for (const key of ['identity', 'name', 'address', 'birthDate', 'sex'])
        expect(view).not.toHaveProperty(key);
      expect(personal.size).toBeGreaterThan(0);
      const raw = JSON.stringify(view);
      for (const value of personal) expect(raw).not.toContain(value);
      // Another browser (no cookie) is not signed in.
      expect((await getJson('/verifier/portal/api/session')).body).toEqual({ signedIn: false });
    }, 60_000);
  }

  it('the two phones are two accounts; signing in again counts on the same account', async () => {
    expect(subjects.get('iphone')).not.toBe(subjects.get('android'));
    const { cookie } = await signIn('iphone', MATCHED);
    const view = (await getJson('/verifier/portal/api/session', cookie)).body;
    expect(view.subjectId).toBe(subjects.get('iphone'));
    expect(view.account.signIns).toBe(2);
  }, 60_000);

  it('the Android holder may use the biometric too: it stands in for the PIN (DOMAIN.md §3)', async () => {
    const { cookie } = await signIn('android', MATCHED);
    const view = (await getJson('/verifier/portal/api/session', cookie)).body;
    expect(view.subjectId).toBe(subjects.get('android'));
    expect(view.phone).toMatchObject({ id: 'android', how: 'biometric' });
  }, 60_000);

  it('sign-out ends the session: the old cookie no longer signs in', async () => {
    const { cookie } = await signIn('android', { pin: ANDROID_PIN });
    expect((await getJson('/verifier/portal/api/session', cookie)).body.signedIn).toBe(true);
    const out = await postJson('/verifier/portal/api/logout', {}, cookie);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie') ?? '').toMatch(/^mynakit_portal=;.*Max-Age=0/i);
    expect((await getJson('/verifier/portal/api/session', cookie)).body).toEqual({ signedIn: false });
    // A made-up cookie signs in nobody.
    expect((await getJson('/verifier/portal/api/session', 'mynakit_portal=forged')).body).toEqual({
      signedIn: false,
    });
  }, 60_000);

  it('a wrong PIN is counted on the phone while the portal waits, a malformed one costs nothing, an unmatched biometric retries; the portal hears none of it', async () => {
    const pending = postJson('/verifier/portal/api/login', { phone: 'android' });
    const malformed = await answerOnPhone(at(), 'android', { pin: '12a4' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('WALLET_SECRET_FORMAT');
    const wrong = await answerOnPhone(at(), 'android', { pin: '0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'WALLET_SECRET_WRONG', remainingTries: 2 });
    expect(JSON.stringify(wrong.body)).not.toContain('0000');
    const unmatched = await answerOnPhone(at(), 'android', { biometric: 'failed', authentication: true });
    expect(unmatched.status).toBe(401);
    expect(unmatched.body.code).toBe('WALLET_BIOMETRIC_FAILED');
    // The screen stays up with the tries the phone has left; the portal still waits.
    const still = await answerOnPhone(at(), 'android', { pin: ANDROID_PIN });
    expect(still.view.remainingTries).toBe(2);
    expect(still.status).toBe(200);
    expect(still.body).toEqual({ sent: true, authenticated: true });
    const res = await pending;
    const text = await res.text();
    expect(res.status, text.slice(0, 400)).toBe(200);
    expect(text).not.toContain('0000');
    expect(JSON.parse(text).phone).toMatchObject({ id: 'android', how: 'pin' });
    // The right PIN gave the tries back.
    const again = await signIn('android', { pin: ANDROID_PIN });
    expect(again.view.remainingTries).toBe(3);
  }, 60_000);

  it('refuses a body that carries the PIN or the biometric before any phone is asked, echoing nothing', async () => {
    const before = await history('android');
    for (const body of [
      { phone: 'android', pin: ANDROID_PIN },
      { phone: 'android', pin: '0000' },
      { phone: 'iphone', biometric: 'matched' },
      { phone: 'iphone', biometric: 'failed' },
      { phone: '<script>', pin: '9753' },
      { pin: null },
    ]) {
      const res = await postJson('/verifier/portal/api/login', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('set-cookie')).toBeNull();
      const text = await res.text();
      expect(JSON.parse(text).code).toBe('PORTAL_UNLOCK_ON_PHONE');
      for (const echoed of [ANDROID_PIN, '0000', '9753', 'matched', 'script'])
        expect(text).not.toContain(echoed);
    }
    // A member behind many others is still seen (the whole body is looked at).
    const padded = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`m${i}`, i]));
    const behind = await postJson('/verifier/portal/api/login', { phone: 'android', ...padded, pin: '0000' });
    expect(behind.status).toBe(400);
    expect((await behind.json()).code).toBe('PORTAL_UNLOCK_ON_PHONE');
    // Nothing reached a phone: no screen raised, nothing recorded, no try used.
    expect(sandbox.incoming.pendingFor('android')).toEqual([]);
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    expect(await history('android')).toHaveLength(before.length);
    expect((await signIn('android', { pin: ANDROID_PIN })).view.remainingTries).toBe(3);
  }, 60_000);

  it('the holder declines on the phone: no session, nothing recorded on the phone', async () => {
    const before = await history('iphone');
    const { result: res, phone } = await withHolderAnswer(
      at(),
      'iphone',
      () => postJson('/verifier/portal/api/login', { phone: 'iphone' }),
      { decline: true, authentication: true },
    );
    expect(phone.body).toEqual({ declined: true });
    expect(phone.view.relyingParty.name).toBe(SANDBOX_PORTAL_NAME);
    expect(res.status).toBe(409);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toMatchObject({
      code: 'PORTAL_DECLINED',
      walletCode: 'WALLET_DECLINED',
      phone: { id: 'iphone', answeredBy: 'bridge' },
    });
    expect(await history('iphone')).toHaveLength(before.length);
    expect((await getJson('/verifier/portal/api/session')).body).toEqual({ signedIn: false });
  }, 60_000);

  it('answers bad requests with stable PORTAL_* problems that echo nothing submitted', async () => {
    const noPhone = await postJson('/verifier/portal/api/login', { phone: '<script>' });
    expect(noPhone.status).toBe(400);
    const noPhoneText = await noPhone.text();
    expect(JSON.parse(noPhoneText).code).toBe('PORTAL_NO_PHONE');
    expect(noPhoneText).not.toContain('<script>');
    // A cross-site form cannot post here: JSON only.
    const asForm = await form('/verifier/portal/api/login', { phone: 'android' });
    expect(asForm.status).toBe(415);
    expect((await asForm.json()).code).toBe('PORTAL_JSON_REQUIRED');
    const broken = await fetch(`${sandbox.url}/verifier/portal/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"phone":',
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).code).toBe('PORTAL_INVALID_REQUEST');
    expect((await getJson('/verifier/portal/api/nothing')).body.code).toBe('PORTAL_NOT_FOUND');
  }, 60_000);

  it('serves the built page at /verifier/portal/ with its policy, labels and no inline script', async () => {
    const bare = await client.get('/verifier/portal');
    expect(bare.url).toMatch(/\/verifier\/portal\/$/);
    const served = await get('/verifier/portal/');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('text/html');
    expect(served.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await served.text();
    expect(html).toContain('lang="ja"');
    expect(html).toContain('ログイン Sign in — Sandbox Government Portal');
    expect(html).not.toContain('data-page-not-built');
    const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await (await get(`/verifier/portal/${script}`)).text();
    // The page's labels: the bridge, the unlock on the phone, and its relative API calls.
    for (const label of [
      'ブリッジ経由',
      'through the bridge',
      '利用者証明用暗証番号',
      'Face ID',
      'スマートフォンで暗証番号または生体認証で確認してください',
      'api/',
    ])
      expect(js.includes(label), label).toBe(true);
    // It keeps nothing itself and reads no cookie (the session cookie is HttpOnly anyway).
    expect(js.includes('localStorage'), 'localStorage').toBe(false);
    expect(js.includes('document.cookie'), 'document.cookie').toBe(false);
  });

  it('after the holder moves abroad, the offline phone’s revoked certificate is refused', async () => {
    expect((await form('/wallet/phones/android/offline', { offline: '1' })).status).toBeLessThan(400);
    const token = (await readFile(join(dataDir, 'issuer', 'admin-token'), 'utf8')).trim();
    const moved = await fetch(`${sandbox.url}/issuer/life-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ residentId: ANDROID_HOLDER, event: 'movedAbroad' }),
    });
    expect(moved.status).toBe(201);
    // The offline phone heard nothing of the revocation: it still answers, once its holder types the PIN.
    const { result: refused } = await withHolderAnswer(
      at(),
      'android',
      () => postJson('/verifier/portal/api/login', { phone: 'android' }),
      { pin: ANDROID_PIN },
    );
    expect(refused.status).toBe(422);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const text = await refused.text();
    expect(text).not.toContain(ANDROID_PIN);
    const body = JSON.parse(text);
    expect(body.code).toBe('PORTAL_SIGN_IN_REFUSED');
    expect(body.verdict).toBe('invalid');
    expect(checkOf(body, 'status.revocation')).toBe('failed');
    expect(body).not.toHaveProperty('subjectId');
    // The other holder still signs in.
    await signIn('iphone', MATCHED);
  }, 60_000);

  it('a phone with as many requests waiting as it keeps answers 503 PORTAL_PHONE_BUSY at once; the others still wait', async () => {
    const waiting = Array.from({ length: MAX_INCOMING_PER_PHONE }, () =>
      postJson('/verifier/portal/api/login', { phone: 'iphone' }),
    );
    for (let i = 0; i < 400 && sandbox.incoming.pendingFor('iphone').length < MAX_INCOMING_PER_PHONE; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(sandbox.incoming.pendingFor('iphone')).toHaveLength(MAX_INCOMING_PER_PHONE);
    const busy = await postJson('/verifier/portal/api/login', { phone: 'iphone' });
    expect(busy.status).toBe(503);
    expect(await busy.json()).toMatchObject({ code: 'PORTAL_PHONE_BUSY', walletCode: 'WALLET_PHONE_BUSY' });
    // The holder declines the ones waiting, one after the other: each call ends 409.
    for (let i = 0; i < MAX_INCOMING_PER_PHONE; i++)
      expect((await answerOnPhone(at(), 'iphone', { decline: true, authentication: true })).status).toBe(200);
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual(
      Array.from({ length: MAX_INCOMING_PER_PHONE }, () => 409),
    );
  }, 60_000);

  it('a sign-in nobody answers on the phone lapses: the portal answers 504 PORTAL_PHONE_NO_ANSWER, the clinic’s iPhone check 504 CLINIC_PHONE_NO_ANSWER', async () => {
    // The same routes over the running sandbox's verifier and phones, with phones' screens that keep a
    // request 300 ms instead of 3 minutes.
    const token = (await readFile(join(dataDir, 'verifier', 'admin-token'), 'utf8')).trim();
    const operator = (path: string, init: RequestInit = {}) =>
      fetch(`${sandbox.url}/verifier${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    const keyOf = async (clientId: string) => {
      const { relyingParties } = (await (await operator('/relying-parties')).json()) as {
        relyingParties: { id: string; clientId: string }[];
      };
      const id = relyingParties.find((rp) => rp.clientId === clientId)?.id ?? '';
      const issued = await operator(`/relying-parties/${encodeURIComponent(id)}/api-keys`, {
        method: 'POST',
        body: JSON.stringify({ role: 'rp' }),
      });
      expect(issued.status).toBe(201);
      return { relyingPartyId: id, apiKey: String(((await issued.json()) as { apiKey: string }).apiKey) };
    };
    const incoming = new IncomingRequests({ waitMs: 300 });
    const app = new Hono();
    const verifierFetch = (request: Request) => fetch(request);
    registerPortalPages(app, {
      url: sandbox.url,
      portal: await keyOf(SANDBOX_PORTAL_CLIENT_ID),
      verifierFetch,
      phones: sandbox.phones,
      incoming,
    });
    registerClinicPages(app, {
      url: sandbox.url,
      clinic: { ...(await keyOf(SANDBOX_CLINIC_CLIENT_ID)), insurerAuthorization: 'Basic unused' },
      verifierFetch,
      issuerFetch: verifierFetch,
      phones: sandbox.phones,
      incoming,
    });
    const json = (path: string, body: unknown) =>
      app.request(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const portal = await json('/verifier/portal/api/login', { phone: 'iphone' });
    expect(portal.status).toBe(504);
    expect(portal.headers.get('set-cookie')).toBeNull();
    expect(await portal.json()).toMatchObject({
      code: 'PORTAL_PHONE_NO_ANSWER',
      walletCode: 'WALLET_REQUEST_EXPIRED',
      phone: { id: 'iphone' },
    });
    const clinic = await json('/verifier/clinic/api/check', { phone: 'iphone' });
    expect(clinic.status).toBe(504);
    expect(await clinic.json()).toMatchObject({
      code: 'CLINIC_PHONE_NO_ANSWER',
      walletCode: 'WALLET_REQUEST_EXPIRED',
    });
    expect(incoming.pendingFor('iphone')).toEqual([]);
  }, 60_000);

  it('three wrong auth PINs on the phone lock the key and end the portal’s wait; then it is refused at once', async () => {
    const pending = postJson('/verifier/portal/api/login', { phone: 'iphone' });
    const tries = [];
    for (const pin of ['0001', '0002', '0003']) tries.push(await answerOnPhone(at(), 'iphone', { pin }));
    expect(tries.map((t) => [t.status, t.body.code])).toEqual([
      [401, 'WALLET_SECRET_WRONG'],
      [401, 'WALLET_SECRET_WRONG'],
      [423, 'WALLET_SECRET_LOCKED'],
    ]);
    const locked = await pending;
    expect(locked.status).toBe(423);
    expect(locked.headers.get('set-cookie')).toBeNull();
    const text = await locked.text();
    for (const pin of ['0001', '0002', '0003']) expect(text).not.toContain(pin);
    expect(JSON.parse(text)).toMatchObject({
      code: 'PORTAL_PIN_LOCKED',
      walletCode: 'WALLET_SECRET_LOCKED',
      phone: { id: 'iphone' },
    });
    // No biometric stands in for a locked PIN: refused at once, no screen raised.
    const again = await postJson('/verifier/portal/api/login', { phone: 'iphone' });
    expect(again.status).toBe(423);
    expect((await again.json()).code).toBe('PORTAL_PIN_LOCKED');
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
  }, 60_000);
});

describe('the carrier after the Android holder moved abroad (the portal’s last test)', () => {
  it('ト from the offline phone is refused: the signature certificate is revoked, no identity given', async () => {
    // The offline phone heard nothing of the revocation: it still signs, once its holder types the password.
    const { result: refused } = await withHolderAnswer(
      sandboxFetch(sandbox.url),
      'android',
      () => postJson('/verifier/carrier/api/sign', { phone: 'android' }),
      { password: ANDROID_PASSWORD },
    );
    expect(refused.status).toBe(422);
    const text = await refused.text();
    expect(text).not.toContain(ANDROID_PASSWORD);
    const body = JSON.parse(text);
    expect(body.code).toBe('CARRIER_NOT_VERIFIED');
    expect(body.verdict).toBe('invalid');
    expect(checkOf(body, 'status.revocation')).toBe('failed');
    expect(body).not.toHaveProperty('identity');
    for (const value of personal) expect(text).not.toContain(value);
  }, 60_000);
});
