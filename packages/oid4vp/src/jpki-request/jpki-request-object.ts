import { createHash, type KeyObject } from 'node:crypto';
import { base64urlToBytes, bytesToBase64, bytesToBase64url } from '@mynakit/cbor';
import type { Certificate } from '@mynakit/pki';
import { importJWK, type JWK, SignJWT } from 'jose';
import { Oid4vpError } from '../errors.js';
import { checkClientIdCertificate, checkResponseUriHost, parseClientId } from '../openid4vp/client-id.js';
import { verifySignedRequest } from '../x5c-signed-request.js';

/**
 * The JPKI request object: a relying party asks the holder's phone, by a link or a QR code, for a JPKI
 * user authentication (the user-authentication key signs a challenge after the 4-digit PIN or a biometric)
 * or a JPKI signature (CMS over a document after the signature password). Its shape borrows from
 * RFC 9101 (JAR) and OpenID4VP 1.0 — see README.md beside this file for the format and what comes from where:
 *
 * - a compact JWS (RFC 7515), `alg` ES256 (or another EC/EdDSA/RSA algorithm OpenID4VP allows),
 *   `typ: "jpki-request+jwt"` (RFC 8725 §3.11: explicit typing, so an OpenID4VP request object
 *   `oauth-authz-req+jwt` can never be taken for one and back), `x5c` the relying party's reader
 *   certificate chain, leaf first (RFC 7515 §4.1.6);
 * - claims: `client_id` (`x509_san_dns:<host>`, OpenID4VP 1.0 §5.9.3), `request_type`, `purpose`,
 *   `response_uri` (on the client id's host), `iat`, `exp` (RFC 7519 §4.1), `client_name`; for a user
 *   authentication `nonce` = base64url of the 32-byte challenge; for a signature `document` = the bytes to
 *   sign inline (base64url, at most MAX_JPKI_DOCUMENT_BYTES), their SHA-256 and media type.
 */
export const JPKI_REQUEST_TYP = 'jpki-request+jwt';
/** What `request_uri` answers (RFC 6838 `application/<typ>`, as RFC 9101 §10.2 does for JAR). */
export const JPKI_REQUEST_MEDIA_TYPE = 'application/jpki-request+jwt';

export type JpkiRequestType = 'jpki-user-authentication' | 'jpki-signature';
const REQUEST_TYPES: readonly string[] = ['jpki-user-authentication', 'jpki-signature'];

/** The challenge of a user authentication, bytes (@mynakit/jpki CHALLENGE_LENGTH). */
export const JPKI_CHALLENGE_BYTES = 32;
/** Largest document carried inline, bytes (the verifier's MAX_SIGNED_DOCUMENT_BYTES). */
export const MAX_JPKI_DOCUMENT_BYTES = 16 * 1024;
/** Largest request object, characters: a 16 KiB document in base64url inside base64url, and the chain. */
export const MAX_JPKI_REQUEST_OBJECT_CHARS = 96 * 1024;
/** Most certificates in `x5c`. */
export const MAX_JPKI_REQUEST_CHAIN = 4;
/** Longest lifetime (`exp - iat`) a wallet accepts, seconds: a request is answered within minutes. */
export const MAX_JPKI_REQUEST_LIFETIME_SECONDS = 900;
/** Clock skew allowed between the verifier and the phone when `iat`/`exp` are checked, seconds. */
export const DEFAULT_JPKI_CLOCK_SKEW_SECONDS = 60;
/** Media types a document may declare (what a consent screen can show, or says it cannot). */
export const JPKI_DOCUMENT_MEDIA_TYPES = ['text/plain;charset=utf-8', 'application/octet-stream'] as const;
export type JpkiDocumentMediaType = (typeof JPKI_DOCUMENT_MEDIA_TYPES)[number];

const PURPOSE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_CLIENT_NAME = 256;
const MAX_URI = 2048;

/** The document of a signature request, as the claims carry it. */
export interface JpkiRequestDocument {
  readonly media_type: JpkiDocumentMediaType;
  /** base64url (no padding) SHA-256 of the bytes. */
  readonly sha256: string;
  /** The bytes to sign, base64url (no padding). */
  readonly content: string;
}

/** The claims of a JPKI request object. */
export interface JpkiRequestClaims {
  readonly client_id: string;
  readonly client_name?: string;
  readonly request_type: JpkiRequestType;
  /** Why the relying party asks (lower-case words joined by hyphens, e.g. `account-opening`). */
  readonly purpose: string;
  /** User authentication: base64url of the 32-byte challenge the user-authentication key signs. */
  readonly nonce?: string;
  /** Signature: the document to sign. */
  readonly document?: JpkiRequestDocument;
  readonly response_uri: string;
  readonly iat: number;
  readonly exp: number;
}

/** What the verifier signs. */
export type JpkiRequestInput = {
  readonly clientId: string;
  readonly clientName?: string;
  readonly purpose: string;
  readonly responseUri: string;
  /** Now (libraries have no clock). */
  readonly now: Date;
  /** Seconds until `exp` (at most MAX_JPKI_REQUEST_LIFETIME_SECONDS; default 300). */
  readonly lifetimeSeconds?: number;
} & (
  | { readonly requestType: 'jpki-user-authentication'; readonly challenge: Uint8Array }
  | {
      readonly requestType: 'jpki-signature';
      readonly document: Uint8Array;
      readonly mediaType: JpkiDocumentMediaType;
    }
);

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

function invalid(message: string): Oid4vpError {
  return new Oid4vpError('invalid_request', message);
}

/** Verifier side: the claims of `input`, checked as the wallet will check them. */
export function buildJpkiRequestClaims(input: JpkiRequestInput): JpkiRequestClaims {
  const iat = Math.floor(input.now.getTime() / 1000);
  const lifetime = input.lifetimeSeconds ?? 300;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_JPKI_REQUEST_LIFETIME_SECONDS)
    throw invalid(`the lifetime must be 1 to ${MAX_JPKI_REQUEST_LIFETIME_SECONDS} seconds`);
  const common = {
    client_id: input.clientId,
    ...(input.clientName === undefined ? {} : { client_name: input.clientName }),
    purpose: input.purpose,
    response_uri: input.responseUri,
    iat,
    exp: iat + lifetime,
  };
  const claims: JpkiRequestClaims =
    input.requestType === 'jpki-user-authentication'
      ? { ...common, request_type: input.requestType, nonce: bytesToBase64url(input.challenge) }
      : {
          ...common,
          request_type: input.requestType,
          document: {
            media_type: input.mediaType,
            sha256: bytesToBase64url(sha256(input.document)),
            content: bytesToBase64url(input.document),
          },
        };
  validateJpkiRequestClaims(claims as unknown as Record<string, unknown>);
  return claims;
}

/** Verifier side: signs the request into a compact JWS with the reader key and its chain. */
export async function signJpkiRequestObject(input: {
  readonly request: JpkiRequestInput;
  /** The private key of the reader certificate. */
  readonly privateKey: KeyObject | JWK;
  /** DER certificates, the reader certificate first; the trust anchor may be left out. */
  readonly certificateChain: readonly Uint8Array[];
  readonly alg?: string;
}): Promise<string> {
  const claims = buildJpkiRequestClaims(input.request);
  if (input.certificateChain.length === 0 || input.certificateChain.length > MAX_JPKI_REQUEST_CHAIN)
    throw invalid(`x5c holds 1 to ${MAX_JPKI_REQUEST_CHAIN} certificates`);
  const alg = input.alg ?? 'ES256';
  const key = 'kty' in input.privateKey ? await importJWK(input.privateKey as JWK, alg) : input.privateKey;
  const jws = await new SignJWT({ ...claims } as Record<string, unknown>)
    .setProtectedHeader({
      alg,
      typ: JPKI_REQUEST_TYP,
      x5c: input.certificateChain.map((c) => bytesToBase64(c)),
    })
    .sign(key);
  if (jws.length > MAX_JPKI_REQUEST_OBJECT_CHARS) throw invalid('the request object is too large');
  return jws;
}

const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

function base64urlOf(value: unknown, what: string, maxBytes: number): Uint8Array {
  if (
    typeof value !== 'string' ||
    !/^[A-Za-z0-9_-]*$/.test(value) ||
    value.length > Math.ceil((maxBytes * 4) / 3)
  )
    throw invalid(`${what} is not base64url of at most ${maxBytes} bytes`);
  return base64urlToBytes(value);
}

function integerOf(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw invalid(`${what} must be a NumericDate (whole seconds)`);
  return value;
}

/**
 * Both sides: the claims are a JPKI request (types, bounds, the fields of its request type). Throws
 * invalid_request. Unknown claims are ignored (RFC 7519 §4: claims not understood are ignored).
 */
export function validateJpkiRequestClaims(claims: Record<string, unknown>): JpkiRequestClaims {
  const clientId = own(claims, 'client_id');
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > MAX_URI)
    throw invalid('client_id is missing');
  const clientName = own(claims, 'client_name');
  if (clientName !== undefined && (typeof clientName !== 'string' || clientName.length > MAX_CLIENT_NAME))
    throw invalid(`client_name must be text of at most ${MAX_CLIENT_NAME} characters`);
  const requestType = own(claims, 'request_type');
  if (typeof requestType !== 'string' || !REQUEST_TYPES.includes(requestType))
    throw invalid('request_type must be jpki-user-authentication or jpki-signature');
  const purpose = own(claims, 'purpose');
  if (typeof purpose !== 'string' || !PURPOSE.test(purpose))
    throw invalid('purpose must be lower-case words joined by hyphens');
  const responseUri = own(claims, 'response_uri');
  if (typeof responseUri !== 'string' || responseUri.length > MAX_URI)
    throw invalid('response_uri is missing');
  let protocol: string;
  try {
    protocol = new URL(responseUri).protocol;
  } catch {
    throw invalid('response_uri is not a URL');
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw invalid('response_uri must be an http(s) URL');
  const iat = integerOf(own(claims, 'iat'), 'iat');
  const exp = integerOf(own(claims, 'exp'), 'exp');
  if (exp <= iat || exp - iat > MAX_JPKI_REQUEST_LIFETIME_SECONDS)
    throw invalid(`exp must follow iat by at most ${MAX_JPKI_REQUEST_LIFETIME_SECONDS} seconds`);
  const common = {
    client_id: clientId,
    ...(clientName === undefined ? {} : { client_name: clientName as string }),
    purpose,
    response_uri: responseUri,
    iat,
    exp,
  };
  if (requestType === 'jpki-user-authentication') {
    if (own(claims, 'document') !== undefined) throw invalid('a user authentication carries no document');
    const nonce = own(claims, 'nonce');
    if (base64urlOf(nonce, 'nonce', JPKI_CHALLENGE_BYTES).length !== JPKI_CHALLENGE_BYTES)
      throw invalid(`nonce must be ${JPKI_CHALLENGE_BYTES} bytes`);
    return { ...common, request_type: requestType, nonce: nonce as string };
  }
  if (own(claims, 'nonce') !== undefined) throw invalid('a signature request carries no nonce');
  const document = own(claims, 'document');
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw invalid('a signature request carries its document');
  const d = document as Record<string, unknown>;
  const mediaType = own(d, 'media_type');
  if (typeof mediaType !== 'string' || !(JPKI_DOCUMENT_MEDIA_TYPES as readonly string[]).includes(mediaType))
    throw invalid(`document.media_type must be one of ${JPKI_DOCUMENT_MEDIA_TYPES.join(', ')}`);
  const content = base64urlOf(own(d, 'content'), 'document.content', MAX_JPKI_DOCUMENT_BYTES);
  if (content.length === 0) throw invalid('document.content is empty');
  const digest = base64urlOf(own(d, 'sha256'), 'document.sha256', 32);
  if (!Buffer.from(digest).equals(Buffer.from(sha256(content))))
    throw invalid('document.sha256 is not the SHA-256 of document.content');
  if (mediaType === 'text/plain;charset=utf-8') {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      throw invalid('a text/plain document is not UTF-8');
    }
  }
  return {
    ...common,
    request_type: requestType as 'jpki-signature',
    document: {
      media_type: mediaType as JpkiDocumentMediaType,
      sha256: own(d, 'sha256') as string,
      content: own(d, 'content') as string,
    },
  };
}

export interface VerifyJpkiRequestOptions {
  /** Reader roots the phone trusts. */
  readonly trustAnchors: readonly Certificate[];
  readonly now: Date;
  /** The `client_id` of the link: must equal the request object's. */
  readonly expectedClientId?: string;
  /** Seconds of clock skew tolerated on `iat` and `exp` (default DEFAULT_JPKI_CLOCK_SKEW_SECONDS). */
  readonly clockSkewSeconds?: number;
}

/** A verified JPKI request, with the bytes the phone uses. */
export interface VerifiedJpkiRequest {
  readonly claims: JpkiRequestClaims;
  readonly clientId: string;
  /** The reader certificate (who asks), and the chain as sent. */
  readonly certificate: Certificate;
  readonly certificateChain: readonly Certificate[];
  /** User authentication: the 32-byte challenge. */
  readonly challenge?: Uint8Array;
  /** Signature: the document's bytes. */
  readonly document?: Uint8Array;
}

/**
 * Wallet side: verifies a JPKI request object. Throws Oid4vpError, by cause:
 * DECODE (not a bounded compact JWS, x5c unreadable), REQUEST_SIGNATURE_INVALID (typ, algorithm,
 * signature, no x5c), REQUEST_CERTIFICATE_UNTRUSTED (no path to a trust anchor), CLIENT_ID_MISMATCH (the
 * link's client_id, or no dNSName of the certificate), invalid_client (a prefix other than x509_san_dns),
 * RESPONSE_URI_MISMATCH (response_uri not on the client id's host, OpenID4VP 1.0 §5.9.3),
 * REQUEST_EXPIRED (exp passed, or iat in the future, beyond the skew), invalid_request (the claims).
 */
export async function verifyJpkiRequestObject(
  jws: string,
  options: VerifyJpkiRequestOptions,
): Promise<VerifiedJpkiRequest> {
  const {
    claims: received,
    leaf,
    chain,
  } = await verifySignedRequest(jws, {
    typ: JPKI_REQUEST_TYP,
    trustAnchors: options.trustAnchors,
    now: options.now,
    maxChars: MAX_JPKI_REQUEST_OBJECT_CHARS,
    maxChain: MAX_JPKI_REQUEST_CHAIN,
  });
  const claims = validateJpkiRequestClaims(received);
  const skew = options.clockSkewSeconds ?? DEFAULT_JPKI_CLOCK_SKEW_SECONDS;
  const now = Math.floor(options.now.getTime() / 1000);
  if (claims.exp + skew <= now) throw new Oid4vpError('REQUEST_EXPIRED', 'the request object has expired');
  if (claims.iat - skew > now)
    throw new Oid4vpError('REQUEST_EXPIRED', 'the request object is not valid yet');
  if (options.expectedClientId !== undefined && options.expectedClientId !== claims.client_id)
    throw new Oid4vpError('CLIENT_ID_MISMATCH', 'client_id differs between the link and the request object');
  const clientId = parseClientId(claims.client_id);
  // x509_san_dns only (§5.9.3): the name a phone can show and the host the answer must go to.
  if (clientId.prefix !== 'x509_san_dns')
    throw new Oid4vpError('invalid_client', 'a JPKI request names an x509_san_dns client id');
  checkClientIdCertificate(clientId, leaf);
  checkResponseUriHost(clientId, claims.response_uri);
  return {
    claims,
    clientId: claims.client_id,
    certificate: leaf,
    certificateChain: chain,
    ...(claims.nonce === undefined ? {} : { challenge: base64urlToBytes(claims.nonce) }),
    ...(claims.document === undefined ? {} : { document: base64urlToBytes(claims.document.content) }),
  };
}
