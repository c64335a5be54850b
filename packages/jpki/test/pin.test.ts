import { describe, expect, it } from 'vitest';
import {
  attemptPin,
  checkPinFormat,
  createPinVerifier,
  initialPinState,
  JpkiError,
  nextPinState,
  parsePinVerifier,
  verifyPin,
} from '../src/index.js';
import { openssl } from './helpers/openssl.js';

// Small scrypt parameters keep the tests fast; production uses DEFAULT_SCRYPT_PARAMS.
const params = { N: 1024, r: 8, p: 1 };

describe('PIN formats', () => {
  it('signature password: 6-16 of A-Z0-9', () => {
    expect(checkPinFormat('signaturePassword', 'ABC123').ok).toBe(true);
    expect(checkPinFormat('signaturePassword', 'A'.repeat(16)).ok).toBe(true);
    expect(checkPinFormat('signaturePassword', 'ABC12')).toMatchObject({ ok: false, problem: 'TOO_SHORT' });
    expect(checkPinFormat('signaturePassword', 'A'.repeat(17))).toMatchObject({
      ok: false,
      problem: 'TOO_LONG',
    });
    expect(checkPinFormat('signaturePassword', 'abc123')).toMatchObject({
      ok: false,
      problem: 'INVALID_CHARACTER',
    });
    expect(checkPinFormat('signaturePassword', 'ＡＢＣ１２３')).toMatchObject({
      ok: false,
      problem: 'INVALID_CHARACTER',
    });
  });

  it('user-auth and input-support PINs: exactly 4 digits', () => {
    for (const kind of ['userAuthenticationPin', 'inputSupportPin'] as const) {
      expect(checkPinFormat(kind, '0000').ok).toBe(true);
      expect(checkPinFormat(kind, '123')).toMatchObject({ ok: false, problem: 'TOO_SHORT' });
      expect(checkPinFormat(kind, '12345')).toMatchObject({ ok: false, problem: 'TOO_LONG' });
      expect(checkPinFormat(kind, '12a4')).toMatchObject({ ok: false, problem: 'INVALID_CHARACTER' });
      expect(checkPinFormat(kind, 1234)).toMatchObject({ ok: false, problem: 'NOT_A_STRING' });
    }
  });

  it('never echoes the PIN', () => {
    const r = checkPinFormat('signaturePassword', 'secret!');
    expect(JSON.stringify(r)).not.toContain('secret');
  });
});

describe('PIN verifiers', () => {
  it('is scrypt with a per-PIN 16-byte salt; OpenSSL derives the same hash', async () => {
    const v = await createPinVerifier('userAuthenticationPin', '1234', { params });
    expect(v).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const { salt, hash } = parsePinVerifier(v);
    const oracle = openssl([
      'kdf',
      '-keylen',
      '32',
      '-kdfopt',
      'pass:1234',
      '-kdfopt',
      `hexsalt:${Buffer.from(salt).toString('hex')}`,
      '-kdfopt',
      'n:1024',
      '-kdfopt',
      'r:8',
      '-kdfopt',
      'p:1',
      '-binary',
      'SCRYPT',
    ]);
    expect(Buffer.from(hash).equals(oracle)).toBe(true);
    const v2 = await createPinVerifier('userAuthenticationPin', '1234', { params });
    expect(v2).not.toBe(v);
    expect(v).not.toContain('1234');
  });

  it('verifies the right PIN only', async () => {
    const v = await createPinVerifier('signaturePassword', 'ABC123', { params });
    expect(await verifyPin('ABC123', v)).toBe(true);
    expect(await verifyPin('ABC124', v)).toBe(false);
  });

  it('uses the injected randomness', async () => {
    const zero = (b: Uint8Array) => b.fill(0);
    const v = await createPinVerifier('inputSupportPin', '0000', { params, random: zero });
    expect(v.split('$')[4]).toBe(Buffer.alloc(16).toString('base64url'));
  });

  it('refuses a malformed PIN and malformed or excessive verifiers', async () => {
    await expect(createPinVerifier('userAuthenticationPin', '12345', { params })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(createPinVerifier('userAuthenticationPin', '12345', { params })).rejects.not.toThrow(
      /12345/,
    );
    for (const bad of [
      'bcrypt$x',
      'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA',
      `scrypt$${2 ** 22}$8$1$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`,
    ]) {
      expect(() => parsePinVerifier(bad)).toThrow(JpkiError);
    }
  });
});

describe('try counter', () => {
  it('locks the auth PIN after 3 wrong tries; a success restores the tries', async () => {
    const v = await createPinVerifier('userAuthenticationPin', '1234', { params });
    let s = initialPinState('userAuthenticationPin');
    expect(s).toEqual({ remaining: 3, locked: false });
    let r = await attemptPin('userAuthenticationPin', '0000', v, s);
    expect(r).toMatchObject({ outcome: 'wrong', state: { remaining: 2, locked: false } });
    r = await attemptPin('userAuthenticationPin', '1234', v, r.state);
    expect(r).toMatchObject({ outcome: 'accepted', state: { remaining: 3, locked: false } });
    s = r.state;
    for (let i = 0; i < 2; i++) s = (await attemptPin('userAuthenticationPin', '9999', v, s)).state;
    r = await attemptPin('userAuthenticationPin', '9999', v, s);
    expect(r).toMatchObject({ outcome: 'wrong', state: { remaining: 0, locked: true } });
    r = await attemptPin('userAuthenticationPin', '1234', v, r.state);
    expect(r).toMatchObject({ outcome: 'locked', state: { remaining: 0, locked: true } });
  });

  it('a malformed entry does not use a try', async () => {
    const v = await createPinVerifier('signaturePassword', 'ABC123', { params });
    const s = initialPinState('signaturePassword');
    expect(s.remaining).toBe(5);
    const r = await attemptPin('signaturePassword', 'abc', v, s);
    expect(r).toMatchObject({ outcome: 'badFormat', state: s });
  });

  it('the signature password locks after 5', () => {
    let s = initialPinState('signaturePassword');
    for (let i = 0; i < 4; i++) s = nextPinState('signaturePassword', s, false);
    expect(s).toEqual({ remaining: 1, locked: false });
    s = nextPinState('signaturePassword', s, false);
    expect(s).toEqual({ remaining: 0, locked: true });
    expect(nextPinState('signaturePassword', s, true)).toEqual({ remaining: 0, locked: true });
  });
});
