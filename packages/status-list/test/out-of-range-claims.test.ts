/**
 * Numbers a signed token may carry but a JavaScript Date cannot hold. A NumericDate is "a JSON numeric
 * value representing the number of seconds from 1970-01-01T00:00:00Z UTC" (RFC 7519 §2; RFC 8392 §2
 * reuses it for CWT): any finite number is well-formed, yet a Date only spans ±8.64e15 ms
 * (ECMA-262 "Time Values and Time Range"), i.e. ±8.64e12 s. A token beyond that range — even one the
 * issuer really signed — must give a failed check with a reason (and so an `undetermined` status),
 * never a RangeError from `toISOString`. Likewise the index of a status reference (§6: "idx" … a
 * non-negative integer) is read without trusting its size or sign.
 */
import { generateKeyPairSync } from 'node:crypto';
import { type CborValue, encode } from '@mynakit/cbor';
import { signSign1 } from '@mynakit/cose';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  checkReferencedStatus,
  readStatusListReference,
  StatusList,
  StatusListError,
  type StatusListTokenVerification,
  verifyStatusListCwt,
  verifyStatusListJwt,
} from '../src/index.js';

const URI = 'https://example.com/statuslists/1';
const NOW = new Date('2025-06-24T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const LAST_SECOND = 8.64e12; // the last NumericDate a Date holds
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const list = StatusList.fromStatuses([0, 1, 0, 0, 0, 0, 0, 0], 1);
const lst = Buffer.from(list.compress()).toString('base64url');

const statusOf = (v: StatusListTokenVerification, id: string) => v.report.checks.find((c) => c.id === id);

function jwt(claims: Record<string, unknown>): Promise<string> {
  const payload = { sub: URI, iat: NOW_S - 60, status_list: { bits: 1, lst }, ...claims };
  return new CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: 'statuslist+jwt' })
    .sign(privateKey);
}

async function cwt(claims: ReadonlyMap<number, CborValue>): Promise<Uint8Array> {
  const all = new Map<CborValue, CborValue>([
    [2, URI],
    [6, NOW_S - 60],
    [
      65533,
      new Map<CborValue, CborValue>([
        ['bits', 1],
        ['lst', list.compress()],
      ]),
    ],
  ]);
  for (const [k, v] of claims) all.set(k, v);
  const s = await signSign1({
    protectedHeaders: new Map<CborValue, CborValue>([
      [1, -7],
      [16, 'application/statuslist+cwt'],
    ]),
    payload: encode(all),
    key: privateKey,
    tagged: true,
  });
  return s.encode({ tagged: true });
}

/** Both token forms with the same claim (CWT labels: iat 6, exp 4, ttl 65534). */
const forms = [
  ['JWT', (name: 'iat' | 'exp' | 'ttl', v: number) => jwt({ [name]: v })],
  [
    'CWT',
    (name: 'iat' | 'exp' | 'ttl', v: number) => cwt(new Map([[{ iat: 6, exp: 4, ttl: 65534 }[name], v]])),
  ],
] as const;

const verify = (token: string | Uint8Array, extra: { fetchedAt?: Date } = {}) =>
  typeof token === 'string'
    ? verifyStatusListJwt(token, { key: publicKey, now: NOW, ...extra })
    : verifyStatusListCwt(token, { key: publicKey, now: NOW, ...extra });

describe('NumericDates beyond the Date range', () => {
  for (const [form, make] of forms) {
    describe(form, () => {
      for (const huge of [LAST_SECOND + 1, 2 ** 53 - 1, 1e300]) {
        it(`iat ${huge}: status_list.issued_at failed with a reason, no iat Date`, async () => {
          const v = await verify(await make('iat', huge));
          expect(statusOf(v, 'status_list.issued_at')).toMatchObject({
            status: 'failed',
            detail: expect.stringContaining('beyond the date range'),
          });
          expect(v.iat).toBeUndefined();
          expect(v.ok).toBe(false);
        });

        it(`exp ${huge}: status_list.expiry failed with a reason, no exp Date`, async () => {
          const v = await verify(await make('exp', huge));
          expect(statusOf(v, 'status_list.expiry')).toMatchObject({
            status: 'failed',
            detail: expect.stringContaining('beyond the date range'),
          });
          expect(v.exp).toBeUndefined();
          expect(v.ok).toBe(false);
        });

        it(`ttl ${huge}: status_list.ttl failed with a reason (no cache end can be computed)`, async () => {
          for (const extra of [{}, { fetchedAt: NOW }]) {
            const v = await verify(await make('ttl', huge), extra);
            expect(statusOf(v, 'status_list.ttl')).toMatchObject({
              status: 'failed',
              detail: expect.stringContaining('beyond the date range'),
            });
            expect(v.ttl).toBeUndefined();
          }
        });

        it(`checkReferencedStatus with iat/exp ${huge} is undetermined, not a RangeError`, async () => {
          for (const claim of ['iat', 'exp'] as const) {
            const r = await checkReferencedStatus({
              reference: { idx: 1, uri: URI },
              token: await make(claim, huge),
              key: publicKey,
              now: NOW,
            });
            expect(r.status).toBe('undetermined');
            expect(r.outcome).toBe('unknown');
            expect(r.detail).toContain(claim === 'iat' ? 'status_list.issued_at' : 'status_list.expiry');
          }
        });
      }

      it('exp at the very last representable second is still a date (valid until then)', async () => {
        const v = await verify(await make('exp', LAST_SECOND));
        expect(statusOf(v, 'status_list.expiry')?.status).toBe('passed');
        expect(v.exp?.getTime()).toBe(8.64e15);
        expect(v.ok).toBe(true);
      });
    });
  }
});

describe('the referenced index', () => {
  const token = jwt({});

  // §6.2 / §6.3: "idx": REQUIRED … a non-negative integer (CBOR: uint).
  for (const [name, idx] of [
    ['huge', 1e300],
    ['beyond 2^53', 2 ** 53],
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
  ] as const) {
    it(`${name} (${idx}): STATUS_LIST_REFERENCE when read, undetermined when checked`, async () => {
      expect(() => readStatusListReference({ status_list: { idx, uri: URI } })).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_REFERENCE' }),
      );
      const r = await checkReferencedStatus({
        reference: { idx, uri: URI },
        token: await token,
        key: publicKey,
        now: NOW,
      });
      expect(r.status).toBe('undetermined');
      expect(r.outcome).toBe('unknown');
      expect(r.statusValue).toBeUndefined();
      expect(r.detail).toMatch(/index/);
    });
  }

  it('a CBOR idx beyond 2^64 (bigint) and a negative bigint are STATUS_LIST_REFERENCE', () => {
    for (const idx of [2n ** 64n, -1n, 5n]) {
      const status = new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', idx],
            ['uri', URI],
          ]),
        ],
      ]);
      expect(() => readStatusListReference(status)).toThrow(StatusListError);
    }
  });

  it('an index exactly at the end of the list is outside it', async () => {
    const r = await checkReferencedStatus({
      reference: { idx: list.size, uri: URI },
      token: await token,
      key: publicKey,
      now: NOW,
    });
    expect(r.status).toBe('undetermined');
    expect(r.detail).toContain(`outside the list (${list.size} entries)`);
  });
});
