/**
 * Property: every entry point of @mynakit/oid4vci that reads the other party's JSON — Credential
 * Request, Notification Request, Credential Offer, issuer and authorization server metadata, Token,
 * Nonce and Credential Responses, and the headers and claims of really signed key proofs and key
 * attestations — succeeds or throws an Oid4vciError when the input carries `__proto__`, `constructor`,
 * `toString`… as keys at any level, and Object.prototype is exactly as before.
 */
import {
  hostileJson,
  type Json,
  prototypeChanges,
  restorePrototypes,
  snapshotPrototypes,
} from '@mynakit/test-support';
import fc from 'fast-check';
import { CompactSign } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Oid4vciError,
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  parseAuthorizationServerMetadata,
  parseCredentialIssuerMetadata,
  parseCredentialOffer,
  parseCredentialRequest,
  parseCredentialResponse,
  parseNonceResponse,
  parseNotificationRequest,
  parseTokenResponse,
  publicJwkOf,
  verifyKeyAttestation,
  verifyProofJwt,
} from '../src/index.js';
import { DEVICE, ISSUER, NOW, TRUSTED } from './helpers/fixtures.js';

const RUNS = { seed: 0x0e1d_4c11, numRuns: 100 } as const;

let before: ReturnType<typeof snapshotPrototypes>;
beforeEach(() => {
  before = snapshotPrototypes();
});
afterEach(() => restorePrototypes(before));

async function typed(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof Oid4vciError)) throw e;
  }
  expect(prototypeChanges(before)).toEqual([]);
}

const jwk = publicJwkOf(DEVICE.publicKey) as unknown as Json;
const iat = NOW.getTime() / 1000;

describe('received JSON with prototype-named keys', () => {
  it('issuer side: Credential and Notification Requests', async () => {
    const request: Json = { credential_configuration_id: 'jp.mnc', proofs: { jwt: ['a.b.c'] } };
    const notification: Json = {
      notification_id: 'n',
      event: 'credential_accepted',
      event_description: 'ok',
    };
    await fc.assert(
      fc.asyncProperty(hostileJson(request), hostileJson(notification), async (r, n) => {
        await typed(() =>
          parseCredentialRequest(r, { credentialConfigurationIds: ['jp.mnc'], maxProofs: 2 }),
        );
        await typed(() =>
          parseCredentialRequest(JSON.stringify(r), { credentialConfigurationIds: ['jp.mnc'] }),
        );
        await typed(() => parseNotificationRequest(n));
      }),
      RUNS,
    );
  });

  it('wallet side: offer, metadata and responses', async () => {
    const offer: Json = {
      credential_issuer: ISSUER,
      credential_configuration_ids: ['jp.mnc'],
      grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: { 'pre-authorized_code': 'c', tx_code: { length: 6 } } },
    };
    const metadata: Json = {
      credential_issuer: ISSUER,
      credential_endpoint: `${ISSUER}/credential`,
      credential_configurations_supported: {
        'jp.mnc': {
          format: 'mso_mdoc',
          doctype: 'org.iso.23220.1.jp.mnc',
          proof_types_supported: {
            jwt: { proof_signing_alg_values_supported: ['ES256'], key_attestations_required: {} },
          },
        },
      },
    };
    const responses: Json = {
      access_token: 'x'.repeat(20),
      token_type: 'Bearer',
      c_nonce: 'n',
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/token`,
      credentials: [{ credential: 'AAAA' }],
      notification_id: 'n',
      authorization_details: [
        { type: 'openid_credential', credential_configuration_id: 'a', credential_identifiers: ['b'] },
      ],
    };
    await fc.assert(
      fc.asyncProperty(hostileJson(offer), hostileJson(metadata), hostileJson(responses), async (o, m, r) => {
        await typed(() => parseCredentialOffer(o));
        await typed(() => parseCredentialIssuerMetadata(m, ISSUER));
        await typed(() => parseAuthorizationServerMetadata(r, ISSUER));
        await typed(() => parseTokenResponse(r));
        await typed(() => parseNonceResponse(r));
        await typed(() => parseCredentialResponse(r));
      }),
      RUNS,
    );
  });

  it('signed key proofs: header and claims', async () => {
    const header: Json = { typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk };
    const claims: Json = { aud: ISSUER, iat, nonce: 'n-0123456789abcdef' };
    await fc.assert(
      fc.asyncProperty(hostileJson(header), hostileJson(claims), async (h, c) => {
        const protectedHeader = { ...(typeof h === 'object' && h !== null ? h : {}), alg: 'ES256' };
        const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(c)))
          .setProtectedHeader(protectedHeader as { alg: string })
          .sign(DEVICE.privateKey)
          .catch(() => undefined);
        if (jwt === undefined) return;
        await typed(() =>
          verifyProofJwt(jwt, {
            now: NOW,
            credentialIssuer: ISSUER,
            allowedAlgorithms: ['ES256'],
            nonce: 'n-0123456789abcdef',
            keyAttestationTrustAnchors: [TRUSTED.root],
          }),
        );
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('signed key attestations: claims', async () => {
    const claims: Json = {
      iat: iat - 60,
      exp: iat + 3600,
      attested_keys: [jwk],
      key_storage: ['iso_18045_high'],
      user_authentication: ['iso_18045_high'],
      nonce: 'n',
    };
    const x5c = TRUSTED.chain.map((d) => Buffer.from(d).toString('base64'));
    await fc.assert(
      fc.asyncProperty(hostileJson(claims), async (c) => {
        const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(c)))
          .setProtectedHeader({ typ: 'key-attestation+jwt', alg: 'ES256', x5c } as { alg: string })
          .sign(TRUSTED.key);
        await typed(() =>
          verifyKeyAttestation(jwt, {
            now: NOW,
            trustAnchors: [TRUSTED.root],
            requirements: { key_storage: ['iso_18045_moderate'] },
            nonce: 'n',
          }),
        );
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('a member put on Object.prototype is never read as a claim', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify({ iat })))
      .setProtectedHeader({ typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk } as unknown as { alg: string })
      .sign(DEVICE.privateKey);
    try {
      proto.aud = ISSUER;
      proto.credential_configuration_id = 'jp.mnc';
      proto.event = 'credential_accepted';
      const err = await verifyProofJwt(jwt, {
        now: NOW,
        credentialIssuer: ISSUER,
        allowedAlgorithms: ['ES256'],
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid_proof', check: 'proof.aud' });
      expect(() =>
        parseCredentialRequest({ proofs: { jwt: ['a'] } }, { credentialConfigurationIds: ['jp.mnc'] }),
      ).toThrow(expect.objectContaining({ code: 'invalid_credential_request' }));
      expect(() => parseNotificationRequest({ notification_id: 'n' })).toThrow(
        expect.objectContaining({ code: 'invalid_notification_request' }),
      );
    } finally {
      for (const k of ['aud', 'credential_configuration_id', 'event']) delete proto[k];
    }
  });
});
