/**
 * Names a caller (or a certificate) gives are looked up in Maps, never as properties of a plain object:
 * an extended key usage, CRL reason, CMS digest, OCSP CertID hash or signature algorithm named
 * `constructor`, `toString` or `__proto__` is an unknown name with a typed error, not an inherited
 * member of Object.prototype — and nothing of Object.prototype changes.
 */
import { describe, expect, it } from 'vitest';
import {
  type CmsDigest,
  type CrlReason,
  certIdFor,
  createCertificate,
  createCrl,
  crlReasonCode,
  type OcspHashAlgorithm,
  OID,
  parseCertificate,
  signCms,
  verifySignature,
} from '../src/index.js';
import { keysFor, leaf, NOT_AFTER, NOT_BEFORE, root } from './helpers/chain.js';

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? `untyped ${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('name tables answer only their own names', () => {
  const ca = root('CN=name tables root');
  const ee = leaf('CN=name tables leaf', ca);
  const before = Object.getOwnPropertyNames(Object.prototype).sort().join();

  it('extKeyUsage: a name like `constructor` is not a known EKU name, and not a dotted OID either', () => {
    const k = keysFor('eku');
    for (const name of PROTO_KEYS) {
      const build = () =>
        createCertificate({
          subject: 'CN=eku',
          publicKey: k.publicKey,
          privateKey: k.privateKey,
          notBefore: NOT_BEFORE,
          notAfter: NOT_AFTER,
          extensions: [{ type: 'extKeyUsage', usages: [name] }],
        });
      expect(codeOf(build), name).toBe('INVALID_ARGUMENT');
    }
    // The names it does know still resolve (RFC 5280 §4.2.1.12 id-kp-*).
    const der = createCertificate({
      subject: 'CN=eku',
      publicKey: k.publicKey,
      privateKey: k.privateKey,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      extensions: [{ type: 'extKeyUsage', usages: ['serverAuth', 'OCSPSigning', 'mdlReaderAuth'] }],
    });
    expect(parseCertificate(der).extKeyUsage).toEqual([OID.serverAuth, OID.ocspSigning, OID.mdlReaderAuth]);
  });

  it('CRL reasons, CMS digests and OCSP CertID hashes named like Object.prototype members are refused', () => {
    for (const name of PROTO_KEYS) {
      expect(
        codeOf(() => crlReasonCode(name as CrlReason)),
        name,
      ).toBe('INVALID_ARGUMENT');
      expect(
        codeOf(() =>
          createCrl({
            issuer: { certificate: ca.cert, privateKey: ca.privateKey },
            thisUpdate: NOT_BEFORE,
            nextUpdate: NOT_AFTER,
            crlNumber: 1,
            entries: [{ serialNumber: '01', revocationDate: NOT_BEFORE, reason: name as CrlReason }],
          }),
        ),
        name,
      ).toBe('INVALID_ARGUMENT');
      expect(
        codeOf(() =>
          signCms({
            content: new Uint8Array([1]),
            detached: true,
            signer: { certificate: ee.cert, privateKey: ee.privateKey },
            signingTime: NOT_BEFORE,
            digest: name as CmsDigest,
          }),
        ),
        name,
      ).toBe('INVALID_ARGUMENT');
      expect(
        codeOf(() => certIdFor(ee.cert, ca.cert, name as OcspHashAlgorithm)),
        name,
      ).toBe('INVALID_ARGUMENT');
    }
    expect(crlReasonCode('keyCompromise')).toBe(1);
  });

  it('a signature algorithm OID named like an Object.prototype member is unsupported', () => {
    for (const name of PROTO_KEYS)
      expect(
        codeOf(() => verifySignature({ oid: name }, new Uint8Array(1), new Uint8Array(1), ee.keys.publicKey)),
        name,
      ).toBe('UNSUPPORTED_ALGORITHM');
  });

  it('leaves Object.prototype as it was', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(before);
  });
});
