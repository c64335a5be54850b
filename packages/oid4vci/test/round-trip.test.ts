/**
 * The Pre-Authorized Code Flow end to end, Wallet half against issuer half, through JSON text and form
 * bodies as they travel: metadata → offer URI → token → nonce → credential request with an attested key
 * proof → credential response → notification.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrl,
  buildCredentialRequest,
  buildNotificationRequest,
  buildTokenRequest,
  CACHE_CONTROL_NO_STORE,
  checkPreAuthorizedCode,
  createAuthorizationServerMetadata,
  createCredentialIssuerMetadata,
  createCredentialOffer,
  createCredentialResponse,
  createMdocCredentialConfiguration,
  createNonceResponse,
  createProofJwt,
  createTokenResponse,
  createTxCode,
  credentialIssuerMetadataUrl,
  credentialOfferUri,
  findCredentialConfiguration,
  mdocCredentialsOf,
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  parseAuthorizationServerMetadata,
  parseCredentialIssuerMetadata,
  parseCredentialOfferUri,
  parseCredentialRequest,
  parseCredentialResponse,
  parseNonceResponse,
  parseNotificationRequest,
  parseTokenRequest,
  parseTokenResponse,
  preAuthorizedCodeHash,
  publicJwkOf,
  readBearerToken,
  verifyCredentialRequestProofs,
} from '../src/index.js';
import { attest, DEVICE, errorOf, ISSUER, NOW, TRUSTED } from './helpers/fixtures.js';

const DOCTYPE = 'org.iso.23220.1.jp.mnc';
const CONFIG_ID = 'jp.mnc';

const metadata = createCredentialIssuerMetadata({
  credentialIssuer: ISSUER,
  credentialEndpoint: `${ISSUER}/credential`,
  nonceEndpoint: `${ISSUER}/nonce`,
  notificationEndpoint: `${ISSUER}/notification`,
  display: [{ name: 'mynakit sandbox issuer', locale: 'en' }],
  credentialConfigurations: {
    [CONFIG_ID]: createMdocCredentialConfiguration({
      doctype: DOCTYPE,
      credentialSigningAlgValues: [-7],
      proofSigningAlgValues: ['ES256'],
      keyAttestationsRequired: { keyStorage: ['iso_18045_high'], userAuthentication: ['iso_18045_high'] },
      display: [{ name: 'マイナンバーカード', locale: 'ja' }],
    }),
  },
});

const wire = (v: unknown) => JSON.stringify(v);

describe('issuer metadata', () => {
  it('publishes an mso_mdoc configuration bound to cose_key with jwt proofs and key attestations', () => {
    expect(metadata.credential_configurations_supported[CONFIG_ID]).toEqual({
      format: 'mso_mdoc',
      doctype: DOCTYPE,
      cryptographic_binding_methods_supported: ['cose_key'],
      credential_signing_alg_values_supported: [-7],
      proof_types_supported: {
        jwt: {
          proof_signing_alg_values_supported: ['ES256'],
          key_attestations_required: {
            key_storage: ['iso_18045_high'],
            user_authentication: ['iso_18045_high'],
          },
        },
      },
      credential_metadata: { display: [{ name: 'マイナンバーカード', locale: 'ja' }] },
    });
    expect(credentialIssuerMetadataUrl('https://issuer.example/tenant')).toBe(
      'https://issuer.example/.well-known/openid-credential-issuer/tenant',
    );
    expect(authorizationServerMetadataUrl(ISSUER)).toBe(
      'https://issuer.example/.well-known/oauth-authorization-server',
    );
    const as = createAuthorizationServerMetadata({ issuer: ISSUER, tokenEndpoint: `${ISSUER}/token` });
    expect(as).toEqual({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/token`,
      grant_types_supported: [PRE_AUTHORIZED_CODE_GRANT_TYPE],
      'pre-authorized_grant_anonymous_access_supported': true,
    });
    expect(
      parseAuthorizationServerMetadata(wire(as), ISSUER).preAuthorizedGrantAnonymousAccessSupported,
    ).toBe(true);
  });

  it('the Wallet refuses metadata for another issuer identifier', async () => {
    expect(
      (await errorOf(() => parseCredentialIssuerMetadata(wire(metadata), 'https://evil.example'))).check,
    ).toBe('issuer_metadata.decode');
  });
});

describe('the pre-authorized code flow', () => {
  it('runs from the offer to the notification', async () => {
    // Issuer: offer with a pre-authorized code and a 6-digit transaction code
    const code = randomBytes(32).toString('base64url');
    const txCode = createTxCode(6, (n) => randomBytes(n));
    expect(txCode).toMatch(/^\d{6}$/);
    const offer = createCredentialOffer({
      credentialIssuer: ISSUER,
      credentialConfigurationIds: [CONFIG_ID],
      preAuthorizedCode: code,
      txCode: { inputMode: 'numeric', length: 6, description: 'The code on the sandbox page' },
    });
    const uri = credentialOfferUri(offer);
    expect(uri.startsWith('openid-credential-offer://?credential_offer=%7B')).toBe(true);
    const stored = {
      hash: preAuthorizedCodeHash(code),
      expiresAt: new Date(NOW.getTime() + 600_000),
      txCode,
    };

    // Wallet: reads the offer and the metadata
    const read = parseCredentialOfferUri(uri);
    if (!('offer' in read)) throw new Error('by value expected');
    expect(read.offer).toEqual({
      credentialIssuer: ISSUER,
      credentialConfigurationIds: [CONFIG_ID],
      preAuthorizedCode: code,
      txCode: { inputMode: 'numeric', length: 6, description: 'The code on the sandbox page' },
    });
    const md = parseCredentialIssuerMetadata(wire(metadata), read.offer.credentialIssuer);
    const config = md.configurations.get(CONFIG_ID);
    expect(config?.doctype).toBe(DOCTYPE);
    expect(config?.keyAttestationsRequired).toEqual({
      key_storage: ['iso_18045_high'],
      user_authentication: ['iso_18045_high'],
    });

    // Token Endpoint
    const form = buildTokenRequest({ preAuthorizedCode: read.offer.preAuthorizedCode as string, txCode });
    const tokenRequest = parseTokenRequest(form.toString());
    expect(preAuthorizedCodeHash(tokenRequest.preAuthorizedCode)).toBe(stored.hash);
    checkPreAuthorizedCode({ expiresAt: stored.expiresAt, txCode: stored.txCode }, tokenRequest, NOW);
    const accessToken = randomBytes(32).toString('base64url');
    const tokenResponse = createTokenResponse({ accessToken, expiresIn: 300 });
    const token = parseTokenResponse(wire(tokenResponse));
    expect(token).toEqual({ accessToken, tokenType: 'Bearer', expiresIn: 300 });

    // Nonce Endpoint (the store: single use)
    const issued = new Set<string>();
    const cNonce = randomBytes(16).toString('base64url');
    issued.add(cNonce);
    expect(CACHE_CONTROL_NO_STORE).toBe('no-store');
    const nonce = parseNonceResponse(wire(createNonceResponse(cNonce)));

    // Wallet: key attestation (from the platform) + proof, then the Credential Request
    const keyAttestation = await attest({ nonce });
    const proof = await createProofJwt({
      privateKey: DEVICE.privateKey,
      keyAttestation,
      audience: md.credentialIssuer,
      nonce,
      iat: NOW,
    });
    const request = buildCredentialRequest({ credentialConfigurationId: CONFIG_ID, proofs: [proof] });

    // Credential Endpoint
    expect(readBearerToken(`Bearer ${token.accessToken}`)).toBe(accessToken);
    const parsed = parseCredentialRequest(wire(request), {
      credentialConfigurationIds: Object.keys(metadata.credential_configurations_supported),
    });
    const configuration = findCredentialConfiguration(metadata, parsed.credentialConfigurationId as string);
    const jwtProofs = configuration?.proof_types_supported.jwt;
    const consume = (n: string) => issued.delete(n);
    const [verified] = await verifyCredentialRequestProofs(parsed.proofs, {
      now: NOW,
      credentialIssuer: ISSUER,
      allowedAlgorithms: jwtProofs?.proof_signing_alg_values_supported ?? [],
      nonce: consume,
      ...(jwtProofs?.key_attestations_required === undefined
        ? {}
        : { keyAttestationsRequired: jwtProofs.key_attestations_required }),
      keyAttestationTrustAnchors: [TRUSTED.root],
    });
    expect(verified?.publicKey.equals(DEVICE.publicKey)).toBe(true);
    expect(verified?.publicJwk).toEqual(publicJwkOf(DEVICE.publicKey));
    expect(verified?.attestedKeyIndex).toBe(0);
    expect(verified?.keyAttestation?.keyStorage).toEqual(['iso_18045_high']);
    expect(issued.size).toBe(0);

    // The same request again: the nonce is spent
    expect(
      (
        await errorOf(() =>
          verifyCredentialRequestProofs(parsed.proofs, {
            now: NOW,
            credentialIssuer: ISSUER,
            allowedAlgorithms: ['ES256'],
            nonce: consume,
            keyAttestationTrustAnchors: [TRUSTED.root],
          }),
        )
      ).code,
    ).toBe('invalid_nonce');

    const issuerSigned = new Uint8Array([
      0xa2, 0x6a, 0x6e, 0x61, 0x6d, 0x65, 0x53, 0x70, 0x61, 0x63, 0x65, 0x73, 0xa0,
    ]);
    const response = createCredentialResponse({ credentials: [issuerSigned], notificationId: 'n-1' });
    const got = parseCredentialResponse(wire(response));
    expect(got.notificationId).toBe('n-1');
    expect(mdocCredentialsOf(got)).toEqual([issuerSigned]);

    // Notification Endpoint
    const notification = buildNotificationRequest({ notificationId: 'n-1', event: 'credential_accepted' });
    expect(parseNotificationRequest(wire(notification))).toEqual({
      notificationId: 'n-1',
      event: 'credential_accepted',
    });
  });

  it('a batch of proofs sharing one c_nonce consumes it once', async () => {
    const issued = new Set(['batch-nonce-0123456789']);
    const consume = (n: string) => issued.delete(n);
    const proofs = [
      await createProofJwt({
        privateKey: DEVICE.privateKey,
        audience: ISSUER,
        nonce: 'batch-nonce-0123456789',
        iat: NOW,
      }),
      await createProofJwt({
        privateKey: DEVICE.privateKey,
        audience: ISSUER,
        nonce: 'batch-nonce-0123456789',
        iat: NOW,
      }),
    ];
    const parsed = parseCredentialRequest(
      buildCredentialRequest({ credentialConfigurationId: CONFIG_ID, proofs }),
      {
        credentialConfigurationIds: [CONFIG_ID],
        maxProofs: 2,
      },
    );
    const verified = await verifyCredentialRequestProofs(parsed.proofs, {
      now: NOW,
      credentialIssuer: ISSUER,
      allowedAlgorithms: ['ES256'],
      nonce: consume,
    });
    expect(verified).toHaveLength(2);
    expect(issued.size).toBe(0);
  });

  it('reads an offer by reference and credential identifiers from the token response', () => {
    expect(
      parseCredentialOfferUri(
        'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example%2Foffer%2F1',
      ),
    ).toEqual({ credentialOfferUri: 'https://issuer.example/offer/1' });
    const t = parseTokenResponse({
      access_token: 'x'.repeat(20),
      token_type: 'Bearer',
      authorization_details: [
        {
          type: 'openid_credential',
          credential_configuration_id: CONFIG_ID,
          credential_identifiers: ['a', 'b'],
        },
      ],
    });
    expect(t.credentialIdentifiers?.get(CONFIG_ID)).toEqual(['a', 'b']);
    const req = parseCredentialRequest(
      { credential_identifier: 'b', proofs: { jwt: ['x.y.z'] } },
      { credentialConfigurationIds: [CONFIG_ID], credentialIdentifiers: ['a', 'b'] },
    );
    expect(req.credentialIdentifier).toBe('b');
  });
});
