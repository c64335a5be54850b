/**
 * Keys and signers on the synchronous path: COSE_Key → KeyObject by the fast import (RFC 9052 §7,
 * RFC 9053 §7) and its cache, the algorithm a key signs with by default, algorithm names, external
 * signers (RFC 9053 §2.1: r ‖ s, never DER), the ISO/IEC 18013-5 key derivation, x5chain values.
 */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { CborValue } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import {
  CoseAlgorithm,
  coseKeyToKeyObject,
  coseKeyToPublicKey,
  defaultSignatureAlgorithm,
  deriveEMacKey,
  deriveMdocKey,
  keyFitsAlgorithm,
  keyObjectToCoseKey,
  p256PrivateKeyFromScalar,
  prepareSign1,
  signatureAlgorithm,
  signatureAlgorithmId,
  signSign1,
  verifySign1,
  verifySignature,
  x5chainValue,
} from '../src/index.js';
import { codeOf } from './helpers.js';

const curves = ['P-256', 'P-384', 'P-521'] as const;

describe('coseKeyToPublicKey', () => {
  it.each(curves)('EC2 %s: the same key as the general import', (namedCurve) => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
    const cose = keyObjectToCoseKey(privateKey, { includePrivate: true });
    const k = coseKeyToPublicKey(cose);
    expect(k.type).toBe('public'); // the private part is ignored
    expect(k.equals(publicKey)).toBe(true);
    expect(k.equals(coseKeyToKeyObject(keyObjectToCoseKey(publicKey)))).toBe(true);
  });

  it('OKP Ed25519 and X25519; RSA', () => {
    for (const type of ['ed25519', 'x25519'] as const) {
      const { publicKey } = generateKeyPairSync(type as 'ed25519');
      expect(coseKeyToPublicKey(keyObjectToCoseKey(publicKey)).equals(publicKey)).toBe(true);
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(coseKeyToPublicKey(keyObjectToCoseKey(rsa.publicKey)).equals(rsa.publicKey)).toBe(true);
  });

  it('a compressed point (y as its sign bit) and coordinates without their leading zeros', () => {
    for (let i = 0; i < 40; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const cose = keyObjectToCoseKey(publicKey);
      const x = cose.get(-2) as Uint8Array;
      const y = cose.get(-3) as Uint8Array;
      const odd = ((y[31] as number) & 1) === 1;
      expect(coseKeyToPublicKey(new Map(cose).set(-3, odd)).equals(publicKey)).toBe(true);
      if (x[0] === 0) {
        expect(coseKeyToPublicKey(new Map(cose).set(-2, x.subarray(1))).equals(publicKey)).toBe(true);
        return;
      }
    }
  });

  it('an imported key fits only its own algorithms (the curve it was imported on)', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const k = coseKeyToPublicKey(keyObjectToCoseKey(p256.publicKey));
    const data = Uint8Array.of(1, 2, 3);
    const sig = new Uint8Array(nodeSign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }));
    expect(verifySignature(signatureAlgorithm(CoseAlgorithm.ES256), k, data, sig)).toBe(true);
    expect(keyFitsAlgorithm(signatureAlgorithm(CoseAlgorithm.ES384), k)).toBe(false);
    expect(keyFitsAlgorithm(signatureAlgorithm(CoseAlgorithm.EdDSA), k)).toBe(false);
    const ed = coseKeyToPublicKey(keyObjectToCoseKey(generateKeyPairSync('ed25519').publicKey));
    expect(keyFitsAlgorithm(signatureAlgorithm(CoseAlgorithm.EdDSA), ed)).toBe(true);
    expect(keyFitsAlgorithm(signatureAlgorithm(CoseAlgorithm.ES256), ed)).toBe(false);
    // Nothing enumerable is added to the KeyObject.
    expect(Object.keys(k)).toEqual(Object.keys(p256.publicKey));
  });

  it('with `cache`, one KeyObject per key (by its bytes); without, a new one each time', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cose = keyObjectToCoseKey(publicKey);
    const a = coseKeyToPublicKey(cose, { cache: true });
    expect(coseKeyToPublicKey(new Map(cose), { cache: true })).toBe(a);
    expect(coseKeyToPublicKey(cose)).not.toBe(a);
    const other = keyObjectToCoseKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    expect(coseKeyToPublicKey(other, { cache: true })).not.toBe(a);
  });

  it('COSE_KEY_INVALID: off-curve point, unknown curve, missing or ill-typed parts, secret key', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cose = keyObjectToCoseKey(publicKey);
    const y = new Uint8Array(cose.get(-3) as Uint8Array);
    y[31] = (y[31] as number) ^ 1;
    const bad: [string, Map<CborValue, CborValue>][] = [
      ['off-curve', new Map(cose).set(-3, y)],
      ['curve 99', new Map(cose).set(-1, 99)],
      ['no y', new Map([...cose].filter(([k]) => k !== -3))],
      ['y text', new Map(cose).set(-3, 'y')],
      ['x too long', new Map(cose).set(-2, new Uint8Array(33))],
      [
        'OKP short x',
        new Map<CborValue, CborValue>([
          [1, 1],
          [-1, 6],
          [-2, new Uint8Array(31)],
        ]),
      ],
      [
        'symmetric',
        new Map<CborValue, CborValue>([
          [1, 4],
          [-1, new Uint8Array(32)],
        ]),
      ],
      ['no kty', new Map<CborValue, CborValue>([[-1, 1]])],
    ];
    for (const [what, key] of bad)
      expect(await codeOf(() => coseKeyToPublicKey(key)), what).toBe('COSE_KEY_INVALID');
  });
});

describe('algorithms by name and by key', () => {
  it('signatureAlgorithmId takes IANA names and identifiers; anything else is COSE_UNSUPPORTED_ALG', async () => {
    expect(signatureAlgorithmId('ES256')).toBe(CoseAlgorithm.ES256);
    expect(signatureAlgorithmId('ESP384')).toBe(CoseAlgorithm.ESP384);
    expect(signatureAlgorithmId('EdDSA')).toBe(CoseAlgorithm.EdDSA);
    expect(signatureAlgorithmId(-36)).toBe(CoseAlgorithm.ES512);
    for (const x of ['toString', '__proto__', 'HS256', -65535, 5])
      expect(await codeOf(() => signatureAlgorithmId(x)), String(x)).toBe('COSE_UNSUPPORTED_ALG');
  });

  it('defaultSignatureAlgorithm: ES256/384/512 by curve, EdDSA, PS256; none for X25519 or a secret', async () => {
    for (const [namedCurve, name] of [
      ['P-256', 'ES256'],
      ['P-384', 'ES384'],
      ['P-521', 'ES512'],
    ] as const)
      expect(defaultSignatureAlgorithm(generateKeyPairSync('ec', { namedCurve }).privateKey).name).toBe(name);
    expect(defaultSignatureAlgorithm(generateKeyPairSync('ed25519').publicKey).name).toBe('EdDSA');
    expect(
      defaultSignatureAlgorithm(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey).name,
    ).toBe('PS256');
    expect(await codeOf(() => defaultSignatureAlgorithm(generateKeyPairSync('x25519').publicKey))).toBe(
      'COSE_ALG_KEY_MISMATCH',
    );
  });
});

describe('external signers (a KMS holds the key)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const protectedHeaders = new Map([[1, CoseAlgorithm.ES256]]);
  const payload = Uint8Array.of(1, 2, 3);
  const kms = (dsaEncoding: 'ieee-p1363' | 'der') => ({
    algorithm: 'ES256',
    sign: async (tbs: Uint8Array) =>
      new Uint8Array(nodeSign('sha256', tbs, { key: privateKey, dsaEncoding })),
  });

  it('signSign1 with a signer: the Sig_structure is what it signs, and the message verifies', async () => {
    const sign1 = await signSign1({ protectedHeaders, payload, signer: kms('ieee-p1363') });
    expect(await verifySign1(sign1.encode(), { key: publicKey })).toBe(true);
    const prepared = prepareSign1({ protectedHeaders, payload });
    expect(prepared.algorithm.name).toBe('ES256');
    expect(await verifySign1(prepared.signWith(privateKey), { key: publicKey })).toBe(true);
    const byHand = prepared.complete(await kms('ieee-p1363').sign(prepared.toBeSigned));
    expect(await verifySign1(byHand, { key: publicKey })).toBe(true);
  });

  it('a DER signature is COSE_CRYPTO; a signer of another algorithm COSE_ALG_KEY_MISMATCH; a failing one COSE_CRYPTO', async () => {
    expect(await codeOf(signSign1({ protectedHeaders, payload, signer: kms('der') }))).toBe('COSE_CRYPTO');
    expect(
      await codeOf(
        signSign1({ protectedHeaders, payload, signer: { ...kms('ieee-p1363'), algorithm: -35 } }),
      ),
    ).toBe('COSE_ALG_KEY_MISMATCH');
    const failing = { algorithm: -7, sign: async () => Promise.reject(new Error('HSM offline')) };
    expect(await codeOf(signSign1({ protectedHeaders, payload, signer: failing }))).toBe('COSE_CRYPTO');
  });
});

describe('ISO/IEC 18013-5 key derivation and x5chain values', () => {
  it('deriveMdocKey (sync) gives EMacKey as deriveEMacKey does', async () => {
    const reader = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const st = Uint8Array.of(0xd8, 0x18, 0x41, 0x80);
    const sync = deriveMdocKey(reader.privateKey, device.publicKey, st, 'EMacKey');
    const holder = deriveMdocKey(device.privateKey, reader.publicKey, st, 'EMacKey');
    expect(sync).toEqual(holder);
    expect(sync).toEqual(
      await deriveEMacKey({
        privateKey: reader.privateKey,
        publicKey: device.publicKey,
        sessionTranscriptBytes: st,
      }),
    );
    expect(deriveMdocKey(reader.privateKey, device.publicKey, st, 'SKReader')).not.toEqual(sync);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(await codeOf(() => deriveMdocKey(reader.privateKey, p384.publicKey, st, 'EMacKey'))).toBe(
      'COSE_KEY_INVALID',
    );
  });

  it('p256PrivateKeyFromScalar: node derives the public point; 31 bytes or 0 is COSE_KEY_INVALID', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
    const k = p256PrivateKeyFromScalar(new Uint8Array(d));
    expect(k.type).toBe('private');
    expect(keyObjectToCoseKey(k)).toEqual(keyObjectToCoseKey(publicKey));
    expect(await codeOf(() => p256PrivateKeyFromScalar(new Uint8Array(31)))).toBe('COSE_KEY_INVALID');
    expect(await codeOf(() => p256PrivateKeyFromScalar(new Uint8Array(32)))).toBe('COSE_KEY_INVALID');
  });

  it('x5chainValue: one certificate is a bstr, several an array (RFC 9360 §2)', () => {
    const a = Uint8Array.of(1);
    const b = Uint8Array.of(2);
    expect(x5chainValue([a])).toBe(a);
    expect(x5chainValue([a, b])).toEqual([a, b]);
    expect(() => x5chainValue([])).toThrow(RangeError);
  });
});
