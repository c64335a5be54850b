/**
 * The extensions a JPKI end certificate takes from its issuer — the whole AuthorityKeyIdentifier
 * (RFC 5280 §4.2.1.1), issuerAltName (§4.2.1.7) and a CPS pointer policy qualifier (§4.2.1.4) — are
 * written by @mynakit/pki's certificate builder in exactly the J-LIS form, and read back here with pki's
 * DER and GeneralNames readers. Expected bytes are spelled out from the issuer's own fields.
 */
import { generateKeyPairSync } from 'node:crypto';
import { type Certificate, parseCertificate } from '@mynakit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  authorityKeyIdentifierOf,
  composeName,
  createJpkiCaCertificate,
  createSignatureCertificate,
  encodeBasicFour,
  issuerAltNameOf,
  policyInformationOf,
  SANDBOX_CPS_URI,
} from '../src/index.js';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');
const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
/** X.690 §8.1: identifier, definite length (short or long form), contents — for the expected values. */
function tlv(tag: string, body: string): string {
  const n = body.length / 2;
  const len =
    n < 0x80
      ? n.toString(16).padStart(2, '0')
      : n < 0x100
        ? `81${n.toString(16).padStart(2, '0')}`
        : `82${n.toString(16).padStart(4, '0')}`;
  return tag + len + body;
}
const ext = (c: Certificate, oid: string) => c.extensions.find((e) => e.oid === oid);
/** 1.2.392.200149.8.5.1.1.20 (JPKI signature policy) and id-qt-cps 1.3.6.1.5.5.7.2.1, as DER. */
const SIGNATURE_POLICY = '060b2a83088c9b550805010114';
const ID_QT_CPS = '06082b06010505070201';
const basicFour = encodeBasicFour({
  name: composeName('番号', '花子'),
  address: '東京都千代田区霞が関１－２－３',
  birthDate: { year: 1990, month: 1, day: 2 },
  sex: 'female',
});

let sub: Certificate;
let subKey: ReturnType<typeof rsa>;
let negative: Certificate;
let negativeKey: ReturnType<typeof rsa>;
const leafKey = rsa();
beforeAll(() => {
  const rootKey = rsa();
  subKey = rsa();
  negativeKey = rsa();
  const root = createJpkiCaCertificate({
    purpose: 'signature',
    publicKey: rootKey.publicKey,
    privateKey: rootKey.privateKey,
    notBefore,
    notAfter,
  });
  sub = parseCertificate(
    createJpkiCaCertificate({
      purpose: 'signature',
      publicKey: subKey.publicKey,
      issuer: { certificate: root, privateKey: rootKey.privateKey },
      notBefore,
      notAfter,
      serialNumber: '0133c349',
    }),
  );
  negative = parseCertificate(
    createJpkiCaCertificate({
      purpose: 'signature',
      publicKey: negativeKey.publicKey,
      privateKey: negativeKey.privateKey,
      notBefore,
      notAfter,
      serialNumber: -5n,
    }),
  );
});

const signatureCertificate = (issuer: Certificate, key: ReturnType<typeof rsa>, more: object = {}) =>
  parseCertificate(
    createSignatureCertificate({
      issuer: { certificate: issuer, privateKey: key.privateKey },
      publicKey: leafKey.publicKey,
      basicFour,
      notBefore,
      notAfter,
      ...more,
    }),
  );

describe('issuer-linked extensions of a JPKI end certificate', () => {
  it('AKI = [0] the CA key identifier, [1] { [4] the CA certificate’s issuer name }, [2] its serial', () => {
    const c = signatureCertificate(sub, subKey);
    const aki = ext(c, '2.5.29.35');
    expect(aki?.critical).toBe(false);
    expect(hex(aki?.value)).toBe(
      tlv(
        '30',
        tlv('80', sub.subjectKeyIdentifier ?? '') +
          tlv('a1', tlv('a4', hex(sub.issuerDer))) +
          tlv('82', '0133c349'),
      ),
    );
    expect(authorityKeyIdentifierOf(c)).toEqual({
      keyIdentifier: sub.subjectKeyIdentifier,
      authorityCertIssuer: [expect.objectContaining({ type: 'directoryName', value: sub.issuer })],
      authorityCertSerialNumber: '0133c349',
    });
  });

  it('issuerAltName = the CA’s subjectAltName, byte for byte; the CPS pointer follows the policy', () => {
    const c = signatureCertificate(sub, subKey);
    expect(hex(ext(c, '2.5.29.18')?.value)).toBe(hex(ext(sub, '2.5.29.17')?.value));
    expect(issuerAltNameOf(c)).toEqual(sub.subjectAltName);
    const cp = ext(c, '2.5.29.32');
    expect(cp?.critical).toBe(true);
    expect(hex(cp?.value)).toBe(
      tlv(
        '30',
        tlv(
          '30',
          SIGNATURE_POLICY +
            tlv('30', tlv('30', ID_QT_CPS + tlv('16', Buffer.from(SANDBOX_CPS_URI).toString('hex')))),
        ),
      ),
    );
    expect(policyInformationOf(c)).toEqual([
      { policy: '1.2.392.200149.8.5.1.1.20', cpsUris: [SANDBOX_CPS_URI], otherQualifiers: [] },
    ]);
  });

  it('given names, no CPS pointer and a key-identifier-only AKI are written as asked', () => {
    const c = signatureCertificate(sub, subKey, {
      issuerAltName: [
        { type: 'directoryName', value: 'C=JP, O=X' },
        { type: 'rfc822Name', value: 'a@b.jp' },
        { type: 'dNSName', value: 'b.jp' },
        { type: 'uniformResourceIdentifier', value: 'http://b.jp/x' },
      ],
      cpsUri: null,
      authorityKeyIdentifier: 'keyIdentifier',
    });
    expect(issuerAltNameOf(c)).toEqual([
      expect.objectContaining({ type: 'directoryName', value: 'C=JP, O=X' }),
      { type: 'rfc822Name', value: 'a@b.jp' },
      { type: 'dNSName', value: 'b.jp' },
      { type: 'uniformResourceIdentifier', value: 'http://b.jp/x' },
    ]);
    expect(hex(ext(c, '2.5.29.18')?.value)).toContain(
      tlv('81', Buffer.from('a@b.jp').toString('hex')) +
        tlv('82', Buffer.from('b.jp').toString('hex')) +
        tlv('86', Buffer.from('http://b.jp/x').toString('hex')),
    );
    expect(hex(ext(c, '2.5.29.32')?.value)).toBe(tlv('30', tlv('30', SIGNATURE_POLICY)));
    expect(hex(ext(c, '2.5.29.35')?.value)).toBe(tlv('30', tlv('80', sub.subjectKeyIdentifier ?? '')));
  });

  it('an issuer with a negative serial (RFC 5280 §4.1.2.2 forbids it) is named by its key identifier only', () => {
    expect(negative.serialNumber.startsWith('-')).toBe(true);
    const c = signatureCertificate(negative, negativeKey);
    expect(hex(ext(c, '2.5.29.35')?.value)).toBe(tlv('30', tlv('80', negative.subjectKeyIdentifier ?? '')));
    expect(authorityKeyIdentifierOf(c)).toEqual({ keyIdentifier: negative.subjectKeyIdentifier });
  });
});
