import type { KeyObject } from 'node:crypto';
import { base64urlToBytes, bytesToBase64 } from '@mynakit/cbor';
import { type Certificate, parseCertificate, validateCertificatePath } from '@mynakit/pki';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK, SignJWT } from 'jose';
import { Oid4vpError } from '../errors.js';
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
const ALGS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'PS256', 'RS256'];

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
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the request object is not a compact JWS', { cause: e });
  }
  if (header.typ !== REQUEST_OBJECT_TYP) {
    throw new Oid4vpError(
      'REQUEST_SIGNATURE_INVALID',
      `the request object typ must be ${REQUEST_OBJECT_TYP}`,
    );
  }
  if (typeof header.alg !== 'string' || !ALGS.includes(header.alg)) {
    throw new Oid4vpError('REQUEST_SIGNATURE_INVALID', 'the request object uses an unsupported algorithm');
  }
  if (!Array.isArray(header.x5c) || header.x5c.length === 0) {
    throw new Oid4vpError('REQUEST_SIGNATURE_INVALID', 'the request object has no x5c certificate chain');
  }
  let chain: Certificate[];
  try {
    chain = header.x5c.map((c) => parseCertificate(base64urlToBytes(c)));
  } catch (e) {
    throw new Oid4vpError('DECODE', 'x5c holds a certificate that does not parse', { cause: e });
  }
  const leaf = chain[0] as Certificate;
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(jws, leaf.publicKey, { algorithms: [header.alg] }));
  } catch (e) {
    throw new Oid4vpError('REQUEST_SIGNATURE_INVALID', 'the request object signature does not verify', {
      cause: e,
    });
  }
  const path = validateCertificatePath({
    leaf,
    intermediates: chain.slice(1),
    trustAnchors: [...options.trustAnchors],
    now: options.now,
  });
  if (!path.ok) {
    throw new Oid4vpError(
      'REQUEST_CERTIFICATE_UNTRUSTED',
      `the request certificate does not chain to a trusted anchor (${path.failure?.code ?? 'no path'})`,
    );
  }
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(payloadBytes));
    // RFC 9101 §4: the request object's claims are a JSON object (a JWT Claims Set).
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new TypeError('not an object');
    claims = parsed as Record<string, unknown>;
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the request object payload is not a JSON object', { cause: e });
  }
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
