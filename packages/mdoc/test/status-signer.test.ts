/**
 * Who may sign the Status List Token of an mdoc: `status.revocation` passes only when the token is
 * signed by the document signer's key itself, or by a certificate issued by the DS's IACA whose
 * extendedKeyUsage is absent or includes the status-list-signing EKU (ISO/IEC 18013-5 2nd edition
 * §12.3.6.2 and Table B.9, as the OpenID conformance suite reads them). Any other signer — one that
 * chains elsewhere, or whose EKU names another role — makes the status `undetermined`, never passed and
 * never revoked (draft-ietf-oauth-status-list §8.3: "no statement about the status … can be made").
 */
import type { KeyObject } from 'node:crypto';
import { createCertificate, parseCertificate } from '@mynakit/pki';
import { checkReferencedStatus, StatusList, signStatusListCwt } from '@mynakit/status-list';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  STATUS_LIST_SIGNING_EKU,
  type StatusChecker,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, portrait, TRANSCRIPT } from './fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const URI = 'https://issuer.example/status/1';
const IDX = 3;

let chain: IssuerChain;
let elsewhere: IssuerChain;
let response: Uint8Array;
const device = p256();

/** A status list signer certificate issued by `by` (default: the DS's IACA). */
function listSigner(eku: readonly string[] | undefined, by: IssuerChain = chain) {
  const pair = p256();
  const der = createCertificate({
    subject: 'C=JP, O=mynakit test, CN=status list signer',
    issuer: { certificate: by.iaca, privateKey: by.iacaKey },
    publicKey: pair.publicKey,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:00:00Z'),
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'] },
      ...(eku ? [{ type: 'extKeyUsage' as const, usages: eku }] : []),
    ],
  });
  return { der, key: pair.privateKey };
}

/** A token over statuses with IDX set to `value`, signed by `signer`. */
function token(signer: { der: Uint8Array; key: KeyObject }, value = 0): Promise<Uint8Array> {
  const statuses = [0, 0, 0, 0, 0];
  statuses[IDX] = value;
  return signStatusListCwt({
    list: StatusList.fromStatuses(statuses, 1),
    sub: URI,
    iat: new Date('2025-05-31T00:00:00Z'),
    exp: new Date('2025-06-30T00:00:00Z'),
    key: signer.key,
    x5chain: [signer.der],
  });
}

/** What a relying party wires: fetch (here: the token given) and check with its anchors. */
function checker(t: Uint8Array, anchors: () => Uint8Array[] = () => [chain.iaca.der]): StatusChecker {
  return (reference, ctx) =>
    checkReferencedStatus({ reference, token: t, trustAnchors: anchors(), now: ctx.now });
}

const opts = (extra: Partial<VerifyDeviceResponseOptions> = {}): VerifyDeviceResponseOptions => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: NOW,
  cache: false,
  ...extra,
});
const revocation = async (extra: Partial<VerifyDeviceResponseOptions>) =>
  (await verifyDeviceResponse(response, opts(extra))).checks.find((c) => c.id === 'status.revocation');

beforeAll(async () => {
  chain = makeIssuerChain();
  elsewhere = makeIssuerChain();
  const issued = await issueMdoc({
    docType: JP_MNC_DOCTYPE,
    nameSpaces: jpMncElements(portrait(64)),
    deviceKey: device.publicKey,
    validityInfo: {
      signed: new Date('2025-05-01T00:00:00Z'),
      validFrom: new Date('2025-05-01T00:00:00Z'),
      validUntil: new Date('2026-01-01T00:00:00Z'),
    },
    status: { idx: IDX, uri: URI },
    issuerKey: chain.dsKey,
    issuerCertificateChain: [chain.ds.der],
  });
  response = await presentMdoc({
    documents: [issued.bytes],
    request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
    sessionTranscriptBytes: TRANSCRIPT,
    deviceKey: device.privateKey,
    mode: 'signature',
  });
});

describe('status.revocation: who signed the Status List Token', () => {
  it('the document signer key itself: passed (VALID) and failed (INVALID)', async () => {
    const ds = { der: chain.ds.der, key: chain.dsKey };
    expect((await revocation({ statusChecker: checker(await token(ds)) }))?.status).toBe('passed');
    expect((await revocation({ statusChecker: checker(await token(ds, 1)) }))?.status).toBe('failed');
  });

  it('a certificate the IACA issued with the status-list-signing EKU: passed', async () => {
    const c = await revocation({
      statusChecker: checker(await token(listSigner([STATUS_LIST_SIGNING_EKU]))),
    });
    expect(c?.status).toBe('passed');
  });

  it('a certificate the IACA issued without an EKU: passed (unrestricted)', async () => {
    expect((await revocation({ statusChecker: checker(await token(listSigner(undefined))) }))?.status).toBe(
      'passed',
    );
  });

  it.each([
    ['the 18013-5 document signer EKU', '1.0.18013.5.1.2'],
    ['the ISO/IEC 23220-4 document signer EKU', '1.0.23220.4.1.2'],
    ['the reader authentication EKU', '1.0.18013.5.1.6'],
  ])(
    'a certificate of the IACA whose EKU names another role (%s): undetermined, never passed',
    async (_, eku) => {
      const c = await revocation({ statusChecker: checker(await token(listSigner([eku]))) });
      expect(c?.status).toBe('undetermined');
      expect(c?.detail).toContain(eku);
    },
  );

  it('a revocation from such a signer is not a revocation either: undetermined', async () => {
    const c = await revocation({ statusChecker: checker(await token(listSigner(['1.0.18013.5.1.2']), 1)) });
    expect(c?.status).toBe('undetermined');
  });

  it('a signer that chains to another configured anchor: undetermined (it may not speak for this issuer)', async () => {
    const other = listSigner([STATUS_LIST_SIGNING_EKU], elsewhere);
    const c = await revocation({
      statusChecker: checker(await token(other), () => [chain.iaca.der, elsewhere.iaca.der]),
    });
    expect(c?.status).toBe('undetermined');
    expect(c?.detail).toMatch(/IACA/);
  });

  it('the status-list-signing EKU is configurable (one constant by default)', async () => {
    const own = '1.3.6.1.4.1.32473.9.1';
    const t = await token(listSigner([own]));
    expect((await revocation({ statusChecker: checker(t) }))?.status).toBe('undetermined');
    expect((await revocation({ statusChecker: checker(t), statusListSignerEku: own }))?.status).toBe(
      'passed',
    );
  });

  it('the checker is told the document signer and its IACA, to verify the token against', async () => {
    let seen: { ds?: string | undefined; iaca?: string | undefined } = {};
    await verifyDeviceResponse(
      response,
      opts({
        statusChecker: async (reference, ctx) => {
          seen = { ds: ctx.documentSigner?.subject, iaca: ctx.iaca?.subject };
          return checkReferencedStatus({
            reference,
            token: await token({ der: chain.ds.der, key: chain.dsKey }),
            trustAnchors: ctx.iaca ? [ctx.iaca.der] : [],
            now: ctx.now,
          });
        },
      }),
    );
    expect(seen).toEqual({ ds: chain.ds.subject, iaca: chain.iaca.subject });
  });

  it('a DS trusted directly (no IACA): only its own key may sign the list', async () => {
    const direct = { trustAnchors: [chain.ds] };
    const byDs = await token({ der: chain.ds.der, key: chain.dsKey });
    expect(
      (await revocation({ ...direct, statusChecker: checker(byDs, () => [chain.ds.der]) }))?.status,
    ).toBe('passed');
    const byOther = await token(listSigner([STATUS_LIST_SIGNING_EKU]));
    expect(
      (await revocation({ ...direct, statusChecker: checker(byOther, () => [chain.iaca.der]) }))?.status,
    ).toBe('undetermined');
  });

  it('a checker that reports no token (e.g. an inquiry endpoint) is taken as it answers', async () => {
    const c = await revocation({
      statusChecker: async () => ({ status: 'passed', detail: 'inquiry: not revoked' }),
    });
    expect(c?.status).toBe('passed');
    void parseCertificate;
  });
});
