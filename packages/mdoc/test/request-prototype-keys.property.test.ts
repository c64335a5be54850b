/**
 * The wallet and reader side of "received text never indexes a plain object": a DeviceRequest whose
 * docType, namespaces, element identifiers or requestInfo keys are named `__proto__`, `constructor`,
 * `toString`, `prototype`… decodes with every name as an own property, is presented with each requested
 * element either disclosed or listed as not returned (ISO/IEC 18013-5:2021 §8.3.2.1.2.2: "Errors" and
 * "documentErrors" name what the mdoc does not return), and redactMyNumber keeps such a namespace —
 * all without touching Object.prototype.
 */
import { type CborMap, type CborValue, EncodedCbor, encode } from '@mynakit/cbor';
import { prototypeChanges, snapshotPrototypes } from '@mynakit/test-support';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeviceRequest,
  decodeDeviceRequestBytes,
  encodeItemsRequest,
  MY_NUMBER_ELEMENT,
  presentMdoc,
  REDACTED,
  redactMyNumber,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, makeIssuerChain, p256 } from './fixtures.js';
import { issuerSignedOf, NOW, signedItems, TRANSCRIPT } from './hand-built.js';

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
] as const;
const NAMES = [...PROTO_KEYS, 'plain', 'other'];

const own = (o: unknown, k: string): unknown =>
  o !== null && typeof o === 'object' ? Object.getOwnPropertyDescriptor(o, k)?.value : undefined;

const sorted = (keys: readonly string[]): string[] => [...keys].sort();

/** DeviceRequest bytes written as CBOR maps, so that no plain object is involved on the sending side. */
function requestBytes(
  docs: readonly { docType: string; nameSpaces: ReadonlyMap<string, readonly string[]> }[],
  requestInfo?: readonly string[],
): Uint8Array {
  const docRequests = docs.map((d) => {
    const ns: CborMap = new Map();
    for (const [name, ids] of d.nameSpaces) ns.set(name, new Map(ids.map((id) => [id, id === 'plain'])));
    const items: CborMap = new Map<CborValue, CborValue>([
      ['docType', d.docType],
      ['nameSpaces', ns],
    ]);
    if (requestInfo) items.set('requestInfo', new Map(requestInfo.map((k) => [k, k])));
    return new Map<CborValue, CborValue>([['itemsRequest', EncodedCbor.of(items)]]);
  });
  return encode(
    new Map<CborValue, CborValue>([
      ['version', '1.0'],
      ['docRequests', docRequests],
    ]),
  );
}

let chain: IssuerChain;
const device = p256();
beforeAll(() => {
  chain = makeIssuerChain();
});

describe('decodeDeviceRequest: names like Object.prototype members are data', () => {
  it('keeps every docType, namespace, element identifier and requestInfo key as an own property', () => {
    const before = snapshotPrototypes();
    const bytes = requestBytes(
      PROTO_KEYS.map((docType) => ({
        docType,
        nameSpaces: new Map(PROTO_KEYS.map((ns) => [ns, [...PROTO_KEYS, 'plain']])),
      })),
      [...PROTO_KEYS],
    );
    const req = decodeDeviceRequestBytes(bytes);
    expect(req.docRequests.map((d) => d.itemsRequest.docType)).toEqual([...PROTO_KEYS]);
    for (const { itemsRequest } of req.docRequests) {
      expect(sorted(Object.keys(itemsRequest.nameSpaces))).toEqual(sorted(PROTO_KEYS));
      for (const ns of PROTO_KEYS) {
        const elements = own(itemsRequest.nameSpaces, ns) as Record<string, boolean>;
        expect(sorted(Object.keys(elements))).toEqual(sorted([...PROTO_KEYS, 'plain']));
        for (const id of PROTO_KEYS) expect(own(elements, id)).toBe(false);
        expect(own(elements, 'plain')).toBe(true);
      }
      expect(sorted(Object.keys(itemsRequest.requestInfo ?? {}))).toEqual(sorted(PROTO_KEYS));
      // Re-encoding the decoded request names the same namespaces and elements.
      const again = decodeDeviceRequestBytes(buildDeviceRequest({ docRequests: [itemsRequest] }))
        .docRequests[0]?.itemsRequest;
      expect(sorted(Object.keys(again?.nameSpaces ?? {}))).toEqual(sorted(PROTO_KEYS));
      expect(encodeItemsRequest(itemsRequest).raw).toEqual(
        encodeItemsRequest(again as NonNullable<typeof again>).raw,
      );
    }
    expect(prototypeChanges(before)).toEqual([]);
  });
});

describe('presentMdoc: names like Object.prototype members are data', () => {
  const name = fc.constantFrom(...NAMES);
  it('discloses, lists as not returned or as a document error, and never reaches Object.prototype', {
    timeout: 60_000,
  }, async () => {
    const before = snapshotPrototypes();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          docType: name,
          missingDocType: name,
          ns: name,
          held: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
          missing: fc.uniqueArray(name, { maxLength: 2 }),
          otherNs: name,
          form: fc.constantFrom('bytes', 'structure', 'simple'),
        }),
        async (c) => {
          fc.pre(c.docType !== c.missingDocType && c.ns !== c.otherNs);
          const missing = c.missing.filter((id) => !c.held.includes(id));
          const stored = encode(
            issuerSignedOf(
              {
                docType: c.docType,
                ...signedItems(
                  c.ns,
                  c.held.map((id, i) => [i + 1, id, `${id}-value`] as const),
                ),
              },
              chain,
              device.publicKey,
            ),
          );
          const nameSpaces = new Map<string, string[]>([
            [c.ns, [...c.held, ...missing]],
            [c.otherNs, [c.held[0] as string]],
          ]);
          const bytes = requestBytes([
            { docType: c.docType, nameSpaces },
            { docType: c.missingDocType, nameSpaces: new Map([[c.ns, [c.held[0] as string]]]) },
          ]);
          const request =
            c.form === 'bytes'
              ? bytes
              : c.form === 'structure'
                ? decodeDeviceRequestBytes(bytes)
                : decodeDeviceRequestBytes(bytes).docRequests.map((d) => ({
                    docType: d.itemsRequest.docType,
                    elements: Object.fromEntries(
                      Object.entries(d.itemsRequest.nameSpaces).map(([ns, ids]) => [ns, Object.keys(ids)]),
                    ),
                  }));
          const response = await presentMdoc({
            documents: [stored],
            request,
            sessionTranscriptBytes: TRANSCRIPT,
            deviceKey: device.privateKey,
            mode: 'signature',
          });
          const r = await verifyDeviceResponse(response, {
            sessionTranscriptBytes: TRANSCRIPT,
            trustAnchors: [chain.iaca],
            now: NOW,
            cache: false,
          });
          expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
          const doc = r.documents[0];
          expect(doc?.docType).toBe(c.docType);
          const values = own(doc?.elements, c.ns);
          for (const id of c.held) expect(own(values, id)).toBe(`${id}-value`);
          const notReturned = doc?.notReturned ?? {};
          for (const id of missing) expect(own(own(notReturned, c.ns), id)).toBe(0);
          expect(own(own(notReturned, c.otherNs), c.held[0] as string)).toBe(0);
          expect(Object.hasOwn(r.documentErrors ?? {}, c.missingDocType)).toBe(true);
          expect(prototypeChanges(before)).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 0x5eed },
    );
    expect(prototypeChanges(before)).toEqual([]);
  });

  it('a docType missing from a per-docType device key or device namespace table is not looked up on Object.prototype', async () => {
    for (const docType of PROTO_KEYS) {
      const stored = encode(
        issuerSignedOf({ docType, ...signedItems('ns', [[1, 'a', 'x']]) }, chain, device.publicKey),
      );
      const request = { docType, elements: { ns: ['a'] } };
      const base = {
        documents: [stored],
        request,
        sessionTranscriptBytes: TRANSCRIPT,
        mode: 'signature' as const,
      };
      await expect(
        presentMdoc({ ...base, deviceKey: { 'org.example.other': device.privateKey } }),
      ).rejects.toMatchObject({
        code: 'MDOC_INVALID_ARGUMENT',
      });
      const response = await presentMdoc({
        ...base,
        deviceKey: device.privateKey,
        deviceNameSpaces: { 'org.example.other': { ns: { b: 1 } } },
      });
      const r = await verifyDeviceResponse(response, {
        sessionTranscriptBytes: TRANSCRIPT,
        trustAnchors: [chain.iaca],
        now: NOW,
        cache: false,
      });
      expect(r.verdict, docType).toBe('valid');
      expect(r.documents[0]?.deviceElements).toBeUndefined();
    }
  });
});

describe('redactMyNumber: a namespace named `__proto__` is kept and redacted', () => {
  it('keeps own `__proto__` keys, redacts inside them, and redacts null-prototype dictionaries too', () => {
    const before = snapshotPrototypes();
    const input = JSON.parse(
      `{"__proto__": {"${MY_NUMBER_ELEMENT}": "123456789018", "constructor": "x"}, "toString": {"a": 1}}`,
    ) as Record<string, Record<string, unknown>>;
    expect(Object.hasOwn(input, '__proto__')).toBe(true);
    const out = redactMyNumber(input);
    expect(Object.keys(out)).toEqual(['__proto__', 'toString']);
    expect(own(own(out, '__proto__'), MY_NUMBER_ELEMENT)).toBe(REDACTED);
    expect(own(own(out, '__proto__'), 'constructor')).toBe('x');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const dictionary = Object.assign(Object.create(null) as Record<string, unknown>, {
      [MY_NUMBER_ELEMENT]: '123456789018',
    });
    expect(own(redactMyNumber({ ns: dictionary }).ns, MY_NUMBER_ELEMENT)).toBe(REDACTED);
    expect(own(own(input, '__proto__'), MY_NUMBER_ELEMENT)).toBe('123456789018'); // the input is not changed
    expect(prototypeChanges(before)).toEqual([]);
  });
});
