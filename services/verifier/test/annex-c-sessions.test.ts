/**
 * `/sessions` end to end over the DC API Annex C channel: a real issuer (services/issuer) installs a record
 * on a real phone (the wallet engine), the phone answers the verifier's request with presentAnnexC, and the
 * verifier verifies it, checks its status at the issuer's status list, decides the KYC method and writes the
 * verification record — then the single-use, origin, expiry, My Number and missing-element rules.
 */
import { generateKeyPairSync } from 'node:crypto';
import { JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRecord } from '../src/records/record-chains.js';
import { es256Signer, signCheckpoints } from '../src/records/checkpoints.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import type { VerifierStore } from '../src/store/index.js';
import {
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from './helpers/issuer-and-phone.js';
import {
  createRelyingParty,
  openSession,
  phoneAnswers,
  postSession,
  RP_ORIGIN,
  statusOf,
  submit,
  type VerificationAnswer,
  type VerifierApp,
  verifierApp,
  verifierStore,
} from './helpers/verifier-fixture.js';

/** 2026-12-02T03:00:00Z = 12:00 in Japan. */
const START = new Date('2026-12-02T03:00:00Z');

describe('verification sessions over the DC API (Annex C)', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let app: VerifierApp;
  let rp: { id: string; apiKey: string };

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    app = verifierApp(store, clock, env.fetchFromIssuer);
    rp = await createRelyingParty(app, env);
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('opens a session asking the least KYC needs, verifies the answer and writes the record', async () => {
    const session = await openSession(app, rp.apiKey);
    expect(session.request.protocol).toBe('org-iso-mdoc');
    expect(session.elements).toEqual({
      [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode', 'birth_date_unicode', 'portrait'],
    });
    expect(Date.parse(session.expiresAt) - START.getTime()).toBeLessThanOrEqual(300_000);
    const stored = await store.sessions.get(session.sessionId);
    expect(stored?.state).toBe('open');
    expect(JSON.stringify(session)).not.toContain('"d"');

    const res = await submit(app, rp.apiKey, session.sessionId, await phoneAnswers(env, session));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as VerificationAnswer;
    expect(answer.verdict).toBe('valid');
    for (const id of [
      'response.decrypt',
      'issuer.signature',
      'item.digest',
      'device.signature',
      'status.revocation',
    ])
      expect(statusOf(answer, id), id).toBe('passed');
    expect(statusOf(answer, 'request.elements')).toBe('passed');
    expect(statusOf(answer, 'revocation.policy')).toBe('passed');
    expect(answer.method).toMatchObject({ id: 'hanshu:ru', letter: 'ル' });
    expect(answer.flags).toEqual([]);
    const jp = answer.elements?.[JP_MNC_NAMESPACE] ?? {};
    expect(Object.keys(jp).sort()).toEqual([
      'birth_date_unicode',
      'full_name_unicode',
      'portrait',
      'resident_address_unicode',
    ]);
    const portrait = Buffer.from(jp.portrait as string, 'base64');
    expect(portrait.length).toBeGreaterThan(0);

    const record = await getRecord(store, answer.recordId);
    const content = record?.content as Record<string, unknown>;
    expect(content).toMatchObject({
      outcome: 'verified',
      verdict: 'valid',
      method: { id: 'hanshu:ru', letter: 'ル' },
      transactionType: 'account-opening',
      transactionDate: '2026-12-02',
      name: jp.full_name_unicode,
      address: jp.resident_address_unicode,
      birthDate: jp.birth_date_unicode,
      verifiedBy: { relyingPartyId: rp.id },
      revocationCheck: { result: 'passed', via: 'network', outcome: 'valid' },
      program: { name: 'mynakit', version: '0.1.0', certified: true },
    });
    expect(content.msoDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(content.portraitSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(content)).not.toContain(jp.portrait as string);
    expect((await store.sessions.get(session.sessionId))?.state).toBe('done');
    expect((await store.sessions.get(session.sessionId))?.recipientKey).toBeNull();

    // The chains still verify (and with a checkpoint signed over them).
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await signCheckpoints(store, es256Signer(privateKey), clock.now.getTime());
    expect((await verifyRecordChains(store, { checkpointPublicKey: publicKey })).verdict).toBe('valid');

    // Replaying the same answer: the session is used.
    const again = await submit(app, rp.apiKey, session.sessionId, await phoneAnswers(env, session));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('VERIFIER_SESSION_USED');
  }, 120_000);

  it('fails the transcript check for an answer made for another page origin or another session', async () => {
    const session = await openSession(app, rp.apiKey);
    const forOther = await phoneAnswers(env, session, { origin: 'https://evil.example' });
    const answer = (await (
      await submit(app, rp.apiKey, session.sessionId, forOther)
    ).json()) as VerificationAnswer;
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer, 'response.decrypt')).toBe('failed');
    expect(statusOf(answer, 'session.transcript')).toBe('failed');
    expect(answer.errorCode).toBe('HPKE_OPEN_FAILED');
    expect(answer.elements).toBeUndefined();
    expect((await getRecord(store, answer.recordId))?.content).toMatchObject({ outcome: 'rejected' });

    const a = await openSession(app, rp.apiKey);
    const b = await openSession(app, rp.apiKey);
    const madeForA = await phoneAnswers(env, a);
    const crossed = (await (
      await submit(app, rp.apiKey, b.sessionId, madeForA)
    ).json()) as VerificationAnswer;
    expect(crossed.verdict).toBe('invalid');
    expect(statusOf(crossed, 'session.transcript')).toBe('failed');
  }, 60_000);

  it('names the requested elements the holder did not disclose (VERIFIER_CLAIMS_MISSING)', async () => {
    const session = await openSession(app, rp.apiKey);
    const partial = await phoneAnswers(env, session, {
      approve: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode'] },
    });
    const answer = (await (
      await submit(app, rp.apiKey, session.sessionId, partial)
    ).json()) as VerificationAnswer;
    expect(answer.verdict).toBe('invalid');
    expect(answer.errorCode).toBe('VERIFIER_CLAIMS_MISSING');
    const detail = answer.checks.find((c) => c.id === 'request.elements')?.detail ?? '';
    expect(detail).toContain(`${JP_MNC_NAMESPACE}/birth_date_unicode`);
    expect(detail).toContain(`${JP_MNC_NAMESPACE}/portrait`);
    expect(JSON.stringify(answer)).not.toContain('花子');
  }, 60_000);

  it('refuses a late answer (VERIFIER_SESSION_EXPIRED), another party’s session and an unknown one', async () => {
    const session = await openSession(app, rp.apiKey);
    const response = await phoneAnswers(env, session);
    clock.advance(301_000);
    const late = await submit(app, rp.apiKey, session.sessionId, response);
    expect(late.status).toBe(410);
    expect(((await late.json()) as { code: string }).code).toBe('VERIFIER_SESSION_EXPIRED');

    const other = await createRelyingParty(app, env);
    const fresh = await openSession(app, rp.apiKey);
    const foreign = await submit(app, other.apiKey, fresh.sessionId, 'AAAA');
    expect(foreign.status).toBe(404);
    const unknown = await submit(app, rp.apiKey, '00000000-0000-4000-8000-000000000000', 'AAAA');
    expect(((await unknown.json()) as { code: string }).code).toBe('VERIFIER_NOT_FOUND');
  }, 60_000);

  it('refuses origins not configured, My Number without a legal basis and unknown elements', async () => {
    const codeOf = async (body: Record<string, unknown>, key = rp.apiKey) => {
      const res = await postSession(app, key, { purpose: 'account-opening', origin: RP_ORIGIN, ...body });
      expect(res.status).toBe(400);
      return ((await res.json()) as { code: string }).code;
    };
    expect(await codeOf({ origin: 'https://evil.example' })).toBe('VERIFIER_ORIGIN_NOT_ALLOWED');
    expect(
      await codeOf({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] } }),
    ).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
    expect(await codeOf({ elements: { [JP_MNC_NAMESPACE]: ['blood_type'] } })).toBe(
      'VERIFIER_ELEMENT_UNKNOWN',
    );
    expect(await codeOf({ purpose: 'Account Opening!' })).toBe('VERIFIER_INVALID_BODY');

    // A party with no origins configured may open no session at all.
    const closed = await createRelyingParty(app, env, { origins: [] });
    expect(await codeOf({}, closed.apiKey)).toBe('VERIFIER_ORIGIN_NOT_ALLOWED');
    // With a legal basis My Number may be asked for.
    const taxed = await createRelyingParty(app, env, { myNumberLegalBasis: '番号法第19条第1号（法定調書）' });
    const res = await postSession(app, taxed.apiKey, {
      purpose: 'tax-reporting',
      origin: RP_ORIGIN,
      elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] },
    });
    expect(res.status).toBe(201);

    // An auditor key may not open sessions.
    const auditor = await app.request(`/relying-parties/${rp.id}/api-keys`, {
      method: 'POST',
      headers: { authorization: 'Bearer operator-token-for-tests', 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'auditor' }),
    });
    const auditorKey = ((await auditor.json()) as { apiKey: string }).apiKey;
    expect((await postSession(app, auditorKey, { purpose: 'x', origin: RP_ORIGIN })).status).toBe(403);
  }, 60_000);
});
