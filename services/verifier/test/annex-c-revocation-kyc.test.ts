/**
 * What the verifier decides after the cryptography, with a real issuer and phone: the KYC method letter on
 * the JST date of the verification (ル until 2027-03-31, 新ト from 2027-04-01 under 犯収法, with a certified
 * program; KYC_PROGRAM_NOT_CERTIFIED without), the relying party's policy when the status list cannot be
 * fetched (reject, accept-flagged, retry), and a record the issuer revoked while the phone was offline —
 * the phone still presents it, the verifier catches it through the status list.
 */
import { JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRecord } from '../src/records/record-chains.js';
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
  statusOf,
  submit,
  type VerificationAnswer,
  type VerifierApp,
  verifierApp,
  verifierStore,
} from './helpers/verifier-fixture.js';

/** 2027-03-31T03:00:00Z = 12:00 on 31 March 2027 in Japan, the last day of ル. */
const START = new Date('2027-03-31T03:00:00Z');
const DAY = 86_400_000;

describe('KYC method, revocation policy and revoked records', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let app: VerifierApp;

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    app = verifierApp(store, clock, env.fetchFromIssuer);
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  async function verifyOnce(target: VerifierApp, apiKey: string): Promise<VerificationAnswer> {
    const session = await openSession(target, apiKey);
    const res = await submit(target, apiKey, session.sessionId, await phoneAnswers(env, session));
    expect(res.status).toBe(200);
    return (await res.json()) as VerificationAnswer;
  }

  it('gives ル on 2027-03-31 and 新ト on 2027-04-01 (JST) with a certified program', async () => {
    const rp = await createRelyingParty(app, env);
    const before = await verifyOnce(app, rp.apiKey);
    expect(before.verdict).toBe('valid');
    expect(before.method).toMatchObject({ id: 'hanshu:ru', letter: 'ル' });
    clock.advance(DAY);
    const after = await verifyOnce(app, rp.apiKey);
    expect(after.verdict).toBe('valid');
    expect(after.method).toMatchObject({ id: 'hanshu:shin-to', letter: '新ト' });
    expect((await getRecord(store, after.recordId))?.content).toMatchObject({
      method: { letter: '新ト' },
      methodDate: '2027-04-01',
    });
  }, 120_000);

  it('names KYC_PROGRAM_NOT_CERTIFIED when the program is not certified (the verification itself is valid)', async () => {
    const rp = await createRelyingParty(app, env, {
      verificationProgram: { name: 'mynakit', version: '0.1.0', certified: false },
    });
    const answer = await verifyOnce(app, rp.apiKey);
    expect(answer.verdict).toBe('valid');
    expect(answer.method).toBeNull();
    expect(answer.methodReasons).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(statusOf(answer, 'kyc.method')).toBe('warning');
    expect((await getRecord(store, answer.recordId))?.content).toMatchObject({
      method: null,
      methodReasons: ['KYC_PROGRAM_NOT_CERTIFIED'],
      program: { certified: false },
    });
  }, 60_000);

  describe('when the status list cannot be fetched', () => {
    let statusDown = true;
    let flaky: VerifierApp;
    beforeAll(() => {
      flaky = verifierApp(store, clock, async (uri) => {
        if (statusDown) throw new Error('HTTP 503');
        return env.fetchFromIssuer(uri);
      });
    });

    it('rejects under the default policy (undetermined, never valid, never revoked)', async () => {
      const rp = await createRelyingParty(flaky, env);
      const answer = await verifyOnce(flaky, rp.apiKey);
      expect(answer.verdict).toBe('invalid');
      expect(statusOf(answer, 'status.revocation')).toBe('undetermined');
      expect(statusOf(answer, 'revocation.policy')).toBe('failed');
      expect(answer.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
      expect(answer.elements).toBeUndefined();
      expect((await getRecord(store, answer.recordId))?.content).toMatchObject({
        outcome: 'rejected',
        revocationCheck: { result: 'undetermined', action: 'reject', via: 'failed', outcome: 'unknown' },
      });
    }, 60_000);

    it('accepts with a flag under accept-flagged', async () => {
      const rp = await createRelyingParty(flaky, env, {
        revocation: { check: 'required', undetermined: 'accept-flagged' },
      });
      const answer = await verifyOnce(flaky, rp.apiKey);
      expect(answer.verdict).toBe('valid');
      expect(answer.flags).toEqual(['revocation-undetermined']);
      expect(statusOf(answer, 'revocation.policy')).toBe('warning');
      expect(answer.elements?.[JP_MNC_NAMESPACE]).toBeDefined();
      expect((await getRecord(store, answer.recordId))?.content).toMatchObject({
        outcome: 'verified',
        flags: ['revocation-undetermined'],
        revocationCheck: { result: 'undetermined', action: 'accept-flagged' },
      });
    }, 60_000);

    it('asks to retry under retry (503, session given back), and the same answer verifies once the list is back', async () => {
      const rp = await createRelyingParty(flaky, env, {
        revocation: { check: 'required', undetermined: 'retry' },
      });
      const session = await openSession(flaky, rp.apiKey);
      const response = await phoneAnswers(env, session);
      const first = await submit(flaky, rp.apiKey, session.sessionId, response);
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('30');
      expect(((await first.json()) as { code: string }).code).toBe('VERIFIER_REVOCATION_UNAVAILABLE');
      expect((await store.sessions.get(session.sessionId))?.state).toBe('open');
      statusDown = false;
      const second = await submit(flaky, rp.apiKey, session.sessionId, response);
      expect(second.status).toBe(200);
      const answer = (await second.json()) as VerificationAnswer;
      expect(answer.verdict).toBe('valid');
      expect(statusOf(answer, 'status.revocation')).toBe('passed');
    }, 60_000);
  });

  it('catches a record the issuer revoked before the offline phone heard of it', async () => {
    const rp = await createRelyingParty(app, env);
    await env.issuer.deps.store.lifeEvents.record(
      {
        residentId: env.residentId,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目' },
      },
      clock.now.getTime(),
    );
    // A verifier whose cache has not seen the list yet (another instance, or after the ttl).
    const fresh = verifierApp(store, clock, env.fetchFromIssuer);
    const answer = await verifyOnce(fresh, rp.apiKey);
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer, 'status.revocation')).toBe('failed');
    expect(statusOf(answer, 'revocation.policy')).toBe('failed');
    expect(answer.errorCode).toBe('VERIFIER_REVOKED');
    expect(answer.elements).toBeUndefined();
    const content = (await getRecord(store, answer.recordId))?.content as Record<string, unknown>;
    expect(content).toMatchObject({
      outcome: 'rejected',
      revocationCheck: { result: 'failed', outcome: 'invalid' },
    });
    expect(content.name).toBeUndefined();
    expect(JSON.stringify(answer)).not.toContain('試験町');
  }, 60_000);
});
