import { createECDH, createHmac, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { bytesToHex, type CborMap, type CborValue, hexToBytes, Tagged } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import {
  CoseMac0,
  createMac0,
  decodeMac0,
  ecdhSharedSecret,
  hkdfSha256,
  keyObjectToCoseKey,
  mac0ToBeMaced,
  macStructure0,
  verifyMac0,
} from '../src/index.js';
import { codeOf } from './helpers.js';

const hdr = (...entries: [CborValue, CborValue][]): CborMap => new Map(entries);
const payload = new TextEncoder().encode('DeviceAuthenticationBytes stand-in');
const key = hexToBytes('849b57219dae48de646d07dbb533566e976686457c1491be3a76dcea6c427188');

describe('COSE_Mac0', () => {
  it.each([
    [4, 'sha256', 8],
    [5, 'sha256', 32],
    [6, 'sha384', 48],
    [7, 'sha512', 64],
  ] as const)('alg %i: tag = HMAC-%s over MAC_structure, truncated to %i bytes', async (alg, hash, len) => {
    const mac0 = await createMac0({
      protectedHeaders: hdr([1, alg]),
      payload: null,
      detachedPayload: payload,
      key,
    });
    const expected = createHmac(hash, key)
      .update(macStructure0(mac0.protectedBytes, new Uint8Array(0), payload))
      .digest()
      .subarray(0, len);
    expect(bytesToHex(mac0.tag)).toBe(expected.toString('hex'));
    expect(await verifyMac0(mac0.encode(), { key, detachedPayload: payload })).toBe(true);
  });

  it('MAC_structure is ["MAC0", protected, external_aad, payload] (RFC 9052 §6.3)', () => {
    expect(bytesToHex(macStructure0(hexToBytes('a10105'), new Uint8Array(0), hexToBytes('01')))).toBe(
      '84644d41433043a10105404101',
    );
  });

  it('rejects a wrong key, a tampered payload or protected header, a truncated tag', async () => {
    const mac0 = await createMac0({ protectedHeaders: hdr([1, 5]), payload, key });
    expect(await verifyMac0(mac0, { key: key.subarray(1) })).toBe(false);
    const p = new Uint8Array(payload);
    p[0]! ^= 1;
    expect(
      await verifyMac0(
        new CoseMac0(mac0.protectedBytes, mac0.protectedHeaders, mac0.unprotectedHeaders, p, mac0.tag),
        { key },
      ),
    ).toBe(false);
    // {1: 5} written with a non-preferred head: the same map, different bytes.
    const prot = hexToBytes('a1011805');
    expect(await verifyMac0(new CoseMac0(prot, hdr([1, 5]), hdr(), payload, mac0.tag), { key })).toBe(false);
    expect(
      await verifyMac0(
        new CoseMac0(mac0.protectedBytes, mac0.protectedHeaders, hdr(), payload, mac0.tag.subarray(0, 16)),
        { key },
      ),
    ).toBe(false);
    expect(
      await verifyMac0(
        new CoseMac0(mac0.protectedBytes, mac0.protectedHeaders, hdr(), payload, new Uint8Array(0)),
        { key },
      ),
    ).toBe(false);
  });

  it('structural problems are typed errors', async () => {
    expect(await codeOf(createMac0({ protectedHeaders: hdr([1, -7]), payload, key }))).toBe(
      'COSE_UNSUPPORTED_ALG',
    );
    expect(await codeOf(createMac0({ protectedHeaders: hdr(), payload, key }))).toBe('COSE_HEADER');
    expect(await codeOf(createMac0({ protectedHeaders: hdr([1, 5]), payload: null, key }))).toBe(
      'COSE_MISSING_PAYLOAD',
    );
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(await codeOf(createMac0({ protectedHeaders: hdr([1, 5]), payload, key: privateKey }))).toBe(
      'COSE_ALG_KEY_MISMATCH',
    );
    expect(await codeOf(() => decodeMac0(hexToBytes('d28440a0f640')))).toBe('COSE_DECODE');
    expect(await codeOf(() => decodeMac0(hexToBytes('8340a0f6')))).toBe('COSE_DECODE');
    const mac0 = await createMac0({ protectedHeaders: hdr([1, 5]), payload, key });
    expect(await codeOf(verifyMac0(mac0, { key, detachedPayload: hexToBytes('00') }))).toBe(
      'COSE_PAYLOAD_MISMATCH',
    );
  });

  it('tag 17 optional on input; ToBeMaced uses the received protected bytes', async () => {
    const mac0 = await createMac0({ protectedHeaders: hdr([1, 5]), payload, key, tagged: true });
    const bytes = mac0.encode();
    expect(bytesToHex(bytes).slice(0, 4)).toBe('d184');
    const d = decodeMac0(bytes);
    expect(d.tagged).toBe(true);
    expect(decodeMac0(new Tagged(17, d.toCbor())).tagged).toBe(true);
    expect(bytesToHex(mac0ToBeMaced(d))).toBe(
      bytesToHex(macStructure0(hexToBytes('a10105'), new Uint8Array(0), payload)),
    );
  });
});

describe('ECDH and HKDF', () => {
  it('hkdfSha256 matches RFC 5869 test cases 1 and 3', async () => {
    const okm1 = await hkdfSha256(
      hexToBytes('0b'.repeat(22)),
      hexToBytes('000102030405060708090a0b0c'),
      hexToBytes('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(bytesToHex(okm1)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
    const okm3 = await hkdfSha256(hexToBytes('0b'.repeat(22)), new Uint8Array(0), new Uint8Array(0), 42);
    expect(bytesToHex(okm3)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it.each([
    ['P-256', 'prime256v1', 32],
    ['P-384', 'secp384r1', 48],
    ['P-521', 'secp521r1', 66],
  ] as const)(
    'ecdhSharedSecret on %s is the x-coordinate, as node ECDH computes it',
    async (name, curve, size) => {
      const a = generateKeyPairSync('ec', { namedCurve: name });
      const b = createECDH(curve);
      b.generateKeys();
      const bPublicJwk = {
        kty: 'EC',
        crv: name,
        x: b
          .getPublicKey()
          .subarray(1, 1 + size)
          .toString('base64url'),
        y: b
          .getPublicKey()
          .subarray(1 + size)
          .toString('base64url'),
      };
      const z = await ecdhSharedSecret(a.privateKey, bPublicJwk);
      const aPublic = Buffer.from([
        4,
        ...Buffer.from(a.publicKey.export({ format: 'jwk' }).x!, 'base64url'),
        ...Buffer.from(a.publicKey.export({ format: 'jwk' }).y!, 'base64url'),
      ]);
      expect(z).toHaveLength(size);
      expect(bytesToHex(z)).toBe(b.computeSecret(aPublic).toString('hex'));
      // COSE_Key input works too
      expect(bytesToHex(await ecdhSharedSecret(a.privateKey, keyObjectToCoseKey(a.publicKey)))).toBe(
        bytesToHex(new Uint8Array(diffieHellman({ privateKey: a.privateKey, publicKey: a.publicKey }))),
      );
    },
  );

  it('X25519 works; mixed curves and public-only keys are COSE_KEY_INVALID', async () => {
    const a = generateKeyPairSync('x25519');
    const b = generateKeyPairSync('x25519');
    expect(bytesToHex(await ecdhSharedSecret(a.privateKey, b.publicKey))).toBe(
      bytesToHex(await ecdhSharedSecret(b.privateKey, a.publicKey)),
    );
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(await codeOf(ecdhSharedSecret(p256.privateKey, p384.publicKey))).toBe('COSE_KEY_INVALID');
    expect(await codeOf(ecdhSharedSecret(p256.publicKey, p256.publicKey))).toBe('COSE_KEY_INVALID');
  });
});
