import { createECDH, ECDH, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  asMap,
  bytesToHex,
  type CborMap,
  type CborValue,
  decode,
  type EncodedCbor,
  encode,
  getArray,
  getMap,
  hexToBytes,
} from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import {
  CoseError,
  coseKeyToJwk,
  coseKeyToKeyObject,
  decodeSign1,
  jwkToCoseKey,
  keyObjectToCoseKey,
  toKeyObject,
} from '../src/index.js';
import { codeOf, hexToB64url, readHex, readText } from './helpers.js';

type Gen = () => { publicKey: KeyObject; privateKey: KeyObject };
const generators: [string, Gen][] = [
  ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' })],
  ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' })],
  ['Ed25519', () => generateKeyPairSync('ed25519')],
  ['Ed448', () => generateKeyPairSync('ed448')],
  ['X25519', () => generateKeyPairSync('x25519')],
  ['X448', () => generateKeyPairSync('x448')],
];

describe('COSE_Key ↔ JWK ↔ KeyObject, against node:crypto JWK export', () => {
  it.each(generators)('%s public and private keys round-trip', (_, gen) => {
    for (let i = 0; i < 5; i++) {
      const { publicKey, privateKey } = gen();
      const pubJwk = publicKey.export({ format: 'jwk' });
      const privJwk = privateKey.export({ format: 'jwk' });
      const cosePub = keyObjectToCoseKey(publicKey);
      expect(coseKeyToJwk(cosePub)).toEqual(pubJwk);
      expect(coseKeyToKeyObject(cosePub).equals(publicKey)).toBe(true);
      // A private KeyObject exports only its public half unless asked.
      expect(coseKeyToJwk(keyObjectToCoseKey(privateKey))).toEqual(pubJwk);
      const cosePriv = keyObjectToCoseKey(privateKey, { includePrivate: true });
      expect(coseKeyToJwk(cosePriv)).toEqual(privJwk);
      expect(coseKeyToKeyObject(cosePriv).equals(privateKey)).toBe(true);
      // And JWK → COSE_Key → bytes → COSE_Key → JWK.
      expect(coseKeyToJwk(asMap(decode(encode(jwkToCoseKey(privJwk))), 'key'))).toEqual(privJwk);
    }
  });

  it('writes the ISO 18013-5 Annex D SDeviceKey exactly as the MSO carries it', () => {
    const keys = JSON.parse(readText('iso-18013-5-annex-d/keys.json')) as Record<
      string,
      { x: string; y: string }
    >;
    const response = asMap(decode(readHex('iso-18013-5-annex-d/device_response.hex')), 'r');
    const doc = asMap(getArray(response, 'documents')[0], 'd');
    const sign1 = decodeSign1(getMap(doc, 'issuerSigned').get('issuerAuth'));
    const mso = asMap((decode(sign1.payload!) as EncodedCbor).decode(), 'mso');
    const deviceKey = getMap(getMap(mso, 'deviceKeyInfo'), 'deviceKey');
    const ours = jwkToCoseKey({
      kty: 'EC',
      crv: 'P-256',
      x: hexToB64url(keys.SDeviceKey!.x),
      y: hexToB64url(keys.SDeviceKey!.y),
    });
    expect(bytesToHex(encode(ours))).toBe(bytesToHex(encode(deviceKey)));
  });

  it('accepts no alg, a text kid (real wallets) and a bstr kid', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const base = keyObjectToCoseKey(publicKey);
    expect(base.has(3)).toBe(false);
    const textKid = new Map(base).set(2, 'device-key-1');
    expect(coseKeyToJwk(textKid).kid).toBe('device-key-1');
    const bstrKid = new Map(base).set(2, hexToBytes('3131'));
    expect(coseKeyToJwk(bstrKid).kid).toBe('MTE');
    const withAlg = new Map(base).set(3, -7);
    expect(coseKeyToJwk(withAlg).alg).toBe('ES256');
    expect(
      jwkToCoseKey({ ...publicKey.export({ format: 'jwk' }), kid: 'k', alg: 'ES256' } as JsonWebKey).get(3),
    ).toBe(-7);
    expect(keyObjectToCoseKey(publicKey, { kid: hexToBytes('01'), alg: -7 }).get(2)).toEqual(
      hexToBytes('01'),
    );
  });

  it('the animo wallet device key with a text kid converts', () => {
    const input = readHex('real-world/wallet-responses/animo-paradym-oid4vp1/device_response.hex');
    const doc = asMap(getArray(asMap(decode(input), 'r'), 'documents')[0], 'd');
    const sign1 = decodeSign1(getMap(doc, 'issuerSigned').get('issuerAuth'));
    const mso = asMap((decode(sign1.payload!) as EncodedCbor).decode(), 'mso');
    const deviceKey = getMap(getMap(mso, 'deviceKeyInfo'), 'deviceKey');
    expect(typeof deviceKey.get(2)).toBe('string');
    expect(coseKeyToKeyObject(deviceKey).type).toBe('public');
  });

  it.each([
    ['P-256', 'prime256v1', 32],
    ['P-384', 'secp384r1', 48],
    ['P-521', 'secp521r1', 66],
  ] as const)('decompresses %s points (COSE y = sign bit) like OpenSSL', (name, curve, size) => {
    const crv = { 'P-256': 1, 'P-384': 2, 'P-521': 3 }[name];
    for (let i = 0; i < 10; i++) {
      const ecdh = createECDH(curve);
      ecdh.generateKeys();
      const compressed = ecdh.getPublicKey(undefined, 'compressed');
      const uncompressed = ecdh.getPublicKey();
      const x = new Uint8Array(compressed.subarray(1));
      const key: CborMap = new Map<CborValue, CborValue>([
        [1, 2],
        [-1, crv],
        [-2, x],
        [-3, compressed[0] === 3],
      ]);
      const jwk = coseKeyToJwk(key);
      expect(jwk.y).toBe(Buffer.from(uncompressed.subarray(1 + size)).toString('base64url'));
      // Round trip through node's converter the other way too.
      const back = ECDH.convertKey(uncompressed, curve, undefined, undefined, 'compressed') as Buffer;
      expect(back.equals(compressed)).toBe(true);
    }
  });

  it('left-pads coordinates whose leading zero bytes were dropped', () => {
    let key: KeyObject | undefined;
    for (let i = 0; i < 5000 && !key; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      if (Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')[0] === 0) key = publicKey;
    }
    expect(key).toBeDefined();
    const cose = keyObjectToCoseKey(key!);
    const x = cose.get(-2) as Uint8Array;
    expect(x[0]).toBe(0);
    cose.set(-2, x.subarray(1));
    expect(coseKeyToKeyObject(cose).equals(key!)).toBe(true);
  });

  it.each([
    ['not a map', [1, 2] as unknown as CborMap],
    ['no kty', new Map<CborValue, CborValue>([[-1, 1]])],
    ['unknown kty', new Map<CborValue, CborValue>([[1, 9]])],
    [
      'EC2 unknown crv',
      new Map<CborValue, CborValue>([
        [1, 2],
        [-1, 9],
        [-2, new Uint8Array(32)],
        [-3, new Uint8Array(32)],
      ]),
    ],
    [
      'EC2 no x',
      new Map<CborValue, CborValue>([
        [1, 2],
        [-1, 1],
        [-3, new Uint8Array(32)],
      ]),
    ],
    [
      'EC2 x too long',
      new Map<CborValue, CborValue>([
        [1, 2],
        [-1, 1],
        [-2, new Uint8Array(33)],
        [-3, new Uint8Array(32)],
      ]),
    ],
    [
      'EC2 y of the wrong type',
      new Map<CborValue, CborValue>([
        [1, 2],
        [-1, 1],
        [-2, new Uint8Array(32)],
        [-3, 1],
      ]),
    ],
    [
      'OKP x of the wrong length',
      new Map<CborValue, CborValue>([
        [1, 1],
        [-1, 6],
        [-2, new Uint8Array(31)],
      ]),
    ],
    [
      'kid of the wrong type',
      new Map<CborValue, CborValue>([
        [1, 1],
        [-1, 6],
        [-2, new Uint8Array(32)],
        [2, 5],
      ]),
    ],
  ])('COSE_KEY_INVALID: %s', (_, key) => {
    expect(() => coseKeyToJwk(key)).toThrow(CoseError);
    try {
      coseKeyToJwk(key);
    } catch (e) {
      expect((e as CoseError).code).toBe('COSE_KEY_INVALID');
    }
  });

  it('COSE_KEY_INVALID: a point that is not on the curve, compressed or not', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cose = keyObjectToCoseKey(publicKey);
    const y = new Uint8Array(cose.get(-3) as Uint8Array);
    y[31]! ^= 1;
    expect(await codeOf(() => coseKeyToKeyObject(new Map(cose).set(-3, y)))).toBe('COSE_KEY_INVALID');
    // x = 5 has no y on P-256 when x³ − 3x + b is not a square; find such an x.
    let found = false;
    for (let i = 0; i < 50 && !found; i++) {
      const x = new Uint8Array(32);
      x[31] = i;
      const code = await codeOf(() =>
        coseKeyToJwk(
          new Map<CborValue, CborValue>([
            [1, 2],
            [-1, 1],
            [-2, x],
            [-3, true],
          ]),
        ),
      );
      if (code === 'COSE_KEY_INVALID') found = true;
    }
    expect(found).toBe(true);
  });

  it('toKeyObject accepts KeyObject, JWK, COSE_Key and CryptoKey', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey;
    expect(toKeyObject(publicKey)).toBe(publicKey);
    expect(toKeyObject(jwk).equals(publicKey)).toBe(true);
    expect(toKeyObject(jwkToCoseKey(jwk)).equals(publicKey)).toBe(true);
    const cryptoKey = await globalThis.crypto.subtle.importKey(
      'jwk',
      jwk,
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['verify'],
    );
    expect(toKeyObject(cryptoKey).equals(publicKey)).toBe(true);
    expect(keyObjectToCoseKey(cryptoKey).get(-2)).toEqual(jwkToCoseKey(jwk).get(-2));
    expect(await codeOf(() => toKeyObject('nope' as unknown as JsonWebKey))).toBe('COSE_KEY_INVALID');
  });
});
