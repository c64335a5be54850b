/**
 * GET /statistics on one database dialect (statistics.test.ts: SQLite; statistics.pg.test.ts: PostgreSQL):
 * installations per family and JST day, switches and re-installs, revocations by reason, credentials in
 * force by kind — from real completions and supersessions in the store — and the range's bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, residentInput, type TestIssuer } from './helpers/installation-fixtures.js';
import { installationWithAuthCertificate, installationWithRecord } from './helpers/notice-fixtures.js';
import { CA_EPOCH } from './helpers/sandbox-ca.js';

/** 2026-04-02T00:00Z = 09:00 JST on 2 April. */
export const STATISTICS_NOW = new Date(CA_EPOCH.getTime() + 86_400_000);
/** 16:00Z on 2 April = 01:00 JST on 3 April: the JST day, not the UTC one, counts. */
const NEXT_JST_DAY = new Date(STATISTICS_NOW.getTime() + 16 * 3_600_000);
const LATER = new Date(STATISTICS_NOW.getTime() + 3 * 86_400_000);

/** Defines the statistics cases on an issuer made by `open`. */
export function defineStatisticsCases(name: string, open: () => Promise<TestIssuer>): void {
  describe(`GET /statistics (${name})`, () => {
    let t: TestIssuer;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const get = async (query: string, headers: Record<string, string> = auth) => {
      const res = await t.app.request(`/statistics${query}`, { headers });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };

    beforeAll(async () => {
      t = await open();
      const at = (d: Date) => {
        t.clock.now = d;
      };
      at(STATISTICS_NOW);
      const r1 = await t.store.residents.create(residentInput(), STATISTICS_NOW.getTime());
      const r2 = await t.store.residents.create(residentInput(), STATISTICS_NOW.getTime());
      await installationWithRecord(t, r1.id, 'iphone');
      await installationWithAuthCertificate(t, r2.id, 'android');
      // A pending installation is no completion.
      await t.store.installations.begin({ residentId: r2.id, family: 'iphone' }, STATISTICS_NOW.getTime());
      at(NEXT_JST_DAY);
      const switched = await installationWithAuthCertificate(t, r1.id, 'android');
      await installationWithAuthCertificate(t, r2.id, 'android');
      at(LATER);
      await t.store.revocations.revoke([switched.credentialId], 'keyCompromise', LATER.getTime());
    });
    afterAll(async () => {
      await t.close();
    });

    it('counts completions per family and JST day, device changes, revocations by reason, credentials in force', async () => {
      const r = await get('?from=2026-04-01&to=2026-04-05');
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ from: '2026-04-01', to: '2026-04-05', timeZone: 'Asia/Tokyo' });
      expect(r.json.installations).toEqual([
        { day: '2026-04-02', family: 'android', count: 1 },
        { day: '2026-04-02', family: 'iphone', count: 1 },
        { day: '2026-04-03', family: 'android', count: 2 },
      ]);
      expect(r.json.deviceChanges).toEqual([
        { day: '2026-04-03', from: 'android', to: 'android', change: 'reinstall', count: 1 },
        { day: '2026-04-03', from: 'iphone', to: 'android', change: 'switch', count: 1 },
      ]);
      expect(r.json.revocations).toEqual([
        { reason: 'keyCompromise', kind: 'jpki-auth', count: 1 },
        { reason: 'superseded', kind: 'jpki-auth', count: 1 },
        { reason: 'superseded', kind: 'mdoc', count: 1 },
      ]);
      expect(r.json.activeCredentials).toEqual([{ kind: 'jpki-auth', count: 1 }]);
      // Aggregates only: no id of any resident, installation or credential.
      expect(JSON.stringify(r.json)).not.toMatch(/test-resident|[0-9a-f]{8}-[0-9a-f]{4}-/);
    });

    it('keeps to the range asked', async () => {
      const r = await get('?from=2026-04-03&to=2026-04-03');
      expect(r.json.installations).toEqual([{ day: '2026-04-03', family: 'android', count: 2 }]);
      expect(r.json.revocations).toEqual([
        { reason: 'superseded', kind: 'jpki-auth', count: 1 },
        { reason: 'superseded', kind: 'mdoc', count: 1 },
      ]);
      const before = await get('?from=2026-03-01&to=2026-04-01');
      expect([before.json.installations, before.json.deviceChanges, before.json.revocations]).toEqual([
        [],
        [],
        [],
      ]);
      // Default: the 30 days up to today (JST).
      const byDefault = await get('');
      expect(byDefault.json).toMatchObject({ from: '2026-03-07', to: '2026-04-05' });
    });

    it('bounds the range and needs the operator token', async () => {
      const tooLong = await get('?from=2025-01-01&to=2026-01-02');
      expect([tooLong.status, tooLong.json.code]).toEqual([400, 'ISSUER_INVALID_INPUT']);
      expect((await get('?from=2025-01-01&to=2026-01-01')).status).toBe(200);
      const reversed = await get('?from=2026-04-05&to=2026-04-01');
      expect([reversed.status, reversed.json.code]).toEqual([400, 'ISSUER_INVALID_INPUT']);
      const notADay = await get('?from=2026-02-30&to=2026-04-01');
      expect([notADay.status, notADay.json.code]).toEqual([400, 'ISSUER_INVALID_INPUT']);
      const anonymous = await get('?from=2026-04-01&to=2026-04-05', {});
      expect([anonymous.status, anonymous.json.code]).toEqual([401, 'ISSUER_UNAUTHORIZED']);
    });
  });
}
