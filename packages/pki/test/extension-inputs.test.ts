/**
 * Extension inputs for what JPKI end certificates carry besides the usual ones, written by pki's DER
 * writer (one implementation per format) and read back by pki's GeneralNames reader:
 *
 *   AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL,
 *      authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
 *                                                                         -- RFC 5280 §4.2.1.1
 *   IssuerAltName ::= GeneralNames                                        -- RFC 5280 §4.2.1.7
 *   PolicyInformation ::= SEQUENCE { policyIdentifier CertPolicyId,
 *      policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }  -- RFC 5280 §4.2.1.4
 *
 * Expected bytes are written out by hand; @peculiar/x509 is the independent reader.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import {
  createCertificate,
  type ExtensionInput,
  OID,
  parseCertificate,
  readDer,
  readGeneralName,
  readGeneralNames,
} from '../src/index.js';
import { keysFor, NOT_AFTER, NOT_BEFORE } from './helpers/chain.js';

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
/** Name `CN=a`: SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String "a" } } }. */
const CN_A = '300c310a300806035504030c0161';

function build(extensions: readonly ExtensionInput[]) {
  const k = keysFor('extension inputs');
  return parseCertificate(
    createCertificate({
      subject: 'CN=a',
      publicKey: k.publicKey,
      privateKey: k.privateKey,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      keyIdentifiers: false,
      extensions,
    }),
  );
}

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('authorityKeyIdentifier with authorityCertIssuer and authorityCertSerialNumber', () => {
  it('writes all three fields, [1] IMPLICIT GeneralNames holding an EXPLICIT [4] directoryName', () => {
    const c = build([
      {
        type: 'authorityKeyIdentifier',
        keyIdentifier: '0102',
        authorityCertIssuer: [{ type: 'directoryName', value: 'CN=a' }],
        authorityCertSerialNumber: '00ff',
      },
    ]);
    const ext = c.extensions.find((e) => e.oid === OID.authorityKeyIdentifier);
    expect(ext?.critical).toBe(false); // RFC 5280 §4.2.1.1: MUST be marked non-critical
    expect(hex(ext?.value)).toBe(`301a80020102a110a40e${CN_A}820200ff`);
    expect(c.authorityKeyIdentifier).toBe('0102');
    const p = new x509.X509Certificate(new Uint8Array(c.der)).getExtension(
      x509.AuthorityKeyIdentifierExtension,
    );
    expect(p?.keyId).toBe('0102');
    expect(p?.certId?.serialNumber).toBe('00ff');
  });

  it('takes the issuer name as DER (copied byte for byte) and the serial as a bigint', () => {
    const c = build([
      {
        type: 'authorityKeyIdentifier',
        keyIdentifier: '0102',
        authorityCertIssuer: [{ type: 'directoryName', value: Buffer.from(CN_A, 'hex') }],
        authorityCertSerialNumber: 0x80n,
      },
    ]);
    expect(hex(c.extensions.find((e) => e.oid === OID.authorityKeyIdentifier)?.value)).toBe(
      `301a80020102a110a40e${CN_A}82020080`,
    );
  });

  it('keyIdentifier alone is the short form; issuer and serial go together (RFC 5280 §A.2)', () => {
    const only = build([{ type: 'authorityKeyIdentifier', keyIdentifier: '0102' }]);
    expect(hex(only.extensions[0]?.value)).toBe('300480020102');
    const issuerAndSerial = build([
      {
        type: 'authorityKeyIdentifier',
        authorityCertIssuer: [{ type: 'directoryName', value: 'CN=a' }],
        authorityCertSerialNumber: '01',
      },
    ]);
    expect(hex(issuerAndSerial.extensions[0]?.value)).toBe(`3015a110a40e${CN_A}820101`);
    expect(
      codeOf(() =>
        build([
          {
            type: 'authorityKeyIdentifier',
            keyIdentifier: '01',
            authorityCertIssuer: [{ type: 'directoryName', value: 'CN=a' }],
          },
        ]),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        build([{ type: 'authorityKeyIdentifier', keyIdentifier: '01', authorityCertSerialNumber: '01' }]),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build([{ type: 'authorityKeyIdentifier' }]))).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        build([
          {
            type: 'authorityKeyIdentifier',
            authorityCertIssuer: [],
            authorityCertSerialNumber: '01',
          },
        ]),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});

describe('issuerAltName', () => {
  it('writes GeneralNames (directoryName, rfc822Name, dNSName, URI), non-critical by default', () => {
    const c = build([
      {
        type: 'issuerAltName',
        names: [
          { type: 'directoryName', value: 'CN=a' },
          { type: 'rfc822Name', value: 'a@b' },
          { type: 'dNSName', value: 'b' },
          { type: 'uniformResourceIdentifier', value: 'http://b' },
        ],
      },
    ]);
    const ext = c.extensions.find((e) => e.oid === OID.issuerAltName);
    expect(ext?.critical).toBe(false); // RFC 5280 §4.2.1.7: SHOULD NOT be marked critical
    expect(hex(ext?.value)).toBe(`3022a40e${CN_A}8103614062820162` + '8608687474703a2f2f62');
    const names = readGeneralNames(readDer(ext?.value ?? new Uint8Array()).value);
    expect(names.map((n) => n.type)).toEqual([
      'directoryName',
      'rfc822Name',
      'dNSName',
      'uniformResourceIdentifier',
    ]);
    expect(names[0]).toMatchObject({ type: 'directoryName', value: 'CN=a' });
    expect(readGeneralName(readDer(Buffer.from('820162', 'hex')))).toEqual({ type: 'dNSName', value: 'b' });
    const p = new x509.X509Certificate(new Uint8Array(c.der)).getExtension(
      x509.IssuerAlternativeNameExtension,
    );
    expect(p?.names.items.map((n) => n.type)).toEqual(['dn', 'email', 'dns', 'url']);
  });

  it('GeneralNames ::= SEQUENCE SIZE (1..MAX): an empty list is refused', () => {
    expect(codeOf(() => build([{ type: 'issuerAltName', names: [] }]))).toBe('INVALID_ARGUMENT');
  });
});

describe('certificatePolicies with a CPS pointer qualifier', () => {
  it('writes id-qt-cps with an IA5String CPSuri, next to a policy without qualifiers', () => {
    const c = build([
      {
        type: 'certificatePolicies',
        policies: [{ policy: '1.2.3', cpsUris: ['http://b'] }, '1.2.4'],
        critical: true,
      },
    ]);
    const ext = c.extensions.find((e) => e.oid === OID.certificatePolicies);
    expect(ext?.critical).toBe(true);
    expect(hex(ext?.value)).toBe(
      '3024' +
        '301c06022a03' +
        '3016' +
        '3014' +
        '06082b06010505070201' +
        '1608687474703a2f2f62' +
        '300406022a04',
    );
    expect(c.certificatePolicies).toEqual(['1.2.3', '1.2.4']);
    const p = new x509.X509Certificate(new Uint8Array(c.der)).getExtension(x509.CertificatePolicyExtension);
    expect(p?.policies).toEqual(['1.2.3', '1.2.4']);
  });

  it('a policy given as { policy } alone or with no CPS pointer has no qualifiers; none at all is refused', () => {
    const c = build([{ type: 'certificatePolicies', policies: [{ policy: '1.2.4', cpsUris: [] }] }]);
    expect(hex(c.extensions[0]?.value)).toBe('3006300406022a04');
    expect(codeOf(() => build([{ type: 'certificatePolicies', policies: [] }]))).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        build([{ type: 'certificatePolicies', policies: [{ policy: '1.2.3', cpsUris: ['http://ü'] }] }]),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});
