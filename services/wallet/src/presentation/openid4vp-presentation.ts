/**
 * Presenting over the W3C Digital Credentials API with protocol `openid4vp-v1-signed` (OpenID for Verifiable
 * Presentations 1.0 Appendix A; Android, Chrome — DOMAIN.md §2), in the same two steps as the Annex C
 * channel (annex-c-presentation.ts):
 *
 * 1. `readOpenId4VpDcApiRequest` — the request object (`data.request`, a JWS, RFC 9101 as OpenID4VP 1.0
 *    §5 and Appendix A.3 use it) is verified before anything is shown: its signature with the leaf of its
 *    `x5c` chain, that chain to a reader root the phone trusts (WALLET_READER_AUTH_INVALID otherwise), the
 *    `client_id` naming that certificate (`x509_san_dns:` a dNSName of it, `x509_hash:` its hash, §5.9.3;
 *    WALLET_READER_AUTH_INVALID), and the origin the browser reports being one of `expected_origins`
 *    (Appendix A.2, the defence against a request replayed on another site; WALLET_ORIGIN_MISMATCH). A
 *    request that breaks the protocol otherwise — not a JWS, expired, a response mode other than `dc_api` /
 *    `dc_api.jwt`, a malformed DCQL query — is WALLET_REQUEST_INVALID. Then the DCQL query (§6) is
 *    summarised as the consent screen shows it, per credential query: its docType, the elements its claims
 *    name (`[namespace, element]` paths, Appendix B.2.3), whether the phone holds them in an active
 *    document, and My Number withheld unless the verified certificate declares a legal basis (DOMAIN.md §2).
 * 2. `presentOpenId4VpDcApi` — after the holder's consent and the owner's biometric: per approved document,
 *    a DeviceResponse over the OpenID4VPDCAPIHandover SessionTranscript (Appendix B.2.6.2:
 *    `[null, null, ["OpenID4VPDCAPIHandover", SHA-256(CBOR([origin, nonce, jwkThumbprint or null]))]]`,
 *    the thumbprint that of the response encryption key the `.jwt` mode encrypts to), signed in the secure
 *    area; the `vp_token` maps each credential query id to `[base64url(DeviceResponse)]` (§8.1, B.2.5), and
 *    for `dc_api.jwt` the whole response is a JWE to the verifier's key (§8.3) — the DigitalCredential's
 *    `data` is then `{response}`; one history line per document.
 *
 * JOSE (the JWS, the JWE, the thumbprint) and DCQL live in @mynakit/oid4vp; the DeviceResponse in
 * @mynakit/mdoc presentMdoc. This file only decides what the phone shows and what it lets go.
 *
 * One restriction of the phone's own: one credential query per docType (the consent is given per
 * document, and the phone holds one active document of a docType); a request with two is refused.
 */
import { bytesToBase64url } from '@mynakit/cbor';
import type { SessionTranscriptEncoding } from '@mynakit/mdoc';
import {
  type AuthorizationRequest,
  type AuthorizationResponseBody,
  createAuthorizationResponse,
  readDigitalCredentialRequest,
} from '@mynakit/oid4vp';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import type { RequestedDocument, RequestingReader } from './annex-c-presentation.js';
import {
  approvedDocuments,
  authenticateOwner,
  deviceResponseOf,
  disclosedOf,
  type PresentationConsent,
  recordPresentations,
} from './consented-documents.js';
import {
  requestedDocumentsOf,
  requestingReader,
  trustAnchorsOf,
  walletErrorOf,
} from './openid4vp-request.js';

/** The Digital Credentials API protocol of signed OpenID4VP 1.0 requests (Appendix A). */
export const OPENID4VP_SIGNED_PROTOCOL = 'openid4vp-v1-signed';

/** The history's name of this channel (the verifier records the same name). */
export const OPENID4VP_DC_API_CHANNEL = 'dc-api-openid4vp-v1-signed';

/** One document a DCQL credential query asks, as the consent screen shows it. */
export interface OpenId4VpRequestedDocument extends RequestedDocument {
  /** The DCQL credential query id: the `vp_token` key the answer goes under. */
  readonly credentialQueryId: string;
}

/** What a page asks over OpenID4VP, as the consent screen shows it (the Annex C summary's shape). */
export interface OpenId4VpDcApiRequestSummary {
  /** The page's origin, as the browser reports it (one of the request's `expected_origins`). */
  readonly origin: string;
  readonly documents: readonly OpenId4VpRequestedDocument[];
  /** How the requester authenticated: a request object signed with its certificate chain (`x5c`). */
  readonly readerAuthentication: 'request-object';
  /** Who asks, as the verified request object's certificate proves it. */
  readonly reader: RequestingReader;
  /** The verified `client_id` (`x509_san_dns:<host>` or `x509_hash:<hash>`). */
  readonly clientId: string;
  /** `dc_api.jwt`: the answer is encrypted to the verifier's key; `dc_api`: it is not. */
  readonly responseMode: 'dc_api' | 'dc_api.jwt';
}

/** What was presented: `{protocol, data}` is the DigitalCredential the page receives. */
export interface OpenId4VpDcApiPresentation {
  /** Always `openid4vp-v1-signed`. */
  readonly protocol: typeof OPENID4VP_SIGNED_PROTOCOL;
  /** `{response: JWE}` for `dc_api.jwt`; `{vp_token, state?}` for `dc_api` (OpenID4VP 1.0 Appendix A.4). */
  readonly data: AuthorizationResponseBody;
  /** Per docType, the [namespace, identifier] pairs disclosed. */
  readonly disclosed: Readonly<Record<string, readonly (readonly [string, string])[]>>;
  /** Who asked (what the consent screen named). */
  readonly reader: RequestingReader;
}

/** What both steps take. */
export interface OpenId4VpDcApiRequestInput {
  readonly device: WalletDevice;
  /** The request's `data` as the platform hands it over: `{request: <JWS request object>}`. */
  readonly data: unknown;
  /** The page's origin, as the browser reports it. */
  readonly origin: string;
  /** Reader roots this phone trusts (DER); absent: the phone's own (WalletDevice.readerTrustAnchors). */
  readonly readerTrustAnchors?: readonly Uint8Array[];
}

/** Largest request object accepted (characters); a real one with its reader chain is a few kilobytes. */
const MAX_REQUEST_OBJECT_LENGTH = 256 * 1024;
/** Verifies the request and summarises it; also answers the request and its transcript for step 2. */
async function readRequest(input: OpenId4VpDcApiRequestInput): Promise<{
  summary: OpenId4VpDcApiRequestSummary;
  request: AuthorizationRequest;
  transcript: SessionTranscriptEncoding;
}> {
  const data = input.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new WalletError('WALLET_REQUEST_INVALID', 'the openid4vp-v1-signed request data is an object');
  const jws = (data as { request?: unknown }).request;
  if (typeof jws !== 'string' || jws.length > MAX_REQUEST_OBJECT_LENGTH)
    throw new WalletError(
      'WALLET_REQUEST_INVALID',
      'the openid4vp-v1-signed request carries no request object',
    );
  const trustAnchors = trustAnchorsOf(input);
  let read: Awaited<ReturnType<typeof readDigitalCredentialRequest>>;
  try {
    read = await readDigitalCredentialRequest(
      { protocol: OPENID4VP_SIGNED_PROTOCOL, data: { request: jws } },
      input.origin,
      { trustAnchors, now: input.device.clock() },
    );
  } catch (e) {
    throw walletErrorOf(e);
  }
  if (read.protocol === 'org-iso-mdoc' || read.verified === undefined)
    throw new WalletError('WALLET_REQUEST_INVALID', 'the request is not a signed OpenID4VP request');
  const { request, verified } = read;
  const mode = request.response_mode;
  // Over the DC API the answer goes back through the browser to this page, never to a response_uri.
  if (mode !== 'dc_api' && mode !== 'dc_api.jwt')
    throw new WalletError(
      'WALLET_REQUEST_INVALID',
      'a DC API request uses response mode dc_api or dc_api.jwt',
    );
  const reader = requestingReader(verified);
  const documents = await requestedDocumentsOf(input.device, request, reader);
  return {
    summary: {
      origin: input.origin,
      documents,
      readerAuthentication: 'request-object',
      reader,
      clientId: verified.clientId,
      responseMode: mode,
    },
    request,
    transcript: read.transcript,
  };
}

/**
 * Step 1: what the `openid4vp-v1-signed` request (`data`: `{request: JWS}`) asks of this phone, after the
 * request object verified (see the file comment for what is checked and the codes of refusal).
 */
export async function readOpenId4VpDcApiRequest(
  input: OpenId4VpDcApiRequestInput,
): Promise<OpenId4VpDcApiRequestSummary> {
  return (await readRequest(input)).summary;
}

/**
 * Step 2: presents what the holder approved (per docType, only elements the request asked and the phone
 * holds: anything else is WALLET_INVALID_INPUT, My Number without the requester's basis
 * WALLET_MY_NUMBER_WITHHELD) after the owner's biometric (WALLET_BIOMETRIC_FAILED), as the DigitalCredential
 * `{protocol: 'openid4vp-v1-signed', data}` the page hands to its verifier. The request is verified again
 * exactly as in step 1. WALLET_NOT_FOUND when no approved docType is held active.
 */
export async function presentOpenId4VpDcApi(
  input: OpenId4VpDcApiRequestInput & {
    readonly consent: PresentationConsent;
    readonly userAuthentication: UserAuthentication;
  },
): Promise<OpenId4VpDcApiPresentation> {
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
  let data: AuthorizationResponseBody;
  try {
    data = await createAuthorizationResponse(request, Object.fromEntries(vpToken));
  } catch (e) {
    throw walletErrorOf(e);
  }
  await recordPresentations(device, approved, input.origin, OPENID4VP_DC_API_CHANNEL);
  return {
    protocol: OPENID4VP_SIGNED_PROTOCOL,
    data,
    disclosed: disclosedOf(approved),
    reader: summary.reader,
  };
}
