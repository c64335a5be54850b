/**
 * Test fixtures: an IACA → document signer chain made with @mynakit/pki, device keys, and a
 * card-substitute record's element values. Shared by the tests and the benchmark.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fullDate } from '@mynakit/cbor';
import { type Certificate, createCertificate, parseCertificate } from '@mynakit/pki';
import { ISO_23220_NAMESPACE, JP_MNC_NAMESPACE } from '../src/index.js';

export interface IssuerChain {
  readonly iaca: Certificate;
  readonly iacaKey: KeyObject;
  readonly ds: Certificate;
  readonly dsKey: KeyObject;
}

export function p256(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

const ISSUER_URI = new TextEncoder().encode('https://issuer.example/');
/** issuerAltName (2.5.29.18) = GeneralNames { uniformResourceIdentifier } (ISO 18013-5 B.1.2, B.1.4). */
const issuerAltName = {
  type: 'raw',
  oid: '2.5.29.18',
  critical: false,
  valueDer: Uint8Array.from([0x30, ISSUER_URI.length + 2, 0x86, ISSUER_URI.length, ...ISSUER_URI]),
} as const;

/** IACA (ISO 18013-5 B.1.2) and DS (B.1.4) certificates valid over [notBefore, notAfter]. */
export function makeIssuerChain(
  notBefore = new Date('2025-01-01T00:00:00Z'),
  notAfter = new Date('2026-03-01T00:00:00Z'),
): IssuerChain {
  const iacaPair = p256();
  const iacaDer = createCertificate({
    subject: 'C=JP, O=mynakit test, CN=mynakit test IACA',
    publicKey: iacaPair.publicKey,
    privateKey: iacaPair.privateKey,
    notBefore: new Date(notBefore.getTime() - 86_400_000),
    notAfter: new Date(notAfter.getTime() + 365 * 86_400_000),
    extensions: [
      { type: 'basicConstraints', ca: true, pathLength: 0 },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      {
        type: 'crlDistributionPoints',
        points: [
          { fullName: [{ type: 'uniformResourceIdentifier', value: 'https://issuer.example/iaca.crl' }] },
        ],
      },
      issuerAltName,
    ],
  });
  const iaca = parseCertificate(iacaDer);
  const dsPair = p256();
  const dsDer = createCertificate({
    subject: 'C=JP, O=mynakit test, CN=mynakit test DS',
    issuer: { certificate: iaca, privateKey: iacaPair.privateKey },
    publicKey: dsPair.publicKey,
    notBefore,
    notAfter,
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'] },
      { type: 'extKeyUsage', usages: ['1.0.18013.5.1.2'], critical: true },
      {
        type: 'crlDistributionPoints',
        points: [
          { fullName: [{ type: 'uniformResourceIdentifier', value: 'https://issuer.example/iaca.crl' }] },
        ],
      },
      issuerAltName,
    ],
  });
  return { iaca, iacaKey: iacaPair.privateKey, ds: parseCertificate(dsDer), dsKey: dsPair.privateKey };
}

/** A JPEG-looking portrait of `size` bytes (SOI … EOI), deterministic. */
export function portrait(size = 20 * 1024): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + 7) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  b.set([0xff, 0xd9], size - 2);
  return b;
}

/** A card-substitute record with both namespaces (11 elements). My Number is a test value. */
export function jpMncElements(photo: Uint8Array = portrait()): Record<string, Record<string, unknown>> {
  return {
    [JP_MNC_NAMESPACE]: {
      full_name_unicode: '番号　花子',
      resident_address_unicode: '東京都千代田区霞が関１－２－３',
      local_gov_code_unicode: '13101',
      individual_number_unicode: '123456789018',
      portrait: photo,
      sex_unicode: '女',
      birth_date_unicode: '1971年9月1日',
    },
    [ISO_23220_NAMESPACE]: {
      birth_date: fullDate('1971-09-01'),
      sex: 2,
      age_in_years: 54,
      age_over_18: true,
    },
  };
}

/** An OpenID4VP redirect SessionTranscript (bare CBOR) that the mdoc tests present and verify under. */
export const TRANSCRIPT = Uint8Array.from(
  Buffer.from(
    '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
    'hex',
  ),
);
