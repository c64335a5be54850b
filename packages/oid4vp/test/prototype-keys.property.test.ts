/**
 * Property: every public entry point of @mynakit/oid4vp that reads the other party's JSON or CBOR
 * either succeeds or fails with a typed error (verifiers: returns a report), when that input carries
 * `__proto__`, `constructor`, `prototype`, `toString`… as keys at any level — and Object.prototype (with
 * Object, Function.prototype and the inherited methods) is exactly as before. Seeded and bounded.
 */
import { bytesToBase64url, type CborValue, EncodedCbor } from '@mynakit/cbor';
import { encodeItemsRequest, issueMdoc, MdocError } from '@mynakit/mdoc';
import {
  hostileCbor,
  hostileJson,
  type Json,
  prototypeChanges,
  restorePrototypes,
  snapshotPrototypes,
} from '@mynakit/test-support';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAnnexCRequest, parseAnnexCRequest } from '../src/annex-c/annex-c-request.js';
import { parseEncryptedResponse } from '../src/annex-c/annex-c-response.js';
import { createAnnexCPresentation } from '../src/annex-c/create-annex-c-presentation.js';
import { parseEncryptionInfo } from '../src/annex-c/encryption-info.js';
import { verifyAnnexCResponse } from '../src/annex-c/verify-annex-c-response.js';
import { readDigitalCredentialRequest, verifyDigitalCredentialResponse } from '../src/dc-api.js';
import { Oid4vpError } from '../src/errors.js';
import { validateAuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import {
  createAuthorizationResponse,
  parseAuthorizationResponse,
} from '../src/openid4vp/authorization-response.js';
import { type HeldDocument, matchDcqlQuery, unmetCredentialQueries } from '../src/openid4vp/dcql-match.js';
import { requestedElements, validateDcqlQuery } from '../src/openid4vp/dcql-query.js';
import { sessionTranscriptForRequest } from '../src/openid4vp/session-transcript.js';
import { verifyOpenId4VpResponse } from '../src/openid4vp/verify-authorization-response.js';
import { parseDeviceEngagement } from '../src/proximity/device-engagement.js';
import { decodeSessionData, decodeSessionEstablishment } from '../src/proximity/session-messages.js';
import { heldDocumentOf } from '../src/stored-mdoc.js';
import { issueHolder, JP_MNC, makeIssuerChain, NOW, p256 } from './helpers/fixtures.js';

const RUNS = { seed: 0x5eed_0a1d, numRuns: 100 } as const;
const JP = 'org.iso.23220.1.jp';
const ORIGIN = 'https://rp.example';

let before: ReturnType<typeof snapshotPrototypes>;
beforeEach(() => {
  before = snapshotPrototypes();
});
afterEach(() => restorePrototypes(before));

/** Runs `f`; a thrown error must be an Oid4vpError; Object.prototype must not change. */
async function typed(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof Oid4vpError)) throw e;
    expect(e.code).toEqual(expect.any(String));
  }
  expect(prototypeChanges(before)).toEqual([]);
}

/** Runs a verifier: it must return a report, never throw. */
async function reports(f: () => Promise<{ verdict: string; checks: readonly unknown[] }>): Promise<void> {
  const r = await f();
  expect(['valid', 'invalid', 'undetermined']).toContain(r.verdict);
  expect(prototypeChanges(before)).toEqual([]);
}

const dcqlTemplate: Json = {
  credentials: [
    {
      id: 'mnc',
      format: 'mso_mdoc',
      meta: { doctype_value: JP_MNC.docType },
      claims: [
        { id: 'name', path: [JP, 'full_name_unicode'], intent_to_retain: true },
        { id: 'age', path: ['org.iso.23220.1', 'age_over_18'], values: [true] },
      ],
      claim_sets: [['name', 'age'], ['name']],
    },
  ],
  credential_sets: [{ options: [['mnc']], required: true }],
};

const requestTemplate = (mode: 'direct_post' | 'dc_api'): Json => ({
  response_type: 'vp_token',
  response_mode: mode,
  ...(mode === 'direct_post'
    ? { client_id: 'x509_san_dns:rp.example', response_uri: 'https://rp.example/r' }
    : { expected_origins: [ORIGIN] }),
  nonce: 'n-1',
  state: 's-1',
  dcql_query: dcqlTemplate,
  client_metadata: { vp_formats_supported: { mso_mdoc: { deviceauth_alg_values: [-7] } } },
});

/** A held document whose elements already use prototype names as namespaces and identifiers. */
const hostileHeld: HeldDocument = {
  id: 'h',
  docType: JP_MNC.docType,
  elements: JSON.parse(
    `{"${JP}":{"full_name_unicode":"x","__proto__":1},"__proto__":{"polluted":1},"toString":{"name":1}}`,
  ),
};

describe('DCQL (wallet side)', () => {
  it('validate → requestedElements → match → unmet', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson(dcqlTemplate), async (json) =>
        typed(() => {
          const q = validateDcqlQuery(json);
          for (const c of q.credentials) requestedElements(c);
          const r = matchDcqlQuery(q, [hostileHeld]);
          unmetCredentialQueries(q, Object.keys(r.candidates));
        }),
      ),
      RUNS,
    );
  });
});

describe('Authorization Request (wallet side)', () => {
  for (const mode of ['direct_post', 'dc_api'] as const) {
    it(`${mode}: validate → SessionTranscript → response`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileJson(requestTemplate(mode)), async (json) =>
          typed(async () => {
            const request = validateAuthorizationRequest(json);
            await sessionTranscriptForRequest(request, { origin: ORIGIN });
            await createAuthorizationResponse(request, JSON.parse('{"mnc":["AA"],"__proto__":["BB"]}'));
          }),
        ),
        RUNS,
      );
    });
  }

  it('DC API: readDigitalCredentialRequest with the unsigned protocol', async () => {
    const { client_id: _c, response_uri: _r, ...dc } = requestTemplate('dc_api') as Record<string, Json>;
    await fc.assert(
      fc.asyncProperty(hostileJson({ ...dc, response_mode: 'dc_api' }), async (data) =>
        typed(() =>
          readDigitalCredentialRequest({ protocol: 'openid4vp-v1-unsigned', data: data as never }, ORIGIN),
        ),
      ),
      RUNS,
    );
  });
});

describe('Authorization Response (verifier side)', async () => {
  const request = validateAuthorizationRequest(JSON.parse(JSON.stringify(requestTemplate('direct_post'))));
  const bodyTemplate: Json = { vp_token: { mnc: ['AAAA'] }, state: 's-1' };

  it('parseAuthorizationResponse', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson(bodyTemplate), async (body) =>
        typed(() => parseAuthorizationResponse(body as Record<string, unknown>, request)),
      ),
      RUNS,
    );
  });

  it('verifyOpenId4VpResponse and verifyDigitalCredentialResponse return reports', async () => {
    const holder = await issueHolder();
    const mdoc = { trustAnchors: [holder.chain.iaca], now: NOW };
    await fc.assert(
      fc.asyncProperty(hostileJson(bodyTemplate), async (body) => {
        await reports(() => verifyOpenId4VpResponse(body as Record<string, unknown>, { request }, { mdoc }));
        await reports(() =>
          verifyDigitalCredentialResponse(
            { protocol: 'openid4vp-v1-unsigned', data: body },
            { openid4vp: { request, origin: ORIGIN } },
            { mdoc },
          ),
        );
        await reports(() =>
          verifyDigitalCredentialResponse(
            { protocol: 'openid4vp-v1-unsigned', data: JSON.stringify(body) },
            { openid4vp: { request, origin: ORIGIN } },
            { mdoc },
          ),
        );
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});

describe('Annex C and proximity CBOR', () => {
  const key = p256();
  const deviceRequestTemplate = new Map<CborValue, CborValue>([
    ['version', '1.0'],
    [
      'docRequests',
      [
        new Map<CborValue, CborValue>([
          [
            'itemsRequest',
            encodeItemsRequest({
              docType: JP_MNC.docType,
              nameSpaces: { [JP]: { full_name_unicode: false } },
            }),
          ],
        ]),
      ],
    ],
  ]);
  const built = buildAnnexCRequest({ deviceRequest: new Uint8Array([0xa0]), recipientKey: key.publicKey });
  const encryptionInfoTemplate = ['dcapi', new Map<CborValue, CborValue>([['nonce', new Uint8Array(16)]])];

  it('parseAnnexCRequest (DeviceRequest and EncryptionInfo), with JSON data keys too', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileCbor(deviceRequestTemplate),
        hostileCbor(encryptionInfoTemplate),
        hostileJson({ deviceRequest: 'AA', encryptionInfo: built.encryptionInfo }),
        async (dr, ei, data) => {
          await typed(() =>
            parseAnnexCRequest({ deviceRequest: bytesToBase64url(dr), encryptionInfo: built.encryptionInfo }),
          );
          await typed(() => parseEncryptionInfo(bytesToBase64url(ei)));
          await typed(() => parseAnnexCRequest(data));
          await typed(() =>
            readDigitalCredentialRequest({ protocol: 'org-iso-mdoc', data: data as never }, ORIGIN),
          );
        },
      ),
      RUNS,
    );
  });

  it('wallet: createAnnexCPresentation answers a hostile DeviceRequest or refuses it with a typed error', async () => {
    const holder = await issueHolder();
    const documents = [{ id: 'card', issuerSigned: holder.issuerSigned, deviceKey: holder.deviceKey }];
    await fc.assert(
      fc.asyncProperty(hostileCbor(deviceRequestTemplate), async (dr) => {
        try {
          await createAnnexCPresentation({
            data: { deviceRequest: bytesToBase64url(dr), encryptionInfo: built.encryptionInfo },
            origin: ORIGIN,
            documents,
          });
        } catch (e) {
          // The wallet's own mdoc layer may refuse what it cannot answer, with its own typed error.
          if (!(e instanceof Oid4vpError) && !(e instanceof MdocError)) throw e;
        }
        expect(prototypeChanges(before)).toEqual([]);
      }),
      { ...RUNS, numRuns: 50 },
    );
  });

  it('verifyAnnexCResponse and parseEncryptedResponse', async () => {
    const responseTemplate = [
      'dcapi',
      new Map<CborValue, CborValue>([
        ['enc', new Uint8Array(65)],
        ['cipherText', new Uint8Array(32)],
      ]),
    ];
    const session = {
      encryptionInfo: built.encryptionInfo,
      origin: ORIGIN,
      recipientPrivateKey: key.privateKey,
    };
    await fc.assert(
      fc.asyncProperty(hostileCbor(responseTemplate), hostileJson({ response: 'AA' }), async (cbor, json) => {
        const response = bytesToBase64url(cbor);
        await typed(() => parseEncryptedResponse(response));
        await reports(() =>
          verifyAnnexCResponse({ response }, session, { mdoc: { trustAnchors: [], now: NOW } }),
        );
        await reports(() =>
          verifyAnnexCResponse(json as { response?: unknown }, session, {
            mdoc: { trustAnchors: [], now: NOW },
          }),
        );
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('DeviceEngagement, SessionEstablishment and SessionData', async () => {
    const engagement = new Map<CborValue, CborValue>([
      [0, '1.0'],
      [1, [1, EncodedCbor.of(new Map<CborValue, CborValue>([[1, 2]]))]],
      [2, [[2, 1, new Map<CborValue, CborValue>([[0, true]])]]],
    ]);
    const establishment = new Map<CborValue, CborValue>([
      ['eReaderKey', EncodedCbor.of(new Map<CborValue, CborValue>([[1, 2]]))],
      ['data', new Uint8Array(4)],
    ]);
    const data = new Map<CborValue, CborValue>([
      ['data', new Uint8Array(4)],
      ['status', 20],
    ]);
    await fc.assert(
      fc.asyncProperty(
        hostileCbor(engagement),
        hostileCbor(establishment),
        hostileCbor(data),
        async (e, s, d) => {
          await typed(() => parseDeviceEngagement(e));
          await typed(() => decodeSessionEstablishment(s));
          await typed(() => decodeSessionData(d));
        },
      ),
      RUNS,
    );
  });
});

describe('stored documents whose issuer used prototype names', () => {
  it('heldDocumentOf keeps them as own namespaces and identifiers', async () => {
    const device = p256();
    const chain = makeIssuerChain();
    const issued = await issueMdoc({
      docType: JP_MNC.docType,
      nameSpaces: JSON.parse('{"__proto__":{"polluted":1},"toString":{"constructor":2}}'),
      deviceKey: device.publicKey,
      validityInfo: { signed: NOW, validFrom: NOW, validUntil: new Date(NOW.getTime() + 86_400_000) },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    const held = heldDocumentOf({ id: 'x', issuerSigned: issued.bytes });
    expect(Object.keys(held.elements).sort()).toEqual(['__proto__', 'toString']);
    expect(Object.keys(held.elements.toString ?? {})).toEqual(['constructor']);
    expect(prototypeChanges(before)).toEqual([]);
  });
});
