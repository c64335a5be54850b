/**
 * Received text never indexes a plain object (ARCHITECTURE.md, house rules): certificates, CMS and
 * life-event or PIN-kind names whose strings are `constructor`, `__proto__`, `toString`… verify or fail
 * cleanly with their check ids and codes, and leave Object.prototype as it was.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createCertificate, parseCertificate, signCms } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicFourOfCertificate,
  checkCertificate,
  checkJpkiCaCertificate,
  checkPinFormat,
  compareIdentity,
  createChallenge,
  createJpkiCaCertificate,
  inspectCertificate,
  inspectDocument,
  JPKI_OID,
  type LifeEvent,
  type PinKind,
  parseBirthDateForm,
  parseSexForm,
  policyFor,
  revocationFor,
  sexText,
  signAuthChallenge,
  verifyAuthResponse,
  verifyJpkiSignature,
} from '../src/index.js';

const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

function prototypeSnapshot(): string {
  const names = Object.getOwnPropertyNames(Object.prototype).sort();
  return JSON.stringify(
    names.map((n) => {
      const d = Object.getOwnPropertyDescriptor(Object.prototype, n);
      return [n, typeof d?.value, typeof d?.get, typeof d?.set, d?.writable, d?.enumerable];
    }),
  );
}
const before = prototypeSnapshot();
const originalToString = Object.prototype.toString;
afterAll(() => {
  expect(prototypeSnapshot()).toBe(before);
  expect(Object.prototype.toString).toBe(originalToString);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = new Date('2026-03-01T00:00:00Z');
let caKey: ReturnType<typeof rsa>;
let ca: ReturnType<typeof parseCertificate>;
let leafKey: ReturnType<typeof rsa>;

beforeAll(() => {
  caKey = rsa();
  leafKey = rsa();
  ca = parseCertificate(
    createJpkiCaCertificate({
      purpose: 'signature',
      publicKey: caKey.publicKey,
      privateKey: caKey.privateKey,
      notBefore: new Date('2023-01-01T00:00:00Z'),
      notAfter: new Date('2033-01-01T00:00:00Z'),
      // DN attribute values as hostile strings, in the CA's name and its Japanese alternative name.
      name: [
        ['C', 'JP'],
        ['O', 'constructor'],
        ['OU', '__proto__'],
        ['CN', 'toString'],
      ],
      altName: [
        ['C', 'JP'],
        ['O', '__proto__'],
      ],
    }),
  );
}, 60_000);

/** A JPKI-shaped signature certificate whose basic-four otherName values are the given strings. */
function crafted(values: {
  name: string;
  nameMap: string;
  sex: string;
  birthDate: string;
  address: string;
  addressMap: string;
}) {
  const on = (typeId: string, value: string) => ({ type: 'otherName' as const, typeId, value });
  return parseCertificate(
    createCertificate({
      subject: [
        [{ type: 'C', value: 'JP' }],
        [{ type: 'L', value: '__proto__' }],
        [{ type: 'CN', value: 'constructor' }],
      ],
      issuer: { certificate: ca, privateKey: caKey.privateKey },
      publicKey: leafKey.publicKey,
      notBefore: new Date('2025-06-24T00:00:00Z'),
      notAfter: new Date('2030-01-02T14:59:59Z'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature', 'nonRepudiation'], critical: true },
        {
          type: 'certificatePolicies',
          policies: [JPKI_OID.signaturePolicy, '2.999.0', '0.0'],
          critical: true,
        },
        {
          type: 'subjectAltName',
          names: [
            on(JPKI_OID.name, values.name),
            on(JPKI_OID.nameSubstitutionMap, values.nameMap),
            on(JPKI_OID.sex, values.sex),
            on(JPKI_OID.birthDate, values.birthDate),
            on(JPKI_OID.address, values.address),
            on(JPKI_OID.addressSubstitutionMap, values.addressMap),
          ],
        },
      ],
    }),
  );
}

const statusOf = (checks: readonly { id: string; status: string }[], id: string) =>
  checks.find((c) => c.id === id)?.status;

describe('basic-four values that are Object.prototype property names', () => {
  it.each(HOSTILE)(
    'sex "%s" fails jpki.basic_four with INVALID_SEX; the rest of the report stands',
    async (s) => {
      const cert = crafted({
        name: s,
        nameMap: '0'.repeat(s.length),
        sex: s,
        birthDate: s,
        address: s,
        addressMap: '0'.repeat(s.length),
      });
      expect(() => basicFourOfCertificate(cert)).toThrow(expect.objectContaining({ code: 'INVALID_SEX' }));
      const signature = signCms({
        content: new TextEncoder().encode(s),
        detached: false,
        signer: { certificate: cert, privateKey: leafKey.privateKey },
        signingTime: NOW,
      });
      const r = await verifyJpkiSignature({ signature, trustAnchors: [ca], now: NOW, profile: 'jpki-sign' });
      expect(statusOf(r.checks, 'cms.signature')).toBe('passed');
      expect(statusOf(r.checks, 'cert.path')).toBe('passed');
      expect(statusOf(r.checks, 'cert.policy')).toBe('passed');
      expect(statusOf(r.checks, 'jpki.basic_four')).toBe('failed');
      expect(r.checks.find((c) => c.id === 'jpki.basic_four')?.detail).toMatch(/^INVALID_SEX/);
      expect(r.verdict).toBe('invalid');
      expect(r.basicFour).toBeUndefined();
      expect(r.signer?.subjectCommonName).toBe('constructor');
      const i = inspectDocument(signature);
      expect(i.kind).toBe('cms');
      const c = inspectCertificate(cert);
      expect(c.basicFour).toBeUndefined();
      expect(c.basicFourError).toMatch(/^INVALID_SEX/);
      expect(c.subject).toBe('C=JP, L=__proto__, CN=constructor');
    },
  );

  it.each(HOSTILE)('name, address and maps "%s" are plain data in a valid report', async (s) => {
    const cert = crafted({
      name: s,
      nameMap: '0'.repeat(s.length),
      sex: '2',
      birthDate: '419900102',
      address: `東京都${s}`,
      addressMap: '0'.repeat(s.length + 3),
    });
    const b = basicFourOfCertificate(cert);
    expect(b).toMatchObject({ name: s, address: `東京都${s}` });
    expect(Object.hasOwn(b ?? {}, 'name')).toBe(true);
    const r = await checkCertificate({
      certificate: cert,
      intermediates: [],
      trustAnchors: [ca],
      revocation: [],
      now: NOW,
      profile: 'jpki-sign',
    });
    expect(statusOf(r.checks, 'jpki.basic_four')).toBe('passed');
    expect(r.basicFour?.name).toBe(s);
    expect(inspectCertificate(cert).basicFour).toMatchObject({ name: s, sexText: 'female' });
    // A map that is a property name is no map.
    const badMap = crafted({
      name: s,
      nameMap: s,
      sex: '1',
      birthDate: '419900102',
      address: '東京都',
      addressMap: '000',
    });
    expect(() => basicFourOfCertificate(badMap)).toThrow(
      expect.objectContaining({ code: 'INVALID_SUBSTITUTION_MAP' }),
    );
  });

  it.each(HOSTILE)(
    'comparing identities with "%s" as each fact says unknown or mismatch, never throws',
    (s) => {
      expect(parseSexForm(s)).toBeUndefined();
      expect(parseBirthDateForm(s)).toBeUndefined();
      expect(sexText(s)).toBe(s);
      const facts = { name: s, address: s, birthDate: s, sex: s };
      expect(compareIdentity(facts, { name: '番号\u3000花子', birthDate: '419900102', sex: '2' })).toEqual({
        name: 'mismatch',
        address: 'unknown',
        birthDate: 'unknown',
        sex: 'unknown',
      });
    },
  );
});

describe('names of life events and PIN kinds are own properties only', () => {
  it.each(HOSTILE)('"%s" is an unknown life event and an unknown PIN kind', (s) => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(codeOf(() => revocationFor(s as LifeEvent))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => policyFor(s as PinKind))).toBe('INVALID_PIN_KIND');
    expect(codeOf(() => checkPinFormat(s as PinKind, '1234'))).toBe('INVALID_PIN_KIND');
  });
});

describe('hostile names in CA certificates and user authentication', () => {
  it('a CA named with property names is inspected and profiled like any other', () => {
    const r = checkJpkiCaCertificate(ca, { now: NOW });
    expect(statusOf(r.checks, 'ca.name')).toBe('warning');
    expect(r.purpose).toBeUndefined();
    expect(r.generation).toBeUndefined();
    const i = inspectCertificate(ca);
    expect(i.subject).toBe('C=JP, O=constructor, OU=__proto__, CN=toString');
    expect(i.subjectAltName).toEqual(['DirName: C=JP, O=__proto__']);
  });

  it('user authentication with a hostile certificate reports, it does not throw', async () => {
    const cert = crafted({
      name: '__proto__',
      nameMap: '000000000',
      sex: '__proto__',
      birthDate: 'constructor',
      address: 'toString',
      addressMap: '00000000',
    });
    const challenge = createChallenge();
    const r = await verifyAuthResponse({
      challenge,
      signature: signAuthChallenge(challenge, leafKey.privateKey),
      certificate: cert,
      trustAnchors: [ca],
      now: NOW,
    });
    expect(statusOf(r.checks, 'auth.signature')).toBe('passed');
    expect(statusOf(r.checks, 'cert.key_usage')).toBe('failed');
    expect(statusOf(r.checks, 'jpki.basic_four')).toBe('warning');
    expect(r.identity?.subjectCommonName).toBe('constructor');
    expect(r.verdict).toBe('invalid');
  });
});
