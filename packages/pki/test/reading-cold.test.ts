/**
 * What a relying party does for every new signer: read a certificate, a CMS and an OCSP response cold.
 * The in-place readers (DerHeader) are checked against the element reader and against independent
 * decoders (node:crypto, BigInt, Date), the fast key import against node's SPKI import, and the cache
 * tiers for what they keep and forget.
 */
import { generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectHeader,
  integerHexAt,
  newHeader,
  oidAt,
  readElementAt,
  readHeader,
  readOid,
  readSmallInt,
  smallIntAt,
  stringAt,
  timeAt,
} from '../src/der-reader.js';
import { integer, oid, sequence, tlv, utf8String, x509Time } from '../src/der-writer.js';
import {
  clearCertificateCache,
  createCertificate,
  createOcspResponse,
  formatName,
  isoTime,
  nameToString,
  PkiError,
  parseCertificate,
  parseCms,
  parseName,
  parseOcspResponse,
  publicKeyFromSpki,
  signCms,
  subjectAttributesOf,
} from '../src/index.js';
import { LruCache } from '../src/lru.js';
import { issue, keysFor, leafExtensions, root } from './helpers/chain.js';

const ca = root('C=JP, O=JPKI, OU=JPKI for digital signature', { keys: keysFor('cold-ca', 'RSA-2048') });

/** A holder certificate's DER, never read by parseCertificate before the test does. */
function holderDer(n: number): Uint8Array {
  return createCertificate({
    subject: `C=JP, CN=HOLDER${String(n).padStart(17, '0')}`,
    issuer: { certificate: ca.cert, privateKey: ca.privateKey },
    publicKey: keysFor('cold-holder', 'RSA-2048').publicKey,
    serialNumber: (0x1000 + n).toString(16),
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    extensions: leafExtensions,
  });
}

function holder(n: number, extensions = leafExtensions) {
  return issue({
    subject: `C=JP, CN=HOLDER${String(n).padStart(17, '0')}`,
    issuer: ca,
    keys: keysFor('cold-holder', 'RSA-2048'),
    serialNumber: (0x1000 + n).toString(16),
    extensions,
  });
}

describe('readHeader (in place) agrees with readElementAt', () => {
  const der = ca.der;
  it('on every TLV of a certificate, and with BER indefinite lengths', () => {
    const h = newHeader();
    const walk = (buf: Uint8Array, start: number, end: number): number => {
      let n = 0;
      for (let p = start; p < end; ) {
        const el = readElementAt(buf, p, end);
        readHeader(buf, p, end, h);
        expect([h.tag, h.end - h.start, h.contentEnd - h.contentStart]).toEqual([
          el.tag,
          el.bytes.length,
          el.value.length,
        ]);
        const { contentStart, contentEnd, end: next } = h;
        n++;
        if (el.constructed) n += walk(buf, contentStart, contentEnd);
        p = next;
      }
      return n;
    };
    expect(walk(der, 0, der.length)).toBeGreaterThan(40);
    // SEQUENCE (indefinite) { INTEGER 5, SEQUENCE (indefinite) { NULL } }: BER, read only when asked for
    const ber = Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00);
    expect(() => readHeader(ber, 0, ber.length, h)).toThrow(/indefinite length/);
    readHeader(ber, 0, ber.length, h, true);
    expect([h.contentStart, h.contentEnd, h.end]).toEqual([2, 11, 13]);
  });

  it('rejects what the element reader rejects, with DER_MALFORMED', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 12 }), (bytes) => {
        let a: string | undefined;
        let b: string | undefined;
        try {
          readElementAt(bytes, 0, bytes.length);
        } catch (e) {
          a = (e as PkiError).code;
        }
        try {
          readHeader(bytes, 0, bytes.length, newHeader());
        } catch (e) {
          b = (e as PkiError).code;
        }
        expect(b).toBe(a);
      }),
      { numRuns: 2000 },
    );
    expect(() => expectHeader(Uint8Array.of(0x02, 0x01, 0x00), 0, 3, 0x30, 'x', newHeader())).toThrow(
      /expected tag 0x30/,
    );
  });
});

describe('primitive decoders in place', () => {
  it('INTEGER: smallIntAt and integerHexAt against BigInt', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (v) => {
        const der = integer(v);
        const h = readHeader(der, 0, der.length, newHeader());
        const magnitude = (v < 0n ? -v : v).toString(16);
        expect(integerHexAt(der, h.contentStart, h.contentEnd)).toBe(
          `${v < 0n ? '-' : ''}${magnitude.length % 2 ? `0${magnitude}` : magnitude}`,
        );
        if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(smallIntAt(der, h.contentStart, h.contentEnd)).toBe(Number(v));
          expect(smallIntAt(der, h.contentStart, h.contentEnd)).toBe(readSmallInt(readElementAt(der, 0)));
        } else {
          expect(() => smallIntAt(der, h.contentStart, h.contentEnd)).toThrow(PkiError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('OBJECT IDENTIFIER: the cached text equals a fresh decoding, for repeated and new OIDs', () => {
    const arcs = fc.array(fc.oneof(fc.nat(200), fc.bigInt({ min: 0n, max: 2n ** 70n })), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.nat(2), fc.nat(39), arcs, (a, b, rest) => {
        const text = [a, b, ...rest].join('.');
        const der = oid(text);
        const h = readHeader(der, 0, der.length, newHeader());
        expect(oidAt(der, h.contentStart, h.contentEnd)).toBe(text);
        expect(oidAt(der, h.contentStart, h.contentEnd)).toBe(text); // second time: from the cache
        expect(readOid(readElementAt(der, 0))).toBe(text);
      }),
      { numRuns: 500 },
    );
    expect(() => oidAt(Uint8Array.of(0x2a, 0x86), 0, 2)).toThrow(/truncated/);
  });

  it('Time: UTCTime and GeneralizedTime against Date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const der = x509Time(whole);
          const h = readHeader(der, 0, der.length, newHeader());
          expect(timeAt(der, h.tag, h.contentStart, h.contentEnd).getTime()).toBe(whole.getTime());
        },
      ),
      { numRuns: 500 },
    );
    const feb30 = new TextEncoder().encode('260230000000Z');
    expect(() => timeAt(feb30, 0x17, 0, feb30.length)).toThrow(/day out of range/);
    const leap = new TextEncoder().encode('20240229000000Z');
    expect(timeAt(leap, 0x18, 0, leap.length).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('strings: ASCII and Japanese UTF8String, PrintableString', () => {
    for (const s of ['JP', 'ABCDEFGHIJ0123456789XYZ', '番号\u3000花子', 'x'.repeat(40)]) {
      const der = utf8String(s);
      const h = readHeader(der, 0, der.length, newHeader());
      expect(stringAt(der, h.tag, h.contentStart, h.contentEnd)).toBe(s);
    }
    const printable = tlv(0x13, new TextEncoder().encode('Tokyo'));
    expect(stringAt(printable, 0x13, 2, printable.length)).toBe('Tokyo');
    const badUtf8 = Uint8Array.of(0x0c, 0x02, 0xc3, 0x28);
    expect(() => stringAt(badUtf8, 0x0c, 2, 4)).toThrow(/invalid UTF8String/);
  });
});

describe('isoTime', () => {
  it('is Date.prototype.toISOString', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (d) => {
        expect(isoTime(d)).toBe(d.toISOString());
      }),
      { numRuns: 2000 },
    );
    for (const t of [0, -62167219200000, 253402300799999, -62167219200001, 8.64e15])
      expect(isoTime(new Date(t))).toBe(new Date(t).toISOString());
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('public keys: the fast import is node’s SPKI import', () => {
  it('RSA (PKCS #1), P-256 and Ed25519 (JWK); P-384 and RSA-PSS through the SPKI', () => {
    const pairs = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }),
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
      generateKeyPairSync('ec', { namedCurve: 'secp384r1' }),
      generateKeyPairSync('ed25519'),
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 }),
    ];
    const data = new TextEncoder().encode('to be signed');
    for (const { publicKey, privateKey } of pairs) {
      const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
      const imported = publicKeyFromSpki(spki);
      expect(imported).toBeInstanceOf(KeyObject);
      expect(imported.equals(publicKey)).toBe(true);
      const alg = publicKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
      expect(verify(alg, data, imported, sign(alg, data, privateKey))).toBe(true);
    }
  });

  it('a certificate’s key: the view imports it once and it verifies what the holder signed', () => {
    const h = holder(1);
    expect(h.cert.publicKey.equals(h.keys.publicKey)).toBe(true);
    expect(h.cert.publicKey).toBe(h.cert.publicKey);
  });
});

describe('certificate cache: only what recurs is kept', () => {
  it('a certificate read once is forgotten; read again it is kept', () => {
    clearCertificateCache();
    const a = holderDer(2);
    const b = holderDer(3);
    const others = Array.from({ length: 80 }, (_, i) => holderDer(100 + i));
    const first = parseCertificate(new Uint8Array(a));
    expect(parseCertificate(new Uint8Array(a))).toBe(first); // parsed again in the same verification
    const once = parseCertificate(new Uint8Array(b));
    for (const o of others.slice(0, 40)) parseCertificate(o); // one-off certificates
    const again = parseCertificate(new Uint8Array(b));
    expect(again).not.toBe(once); // its view was not kept…
    expect(again.fingerprint256).toBe(once.fingerprint256);
    expect(parseCertificate(new Uint8Array(b))).toBe(again); // …but met twice, it now is
    for (const o of others.slice(40)) parseCertificate(o);
    expect(parseCertificate(new Uint8Array(b))).toBe(again);
    expect(parseCertificate(new Uint8Array(a))).toBe(first);
  });

  it('a cached view is found by its exact bytes only; clearCertificateCache forgets it', () => {
    clearCertificateCache();
    const a = holder(4);
    const view = parseCertificate(a.der);
    expect(parseCertificate(a.der)).toBe(view);
    // same length and last bytes, one byte different inside: not the cached view
    const forged = new Uint8Array(a.der);
    forged[40] = forged[40]! ^ 1;
    const other = (() => {
      try {
        return parseCertificate(forged);
      } catch {
        return undefined;
      }
    })();
    expect(other).not.toBe(view);
    clearCertificateCache();
    const fresh = parseCertificate(a.der);
    expect(fresh).not.toBe(view);
    expect(fresh.fingerprint256).toBe(view.fingerprint256);
  });

  it('names: the subject is read once for its string and its attributes', () => {
    const h = holder(5);
    const attrs = subjectAttributesOf(h.cert);
    expect(attrs).toBe(subjectAttributesOf(h.cert));
    expect(formatName(attrs)).toBe(h.cert.subject);
    expect(h.cert.subject).toBe(nameToString(h.cert.subjectDer));
    expect(attrs).toEqual(parseName(h.cert.subjectDer));
    expect(h.cert.issuer).toBe(ca.cert.subject);
  });

  it('CRL distribution points and AIA are decoded on first use; a malformed one is CERTIFICATE_MALFORMED then', () => {
    const h = holder(6, [
      ...leafExtensions,
      {
        type: 'crlDistributionPoints',
        points: [{ fullName: [{ type: 'uniformResourceIdentifier', value: 'http://crl.example/1' }] }],
      },
      { type: 'authorityInfoAccess', ocsp: ['http://ocsp.example'] },
    ]);
    expect(h.cert.crlDistributionPoints[0]?.distributionPoint).toEqual({
      fullName: [{ type: 'uniformResourceIdentifier', value: 'http://crl.example/1' }],
    });
    expect(h.cert.authorityInfoAccess).toEqual([
      {
        method: '1.3.6.1.5.5.7.48.1',
        location: { type: 'uniformResourceIdentifier', value: 'http://ocsp.example' },
      },
    ]);
    // a CRLDistributionPoints value that is one element but not a DistributionPoint list
    const bad = issue({
      subject: 'C=JP, CN=BADCDP',
      issuer: ca,
      keys: keysFor('cold-holder', 'RSA-2048'),
      extensions: [
        { type: 'raw', oid: '2.5.29.31', critical: false, valueDer: sequence(Uint8Array.of(0x05, 0x00)) },
      ],
    });
    expect(() => bad.cert.crlDistributionPoints).toThrow(PkiError);
    try {
      void bad.cert.crlDistributionPoints;
    } catch (e) {
      expect((e as PkiError).code).toBe('CERTIFICATE_MALFORMED');
    }
  });
});

describe('CMS and OCSP read in place: mutated inputs parse or fail with their code, never crash', () => {
  const h = holder(7);
  const cms = signCms({
    content: new TextEncoder().encode('申込書'),
    detached: false,
    signer: { certificate: h.cert, privateKey: h.privateKey },
    signingTime: new Date('2026-01-01T00:00:00Z'),
  });
  const ocsp = createOcspResponse({
    responder: { certificate: ca.cert, privateKey: ca.privateKey },
    responses: [
      {
        certificate: h.cert,
        issuerCertificate: ca.cert,
        status: 'revoked',
        revocationTime: new Date('2026-01-01T00:00:00Z'),
        reason: 'keyCompromise',
        thisUpdate: new Date('2026-01-02T00:00:00Z'),
        nextUpdate: new Date('2026-01-03T00:00:00Z'),
      },
    ],
    producedAt: new Date('2026-01-02T00:00:00Z'),
    nonce: Uint8Array.of(1, 2, 3, 4),
  });

  it('reads what was written', () => {
    const c = parseCms(cms);
    expect(c.signers[0]?.sid).toEqual({ issuerDer: ca.cert.subjectDer, serialNumber: h.cert.serialNumber });
    expect(c.signers[0]?.signingTime?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(new TextDecoder().decode(c.content)).toBe('申込書');
    const o = parseOcspResponse(ocsp).basic!;
    expect(o.responses[0]).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
    expect(o.responses[0]?.certId.serialNumber).toBe(h.cert.serialNumber);
    expect(o.nonce).toEqual(Uint8Array.of(1, 2, 3, 4));
  });

  it('fuzz', () => {
    for (const [input, parse, code] of [
      [cms, parseCms, 'CMS_MALFORMED'],
      [ocsp, parseOcspResponse, 'OCSP_MALFORMED'],
    ] as const) {
      fc.assert(
        fc.property(fc.nat(input.length - 1), fc.integer({ min: 0, max: 255 }), (i, v) => {
          const m = new Uint8Array(input);
          m[i] = v;
          try {
            (parse as (d: Uint8Array) => unknown)(m);
          } catch (e) {
            expect(e).toBeInstanceOf(PkiError);
            expect((e as PkiError).code).toBe(code);
          }
        }),
        { numRuns: 400 },
      );
    }
  });
});

describe('LruCache (CLOCK)', () => {
  it('stays bounded, keeps what is used, forgets what is not', () => {
    const c = new LruCache<string, number>(4);
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, k.charCodeAt(0));
    expect(c.get('a')).toBe(97); // referenced
    c.set('e', 101); // evicts the first unreferenced: b
    expect(c.size).toBe(4);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(97);
    c.delete('a');
    expect(c.get('a')).toBeUndefined();
    c.set('f', 102); // reuses the freed slot
    expect(c.size).toBe(4);
    for (let i = 0; i < 100; i++) c.set(`k${i}`, i);
    expect(c.size).toBe(4);
    c.clear();
    expect(c.size).toBe(0);
    expect(c.get('k99')).toBeUndefined();
  });
});
