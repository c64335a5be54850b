/**
 * `POST /sessions/cross-checks` end to end: a real issuer listening on 127.0.0.1 installs residents' cards on
 * real phones (the wallet engine); a phone presents its card-substitute record in a DC API session
 * (presentAnnexC) and signs in a JPKI signature session (signWithJpki); the verifier verifies both, then
 * compares their basic four with @mynakit/jpki compareIdentity and records the cross-check in the hash
 * chains. The same person → valid; a record of one resident and a signature of another → invalid naming
 * the fields and none of their values; a session not valid, of another relying party, too old, or used
 * before → stable codes; a move: the old signature certificate is revoked, the new record's address differs
 * from the pre-move signature, and the new pair agrees.
 */
import { generateKeyPairSync } from 'node:crypto';
import { JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import { signWithJpki } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { es256Signer, signCheckpoints } from '../src/records/checkpoints.js';
import { getRecord } from '../src/records/record-chains.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import type { VerifierStore } from '../src/store/index.js';
import {
  type Answer,
  addRecordTo,
  type CrossCheckAnswer,
  type CrossCheckApp,
  crossCheck,
  crossCheckApp,
  crossCheckRelyingParty,
  installPhone,
  post,
  presentRecord,
  presentSignature,
} from './helpers/cross-check-fixture.js';
import { type TestClock, testClock } from './helpers/issuer-and-phone.js';
import {
  type JpkiIssuerAndPhone,
  jpkiIssuerAndPhone,
  SIGNATURE_PASSWORD,
} from './helpers/jpki-issuer-and-phone.js';
import { DECLARED, verifierStore } from './helpers/verifier-fixture.js';

/** 2026-12-02T03:00:00Z = 12:00 in Japan. */
const START = new Date('2026-12-02T03:00:00Z');

/** The KYC facts and sex, as a relying party asks for them when it cross-checks sex too. */
const WITH_SEX = {
  [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode', 'birth_date_unicode', 'sex_unicode'],
};

const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

describe('identity cross-checks of a card-substitute record and a JPKI signature', () => {
  let clock: TestClock;
  let env: JpkiIssuerAndPhone;
  let other: Awaited<ReturnType<typeof installPhone>>;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let app: CrossCheckApp;
  let apiKey: string;

  const contentOf = async (id: string) => (await getRecord(store, id))?.content as Record<string, unknown>;

  beforeAll(async () => {
    clock = testClock(START);
    env = await jpkiIssuerAndPhone(clock, 'sandbox-ordinary-female');
    await addRecordTo(env);
    other = await installPhone(env, clock, 'sandbox-ordinary-male', 'cross-check-other-iphone');
    ({ store, remove: removeStore } = await verifierStore());
    app = crossCheckApp(store, clock, env);
    apiKey = await crossCheckRelyingParty(app, env);
  }, 240_000);
  afterAll(async () => {
    await removeStore?.();
    await other?.close();
    await env?.close();
  });

  it('finds the same person in the record and the signature certificate (sex too, when the record disclosed it), records it once', async () => {
    const record = await presentRecord(app, apiKey, env.phone, WITH_SEX);
    const signature = await presentSignature(app, apiKey, env.phone);
    expect(record.answer.verdict).toBe('valid');
    expect(signature.answer.verdict).toBe('valid');
    const jp = record.answer.elements?.[JP_MNC_NAMESPACE] ?? {};
    // The two renderings differ in form: the normalizer decides (era birth date, full-width digits …).
    expect(jp.birth_date_unicode).toBe('1986年4月1日');
    // The record keeps the disclosed sex, so a cross-check can compare it.
    expect(await contentOf(record.answer.recordId)).toMatchObject({ sex: jp.sex_unicode });

    const res = await crossCheck(app, apiKey, record.sessionId, signature.sessionId);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const answer = (await res.json()) as CrossCheckAnswer;
    expect(answer.verdict).toBe('valid');
    expect(answer.checks).toEqual([
      { id: 'identity.cross_check', status: 'passed', detail: expect.stringContaining('agree') },
    ]);
    expect(answer.fields).toEqual({
      matched: ['name', 'address', 'birthDate', 'sex'],
      mismatched: [],
      undetermined: [],
      notCompared: [],
    });

    const content = await contentOf(answer.recordId);
    expect(content).toMatchObject({
      outcome: 'consistent',
      verdict: 'valid',
      channel: 'identity-cross-check',
      recordSessionId: record.sessionId,
      signatureSessionId: signature.sessionId,
      cardSubstituteRecordId: record.answer.recordId,
      jpkiSignatureRecordId: signature.answer.recordId,
      fields: answer.fields,
      checks: [{ id: 'identity.cross_check', status: 'passed' }],
      failedChecks: [],
      transactionType: 'account-opening',
      // What the customer declared, as the card-substitute record's own record keeps it.
      transactionPurpose: { code: 'living-expenses', name_ja: '生計費決済' },
      occupation: { code: 'company-employee', name_ja: '会社員' },
    });
    // No personal data beyond what the two records hold: field names only.
    const text = JSON.stringify(content) + JSON.stringify(answer);
    for (const value of [
      jp.full_name_unicode,
      jp.resident_address_unicode,
      jp.birth_date_unicode,
      signature.answer.identity?.name,
      signature.answer.identity?.address,
    ])
      expect(text).not.toContain(String(value));
    expect(content).not.toHaveProperty('name');
    // The chains still verify, with a checkpoint signed over them.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await signCheckpoints(store, es256Signer(privateKey), clock.now.getTime());
    expect((await verifyRecordChains(store, { checkpointPublicKey: publicKey })).verdict).toBe('valid');

    // Single use: the same pair again, or either session with another.
    const again = await crossCheck(app, apiKey, record.sessionId, signature.sessionId);
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('VERIFIER_CROSS_CHECK_USED');
    const fresh = await presentSignature(app, apiKey, env.phone);
    const reuse = await crossCheck(app, apiKey, record.sessionId, fresh.sessionId);
    expect(reuse.status).toBe(409);
    expect(await codeOf(reuse)).toBe('VERIFIER_CROSS_CHECK_USED');
  }, 120_000);

  it('agrees for a resident whose name and address hold characters the certificate only substitutes (its maps count)', async () => {
    const substituted = await installPhone(
      env,
      clock,
      'sandbox-substituted-characters',
      'cross-check-substituted-iphone',
    );
    try {
      const record = await presentRecord(app, apiKey, substituted.phone, WITH_SEX);
      const signature = await presentSignature(app, apiKey, substituted.phone);
      expect(record.answer.verdict).toBe('valid');
      expect(signature.answer.verdict).toBe('valid');
      // The two renderings are not the same text: the certificate holds stand-ins, marked in its maps.
      const jp = record.answer.elements?.[JP_MNC_NAMESPACE] ?? {};
      expect(jp.full_name_unicode).not.toBe(signature.answer.identity?.name);
      const answer = (await (
        await crossCheck(app, apiKey, record.sessionId, signature.sessionId)
      ).json()) as CrossCheckAnswer;
      expect(answer.verdict).toBe('valid');
      expect(answer.fields.matched).toEqual(['name', 'address', 'birthDate', 'sex']);
    } finally {
      await substituted.close();
    }
  }, 120_000);

  it('of two cross-checks of one pair at once, exactly one is recorded', async () => {
    const record = await presentRecord(app, apiKey, env.phone);
    const signature = await presentSignature(app, apiKey, env.phone);
    const results = await Promise.all([
      crossCheck(app, apiKey, record.sessionId, signature.sessionId),
      crossCheck(app, apiKey, record.sessionId, signature.sessionId),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = results.find((r) => r.status === 409) as Response;
    expect(await codeOf(lost)).toBe('VERIFIER_CROSS_CHECK_USED');
    const won = (await results.find((r) => r.status === 200)?.json()) as CrossCheckAnswer;
    // Without sex in the record, sex is not compared.
    expect(won.fields).toMatchObject({ matched: ['name', 'address', 'birthDate'], notCompared: ['sex'] });
  }, 120_000);

  it('fails for a record of one resident and a signature of another, naming the fields and none of the values', async () => {
    const record = await presentRecord(app, apiKey, env.phone, WITH_SEX);
    const signature = await presentSignature(app, apiKey, other.phone);
    expect(record.answer.verdict).toBe('valid');
    expect(signature.answer.verdict).toBe('valid');
    const res = await crossCheck(app, apiKey, record.sessionId, signature.sessionId);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as CrossCheckAnswer;
    expect(answer.verdict).toBe('invalid');
    expect(answer.checks).toHaveLength(1);
    const check = answer.checks[0];
    expect(check).toMatchObject({ id: 'identity.cross_check', status: 'failed' });
    expect(check?.detail).toContain('differ in: name, address, birthDate, sex');
    expect(answer.fields).toEqual({
      matched: [],
      mismatched: ['name', 'address', 'birthDate', 'sex'],
      undetermined: [],
      notCompared: [],
    });
    const content = await contentOf(answer.recordId);
    expect(content).toMatchObject({
      outcome: 'inconsistent',
      verdict: 'invalid',
      failedChecks: ['identity.cross_check'],
      fields: answer.fields,
    });
    const jp = record.answer.elements?.[JP_MNC_NAMESPACE] ?? {};
    const text = JSON.stringify(content) + JSON.stringify(answer);
    for (const value of [
      jp.full_name_unicode,
      jp.resident_address_unicode,
      jp.sex_unicode,
      signature.answer.identity?.name,
      signature.answer.identity?.address,
      signature.answer.identity?.birthDate,
    ])
      expect(text).not.toContain(String(value));
  }, 120_000);

  it('refuses sessions that are not valid, of another relying party or channel, unknown, or a malformed body', async () => {
    const signature = await presentSignature(app, apiKey, env.phone);
    // A record session never answered.
    const open = await post(app, apiKey, '/sessions', {
      purpose: 'account-opening',
      origin: 'https://bank.example',
      ...DECLARED,
    });
    const openId = ((await open.json()) as { sessionId: string }).sessionId;
    const notAnswered = await crossCheck(app, apiKey, openId, signature.sessionId);
    expect(notAnswered.status).toBe(409);
    expect(await codeOf(notAnswered)).toBe('VERIFIER_CROSS_CHECK_SESSION_NOT_VALID');

    // A signature that did not verify: the phone signed another document than the session's.
    const opened = await post(app, apiKey, '/sessions/jpki-signature', {
      purpose: 'account-opening',
      text: 'a',
      ...DECLARED,
    });
    const badId = ((await opened.json()) as { sessionId: string }).sessionId;
    const signed = await signWithJpki({
      device: env.phone,
      content: new TextEncoder().encode('another document'),
      password: SIGNATURE_PASSWORD,
      detached: true,
      relyingParty: 'Sample Bank',
    });
    const bad = (await (
      await post(app, apiKey, `/sessions/${badId}/jpki-signature`, {
        cms: Buffer.from(signed.signature).toString('base64'),
      })
    ).json()) as Answer;
    expect(bad.verdict).toBe('invalid');
    const record = await presentRecord(app, apiKey, env.phone);
    const invalid = await crossCheck(app, apiKey, record.sessionId, badId);
    expect(invalid.status).toBe(409);
    expect(await codeOf(invalid)).toBe('VERIFIER_CROSS_CHECK_SESSION_NOT_VALID');

    // Another relying party's sessions are not found (as any session of another party).
    const otherKey = await crossCheckRelyingParty(app, env);
    const theirs = await crossCheck(app, otherKey, record.sessionId, signature.sessionId);
    expect(theirs.status).toBe(404);
    expect(await codeOf(theirs)).toBe('VERIFIER_NOT_FOUND');
    // The sessions the wrong way round (a signature session is no record session) and unknown ids.
    const swapped = await crossCheck(app, apiKey, signature.sessionId, record.sessionId);
    expect(swapped.status).toBe(404);
    expect(await codeOf(swapped)).toBe('VERIFIER_NOT_FOUND');
    const unknown = await crossCheck(app, apiKey, record.sessionId, '00000000-0000-4000-8000-000000000000');
    expect(await codeOf(unknown)).toBe('VERIFIER_NOT_FOUND');

    // A malformed body names the field, never echoes it; no key: 401.
    const malformed = await post(app, apiKey, '/sessions/cross-checks', {
      recordSessionId: '番号 花子',
      signatureSessionId: signature.sessionId,
    });
    expect(malformed.status).toBe(400);
    const body = await malformed.text();
    expect(body).toContain('VERIFIER_INVALID_BODY');
    expect(body).toContain('recordSessionId');
    expect(body).not.toContain('花子');
    const anonymous = await app.request('/sessions/cross-checks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recordSessionId: record.sessionId, signatureSessionId: signature.sessionId }),
    });
    expect(anonymous.status).toBe(401);

    // None of the refusals spent the sessions: the pair still cross-checks.
    const ok = await crossCheck(app, apiKey, record.sessionId, signature.sessionId);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as CrossCheckAnswer).verdict).toBe('valid');
  }, 120_000);

  it('refuses a verification older than the window (configurable; default 30 minutes)', async () => {
    const short = crossCheckApp(store, clock, env, { crossCheckWindowSeconds: 60 });
    const record = await presentRecord(app, apiKey, env.phone);
    const signature = await presentSignature(app, apiKey, env.phone);
    clock.advance(61_000);
    const late = await crossCheck(short, apiKey, record.sessionId, signature.sessionId);
    expect(late.status).toBe(410);
    expect(await codeOf(late)).toBe('VERIFIER_CROSS_CHECK_EXPIRED');

    const record2 = await presentRecord(app, apiKey, env.phone);
    clock.advance(30 * 60_000 + 1_000);
    const signature2 = await presentSignature(app, apiKey, env.phone);
    // The record is just over 30 minutes old: too old under the default window; the signature alone is fresh.
    const old = await crossCheck(app, apiKey, record2.sessionId, signature2.sessionId);
    expect(old.status).toBe(410);
    expect(await codeOf(old)).toBe('VERIFIER_CROSS_CHECK_EXPIRED');
    // The first pair (31 minutes) too.
    expect(await codeOf(await crossCheck(app, apiKey, record.sessionId, signature.sessionId))).toBe(
      'VERIFIER_CROSS_CHECK_EXPIRED',
    );
  }, 120_000);

  it('after a move: the old signature certificate is revoked, the new record’s address differs from the old signature, the new pair agrees', async () => {
    const before = await presentSignature(app, apiKey, env.phone);
    expect(before.answer.verdict).toBe('valid');
    const h = env.issuer.deps;
    const moved = await env.issuer.app.request('/life-events', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        residentId: env.residentId,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目４番５号' },
      }),
    });
    expect(moved.status).toBe(201);

    // The JPKI session fails first: the signature certificate was revoked by the move.
    const revoked = await presentSignature(app, apiKey, env.phone);
    expect(revoked.answer.verdict).toBe('invalid');
    expect(revoked.answer.errorCode).toBe('VERIFIER_REVOKED');
    // The holder installs again (a new phone): the issuer issues from the register, with the new address.
    const newPhone = await installPhone(env, clock, env.residentId, 'cross-check-after-move-iphone');
    try {
      const record = await presentRecord(app, apiKey, newPhone.phone);
      expect(record.answer.verdict).toBe('valid');
      expect(record.answer.elements?.[JP_MNC_NAMESPACE]?.resident_address_unicode).toContain('試験町');
      const refused = await crossCheck(app, apiKey, record.sessionId, revoked.sessionId);
      expect(refused.status).toBe(409);
      expect(await codeOf(refused)).toBe('VERIFIER_CROSS_CHECK_SESSION_NOT_VALID');

      // The new record against the signature made before the move: only the address differs.
      const res = await crossCheck(app, apiKey, record.sessionId, before.sessionId);
      expect(res.status).toBe(200);
      const answer = (await res.json()) as CrossCheckAnswer;
      expect(answer.verdict).toBe('invalid');
      expect(answer.fields).toEqual({
        matched: ['name', 'birthDate'],
        mismatched: ['address'],
        undetermined: [],
        notCompared: ['sex'],
      });
      expect(answer.checks[0]?.detail).toContain('differ in: address');
      expect(JSON.stringify(answer)).not.toContain('試験町');

      // The new certificates carry the new address: a new pair agrees.
      const record2 = await presentRecord(app, apiKey, newPhone.phone);
      const signature2 = await presentSignature(app, apiKey, newPhone.phone);
      expect(signature2.answer.verdict).toBe('valid');
      const agreed = (await (
        await crossCheck(app, apiKey, record2.sessionId, signature2.sessionId)
      ).json()) as CrossCheckAnswer;
      expect(agreed.verdict).toBe('valid');
    } finally {
      await newPhone.close();
    }
  }, 180_000);
});
