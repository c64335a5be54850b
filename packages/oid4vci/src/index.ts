/**
 * @mynakit/oid4vci — OpenID for Verifiable Credential Issuance 1.0 for the Pre-Authorized Code Flow and
 * `mso_mdoc` Credentials, both halves: what an issuer publishes, reads and answers (metadata, offer,
 * token, nonce, credential and notification endpoints, key proof and key attestation verification) and
 * what a Wallet builds and reads. Pure: no I/O, no clock, no randomness — `now`, codes, nonces, keys
 * and trust anchors come in as arguments; the issuer's store decides what was issued and is still valid.
 */

export {
  ATTACK_POTENTIAL_RESISTANCE,
  type AttackPotentialResistance,
  meetsAttackPotentialResistance,
} from './attack-potential-resistance.js';
export {
  type AuthorizationServerMetadata,
  type AuthorizationServerMetadataInput,
  authorizationServerMetadataUrl,
  createAuthorizationServerMetadata,
  type ParsedAuthorizationServerMetadata,
  parseAuthorizationServerMetadata,
} from './authorization-server-metadata.js';
export { invalidAccessToken, readBearerToken } from './bearer-token.js';
export {
  type ClaimDescription,
  type CredentialDisplay,
  type CredentialIssuerMetadata,
  type CredentialIssuerMetadataInput,
  createCredentialIssuerMetadata,
  createMdocCredentialConfiguration,
  credentialIssuerMetadataUrl,
  findCredentialConfiguration,
  type IssuerDisplay,
  type MdocCredentialConfiguration,
  type MdocCredentialConfigurationInput,
  type ParsedCredentialConfiguration,
  type ParsedCredentialIssuerMetadata,
  parseCredentialIssuerMetadata,
  wellKnownUrl,
} from './credential-issuer-metadata.js';
export {
  CREDENTIAL_OFFER_SCHEME,
  type CreateCredentialOfferInput,
  type CredentialOffer,
  createCredentialOffer,
  credentialOfferReferenceUri,
  credentialOfferUri,
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  type ParsedCredentialOffer,
  type PreAuthorizedCodeGrant,
  parseCredentialOffer,
  parseCredentialOfferUri,
  type TxCodeDescription,
} from './credential-offer.js';
export {
  type BuildCredentialRequestInput,
  buildCredentialRequest,
  type CredentialRequest,
  type ParseCredentialRequestOptions,
  type ParsedCredentialRequest,
  parseCredentialRequest,
} from './credential-request.js';
export {
  type CreateCredentialResponseInput,
  type CredentialResponse,
  createCredentialResponse,
  mdocCredentialsOf,
  type ParsedCredentialResponse,
  parseCredentialResponse,
} from './credential-response.js';
export {
  type OAuthErrorBody,
  type Oid4vciCheck,
  Oid4vciError,
  type Oid4vciErrorCode,
  oauthErrorBody,
} from './errors.js';
export {
  ASYMMETRIC_JWS_ALGORITHMS,
  type JwsSigner,
  type PrivateKeyInput,
  type PublicJwk,
  type PublicKeyInput,
  publicJwkOf,
} from './jose-keys.js';
export {
  AttesterTrust,
  type AttesterChainFailure,
  attesterTrustOf,
  DEFAULT_ATTESTER_CHAINS_KEPT,
  MAX_ATTESTER_X5C,
  type ValidatedAttesterChain,
} from './attester-trust.js';
export {
  type CreateKeyAttestationJwtInput,
  createKeyAttestationJwt,
  findAttestedKey,
  KEY_ATTESTATION_JWT_TYP,
  type KeyAttestationsRequired,
  type VerifiedKeyAttestation,
  type VerifyKeyAttestationOptions,
  verifyKeyAttestation,
} from './key-attestation.js';
export {
  CACHE_CONTROL_NO_STORE,
  createNonceResponse,
  type ExpectedNonce,
  type NonceCheck,
  type NonceResponse,
  parseNonceResponse,
} from './nonce-response.js';
export {
  buildNotificationRequest,
  type NotificationEvent,
  type NotificationRequest,
  type ParsedNotificationRequest,
  parseNotificationRequest,
  unknownNotificationId,
} from './notification-request.js';
export {
  checkPreAuthorizedCode,
  createTxCode,
  type PreAuthorizedCodeRecord,
  preAuthorizedCodeHash,
  unknownPreAuthorizedCode,
} from './pre-authorized-code.js';
export {
  type CreateProofJwtInput,
  createProofJwt,
  PROOF_JWT_TYP,
  type VerifiedProof,
  type VerifyProofJwtOptions,
  verifyCredentialRequestProofs,
  verifyProofJwt,
} from './proof-jwt.js';
export {
  type BuildTokenRequestInput,
  buildTokenRequest,
  type ParseTokenRequestOptions,
  type PreAuthorizedTokenRequest,
  parseTokenRequest,
} from './token-request.js';
export {
  type CreateTokenResponseInput,
  type CredentialAuthorizationDetail,
  createTokenResponse,
  type ParsedTokenResponse,
  parseTokenResponse,
  type TokenResponse,
} from './token-response.js';
