/**
 * Received text never indexes a plain object: namespaces, element identifiers, the digest algorithm,
 * the docType, keyAuthorizations, Document.errors and documentErrors named `__proto__`,
 * `constructor`, `toString`… verify or fail cleanly — a report, never a throw — and leave
 * Object.prototype (and Object itself) exactly as they were.
 */
import type { CborMap, CborValue } from '@mynakit/cbor';
import { prototypeChanges, snapshotPrototypes } from '@mynakit/test-support';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeDeviceKeyInfo,
  decodeMobileSecurityObject,
  isDeviceSignedElementAuthorized,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, makeIssuerChain, p256 } from './fixtures.js';
import { handBuiltResponse, NOW, signedItems, TRANSCRIPT, VALIDITY_MAP } from './hand-built.js';

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
] as const;
const NAMES = [...PROTO_KEYS, 'plain'];

let chain: IssuerChain;
const device = p256();
beforeAll(() => {
  chain = makeIssuerChain();
});

describe('keys named like Object.prototype members', () => {
  it('a DeviceNameSpaces namespace `constructor` with keyAuthorizations present is reported, not thrown', async () => {
    const before = snapshotPrototypes();
    for (const ns of PROTO_KEYS) {
      const bytes = handBuiltResponse(
        {
          ...signedItems('org.example.ns', [[1, 'a', 'x']]),
          keyAuthorizations: new Map([['dataElements', new Map([['org.example.ns', ['a']]])]]),
          deviceNameSpaces: new Map([[ns, new Map([['b', 1]])]]),
        },
        chain,
        device,
      );
      const r = await verifyDeviceResponse(bytes, {
        sessionTranscriptBytes: TRANSCRIPT,
        trustAnchors: [chain.iaca],
        now: NOW,
        cache: false,
      });
      expect(r.verdict, ns).toBe('valid');
      expect(r.documents[0]?.deviceElements).toBeUndefined();
      expect(r.documents[0]?.checks.find((c) => c.id === 'device.signature')?.detail).toContain(`${ns}/b`);
    }
    expect(prototypeChanges(before)).toEqual([]);
  });

  it.each(PROTO_KEYS)('an MSO digestAlgorithm %s fails mso.digest_algorithm', async (alg) => {
    const bytes = handBuiltResponse(
      { ...signedItems('org.example.ns', [[1, 'a', 'x']]), digestAlgorithm: alg },
      chain,
      device,
    );
    const r = await verifyDeviceResponse(bytes, {
      sessionTranscriptBytes: TRANSCRIPT,
      trustAnchors: [chain.iaca],
      now: NOW,
      cache: false,
    });
    expect(r.verdict).toBe('invalid');
    expect(r.checks.find((c) => c.id === 'mso.digest_algorithm')?.status).toBe('failed');
  });

  it('decoded keyAuthorizations keep `__proto__` as an own key and answer by own properties', () => {
    const before = snapshotPrototypes();
    const info = decodeDeviceKeyInfo(
      new Map<CborValue, CborValue>([
        ['deviceKey', new Map([[1, 2]])],
        [
          'keyAuthorizations',
          new Map<CborValue, CborValue>([
            ['nameSpaces', ['valueOf']],
            ['dataElements', new Map([['__proto__', ['toString']]])],
          ]),
        ],
      ]),
    );
    const ka = info.keyAuthorizations;
    expect(Object.hasOwn(ka?.dataElements ?? {}, '__proto__')).toBe(true);
    expect(isDeviceSignedElementAuthorized(ka, '__proto__', 'toString')).toBe(true);
    expect(isDeviceSignedElementAuthorized(ka, '__proto__', 'valueOf')).toBe(false);
    expect(isDeviceSignedElementAuthorized(ka, 'valueOf', 'anything')).toBe(true);
    for (const k of PROTO_KEYS) {
      if (k === '__proto__' || k === 'valueOf') continue; // authorised above
      expect(isDeviceSignedElementAuthorized(ka, k, 'toString')).toBe(false);
      expect(isDeviceSignedElementAuthorized(ka, k, 'constructor')).toBe(false);
    }
    expect(prototypeChanges(before)).toEqual([]);
  });

  it('decodeMobileSecurityObject reads namespaces named like prototype members as data', () => {
    const mso = decodeMobileSecurityObject(
      new Map<CborValue, CborValue>([
        ['version', '1.0'],
        ['digestAlgorithm', 'toString'],
        ['valueDigests', new Map(PROTO_KEYS.map((k) => [k, new Map([[1, new Uint8Array(32)]])]))],
        ['deviceKeyInfo', new Map([['deviceKey', new Map([[1, 2]])]])],
        ['docType', '__proto__'],
        ['validityInfo', VALIDITY_MAP],
      ]),
    );
    expect([...mso.valueDigests.keys()]).toEqual([...PROTO_KEYS]);
  });
});

describe('property: every level, any such name', () => {
  const name = fc.constantFrom(...NAMES);
  it('verifies or fails cleanly and leaves Object.prototype unchanged', { timeout: 60_000 }, async () => {
    const before = snapshotPrototypes();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          docType: name,
          ns: name,
          ids: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
          alg: fc.constantFrom('SHA-256', ...NAMES),
          deviceNs: name,
          deviceIds: fc.uniqueArray(name, { minLength: 1, maxLength: 2 }),
          ka: fc.constantFrom('none', 'nameSpaces', 'dataElements'),
          kaNs: name,
          errors: fc.option(fc.tuple(name, name), { nil: undefined }),
          documentError: fc.option(name, { nil: undefined }),
        }),
        async (c) => {
          const keyAuthorizations: CborMap | undefined =
            c.ka === 'none'
              ? undefined
              : c.ka === 'nameSpaces'
                ? new Map([['nameSpaces', [c.kaNs]]])
                : new Map([['dataElements', new Map([[c.kaNs, [...c.deviceIds]]])]]);
          const bytes = handBuiltResponse(
            {
              docType: c.docType,
              ...signedItems(
                c.ns,
                c.ids.map((id, i) => [i + 1, id, `${id}-value`] as const),
              ),
              digestAlgorithm: c.alg,
              ...(keyAuthorizations ? { keyAuthorizations } : {}),
              deviceNameSpaces: new Map([[c.deviceNs, new Map(c.deviceIds.map((id) => [id, 1]))]]),
              ...(c.errors ? { errors: new Map([[c.errors[0], new Map([[c.errors[1], 0]])]]) } : {}),
              ...(c.documentError ? { documentErrors: [new Map([[c.documentError, 0]])] } : {}),
            },
            chain,
            device,
          );
          const r = await verifyDeviceResponse(bytes, {
            sessionTranscriptBytes: TRANSCRIPT,
            trustAnchors: [chain.iaca],
            now: NOW,
            cache: false,
          });
          const doc = r.documents[0];
          expect(doc?.docType).toBe(c.docType);
          if (c.alg === 'SHA-256') {
            expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
            const values = doc?.elements ?? {};
            expect(Object.hasOwn(values, c.ns)).toBe(true);
            const own = Object.getOwnPropertyDescriptor(values, c.ns)?.value as Record<string, unknown>;
            for (const id of c.ids)
              expect(Object.getOwnPropertyDescriptor(own, id)?.value).toBe(`${id}-value`);
          } else {
            expect(r.verdict).toBe('invalid');
            expect(r.checks.find((x) => x.id === 'mso.digest_algorithm')?.status).toBe('failed');
          }
          const authorised =
            (c.ka === 'nameSpaces' && c.kaNs === c.deviceNs) ||
            (c.ka === 'dataElements' && c.kaNs === c.deviceNs);
          expect(doc?.deviceElements !== undefined).toBe(authorised);
          if (authorised)
            for (const id of c.deviceIds)
              expect(
                Object.hasOwn(Object.getOwnPropertyDescriptor(doc?.deviceElements, c.deviceNs)?.value, id),
              ).toBe(true);
          if (c.errors) {
            const nr = doc?.notReturned ?? {};
            expect(Object.hasOwn(nr, c.errors[0])).toBe(true);
          }
          if (c.documentError) expect(Object.hasOwn(r.documentErrors ?? {}, c.documentError)).toBe(true);
          expect(() => JSON.stringify(r)).not.toThrow();
          expect(prototypeChanges(before)).toEqual([]);
        },
      ),
      { numRuns: 60, seed: 0x5eed },
    );
    expect(prototypeChanges(before)).toEqual([]);
  });
});
