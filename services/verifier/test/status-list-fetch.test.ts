/**
 * The status-list fetcher reaches only configured issuer origins (ARCHITECTURE.md rule 9) and the cache
 * keeps a token no longer than its ttl and never past its exp (draft-ietf-oauth-status-list §5.1).
 */
import { describe, expect, it } from 'vitest';
import { StatusListCache } from '../src/revocation/status-list-cache.js';
import { configuredStatusListFetcher, StatusListFetchError } from '../src/revocation/status-list-fetcher.js';

describe('configuredStatusListFetcher', () => {
  const asked: string[] = [];
  const fetcher = configuredStatusListFetcher({
    allowedOrigins: ['https://issuer.example'],
    fetch: async (request) => {
      asked.push(request.url);
      if (request.url.endsWith('/down')) return new Response('no', { status: 503 });
      return new Response(new Uint8Array([0xd2, 0x84]), { status: 200 });
    },
  });

  it('fetches from a configured origin only, and never asks the others', async () => {
    expect(await fetcher('https://issuer.example/status-lists/1')).toEqual(new Uint8Array([0xd2, 0x84]));
    for (const uri of [
      'https://evil.example/status-lists/1',
      'http://issuer.example/status-lists/1',
      'not a url',
    ])
      await expect(fetcher(uri)).rejects.toBeInstanceOf(StatusListFetchError);
    await expect(fetcher('https://issuer.example/down')).rejects.toThrow('HTTP 503');
    expect(asked).toEqual(['https://issuer.example/status-lists/1', 'https://issuer.example/down']);
  });
});

describe('StatusListCache', () => {
  const token = new Uint8Array([1, 2, 3]);

  it('keeps a token for its ttl, never past exp, and not at all without a ttl', () => {
    const cache = new StatusListCache();
    cache.put('u1', token, 1_000, 300);
    expect(cache.get('u1', 300_999)?.token).toBe(token);
    expect(cache.get('u1', 301_000)).toBeUndefined();
    cache.put('u2', token, 1_000, 300, 61_000);
    expect(cache.get('u2', 60_999)).toBeDefined();
    expect(cache.get('u2', 61_000)).toBeUndefined();
    cache.put('u3', token, 1_000);
    expect(cache.get('u3', 1_001)).toBeUndefined();
    cache.put('u4', token, 1_000, 300);
    expect(cache.get('u4', 999)).toBeUndefined();
  });

  it('is bounded: the oldest entry goes first', () => {
    const cache = new StatusListCache(2);
    cache.put('a', token, 0, 60);
    cache.put('b', token, 0, 60);
    cache.put('c', token, 0, 60);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toBeDefined();
    expect(cache.get('c', 1)).toBeDefined();
  });
});
