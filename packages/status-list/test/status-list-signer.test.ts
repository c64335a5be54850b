/**
 * Signing a CWT Status List Token with a key held elsewhere: a COSE signer (RFC 9052 §4.4 Sig_structure
 * in, RFC 9053 §2.1 r ‖ s out) in place of a private key, through signStatusListCwt and the publisher.
 * The token verifies under the signer's public key; giving both or neither is refused.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { CoseSigner } from '@mynakit/cose';
import { describe, expect, it } from 'vitest';
import {
  StatusList,
  StatusListError,
  StatusListPublisher,
  signStatusListCwt,
  verifyStatusListCwt,
} from '../src/index.js';

const URI = 'https://issuer.example/status-lists/0';
const NOW = new Date('2026-04-01T09:00:00Z');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let calls = 0;
const signer: CoseSigner = {
  algorithm: 'ES256',
  sign: async (tbs) => {
    calls++;
    return new Uint8Array(sign('sha256', tbs, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }));
  },
};

describe('a COSE signer instead of a key', () => {
  const list = StatusList.create(64, 2);
  list.set(3, 1);
  list.set(5, 2);

  it('signStatusListCwt: alg ES256 from the signer, verifies under its public key', async () => {
    const before = calls;
    const token = await signStatusListCwt({ list, sub: URI, iat: NOW, ttl: 300, signer });
    expect(calls).toBe(before + 1);
    const v = await verifyStatusListCwt(token, { key: p256.publicKey, now: NOW, expectedUri: URI });
    expect(v.ok).toBe(true);
    expect(v.list?.get(3)).toBe(1);
    expect(v.list?.get(5)).toBe(2);
  });

  it('the publisher signs through the signer', async () => {
    const publisher = new StatusListPublisher({ uri: URI, format: 'cwt', signer, ttlSeconds: 300 });
    const out = await publisher.publish(list, NOW);
    const v = await verifyStatusListCwt(out.body, { key: p256.publicKey, now: NOW, expectedUri: URI });
    expect(v.ok).toBe(true);
  });

  it('refuses both or neither, a signer for JWT, and a signer naming no COSE algorithm', async () => {
    await expect(
      signStatusListCwt({ list, sub: URI, iat: NOW, signer, key: p256.privateKey }),
    ).rejects.toMatchObject({ code: 'STATUS_LIST_SIGN' });
    await expect(signStatusListCwt({ list, sub: URI, iat: NOW })).rejects.toBeInstanceOf(StatusListError);
    await expect(
      signStatusListCwt({ list, sub: URI, iat: NOW, signer: { ...signer, algorithm: 'XX999' } }),
    ).rejects.toMatchObject({ code: 'STATUS_LIST_SIGN' });
    expect(() => new StatusListPublisher({ uri: URI, format: 'jwt', signer })).toThrow(TypeError);
    expect(() => new StatusListPublisher({ uri: URI, format: 'cwt', signer, key: p256.privateKey })).toThrow(
      TypeError,
    );
  });
});
