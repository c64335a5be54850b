import { createPrivateKey, createPublicKey, createSecretKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import {
  decodeMac0,
  decodeSign1,
  mac0ToBeMaced,
  sign1ToBeSigned,
  verifyMac0,
  verifySign1,
} from '../src/index.js';
import { codeOf } from './helpers.js';

/** RFC 9052 examples from cose-wg/Examples (copied into vectors/cose-wg-examples.json with their commits). */
interface Sign1Case {
  title: string;
  key: string;
  fail: boolean;
  expect?: string;
  external?: string;
  algOnlyUnprotected?: boolean;
  toBeSigned?: string;
  cbor: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('./vectors/cose-wg-examples.json', import.meta.url), 'utf8'),
) as {
  keys: Record<string, Record<string, string>>;
  sign1: Sign1Case[];
  mac0: { title: string; key: string; toMac: string; cbor: string }[];
};

function publicKey(name: string) {
  const k = vectors.keys[name]!;
  if (k.x_hex) {
    return createPublicKey({
      key: { kty: 'OKP', crv: k.crv!, x: Buffer.from(k.x_hex, 'hex').toString('base64url') },
      format: 'jwk',
    });
  }
  const { d: _d, ...pub } = k;
  return createPublicKey({ key: pub, format: 'jwk' });
}

describe('cose-wg Sign1 examples', () => {
  const passing = vectors.sign1.filter((c) => !c.fail && !c.algOnlyUnprotected);

  it.each(passing)('$title: Sig_structure matches ToBeSign and the signature verifies', async (c) => {
    const sign1 = decodeSign1(hexToBytes(c.cbor));
    const externalAad = c.external ? hexToBytes(c.external) : undefined;
    const opts = externalAad ? { externalAad } : {};
    expect(bytesToHex(sign1ToBeSigned(sign1, opts))).toBe(c.toBeSigned!.toLowerCase());
    expect(await verifySign1(sign1, { key: publicKey(c.key), ...opts })).toBe(true);
    // Tag 18 is optional on input and remembered.
    expect(sign1.tagged).toBe(c.cbor.startsWith('D2'));
    expect(bytesToHex(sign1.encode())).toBe(c.cbor.toLowerCase());
  });

  it('sign-pass-02 fails without its external AAD', async () => {
    const c = vectors.sign1.find((x) => x.title.startsWith('sign-pass-02'))!;
    expect(await verifySign1(hexToBytes(c.cbor), { key: publicKey(c.key) })).toBe(false);
  });

  it('sign-pass-01 (alg only in the unprotected header) is refused: alg must come from the protected header', async () => {
    const c = vectors.sign1.find((x) => x.algOnlyUnprotected)!;
    const sign1 = decodeSign1(hexToBytes(c.cbor));
    // The protected header was sent as h'A0' (an encoded empty map); Sig_structure uses h'' for it (RFC 9052 §4.4).
    expect(bytesToHex(sign1ToBeSigned(sign1))).toBe(c.toBeSigned!.toLowerCase());
    // The signature itself is good (checked directly with node:crypto) ...
    const der = nodeVerify(
      'sha256',
      sign1ToBeSigned(sign1),
      { key: publicKey(c.key), dsaEncoding: 'ieee-p1363' },
      sign1.signature,
    );
    expect(der).toBe(true);
    // ... but RFC 9052 §3.1 wants alg authenticated when it can be: we never take it from the unprotected bucket.
    expect(await codeOf(verifySign1(sign1, { key: publicKey(c.key) }))).toBe('COSE_HEADER');
  });

  it.each(vectors.sign1.filter((c) => c.fail))('$title → $expect', async (c) => {
    const result = await codeOf(async () => {
      const ok = await verifySign1(hexToBytes(c.cbor), { key: publicKey(c.key) });
      if (!ok) throw Object.assign(new Error('false'), { code: 'false' });
    });
    expect(result).toBe(c.expect);
  });
});

describe('cose-wg Mac0 example', () => {
  it.each(vectors.mac0)('$title: MAC_structure matches ToMac and the tag verifies', async (c) => {
    const key = Buffer.from(vectors.keys[c.key]!.k!, 'base64url');
    const mac0 = decodeMac0(hexToBytes(c.cbor));
    expect(bytesToHex(mac0ToBeMaced(mac0))).toBe(c.toMac.toLowerCase());
    expect(await verifyMac0(mac0, { key })).toBe(true);
    expect(await verifyMac0(mac0, { key: createSecretKey(key) })).toBe(true);
    const wrong = new Uint8Array(key);
    wrong[0]! ^= 1;
    expect(await verifyMac0(mac0, { key: wrong })).toBe(false);
    expect(await verifyMac0(mac0, { key, externalAad: hexToBytes('00') })).toBe(false);
  });
});

// Keep the private key import used so the JWK vectors are known to be consistent.
it('the example P-256 key pair is consistent', () => {
  const k = vectors.keys['11']!;
  const priv = createPrivateKey({ key: k, format: 'jwk' });
  expect(createPublicKey(priv).export({ format: 'jwk' })).toMatchObject({ x: k.x, y: k.y });
});
