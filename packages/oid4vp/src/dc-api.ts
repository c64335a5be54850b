import type { SessionTranscriptEncoding } from '@mynakit/mdoc';
import {
  ANNEX_C_PROTOCOL,
  type AnnexCRequestData,
  type ParsedAnnexCRequest,
  parseAnnexCRequest,
} from './annex-c/annex-c-request.js';
import { annexCSessionTranscript } from './annex-c/annex-c-response.js';
import {
  type AnnexCVerifierSession,
  type VerifyAnnexCResponseOptions,
  verifyAnnexCResponse,
} from './annex-c/verify-annex-c-response.js';
import { Oid4vpError } from './errors.js';
import {
  type AuthorizationRequest,
  validateAuthorizationRequest,
} from './openid4vp/authorization-request.js';
import {
  type VerifiedRequestObject,
  type VerifyRequestObjectOptions,
  verifyRequestObject,
} from './openid4vp/request-object.js';
import { sessionTranscriptForRequest } from './openid4vp/session-transcript.js';
import {
  type OpenId4VpVerifierSession,
  type VerifyOpenId4VpResponseOptions,
  verifyOpenId4VpResponse,
} from './openid4vp/verify-authorization-response.js';
import { ChannelReport, type PresentationVerification } from './presentation-verification.js';

/**
 * One W3C Digital Credentials API request carrying several protocols
 * (`navigator.credentials.get({digital: {requests: [...]}})`), and the transcript each implies.
 *
 * Order, deliberately: `org-iso-mdoc` (ISO/IEC 18013-7 Annex C) first — it is the only protocol
 * Safari/iOS 26 accepts, and a browser or wallet that supports several takes the first it can
 * handle — then `openid4vp-v1-signed` or `openid4vp-v1-unsigned` (Android, Chrome).
 *
 * | protocol | data | SessionTranscript |
 * |---|---|---|
 * | `org-iso-mdoc` | `{deviceRequest, encryptionInfo}` | `[null, null, ["dcapi", SHA-256(CBOR([encryptionInfo, origin]))]]` |
 * | `openid4vp-v1-unsigned` | the request parameters (no client_id) | `[null, null, ["OpenID4VPDCAPIHandover", SHA-256(CBOR([origin, nonce, thumbprint/null]))]]` |
 * | `openid4vp-v1-signed` | `{request: JWS}` (client_id and expected_origins inside) | same as unsigned |
 */
export type DigitalCredentialProtocol =
  | typeof ANNEX_C_PROTOCOL
  | 'openid4vp-v1-unsigned'
  | 'openid4vp-v1-signed';

export interface DigitalCredentialRequestEntry {
  readonly protocol: DigitalCredentialProtocol;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface DigitalCredentialGetRequest {
  readonly requests: readonly DigitalCredentialRequestEntry[];
}

export interface BuildDigitalCredentialRequestInput {
  readonly annexC?: AnnexCRequestData;
  /** An unsigned request (no client_id), or a signed request object (compact JWS). */
  readonly openid4vp?: { readonly request: AuthorizationRequest } | { readonly signedRequest: string };
}

/** The `digital` member for `navigator.credentials.get`, Annex C first. */
export function buildDigitalCredentialRequest(
  input: BuildDigitalCredentialRequestInput,
): DigitalCredentialGetRequest {
  const requests: DigitalCredentialRequestEntry[] = [];
  if (input.annexC) {
    requests.push({
      protocol: ANNEX_C_PROTOCOL,
      data: { deviceRequest: input.annexC.deviceRequest, encryptionInfo: input.annexC.encryptionInfo },
    });
  }
  if (input.openid4vp) {
    if ('signedRequest' in input.openid4vp) {
      requests.push({ protocol: 'openid4vp-v1-signed', data: { request: input.openid4vp.signedRequest } });
    } else {
      const req = input.openid4vp.request;
      if (req.client_id !== undefined) {
        throw new Oid4vpError(
          'invalid_request',
          'an unsigned DC API request must not carry client_id (the wallet uses the origin)',
        );
      }
      if (req.response_mode !== 'dc_api' && req.response_mode !== 'dc_api.jwt') {
        throw new Oid4vpError('invalid_request', 'a DC API request uses response_mode dc_api or dc_api.jwt');
      }
      requests.push({ protocol: 'openid4vp-v1-unsigned', data: { ...req } });
    }
  }
  if (requests.length === 0) throw new Oid4vpError('invalid_request', 'no protocol to request');
  return { requests };
}

export type WalletDigitalCredentialRequest =
  | {
      readonly protocol: typeof ANNEX_C_PROTOCOL;
      readonly annexC: ParsedAnnexCRequest;
      readonly transcript: SessionTranscriptEncoding;
    }
  | {
      readonly protocol: 'openid4vp-v1-unsigned' | 'openid4vp-v1-signed';
      readonly request: AuthorizationRequest;
      /** Signed requests: the verified request object (client id, certificate). */
      readonly verified?: VerifiedRequestObject;
      readonly transcript: SessionTranscriptEncoding;
    };

/**
 * Wallet side: reads one entry of a DC API request with the origin the platform reports, verifies it
 * (signed requests: signature, chain, client id, expected_origins) and derives the SessionTranscript the
 * DeviceResponse must be made with.
 */
export async function readDigitalCredentialRequest(
  entry: DigitalCredentialRequestEntry,
  origin: string,
  signed?: Omit<VerifyRequestObjectOptions, 'origin'>,
): Promise<WalletDigitalCredentialRequest> {
  // The entry comes from the page through the platform: its data must be an object to be read at all.
  if (typeof entry?.data !== 'object' || entry.data === null || Array.isArray(entry.data)) {
    throw new Oid4vpError('DECODE', 'the Digital Credentials request data must be an object');
  }
  switch (entry.protocol) {
    case ANNEX_C_PROTOCOL: {
      const annexC = parseAnnexCRequest(entry.data);
      return {
        protocol: ANNEX_C_PROTOCOL,
        annexC,
        transcript: annexCSessionTranscript(annexC.encryptionInfo.encoded, origin),
      };
    }
    case 'openid4vp-v1-unsigned': {
      if (entry.data.client_id !== undefined) {
        throw new Oid4vpError('invalid_request', 'an unsigned DC API request must not carry client_id');
      }
      const request = validateAuthorizationRequest(entry.data);
      return {
        protocol: entry.protocol,
        request,
        transcript: await sessionTranscriptForRequest(request, { origin }),
      };
    }
    case 'openid4vp-v1-signed': {
      if (typeof entry.data.request !== 'string')
        throw new Oid4vpError('DECODE', 'openid4vp-v1-signed data needs a request JWS');
      if (!signed)
        throw new Oid4vpError('invalid_request', 'verifying a signed request needs trust anchors and a time');
      const verified = await verifyRequestObject(entry.data.request, { ...signed, origin });
      return {
        protocol: entry.protocol,
        request: verified.request,
        verified,
        transcript: await sessionTranscriptForRequest(verified.request, { origin }),
      };
    }
    default:
      throw new Oid4vpError('UNSUPPORTED', 'unknown Digital Credentials protocol');
  }
}

export interface DigitalCredentialVerifierSessions {
  readonly annexC?: AnnexCVerifierSession;
  readonly openid4vp?: OpenId4VpVerifierSession;
}

/**
 * Verifier side: the DigitalCredential the page received (`{protocol, data}`), verified with the
 * session of the protocol the wallet chose.
 */
export async function verifyDigitalCredentialResponse(
  credential: { readonly protocol: string; readonly data: unknown },
  sessions: DigitalCredentialVerifierSessions,
  options: VerifyAnnexCResponseOptions & VerifyOpenId4VpResponseOptions,
): Promise<PresentationVerification> {
  const received: { protocol?: unknown; data?: unknown } =
    typeof credential === 'object' && credential !== null ? credential : {};
  const raw = typeof received.data === 'string' ? safeJson(received.data) : received.data;
  const data = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<
    string,
    unknown
  >;
  if (received.protocol === ANNEX_C_PROTOCOL && sessions.annexC) {
    return verifyAnnexCResponse(data, sessions.annexC, options);
  }
  if (
    (received.protocol === 'openid4vp-v1-unsigned' || received.protocol === 'openid4vp-v1-signed') &&
    sessions.openid4vp
  ) {
    return verifyOpenId4VpResponse(data, sessions.openid4vp, options);
  }
  const report = new ChannelReport();
  report.failed('response.decode', 'invalid_request', 'the response names a protocol that was not requested');
  return report.result();
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return {};
  }
}
