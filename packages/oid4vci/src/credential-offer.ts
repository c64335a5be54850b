/**
 * Credential Offer (OpenID4VCI 1.0 §4.1) for the Pre-Authorized Code Flow.
 *
 *   { "credential_issuer": URL (REQUIRED),
 *     "credential_configuration_ids": [string, …] (REQUIRED, non-empty, unique),
 *     "grants"?: { "urn:ietf:params:oauth:grant-type:pre-authorized_code": {
 *                    "pre-authorized_code": string (REQUIRED, "short lived and single use"),
 *                    "tx_code"?: { "input_mode"?: "numeric" | "text" (default numeric),
 *                                  "length"?: integer, "description"?: string (≤ 300 characters) },
 *                    "authorization_server"?: string },
 *                  "authorization_code"?: { "issuer_state"?, "authorization_server"? } } }
 *
 * §4.1: it travels by value (`credential_offer`, the JSON object URL-encoded) or by reference
 * (`credential_offer_uri`, an https URL), e.g. `openid-credential-offer://?credential_offer=…` (§12.1.1:
 * the custom scheme when the Wallet's Credential Offer Endpoint is unknown). "The Wallet MUST ignore
 * any unrecognized parameters." §13.6: its values are not trustworthy — the Wallet checks the issuer as
 * if it had started the flow itself.
 */
import { isIssuerUrl, LIMITS, own, Reader } from './json.js';

/** The grant type of the Pre-Authorized Code Flow (§4.1.1, registered in the IANA OAuth URI registry). */
export const PRE_AUTHORIZED_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** The custom URL scheme for Credential Offers (§12.1.1). */
export const CREDENTIAL_OFFER_SCHEME = 'openid-credential-offer://';

/** What the Wallet shows next to the Transaction Code input (§4.1.1 `tx_code`). */
export interface TxCodeDescription {
  readonly input_mode?: 'numeric' | 'text';
  readonly length?: number;
  readonly description?: string;
}

/** The pre-authorized code grant of an offer (§4.1.1). */
export interface PreAuthorizedCodeGrant {
  readonly 'pre-authorized_code': string;
  readonly tx_code?: TxCodeDescription;
  readonly authorization_server?: string;
}

/** A Credential Offer object (§4.1.1) as this package writes it. */
export interface CredentialOffer {
  readonly credential_issuer: string;
  readonly credential_configuration_ids: readonly string[];
  readonly grants?: { readonly [PRE_AUTHORIZED_CODE_GRANT_TYPE]?: PreAuthorizedCodeGrant };
}

/** Input of `createCredentialOffer`. */
export interface CreateCredentialOfferInput {
  readonly credentialIssuer: string;
  readonly credentialConfigurationIds: readonly string[];
  /** The pre-authorized code the issuer generated (unpredictable, short lived, single use). */
  readonly preAuthorizedCode: string;
  /** Present when a Transaction Code is required (sent to the End-User over another channel). */
  readonly txCode?: {
    readonly inputMode?: 'numeric' | 'text';
    readonly length?: number;
    readonly description?: string;
  };
  /** Which of the issuer's `authorization_servers` handles this grant. */
  readonly authorizationServer?: string;
}

/** Builds a Credential Offer object with a pre-authorized code grant (§4.1.1). */
export function createCredentialOffer(input: CreateCredentialOfferInput): CredentialOffer {
  if (typeof input.credentialIssuer !== 'string' || !isIssuerUrl(input.credentialIssuer, false))
    throw new TypeError('credentialIssuer must be an https URL without query or fragment');
  const ids = input.credentialConfigurationIds;
  if (!Array.isArray(ids) || ids.length === 0 || new Set(ids).size !== ids.length)
    throw new TypeError('credentialConfigurationIds must be a non-empty array of unique strings');
  if (typeof input.preAuthorizedCode !== 'string' || input.preAuthorizedCode.length === 0)
    throw new TypeError('preAuthorizedCode is required');
  const grant: { -readonly [K in keyof PreAuthorizedCodeGrant]: PreAuthorizedCodeGrant[K] } = {
    'pre-authorized_code': input.preAuthorizedCode,
  };
  if (input.txCode !== undefined) {
    const { inputMode, length, description } = input.txCode;
    if (length !== undefined && !(Number.isSafeInteger(length) && length > 0 && length <= 64))
      throw new TypeError('txCode.length must be a positive integer');
    if (description !== undefined && description.length > 300)
      throw new TypeError('txCode.description must not exceed 300 characters');
    grant.tx_code = {
      ...(inputMode === undefined ? {} : { input_mode: inputMode }),
      ...(length === undefined ? {} : { length }),
      ...(description === undefined ? {} : { description }),
    };
  }
  if (input.authorizationServer !== undefined) grant.authorization_server = input.authorizationServer;
  return {
    credential_issuer: input.credentialIssuer,
    credential_configuration_ids: [...ids],
    grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: grant },
  };
}

/** The offer by value as a URI: `openid-credential-offer://?credential_offer=<URL-encoded JSON>` (§4.1.2). */
export function credentialOfferUri(offer: CredentialOffer, scheme: string = CREDENTIAL_OFFER_SCHEME): string {
  return `${scheme}?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
}

/** The offer by reference: `openid-credential-offer://?credential_offer_uri=<URL-encoded https URL>` (§4.1.3). */
export function credentialOfferReferenceUri(
  offerUrl: string,
  scheme: string = CREDENTIAL_OFFER_SCHEME,
): string {
  if (!isIssuerUrl(offerUrl, true)) throw new TypeError('the offer URL must use https');
  return `${scheme}?credential_offer_uri=${encodeURIComponent(offerUrl)}`;
}

/** A Credential Offer as the Wallet reads it. */
export interface ParsedCredentialOffer {
  readonly credentialIssuer: string;
  readonly credentialConfigurationIds: readonly string[];
  /** The pre-authorized code, when the offer has that grant. */
  readonly preAuthorizedCode?: string;
  /** Present when the Token Request must carry a Transaction Code. */
  readonly txCode?: {
    readonly inputMode: 'numeric' | 'text';
    readonly length?: number;
    readonly description?: string;
  };
  readonly authorizationServer?: string;
  /** `issuer_state` of an authorization_code grant, when offered. */
  readonly issuerState?: string;
}

/** Wallet: reads a Credential Offer object (parsed JSON or its text). */
export function parseCredentialOffer(body: unknown): ParsedCredentialOffer {
  const r: Reader = new Reader('invalid_request', 'credential_offer.decode', 'Credential Offer');
  const o = r.object(body);
  const credentialIssuer = r.string(o, 'credential_issuer');
  if (!isIssuerUrl(credentialIssuer, false)) r.fail('credential_issuer is not an https URL');
  const credentialConfigurationIds = r.stringArray(
    own(o, 'credential_configuration_ids'),
    'credential_configuration_ids',
  );
  const grants = own(o, 'grants');
  let preAuthorizedCode: string | undefined;
  let txCode: ParsedCredentialOffer['txCode'];
  let authorizationServer: string | undefined;
  let issuerState: string | undefined;
  if (grants !== undefined) {
    const g = r.object(grants);
    const pre = own(g, PRE_AUTHORIZED_CODE_GRANT_TYPE);
    if (pre !== undefined) {
      const p = r.object(pre);
      preAuthorizedCode = r.string(p, 'pre-authorized_code');
      authorizationServer = r.optionalString(p, 'authorization_server');
      const tx = own(p, 'tx_code');
      if (tx !== undefined) {
        const t = r.object(tx);
        const mode = own(t, 'input_mode');
        if (mode !== undefined && mode !== 'numeric' && mode !== 'text')
          r.fail('tx_code.input_mode is not numeric or text');
        const length = r.optionalInteger(t, 'length', 1, 64);
        const description = r.optionalString(t, 'description', LIMITS.maxDescriptionChars);
        txCode = {
          inputMode: mode === 'text' ? 'text' : 'numeric',
          ...(length === undefined ? {} : { length }),
          ...(description === undefined ? {} : { description }),
        };
      }
    }
    const code = own(g, 'authorization_code');
    if (code !== undefined) issuerState = r.optionalString(r.object(code), 'issuer_state');
  }
  return {
    credentialIssuer,
    credentialConfigurationIds,
    ...(preAuthorizedCode === undefined ? {} : { preAuthorizedCode }),
    ...(txCode === undefined ? {} : { txCode }),
    ...(authorizationServer === undefined ? {} : { authorizationServer }),
    ...(issuerState === undefined ? {} : { issuerState }),
  };
}

/**
 * Wallet: reads an offer URI (any scheme: `openid-credential-offer://`, `https://…`, `haip://`…): the
 * offer itself when it came by value, or the https URL to fetch it from (§4.1.3) when by reference.
 */
export function parseCredentialOfferUri(
  uri: string,
): { readonly offer: ParsedCredentialOffer } | { readonly credentialOfferUri: string } {
  const r: Reader = new Reader('invalid_request', 'credential_offer.decode', 'Credential Offer URI');
  if (typeof uri !== 'string' || uri.length > LIMITS.maxBodyChars) r.fail('not a URI of acceptable size');
  const q = uri.indexOf('?');
  if (q < 0) return r.fail('the URI has no query');
  const params = new URLSearchParams(uri.slice(q + 1).split('#')[0]);
  const byValue = params.getAll('credential_offer');
  const byReference = params.getAll('credential_offer_uri');
  if (byValue.length + byReference.length !== 1)
    return r.fail('exactly one credential_offer or credential_offer_uri parameter is required');
  if (byValue.length === 1) return { offer: parseCredentialOffer(byValue[0] as string) };
  const url = byReference[0] as string;
  if (url.length > LIMITS.maxStringChars || !isIssuerUrl(url, true))
    r.fail('credential_offer_uri is not an https URL');
  return { credentialOfferUri: url };
}
