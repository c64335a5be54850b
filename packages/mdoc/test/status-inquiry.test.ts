/**
 * The issuer's per-record inquiry as a second source of `status.revocation` (checks/status.ts;
 * DOMAIN.md §4, keyed by SHA-256 of the MobileSecurityObjectBytes): consulted after the status list with
 * the list's result in hand, its answer and the list's are one check (`combineStatus`) — revoked or
 * suspended by either is failed, else valid by either is passed, else undetermined, skipped only when
 * neither spoke. An answer verified under a certificate counts only when that signer may speak for the
 * document (ISO/IEC 18013-5 2nd edition §12.3.6.2, as for a Status List Token); the inquiry is not asked
 * about a document whose MSO signature does not verify.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { createCertificate } from '@mynakit/pki';
import type { Check, CheckStatus } from '@mynakit/report';
import {
  checkReferencedStatus,
  type InquiryStatus,
  StatusList,
  signInquiryEvidence,
  signStatusListCwt,
  verifyInquiryEvidence,
} from '@mynakit/status-list';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  combineStatus,
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  STATUS_LIST_SIGNING_EKU,
  type StatusCheckContext,
  type StatusChecker,
  type StatusInquiry,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, portrait, TRANSCRIPT } from './fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const URI = 'https://issuer.example/status/1';
const IDX = 3;
const CLIENT = 'x509_san_dns:rp.example';

let chain: IssuerChain;
let elsewhere: IssuerChain;
const device = p256();
/** A presentation of a document with a status reference, one without, and one whose MSO signature is bad. */
let withReference: Uint8Array;
let withoutReference: Uint8Array;
let badSignature: Uint8Array;
/** The MobileSecurityObjectBytes of the document without a reference. */
let msoBytesWithout: Uint8Array;

async function present(status: boolean, issuerKey: KeyObject = chain.dsKey) {
  const issued = await issueMdoc({
    docType: JP_MNC_DOCTYPE,
    nameSpaces: jpMncElements(portrait(64)),
    deviceKey: device.publicKey,
    validityInfo: {
      signed: new Date('2025-05-01T00:00:00Z'),
      validFrom: new Date('2025-05-01T00:00:00Z'),
      validUntil: new Date('2026-01-01T00:00:00Z'),
    },
    ...(status ? { status: { idx: IDX, uri: URI } } : {}),
    issuerKey,
    issuerCertificateChain: [chain.ds.der],
  });
  const response = await presentMdoc({
    documents: [issued.bytes],
    request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
    sessionTranscriptBytes: TRANSCRIPT,
    deviceKey: device.privateKey,
    mode: 'signature',
  });
  return { issued, response };
}

/** A certificate issued by `by`'s IACA for signing status (lists and inquiry answers). */
function statusSigner(by: IssuerChain, eku: readonly string[] = [STATUS_LIST_SIGNING_EKU]) {
  const pair = p256();
  const der = createCertificate({
    subject: 'C=JP, O=mynakit test, CN=status signer',
    issuer: { certificate: by.iaca, privateKey: by.iacaKey },
    publicKey: pair.publicKey,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:00:00Z'),
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'] },
      { type: 'extKeyUsage', usages: eku },
    ],
  });
  return { der, key: pair.privateKey };
}

/** A list checker over a token where IDX has `value`, signed by the document signer. */
function listChecker(value: number): StatusChecker {
  return async (reference, ctx) => {
    const statuses = [0, 0, 0, 0, 0];
    statuses[IDX] = value;
    const token = await signStatusListCwt({
      list: StatusList.fromStatuses(statuses, 1),
      sub: URI,
      iat: new Date('2025-05-31T00:00:00Z'),
      exp: new Date('2025-06-30T00:00:00Z'),
      key: chain.dsKey,
      x5chain: [chain.ds.der],
    });
    return checkReferencedStatus({ reference, token, trustAnchors: [chain.iaca.der], now: ctx.now });
  };
}

/** A list whose fetch fails: undetermined. */
const unreachableList: StatusChecker = async () => {
  throw new Error('fetch failed');
};

/** An inquiry that answers `status` without naming a signer (taken as it answers). */
const answering =
  (status: CheckStatus, detail = `inquiry: ${status}`): StatusInquiry =>
  async () => ({ status, detail });

/**
 * What a relying party wires for the issuer's inquiry: the issuer signs evidence with `signer`; the
 * relying party verifies it under every anchor it holds and hands the signer certificate on.
 */
function evidenceInquiry(
  signer: { der: Uint8Array; key: KeyObject },
  status: InquiryStatus,
  anchors: () => Uint8Array[],
): StatusInquiry {
  return async (ctx) => {
    const evidence = await signInquiryEvidence({
      msoDigest: ctx.msoDigest,
      status,
      checkedAt: ctx.now,
      audience: CLIENT,
      issuer: 'https://issuer.example',
      key: signer.key,
      x5chain: [signer.der],
    });
    const v = await verifyInquiryEvidence(evidence, {
      now: ctx.now,
      trustAnchors: anchors(),
      msoDigest: ctx.msoDigest,
      audience: CLIENT,
    });
    if (!v.ok || v.status === undefined)
      return { status: 'undetermined', detail: 'the inquiry evidence did not verify' };
    const answer: CheckStatus =
      v.status === 'valid' ? 'passed' : v.status === 'unknown' ? 'undetermined' : 'failed';
    return {
      status: answer,
      detail: `inquiry: ${v.status}`,
      ...(v.signerCertificate ? { signerCertificate: v.signerCertificate } : {}),
    };
  };
}

const opts = (extra: Partial<VerifyDeviceResponseOptions> = {}): VerifyDeviceResponseOptions => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: NOW,
  cache: false,
  ...extra,
});

async function verify(response: Uint8Array, extra: Partial<VerifyDeviceResponseOptions>) {
  const v = await verifyDeviceResponse(response, opts(extra));
  const revocation = v.checks.find((c) => c.id === 'status.revocation');
  if (revocation === undefined) throw new Error('no status.revocation check');
  return { v, revocation, doc: v.documents[0] };
}

beforeAll(async () => {
  chain = makeIssuerChain();
  elsewhere = makeIssuerChain();
  withReference = (await present(true)).response;
  const without = await present(false);
  withoutReference = without.response;
  msoBytesWithout = without.issued.msoBytes;
  // issuerAuth signed by a key that is not the DS certificate's: the MSO signature does not verify
  badSignature = (await present(true, elsewhere.dsKey)).response;
});

describe('status.revocation from the list and the inquiry', () => {
  it('no status reference, the inquiry says valid → passed, the document valid', async () => {
    const { v, revocation, doc } = await verify(withoutReference, { statusInquiry: answering('passed') });
    expect(revocation.status).toBe('passed');
    expect(doc?.verdict).toBe('valid');
    expect(v.verdict).toBe('valid');
  });

  it('no status reference and no inquiry → skipped (the control)', async () => {
    const { revocation } = await verify(withoutReference, {});
    expect(revocation.status).toBe('skipped');
  });

  it('the list says valid, the inquiry says revoked → failed, the document invalid', async () => {
    const listOnly = await verify(withReference, { statusChecker: listChecker(0) });
    expect(listOnly.revocation.status).toBe('passed');
    const { v, revocation, doc } = await verify(withReference, {
      statusChecker: listChecker(0),
      statusInquiry: answering('failed', 'inquiry: invalid'),
    });
    expect(revocation.status).toBe('failed');
    expect(revocation.detail).toContain('inquiry: invalid');
    expect(doc?.verdict).toBe('invalid');
    expect(v.verdict).toBe('invalid');
  });

  it('the list says revoked, the inquiry says valid → still failed', async () => {
    const { revocation } = await verify(withReference, {
      statusChecker: listChecker(1),
      statusInquiry: answering('passed'),
    });
    expect(revocation.status).toBe('failed');
  });

  it('the list cannot be fetched (undetermined), the inquiry says valid → passed', async () => {
    const listOnly = await verify(withReference, { statusChecker: unreachableList });
    expect(listOnly.revocation.status).toBe('undetermined');
    const { revocation, doc } = await verify(withReference, {
      statusChecker: unreachableList,
      statusInquiry: answering('passed'),
    });
    expect(revocation.status).toBe('passed');
    expect(doc?.verdict).toBe('valid');
  });

  it('the inquiry answers undefined (chose not to ask) → the list check unchanged', async () => {
    for (const checker of [listChecker(0), listChecker(1), unreachableList]) {
      const listOnly = await verify(withReference, { statusChecker: checker });
      const { revocation } = await verify(withReference, {
        statusChecker: checker,
        statusInquiry: async () => undefined,
      });
      expect(revocation).toEqual(listOnly.revocation);
    }
    const noRef = await verify(withoutReference, { statusInquiry: async () => undefined });
    expect(noRef.revocation).toEqual((await verify(withoutReference, {})).revocation);
  });

  it('the inquiry throws → undetermined when there is no reference; the list still counts when there is', async () => {
    const throwing: StatusInquiry = async () => {
      throw new Error('connection refused to https://issuer.example/inquiry');
    };
    const { revocation, doc } = await verify(withoutReference, { statusInquiry: throwing });
    expect(revocation.status).toBe('undetermined');
    expect(revocation.detail).not.toContain('connection refused');
    expect(doc?.verdict).not.toBe('valid');
    const listed = await verify(withReference, { statusChecker: listChecker(0), statusInquiry: throwing });
    expect(listed.revocation.status).toBe('passed');
    // a synchronous throw (not a rejected promise) is the same
    const sync = (() => {
      throw new TypeError('bad');
    }) as unknown as StatusInquiry;
    expect((await verify(withoutReference, { statusInquiry: sync })).revocation.status).toBe('undetermined');
  });

  it('an answer status outside the check statuses → undetermined', async () => {
    const odd: StatusInquiry = async () => ({ status: 'revoked' as CheckStatus, detail: 'odd' });
    expect((await verify(withoutReference, { statusInquiry: odd })).revocation.status).toBe('undetermined');
  });
});

describe('who signed the inquiry answer', () => {
  it('a signer certified by another IACA → undetermined ("not relied on"), valid or revoked', async () => {
    const other = statusSigner(elsewhere);
    const anchors = () => [chain.iaca.der, elsewhere.iaca.der];
    for (const status of ['valid', 'invalid'] as const) {
      const { revocation } = await verify(withoutReference, {
        statusInquiry: evidenceInquiry(other, status, anchors),
      });
      expect(revocation.status).toBe('undetermined');
      expect(revocation.detail).toContain('not relied on');
    }
  });

  it("an unauthorised revocation does not override the list's valid", async () => {
    const other = statusSigner(elsewhere);
    const { revocation } = await verify(withReference, {
      statusChecker: listChecker(0),
      statusInquiry: evidenceInquiry(other, 'invalid', () => [chain.iaca.der, elsewhere.iaca.der]),
    });
    expect(revocation.status).toBe('passed');
  });

  it("the status-list signer of the DS's IACA → passed (valid) and failed (invalid)", async () => {
    const own = statusSigner(chain);
    const anchors = () => [chain.iaca.der];
    const valid = await verify(withoutReference, { statusInquiry: evidenceInquiry(own, 'valid', anchors) });
    expect(valid.revocation.status).toBe('passed');
    const invalid = await verify(withoutReference, {
      statusInquiry: evidenceInquiry(own, 'suspended', anchors),
    });
    expect(invalid.revocation.status).toBe('failed');
    const unknown = await verify(withoutReference, {
      statusInquiry: evidenceInquiry(own, 'unknown', anchors),
    });
    expect(unknown.revocation.status).toBe('undetermined');
  });

  it('a certificate of the same IACA whose EKU names another role → undetermined', async () => {
    const reader = statusSigner(chain, ['1.0.18013.5.1.6']);
    const { revocation } = await verify(withoutReference, {
      statusInquiry: evidenceInquiry(reader, 'valid', () => [chain.iaca.der]),
    });
    expect(revocation.status).toBe('undetermined');
  });

  it('a signer named only through `token` (as a checker may report it) is held to the same rule', async () => {
    const other = statusSigner(elsewhere);
    const own = statusSigner(chain);
    const viaToken =
      (der: Uint8Array | undefined): StatusInquiry =>
      async () => ({
        status: 'passed',
        detail: 'inquiry: valid',
        token: der ? { signerCertificate: der } : {},
      });
    expect((await verify(withoutReference, { statusInquiry: viaToken(other.der) })).revocation.status).toBe(
      'undetermined',
    );
    expect((await verify(withoutReference, { statusInquiry: viaToken(undefined) })).revocation.status).toBe(
      'undetermined',
    );
    expect((await verify(withoutReference, { statusInquiry: viaToken(own.der) })).revocation.status).toBe(
      'passed',
    );
  });

  it('an unreadable signer certificate → undetermined', async () => {
    const { revocation } = await verify(withoutReference, {
      statusInquiry: async () => ({
        status: 'passed',
        detail: 'inquiry: valid',
        signerCertificate: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
      }),
    });
    expect(revocation.status).toBe('undetermined');
  });
});

describe('what the inquiry is told', () => {
  it('context.msoDigest is SHA-256 of the MobileSecurityObjectBytes; listCheck is the list result', async () => {
    const seen: { ctx?: StatusCheckContext; list?: Check }[] = [];
    const spy: StatusInquiry = async (ctx, list) => {
      seen.push({ ctx, list });
      return undefined;
    };
    const { doc } = await verify(withoutReference, { statusInquiry: spy });
    expect(seen).toHaveLength(1);
    const expected = createHash('sha256').update(msoBytesWithout).digest();
    expect(Buffer.from(seen[0]?.ctx?.msoDigest ?? []).equals(expected)).toBe(true);
    expect(doc?.mso?.digest).toBe(expected.toString('hex'));
    expect(seen[0]?.ctx?.docType).toBe(JP_MNC_DOCTYPE);
    expect(seen[0]?.ctx?.now).toEqual(NOW);
    expect(seen[0]?.ctx?.documentSigner?.subject).toBe(chain.ds.subject);
    expect(seen[0]?.ctx?.iaca?.subject).toBe(chain.iaca.subject);
    expect(seen[0]?.list?.status).toBe('skipped');

    for (const [checker, status] of [
      [listChecker(0), 'passed'],
      [listChecker(1), 'failed'],
      [unreachableList, 'undetermined'],
    ] as const) {
      const listOnly = await verify(withReference, { statusChecker: checker });
      await verify(withReference, { statusChecker: checker, statusInquiry: spy });
      const last = seen[seen.length - 1];
      expect(last?.list?.status).toBe(status);
      expect(last?.list).toEqual(listOnly.revocation);
    }
  });

  it('the MSO signature does not verify → the inquiry is never asked', async () => {
    let calls = 0;
    const counting: StatusInquiry = async () => {
      calls++;
      return { status: 'passed', detail: 'inquiry: valid' };
    };
    const { v, revocation } = await verify(badSignature, {
      statusChecker: listChecker(0),
      statusInquiry: counting,
    });
    expect(v.checks.find((c) => c.id === 'issuer.signature')?.status).toBe('failed');
    expect(revocation.status).toBe('skipped');
    expect(calls).toBe(0);
    // the control: the same inquiry is asked about a well-signed document
    await verify(withReference, { statusChecker: listChecker(0), statusInquiry: counting });
    expect(calls).toBe(1);
  });
});

describe('combineStatus', () => {
  const S: readonly CheckStatus[] = ['passed', 'failed', 'undetermined', 'skipped', 'warning'];
  const check = (status: CheckStatus, detail: string): Check => ({ id: 'status.revocation', status, detail });
  /** list \ inquiry, in the order of S. */
  const table: Record<CheckStatus, readonly CheckStatus[]> = {
    passed: ['passed', 'failed', 'passed', 'passed', 'passed'],
    failed: ['failed', 'failed', 'failed', 'failed', 'failed'],
    undetermined: ['passed', 'failed', 'undetermined', 'undetermined', 'undetermined'],
    skipped: ['passed', 'failed', 'undetermined', 'skipped', 'undetermined'],
    warning: ['passed', 'failed', 'undetermined', 'undetermined', 'undetermined'],
  };
  for (const list of S)
    for (const [i, inquiry] of S.entries())
      it(`list ${list} + inquiry ${inquiry} → ${table[list][i]}`, () => {
        const c = combineStatus(check(list, 'from the list'), check(inquiry, 'from the inquiry'));
        expect(c.id).toBe('status.revocation');
        expect(c.status).toBe(table[list][i]);
        expect(c.detail).toContain('from the list');
        expect(c.detail).toContain('from the inquiry');
      });
});
