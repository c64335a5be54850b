import { createHash, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { challengeDigestInfo, verifyAuthChallengeSignature } from '@mynakit/jpki';
import type { SandboxHierarchy } from '@mynakit/issuer';
import { verifyKeyAttestation } from '@mynakit/oid4vci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxSecureArea, type WalletDevice, WalletError } from '../src/index.js';
import {
  attestationOf,
  CA_EPOCH,
  hierarchyAt,
  type TempDir,
  tempDir,
  testDevice,
} from './helpers/wallet-fixtures.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

const NOW = new Date(CA_EPOCH.getTime() + 86_400_000);
let dir: TempDir;
let hierarchy: SandboxHierarchy;
let phone: WalletDevice;
let now = NOW;

beforeAll(async () => {
  dir = tempDir();
  hierarchy = await hierarchyAt(dir.path);
  phone = await testDevice({
    dataDir: dir.path,
    deviceId: 'phone-sa',
    attestation: await attestationOf(hierarchy),
    clock: () => now,
  });
  await phone.secrets.set('authPin', '1234', '1234');
  await phone.secrets.set('signaturePassword', 'SIGN2026', 'SIGN2026');
  await phone.secureArea.createKey({
    alias: 'auth',
    type: 'rsa-2048',
    userAuthentication: ['pin', 'biometric'],
  });
  await phone.secureArea.createKey({ alias: 'sign', type: 'rsa-2048', userAuthentication: ['password'] });
  await phone.secureArea.createKey({ alias: 'device', type: 'ec-p256', userAuthentication: ['biometric'] });
  await phone.secureArea.createKey({ alias: 'open', type: 'ec-p256', userAuthentication: 'none' });
});
afterAll(async () => {
  await phone.close();
  dir.remove();
});

const data = new TextEncoder().encode('to be signed');

describe('signing needs user authentication', () => {
  it('no ticket, no signature', async () => {
    expect(await code(phone.secureArea.sign('sign', data, 'RS256'))).toBe('WALLET_AUTHENTICATION_REQUIRED');
    expect(await code(phone.secureArea.sign('device', data, 'ES256'))).toBe('WALLET_AUTHENTICATION_REQUIRED');
  });

  it('a key without a policy signs without a ticket', async () => {
    const sig = await phone.secureArea.sign('open', data, 'ES256');
    const key = (await phone.secureArea.getKey('open'))!.publicKey;
    expect(verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
  });

  it('the password unlocks one RS256 signature with the signature key', async () => {
    const ticket = await phone.secureArea.authenticate('sign', { method: 'password', value: 'SIGN2026' });
    const sig = await phone.secureArea.sign('sign', data, 'RS256', ticket);
    expect(verify('sha256', data, (await phone.secureArea.getKey('sign'))!.publicKey, sig)).toBe(true);
  });

  it('a ticket is single use', async () => {
    const ticket = await phone.secureArea.authenticate('device', { method: 'biometric', matched: true });
    await phone.secureArea.sign('device', data, 'ES256', ticket);
    expect(await code(phone.secureArea.sign('device', data, 'ES256', ticket))).toBe('WALLET_TICKET_INVALID');
  });

  it('a ticket expires', async () => {
    const ticket = await phone.secureArea.authenticate('device', { method: 'biometric', matched: true });
    now = new Date(NOW.getTime() + 31_000);
    try {
      expect(await code(phone.secureArea.sign('device', data, 'ES256', ticket))).toBe(
        'WALLET_TICKET_INVALID',
      );
    } finally {
      now = NOW;
    }
  });

  it('a ticket for one key does not sign with another (and is used up)', async () => {
    const ticket = await phone.secureArea.authenticate('auth', { method: 'pin', value: '1234' });
    expect(await code(phone.secureArea.sign('sign', data, 'RS256', ticket))).toBe('WALLET_TICKET_INVALID');
    expect(await code(phone.secureArea.sign('auth', data, 'RS256', ticket))).toBe('WALLET_TICKET_INVALID');
  });

  it('a forged ticket is refused', async () => {
    const forged = {
      id: 'x'.repeat(32),
      alias: 'sign',
      method: 'password' as const,
      expiresAt: new Date(NOW.getTime() + 9e6),
    };
    expect(await code(phone.secureArea.sign('sign', data, 'RS256', forged))).toBe('WALLET_TICKET_INVALID');
  });

  it('a biometric never stands in for the signature password', async () => {
    expect(await code(phone.secureArea.authenticate('sign', { method: 'biometric', matched: true }))).toBe(
      'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
    );
  });

  it('a biometric that did not match gives no ticket', async () => {
    expect(await code(phone.secureArea.authenticate('device', { method: 'biometric', matched: false }))).toBe(
      'WALLET_BIOMETRIC_FAILED',
    );
  });

  it('the auth key signs a JPKI challenge DigestInfo after a biometric', async () => {
    const challenge = createHash('sha256').update('challenge').digest();
    const ticket = await phone.secureArea.authenticate('auth', { method: 'biometric', matched: true });
    const sig = await phone.secureArea.sign(
      'auth',
      challengeDigestInfo(challenge),
      'RSA-PKCS1-DigestInfo',
      ticket,
    );
    const key = (await phone.secureArea.getKey('auth'))!.publicKey;
    expect(verifyAuthChallengeSignature(challenge, sig, key)).toBe(true);
  });

  it('a key signs only its own algorithms', async () => {
    const ticket = await phone.secureArea.authenticate('device', { method: 'biometric', matched: true });
    expect(await code(phone.secureArea.sign('device', data, 'RS256', ticket))).toBe(
      'WALLET_KEY_ALGORITHM_MISMATCH',
    );
  });
});

describe('locks reach the keys', () => {
  it('a locked signature password: the key cannot sign, even with the right password afterwards', async () => {
    const p = await testDevice({ dataDir: dir.path, deviceId: 'phone-lock', clock: () => now });
    try {
      await p.secrets.set('signaturePassword', 'RIGHT1', 'RIGHT1');
      await p.secureArea.createKey({ alias: 'sign', type: 'rsa-2048', userAuthentication: ['password'] });
      for (let i = 0; i < 5; i++)
        await p.secureArea
          .authenticate('sign', { method: 'password', value: 'WRONG1' })
          .catch(() => undefined);
      expect(await code(p.secureArea.authenticate('sign', { method: 'password', value: 'RIGHT1' }))).toBe(
        'WALLET_SECRET_LOCKED',
      );
      expect(await code(p.secureArea.sign('sign', data, 'RS256'))).toBe('WALLET_AUTHENTICATION_REQUIRED');
    } finally {
      await p.close();
    }
  });

  it('a locked auth PIN: neither the PIN nor a biometric unlocks the auth key', async () => {
    const p = await testDevice({ dataDir: dir.path, deviceId: 'phone-lock2', clock: () => now });
    try {
      await p.secrets.set('authPin', '1111', '1111');
      await p.secureArea.createKey({
        alias: 'auth',
        type: 'rsa-2048',
        userAuthentication: ['pin', 'biometric'],
      });
      for (let i = 0; i < 3; i++)
        await p.secureArea.authenticate('auth', { method: 'pin', value: '0000' }).catch(() => undefined);
      expect(await code(p.secureArea.authenticate('auth', { method: 'pin', value: '1111' }))).toBe(
        'WALLET_SECRET_LOCKED',
      );
      expect(await code(p.secureArea.authenticate('auth', { method: 'biometric', matched: true }))).toBe(
        'WALLET_SECRET_LOCKED',
      );
    } finally {
      await p.close();
    }
  });
});

describe('keys at rest', () => {
  it('the key file holds no PKCS #8 and no PEM', async () => {
    const area = phone.secureArea as SandboxSecureArea;
    const text = readFileSync(area.keyFilePath('sign'), 'utf8');
    expect(text).not.toContain('PRIVATE KEY');
    const bytes = readFileSync(area.keyFilePath('sign'));
    // PKCS #8 of an RSA key starts SEQUENCE { INTEGER 0, SEQUENCE { rsaEncryption … } }.
    const rsaPkcs8Start = Buffer.from('020100300d06092a864886f70d0101010500', 'hex');
    expect(bytes.includes(rsaPkcs8Start)).toBe(false);
    const json = JSON.parse(text) as { ciphertext: string };
    expect(Buffer.from(json.ciphertext, 'base64').includes(rsaPkcs8Start)).toBe(false);
  });

  it('a tampered key file does not open', async () => {
    const area = phone.secureArea as SandboxSecureArea;
    await area.createKey({ alias: 'tamper', type: 'ec-p256', userAuthentication: 'none' });
    const path = area.keyFilePath('tamper');
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    json.userAuthentication = ['biometric'];
    writeFileSync(path, JSON.stringify(json));
    const t = await area.authenticate('tamper', { method: 'biometric', matched: true });
    expect(await code(area.sign('tamper', data, 'ES256', t))).toBe('WALLET_KEY_CORRUPT');
  });

  it('an alias is taken once', async () => {
    expect(
      await code(phone.secureArea.createKey({ alias: 'sign', type: 'rsa-2048', userAuthentication: 'none' })),
    ).toBe('WALLET_KEY_EXISTS');
  });

  it('the keys survive a restart of the phone', async () => {
    const reopened = await testDevice({ dataDir: dir.path, deviceId: 'phone-sa', clock: () => now });
    try {
      const t = await reopened.secureArea.authenticate('sign', { method: 'password', value: 'SIGN2026' });
      const sig = await reopened.secureArea.sign('sign', data, 'RS256', t);
      expect(verify('sha256', data, (await reopened.secureArea.getKey('sign'))!.publicKey, sig)).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});

describe('key attestation', () => {
  it('verifies against the sandbox platform attestation root and lists the keys', async () => {
    const jwt = await phone.secureArea.attest({ aliases: ['auth', 'sign'], nonce: 'n-0123456789abcdef' });
    const verified = await verifyKeyAttestation(jwt, {
      now: NOW,
      trustAnchors: hierarchy.attestation.roots.map((r) => r.certificate),
      requirements: { key_storage: ['iso_18045_moderate'], user_authentication: ['iso_18045_moderate'] },
      nonce: 'n-0123456789abcdef',
      requireExp: true,
    });
    expect(verified.attestedPublicKeys.length).toBe(2);
    expect(verified.attestedPublicKeys[0]!.equals((await phone.secureArea.getKey('auth'))!.publicKey)).toBe(
      true,
    );
  });

  it('a key without user authentication is not attested as guarded', async () => {
    const jwt = await phone.secureArea.attest({ aliases: ['open'] });
    const verified = await verifyKeyAttestation(jwt, {
      now: NOW,
      trustAnchors: hierarchy.attestation.roots.map((r) => r.certificate),
    });
    expect(verified.userAuthentication).toBeUndefined();
  });

  it('without a platform attester there is no attestation', async () => {
    const p = await testDevice({ dataDir: dir.path, deviceId: 'phone-noatt' });
    try {
      await p.secureArea.createKey({ alias: 'k', type: 'ec-p256', userAuthentication: 'none' });
      expect(await code(p.secureArea.attest({ aliases: ['k'] }))).toBe('WALLET_ATTESTATION_UNAVAILABLE');
    } finally {
      await p.close();
    }
  });
});
