/**
 * The customer's declaration at 取引時確認 (sessions/customer-declaration.ts): under 犯収法 a session that can
 * be a 取引時確認 is refused without the purpose of the transaction or the occupation (stable codes, nothing
 * echoed), under 携帯法 they are optional; the verification record keeps them, the exports show them, the
 * session forgets them once the record is written, and a detail written like a My Number is refused — at
 * opening and by the record's content guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsTwelveDigits, refuseForbiddenContent } from '../src/records/content-guard.js';
import { getRecord } from '../src/records/record-chains.js';
import { OCCUPATIONS, TRANSACTION_PURPOSES } from '../src/sessions/customer-declaration.js';
import type { VerifierStore } from '../src/store/index.js';
import {
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from './helpers/issuer-and-phone.js';
import {
  ADMIN,
  createRelyingParty,
  DECLARED,
  openSession,
  phoneAnswers,
  postSession,
  RP_ORIGIN,
  submit,
  type VerificationAnswer,
  type VerifierApp,
  verifierApp,
  verifierStore,
} from './helpers/verifier-fixture.js';

/** 2026-12-02T03:00:00Z = 12:00 in Japan. */
const START = new Date('2026-12-02T03:00:00Z');

/** A My Number written with a valid check digit (the sandbox's test form), and one digit off. */
const MY_NUMBER_LIKE = '123456789018';

describe('the customer’s declaration: purpose of the transaction and occupation', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let app: VerifierApp;
  let bank: { id: string; apiKey: string };
  let carrier: { id: string; apiKey: string };

  const problemOf = async (res: Response) => (await res.json()) as { code: string; detail?: string };
  const post = (apiKey: string, path: string, body: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    app = verifierApp(store, clock, env.fetchFromIssuer);
    bank = await createRelyingParty(app, env);
    carrier = await createRelyingParty(app, env, { name: 'Sample Carrier', law: 'keitai' });
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('under 犯収法 refuses a 取引時確認 without the purpose of the transaction or the occupation', async () => {
    const base = { purpose: 'account-opening', origin: RP_ORIGIN };
    const noOccupation = await postSession(app, bank.apiKey, {
      ...base,
      transactionPurpose: DECLARED.transactionPurpose,
    });
    expect(noOccupation.status).toBe(400);
    expect(noOccupation.headers.get('content-type')).toContain('application/problem+json');
    expect((await problemOf(noOccupation)).code).toBe('VERIFIER_OCCUPATION_REQUIRED');
    const noPurpose = await postSession(app, bank.apiKey, { ...base, occupation: DECLARED.occupation });
    expect(noPurpose.status).toBe(400);
    expect((await problemOf(noPurpose)).code).toBe('VERIFIER_TRANSACTION_PURPOSE_REQUIRED');
    // The same over the other channels that are a 取引時確認: cross-device and a JPKI signature.
    const crossDevice = await post(bank.apiKey, '/sessions/cross-device', {
      ...base,
      transactionPurpose: DECLARED.transactionPurpose,
    });
    expect((await problemOf(crossDevice)).code).toBe('VERIFIER_OCCUPATION_REQUIRED');
    const signature = await post(bank.apiKey, '/sessions/jpki-signature', {
      purpose: 'account-opening',
      text: '口座開設申込書',
      transactionPurpose: DECLARED.transactionPurpose,
    });
    expect(signature.status).toBe(400);
    expect((await problemOf(signature)).code).toBe('VERIFIER_OCCUPATION_REQUIRED');
    // A JPKI user authentication names no person: no 取引時確認, nothing to declare.
    const logIn = await post(bank.apiKey, '/sessions/jpki-authentication', { purpose: 'log-in' });
    expect(logIn.status).toBe(201);
    // Neither is a session that does not ask what the record method needs (an age check).
    const ageCheck = await postSession(app, bank.apiKey, {
      ...base,
      purpose: 'age-check',
      elements: { 'org.iso.23220.1': ['age_over_20'] },
    });
    expect(ageCheck.status).toBe(201);
  });

  it('refuses a code outside the list and `other` without a detail, naming paths only', async () => {
    const other = await postSession(app, bank.apiKey, {
      purpose: 'account-opening',
      origin: RP_ORIGIN,
      ...DECLARED,
      occupation: { code: 'other' },
    });
    expect(other.status).toBe(400);
    const p = await problemOf(other);
    expect(p.code).toBe('VERIFIER_INVALID_BODY');
    expect(p.detail).toContain('occupation.detail');
    const unknown = await postSession(app, bank.apiKey, {
      purpose: 'account-opening',
      origin: RP_ORIGIN,
      ...DECLARED,
      occupation: { code: 'spy-for-hire' },
    });
    const u = await problemOf(unknown);
    expect(u.code).toBe('VERIFIER_INVALID_BODY');
    expect(JSON.stringify(u)).not.toContain('spy-for-hire');
  });

  it('refuses twelve digits in a row in a detail — a My Number — at opening, without echoing it', async () => {
    for (const detail of [
      `通訳 ${MY_NUMBER_LIKE}`,
      '1234 5678 9012',
      '番号１２３４－５６７８－９０１２です',
      'x123456789012345',
    ]) {
      const res = await postSession(app, bank.apiKey, {
        purpose: 'account-opening',
        origin: RP_ORIGIN,
        ...DECLARED,
        occupation: { code: 'other', detail },
      });
      expect(res.status, detail).toBe(422);
      const text = await res.text();
      expect(JSON.parse(text).code).toBe('VERIFIER_RECORD_FORBIDDEN_CONTENT');
      expect(text).not.toContain('5678');
      expect(text).not.toContain('５６７８');
    }
    const purpose = await postSession(app, bank.apiKey, {
      purpose: 'account-opening',
      origin: RP_ORIGIN,
      ...DECLARED,
      transactionPurpose: { code: 'other', detail: `送金 ${MY_NUMBER_LIKE}` },
    });
    expect((await problemOf(purpose)).code).toBe('VERIFIER_RECORD_FORBIDDEN_CONTENT');
    // A telephone number (11 digits) and a date are no My Number.
    const fine = await postSession(app, bank.apiKey, {
      purpose: 'account-opening',
      origin: RP_ORIGIN,
      ...DECLARED,
      occupation: { code: 'other', detail: '通訳（090-1234-5678）、2026年12月2日から' },
    });
    expect(fine.status).toBe(201);
  });

  it('the content guard refuses a My Number inside free text of a record, wherever the record comes from', () => {
    expect(holdsTwelveDigits(`職業 ${MY_NUMBER_LIKE}`)).toBe(true);
    expect(holdsTwelveDigits('1234-5678-9012')).toBe(true);
    expect(holdsTwelveDigits('１２３４５６７８９０１２')).toBe(true);
    expect(holdsTwelveDigits('12345678901')).toBe(false);
    expect(holdsTwelveDigits('1234--5678-9012')).toBe(false);
    const refused = (content: Record<string, unknown>) => {
      try {
        refuseForbiddenContent(content as never);
        return undefined;
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(refused({ occupation: { code: 'other', detail: `通訳 ${MY_NUMBER_LIKE}` } })).toBe(
      'VERIFIER_RECORD_FORBIDDEN_CONTENT',
    );
    expect(refused({ transactionPurpose: { code: 'other', detail: '1234 5678 9012' } })).toBe(
      'VERIFIER_RECORD_FORBIDDEN_CONTENT',
    );
    expect(refused({ occupation: { code: 'other', detail: '通訳' } })).toBeUndefined();
    // Elsewhere a digest may hold digits by chance: only the free-text members are read so.
    expect(refused({ msoDigest: '123456789012345678901234567890ab' })).toBeUndefined();
  });

  it('records the declaration, shows it in the exports and forgets it in the session', async () => {
    const session = await openSession(app, bank.apiKey, {
      occupation: { code: 'self-employed', detail: '飲食店経営' },
    });
    expect((await store.sessions.get(session.sessionId))?.declaration).toEqual({
      transactionPurpose: { code: 'living-expenses' },
      occupation: { code: 'self-employed', detail: '飲食店経営' },
    });
    const res = await submit(app, bank.apiKey, session.sessionId, await phoneAnswers(env, session));
    const answer = (await res.json()) as VerificationAnswer;
    expect(answer.verdict).toBe('valid');
    const content = (await getRecord(store, answer.recordId))?.content as Record<string, unknown>;
    expect(content).toMatchObject({
      transactionType: 'account-opening',
      transactionPurpose: { code: 'living-expenses', name_ja: '生計費決済' },
      occupation: { code: 'self-employed', name_ja: '自営業・個人事業主', detail: '飲食店経営' },
    });
    expect((await store.sessions.get(session.sessionId))?.declaration).toBeNull();

    const keyRes = await app.request(`/relying-parties/${bank.id}/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'auditor' }),
    });
    const auditor = ((await keyRes.json()) as { apiKey: string }).apiKey;
    const headers = { authorization: `Bearer ${auditor}` };
    const json = (await (
      await app.request('/records/export?from=2026-12-02&to=2026-12-02', { headers })
    ).json()) as { records: { id: string; content: Record<string, unknown> }[] };
    expect(json.records.find((r) => r.id === answer.recordId)?.content.occupation).toEqual({
      code: 'self-employed',
      name_ja: '自営業・個人事業主',
      detail: '飲食店経営',
    });
    const csv = await (
      await app.request('/records/export?from=2026-12-02&to=2026-12-02&format=csv', { headers })
    ).text();
    const [header, ...rows] = csv.trimEnd().split('\r\n');
    expect(
      header?.endsWith(',transaction_purpose,transaction_purpose_detail,occupation,occupation_detail'),
    ).toBe(true);
    const row = rows.find((r) => r.startsWith(`${answer.recordId},`));
    expect(row?.endsWith(',living-expenses,,self-employed,飲食店経営')).toBe(true);
  }, 60_000);

  it('under 携帯法 the declaration is optional, and recorded when given', async () => {
    const without = await openSession(app, carrier.apiKey, {
      purpose: 'mobile-contract',
      transactionPurpose: undefined,
      occupation: undefined,
    });
    expect((await store.sessions.get(without.sessionId))?.declaration).toBeNull();
    const res = await submit(app, carrier.apiKey, without.sessionId, await phoneAnswers(env, without));
    const answer = (await res.json()) as VerificationAnswer;
    const content = (await getRecord(store, answer.recordId))?.content as Record<string, unknown>;
    expect(content).toMatchObject({ law: 'keitai', transactionPurpose: null, occupation: null });

    const given = await openSession(app, carrier.apiKey, {
      purpose: 'mobile-contract',
      transactionPurpose: undefined,
      occupation: { code: 'student' },
    });
    expect((await store.sessions.get(given.sessionId))?.declaration).toEqual({
      transactionPurpose: null,
      occupation: { code: 'student' },
    });
  }, 60_000);

  it('names every category in Japanese and English, with stable codes', () => {
    for (const list of [OCCUPATIONS, TRANSACTION_PURPOSES]) {
      expect(list.has('other')).toBe(true);
      for (const [code, names] of list) {
        expect(code).toMatch(/^[a-z][a-z-]{1,40}$/);
        expect(names.name_ja.length).toBeGreaterThan(0);
        expect(names.name_en.length).toBeGreaterThan(0);
      }
    }
    expect([...OCCUPATIONS.keys()]).toEqual(
      expect.arrayContaining([
        'company-employee',
        'public-servant',
        'self-employed',
        'student',
        'unemployed',
      ]),
    );
  });
});
