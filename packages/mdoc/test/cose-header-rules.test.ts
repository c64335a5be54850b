/**
 * The COSE general rules (RFC 9052 §3, §3.1; RFC 9360 §2) on every COSE message of an mdoc exchange —
 * issuerAuth, deviceSignature, deviceMac, readerAuth — and the issuerAuth payload form of ISO/IEC
 * 18013-5 §9.1.2.4. Messages are crafted from a response our issuer and wallet produced, re-signed with
 * the fixture keys, so that only the rule under test is broken.
 */
import { createHash, createHmac, diffieHellman, hkdfSync, sign } from 'node:crypto';
import {
  type CborMap,
  type CborValue,
  decode,
  type EncodedCbor,
  encode,
  hexToBytes,
  Tagged,
} from '@mynakit/cbor';
import { sigStructure1 } from '@mynakit/cose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeviceRequest,
  buildJpMncRequest,
  decodeDeviceRequestBytes,
  deviceAuthenticationBytes,
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  readerAuthenticationBytes,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
  verifyIssuerSigned,
  verifyReaderAuth,
  wrapInTag24,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, portrait, TRANSCRIPT } from './fixtures.js';
import { annexD, annexDPem } from './vectors.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const VALIDITY = {
  signed: new Date('2025-05-01T00:00:00Z'),
  validFrom: new Date('2025-05-01T00:00:00Z'),
  validUntil: new Date('2026-01-01T00:00:00Z'),
};
const REQUEST = {
  docType: JP_MNC_DOCTYPE,
  elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'local_gov_code_unicode'] },
};
const hdr = (...entries: [CborValue, CborValue][]): CborMap => new Map(entries);
const es256 = (key: Parameters<typeof sign>[2], data: Uint8Array) =>
  new Uint8Array(sign('sha256', data, { key: key as never, dsaEncoding: 'ieee-p1363' }));

let chain: IssuerChain;
let other: IssuerChain;
const device = p256();
let issuerSigned: Uint8Array;

const opts = (extra: Partial<VerifyDeviceResponseOptions> = {}): VerifyDeviceResponseOptions => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: NOW,
  cache: false,
  ...extra,
});

/** Verified twice, which must agree (memoised checks and caches change nothing). */
async function verify(bytes: Uint8Array, extra: Partial<VerifyDeviceResponseOptions> = {}) {
  const r = await verifyDeviceResponse(bytes, opts(extra));
  const g = await verifyDeviceResponse(bytes, opts(extra));
  expect(JSON.stringify(g.checks)).toBe(JSON.stringify(r.checks));
  return r;
}
const check = (r: { checks: readonly { id: string; status: string; detail: string }[] }, id: string) =>
  r.checks.find((c) => c.id === id);

const present = (doc: Uint8Array, mode: 'signature' | 'mac' = 'signature', readerPub?: unknown) =>
  presentMdoc({
    documents: [doc],
    request: REQUEST,
    sessionTranscriptBytes: TRANSCRIPT,
    deviceKey: device.privateKey,
    mode,
    ...(readerPub ? { readerEphemeralPublicKey: readerPub as never } : {}),
  });

/** issuerAuth re-signed by the DS key with the given headers (and payload, default: as issued). */
function reissue(
  protectedHeaders: CborMap,
  unprotected: (original: CborMap) => CborMap,
  payload?: (original: Uint8Array) => Uint8Array,
): Uint8Array {
  const is = decode(issuerSigned) as CborMap;
  const auth = is.get('issuerAuth') as CborValue[];
  const p = encode(protectedHeaders);
  const body = payload ? payload(auth[2] as Uint8Array) : (auth[2] as Uint8Array);
  const sig = es256(chain.dsKey, sigStructure1(p, new Uint8Array(0), body));
  is.set('issuerAuth', [p, unprotected(auth[1] as CborMap), body, sig]);
  return encode(is);
}

beforeAll(async () => {
  chain = makeIssuerChain();
  other = makeIssuerChain();
  issuerSigned = (
    await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: jpMncElements(portrait(256)),
      deviceKey: device.publicKey,
      validityInfo: VALIDITY,
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    })
  ).bytes;
});

describe('issuerAuth', () => {
  it('the re-signing itself changes nothing (baseline)', async () => {
    const r = await verify(await present(reissue(hdr([1, -7]), (u) => u)));
    expect(r.verdict).toBe('valid');
  });

  it('RFC 9052 §3.1: crit naming a label the verifier does not process fails issuer.signature', async () => {
    const r = await verify(await present(reissue(hdr([1, -7], [2, [-70000]], [-70000, 1]), (u) => u)));
    expect(check(r, 'issuer.signature')?.status).toBe('failed');
    expect(check(r, 'issuer.signature')?.detail).toMatch(/crit/);
    expect(r.verdict).toBe('invalid');
  });

  it('RFC 9052 §3.1: crit "MUST be placed in the protected header bucket" — in the unprotected one it fails', async () => {
    const r = await verify(await present(reissue(hdr([1, -7]), (u) => new Map([...u, [2, [1]]]))));
    expect(check(r, 'issuer.signature')?.status).toBe('failed');
  });

  it('RFC 9052 §3.1: "The array MUST have at least one value in it"', async () => {
    const r = await verify(await present(reissue(hdr([1, -7], [2, []]), (u) => u)));
    expect(check(r, 'issuer.signature')?.status).toBe('failed');
  });

  it('crit naming labels the verifier processes (alg, x5chain) is fine', async () => {
    const r = await verify(
      await present(reissue(hdr([1, -7], [2, [33]], [33, chain.ds.der]), () => new Map())),
    );
    expect(r.verdict).toBe('valid');
  });

  it('RFC 9052 §3: x5chain only in the protected header is taken from there', async () => {
    const r = await verify(await present(reissue(hdr([1, -7], [33, chain.ds.der]), () => new Map())));
    expect(check(r, 'issuer.certificate_path')?.status).toBe('passed');
    expect(r.verdict).toBe('valid');
  });

  it('x5chain in both headers, byte-equal: accepted', async () => {
    const r = await verify(await present(reissue(hdr([1, -7], [33, chain.ds.der]), (u) => u)));
    expect(r.verdict).toBe('valid');
  });

  it('x5chain in both headers, different: the message is rejected (unprotected one swapped)', async () => {
    const r = await verify(
      await present(reissue(hdr([1, -7], [33, chain.ds.der]), () => new Map([[33, other.ds.der]]))),
    );
    expect(check(r, 'issuer.certificate_path')?.status).toBe('failed');
    expect(check(r, 'issuer.certificate_path')?.detail).toMatch(/x5chain/);
    expect(check(r, 'issuer.signature')?.status).toBe('failed');
    expect(r.verdict).toBe('invalid');
  });

  it('ISO/IEC 18013-5 §9.1.2.4: a payload that is a bare MSO map (not MobileSecurityObjectBytes, tag 24) fails', async () => {
    const bare = reissue(
      hdr([1, -7]),
      (u) => u,
      (p) => (decode(p) as EncodedCbor).bytes.slice(),
    );
    // The payload really is the MSO map itself now.
    const payload = ((decode(bare) as CborMap).get('issuerAuth') as CborValue[])[2] as Uint8Array;
    expect(decode(payload)).toBeInstanceOf(Map);
    const r = await verify(await present(bare));
    expect(r.verdict).toBe('invalid');
    const c = r.checks.find((x) => x.status === 'failed');
    expect(c?.id).toBe('decode');
    expect(c?.detail).toMatch(/MobileSecurityObjectBytes/);
    const alone = await verifyIssuerSigned(bare, { trustAnchors: [chain.iaca], now: NOW, cache: false });
    expect(alone.checks[0]).toMatchObject({ id: 'decode', status: 'failed' });
    expect(alone.checks[0]?.detail).toMatch(/MobileSecurityObjectBytes/);
  });

  it('a payload that is tag 24 around something other than a bstr is refused too', async () => {
    const odd = reissue(
      hdr([1, -7]),
      (u) => u,
      () => encode(new Tagged(24, 1)),
    );
    expect(
      (await verifyIssuerSigned(odd, { trustAnchors: [chain.iaca], now: NOW, cache: false })).verdict,
    ).toBe('invalid');
  });
});

/** The response with its deviceAuth replaced by `auth` (built over the real DeviceAuthenticationBytes). */
async function withDeviceAuth(
  mode: 'signature' | 'mac',
  make: (deviceAuthBytes: Uint8Array) => [string, CborValue],
  readerPub?: unknown,
): Promise<Uint8Array> {
  const bytes = await present(issuerSigned, mode, readerPub);
  const r = decode(bytes) as CborMap;
  const doc = (r.get('documents') as CborMap[])[0] as CborMap;
  const ds = doc.get('deviceSigned') as CborMap;
  const dab = deviceAuthenticationBytes(
    wrapInTag24(TRANSCRIPT),
    JP_MNC_DOCTYPE,
    (ds.get('nameSpaces') as EncodedCbor).raw,
  );
  const [k, v] = make(dab);
  ds.set('deviceAuth', new Map([[k, v]]));
  return encode(r);
}

describe('deviceSignature and deviceMac', () => {
  it('deviceSignature with crit naming an unprocessed label fails device.signature', async () => {
    const sig = (p: CborMap, u: CborMap = new Map()) =>
      withDeviceAuth('signature', (dab) => {
        const pb = encode(p);
        return [
          'deviceSignature',
          [pb, u, null, es256(device.privateKey, sigStructure1(pb, new Uint8Array(0), dab))],
        ];
      });
    expect((await verify(await sig(hdr([1, -7])))).verdict).toBe('valid'); // the crafting is sound
    const bad = await verify(await sig(hdr([1, -7], [2, [-70000]], [-70000, 0])));
    expect(check(bad, 'device.signature')?.status).toBe('failed');
    expect(check(bad, 'device.signature')?.detail).toMatch(/crit/);
    const unprotected = await verify(await sig(hdr([1, -7]), hdr([2, [1]])));
    expect(check(unprotected, 'device.signature')?.status).toBe('failed');
  });

  it('deviceMac with crit naming an unprocessed label fails device.mac', async () => {
    const reader = p256();
    const mac = (p: CborMap) =>
      withDeviceAuth(
        'mac',
        (dab) => {
          const pb = encode(p);
          const ikm = diffieHellman({ privateKey: device.privateKey, publicKey: reader.publicKey });
          const salt = createHash('sha256').update(wrapInTag24(TRANSCRIPT)).digest();
          const eMacKey = Buffer.from(hkdfSync('sha256', ikm, salt, 'EMacKey', 32));
          const tbm = encode(['MAC0', pb, new Uint8Array(0), dab]);
          return [
            'deviceMac',
            [pb, new Map(), null, new Uint8Array(createHmac('sha256', eMacKey).update(tbm).digest())],
          ];
        },
        reader.publicKey,
      );
    const good = await verify(await mac(hdr([1, 5])), { readerPrivateKey: reader.privateKey });
    expect(good.verdict).toBe('valid');
    const bad = await verify(await mac(hdr([1, 5], [2, [-70000]], [-70000, 0])), {
      readerPrivateKey: reader.privateKey,
    });
    expect(check(bad, 'device.mac')?.status).toBe('failed');
    expect(check(bad, 'device.mac')?.detail).toMatch(/crit/);
  });
});

describe('readerAuth', () => {
  it('Annex D readerAuth with crit added to its unprotected bucket fails reader.signature (the signature itself still holds)', () => {
    const request = annexD('device_request.hex');
    const options = {
      sessionTranscriptBytes: annexD('session_transcript_bytes.hex'),
      trustAnchors: [annexDPem('reader_root_cert.pem')],
      now: new Date('2021-01-01T00:00:00Z'),
    };
    expect(verifyReaderAuth(request, options).verdict).toBe('valid');
    const r = decode(request) as CborMap;
    const docRequest = (r.get('docRequests') as CborMap[])[0] as CborMap;
    const ra = docRequest.get('readerAuth') as CborValue[];
    ra[1] = new Map([...(ra[1] as CborMap), [2, [1]]]);
    const res = verifyReaderAuth(encode(r), options);
    expect(res.checks.find((c) => c.id === 'reader.signature')).toMatchObject({ status: 'failed' });
    expect(res.checks.find((c) => c.id === 'reader.signature')?.detail).toMatch(/crit/);
    expect(res.verdict).toBe('invalid');
  });

  it('readerAuth with crit naming an unprocessed label in the protected header fails', () => {
    const bytes = buildDeviceRequest({
      docRequests: [buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } })],
    });
    const docRequest = decodeDeviceRequestBytes(bytes).docRequests[0]!;
    const signed = (protectedHeaders: CborMap) => {
      const p = encode(protectedHeaders);
      const tbs = sigStructure1(
        p,
        new Uint8Array(0),
        readerAuthenticationBytes(wrapInTag24(TRANSCRIPT), docRequest.itemsRequestBytes),
      );
      const r = decode(bytes) as CborMap;
      ((r.get('docRequests') as CborMap[])[0] as CborMap).set('readerAuth', [
        p,
        new Map([[33, chain.iaca.der]]),
        null,
        es256(chain.iacaKey, tbs),
      ]);
      const res = verifyReaderAuth(encode(r), {
        sessionTranscriptBytes: TRANSCRIPT,
        trustAnchors: [chain.iaca],
        now: NOW,
      });
      return res.checks.find((c) => c.id === 'reader.signature');
    };
    expect(signed(hdr([1, -7]))?.status).toBe('passed'); // the crafting is sound
    expect(signed(hdr([1, -7], [2, [-70000]], [-70000, 0]))?.status).toBe('failed');
  });
});
