/**
 * Stories 3 and 6 through the sandbox's pages, over HTTP against a started sandbox:
 *
 * - story 3: the bank's account opening with a JPKI signature, through its JSON route
 *   `/verifier/bank/api/jpki/sign` (the built page's call) — the application waits on the phone's consent
 *   screen until the holder types the signature password there (helpers/phone-consent.ts) and the phone
 *   signs, the verifier verifies (chain, profile, OCSP at the sandbox issuer), the answer has the basic four
 *   from the certificate, the serial, the method or why none, the record; a wrong password typed on the
 *   phone is counted there (the tries left said to the holder, the bank still waiting), and five lock the
 *   key (the bank's call ends 423 WALLET_SECRET_LOCKED); after the holder moves, the offline phone's
 *   signature certificate is revoked and the bank's answer is invalid with `status.revocation` failed;
 * - story 6: the clinic's desk, through its JSON route `/verifier/clinic/api/check` (the built page's
 *   calls) — the Android holder types the auth PIN on the reader, the iPhone holder confirms with Face ID
 *   on the phone's consent screen, which names the clinic and offers no PIN pad (the desk takes no unlock
 *   for it: CLINIC_UNLOCK_ON_PHONE, nothing reaching the phone; a decline there ends the check with nothing
 *   asked of the insurer or the record); the verifier verifies the user authentication, the issuer's insurer registry confirms the qualification,
 *   the record gives the photo, name and birth date for the face check — its request waits on the phone's
 *   consent screen until the holder approves there (helpers/phone-consent.ts), and a decline leaves the face
 *   check not shown with WALLET_DECLINED; a wrong PIN is refused and counted, with stable CLINIC_* codes that
 *   echo nothing submitted.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../src/index.js';
import { SANDBOX_CLINIC_NAME } from '../src/sandbox-clinic.js';
import { DECLARED_JSON } from './helpers/bank-form.js';
import {
  answerOnPhone,
  type HolderAnswer,
  type RecordAnswer,
  type SandboxFetch,
  sandboxFetch,
  waitForIncoming,
  withHolderAnswer,
  withHolderAnswers,
} from './helpers/phone-consent.js';
import { installTwoPhones, type PageClient, startPageClient, TWO_PHONES } from './helpers/two-phones.js';

const ANDROID_HOLDER = TWO_PHONES.androidHolder;
const IPHONE_PASSWORD = TWO_PHONES.iphonePassword;
const ANDROID_PASSWORD = TWO_PHONES.androidPassword;
const ANDROID_PIN = TWO_PHONES.androidPin;

let client: PageClient;
let sandbox: RunningSandbox;
let dataDir: string;
let at: SandboxFetch;
const get = (path: string, cookie?: string) => client.get(path, cookie);
const form = (path: string, fields: Record<string, string>, cookie?: string) =>
  client.form(path, fields, cookie);

// biome-ignore lint/suspicious/noExplicitAny: the desk's answers are read loosely and asserted field by field
type Json = any;

/** The clinic desk's check as its page sends it (JSON): the status, the raw text and the parsed answer. */
async function desk(fields: Record<string, string>): Promise<{ status: number; text: string; body: Json }> {
  const res = await fetch(`${sandbox.url}/verifier/clinic/api/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

/**
 * The desk's check that reaches the face check, while the holder answers its request on the phone's screen
 * (approves with a matched biometric unless `answer` says otherwise); the desk's answer and the phone's.
 */
async function deskWithHolder(fields: { phone: string } & Record<string, string>, answer?: RecordAnswer) {
  const { result, phone } = await withHolderAnswer(at, fields.phone, () => desk(fields), answer);
  return { ...result, phone };
}

/**
 * The desk's check of the iPhone: the holder confirms with Face ID on the phone's screen, then answers the
 * face check's request (approves with a matched biometric unless `faceCheck` says otherwise); the desk's
 * answer and the phone's two answers.
 */
async function deskWithIphoneHolder(faceCheck: RecordAnswer = { approve: true }) {
  const answers: HolderAnswer[] = [{ biometric: 'matched', authentication: true }, faceCheck];
  const { result, phones } = await withHolderAnswers(at, 'iphone', () => desk({ phone: 'iphone' }), answers);
  return { ...result, phones };
}

/** The bank's JPKI signature as its page sends it (JSON): the status, the raw text and the parsed answer. */
async function bank(fields: Record<string, unknown>): Promise<{ status: number; text: string; body: Json }> {
  const res = await fetch(`${sandbox.url}/verifier/bank/api/jpki/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

/**
 * The bank's JPKI signature while the holder types `password` on the phone's screen; the bank's answer and
 * the phone's (with the request's view).
 */
async function bankSigned(fields: { phone: string } & Record<string, unknown>, password: string) {
  const { result, phone } = await withHolderAnswer(at, fields.phone, () => bank(fields), { password });
  return { ...result, phone };
}

/** The status of check `id` in the desk's answer. */
const deskCheck = (body: Json, id: string): string | undefined =>
  (body.checks as { id: string; status: string }[]).find((k) => k.id === id)?.status;

beforeAll(async () => {
  client = await startPageClient('mynakit-sandbox-jpki-');
  ({ sandbox, dataDir } = client);
  at = sandboxFetch(sandbox.url);
  await installTwoPhones(client);
}, 180_000);
afterAll(async () => {
  await client?.close();
});

describe('story 3: the bank’s account opening with a JPKI signature', () => {
  it('shows the application; the verifier’s page and the landing page link it and the clinic', async () => {
    expect((await get('/verifier/bank/jpki/')).status).toBe(200);
    const start = await (await get('/verifier/bank/api/start')).json();
    expect(start.application).toContain('普通預金口座開設申込書');
    const list = await (await get('/verifier/')).text();
    expect(list).toContain('href="/verifier/bank/jpki/"');
    expect(list).toContain('href="/verifier/clinic/"');
    expect(list).toContain('href="/verifier/auditor/"');
    const landing = await (await get('/')).text();
    expect(landing).toContain('href="/verifier/bank/jpki/"');
    expect(landing).toContain('href="/verifier/clinic/"');
  });

  it('verifies the iPhone’s signature: valid, the basic four from the certificate, the serial, a record', async () => {
    const { status, text, body, phone } = await bankSigned(
      { phone: 'iphone', ...DECLARED_JSON },
      IPHONE_PASSWORD,
    );
    expect(phone).toMatchObject({ status: 200, body: { sent: true, signed: true } });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(text).not.toContain(IPHONE_PASSWORD);
    expect(body.verdict).toBe('valid');
    for (const field of ['name', 'address', 'birthDate', 'sex']) expect(body.identity[field]).toMatch(/\S/);
    expect(body.certificate.serialNumber).toMatch(/^[0-9a-fA-F:]+$/);
    expect(deskCheck(body, 'status.revocation')).toBe('passed');
    expect(deskCheck(body, 'cert.path')).toBe('passed');
    // The status came from the sandbox issuer's OCSP responder (the certificate's .invalid URL, answered
    // through the sandbox's own routes).
    expect(text).toMatch(/OCSP https:\/\/issuer\.sandbox-mynakit\.invalid\/jpki\/ocsp: good/);
    // The sandbox bank is no signature verifier, and says so instead of naming カ.
    expect(body.method).toBeNull();
    expect(body.methodReasons).toContain('KYC_NOT_A_SIGNATURE_VERIFIER');
    expect(body.recordId).toMatch(/\S/);
    // The purpose of the transaction and the occupation: shown, and in the application that was signed.
    expect(body.declared.transactionPurpose.code).toBe('living-expenses');
    expect(body.declared.occupation.code).toBe('company-employee');
    expect(body.application).toContain('職業 / occupation: 会社員 / Company employee');
    expect(body.resultUrl).toBe(`jpki/result/${body.sessionId}`);
  }, 60_000);

  it('asks the purpose of the transaction and the occupation; without them the verifier opens no session', async () => {
    const start = await (await get('/verifier/bank/api/start')).json();
    expect(start.lists.occupations.length).toBeGreaterThan(0);
    const { status, body } = await bank({ phone: 'iphone' });
    expect(status).toBe(400);
    expect(body.code).toBe('VERIFIER_TRANSACTION_PURPOSE_REQUIRED');
    // Nothing reached the phone.
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
  });

  it('a wrong signature password typed on the phone is counted there while the bank waits; a malformed one costs no try', async () => {
    let ended = false;
    const pending = bank({ phone: 'iphone', ...DECLARED_JSON }).finally(() => {
      ended = true;
    });
    const malformed = await answerOnPhone(at, 'iphone', { password: 'short' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('WALLET_SECRET_FORMAT');
    const wrong = await answerOnPhone(at, 'iphone', { password: 'WRONG2026' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'WALLET_SECRET_WRONG', remainingTries: 4 });
    expect(JSON.stringify(wrong.body)).not.toContain('WRONG2026');
    const again = await answerOnPhone(at, 'iphone', { password: 'WRONG2027' });
    expect(again.body.remainingTries).toBe(3);
    // The phone's screen stays up with the tries left; the bank hears nothing of the wrong tries.
    const shown = await waitForIncoming(at, 'iphone');
    expect(shown.channel === 'jpki-signature' ? shown.remainingTries : null).toBe(3);
    expect(ended).toBe(false);
    // The right password signs and gives the tries back.
    const right = await answerOnPhone(at, 'iphone', { password: IPHONE_PASSWORD });
    expect(right.body).toEqual({ sent: true, signed: true });
    const signed = await pending;
    expect(signed.status).toBe(200);
    expect(signed.body.verdict).toBe('valid');
    for (const typed of ['short', 'WRONG2026', 'WRONG2027', IPHONE_PASSWORD])
      expect(signed.text).not.toContain(typed);
  }, 60_000);

  it('refuses a body that carries the password with BANK_PASSWORD_ON_PHONE: the phone is never asked, nothing echoed', async () => {
    const before = sandbox.incoming.pendingFor('iphone').length;
    const carried = await bank({ phone: 'iphone', password: IPHONE_PASSWORD, ...DECLARED_JSON });
    expect(carried.status).toBe(400);
    expect(carried.body.code).toBe('BANK_PASSWORD_ON_PHONE');
    expect(carried.text).not.toContain(IPHONE_PASSWORD);
    expect(sandbox.incoming.pendingFor('iphone')).toHaveLength(before);
  });
});

describe('story 6: the clinic’s front desk', () => {
  it('the Android holder types the auth PIN: valid, insurance qualification and the face check shown', async () => {
    const phones = await (await get('/verifier/clinic/api/phones')).json();
    expect(phones.phones).toEqual(
      expect.arrayContaining([
        { id: 'android', family: 'android', unlock: 'pin', unlockOn: 'page', answeredBy: 'bridge' },
        { id: 'iphone', family: 'iphone', unlock: 'biometric', unlockOn: 'phone', answeredBy: 'bridge' },
      ]),
    );
    expect((await get('/verifier/clinic/')).status).toBe(200);
    const { status, text, body, phone } = await deskWithHolder({ phone: 'android', pin: ANDROID_PIN });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(text).not.toContain(ANDROID_PIN);
    // The face check's request, as the phone's screen showed it: a reader in person, the three elements.
    expect(phone.view.channel).toBe('iso-18013-5-proximity');
    expect(phone.view.origin).toBeNull();
    // The clinic's reader certificate (by the sandbox reader CA) names it on the phone.
    expect(phone.view.reader.authentication).toBe('verified');
    expect(phone.view.reader.subject).toContain('CN=clinic.sandbox-mynakit.invalid');
    expect(phone.view.documents[0]?.elements.map((e) => e.identifier).sort()).toEqual([
      'birth_date_unicode',
      'full_name_unicode',
      'portrait',
    ]);
    expect(body.verdict).toBe('valid');
    expect(body.phone).toMatchObject({ id: 'android', how: 'pin', answeredBy: 'bridge' });
    expect(deskCheck(body, 'status.revocation')).toBe('passed');
    expect(body.qualification.state).toBe('confirmed');
    expect(body.qualification.insurerNumber).toMatch(/^99\d{6}$/);
    expect(body.faceCheck.verdict).toBe('valid');
    // The photo came over an ISO/IEC 18013-5 proximity session, not the DC API.
    expect(body.faceCheck.channel).toBe('proximity');
    expect(body.faceCheck.facts.portrait).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(body.faceCheck.facts.name).toMatch(/\S/);
    // Only what the face check needs: no address, no sex, no My Number.
    expect(Object.keys(body.faceCheck.facts).sort()).toEqual(['birthDate', 'name', 'portrait']);
    expect(text).not.toContain('individual_number');
    expect(body.recordId).toMatch(/\S/);
    // The verifier service was the reader, and wrote a record of the read.
    expect(body.faceCheck.recordId).toMatch(/\S/);
  }, 60_000);

  it('the iPhone holder confirms with Face ID on the phone: valid with the qualification; a failed match retried there', async () => {
    const pending = desk({ phone: 'iphone' });
    // The phone's screen names the clinic, offers the biometric only, and no page origin (a reader at a desk).
    const failed = await answerOnPhone(at, 'iphone', { biometric: 'failed', authentication: true });
    expect(failed.view).toMatchObject({
      channel: 'jpki-user-authentication',
      relyingParty: { name: SANDBOX_CLINIC_NAME, verified: false },
      unlock: 'biometric',
      origin: null,
    });
    expect(failed.status).toBe(401);
    expect(failed.body.code).toBe('WALLET_BIOMETRIC_FAILED');
    const matched = await answerOnPhone(at, 'iphone', { biometric: 'matched', authentication: true });
    expect(matched.body).toEqual({ sent: true, authenticated: true });
    const face = await answerOnPhone(at, 'iphone', { approve: true });
    expect(face.view.channel).toBe('iso-18013-5-proximity');
    const { status, text, body } = await pending;
    expect(status, text.slice(0, 600)).toBe(200);
    expect(body.verdict).toBe('valid');
    expect(body.phone).toMatchObject({ id: 'iphone', how: 'biometric', unlockOn: 'phone' });
    expect(body.qualification.state).toBe('confirmed');
    expect(body.faceCheck.verdict).toBe('valid');
    const again = await deskWithIphoneHolder();
    expect(again.status, again.text.slice(0, 600)).toBe(200);
    expect(again.phones.map((p) => p.view.channel)).toEqual([
      'jpki-user-authentication',
      'iso-18013-5-proximity',
    ]);
  }, 60_000);

  it('the iPhone’s unlock is never sent to the desk: a body with Face ID or a PIN is refused, nothing reaches the phone', async () => {
    const historyOf = async (): Promise<Json[]> =>
      ((await (await get('/wallet/phones/iphone/history')).json()) as Json).presentations;
    const before = await historyOf();
    for (const fields of [
      { phone: 'iphone', biometric: 'matched' },
      { phone: 'iphone', biometric: 'failed' },
      { phone: 'iphone', pin: '8642' },
    ]) {
      const refused = await desk(fields);
      expect(refused.status, JSON.stringify(fields)).toBe(400);
      expect(refused.body.code).toBe('CLINIC_UNLOCK_ON_PHONE');
      expect(refused.text).not.toContain('matched');
      expect(refused.text).not.toContain('8642');
    }
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    expect(await historyOf()).toHaveLength(before.length);
  });

  it('the iPhone’s screen at the clinic takes no PIN: one sent to it ends the check, nothing counted', async () => {
    const pending = desk({ phone: 'iphone' });
    const pin = await answerOnPhone(at, 'iphone', { pin: '1357' });
    expect(pin.view.unlock).toBe('biometric');
    expect(pin.body.code).toBe('WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED');
    const { status, text, body } = await pending;
    expect(status).toBe(409);
    expect(text).not.toContain('1357');
    expect(body).toMatchObject({
      code: 'CLINIC_PHONE_REFUSED',
      walletCode: 'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
    });
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    // No try was used: the next check shows all three.
    const next = await deskWithIphoneHolder();
    expect(next.status).toBe(200);
    expect(next.phones[0]?.view).toMatchObject({ remainingTries: 3 });
  }, 60_000);

  it('the iPhone holder declines on the phone: nothing asked of the insurer or the record, nothing recorded', async () => {
    const historyOf = async (): Promise<Json[]> =>
      ((await (await get('/wallet/phones/iphone/history')).json()) as Json).presentations;
    const before = await historyOf();
    const { result, phone } = await withHolderAnswer(at, 'iphone', () => desk({ phone: 'iphone' }), {
      decline: true,
      authentication: true,
    });
    expect(phone.body).toEqual({ declined: true });
    expect(phone.view.relyingParty.name).toBe(SANDBOX_CLINIC_NAME);
    expect(result.status).toBe(409);
    expect(result.body).toMatchObject({
      code: 'CLINIC_DECLINED',
      walletCode: 'WALLET_DECLINED',
      phone: { id: 'iphone', answeredBy: 'bridge' },
    });
    expect(result.body).not.toHaveProperty('qualification');
    expect(result.body).not.toHaveProperty('faceCheck');
    // No face check's request followed, and the phone recorded nothing.
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    expect(await historyOf()).toHaveLength(before.length);
  }, 60_000);

  it('the holder declines the face check on the phone: authenticated and qualified, the photo not shown', async () => {
    const { status, text, body, phone } = await deskWithHolder(
      { phone: 'android', pin: ANDROID_PIN },
      { decline: true },
    );
    expect(phone.body).toEqual({ declined: true });
    expect(status, text.slice(0, 600)).toBe(200);
    expect(body.verdict).toBe('valid');
    expect(body.qualification.state).toBe('confirmed');
    expect(body.faceCheck).toEqual({ state: 'not-shown', reason: 'WALLET_DECLINED' });
    expect(text).not.toContain('portrait');
  }, 60_000);

  it('refuses a wrong PIN, counted by the phone; a PIN of the wrong shape costs no try', async () => {
    const malformed = await desk({ phone: 'android', pin: '12a4' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('CLINIC_PIN_FORMAT');
    expect(malformed.text).not.toContain('12a4');
    const wrong = await desk({ phone: 'android', pin: '0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({
      code: 'CLINIC_PIN_WRONG',
      walletCode: 'WALLET_SECRET_WRONG',
      remainingTries: 2,
      phone: { id: 'android', answeredBy: 'bridge' },
    });
    // The right PIN gives the tries back (story 5 locks it on the phone's page after three).
    const right = await deskWithHolder({ phone: 'android', pin: ANDROID_PIN });
    expect(right.body.verdict).toBe('valid');
  }, 60_000);

  it('answers bad requests with stable CLINIC_* problems that echo nothing submitted', async () => {
    const post = (body: string, contentType = 'application/json') =>
      fetch(`${sandbox.url}/verifier/clinic/api/check`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
    const asForm = await post('phone=android&pin=2468', 'application/x-www-form-urlencoded');
    expect(asForm.status).toBe(415);
    expect(asForm.headers.get('content-type')).toBe('application/problem+json');
    expect((await asForm.json()).code).toBe('CLINIC_JSON_REQUIRED');
    for (const body of ['not json', '[1,2]', 'null', JSON.stringify({ phone: 'x'.repeat(2000) })]) {
      const bad = await post(body);
      expect(bad.status, body.slice(0, 20)).toBe(400);
      expect((await bad.json()).code).toBe('CLINIC_INVALID_REQUEST');
    }
    const noPhone = await post(JSON.stringify({ phone: '<b>x</b>', pin: '9753' }));
    expect(noPhone.status).toBe(400);
    const noPhoneText = await noPhone.text();
    expect(JSON.parse(noPhoneText).code).toBe('CLINIC_NO_PHONE');
    expect(noPhoneText).not.toContain('<b>');
    expect(noPhoneText).not.toContain('9753');
    const pinNotText = await post(JSON.stringify({ phone: 'android', pin: 2468 }));
    expect(pinNotText.status).toBe(400);
    expect((await pinNotText.json()).code).toBe('CLINIC_PIN_FORMAT');
    const unknown = await get('/verifier/clinic/api/nothing');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe('CLINIC_NOT_FOUND');
    const phones = await get('/verifier/clinic/api/phones');
    expect(phones.headers.get('cache-control')).toBe('no-store');
    // The form route of the server-rendered desk is gone: nothing answers a form post any more.
    expect((await form('/verifier/clinic/check', { phone: 'android', pin: ANDROID_PIN })).status).toBe(404);
  });
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
    const { status, text, body } = await bankSigned({ phone: 'android', ...DECLARED_JSON }, ANDROID_PASSWORD);
    expect(status, text.slice(0, 600)).toBe(200);
    expect(body.verdict).toBe('invalid');
    expect(deskCheck(body, 'status.revocation')).toBe('failed');
    expect(body.errorCode).toBe('VERIFIER_REVOKED');
    expect(body.identity).toBeNull();
    // The user-authentication certificate survives a change of the basic four (DOMAIN.md §3).
    const atDesk = await deskWithHolder({ phone: 'android', pin: ANDROID_PIN });
    expect(atDesk.body.verdict).toBe('valid');
    // The record read for the face check is revoked, and the verifier reading it over proximity says so.
    expect(atDesk.body.faceCheck.verdict).toBe('invalid');
    expect(atDesk.body.faceCheck.errorCode).toBe('VERIFIER_REVOKED');
    expect(atDesk.body.faceCheck.facts).toBeNull();
  }, 60_000);
});

describe('locks, counted by the phones', () => {
  it('three wrong auth PINs at the clinic lock the Android phone’s user-authentication key', async () => {
    const tries = [];
    for (const pin of ['0001', '0002', '0003']) tries.push(await desk({ phone: 'android', pin }));
    expect(tries.map((t) => t.body.walletCode)).toEqual([
      'WALLET_SECRET_WRONG',
      'WALLET_SECRET_WRONG',
      expect.stringMatching(/^WALLET_SECRET_(WRONG|LOCKED)$/),
    ]);
    // Now even the right PIN is refused: the key stays locked until it is installed again.
    const locked = await desk({ phone: 'android', pin: ANDROID_PIN });
    expect(locked.status).toBe(423);
    expect(locked.body).toMatchObject({ code: 'CLINIC_PIN_LOCKED', walletCode: 'WALLET_SECRET_LOCKED' });
  }, 60_000);

  it('five wrong signature passwords on the phone lock the iPhone’s signature key and end the bank’s call', async () => {
    const pending = bank({ phone: 'iphone', ...DECLARED_JSON });
    const tries = [];
    for (const password of ['WRONG1', 'WRONG2', 'WRONG3', 'WRONG4'])
      tries.push(await answerOnPhone(at, 'iphone', { password }));
    expect(tries.map((t) => [t.status, t.body.code, t.body.remainingTries])).toEqual([
      [401, 'WALLET_SECRET_WRONG', 4],
      [401, 'WALLET_SECRET_WRONG', 3],
      [401, 'WALLET_SECRET_WRONG', 2],
      [401, 'WALLET_SECRET_WRONG', 1],
    ]);
    const fifth = await answerOnPhone(at, 'iphone', { password: 'WRONG5' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('WALLET_SECRET_LOCKED');
    const locked = await pending;
    expect(locked.status).toBe(423);
    expect(locked.body).toMatchObject({ code: 'WALLET_SECRET_LOCKED', phone: { id: 'iphone' } });
    expect(locked.text).not.toContain('WRONG');
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    // Now the bank is refused at once: the key stays locked until it is installed again, and no screen is
    // raised for it.
    const again = await bank({ phone: 'iphone', ...DECLARED_JSON });
    expect(again.status).toBe(423);
    expect(again.body.code).toBe('WALLET_SECRET_LOCKED');
    expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
  }, 60_000);
});

describe('story 6 after the iPhone holder moves abroad', () => {
  it('the offline phone’s revoked user-authentication certificate is refused; neither insurer nor record asked', async () => {
    expect((await form('/wallet/phones/iphone/offline', { offline: '1' })).status).toBeLessThan(400);
    const token = (await readFile(join(dataDir, 'issuer', 'admin-token'), 'utf8')).trim();
    const moved = await fetch(`${sandbox.url}/issuer/life-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ residentId: TWO_PHONES.iphoneHolder, event: 'movedAbroad' }),
    });
    expect(moved.status).toBe(201);
    // The offline phone heard nothing of the revocation: it still answers once its holder uses Face ID.
    const { result: refused } = await withHolderAnswer(at, 'iphone', () => desk({ phone: 'iphone' }), {
      biometric: 'matched',
      authentication: true,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CLINIC_NOT_AUTHENTICATED');
    expect(refused.body.verdict).toBe('invalid');
    expect(deskCheck(refused.body, 'status.revocation')).toBe('failed');
    expect(refused.body.qualification).toEqual({ state: 'not-asked' });
    expect(refused.body.faceCheck).toEqual({ state: 'not-asked' });
  }, 60_000);
});
