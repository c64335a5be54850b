/**
 * The wallet store's repository cases, run on SQLite (store-sqlite.test.ts) and PostgreSQL
 * (store-postgres.pg.test.ts): several phones in one store, documents of several docTypes, certificates,
 * secrets with atomic tries and locks that survive reopening, presentation history.
 */
import { createPinVerifier } from '@mynakit/jpki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletStore } from '../src/index.js';
import { TEST_KDF } from './helpers/wallet-fixtures.js';

/** Defines the cases; `open` opens the same database each time it is called. */
export function defineWalletStoreCases(
  name: string,
  open: () => Promise<WalletStore>,
  teardown: () => Promise<void> = async () => undefined,
): void {
  describe(`wallet store on ${name}`, () => {
    let store: WalletStore;
    const at = Date.UTC(2026, 4, 1);
    beforeAll(async () => {
      store = await open();
      await store.devices.ensure({ id: 'phone-1', family: 'iphone', model: 'X' }, at);
      await store.devices.ensure({ id: 'phone-2', family: 'android' }, at);
    });
    afterAll(async () => {
      await store.close();
      await teardown();
    });

    it('keeps devices apart and ensure is idempotent', async () => {
      const again = await store.devices.ensure({ id: 'phone-1', family: 'android' }, at + 1);
      expect(again.family).toBe('iphone');
      expect((await store.devices.get('phone-2'))?.family).toBe('android');
      expect(await store.devices.get('nope')).toBeUndefined();
    });

    it('holds several documents of different docTypes per device, and invalidates one', async () => {
      await store.installations.create(
        {
          id: 'inst-1',
          deviceId: 'phone-1',
          credentialIssuer: 'http://127.0.0.1:1',
          family: 'iphone',
          state: 'pending',
          needs: ['mdoc'],
        },
        at,
      );
      const base = {
        deviceId: 'phone-1',
        installationId: 'inst-1',
        deviceKeyAlias: 'k',
        credentialIssuer: 'http://127.0.0.1:1',
        validUntil: new Date(at + 1e9),
      };
      const mnc = await store.documents.add(
        {
          ...base,
          docType: 'org.iso.23220.1.jp.mnc',
          issuerSigned: new Uint8Array([1, 2, 3]),
          credentialId: 'c1',
        },
        at,
      );
      await store.documents.add(
        { ...base, docType: 'org.iso.18013.5.1.mDL', issuerSigned: new Uint8Array([4]) },
        at + 1,
      );
      expect((await store.documents.list('phone-1')).length).toBe(2);
      expect((await store.documents.list('phone-2')).length).toBe(0);
      const [read] = await store.documents.list('phone-1', 'org.iso.23220.1.jp.mnc');
      expect(read?.issuerSigned).toEqual(new Uint8Array([1, 2, 3]));
      expect(read?.credentialId).toBe('c1');
      await store.documents.invalidate(mnc.id, 'superseded', at + 2);
      const [after] = await store.documents.list('phone-1', 'org.iso.23220.1.jp.mnc');
      expect(after?.state).toBe('invalidated');
      expect(after?.invalidationReason).toBe('superseded');
      await store.installations.activate('inst-1');
      expect((await store.installations.latest('phone-1'))?.state).toBe('active');
    });

    it('keeps one active certificate per purpose', async () => {
      const c = {
        deviceId: 'phone-1',
        installationId: 'inst-1',
        purpose: 'auth' as const,
        certificate: new Uint8Array([9]),
        issuerCertificate: new Uint8Array([8]),
        notAfter: new Date(at + 1e9),
        keyAlias: 'a',
      };
      await store.certificates.add({ ...c, serialNumber: '01' }, at);
      await store.certificates.add({ ...c, serialNumber: '02' }, at + 1);
      expect((await store.certificates.active('phone-1', 'auth'))?.serialNumber).toBe('02');
      expect((await store.certificates.list('phone-1')).length).toBe(2);
    });

    it('invalidates a certificate with its reason and lifts only a suspension', async () => {
      const c = {
        deviceId: 'phone-1',
        installationId: 'inst-1',
        purpose: 'sign' as const,
        certificate: new Uint8Array([7]),
        issuerCertificate: new Uint8Array([8]),
        notAfter: new Date(at + 1e9),
        keyAlias: 'k',
      };
      const held = await store.certificates.add({ ...c, serialNumber: '0a' }, at);
      expect(await store.certificates.invalidate(held.id, 'certificateHold', at + 1)).toBe(true);
      expect(await store.certificates.invalidate(held.id, 'keyCompromise', at + 2)).toBe(false);
      const listed = (await store.certificates.list('phone-1')).find((x) => x.id === held.id);
      expect(listed?.invalidationReason).toBe('certificateHold');
      expect(await store.certificates.reactivate(held.id)).toBe(true);
      expect((await store.certificates.active('phone-1', 'sign'))?.id).toBe(held.id);
      await store.certificates.invalidate(held.id, 'affiliationChanged', at + 3);
      expect(await store.certificates.reactivate(held.id)).toBe(false);
    });

    it('moves a notice cursor forward only, per device and installation', async () => {
      expect(await store.noticeCursors.lastSeq('phone-1', 'inst-x')).toBe(0);
      await store.noticeCursors.advance('phone-1', 'inst-x', 3, at);
      await store.noticeCursors.advance('phone-1', 'inst-x', 2, at + 1);
      await store.noticeCursors.advance('phone-2', 'inst-x', 9, at);
      expect(await store.noticeCursors.lastSeq('phone-1', 'inst-x')).toBe(3);
      await store.noticeCursors.advance('phone-1', 'inst-x', 4, at + 2);
      expect(await store.noticeCursors.lastSeq('phone-1', 'inst-x')).toBe(4);
      expect(await store.noticeCursors.lastSeq('phone-2', 'inst-x')).toBe(9);
    });

    it('takes tries atomically: of five concurrent takes on three tries, three succeed', async () => {
      const verifier = await createPinVerifier('userAuthenticationPin', '1234', { params: TEST_KDF });
      await store.secrets.set('phone-2', 'authPin', verifier, 3, at);
      const taken = await Promise.all(
        Array.from({ length: 5 }, () => store.secrets.takeTry('phone-2', 'authPin', at)),
      );
      expect(taken.filter(Boolean).length).toBe(3);
      expect((await store.secrets.settleFailure('phone-2', 'authPin', at))?.locked).toBe(true);
      expect(await store.secrets.restoreTries('phone-2', 'authPin', at)).toBe(false);
    });

    it('a lock survives reopening the store; setting the secret again clears it', async () => {
      await store.close();
      store = await open();
      const s = await store.secrets.get('phone-2', 'authPin');
      expect(s).toMatchObject({ remaining: 0, locked: true, maxTries: 3 });
      await store.secrets.set('phone-2', 'authPin', s!.verifier, 3, at + 5);
      expect(await store.secrets.get('phone-2', 'authPin')).toMatchObject({ remaining: 3, locked: false });
    });

    it('records presentations, newest first', async () => {
      await store.presentations.record({
        deviceId: 'phone-1',
        relyingParty: 'Bank',
        channel: 'dc-api',
        elements: [['ns', 'a']],
        sharedAt: new Date(at),
      });
      await store.presentations.record({
        deviceId: 'phone-1',
        relyingParty: 'Shop',
        channel: 'proximity',
        elements: [],
        sharedAt: new Date(at + 10),
      });
      const list = await store.presentations.list('phone-1');
      expect(list.map((p) => p.relyingParty)).toEqual(['Shop', 'Bank']);
      expect(list[1]?.elements).toEqual([['ns', 'a']]);
    });
  });
}
