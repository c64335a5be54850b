/**
 * The session key at rest (src/sessions/session-key.ts): the private scalar, sealed to its session with the
 * key-encryption key; keys stored by earlier versions as PKCS#8 still open.
 */
import { createCipheriv, createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  newSessionKeyPair,
  newSessionScalarKey,
  openSessionKey,
  sealSessionKey,
} from '../src/sessions/session-key.js';

const kek = new Uint8Array(randomBytes(32));

function scalar(key: ReturnType<typeof newSessionKeyPair>['privateKey']): string {
  return Buffer.from(key.export({ format: 'jwk' }).d as string, 'base64url').toString('hex');
}

describe('session keys at rest', () => {
  it('opens to the same scalar, sealed or plain, and a sealed key only for its own session and key', () => {
    const { privateKey } = newSessionKeyPair();
    const sealed = sealSessionKey(privateKey, 'session-1', kek);
    expect(sealed[0]).toBe(0x03);
    expect(Buffer.from(sealed).toString('hex')).not.toContain(scalar(privateKey));
    expect(Buffer.from(openSessionKey(sealed, 'session-1', kek)).toString('hex')).toBe(scalar(privateKey));
    for (const [id, k] of [
      ['session-2', kek],
      ['session-1', new Uint8Array(randomBytes(32))],
      ['session-1', undefined],
    ] as const)
      expect(() => openSessionKey(sealed, id, k)).toThrow(
        expect.objectContaining({ code: 'VERIFIER_SESSION_KEY_UNAVAILABLE' }),
      );
    const tampered = new Uint8Array(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(() => openSessionKey(tampered, 'session-1', kek)).toThrow(
      expect.objectContaining({ code: 'VERIFIER_SESSION_KEY_UNAVAILABLE' }),
    );
    const plain = sealSessionKey(privateKey, 'session-1');
    expect(plain).toHaveLength(33);
    expect(Buffer.from(openSessionKey(plain, 'session-1')).toString('hex')).toBe(scalar(privateKey));
  });

  it('makes scalar keys whose point is d·G, 32 bytes even when OpenSSL drops leading zeros, sealed like a KeyObject', () => {
    for (let i = 0; i < 64; i++) {
      const { d, publicPoint } = newSessionScalarKey();
      expect(d).toHaveLength(32);
      expect(publicPoint).toHaveLength(65);
      // ECDH.setPrivateKey computes the public point from the scalar alone: it must be the one we publish.
      const check = createECDH('prime256v1');
      check.setPrivateKey(d);
      expect(new Uint8Array(check.getPublicKey())).toEqual(publicPoint);
      const sealed = sealSessionKey(d, `s-${i}`, kek);
      expect(openSessionKey(sealed, `s-${i}`, kek)).toEqual(d);
    }
    expect(() => sealSessionKey(new Uint8Array(31), 's', kek)).toThrow(
      expect.objectContaining({ code: 'VERIFIER_INVALID_INPUT' }),
    );
  });

  it('still opens the PKCS#8 forms of earlier versions', () => {
    const { privateKey } = newSessionKeyPair();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const plain = Buffer.concat([Buffer.of(0x00), der]);
    expect(Buffer.from(openSessionKey(plain, 'old')).toString('hex')).toBe(scalar(privateKey));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(Buffer.from('old', 'utf8'));
    const ct = Buffer.concat([cipher.update(der), cipher.final()]);
    const sealed = Buffer.concat([Buffer.of(0x01), iv, cipher.getAuthTag(), ct]);
    expect(Buffer.from(openSessionKey(sealed, 'old', kek)).toString('hex')).toBe(scalar(privateKey));
  });

  it('refuses an unknown form, a truncated one and a scalar of the wrong length', () => {
    for (const stored of [
      Buffer.of(0x07, 1, 2),
      Buffer.of(0x03, 1, 2),
      Buffer.of(0x02, ...new Uint8Array(31)),
    ])
      expect(() => openSessionKey(stored, 'x', kek)).toThrow(
        expect.objectContaining({ code: 'VERIFIER_SESSION_KEY_UNAVAILABLE' }),
      );
  });
});
