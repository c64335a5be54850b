import { createDecipheriv, createECDH, createHash } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  decryptAuthorizationResponse,
  encryptAuthorizationResponse,
  jwkThumbprint,
  selectEncryptionKey,
} from '../src/openid4vp/response-encryption.js';
import { p256 } from './helpers/fixtures.js';
import { hex, vectorJson } from './helpers/vectors.js';

/**
 * An independent JWE reader for the tests: ECDH-ES direct key agreement with the Concat KDF
 * (RFC 7518 §4.6, NIST SP 800-56A) and AES-GCM, from node:crypto primitives only.
 */
function independentDecrypt(jwe: string, privateJwk: JWK): unknown {
  const [h, encryptedKey, iv, ct, tag] = jwe.split('.') as [string, string, string, string, string];
  expect(encryptedKey).toBe(''); // direct key agreement: no wrapped key
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as {
    alg: string;
    enc: string;
    epk: JWK;
    apu?: string;
    apv?: string;
  };
  expect(header.alg).toBe('ECDH-ES');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(privateJwk.d!, 'base64url'));
  const epk = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(header.epk.x!, 'base64url'),
    Buffer.from(header.epk.y!, 'base64url'),
  ]);
  const z = ecdh.computeSecret(epk);
  const keyBits = header.enc === 'A256GCM' ? 256 : 128;
  const lp = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, b.length >> 8, b.length & 0xff]), b]);
  const otherInfo = Buffer.concat([
    lp(Buffer.from(header.enc)),
    lp(Buffer.from(header.apu ?? '', 'base64url')),
    lp(Buffer.from(header.apv ?? '', 'base64url')),
    Buffer.from([0, 0, keyBits >> 8, keyBits & 0xff]),
  ]);
  const key = createHash('sha256')
    .update(Buffer.concat([Buffer.from([0, 0, 0, 1]), z, otherInfo]))
    .digest()
    .subarray(0, keyBits / 8);
  const d = createDecipheriv(
    keyBits === 256 ? 'aes-256-gcm' : 'aes-128-gcm',
    key,
    Buffer.from(iv, 'base64url'),
  );
  d.setAAD(Buffer.from(h, 'ascii'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString());
}

async function encryptionKey(kid = 'k1') {
  const k = p256();
  const pub = { ...(await exportJWK(k.publicKey)), kid, alg: 'ECDH-ES', use: 'enc' };
  const priv = { ...(await exportJWK(k.privateKey)), kid };
  return { pub, priv };
}

describe('encrypted responses (OpenID4VP 1.0 §8.3: dc_api.jwt, direct_post.jwt)', () => {
  it('jwkThumbprint is the RFC 7638 thumbprint of the B.2.6 example key', async () => {
    const v = vectorJson<{ inputs: { jwkThumbprintInputJwk: JWK; jwkThumbprintHex: string } }>(
      'openid4vp-handover/dcapi_B.2.6.2.json',
    );
    expect(hex(await jwkThumbprint(v.inputs.jwkThumbprintInputJwk))).toBe(v.inputs.jwkThumbprintHex);
  });

  for (const enc of ['A128GCM', 'A256GCM'] as const) {
    it(`${enc}: an independent ECDH-ES reader decrypts what we encrypt; we decrypt it too`, async () => {
      const { pub, priv } = await encryptionKey();
      const payload = { vp_token: { mnc: ['o2d2ZXJzaW9u'] }, state: 's1' };
      const out = await encryptAuthorizationResponse(payload, {
        jwks: { keys: [pub] },
        encrypted_response_enc_values_supported: [enc],
      });
      const header = JSON.parse(Buffer.from(out.response.split('.')[0]!, 'base64url').toString());
      expect(header).toMatchObject({ alg: 'ECDH-ES', enc, kid: 'k1' });
      expect(independentDecrypt(out.response, priv)).toEqual(payload);
      expect(await decryptAuthorizationResponse(out.response, priv, [enc])).toEqual(payload);
      const { d: _d, ...publicOnly } = pub as JWK & { d?: string };
      expect(hex(out.jwkThumbprint)).toBe(hex(await jwkThumbprint(publicOnly)));
    });
  }

  it('JWE_DECRYPT_FAILED: another key (same kid), or an enc the verifier did not offer', async () => {
    const a = await encryptionKey();
    const b = await encryptionKey();
    const out = await encryptAuthorizationResponse({ vp_token: {} }, { jwks: { keys: [a.pub] } });
    await expect(decryptAuthorizationResponse(out.response, b.priv)).rejects.toMatchObject({
      code: 'JWE_DECRYPT_FAILED',
    });
    const c = await encryptionKey('other-kid');
    await expect(decryptAuthorizationResponse(out.response, c.priv)).rejects.toMatchObject({
      code: 'JWE_DECRYPT_FAILED',
    });
    const a256 = await encryptAuthorizationResponse(
      { vp_token: {} },
      { jwks: { keys: [a.pub] }, encrypted_response_enc_values_supported: ['A256GCM'] },
    );
    await expect(decryptAuthorizationResponse(a256.response, a.priv, ['A128GCM'])).rejects.toMatchObject({
      code: 'JWE_DECRYPT_FAILED',
    });
    await expect(decryptAuthorizationResponse('not.a.jwe', a.priv)).rejects.toMatchObject({ code: 'DECODE' });
  });

  it('key selection: an ECDH-ES EC key for encryption; no usable key or enc → invalid_request', async () => {
    const { pub } = await encryptionKey();
    const sig = { ...pub, use: 'sig', kid: 'sig' };
    expect(selectEncryptionKey({ jwks: { keys: [sig, pub] } })).toMatchObject({
      alg: 'ECDH-ES',
      enc: 'A128GCM',
      jwk: { kid: 'k1' },
    });
    expect(() => selectEncryptionKey({ jwks: { keys: [sig] } })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() =>
      selectEncryptionKey({ jwks: { keys: [pub] }, encrypted_response_enc_values_supported: ['XC20P'] }),
    ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});
