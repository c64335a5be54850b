/**
 * Status List Token in CWT form (draft-ietf-oauth-status-list-20 §5.2): the draft's signed token
 * verified with the example key; our tokens checked byte by byte against hand-written CBOR and by
 * node:crypto over a hand-built Sig_structure (independent of @mynakit/cose); every rejection path.
 */
import { createPublicKey, verify as cryptoVerify, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { decode, encode, Tagged } from '@mynakit/cbor';
import { signSign1 } from '@mynakit/cose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  StatusList,
  type StatusListTokenVerification,
  signStatusListCwt,
  verifyStatusListCwt,
} from '../src/index.js';
import { makeChain, type TestChain } from './openssl-chain.js';
import { hex, loadVector, type TokenExamples, toHex } from './vectors.js';

const tokens = loadVector<TokenExamples>('status_list_tokens.json');
const jwk = tokens.exampleSigningKeyJwk;
const publicJwk: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
const privateJwk: JsonWebKey = { ...publicJwk, d: jwk.d };
const URI = 'https://example.com/statuslists/1';
const NOW = new Date('2025-06-24T00:00:00Z');
const CWT = hex(tokens.statusListTokenCwt.hex);

const statusOf = (v: StatusListTokenVerification, id: string) =>
  v.report.checks.find((c) => c.id === id)?.status;
const ascii = (s: string) => Buffer.from(s).toString('hex');

/** CBOR head for a byte or text string of `len` bytes (major type `mt`), written out by hand. */
function head(mt: number, len: number): string {
  const m = mt << 5;
  if (len < 24) return (m | len).toString(16).padStart(2, '0');
  if (len < 256) return (m | 24).toString(16) + len.toString(16).padStart(2, '0');
  return (m | 25).toString(16) + len.toString(16).padStart(4, '0');
}

describe('the draft §5.2 CWT', () => {
  it('verifies with the example key and yields the §4.1 list', async () => {
    const v = await verifyStatusListCwt(CWT, { key: publicJwk, now: NOW, expectedUri: URI });
    expect(v.report.verdict).toBe('valid');
    expect(v.format).toBe('cwt');
    expect(toHex(v.list!.bytes)).toBe('b9a3');
    expect(v.sub).toBe(URI);
    expect(v.iat!.getTime()).toBe(1686920170_000);
    expect(v.exp!.getTime()).toBe(2291720170_000);
    expect(v.ttl).toBe(43200);
    expect(v.report.checks.find((c) => c.id === 'status_list.decode')?.detail).toContain('tag 18');
  });

  it('the untagged form (drafts ≤ -14 layout) and a CWT tag 61 wrapper are accepted too', async () => {
    const untagged = CWT.subarray(1);
    expect(CWT[0]).toBe(0xd2);
    expect((await verifyStatusListCwt(untagged, { key: publicJwk, now: NOW })).ok).toBe(true);
    const tag61 = new Uint8Array([0xd8, 0x3d, ...CWT]);
    expect((await verifyStatusListCwt(tag61, { key: publicJwk, now: NOW })).ok).toBe(true);
  });

  it('is expired after exp: status_list.expiry failed, the token is not usable', async () => {
    const v = await verifyStatusListCwt(CWT, { key: publicJwk, now: new Date(2291720170_000 + 1000) });
    expect(statusOf(v, 'status_list.expiry')).toBe('failed');
    expect(v.ok).toBe(false);
  });

  it('a wrong key fails the signature', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const v = await verifyStatusListCwt(CWT, { key: other, now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
    expect(v.list).toBeUndefined();
  });

  it('a key of another type (Ed25519 for ES256) fails the signature, no exception', async () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    const v = await verifyStatusListCwt(CWT, { key: other, now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
  });

  it('a tampered lst (one bit) fails the signature', async () => {
    const at = tokens.statusListTokenCwt.hex.indexOf('78dadbb918000217015d') / 2;
    expect(at).toBeGreaterThan(0);
    const bad = CWT.slice();
    bad[at + 3]! ^= 0x01;
    const v = await verifyStatusListCwt(bad, { key: publicJwk, now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
  });

  it('a sub that is not the referenced uri fails status_list.subject', async () => {
    const v = await verifyStatusListCwt(CWT, {
      key: publicJwk,
      now: NOW,
      expectedUri: 'https://example.com/statuslists/2',
    });
    expect(statusOf(v, 'status_list.subject')).toBe('failed');
  });

  it('garbage, truncation and a detached payload are failed decodes', async () => {
    for (const bad of [new Uint8Array(0), hex('00'), CWT.subarray(0, 40), hex('d28440a0f640')]) {
      const v = await verifyStatusListCwt(bad, { key: publicJwk, now: NOW });
      expect(statusOf(v, 'status_list.decode')).toBe('failed');
    }
  });
});

describe('tokens we sign', () => {
  const list = StatusList.fromStatuses([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1], 1);

  it('have the draft protected header byte for byte, deterministic claims, and a signature node:crypto accepts', async () => {
    const token = await signStatusListCwt({
      list,
      sub: URI,
      iat: new Date(1686920170_000),
      exp: new Date(2291720170_000),
      ttl: 43200,
      key: privateJwk,
      kid: '12',
    });
    const outer = decode(token);
    expect(outer).toBeInstanceOf(Tagged);
    expect((outer as Tagged).tag).toBe(18);
    const [prot, unprot, payload, sig] = (outer as Tagged).value as [
      Uint8Array,
      Map<number, Uint8Array>,
      Uint8Array,
      Uint8Array,
    ];

    // Same protected header bytes as the draft's token.
    const drafts = tokens.statusListTokenCwt.hex;
    const protHex = `a201261078${(26).toString(16)}${ascii('application/statuslist+cwt')}`;
    expect(drafts).toContain(`5820${protHex}`);
    expect(toHex(prot)).toBe(protHex);
    expect(toHex(unprot.get(4)!)).toBe('3132');

    // Claims in RFC 8949 §4.2.1 order: 2, 4, 6, 65533, 65534 (the draft prints 2, 6, 4, 65534, 65533).
    const statusListHex = `a2${'63' + ascii('lst')}4a78dadbb918000217015d${'64' + ascii('bits')}01`;
    const expectedPayload =
      `a5` +
      `02${head(3, URI.length)}${ascii(URI)}` +
      `041a8898dfea` +
      `061a648c5bea` +
      `19fffd${statusListHex}` +
      `19fffe19a8c0`;
    expect(toHex(payload)).toBe(expectedPayload);

    // Sig_structure = ["Signature1", protected, h'', payload], written out by hand (RFC 9052 §4.4).
    const toBeSigned = hex(
      `84${'6a' + ascii('Signature1')}${head(2, prot.length)}${protHex}40${head(2, payload.length)}${expectedPayload}`,
    );
    const ok = cryptoVerify(
      'sha256',
      toBeSigned,
      { key: createPublicKey({ key: publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      sig,
    );
    expect(ok).toBe(true);

    const v = await verifyStatusListCwt(token, { key: publicJwk, now: NOW, expectedUri: URI });
    expect(v.ok).toBe(true);
    expect(toHex(v.list!.bytes)).toBe('b9a3');
  });

  it('Ed25519, P-384 and RSA keys round-trip; iss and aggregation_uri survive', async () => {
    const pairs = [
      generateKeyPairSync('ed25519'),
      generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ];
    for (const kp of pairs) {
      const token = await signStatusListCwt({
        list,
        sub: URI,
        iat: NOW,
        iss: 'https://issuer.example',
        aggregationUri: 'https://issuer.example/lists',
        key: kp.privateKey,
      });
      const v = await verifyStatusListCwt(token, { key: kp.publicKey, now: NOW });
      expect(v.ok).toBe(true);
      expect(v.iss).toBe('https://issuer.example');
      expect(v.aggregationUri).toBe('https://issuer.example/lists');
    }
  });

  it('a COSE_Sign1 whose typ is missing, wrong, or only unprotected fails status_list.type', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const payload = encode(
      new Map<number, unknown>([
        [2, URI],
        [6, 1700000000],
        [
          65533,
          new Map<string, unknown>([
            ['bits', 1],
            ['lst', hex('78dadbb918000217015d')],
          ]),
        ],
      ]) as never,
    );
    for (const [prot, unprot] of [
      [new Map([[1, -7]]), new Map()],
      [
        new Map<number, unknown>([
          [1, -7],
          [16, 'application/cwt'],
        ]),
        new Map(),
      ],
      [new Map([[1, -7]]), new Map([[16, 'application/statuslist+cwt']])],
    ] as const) {
      const s = await signSign1({
        protectedHeaders: prot as never,
        unprotectedHeaders: unprot as never,
        payload,
        key: privateKey,
        tagged: true,
      });
      const v = await verifyStatusListCwt(s.encode(), { key: publicKey, now: NOW });
      expect(statusOf(v, 'status_list.type')).toBe('failed');
      expect(statusOf(v, 'status_list.signature')).toBe('passed');
      expect(v.ok).toBe(false);
    }
  });

  it('a MAC is not a signature: COSE_Mac0 (tag 17) is a failed decode, alg HMAC in a Sign1 shape fails the signature', async () => {
    const mac0 = hex(`d1${CWT.subarray(1).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '')}`);
    expect(
      statusOf(await verifyStatusListCwt(mac0, { key: publicJwk, now: NOW }), 'status_list.decode'),
    ).toBe('failed');
    // protected {1: 5 (HMAC 256/256), 16: typ}
    const prot = encode(
      new Map<number, unknown>([
        [1, 5],
        [16, 'application/statuslist+cwt'],
      ]) as never,
    );
    const fake = encode(
      new Tagged(18, [prot, new Map(), encode(new Map([[2, URI]]) as never), new Uint8Array(32)]) as never,
    );
    const v = await verifyStatusListCwt(fake, { key: publicJwk, now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
  });

  it('a claims payload that is not a map, and a missing status_list, are reported', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const prot = new Map<number, unknown>([
      [1, -7],
      [16, 'application/statuslist+cwt'],
    ]);
    const notMap = await signSign1({
      protectedHeaders: prot as never,
      payload: encode([1, 2]),
      key: privateKey,
    });
    expect(
      statusOf(await verifyStatusListCwt(notMap.encode(), { key: publicKey, now: NOW }), 'status_list.list'),
    ).toBe('failed');
    const noList = await signSign1({
      protectedHeaders: prot as never,
      payload: encode(
        new Map<number, unknown>([
          [2, URI],
          [6, 1],
        ]) as never,
      ),
      key: privateKey,
    });
    const v = await verifyStatusListCwt(noList.encode(), { key: publicKey, now: NOW });
    expect(statusOf(v, 'status_list.list')).toBe('failed');
    expect(statusOf(v, 'status_list.subject')).toBe('passed');
  });
});

describe('x5chain validated to configured anchors (certificates made by OpenSSL)', () => {
  let chain: TestChain;
  let stranger: TestChain;
  beforeAll(() => {
    chain = makeChain('CWT Issuer');
    stranger = makeChain('CWT Stranger');
  });
  const list = StatusList.fromStatuses([2, 0, 1, 0], 2);

  it('verifies through the chain to the root anchor', async () => {
    const at = new Date(chain.leafNotBefore.getTime() + 3600_000);
    const token = await signStatusListCwt({
      list,
      sub: URI,
      iat: at,
      key: chain.leafKey,
      x5chain: [chain.leafDer],
    });
    const v = await verifyStatusListCwt(token, { trustAnchors: [chain.rootDer], now: at, expectedUri: URI });
    expect(statusOf(v, 'status_list.certificate_path')).toBe('passed');
    expect(v.ok).toBe(true);
    expect(v.list!.get(0)).toBe(2);
  });

  it('the root carried in the token itself does not make it trusted', async () => {
    const at = new Date(stranger.leafNotBefore.getTime() + 3600_000);
    const token = await signStatusListCwt({
      list,
      sub: URI,
      iat: at,
      key: stranger.leafKey,
      x5chain: [stranger.leafDer, stranger.rootDer],
    });
    const v = await verifyStatusListCwt(token, { trustAnchors: [chain.rootPem], now: at });
    expect(statusOf(v, 'status_list.certificate_path')).toBe('failed');
    expect(v.ok).toBe(false);
  });

  it('no x5chain and no key: undetermined', async () => {
    const token = await signStatusListCwt({ list, sub: URI, iat: NOW, key: chain.leafKey });
    const v = await verifyStatusListCwt(token, { trustAnchors: [chain.rootPem], now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('undetermined');
    expect(v.report.verdict).toBe('undetermined');
  });
});
