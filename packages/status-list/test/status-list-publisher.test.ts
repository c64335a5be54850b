/**
 * The issuer-side publisher: signed token plus caching facts, no I/O. The ETag is checked against an
 * independent SHA-256 of the body; the body verifies as a Status List Token.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  matchesIfNoneMatch,
  StatusList,
  StatusListPublisher,
  verifyStatusListCwt,
  verifyStatusListJwt,
} from '../src/index.js';

const URI = 'https://issuer.example/status/1';
const NOW = new Date('2026-04-01T09:00:00.750Z');

describe('StatusListPublisher', () => {
  const ed = generateKeyPairSync('ed25519');
  const list = StatusList.create(1 << 16, 1);
  list.set(4711, 1);

  it('CWT: body verifies, ETag = SHA-256 of the body, max-age = ttl, exp = iat + validity', async () => {
    const publisher = new StatusListPublisher({
      uri: URI,
      format: 'cwt',
      key: ed.privateKey,
      ttlSeconds: 900,
      validitySeconds: 7200,
    });
    const out = await publisher.publish(list, NOW);
    expect(out.contentType).toBe('application/statuslist+cwt');
    expect(out.etag).toBe(`"${createHash('sha256').update(out.body).digest('base64url')}"`);
    expect(out.maxAge).toBe(900);
    expect(out.cacheControl).toBe('public, max-age=900');
    expect(out.lastModified.toISOString()).toBe('2026-04-01T09:00:00.000Z');
    expect(out.expires.toISOString()).toBe('2026-04-01T11:00:00.000Z');
    expect(out.headers).toEqual({
      'Content-Type': 'application/statuslist+cwt',
      ETag: out.etag,
      'Cache-Control': 'public, max-age=900',
      'Last-Modified': 'Wed, 01 Apr 2026 09:00:00 GMT',
      Expires: 'Wed, 01 Apr 2026 11:00:00 GMT',
    });
    const v = await verifyStatusListCwt(out.body, { key: ed.publicKey, now: NOW, expectedUri: URI });
    expect(v.ok).toBe(true);
    expect(v.ttl).toBe(900);
    expect(v.list!.get(4711)).toBe(1);
    expect(v.list!.get(4712)).toBe(0);
  });

  it('same statuses and time → same bytes and ETag (Ed25519 is deterministic); a change → a new ETag', async () => {
    const publisher = new StatusListPublisher({ uri: URI, format: 'cwt', key: ed.privateKey });
    const a = await publisher.publish(list, NOW);
    const b = await publisher.publish(list.clone(), NOW);
    expect(b.etag).toBe(a.etag);
    const changed = list.clone();
    changed.set(1, 2 - 1);
    expect((await publisher.publish(changed, NOW)).etag).not.toBe(a.etag);
    expect(matchesIfNoneMatch(a.etag, a.etag)).toBe(true);
    expect(matchesIfNoneMatch(`W/${a.etag}, "other"`, a.etag)).toBe(true);
    expect(matchesIfNoneMatch('"other"', a.etag)).toBe(false);
    expect(matchesIfNoneMatch('*', a.etag)).toBe(true);
    expect(matchesIfNoneMatch(undefined, a.etag)).toBe(false);
  });

  it('JWT with the rle strategy: body is the compact JWT, verifies', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publisher = new StatusListPublisher({
      uri: URI,
      format: 'jwt',
      key: ec.privateKey,
      kid: 'list-key-1',
      compression: { strategy: 'rle' },
    });
    const out = await publisher.publish(list, NOW);
    expect(out.contentType).toBe('application/statuslist+jwt');
    expect(typeof out.token).toBe('string');
    expect(new TextDecoder().decode(out.body)).toBe(out.token);
    const v = await verifyStatusListJwt(out.token as string, {
      key: ec.publicKey,
      now: NOW,
      expectedUri: URI,
    });
    expect(v.ok).toBe(true);
    expect(v.list!.get(4711)).toBe(1);
  });

  it('rejects bad settings', () => {
    expect(
      () => new StatusListPublisher({ uri: URI, format: 'cwt', key: ed.privateKey, ttlSeconds: 0 }),
    ).toThrow(RangeError);
    const p = new StatusListPublisher({ uri: URI, format: 'cwt', key: ed.privateKey });
    return expect(p.publish(list, new Date(Number.NaN))).rejects.toThrow(TypeError);
  });
});
