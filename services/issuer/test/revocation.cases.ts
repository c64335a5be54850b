import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IssuerError } from '../src/errors.js';
import type { IssuerStore, NewCredential } from '../src/store/index.js';
import { codeOf, credentialsFor, residentInput } from './store.cases.js';

const T0 = Date.UTC(2026, 11, 1);

/**
 * RevocationRepository (store.revocations), written once and run on SQLite (revocation-sqlite.test.ts) and
 * PostgreSQL (revocation-postgres.pg.test.ts).
 */
export function defineRevocationCases(
  name: string,
  open: () => Promise<IssuerStore>,
  cleanup?: () => Promise<void>,
) {
  describe(`RevocationRepository on ${name}`, () => {
    let store: IssuerStore;
    /** Each case its own partitions, so versions are the case's alone. */
    let nextPartition = 1000;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    async function partition(): Promise<number> {
      const p = nextPartition++;
      await store.db
        .insertInto('status_list_partitions')
        .values({
          partition: p,
          capacity: 1024,
          allocated: 0,
          permutation_key: randomBytes(32),
          version: 0,
          signed_version: null,
          token: null,
          etag: null,
          signed_at: null,
          expires_at: null,
          created_at: T0,
        })
        .execute();
      return p;
    }

    /** A resident with a completed iPhone installation whose record sits at `partitionOfRecord`. */
    async function installed(partitionOfRecord: number | null, index = 0) {
      const r = await store.residents.create(residentInput(), T0);
      const inst = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
      const creds: NewCredential[] = credentialsFor(['mdoc', 'jpki-sign', 'jpki-auth']).map((c) =>
        c.kind === 'mdoc'
          ? {
              ...c,
              ...(partitionOfRecord === null
                ? {}
                : { statusListPartition: partitionOfRecord, statusListIndex: index }),
              issuerCertificate: 'mdoc-ds-g0',
            }
          : {
              ...c,
              crlPartition: '139904',
              issuerCertificate: c.kind === 'jpki-sign' ? 'jpki-sign-ca-g0' : 'jpki-auth-ca-g0',
            },
      );
      const done = await store.installations.complete(inst.id, creds, { now: T0 + 1 });
      const byKind = new Map(done.credentials.map((c) => [c.kind, c]));
      return { resident: r, installation: done.installation, credentials: done.credentials, byKind };
    }

    const version = async (p: number) =>
      Number(
        (
          await store.db
            .selectFrom('status_list_partitions')
            .select('version')
            .where('partition', '=', p)
            .executeTakeFirstOrThrow()
        ).version,
      );
    const notices = async (installationId: string) =>
      (
        await store.db
          .selectFrom('notices')
          .selectAll()
          .where('installation_id', '=', installationId)
          .orderBy('seq')
          .execute()
      ).map((n) => ({ seq: Number(n.seq), kind: n.kind, detail: JSON.parse(n.detail), at: Number(n.at) }));

    it('revokes by compare-and-set: a second revocation of the same ids revokes nothing', async () => {
      const p = await partition();
      const h = await installed(p);
      const ids = h.credentials.map((c) => c.id);
      const first = await store.revocations.revoke(ids, 'keyCompromise', T0 + 10);
      expect(first.revoked.map((c) => c.id)).toEqual([...ids].sort());
      expect(first.revoked.every((c) => c.reason === 'keyCompromise')).toBe(true);
      const record = first.revoked.find((c) => c.kind === 'mdoc');
      expect(record).toMatchObject({
        installationId: h.installation.id,
        residentId: h.resident.id,
        statusListPartition: p,
        statusListIndex: 0,
        issuerCertificate: 'mdoc-ds-g0',
        crlPartition: null,
      });
      expect(first.change).toEqual({
        residentId: h.resident.id,
        installationIds: [h.installation.id],
        statusListPartitions: [p],
        crlPartitions: [
          { issuerCertificate: 'jpki-auth-ca-g0', crlPartition: '139904' },
          { issuerCertificate: 'jpki-sign-ca-g0', crlPartition: '139904' },
        ],
        at: T0 + 10,
      });
      for (const c of await store.credentials.listByInstallation(h.installation.id))
        expect(c).toMatchObject({ state: 'revoked', revocationReason: 'keyCompromise', revokedAt: T0 + 10 });

      const second = await store.revocations.revoke(ids, 'keyCompromise', T0 + 11);
      expect(second.revoked).toEqual([]);
      expect(second.change.installationIds).toEqual([]);
      expect(second.change.statusListPartitions).toEqual([]);
      // The first reason stays; no second bump, no second notice.
      expect(await version(p)).toBe(1);
      expect((await notices(h.installation.id)).length).toBe(1);
      expect((await store.credentials.get(ids[0] as string))?.revokedAt).toBe(T0 + 10);
    });

    it('lets exactly one of racing revocations of one credential change it', async () => {
      const p = await partition();
      const h = await installed(p);
      const id = h.byKind.get('mdoc')?.id as string;
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.revocations.revoke([id], 'keyCompromise', T0 + 20 + i)),
      );
      expect(outcomes.filter((o) => o.revoked.length === 1)).toHaveLength(1);
      expect(await version(p)).toBe(1);
      expect(await notices(h.installation.id)).toHaveLength(1);
    });

    it('bumps each touched partition once per call, and only those', async () => {
      const p1 = await partition();
      const p2 = await partition();
      const untouched = await partition();
      const a = await installed(p1, 0);
      const b = await installed(p1, 1);
      const c = await installed(p2, 0);
      // One call per resident; a and b share p1.
      await store.revocations.revoke([a.byKind.get('mdoc')?.id as string], 'affiliationChanged', T0 + 30);
      expect(await version(p1)).toBe(1);
      await store.transaction(
        async (tx) => {
          await tx.revocations.revoke([b.byKind.get('mdoc')?.id as string], 'affiliationChanged', T0 + 31);
          await tx.revocations.revoke([c.byKind.get('mdoc')?.id as string], 'affiliationChanged', T0 + 31);
        },
        { durable: true },
      );
      expect([await version(p1), await version(p2), await version(untouched)]).toEqual([2, 1, 0]);
      // A certificate has no status-list partition: revoking it bumps nothing.
      await store.revocations.revoke([c.byKind.get('jpki-auth')?.id as string], 'keyCompromise', T0 + 32);
      expect(await version(p2)).toBe(1);
    });

    it('bumps nothing and fails nothing when the partition row does not exist yet', async () => {
      const h = await installed(987_654);
      const r = await store.revocations.revoke([h.byKind.get('mdoc')?.id as string], 'keyCompromise', T0);
      expect(r.revoked).toHaveLength(1);
      expect(r.change.statusListPartitions).toEqual([987_654]);
      expect(
        await store.db
          .selectFrom('status_list_partitions')
          .select('partition')
          .where('partition', '=', 987_654)
          .execute(),
      ).toEqual([]);
    });

    it('numbers the notices of each installation 1, 2, 3 with kinds and reasons, no personal data', async () => {
      const p = await partition();
      const h = await installed(p);
      const other = await installed(p, 1);
      const [record, sign, auth] = ['mdoc', 'jpki-sign', 'jpki-auth'].map(
        (k) => h.byKind.get(k as 'mdoc')?.id as string,
      );
      await store.revocations.revoke([auth as string], 'certificateHold', T0 + 40);
      await store.revocations.reinstate([auth as string], T0 + 41);
      await store.revocations.revoke([record as string, sign as string], 'affiliationChanged', T0 + 42);
      await store.revocations.revoke([other.byKind.get('mdoc')?.id as string], 'keyCompromise', T0 + 43);
      const mine = await notices(h.installation.id);
      expect(mine.map((n) => [n.seq, n.kind, n.at])).toEqual([
        [1, 'credential.suspended', T0 + 40],
        [2, 'credential.reinstated', T0 + 41],
        [3, 'credential.revoked', T0 + 42],
      ]);
      // Certificates are also named by serial (the phone knows them so); the record by id only.
      const serialOf = (k: 'jpki-sign' | 'jpki-auth') => h.byKind.get(k)?.serial as string;
      expect(mine[0]?.detail).toEqual({
        credentials: [{ id: auth, kind: 'jpki-auth', serial: serialOf('jpki-auth') }],
        reason: 'certificateHold',
      });
      expect(mine[2]?.detail).toEqual({
        credentials: [
          { id: record, kind: 'mdoc' },
          { id: sign, kind: 'jpki-sign', serial: serialOf('jpki-sign') },
        ].sort((x, y) => ((x.id as string) < (y.id as string) ? -1 : 1)),
        reason: 'affiliationChanged',
      });
      expect((await notices(other.installation.id)).map((n) => n.seq)).toEqual([1]);
      const text = JSON.stringify(mine);
      expect(text).not.toContain(residentInput().fullName);
      expect(text).not.toContain(residentInput().address);
    });

    it('reinstates only from certificateHold, and only on an active installation', async () => {
      const p = await partition();
      const h = await installed(p);
      const record = h.byKind.get('mdoc')?.id as string;
      const sign = h.byKind.get('jpki-sign')?.id as string;
      const auth = h.byKind.get('jpki-auth')?.id as string;
      // Active: nothing to lift.
      expect((await store.revocations.reinstate([record], T0 + 50)).revoked).toEqual([]);
      await store.revocations.revoke([record, auth], 'certificateHold', T0 + 51);
      await store.revocations.revoke([sign], 'affiliationChanged', T0 + 51);
      // A hold is no hold twice.
      expect((await store.revocations.revoke([record], 'certificateHold', T0 + 52)).revoked).toEqual([]);
      const lifted = await store.revocations.reinstate([record, sign], T0 + 53);
      expect(lifted.revoked.map((c) => [c.id, c.reason])).toEqual([[record, 'certificateHold']]);
      expect(lifted.change.statusListPartitions).toEqual([p]);
      expect(await store.credentials.get(record)).toMatchObject({
        state: 'active',
        revokedAt: null,
        revocationReason: null,
      });
      expect(await store.credentials.get(sign)).toMatchObject({
        state: 'revoked',
        revocationReason: 'affiliationChanged',
      });
      expect(await version(p)).toBe(2);

      // A hold becomes final: the auth certificate on hold is revoked for good by a later death…
      const final = await store.revocations.revoke([auth], 'cessationOfOperation', T0 + 54);
      expect(final.revoked.map((c) => c.reason)).toEqual(['cessationOfOperation']);
      expect((await store.revocations.reinstate([auth], T0 + 55)).revoked).toEqual([]);

      // …and a new device supersedes held credentials too: the old phone never gets them back.
      const q = await installed(p, 7);
      const held = q.byKind.get('jpki-auth')?.id as string;
      await store.revocations.revoke([held], 'certificateHold', T0 + 56);
      const next = await store.installations.begin({ residentId: q.resident.id, family: 'android' }, T0 + 57);
      const done = await store.installations.complete(next.id, credentialsFor(['jpki-sign', 'jpki-auth']), {
        now: T0 + 58,
      });
      expect(done.superseded?.revokedCredentialIds).toContain(held);
      expect((await store.revocations.reinstate([held], T0 + 59)).revoked).toEqual([]);
    });

    it('supersedes through revocations: partition bumped, old phone told, change returned', async () => {
      const p = await partition();
      const h = await installed(p);
      const next = await store.installations.begin({ residentId: h.resident.id, family: 'iphone' }, T0 + 60);
      const done = await store.installations.complete(next.id, credentialsFor(['jpki-auth']), {
        now: T0 + 61,
      });
      expect(done.change).toMatchObject({
        residentId: h.resident.id,
        installationIds: [h.installation.id],
        statusListPartitions: [p],
        at: T0 + 61,
      });
      expect(done.change?.crlPartitions).toHaveLength(2);
      expect(await version(p)).toBe(1);
      const told = await notices(h.installation.id);
      expect(told.map((n) => [n.seq, n.kind])).toEqual([
        [1, 'credential.revoked'],
        [2, 'installation.superseded'],
      ]);
      expect(told[0]?.detail.reason).toBe('superseded');
      expect(told[0]?.detail.credentials).toHaveLength(3);
      expect(told[1]?.detail).toEqual({ installationId: h.installation.id, supersededBy: next.id });
      expect(await notices(next.id)).toEqual([]);
      // A first installation supersedes nothing.
      const fresh = await store.residents.create(residentInput(), T0);
      const first = await store.installations.begin({ residentId: fresh.id, family: 'android' }, T0);
      expect(
        (await store.installations.complete(first.id, credentialsFor(['jpki-auth']), { now: T0 })).change,
      ).toBe(undefined);
    });

    it('credentials.revoke goes through it', async () => {
      const p = await partition();
      const h = await installed(p);
      expect(
        await store.credentials.revoke(h.byKind.get('mdoc')?.id as string, 'keyCompromise', T0 + 70),
      ).toBe(true);
      expect(await version(p)).toBe(1);
      expect((await notices(h.installation.id)).map((n) => n.kind)).toEqual(['credential.revoked']);
    });

    it('records life events in one transaction: racing events revoke each credential once', async () => {
      const p = await partition();
      const h = await installed(p);
      const outcomes = await Promise.allSettled([
        store.lifeEvents.record({ residentId: h.resident.id, event: 'phoneLost' }, T0 + 80),
        store.lifeEvents.record({ residentId: h.resident.id, event: 'death' }, T0 + 81),
        store.lifeEvents.record({ residentId: h.resident.id, event: 'cardSuspended' }, T0 + 82),
      ]);
      const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      // PostgreSQL may abort a loser on a serialization or deadlock error; nothing of it is then written.
      expect(done.length).toBeGreaterThan(0);
      const revokedIds = done.flatMap((d) => d.lifeEvent.revoked.map((c) => c.id));
      // Each credential revoked (or held, then made final) by the events that ran; none twice for good.
      const final = await store.credentials.listByInstallation(h.installation.id);
      for (const c of final) expect(c.state).toBe('revoked');
      expect(new Set(revokedIds)).toEqual(new Set(final.map((c) => c.id)));
      const stored = await store.lifeEvents.listForResident(h.resident.id);
      expect(stored.lifeEvents.map((e) => e.id).sort()).toEqual(done.map((d) => d.lifeEvent.id).sort());
      const seqs = (await notices(h.installation.id)).map((n) => n.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(await version(p)).toBeGreaterThanOrEqual(1);
    });

    it('rolls a life event back whole when a step fails', async () => {
      const h = await installed(null);
      expect(
        await codeOf(
          store.transaction(
            async (tx) => {
              await tx.lifeEvents.record({ residentId: h.resident.id, event: 'death' }, T0 + 90);
              throw new IssuerError('ISSUER_INVALID_INPUT', 'a later step of the caller failed');
            },
            { durable: true },
          ),
        ),
      ).toBe('ISSUER_INVALID_INPUT');
      expect((await store.credentials.listActiveForResident(h.resident.id)).length).toBe(3);
      expect((await store.lifeEvents.listForResident(h.resident.id)).lifeEvents).toEqual([]);
      expect(await notices(h.installation.id)).toEqual([]);
    });

    it('refuses bad input, and ids of two residents in one call', async () => {
      const a = await installed(null);
      const b = await installed(null);
      expect(
        await codeOf(
          store.revocations.revoke(
            [a.credentials[0]?.id as string, b.credentials[0]?.id as string],
            'keyCompromise',
            T0,
          ),
        ),
      ).toBe('ISSUER_INVALID_INPUT');
      expect(await codeOf(store.revocations.revoke(['x'], 'because' as 'superseded', T0))).toBe(
        'ISSUER_INVALID_INPUT',
      );
      expect(await codeOf(store.revocations.revoke(['x'], 'keyCompromise', -1))).toBe('ISSUER_INVALID_INPUT');
      expect(
        await codeOf(
          store.revocations.revoke(
            Array.from({ length: 1001 }, (_, i) => `id-${i}`),
            'keyCompromise',
            T0,
          ),
        ),
      ).toBe('ISSUER_INVALID_INPUT');
      // Nothing was changed by the refused call.
      expect((await store.credentials.listActiveForResident(a.resident.id)).length).toBe(3);
      // Unknown ids: nothing to do.
      const none = await store.revocations.revoke(['no-such-credential'], 'keyCompromise', T0);
      expect(none).toEqual({
        revoked: [],
        change: { residentId: '', installationIds: [], statusListPartitions: [], crlPartitions: [], at: T0 },
      });
    });
  });
}
