/**
 * The verifier store's cases, run on SQLite (store-sqlite.test.ts) and PostgreSQL (store-postgres.pg.test.ts):
 * relying parties and API keys, appending and verifying record chains, tampering detected by the chain or
 * by a signed checkpoint, retention purge and legal hold, forbidden content.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifierError } from '../src/errors.js';
import { listRecordAccess, logRecordAccess } from '../src/records/access-log.js';
import { es256Signer, signCheckpoints } from '../src/records/checkpoints.js';
import {
  appendVerificationRecord,
  chainIdOf,
  listRecords,
  purgeExpiredRecords,
  setLegalHold,
} from '../src/records/record-chains.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import type { RelyingPartyConfigInput } from '../src/relying-parties/config.js';
import type { VerifierStore } from '../src/store/index.js';
import { chainAppendQueueOf } from '../src/verification/chain-append-queue.js';
import { recordInTransaction } from '../src/verification/record-in-transaction.js';

/** 2026-12-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 11, 1);
const YEAR = 365 * 86_400_000;
/** Verifications recorded at once for one relying party: more than a pool has connections, many times over. */
const CONCURRENT = 64;

/** A configuration with the defaults left out. */
export function rpConfig(overrides: Partial<RelyingPartyConfigInput> = {}): RelyingPartyConfigInput {
  return {
    name: 'Sample Bank',
    clientId: `x509_san_dns:bank-${Math.random().toString(36).slice(2, 10)}.example`,
    law: 'hanshu',
    verificationProgram: { name: 'mynakit', version: '0.1.0' },
    ...overrides,
  };
}

/** The facts of one KYC verification, without My Number or PIN (DOMAIN.md §5). */
export function recordContent(n: number): Record<string, unknown> {
  return {
    method: { law: 'hanshu', letter: 'ル', ordinance: 'Art. 6(1)(i)' },
    verifiedBy: 'mynakit verifier',
    recordedBy: 'branch 001',
    identity: { name: '試験 花子', address: '東京都試験区見本町1-2-3', birthDate: '1986-04-01' },
    transaction: { type: 'account-opening', date: '2026-12-01', n },
    revocation: { result: 'valid', source: 'status-list', checkedAt: '2026-12-01T00:00:00Z' },
  };
}

/** Defines the cases on a store made by `open`. */
export function defineVerifierStoreCases(
  name: string,
  open: () => Promise<VerifierStore>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`VerifierStore on ${name}`, () => {
    let store: VerifierStore;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = es256Signer(privateKey);

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await cleanup();
    });

    async function newParty(overrides: Partial<RelyingPartyConfigInput> = {}) {
      return (await store.relyingParties.create(rpConfig(overrides), T0)).relyingParty;
    }

    it('creates a relying party with defaults filled in, and authenticates its API keys', async () => {
      const { relyingParty, apiKey } = await store.relyingParties.create(rpConfig({ law: 'keitai' }), T0);
      expect(relyingParty.config.revocation).toEqual({
        check: 'required',
        undetermined: 'reject',
        inquiry: 'when-undetermined',
      });
      expect(relyingParty.config.myNumberLegalBasis).toBeUndefined();
      expect(relyingParty.config.verificationProgram.certified).toBe(false);
      expect(apiKey.apiKey).toMatch(/^mvk_[A-Za-z0-9_-]{43}$/);
      expect(await store.relyingParties.authenticate(apiKey.apiKey)).toEqual({
        credentialId: apiKey.credentialId,
        relyingPartyId: relyingParty.id,
        role: 'rp',
      });
      const auditor = await store.relyingParties.issueKey(relyingParty.id, 'auditor', T0);
      expect((await store.relyingParties.authenticate(auditor.apiKey))?.role).toBe('auditor');
      expect(await store.relyingParties.authenticate(`${auditor.apiKey}x`)).toBeUndefined();
      expect(await store.relyingParties.revokeKey(relyingParty.id, auditor.credentialId, T0 + 1)).toBe(true);
      expect(await store.relyingParties.authenticate(auditor.apiKey)).toBeUndefined();
      // Only the hash is stored.
      const rows = await store.db.selectFrom('rp_credentials').select('key_hash').execute();
      expect(rows.some((r) => r.key_hash.includes(apiKey.apiKey))).toBe(false);
    });

    it('hands a request the relying party read with its API key, and a later request the configuration as changed', async () => {
      const { relyingParty, apiKey } = await store.relyingParties.create(rpConfig({ name: 'Before' }), T0);
      const first = await store.relyingParties.authenticate(apiKey.apiKey);
      expect(first).toBeDefined();
      const read = await store.relyingParties.ofCaller(first as never);
      expect(read).toEqual(await store.relyingParties.get(relyingParty.id));
      await store.relyingParties.updateConfig(relyingParty.id, rpConfig({ name: 'After' }), T0 + 1);
      // Within the request that read it, the reading stands; the next request authenticates again and sees the change.
      expect((await store.relyingParties.ofCaller(first as never))?.name).toBe('Before');
      const second = await store.relyingParties.authenticate(apiKey.apiKey);
      expect((await store.relyingParties.ofCaller(second as never))?.name).toBe('After');
      expect((await store.relyingParties.ofCaller(second as never))?.updatedAt).toBe(T0 + 1);
      // A caller not made by authenticate (no reading of its own) reads the row.
      const made = {
        credentialId: apiKey.credentialId,
        relyingPartyId: relyingParty.id,
        role: 'rp' as const,
      };
      expect((await store.relyingParties.ofCaller(made))?.name).toBe('After');
      expect(
        await store.relyingParties.ofCaller({ ...made, relyingPartyId: 'no-such-party' }),
      ).toBeUndefined();
    });

    it('refuses a second relying party with the same client id, and a configuration out of its schema', async () => {
      const config = rpConfig();
      await store.relyingParties.create(config, T0);
      await expect(store.relyingParties.create(config, T0)).rejects.toMatchObject({
        code: 'VERIFIER_DUPLICATE',
      });
      await expect(
        store.relyingParties.create({ ...rpConfig(), law: 'gaming' as never }, T0),
      ).rejects.toMatchObject({ code: 'VERIFIER_INVALID_INPUT', message: expect.stringContaining('law') });
    });

    it('appends records in order and verifies the chain with its checkpoint', async () => {
      const rp = await newParty();
      const records = [];
      for (let i = 0; i < 5; i++)
        records.push(
          await appendVerificationRecord(store, {
            relyingPartyId: rp.id,
            writerId: 'w1',
            content: recordContent(i) as never,
            now: T0 + i,
          }),
        );
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(records[1]?.prevHash).toBe(records[0]?.hash);
      expect(records[0]?.retainUntil).toBe(Date.UTC(2033, 11, 1));
      const written = await signCheckpoints(store, signer, T0 + 10);
      expect(written.some((c) => c.chainId === chainIdOf(rp.id, 'w1') && c.seq === 5)).toBe(true);
      // Nothing moved: no new checkpoint.
      expect(await signCheckpoints(store, signer, T0 + 11)).toEqual([]);
      const report = await verifyRecordChains(store, { checkpointPublicKey: publicKey });
      expect(report.verdict).toBe('valid');
      expect(report.firstBroken).toBeUndefined();
      expect(report.checks.map((c) => c.id)).toEqual([
        'chain.link',
        'chain.content',
        'chain.hash',
        'chain.retention',
        'checkpoint.signature',
        'checkpoint.head',
        'checkpoint.coverage',
      ]);
    });

    it('names a record whose content was edited in the database', async () => {
      const rp = await newParty();
      const appended = [];
      for (let i = 0; i < 3; i++)
        appended.push(
          await appendVerificationRecord(store, {
            relyingPartyId: rp.id,
            writerId: 'w1',
            content: recordContent(i) as never,
            now: T0 + i,
          }),
        );
      const target = appended[1];
      await store.db
        .updateTable('verification_records')
        .set({ content: JSON.stringify({ ...recordContent(1), identity: { name: '別人' } }) })
        .where('id', '=', target?.id as string)
        .execute();
      const report = await verifyRecordChains(store, { checkpointPublicKey: publicKey });
      expect(report.verdict).toBe('invalid');
      expect(report.checks.find((c) => c.id === 'chain.content')?.status).toBe('failed');
      expect(report.firstBroken).toMatchObject({ chainId: chainIdOf(rp.id, 'w1'), seq: 2 });
      expect(JSON.stringify(report)).not.toContain('別人');
      // Put it back, so the other cases see a valid store.
      await store.db
        .updateTable('verification_records')
        .set({ content: JSON.stringify(recordContent(1)) })
        .where('id', '=', target?.id as string)
        .execute();
      expect((await verifyRecordChains(store, { checkpointPublicKey: publicKey })).verdict).toBe('valid');
    });

    it('detects a tail recomputed hash by hash only through its signed checkpoint', async () => {
      const rp = await newParty();
      for (let i = 0; i < 2; i++)
        await appendVerificationRecord(store, {
          relyingPartyId: rp.id,
          writerId: 'w9',
          content: recordContent(i) as never,
          now: T0 + i,
        });
      await signCheckpoints(store, signer, T0 + 5);
      const chainId = chainIdOf(rp.id, 'w9');
      const before = await store.db
        .selectFrom('verification_records')
        .selectAll()
        .where('chain_id', '=', chainId)
        .where('seq', '=', 2)
        .executeTakeFirstOrThrow();
      // Someone with write access deletes the last record: every remaining hash still recomputes.
      await store.db.deleteFrom('verification_records').where('id', '=', before.id).execute();
      const report = await verifyRecordChains(store, { checkpointPublicKey: publicKey });
      expect(report.verdict).toBe('invalid');
      expect(report.checks.find((c) => c.id === 'chain.hash')?.status).toBe('passed');
      expect(report.checks.find((c) => c.id === 'checkpoint.head')?.status).toBe('failed');
      expect(report.firstBroken).toMatchObject({ chainId, seq: 2 });
      await store.db.insertInto('verification_records').values(before).execute();
      expect((await verifyRecordChains(store, { checkpointPublicKey: publicKey })).verdict).toBe('valid');
      // A checkpoint checked with another key fails its signature.
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
      const wrongKey = await verifyRecordChains(store, { checkpointPublicKey: other });
      expect(wrongKey.checks.find((c) => c.id === 'checkpoint.signature')?.status).toBe('failed');
    });

    it('purges content past retention, keeps the chain valid, and spares records on legal hold', async () => {
      const rp = await newParty({ law: 'keitai' });
      const a = await appendVerificationRecord(store, {
        relyingPartyId: rp.id,
        writerId: 'w2',
        content: recordContent(1) as never,
        now: T0,
      });
      const b = await appendVerificationRecord(store, {
        relyingPartyId: rp.id,
        writerId: 'w2',
        content: recordContent(2) as never,
        now: T0 + 1,
      });
      const c = await appendVerificationRecord(store, {
        relyingPartyId: rp.id,
        writerId: 'w2',
        content: recordContent(3) as never,
        now: T0 + 2,
        retainUntil: T0 + 10 * YEAR,
      });
      await signCheckpoints(store, signer, T0 + 3);
      await setLegalHold(store, b.id, true);
      await expect(setLegalHold(store, 'no-such-record', true)).rejects.toMatchObject({
        code: 'VERIFIER_NOT_FOUND',
      });
      // Three years (keitai) later: a is purged; b is on hold; c is kept longer.
      const purged = await purgeExpiredRecords(store, T0 + 4 * YEAR);
      expect(purged).toBeGreaterThanOrEqual(1);
      const page = await listRecords(store, { relyingPartyId: rp.id, from: 0, to: T0 + 5 * YEAR, limit: 10 });
      const byId = new Map(page.records.map((r) => [r.id, r]));
      expect(byId.get(a.id)?.content).toBeNull();
      expect(byId.get(a.id)?.contentHash).toBe(a.contentHash);
      expect(byId.get(a.id)?.hash).toBe(a.hash);
      expect(byId.get(b.id)?.content).toEqual(recordContent(2));
      expect(byId.get(c.id)?.content).toEqual(recordContent(3));
      const report = await verifyRecordChains(store, { checkpointPublicKey: publicKey });
      expect(report.verdict).toBe('valid');
      // Lifting the hold lets the next purge take b.
      await setLegalHold(store, b.id, false);
      await purgeExpiredRecords(store, T0 + 4 * YEAR + 1);
      const after = await listRecords(store, {
        relyingPartyId: rp.id,
        from: 0,
        to: T0 + 5 * YEAR,
        limit: 10,
      });
      expect(after.records.find((r) => r.id === b.id)?.content).toBeNull();
      expect((await verifyRecordChains(store, { checkpointPublicKey: publicKey })).verdict).toBe('valid');
    });

    it('refuses a My Number, a PIN or a password in the content, with a stable code and no value', async () => {
      const rp = await newParty();
      const forbidden: Record<string, unknown>[] = [
        { identity: { individual_number_unicode: '123456789018' } },
        { identity: { myNumber: '123456789018' } },
        { identity: { 個人番号: '1234 5678 9018' } },
        { card: { cardNumber: '123456789018' } },
        { signPin: '1234' },
        { auth: { password: 'abcdef' } },
        { 暗証番号: '1234' },
      ];
      for (const content of forbidden) {
        const e = await appendVerificationRecord(store, {
          relyingPartyId: rp.id,
          writerId: 'w3',
          content: content as never,
          now: T0,
        }).catch((x: unknown) => x);
        expect(e, JSON.stringify(content)).toBeInstanceOf(VerifierError);
        expect((e as VerifierError).code).toBe('VERIFIER_RECORD_FORBIDDEN_CONTENT');
        expect((e as VerifierError).message).not.toMatch(/1234|abcdef/);
      }
      // A 12-digit string written like a My Number (valid check digit) is refused whatever its name …
      const valued = await appendVerificationRecord(store, {
        relyingPartyId: rp.id,
        writerId: 'w3',
        content: { transactionId: '123456789018' } as never,
        now: T0,
      }).catch((x: unknown) => x);
      expect((valued as VerifierError).code).toBe('VERIFIER_RECORD_FORBIDDEN_CONTENT');
      // … while ordinary facts pass: a 12-digit id without a valid check digit, "spinning", "opinion",
      // and the name of the element in a list of what was disclosed (a name, not a number).
      await appendVerificationRecord(store, {
        relyingPartyId: rp.id,
        writerId: 'w3',
        content: {
          transactionId: '123456789019',
          opinion: 'ok',
          spinning: false,
          disclosed: ['family_name', 'individual_number_unicode'],
        } as never,
        now: T0,
      });
      await expect(
        appendVerificationRecord(store, {
          relyingPartyId: rp.id,
          writerId: 'w3',
          content: [] as never,
          now: T0,
        }),
      ).rejects.toMatchObject({ code: 'VERIFIER_RECORD_INVALID' });
      await expect(
        appendVerificationRecord(store, {
          relyingPartyId: '00000000-0000-4000-8000-000000000000',
          writerId: 'w3',
          content: {},
          now: T0,
        }),
      ).rejects.toMatchObject({ code: 'VERIFIER_NOT_FOUND' });
    });

    it('keeps the access log append-only in the database', async () => {
      await logRecordAccess(store, {
        relyingPartyId: null,
        actor: 'operator',
        action: 'export',
        scope: '2026-12-01..2026-12-01 json',
        recordIds: ['a', 'b'],
        at: T0,
      });
      const log = await listRecordAccess(store);
      expect(log.at(-1)).toMatchObject({ actor: 'operator', recordIds: ['a', 'b'], recordCount: 2 });
      await expect(sql`UPDATE record_access_log SET actor = 'someone'`.execute(store.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`DELETE FROM record_access_log`.execute(store.db)).rejects.toThrow(/append-only/);
    });

    it('pages records by date with a cursor', async () => {
      const rp = await newParty();
      for (let i = 0; i < 5; i++)
        await appendVerificationRecord(store, {
          relyingPartyId: rp.id,
          writerId: 'w4',
          content: recordContent(i) as never,
          now: T0 + 1000 * i,
        });
      const first = await listRecords(store, { relyingPartyId: rp.id, from: T0, to: T0 + 4000, limit: 2 });
      expect(first.records).toHaveLength(2);
      const second = await listRecords(store, {
        relyingPartyId: rp.id,
        from: T0,
        to: T0 + 4000,
        limit: 2,
        after: first.next as string,
      });
      expect(second.records).toHaveLength(2);
      expect(second.next).toBeUndefined();
      expect(new Set([...first.records, ...second.records].map((r) => r.seq))).toEqual(new Set([1, 2, 3, 4]));
    });

    it('records many verifications of one relying party at once, each in its own transaction, without a conflict', async () => {
      const rp = await newParty();
      const writerId = 'w-concurrent';
      const completed: string[] = [];
      // As many at once as a busy instance has requests in flight; on PostgreSQL each transaction has its own
      // connection, so without the per-chain queue most of them lost the race for the chain's next seq.
      const records = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, n) =>
          recordInTransaction(
            { store, writerId },
            {
              relyingPartyId: rp.id,
              sessionId: `session-${n}`,
              verdict: 'valid',
              content: recordContent(n) as never,
              now: T0 + n,
              complete: async (_trx, recordId) => {
                completed.push(recordId);
                return true;
              },
            },
          ),
        ),
      );
      expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: CONCURRENT }, (_, i) => i + 1),
      );
      expect(new Set(completed)).toEqual(new Set(records.map((r) => r.id)));
      expect(chainAppendQueueOf(store).size).toBe(0);
      const report = await verifyRecordChains(store, { checkpointPublicKey: publicKey });
      expect(report.verdict).toBe('valid');
    });

    it('rolls back a record whose session was already used, and the next append of the chain still follows', async () => {
      const rp = await newParty();
      const writerId = 'w-used';
      const refused = recordInTransaction(
        { store, writerId },
        {
          relyingPartyId: rp.id,
          sessionId: 'spent',
          verdict: 'valid',
          content: recordContent(1) as never,
          now: T0,
          complete: async () => false,
        },
      );
      const next = recordInTransaction(
        { store, writerId },
        {
          relyingPartyId: rp.id,
          sessionId: 'fresh',
          verdict: 'valid',
          content: recordContent(2) as never,
          now: T0 + 1,
          complete: async () => true,
        },
      );
      await expect(refused).rejects.toMatchObject({ code: 'VERIFIER_SESSION_USED' });
      expect((await next).seq).toBe(1);
    });
  });
}
