import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WalletDevice, WalletError } from '../src/index.js';
import { type TempDir, tempDir, testDevice } from './helpers/wallet-fixtures.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

let dir: TempDir;
let phone: WalletDevice;
beforeEach(async () => {
  dir = tempDir();
  phone = await testDevice({ dataDir: dir.path, deviceId: 'phone-a' });
});
afterEach(async () => {
  await phone.close();
  dir.remove();
});

describe('setting secrets', () => {
  it.each([
    ['123', 'WALLET_SECRET_FORMAT'],
    ['12345', 'WALLET_SECRET_FORMAT'],
    ['12a4', 'WALLET_SECRET_FORMAT'],
    ['1234', 'resolved'],
  ])('auth PIN %s → %s', async (pin, expected) => {
    expect(await code(phone.secrets.set('authPin', pin, pin))).toBe(expected);
  });

  it.each([
    ['ABC12', 'WALLET_SECRET_FORMAT'],
    ['ABCDEFGHIJ1234567', 'WALLET_SECRET_FORMAT'],
    ['abc123', 'WALLET_SECRET_FORMAT'],
    ['ABC-123', 'WALLET_SECRET_FORMAT'],
    ['ABC123', 'resolved'],
    ['ABCDEFGHIJ123456', 'resolved'],
  ])('signature password %s → %s', async (pw, expected) => {
    expect(await code(phone.secrets.set('signaturePassword', pw, pw))).toBe(expected);
  });

  it('two entries must match', async () => {
    expect(await code(phone.secrets.set('authPin', '1234', '1243'))).toBe('WALLET_SECRET_MISMATCH');
    expect(await code(phone.secrets.set('signaturePassword', 'ABC123', 'ABC124'))).toBe(
      'WALLET_SECRET_MISMATCH',
    );
    expect((await phone.secrets.status('authPin')).set).toBe(false);
  });

  it('an attempt on a secret never set is WALLET_SECRET_NOT_SET', async () => {
    expect(await code(phone.secrets.verify('signaturePassword', 'ABC123'))).toBe('WALLET_SECRET_NOT_SET');
  });
});

describe('tries and locks', () => {
  it('auth PIN: 3 tries, a right PIN restores them, the third wrong one locks', async () => {
    await phone.secrets.set('authPin', '1234', '1234');
    const e1 = await phone.secrets.verify('authPin', '0000').catch((e: WalletError) => e);
    expect((e1 as WalletError).code).toBe('WALLET_SECRET_WRONG');
    expect((e1 as WalletError).remainingTries).toBe(2);
    await phone.secrets.verify('authPin', '1234');
    expect(await phone.secrets.status('authPin')).toEqual({ set: true, remaining: 3, locked: false });
    expect(await code(phone.secrets.verify('authPin', '0000'))).toBe('WALLET_SECRET_WRONG');
    expect(await code(phone.secrets.verify('authPin', '0000'))).toBe('WALLET_SECRET_WRONG');
    expect(await code(phone.secrets.verify('authPin', '0000'))).toBe('WALLET_SECRET_LOCKED');
    expect(await code(phone.secrets.verify('authPin', '1234'))).toBe('WALLET_SECRET_LOCKED');
  });

  it('a malformed entry uses no try', async () => {
    await phone.secrets.set('authPin', '1234', '1234');
    expect(await code(phone.secrets.verify('authPin', '12'))).toBe('WALLET_SECRET_FORMAT');
    expect((await phone.secrets.status('authPin')).remaining).toBe(3);
  });

  it('signature password: 5 tries, then locked', async () => {
    await phone.secrets.set('signaturePassword', 'PASS1234', 'PASS1234');
    for (let i = 4; i >= 1; i--) {
      const e = (await phone.secrets.verify('signaturePassword', 'WRONG1').catch((x) => x)) as WalletError;
      expect(e.code).toBe('WALLET_SECRET_WRONG');
      expect(e.remainingTries).toBe(i);
    }
    expect(await code(phone.secrets.verify('signaturePassword', 'WRONG1'))).toBe('WALLET_SECRET_LOCKED');
    expect(await code(phone.secrets.verify('signaturePassword', 'PASS1234'))).toBe('WALLET_SECRET_LOCKED');
  });

  it('the lock survives a restart (the store reopened)', async () => {
    await phone.secrets.set('authPin', '1234', '1234');
    for (let i = 0; i < 3; i++) await phone.secrets.verify('authPin', '9999').catch(() => undefined);
    await phone.close();
    phone = await testDevice({ dataDir: dir.path, deviceId: 'phone-a' });
    expect(await phone.secrets.status('authPin')).toEqual({ set: true, remaining: 0, locked: true });
    expect(await code(phone.secrets.verify('authPin', '1234'))).toBe('WALLET_SECRET_LOCKED');
  });

  it('a used try survives a restart', async () => {
    await phone.secrets.set('authPin', '1234', '1234');
    await phone.secrets.verify('authPin', '9999').catch(() => undefined);
    await phone.close();
    phone = await testDevice({ dataDir: dir.path, deviceId: 'phone-a' });
    expect((await phone.secrets.status('authPin')).remaining).toBe(2);
  });

  it('concurrent wrong attempts never get past the tries there are', async () => {
    await phone.secrets.set('authPin', '1234', '1234');
    const codes = await Promise.all(
      Array.from({ length: 6 }, () => code(phone.secrets.verify('authPin', '9999'))),
    );
    expect(codes.filter((c) => c === 'WALLET_SECRET_WRONG').length).toBeLessThanOrEqual(2);
    // Those finding no try left say LOCKED, or BUSY while the last try is still being evaluated.
    for (const c of codes)
      expect(['WALLET_SECRET_WRONG', 'WALLET_SECRET_LOCKED', 'WALLET_SECRET_BUSY']).toContain(c);
    expect(await phone.secrets.status('authPin')).toEqual({ set: true, remaining: 0, locked: true });
    expect(await code(phone.secrets.verify('authPin', '1234'))).toBe('WALLET_SECRET_LOCKED');
  });

  it('a right PIN racing the last wrong ones does not unlock', async () => {
    await phone.secrets.set('authPin', '1234', '1234');
    const codes = await Promise.all([
      code(phone.secrets.verify('authPin', '9999')),
      code(phone.secrets.verify('authPin', '9999')),
      code(phone.secrets.verify('authPin', '9999')),
      code(phone.secrets.verify('authPin', '1234')),
    ]);
    const wrongs = codes.slice(0, 3).filter((c) => c !== 'resolved');
    expect(wrongs.length).toBe(3);
    const status = await phone.secrets.status('authPin');
    // Whatever the interleaving: never more than three failed tries were evaluated.
    if (codes[3] === 'resolved') expect(status.locked).toBe(false);
    else expect(['WALLET_SECRET_LOCKED', 'WALLET_SECRET_BUSY']).toContain(codes[3]);
  });

  it('setting the secret again (re-installation) unlocks it', async () => {
    await phone.secrets.set('authPin', '1234', '1234');
    for (let i = 0; i < 3; i++) await phone.secrets.verify('authPin', '9999').catch(() => undefined);
    await phone.secrets.set('authPin', '4321', '4321');
    await phone.secrets.verify('authPin', '4321');
  });

  it('phones keep their own counters', async () => {
    const other = await testDevice({ dataDir: dir.path, deviceId: 'phone-b' });
    try {
      await phone.secrets.set('authPin', '1234', '1234');
      await other.secrets.set('authPin', '1234', '1234');
      for (let i = 0; i < 3; i++) await phone.secrets.verify('authPin', '9999').catch(() => undefined);
      await other.secrets.verify('authPin', '1234');
      expect((await other.secrets.status('authPin')).locked).toBe(false);
    } finally {
      await other.close();
    }
  });
});
