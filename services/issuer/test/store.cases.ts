import { createHash, randomBytes } from 'node:crypto';
import { migrateToLatest } from '@mynakit/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IssuerError } from '../src/errors.js';
import { syntheticResidents } from '../src/residents/seed-residents.js';
import {
  type Credential,
  type IssuerStore,
  issuerMigrations,
  type NewCredential,
  type NewResident,
  type Resident,
} from '../src/store/index.js';

const T0 = Date.UTC(2026, 10, 26);

/** A resident with ordinary facts. */
export function residentInput(overrides: Partial<NewResident> = {}): NewResident {
  return {
    fullName: '試験\u3000花子',
    address: '東京都試験区見本町一丁目２番３号',
    birthDate: '1986-04-01',
    sex: 2,
    municipalityCode: '139904',
    municipalityName: '試験区',
    ...overrides,
  };
}

/** Credentials as an installation of this family receives them, with random serials and MSO digest. */
export function credentialsFor(kinds: readonly ('mdoc' | 'jpki-sign' | 'jpki-auth')[]): NewCredential[] {
  return kinds.map((kind) => {
    const bytes = randomBytes(64);
    return kind === 'mdoc'
      ? {
          kind,
          msoDigest: createHash('sha256').update(bytes).digest('hex'),
          notAfter: T0 + 86_400_000,
          bytes,
        }
      : { kind, serial: randomBytes(16).toString('hex'), notAfter: T0 + 86_400_000, bytes };
  });
}

const IPHONE: ('mdoc' | 'jpki-sign' | 'jpki-auth')[] = ['mdoc', 'jpki-sign', 'jpki-auth'];

/** Awaits and returns the IssuerError code a promise rejects with. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof IssuerError) return e.code;
    throw e;
  }
  throw new Error('expected an IssuerError');
}

/**
 * The issuer store's behaviour, written once and run on SQLite (store-sqlite.test.ts) and PostgreSQL
 * (store-postgres.pg.test.ts).
 */
export function defineIssuerStoreCases(
  name: string,
  open: () => Promise<IssuerStore>,
  cleanup?: () => Promise<void>,
) {
  describe(`IssuerStore on ${name}`, () => {
    let store: IssuerStore;
    const newResident = (o: Partial<NewResident> = {}) => store.residents.create(residentInput(o), T0);

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('has migrated, and migrating again applies nothing', async () => {
      expect(await migrateToLatest(store.db, issuerMigrations, { tableName: 'issuer_migrations' })).toEqual(
        [],
      );
    });

    describe('residents', () => {
      it('creates, reads back every character, and pages through in id order', async () => {
        const r = await newResident({
          fullName: '\u{20BB7}野\u3000葛\u{E0100}子',
          fullNameKana: 'ヨシノ\u3000カツコ',
          sex: 9,
        });
        expect(await store.residents.get(r.id)).toEqual(r);
        expect(r).toMatchObject({ fullName: '\u{20BB7}野\u3000葛\u{E0100}子', sex: 9, createdAt: T0 });
        expect(await store.residents.get('no-such-resident')).toBeUndefined();

        const ids = new Set<string>();
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await store.residents.list(after === undefined ? { limit: 2 } : { limit: 2, after });
          for (const x of page.residents) ids.add(x.id);
          after = page.next;
          pages++;
        } while (after !== undefined && pages < 10_000);
        expect(ids.size).toBe(await store.residents.count());
        expect(ids.has(r.id)).toBe(true);
      });

      it('refuses fields out of their domain and a taken id', async () => {
        const bad: Partial<NewResident>[] = [
          { sex: 4 as 1 },
          { birthDate: '2023-02-29' },
          { birthDate: '1986/04/01' },
          { municipalityCode: '1399' },
          { address: `東京都${'あ'.repeat(198)}` },
          { fullName: ' ' },
          { fullName: '試験\n花子' },
          { id: 'has space' },
        ];
        for (const o of bad) expect(await codeOf(newResident(o))).toBe('ISSUER_INVALID_INPUT');
        await newResident({ id: 'taken-id' });
        expect(await codeOf(newResident({ id: 'taken-id' }))).toBe('ISSUER_DUPLICATE');
        expect(await codeOf(store.residents.list({ limit: 0 }))).toBe('ISSUER_INVALID_INPUT');
      });

      it('bulk-inserts 10^4 synthetic residents in batched inserts of one transaction, each as given', async () => {
        const before = await store.residents.count();
        const now = T0 + 777; // marks this load's rows
        expect(await store.residents.bulkInsert(syntheticResidents(10_500, { seed: 7 }), { now })).toBe(
          10_500,
        );
        expect(await store.residents.count()).toBe(before + 10_500);
        // Every row reads back as generated (full batches reuse one compiled statement: same column order).
        const key = (r: NewResident) =>
          [r.fullName, r.address, r.birthDate, r.sex, r.municipalityCode, r.municipalityName].join('|');
        const loaded = await store.db
          .selectFrom('residents')
          .selectAll()
          .where('created_at', '=', now)
          .execute();
        const readBack = loaded.map((r) =>
          key({
            fullName: r.full_name,
            address: r.address,
            birthDate: r.birth_date,
            sex: Number(r.sex) as NewResident['sex'],
            municipalityCode: r.municipality_code,
            municipalityName: r.municipality_name,
          }),
        );
        expect(readBack.sort()).toEqual([...syntheticResidents(10_500, { seed: 7 })].map(key).sort());
        expect(loaded.every((r) => r.full_name_kana === null)).toBe(true);
      });

      it('bulk-inserts all or nothing', async () => {
        const before = await store.residents.count();
        const rows = [...syntheticResidents(2500, { seed: 8 })];
        rows[2100] = { ...(rows[2100] as NewResident), birthDate: 'not a date' };
        expect(await codeOf(store.residents.bulkInsert(rows, { now: T0 }))).toBe('ISSUER_INVALID_INPUT');
        const withDuplicate = [...syntheticResidents(2500, { seed: 9 })].map((r, i) => ({
          ...r,
          id: `dup-${i % 2000}`,
        }));
        expect(await codeOf(store.residents.bulkInsert(withDuplicate, { now: T0 }))).toBe('ISSUER_DUPLICATE');
        expect(await store.residents.count()).toBe(before);
      });
    });

    describe('cards', () => {
      const card = (residentId: string, over: Record<string, unknown> = {}) => ({
        residentId,
        cardNumber: randomBytes(6).toString('hex').toUpperCase(),
        issuedAt: T0,
        expiresAt: T0 + 10 * 365 * 86_400_000,
        signCert: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
        authCert: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x02]),
        signPasswordVerifier: 'scrypt$sign',
        authPinVerifier: 'scrypt$auth',
        supportPinVerifier: 'scrypt$support',
        ...over,
      });

      it('keeps one active card per resident, with its certificates byte for byte', async () => {
        const r = await newResident();
        const c1 = await store.cards.create(card(r.id), T0);
        expect(await store.cards.get(c1.id)).toEqual(c1);
        expect(await store.cards.getByCardNumber(c1.cardNumber)).toEqual(c1);
        expect(c1.signCert).toEqual(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]));
        expect(await codeOf(store.cards.create(card(r.id), T0))).toBe('ISSUER_CARD_CONFLICT');
        expect(await codeOf(store.cards.create(card(r.id, { cardNumber: c1.cardNumber }), T0))).toBe(
          'ISSUER_CARD_CONFLICT',
        );
        expect(await store.cards.revoke(c1.id, T0 + 1)).toBe(true);
        expect(await store.cards.revoke(c1.id, T0 + 2)).toBe(false);
        expect(await codeOf(store.cards.create(card(r.id, { cardNumber: c1.cardNumber }), T0))).toBe(
          'ISSUER_DUPLICATE',
        );
        const c2 = await store.cards.create(card(r.id), T0 + 3);
        expect((await store.cards.activeForResident(r.id))?.id).toBe(c2.id);
        expect((await store.cards.listForResident(r.id)).map((c) => [c.id, c.state])).toEqual([
          [c1.id, 'revoked'],
          [c2.id, 'active'],
        ]);
      });

      it('stores a card without signature certificate (under 15) and refuses half of one', async () => {
        const r = await newResident({ birthDate: '2016-05-05' });
        const c = await store.cards.create(card(r.id, { signCert: null, signPasswordVerifier: null }), T0);
        expect(c.signCert).toBeNull();
        const other = await newResident();
        expect(await codeOf(store.cards.create(card(other.id, { signCert: null }), T0))).toBe(
          'ISSUER_INVALID_INPUT',
        );
        expect(await codeOf(store.cards.create(card('no-such-resident'), T0))).toBe('ISSUER_NOT_FOUND');
      });
    });

    describe('installations and the one-device rule', () => {
      it('completes, then supersedes: old credentials revoked as the new ones appear', async () => {
        const r = await newResident();
        const first = await store.installations.begin(
          { residentId: r.id, family: 'iphone', deviceInfo: { model: 'sandbox-phone' } },
          T0,
        );
        expect(first).toMatchObject({
          state: 'pending',
          baseGeneration: 0,
          deviceInfo: { model: 'sandbox-phone' },
        });
        const done1 = await store.installations.complete(first.id, credentialsFor(IPHONE), {
          now: T0 + 10,
          keyAttestation: 'eyJ-attestation',
        });
        expect(done1.superseded).toBeUndefined();
        expect(done1.installation).toMatchObject({
          state: 'active',
          completedAt: T0 + 10,
          keyAttestation: 'eyJ-attestation',
        });
        expect(await store.installations.currentGeneration(r.id)).toBe(1);
        expect((await store.installations.activeForResident(r.id))?.id).toBe(first.id);

        const second = await store.installations.begin({ residentId: r.id, family: 'android' }, T0 + 20);
        expect(second.baseGeneration).toBe(1);
        const done2 = await store.installations.complete(
          second.id,
          credentialsFor(['jpki-sign', 'jpki-auth']),
          {
            now: T0 + 30,
          },
        );
        expect(done2.superseded).toEqual({
          installationId: first.id,
          revokedCredentialIds: done1.credentials.map((c) => c.id).sort(),
        });
        expect(await store.installations.get(first.id)).toMatchObject({
          state: 'superseded',
          endedAt: T0 + 30,
        });
        for (const c of await store.credentials.listByInstallation(first.id)) {
          expect(c).toMatchObject({ state: 'revoked', revocationReason: 'superseded', revokedAt: T0 + 30 });
        }
        const active = await store.credentials.listActiveForResident(r.id);
        expect(active.map((c) => c.id).sort()).toEqual(done2.credentials.map((c) => c.id).sort());
        expect((await store.installations.activeForResident(r.id))?.id).toBe(second.id);
        expect((await store.installations.listForResident(r.id)).map((i) => i.id)).toEqual([
          first.id,
          second.id,
        ]);
      });

      it('rolls the supersession back when the new credentials cannot be written', async () => {
        const r = await newResident();
        const first = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
        const done1 = await store.installations.complete(first.id, credentialsFor(IPHONE), { now: T0 + 1 });
        const second = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0 + 2);
        const clash = credentialsFor(IPHONE);
        const taken = done1.credentials.find((c) => c.kind === 'jpki-sign')?.serial as string;
        clash[1] = { ...(clash[1] as NewCredential), serial: taken };
        expect(await codeOf(store.installations.complete(second.id, clash, { now: T0 + 3 }))).toBe(
          'ISSUER_DUPLICATE',
        );
        // Nothing of the failed completion remains: the old installation and its credentials are untouched.
        expect(await store.installations.get(first.id)).toMatchObject({ state: 'active' });
        expect((await store.credentials.listActiveForResident(r.id)).length).toBe(3);
        expect(await store.installations.get(second.id)).toMatchObject({ state: 'pending' });
        expect(await store.installations.currentGeneration(r.id)).toBe(1);
        expect(await store.credentials.listByInstallation(second.id)).toEqual([]);
      });

      it('refuses a stale base, a second completion and unknown installations', async () => {
        const r = await newResident();
        const a = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
        const b = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
        await store.installations.complete(a.id, credentialsFor(IPHONE), { now: T0 + 1 });
        expect(
          await codeOf(store.installations.complete(a.id, credentialsFor(IPHONE), { now: T0 + 2 })),
        ).toBe('ISSUER_INSTALLATION_STATE');
        expect(
          await codeOf(store.installations.complete(b.id, credentialsFor(IPHONE), { now: T0 + 2 })),
        ).toBe('ISSUER_INSTALLATION_CONFLICT');
        expect(await store.installations.fail(b.id, T0 + 3)).toBe(true);
        expect(await store.installations.get(b.id)).toMatchObject({ state: 'failed', endedAt: T0 + 3 });
        expect(await store.installations.fail(b.id, T0 + 4)).toBe(false);
        expect(await codeOf(store.installations.complete('nope', [], { now: T0 }))).toBe('ISSUER_NOT_FOUND');
        expect(await codeOf(store.installations.begin({ residentId: 'nope', family: 'iphone' }, T0))).toBe(
          'ISSUER_NOT_FOUND',
        );
        expect(
          await codeOf(store.installations.begin({ residentId: r.id, family: 'nokia' as 'iphone' }, T0)),
        ).toBe('ISSUER_INVALID_INPUT');
        const c = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
        const wrong: NewCredential[] = [
          { kind: 'mdoc', serial: '01', notAfter: T0, bytes: new Uint8Array([1]) },
        ];
        expect(await codeOf(store.installations.complete(c.id, wrong, { now: T0 }))).toBe(
          'ISSUER_INVALID_INPUT',
        );
      });

      it('lets exactly one of 50 concurrent completions from one base win; the losers write nothing', async () => {
        const r = await newResident();
        const prior = await store.installations.begin({ residentId: r.id, family: 'android' }, T0);
        const priorDone = await store.installations.complete(
          prior.id,
          credentialsFor(['jpki-sign', 'jpki-auth']),
          {
            now: T0 + 1,
          },
        );
        const racers = [];
        for (let i = 0; i < 50; i++)
          racers.push(await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0 + 2));
        const outcomes = await Promise.allSettled(
          racers.map((x) => store.installations.complete(x.id, credentialsFor(IPHONE), { now: T0 + 3 })),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const o of lost) expect((o.reason as IssuerError).code).toBe('ISSUER_INSTALLATION_CONFLICT');
        const winnerId = (won[0] as PromiseFulfilledResult<{ installation: { id: string } }>).value
          .installation.id;
        for (const x of racers) {
          const creds = await store.credentials.listByInstallation(x.id);
          expect(creds.length).toBe(x.id === winnerId ? 3 : 0);
          expect((await store.installations.get(x.id))?.state).toBe(x.id === winnerId ? 'active' : 'pending');
        }
        expect(await store.installations.currentGeneration(r.id)).toBe(2);
        expect(await store.installations.get(prior.id)).toMatchObject({ state: 'superseded' });
        const active = await store.credentials.listActiveForResident(r.id);
        expect(active.map((c) => c.installationId)).toEqual([winnerId, winnerId, winnerId]);
        for (const c of priorDone.credentials)
          expect((await store.credentials.get(c.id))?.state).toBe('revoked');
      });

      it('adds the record later to the active Android installation, never to a superseded one', async () => {
        const r = await newResident();
        const a = await store.installations.begin({ residentId: r.id, family: 'android' }, T0);
        await store.installations.complete(a.id, credentialsFor(['jpki-sign', 'jpki-auth']), { now: T0 + 1 });
        const [record] = await store.installations.addCredentials(a.id, credentialsFor(['mdoc']), T0 + 2);
        expect(record).toMatchObject({
          kind: 'mdoc',
          installationId: a.id,
          residentId: r.id,
          state: 'active',
        });
        expect(await store.credentials.getByMsoDigest(record?.msoDigest as string)).toEqual(record);
        expect((await store.credentials.listActiveForResident(r.id)).length).toBe(3);

        const pending = await store.installations.begin({ residentId: r.id, family: 'android' }, T0 + 3);
        expect(
          await codeOf(store.installations.addCredentials(pending.id, credentialsFor(['mdoc']), T0 + 3)),
        ).toBe('ISSUER_INSTALLATION_STATE');
        await store.installations.complete(pending.id, credentialsFor(['jpki-sign', 'jpki-auth']), {
          now: T0 + 4,
        });
        expect(await codeOf(store.installations.addCredentials(a.id, credentialsFor(['mdoc']), T0 + 5))).toBe(
          'ISSUER_INSTALLATION_STATE',
        );
        expect((await store.credentials.get(record?.id as string))?.revocationReason).toBe('superseded');
      });
    });

    describe('credentials', () => {
      it('are found by serial and MSO digest, and revoked once', async () => {
        const r = await newResident();
        const i = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
        const { credentials } = await store.installations.complete(i.id, credentialsFor(IPHONE), { now: T0 });
        const sign = credentials.find((c) => c.kind === 'jpki-sign') as Credential;
        const mdoc = credentials.find((c) => c.kind === 'mdoc') as Credential;
        expect(
          await store.credentials.getBySerial('jpki-sign', (sign.serial as string).toUpperCase()),
        ).toEqual(sign);
        expect(await store.credentials.getBySerial('jpki-auth', sign?.serial as string)).toBeUndefined();
        expect(await store.credentials.getByMsoDigest(mdoc?.msoDigest as string)).toEqual(mdoc);
        expect(await store.credentials.revoke(sign?.id as string, 'keyCompromise', T0 + 5)).toBe(true);
        expect(await store.credentials.revoke(sign?.id as string, 'keyCompromise', T0 + 6)).toBe(false);
        expect(await store.credentials.get(sign?.id as string)).toMatchObject({
          state: 'revoked',
          revocationReason: 'keyCompromise',
          revokedAt: T0 + 5,
        });
        expect(
          await codeOf(store.credentials.revoke(mdoc?.id as string, 'because' as 'superseded', T0)),
        ).toBe('ISSUER_INVALID_INPUT');
      });
    });

    describe('OpenID4VCI offers, access tokens and nonces', () => {
      let installationId: string;
      beforeAll(async () => {
        const r: Resident = await newResident();
        installationId = (await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0)).id;
      });
      const code = () => randomBytes(32).toString('base64url');

      it('stores the code only as its SHA-256 and the tx_code only as a verifier', async () => {
        const c = code();
        await store.offers.create(
          { preAuthorizedCode: c, installationId, txCode: '493817', expiresAt: T0 + 600_000 },
          T0,
        );
        const rows = await store.db.selectFrom('oid4vci_offers').selectAll().execute();
        const row = rows.find(
          (x) => x.pre_authorized_code_hash === createHash('sha256').update(c).digest('hex'),
        );
        expect(row?.tx_code_verifier).toMatch(/^hmac-sha256\$v1\$[A-Za-z0-9_-]{43}$/);
        expect(JSON.stringify(rows)).not.toContain(c);
        expect(JSON.stringify(rows)).not.toContain('493817');
        expect(
          await codeOf(store.offers.create({ preAuthorizedCode: c, installationId, expiresAt: T0 + 1 }, T0)),
        ).toBe('ISSUER_DUPLICATE');
      });

      it('kills the code after 5 wrong tx_codes, even for the right one', async () => {
        const c = code();
        await store.offers.create(
          { preAuthorizedCode: c, installationId, txCode: '493817', expiresAt: T0 + 600_000 },
          T0,
        );
        expect(await store.offers.redeem({ preAuthorizedCode: c, now: T0 + 1 })).toEqual({
          outcome: 'invalid_tx_code',
          attemptsLeft: 5,
        });
        for (let left = 4; left >= 0; left--) {
          expect(await store.offers.redeem({ preAuthorizedCode: c, txCode: '000000', now: T0 + 1 })).toEqual({
            outcome: 'invalid_tx_code',
            attemptsLeft: left,
          });
        }
        expect(await store.offers.redeem({ preAuthorizedCode: c, txCode: '493817', now: T0 + 2 })).toEqual({
          outcome: 'locked',
        });
      });

      it('redeems once, after a wrong tx_code; says unknown, used and expired apart', async () => {
        const c = code();
        await store.offers.create(
          { preAuthorizedCode: c, installationId, txCode: '493817', expiresAt: T0 + 600_000 },
          T0,
        );
        expect(
          await store.offers.redeem({ preAuthorizedCode: c, txCode: '111111', now: T0 + 1 }),
        ).toMatchObject({
          outcome: 'invalid_tx_code',
        });
        expect(await store.offers.redeem({ preAuthorizedCode: c, txCode: '493817', now: T0 + 2 })).toEqual({
          outcome: 'redeemed',
          installationId,
        });
        expect(await store.offers.redeem({ preAuthorizedCode: c, txCode: '493817', now: T0 + 3 })).toEqual({
          outcome: 'used',
        });
        expect(await store.offers.redeem({ preAuthorizedCode: code(), now: T0 })).toEqual({
          outcome: 'unknown',
        });
        const old = code();
        await store.offers.create({ preAuthorizedCode: old, installationId, expiresAt: T0 + 10 }, T0);
        expect(await store.offers.redeem({ preAuthorizedCode: old, now: T0 + 10 })).toEqual({
          outcome: 'expired',
        });
        expect(await store.offers.purgeExpired(T0 + 11)).toBeGreaterThanOrEqual(1);
        expect(await store.offers.redeem({ preAuthorizedCode: old, now: T0 + 10 })).toEqual({
          outcome: 'unknown',
        });
      });

      it('says tx_code_unexpected for a tx_code sent to an offer without one, and leaves the code unspent', async () => {
        const c = code();
        await store.offers.create({ preAuthorizedCode: c, installationId, expiresAt: T0 + 600_000 }, T0);
        expect(await store.offers.redeem({ preAuthorizedCode: c, txCode: '493817', now: T0 + 1 })).toEqual({
          outcome: 'tx_code_unexpected',
        });
        expect(await store.offers.redeem({ preAuthorizedCode: c, now: T0 + 2 })).toEqual({
          outcome: 'redeemed',
          installationId,
        });
      });

      it('binds a tx_code verifier to its offer: moved to another offer, it matches nothing', async () => {
        const [a, b] = [code(), code()];
        for (const c of [a, b])
          await store.offers.create(
            { preAuthorizedCode: c, installationId, txCode: '493817', expiresAt: T0 + 600_000 },
            T0,
          );
        const verifierOf = async (c: string) =>
          (
            await store.db
              .selectFrom('oid4vci_offers')
              .select('tx_code_verifier')
              .where('pre_authorized_code_hash', '=', createHash('sha256').update(c).digest('hex'))
              .executeTakeFirstOrThrow()
          ).tx_code_verifier;
        const fromA = await verifierOf(a);
        expect(fromA).not.toBe(await verifierOf(b));
        await store.db
          .updateTable('oid4vci_offers')
          .set({ tx_code_verifier: fromA })
          .where('pre_authorized_code_hash', '=', createHash('sha256').update(b).digest('hex'))
          .execute();
        expect(await store.offers.redeem({ preAuthorizedCode: b, txCode: '493817', now: T0 + 1 })).toEqual({
          outcome: 'invalid_tx_code',
          attemptsLeft: 4,
        });
      });

      it('counts concurrent wrong guesses atomically: at most 5 are checked', async () => {
        const c = code();
        await store.offers.create(
          { preAuthorizedCode: c, installationId, txCode: '493817', expiresAt: T0 + 600_000 },
          T0,
        );
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.offers.redeem({ preAuthorizedCode: c, txCode: String(100000 + i), now: T0 + 1 }),
          ),
        );
        expect(results.filter((x) => x.outcome === 'invalid_tx_code')).toHaveLength(5);
        expect(results.filter((x) => x.outcome === 'locked')).toHaveLength(15);
        const row = await store.db
          .selectFrom('oid4vci_offers')
          .select('failed_attempts')
          .where('pre_authorized_code_hash', '=', createHash('sha256').update(c).digest('hex'))
          .executeTakeFirstOrThrow();
        expect(Number(row.failed_attempts)).toBe(5);
      });

      it('lets one of many concurrent redemptions win', async () => {
        const c = code();
        await store.offers.create({ preAuthorizedCode: c, installationId, expiresAt: T0 + 600_000 }, T0);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.offers.redeem({ preAuthorizedCode: c, now: T0 + 1 })),
        );
        expect(results.filter((x) => x.outcome === 'redeemed')).toHaveLength(1);
        expect(results.filter((x) => x.outcome === 'used')).toHaveLength(9);
      });

      it('finds access tokens by hash until they expire', async () => {
        const token = randomBytes(32).toString('base64url');
        await store.accessTokens.create({ token, installationId, expiresAt: T0 + 300_000 }, T0);
        expect(await store.accessTokens.find(token, T0 + 1)).toEqual({
          installationId,
          expiresAt: T0 + 300_000,
        });
        expect(await store.accessTokens.find(token, T0 + 300_000)).toBeUndefined();
        expect(await store.accessTokens.find(randomBytes(32).toString('base64url'), T0)).toBeUndefined();
        const rows = await store.db.selectFrom('oid4vci_access_tokens').selectAll().execute();
        expect(JSON.stringify(rows)).not.toContain(token);
        expect(await store.accessTokens.purgeExpired(T0 + 300_001)).toBeGreaterThanOrEqual(1);
      });

      it('consumes c_nonces once', async () => {
        const now = new Date(T0);
        await store.nonces.issue({ nonce: 'c-nonce-1', purpose: 'oid4vci', now, ttlSeconds: 300 });
        expect(await store.nonces.consume({ nonce: 'c-nonce-1', purpose: 'oid4vci', now })).toBe('consumed');
        expect(await store.nonces.consume({ nonce: 'c-nonce-1', purpose: 'oid4vci', now })).toBe('replayed');
      });
    });

    describe('events and transactions', () => {
      it('appends events and lists a resident’s newest first', async () => {
        const r = await newResident();
        await store.events.append({ kind: 'installation.begun', residentId: r.id, detail: { n: 1 }, at: T0 });
        await store.events.append({
          kind: 'installation.completed',
          residentId: r.id,
          detail: { n: 2 },
          at: T0 + 1,
        });
        const events = await store.events.listForResident(r.id);
        expect(events.map((e) => [e.kind, e.detail])).toEqual([
          ['installation.completed', { n: 2 }],
          ['installation.begun', { n: 1 }],
        ]);
        expect(await codeOf(store.events.append({ kind: 'Bad Kind', at: T0 }))).toBe('ISSUER_INVALID_INPUT');
        expect(
          await codeOf(store.events.append({ kind: 'big', detail: { x: 'x'.repeat(5000) }, at: T0 })),
        ).toBe('ISSUER_INVALID_INPUT');
      });

      it('commits grouped writes together or not at all', async () => {
        const before = await store.residents.count();
        await expect(
          store.transaction(async (tx) => {
            const r = await tx.residents.create(residentInput(), T0);
            await tx.events.append({ kind: 'resident.registered', residentId: r.id, at: T0 });
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await store.residents.count()).toBe(before);
        const kept = await store.transaction(async (tx) => {
          const r = await tx.residents.create(residentInput(), T0);
          const i = await tx.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
          return tx.installations.complete(i.id, credentialsFor(IPHONE), { now: T0 });
        });
        expect((await store.credentials.listActiveForResident(kept.installation.residentId)).length).toBe(3);
      });
    });
  });
}
