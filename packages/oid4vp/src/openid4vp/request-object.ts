import type { KeyObject } from 'node:crypto';
import { bytesToBase64 } from '@mynakit/cbor';
import type { Certificate } from '@mynakit/pki';
import { importJWK, type JWK, SignJWT } from 'jose';
import { Oid4vpError } from '../errors.js';
import { verifySignedRequest } from '../x5c-signed-request.js';
import {
  type AuthorizationRequest,
  isDcApiMode,
  validateAuthorizationRequest,
} from './authorization-request.js';
import { checkClientIdCertificate, checkResponseUriHost, parseClientId } from './client-id.js';

/**
 * Signed Authorization Requests — a JWT-Secured Authorization Request (RFC 9101) as OpenID4VP 1.0
 * §5.2 and Appendix A.3 (`openid4vp-v1-signed`) use it:
 * - JOSE header `typ: "oauth-authz-req+jwt"`, `x5c` = the verifier's certificate chain, leaf first
 *   (needed by the `x509_san_dns` and `x509_hash` client id prefixes);
 * - claims = the Authorization Request parameters; over the DC API also `expected_origins`, which the
 *   wallet compares with the origin the browser reports (the defence against replay on another site).
 */
export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';
/**
 * Longest request object read, characters: a DCQL query, client metadata with its keys and an x5c chain fit
 * many times over; anything longer is refused before it is parsed.
 */
export const MAX_REQUEST_OBJECT_CHARS = 256 * 1024;
/** Most certificates in its x5c (leaf, intermediates, possibly the root). */
export const MAX_REQUEST_OBJECT_CHAIN = 6;

export interface SignRequestObjectInput {
  readonly request: AuthorizationRequest;
  /** The private key of the leaf certificate. */
  readonly privateKey: KeyObject | JWK;
  /** JWS algorithm (ES256 for P-256 keys). */
  readonly alg?: string;
  /** DER certificates, leaf first; the trust anchor may be left out. */
  readonly certificateChain: readonly Uint8Array[];
  /** `iat`/`exp` are set when `now` is given (libraries have no clock). */
  readonly now?: Date;
  readonly lifetimeSeconds?: number;
}

/** Verifier side: signs the request into a compact JWS. */
export async function signRequestObject(input: SignRequestObjectInput): Promise<string> {
  if (input.request.client_id === undefined)
    throw new Oid4vpError('invalid_request', 'a signed request needs client_id');
  const alg = input.alg ?? 'ES256';
  const key = 'kty' in input.privateKey ? await importJWK(input.privateKey as JWK, alg) : input.privateKey;
  let jwt = new SignJWT({ ...input.request } as Record<string, unknown>).setProtectedHeader({
    alg,
    typ: REQUEST_OBJECT_TYP,
    x5c: input.certificateChain.map((c) => bytesToBase64(c)),
  });
  if (input.now) {
    const iat = Math.floor(input.now.getTime() / 1000);
    jwt = jwt.setIssuedAt(iat).setExpirationTime(iat + (input.lifetimeSeconds ?? 300));
  }
  return jwt.sign(key);
}

export interface VerifyRequestObjectOptions {
  /** Certificates the wallet trusts for relying parties (reader/verifier roots). */
  readonly trustAnchors: readonly Certificate[];
  readonly now: Date;
  /** The client_id that came with the request outside the JWT (URL parameter); must equal the JWT's. */
  readonly expectedClientId?: string;
  /** DC API only: the origin the browser reports; must be in `expected_origins`. */
  readonly origin?: string;
  /** `request_uri_method=post` only: the wallet_nonce the wallet sent, which the request must echo. */
  readonly walletNonce?: string;
  /** Let a trusted client use any response_uri host (x509_san_dns); default false. */
  readonly allowAnyResponseUri?: boolean;
}

export interface VerifiedRequestObject {
  readonly request: AuthorizationRequest;
  readonly clientId: string;
  /** The leaf certificate (the relying party's; see the reader-auth profile for its legal basis). */
  readonly certificate: Certificate;
  readonly certificateChain: readonly Certificate[];
}

/**
 * Wallet side: verifies a signed request object and returns the request. Throws, by cause:
 * REQUEST_SIGNATURE_INVALID (typ, algorithm, signature), REQUEST_CERTIFICATE_UNTRUSTED (chain),
 * CLIENT_ID_MISMATCH (client_id vs URL parameter or certificate), RESPONSE_URI_MISMATCH,
 * ORIGIN_MISMATCH (expected_origins), invalid_request (expiry, wallet_nonce, parameters).
 */
export async function verifyRequestObject(
  jws: string,
  options: VerifyRequestObjectOptions,
): Promise<VerifiedRequestObject> {
  const {
    claims: verifiedClaims,
    leaf,
    chain,
  } = await verifySignedRequest(jws, {
    typ: REQUEST_OBJECT_TYP,
    trustAnchors: options.trustAnchors,
    now: options.now,
    maxChars: MAX_REQUEST_OBJECT_CHARS,
    maxChain: MAX_REQUEST_OBJECT_CHAIN,
  });
  const claims: Record<string, unknown> = verifiedClaims;
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds)
    throw new Oid4vpError('invalid_request', 'the request object has expired');
  if (typeof claims.client_id !== 'string')
    throw new Oid4vpError('invalid_request', 'the request object has no client_id');
  if (options.expectedClientId !== undefined && options.expectedClientId !== claims.client_id) {
    throw new Oid4vpError(
      'CLIENT_ID_MISMATCH',
      'client_id differs between the request and the request object',
    );
  }
  const clientId = parseClientId(claims.client_id);
  checkClientIdCertificate(clientId, leaf);
  const request = validateAuthorizationRequest(claims);
  if (!options.allowAnyResponseUri) {
    for (const uri of [request.response_uri, request.redirect_uri])
      if (uri !== undefined) checkResponseUriHost(clientId, uri);
  }
  if (isDcApiMode(request.response_mode) || options.origin !== undefined) {
    if (options.origin === undefined)
      throw new Oid4vpError('invalid_request', 'a DC API request needs the caller origin');
    if (request.expected_origins === undefined) {
      throw new Oid4vpError('invalid_request', 'a signed DC API request must carry expected_origins');
    }
    if (!request.expected_origins.includes(options.origin)) {
      throw new Oid4vpError('ORIGIN_MISMATCH', `origin ${options.origin} is not in expected_origins`);
    }
  }
  if (options.walletNonce !== undefined && request.wallet_nonce !== options.walletNonce) {
    throw new Oid4vpError('invalid_request', 'the request object does not echo wallet_nonce');
  }
  return { request, clientId: clientId.clientId, certificate: leaf, certificateChain: chain };
}
