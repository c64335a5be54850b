/**
 * Stories 3 and 6 through the sandbox's pages, over HTTP against a started sandbox:
 *
 * - story 3: the bank's account opening with a JPKI signature — the phone signs the application through
 *   the bridge after its signature password, the verifier verifies (chain, profile, OCSP at the sandbox
 *   issuer), the page shows the basic four from the certificate, the serial, the method or why none, the
 *   record; a wrong password is counted by the phone; after the holder moves, the offline phone's signature
 *   certificate is revoked and the bank's answer is invalid with `status.revocation` failed;
 * - story 6: the clinic's desk — the Android holder types the auth PIN, the iPhone holder approves with the
 *   biometric; the verifier verifies the user authentication, the issuer's insurer registry confirms the
 *   qualification, the record gives the photo, name and birth date for the face check; a wrong PIN is
 *   refused and counted.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../src/index.js';
import { DECLARED_FIELDS } from './helpers/bank-form.js';
import {
  checkStatus,
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

beforeAll(async () => {
  client = await startPageClient('mynakit-sandbox-jpki-');
  ({ sandbox, dataDir } = client);
  await installTwoPhones(client);
}, 180_000);
afterAll(async () => {
  await client?.close();
});

describe('story 3: the bank’s account opening with a JPKI signature', () => {
  it('shows the application; the verifier’s page and the landing page link it and the clinic', async () => {
    const start = await get('/verifier/bank/jpki/');
    expect(start.status).toBe(200);
    const text = await start.text();
    expect(text).toContain('lang="ja"');
    expect(text).toContain('普通預金口座開設申込書');
    expect(text).toContain('name="password"');
    expect(text).not.toContain('<script');
    const list = await (await get('/verifier/')).text();
    expect(list).toContain('href="/verifier/bank/jpki/"');
    expect(list).toContain('href="/verifier/clinic/"');
    expect(list).toContain('href="/verifier/auditor/"');
    const landing = await (await get('/')).text();
    expect(landing).toContain('href="/verifier/bank/jpki/"');
    expect(landing).toContain('href="/verifier/clinic/"');
  });

  it('verifies the iPhone’s signature: valid, the basic four from the certificate, the serial, a record', async () => {
    const { status, text } = await page('/verifier/bank/jpki/sign', {
      phone: 'iphone',
      password: IPHONE_PASSWORD,
      ...DECLARED_FIELDS,
    });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(text).toContain('data-verdict="valid"');
    for (const field of ['name', 'address', 'birthDate', 'sex'])
      expect(text).toMatch(new RegExp(`data-field="${field}">[^<]+`));
    expect(text).toContain('data-basic-four');
    expect(text).toMatch(/data-certificate-serial="[0-9a-fA-F:]+"/);
    expect(checkStatus(text, 'status.revocation')).toBe('passed');
    expect(checkStatus(text, 'cert.path')).toBe('passed');
    // The status came from the sandbox issuer's OCSP responder (the certificate's .invalid URL, answered
    // through the sandbox's own routes).
    expect(text).toMatch(/OCSP https:\/\/issuer\.sandbox-mynakit\.invalid\/jpki\/ocsp: good/);
    // The sandbox bank is no signature verifier, and the page says so instead of naming カ.
    expect(text).toContain('data-method="none"');
    expect(text).toContain('KYC_NOT_A_SIGNATURE_VERIFIER');
    expect(text).toMatch(/data-record="[^"]+"/);
    // The purpose of the transaction and the occupation: shown, and in the application that was signed.
    expect(text).toContain('data-field="transactionPurpose" data-code="living-expenses"');
    expect(text).toContain('data-field="occupation" data-code="company-employee"');
    expect(text).toContain('職業 / occupation: 会社員 / Company employee');
  }, 60_000);

  it('asks the purpose of the transaction and the occupation; without them the verifier opens no session', async () => {
    const start = await (await get('/verifier/bank/jpki/')).text();
    expect(start).toContain('<select name="occupation" required');
    const { status, text } = await page('/verifier/bank/jpki/sign', {
      phone: 'iphone',
      password: IPHONE_PASSWORD,
    });
    expect(status).toBe(502);
    expect(text).toContain('data-error="VERIFIER_TRANSACTION_PURPOSE_REQUIRED"');
  });

  it('refuses a wrong signature password, counted by the phone; a malformed one costs no try', async () => {
    const malformed = await page('/verifier/bank/jpki/sign', {
      phone: 'iphone',
      password: 'short',
      ...DECLARED_FIELDS,
    });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('data-error="password-format"');
    const wrong = await page('/verifier/bank/jpki/sign', {
      phone: 'iphone',
      password: 'WRONG2026',
      ...DECLARED_FIELDS,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('data-error="WALLET_SECRET_WRONG"');
    expect(wrong.text).toContain('data-remaining-tries="4"');
    const again = await page('/verifier/bank/jpki/sign', {
      phone: 'iphone',
      password: 'WRONG2027',
      ...DECLARED_FIELDS,
    });
    expect(again.text).toContain('data-remaining-tries="3"');
    // The right password signs again and gives the tries back.
    const right = await page('/verifier/bank/jpki/sign', {
      phone: 'iphone',
      password: IPHONE_PASSWORD,
      ...DECLARED_FIELDS,
    });
    expect(right.text).toContain('data-verdict="valid"');
  }, 60_000);
});

describe('story 6: the clinic’s front desk', () => {
  it('the Android holder types the auth PIN: valid, insurance qualification and the face check shown', async () => {
    const desk = await (await get('/verifier/clinic/')).text();
    expect(desk).toContain('data-phone-form="android"');
    expect(desk).toContain('name="pin"');
    const { status, text } = await page('/verifier/clinic/check', { phone: 'android', pin: ANDROID_PIN });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(text).toContain('data-verdict="valid"');
    expect(checkStatus(text, 'status.revocation')).toBe('passed');
    expect(text).toContain('data-qualification="confirmed"');
    expect(text).toMatch(/data-field="insurerNumber">99\d{6}</);
    expect(text).toContain('data-face-check="valid"');
    // The photo came over an ISO/IEC 18013-5 proximity session, not the DC API.
    expect(text).toContain('data-face-channel="proximity"');
    expect(text).toContain('proximity read (radio simulated over WebSocket)');
    expect(text).toContain('src="data:image/jpeg;base64,');
    expect(text).toMatch(/data-field="faceName">[^<]+</);
    expect(text).toMatch(/data-record="[^"]+"/);
    // The verifier service was the reader, and wrote a record of the read.
    expect(text).toMatch(/data-face-record="[^"]+"/);
  }, 60_000);

  it('the iPhone holder approves with the biometric: valid with the qualification; a failed match refused', async () => {
    const { status, text } = await page('/verifier/clinic/check', { phone: 'iphone', biometric: 'matched' });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(text).toContain('data-verdict="valid"');
    expect(text).toContain('data-qualification="confirmed"');
    expect(text).toContain('data-face-check="valid"');
    const failed = await page('/verifier/clinic/check', { phone: 'iphone', biometric: 'failed' });
    expect(failed.status).toBe(401);
    expect(failed.text).toContain('data-error="WALLET_BIOMETRIC_FAILED"');
  }, 60_000);

  it('refuses a wrong PIN, counted by the phone; a PIN of the wrong shape costs no try', async () => {
    const malformed = await page('/verifier/clinic/check', { phone: 'android', pin: '12a4' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('data-error="pin-format"');
    const wrong = await page('/verifier/clinic/check', { phone: 'android', pin: '0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('data-error="WALLET_SECRET_WRONG"');
    expect(wrong.text).toContain('data-remaining-tries="2"');
    // The right PIN gives the tries back (story 5 locks it on the phone's page after three).
    const right = await page('/verifier/clinic/check', { phone: 'android', pin: ANDROID_PIN });
    expect(right.text).toContain('data-verdict="valid"');
  }, 60_000);
});

describe('story 3 after a move: the signature certificate is revoked', () => {
  it('the offline phone still signs, and the bank’s answer is invalid with status.revocation failed', async () => {
    expect((await form('/wallet/phones/android/offline', { offline: '1' })).status).toBeLessThan(400);
    const token = (await readFile(join(dataDir, 'issuer', 'admin-token'), 'utf8')).trim();
    const moved = await fetch(`${sandbox.url}/issuer/life-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        residentId: ANDROID_HOLDER,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町五丁目' },
      }),
    });
    expect(moved.status).toBe(201);
    const { status, text } = await page('/verifier/bank/jpki/sign', {
      phone: 'android',
      password: ANDROID_PASSWORD,
      ...DECLARED_FIELDS,
    });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(text).toContain('data-verdict="invalid"');
    expect(checkStatus(text, 'status.revocation')).toBe('failed');
    expect(text).toContain('data-error-code="VERIFIER_REVOKED"');
    expect(text).not.toContain('data-basic-four');
    // The user-authentication certificate survives a change of the basic four (DOMAIN.md §3).
    const desk = await page('/verifier/clinic/check', { phone: 'android', pin: ANDROID_PIN });
    expect(desk.text).toContain('data-verdict="valid"');
    // The record read for the face check is revoked, and the verifier reading it over proximity says so.
    expect(desk.text).toContain('data-face-check="invalid"');
    expect(desk.text).toContain('VERIFIER_REVOKED');
  }, 60_000);
});

describe('locks, counted by the phones', () => {
  it('three wrong auth PINs at the clinic lock the Android phone’s user-authentication key', async () => {
    const tries = [];
    for (const pin of ['0001', '0002', '0003'])
      tries.push(await page('/verifier/clinic/check', { phone: 'android', pin }));
    expect(tries.map((t) => /data-error="([A-Z_]+)"/.exec(t.text)?.[1])).toEqual([
      'WALLET_SECRET_WRONG',
      'WALLET_SECRET_WRONG',
      expect.stringMatching(/^WALLET_SECRET_(WRONG|LOCKED)$/),
    ]);
    // Now even the right PIN is refused: the key stays locked until it is installed again.
    const locked = await page('/verifier/clinic/check', { phone: 'android', pin: ANDROID_PIN });
    expect(locked.status).toBe(423);
    expect(locked.text).toContain('data-error="WALLET_SECRET_LOCKED"');
  }, 60_000);

  it('five wrong signature passwords at the bank lock the iPhone’s signature key', async () => {
    for (const password of ['WRONG1', 'WRONG2', 'WRONG3', 'WRONG4', 'WRONG5'])
      expect(
        (await page('/verifier/bank/jpki/sign', { phone: 'iphone', password, ...DECLARED_FIELDS })).status,
      ).not.toBe(200);
    const locked = await page('/verifier/bank/jpki/sign', {
      phone: 'iphone',
      password: IPHONE_PASSWORD,
      ...DECLARED_FIELDS,
    });
    expect(locked.status).toBe(423);
    expect(locked.text).toContain('data-error="WALLET_SECRET_LOCKED"');
  }, 60_000);
});
