import { afterAll, describe, expect, it } from 'vitest';
import {
  checkCertificateAgainstCrl,
  createCrl,
  derToPem,
  lookupInCrl,
  PkiError,
  parseCertificate,
  parseCrl,
  verifyCrl,
} from '../src/index.js';
import { caExtensions, intermediate, issue, keysFor, leaf, leafExtensions, root } from './helpers/chain.js';
import { epochSeconds, OpensslDir } from './helpers/openssl.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const THIS = new Date('2026-11-01T00:00:00Z');
const NEXT = new Date('2026-11-02T00:00:00Z');
const DURING = new Date('2026-11-01T12:00:00Z');

const TSUKUBA = 'C=JP, O=JPKI, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP';
const MITO = 'C=JP, O=JPKI, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Mito-shi CRLDP';

const ca = root('C=JP, O=JPKI, OU=JPKI for user authentication', { keys: keysFor('crl-ca', 'RSA-2048') });
const holder = leaf('C=JP, CN=HOLDER0000000000000000001', ca, {
  serialNumber: '0a01',
  extensions: [
    ...leafExtensions,
    { type: 'crlDistributionPoints', points: [{ fullName: [{ type: 'directoryName', value: TSUKUBA }] }] },
  ],
});

function crlWith(extra: Partial<Parameters<typeof createCrl>[0]> = {}) {
  return createCrl({
    issuer: { certificate: ca.cert, privateKey: ca.privateKey },
    thisUpdate: THIS,
    nextUpdate: NEXT,
    crlNumber: 42,
    entries: [
      {
        serialNumber: '0a01',
        revocationDate: new Date('2026-10-30T03:00:00Z'),
        reason: 'affiliationChanged',
      },
      { serialNumber: 'ff00', revocationDate: new Date('2026-10-31T03:00:00Z'), reason: 'keyCompromise' },
      { serialNumber: 7n, revocationDate: new Date('2026-10-31T04:00:00Z') },
      { serialNumber: '0b', revocationDate: new Date('2026-10-31T05:00:00Z'), reason: 'certificateHold' },
    ],
    ...extra,
  });
}

describe('createCrl — OpenSSL accepts and lists what we write', () => {
  it('verifies under the CA and lists serials and reasons', () => {
    const der = crlWith({
      issuingDistributionPoint: {
        fullName: [{ type: 'directoryName', value: TSUKUBA }],
        onlyContainsUserCerts: true,
      },
    });
    const f = ossl.write('ours.crl', der);
    const caFile = ossl.write('crl-ca.pem', ca.pem);
    const r = ossl.ok(['crl', '-in', f, '-inform', 'DER', '-CAfile', caFile, '-noout']);
    expect(r.stderr + r.stdout).toContain('verify OK');
    const text = ossl.ok(['crl', '-in', f, '-inform', 'DER', '-noout', '-text']).stdout;
    for (const s of ['0A01', 'FF00', '07', '0B']) expect(text).toContain(`Serial Number: ${s}`);
    expect(text).toContain('Affiliation Changed');
    expect(text).toContain('Key Compromise');
    expect(text).toContain('Certificate Hold');
    expect(text).toMatch(/X509v3 CRL Number:\s*\n\s*42/);
    expect(text).toContain('X509v3 Issuing Distribution Point: critical');
    expect(text).toContain(
      'DirName:C = JP, O = JPKI, OU = CRL Distribution Points, OU = Ibaraki-ken, CN = Tsukuba-shi CRLDP',
    );
    expect(text).toContain('Only User Certificates');
    // another CA's key: OpenSSL refuses
    const other = root('C=JP, O=JPKI, OU=JPKI for user authentication', {
      keys: keysFor('crl-other', 'RSA-2048'),
    });
    const bad = ossl.run([
      'crl',
      '-in',
      f,
      '-inform',
      'DER',
      '-CAfile',
      ossl.write('other.pem', other.pem),
      '-noout',
    ]);
    expect(bad.stderr + bad.stdout).toContain('verify failure');
  });

  it('writes delta CRLs (critical deltaCRLIndicator) and removeFromCRL entries', () => {
    const der = createCrl({
      issuer: { certificate: ca.cert, privateKey: ca.privateKey },
      thisUpdate: THIS,
      nextUpdate: NEXT,
      crlNumber: 43,
      deltaCrlIndicator: 42,
      entries: [{ serialNumber: '0b', revocationDate: THIS, reason: 'removeFromCRL' }],
    });
    const text = ossl.ok([
      'crl',
      '-in',
      ossl.write('delta.crl', der),
      '-inform',
      'DER',
      '-noout',
      '-text',
    ]).stdout;
    expect(text).toContain('X509v3 Delta CRL Indicator: critical');
    expect(text).toContain('Remove From CRL');
    const crl = parseCrl(der);
    expect(crl.deltaCrlIndicator).toBe(42n);
    expect(lookupInCrl(crl, '0b')).toMatchObject({ revoked: false, reason: 'removeFromCRL' });
    const v = verifyCrl(crl, { issuerCertificate: ca.cert, now: DURING });
    expect(v.checks.find((c) => c.id === 'crl.delta')?.status).toBe('warning');
  });
});

describe('parseCrl / lookupInCrl', () => {
  it('reads what we wrote', () => {
    const crl = parseCrl(crlWith());
    expect(crl.version).toBe(2);
    expect(crl.crlNumber).toBe(42n);
    expect(crl.issuer).toBe(ca.cert.subject);
    expect(crl.authorityKeyIdentifier).toBe(ca.cert.subjectKeyIdentifier);
    expect(crl.entries.map((e) => e.serialNumber)).toEqual(['0a01', 'ff00', '07', '0b']);
    expect(lookupInCrl(crl, holder.cert)).toEqual({
      revoked: true,
      reason: 'affiliationChanged',
      revocationDate: new Date('2026-10-30T03:00:00Z'),
    });
    expect(lookupInCrl(crl, 'FF:00')).toMatchObject({ revoked: true, reason: 'keyCompromise' });
    expect(lookupInCrl(crl, 7n)).toMatchObject({ revoked: true });
    expect(lookupInCrl(crl, 7n).reason).toBeUndefined();
    expect(lookupInCrl(crl, '0c')).toEqual({ revoked: false });
  });

  it('reaches OpenSSL’s verdict on a CRL written by `openssl ca -gencrl`', () => {
    const d = ossl;
    d.ok([
      'req',
      '-new',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'gca.key',
      '-subj',
      '/C=JP/O=OpenSSL CA',
      '-days',
      '30',
      '-out',
      'gca.pem',
    ]);
    d.write(
      'index.txt',
      'R\t301231000000Z\t261020000000Z,keyCompromise\t1001\tunknown\t/CN=one\n' +
        'R\t301231000000Z\t261021000000Z,superseded\t1002\tunknown\t/CN=two\n' +
        'V\t301231000000Z\t\t1003\tunknown\t/CN=three\n',
    );
    d.write('crlnumber', '1000\n');
    const cnf = d.write(
      'gca.cnf',
      `[ca]\ndefault_ca=CA_default\n[CA_default]\ndir=${d.dir}\ndatabase=$dir/index.txt\ncrlnumber=$dir/crlnumber\n` +
        'default_md=sha256\ndefault_crl_days=7\ncrl_extensions=crl_ext\n[crl_ext]\nauthorityKeyIdentifier=keyid:always\n',
    );
    d.ok(['ca', '-gencrl', '-config', cnf, '-keyfile', 'gca.key', '-cert', 'gca.pem', '-out', 'g.crl']);
    const der = new Uint8Array(d.ok(['crl', '-in', 'g.crl', '-outform', 'DER']).stdoutBytes);
    const crl = parseCrl(der);
    expect(crl.crlNumber).toBe(0x1000n);
    expect(crl.entries.map((e) => [e.serialNumber, e.reason])).toEqual([
      ['1001', 'keyCompromise'],
      ['1002', 'superseded'],
    ]);
    const gca = parseCertificate(d.ok(['x509', '-in', 'gca.pem']).stdout);
    const during = new Date(crl.thisUpdate.getTime() + 3_600_000);
    const v = verifyCrl(der, { issuerCertificate: gca, now: during });
    expect(v.status, JSON.stringify(v.checks)).toBe('current');
    expect(v.verdict).toBe('valid');
    expect(lookupInCrl(crl, '1003').revoked).toBe(false);
    const stale = verifyCrl(der, { issuerCertificate: gca, now: new Date(crl.nextUpdate!.getTime() + 1000) });
    expect(stale.status).toBe('stale');
  });

  it('throws CRL_MALFORMED for garbage', () => {
    try {
      parseCrl(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PkiError);
      expect((e as PkiError).code).toBe('CRL_MALFORMED');
    }
  });

  it('handles a large CRL (50,000 entries)', () => {
    const entries = Array.from({ length: 50_000 }, (_, i) => ({
      serialNumber: BigInt(0x100000 + i),
      revocationDate: THIS,
      reason: 'superseded' as const,
    }));
    const der = createCrl({
      issuer: { certificate: ca.cert, privateKey: ca.privateKey },
      thisUpdate: THIS,
      nextUpdate: NEXT,
      crlNumber: 1,
      entries,
    });
    const crl = parseCrl(der);
    expect(crl.entries).toHaveLength(50_000);
    expect(lookupInCrl(crl, BigInt(0x100000 + 49_999)).revoked).toBe(true);
    expect(lookupInCrl(crl, BigInt(0x100000 + 50_000)).revoked).toBe(false);
    expect(verifyCrl(crl, { issuerCertificate: ca.cert, now: DURING }).status).toBe('current');
  });
});

describe('verifyCrl', () => {
  it('current CRL: every check passes', () => {
    const v = verifyCrl(crlWith(), { issuerCertificate: ca.cert, now: DURING });
    expect(v.status).toBe('current');
    expect(v.verdict).toBe('valid');
    expect(v.checks.map((c) => c.id)).toEqual([
      'crl.decode',
      'crl.issuer',
      'crl.signature',
      'crl.key_usage',
      'crl.critical_extensions',
      'crl.scope',
      'crl.freshness',
    ]);
  });

  it('a CRL past nextUpdate is stale, not good; before thisUpdate it is not yet valid', () => {
    const stale = verifyCrl(crlWith(), { issuerCertificate: ca.cert, now: new Date(NEXT.getTime() + 1000) });
    expect(stale.status).toBe('stale');
    expect(stale.verdict).toBe('undetermined');
    expect(stale.checks.find((c) => c.id === 'crl.freshness')?.status).toBe('undetermined');
    expect(verifyCrl(crlWith(), { issuerCertificate: ca.cert, now: NEXT }).status).toBe('current');
    expect(
      verifyCrl(crlWith(), { issuerCertificate: ca.cert, now: new Date(THIS.getTime() - 1000) }).status,
    ).toBe('not_yet_valid');
  });

  it('a clock tolerance widens the window by that many seconds at both ends, and no further', () => {
    const at = (ms: number, tolerance?: number) =>
      verifyCrl(crlWith(), {
        issuerCertificate: ca.cert,
        now: new Date(ms),
        ...(tolerance === undefined ? {} : { clockToleranceSeconds: tolerance }),
      }).status;
    // A CRL signed a second after the verifier fixed its time.
    expect(at(THIS.getTime() - 1000)).toBe('not_yet_valid');
    expect(at(THIS.getTime() - 1000, 60)).toBe('current');
    expect(at(THIS.getTime() - 61_000, 60)).toBe('not_yet_valid');
    expect(at(NEXT.getTime() + 1000, 60)).toBe('current');
    expect(at(NEXT.getTime() + 61_000, 60)).toBe('stale');
    // A negative tolerance is no tolerance.
    expect(at(THIS.getTime() - 1000, -60)).toBe('not_yet_valid');
  });

  it('another CA with the same name: issuer key mismatch and bad signature', () => {
    const other = root('C=JP, O=JPKI, OU=JPKI for user authentication', {
      keys: keysFor('crl-other', 'RSA-2048'),
    });
    const v = verifyCrl(crlWith(), { issuerCertificate: other.cert, now: DURING });
    expect(v.status).toBe('invalid');
    expect(v.checks.find((c) => c.id === 'crl.signature')?.status).toBe('failed');
    expect(v.checks.find((c) => c.id === 'crl.issuer')?.status).toBe('failed');
  });

  it('a tampered signature fails; malformed bytes fail crl.decode', () => {
    const der = crlWith();
    der[der.length - 5]! ^= 0x01;
    const v = verifyCrl(der, { issuerCertificate: ca.cert, now: DURING });
    expect(v.checks.find((c) => c.id === 'crl.signature')?.status).toBe('failed');
    const m = verifyCrl(Uint8Array.of(1, 2, 3), { issuerCertificate: ca.cert, now: DURING });
    expect(m.checks).toEqual([expect.objectContaining({ id: 'crl.decode', status: 'failed' })]);
  });

  it('an issuer without cRLSign fails crl.key_usage', () => {
    const noCrlSign = issue({
      subject: 'CN=No cRLSign CA',
      extensions: [
        { type: 'basicConstraints', ca: true },
        { type: 'keyUsage', usages: ['keyCertSign'] },
      ],
    });
    const der = createCrl({
      issuer: { certificate: noCrlSign.cert, privateKey: noCrlSign.privateKey },
      thisUpdate: THIS,
      nextUpdate: NEXT,
      crlNumber: 1,
      entries: [],
    });
    const v = verifyCrl(der, { issuerCertificate: noCrlSign.cert, now: DURING });
    expect(v.checks.find((c) => c.id === 'crl.key_usage')?.status).toBe('failed');
  });

  it('partitioned CRLs: scope follows the issuing distribution point', () => {
    const tsukuba = crlWith({
      issuingDistributionPoint: {
        fullName: [{ type: 'directoryName', value: TSUKUBA }],
        onlyContainsUserCerts: true,
      },
    });
    const mito = crlWith({
      issuingDistributionPoint: { fullName: [{ type: 'directoryName', value: MITO }] },
    });
    const scope = (der: Uint8Array, cert = holder.cert) =>
      verifyCrl(der, { issuerCertificate: ca.cert, now: DURING, certificate: cert }).checks.find(
        (c) => c.id === 'crl.scope',
      )?.status;
    expect(scope(tsukuba)).toBe('passed');
    expect(scope(mito)).toBe('failed');
    const subCa = intermediate('CN=Sub CA', ca, { extensions: caExtensions() });
    expect(scope(tsukuba, subCa.cert)).toBe('failed'); // onlyContainsUserCerts
    // without a certificate the partition cannot be matched
    expect(
      verifyCrl(tsukuba, { issuerCertificate: ca.cert, now: DURING }).checks.find((c) => c.id === 'crl.scope')
        ?.status,
    ).toBe('skipped');
  });

  it('checkCertificateAgainstCrl: revoked, good, and unusable when stale or out of scope', () => {
    const revoked = checkCertificateAgainstCrl(crlWith(), {
      certificate: holder.cert,
      issuerCertificate: ca.cert,
      now: DURING,
    });
    expect(revoked).toMatchObject({ status: 'revoked', reason: 'affiliationChanged' });
    const other = leaf('C=JP, CN=HOLDER0000000000000000002', ca, { serialNumber: '0a02' });
    expect(
      checkCertificateAgainstCrl(crlWith(), {
        certificate: other.cert,
        issuerCertificate: ca.cert,
        now: DURING,
      }).status,
    ).toBe('good');
    const stale = checkCertificateAgainstCrl(crlWith(), {
      certificate: other.cert,
      issuerCertificate: ca.cert,
      now: new Date(NEXT.getTime() + 1),
    });
    expect(stale.status).toBe('unusable');
    const mito = crlWith({
      issuingDistributionPoint: { fullName: [{ type: 'directoryName', value: MITO }] },
    });
    expect(
      checkCertificateAgainstCrl(mito, { certificate: holder.cert, issuerCertificate: ca.cert, now: DURING })
        .status,
    ).toBe('unusable');
  });

  it('a delta CRL or a CRL for only some reasons can show revoked, never good (OpenSSL agrees)', () => {
    const other = leaf('C=JP, CN=HOLDER0000000000000000003', ca, { serialNumber: '0a03' });
    const at = (c: typeof other) => ({ certificate: c.cert, issuerCertificate: ca.cert, now: DURING });
    const coverage = (r: ReturnType<typeof checkCertificateAgainstCrl>) =>
      r.checks.find((c) => c.id === 'crl.coverage')?.status;

    // complete CRL: "not listed" is good
    const complete = checkCertificateAgainstCrl(crlWith(), at(other));
    expect(complete.status).toBe('good');
    expect(coverage(complete)).toBe('passed');

    // delta CRL (RFC 5280 §5.2.4): lists the changes since its base only
    const delta = createCrl({
      issuer: { certificate: ca.cert, privateKey: ca.privateKey },
      thisUpdate: THIS,
      nextUpdate: NEXT,
      crlNumber: 43,
      deltaCrlIndicator: 42,
      entries: [
        { serialNumber: '0a01', revocationDate: new Date('2026-10-30T03:00:00Z'), reason: 'keyCompromise' },
      ],
    });
    expect(checkCertificateAgainstCrl(delta, at(holder))).toMatchObject({
      status: 'revoked',
      reason: 'keyCompromise',
    });
    const notInDelta = checkCertificateAgainstCrl(delta, at(other));
    expect(notInDelta.status).toBe('unusable');
    expect(notInDelta.detail).toContain('not authoritative');
    expect(coverage(notInDelta)).toBe('undetermined');

    // issuingDistributionPoint onlySomeReasons (§5.2.5): speaks for those reasons only
    const some = crlWith({
      issuingDistributionPoint: { onlySomeReasons: ['keyCompromise', 'cACompromise'] },
    });
    expect(checkCertificateAgainstCrl(some, at(holder)).status).toBe('revoked');
    const notInSome = checkCertificateAgainstCrl(some, at(other));
    expect(notInSome.status).toBe('unusable');
    expect(coverage(notInSome)).toBe('undetermined');

    // OpenSSL: with the partial-reasons CRL alone it cannot establish the status; with the complete one it can
    const caFile = ossl.write('coverage-ca.pem', ca.pem);
    const leafFile = ossl.write('coverage-leaf.pem', other.pem);
    const verifyWith = (crl: Uint8Array, name: string) =>
      ossl.run([
        'verify',
        '-crl_check',
        '-attime',
        epochSeconds(DURING),
        '-CAfile',
        caFile,
        '-CRLfile',
        ossl.write(name, derToPem(crl, 'X509 CRL')),
        leafFile,
      ]);
    expect(verifyWith(crlWith(), 'coverage-complete.pem').status).toBe(0);
    const partial = verifyWith(some, 'coverage-some.pem');
    expect(partial.status).not.toBe(0);
    expect(partial.stderr + partial.stdout).toContain('unable to get certificate CRL');
  });

  it('an unknown critical CRL extension makes the CRL invalid; OpenSSL lists it too', () => {
    const der = crlWith({
      extraExtensions: [{ oid: '1.3.6.1.4.1.99999.7', critical: true, valueDer: Uint8Array.of(5, 0) }],
    });
    const v = verifyCrl(der, { issuerCertificate: ca.cert, now: DURING });
    expect(v.status).toBe('invalid');
    expect(v.checks.find((c) => c.id === 'crl.critical_extensions')).toMatchObject({ status: 'failed' });
    expect(v.checks.find((c) => c.id === 'crl.critical_extensions')?.detail).toContain('1.3.6.1.4.1.99999.7');
    const text = ossl.ok([
      'crl',
      '-in',
      ossl.write('crit.crl', derToPem(der, 'X509 CRL')),
      '-noout',
      '-text',
    ]).stdout;
    expect(text).toContain('1.3.6.1.4.1.99999.7: critical');
  });
});
