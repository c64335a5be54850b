import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derToPem, parseCertificate, validateCertificatePath } from '@mynakit/pki';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import { signRequestObject, verifyRequestObject } from '../src/openid4vp/request-object.js';
import { withholdMyNumberWithoutBasis } from '../src/reader-auth/my-number-consent.js';
import { readMyNumberLegalBasis } from '../src/reader-auth/my-number-legal-basis.js';
import {
  checkReaderAuthProfile,
  createReaderAuthCertificate,
} from '../src/reader-auth/reader-auth-certificate.js';
import { DEFAULT_MY_NUMBER_BASIS_OIDS, MDOC_READER_AUTH_EKU } from '../src/reader-auth/reader-auth-oids.js';
import { makeReaderPki, NOW, p256 } from './helpers/fixtures.js';

const DAY = 86_400_000;
const basis = { provision: '番号法第19条', basisCode: '第3号' };
const tmp = mkdtempSync(join(tmpdir(), 'mynakit-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function issue(withBasis: boolean) {
  const ca = makeReaderPki('ca.example');
  const key = p256();
  const der = createReaderAuthCertificate({
    subject: 'C=JP, O=Example Securities, CN=kyc.example-securities.jp',
    publicKey: key.publicKey,
    issuer: { certificate: ca.root, privateKey: ca.rootKey },
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 365 * DAY),
    dnsNames: ['kyc.example-securities.jp'],
    ...(withBasis ? { myNumberLegalBasis: basis } : {}),
  });
  return { ca, key, der, cert: parseCertificate(der) };
}

function openssl(args: string[], der: Uint8Array): string {
  const file = join(tmp, `c${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, derToPem(der, 'CERTIFICATE'));
  return execFileSync('openssl', [...args, '-in', file], { encoding: 'utf8' });
}

describe('reader authentication certificate profile', () => {
  it('has the ISO 18013-5 Annex B reader EKU and keyUsage, as OpenSSL reads them', () => {
    const { der } = issue(false);
    const text = openssl(['x509', '-noout', '-text'], der);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+1\.0\.18013\.5\.1\.6/);
    expect(text).toContain('DNS:kyc.example-securities.jp');
    expect(text).not.toContain('Certificate Policies');
  });

  it('declares a My Number legal basis as a certificate policy with a qualifier OpenSSL can parse', () => {
    const { der } = issue(true);
    const text = openssl(['x509', '-noout', '-text'], der);
    expect(text).toContain(`Policy: ${DEFAULT_MY_NUMBER_BASIS_OIDS.policy}`);
    // The qualifier value, as OpenSSL's generic ASN.1 parser sees it: two UTF8Strings.
    const outer = openssl(['asn1parse', '-inform', 'PEM'], der);
    const offset =
      /X509v3 Certificate Policies\s*\n\s*(\d+):d=\d+\s+hl=\d+\s+l=\s*\d+\s+prim: OCTET STRING/.exec(
        outer,
      )?.[1];
    expect(offset).toBeDefined();
    const inner = openssl(['asn1parse', '-inform', 'PEM', '-strparse', offset!], der);
    expect(inner).toContain(`OBJECT            :${DEFAULT_MY_NUMBER_BASIS_OIDS.policy}`);
    expect(inner).toContain(`OBJECT            :${DEFAULT_MY_NUMBER_BASIS_OIDS.qualifier}`);
    expect(inner.match(/UTF8STRING/g)).toHaveLength(2);
  });

  it('the reader gives the wallet the declared provision and basis code', () => {
    expect(readMyNumberLegalBasis(issue(true).der)).toEqual({
      declared: true,
      policyOid: DEFAULT_MY_NUMBER_BASIS_OIDS.policy,
      ...basis,
    });
    expect(readMyNumberLegalBasis(issue(false).der)).toEqual({ declared: false });
    // Another deployment's OIDs: this certificate declares nothing under them.
    expect(readMyNumberLegalBasis(issue(true).der, { policy: '1.2.3.4', qualifier: '1.2.3.5' })).toEqual({
      declared: false,
    });
  });

  it('chains to its CA with the reader EKU required, and passes the profile checks', () => {
    const { ca, cert } = issue(true);
    const path = validateCertificatePath({
      leaf: cert,
      trustAnchors: [ca.root],
      now: NOW,
      requiredEku: MDOC_READER_AUTH_EKU,
    });
    expect(path.ok).toBe(true);
    expect(checkReaderAuthProfile(cert).map((c) => [c.id, c.status])).toEqual([
      ['reader.certificate_profile', 'passed'],
      ['reader.my_number_basis', 'passed'],
    ]);
    expect(
      checkReaderAuthProfile(issue(false).cert).find((c) => c.id === 'reader.my_number_basis')?.status,
    ).toBe('skipped');
  });

  it('a certificate without the reader EKU: warning when lenient, failed when strict', () => {
    const tls = makeReaderPki('plain.example');
    // makeReaderPki's leaf has the EKU; a CA certificate does not.
    expect(checkReaderAuthProfile(tls.root).find((c) => c.id === 'reader.certificate_profile')?.status).toBe(
      'warning',
    );
    expect(
      checkReaderAuthProfile(tls.root, { policy: 'strict' }).find(
        (c) => c.id === 'reader.certificate_profile',
      )?.status,
    ).toBe('failed');
  });

  it('a half declaration (the policy without its qualifier) is refused, never read as a basis', () => {
    const ca = makeReaderPki('ca.example');
    const der = createReaderAuthCertificate({
      subject: 'CN=half.example',
      publicKey: p256().publicKey,
      issuer: { certificate: ca.root, privateKey: ca.rootKey },
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + DAY),
      policies: [DEFAULT_MY_NUMBER_BASIS_OIDS.policy],
    });
    expect(() => readMyNumberLegalBasis(der)).toThrow(expect.objectContaining({ code: 'DECODE' }));
    expect(checkReaderAuthProfile(der).find((c) => c.id === 'reader.my_number_basis')?.status).toBe('failed');
  });

  it('end to end: the wallet reads the basis from the certificate of a verified OpenID4VP request', async () => {
    const { ca, key, der } = issue(true);
    const request = buildAuthorizationRequest({
      responseMode: 'direct_post',
      clientId: 'x509_san_dns:kyc.example-securities.jp',
      responseUri: 'https://kyc.example-securities.jp/response',
      nonce: 'n-1',
      dcqlQuery: {
        credentials: [
          {
            id: 'mnc',
            format: 'mso_mdoc',
            meta: { doctype_value: 'org.iso.23220.1.jp.mnc' },
            claims: [{ path: ['org.iso.23220.1.jp', 'individual_number_unicode'] }],
          },
        ],
      },
    });
    const jws = await signRequestObject({ request, privateKey: key.privateKey, certificateChain: [der] });
    const verified = await verifyRequestObject(jws, { trustAnchors: [ca.root], now: NOW });
    const declaration = readMyNumberLegalBasis(verified.certificate);
    expect(declaration.declared).toBe(true);
    const selection = [
      {
        queryId: 'mnc',
        documentId: 'card',
        docType: 'org.iso.23220.1.jp.mnc',
        elements: { 'org.iso.23220.1.jp': { individual_number_unicode: true, full_name_unicode: false } },
      },
    ];
    expect(withholdMyNumberWithoutBasis(selection, declaration)).toEqual({ selection, withheld: false });
  });

  it('the wallet withholds My Number from a relying party that declares no basis', () => {
    const selection = [
      {
        queryId: 'mnc',
        documentId: 'card',
        docType: 'org.iso.23220.1.jp.mnc',
        elements: {
          'org.iso.23220.1.jp': { individual_number_unicode: true, full_name_unicode: false },
          'org.iso.23220.1': { age_over_18: false },
        },
      },
    ];
    const r = withholdMyNumberWithoutBasis(selection, readMyNumberLegalBasis(issue(false).der));
    expect(r.withheld).toBe(true);
    expect(r.selection[0]!.elements).toEqual({
      'org.iso.23220.1.jp': { full_name_unicode: false },
      'org.iso.23220.1': { age_over_18: false },
    });
    const onlyNumber = [
      { ...selection[0]!, elements: { 'org.iso.23220.1.jp': { individual_number_unicode: false } } },
    ];
    expect(withholdMyNumberWithoutBasis(onlyNumber, { declared: false }).selection[0]!.elements).toEqual({});
  });
});
