/**
 * The signed answer of an issuer's per-record status inquiry (record-inquiry-evidence.ts): a CWT in a
 * COSE_Sign1_Tagged (RFC 9052 §4.2, RFC 8392), typ application/inquiry-evidence+cwt (RFC 9596) in the
 * protected header, x5chain (RFC 9360) to the record IACA. What is signed verifies — also under an
 * independent CBOR codec (cborg) and node:crypto over the Sig_structure (RFC 9052 §4.4) — and every way an
 * answer may be for another record, another client, another issuer, another time or another kind of
 * object fails its own check, never throws.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { type CborMap, type CborValue, encode } from '@mynakit/cbor';
import { type CoseSigner, HeaderLabel, signSign1, x5chainValue } from '@mynakit/cose';
import { type Certificate, createCertificate, parseCertificate, STATUS_LIST_SIGNING_EKU } from '@mynakit/pki';
import { decode as oracleDecode, encode as oracleEncode } from 'cborg';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InquiryEvidenceCheck as C,
  INQUIRY_EVIDENCE_TYP,
  InquiryClaim,
  type InquiryEvidenceVerification,
  MAX_INQUIRY_EVIDENCE_BYTES,
  type SignInquiryEvidenceInput,
  StatusList,
  StatusListError,
  signInquiryEvidence,
  signStatusListCwt,
  type VerifyInquiryEvidenceOptions,
  verifyInquiryEvidence,
} from '../src/index.js';

const NOW = new Date('2026-04-01T09:00:00Z');
const CHECKED_AT = new Date('2026-04-01T08:59:30Z');
const ISSUER = 'https://issuer.example';
const CLIENT = 'x509_san_dns:rp.example';
const DIGEST = new Uint8Array(
  createHash('sha256').update('MobileSecurityObjectBytes of one record').digest(),
);
const OTHER_DIGEST = new Uint8Array(createHash('sha256').update('another record').digest());

interface Ca {
  readonly cert: Certificate;
  readonly key: KeyObject;
}
interface Signer {
  readonly der: Uint8Array;
  readonly key: KeyObject;
  readonly publicKey: KeyObject;
}

function p256() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function makeIaca(cn: string): Ca {
  const pair = p256();
  const der = createCertificate({
    subject: `C=JP, O=mynakit test, CN=${cn}`,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    extensions: [
      { type: 'basicConstraints', ca: true, pathLength: 0 },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
    ],
  });
  return { cert: parseCertificate(der), key: pair.privateKey };
}

function makeSigner(by: Ca): Signer {
  const pair = p256();
  const der = createCertificate({
    subject: 'C=JP, O=mynakit test, CN=status list signer',
    issuer: { certificate: by.cert, privateKey: by.key },
    publicKey: pair.publicKey,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'] },
      { type: 'extKeyUsage', usages: [STATUS_LIST_SIGNING_EKU] },
    ],
  });
  return { der, key: pair.privateKey, publicKey: pair.publicKey };
}

let iaca: Ca;
let otherIaca: Ca;
let signer: Signer;

beforeAll(() => {
  iaca = makeIaca('mynakit test record IACA');
  otherIaca = makeIaca('mynakit test other IACA');
  signer = makeSigner(iaca);
});

/** Overrides of the signing input; `undefined` removes a field (e.g. `key`, to give `signer` alone). */
type InputOverride = { [K in keyof SignInquiryEvidenceInput]?: SignInquiryEvidenceInput[K] | undefined };

const input = (extra: InputOverride = {}): SignInquiryEvidenceInput => {
  const merged: Record<string, unknown> = {
    msoDigest: DIGEST,
    status: 'valid',
    checkedAt: CHECKED_AT,
    audience: CLIENT,
    issuer: ISSUER,
    key: signer.key,
    x5chain: [signer.der],
    ...extra,
  };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged as unknown as SignInquiryEvidenceInput;
};

const options = (extra: Partial<VerifyInquiryEvidenceOptions> = {}): VerifyInquiryEvidenceOptions => ({
  now: NOW,
  trustAnchors: [iaca.cert.der],
  msoDigest: DIGEST,
  audience: CLIENT,
  issuer: ISSUER,
  ...extra,
});

const statusOf = (v: InquiryEvidenceVerification, id: string) =>
  v.report.checks.find((c) => c.id === id)?.status;

/** The ids of the checks that failed. */
const failedIds = (v: InquiryEvidenceVerification) =>
  v.report.checks.filter((c) => c.status === 'failed').map((c) => c.id);

const claimsOf = (over: Partial<Record<'iss' | 'aud' | 'iat' | 'digest' | 'status', CborValue>> = {}) =>
  new Map<CborValue, CborValue>([
    [InquiryClaim.iss, over.iss ?? ISSUER],
    [InquiryClaim.aud, over.aud ?? CLIENT],
    [InquiryClaim.iat, over.iat ?? Math.floor(CHECKED_AT.getTime() / 1000)],
    [InquiryClaim.msoDigest, over.digest ?? DIGEST],
    [InquiryClaim.status, over.status ?? 'valid'],
  ]);

/** Evidence built by hand with @mynakit/cose, to place headers and claims where the signer never would. */
async function handBuilt(
  parts: { protectedHeaders?: CborMap; unprotectedHeaders?: CborMap; claims?: CborMap; key?: KeyObject } = {},
): Promise<Uint8Array> {
  const sign1 = await signSign1({
    protectedHeaders:
      parts.protectedHeaders ??
      new Map<CborValue, CborValue>([
        [HeaderLabel.alg, -7],
        [HeaderLabel.typ, INQUIRY_EVIDENCE_TYP],
      ]),
    unprotectedHeaders:
      parts.unprotectedHeaders ??
      new Map<CborValue, CborValue>([[HeaderLabel.x5chain, x5chainValue([signer.der])]]),
    payload: encode(parts.claims ?? claimsOf()),
    key: parts.key ?? signer.key,
    tagged: true,
  });
  return sign1.encode({ tagged: true });
}

describe('signInquiryEvidence → verifyInquiryEvidence', () => {
  it('verifies: ok, the status, when the issuer looked, and the signer certificate', async () => {
    for (const status of ['valid', 'invalid', 'suspended', 'unknown'] as const) {
      const v = await verifyInquiryEvidence(await signInquiryEvidence(input({ status })), options());
      expect(v.ok, JSON.stringify(v.report.checks)).toBe(true);
      expect(v.report.verdict).toBe('valid');
      expect(v.status).toBe(status);
      expect(v.checkedAt?.toISOString()).toBe(CHECKED_AT.toISOString());
      expect(Buffer.from(v.signerCertificate ?? []).equals(Buffer.from(signer.der))).toBe(true);
      expect(v.report.checks.map((c) => c.id).sort()).toEqual(Object.values(C).sort());
    }
  });

  it('without an issuer to compare with, iss need only be present', async () => {
    const { issuer: _, ...noIssuer } = options();
    const v = await verifyInquiryEvidence(await signInquiryEvidence(input()), noIssuer);
    expect(v.ok).toBe(true);
    expect(statusOf(v, C.issuer)).toBe('passed');
  });

  it('signs through a COSE signer (a key held elsewhere) as well', async () => {
    const coseSigner: CoseSigner = {
      algorithm: 'ES256',
      sign: async (tbs) =>
        new Uint8Array(sign('sha256', tbs, { key: signer.key, dsaEncoding: 'ieee-p1363' })),
    };
    const evidence = await signInquiryEvidence(input({ key: undefined, signer: coseSigner }));
    const v = await verifyInquiryEvidence(evidence, options());
    expect(v.ok).toBe(true);
  });

  it('independently of our codec: COSE_Sign1_Tagged, alg -7 and typ protected, ES256 over the Sig_structure', async () => {
    const evidence = await signInquiryEvidence(input({ status: 'suspended' }));
    expect(evidence[0]).toBe(0xd2); // tag 18 (RFC 9052 §2)
    const tags: Record<number, (decode: () => unknown) => unknown> = {
      18: (decodeInner) => ({ tag18: decodeInner() }),
    };
    const top = oracleDecode(evidence, { tags, useMaps: true }) as { tag18: unknown };
    const arr = top.tag18 as [Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array];
    expect(Array.isArray(arr)).toBe(true);
    expect(arr).toHaveLength(4);
    const [protectedBytes, unprotected, payload, signature] = arr;
    const protectedMap = oracleDecode(protectedBytes, { useMaps: true }) as Map<number, unknown>;
    expect(protectedMap.get(1)).toBe(-7);
    expect(protectedMap.get(16)).toBe(INQUIRY_EVIDENCE_TYP);
    expect(protectedMap.size).toBe(2);
    const x5chain = unprotected.get(33);
    expect(Buffer.from(x5chain as Uint8Array).equals(Buffer.from(signer.der))).toBe(true);
    const claims = oracleDecode(payload, { useMaps: true }) as Map<number | string, unknown>;
    expect(claims.get(1)).toBe(ISSUER);
    expect(claims.get(3)).toBe(CLIENT);
    expect(claims.get(6)).toBe(CHECKED_AT.getTime() / 1000);
    expect(Buffer.from(claims.get('mso_digest') as Uint8Array).equals(Buffer.from(DIGEST))).toBe(true);
    expect(claims.get('status')).toBe('suspended');
    expect(claims.size).toBe(5);
    expect(signature).toHaveLength(64);
    const sigStructure = oracleEncode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
    const ok = verify(
      'sha256',
      sigStructure,
      { key: signer.publicKey, dsaEncoding: 'ieee-p1363' },
      signature,
    );
    expect(ok).toBe(true);
    // and the oracle itself can fail: another payload does not verify under that signature
    const other = oracleEncode(['Signature1', protectedBytes, new Uint8Array(0), encode(claimsOf())]);
    expect(verify('sha256', other, { key: signer.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
      false,
    );
  });
});

describe('an answer about something else fails its own check', () => {
  it('another record (mso_digest) → inquiry_evidence.record', async () => {
    const v = await verifyInquiryEvidence(
      await signInquiryEvidence(input({ msoDigest: OTHER_DIGEST })),
      options(),
    );
    expect(v.ok).toBe(false);
    expect(failedIds(v)).toEqual([C.record]);
  });

  it('another client (aud) → inquiry_evidence.audience', async () => {
    const v = await verifyInquiryEvidence(
      await signInquiryEvidence(input({ audience: 'x509_san_dns:other-rp.example' })),
      options(),
    );
    expect(v.ok).toBe(false);
    expect(failedIds(v)).toEqual([C.audience]);
  });

  it('another issuer (iss) → inquiry_evidence.issuer', async () => {
    const v = await verifyInquiryEvidence(
      await signInquiryEvidence(input({ issuer: 'https://other-issuer.example' })),
      options(),
    );
    expect(v.ok).toBe(false);
    expect(failedIds(v)).toEqual([C.issuer]);
  });

  it('no iss at all, with no issuer to compare with → inquiry_evidence.issuer', async () => {
    const claims = claimsOf();
    claims.delete(InquiryClaim.iss);
    const { issuer: _, ...noIssuer } = options();
    const v = await verifyInquiryEvidence(await handBuilt({ claims }), noIssuer);
    expect(failedIds(v)).toEqual([C.issuer]);
  });

  it('older than maxAgeSeconds → inquiry_evidence.issued_at; just inside → passed', async () => {
    const evidence = await signInquiryEvidence(input());
    const tooOld = await verifyInquiryEvidence(evidence, options({ maxAgeSeconds: 29 }));
    expect(tooOld.ok).toBe(false);
    expect(failedIds(tooOld)).toEqual([C.issuedAt]);
    expect(tooOld.checkedAt).toBeUndefined();
    expect((await verifyInquiryEvidence(evidence, options({ maxAgeSeconds: 30 }))).ok).toBe(true);
    // the default (300 s) refuses an answer ten minutes old
    const later = await verifyInquiryEvidence(
      evidence,
      options({ now: new Date(CHECKED_AT.getTime() + 600_000) }),
    );
    expect(failedIds(later)).toEqual([C.issuedAt]);
  });

  it('iat in the future beyond the skew → inquiry_evidence.issued_at', async () => {
    const future = await signInquiryEvidence(input({ checkedAt: new Date(NOW.getTime() + 120_000) }));
    expect(failedIds(await verifyInquiryEvidence(future, options()))).toEqual([C.issuedAt]);
    const slight = await signInquiryEvidence(input({ checkedAt: new Date(NOW.getTime() + 30_000) }));
    expect((await verifyInquiryEvidence(slight, options())).ok).toBe(true);
    expect(failedIds(await verifyInquiryEvidence(slight, options({ clockSkewSeconds: 10 })))).toEqual([
      C.issuedAt,
    ]);
  });

  it('iat not a NumericDate → inquiry_evidence.issued_at', async () => {
    for (const iat of ['2026-04-01T08:59:30Z', -1, 1.5] as CborValue[]) {
      const v = await verifyInquiryEvidence(await handBuilt({ claims: claimsOf({ iat }) }), options());
      expect(failedIds(v)).toEqual([C.issuedAt]);
    }
  });

  it('an unknown status string → inquiry_evidence.status, no status reported', async () => {
    for (const status of ['revoked', 'VALID', '', 0] as CborValue[]) {
      const v = await verifyInquiryEvidence(await handBuilt({ claims: claimsOf({ status }) }), options());
      expect(v.ok).toBe(false);
      expect(failedIds(v)).toEqual([C.status]);
      expect(v.status).toBeUndefined();
    }
  });

  it('a hand-built evidence as the signer makes it verifies (the control for the cases below)', async () => {
    expect((await verifyInquiryEvidence(await handBuilt(), options())).ok).toBe(true);
  });
});

describe('another kind of object → inquiry_evidence.type', () => {
  it('typ missing from the protected header', async () => {
    const v = await verifyInquiryEvidence(
      await handBuilt({ protectedHeaders: new Map<CborValue, CborValue>([[HeaderLabel.alg, -7]]) }),
      options(),
    );
    expect(v.ok).toBe(false);
    expect(failedIds(v)).toEqual([C.type]);
  });

  it('another typ', async () => {
    for (const typ of ['application/cwt', 'application/statuslist+cwt', 61] as CborValue[]) {
      const v = await verifyInquiryEvidence(
        await handBuilt({
          protectedHeaders: new Map<CborValue, CborValue>([
            [HeaderLabel.alg, -7],
            [HeaderLabel.typ, typ],
          ]),
        }),
        options(),
      );
      expect(failedIds(v)).toEqual([C.type]);
    }
  });

  it('the right typ, but only in the unprotected header', async () => {
    const v = await verifyInquiryEvidence(
      await handBuilt({
        protectedHeaders: new Map<CborValue, CborValue>([[HeaderLabel.alg, -7]]),
        unprotectedHeaders: new Map<CborValue, CborValue>([
          [HeaderLabel.x5chain, x5chainValue([signer.der])],
          [HeaderLabel.typ, INQUIRY_EVIDENCE_TYP],
        ]),
      }),
      options(),
    );
    expect(v.ok).toBe(false);
    expect(statusOf(v, C.type)).toBe('failed');
  });

  it('a Status List Token signed by the same key, presented as evidence', async () => {
    const token = await signStatusListCwt({
      list: StatusList.fromStatuses([0, 0, 0, 0], 1),
      sub: 'https://issuer.example/status/1',
      iat: CHECKED_AT,
      ttl: 300,
      key: signer.key,
      x5chain: [signer.der],
    });
    const v = await verifyInquiryEvidence(token, options());
    expect(v.ok).toBe(false);
    expect(statusOf(v, C.decode)).toBe('passed');
    expect(statusOf(v, C.signature)).toBe('passed');
    expect(statusOf(v, C.type)).toBe('failed');
    expect(v.status).toBeUndefined();
  });
});

describe('the signer and the signature', () => {
  it('a signer not under the trust anchors → certificate_path failed, signature undetermined', async () => {
    const evidence = await signInquiryEvidence(input());
    const v = await verifyInquiryEvidence(evidence, options({ trustAnchors: [otherIaca.cert.der] }));
    expect(v.ok).toBe(false);
    expect(statusOf(v, C.certificatePath)).toBe('failed');
    expect(statusOf(v, C.signature)).toBe('undetermined');
    expect(v.status).toBeUndefined();
    expect(v.signerCertificate).toBeUndefined();
    // the same evidence with no anchors at all
    const none = await verifyInquiryEvidence(evidence, options({ trustAnchors: [] }));
    expect(statusOf(none, C.certificatePath)).toBe('failed');
    expect(statusOf(none, C.signature)).toBe('undetermined');
  });

  it('a certificate of another IACA carried in x5chain beside the signer brings no trust', async () => {
    const stranger = makeSigner(otherIaca);
    const evidence = await signInquiryEvidence(
      input({ key: stranger.key, x5chain: [stranger.der, otherIaca.cert.der] }),
    );
    const v = await verifyInquiryEvidence(evidence, options());
    expect(statusOf(v, C.certificatePath)).toBe('failed');
    expect(v.ok).toBe(false);
  });

  it('the key is not the one the certificate names → inquiry_evidence.signature', async () => {
    const v = await verifyInquiryEvidence(await handBuilt({ key: p256().privateKey }), options());
    expect(statusOf(v, C.certificatePath)).toBe('passed');
    expect(failedIds(v)).toEqual([C.signature]);
    expect(v.status).toBeUndefined();
  });

  it('no x5chain → certificate_path failed, signature undetermined', async () => {
    const v = await verifyInquiryEvidence(
      await handBuilt({ unprotectedHeaders: new Map<CborValue, CborValue>() }),
      options(),
    );
    expect(v.ok).toBe(false);
    expect(statusOf(v, C.certificatePath)).toBe('failed');
    expect(statusOf(v, C.signature)).toBe('undetermined');
  });

  it('a flipped signature byte → inquiry_evidence.signature failed, claims not read', async () => {
    const evidence = await signInquiryEvidence(input());
    for (const at of [evidence.length - 1, evidence.length - 40]) {
      const bad = Uint8Array.from(evidence);
      bad[at] = (bad[at] as number) ^ 0x01;
      const v = await verifyInquiryEvidence(bad, options());
      expect(v.ok).toBe(false);
      expect(failedIds(v)).toEqual([C.signature]);
      expect(v.status).toBeUndefined();
      expect(statusOf(v, C.status)).toBe('skipped');
    }
  });

  it('a flipped payload byte (the status) → inquiry_evidence.signature', async () => {
    const evidence = await signInquiryEvidence(input({ status: 'invalid' }));
    const at = Buffer.from(evidence).indexOf(Buffer.from('invalid'));
    expect(at).toBeGreaterThan(0);
    const bad = Uint8Array.from(evidence);
    bad.set(new TextEncoder().encode('valid\0\0').subarray(0, 7), at);
    const v = await verifyInquiryEvidence(bad, options());
    expect(statusOf(v, C.signature)).toBe('failed');
    expect(v.status).toBeUndefined();
  });
});

describe('unreadable input → inquiry_evidence.decode, never a throw', () => {
  it('garbage, empty, truncated, untagged non-COSE', async () => {
    const evidence = await signInquiryEvidence(input());
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.from([0xff, 0x00, 0x13, 0x37]),
      new TextEncoder().encode('{"status":"valid"}'),
      evidence.subarray(0, evidence.length - 1),
      evidence.subarray(0, 20),
      encode(claimsOf()),
      encode(['a', 'b']),
    ];
    for (const bytes of cases) {
      const v = await verifyInquiryEvidence(bytes, options());
      expect(v.ok).toBe(false);
      expect(failedIds(v)).toEqual([C.decode]);
      expect(v.report.checks.filter((c) => c.id !== C.decode).every((c) => c.status === 'skipped')).toBe(
        true,
      );
    }
  });

  it('a detached payload → inquiry_evidence.decode', async () => {
    const sign1 = await signSign1({
      protectedHeaders: new Map<CborValue, CborValue>([
        [HeaderLabel.alg, -7],
        [HeaderLabel.typ, INQUIRY_EVIDENCE_TYP],
      ]),
      unprotectedHeaders: new Map<CborValue, CborValue>([[HeaderLabel.x5chain, x5chainValue([signer.der])]]),
      payload: null,
      detachedPayload: encode(claimsOf()),
      key: signer.key,
      tagged: true,
    });
    const v = await verifyInquiryEvidence(sign1.encode({ tagged: true }), options());
    expect(failedIds(v)).toEqual([C.decode]);
  });

  it('larger than MAX_INQUIRY_EVIDENCE_BYTES → decode failed; at the limit it is read', async () => {
    // A well-signed evidence padded with a private unprotected header to an exact size.
    const padded = (n: number) =>
      handBuilt({
        unprotectedHeaders: new Map<CborValue, CborValue>([
          [HeaderLabel.x5chain, x5chainValue([signer.der])],
          [-65537, new Uint8Array(n)],
        ]),
      });
    const probe = await padded(20_000);
    const atLimit = await padded(20_000 + MAX_INQUIRY_EVIDENCE_BYTES - probe.length);
    expect(atLimit.length).toBe(MAX_INQUIRY_EVIDENCE_BYTES);
    const read = await verifyInquiryEvidence(atLimit, options());
    expect(statusOf(read, C.decode)).toBe('passed');
    const over = await padded(20_001 + MAX_INQUIRY_EVIDENCE_BYTES - probe.length);
    expect(over.length).toBe(MAX_INQUIRY_EVIDENCE_BYTES + 1);
    const v = await verifyInquiryEvidence(over, options());
    expect(failedIds(v)).toEqual([C.decode]);
  });
});

describe('input errors', () => {
  it('signInquiryEvidence refuses bad input with STATUS_LIST_SIGN', async () => {
    const bad: InputOverride[] = [
      { msoDigest: new Uint8Array(31) },
      { msoDigest: new Uint8Array(33) },
      { signer: { algorithm: 'ES256', sign: async () => new Uint8Array(64) } },
      { key: undefined },
      { x5chain: [] },
      { status: 'revoked' as never },
    ];
    for (const extra of bad) {
      const error = await signInquiryEvidence(input(extra)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(Object.keys(extra))).toBeInstanceOf(StatusListError);
      expect((error as StatusListError).code).toBe('STATUS_LIST_SIGN');
    }
  });

  it('verifyInquiryEvidence throws TypeError for its own options (not for the evidence)', async () => {
    const evidence = await signInquiryEvidence(input());
    const bad: Partial<Record<keyof VerifyInquiryEvidenceOptions, unknown>>[] = [
      { now: undefined },
      { now: new Date(Number.NaN) },
      { now: '2026-04-01T09:00:00Z' },
      { msoDigest: new Uint8Array(16) },
      { msoDigest: Buffer.from(DIGEST).toString('hex') },
      { audience: '' },
      { audience: undefined },
      { trustAnchors: undefined },
    ];
    for (const extra of bad) {
      await expect(
        verifyInquiryEvidence(evidence, { ...options(), ...extra } as VerifyInquiryEvidenceOptions),
        JSON.stringify(extra),
      ).rejects.toBeInstanceOf(TypeError);
    }
  });
});
