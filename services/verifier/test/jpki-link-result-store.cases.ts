/**
 * The store of JPKI link results (jpki/jpki-link-result-repository.ts), run on SQLite
 * (jpki-link-result-store-sqlite.test.ts) and PostgreSQL (jpki-link-result-store-postgres.pg.test.ts): a
 * result is kept once, the identity facts are sealed to the session and go to exactly one of two reads at
 * once (across instances), another relying party reads nothing, and maintenance purges expired rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JpkiLinkResultRepository,
  openLinkIdentity,
  sealLinkIdentity,
} from '../src/jpki/jpki-link-result-repository.js';
import { runVerifierMaintenance } from '../src/maintenance.js';
import type { VerifierStore } from '../src/store/index.js';
import { newId } from '../src/store/store-support.js';
import { rpConfig, T0 } from './store.cases.js';

/** Defines the cases on stores made by `open` (two instances on one database, or the same store twice). */
export function defineJpkiLinkResultStoreCases(
  name: string,
  open: () => Promise<{ a: VerifierStore; b: VerifierStore }>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`JPKI link results on ${name}`, () => {
    let a: VerifierStore;
    let b: VerifierStore;
    let rpId: string;
    let otherRpId: string;
    const kek = new Uint8Array(32).fill(9);
    const identity = {
      name: '番号　花子',
      address: '東京都千代田区',
      birthDate: '1990-01-01',
      sex: 'female',
    };
    const report = { verdict: 'valid', checks: [], recordId: 'r-1', flags: [] };

    beforeAll(async () => {
      ({ a, b } = await open());
      rpId = (await a.relyingParties.create(rpConfig(), T0)).relyingParty.id;
      otherRpId = (await a.relyingParties.create(rpConfig(), T0)).relyingParty.id;
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await cleanup();
    });

    const keep = (sessionId: string, withIdentity = true, expiresAt = T0 + 300_000) =>
      new JpkiLinkResultRepository(a.db).keep({
        sessionId,
        relyingPartyId: rpId,
        report,
        sealedIdentity: withIdentity ? sealLinkIdentity(identity, sessionId, kek) : null,
        createdAt: T0,
        expiresAt,
      });

    it('keeps a result once; the identity goes to one of two reads at once, sealed to its session', async () => {
      const id = newId();
      expect(await keep(id)).toBe(true);
      expect(await keep(id)).toBe(false);
      expect(await new JpkiLinkResultRepository(b.db).take(id, otherRpId)).toBeUndefined();
      const [x, y] = await Promise.all([
        new JpkiLinkResultRepository(a.db).take(id, rpId),
        new JpkiLinkResultRepository(b.db).take(id, rpId),
      ]);
      expect(x?.report).toEqual(report);
      expect(y?.report).toEqual(report);
      const sealed = [x?.sealedIdentity, y?.sealedIdentity].filter((s) => s != null) as Uint8Array[];
      expect(sealed).toHaveLength(1);
      expect(openLinkIdentity(sealed[0] as Uint8Array, id, kek)).toEqual(identity);
      expect(() => openLinkIdentity(sealed[0] as Uint8Array, newId(), kek)).toThrow(
        expect.objectContaining({ code: 'VERIFIER_SESSION_KEY_UNAVAILABLE' }),
      );
      expect((await new JpkiLinkResultRepository(a.db).take(id, rpId))?.sealedIdentity).toBeNull();
    });

    it('a result without identity, and maintenance purging the expired ones', async () => {
      const id = newId();
      await keep(id, false);
      expect(await new JpkiLinkResultRepository(b.db).take(id, rpId)).toEqual({
        report,
        sealedIdentity: null,
      });
      const old = newId();
      await keep(old, false, T0 + 1);
      const r = await runVerifierMaintenance(a, T0 + 24 * 60 * 60_000);
      expect(r.jpkiLinkResults).toBeGreaterThanOrEqual(1);
      expect(await new JpkiLinkResultRepository(a.db).take(old, rpId)).toBeUndefined();
    });
  });
}
