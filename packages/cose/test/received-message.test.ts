/**
 * The synchronous, zero-copy path verifiers use (RFC 9052 §4.2, §4.4, §6.2, §6.3): reading a received
 * COSE_Sign1 / COSE_Mac0 from a decoded value or in place, the to-be-signed structures written in one
 * buffer, sync signature and MAC checks. Every result is compared with the general API (decodeSign1,
 * sign1ToBeSigned, verifySign1…) and with the cose-wg examples' ToBeSign / ToMac bytes.
 */
import { createSecretKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bytesToHex, type CborValue, decode, encode, hexToBytes, LeanReader, Tagged } from '@mynakit/cbor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoseAlgorithm,
  checkCriticalHeaders,
  criticalHeaderProblem,
  decodeMac0,
  decodeSign1,
  jwkToKeyObject,
  macAlgorithmOf,
  macStructure0,
  macStructure0Of,
  macVerifies,
  protectedAlgorithm,
  readCoseMessage,
  readCoseMessageAt,
  readProtectedHeader,
  signatureAlgorithm,
  signatureAlgorithmOf,
  signSign1,
  sigStructure1,
  sigStructure1Of,
  UNDERSTOOD_HEADER_LABELS,
  verifySignature,
} from '../src/index.js';
import { codeOf } from './helpers.js';

interface Sign1Case {
  title: string;
  key: string;
  fail: boolean;
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
  const k = vectors.keys[name] as Record<string, string>;
  if (k.x_hex)
    return jwkToKeyObject({
      kty: 'OKP',
      crv: k.crv as string,
      x: Buffer.from(k.x_hex, 'hex').toString('base64url'),
    });
  const { d: _d, ...pub } = k;
  return jwkToKeyObject(pub);
}

/** Both readers: from the decoded value and in place. */
function bothReadings(bytes: Uint8Array, kind: 'Sign1' | 'Mac0') {
  const fromValue = readCoseMessage(decode(bytes), kind);
  const r = new LeanReader(bytes);
  const inPlace = readCoseMessageAt(r, kind);
  r.expectEnd();
  return [fromValue, inPlace] as const;
}

describe('cose-wg examples through the synchronous path', () => {
  const passing = vectors.sign1.filter((c) => !c.fail && !c.algOnlyUnprotected);

  it.each(passing)('$title: same message as decodeSign1, same Sig_structure, the signature verifies', (c) => {
    const bytes = hexToBytes(c.cbor);
    const general = decodeSign1(bytes);
    const aad = c.external ? hexToBytes(c.external) : new Uint8Array(0);
    for (const m of bothReadings(bytes, 'Sign1')) {
      expect(m.protectedBytes).toEqual(general.protectedBytes);
      expect(m.protectedHeaders).toEqual(general.protectedHeaders);
      expect(m.payload).toEqual(general.payload);
      expect(m.signatureOrTag).toEqual(general.signature);
      const tbs = sigStructure1Of(m.protectedBytes, aad, m.payload as Uint8Array);
      expect(bytesToHex(tbs)).toBe((c.toBeSigned as string).toLowerCase());
      const alg = signatureAlgorithm(protectedAlgorithm(m));
      expect(verifySignature(alg, publicKey(c.key), tbs, m.signatureOrTag)).toBe(true);
    }
  });

  it('the failing examples do not verify, or name no algorithm this package has', () => {
    for (const c of vectors.sign1.filter((x) => x.fail)) {
      const bytes = hexToBytes(c.cbor);
      let m: ReturnType<typeof readCoseMessage>;
      try {
        m = readCoseMessage(decode(bytes), 'Sign1');
      } catch (e) {
        expect((e as { code?: string }).code, c.title).toBe('COSE_DECODE'); // the wrong tag
        continue;
      }
      const alg = signatureAlgorithmOf(protectedAlgorithm(m));
      if (alg === undefined) continue;
      const tbs = sigStructure1Of(m.protectedBytes, new Uint8Array(0), m.payload as Uint8Array);
      expect(verifySignature(alg, publicKey(c.key), tbs, m.signatureOrTag), c.title).toBe(false);
    }
  });

  it.each(vectors.mac0)('$title: MAC_structure matches ToMac; macVerifies is constant-time HMAC', (c) => {
    const key = Buffer.from((vectors.keys[c.key] as Record<string, string>).k as string, 'base64url');
    const general = decodeMac0(hexToBytes(c.cbor));
    for (const m of bothReadings(hexToBytes(c.cbor), 'Mac0')) {
      expect(m.signatureOrTag).toEqual(general.tag);
      const tbm = macStructure0Of(m.protectedBytes, new Uint8Array(0), m.payload as Uint8Array);
      expect(bytesToHex(tbm)).toBe(c.toMac.toLowerCase());
      const alg = macAlgorithmOf(protectedAlgorithm(m)) as NonNullable<ReturnType<typeof macAlgorithmOf>>;
      expect(macVerifies(alg, key, tbm, m.signatureOrTag)).toBe(true);
      expect(macVerifies(alg, createSecretKey(key), tbm, m.signatureOrTag)).toBe(true);
      expect(macVerifies(alg, key, tbm, m.signatureOrTag.subarray(1))).toBe(false);
      const wrong = new Uint8Array(key);
      wrong[0] = (wrong[0] as number) ^ 1;
      expect(macVerifies(alg, wrong, tbm, m.signatureOrTag)).toBe(false);
    }
  });
});

describe('readCoseMessage / readCoseMessageAt', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signed = async (payload: Uint8Array | null, unprotected = new Map<CborValue, CborValue>()) =>
    (
      await signSign1({
        protectedHeaders: new Map([[1, CoseAlgorithm.ES256]]),
        unprotectedHeaders: unprotected,
        payload,
        ...(payload === null ? { detachedPayload: Uint8Array.of(1) } : {}),
        key: privateKey,
      })
    ).encode();

  it('byte strings are views of the input; the {1: alg} header map is shared', async () => {
    const a = await signed(Uint8Array.of(1, 2, 3));
    const b = await signed(Uint8Array.of(4));
    const r = new LeanReader(a);
    const m = readCoseMessageAt(r, 'Sign1');
    expect(m.payload?.buffer).toBe(a.buffer);
    expect(m.signatureOrTag.buffer).toBe(a.buffer);
    expect(m.protectedHeaders).toBe(readCoseMessage(decode(b), 'Sign1').protectedHeaders);
    expect(readProtectedHeader(hexToBytes('a10126'))).toBe(m.protectedHeaders);
    // decodeSign1 hands out a map of its own.
    expect(decodeSign1(a).protectedHeaders).not.toBe(m.protectedHeaders);
    expect(decodeSign1(a).protectedHeaders).toEqual(m.protectedHeaders);
  });

  it('reads an attached payload in place, definite or indefinite length', async () => {
    const inner = encode(new Map([['a', 1]]));
    for (const bytes of [
      await signed(inner),
      // the same message with the payload as an indefinite-length byte string of two chunks
      hexToBytes(
        bytesToHex(await signed(inner)).replace(
          `4${inner.length.toString(16)}${bytesToHex(inner)}`,
          `5f4${(2).toString(16)}${bytesToHex(inner.subarray(0, 2))}4${(inner.length - 2).toString(16)}${bytesToHex(inner.subarray(2))}ff`,
        ),
      ),
    ]) {
      let seen: CborValue;
      const r = new LeanReader(bytes);
      const m = readCoseMessageAt(r, 'Sign1', (p) => {
        seen = p.value();
      });
      r.expectEnd();
      expect(seen).toEqual(new Map([['a', 1]]));
      expect(m.payload).toEqual(inner);
    }
    const r = new LeanReader(await signed(inner));
    expect(await codeOf(() => readCoseMessageAt(r, 'Sign1', (p) => void p.uint()))).toBe('CBOR_SHAPE');
  });

  it('refuses what is not one (COSE_DECODE), in both readers', async () => {
    const good = decode(await signed(null)) as CborValue[];
    const cases: [string, CborValue][] = [
      ['three elements', good.slice(0, 3)],
      ['a map', new Map()],
      ['tag 17 on a Sign1', new Tagged(17, good)],
      ['protected header as a map', [new Map(), good[1], good[2], good[3]] as CborValue[]],
      ['unprotected header as bytes', [good[0], new Uint8Array(0), good[2], good[3]] as CborValue[]],
      ['payload as text', [good[0], good[1], 'x', good[3]] as CborValue[]],
      ['signature missing', [good[0], good[1], null, null] as CborValue[]],
      ['protected header not a map', [encode([1]), good[1], null, good[3]] as CborValue[]],
    ];
    for (const [what, v] of cases) {
      expect(await codeOf(() => readCoseMessage(v, 'Sign1')), what).toBe('COSE_DECODE');
      expect(await codeOf(() => readCoseMessageAt(new LeanReader(encode(v)), 'Sign1')), what).toBe(
        'COSE_DECODE',
      );
    }
    expect(readCoseMessage(new Tagged(18, good), 'Sign1').signatureOrTag).toEqual(good[3]);
  });
});

describe('criticalHeaderProblem is checkCriticalHeaders without the throw', () => {
  const cases: [string, Map<CborValue, CborValue>, Map<CborValue, CborValue> | undefined][] = [
    ['no crit', new Map([[1, -7]]), undefined],
    [
      'crit understood and present',
      new Map<CborValue, CborValue>([
        [1, -7],
        [2, [1]],
      ]),
      undefined,
    ],
    [
      'crit empty',
      new Map<CborValue, CborValue>([
        [1, -7],
        [2, []],
      ]),
      undefined,
    ],
    [
      'crit lists an unknown label',
      new Map<CborValue, CborValue>([
        [1, -7],
        [2, [99]],
        [99, 0],
      ]),
      undefined,
    ],
    [
      'crit lists an absent label',
      new Map<CborValue, CborValue>([
        [1, -7],
        [2, [4]],
      ]),
      undefined,
    ],
    ['crit unprotected', new Map([[1, -7]]), new Map([[2, [1]]])],
  ];
  it.each(cases)('%s', (_, p, u) => {
    const problem = criticalHeaderProblem(p, UNDERSTOOD_HEADER_LABELS, u);
    let thrown: string | undefined;
    try {
      checkCriticalHeaders(p, UNDERSTOOD_HEADER_LABELS, u);
    } catch (e) {
      expect((e as { code?: string }).code).toBe('COSE_HEADER');
      thrown = (e as Error).message;
    }
    expect(problem).toBe(thrown);
  });
});

describe('Sig_structure / MAC_structure written in one buffer', () => {
  const lengths = [0, 1, 23, 24, 255, 256, 65535, 65536];

  it('equal the CBOR encoding of the array for every head width (seeded)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...lengths),
        fc.constantFrom(...lengths),
        fc.uint8Array({ maxLength: 40 }),
        (p, a, tail) => {
          const prot = new Uint8Array(p).fill(0xa0);
          const aad = new Uint8Array(a).fill(7);
          const payload = new Uint8Array(tail.length + p);
          payload.set(tail);
          const same = (a: Uint8Array, b: Uint8Array) => expect(Buffer.compare(a, b)).toBe(0);
          same(sigStructure1(prot, aad, payload), encode(['Signature1', prot, aad, payload]));
          same(macStructure0(prot, aad, payload), encode(['MAC0', prot, aad, payload]));
        },
      ),
      { seed: 90521, numRuns: 40 },
    );
  });

  it('a payload written in place gives the same bytes; transient bytes live until the next transient call', () => {
    const prot = hexToBytes('a10126');
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const writer = { length: payload.length, write: (out: Uint8Array, at: number) => out.set(payload, at) };
    const expected = sigStructure1(prot, new Uint8Array(0), payload);
    expect(sigStructure1Of(prot, new Uint8Array(0), writer)).toEqual(expected);
    const t = sigStructure1Of(prot, new Uint8Array(0), writer, { transient: true });
    expect(t).toEqual(expected);
    const copy = t.slice();
    macStructure0Of(prot, new Uint8Array(0), Uint8Array.of(9, 9, 9), { transient: true });
    expect(t).not.toEqual(copy);
    expect(macStructure0Of(prot, Uint8Array.of(1), writer)).toEqual(
      macStructure0(prot, Uint8Array.of(1), payload),
    );
  });
});

describe('verifySignature', () => {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const data = Uint8Array.of(1, 2, 3);
  const es256 = signatureAlgorithm(CoseAlgorithm.ES256);
  const sig = new Uint8Array(nodeSign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }));

  it('true for a good signature; false for a key of another curve, another length, DER, other data', () => {
    expect(verifySignature(es256, p256.publicKey, data, sig)).toBe(true);
    expect(verifySignature(es256, p384.publicKey, data, sig)).toBe(false);
    expect(verifySignature(es256, p256.publicKey, data, sig.subarray(1))).toBe(false);
    const der = new Uint8Array(nodeSign('sha256', data, p256.privateKey));
    expect(verifySignature(es256, p256.publicKey, data, der)).toBe(false);
    expect(verifySignature(es256, p256.publicKey, Uint8Array.of(1, 2), sig)).toBe(false);
  });
});
