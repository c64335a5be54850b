/**
 * The reader-key store's cases, run on SQLite (reader-key-store-sqlite.test.ts) and PostgreSQL
 * (reader-key-store-postgres.pg.test.ts): one pending and one active key per relying party, a new pending
 * key replaces the old pending one, activating replaces the active key, and what the database holds is the
 * sealed key — the PKCS #8 of the private key (and its bare scalar) appear nowhere in the stored bytes.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReaderKey, sealReaderKey } from '../src/relying-parties/reader-key.js';
import type { VerifierStore } from '../src/store/index.js';
import { newId } from '../src/store/store-support.js';
import { rpConfig, T0 } from './store.cases.js';

/** Every byte column of reader_keys, as the database driver returns them. */
async function storedBytes(store: VerifierStore): Promise<Buffer> {
  const rows = await sql<{
    public_key: Uint8Array;
    sealed_private_key: Uint8Array;
    certificate_chain: string | null;
  }>`select public_key, sealed_private_key, certificate_chain from reader_keys`.execute(store.db);
  return Buffer.concat(
    rows.rows.flatMap((r) => [
      Buffer.from(r.public_key),
      Buffer.from(r.sealed_private_key),
      Buffer.from(r.certificate_chain ?? '', 'utf8'),
    ]),
  );
}

/** Defines the cases on the store `open` makes. */
export function defineReaderKeyStoreCases(
  name: string,
  open: () => Promise<VerifierStore>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`reader keys on ${name}`, () => {
    let store: VerifierStore;
    let rpId: string;
    const kek = new Uint8Array(32).fill(9);

    beforeAll(async () => {
      store = await open();
      rpId = (await store.relyingParties.create(rpConfig({}), T0)).relyingParty.id;
    });
    afterAll(async () => {
      await store?.close();
      await cleanup();
    });

    function newKey() {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const id = newId();
      return {
        pair,
        row: {
          id,
          relyingPartyId: rpId,
          publicKey: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
          sealedPrivateKey: sealReaderKey(pair.privateKey, { relyingPartyId: rpId, keyId: id }, kek),
          createdAt: T0,
        },
      };
    }

    it('keeps one pending key, activates it with its chain, and replaces the active one', async () => {
      const first = newKey();
      const second = newKey();
      await store.readerKeys.putPending(first.row);
      await store.readerKeys.putPending(second.row);
      expect((await store.readerKeys.get(rpId, 'pending'))?.id).toBe(second.row.id);
      // The replaced pending key can no longer be activated.
      expect(await store.readerKeys.activate(rpId, first.row.id, [new Uint8Array([1, 2])], T0 + 1)).toBe(
        false,
      );
      expect(await store.readerKeys.activate(rpId, second.row.id, [new Uint8Array([3, 4])], T0 + 2)).toBe(
        true,
      );
      const active = await store.readerKeys.get(rpId, 'active');
      expect(active).toMatchObject({ id: second.row.id, state: 'active', activatedAt: T0 + 2 });
      expect(active?.certificateChain.map((c) => [...c])).toEqual([[3, 4]]);
      expect(await store.readerKeys.get(rpId, 'pending')).toBeUndefined();

      const third = newKey();
      await store.readerKeys.putPending(third.row);
      // The active key signs until the new one is activated.
      expect((await store.readerKeys.get(rpId, 'active'))?.id).toBe(second.row.id);
      expect(await store.readerKeys.activate(rpId, third.row.id, [new Uint8Array([5])], T0 + 3)).toBe(true);
      expect((await store.readerKeys.get(rpId, 'active'))?.id).toBe(third.row.id);
      const opened = openReaderKey(
        (await store.readerKeys.get(rpId, 'active'))?.sealedPrivateKey ?? new Uint8Array(),
        { relyingPartyId: rpId, keyId: third.row.id },
        kek,
      );
      expect(opened.export({ format: 'der', type: 'pkcs8' })).toEqual(
        third.pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
      );
    });

    it('holds the private key only sealed: its PKCS #8 and its scalar are nowhere in the stored bytes', async () => {
      const key = newKey();
      await store.readerKeys.putPending(key.row);
      const bytes = await storedBytes(store);
      expect(bytes.indexOf(Buffer.from(key.row.sealedPrivateKey))).toBeGreaterThanOrEqual(0);
      const pkcs8 = key.pair.privateKey.export({ format: 'der', type: 'pkcs8' });
      const d = Buffer.from(String(key.pair.privateKey.export({ format: 'jwk' }).d), 'base64url');
      expect(bytes.indexOf(pkcs8)).toBe(-1);
      expect(bytes.indexOf(d)).toBe(-1);
      // Sealed for this relying party and key: under another key id it does not open.
      expect(() =>
        openReaderKey(key.row.sealedPrivateKey, { relyingPartyId: rpId, keyId: newId() }, kek),
      ).toThrow(expect.objectContaining({ code: 'VERIFIER_READER_KEY_UNAVAILABLE' }));
      expect(() =>
        openReaderKey(
          key.row.sealedPrivateKey,
          { relyingPartyId: rpId, keyId: key.row.id },
          new Uint8Array(32),
        ),
      ).toThrow(expect.objectContaining({ code: 'VERIFIER_READER_KEY_UNAVAILABLE' }));
    });
  });
}
