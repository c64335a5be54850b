/**
 * What the issuer publishes about itself for OpenID4VCI 1.0: the Credential Issuer Metadata (§12.2, at
 * `/.well-known/openid-credential-issuer`) with two `mso_mdoc` configurations (Appendix A.2), and the
 * OAuth 2.0 Authorization Server Metadata (RFC 8414, §12.3) of the issuer acting as its own authorization
 * server for the Pre-Authorized Code Flow.
 *
 * The Credential Issuer Identifier is `config.origin`. §12.2.1: it "MUST use the https scheme"; the
 * builders of @mynakit/oid4vci accept `http:` only on a loopback host (the sandbox on one machine), so an
 * issuer configured with a plain-http public origin fails here, when the app is created.
 *
 * Both configurations bind the credential to a `cose_key` proven with `jwt` key proofs (ES256), and require
 * a key attestation (Appendix D) from a platform attester trusted by the issuer — the record must sit in a
 * secure element guarded by the holder's authentication (DOMAIN.md §1 "Two-factor use").
 */
import {
  type AuthorizationServerMetadata,
  type ClaimDescription,
  type CredentialIssuerMetadata,
  createAuthorizationServerMetadata,
  createCredentialIssuerMetadata,
  createMdocCredentialConfiguration,
  type KeyAttestationsRequired,
} from '@mynakit/oid4vci';
import { ISO_23220_NAMESPACE, JP_MNC_DOCTYPE, JP_MNC_ELEMENTS, jpMncLabel } from '@mynakit/mdoc';
import { SANDBOX_DOCTYPE } from '../ca/sandbox-names.js';
import { RECORD_AGE_OVER } from '../records/record-name-spaces.js';
import { MDL_NAMESPACE } from '../records/sample-mdl.js';

/** The configuration id of the card-substitute record (= its docType). */
export const RECORD_CONFIGURATION_ID = JP_MNC_DOCTYPE;
/** The configuration id of the sample mDL (= its docType). */
export const SAMPLE_MDL_CONFIGURATION_ID = SANDBOX_DOCTYPE.mdl;

/** The configuration ids this issuer offers, in metadata order (the sample mDL only in the sandbox). */
export function credentialConfigurationIds(sandbox: boolean): readonly string[] {
  return sandbox ? [RECORD_CONFIGURATION_ID, SAMPLE_MDL_CONFIGURATION_ID] : [RECORD_CONFIGURATION_ID];
}

/** COSE ES256 (RFC 9053 §2.1): what the sandbox document signers sign IssuerAuth with. */
export const COSE_ES256 = -7;
/** JWS algorithms accepted for key proofs and key attestations (RFC 7518 §3.4). */
export const PROOF_SIGNING_ALGORITHMS: readonly string[] = ['ES256'];

/**
 * What a key attestation must state (Appendix D.2; a stronger ISO/IEC 18045 level meets a weaker one): key
 * storage resisting attackers of "Moderate" potential (VAN.4, a secure element or TEE-backed keystore) and
 * user authentication of the same level guarding each use. Our reading of what a card substitute needs [I].
 */
export const KEY_ATTESTATIONS_REQUIRED: KeyAttestationsRequired = {
  key_storage: ['iso_18045_moderate'],
  user_authentication: ['iso_18045_moderate'],
};

/** The endpoints, relative to the Credential Issuer Identifier. */
export const OID4VCI_PATHS = {
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  notification: '/oid4vci/notification',
} as const;

function recordClaims(): ClaimDescription[] {
  const claims: ClaimDescription[] = JP_MNC_ELEMENTS.map((e) => ({
    path: [e.namespace, e.identifier],
    display: [
      { name: e.label.ja, locale: 'ja' },
      { name: e.label.en, locale: 'en' },
    ],
  }));
  for (const nn of RECORD_AGE_OVER) {
    const id = `age_over_${nn}`;
    claims.push({
      path: [ISO_23220_NAMESPACE, id],
      display: [
        { name: jpMncLabel(ISO_23220_NAMESPACE, id, 'ja'), locale: 'ja' },
        { name: jpMncLabel(ISO_23220_NAMESPACE, id, 'en'), locale: 'en' },
      ],
    });
  }
  return claims;
}

const MDL_CLAIMS: readonly [string, string, string][] = [
  ['family_name', '姓', 'Family name'],
  ['given_name', '名', 'Given name'],
  ['birth_date', '生年月日', 'Date of birth'],
  ['issue_date', '交付日', 'Date of issue'],
  ['expiry_date', '有効期限', 'Date of expiry'],
  ['issuing_country', '発行国', 'Issuing country'],
  ['issuing_authority', '発行機関', 'Issuing authority'],
  ['document_number', '番号', 'Licence number'],
  ['portrait', '顔写真', 'Portrait'],
  ['driving_privileges', '運転できる車両', 'Driving privileges'],
];

/** The Credential Issuer Metadata document for `origin` (§12.2.4). */
export function credentialIssuerMetadata(origin: string, sandbox: boolean): CredentialIssuerMetadata {
  const suffix = sandbox ? { ja: '（サンドボックス）', en: ' (sandbox)' } : { ja: '', en: '' };
  const record = createMdocCredentialConfiguration({
    doctype: JP_MNC_DOCTYPE,
    credentialSigningAlgValues: [COSE_ES256],
    proofSigningAlgValues: PROOF_SIGNING_ALGORITHMS,
    keyAttestationsRequired: {
      keyStorage: KEY_ATTESTATIONS_REQUIRED.key_storage ?? [],
      userAuthentication: KEY_ATTESTATIONS_REQUIRED.user_authentication ?? [],
    },
    display: [
      { name: `カード代替電磁的記録${suffix.ja}`, locale: 'ja' },
      { name: `My Number Card substitute record${suffix.en}`, locale: 'en' },
    ],
    claims: recordClaims(),
  });
  const mdl = createMdocCredentialConfiguration({
    doctype: SANDBOX_DOCTYPE.mdl,
    credentialSigningAlgValues: [COSE_ES256],
    proofSigningAlgValues: PROOF_SIGNING_ALGORITHMS,
    keyAttestationsRequired: {
      keyStorage: KEY_ATTESTATIONS_REQUIRED.key_storage ?? [],
      userAuthentication: KEY_ATTESTATIONS_REQUIRED.user_authentication ?? [],
    },
    display: [
      { name: `運転免許証の見本${suffix.ja}`, locale: 'ja' },
      { name: `Sample mobile driving licence${suffix.en}`, locale: 'en' },
    ],
    claims: MDL_CLAIMS.map(([id, ja, en]) => ({
      path: [MDL_NAMESPACE, id],
      display: [
        { name: ja, locale: 'ja' },
        { name: en, locale: 'en' },
      ],
    })),
  });
  return createCredentialIssuerMetadata({
    credentialIssuer: origin,
    credentialEndpoint: `${origin}${OID4VCI_PATHS.credential}`,
    nonceEndpoint: `${origin}${OID4VCI_PATHS.nonce}`,
    notificationEndpoint: `${origin}${OID4VCI_PATHS.notification}`,
    display: [
      { name: `mynakit 発行者${suffix.ja}`, locale: 'ja' },
      { name: `mynakit issuer${suffix.en}`, locale: 'en' },
    ],
    // The sample licence exists only in the sandbox (DOMAIN.md §1 "Several documents on one phone").
    credentialConfigurations: new Map([
      [RECORD_CONFIGURATION_ID, record],
      ...(sandbox ? [[SAMPLE_MDL_CONFIGURATION_ID, mdl] as const] : []),
    ]),
  });
}

/**
 * The Authorization Server Metadata (RFC 8414 §2): the issuer is its own authorization server (§12.2.4:
 * without `authorization_servers` the Credential Issuer is one), for the pre-authorized code grant only,
 * with anonymous access (§12.3 `pre-authorized_grant_anonymous_access_supported`: Wallets send no client_id).
 */
export function authorizationServerMetadata(origin: string): AuthorizationServerMetadata {
  return createAuthorizationServerMetadata({
    issuer: origin,
    tokenEndpoint: `${origin}${OID4VCI_PATHS.token}`,
    preAuthorizedGrantAnonymousAccessSupported: true,
    tokenEndpointAuthMethodsSupported: ['none'],
  });
}
