import { afterAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  OID,
  type PathFailureCode,
  parseCertificate,
  type ValidateCertificatePathOptions,
  validateCertificatePath,
} from '../src/index.js';
import {
  caExtensions,
  intermediate,
  issue,
  keysFor,
  leaf,
  leafExtensions,
  NOW,
  root,
} from './helpers/chain.js';
import { epochSeconds, OpensslDir } from './helpers/openssl.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

let n = 0;
/** `openssl verify -attime` on the same inputs; returns OK or the error line. */
function opensslVerify(
  o: ValidateCertificatePathOptions,
  partialChain: boolean,
): { ok: boolean; out: string } {
  const id = n++;
  const pem = (cs: readonly Certificate[]): string =>
    cs
      .map(
        (c) =>
          `-----BEGIN CERTIFICATE-----\n${Buffer.from(c.der).toString('base64')}\n-----END CERTIFICATE-----\n`,
      )
      .join('');
  const args = [
    'verify',
    '-attime',
    epochSeconds(o.now),
    '-CAfile',
    ossl.write(`anchors${id}.pem`, pem(o.trustAnchors)),
  ];
  if (o.intermediates?.length) args.push('-untrusted', ossl.write(`ints${id}.pem`, pem(o.intermediates)));
  if (partialChain) args.push('-partial_chain');
  args.push(ossl.write(`leaf${id}.pem`, pem([o.leaf])));
  const r = ossl.run(args);
  return { ok: r.status === 0 && r.stdout.includes(': OK'), out: r.stdout + r.stderr };
}

function expectOutcome(
  o: ValidateCertificatePathOptions,
  code: PathFailureCode | 'ok',
  openssl?: { partialChain?: boolean; error?: string },
) {
  const r = validateCertificatePath(o);
  if (code === 'ok') {
    expect(r.failure, JSON.stringify(r.checks, null, 1)).toBeUndefined();
    expect(r.ok).toBe(true);
  } else {
    expect(r.ok).toBe(false);
    expect(r.failure?.code, JSON.stringify(r.checks, null, 1)).toBe(code);
    expect(r.checks.some((c) => c.status === 'failed')).toBe(true);
  }
  if (openssl) {
    const v = opensslVerify(o, openssl.partialChain ?? false);
    expect(v.ok, v.out).toBe(code === 'ok');
    if (openssl.error) expect(v.out).toContain(openssl.error);
  }
  return r;
}

const rootCa = root('CN=Test Root, O=mynakit, C=JP');
const intCa = intermediate('CN=Test Intermediate, O=mynakit, C=JP', rootCa);
const ee = leaf('CN=Test Leaf, C=JP', intCa);

describe('validateCertificatePath — agrees with openssl verify -attime', () => {
  it('accepts a valid root → intermediate → leaf chain', () => {
    const r = expectOutcome(
      { leaf: ee.cert, intermediates: [intCa.cert], trustAnchors: [rootCa.cert], now: NOW },
      'ok',
      {},
    );
    expect(r.path.map((c) => c.subject)).toEqual([ee.cert.subject, intCa.cert.subject, rootCa.cert.subject]);
    expect(r.anchor?.fingerprint256).toBe(rootCa.cert.fingerprint256);
    expect(r.checks.map((c) => c.id)).toContain('path.signature');
  });

  it('rejects an expired leaf (PATH_EXPIRED)', () => {
    const old = leaf('CN=Old Leaf', intCa, { notAfter: new Date('2025-01-01T00:00:00Z') });
    expectOutcome(
      { leaf: old.cert, intermediates: [intCa.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_EXPIRED',
      {
        error: 'certificate has expired',
      },
    );
  });

  it('rejects a not-yet-valid leaf (PATH_NOT_YET_VALID)', () => {
    const future = leaf('CN=Future Leaf', intCa, { notBefore: new Date('2026-01-01T00:00:00Z') });
    expectOutcome(
      { leaf: future.cert, intermediates: [intCa.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_NOT_YET_VALID',
      { error: 'certificate is not yet valid' },
    );
  });

  it('validity bounds are inclusive (notBefore ≤ now ≤ notAfter)', () => {
    const t = new Date('2025-03-01T00:00:00Z');
    const edge = leaf('CN=Edge', intCa, { notBefore: t, notAfter: t });
    expectOutcome(
      { leaf: edge.cert, intermediates: [intCa.cert], trustAnchors: [rootCa.cert], now: t },
      'ok',
    );
    expectOutcome(
      {
        leaf: edge.cert,
        intermediates: [intCa.cert],
        trustAnchors: [rootCa.cert],
        now: new Date(t.getTime() + 1000),
      },
      'PATH_EXPIRED',
    );
  });

  it('rejects a leaf whose signature is not by the named issuer (PATH_SIGNATURE)', () => {
    const forged = leaf('CN=Forged', intCa, { signWith: keysFor('mallory').privateKey });
    expectOutcome(
      { leaf: forged.cert, intermediates: [intCa.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_SIGNATURE',
      { error: 'signature failure' },
    );
  });

  it('rejects a CA:FALSE intermediate (PATH_NOT_CA)', () => {
    const notCa = issue({ subject: 'CN=Not A CA', issuer: rootCa, extensions: leafExtensions });
    const below = leaf('CN=Below Not A CA', notCa);
    expectOutcome(
      { leaf: below.cert, intermediates: [notCa.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_NOT_CA',
      {
        error: 'invalid CA certificate',
      },
    );
  });

  it('rejects an intermediate without basicConstraints (PATH_NOT_CA)', () => {
    const noBc = issue({
      subject: 'CN=No BC',
      issuer: rootCa,
      extensions: [{ type: 'keyUsage', usages: ['keyCertSign'] }],
    });
    const below = leaf('CN=Below No BC', noBc);
    expectOutcome(
      { leaf: below.cert, intermediates: [noBc.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_NOT_CA',
      {},
    );
  });

  it('rejects a path longer than pathLenConstraint (PATH_LENGTH)', () => {
    const r0 = root('CN=Root PathLen 0', { extensions: caExtensions(0) });
    const i1 = intermediate('CN=Int Under PathLen 0', r0);
    const l1 = leaf('CN=Leaf Under PathLen 0', i1);
    expectOutcome(
      { leaf: l1.cert, intermediates: [i1.cert], trustAnchors: [r0.cert], now: NOW },
      'PATH_LENGTH',
      {
        error: 'path length constraint exceeded',
      },
    );
    // pathLen 0 on the intermediate, a second intermediate below it
    const i2 = intermediate('CN=Int PathLen 0', rootCa, { extensions: caExtensions(0) });
    const i3 = intermediate('CN=Int Below PathLen 0', i2);
    const l3 = leaf('CN=Leaf Three Deep', i3);
    expectOutcome(
      { leaf: l3.cert, intermediates: [i2.cert, i3.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_LENGTH',
      {
        error: 'path length constraint exceeded',
      },
    );
    // pathLen 1 allows one intermediate
    const r1 = root('CN=Root PathLen 1', { extensions: caExtensions(1) });
    const i4 = intermediate('CN=Int Under PathLen 1', r1);
    const l4 = leaf('CN=Leaf Under PathLen 1', i4);
    expectOutcome({ leaf: l4.cert, intermediates: [i4.cert], trustAnchors: [r1.cert], now: NOW }, 'ok', {});
  });

  it('rejects an issuer whose keyUsage lacks keyCertSign (PATH_KEY_USAGE)', () => {
    const i = issue({
      subject: 'CN=Int No keyCertSign',
      issuer: rootCa,
      extensions: [
        { type: 'basicConstraints', ca: true },
        { type: 'keyUsage', usages: ['digitalSignature', 'cRLSign'] },
      ],
    });
    const l = leaf('CN=Leaf Under No keyCertSign', i);
    expectOutcome(
      { leaf: l.cert, intermediates: [i.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_KEY_USAGE',
      {},
    );
  });

  it('rejects an unknown critical extension unless the caller understands it', () => {
    const odd = issue({
      subject: 'CN=Odd Extension',
      issuer: intCa,
      extensions: [
        ...leafExtensions,
        { type: 'raw', oid: '1.3.6.1.4.1.99999.1', critical: true, valueDer: Uint8Array.of(5, 0) },
      ],
    });
    const o = { leaf: odd.cert, intermediates: [intCa.cert], trustAnchors: [rootCa.cert], now: NOW };
    const r = expectOutcome(o, 'PATH_UNKNOWN_CRITICAL_EXTENSION', { error: 'unhandled critical extension' });
    expect(r.failure?.detail).toContain('1.3.6.1.4.1.99999.1');
    expectOutcome({ ...o, understoodCriticalExtensions: ['1.3.6.1.4.1.99999.1'] }, 'ok');
  });

  it('understands a critical EKU with the mdoc DS purpose, and enforces requiredEku', () => {
    const ds = issue({
      subject: 'CN=Document Signer, C=JP',
      issuer: intCa,
      extensions: [
        ...leafExtensions,
        { type: 'extKeyUsage', usages: [OID.mdlDocumentSigner], critical: true },
      ],
    });
    const o = { leaf: ds.cert, intermediates: [intCa.cert], trustAnchors: [rootCa.cert], now: NOW };
    expectOutcome({ ...o, requiredEku: OID.mdlDocumentSigner }, 'ok', {});
    expectOutcome({ ...o, requiredEku: OID.clientAuth }, 'PATH_EKU');
    // no EKU at all: unrestricted (warning) unless strict
    const plain = validateCertificatePath({ ...o, leaf: ee.cert, requiredEku: OID.mdlDocumentSigner });
    expect(plain.ok).toBe(true);
    expect(plain.checks.find((c) => c.id === 'path.eku')?.status).toBe('warning');
    expectOutcome({ ...o, leaf: ee.cert, requiredEku: OID.mdlDocumentSigner, policy: 'strict' }, 'PATH_EKU');
  });

  it('reports PATH_NO_ANCHOR when no configured anchor is reached', () => {
    const other = root('CN=Unrelated Root');
    expectOutcome(
      { leaf: ee.cert, intermediates: [intCa.cert], trustAnchors: [other.cert], now: NOW },
      'PATH_NO_ANCHOR',
      {
        error: 'unable to get local issuer certificate',
      },
    );
    expectOutcome(
      { leaf: ee.cert, intermediates: [intCa.cert], trustAnchors: [], now: NOW },
      'PATH_NO_ANCHOR',
    );
  });

  it('never trusts a root that the message carried', () => {
    const other = root('CN=Unrelated Root 2');
    // the chain including its own root is given as intermediates: still no anchor
    expectOutcome(
      { leaf: ee.cert, intermediates: [intCa.cert, rootCa.cert], trustAnchors: [other.cert], now: NOW },
      'PATH_NO_ANCHOR',
    );
  });

  it('accepts the end certificate itself as the anchor, checking its validity', () => {
    // a document signer trusted directly, not self-signed
    const r = expectOutcome({ leaf: ee.cert, trustAnchors: [ee.cert], now: NOW }, 'ok', {
      partialChain: true,
    });
    expect(r.path).toHaveLength(1);
    expect(r.anchor?.fingerprint256).toBe(ee.cert.fingerprint256);
    expectOutcome(
      { leaf: ee.cert, trustAnchors: [ee.cert], now: new Date('2031-01-01T00:00:00Z') },
      'PATH_EXPIRED',
      {
        partialChain: true,
      },
    );
    // a self-signed end certificate
    const self = issue({ subject: 'CN=Self Signed Leaf', extensions: leafExtensions });
    expectOutcome({ leaf: self.cert, trustAnchors: [self.cert], now: NOW }, 'ok', {});
  });

  it('accepts an intermediate (not self-signed) as the anchor', () => {
    const r = expectOutcome({ leaf: ee.cert, trustAnchors: [intCa.cert], now: NOW }, 'ok', {
      partialChain: true,
    });
    expect(r.path.map((c) => c.fingerprint256)).toEqual([ee.cert.fingerprint256, intCa.cert.fingerprint256]);
    // the intermediate given again by the message changes nothing
    expectOutcome(
      { leaf: ee.cert, intermediates: [intCa.cert], trustAnchors: [intCa.cert], now: NOW },
      'ok',
      {
        partialChain: true,
      },
    );
  });

  it('ignores an extra expired anchor that is not on the path', () => {
    const expiredRoot = root('CN=Expired Root', { notAfter: new Date('2024-06-01T00:00:00Z') });
    for (const anchors of [
      [expiredRoot.cert, rootCa.cert],
      [rootCa.cert, expiredRoot.cert],
    ]) {
      expectOutcome(
        { leaf: ee.cert, intermediates: [intCa.cert], trustAnchors: anchors, now: NOW },
        'ok',
        {},
      );
    }
    // an expired predecessor of the root with the same name but another key does not matter either
    const oldRoot = root('CN=Test Root, O=mynakit, C=JP', {
      keys: keysFor('old root'),
      notAfter: new Date('2024-06-01T00:00:00Z'),
    });
    for (const anchors of [
      [oldRoot.cert, rootCa.cert],
      [rootCa.cert, oldRoot.cert],
    ]) {
      expectOutcome(
        { leaf: ee.cert, intermediates: [intCa.cert], trustAnchors: anchors, now: NOW },
        'ok',
        {},
      );
    }
  });

  it('fails on an anchor’s own expiry, a warning only with ignoreTrustAnchorValidity (never under strict)', () => {
    const shortRoot = root('CN=Short Root', { notAfter: new Date('2025-03-01T00:00:00Z') });
    const i = intermediate('CN=Int Under Short Root', shortRoot);
    const l = leaf('CN=Leaf Under Short Root', i);
    const o = { leaf: l.cert, intermediates: [i.cert], trustAnchors: [shortRoot.cert], now: NOW };
    // OpenSSL agrees: "certificate has expired" for the root
    expectOutcome(o, 'PATH_EXPIRED', { error: 'certificate has expired' });
    const r = validateCertificatePath({ ...o, ignoreTrustAnchorValidity: true });
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.id === 'path.anchor_validity')?.status).toBe('warning');
    expectOutcome({ ...o, ignoreTrustAnchorValidity: true, policy: 'strict' }, 'PATH_EXPIRED');
  });

  it('chooses among same-named issuers by trying each (AKI/SKI ordering only)', () => {
    // two intermediates with the same name, different keys; only one signed the leaf
    const intB = intermediate('CN=Test Intermediate, O=mynakit, C=JP', rootCa, { keys: keysFor('int-b') });
    for (const ints of [
      [intB.cert, intCa.cert],
      [intCa.cert, intB.cert],
    ]) {
      const r = expectOutcome(
        { leaf: ee.cert, intermediates: ints, trustAnchors: [rootCa.cert], now: NOW },
        'ok',
      );
      expect(r.path[1]?.fingerprint256).toBe(intCa.cert.fingerprint256);
    }
  });

  it('enforces name constraints (PATH_NAME_CONSTRAINTS)', () => {
    const nc = issue({
      subject: 'CN=Constrained CA, C=JP',
      issuer: rootCa,
      extensions: [
        ...caExtensions(),
        {
          type: 'nameConstraints',
          permitted: [
            { type: 'dNSName', value: 'example.jp' },
            { type: 'directoryName', value: 'C=JP' },
          ],
          excluded: [{ type: 'dNSName', value: 'bad.example.jp' }],
        },
      ],
    });
    const ok = leaf('C=JP, CN=good', nc, {
      extensions: [
        ...leafExtensions,
        { type: 'subjectAltName', names: [{ type: 'dNSName', value: 'www.example.jp' }] },
      ],
    });
    expectOutcome(
      { leaf: ok.cert, intermediates: [nc.cert], trustAnchors: [rootCa.cert], now: NOW },
      'ok',
      {},
    );
    const outside = leaf('C=JP, CN=outside', nc, {
      extensions: [
        ...leafExtensions,
        { type: 'subjectAltName', names: [{ type: 'dNSName', value: 'www.example.com' }] },
      ],
    });
    expectOutcome(
      { leaf: outside.cert, intermediates: [nc.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_NAME_CONSTRAINTS',
      { error: 'permitted subtree violation' },
    );
    const excluded = leaf('C=JP, CN=excluded', nc, {
      extensions: [
        ...leafExtensions,
        { type: 'subjectAltName', names: [{ type: 'dNSName', value: 'x.bad.example.jp' }] },
      ],
    });
    expectOutcome(
      { leaf: excluded.cert, intermediates: [nc.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_NAME_CONSTRAINTS',
      { error: 'excluded subtree violation' },
    );
    const wrongDn = leaf('C=US, CN=wrong country', nc);
    expectOutcome(
      { leaf: wrongDn.cert, intermediates: [nc.cert], trustAnchors: [rootCa.cert], now: NOW },
      'PATH_NAME_CONSTRAINTS',
      { error: 'permitted subtree violation' },
    );
  });

  it('verifies RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-384/P-521 and Ed25519 signatures', () => {
    const cases = [
      { alg: 'RSA-2048', sig: 'sha256WithRSAEncryption' },
      { alg: 'RSA-2048', sig: 'RSASSA-PSS-SHA256' },
      { alg: 'P-384', sig: 'ecdsa-with-SHA384' },
      { alg: 'P-521', sig: 'ecdsa-with-SHA512' },
      { alg: 'Ed25519', sig: 'Ed25519' },
    ] as const;
    for (const c of cases) {
      const r = root(`CN=Root ${c.sig}`, { keys: keysFor(`root-${c.alg}`, c.alg), signingAlgorithm: c.sig });
      const l = leaf(`CN=Leaf ${c.sig}`, r, {
        keys: keysFor(`leaf-${c.alg}`, c.alg === 'Ed25519' ? 'Ed25519' : 'P-256'),
        signingAlgorithm: c.sig,
      });
      expect(l.cert.signatureAlgorithm.name).toContain(c.sig.startsWith('RSASSA-PSS') ? 'RSASSA-PSS' : c.sig);
      expectOutcome({ leaf: l.cert, trustAnchors: [r.cert], now: NOW }, 'ok', {});
      const forged = leaf(`CN=Forged ${c.sig}`, r, {
        signWith: keysFor(`other-${c.alg}`, c.alg).privateKey,
        signingAlgorithm: c.sig,
      });
      expectOutcome({ leaf: forged.cert, trustAnchors: [r.cert], now: NOW }, 'PATH_SIGNATURE', {});
    }
  });

  it('reaches OpenSSL’s verdict on a chain OpenSSL itself issued', () => {
    const d = ossl;
    const cnf = d.write(
      'ext.cnf',
      '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' +
        '[ee]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\n',
    );
    d.ok(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'os-root.key']);
    d.ok([
      'req',
      '-new',
      '-x509',
      '-key',
      'os-root.key',
      '-subj',
      '/C=JP/O=OpenSSL Test/CN=OpenSSL Root',
      '-days',
      '3650',
      '-config',
      cnf,
      '-extensions',
      'ca',
      '-out',
      'os-root.pem',
    ]);
    d.ok(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'os-ee.key']);
    d.ok([
      'req',
      '-new',
      '-key',
      'os-ee.key',
      '-subj',
      '/C=JP/CN=OpenSSL Leaf',
      '-config',
      cnf,
      '-out',
      'os-ee.csr',
    ]);
    d.ok([
      'x509',
      '-req',
      '-in',
      'os-ee.csr',
      '-CA',
      'os-root.pem',
      '-CAkey',
      'os-root.key',
      '-set_serial',
      '0x0badc0de',
      '-days',
      '30',
      '-extfile',
      cnf,
      '-extensions',
      'ee',
      '-out',
      'os-ee.pem',
    ]);
    const rootPem = d.ok(['x509', '-in', 'os-root.pem']).stdout;
    const eePem = d.ok(['x509', '-in', 'os-ee.pem']).stdout;
    const dates = d.ok(['x509', '-in', 'os-ee.pem', '-noout', '-startdate', '-enddate']).stdout;
    const start = new Date(/notBefore=(.*)/.exec(dates)![1]!);
    const end = new Date(/notAfter=(.*)/.exec(dates)![1]!);
    const r = parseCertificate(rootPem);
    const e = parseCertificate(eePem);
    expect(e.serialNumber).toBe('0badc0de');
    const mid = new Date((start.getTime() + end.getTime()) / 2);
    expectOutcome({ leaf: e, trustAnchors: [r], now: mid }, 'ok', {});
    expectOutcome(
      { leaf: e, trustAnchors: [r], now: new Date(end.getTime() + 86_400_000) },
      'PATH_EXPIRED',
      {},
    );
    expectOutcome(
      { leaf: e, trustAnchors: [r], now: new Date(start.getTime() - 86_400_000) },
      'PATH_NOT_YET_VALID',
      {},
    );
  });
});

describe('an end certificate trusted as an anchor', () => {
  it('is trusted only as the exact configured bytes, not as a same-name same-key copy', async () => {
    const { generateKeyPair, createCertificate, parseCertificate, validateCertificatePath } = await import(
      '../src/index.js'
    );
    const keys = generateKeyPair('P-256');
    const make = (notAfter: Date) =>
      parseCertificate(
        createCertificate({
          subject: 'C=JP, CN=document signer',
          publicKey: keys.publicKey,
          privateKey: keys.privateKey,
          notBefore: new Date('2025-01-01T00:00:00Z'),
          notAfter,
          serialNumber: '01',
        }),
      );
    const configured = make(new Date('2026-01-01T00:00:00Z'));
    const sameNameAndKey = make(new Date('2030-01-01T00:00:00Z'));
    const now = new Date('2027-01-01T00:00:00Z');
    // The configured anchor has expired by `now`: trusting it as the end certificate fails on validity.
    const direct = validateCertificatePath({ leaf: configured, trustAnchors: [configured], now });
    expect(direct.ok).toBe(false);
    expect(direct.failure?.code).toBe('PATH_EXPIRED');
    // A copy with the same name and key is not the anchor itself; it must chain, and its own dates are used
    // only once its signature under the anchor's key has been checked.
    const copy = validateCertificatePath({ leaf: sameNameAndKey, trustAnchors: [configured], now });
    expect(copy.path[0]?.fingerprint256).toBe(sameNameAndKey.fingerprint256);
    expect(copy.path.length).toBe(2);
  });
});
