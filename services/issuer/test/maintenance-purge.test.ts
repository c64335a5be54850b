/**
 * The maintenance run: expired single-use values are deleted, live ones stay; an installation pending for
 * more than a day is failed as abandoned (staged certificates dropped, token deleted, event logged), a
 * fresh one stays pending; issued credentials are never touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_INSTALLATION_TTL_MS, purgeExpired } from '../src/maintenance/purge-expired.js';
import { type IssuerStore, openIssuerStore } from '../src/store/index.js';
import { residentInput } from './helpers/installation-fixtures.js';

const T0 = Date.UTC(2026, 4, 10);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'mynakit-issuer-maintenance-'));
let store: IssuerStore;
beforeAll(async () => {
  store = await openIssuerStore({ url: `sqlite:${join(dir, 'issuer.sqlite')}` });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (table: 'nonces' | 'oid4vci_offers' | 'oid4vci_access_tokens' | 'installation_tokens') =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('purgeExpired', () => {
  it('clears what expired and fails what was abandoned, and nothing else', async () => {
    const r = await store.residents.create(residentInput(), T0);
    const old = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
    const fresh = await store.installations.begin({ residentId: r.id, family: 'android' }, T0 + DAY + 1000);
    await store.stagedCredentials.stage(
      old.id,
      [
        {
          kind: 'jpki-auth',
          serial: 'ab02',
          notAfter: T0 + 5 * 365 * DAY,
          bytes: new Uint8Array([0x30, 0x00]),
        },
      ],
      T0,
    );
    await store.installationTokens.create(
      { token: 'old-installation-token-0001', installationId: old.id, expiresAt: T0 + 600_000 },
      T0,
    );
    await store.installationTokens.create(
      { token: 'fresh-installation-token-02', installationId: fresh.id, expiresAt: T0 + 2 * DAY },
      T0 + DAY,
    );
    await store.offers.create(
      { preAuthorizedCode: 'old-pre-authorized-code-01', installationId: old.id, expiresAt: T0 + 300_000 },
      T0,
    );
    await store.accessTokens.create({ token: 'old-access-token-00000001', installationId: old.id, expiresAt: T0 + 300_000 }, T0);
    await store.nonces.issue({ nonce: 'n-old', purpose: 'c_nonce', now: new Date(T0), ttlSeconds: 300 });
    await store.nonces.issue({
      nonce: 'n-live',
      purpose: 'c_nonce',
      now: new Date(T0 + DAY + 1000),
      ttlSeconds: 300,
    });

    const now = T0 + PENDING_INSTALLATION_TTL_MS + 2000;
    const result = await purgeExpired({ store, clock: () => new Date(now) });
    expect(result).toEqual({
      nonces: 1,
      offers: 1,
      accessTokens: 1,
      installationTokens: 1,
      noticeSubscriptions: 0,
      abandonedInstallations: 1,
    });
    expect((await store.installations.get(old.id))?.state).toBe('failed');
    expect((await store.installations.get(fresh.id))?.state).toBe('pending');
    expect(await store.stagedCredentials.list(old.id)).toEqual([]);
    expect(await count('installation_tokens')).toBe(1);
    expect(await count('nonces')).toBe(1);
    const events = await store.events.listForResident(r.id);
    expect(events.find((e) => e.kind === 'installation.failed')?.detail).toMatchObject({
      installationId: old.id,
      reason: 'abandoned',
      discardedSerials: ['ab02'],
    });
    // A second run finds nothing more.
    expect(
      Object.values(await purgeExpired({ store, clock: () => new Date(now) })).every((n) => n === 0),
    ).toBe(true);
  });
});
