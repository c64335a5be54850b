/**
 * The cross-device session store's cases, run on SQLite (cross-device-store-sqlite.test.ts) and PostgreSQL
 * (cross-device-store-postgres.pg.test.ts): a cross-device session keeps its signed request object beside
 * its `verification_sessions` row (no Annex C key), its result is kept once, the disclosed values are sealed
 * to the session and go to exactly one of two reads at once (across instances), another relying party
 * reads nothing, and expired rows are purged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerifierMaintenance } from '../src/maintenance.js';
import {
  CrossDeviceRepository,
  openResultElements,
  sealResultElements,
} from '../src/sessions/cross-device-repository.js';
import { CROSS_DEVICE_PROTOCOL } from '../src/sessions/cross-device-session.js';
import type { VerifierStore } from '../src/store/index.js';
import { newId } from '../src/store/store-support.js';
import { rpConfig, T0 } from './store.cases.js';

/** Defines the cases on stores made by `open` (two instances on one database, or the same store twice). */
export function defineCrossDeviceStoreCases(
  name: string,
  open: () => Promise<{ a: VerifierStore; b: VerifierStore }>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`cross-device sessions on ${name}`, () => {
    let a: VerifierStore;
    let b: VerifierStore;
    let rpId: string;
    let otherRpId: string;
    const kek = new Uint8Array(32).fill(9);
    const elements = { 'org.iso.23220.1.jp': { full_name_unicode: '番号　花子' } };

    beforeAll(async () => {
      ({ a, b } = await open());
      rpId = (await a.relyingParties.create(rpConfig({ origins: ['https://bank.example'] }), T0)).relyingParty
        .id;
      otherRpId = (await a.relyingParties.create(rpConfig({ origins: ['https://other.example'] }), T0))
        .relyingParty.id;
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await cleanup();
    });

    async function newCrossDeviceSession(expiresIn = 300_000): Promise<string> {
      const id = newId();
      await a.sessions.create({
        id,
        relyingPartyId: rpId,
        credentialId: 'cred-1',
        protocol: CROSS_DEVICE_PROTOCOL,
        purpose: 'account-opening',
        origin: 'https://bank.example',
        elements: { 'org.iso.23220.1.jp': ['full_name_unicode'] },
        deviceRequest: '',
        encryptionInfo: '',
        openid4vpRequest: '{}',
        createdAt: T0,
        expiresAt: T0 + expiresIn,
      });
      await new CrossDeviceRepository(a.db).create({
        sessionId: id,
        relyingPartyId: rpId,
        requestObject: 'header.payload.signature',
        createdAt: T0,
        expiresAt: T0 + expiresIn,
      });
      return id;
    }

    it('keeps the request object beside a session row without an Annex C key', async () => {
      const id = await newCrossDeviceSession();
      const row = await b.sessions.get(id);
      expect(row?.protocol).toBe(CROSS_DEVICE_PROTOCOL);
      expect(row?.recipientKey).toBeNull();
      const kept = await new CrossDeviceRepository(b.db).get(id, rpId);
      expect(kept).toMatchObject({ requestObject: 'header.payload.signature', answered: false });
      expect(await new CrossDeviceRepository(b.db).get(id, otherRpId)).toBeUndefined();
    });

    it('keeps the result once; of two reads at once exactly one gets the sealed values', async () => {
      const id = await newCrossDeviceSession();
      const repoA = new CrossDeviceRepository(a.db);
      const repoB = new CrossDeviceRepository(b.db);
      expect(await repoA.takeResult(id, rpId)).toBeUndefined();
      const sealed = sealResultElements(elements, id, kek);
      expect(Buffer.from(sealed).includes(Buffer.from('番号'))).toBe(false);
      expect(await repoA.keepResult(id, { report: { verdict: 'valid' }, sealedElements: sealed })).toBe(true);
      expect(await repoB.keepResult(id, { report: { verdict: 'invalid' }, sealedElements: null })).toBe(
        false,
      );
      expect(await repoB.takeResult(id, otherRpId)).toBeUndefined();
      const [x, y] = await Promise.all([repoA.takeResult(id, rpId), repoB.takeResult(id, rpId)]);
      expect(x?.report).toEqual({ verdict: 'valid' });
      expect(y?.report).toEqual({ verdict: 'valid' });
      const got = [x?.sealedElements, y?.sealedElements].filter((s) => s !== null && s !== undefined);
      expect(got).toHaveLength(1);
      expect(openResultElements(got[0] as Uint8Array, id, kek)).toEqual(elements);
      // Sealed to its session: another session's id does not open it.
      expect(() => openResultElements(got[0] as Uint8Array, 'another-session', kek)).toThrow(
        expect.objectContaining({ code: 'VERIFIER_SESSION_KEY_UNAVAILABLE' }),
      );
      expect((await repoA.takeResult(id, rpId))?.sealedElements).toBeNull();
      expect((await repoA.get(id))?.answered).toBe(true);
    });

    it('purges rows whose session expired; the maintenance after the cross-check window', async () => {
      const id = await newCrossDeviceSession(1_000);
      const repo = new CrossDeviceRepository(a.db);
      expect(await repo.purgeExpired(T0 + 2_000)).toBeGreaterThanOrEqual(1);
      expect(await repo.get(id)).toBeUndefined();
      const kept = await newCrossDeviceSession(1_000);
      // Within the window a relying party may still read its result …
      expect((await runVerifierMaintenance(a, T0 + 60_000)).crossDeviceResults).toBe(0);
      expect(await repo.get(kept)).toBeDefined();
      // … after it, the row goes.
      expect((await runVerifierMaintenance(a, T0 + 31 * 60_000)).crossDeviceResults).toBe(1);
      expect(await repo.get(kept)).toBeUndefined();
    });
  });
}
