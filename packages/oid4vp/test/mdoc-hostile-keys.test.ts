/**
 * End to end through the channel verifiers: a DeviceResponse whose names are prototype members must
 * come back as a report (PresentationVerification with failed or passed checks), never as a thrown
 * TypeError, and must leave Object.prototype as it was. The names sit where the other party chooses
 * them:
 * - the MSO `digestAlgorithm` (ISO/IEC 18013-5 §9.1.2.4: "SHA-256" / "SHA-384" / "SHA-512"), signed by
 *   a genuine document signer;
 * - DeviceNameSpaces keys (§8.3.2.1.2.2 DeviceSigned), chosen and signed by the holder's own device
 *   key, under an MSO whose keyAuthorizations (§9.1.2.4) the issuer wrote.
 * The verifiers hand each DeviceResponse to mdoc's `verifyDeviceResponse`; they do not catch what it
 * throws (a throw there is a defect in mdoc, not an input error to paper over), so these tests pass only
 * when mdoc reports such input.
 */
import type { CborMap, CborValue } from '@mynakit/cbor';
import { bytesToBase64url } from '@mynakit/cbor';
import { presentMdoc } from '@mynakit/mdoc';
import { prototypeChanges, restorePrototypes, snapshotPrototypes } from '@mynakit/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAnnexCRequest } from '../src/annex-c/annex-c-request.js';
import { annexCSessionTranscript, encryptAnnexCResponse } from '../src/annex-c/annex-c-response.js';
import { verifyAnnexCResponse } from '../src/annex-c/verify-annex-c-response.js';
import { buildAuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import { sessionTranscriptForRequest } from '../src/openid4vp/session-transcript.js';
import { verifyOpenId4VpResponse } from '../src/openid4vp/verify-authorization-response.js';
import type { PresentationVerification } from '../src/presentation-verification.js';
import { reSignedIssuerSigned } from './helpers/crafted-mdoc.js';
import { simpleDeviceRequest } from './helpers/device-request.js';
import { issueHolder, JP_MNC, NOW, p256 } from './helpers/fixtures.js';

const holder = await issueHolder();
const mdoc = { trustAnchors: [holder.chain.iaca], now: NOW };
const origin = 'https://rp.example';
const requested = { [JP_MNC.jp]: { full_name_unicode: false } };

interface Case {
  readonly name: string;
  readonly edit: (mso: CborMap) => void;
  /** docType → DeviceNameSpaces, parsed from JSON so `__proto__` is an own key. */
  readonly deviceNameSpaces?: string;
  readonly expect: (r: PresentationVerification) => void;
}

const keyAuthorizations = (m: CborMap, ka: CborMap) =>
  (m.get('deviceKeyInfo') as CborMap).set('keyAuthorizations', ka);

const digestAlgorithmRefused = (r: PresentationVerification) => {
  expect(r.verdict).toBe('invalid');
  expect(r.errorCode).toBe('PRESENTATION_INVALID');
  expect(r.checks).toContainEqual(expect.objectContaining({ id: 'mso.digest_algorithm', status: 'failed' }));
  expect(r.checks).toContainEqual(expect.objectContaining({ id: 'issuer.signature', status: 'passed' }));
};
const deviceChecked = (r: PresentationVerification) => {
  // The holder's own key signed these namespaces: the report says what device authentication found.
  expect(r.checks).toContainEqual(expect.objectContaining({ id: 'device.signature' }));
  expect(r.checks).toContainEqual(expect.objectContaining({ id: 'issuer.signature', status: 'passed' }));
};

const cases: Case[] = [
  ...['constructor', '__proto__', 'toString'].map((alg) => ({
    name: `MSO digestAlgorithm "${alg}"`,
    edit: (m: CborMap) => m.set('digestAlgorithm', alg),
    expect: digestAlgorithmRefused,
  })),
  {
    name: 'DeviceNameSpaces "__proto__" and "constructor" under keyAuthorizations.dataElements of another namespace',
    edit: (m) =>
      keyAuthorizations(
        m,
        new Map<CborValue, CborValue>([['dataElements', new Map([[JP_MNC.jp, ['nickname']]])]]),
      ),
    deviceNameSpaces: '{"__proto__":{"polluted":1},"constructor":{"polluted":2}}',
    expect: deviceChecked,
  },
  {
    name: 'DeviceNameSpaces "__proto__", "toString" and "constructor" authorised by keyAuthorizations.nameSpaces',
    edit: (m) =>
      keyAuthorizations(
        m,
        new Map<CborValue, CborValue>([['nameSpaces', ['__proto__', 'toString', 'constructor']]]),
      ),
    deviceNameSpaces: '{"__proto__":{"polluted":1},"toString":{"x":1},"constructor":{"prototype":3}}',
    expect: deviceChecked,
  },
];

async function deviceResponse(c: Case, sessionTranscriptBytes: Uint8Array): Promise<Uint8Array> {
  const issuerSigned = await reSignedIssuerSigned(holder.issuerSigned, holder.chain, c.edit);
  return presentMdoc({
    documents: [issuerSigned],
    request: { docType: JP_MNC.docType, nameSpaces: requested },
    sessionTranscriptBytes,
    deviceKey: holder.deviceKey,
    mode: 'signature',
    ...(c.deviceNameSpaces ? { deviceNameSpaces: { [JP_MNC.docType]: JSON.parse(c.deviceNameSpaces) } } : {}),
  });
}

let before: ReturnType<typeof snapshotPrototypes>;
beforeEach(() => {
  before = snapshotPrototypes();
});
afterEach(() => {
  const changes = prototypeChanges(before);
  restorePrototypes(before);
  expect(changes).toEqual([]);
});

describe('hostile mdoc names through verifyAnnexCResponse (ISO/IEC 18013-7 Annex C)', () => {
  for (const c of cases) {
    it(`${c.name} → a report, not a TypeError`, async () => {
      const verifierKey = p256();
      const request = buildAnnexCRequest({
        deviceRequest: simpleDeviceRequest(JP_MNC.docType, requested),
        recipientKey: verifierKey.publicKey,
      });
      const transcript = annexCSessionTranscript(request.encryptionInfo, origin);
      const data = await encryptAnnexCResponse({
        deviceResponse: await deviceResponse(c, transcript.sessionTranscriptBytes),
        encryptionInfoB64: request.encryptionInfo,
        origin,
      });
      const r = await verifyAnnexCResponse(
        data,
        { encryptionInfo: request.encryptionInfo, origin, recipientPrivateKey: verifierKey.privateKey },
        { mdoc },
      );
      expect(r.checks).toContainEqual(expect.objectContaining({ id: 'response.decrypt', status: 'passed' }));
      c.expect(r);
    });
  }
});

describe('hostile mdoc names through verifyOpenId4VpResponse (OpenID4VP 1.0, direct_post)', () => {
  for (const c of cases) {
    it(`${c.name} → a report, not a TypeError`, async () => {
      const request = buildAuthorizationRequest({
        responseMode: 'direct_post',
        clientId: 'x509_san_dns:rp.example',
        responseUri: 'https://rp.example/response/1',
        nonce: 'n-hostile-1',
        state: 's-1',
        dcqlQuery: {
          credentials: [
            {
              id: 'mnc',
              format: 'mso_mdoc',
              meta: { doctype_value: JP_MNC.docType },
              claims: [{ path: [JP_MNC.jp, 'full_name_unicode'] }],
            },
          ],
        },
      });
      const transcript = await sessionTranscriptForRequest(request);
      const presentation = bytesToBase64url(await deviceResponse(c, transcript.sessionTranscriptBytes));
      const body = { vp_token: JSON.stringify({ mnc: [presentation] }), state: 's-1' };
      const r = await verifyOpenId4VpResponse(body, { request }, { mdoc });
      expect(r.checks).toContainEqual(expect.objectContaining({ id: 'response.vp_token', status: 'passed' }));
      c.expect(r);
    });
  }
});
