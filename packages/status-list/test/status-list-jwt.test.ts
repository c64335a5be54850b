/**
 * Status List Token in JWT form (draft-ietf-oauth-status-list-20 §5.1): the draft's signed compact
 * token verified with the example key, our tokens checked by node:crypto directly (independent of
 * jose), and every rejection path asserted by check id.
 */
import { createPublicKey, verify as cryptoVerify, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  StatusList,
  type StatusListTokenVerification,
  signStatusListJwt,
  verifyStatusListJwt,
} from '../src/index.js';
import { makeChain, type TestChain } from './openssl-chain.js';
import { loadVector, type TokenExamples, toHex } from './vectors.js';

const tokens = loadVector<TokenExamples>('status_list_tokens.json');
const jwk = tokens.exampleSigningKeyJwk;
const publicJwk: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
const privateJwk: JsonWebKey = { ...publicJwk, d: jwk.d };
const URI = 'https://example.com/statuslists/1';
const NOW = new Date('2025-06-24T00:00:00Z');

function statusOf(v: StatusListTokenVerification, id: string): string | undefined {
  return v.report.checks.find((c) => c.id === id)?.status;
}

function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('the draft §8.2 compact JWT', () => {
  it('verifies with the example key and yields the §4.1 list', async () => {
    const v = await verifyStatusListJwt(tokens.statusListTokenJwt.compact, {
      key: publicJwk,
      now: NOW,
      expectedUri: URI,
    });
    expect(v.report.verdict).toBe('valid');
    expect(v.ok).toBe(true);
    expect(v.format).toBe('jwt');
    expect(toHex(v.list!.bytes)).toBe('b9a3');
    expect(v.list!.bits).toBe(1);
    expect(v.sub).toBe(URI);
    expect(v.iss).toBe('https://example.com');
    expect(v.iat!.getTime()).toBe(1686920170_000);
    expect(v.exp!.getTime()).toBe(2291720170_000);
    expect(v.ttl).toBe(43200);
    expect(v.report.checks.map((c) => c.id)).toEqual([
      'status_list.decode',
      'status_list.type',
      'status_list.certificate_path',
      'status_list.signature',
      'status_list.subject',
      'status_list.issued_at',
      'status_list.expiry',
      'status_list.ttl',
      'status_list.list',
    ]);
  });

  it('is accepted as bytes too', async () => {
    const v = await verifyStatusListJwt(new TextEncoder().encode(tokens.statusListTokenJwt.compact), {
      key: publicJwk,
      now: NOW,
    });
    expect(v.ok).toBe(true);
  });

  it('is expired after exp (2042-08-16): status_list.expiry failed', async () => {
    const v = await verifyStatusListJwt(tokens.statusListTokenJwt.compact, {
      key: publicJwk,
      now: new Date(2291720170_000),
    });
    expect(v.ok).toBe(false);
    expect(statusOf(v, 'status_list.expiry')).toBe('failed');
    expect(v.report.verdict).toBe('invalid');
  });

  it('a wrong key fails the signature', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const v = await verifyStatusListJwt(tokens.statusListTokenJwt.compact, { key: other, now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
    expect(v.list).toBeUndefined();
    expect(statusOf(v, 'status_list.list')).toBe('skipped');
  });

  it('a tampered lst fails the signature', async () => {
    const [h, p, s] = tokens.statusListTokenJwt.compact.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { status_list: { lst: string } };
    payload.status_list.lst = 'eNrbuRgAAhcBXg'; // one bit changed
    const v = await verifyStatusListJwt(`${h}.${b64urlJson(payload)}.${s}`, { key: publicJwk, now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
  });

  it('sub different from the referenced uri fails status_list.subject', async () => {
    const v = await verifyStatusListJwt(tokens.statusListTokenJwt.compact, {
      key: publicJwk,
      now: NOW,
      expectedUri: 'https://example.com/statuslists/2',
    });
    expect(statusOf(v, 'status_list.subject')).toBe('failed');
    expect(v.ok).toBe(false);
  });

  it('a stale cached copy (fetched more than ttl ago) is undetermined', async () => {
    const v = await verifyStatusListJwt(tokens.statusListTokenJwt.compact, {
      key: publicJwk,
      now: NOW,
      fetchedAt: new Date(NOW.getTime() - 43201_000),
    });
    expect(statusOf(v, 'status_list.ttl')).toBe('undetermined');
    expect(v.report.verdict).toBe('undetermined');
  });
});

describe('tokens we sign', () => {
  const list = StatusList.fromStatuses([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1], 1);

  it('ES256 with the example key: node:crypto verifies the signature; header and claims are as the draft says', async () => {
    const jwt = await signStatusListJwt({
      list,
      sub: URI,
      iat: new Date(1686920170_000),
      exp: new Date(2291720170_000),
      ttl: 43200,
      key: privateJwk,
      kid: '12',
    });
    const [h, p, s] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({
      alg: 'ES256',
      typ: 'statuslist+jwt',
      kid: '12',
    });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({
      sub: URI,
      iat: 1686920170,
      exp: 2291720170,
      ttl: 43200,
      status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' },
    });
    const ok = cryptoVerify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: createPublicKey({ key: publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
    expect(ok).toBe(true);
    expect((await verifyStatusListJwt(jwt, { key: publicJwk, now: NOW, expectedUri: URI })).ok).toBe(true);
  });

  it('Ed25519 and P-384 keys round-trip', async () => {
    for (const kp of [generateKeyPairSync('ed25519'), generateKeyPairSync('ec', { namedCurve: 'P-384' })]) {
      const jwt = await signStatusListJwt({ list, sub: URI, iat: NOW, key: kp.privateKey });
      const v = await verifyStatusListJwt(jwt, { key: kp.publicKey, now: NOW });
      expect(v.ok).toBe(true);
      expect(toHex(v.list!.bytes)).toBe('b9a3');
    }
  });

  it('a JWT whose typ is not statuslist+jwt fails status_list.type', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const payload = { sub: URI, iat: 1700000000, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } };
    const jwt = await new CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .sign(privateKey);
    const v = await verifyStatusListJwt(jwt, { key: publicKey, now: NOW });
    expect(statusOf(v, 'status_list.type')).toBe('failed');
    expect(statusOf(v, 'status_list.signature')).toBe('passed');
    expect(v.ok).toBe(false);
  });

  it('a MAC (HS256) token is rejected before any key is used', async () => {
    const secret = new Uint8Array(32).fill(7);
    const payload = { sub: URI, iat: 1700000000, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } };
    const jwt = await new CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'HS256', typ: 'statuslist+jwt' })
      .sign(secret);
    const v = await verifyStatusListJwt(jwt, { key: publicJwk, now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
  });

  it('missing iat and sub, iat in the future, bad ttl: each reported', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sign = (payload: unknown) =>
      new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'ES256', typ: 'statuslist+jwt' })
        .sign(privateKey);
    const lst = { bits: 1, lst: 'eNrbuRgAAhcBXQ' };
    const missing = await verifyStatusListJwt(await sign({ status_list: lst }), { key: publicKey, now: NOW });
    expect(statusOf(missing, 'status_list.subject')).toBe('failed');
    expect(statusOf(missing, 'status_list.issued_at')).toBe('failed');
    const future = await verifyStatusListJwt(
      await sign({ sub: URI, iat: NOW.getTime() / 1000 + 3600, status_list: lst }),
      {
        key: publicKey,
        now: NOW,
      },
    );
    expect(statusOf(future, 'status_list.issued_at')).toBe('failed');
    const ttl = await verifyStatusListJwt(
      await sign({ sub: URI, iat: 1700000000, ttl: 0, status_list: lst }),
      { key: publicKey, now: NOW },
    );
    expect(statusOf(ttl, 'status_list.ttl')).toBe('failed');
    const noList = await verifyStatusListJwt(await sign({ sub: URI, iat: 1700000000 }), {
      key: publicKey,
      now: NOW,
    });
    expect(statusOf(noList, 'status_list.list')).toBe('failed');
    const bomb = await verifyStatusListJwt(await sign({ sub: URI, iat: 1700000000, status_list: lst }), {
      key: publicKey,
      now: NOW,
      maxDecompressedBytes: 1,
    });
    expect(statusOf(bomb, 'status_list.list')).toBe('failed');
    expect(bomb.report.checks.find((c) => c.id === 'status_list.list')?.detail).toContain(
      'STATUS_LIST_TOO_LARGE',
    );
  });

  it('garbage is a failed decode, not an exception', async () => {
    for (const bad of ['', 'abc', 'a.b.c', 'eyJ.eyJ.x', new Uint8Array([0xd2, 0x84])]) {
      const v = await verifyStatusListJwt(bad, { key: publicJwk, now: NOW });
      expect(statusOf(v, 'status_list.decode')).toBe('failed');
      expect(v.ok).toBe(false);
    }
  });

  it('requires now and a key or anchors (programmer errors throw)', async () => {
    await expect(verifyStatusListJwt(tokens.statusListTokenJwt.compact, {} as never)).rejects.toThrow(
      TypeError,
    );
    await expect(verifyStatusListJwt(tokens.statusListTokenJwt.compact, { now: NOW })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('x5c chains validated to configured anchors (certificates made by OpenSSL)', () => {
  let chain: TestChain;
  let stranger: TestChain;
  beforeAll(() => {
    chain = makeChain('Status Issuer');
    stranger = makeChain('Stranger');
  });
  const list = StatusList.fromStatuses([0, 1, 2, 0], 2);

  it('a token signed by the leaf verifies when its root is an anchor', async () => {
    const at = new Date(chain.leafNotBefore.getTime() + 86400_000);
    const jwt = await signStatusListJwt({
      list,
      sub: URI,
      iat: at,
      key: chain.leafKey,
      x5c: [chain.leafDer],
    });
    const v = await verifyStatusListJwt(jwt, { trustAnchors: [chain.rootPem], now: at, expectedUri: URI });
    expect(statusOf(v, 'status_list.certificate_path')).toBe('passed');
    expect(v.ok).toBe(true);
    expect(toHex(v.signerCertificate!)).toBe(toHex(chain.leafDer));
  });

  it('an unrelated anchor: the path fails and the signature is never trusted', async () => {
    const at = new Date(chain.leafNotBefore.getTime() + 86400_000);
    const jwt = await signStatusListJwt({
      list,
      sub: URI,
      iat: at,
      key: chain.leafKey,
      x5c: [chain.leafDer],
    });
    const v = await verifyStatusListJwt(jwt, { trustAnchors: [stranger.rootDer], now: at });
    expect(statusOf(v, 'status_list.certificate_path')).toBe('failed');
    expect(statusOf(v, 'status_list.signature')).toBe('undetermined');
    expect(v.ok).toBe(false);
  });

  it('the leaf expired at the verification time: the path fails', async () => {
    const at = new Date(chain.leafNotBefore.getTime() + 86400_000);
    const jwt = await signStatusListJwt({
      list,
      sub: URI,
      iat: at,
      key: chain.leafKey,
      x5c: [chain.leafDer],
    });
    const later = new Date(chain.leafNotAfter.getTime() + 86400_000);
    const v = await verifyStatusListJwt(jwt, { trustAnchors: [chain.rootPem], now: later });
    expect(statusOf(v, 'status_list.certificate_path')).toBe('failed');
    expect(v.report.checks.find((c) => c.id === 'status_list.certificate_path')?.detail).toContain(
      'PATH_EXPIRED',
    );
  });

  it('a token without x5c cannot be verified against anchors alone: undetermined', async () => {
    const jwt = await signStatusListJwt({ list, sub: URI, iat: NOW, key: chain.leafKey });
    const v = await verifyStatusListJwt(jwt, { trustAnchors: [chain.rootPem], now: NOW });
    expect(statusOf(v, 'status_list.signature')).toBe('undetermined');
    expect(v.report.verdict).toBe('undetermined');
  });

  it("a leaf swapped for another signer's certificate does not verify", async () => {
    const at = new Date(chain.leafNotBefore.getTime() + 86400_000);
    // Signed by the stranger's key but presenting the trusted leaf certificate.
    const jwt = await signStatusListJwt({
      list,
      sub: URI,
      iat: at,
      key: stranger.leafKey,
      x5c: [chain.leafDer],
    });
    const v = await verifyStatusListJwt(jwt, { trustAnchors: [chain.rootPem], now: at });
    expect(statusOf(v, 'status_list.certificate_path')).toBe('passed');
    expect(statusOf(v, 'status_list.signature')).toBe('failed');
  });
});
