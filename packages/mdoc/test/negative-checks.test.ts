/**
 * One failing case (at least) for every check id of verifyDeviceResponse, asserting the id and its
 * status — each starting from a response that verifies, changed in exactly one respect.
 */
import { sign } from 'node:crypto';
import { type CborMap, type CborValue, decode, EncodedCbor, encode, hexToBytes } from '@mynakit/cbor';
import { createCertificate, parseCertificate } from '@mynakit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, portrait } from './fixtures.js';

const TRANSCRIPT = hexToBytes(
  '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
);
const NOW = new Date('2025-06-01T00:00:00Z');
const VALIDITY = {
  signed: new Date('2025-05-01T00:00:00Z'),
  validFrom: new Date('2025-05-01T00:00:00Z'),
  validUntil: new Date('2026-01-01T00:00:00Z'),
};
const REQUEST = {
  docType: JP_MNC_DOCTYPE,
  elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'local_gov_code_unicode', 'portrait'] },
};

let chain: IssuerChain;
const device = p256();
let issuerSigned: Uint8Array;
let response: Uint8Array;

const opts = (extra: Partial<VerifyDeviceResponseOptions> = {}): VerifyDeviceResponseOptions => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: NOW,
  cache: false,
  ...extra,
});

async function verify(bytes: Uint8Array, extra: Partial<VerifyDeviceResponseOptions> = {}) {
  const r = await verifyDeviceResponse(bytes, opts(extra));
  // A second verification must agree on every input (memoised checks and caches change nothing).
  const g = await verifyDeviceResponse(bytes, opts(extra));
  expect(JSON.stringify(g.checks)).toBe(JSON.stringify(r.checks));
  return r;
}

const status = (r: { checks: readonly { id: string; status: string }[] }, id: string) =>
  r.checks.find((c) => c.id === id)?.status;

const present = (doc: Uint8Array, extra: Record<string, unknown> = {}) =>
  presentMdoc({
    documents: [doc],
    request: REQUEST,
    sessionTranscriptBytes: TRANSCRIPT,
    deviceKey: device.privateKey,
    mode: 'signature',
    ...extra,
  });

/** The decoded response and its first document, to change one thing and re-encode (embedded items stay raw). */
function edit(bytes: Uint8Array, change: (response: CborMap, doc: CborMap) => void): Uint8Array {
  const r = decode(bytes) as CborMap;
  change(r, (r.get('documents') as CborMap[])[0] as CborMap);
  return encode(r);
}

/** Re-signs an IssuerSigned's MSO after `change`, with the DS key (as an issuer that made a mistake would). */
function resignMso(
  bytes: Uint8Array,
  change: (mso: CborMap) => void,
  key = chain.dsKey,
  alg = -7,
): Uint8Array {
  const is = decode(bytes) as CborMap;
  const auth = is.get('issuerAuth') as CborValue[];
  const mso = (decode(auth[2] as Uint8Array) as EncodedCbor).decode() as CborMap;
  change(mso);
  const payload = EncodedCbor.of(mso).raw;
  const protectedBytes = encode(new Map([[1, alg]]));
  const tbs = encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  const sig = new Uint8Array(sign('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' }));
  is.set('issuerAuth', [protectedBytes, auth[1] as CborValue, payload, sig]);
  return encode(is);
}

beforeAll(async () => {
  chain = makeIssuerChain();
  issuerSigned = (
    await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: jpMncElements(portrait(2048)),
      deviceKey: device.publicKey,
      validityInfo: VALIDITY,
      status: { idx: 7, uri: 'https://issuer.example/status/1' },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    })
  ).bytes;
  response = await present(issuerSigned);
});

describe('the baseline', () => {
  it('verifies', async () => {
    const r = await verify(response);
    expect(r.verdict).toBe('valid');
    expect(r.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}:${c.status}`)).toEqual([
      'status.revocation:skipped',
    ]);
  });
});

describe('decode', () => {
  it.each([
    ['not CBOR at all', Uint8Array.of(0xff)],
    ['empty input', new Uint8Array(0)],
    ['a CBOR integer', Uint8Array.of(0x01)],
  ])('%s', async (_name, bytes) => {
    const r = await verify(bytes);
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'decode')).toBe('failed');
  });

  it('truncated', async () => {
    const r = await verify(response.subarray(0, response.length - 1));
    expect(status(r, 'decode')).toBe('failed');
  });

  it('trailing bytes', async () => {
    const r = await verify(Uint8Array.from([...response, 0x00]));
    expect(status(r, 'decode')).toBe('failed');
  });

  it('a duplicate key', async () => {
    // a3 … → a4 with "status": 0 twice.
    const m = decode(response) as CborMap;
    const body = encode(m).subarray(1);
    const dup = Uint8Array.from([0xa4, ...body, 0x66, ...Buffer.from('status'), 0x00]);
    const r = await verify(dup);
    expect(status(r, 'decode')).toBe('failed');
  });

  it('an unknown key in an envelope map (which no signature covers)', async () => {
    const r = await verify(edit(response, (_r, doc) => doc.set('extra', 1)));
    expect(status(r, 'decode')).toBe('failed');
  });

  it('a DeviceResponse version other than "1.0"', async () => {
    const r = await verify(edit(response, (resp) => resp.set('version', '1.1')));
    expect(status(r, 'decode')).toBe('failed');
  });

  it('an IssuerSignedItem that is not an embedded item (tag 24)', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        const ns = (doc.get('issuerSigned') as CborMap).get('nameSpaces') as CborMap;
        const items = ns.get(JP_MNC_NAMESPACE) as CborValue[];
        items[0] = (items[0] as EncodedCbor).decode();
      }),
    );
    expect(r.verdict).toBe('invalid');
    expect(r.documents[0]?.checks.map((c) => `${c.id}:${c.status}`)).toEqual(['decode:failed']);
  });

  it('a malformed errors map fails the document decode', async () => {
    const r = await verify(edit(response, (_r, doc) => doc.set('errors', new Map([['ns', 5]]))));
    expect(r.documents[0]?.checks.map((c) => `${c.id}:${c.status}`)).toEqual(['decode:failed']);
  });

  it('an unreadable transcript claiming tag 24', async () => {
    const r = await verify(response, { sessionTranscriptBytes: Uint8Array.of(0xd8, 0x18, 0x45, 0x01) });
    expect(status(r, 'decode')).toBe('failed');
  });
});

describe('response.status and response.documents', () => {
  it('a non-zero status fails response.status', async () => {
    const r = await verify(edit(response, (resp) => resp.set('status', 10)));
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'response.status')).toBe('failed');
  });

  it('no documents fails response.documents', async () => {
    const r = await verify(edit(response, (resp) => resp.delete('documents')));
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'response.documents')).toBe('failed');
  });
});

describe('issuer.certificate_path', () => {
  it('an anchor the DS does not chain to', async () => {
    const r = await verify(response, { trustAnchors: [makeIssuerChain().iaca] });
    expect(status(r, 'issuer.certificate_path')).toBe('failed');
    expect(r.checks.find((c) => c.id === 'issuer.certificate_path')?.detail).toMatch(
      /PATH_(NO_ANCHOR|SIGNATURE)/,
    );
    expect(status(r, 'issuer.signature')).toBe('passed'); // the signature itself is fine
  });

  it('the IACA that the message carries is never trusted by itself', async () => {
    const withChain = (
      await issueMdoc({
        docType: JP_MNC_DOCTYPE,
        nameSpaces: jpMncElements(portrait(64)),
        deviceKey: device.publicKey,
        validityInfo: VALIDITY,
        issuerKey: chain.dsKey,
        issuerCertificateChain: [chain.ds.der, chain.iaca.der],
      })
    ).bytes;
    const r = await verify(await present(withChain), { trustAnchors: [makeIssuerChain().iaca] });
    expect(status(r, 'issuer.certificate_path')).toBe('failed');
  });

  it('a carried copy of the anchor that differs from it (one bit) is refused', async () => {
    const altered = chain.iaca.der.slice();
    // The unused-bits octet of its subjectPublicKey BIT STRING: the key still parses the same.
    const at = Buffer.from(altered).indexOf(Buffer.from('03420004', 'hex')) + 2;
    altered[at] = (altered[at] as number) ^ 1;
    const withCopy = (
      await issueMdoc({
        docType: JP_MNC_DOCTYPE,
        nameSpaces: jpMncElements(portrait(64)),
        deviceKey: device.publicKey,
        validityInfo: VALIDITY,
        issuerKey: chain.dsKey,
        issuerCertificateChain: [chain.ds.der, altered],
      })
    ).bytes;
    const r = await verify(await present(withCopy));
    expect(status(r, 'issuer.certificate_path')).toBe('failed');
  });

  it('a DS trusted directly must arrive byte for byte as configured', async () => {
    // Flip the unused-bits octet of the DS signatureValue: name and key are unchanged.
    const edited = edit(response, (_r, doc) => {
      const auth = (doc.get('issuerSigned') as CborMap).get('issuerAuth') as CborValue[];
      const ds = ((auth[1] as CborMap).get(33) as Uint8Array).slice();
      // signatureValue: the BIT STRING (03 len 00 30 …) that ends the certificate.
      let p = ds.length - 3;
      while (
        p > 0 &&
        !(
          ds[p] === 0x03 &&
          ds[p + 2] === 0x00 &&
          ds[p + 3] === 0x30 &&
          p + 2 + (ds[p + 1] as number) === ds.length
        )
      )
        p--;
      expect(p).toBeGreaterThan(0);
      ds[p + 2] = 0x01;
      (auth[1] as CborMap).set(33, ds);
    });
    const r = await verify(edited, { trustAnchors: [chain.ds] });
    expect(status(r, 'issuer.certificate_path')).toBe('failed');
    expect((await verify(response, { trustAnchors: [chain.ds] })).verdict).toBe('valid');
  });

  it('no x5chain', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        const auth = (doc.get('issuerSigned') as CborMap).get('issuerAuth') as CborValue[];
        auth[1] = new Map();
      }),
    );
    expect(status(r, 'issuer.certificate_path')).toBe('failed');
    expect(status(r, 'issuer.signature')).toBe('failed');
  });

  it('a DS certificate not yet valid', async () => {
    const r = await verify(response, { now: new Date('2024-12-01T00:00:00Z') });
    expect(status(r, 'issuer.certificate_path')).toBe('failed');
  });
});

describe('issuer.certificate_profile', () => {
  it('a DS that deviates from Annex B: warning (lenient), failed (strict)', async () => {
    const pair = p256();
    const der = createCertificate({
      subject: 'C=JP, CN=deviating DS',
      issuer: { certificate: chain.iaca, privateKey: chain.iacaKey },
      publicKey: pair.publicKey,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2027-12-31T00:00:00Z'), // longer than 457 days, no keyUsage / EKU / CRL DP
    });
    const is = (
      await issueMdoc({
        docType: JP_MNC_DOCTYPE,
        nameSpaces: jpMncElements(portrait(64)),
        deviceKey: device.publicKey,
        validityInfo: VALIDITY,
        issuerKey: pair.privateKey,
        issuerCertificateChain: [der],
      })
    ).bytes;
    const bytes = await present(is);
    const lenient = await verify(bytes);
    expect(status(lenient, 'issuer.certificate_profile')).toBe('warning');
    expect(lenient.verdict).toBe('valid');
    const strict = await verify(bytes, { policy: 'strict' });
    expect(status(strict, 'issuer.certificate_profile')).toBe('failed');
    expect(strict.verdict).toBe('invalid');
    void parseCertificate;
  });
});

describe('issuer.signature', () => {
  it('a flipped signature byte', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        const auth = (doc.get('issuerSigned') as CborMap).get('issuerAuth') as CborValue[];
        const sig = (auth[3] as Uint8Array).slice();
        sig[10] = (sig[10] as number) ^ 1;
        auth[3] = sig;
      }),
    );
    expect(status(r, 'issuer.signature')).toBe('failed');
  });

  it('an MSO signed by another key than the DS certificate', async () => {
    const r = await verify(await present(resignMso(issuerSigned, () => {}, p256().privateKey)));
    expect(status(r, 'issuer.signature')).toBe('failed');
  });

  it('an algorithm in the protected header that does not fit the key (ES384 with a P-256 key)', async () => {
    const r = await verify(await present(resignMso(issuerSigned, () => {}, chain.dsKey, -35)));
    expect(status(r, 'issuer.signature')).toBe('failed');
  });

  it('an unsupported algorithm', async () => {
    const r = await verify(await present(resignMso(issuerSigned, () => {}, chain.dsKey, -65535)));
    expect(status(r, 'issuer.signature')).toBe('failed');
  });
});

describe('mso.*', () => {
  it('mso.doctype: the MSO says another docType', async () => {
    // The wallet files the document under the MSO's docType; the document then claims another one.
    const mdl = resignMso(issuerSigned, (m) => m.set('docType', 'org.iso.18013.5.1.mDL'));
    const bytes = await present(mdl, { request: { ...REQUEST, docType: 'org.iso.18013.5.1.mDL' } });
    expect(status(await verify(bytes), 'mso.doctype')).toBe('passed');
    const r = await verify(edit(bytes, (_r, doc) => doc.set('docType', JP_MNC_DOCTYPE)));
    expect(status(r, 'mso.doctype')).toBe('failed');
    expect(r.verdict).toBe('invalid');
  });

  it('mso.digest_algorithm: SHA-1 is not an MSO digest algorithm', async () => {
    const is = resignMso(issuerSigned, (m) => m.set('digestAlgorithm', 'SHA-1'));
    const r = await verify(await present(is));
    expect(status(r, 'mso.digest_algorithm')).toBe('failed');
    expect(status(r, 'item.digest')).toBe('failed');
    expect(r.documents[0]?.elements).toEqual({});
  });

  it('mso.validity: before validFrom and after validUntil', async () => {
    const early = await verify(response, { now: new Date('2025-04-30T23:59:59Z'), clockSkewSeconds: 0 });
    expect(status(early, 'mso.validity')).toBe('failed');
    const late = await verify(response, { now: new Date('2026-01-01T00:00:01Z') });
    expect(status(late, 'mso.validity')).toBe('failed');
  });

  it('mso.signed_in_certificate_validity: signed before the DS certificate existed', async () => {
    const is = (
      await issueMdoc({
        docType: JP_MNC_DOCTYPE,
        nameSpaces: jpMncElements(portrait(64)),
        deviceKey: device.publicKey,
        validityInfo: { ...VALIDITY, signed: new Date('2024-06-01T00:00:00Z') },
        issuerKey: chain.dsKey,
        issuerCertificateChain: [chain.ds.der],
      })
    ).bytes;
    const r = await verify(await present(is));
    expect(status(r, 'mso.signed_in_certificate_validity')).toBe('failed');
    expect(status(r, 'mso.validity')).toBe('passed');
  });
});

describe('item.digest', () => {
  it('an element value changed after issuance (digestID kept)', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        const items = ((doc.get('issuerSigned') as CborMap).get('nameSpaces') as CborMap).get(
          JP_MNC_NAMESPACE,
        ) as CborValue[];
        const i = items.findIndex(
          (x) =>
            ((x as EncodedCbor).decode() as CborMap).get('elementIdentifier') === 'local_gov_code_unicode',
        );
        const item = (items[i] as EncodedCbor).decode() as CborMap;
        item.set('elementValue', '99999');
        items[i] = EncodedCbor.of(item);
      }),
    );
    expect(status(r, 'item.digest')).toBe('failed');
    const detail = r.checks.find((c) => c.id === 'item.digest')?.detail ?? '';
    expect(detail).toContain(`${JP_MNC_NAMESPACE}/local_gov_code_unicode`);
    expect(detail).not.toContain('99999');
    expect(detail).not.toContain('13101');
    // The other disclosed elements are still reported; the changed one is not.
    expect(Object.keys(r.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {}).sort()).toEqual([
      'full_name_unicode',
      'portrait',
    ]);
  });

  it('an item whose digestID is not in the MSO', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        const items = ((doc.get('issuerSigned') as CborMap).get('nameSpaces') as CborMap).get(
          JP_MNC_NAMESPACE,
        ) as CborValue[];
        const item = (items[0] as EncodedCbor).decode() as CborMap;
        item.set('digestID', 2 ** 31 + 5);
        items[0] = EncodedCbor.of(item);
      }),
    );
    expect(status(r, 'item.digest')).toBe('failed');
    expect(r.checks.find((c) => c.id === 'item.digest')?.detail).toContain('digestID not in the MSO');
  });

  it('an item moved to a namespace the MSO has no digests for', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        const ns = (doc.get('issuerSigned') as CborMap).get('nameSpaces') as CborMap;
        ns.set('org.example.other', ns.get(JP_MNC_NAMESPACE) as CborValue);
        ns.delete(JP_MNC_NAMESPACE);
      }),
    );
    expect(status(r, 'item.digest')).toBe('failed');
    expect(r.documents[0]?.elements).toEqual({});
  });
});

describe('device.signature', () => {
  it('signed by another device key', async () => {
    const r = await verify(
      await presentMdoc({
        documents: [issuerSigned],
        request: REQUEST,
        sessionTranscriptBytes: TRANSCRIPT,
        deviceKey: p256().privateKey,
        mode: 'signature',
      }),
    );
    expect(status(r, 'device.signature')).toBe('failed');
  });

  it('an attached payload that is not the DeviceAuthenticationBytes', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        const sig = ((doc.get('deviceSigned') as CborMap).get('deviceAuth') as CborMap).get(
          'deviceSignature',
        ) as CborValue[];
        sig[2] = Uint8Array.of(1, 2, 3);
      }),
    );
    expect(status(r, 'device.signature')).toBe('failed');
    expect(r.checks.find((c) => c.id === 'device.signature')?.detail).toContain('attached');
  });

  it('device-signed elements added after signing', async () => {
    const r = await verify(
      edit(response, (_r, doc) => {
        (doc.get('deviceSigned') as CborMap).set(
          'nameSpaces',
          EncodedCbor.of(new Map([['org.example', new Map([['x', 1]])]])),
        );
      }),
    );
    expect(status(r, 'device.signature')).toBe('failed');
  });

  it('an MSO device key that is not a usable COSE_Key', async () => {
    const is = resignMso(issuerSigned, (m) =>
      ((m.get('deviceKeyInfo') as CborMap).get('deviceKey') as CborMap).set(-1, 99),
    );
    const r = await verify(await present(is));
    expect(status(r, 'device.signature')).toBe('failed');
  });
});

describe('device.mac', () => {
  it('another reader key fails; no reader key is undetermined', async () => {
    const reader = p256();
    const bytes = await present(issuerSigned, { mode: 'mac', readerEphemeralPublicKey: reader.publicKey });
    expect((await verify(bytes, { readerPrivateKey: reader.privateKey })).verdict).toBe('valid');
    const wrong = await verify(bytes, { readerPrivateKey: p256().privateKey });
    expect(status(wrong, 'device.mac')).toBe('failed');
    const none = await verify(bytes);
    expect(status(none, 'device.mac')).toBe('undetermined');
    expect(none.verdict).toBe('undetermined');
  });
});

describe('status.revocation', () => {
  it('failed from the checker makes the document invalid; skipped never changes the verdict', async () => {
    const revoked = await verify(response, {
      statusChecker: async () => ({ status: 'failed', detail: 'revoked' }),
    });
    expect(status(revoked, 'status.revocation')).toBe('failed');
    expect(revoked.verdict).toBe('invalid');
    const skipped = await verify(response);
    expect(status(skipped, 'status.revocation')).toBe('skipped');
    expect(skipped.verdict).toBe('valid');
  });

  it('a status reference under a broken MSO signature is not consulted', async () => {
    let called = false;
    const r = await verify(await present(resignMso(issuerSigned, () => {}, p256().privateKey)), {
      statusChecker: async () => {
        called = true;
        return { status: 'passed', detail: 'ok' };
      },
    });
    expect(called).toBe(false);
    expect(status(r, 'status.revocation')).toBe('skipped');
  });
});
