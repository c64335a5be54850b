/**
 * How received DeviceResponses are read: a presentation needs device authentication, DigestIDs are
 * uints of any size (and nothing else), an element is signed once per namespace. Every case is
 * signed properly (hand-built where our issuer would refuse to write it) and is verified twice, which
 * must agree.
 */
import { type CborMap, type CborValue, decode, encode, LeanReader, RawCbor } from '@mynakit/cbor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  encodeIssuerSignedItem,
  issueMdoc,
  JP_MNC_DOCTYPE,
  presentMdoc,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
  verifyIssuerSigned,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, portrait } from './fixtures.js';
import {
  handBuiltResponse,
  issuerSignedOf,
  item,
  NOW,
  sha256,
  signedItems,
  TRANSCRIPT,
} from './hand-built.js';

let chain: IssuerChain;
const device = p256();
const NS = 'org.example.ns';

beforeAll(() => {
  chain = makeIssuerChain();
});

const opts = (extra: Partial<VerifyDeviceResponseOptions> = {}): VerifyDeviceResponseOptions => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: NOW,
  cache: false,
  ...extra,
});

/** Verifies twice and checks both report the same checks. */
async function verify(bytes: Uint8Array) {
  const fast = await verifyDeviceResponse(bytes, opts());
  const general = await verifyDeviceResponse(bytes, opts());
  expect(JSON.stringify(general.checks)).toBe(JSON.stringify(fast.checks));
  return fast;
}

type Checked = { checks: readonly { id: string; status: string; detail: string }[] };
const check = (r: Checked, id: string) => r.checks.find((c) => c.id === id);
/** The failed decode check, response- or document-level. */
const failedDecode = (r: Checked) => r.checks.find((c) => c.id === 'decode' && c.status === 'failed');

describe('ISO/IEC 18013-5 §8.3.2.1.2.2: Document = {docType, issuerSigned, deviceSigned, ? errors}', () => {
  it('a Document without deviceSigned is a decode failure', async () => {
    const bytes = handBuiltResponse(
      { ...signedItems(NS, [[1, 'a', 'x']]), noDeviceSigned: true },
      chain,
      device,
    );
    const r = await verify(bytes);
    expect(r.verdict).toBe('invalid');
    expect(failedDecode(r)).toBeDefined();
    expect(failedDecode(r)?.detail).toContain('deviceSigned');
  });

  it('an IssuerSigned handed to verifyDeviceResponse is a decode failure', async () => {
    const is = encode(issuerSignedOf(signedItems(NS, [[1, 'a', 'x']]), chain, device.publicKey));
    const r = await verify(is);
    expect(r.verdict).toBe('invalid');
    expect(failedDecode(r)).toBeDefined();
  });

  it('verifyIssuerSigned says that device authentication was not performed', async () => {
    const is = encode(issuerSignedOf(signedItems(NS, [[1, 'a', 'x']]), chain, device.publicKey));
    const r = await verifyIssuerSigned(is, { trustAnchors: [chain.iaca], now: NOW, cache: false });
    expect(r.deviceAuthentication).toBe('not-performed');
    const d = check(r, 'device.signature');
    expect(d?.status).toBe('skipped');
    expect(d?.detail).toMatch(/device authentication was not performed/);
    expect(r.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual([
      'device.signature',
      'status.revocation',
    ]);
  });
});

describe('DigestID = uint (ISO/IEC 18013-5 §9.1.2.4; RFC 8610 §3.3: uint is major type 0)', () => {
  it.each([
    ['2^53 + 1', 2n ** 53n + 1n],
    ['2^64 − 1', 2n ** 64n - 1n],
  ])('an issuer-signed digestID of %s verifies and is compared exactly', async (_n, id) => {
    const r = await verify(handBuiltResponse(signedItems(NS, [[id, 'a', 'x']]), chain, device));
    expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
    expect(r.documents[0]?.elements[NS]?.a).toBe('x');
  });

  it('a neighbouring big digestID does not match (exact comparison, no rounding to a double)', async () => {
    const id = 2n ** 53n + 1n; // rounds to 2^53 as a double
    const it1 = item(id, 'a', 'x');
    const bytes = handBuiltResponse(
      { items: new Map([[NS, [it1]]]), digests: new Map([[NS, [[2n ** 53n, sha256(it1.raw)]]]]) },
      chain,
      device,
    );
    const r = await verify(bytes);
    expect(check(r, 'item.digest')?.status).toBe('failed');
    expect(check(r, 'item.digest')?.detail).toContain('digestID not in the MSO');
  });

  // Half, single and double precision 1.0: integral values, but not uints.
  it.each([
    ['a half float', [0xf9, 0x3c, 0x00]],
    ['a single float', [0xfa, 0x3f, 0x80, 0x00, 0x00]],
    ['a double float', [0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]],
    ['a bignum (tag 2)', [0xc2, 0x41, 0x01]],
  ])('%s as the IssuerSignedItem digestID fails decode', async (_n, enc) => {
    const it1 = item(new RawCbor(Uint8Array.from(enc)), 'a', 'x');
    const bytes = handBuiltResponse(
      { items: new Map([[NS, [it1]]]), digests: new Map([[NS, [[1, sha256(it1.raw)]]]]) },
      chain,
      device,
    );
    const r = await verify(bytes);
    expect(r.verdict).toBe('invalid');
    expect(failedDecode(r)).toBeDefined();
    expect(failedDecode(r)?.detail).toContain('digestID');
  });

  it.each([
    ['a half float', [0xf9, 0x3c, 0x00]],
    ['a bignum (tag 2)', [0xc2, 0x41, 0x01]],
  ])('%s as a valueDigests DigestID fails decode', async (_n, enc) => {
    const it1 = item(1, 'a', 'x');
    const bytes = handBuiltResponse(
      {
        items: new Map([[NS, [it1]]]),
        digests: new Map([[NS, [[new RawCbor(Uint8Array.from(enc)), sha256(it1.raw)]]]]),
      },
      chain,
      device,
    );
    const r = await verify(bytes);
    expect(r.verdict).toBe('invalid');
    expect(failedDecode(r)).toBeDefined();
    expect(failedDecode(r)?.detail).toContain('DigestID');
  });

  it('issueMdoc writes every digest ID as a uint (major type 0), never a float', async () => {
    const issued = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: jpMncElements(portrait(64)),
      deviceKey: device.publicKey,
      validityInfo: { signed: NOW, validFrom: NOW, validUntil: new Date('2026-01-01T00:00:00Z') },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    const majorOfDigestId = (content: Uint8Array) => {
      const r = new LeanReader(content);
      const n = r.mapHead();
      for (let i = 0; i < n; i++) {
        if (r.text() === 'digestID') return r.peekMajor();
        r.skip();
      }
      return -1;
    };
    for (const items of issued.issuerSigned.nameSpaces.values())
      for (const it1 of items) expect(majorOfDigestId(it1.bytes.bytes)).toBe(0);
    // valueDigests keys: walk the MSO bytes.
    const mso = new LeanReader(issued.msoBytes);
    mso.enterEmbedded();
    const n = mso.mapHead();
    let seen = 0;
    for (let i = 0; i < n; i++) {
      if (mso.text() !== 'valueDigests') {
        mso.skip();
        continue;
      }
      const nss = mso.mapHead();
      for (let j = 0; j < nss; j++) {
        mso.text();
        const ids = mso.mapHead();
        for (let k = 0; k < ids; k++) {
          expect(mso.peekMajor()).toBe(0);
          mso.skip();
          mso.skip();
          seen++;
        }
      }
    }
    expect(seen).toBe(11);
  });

  it('encodeIssuerSignedItem writes -0 as the uint 0, and a bigint digestID as major type 0', () => {
    const random = new Uint8Array(16);
    const zero = encodeIssuerSignedItem({ digestID: -0, random, elementIdentifier: 'a', elementValue: 1 });
    expect((decode(zero.bytes) as CborMap).get('digestID')).toBe(0);
    expect(zero.bytes.includes(0xf9)).toBe(false);
    const big = encodeIssuerSignedItem({
      digestID: 2n ** 64n - 1n,
      random,
      elementIdentifier: 'a',
      elementValue: 1,
    });
    expect(big.bytes.includes(0xc2)).toBe(false); // no bignum tag
    expect(() =>
      encodeIssuerSignedItem({ digestID: 2n ** 64n, random, elementIdentifier: 'a', elementValue: 1 }),
    ).toThrow(/digestID/);
    expect(() =>
      encodeIssuerSignedItem({ digestID: 1.5, random, elementIdentifier: 'a', elementValue: 1 }),
    ).toThrow(/digestID/);
  });
});

describe('an element identifier signed twice in one namespace', () => {
  it('two issuer-signed items with the same identifier and different values fail item.digest; neither is reported', async () => {
    const bytes = handBuiltResponse(
      signedItems(NS, [
        [1, 'age_over_18', false],
        [2, 'age_over_18', true],
        [3, 'other', 'kept'],
      ]),
      chain,
      device,
    );
    const r = await verify(bytes);
    expect(r.verdict).toBe('invalid');
    const c = check(r, 'item.digest');
    expect(c?.status).toBe('failed');
    expect(c?.detail).toContain(`${NS}/age_over_18`);
    expect(c?.detail).toMatch(/more than once/);
    expect(Object.hasOwn(r.documents[0]?.elements[NS] ?? {}, 'age_over_18')).toBe(false);
  });

  it('the same identifier in two namespaces is fine', async () => {
    const a = signedItems('ns.a', [[1, 'x', 1]]);
    const b = signedItems('ns.b', [[1, 'x', 2]]);
    const bytes = handBuiltResponse(
      {
        items: new Map([...a.items, ...b.items]),
        digests: new Map([...a.digests, ...b.digests]),
      },
      chain,
      device,
    );
    const r = await verify(bytes);
    expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
  });

  it('a wallet refuses to store an IssuerSigned with an identifier twice in a namespace', async () => {
    const is = encode(
      issuerSignedOf(
        signedItems(NS, [
          [1, 'a', 1],
          [2, 'a', 2],
        ]),
        chain,
        device.publicKey,
      ),
    );
    await expect(
      presentMdoc({
        documents: [is],
        request: { docType: 'org.example.test', elements: { [NS]: ['a'] } },
        sessionTranscriptBytes: TRANSCRIPT,
        deviceKey: device.privateKey,
        mode: 'signature',
      }),
    ).rejects.toMatchObject({ code: 'MDOC_DECODE' });
  });

  it('DeviceSignedItems with a key twice (RFC 8949 §5.6) is a decode failure', async () => {
    const good = handBuiltResponse(signedItems(NS, [[1, 'a', 'x']]), chain, device);
    // Splice a DeviceNameSpaces with a duplicate key in place of the empty one: a1 62 'ns' a2 61 'a' 01 61 'a' 02
    const r0 = decode(good) as CborMap;
    const doc = (r0.get('documents') as CborMap[])[0] as CborMap;
    const ds = doc.get('deviceSigned') as CborMap;
    const inner = Uint8Array.from([0xa1, 0x62, 0x6e, 0x73, 0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02]);
    ds.set('nameSpaces', new RawCbor(Uint8Array.from([0xd8, 0x18, 0x40 + inner.length, ...inner])));
    const r = await verify(encode(r0 as CborValue));
    expect(r.verdict).toBe('invalid');
    expect(failedDecode(r)).toBeDefined();
  });
});

describe('element bytes are views of the input, never copies', () => {
  it('a disclosed byte string shares the received buffer', async () => {
    const photo = portrait(64 * 1024);
    const bytes = handBuiltResponse(signedItems(NS, [[1, 'portrait', photo]]), chain, device);
    const r = await verifyDeviceResponse(bytes, opts());
    expect(r.verdict).toBe('valid');
    const v = r.documents[0]?.elements[NS]?.portrait as Uint8Array;
    expect(Buffer.compare(v, photo)).toBe(0);
    expect(v.buffer).toBe(bytes.buffer);
  });
});

describe('issueMdoc keeps prototype-named namespaces and elements as data', () => {
  it('reports the digest IDs of a `__proto__` namespace and element as own entries', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const nameSpaces: Record<string, Record<string, unknown>> = JSON.parse(
      '{"__proto__": {"__proto__": "a", "constructor": "b"}, "org.example.ns": {"toString": 1}}',
    );
    const issued = await issueMdoc({
      docType: 'org.example.doc',
      nameSpaces,
      deviceKey: device.publicKey,
      validityInfo: { signed: NOW, validFrom: NOW, validUntil: new Date('2026-01-01T00:00:00Z') },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    expect(Object.hasOwn(issued.digestIds, '__proto__')).toBe(true);
    const ids = issued.digestIds.__proto__ as Record<string, number>;
    expect(Object.hasOwn(ids, '__proto__') && Object.hasOwn(ids, 'constructor')).toBe(true);
    expect(typeof ids.constructor).toBe('number');
    expect(issued.issuerSigned.nameSpaces.get('__proto__')).toHaveLength(2);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });
});
