/**
 * The mobile carrier's contract and the government portal's sign-in through the sandbox's pages, over HTTP
 * against a started sandbox:
 *
 * - the carrier (携帯電話不正利用防止法, DOMAIN.md §5): チ — the card-substitute record through the bridge,
 *   only name, address, birth date and portrait, valid, the record written, and no letter because the
 *   sandbox program is not certified (KYC_PROGRAM_NOT_CERTIFIED); ト — a JPKI signature over the contract,
 *   valid, the basic four from the certificate, no letter because the carrier is no signature verifier;
 * - the portal (the マイナポータル pattern, DOMAIN.md §3): sign-in with the user-authentication certificate
 *   on each phone family (the auth PIN on Android, the biometric on iPhone), a signed-in page keyed by the
 *   certificate's opaque subject id that shows no name or address, an HttpOnly SameSite=Lax cookie, sign-out
 *   ends it, a wrong PIN counted by the phone, and after the holder moves abroad the offline phone's
 *   revoked certificate refused with `status.revocation` failed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../src/index.js';
import {
  checkStatus,
  field,
  installTwoPhones,
  type PageClient,
  startPageClient,
  TWO_PHONES,
} from './helpers/two-phones.js';

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
const page = (path: string, fields: Record<string, string>) => client.page(path, fields);

/** Signs in at the portal and answers the cookie pair (`name=value`) and the whole Set-Cookie line. */
async function signIn(fields: Record<string, string>): Promise<{ cookie: string; setCookie: string }> {
  const res = await form('/verifier/portal/login', fields);
  const body = await res.text();
  expect(res.status, body.slice(0, 600)).toBe(303);
  expect(res.headers.get('location')).toBe('/verifier/portal/');
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0] ?? '', setCookie };
}

/** What the record and the signature gave as the holders' names and addresses (the portal must show none). */
const personal = new Set<string>();

beforeAll(async () => {
  client = await startPageClient('mynakit-sandbox-carrier-portal-');
  ({ sandbox, dataDir } = client);
  await installTwoPhones(client);
}, 180_000);
afterAll(async () => {
  await client?.close();
});

describe('the carrier’s contract under 携帯電話不正利用防止法', () => {
  it('offers チ and ト without a script; the verifier’s page links the carrier and the portal', async () => {
    const start = await get('/verifier/carrier/');
    expect(start.status).toBe(200);
    const text = await start.text();
    expect(text).toContain('lang="ja"');
    expect(text).toContain('data-method-form="chi"');
    expect(text).toContain('data-method-form="to"');
    expect(text).toContain('携帯電話利用契約申込書');
    expect(text).not.toContain('<script');
    const list = await (await get('/verifier/')).text();
    expect(list).toContain('href="/verifier/carrier/"');
    expect(list).toContain('href="/verifier/portal/"');
    expect(list).not.toContain('未提供');
    expect((await get('/verifier/portal/')).status).toBe(200);
  });

  for (const phone of ['iphone', 'android']) {
    it(`チ from the ${phone}: valid, only the four facts, the record written, no letter (program not certified)`, async () => {
      const { status, text } = await page('/verifier/carrier/record', { phone });
      expect(status, text.slice(0, 600)).toBe(200);
      expect(text).toContain('data-verdict="valid"');
      for (const name of ['name', 'address', 'birthDate']) {
        const value = field(text, name);
        expect(value, name).toBeTruthy();
        if (name !== 'birthDate') personal.add(value as string);
      }
      expect(text).toContain('src="data:image/jpeg;base64,');
      expect(checkStatus(text, 'status.revocation')).toBe('passed');
      expect(text).toContain('data-method="none"');
      expect(text).toContain('<code>KYC_PROGRAM_NOT_CERTIFIED</code>');
      expect(text).toMatch(/data-record="[^"]+"/);
      // Sex and My Number were not asked: the law's record method needs the four facts only.
      expect(text).not.toContain('data-field="sex"');
    }, 60_000);
  }

  it('ト from the iPhone: valid, the basic four from the certificate, no letter (no signature verifier)', async () => {
    const { status, text } = await page('/verifier/carrier/sign', {
      phone: 'iphone',
      password: IPHONE_PASSWORD,
    });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(text).toContain('data-verdict="valid"');
    expect(text).toContain('data-basic-four');
    for (const name of ['name', 'address', 'birthDate', 'sex']) expect(field(text, name), name).toBeTruthy();
    personal.add(field(text, 'name') as string);
    expect(text).toMatch(/data-certificate-serial="[0-9a-fA-F:]+"/);
    expect(checkStatus(text, 'status.revocation')).toBe('passed');
    expect(text).toContain('data-method="none"');
    expect(text).toContain('<code>KYC_NOT_A_SIGNATURE_VERIFIER</code>');
    expect(text).toMatch(/data-record="[^"]+"/);
  }, 60_000);

  it('ト refuses a wrong signature password with the tries left; a malformed one costs no try', async () => {
    const malformed = await page('/verifier/carrier/sign', { phone: 'android', password: 'short' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('data-error="password-format"');
    const wrong = await page('/verifier/carrier/sign', { phone: 'android', password: 'WRONG2026' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('data-error="WALLET_SECRET_WRONG"');
    expect(wrong.text).toContain('data-remaining-tries="4"');
    const right = await page('/verifier/carrier/sign', { phone: 'android', password: ANDROID_PASSWORD });
    expect(right.text).toContain('data-verdict="valid"');
  }, 60_000);
});

describe('the government portal’s sign-in with the user-authentication certificate', () => {
  const subjects = new Map<string, string>();

  for (const [phone, fields] of [
    ['iphone', { phone: 'iphone', biometric: 'matched' }],
    ['android', { phone: 'android', pin: ANDROID_PIN }],
  ] as const) {
    it(`signs in from the ${phone}: a cookie session and a page keyed by the opaque subject id, no personal data`, async () => {
      const anonymous = await (await get('/verifier/portal/')).text();
      expect(anonymous).toContain(`data-phone-form="${phone}"`);
      expect(anonymous).not.toContain('data-signed-in');
      const { cookie, setCookie } = await signIn(fields);
      expect(setCookie).toMatch(/^mynakit_portal=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).toMatch(/Path=\/verifier\/portal/);
      const res = await get('/verifier/portal/', cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      const subject = /data-signed-in="([^"]+)"/.exec(text)?.[1];
      expect(subject).toBeTruthy();
      subjects.set(phone, subject as string);
      expect(text).toContain('data-verdict="valid"');
      expect(checkStatus(text, 'status.revocation')).toBe('passed');
      expect(checkStatus(text, 'cert.path')).toBe('passed');
      expect(text).toContain('data-sign-ins="1"');
      // The user-authentication certificate carries no name, address, birth date or sex.
      expect(text).not.toContain('data-basic-four');
      expect(text).not.toContain('data-field="name"');
      expect(text).not.toContain('data-field="address"');
      expect(personal.size).toBeGreaterThan(0);
      for (const value of personal) expect(text).not.toContain(value);
      // Another browser (no cookie) is not signed in.
      expect(await (await get('/verifier/portal/')).text()).not.toContain('data-signed-in');
    }, 60_000);
  }

  it('the two phones are two accounts; signing in again counts on the same account', async () => {
    expect(subjects.get('iphone')).not.toBe(subjects.get('android'));
    const { cookie } = await signIn({ phone: 'iphone', biometric: 'matched' });
    const text = await (await get('/verifier/portal/', cookie)).text();
    expect(text).toContain(`data-signed-in="${subjects.get('iphone')}"`);
    expect(text).toContain('data-sign-ins="2"');
  }, 60_000);

  it('sign-out ends the session: the old cookie no longer signs in', async () => {
    const { cookie } = await signIn({ phone: 'android', pin: ANDROID_PIN });
    expect(await (await get('/verifier/portal/', cookie)).text()).toContain('data-signed-in');
    const out = await form('/verifier/portal/logout', {}, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie') ?? '').toMatch(/^mynakit_portal=;.*Max-Age=0/i);
    const after = await (await get('/verifier/portal/', cookie)).text();
    expect(after).not.toContain('data-signed-in');
    expect(after).toContain('data-phone-form="android"');
    // A made-up cookie signs in nobody.
    expect(await (await get('/verifier/portal/', 'mynakit_portal=forged')).text()).not.toContain(
      'data-signed-in',
    );
  }, 60_000);

  it('refuses a wrong PIN counted by the phone, a malformed PIN at no cost, a failed biometric', async () => {
    const malformed = await page('/verifier/portal/login', { phone: 'android', pin: '12a4' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('data-error="pin-format"');
    const wrong = await form('/verifier/portal/login', { phone: 'android', pin: '0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const text = await wrong.text();
    expect(text).toContain('data-error="WALLET_SECRET_WRONG"');
    expect(text).toContain('data-remaining-tries="2"');
    const failed = await page('/verifier/portal/login', { phone: 'iphone', biometric: 'failed' });
    expect(failed.status).toBe(401);
    expect(failed.text).toContain('data-error="WALLET_BIOMETRIC_FAILED"');
    // The right PIN gives the tries back.
    await signIn({ phone: 'android', pin: ANDROID_PIN });
  }, 60_000);

  it('after the holder moves abroad, the offline phone’s revoked certificate is refused', async () => {
    expect((await form('/wallet/phones/android/offline', { offline: '1' })).status).toBeLessThan(400);
    const token = (await readFile(join(dataDir, 'issuer', 'admin-token'), 'utf8')).trim();
    const moved = await fetch(`${sandbox.url}/issuer/life-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ residentId: ANDROID_HOLDER, event: 'movedAbroad' }),
    });
    expect(moved.status).toBe(201);
    const refused = await form('/verifier/portal/login', { phone: 'android', pin: ANDROID_PIN });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const text = await refused.text();
    expect(text).toContain('data-verdict="invalid"');
    expect(checkStatus(text, 'status.revocation')).toBe('failed');
    expect(text).not.toContain('data-signed-in');
    // The other holder still signs in.
    await signIn({ phone: 'iphone', biometric: 'matched' });
  }, 60_000);
});
