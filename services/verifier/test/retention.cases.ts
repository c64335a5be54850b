/**
 * An auditor's retention decisions through `/records` (records/retention-changes.ts): a legal hold keeps a
 * record past its retention and lifting it lets the purge take it; the end of the relationship extends the
 * retention by the law's years from that day, never shortening it; every decision is in the append-only
 * `record_retention_changes` with who and under which reference; a purged record can no longer be held.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import { appendVerificationRecord, purgeExpiredRecords } from '../src/records/record-chains.js';
import { retentionChangesOf } from '../src/records/retention-changes.js';
import type { VerifierStore } from '../src/store/index.js';
import { recordContent, rpConfig, T0 } from './store.cases.js';

const YEAR = 365 * 86_400_000;

/** Defines the cases on a store made by `open`. */
export function defineRetentionCases(
  name: string,
  open: () => Promise<VerifierStore>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`record retention decisions on ${name}`, () => {
    let store: VerifierStore;
    let now = T0;
    let app: ReturnType<typeof createVerifierApp>;
    beforeAll(async () => {
      store = await open();
      app = createVerifierApp({
        store,
        config: { origin: 'http://127.0.0.1:8403', adminToken: 'operator-token-for-tests' },
        clock: () => new Date(now),
        writerId: 'retention-writer',
      });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup();
    });

    async function party(law: 'hanshu' | 'keitai') {
      const { relyingParty } = await store.relyingParties.create(rpConfig({ law }), T0);
      const auditor = await store.relyingParties.issueKey(relyingParty.id, 'auditor', T0);
      const rp = await store.relyingParties.issueKey(relyingParty.id, 'rp', T0);
      return { id: relyingParty.id, auditor: auditor.apiKey, rp: rp.apiKey };
    }
    const put = (key: string, path: string, body: unknown) =>
      app.request(path, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('holds a record past its retention, lets the purge take it once lifted, and logs both', async () => {
      now = T0;
      const p = await party('keitai');
      const r = await appendVerificationRecord(store, {
        relyingPartyId: p.id,
        writerId: 'w',
        content: recordContent(1) as never,
        now: T0,
      });
      const held = await put(p.auditor, `/records/${r.id}/legal-hold`, {
        hold: true,
        reference: 'CASE-2026/041',
      });
      expect(held.status).toBe(200);
      expect(await held.json()).toMatchObject({ id: r.id, legalHold: true });
      await purgeExpiredRecords(store, T0 + 4 * YEAR);
      const kept = await store.db
        .selectFrom('verification_records')
        .select('content')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(kept.content).not.toBeNull();
      now = T0 + 4 * YEAR;
      expect(
        (await put(p.auditor, `/records/${r.id}/legal-hold`, { hold: false, reference: 'CASE-2026/041' }))
          .status,
      ).toBe(200);
      await purgeExpiredRecords(store, T0 + 4 * YEAR + 1);
      const gone = await store.db
        .selectFrom('verification_records')
        .select('content')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(gone.content).toBeNull();
      // A purged record has nothing left to hold.
      const late = await put(p.auditor, `/records/${r.id}/legal-hold`, {
        hold: true,
        reference: 'CASE-2031/002',
      });
      expect(late.status).toBe(400);
      expect((await late.json()).code).toBe('VERIFIER_INVALID_INPUT');
      const changes = await retentionChangesOf(store, r.id);
      expect(changes.map((c) => `${c.change}:${c.reference}`)).toEqual([
        'hold:CASE-2026/041',
        'release:CASE-2026/041',
      ]);
      expect(changes.every((c) => c.actor.startsWith('credential:'))).toBe(true);
    });

    it('extends the retention from the end of the relationship by the law’s years, never shortening it', async () => {
      now = T0 + 5 * YEAR;
      const p = await party('hanshu');
      const r = await appendVerificationRecord(store, {
        relyingPartyId: p.id,
        writerId: 'w',
        content: recordContent(2) as never,
        now: T0,
      });
      const before = (
        await store.db
          .selectFrom('verification_records')
          .select('retain_until')
          .where('id', '=', r.id)
          .executeTakeFirstOrThrow()
      ).retain_until;
      // An end before the record was made cannot shorten what the law required then.
      const early = await put(p.auditor, `/records/${r.id}/relationship-end`, {
        endedOn: '2026-01-10',
        reference: 'ACCT-0001',
      });
      expect(early.status).toBe(200);
      expect(new Date((await early.json()).retainUntil).getTime()).toBe(Number(before));
      // The account closed on 2031-11-30 (Japan): kept until the end of that day plus 7 years (犯収法).
      const ended = await put(p.auditor, `/records/${r.id}/relationship-end`, {
        endedOn: '2031-11-30',
        reference: 'ACCT-0001',
      });
      expect(ended.status).toBe(200);
      expect((await ended.json()).retainUntil).toBe('2038-11-30T15:00:00.000Z');
      // A day in the future, a malformed date, personal data as a reference, another role, an unknown record.
      expect(
        (await put(p.auditor, `/records/${r.id}/relationship-end`, { endedOn: '2099-01-01', reference: 'A' }))
          .status,
      ).toBe(400);
      expect(
        (await put(p.auditor, `/records/${r.id}/relationship-end`, { endedOn: '2031-02-30', reference: 'A' }))
          .status,
      ).toBe(400);
      const named = await put(p.auditor, `/records/${r.id}/legal-hold`, {
        hold: true,
        reference: '番号 花子',
      });
      expect(named.status).toBe(400);
      expect(JSON.stringify(await named.json())).not.toContain('花子');
      expect((await put(p.rp, `/records/${r.id}/legal-hold`, { hold: true, reference: 'A' })).status).toBe(
        403,
      );
      expect(
        (await put(p.auditor, '/records/no-such-record/legal-hold', { hold: true, reference: 'A' })).status,
      ).toBe(404);
      // Another relying party's auditor does not see this record.
      const other = await party('hanshu');
      expect(
        (await put(other.auditor, `/records/${r.id}/legal-hold`, { hold: true, reference: 'A' })).status,
      ).toBe(404);
      // The log is append-only in the database itself.
      await expect(
        sql`UPDATE record_retention_changes SET reference = 'x'`.execute(store.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM record_retention_changes`.execute(store.db)).rejects.toThrow(
        /append-only/,
      );
      expect((await retentionChangesOf(store, r.id)).map((c) => c.endedOn)).toEqual([
        '2026-01-10',
        '2031-11-30',
      ]);
    });
  });
}
