/**
 * What migration 0002 added to the store: cards found by certificate serial, installation tokens kept as
 * SHA-256 with an expiry, and credentials staged for a pending installation only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuerError } from '../src/errors.js';
import { type IssuerStore, openIssuerStore } from '../src/store/index.js';
import { residentInput } from './helpers/installation-fixtures.js';

const T0 = Date.UTC(2026, 4, 10);
const dir = mkdtempSync(join(tmpdir(), 'mynakit-issuer-store-0002-'));
let store: IssuerStore;
beforeAll(async () => {
  store = await openIssuerStore({ url: `sqlite:${join(dir, 'issuer.sqlite')}` });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const codeOf = async (p: Promise<unknown>) =>
  (
    (await p.then(
      () => undefined,
      (e) => e,
    )) as IssuerError
  )?.code;
const cert = (n: number) => new Uint8Array([0x30, 0x03, 0x02, 0x01, n]);

describe('store additions of migration 0002', () => {
  it('finds a card by the serial of either certificate, in any case; nothing for garbage', async () => {
    const r = await store.residents.create(residentInput(), T0);
    const card = await store.cards.create(
      {
        residentId: r.id,
        cardNumber: `SBX${randomBytes(4).toString('hex')}`,
        issuedAt: T0,
        expiresAt: T0 + 1,
        signCert: cert(1),
        authCert: cert(2),
        signPasswordVerifier: 'v',
        authPinVerifier: 'v',
        supportPinVerifier: 'v',
        signSerial: '4a01',
        authSerial: '4a02',
      },
      T0,
    );
    expect((await store.cards.getByCertificateSerial('sign', '4A01'))?.id).toBe(card.id);
    expect((await store.cards.getByCertificateSerial('auth', '4a02'))?.id).toBe(card.id);
    expect(await store.cards.getByCertificateSerial('auth', '4a01')).toBeUndefined();
    expect(await store.cards.getByCertificateSerial('sign', "' or 1=1 --")).toBeUndefined();
    const other = await store.residents.create(residentInput(), T0);
    const dup = store.cards.create(
      {
        residentId: other.id,
        cardNumber: `SBX${randomBytes(4).toString('hex')}`,
        issuedAt: T0,
        expiresAt: T0 + 1,
        signCert: null,
        authCert: cert(3),
        signPasswordVerifier: null,
        authPinVerifier: 'v',
        supportPinVerifier: 'v',
        authSerial: '4a02',
      },
      T0,
    );
    expect(await codeOf(dup)).toBe('ISSUER_DUPLICATE');
    expect(
      await codeOf(
        store.cards.create(
          {
            residentId: other.id,
            cardNumber: 'SBX-x',
            issuedAt: T0,
            expiresAt: T0 + 1,
            signCert: null,
            authCert: cert(3),
            signPasswordVerifier: null,
            authPinVerifier: 'v',
            supportPinVerifier: 'v',
            signSerial: '01',
          },
          T0,
        ),
      ),
    ).toBe('ISSUER_INVALID_INPUT');
  });

  it('keeps installation tokens as SHA-256, valid until they expire, one per installation', async () => {
    const r = await store.residents.create(residentInput(), T0);
    const inst = await store.installations.begin({ residentId: r.id, family: 'android' }, T0);
    const token = randomBytes(32).toString('base64url');
    await store.installationTokens.create({ token, installationId: inst.id, expiresAt: T0 + 1000 }, T0);
    const row = await store.db
      .selectFrom('installation_tokens')
      .selectAll()
      .where('installation_id', '=', inst.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(await store.installationTokens.find(token, T0 + 999)).toBe(inst.id);
    expect(await store.installationTokens.find(token, T0 + 1000)).toBeUndefined();
    expect(await store.installationTokens.find('x'.repeat(600), T0)).toBeUndefined();
    expect(
      await codeOf(
        store.installationTokens.create(
          { token: `${token}2`, installationId: inst.id, expiresAt: T0 + 1 },
          T0,
        ),
      ),
    ).toBe('ISSUER_DUPLICATE');
    expect(await store.installationTokens.purgeExpired(T0 + 2000)).toBe(1);
  });

  it('stages credentials for a pending installation only, one of each kind', async () => {
    const r = await store.residents.create(residentInput(), T0);
    const inst = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
    const auth = { kind: 'jpki-auth' as const, serial: 'ab01', notAfter: T0 + 5, bytes: cert(9) };
    await store.stagedCredentials.stage(inst.id, [auth], T0);
    expect(await codeOf(store.stagedCredentials.stage(inst.id, [auth], T0))).toBe(
      'ISSUER_INSTALLATION_STATE',
    );
    expect(await store.stagedCredentials.list(inst.id)).toEqual([auth]);
    expect(await codeOf(store.stagedCredentials.stage('nope', [auth], T0))).toBe('ISSUER_NOT_FOUND');
    expect(await codeOf(store.stagedCredentials.stage(inst.id, [{ ...auth, kind: 'mdoc' }], T0))).toBe(
      'ISSUER_INVALID_INPUT',
    );
    expect(await store.stagedCredentials.clear(inst.id)).toBe(1);
    await store.installations.fail(inst.id, T0);
    expect(await codeOf(store.stagedCredentials.stage(inst.id, [auth], T0))).toBe(
      'ISSUER_INSTALLATION_STATE',
    );
  });
});
