/**
 * Presenting across devices over OpenID4VP 1.0: the page of a browser without the Digital Credentials API
 * shows a QR code, the phone scans it — `openid4vp://?client_id=…&request_uri=…` (§5.7, request by
 * reference, RFC 9101 §5.2) — and answers by `direct_post.jwt` (§8.3.1; DOMAIN.md §2, the OpenID4VPHandover
 * row). In the same two steps as the DC API channel (openid4vp-presentation.ts), whose verification and
 * consent summary it shares (openid4vp-request.ts, consented-documents.ts):
 *
 * 1. `readOpenId4VpCrossDeviceRequest` — the request object is fetched from `request_uri` (http or https
 *    only, GET, at most MAX_REQUEST_OBJECT_BYTES, `application/oauth-authz-req+jwt`; WALLET_REQUEST_INVALID
 *    otherwise) and verified as over the DC API — signature, `x5c` chain to a reader root the phone trusts,
 *    `client_id` naming the certificate (WALLET_READER_AUTH_INVALID) — with what differs here: there is no
 *    origin; the `client_id` of the QR code must be the request object's and of the `x509_san_dns:` prefix
 *    (§5.9.3: a dNSName of the certificate), and `response_uri` must be on that host (a request whose
 *    answer would go elsewhere is WALLET_REQUEST_INVALID); the response mode must be `direct_post.jwt` (the
 *    record leaves the phone encrypted only). Then the DCQL query is summarised for the consent screen.
 * 2. `presentOpenId4VpCrossDevice` — after the holder's consent and the owner's biometric: per approved
 *    document a DeviceResponse over the OpenID4VPHandover SessionTranscript (Appendix B.2.6.1:
 *    `[null, null, ["OpenID4VPHandover", SHA-256(CBOR([clientId, nonce, jwkThumbprint, responseUri]))]]`),
 *    signed in the secure area; the `vp_token` encrypted to the verifier's key (a JWE) and POSTed as the form
 *    `response=<JWE>` to `response_uri`. The verifier's answer is `{}` or a `redirect_uri` (§8.2). One
 *    history line per document once the verifier received the answer (it answered, even with a refusal:
 *    the answer left the phone, so the history says so); a verifier that refuses it or cannot be reached is
 *    WALLET_VERIFIER_REFUSED, and only the unreachable one leaves no line.
 */

import { bytesToBase64url } from '@mynakit/cbor';
import { readBoundedBody } from '@mynakit/http-kit';
import type { SessionTranscriptEncoding } from '@mynakit/mdoc';
import {
  type AuthorizationRequest,
  createAuthorizationResponse,
  Oid4vpError,
  parseClientId,
  parseRequestUriInvocation,
  postAuthorizationResponse,
  REQUEST_OBJECT_MEDIA_TYPE,
  type RequestUriInvocation,
  sessionTranscriptForRequest,
  verifyRequestObject,
} from '@mynakit/oid4vp';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import type { RequestingReader } from './annex-c-presentation.js';
import {
  approvedDocuments,
  authenticateOwner,
  deviceResponseOf,
  disclosedOf,
  type PresentationConsent,
  recordPresentations,
} from './consented-documents.js';
import { handOffAtOnce, isTimeout } from './hand-off.js';
import type { OpenId4VpRequestedDocument } from './openid4vp-presentation.js';
import {
  requestedDocumentsOf,
  requestingReader,
  trustAnchorsOf,
  walletErrorOf,
} from './openid4vp-request.js';

/** The history's name of this channel (the verifier records `cross-device-openid4vp-v1-direct-post-jwt`). */
export const OPENID4VP_CROSS_DEVICE_CHANNEL = 'cross-device-openid4vp-v1-direct-post-jwt';

/** Largest request object fetched, bytes: a real one with its reader chain is a few kilobytes. */
export const MAX_REQUEST_OBJECT_BYTES = 256 * 1024;

/** A `fetch`-compatible function: how the phone reaches the verifier (the emulator's, or a test's app). */
export type CrossDeviceFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** What both steps take. */
export interface OpenId4VpCrossDeviceRequestInput {
  readonly device: WalletDevice;
  /** What the QR code holds: `openid4vp://?client_id=…&request_uri=…`. */
  readonly walletUrl: string;
  /** How the phone reaches the verifier's `request_uri` and `response_uri`. */
  readonly fetch: CrossDeviceFetch;
  /** Reader roots this phone trusts (DER); absent: the phone's own (WalletDevice.readerTrustAnchors). */
  readonly readerTrustAnchors?: readonly Uint8Array[];
}

/** What a verifier asks across devices, as the consent screen shows it. */
export interface OpenId4VpCrossDeviceRequestSummary {
  readonly documents: readonly OpenId4VpRequestedDocument[];
  /** How the requester authenticated: a request object signed with its certificate chain (`x5c`). */
  readonly readerAuthentication: 'request-object';
  /** Who asks, as the verified request object's certificate proves it. */
  readonly reader: RequestingReader;
  /** The verified `client_id` (`x509_san_dns:<host>`). */
  readonly clientId: string;
  /** Where the answer goes (on the client id's host). */
  readonly responseUri: string;
  /** Always `direct_post.jwt`: the answer is encrypted to the verifier's key. */
  readonly responseMode: 'direct_post.jwt';
}

/** What was presented, and what the verifier answered the phone. */
export interface OpenId4VpCrossDevicePresentation {
  /** The verifier's answer (§8.2): a `redirect_uri` to open (same-device flows), else nothing. */
  readonly answer: { readonly redirectUri?: string };
  /** Per docType, the [namespace, identifier] pairs disclosed. */
  readonly disclosed: Readonly<Record<string, readonly (readonly [string, string])[]>>;
  /** Who asked (what the consent screen named). */
  readonly reader: RequestingReader;
  /** Where the answer went. */
  readonly responseUri: string;
}

function invalid(message: string, cause?: unknown): WalletError {
  return new WalletError('WALLET_REQUEST_INVALID', message, cause === undefined ? undefined : { cause });
}

/** The invocation of the QR code: a request by reference (GET) from an http(s) `request_uri`. */
function invocationOf(walletUrl: string): RequestUriInvocation {
  if (typeof walletUrl !== 'string' || walletUrl.length > 4096) throw invalid('the wallet URL is not a URL');
  let invocation: RequestUriInvocation;
  try {
    invocation = parseRequestUriInvocation(walletUrl);
  } catch (e) {
    throw invalid('the wallet URL is no OpenID4VP request by reference', e);
  }
  if (invocation.requestUriMethod === 'post') throw invalid('request_uri_method=post is not supported');
  let protocol: string;
  try {
    protocol = new URL(invocation.requestUri).protocol;
  } catch (e) {
    throw invalid('request_uri is not a URL', e);
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw invalid('request_uri must be an http(s) URL');
  return invocation;
}

/** The body of `res` as text, at most `max` bytes (a longer one is refused before it is all read). */
async function boundedText(res: Response, max: number): Promise<string> {
  const bytes = await readBoundedBody(res, max);
  if (bytes === undefined) throw invalid('the request object is too large');
  return new TextDecoder().decode(bytes);
}

/** GET `request_uri` (RFC 9101 §5.2; OpenID4VP 1.0 §5.10): the compact JWS, bounded. */
async function fetchRequestObject(
  input: OpenId4VpCrossDeviceRequestInput,
  requestUri: string,
): Promise<string> {
  let res: Response;
  try {
    res = await input.fetch(requestUri, {
      method: 'GET',
      headers: { accept: REQUEST_OBJECT_MEDIA_TYPE },
      redirect: 'error',
    });
  } catch (e) {
    throw invalid('request_uri cannot be reached', e);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw invalid(`request_uri answered HTTP ${res.status}`);
  }
  const type = (res.headers.get('content-type') ?? '').toLowerCase();
  if (!type.startsWith(REQUEST_OBJECT_MEDIA_TYPE)) {
    await res.body?.cancel();
    throw invalid(`request_uri answered no ${REQUEST_OBJECT_MEDIA_TYPE}`);
  }
  return (await boundedText(res, MAX_REQUEST_OBJECT_BYTES)).trim();
}

/** Fetches, verifies and summarises the request; also answers the request and its transcript for step 2. */
async function readRequest(input: OpenId4VpCrossDeviceRequestInput): Promise<{
  summary: OpenId4VpCrossDeviceRequestSummary;
  request: AuthorizationRequest;
  transcript: SessionTranscriptEncoding;
}> {
  const invocation = invocationOf(input.walletUrl);
  // x509_san_dns only: the prefix under which the response URI must be on the certificate's host (§5.9.3).
  let prefix: string;
  try {
    prefix = parseClientId(invocation.clientId).prefix;
  } catch (e) {
    throw walletErrorOf(e);
  }
  if (prefix !== 'x509_san_dns') throw invalid('a cross-device request names an x509_san_dns client id');
  const trustAnchors = trustAnchorsOf(input);
  const jws = await fetchRequestObject(input, invocation.requestUri);
  let verified: Awaited<ReturnType<typeof verifyRequestObject>>;
  let transcript: SessionTranscriptEncoding;
  try {
    // The client id of the QR code must be the request object's; response_uri on its host (the default).
    verified = await verifyRequestObject(jws, {
      trustAnchors,
      now: input.device.clock(),
      expectedClientId: invocation.clientId,
    });
    if (verified.request.response_mode !== 'direct_post.jwt')
      throw new Oid4vpError('invalid_request', 'a cross-device request uses response mode direct_post.jwt');
    // No origin: the OpenID4VPHandover of client_id, nonce, the key's thumbprint and response_uri.
    transcript = await sessionTranscriptForRequest(verified.request);
  } catch (e) {
    throw walletErrorOf(e);
  }
  const { request } = verified;
  const responseUri = request.response_uri;
  if (responseUri === undefined) throw invalid('the request has no response_uri');
  const reader = requestingReader(verified);
  const documents = await requestedDocumentsOf(input.device, request, reader);
  return {
    summary: {
      documents,
      readerAuthentication: 'request-object',
      reader,
      clientId: verified.clientId,
      responseUri,
      responseMode: 'direct_post.jwt',
    },
    request,
    transcript,
  };
}

/**
 * Step 1: what the QR code's request asks of this phone, after its request object was fetched and verified
 * (see the file comment for what is checked and the codes of refusal).
 */
export async function readOpenId4VpCrossDeviceRequest(
  input: OpenId4VpCrossDeviceRequestInput,
): Promise<OpenId4VpCrossDeviceRequestSummary> {
  return (await readRequest(input)).summary;
}

/**
 * Step 2: presents what the holder approved (per docType, only elements the request asked and the phone
 * holds: anything else is WALLET_INVALID_INPUT, My Number without the requester's basis
 * WALLET_MY_NUMBER_WITHHELD) after the owner's biometric (WALLET_BIOMETRIC_FAILED), POSTing the encrypted
 * answer to `response_uri`. The request is fetched and verified again exactly as in step 1.
 */
export async function presentOpenId4VpCrossDevice(
  input: OpenId4VpCrossDeviceRequestInput & {
    readonly consent: PresentationConsent;
    readonly userAuthentication: UserAuthentication;
  },
): Promise<OpenId4VpCrossDevicePresentation> {
  const { device } = input;
  const { summary, request, transcript } = await readRequest(input);
  const asked = new Map(summary.documents.map((d) => [d.docType, d.elements]));
  const approved = await approvedDocuments(device, asked, input.consent);
  const tickets = await authenticateOwner(device, approved, input.userAuthentication);
  // §8.1: vp_token maps each credential query id to its presentations; for mso_mdoc one DeviceResponse each.
  const vpToken = new Map<string, string[]>();
  for (const a of approved) {
    const queryId = summary.documents.find((d) => d.docType === a.document.docType)?.credentialQueryId;
    if (queryId === undefined)
      throw new WalletError('WALLET_INVALID_INPUT', 'the consent names a document not requested');
    const deviceResponse = await deviceResponseOf(device, [a], transcript.sessionTranscriptBytes, tickets);
    vpToken.set(queryId, [bytesToBase64url(deviceResponse)]);
  }
  let body: Awaited<ReturnType<typeof createAuthorizationResponse>>;
  try {
    body = await createAuthorizationResponse(request, Object.fromEntries(vpToken));
  } catch (e) {
    throw walletErrorOf(e);
  }
  // The answer and its history lines leave together (hand-off.ts): the lines are written once the verifier
  // received the answer — a verifier that answered with a refusal had it in hand — and not when it cannot be
  // reached.
  let answer: { redirectUri?: string } = {};
  await handOffAtOnce(async () => {
    try {
      answer = await postAuthorizationResponse(summary.responseUri, body, (url, init) =>
        input.fetch(url, { ...init, redirect: 'error' }),
      );
    } catch (e) {
      // A verifier that refused the answer had it in hand; one that did not answer in time may have it.
      if (e instanceof Oid4vpError || isTimeout(e)) {
        await recordPresentations(device, approved, summary.clientId, OPENID4VP_CROSS_DEVICE_CHANNEL);
        throw new WalletError(
          'WALLET_VERIFIER_REFUSED',
          isTimeout(e) ? 'the verifier did not answer in time' : 'the verifier refused the answer',
          { cause: e },
        );
      }
      throw new WalletError('WALLET_VERIFIER_REFUSED', 'the verifier cannot be reached', { cause: e });
    }
    await recordPresentations(device, approved, summary.clientId, OPENID4VP_CROSS_DEVICE_CHANNEL);
  });
  return {
    answer: answer.redirectUri === undefined ? {} : { redirectUri: answer.redirectUri },
    disclosed: disclosedOf(approved),
    reader: summary.reader,
    responseUri: summary.responseUri,
  };
}
