/**
 * Work before any signature is checked is linear and bounded: counts of documents, namespaces,
 * elements, digests and structure-map keys have explicit limits (src/limits.ts), enforced the same
 * way by the one-pass reader and the general decoding path, as a decode failure naming the limit.
 * No wall clock: "bounded work" is shown by input that is malformed just past the bound — a reader
 * that stops at the bound reports the limit, one that reads on would report the malformed bytes.
 */
import { type CborMap, type CborValue, EncodedCbor, encode } from '@mynakit/cbor';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDeviceResponse as readDeviceResponseFast } from '../src/device-response.js';
import {
  decodeDeviceKeyInfo,
  decodeDeviceResponse,
  decodeMobileSecurityObject,
  LIMITS,
  type LimitName,
  type MdocError,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, makeIssuerChain, p256 } from './fixtures.js';
import { handBuiltResponse, NOW, signedItems, TRANSCRIPT, VALIDITY_MAP } from './hand-built.js';

/** A growable CBOR writer for inputs too large to build as values. */
class Writer {
  buf = new Uint8Array(1 << 16);
  pos = 0;
  private need(n: number) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }
  head(major: number, n: number): this {
    this.need(9);
    const m = major << 5;
    if (n < 24) this.buf[this.pos++] = m | n;
    else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.buf[this.pos++] = n >> 8;
      this.buf[this.pos++] = n & 0xff;
    } else {
      this.buf[this.pos++] = m | 26;
      this.buf[this.pos++] = (n >>> 24) & 0xff;
      this.buf[this.pos++] = (n >> 16) & 0xff;
      this.buf[this.pos++] = (n >> 8) & 0xff;
      this.buf[this.pos++] = n & 0xff;
    }
    return this;
  }
  byte(b: number): this {
    this.need(1);
    this.buf[this.pos++] = b;
    return this;
  }
  raw(b: Uint8Array): this {
    this.need(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  text(s: string): this {
    const b = UTF8.encode(s);
    return this.head(3, b.length).raw(b);
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const UTF8 = new TextEncoder();
const DEVICE_KEY_INFO = encode(new Map([['deviceKey', new Map([[1, 2]])]]));

/**
 * MobileSecurityObjectBytes whose valueDigests namespace holds `count` digests (1-byte keys grow as
 * needed, empty digests), or `unknownKeys` extra MSO keys. `indefinite` writes the big map with an
 * indefinite-length head; `garbageAfter` replaces the entries after that many by reserved bytes
 * (0x1c), so only a reader that stopped at the bound can report the bound.
 */
function msoBytes(o: {
  digests?: number;
  unknownKeys?: number;
  indefinite?: boolean;
  garbageAfter?: number;
}): Uint8Array {
  const w = new Writer();
  const unknown = o.unknownKeys ?? 0;
  const entries = (n: number, write: (i: number) => void) => {
    if (o.indefinite) w.byte(0xbf);
    else w.head(5, n);
    for (let i = 0; i < n; i++) {
      if (o.garbageAfter !== undefined && i === o.garbageAfter) {
        // As many bytes as the declared entries need at least, so the head itself is plausible.
        for (let k = 0; k < 2 * (n - i); k++) w.byte(0x1c);
        return false;
      }
      write(i);
    }
    if (o.indefinite) w.byte(0xff);
    return true;
  };
  if (unknown > 0) {
    entries(unknown + 6, (i) => {
      if (i < unknown) w.text(`k${i}`).byte(0x00);
      else w.raw(STANDARD_FIELDS[i - unknown] as Uint8Array);
    });
    return wrap(w.done());
  }
  w.head(5, 6);
  w.text('version').text('1.0');
  w.text('digestAlgorithm').text('SHA-256');
  w.text('valueDigests').head(5, 1).text('org.example.ns');
  entries(o.digests ?? 1, (i) => {
    w.head(0, i).byte(0x40);
  });
  w.text('deviceKeyInfo').raw(DEVICE_KEY_INFO);
  w.text('docType').text('org.example.test');
  w.text('validityInfo').raw(encode(VALIDITY_MAP));
  return wrap(w.done());
}

const STANDARD_FIELDS = [
  encode('version'),
  encode('1.0'),
  encode('digestAlgorithm'),
  encode('SHA-256'),
  encode('valueDigests'),
  encode(new Map([['org.example.ns', new Map([[0, new Uint8Array(0)]])]])),
  encode('deviceKeyInfo'),
  DEVICE_KEY_INFO,
  encode('docType'),
  encode('org.example.test'),
  encode('validityInfo'),
  encode(VALIDITY_MAP),
].reduce<Uint8Array[]>((acc, b, i, all) => {
  if (i % 2 === 0) acc.push(Uint8Array.from([...b, ...(all[i + 1] as Uint8Array)]));
  return acc;
}, []);

const wrap = (mso: Uint8Array) => EncodedCbor.fromBytes(mso).raw;

/** A DeviceResponse (unsigned: the bounds come before any signature) around MobileSecurityObjectBytes. */
function responseWithMso(payload: Uint8Array): Uint8Array {
  const sig = new Uint8Array(64);
  return encode(
    new Map<CborValue, CborValue>([
      ['version', '1.0'],
      [
        'documents',
        [
          new Map<CborValue, CborValue>([
            ['docType', 'org.example.test'],
            [
              'issuerSigned',
              new Map<CborValue, CborValue>([
                ['issuerAuth', [encode(new Map([[1, -7]])), new Map(), payload, sig]],
              ]),
            ],
            [
              'deviceSigned',
              new Map<CborValue, CborValue>([
                ['nameSpaces', EncodedCbor.of(new Map())],
                [
                  'deviceAuth',
                  new Map([['deviceSignature', [encode(new Map([[1, -7]])), new Map(), null, sig]]]),
                ],
              ]),
            ],
          ]),
        ],
      ],
      ['status', 0],
    ]),
  );
}

const opts = () => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [] as Uint8Array[],
  now: NOW,
  cache: false as const,
});

/** The verifier reports a failed decode naming the limit. */
async function expectLimit(bytes: Uint8Array, limit: LimitName) {
  const r = await verifyDeviceResponse(bytes, opts());
  expect(r.verdict).toBe('invalid');
  const failed = r.checks.find((c) => c.id === 'decode' && c.status === 'failed');
  expect(failed?.detail).toContain(`limit ${limit}`);
}

function expectLimitError(f: () => unknown, limit: LimitName) {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect((caught as MdocError | undefined)?.code).toBe('MDOC_LIMIT');
  expect((caught as { limit?: string }).limit).toBe(limit);
}

describe('the limits', () => {
  it('are stated once, each far above what ISO 18013-5 documents hold', () => {
    expect(LIMITS).toMatchObject({
      documents: expect.any(Number),
      nameSpaces: expect.any(Number),
      elementsPerNameSpace: expect.any(Number),
      elements: expect.any(Number),
      digests: expect.any(Number),
      mapKeys: expect.any(Number),
      x5chain: expect.any(Number),
    });
    expect(Object.isFrozen(LIMITS)).toBe(true);
  });
});

describe('valueDigests', () => {
  it('10^6 digests: a decode failure naming the limit, in both paths', async () => {
    const bytes = responseWithMso(msoBytes({ digests: 1_000_000 }));
    expect(bytes.length).toBeGreaterThan(4_000_000);
    expectLimitError(() => readDeviceResponseFast(bytes), 'elementsPerNameSpace');
    await expectLimit(bytes, 'elementsPerNameSpace');
  });

  it('the reader stops at the bound: bytes past it are never read (definite and indefinite heads)', async () => {
    const bound = LIMITS.elementsPerNameSpace;
    for (const indefinite of [false, true]) {
      const bytes = responseWithMso(msoBytes({ digests: 1_000_000, indefinite, garbageAfter: bound }));
      expectLimitError(() => readDeviceResponseFast(bytes), 'elementsPerNameSpace');
      await expectLimit(bytes, 'elementsPerNameSpace');
    }
  });

  it('digests over all namespaces are bounded too', () => {
    const per = LIMITS.elementsPerNameSpace;
    const nss = Math.floor(LIMITS.digests / per) + 1;
    const valueDigests: CborMap = new Map();
    for (let n = 0; n < nss; n++) {
      const m: CborMap = new Map();
      for (let i = 0; i < per; i++) m.set(i, new Uint8Array(0));
      valueDigests.set(`ns${n}`, m);
    }
    expectLimitError(
      () =>
        decodeMobileSecurityObject(
          new Map<CborValue, CborValue>([
            ['version', '1.0'],
            ['digestAlgorithm', 'SHA-256'],
            ['valueDigests', valueDigests],
            ['deviceKeyInfo', new Map([['deviceKey', new Map([[1, 2]])]])],
            ['docType', 'x'],
            ['validityInfo', VALIDITY_MAP],
          ]),
        ),
      'digests',
    );
  });
});

describe('structure map keys', () => {
  it('10^5 unknown MSO keys: a decode failure naming the limit, in both paths', async () => {
    const bytes = responseWithMso(msoBytes({ unknownKeys: 100_000 }));
    expectLimitError(() => readDeviceResponseFast(bytes), 'mapKeys');
    await expectLimit(bytes, 'mapKeys');
  });

  it('the reader stops at the bound on an indefinite-length MSO map', async () => {
    const bytes = responseWithMso(
      msoBytes({ unknownKeys: 100_000, indefinite: true, garbageAfter: LIMITS.mapKeys }),
    );
    expectLimitError(() => readDeviceResponseFast(bytes), 'mapKeys');
    await expectLimit(bytes, 'mapKeys');
  });

  it('a few unknown MSO keys are accepted', async () => {
    const bytes = responseWithMso(msoBytes({ unknownKeys: 3 }));
    const r = await verifyDeviceResponse(bytes, opts());
    // Not a decode failure: the (unsigned) MSO was read; the signature checks fail later.
    expect(r.checks.filter((c) => c.id === 'decode').every((c) => c.status === 'passed')).toBe(true);
  });
});

describe('the envelope', () => {
  let chain: IssuerChain;
  const device = p256();
  beforeAll(() => {
    chain = makeIssuerChain();
  });

  it('10^5 IssuerSignedItems in a namespace', async () => {
    const w = new Writer();
    w.head(5, 3).text('version').text('1.0').text('status').byte(0x00).text('documents').head(4, 1);
    w.head(5, 3).text('docType').text('org.example.test');
    w.text('issuerSigned').head(5, 2).text('nameSpaces').head(5, 1).text('ns').head(4, 100_000);
    for (let i = 0; i < 100_000; i++) w.raw(Uint8Array.of(0xd8, 0x18, 0x41, 0xa0));
    w.text('issuerAuth').raw(encode([new Uint8Array(0), new Map(), msoBytes({}), new Uint8Array(64)]));
    w.text('deviceSigned').raw(
      encode(
        new Map<CborValue, CborValue>([
          ['nameSpaces', EncodedCbor.of(new Map())],
          [
            'deviceAuth',
            new Map([['deviceSignature', [new Uint8Array(0), new Map(), null, new Uint8Array(64)]]]),
          ],
        ]),
      ),
    );
    const bytes = w.done();
    expectLimitError(() => readDeviceResponseFast(bytes), 'elementsPerNameSpace');
    await expectLimit(bytes, 'elementsPerNameSpace');
  });

  it('more documents than the limit', () => {
    const doc = new Map<CborValue, CborValue>([['docType', 'x']]);
    const value = new Map<CborValue, CborValue>([
      ['version', '1.0'],
      ['documents', Array.from({ length: LIMITS.documents + 1 }, () => doc)],
      ['status', 0],
    ]);
    expectLimitError(() => decodeDeviceResponse(value), 'documents');
    expectLimitError(() => readDeviceResponseFast(encode(value)), 'documents');
  });

  it('DeviceNameSpaces with more elements than the limit', async () => {
    const many = new Map(Array.from({ length: LIMITS.elementsPerNameSpace + 1 }, (_, i) => [`e${i}`, 1]));
    const bytes = handBuiltResponse(
      { ...signedItems('ns', [[1, 'a', 'x']]), deviceNameSpaces: new Map([['ns', many]]) },
      chain,
      device,
    );
    await expectLimit(bytes, 'elementsPerNameSpace');
  });

  it('keyAuthorizations with more namespaces than the limit', async () => {
    const names = Array.from({ length: LIMITS.nameSpaces + 1 }, (_, i) => `ns${i}`);
    expectLimitError(
      () =>
        decodeDeviceKeyInfo(
          new Map<CborValue, CborValue>([
            ['deviceKey', new Map([[1, 2]])],
            ['keyAuthorizations', new Map([['nameSpaces', names]])],
          ]),
        ),
      'nameSpaces',
    );
    const bytes = handBuiltResponse(
      { ...signedItems('ns', [[1, 'a', 'x']]), keyAuthorizations: new Map([['nameSpaces', names]]) },
      chain,
      device,
    );
    await expectLimit(bytes, 'nameSpaces');
  });

  it('within the limits, a hand-built response verifies', async () => {
    const r = await verifyDeviceResponse(
      handBuiltResponse(signedItems('ns', [[1, 'a', 'x']]), chain, device),
      {
        ...opts(),
        trustAnchors: [chain.iaca],
      },
    );
    expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
  });
});
