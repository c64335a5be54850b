/**
 * RFC 5280 rules of path validation about trust anchors, names and name constraints, each quoted.
 */
import { describe, expect, it } from 'vitest';
import { bitString, integer, sequence, x509Time } from '../src/der-writer.js';
import {
  type Certificate,
  type ExtensionInput,
  encodeName,
  type GeneralNameInput,
  type PathFailureCode,
  parseCertificate,
  spkiOf,
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
  NOT_AFTER,
  NOT_BEFORE,
  NOW,
  root,
  type TestEntity,
} from './helpers/chain.js';
import { algorithmIdentifier, signBytes } from './helpers/resign.js';

function expectCode(o: ValidateCertificatePathOptions, code: PathFailureCode | 'ok', checkId?: string) {
  const r = validateCertificatePath(o);
  if (code === 'ok') expect(r.failure, JSON.stringify(r.checks, null, 1)).toBeUndefined();
  else {
    expect(r.failure?.code, JSON.stringify(r.checks, null, 1)).toBe(code);
    if (checkId) expect(r.checks.find((c) => c.id === checkId)?.status).toBe('failed');
  }
  return r;
}

const ODD = '1.3.6.1.4.1.99999.7';
const oddCritical: ExtensionInput = { type: 'raw', oid: ODD, critical: true, valueDer: Uint8Array.of(5, 0) };

describe('trust anchors (RFC 5280 §6.1.1 (d); constraints an anchor states are honoured)', () => {
  it('an anchor with an unknown critical extension does not issue (§6.1.4 (o))', () => {
    // "(o) Recognize and process any other critical extension present in the certificate."
    const odd = root('CN=Odd Root, C=JP', { extensions: [...caExtensions(), oddCritical] });
    const l = leaf('CN=Under Odd Root', odd);
    expectCode(
      { leaf: l.cert, trustAnchors: [odd.cert], now: NOW },
      'PATH_UNKNOWN_CRITICAL_EXTENSION',
      'path.critical_extensions',
    );
    expectCode(
      { leaf: l.cert, trustAnchors: [odd.cert], now: NOW, understoodCriticalExtensions: [ODD] },
      'ok',
    );
  });

  it('a v3 anchor without basicConstraints is not a CA (§4.2.1.9); a v1 anchor still is', () => {
    // "Conforming CAs MUST include this extension in all CA certificates that contain public keys used
    //  to validate digital signatures on certificates"
    const noBc = root('CN=No BC Root, C=JP', { extensions: [{ type: 'keyUsage', usages: ['keyCertSign'] }] });
    const l = leaf('CN=Under No BC Root', noBc);
    expect(noBc.cert.version).toBe(3);
    expectCode(
      { leaf: l.cert, trustAnchors: [noBc.cert], now: NOW },
      'PATH_NOT_CA',
      'path.basic_constraints',
    );

    const v1 = v1Root('CN=V1 Root, C=JP');
    expect(v1.cert.version).toBe(1);
    const l1 = leaf('CN=Under V1 Root', v1);
    expectCode({ leaf: l1.cert, trustAnchors: [v1.cert], now: NOW }, 'ok');
  });

  it('an expired or not yet valid anchor fails by default; ignoreTrustAnchorValidity makes it a warning', () => {
    const old = root('CN=Expired Anchor, C=JP', { notAfter: new Date('2025-03-01T00:00:00Z') });
    const i = intermediate('CN=Int Under Expired Anchor', old);
    const l = leaf('CN=Leaf Under Expired Anchor', i);
    const o = { leaf: l.cert, intermediates: [i.cert], trustAnchors: [old.cert], now: NOW };
    expectCode(o, 'PATH_EXPIRED', 'path.anchor_validity');
    const r = expectCode({ ...o, ignoreTrustAnchorValidity: true }, 'ok');
    expect(r.checks.find((c) => c.id === 'path.anchor_validity')?.status).toBe('warning');

    const early = root('CN=Future Anchor, C=JP', { notBefore: new Date('2025-09-01T00:00:00Z') });
    const le = leaf('CN=Leaf Under Future Anchor', early, { notBefore: new Date('2025-01-01T00:00:00Z') });
    expectCode({ leaf: le.cert, trustAnchors: [early.cert], now: NOW }, 'PATH_NOT_YET_VALID');
  });
});

describe('name constraints (RFC 5280 §4.2.1.10)', () => {
  const san = (...names: GeneralNameInput[]): ExtensionInput => ({ type: 'subjectAltName', names });
  const dns = (value: string): GeneralNameInput => ({ type: 'dNSName', value });
  let roots = 0;
  const constrained = (permitted: GeneralNameInput[], excluded: GeneralNameInput[] = []) =>
    root(`CN=NC Root ${roots++}, C=JP`, {
      keys: keysFor('nc-root'),
      extensions: [...caExtensions(), { type: 'nameConstraints', permitted, excluded }],
    });
  let serial = 0x100;
  const under = (ca: TestEntity, ...names: string[]) =>
    leaf('CN=NC Leaf', ca, {
      serialNumber: (serial++).toString(16),
      extensions: [...leafExtensions, san(...names.map(dns))],
    }).cert;
  const check = (ca: TestEntity, ...names: string[]) =>
    validateCertificatePath({ leaf: under(ca, ...names), trustAnchors: [ca.cert], now: NOW });

  it('is only for CA certificates: an end certificate carrying it fails', () => {
    // "The name constraints extension, which MUST be used only in a CA certificate, …"
    const plain = root('CN=Plain Root, C=JP');
    for (const critical of [true, false]) {
      const l = leaf('CN=EE With NC', plain, {
        extensions: [
          ...leafExtensions,
          { type: 'nameConstraints', permitted: [dns('example.com')], critical },
        ],
      });
      expectCode(
        { leaf: l.cert, trustAnchors: [plain.cert], now: NOW },
        'PATH_NAME_CONSTRAINTS',
        'path.name_constraints',
      );
    }
  });

  it('dNSName constraints match whole labels', () => {
    // "Any DNS name that can be constructed by simply adding zero or more labels to the left-hand side
    //  of the name satisfies the name constraint."
    const ca = constrained([dns('example.com')]);
    expect(check(ca, 'example.com').ok).toBe(true);
    expect(check(ca, 'www.example.com').ok).toBe(true);
    expect(check(ca, 'a.b.EXAMPLE.com').ok).toBe(true);
    expect(check(ca, 'badexample.com').failure?.code).toBe('PATH_NAME_CONSTRAINTS');
    expect(check(ca, 'example.com.evil.org').failure?.code).toBe('PATH_NAME_CONSTRAINTS');
    const sub = constrained([dns('.example.com')]);
    expect(check(sub, 'a.example.com').ok).toBe(true);
    expect(check(sub, 'example.com').failure?.code).toBe('PATH_NAME_CONSTRAINTS');
  });

  it('a malformed dNSName in the subjectAltName fails under a dNSName constraint (§4.2.1.6)', () => {
    // "[dNSName] MUST be in the "preferred name syntax", as specified by Section 3.5 of [RFC1034]"
    const ca = constrained([dns('example.com')]);
    for (const bad of [
      '.example.com',
      'foo..example.com',
      'exa mple.example.com',
      'example.com.',
      '',
      '-a.example.com',
    ]) {
      const r = check(ca, 'ok.example.com', bad);
      expect(r.failure?.code, bad).toBe('PATH_NAME_CONSTRAINTS');
      expect(r.failure?.detail).toContain('malformed');
    }
  });

  it('a wildcard name that covers an excluded name is excluded; one inside a permitted domain is permitted', () => {
    const ca = constrained([dns('example.com')], [dns('secret.example.com')]);
    expect(check(ca, '*.example.com').failure?.code).toBe('PATH_NAME_CONSTRAINTS');
    expect(check(ca, '*.public.example.com').ok).toBe(true);
    const narrow = constrained([dns('www.example.com')]);
    expect(check(narrow, '*.example.com').failure?.code).toBe('PATH_NAME_CONSTRAINTS');
  });

  it('a malformed dNSName constraint cannot be evaluated and fails', () => {
    const ca = constrained([dns('*.example.com')]);
    expect(check(ca, 'www.example.com').failure?.code).toBe('PATH_NAME_CONSTRAINTS');
  });

  it('an empty NameConstraints (no subtrees) fails (§4.2.1.10: one of them MUST be present)', () => {
    // "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence."
    const empty = root('CN=Empty NC Root, C=JP', {
      extensions: [
        ...caExtensions(),
        { type: 'raw', oid: '2.5.29.30', critical: true, valueDer: Uint8Array.of(0x30, 0) },
      ],
    });
    expectCode(
      { leaf: leaf('CN=Under Empty NC', empty).cert, trustAnchors: [empty.cert], now: NOW },
      'PATH_NAME_CONSTRAINTS',
    );
    // GeneralSubtrees ::= SEQUENCE SIZE (1..MAX): empty subtrees are not DER of the type
    expect(() =>
      root('CN=Empty Subtrees Root, C=JP', {
        extensions: [
          ...caExtensions(),
          {
            type: 'raw',
            oid: '2.5.29.30',
            critical: true,
            valueDer: Uint8Array.of(0x30, 4, 0xa0, 0, 0xa1, 0),
          },
        ],
      }),
    ).toThrow(/GeneralSubtrees/);
  });
});

describe('names (RFC 5280 §4.1.2.4, §4.1.2.6, §4.2.1.6)', () => {
  it('a CA with an empty subject cannot issue: the issuer name would be empty', () => {
    // "The issuer field MUST contain a non-empty distinguished name (DN)."
    const anon = root('', { keys: keysFor('anon-root') });
    const l = leaf('CN=Under Anonymous CA', anon);
    expectCode({ leaf: l.cert, trustAnchors: [anon.cert], now: NOW }, 'PATH_INVALID_NAME', 'path.names');
  });

  it('an empty subject needs a critical subjectAltName', () => {
    // "If the subject field contains an empty sequence, then the issuing CA MUST include a
    //  subjectAltName extension that is marked as critical."
    const ca = root('CN=Names Root, C=JP');
    const names: GeneralNameInput[] = [{ type: 'dNSName', value: 'example.com' }];
    const nonCritical = leaf('', ca, {
      keys: keysFor('empty-subject'),
      extensions: [...leafExtensions, { type: 'subjectAltName', names, critical: false }],
    });
    expectCode(
      { leaf: nonCritical.cert, trustAnchors: [ca.cert], now: NOW },
      'PATH_INVALID_NAME',
      'path.names',
    );
    const none = leaf('', ca, { keys: keysFor('empty-subject-2') });
    expectCode({ leaf: none.cert, trustAnchors: [ca.cert], now: NOW }, 'PATH_INVALID_NAME');
    const critical = leaf('', ca, {
      keys: keysFor('empty-subject-3'),
      extensions: [...leafExtensions, { type: 'subjectAltName', names, critical: true }],
    });
    expectCode({ leaf: critical.cert, trustAnchors: [ca.cert], now: NOW }, 'ok');
  });
});

describe('keyUsage (RFC 5280 §4.2.1.3)', () => {
  it('keyCertSign in a certificate that is not a CA fails', () => {
    // "If the keyUsage extension asserts the keyCertSign bit, then the cA bit in the basic constraints
    //  extension MUST also be asserted."
    const ca = root('CN=KU Root, C=JP');
    const l = issue({
      subject: 'CN=KU Leaf',
      issuer: ca,
      extensions: [
        { type: 'basicConstraints', ca: false },
        { type: 'keyUsage', usages: ['digitalSignature', 'keyCertSign'] },
      ],
    });
    expectCode({ leaf: l.cert, trustAnchors: [ca.cert], now: NOW }, 'PATH_KEY_USAGE', 'path.key_usage');
  });
});

/** A version 1 self-signed certificate (no version field, no extensions). */
function v1Root(subject: string): TestEntity {
  const keys = keysFor(`v1 ${subject}`);
  const name = encodeName(subject);
  const alg = algorithmIdentifier('ecdsa-with-SHA256');
  const tbs = sequence(
    integer(7),
    alg,
    name,
    sequence(x509Time(NOT_BEFORE), x509Time(NOT_AFTER)),
    name,
    spkiOf(keys.publicKey),
  );
  const der = sequence(tbs, alg, bitString(signBytes('ecdsa-with-SHA256', tbs, keys.privateKey)));
  const cert: Certificate = parseCertificate(der);
  return { cert, der, pem: '', keys, privateKey: keys.privateKey };
}
