/**
 * A relying party's in-person read of the card-substitute record over ISO/IEC 18013-5 proximity (DOMAIN.md §2,
 * the proximity row: SessionTranscript `[DeviceEngagementBytes, EReaderKeyBytes, Handover]`), with the
 * verifier acting as the reader at the counter (POST /sessions/proximity, proximity/routes.ts):
 *
 * 1. the phone's DeviceEngagement (§8.2.1.1, the `mdoc:` QR content of §8.2.2.3) is read, and the transport
 *    it names is checked before anything is connected (proximity-transport.ts, ARCHITECTURE.md rule 9);
 * 2. the reader's session (@mynakit/oid4vp ProximityReaderSession: a fresh EReaderKey, the transcript above
 *    with the QR handover, the session keys of §9.1.1.5) and the DeviceRequest — the same request as the
 *    Annex C sessions (buildJpMncRequest; My Number only with the relying party's legal basis), version
 *    "1.1" with `readerAuthAll` over this very transcript when the relying party has a reader key
 *    (§9.1.4), otherwise "1.0" unsigned;
 *    Under 犯収法 a read that asks what the record method needs is a 取引時確認: the customer's declaration
 *    (purpose of the transaction, occupation) is required before anything is connected, and the record keeps
 *    it (sessions/customer-declaration.ts);
 * 3. the session row, under an id derived from the engagement: one engagement is read once, a second read
 *    of it (by this relying party or another) is VERIFIER_SESSION_USED before any connection;
 * 4. the shared steps of every channel (verification/verify-session-response.ts verifySessionAnswer: the
 *    session claimed once, the relying party's trust anchors and status checker, the revocation policy,
 *    every requested element disclosed, the KYC method, the record with the session done in one
 *    transaction), with this channel's part: SessionEstablishment sent, the phone's SessionData received
 *    within the deadline and decrypted, and the DeviceResponse verified by @mynakit/mdoc against the
 *    transcript the reader itself derived (device authentication by signature, or by MAC with the
 *    EReaderKey). A record read face to face satisfies no method of @mynakit/kyc's table — it holds the
 *    methods of receiving the record over the network — and the result says so (KYC_IN_PERSON_NOT_TABULATED).
 *
 * A phone that ends the session without an answer (the holder declined, or the phone refused the reader)
 * is VERIFIER_PROXIMITY_DECLINED, no answer in time VERIFIER_PROXIMITY_TIMEOUT; no record is written for
 * them (nothing was verified) and the session, given back, expires unused.
 */
import { createHash } from 'node:crypto';
import { isUniqueViolation } from '@mynakit/db';
import {
  buildJpMncRequest,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  MY_NUMBER_ELEMENT,
  verifyDeviceResponse,
} from '@mynakit/mdoc';
import {
  type DeviceEngagement,
  Oid4vpError,
  type Oid4vpErrorCode,
  ProximityReaderSession,
  parseDeviceEngagementUri,
  webSocketUrlOf,
} from '@mynakit/oid4vp';
import { type Check, verdictOf } from '@mynakit/report';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { activeReaderKey } from '../relying-parties/reader-key.js';
import type { StatusListCache } from '../revocation/status-list-cache.js';
import {
  asksForKycMethod,
  MAX_SESSION_TTL_SECONDS,
  type SessionReaderAuthentication,
} from '../sessions/create-session.js';
import { type CustomerDeclarationInput, customerDeclarationFor } from '../sessions/customer-declaration.js';
import { type RequestedElements, requestedElementsFor } from '../sessions/requested-elements.js';
import { sessionDeviceRequest } from '../sessions/session-device-request.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import {
  type ChannelVerification,
  type SessionVerification,
  verifySessionAnswer,
} from '../verification/verify-session-response.js';
import { allowedTransportUrl, connectOnFirstUse, connectProximityTransport } from './proximity-transport.js';

/** The `protocol` of a proximity session's row. */
export const PROXIMITY_PROTOCOL = 'iso-18013-5-proximity';

/** The channel name its verification records carry. */
export const PROXIMITY_RECORD_CHANNEL = 'iso-18013-5-proximity';

/** The `origin` a proximity session and its record carry: there is no web page, the holder was present. */
export const IN_PERSON_ORIGIN = 'in-person';

/** Default time from connecting to the phone's answer, seconds (the holder reads and consents meanwhile). */
export const DEFAULT_PROXIMITY_TIMEOUT_SECONDS = 60;

/**
 * How long a proximity read waits from connecting to the phone's answer, in seconds: the configured
 * `proximityTimeoutSeconds` (DEFAULT_PROXIMITY_TIMEOUT_SECONDS), at least 1 and at most a session's
 * lifetime. The one value of it: the reader keeps it, and whoever shows the request on the phone tells the
 * holder it (the sandbox's proximity read).
 */
export function proximityTimeoutSecondsOf(config: {
  readonly proximityTimeoutSeconds?: number | undefined;
}): number {
  return Math.max(
    1,
    Math.min(config.proximityTimeoutSeconds ?? DEFAULT_PROXIMITY_TIMEOUT_SECONDS, MAX_SESSION_TTL_SECONDS),
  );
}

/** What POST /sessions/proximity asks (with the customer's declaration, sessions/customer-declaration.ts). */
export interface ProximityReadInput extends CustomerDeclarationInput {
  /** The purpose of the transaction (e.g. `account-opening`), recorded as the transaction type. */
  readonly purpose: string;
  /** namespace → identifiers; absent: the least the purpose needs (requested-elements.ts). */
  readonly elements?: RequestedElements | undefined;
  /** The phone's engagement as its QR code shows it: `mdoc:` + base64url(DeviceEngagement). */
  readonly engagement: string;
}

/** What POST /sessions/proximity answers: the verification, its record, and how the reader asked. */
export interface ProximityVerification extends SessionVerification {
  readonly sessionId: string;
  /** What was requested (namespace → identifiers). */
  readonly requested: RequestedElements;
  readonly readerAuthentication: SessionReaderAuthentication;
}

/**
 * The session id of an engagement: a SHA-256 of its bytes shaped as a UUID, so a second read of the same
 * engagement collides with the first session's row (the primary key) whichever instance makes it.
 */
export function proximitySessionId(engagement: Uint8Array): string {
  const h = createHash('sha256').update('mynakit proximity session\0').update(engagement).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function engagementOf(uri: string): { engagement: DeviceEngagement; address: string } {
  let engagement: DeviceEngagement;
  try {
    engagement = parseDeviceEngagementUri(uri);
  } catch (e) {
    throw new VerifierError('VERIFIER_PROXIMITY_ENGAGEMENT_INVALID', 'the engagement cannot be read', {
      cause: e,
    });
  }
  const address = webSocketUrlOf(engagement);
  if (address === undefined)
    throw new VerifierError(
      'VERIFIER_PROXIMITY_ENGAGEMENT_INVALID',
      'the engagement offers no WebSocket transport (the only proximity bearer the verifier reads)',
    );
  return { engagement, address };
}

/** Why the exchange with the phone stopped, as a stable verifier code. */
function exchangeError(e: unknown, timedOut: boolean, oversized: boolean): VerifierError {
  if (e instanceof VerifierError) return e;
  if (timedOut)
    return new VerifierError('VERIFIER_PROXIMITY_TIMEOUT', 'the phone did not answer in time', { cause: e });
  if (oversized)
    return new VerifierError(
      'VERIFIER_PROXIMITY_MESSAGE_INVALID',
      'the phone sent a message larger than the reader accepts',
      { cause: e },
    );
  const code: Oid4vpErrorCode | undefined = e instanceof Oid4vpError ? e.code : undefined;
  if (code === 'SESSION_TERMINATED' || code === 'TRANSPORT_CLOSED')
    return new VerifierError('VERIFIER_PROXIMITY_DECLINED', 'the phone ended the session without answering', {
      cause: e,
    });
  if (e instanceof Oid4vpError)
    return new VerifierError('VERIFIER_PROXIMITY_MESSAGE_INVALID', 'the phone’s answer cannot be read', {
      cause: e,
    });
  throw e;
}

/** Reads the phone named by `input.engagement` for the caller's relying party (see the file comment). */
export async function readOverProximity(
  deps: VerifierDeps,
  caller: RpCaller,
  input: ProximityReadInput,
  cache: StatusListCache,
): Promise<ProximityVerification> {
  const party = await deps.store.relyingParties.get(caller.relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  const elements = requestedElementsFor(input.elements, party.config);
  // A read at the counter that can satisfy the record method is a 取引時確認 as any other channel's.
  const declaration = customerDeclarationFor(input, {
    law: party.config.law,
    kycTransaction: asksForKycMethod(elements),
  });
  const { engagement, address } = engagementOf(input.engagement);
  const url = allowedTransportUrl(address, deps.config.proximityTransportHosts);

  const ttl = Math.max(
    Math.min(deps.config.sessionTtlSeconds ?? MAX_SESSION_TTL_SECONDS, MAX_SESSION_TTL_SECONDS),
    1,
  );
  const timeoutMs = proximityTimeoutSecondsOf(deps.config) * 1000;
  const deadline = new AbortController();
  let timedOut = false;
  let oversized = () => false;
  const reader = new ProximityReaderSession({
    transport: connectOnFirstUse(async () => {
      const connection = await connectProximityTransport(url, deadline.signal);
      oversized = connection.oversized;
      return connection.transport;
    }),
    deviceEngagement: engagement.bytes,
  });

  const asksMyNumber = elements[JP_MNC_NAMESPACE]?.includes(MY_NUMBER_ELEMENT) === true;
  const basis = party.config.myNumberLegalBasis;
  const itemsRequest = buildJpMncRequest({
    elements,
    intentToRetain: party.config.law !== 'none',
    ...(asksMyNumber && basis !== undefined ? { legalBasis: { provision: basis } } : {}),
  });
  const readerKey = await activeReaderKey(deps, caller.relyingPartyId);
  const { deviceRequest, readerAuthentication } = sessionDeviceRequest(
    itemsRequest,
    readerKey,
    reader.sessionTranscriptBytes,
  );

  const sessionId = proximitySessionId(engagement.bytes);
  const now = deps.clock().getTime();
  try {
    await deps.store.sessions.create({
      id: sessionId,
      relyingPartyId: caller.relyingPartyId,
      credentialId: caller.credentialId,
      protocol: PROXIMITY_PROTOCOL,
      purpose: input.purpose,
      origin: IN_PERSON_ORIGIN,
      elements,
      deviceRequest: Buffer.from(deviceRequest).toString('base64url'),
      // No EncryptionInfo: the session keys come from the engagement and the reader's ephemeral key.
      encryptionInfo: '',
      declaration,
      createdAt: now,
      expiresAt: now + ttl * 1000,
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new VerifierError(
        'VERIFIER_SESSION_USED',
        'this engagement was already read: the phone shows a new one',
      );
    throw e;
  }

  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort();
  }, timeoutMs);
  try {
    const result = await verifySessionAnswer(
      deps,
      caller,
      sessionId,
      cache,
      async ({ trustAnchors, now: at, statusOptions }): Promise<ChannelVerification> => {
        let deviceResponse: Uint8Array;
        try {
          deviceResponse = await reader.request(deviceRequest, deadline.signal);
        } catch (e) {
          throw exchangeError(e, timedOut, oversized());
        } finally {
          await reader.terminate().catch(() => undefined);
        }
        return verifiedChannel(
          await verifyDeviceResponse(deviceResponse, {
            trustAnchors,
            now: at,
            ...statusOptions,
            sessionTranscriptBytes: reader.sessionTranscriptBytes,
            readerPrivateKey: { ...reader.eReaderKey },
            docType: JP_MNC_DOCTYPE,
          }),
          reader.sessionTranscriptBytes,
        );
      },
    );
    return { ...result, sessionId, requested: elements, readerAuthentication };
  } finally {
    clearTimeout(timer);
    await reader.terminate().catch(() => undefined);
  }
}

/**
 * The channel's report: the SessionData opened (it decrypted with the keys of this transcript), then the
 * DeviceResponse's own checks. When the issuer part verifies but device authentication does not, the phone
 * signed another SessionTranscript (`session.transcript`, TRANSCRIPT_MISMATCH) — e.g. an answer replayed from
 * another session.
 */
function verifiedChannel(
  verification: Awaited<ReturnType<typeof verifyDeviceResponse>>,
  sessionTranscriptBytes: Uint8Array,
): ChannelVerification {
  const checks: Check[] = [
    {
      id: 'response.decrypt',
      status: 'passed',
      detail:
        'the SessionData opened with the session keys of this engagement and reader key (ISO/IEC 18013-5 §9.1.1.5)',
    },
  ];
  const failed = (id: string) => verification.checks.some((c) => c.id === id && c.status === 'failed');
  const issuerOk =
    verification.checks.some((c) => c.id === 'issuer.signature' && c.status === 'passed') &&
    !failed('issuer.signature');
  let errorCode: Oid4vpErrorCode | undefined;
  if (issuerOk && (failed('device.signature') || failed('device.mac'))) {
    checks.push({
      id: 'session.transcript',
      status: 'failed',
      detail:
        'device authentication fails with the SessionTranscript the reader derived (engagement and reader key): made for another session',
    });
    errorCode = 'TRANSCRIPT_MISMATCH';
  } else if (verification.verdict !== 'valid') {
    errorCode =
      verification.checks.find((c) => c.status === 'failed')?.id === 'decode'
        ? 'DECODE'
        : 'PRESENTATION_INVALID';
  }
  const all = [...checks, ...verification.checks];
  const verdict = verdictOf(all);
  return {
    verified: {
      verdict,
      checks: all,
      presentations: [{ verification }],
      ...(verdict !== 'valid' && errorCode !== undefined ? { errorCode } : {}),
      sessionTranscriptBytes,
    },
    channel: PROXIMITY_RECORD_CHANNEL,
    inPerson: true,
  };
}
