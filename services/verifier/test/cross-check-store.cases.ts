/**
 * The identity cross-check's store cases, run on SQLite (cross-check-store-sqlite.test.ts) and PostgreSQL
 * (cross-check-store-postgres.pg.test.ts): sessions finished with their verification records through the
 * store (a DC API session and a JPKI signature session), then runCrossCheck — the normalizer's forms agree
 * (full-width digits, `一丁目２番３号` against `1-2-3`, `1986年4月1日` against the certificate's
 * `319860401`), a differing address fails naming the field, a session takes part in one cross-check only
 * — of two at once on two instances exactly one is recorded — and the window holds; the chains still verify.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifierDeps } from '../src/context.js';
import { CrossCheckRepository } from '../src/cross-checks/cross-check-repository.js';
import { runCrossCheck } from '../src/cross-checks/run-cross-check.js';
import { VerifierError } from '../src/errors.js';
import { JpkiSessionRepository } from '../src/jpki/jpki-session-repository.js';
import { runVerifierMaintenance } from '../src/maintenance.js';
import { es256Signer, signCheckpoints } from '../src/records/checkpoints.js';
import { getRecord } from '../src/records/record-chains.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import type { VerifierStore } from '../src/store/index.js';
import type { RpCaller } from '../src/store/relying-party-repository.js';
import { newId } from '../src/store/store-support.js';
import { recordInTransaction } from '../src/verification/record-in-transaction.js';
import { rpConfig, T0 } from './store.cases.js';

/** The card-substitute record's facts as its verification record keeps them. */
const RECORD_FACTS = {
  name: '番号　花子',
  address: '東京都千代田区見本町一丁目２番３号',
  birthDate: '1986年4月1日',
  sex: '女',
};

/** The same person as the signature certificate writes her (sex 2, Showa 61). */
const CERTIFICATE_FACTS = {
  name: '番号 花子',
  address: '東京都千代田区見本町1-2-3',
  birthDate: '319860401',
  sex: '2',
};

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof VerifierError ? e.code : String(e);
  }
};

/** Defines the cases on stores made by `open` (`open` may give two instances on one database). */
export function defineCrossCheckStoreCases(
  name: string,
  open: () => Promise<{ a: VerifierStore; b: VerifierStore }>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`identity cross-checks on ${name}`, () => {
    let a: VerifierStore;
    let b: VerifierStore;
    let caller: RpCaller;
    let now = T0;
    const depsOf = (store: VerifierStore, writerId: string): VerifierDeps => ({
      store,
      config: { origin: 'http://127.0.0.1:8403' },
      clock: () => new Date(now),
      writerId,
    });

    beforeAll(async () => {
      ({ a, b } = await open());
      const rp = (await a.relyingParties.create(rpConfig({ origins: ['https://bank.example'] }), T0))
        .relyingParty.id;
      caller = { relyingPartyId: rp, credentialId: 'cred-1', role: 'rp' };
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await cleanup();
    });

    /** A DC API session done with a valid verification whose record keeps `facts`. */
    async function recordSession(facts: Record<string, string> = RECORD_FACTS): Promise<string> {
      const id = newId();
      await a.sessions.create({
        id,
        relyingPartyId: caller.relyingPartyId,
        credentialId: caller.credentialId,
        protocol: 'org-iso-mdoc',
        purpose: 'account-opening',
        origin: 'https://bank.example',
        elements: { 'org.iso.23220.1.jp': ['full_name_unicode'] },
        deviceRequest: 'AA',
        encryptionInfo: 'BB',
        recipientKey: new Uint8Array(8),
        createdAt: now,
        expiresAt: now + 300_000,
      });
      expect(await a.sessions.claim(id, caller.relyingPartyId, now)).toBe('claimed');
      await recordInTransaction(depsOf(a, 'writer-a'), {
        relyingPartyId: caller.relyingPartyId,
        sessionId: id,
        verdict: 'valid',
        content: { outcome: 'verified', verdict: 'valid', channel: 'dc-api-org-iso-mdoc', ...facts },
        now,
      });
      return id;
    }

    /** A JPKI signature session done with a valid verification whose record keeps `facts`. */
    async function signatureSession(facts: Record<string, string> = CERTIFICATE_FACTS): Promise<string> {
      const id = newId();
      const jpki = new JpkiSessionRepository(a.db);
      await jpki.create({
        id,
        relyingPartyId: caller.relyingPartyId,
        credentialId: caller.credentialId,
        kind: 'signature',
        purpose: 'account-opening',
        content: new Uint8Array([1]),
        contentSha256: '00',
        createdAt: now,
        expiresAt: now + 300_000,
      });
      expect(await jpki.claim(id, caller.relyingPartyId, 'signature', now)).toBe('claimed');
      await recordInTransaction(depsOf(a, 'writer-a'), {
        relyingPartyId: caller.relyingPartyId,
        sessionId: id,
        verdict: 'valid',
        content: { outcome: 'verified', verdict: 'valid', channel: 'jpki-signature', ...facts },
        now,
        complete: (trx, recordId) =>
          new JpkiSessionRepository(trx).complete(id, { verdict: 'valid', recordId, now }),
      });
      return id;
    }

    it('finds the same person across the two renderings and records the cross-check linking both', async () => {
      const recordSessionId = await recordSession();
      const signatureSessionId = await signatureSession();
      const answer = await runCrossCheck(depsOf(a, 'writer-a'), caller, {
        recordSessionId,
        signatureSessionId,
      });
      expect(answer.verdict).toBe('valid');
      expect(answer.checks.map((c) => [c.id, c.status])).toEqual([['identity.cross_check', 'passed']]);
      expect(answer.fields.matched).toEqual(['name', 'address', 'birthDate', 'sex']);
      const content = (await getRecord(a, answer.recordId))?.content as Record<string, unknown>;
      expect(content).toMatchObject({ channel: 'identity-cross-check', recordSessionId, signatureSessionId });
      expect(JSON.stringify(content)).not.toContain('花子');
      const stored = await new CrossCheckRepository(b.db).ofSession(
        signatureSessionId,
        caller.relyingPartyId,
      );
      expect(stored).toMatchObject({ recordSessionId, recordId: answer.recordId, verdict: 'valid', at: now });
    });

    it('fails naming the address when only the address differs; without sex in the record, sex is not compared', async () => {
      const { sex: _sex, ...withoutSex } = RECORD_FACTS;
      const recordSessionId = await recordSession({
        ...withoutSex,
        address: '東京都千代田区見本町一丁目２番４号',
      });
      const signatureSessionId = await signatureSession();
      const answer = await runCrossCheck(depsOf(a, 'writer-a'), caller, {
        recordSessionId,
        signatureSessionId,
      });
      expect(answer.verdict).toBe('invalid');
      expect(answer.fields).toEqual({
        matched: ['name', 'birthDate'],
        mismatched: ['address'],
        undetermined: [],
        notCompared: ['sex'],
      });
      expect(answer.checks[0]?.detail).toContain('differ in: address');
      expect(answer.checks[0]?.detail).not.toContain('見本町');
    });

    it('is undetermined when the record lacks a fact (the relying party did not ask for the address)', async () => {
      const { address: _address, ...withoutAddress } = RECORD_FACTS;
      const answer = await runCrossCheck(depsOf(a, 'writer-a'), caller, {
        recordSessionId: await recordSession(withoutAddress),
        signatureSessionId: await signatureSession(),
      });
      expect(answer.verdict).toBe('undetermined');
      expect(answer.fields.undetermined).toEqual(['address']);
    });

    it('lets a session take part in one cross-check: of two at once on two instances exactly one is recorded', async () => {
      const recordSessionId = await recordSession();
      const signatureSessionId = await signatureSession();
      const outcomes = await Promise.allSettled([
        runCrossCheck(depsOf(a, 'writer-a'), caller, { recordSessionId, signatureSessionId }),
        runCrossCheck(depsOf(b, 'writer-b'), caller, { recordSessionId, signatureSessionId }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect((lost.reason as VerifierError).code).toBe('VERIFIER_CROSS_CHECK_USED');
      // The loser left no record: one cross-check record of this pair in the chains.
      const repo = new CrossCheckRepository(a.db);
      expect(await repo.used(recordSessionId, 'none')).toBe(true);
      expect(
        await repo.insert({
          id: newId(),
          relyingPartyId: caller.relyingPartyId,
          recordSessionId: newId(),
          signatureSessionId,
          recordId: 'r',
          verdict: 'valid',
          at: now,
        }),
      ).toBe(false);
      // Either session with a fresh partner: used.
      expect(
        await codeOf(
          runCrossCheck(depsOf(a, 'writer-a'), caller, {
            recordSessionId,
            signatureSessionId: await signatureSession(),
          }),
        ),
      ).toBe('VERIFIER_CROSS_CHECK_USED');
    });

    it('maintenance keeps a done session for the window after its verification, then deletes it; open ones go at expiry', async () => {
      const recordSessionId = await recordSession();
      const signatureSessionId = await signatureSession();
      const openId = newId();
      await a.sessions.create({
        id: openId,
        relyingPartyId: caller.relyingPartyId,
        credentialId: caller.credentialId,
        protocol: 'org-iso-mdoc',
        purpose: 'account-opening',
        origin: 'https://bank.example',
        elements: { 'org.iso.23220.1.jp': ['full_name_unicode'] },
        deviceRequest: 'AA',
        encryptionInfo: 'BB',
        recipientKey: new Uint8Array(8),
        createdAt: now,
        expiresAt: now + 300_000,
      });
      // Expired (5 minutes) but done 20 minutes ago: kept, and it still cross-checks.
      const at20 = now + 20 * 60_000;
      await runVerifierMaintenance(a, at20);
      expect(await a.sessions.get(openId)).toBeUndefined();
      expect((await a.sessions.get(recordSessionId))?.state).toBe('done');
      expect(await new JpkiSessionRepository(a.db).get(signatureSessionId)).toBeDefined();
      const later = { ...depsOf(a, 'writer-a'), clock: () => new Date(at20) };
      expect((await runCrossCheck(later, caller, { recordSessionId, signatureSessionId })).verdict).toBe(
        'valid',
      );
      // Past the window: gone.
      await runVerifierMaintenance(a, now + 30 * 60_000 + 1);
      expect(await a.sessions.get(recordSessionId)).toBeUndefined();
      expect(await new JpkiSessionRepository(a.db).get(signatureSessionId)).toBeUndefined();
    });

    it('refuses a verification older than the window, and sessions of another relying party', async () => {
      const recordSessionId = await recordSession();
      const signatureSessionId = await signatureSession();
      now += 30 * 60_000 + 1;
      expect(
        await codeOf(runCrossCheck(depsOf(a, 'writer-a'), caller, { recordSessionId, signatureSessionId })),
      ).toBe('VERIFIER_CROSS_CHECK_EXPIRED');
      const wide: VerifierDeps = {
        ...depsOf(a, 'writer-a'),
        config: { origin: 'http://127.0.0.1:8403', crossCheckWindowSeconds: 3600 },
      };
      const stranger = (await a.relyingParties.create(rpConfig(), now)).relyingParty.id;
      expect(
        await codeOf(
          runCrossCheck(
            wide,
            { ...caller, relyingPartyId: stranger },
            { recordSessionId, signatureSessionId },
          ),
        ),
      ).toBe('VERIFIER_NOT_FOUND');
      expect((await runCrossCheck(wide, caller, { recordSessionId, signatureSessionId })).verdict).toBe(
        'valid',
      );

      // Every record appended above, the cross-checks' included, keeps the chains verifiable.
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await signCheckpoints(a, es256Signer(privateKey), now);
      expect((await verifyRecordChains(a, { checkpointPublicKey: publicKey })).verdict).toBe('valid');
    });
  });
}
