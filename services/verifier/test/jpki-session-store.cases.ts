/**
 * The JPKI session store's cases (migration 0003), run on SQLite (jpki-session-store-sqlite.test.ts) and
 * PostgreSQL (jpki-session-store-postgres.pg.test.ts): a session is claimed once — of concurrent claims on two
 * instances exactly one wins — only by its own relying party and channel, never once expired; a released
 * one can be claimed again; completing erases the challenge or document but keeps its digest; the record and
 * the end of the session happen in one transaction; maintenance deletes expired sessions.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/jpki/jpki-record-content.js';
import {
  type JpkiSessionKind,
  JpkiSessionRepository,
  type NewJpkiSession,
} from '../src/jpki/jpki-session-repository.js';
import { runVerifierMaintenance } from '../src/maintenance.js';
import type { VerifierStore } from '../src/store/index.js';
import { newId } from '../src/store/store-support.js';
import { recordInTransaction } from '../src/verification/record-in-transaction.js';
import { recordContent, rpConfig, T0 } from './store.cases.js';

/** Defines the cases on stores made by `open` (two instances on one database where the dialect allows). */
export function defineJpkiSessionStoreCases(
  name: string,
  open: () => Promise<{ a: VerifierStore; b: VerifierStore }>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`JPKI sessions on ${name}`, () => {
    let a: VerifierStore;
    let b: VerifierStore;
    let ra: JpkiSessionRepository;
    let rb: JpkiSessionRepository;
    let rpId: string;

    beforeAll(async () => {
      ({ a, b } = await open());
      ra = new JpkiSessionRepository(a.db);
      rb = new JpkiSessionRepository(b.db);
      rpId = (await a.relyingParties.create(rpConfig(), T0)).relyingParty.id;
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await cleanup();
    });

    async function newSession(kind: JpkiSessionKind = 'authentication', expiresIn = 300_000) {
      const content = new Uint8Array(kind === 'authentication' ? randomBytes(32) : Buffer.from('申込書 v1'));
      const session: NewJpkiSession = {
        id: newId(),
        relyingPartyId: rpId,
        credentialId: 'cred-1',
        kind,
        purpose: 'account-opening',
        content,
        contentSha256: sha256Hex(content),
        createdAt: T0,
        expiresAt: T0 + expiresIn,
      };
      await ra.create(session);
      return session;
    }

    it('stores the challenge or document as bytes, readable only by its party', async () => {
      const s = await newSession('signature');
      const read = await rb.get(s.id, rpId);
      expect(read).toMatchObject({ state: 'open', kind: 'signature', contentSha256: s.contentSha256 });
      expect(Buffer.from(read?.content as Uint8Array).equals(Buffer.from(s.content))).toBe(true);
      expect(await rb.get(s.id, 'another-party')).toBeUndefined();
      expect(await rb.get(s.id, rpId, 'authentication')).toBeUndefined();
    });

    it('lets exactly one of many concurrent claims win, on two instances', async () => {
      for (let round = 0; round < 4; round++) {
        const s = await newSession();
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 === 0 ? ra : rb).claim(s.id, rpId, 'authentication', T0 + 1),
          ),
        );
        expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
        expect(claims.filter((c) => c === 'used')).toHaveLength(7);
      }
    });

    it('refuses an expired, unknown, foreign or other-channel claim; a released session is claimable again', async () => {
      const late = await newSession('authentication', 1000);
      expect(await ra.claim(late.id, rpId, 'authentication', T0 + 1000)).toBe('expired');
      expect(await ra.claim(newId(), rpId, 'authentication', T0)).toBe('unknown');
      const s = await newSession('signature');
      expect(await ra.claim(s.id, 'another-party', 'signature', T0)).toBe('unknown');
      expect(await ra.claim(s.id, rpId, 'authentication', T0)).toBe('unknown');
      expect(await ra.claim(s.id, rpId, 'signature', T0)).toBe('claimed');
      expect(await rb.release(s.id)).toBe(true);
      expect(await rb.release(s.id)).toBe(false);
      expect(await rb.claim(s.id, rpId, 'signature', T0)).toBe('claimed');
    });

    it('writes the record and finishes the session in one transaction, erasing the content', async () => {
      const s = await newSession('signature');
      const record = (store: VerifierStore, n: number) =>
        recordInTransaction(
          {
            store,
            writerId: 'w-jpki',
          },
          {
            relyingPartyId: rpId,
            sessionId: s.id,
            verdict: 'valid',
            content: recordContent(n) as never,
            now: T0,
            complete: (trx, recordId) =>
              new JpkiSessionRepository(trx).complete(s.id, { verdict: 'valid', recordId, now: T0 }),
          },
        );
      // Not claimed: no record, the session stays open.
      await expect(record(a, 1)).rejects.toMatchObject({ code: 'VERIFIER_SESSION_USED' });
      expect((await ra.get(s.id))?.state).toBe('open');
      expect(await ra.claim(s.id, rpId, 'signature', T0)).toBe('claimed');
      const written = await record(b, 2);
      const done = await ra.get(s.id);
      expect(done).toMatchObject({ state: 'done', verdict: 'valid', recordId: written.id, content: null });
      expect(done?.contentSha256).toBe(s.contentSha256);
      expect(await ra.claim(s.id, rpId, 'signature', T0)).toBe('used');
      const rows = await a.db
        .selectFrom('verification_records')
        .select('id')
        .where('chain_id', '=', `${rpId}/w-jpki`)
        .execute();
      expect(rows.map((r) => r.id)).toEqual([written.id]);
    });

    it('maintenance deletes the JPKI sessions that expired and keeps the others', async () => {
      const later = T0 + 60 * 60_000;
      const expired = await newSession('authentication', 1);
      const fresh = await newSession('authentication', 2 * 60 * 60_000);
      const r = await runVerifierMaintenance(a, later);
      expect(r.sessions).toBeGreaterThanOrEqual(1);
      expect(await ra.get(expired.id)).toBeUndefined();
      expect((await ra.get(fresh.id))?.state).toBe('open');
    });
  });
}
