/**
 * Presenting over the W3C Digital Credentials API with OpenID4VP 1.0 (Appendix A; Android, Chrome —
 * DOMAIN.md §2), protocol `openid4vp-v1-signed` or `openid4vp-v1-unsigned`, in the same two steps as the
 * Annex C channel (annex-c-presentation.ts):
 *
 * 1. `readOpenId4VpDcApiRequest` — the request is read before anything is shown.
 *    - Signed (Appendix A.3.2): the request object (`data.request`, a JWS, RFC 9101 as OpenID4VP 1.0 §5 uses
 *      it) is verified: its signature with the leaf of its `x5c` chain, that chain to a reader root the
 *      phone trusts (WALLET_READER_AUTH_INVALID otherwise), the `client_id` naming that certificate
 *      (`x509_san_dns:` a dNSName of it, `x509_hash:` its hash, §5.9.3; WALLET_READER_AUTH_INVALID), and
 *      the origin the browser reports being one of `expected_origins` (Appendix A.2, the defence against a
 *      request replayed on another site; WALLET_ORIGIN_MISMATCH).
 *    - Unsigned (Appendix A.3.1): `data` is the request parameters themselves, with no `client_id`
 *      (Appendix A.2: it "MUST be omitted in unsigned requests"; the Wallet uses the origin). Nothing
 *      authenticates the requester but the browser: the consent screen and the history name the origin,
 *      never a verified client (`reader.authentication` `none`, no `clientId`, whatever
 *      `client_metadata.client_name` says), and with no reader certificate no legal basis is declared — My
 *      Number is withheld (DOMAIN.md §2), WALLET_MY_NUMBER_WITHHELD if approved. `expected_origins` does not
 *      apply (Appendix A.2: the Wallet ignores it in an unsigned request — the transcript binds the answer
 *      to the origin instead).
 *    A request that breaks the protocol otherwise — not a JWS, expired, a response mode other than
 *    `dc_api` / `dc_api.jwt`, a malformed DCQL query — is WALLET_REQUEST_INVALID; a protocol the phone
 *    does not answer is WALLET_PROTOCOL_UNSUPPORTED. Then the DCQL query (§6) is summarised as the consent
 *    screen shows it, per credential query: its docType, the elements its claims name (`[namespace,
 *    element]` paths, Appendix B.2.3), whether the phone holds them in an active document, and My Number
 *    withheld unless a verified certificate declares a legal basis (DOMAIN.md §2).
 * 2. `presentOpenId4VpDcApi` — after the holder's consent and the owner's biometric: per approved document,
 *    a DeviceResponse over the OpenID4VPDCAPIHandover SessionTranscript (Appendix B.2.6.2:
 *    `[null, null, ["OpenID4VPDCAPIHandover", SHA-256(CBOR([origin, nonce, jwkThumbprint or null]))]]`,
 *    the thumbprint that of the response encryption key the `.jwt` mode encrypts to), signed in the secure
 *    area; the `vp_token` maps each credential query id to `[base64url(DeviceResponse)]` (§8.1, B.2.5), and
 *    for `dc_api.jwt` the whole response is a JWE to the verifier's key (§8.3) — the DigitalCredential's
 *    `data` is then `{response}`; one history line per document, naming the origin.
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
import { type HandOff, handOffAtOnce } from './hand-off.js';
import {
  requestedDocumentsOf,
  requestingReader,
  trustAnchorsOf,
  walletErrorOf,
} from './openid4vp-request.js';

/** The Digital Credentials API protocol of signed OpenID4VP 1.0 requests (Appendix A.3.2). */
export const OPENID4VP_SIGNED_PROTOCOL = 'openid4vp-v1-signed';

/** The Digital Credentials API protocol of unsigned OpenID4VP 1.0 requests (Appendix A.3.1). */
export const OPENID4VP_UNSIGNED_PROTOCOL = 'openid4vp-v1-unsigned';

/** The OpenID4VP protocols the phone answers over the Digital Credentials API. */
export type OpenId4VpDcApiProtocol = typeof OPENID4VP_SIGNED_PROTOCOL | typeof OPENID4VP_UNSIGNED_PROTOCOL;

/** The history's name of the signed channel (the verifier records the same name). */
export const OPENID4VP_DC_API_CHANNEL = 'dc-api-openid4vp-v1-signed';

/** The history's name of the unsigned channel. */
export const OPENID4VP_DC_API_UNSIGNED_CHANNEL = 'dc-api-openid4vp-v1-unsigned';

/** One document a DCQL credential query asks, as the consent screen shows it. */
export interface OpenId4VpRequestedDocument extends RequestedDocument {
  /** The DCQL credential query id: the `vp_token` key the answer goes under. */
  readonly credentialQueryId: string;
}

/** What a page asks over OpenID4VP, as the consent screen shows it (the Annex C summary's shape). */
export interface OpenId4VpDcApiRequestSummary {
  /** The protocol the request came with. */
  readonly protocol: OpenId4VpDcApiProtocol;
  /**
   * The page's origin, as the browser reports it: for a signed request one of its `expected_origins`; for
   * an unsigned one the only name the requester has.
   */
  readonly origin: string;
  readonly documents: readonly OpenId4VpRequestedDocument[];
  /**
   * How the requester authenticated: `request-object`, a request object signed with its certificate chain
   * (`x5c`); `none`, an unsigned request.
   */
  readonly readerAuthentication: 'request-object' | 'none';
  /** Who asks, as the verified request object's certificate proves it (`authentication: 'none'` unsigned). */
  readonly reader: RequestingReader;
  /** Signed requests: the verified `client_id` (`x509_san_dns:<host>` or `x509_hash:<hash>`). */
  readonly clientId?: string;
  /** `dc_api.jwt`: the answer is encrypted to the verifier's key; `dc_api`: it is not. */
  readonly responseMode: 'dc_api' | 'dc_api.jwt';
}

/** What was presented: `{protocol, data}` is the DigitalCredential the page receives. */
export interface OpenId4VpDcApiPresentation {
  /** The request's protocol. */
  readonly protocol: OpenId4VpDcApiProtocol;
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
  /**
   * The protocol of the Digital Credentials API request entry (`openid4vp-v1-signed` when absent). Any
   * other is WALLET_PROTOCOL_UNSUPPORTED.
   */
  readonly protocol?: string;
  /**
   * The request's `data` as the platform hands it over: `{request: <JWS request object>}` signed, the
   * request parameters unsigned.
   */
  readonly data: unknown;
  /** The page's origin, as the browser reports it. */
  readonly origin: string;
  /** Reader roots this phone trusts (DER); absent: the phone's own (WalletDevice.readerTrustAnchors). */
  readonly readerTrustAnchors?: readonly Uint8Array[];
}

/** Largest request accepted (characters of the request object, or of the unsigned parameters as JSON). */
const MAX_REQUEST_OBJECT_LENGTH = 256 * 1024;

/** The `data` of the entry, as @mynakit/oid4vp reads it; WALLET_REQUEST_INVALID when it cannot be. */
function entryOf(protocol: OpenId4VpDcApiProtocol, data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new WalletError('WALLET_REQUEST_INVALID', `the ${protocol} request data is an object`);
  if (protocol === OPENID4VP_SIGNED_PROTOCOL) {
    const jws = (data as { request?: unknown }).request;
    if (typeof jws !== 'string' || jws.length > MAX_REQUEST_OBJECT_LENGTH)
      throw new WalletError(
        'WALLET_REQUEST_INVALID',
        'the openid4vp-v1-signed request carries no request object',
      );
    return { request: jws };
  }
  let length: number;
  try {
    length = JSON.stringify(data).length;
  } catch (e) {
    throw new WalletError('WALLET_REQUEST_INVALID', 'the openid4vp-v1-unsigned request is not JSON', {
      cause: e,
    });
  }
  if (length > MAX_REQUEST_OBJECT_LENGTH)
    throw new WalletError('WALLET_REQUEST_INVALID', 'the openid4vp-v1-unsigned request is too large');
  return data as Record<string, unknown>;
}

/** The protocol asked, or WALLET_PROTOCOL_UNSUPPORTED. */
function protocolOf(protocol: string | undefined): OpenId4VpDcApiProtocol {
  if (protocol === undefined || protocol === OPENID4VP_SIGNED_PROTOCOL) return OPENID4VP_SIGNED_PROTOCOL;
  if (protocol === OPENID4VP_UNSIGNED_PROTOCOL) return OPENID4VP_UNSIGNED_PROTOCOL;
  throw new WalletError(
    'WALLET_PROTOCOL_UNSUPPORTED',
    'the phone answers openid4vp-v1-signed and openid4vp-v1-unsigned only here',
  );
}

/** Reads (signed: verifies) the request and summarises it; also answers the request and its transcript for step 2. */
async function readRequest(input: OpenId4VpDcApiRequestInput): Promise<{
  summary: OpenId4VpDcApiRequestSummary;
  request: AuthorizationRequest;
  transcript: SessionTranscriptEncoding;
}> {
  const protocol = protocolOf(input.protocol);
  const data = entryOf(protocol, input.data);
  // The reader roots matter to signed requests only; an unsigned one has nothing to verify against them.
  const signed =
    protocol === OPENID4VP_SIGNED_PROTOCOL
      ? { trustAnchors: trustAnchorsOf(input), now: input.device.clock() }
      : undefined;
  let read: Awaited<ReturnType<typeof readDigitalCredentialRequest>>;
  try {
    read = await readDigitalCredentialRequest({ protocol, data }, input.origin, signed);
  } catch (e) {
    throw walletErrorOf(e);
  }
  if (read.protocol !== protocol)
    throw new WalletError('WALLET_REQUEST_INVALID', 'the request is not an OpenID4VP request');
  const { request, verified } = read;
  if (protocol === OPENID4VP_SIGNED_PROTOCOL && verified === undefined)
    throw new WalletError('WALLET_REQUEST_INVALID', 'the request is not a signed OpenID4VP request');
  const mode = request.response_mode;
  // Over the DC API the answer goes back through the browser to this page, never to a response_uri.
  if (mode !== 'dc_api' && mode !== 'dc_api.jwt')
    throw new WalletError(
      'WALLET_REQUEST_INVALID',
      'a DC API request uses response mode dc_api or dc_api.jwt',
    );
  // Unsigned: no certificate, so no verified requester and no declared legal basis for My Number.
  const reader: RequestingReader =
    verified === undefined ? { authentication: 'none' } : requestingReader(verified);
  const documents = await requestedDocumentsOf(input.device, request, reader);
  return {
    summary: {
      protocol,
      origin: input.origin,
      documents,
      readerAuthentication: verified === undefined ? 'none' : 'request-object',
      reader,
      ...(verified === undefined ? {} : { clientId: verified.clientId }),
      responseMode: mode,
    },
    request,
    transcript: read.transcript,
  };
}

/**
 * Step 1: what the `openid4vp-v1-signed` request (`data`: `{request: JWS}`) or the `openid4vp-v1-unsigned`
 * one (`data`: the request parameters) asks of this phone, after the request was read — a signed request
 * object verified (see the file comment for what is checked and the codes of refusal).
 */
export async function readOpenId4VpDcApiRequest(
  input: OpenId4VpDcApiRequestInput,
): Promise<OpenId4VpDcApiRequestSummary> {
  return (await readRequest(input)).summary;
}

/**
 * Step 2: presents what the holder approved (per docType, only elements the request asked and the phone
 * holds: anything else is WALLET_INVALID_INPUT, My Number without the requester's basis
 * WALLET_MY_NUMBER_WITHHELD — always for an unsigned request) after the owner's biometric
 * (WALLET_BIOMETRIC_FAILED), as the DigitalCredential `{protocol, data}` the page hands to its verifier. The
 * request is read again exactly as in step 1. WALLET_NOT_FOUND when no approved docType is held active.
 */
export async function presentOpenId4VpDcApi(
  input: OpenId4VpDcApiRequestInput & {
    readonly consent: PresentationConsent;
    readonly userAuthentication: UserAuthentication;
    /** How the answer leaves the phone with its history line (hand-off.ts); at once by default. */
    readonly handOff?: HandOff;
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
  // The history names the origin: for an unsigned request the only name the requester has.
  await (input.handOff ?? handOffAtOnce)(() =>
    recordPresentations(
      device,
      approved,
      input.origin,
      summary.protocol === OPENID4VP_SIGNED_PROTOCOL
        ? OPENID4VP_DC_API_CHANNEL
        : OPENID4VP_DC_API_UNSIGNED_CHANNEL,
    ),
  );
  return {
    protocol: summary.protocol,
    data,
    disclosed: disclosedOf(approved),
    reader: summary.reader,
  };
}
