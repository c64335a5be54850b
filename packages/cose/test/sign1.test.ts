import { execFileSync } from 'node:child_process';
import {
  constants,
  createHash,
  generateKeyPairSync,
  type KeyObject,
  verify as nodeVerify,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bytesToHex,
  type CborError,
  type CborMap,
  type CborValue,
  encode,
  hexToBytes,
  Tagged,
} from '@mynakit/cbor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CoseAlgorithm,
  type CoseError,
  CoseSign1,
  decodeSign1,
  getX5Chain,
  keyObjectToCoseKey,
  sign1ToBeSigned,
  signSign1,
  verifySign1,
} from '../src/index.js';
import { codeOf } from './helpers.js';

const hdr = (...entries: [CborValue, CborValue][]): CborMap => new Map(entries);
const payload = new TextEncoder().encode('This is the content.');

const ec = (crv: string) => generateKeyPairSync('ec', { namedCurve: crv });
const keys = {
  p256: ec('P-256'),
  p384: ec('P-384'),
  p521: ec('P-521'),
  ed25519: generateKeyPairSync('ed25519'),
  ed448: generateKeyPairSync('ed448'),
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
};

/** node:crypto verification of our signature over our Sig_structure: checks the signing side. */
function nodeCheck(alg: number, key: KeyObject, data: Uint8Array, sig: Uint8Array): boolean {
  switch (alg) {
    case -7:
    case -9:
      return nodeVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    case -35:
      return nodeVerify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    case -36:
      return nodeVerify('sha512', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    case -8:
    case -19:
      return nodeVerify(null, data, key, sig);
    case -37:
      return nodeVerify(
        'sha256',
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        sig,
      );
    case -257:
      return nodeVerify('sha256', data, key, sig);
    default:
      throw new Error('no oracle');
  }
}

const cases: [string, number, { publicKey: KeyObject; privateKey: KeyObject }, number | undefined][] = [
  ['ES256', -7, keys.p256, 64],
  ['ESP256', -9, keys.p256, 64],
  ['ES384', -35, keys.p384, 96],
  ['ES512', -36, keys.p521, 132],
  ['EdDSA (Ed25519)', -8, keys.ed25519, 64],
  ['EdDSA (Ed448)', -8, keys.ed448, 114],
  ['Ed25519', -19, keys.ed25519, 64],
  ['PS256', -37, keys.rsa, 256],
  ['RS256', -257, keys.rsa, 256],
];

describe('signSign1 / verifySign1 for every algorithm', () => {
  it.each(cases)('%s: signs, verifies, and node:crypto agrees', async (_, alg, pair, sigLength) => {
    const sign1 = await signSign1({
      protectedHeaders: hdr([1, alg]),
      unprotectedHeaders: hdr([4, hexToBytes('3131')]),
      payload,
      key: pair.privateKey,
    });
    expect(sign1.signature.length).toBe(sigLength);
    expect(nodeCheck(alg, pair.publicKey, sign1ToBeSigned(sign1), sign1.signature)).toBe(true);
    const bytes = sign1.encode();
    expect(await verifySign1(bytes, { key: pair.publicKey })).toBe(true);
    expect(await verifySign1(bytes, { key: keyObjectToCoseKey(pair.publicKey) })).toBe(true);
    expect(await verifySign1(bytes, { key: pair.publicKey.export({ format: 'jwk' }) as JsonWebKey })).toBe(
      true,
    );
    // tampered payload
    const tampered = decodeSign1(bytes);
    const p = new Uint8Array(tampered.payload!);
    p[0]! ^= 1;
    expect(
      await verifySign1(
        new CoseSign1(
          tampered.protectedBytes,
          tampered.protectedHeaders,
          tampered.unprotectedHeaders,
          p,
          tampered.signature,
        ),
        { key: pair.publicKey },
      ),
    ).toBe(false);
  });

  it('detached payloads: signed and verified over the supplied bytes', async () => {
    const sign1 = await signSign1({
      protectedHeaders: hdr([1, -7]),
      payload: null,
      detachedPayload: payload,
      key: keys.p256.privateKey,
    });
    expect(sign1.payload).toBeNull();
    expect(bytesToHex(sign1.encode()).slice(0, 10)).toBe('8443a10126');
    expect(await verifySign1(sign1.encode(), { key: keys.p256.publicKey, detachedPayload: payload })).toBe(
      true,
    );
    expect(await verifySign1(sign1, { key: keys.p256.publicKey, detachedPayload: payload.subarray(1) })).toBe(
      false,
    );
    expect(await codeOf(verifySign1(sign1, { key: keys.p256.publicKey }))).toBe('COSE_MISSING_PAYLOAD');
    expect(
      await codeOf(signSign1({ protectedHeaders: hdr([1, -7]), payload: null, key: keys.p256.privateKey })),
    ).toBe('COSE_MISSING_PAYLOAD');
  });

  it('an attached payload is accepted with an equal detached one, refused with a different one', async () => {
    const sign1 = await signSign1({ protectedHeaders: hdr([1, -7]), payload, key: keys.p256.privateKey });
    expect(
      await verifySign1(sign1, { key: keys.p256.publicKey, detachedPayload: new Uint8Array(payload) }),
    ).toBe(true);
    expect(
      await codeOf(verifySign1(sign1, { key: keys.p256.publicKey, detachedPayload: hexToBytes('00') })),
    ).toBe('COSE_PAYLOAD_MISMATCH');
  });

  it('external AAD is covered', async () => {
    const externalAad = hexToBytes('11aa22bb');
    const sign1 = await signSign1({
      protectedHeaders: hdr([1, -7]),
      payload,
      key: keys.p256.privateKey,
      externalAad,
    });
    expect(await verifySign1(sign1, { key: keys.p256.publicKey, externalAad })).toBe(true);
    expect(await verifySign1(sign1, { key: keys.p256.publicKey })).toBe(false);
  });

  it('tag 18 on output when asked, accepted on input', async () => {
    const sign1 = await signSign1({
      protectedHeaders: hdr([1, -7]),
      payload,
      key: keys.p256.privateKey,
      tagged: true,
    });
    const bytes = sign1.encode();
    expect(bytesToHex(bytes).slice(0, 4)).toBe('d284');
    expect(decodeSign1(bytes).tagged).toBe(true);
    expect(await verifySign1(bytes, { key: keys.p256.publicKey })).toBe(true);
    expect(bytesToHex(sign1.encode({ tagged: false })).slice(0, 2)).toBe('84');
  });

  it('an empty protected header is a zero-length bstr (and then alg is missing)', async () => {
    expect(await codeOf(signSign1({ protectedHeaders: hdr(), payload, key: keys.p256.privateKey }))).toBe(
      'COSE_HEADER',
    );
  });
});

describe('the algorithm comes from the protected header and the key must fit it', () => {
  it.each([
    ['ES256 with a P-384 key', -7, keys.p384],
    ['ES384 with a P-256 key', -35, keys.p256],
    ['ES256 with an Ed25519 key', -7, keys.ed25519],
    ['ES256 with an RSA key', -7, keys.rsa],
    ['EdDSA with a P-256 key', -8, keys.p256],
    ['Ed25519 (-19) with an Ed448 key', -19, keys.ed448],
    ['PS256 with a P-256 key', -37, keys.p256],
    ['RS256 with an Ed25519 key', -257, keys.ed25519],
  ])('%s → COSE_ALG_KEY_MISMATCH (sign and verify)', async (_, alg, pair) => {
    expect(await codeOf(signSign1({ protectedHeaders: hdr([1, alg]), payload, key: pair.privateKey }))).toBe(
      'COSE_ALG_KEY_MISMATCH',
    );
    // A message claiming `alg` with a signature made by the right kind of key, verified with the wrong key type.
    const honest = await signSign1({ protectedHeaders: hdr([1, -7]), payload, key: keys.p256.privateKey });
    const forged = new CoseSign1(encode(hdr([1, alg])), hdr([1, alg]), hdr(), payload, honest.signature);
    expect(await codeOf(verifySign1(forged, { key: pair.publicKey }))).toBe('COSE_ALG_KEY_MISMATCH');
  });

  it('a secret key, or a public key for signing → COSE_ALG_KEY_MISMATCH', async () => {
    const honest = await signSign1({ protectedHeaders: hdr([1, -7]), payload, key: keys.p256.privateKey });
    expect(await codeOf(verifySign1(honest, { key: { kty: 'oct', k: 'AAAA' } }))).toBe(
      'COSE_ALG_KEY_MISMATCH',
    );
    expect(
      await codeOf(signSign1({ protectedHeaders: hdr([1, -7]), payload, key: keys.p256.publicKey })),
    ).toBe('COSE_ALG_KEY_MISMATCH');
  });

  it('an alg in the unprotected header is ignored: missing protected alg → COSE_HEADER', async () => {
    const honest = await signSign1({ protectedHeaders: hdr([1, -7]), payload, key: keys.p256.privateKey });
    const moved = new CoseSign1(new Uint8Array(0), hdr(), hdr([1, -7]), payload, honest.signature);
    expect(await codeOf(verifySign1(moved, { key: keys.p256.publicKey }))).toBe('COSE_HEADER');
  });

  it.each([
    ['an unknown integer alg', 999],
    ['a text alg', 'ES256'],
    ['a HMAC alg in a Sign1', 5],
    ['a bstr alg', hexToBytes('26')],
  ])('%s → COSE_UNSUPPORTED_ALG', async (_, alg) => {
    expect(
      await codeOf(signSign1({ protectedHeaders: hdr([1, alg]), payload, key: keys.p256.privateKey })),
    ).toBe('COSE_UNSUPPORTED_ALG');
    const m = new CoseSign1(encode(hdr([1, alg])), hdr([1, alg]), hdr(), payload, new Uint8Array(64));
    expect(await codeOf(verifySign1(m, { key: keys.p256.publicKey }))).toBe('COSE_UNSUPPORTED_ALG');
  });

  it('critical headers must be understood (RFC 9052 §3.1)', async () => {
    const bad = hdr([1, -7], [2, [99]], [99, 1]);
    expect(await codeOf(signSign1({ protectedHeaders: bad, payload, key: keys.p256.privateKey }))).toBe(
      'COSE_HEADER',
    );
    const ok = await signSign1({
      protectedHeaders: hdr([1, -7], [2, [1]]),
      payload,
      key: keys.p256.privateKey,
    });
    expect(await verifySign1(ok, { key: keys.p256.publicKey })).toBe(true);
    const m = new CoseSign1(encode(bad), bad, hdr(), payload, ok.signature);
    expect(await codeOf(verifySign1(m, { key: keys.p256.publicKey }))).toBe('COSE_HEADER');
  });

  it('an ECDSA signature in DER (not r‖s) does not verify', async () => {
    const s = await signSign1({ protectedHeaders: hdr([1, -7]), payload, key: keys.p256.privateKey });
    const der = new Uint8Array(
      (await import('node:crypto')).sign('sha256', sign1ToBeSigned(s), keys.p256.privateKey),
    );
    const m = new CoseSign1(s.protectedBytes, s.protectedHeaders, s.unprotectedHeaders, s.payload, der);
    expect(await verifySign1(m, { key: keys.p256.publicKey })).toBe(false);
  });
});

describe('decodeSign1 rejects what is not a COSE_Sign1', () => {
  it.each([
    ['malformed CBOR', hexToBytes('84')],
    ['trailing bytes', hexToBytes('8440a0f6400000')],
    ['a map', hexToBytes('a0')],
    ['three elements', hexToBytes('8340a040')],
    ['protected as a map', hexToBytes('84a0a0f640')],
    ['protected bstr not holding a map', hexToBytes('844101a0f640')],
    ['protected bstr not CBOR', hexToBytes('844118a0f640')],
    ['unprotected as a bstr', hexToBytes('844040f640')],
    ['payload as text', hexToBytes('8440a06040')],
    ['signature nil', hexToBytes('8440a040f6')],
    ['tag 17', hexToBytes('d18440a0f640')],
    ['tag 24', hexToBytes('d818458440a0f640')],
  ])('%s → COSE_DECODE', async (_, bytes) => {
    expect(await codeOf(() => decodeSign1(bytes))).toBe('COSE_DECODE');
  });

  it('keeps the CBOR error as the cause', () => {
    try {
      decodeSign1(hexToBytes('a2010001 00'.replace(' ', '')));
    } catch (e) {
      expect((e as CoseError).code).toBe('COSE_DECODE');
      expect(((e as CoseError).cause as CborError).code).toBe('CBOR_DUPLICATE_KEY');
    }
  });

  it('accepts decoded values and Tagged(18)', () => {
    const arr: CborValue[] = [hexToBytes('a10126'), new Map(), null, new Uint8Array(64)];
    expect(decodeSign1(arr).alg).toBe(-7);
    expect(decodeSign1(new Tagged(18, arr)).tagged).toBe(true);
  });
});

describe('x5chain (RFC 9360)', () => {
  const cert1 = hexToBytes('3003020101');
  const cert2 = hexToBytes('3003020102');
  const s = (prot: CborMap, unprot: CborMap) =>
    new CoseSign1(encode(prot), prot, unprot, payload, new Uint8Array(64));
  it('single bstr, array, protected preferred, absent', () => {
    expect(getX5Chain(s(hdr([1, -7]), hdr([33, cert1])))).toEqual([cert1]);
    expect(getX5Chain(s(hdr([1, -7]), hdr([33, [cert1, cert2]])))).toEqual([cert1, cert2]);
    expect(getX5Chain(s(hdr([1, -7], [33, [cert2]]), hdr()))).toEqual([cert2]);
    expect(getX5Chain(s(hdr([1, -7]), hdr()))).toEqual([]);
  });
  it('in both headers: the same chain is accepted, a different one is not (RFC 9052 §3)', async () => {
    expect(getX5Chain(s(hdr([1, -7], [33, [cert2]]), hdr([33, [cert2]])))).toEqual([cert2]);
    expect(await codeOf(() => getX5Chain(s(hdr([1, -7], [33, [cert2]]), hdr([33, [cert1]]))))).toBe(
      'COSE_HEADER',
    );
  });
  it.each([
    ['an empty array', []],
    ['a text string', 'cert'],
    ['an array with a non-bstr', [cert1, 1]],
  ] as [string, CborValue][])('%s → COSE_HEADER', async (_, v) => {
    expect(await codeOf(() => getX5Chain(s(hdr([1, -7]), hdr([33, v]))))).toBe('COSE_HEADER');
  });
});

describe('OpenSSL CLI as an independent verifier', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mynakit-cose-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** r‖s → DER ECDSA-Sig-Value, for OpenSSL. */
  function p1363ToDer(sig: Uint8Array): Buffer {
    const int = (b: Uint8Array) => {
      let i = 0;
      while (i < b.length - 1 && b[i] === 0) i++;
      let v = Buffer.from(b.subarray(i));
      if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
      return Buffer.concat([Buffer.from([0x02, v.length]), v]);
    };
    const half = sig.length / 2;
    const body = Buffer.concat([int(sig.subarray(0, half)), int(sig.subarray(half))]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }

  it('verifies our ES256 Sign1 with `openssl dgst -verify`', async () => {
    const s = await signSign1({
      protectedHeaders: hdr([1, CoseAlgorithm.ES256]),
      payload,
      key: keys.p256.privateKey,
    });
    writeFileSync(join(dir, 'es.pub'), keys.p256.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'es.tbs'), sign1ToBeSigned(s));
    writeFileSync(join(dir, 'es.sig'), p1363ToDer(s.signature));
    const out = execFileSync('/usr/bin/openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(dir, 'es.pub'),
      '-signature',
      join(dir, 'es.sig'),
      join(dir, 'es.tbs'),
    ]);
    expect(out.toString()).toContain('Verified OK');
    // And the Sig_structure itself is what RFC 9052 §4.4 describes, built by hand.
    const tbs = Buffer.concat([
      hexToBytes('846a5369676e61747572653143a10126'),
      hexToBytes('40'),
      hexToBytes('54'),
      payload,
    ]);
    expect(bytesToHex(sign1ToBeSigned(s))).toBe(tbs.toString('hex'));
    expect(createHash('sha256').update(tbs).digest().length).toBe(32);
  });

  it('verifies our EdDSA Sign1 with `openssl pkeyutl -verify -rawin`', async () => {
    const s = await signSign1({
      protectedHeaders: hdr([1, CoseAlgorithm.EdDSA]),
      payload,
      key: keys.ed25519.privateKey,
    });
    writeFileSync(join(dir, 'ed.pub'), keys.ed25519.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'ed.tbs'), sign1ToBeSigned(s));
    writeFileSync(join(dir, 'ed.sig'), s.signature);
    const out = execFileSync('/usr/bin/openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      join(dir, 'ed.pub'),
      '-rawin',
      '-in',
      join(dir, 'ed.tbs'),
      '-sigfile',
      join(dir, 'ed.sig'),
    ]);
    expect(out.toString()).toContain('Signature Verified Successfully');
  });

  it('a signature made by OpenSSL verifies with verifySign1', async () => {
    const s = await signSign1({ protectedHeaders: hdr([1, -7]), payload, key: keys.p256.privateKey });
    writeFileSync(join(dir, 'os.key'), keys.p256.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'os.tbs'), sign1ToBeSigned(s));
    const der = execFileSync('/usr/bin/openssl', [
      'dgst',
      '-sha256',
      '-sign',
      join(dir, 'os.key'),
      join(dir, 'os.tbs'),
    ]);
    // DER → r‖s
    const { r, s: sv } = (() => {
      let o = 2;
      const read = () => {
        const len = der[o + 1]!;
        const v = der.subarray(o + 2, o + 2 + len);
        o += 2 + len;
        return Buffer.from(v.subarray(Math.max(0, v.length - 32)))
          .toString('hex')
          .padStart(64, '0');
      };
      return { r: read(), s: read() };
    })();
    const fromOpenssl = new CoseSign1(
      s.protectedBytes,
      s.protectedHeaders,
      s.unprotectedHeaders,
      s.payload,
      hexToBytes(r + sv),
    );
    expect(await verifySign1(fromOpenssl, { key: keys.p256.publicKey })).toBe(true);
  });
});
