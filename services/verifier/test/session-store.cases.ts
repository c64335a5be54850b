/**
 * The session store's cases, run on SQLite (session-store-sqlite.test.ts) and PostgreSQL
 * (session-store-postgres.pg.test.ts): a session is claimed once — of concurrent claims exactly one wins,
 * the others learn it was used — an expired one cannot be claimed, a released one can be claimed again,
 * completing erases the key, and expired sessions are purged.
 */

import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerifierMaintenance } from '../src/maintenance.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import { newSessionKeyPair, openSessionKey, sealSessionKey } from '../src/sessions/session-key.js';
import type { NewSession } from '../src/sessions/session-repository.js';
import type { VerifierStore } from '../src/store/index.js';
import { newId } from '../src/store/store-support.js';
import { recordInTransaction } from '../src/verification/record-in-transaction.js';
import { recordContent, rpConfig, T0 } from './store.cases.js';

/** Defines the cases on stores made by `open` (`open` may be called twice for two instances on one database). */
export function defineSessionStoreCases(
  name: string,
  open: () => Promise<{ a: VerifierStore; b: VerifierStore }>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`verification sessions on ${name}`, () => {
    let a: VerifierStore;
    let b: VerifierStore;
    let rpId: string;
    const kek = new Uint8Array(32).fill(7);

    beforeAll(async () => {
      ({ a, b } = await open());
      rpId = (await a.relyingParties.create(rpConfig({ origins: ['https://bank.example'] }), T0)).relyingParty
        .id;
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await cleanup();
    });

    async function newSession(expiresIn = 300_000): Promise<NewSession> {
      const id = newId();
      const session: NewSession = {
        id,
        relyingPartyId: rpId,
        credentialId: 'cred-1',
        protocol: 'org-iso-mdoc',
        purpose: 'account-opening',
        origin: 'https://bank.example',
        elements: { 'org.iso.23220.1.jp': ['full_name_unicode'] },
        deviceRequest: 'AA',
        encryptionInfo: 'BB',
        recipientKey: sealSessionKey(newSessionKeyPair().privateKey, id, kek),
        createdAt: T0,
        expiresAt: T0 + expiresIn,
      };
      await a.sessions.create(session);
      return session;
    }

    it('stores a session with its key sealed to its id', async () => {
      const s = await newSession();
      const read = await b.sessions.get(s.id, rpId);
      expect(read).toMatchObject({ state: 'open', origin: 'https://bank.example', elements: s.elements });
      const stored = read?.recipientKey as Uint8Array;
      expect(openSessionKey(stored, s.id, kek)).toHaveLength(32);
      expect(() => openSessionKey(stored, newId(), kek)).toThrow(
        expect.objectContaining({ code: 'VERIFIER_SESSION_KEY_UNAVAILABLE' }),
      );
      expect(() => openSessionKey(stored, s.id)).toThrow(
        expect.objectContaining({ code: 'VERIFIER_SESSION_KEY_UNAVAILABLE' }),
      );
      expect(await b.sessions.get(s.id, 'another-party')).toBeUndefined();
    });

    it('keeps the customer’s declaration until the session is done, then erases it', async () => {
      const id = newId();
      const declaration = {
        transactionPurpose: { code: 'living-expenses' },
        occupation: { code: 'other', detail: '通訳' },
      };
      await a.sessions.create({ ...(await newSession()), id, declaration });
      expect((await b.sessions.get(id, rpId))?.declaration).toEqual(declaration);
      expect(await b.sessions.claim(id, rpId, T0 + 1)).toBe('claimed');
      expect(await b.sessions.complete(id, { verdict: 'valid', recordId: null, now: T0 + 2 })).toBe(true);
      expect((await a.sessions.get(id, rpId))?.declaration).toBeNull();
    });

    it('lets exactly one of many concurrent claims win, on two instances', async () => {
      for (let round = 0; round < 5; round++) {
        const s = await newSession();
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).sessions.claim(s.id, rpId, T0 + 1000)),
        );
        expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
        expect(claims.filter((c) => c === 'used')).toHaveLength(7);
      }
    });

    it('refuses an expired, unknown or foreign claim; a released session is claimable again', async () => {
      const s = await newSession(1000);
      expect(await a.sessions.claim(s.id, rpId, T0 + 1000)).toBe('expired');
      expect(await a.sessions.claim(newId(), rpId, T0)).toBe('unknown');
      const t = await newSession();
      expect(await a.sessions.claim(t.id, 'another-party', T0)).toBe('unknown');
      expect(await a.sessions.claim(t.id, rpId, T0)).toBe('claimed');
      expect(await b.sessions.release(t.id)).toBe(true);
      expect(await b.sessions.release(t.id)).toBe(false);
      expect(await b.sessions.claim(t.id, rpId, T0)).toBe('claimed');
    });

    it('claimAndRead gives the one winner the session as claimed, the others only why they lost', async () => {
      const s = await newSession();
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).sessions.claimAndRead(s.id, rpId, T0 + 5)),
      );
      const won = claims.filter((c) => c.result === 'claimed');
      expect(won).toHaveLength(1);
      expect(claims.filter((c) => c.result === 'used' && c.session === undefined)).toHaveLength(5);
      const claimed = won[0]?.session;
      expect(claimed).toEqual(await a.sessions.get(s.id, rpId));
      expect(claimed).toMatchObject({
        id: s.id,
        state: 'verifying',
        claimedAt: T0 + 5,
        origin: 'https://bank.example',
        elements: s.elements,
        encryptionInfo: 'BB',
      });
      expect(openSessionKey(claimed?.recipientKey as Uint8Array, s.id, kek)).toHaveLength(32);
      const late = await newSession(1000);
      expect(await a.sessions.claimAndRead(late.id, rpId, T0 + 1000)).toEqual({ result: 'expired' });
      expect(await a.sessions.claimAndRead(late.id, 'another-party', T0)).toEqual({ result: 'unknown' });
    });

    it('completes a claimed session once and erases its key; purges expired sessions', async () => {
      const s = await newSession();
      expect(await a.sessions.complete(s.id, { verdict: 'valid', recordId: 'r-1', now: T0 })).toBe(false);
      expect(await a.sessions.claim(s.id, rpId, T0)).toBe('claimed');
      const [x, y] = await Promise.all([
        a.sessions.complete(s.id, { verdict: 'valid', recordId: 'r-1', now: T0 }),
        b.sessions.complete(s.id, { verdict: 'valid', recordId: 'r-2', now: T0 }),
      ]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      const done = await a.sessions.get(s.id);
      expect(done).toMatchObject({ state: 'done', verdict: 'valid', recipientKey: null });
      expect(await a.sessions.claim(s.id, rpId, T0)).toBe('used');
      const purged = await a.sessions.purgeExpired(T0 + 10 * 60_000);
      expect(purged).toBeGreaterThan(0);
      expect(await a.sessions.get(s.id)).toBeUndefined();
    });

    it('maintenance deletes the sessions that expired and keeps the others', async () => {
      const later = T0 + 60 * 60_000;
      const expired = await newSession(1);
      const fresh = await newSession(2 * 60 * 60_000);
      const r = await runVerifierMaintenance(a, later);
      expect(r.sessions).toBeGreaterThanOrEqual(1);
      expect(await a.sessions.get(expired.id)).toBeUndefined();
      expect((await a.sessions.get(fresh.id))?.state).toBe('open');
      expect((await runVerifierMaintenance(a, later)).sessions).toBe(0);
    });

    it('writes records and finishes sessions in one transaction, concurrently on one chain', async () => {
      const sessions = await Promise.all(Array.from({ length: 6 }, () => newSession()));
      for (const s of sessions) expect(await a.sessions.claim(s.id, rpId, T0)).toBe('claimed');
      const records = await Promise.all(
        sessions.map((s, i) =>
          recordInTransaction(
            {
              store: i % 2 === 0 ? a : b,
              writerId: 'w-shared',
            },
            {
              relyingPartyId: rpId,
              sessionId: s.id,
              verdict: 'valid',
              content: recordContent(i) as never,
              now: T0 + i,
            },
          ),
        ),
      );
      expect(new Set(records.map((r) => r.seq)).size).toBe(6);
      for (const [i, s] of sessions.entries())
        expect(await a.sessions.get(s.id)).toMatchObject({ state: 'done', recordId: records[i]?.id });
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const report = await verifyRecordChains(a, { checkpointPublicKey: publicKey });
      expect(report.checks.find((c) => c.id === 'chain.link')?.status).toBe('passed');
      // A session not claimed is never finished: the record is rolled back with it.
      const unclaimed = await newSession();
      await expect(
        recordInTransaction(
          { store: a },
          {
            relyingPartyId: rpId,
            sessionId: unclaimed.id,
            verdict: 'valid',
            content: recordContent(99) as never,
            now: T0,
          },
        ),
      ).rejects.toMatchObject({ code: 'VERIFIER_SESSION_USED' });
      const count = await a.db
        .selectFrom('verification_records')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(6);
    });
  });
}
