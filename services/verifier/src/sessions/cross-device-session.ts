/**
 * Cross-device OpenID4VP 1.0 sessions: when the page's browser has no Digital Credentials API, it shows a QR
 * code that the holder scans with the phone (OpenID4VP 1.0 §5.7 request by reference, §8.3.1
 * `direct_post.jwt`; DOMAIN.md §2, the `OpenID4VPHandover` row).
 *
 * 1. `createCrossDeviceSession` (POST /sessions/cross-device, the relying party's `rp` key): the request —
 *    signed with the relying party's reader key and chain (`x5c`) by the builder the DC API session uses
 *    (create-session.ts signedOpenId4VpRequest), `client_id` its `x509_san_dns:<host>`, `response_type`
 *    `vp_token`, `response_mode` `direct_post.jwt`, `response_uri` `<verifier origin>/sessions/{id}/direct-post`,
 *    a fresh nonce, DCQL for `org.iso.23220.1.jp.mnc`, and `client_metadata.jwks` a fresh ECDH-ES key of the
 *    session — kept as the session's OpenID4VP request (its key sealed at rest), the request object kept as
 *    signed (cross-device-repository.ts), and the wallet URL `openid4vp://?client_id=…&request_uri=…` for
 *    the QR code. A wallet refuses a response URI on another host than the client id's (§5.9.3): the
 *    verifier's origin must be on that host, or no request is made (VERIFIER_CROSS_DEVICE_UNAVAILABLE).
 * 2. `crossDeviceRequestObject` (GET /sessions/{id}/request-object, the wallet, no key): the same signed
 *    bytes for every fetch while the session is open and unexpired (RFC 9101 §5.2), `application/oauth-authz-req+jwt`.
 * 3. `verifyCrossDeviceResponse` (POST /sessions/{id}/direct-post, the wallet, no key): the shared steps of
 *    every channel (verification/verify-session-response.ts verifySessionAnswer: single use, the revocation
 *    policy, the elements, the KYC method, the record) with this channel's cryptography — the JWE opened with
 *    the session's key, the nonce of the request as signed, `vp_token` against its DCQL query, and the
 *    DeviceResponse over the `OpenID4VPHandover` transcript `[clientId, nonce, jwkThumbprint, responseUri]`
 *    of the request as the verifier sent it — and the report kept for the relying party in the record's
 *    transaction. The wallet learns only that its answer was taken.
 * 4. `crossDeviceResult` (GET /sessions/{id}/result, the `rp` key): the report POST /sessions/{id}/response
 *    would have answered, the disclosed values at the first read only.
 */
import {
  buildRequestUriInvocation,
  toP256PrivateJwk,
  validateAuthorizationRequest,
  verifyOpenId4VpResponse,
} from '@mynakit/oid4vp';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { activeReaderKey } from '../relying-parties/reader-key.js';
import type { StatusListCache } from '../revocation/status-list-cache.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import { newId } from '../store/store-support.js';
import { type SessionVerification, verifySessionAnswer } from '../verification/verify-session-response.js';
import {
  asksForKycMethod,
  type CreateSessionInput,
  certificateNamesClientId,
  MAX_SESSION_TTL_SECONDS,
  openid4vpKeyAad,
  signedOpenId4VpRequest,
} from './create-session.js';
import { CrossDeviceRepository, openResultElements, sealResultElements } from './cross-device-repository.js';
import { customerDeclarationFor } from './customer-declaration.js';
import { type RequestedElements, requestedElementsFor } from './requested-elements.js';
import { openSessionKey, sealSessionKey } from './session-key.js';

/** The `protocol` of a cross-device session's row: OpenID4VP 1.0 by reference, answered by `direct_post.jwt`. */
export const CROSS_DEVICE_PROTOCOL = 'openid4vp-v1-direct-post-jwt';

/** The channel name its verification records carry. */
export const CROSS_DEVICE_RECORD_CHANNEL = 'cross-device-openid4vp-v1-direct-post-jwt';

/** What POST /sessions/cross-device answers. */
export interface CreatedCrossDeviceSession {
  readonly sessionId: string;
  /** Where the wallet fetches the signed request object. */
  readonly requestUri: string;
  /** What the QR code shows: `openid4vp://?client_id=…&request_uri=…` (OpenID4VP 1.0 §5.7). */
  readonly walletUrl: string;
  /** ISO 8601. */
  readonly expiresAt: string;
  /** What was requested (namespace → identifiers). */
  readonly elements: RequestedElements;
}

/**
 * Where the verifier's routes are served (VerifierConfig.origin), as the base of the URLs a wallet is given:
 * its path is kept, so a verifier mounted under a path (e.g. `https://bank.example/verifier`) hands out
 * `https://bank.example/verifier/sessions/…`, which reaches it.
 */
function verifierOrigin(deps: VerifierDeps): URL {
  try {
    const base = new URL(deps.config.origin);
    base.search = '';
    base.hash = '';
    if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
    return base;
  } catch (e) {
    throw new VerifierError('VERIFIER_CROSS_DEVICE_UNAVAILABLE', "the verifier's origin is not a URL", {
      cause: e,
    });
  }
}

/** Opens a cross-device session for the caller's relying party (see the file comment, step 1). */
export async function createCrossDeviceSession(
  deps: VerifierDeps,
  caller: RpCaller,
  input: CreateSessionInput,
): Promise<CreatedCrossDeviceSession> {
  const party = await deps.store.relyingParties.get(caller.relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  if (!party.config.origins.includes(input.origin))
    throw new VerifierError(
      'VERIFIER_ORIGIN_NOT_ALLOWED',
      "the origin is not one of the relying party's configured origins",
    );
  const elements = requestedElementsFor(input.elements, party.config);
  const declaration = customerDeclarationFor(input, {
    law: party.config.law,
    kycTransaction: asksForKycMethod(elements),
  });
  const reader = await activeReaderKey(deps, caller.relyingPartyId);
  if (reader === undefined)
    throw new VerifierError(
      'VERIFIER_CROSS_DEVICE_UNAVAILABLE',
      'the relying party has no reader key installed',
    );
  const origin = verifierOrigin(deps);
  const host = party.clientId.startsWith('x509_san_dns:') ? party.clientId.slice('x509_san_dns:'.length) : '';
  if (
    !certificateNamesClientId(reader, party.clientId) ||
    host.toLowerCase() !== origin.hostname.toLowerCase()
  )
    throw new VerifierError(
      'VERIFIER_CROSS_DEVICE_UNAVAILABLE',
      "the client id must be x509_san_dns naming the reader certificate and the verifier's own host",
    );
  const sessionId = newId();
  const responseUri = new URL(`sessions/${sessionId}/direct-post`, origin).href;
  const requestUri = new URL(`sessions/${sessionId}/request-object`, origin).href;
  const now = deps.clock().getTime();
  const ttl = Math.max(
    Math.min(deps.config.sessionTtlSeconds ?? MAX_SESSION_TTL_SECONDS, MAX_SESSION_TTL_SECONDS),
    1,
  );
  const expiresAt = now + ttl * 1000;
  const openid4vp = await signedOpenId4VpRequest({
    reader,
    clientId: party.clientId,
    clientName: party.config.name,
    channel: { responseUri },
    elements,
    intentToRetain: party.config.law !== 'none',
    now: deps.clock(),
    ttlSeconds: ttl,
  });
  await deps.store.sessions.create({
    id: sessionId,
    relyingPartyId: caller.relyingPartyId,
    credentialId: caller.credentialId,
    protocol: CROSS_DEVICE_PROTOCOL,
    purpose: input.purpose,
    origin: input.origin,
    elements,
    declaration,
    // No DeviceRequest and no EncryptionInfo: the request is the signed request object alone.
    deviceRequest: '',
    encryptionInfo: '',
    openid4vpRequest: JSON.stringify(openid4vp.request),
    openid4vpKey: sealSessionKey(
      openid4vp.encryptionKey,
      openid4vpKeyAad(sessionId),
      deps.config.sessionKeyEncryptionKey,
    ),
    createdAt: now,
    expiresAt,
  });
  await new CrossDeviceRepository(deps.store.db).create({
    sessionId,
    relyingPartyId: caller.relyingPartyId,
    requestObject: openid4vp.signed,
    createdAt: now,
    expiresAt,
  });
  return {
    sessionId,
    requestUri,
    walletUrl: buildRequestUriInvocation({ clientId: party.clientId, requestUri }),
    expiresAt: new Date(expiresAt).toISOString(),
    elements,
  };
}

/** The cross-device session `sessionId` of any relying party, or VERIFIER_NOT_FOUND. */
async function crossDeviceSessionOf(deps: VerifierDeps, sessionId: string) {
  const session = await deps.store.sessions.get(sessionId);
  if (session === undefined || session.protocol !== CROSS_DEVICE_PROTOCOL)
    throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  return session;
}

/**
 * The signed request object of an open, unexpired cross-device session (step 2): VERIFIER_SESSION_USED once
 * answered, VERIFIER_SESSION_EXPIRED after its life, VERIFIER_NOT_FOUND for any other id.
 */
export async function crossDeviceRequestObject(deps: VerifierDeps, sessionId: string): Promise<string> {
  const session = await crossDeviceSessionOf(deps, sessionId);
  if (session.state !== 'open')
    throw new VerifierError('VERIFIER_SESSION_USED', 'the session was already used: open a new one');
  if (session.expiresAt <= deps.clock().getTime())
    throw new VerifierError('VERIFIER_SESSION_EXPIRED', 'the session has expired');
  const kept = await new CrossDeviceRepository(deps.store.db).get(sessionId);
  if (kept === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  return kept.requestObject;
}

/** The form parameters of a `direct_post.jwt` answer (OpenID4VP 1.0 §8.3.1, §8.5). */
export interface DirectPostForm {
  /** The compact JWE. */
  readonly response?: string;
  /** An error response instead (the holder declined, the wallet could not answer). */
  readonly error?: string;
  readonly error_description?: string;
  readonly state?: string;
}

/**
 * Verifies the wallet's `direct_post.jwt` answer to session `sessionId` (step 3) and keeps the report for
 * the relying party; answers the report (for the route to keep to itself: the wallet gets none of it).
 */
export async function verifyCrossDeviceResponse(
  deps: VerifierDeps,
  sessionId: string,
  form: DirectPostForm,
  cache: StatusListCache,
): Promise<SessionVerification> {
  const row = await crossDeviceSessionOf(deps, sessionId);
  // The wallet has no key: the session acts for the relying party (and the API key) that opened it.
  const caller: RpCaller = { relyingPartyId: row.relyingPartyId, credentialId: row.credentialId, role: 'rp' };
  return verifySessionAnswer(
    deps,
    caller,
    sessionId,
    cache,
    async ({ session, trustAnchors, now, statusOptions, claimedNonce }) => {
      if (session.openid4vpRequest === null || session.openid4vpKey === null)
        throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
      const request = validateAuthorizationRequest(JSON.parse(session.openid4vpRequest));
      const key = openSessionKey(
        session.openid4vpKey,
        openid4vpKeyAad(session.id),
        deps.config.sessionKeyEncryptionKey,
      );
      // No origin: direct_post.jwt makes the OpenID4VPHandover transcript of the request as sent.
      const verified = await verifyOpenId4VpResponse(
        { ...form },
        { request, encryptionPrivateKey: toP256PrivateJwk(key) },
        {
          mdoc: { trustAnchors, now, ...statusOptions },
          nonceStore: claimedNonce(request.nonce),
          noncePurpose: 'openid4vp',
        },
      );
      return { verified, channel: CROSS_DEVICE_RECORD_CHANNEL };
    },
    async (trx, report) => {
      const { elements, ...rest } = report;
      const kept = await new CrossDeviceRepository(trx).keepResult(sessionId, {
        report: rest as unknown as Record<string, unknown>,
        sealedElements:
          elements === undefined
            ? null
            : sealResultElements(elements, sessionId, deps.config.sessionKeyEncryptionKey),
      });
      if (!kept)
        throw new VerifierError('VERIFIER_SESSION_USED', 'the session was already used: open a new one');
    },
  );
}

/**
 * The report of the relying party's cross-device session (step 4): VERIFIER_SESSION_PENDING before the
 * wallet answered, VERIFIER_SESSION_EXPIRED when it never did, VERIFIER_NOT_FOUND for another party's.
 */
export async function crossDeviceResult(
  deps: VerifierDeps,
  caller: RpCaller,
  sessionId: string,
): Promise<SessionVerification> {
  const session = await deps.store.sessions.get(sessionId, caller.relyingPartyId);
  if (session === undefined || session.protocol !== CROSS_DEVICE_PROTOCOL)
    throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  const taken = await new CrossDeviceRepository(deps.store.db).takeResult(sessionId, caller.relyingPartyId);
  if (taken === undefined) {
    if (session.state === 'open' && session.expiresAt <= deps.clock().getTime())
      throw new VerifierError('VERIFIER_SESSION_EXPIRED', 'the session expired without an answer');
    throw new VerifierError('VERIFIER_SESSION_PENDING', 'the wallet has not answered yet');
  }
  const report = taken.report as unknown as SessionVerification;
  return taken.sealedElements === null
    ? report
    : {
        ...report,
        elements: openResultElements(
          taken.sealedElements,
          sessionId,
          deps.config.sessionKeyEncryptionKey,
        ) as SessionVerification['elements'] & object,
      };
}
