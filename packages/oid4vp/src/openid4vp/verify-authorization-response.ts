import { base64urlToBytes } from '@mynakit/cbor';
import type { JWK } from 'jose';
import { Oid4vpError } from '../errors.js';
import type { NonceStore } from '../nonce-store.js';
import { ownValue } from '../own-keys.js';
import {
  ChannelReport,
  consumeNonce,
  type MdocVerifyOptions,
  type PresentationVerification,
  verifyPresentedDeviceResponse,
} from '../presentation-verification.js';
import { type AuthorizationRequest, isEncryptedMode } from './authorization-request.js';
import { type ParsedAuthorizationResponse, parseAuthorizationResponse } from './authorization-response.js';
import { unmetCredentialQueries } from './dcql-match.js';
import { sessionTranscriptForRequest } from './session-transcript.js';

/**
 * Verifier side of OpenID4VP 1.0 for mdoc: from the response body and what the verifier itself sent,
 * a report. The SessionTranscript is rebuilt from the stored request (client_id, nonce, response_uri,
 * the thumbprint of the verifier's own encryption key) and the verifier's own origin — never from
 * anything in the response — and each presentation goes to mdoc's `verifyDeviceResponse`.
 *
 * Order: decode/decrypt the body → `state` → consume the nonce (one-time, even if what follows fails)
 * → `vp_token` ids against the DCQL query (and its credential sets) → each DeviceResponse.
 */
export interface OpenId4VpVerifierSession {
  /** The request exactly as the verifier sent it (signed requests: its claims). */
  readonly request: AuthorizationRequest;
  /** DC API modes: the origin of the verifier's page that called `navigator.credentials.get`. */
  readonly origin?: string;
  /** The private JWK for `.jwt` modes (its public part is in the request's client_metadata.jwks). */
  readonly encryptionPrivateKey?: JWK;
}

export interface VerifyOpenId4VpResponseOptions {
  readonly mdoc: MdocVerifyOptions;
  readonly nonceStore?: NonceStore;
  /** The purpose the nonce was issued under (default `openid4vp`). */
  readonly noncePurpose?: string;
}

export async function verifyOpenId4VpResponse(
  body: Readonly<Record<string, unknown>>,
  session: OpenId4VpVerifierSession,
  options: VerifyOpenId4VpResponseOptions,
): Promise<PresentationVerification> {
  const report = new ChannelReport();
  const { request } = session;
  let parsed: ParsedAuthorizationResponse;
  try {
    parsed = await parseAuthorizationResponse(body, request, session.encryptionPrivateKey);
    if (isEncryptedMode(request.response_mode))
      report.passed('response.decrypt', 'the response JWE decrypts with the verifier key');
    report.passed('response.decode', 'the authorization response is well formed');
  } catch (e) {
    report.fromError(
      isEncryptedMode(request.response_mode) && e instanceof Oid4vpError && e.code === 'JWE_DECRYPT_FAILED'
        ? 'response.decrypt'
        : 'response.decode',
      e,
    );
    return report.result();
  }
  if (request.state !== undefined || parsed.state !== undefined) {
    if (parsed.state === request.state) report.passed('response.state', 'state matches the request');
    else {
      report.failed('response.state', 'invalid_request', 'state does not match the request');
      return report.result();
    }
  }
  if (
    !(await consumeNonce(
      report,
      options.nonceStore,
      request.nonce,
      options.noncePurpose ?? 'openid4vp',
      options.mdoc.now,
    ))
  ) {
    return report.result();
  }

  const query = request.dcql_query;
  const ids = new Set(query.credentials.map((c) => c.id));
  const unknown = Object.keys(parsed.vpToken).filter((id) => !ids.has(id));
  const tooMany = query.credentials
    .filter((c) => c.multiple !== true && (ownValue(parsed.vpToken, c.id)?.length ?? 0) > 1)
    .map((c) => c.id);
  if (unknown.length > 0 || tooMany.length > 0) {
    report.failed(
      'response.vp_token',
      'invalid_request',
      unknown.length > 0
        ? `vp_token answers unknown credential queries: ${unknown.join(', ')}`
        : `several presentations for single queries: ${tooMany.join(', ')}`,
    );
    return report.result();
  }
  const unmet = unmetCredentialQueries(query, Object.keys(parsed.vpToken));
  if (unmet.length > 0) {
    report.failed(
      'response.vp_token',
      'DCQL_NO_MATCH',
      `vp_token lacks required credential queries: ${unmet.join(', ')}`,
    );
    return report.result();
  }
  report.passed('response.vp_token', 'vp_token answers the DCQL query');

  let transcript: Uint8Array;
  try {
    transcript = (
      await sessionTranscriptForRequest(
        request,
        session.origin !== undefined ? { origin: session.origin } : {},
      )
    ).sessionTranscriptBytes;
  } catch (e) {
    report.fromError('session.transcript', e);
    return report.result();
  }
  report.sessionTranscriptBytes = transcript;

  const missing: string[] = [];
  for (const [queryId, presentations] of Object.entries(parsed.vpToken)) {
    const q = query.credentials.find((c) => c.id === queryId)!;
    for (const p of presentations) {
      let bytes: Uint8Array;
      try {
        bytes = base64urlToBytes(p);
      } catch {
        report.failed(
          'response.vp_token',
          'DECODE',
          `vp_token.${queryId} holds a presentation that is not base64url`,
        );
        continue;
      }
      const v = await verifyPresentedDeviceResponse(report, bytes, transcript, options.mdoc, {
        queryId,
        docType: q.meta.doctype_value,
      });
      for (const c of q.claim_sets === undefined ? (q.claims ?? []) : []) {
        const [ns, el] = c.path;
        if (!v.documents.some((d) => Object.hasOwn(ownValue(d.elements, ns) ?? {}, el)))
          missing.push(`${queryId}:${ns}/${el}`);
      }
    }
  }
  if (missing.length > 0)
    report.warning('dcql.claims', `requested claims not disclosed: ${missing.join(', ')}`);
  else report.passed('dcql.claims', 'every requested claim was disclosed and verified');
  return report.result();
}
