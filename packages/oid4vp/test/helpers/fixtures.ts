/**
 * Test fixtures: an IACA → document-signer chain and a card-substitute record issued with
 * @mynakit/pki and @mynakit/mdoc, a holder device key, and a relying party's reader CA → reader
 * certificate (used to sign OpenID4VP request objects).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fullDate } from '@mynakit/cbor';
import { ISO_23220_NAMESPACE, issueMdoc, JP_MNC_DOCTYPE, JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import { type Certificate, createCertificate, parseCertificate } from '@mynakit/pki';

export const NOW = new Date('2026-11-26T03:00:00Z');
const DAY = 86_400_000;

export function p256(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export interface IssuerChain {
  readonly iaca: Certificate;
  readonly ds: Certificate;
  readonly dsKey: KeyObject;
}

export function makeIssuerChain(): IssuerChain {
  const iacaPair = p256();
  const iaca = parseCertificate(
    createCertificate({
      subject: 'C=JP, O=mynakit test, CN=mynakit test IACA',
      publicKey: iacaPair.publicKey,
      privateKey: iacaPair.privateKey,
      notBefore: new Date(NOW.getTime() - 400 * DAY),
      notAfter: new Date(NOW.getTime() + 3000 * DAY),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    }),
  );
  const dsPair = p256();
  const ds = parseCertificate(
    createCertificate({
      subject: 'C=JP, O=mynakit test, CN=mynakit test DS',
      issuer: { certificate: iaca, privateKey: iacaPair.privateKey },
      publicKey: dsPair.publicKey,
      notBefore: new Date(NOW.getTime() - 30 * DAY),
      notAfter: new Date(NOW.getTime() + 300 * DAY),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: ['1.0.18013.5.1.2'], critical: true },
      ],
    }),
  );
  return { iaca, ds, dsKey: dsPair.privateKey };
}

export const JP_MNC = { docType: JP_MNC_DOCTYPE, jp: JP_MNC_NAMESPACE, iso: ISO_23220_NAMESPACE } as const;

export function jpMncElements(): Record<string, Record<string, unknown>> {
  return {
    [JP_MNC_NAMESPACE]: {
      full_name_unicode: '番号　花子',
      resident_address_unicode: '東京都千代田区霞が関１－２－３',
      local_gov_code_unicode: '13101',
      individual_number_unicode: '123456789018',
      portrait: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]),
      sex_unicode: '女',
      birth_date_unicode: '1971年9月1日',
    },
    [ISO_23220_NAMESPACE]: {
      birth_date: fullDate('1971-09-01'),
      sex: 2,
      age_in_years: 55,
      age_over_18: true,
    },
  };
}

export interface Holder {
  readonly chain: IssuerChain;
  readonly deviceKey: KeyObject;
  /** The stored IssuerSigned bytes. */
  readonly issuerSigned: Uint8Array;
}

export async function issueHolder(chain: IssuerChain = makeIssuerChain()): Promise<Holder> {
  const device = p256();
  const issued = await issueMdoc({
    docType: JP_MNC_DOCTYPE,
    nameSpaces: jpMncElements(),
    deviceKey: device.publicKey,
    validityInfo: {
      signed: new Date(NOW.getTime() - DAY),
      validFrom: new Date(NOW.getTime() - DAY),
      validUntil: new Date(NOW.getTime() + 200 * DAY),
    },
    issuerKey: chain.dsKey,
    issuerCertificateChain: [chain.ds.der],
  });
  return { chain, deviceKey: device.privateKey, issuerSigned: issued.bytes };
}

export interface ReaderPki {
  readonly root: Certificate;
  readonly rootKey: KeyObject;
  readonly leaf: Certificate;
  readonly leafKey: KeyObject;
}

/** A relying party's reader CA and reader-auth certificate with a dNSName (for x509_san_dns). */
export function makeReaderPki(
  dnsName = 'rp.example',
  extra: Parameters<typeof createCertificate>[0]['extensions'] = [],
): ReaderPki {
  const rootPair = p256();
  const root = parseCertificate(
    createCertificate({
      subject: 'C=JP, O=mynakit test RP, CN=mynakit test reader CA',
      publicKey: rootPair.publicKey,
      privateKey: rootPair.privateKey,
      notBefore: new Date(NOW.getTime() - 100 * DAY),
      notAfter: new Date(NOW.getTime() + 3000 * DAY),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    }),
  );
  const leafPair = p256();
  const leaf = parseCertificate(
    createCertificate({
      subject: `C=JP, O=mynakit test RP, CN=${dnsName}`,
      issuer: { certificate: root, privateKey: rootPair.privateKey },
      publicKey: leafPair.publicKey,
      notBefore: new Date(NOW.getTime() - 10 * DAY),
      notAfter: new Date(NOW.getTime() + 300 * DAY),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: ['1.0.18013.5.1.6'] },
        { type: 'subjectAltName', names: [{ type: 'dNSName', value: dnsName }] },
        ...(extra ?? []),
      ],
    }),
  );
  return { root, rootKey: rootPair.privateKey, leaf, leafKey: leafPair.privateKey };
}
