/**
 * Property: the public entry points of @mynakit/status-list that read a party's JSON or CBOR — a
 * Referenced Token's `status` (§6), a StatusList (§4.2, §4.3), a signed Status List Token (§5) and the
 * `status.revocation` check (§8.3) — succeed or fail with a StatusListError (verifiers: a report),
 * when the input carries `__proto__`, `constructor`, `prototype`, `toString`… as keys at any level, and
 * Object.prototype is exactly as before. The tokens are really signed, so the claims get read.
 */
import { generateKeyPairSync } from 'node:crypto';
import { type CborMap, type CborValue, decode, encode } from '@mynakit/cbor';
import { signSign1 } from '@mynakit/cose';
import {
  hostileCbor,
  hostileJson,
  type Json,
  prototypeChanges,
  restorePrototypes,
  snapshotPrototypes,
} from '@mynakit/test-support';
import fc from 'fast-check';
import { CompactSign } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkReferencedStatus,
  decodeStatusListCbor,
  decodeStatusListJson,
  readStatusListReference,
  StatusList,
  StatusListError,
  statusReferenceFromCwtClaims,
  statusReferenceFromJwtPayload,
  statusReferenceFromMso,
  verifyStatusListCwt,
  verifyStatusListJwt,
} from '../src/index.js';

const RUNS = { seed: 0x5747_0511, numRuns: 100 } as const;
const URI = 'https://example.com/statuslists/1';
const NOW = new Date('2025-06-24T00:00:00Z');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const list = StatusList.fromStatuses([0, 1, 2, 0, 0, 0, 0, 0], 2);
const lst = Buffer.from(list.compress()).toString('base64url');

let before: ReturnType<typeof snapshotPrototypes>;
beforeEach(() => {
  before = snapshotPrototypes();
});
afterEach(() => restorePrototypes(before));

async function typed(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof StatusListError)) throw e;
  }
  expect(prototypeChanges(before)).toEqual([]);
}

const referenceJson: Json = { status: { status_list: { idx: 1, uri: URI } } };
const statusListJson: Json = { bits: 2, lst, aggregation_uri: 'https://example.com/all' };
const payloadJson: Json = { sub: URI, iat: NOW.getTime() / 1000 - 60, ttl: 600, status_list: statusListJson };

describe('status references and StatusLists', () => {
  it('JSON: readStatusListReference, statusReferenceFromJwtPayload, decodeStatusListJson', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson(referenceJson), hostileJson(statusListJson), async (ref, sl) => {
        await typed(() => statusReferenceFromJwtPayload(ref as Record<string, unknown>));
        await typed(() => readStatusListReference((ref as { status?: unknown } | null)?.status));
        await typed(() => decodeStatusListJson(sl));
      }),
      RUNS,
    );
  });

  it('CBOR: statusReferenceFromMso / FromCwtClaims, decodeStatusListCbor', async () => {
    const status = new Map<CborValue, CborValue>([
      [
        'status_list',
        new Map<CborValue, CborValue>([
          ['idx', 1],
          ['uri', URI],
        ]),
      ],
    ]);
    const mso = new Map<CborValue, CborValue>([['status', status]]);
    const claims = new Map<CborValue, CborValue>([[65535, status]]);
    const sl = new Map<CborValue, CborValue>([
      ['bits', 2],
      ['lst', list.compress()],
    ]);
    await fc.assert(
      fc.asyncProperty(hostileCbor(mso), hostileCbor(claims), hostileCbor(sl), async (m, c, s) => {
        const asMap = (b: Uint8Array) => decode(b) as Map<unknown, unknown>;
        await typed(() => statusReferenceFromMso(asMap(m)));
        await typed(() => statusReferenceFromCwtClaims(asMap(c)));
        await typed(() => decodeStatusListCbor(decode(s)));
      }),
      RUNS,
    );
  });
});

describe('signed Status List Tokens and the status.revocation check', () => {
  const reports = async (v: Promise<{ ok: boolean; report: { verdict: string } }>) => {
    const r = await v;
    expect(['valid', 'invalid', 'undetermined']).toContain(r.report.verdict);
    expect(prototypeChanges(before)).toEqual([]);
  };

  it('JWT: the payload with prototype-named keys at every level', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson(payloadJson), async (payload) => {
        const jwt = await new CompactSign(Buffer.from(JSON.stringify(payload)))
          .setProtectedHeader({ alg: 'ES256', typ: 'statuslist+jwt' })
          .sign(privateKey);
        await reports(verifyStatusListJwt(jwt, { key: publicKey, now: NOW, fetchedAt: NOW }));
        const check = await checkReferencedStatus({
          reference: { idx: 1, uri: URI },
          token: jwt,
          key: publicKey,
          now: NOW,
        });
        expect(['passed', 'failed', 'undetermined']).toContain(check.status);
        expect(prototypeChanges(before)).toEqual([]);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('CWT: claims and status_list maps with prototype-named text keys', async () => {
    const claims: CborMap = new Map<CborValue, CborValue>([
      [2, URI],
      [6, NOW.getTime() / 1000 - 60],
      [65534, 600],
      [
        65533,
        new Map<CborValue, CborValue>([
          ['bits', 2],
          ['lst', list.compress()],
        ]),
      ],
    ]);
    await fc.assert(
      fc.asyncProperty(hostileCbor(claims), async (payload) => {
        const sign1 = await signSign1({
          protectedHeaders: new Map<CborValue, CborValue>([
            [1, -7],
            [16, 'application/statuslist+cwt'],
          ]),
          payload,
          key: privateKey,
          tagged: true,
        });
        const token = sign1.encode({ tagged: true });
        await reports(verifyStatusListCwt(token, { key: publicKey, now: NOW, fetchedAt: NOW }));
        const check = await checkReferencedStatus({
          reference: { idx: 1, uri: URI },
          token,
          key: publicKey,
          now: NOW,
        });
        expect(['passed', 'failed', 'undetermined']).toContain(check.status);
        expect(prototypeChanges(before)).toEqual([]);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});

describe('own members only', () => {
  it('a member another part of the process put on Object.prototype is never read as a claim', async () => {
    const jwt = await new CompactSign(Buffer.from(JSON.stringify({ sub: URI })))
      .setProtectedHeader({ alg: 'ES256', typ: 'statuslist+jwt' })
      .sign(privateKey);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.iat = NOW.getTime() / 1000;
      proto.status_list = statusListJson;
      proto.status = { status_list: { idx: 1, uri: URI } };
      proto.idx = 1;
      proto.uri = URI;
      const v = await verifyStatusListJwt(jwt, { key: publicKey, now: NOW });
      expect(v.report.checks.find((c) => c.id === 'status_list.issued_at')?.status).toBe('failed');
      expect(v.report.checks.find((c) => c.id === 'status_list.list')?.status).toBe('failed');
      expect(v.list).toBeUndefined();
      expect(statusReferenceFromJwtPayload({})).toBeUndefined();
      expect(readStatusListReference({})).toBeUndefined();
      expect(() => readStatusListReference({ status_list: {} })).toThrow(StatusListError);
      expect(() => decodeStatusListJson({ bits: 2 })).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_DECODE' }),
      );
    } finally {
      for (const k of ['iat', 'status_list', 'status', 'idx', 'uri']) delete proto[k];
    }
  });

  it('the CBOR claims are read from the map, whatever text keys sit beside them', async () => {
    const claims = encode(
      new Map<CborValue, CborValue>([
        [2, URI],
        [6, 1],
        ['__proto__', new Map<CborValue, CborValue>([['polluted', true]])],
        ['constructor', 'x'],
        [
          65533,
          new Map<CborValue, CborValue>([
            ['bits', 2],
            ['lst', list.compress()],
            ['__proto__', null],
          ]),
        ],
      ]),
    );
    const sign1 = await signSign1({
      protectedHeaders: new Map<CborValue, CborValue>([
        [1, -7],
        [16, 'application/statuslist+cwt'],
      ]),
      payload: claims,
      key: privateKey,
      tagged: true,
    });
    const v = await verifyStatusListCwt(sign1.encode({ tagged: true }), { key: publicKey, now: NOW });
    expect(v.ok).toBe(true);
    expect(v.list?.get(2)).toBe(2);
    expect(prototypeChanges(before)).toEqual([]);
  });
});
