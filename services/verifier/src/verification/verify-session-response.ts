/**
 * POST /sessions/:id/response — one Annex C answer verified end to end (ARCHITECTURE.md data flow); the
 * cross-device channel (POST /sessions/:id/direct-post, sessions/cross-device-session.ts) shares every step
 * but the second, which it brings itself (verifySessionAnswer):
 *
 * 1. claim the session once (compare-and-set; a replay is VERIFIER_SESSION_USED, a late answer
 *    VERIFIER_SESSION_EXPIRED);
 * 2. in the protocol the wallet answered (DOMAIN.md §2 table):
 *    - `org-iso-mdoc`: @mynakit/oid4vp verifyAnnexCResponse — HPKE open with the SessionTranscript rebuilt
 *      from this session's EncryptionInfo string and origin (`["dcapi", …]`); an answer made for another
 *      session or page does not open (`response.decrypt` failed; `session.transcript` says so);
 *    - `openid4vp-v1-signed`: verifyOpenId4VpResponse — the dc_api.jwt JWE opened with the session's
 *      ECDH-ES key, the nonce of the request as signed, `vp_token` against its DCQL query, and the
 *      `OpenID4VPDCAPIHandover` transcript of this session's origin, nonce and encryption key thumbprint;
 *    - cross-device `direct_post.jwt`: the same with the `OpenID4VPHandover` transcript (client id, nonce,
 *      thumbprint, response URI of the request as sent);
 *    then @mynakit/mdoc verifies issuer data, digests and device authentication against the relying
 *    party's trust anchors at `now`, and the status — the MSO's status list (revocation/status-checker.ts)
 *    and, as the relying party chose, the issuer's per-record inquiry (revocation/record-inquiry.ts), one
 *    `status.revocation` check;
 * 3. the relying party's revocation policy (revocation/revocation-policy.ts);
 * 4. every requested element disclosed (`request.elements`, VERIFIER_CLAIMS_MISSING naming them);
 * 5. the KYC method on that JST date (@mynakit/kyc kycMethodFor; `kyc.method`, a warning with the reasons
 *    when none applies);
 * 6. in one transaction: the verification record appended and the session marked done (its key erased).
 *
 * When the policy says retry, the session is given back and VERIFIER_REVOCATION_UNAVAILABLE is thrown; no
 * record is written. Problems and checks never carry personal data.
 */

import { type KycMethodResult, kycMethodFor } from '@mynakit/kyc';
import {
  JP_MNC_DOCTYPE,
  MY_NUMBER_ELEMENT,
  type VerifiedDocument,
  type VerifyIssuerOptions,
} from '@mynakit/mdoc';
import {
  ANNEX_C_PROTOCOL,
  annexCNonceKey,
  type NonceStore,
  type Oid4vpErrorCode,
  type PresentationVerification,
  toP256PrivateJwk,
  validateAuthorizationRequest,
  verifyAnnexCResponse,
  verifyOpenId4VpResponse,
} from '@mynakit/oid4vp';
import { type Check, type Verdict, verdictOf } from '@mynakit/report';
import type { Kysely } from 'kysely';
import type { VerifierDeps } from '../context.js';
import { VerifierError, type VerifierErrorCode } from '../errors.js';
import type { JsonValue } from '../records/canonical-json.js';
import { createStatusInquiry } from '../revocation/record-inquiry.js';
import { decideRevocation, REVOCATION_UNDETERMINED_FLAG } from '../revocation/revocation-policy.js';
import { createStatusChecker, type StatusConsultation } from '../revocation/status-checker.js';
import type { StatusListCache } from '../revocation/status-list-cache.js';
import { OPENID4VP_SIGNED_PROTOCOL, openid4vpKeyAad } from '../sessions/create-session.js';
import { openSessionKey } from '../sessions/session-key.js';
import { SessionRepository, type VerificationSession } from '../sessions/session-repository.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import type { VerifierDatabase } from '../store/schema.js';
import {
  disclosedElementsJson,
  disclosedIdentifiers,
  identityFactsOf,
  missingElements,
} from './disclosed-elements.js';
import { recordInTransaction } from './record-in-transaction.js';
import {
  ANNEX_C_RECORD_CHANNEL,
  OPENID4VP_RECORD_CHANNEL,
  verificationRecordContent,
} from './verification-record-content.js';

/** The answer of POST /sessions/:id/response. */
export interface SessionVerification {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  /** The KYC method that applies, or null (see methodReasons). */
  readonly method: { id: string; law: string; letter: string; name_ja: string; name_en: string } | null;
  /** Why no method applies (stable @mynakit/kyc codes). */
  readonly methodReasons: readonly string[];
  /** The disclosed values (namespace → identifier → JSON; the portrait as base64); only when valid. */
  readonly elements?: Record<string, Record<string, JsonValue>>;
  /** The verification record written. */
  readonly recordId: string;
  /** `revocation-undetermined` when accepted without a determined status. */
  readonly flags: readonly string[];
  /** The first decisive failure (stable code), when not valid. */
  readonly errorCode?: VerificationErrorCode;
}

/**
 * Why a verification is not valid: a channel or document failure of @mynakit/oid4vp (HPKE_OPEN_FAILED,
 * TRANSCRIPT_MISMATCH, PRESENTATION_INVALID…), or the verifier's own decision after the cryptography passed.
 */
export type VerificationErrorCode =
  | Oid4vpErrorCode
  | Extract<
      VerifierErrorCode,
      'VERIFIER_REVOKED' | 'VERIFIER_REVOCATION_UNDETERMINED' | 'VERIFIER_CLAIMS_MISSING'
    >;

/** What a channel hands the shared steps: the session, the relying party's trust and the status checker. */
export interface ChannelContext {
  /** The claimed session, as stored. */
  readonly session: VerificationSession;
  /** The relying party's trust anchors (DER) for the document signers. */
  readonly trustAnchors: readonly Uint8Array[];
  /** The verification instant. */
  readonly now: Date;
  /**
   * How the record's status is asked, for @mynakit/mdoc's options (spread them in): the MSO's status list
   * (`statusChecker`, revocation/status-checker.ts) and, when the relying party asks it, the issuer's
   * per-record inquiry (`statusInquiry`, revocation/record-inquiry.ts); every consultation is kept for the
   * record.
   */
  readonly statusOptions: Pick<VerifyIssuerOptions, 'statusChecker' | 'statusInquiry'>;
  /**
   * A nonce store that knows only `expected`: the claim of the session is its one-time use, the library's
   * nonce check confirms the answer is for this very request (its EncryptionInfo or its nonce).
   */
  readonly claimedNonce: (expected: string) => NonceStore;
}

/** One channel's cryptographic verification of the answer, and the channel name its record carries. */
export interface ChannelVerification {
  readonly verified: PresentationVerification;
  /** The record's `channel` (verification-record-content.ts). */
  readonly channel: string;
  /** Read face to face (proximity at a counter): @mynakit/kyc tabulates no such method (KYC_IN_PERSON_NOT_TABULATED). */
  readonly inPerson?: boolean;
}

/** Verifies the answer in one channel (Annex C, OpenID4VP over the DC API, cross-device direct_post.jwt). */
export type VerifyChannel = (context: ChannelContext) => Promise<ChannelVerification>;

/** Verifies the answer to session `sessionId` submitted through POST /sessions/:id/response (see the file comment). */
export async function verifySessionResponse(
  deps: VerifierDeps,
  caller: RpCaller,
  sessionId: string,
  response: unknown,
  cache: StatusListCache,
): Promise<SessionVerification> {
  return verifySessionAnswer(deps, caller, sessionId, cache, (context) =>
    verifyDcApiChannel(deps, context, response),
  );
}

/**
 * The steps every channel shares (see the file comment): claim the session once, verify the answer in
 * `channel`, then the revocation policy, the requested elements, the KYC method, and the record with the
 * session done in one transaction — where `keep`, when given, also keeps the report (the cross-device
 * channel's result for the relying party, sessions/cross-device-repository.ts).
 */
export async function verifySessionAnswer(
  deps: VerifierDeps,
  caller: RpCaller,
  sessionId: string,
  cache: StatusListCache,
  channel: VerifyChannel,
  keep?: (trx: Kysely<VerifierDatabase>, report: SessionVerification) => Promise<void>,
): Promise<SessionVerification> {
  const sessions = deps.store.sessions;
  const now = deps.clock();
  const { result: claim, session } = await sessions.claimAndRead(
    sessionId,
    caller.relyingPartyId,
    now.getTime(),
  );
  if (claim === 'unknown') throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  if (claim === 'used')
    throw new VerifierError('VERIFIER_SESSION_USED', 'the session was already used: open a new one');
  if (claim === 'expired') throw new VerifierError('VERIFIER_SESSION_EXPIRED', 'the session has expired');
  try {
    // The claimed row, or (should a driver return none) the session read again.
    const claimed =
      session ?? ((await sessions.get(sessionId, caller.relyingPartyId)) as VerificationSession);
    return await verifyClaimed(deps, caller, claimed, cache, now, channel, keep);
  } catch (e) {
    // Whatever stopped the verification before its record was written (the retry policy, a store or key
    // fault) gives the session back, so the same answer can be submitted again while the session lives.
    await sessions.release(sessionId).catch(() => false);
    throw e;
  }
}

/**
 * The submitted DigitalCredential: `{protocol, data}` in either protocol of the session, or (as before)
 * the `org-iso-mdoc` data alone (`{response}` or its string).
 */
function submittedCredential(response: unknown): {
  readonly protocol: string;
  readonly data: Readonly<Record<string, unknown>>;
} {
  if (typeof response === 'string') return { protocol: 'org-iso-mdoc', data: { response } };
  const body = (typeof response === 'object' && response !== null ? response : {}) as Record<string, unknown>;
  if (typeof body.protocol === 'string') {
    const data = body.data;
    return {
      protocol: body.protocol,
      data:
        typeof data === 'object' && data !== null && !Array.isArray(data)
          ? (data as Record<string, unknown>)
          : {},
    };
  }
  return { protocol: 'org-iso-mdoc', data: { response: body.response } };
}

/** The DC API channels of POST /sessions/:id/response: Annex C, or OpenID4VP signed (`dc_api.jwt`). */
async function verifyDcApiChannel(
  deps: VerifierDeps,
  context: ChannelContext,
  response: unknown,
): Promise<ChannelVerification> {
  const { session, trustAnchors, now, statusOptions } = context;
  // A cross-device session takes its answer from the wallet at its direct-post endpoint only.
  if (session.protocol !== ANNEX_C_PROTOCOL)
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'this session takes no Digital Credentials API answer');
  const submitted = submittedCredential(response);
  if (submitted.protocol === OPENID4VP_SIGNED_PROTOCOL) {
    if (session.openid4vpRequest === null || session.openid4vpKey === null)
      throw new VerifierError('VERIFIER_INVALID_INPUT', 'this session made no openid4vp-v1-signed request');
    const request = validateAuthorizationRequest(JSON.parse(session.openid4vpRequest));
    const encryptionKey = openSessionKey(
      session.openid4vpKey,
      openid4vpKeyAad(session.id),
      deps.config.sessionKeyEncryptionKey,
    );
    const verified = await verifyOpenId4VpResponse(
      submitted.data,
      { request, origin: session.origin, encryptionPrivateKey: toP256PrivateJwk(encryptionKey) },
      {
        mdoc: { trustAnchors, now, ...statusOptions },
        nonceStore: context.claimedNonce(request.nonce),
        noncePurpose: 'openid4vp',
      },
    );
    return { verified, channel: OPENID4VP_RECORD_CHANNEL };
  }
  if (session.recipientKey === null) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  const recipientPrivateKey = openSessionKey(
    session.recipientKey,
    session.id,
    deps.config.sessionKeyEncryptionKey,
  );
  const verified = await verifyAnnexCResponse(
    submitted.data,
    {
      encryptionInfo: session.encryptionInfo,
      origin: session.origin,
      recipientPrivateKey,
      docType: JP_MNC_DOCTYPE,
    },
    {
      mdoc: { trustAnchors, now, ...statusOptions },
      nonceStore: context.claimedNonce(annexCNonceKey(session.encryptionInfo)),
      noncePurpose: 'annex-c',
    },
  );
  return { verified, channel: ANNEX_C_RECORD_CHANNEL };
}

async function verifyClaimed(
  deps: VerifierDeps,
  caller: RpCaller,
  session: VerificationSession,
  cache: StatusListCache,
  now: Date,
  channel: VerifyChannel,
  keep: ((trx: Kysely<VerifierDatabase>, report: SessionVerification) => Promise<void>) | undefined,
): Promise<SessionVerification> {
  const party = await deps.store.relyingParties.ofCaller(caller);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  const trustAnchors = party.config.trustAnchors.map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
  const consultations: StatusConsultation[] = [];
  const statusChecker = createStatusChecker({
    fetchStatusList: deps.fetchStatusList,
    cache,
    trustAnchors,
    observe: (c) => consultations.push(c),
  });
  const statusInquiry = createStatusInquiry({
    inquiry: deps.recordInquiry,
    use: party.config.revocation.inquiry,
    trustAnchors,
    observe: (c) => consultations.push(c),
  });
  const statusOptions = statusInquiry === undefined ? { statusChecker } : { statusChecker, statusInquiry };
  const claimedNonce = (expected: string): NonceStore => ({
    issue: async () => undefined,
    consume: async ({ nonce }) => (nonce === expected ? 'consumed' : 'unknown'),
  });
  const {
    verified,
    channel: recordChannel,
    inPerson,
  } = await channel({
    session,
    trustAnchors,
    now,
    statusOptions,
    claimedNonce,
  });
  const checks: Check[] = [...verified.checks];
  if (verified.errorCode === 'HPKE_OPEN_FAILED' && !checks.some((c) => c.id === 'session.transcript'))
    checks.push({
      id: 'session.transcript',
      status: 'failed',
      detail:
        'the answer was sealed for another SessionTranscript: made for another session or another page origin',
    });
  const document: VerifiedDocument | undefined = verified.presentations[0]?.verification.documents.find(
    (d) => d.docType === JP_MNC_DOCTYPE,
  );
  const statusCheck = document?.checks.find((c) => c.id === 'status.revocation');
  const revocation = decideRevocation(
    document === undefined ? undefined : statusCheck,
    party.config.revocation,
  );
  if (document !== undefined) checks.push(revocation.check);
  const cryptoOk =
    verdictOf(checks.filter((c) => c.id !== 'status.revocation' && c.id !== 'revocation.policy')) === 'valid';
  if (cryptoOk && revocation.action === 'retry')
    throw new VerifierError(
      'VERIFIER_REVOCATION_UNAVAILABLE',
      'the revocation status could not be determined; submit the same response again shortly',
    );

  const disclosed = document?.elements ?? {};
  let missing: string[] = [];
  // Once the answer opened, every requested element must be there (a response without the document
  // misses them all), whatever the library reported about what did arrive.
  if (verified.presentations.length > 0) {
    missing = missingElements(session.elements, disclosed);
    checks.push(
      missing.length === 0
        ? { id: 'request.elements', status: 'passed', detail: 'every requested element was disclosed' }
        : {
            id: 'request.elements',
            status: 'failed',
            detail: `requested but not disclosed: ${missing.join(', ')}`,
          },
    );
  }
  // The status check is judged by the policy (revocation.policy), not by itself.
  const verdict = verdictOf(checks.filter((c) => c.id !== 'status.revocation'));
  const errorCode: VerificationErrorCode | undefined = !cryptoOk
    ? verified.errorCode
    : revocation.result === 'failed'
      ? 'VERIFIER_REVOKED'
      : revocation.action === 'reject'
        ? 'VERIFIER_REVOCATION_UNDETERMINED'
        : missing.length > 0
          ? 'VERIFIER_CLAIMS_MISSING'
          : undefined;
  const identifiers = disclosedIdentifiers(disclosed).filter((id) => id !== MY_NUMBER_ELEMENT);
  let kyc: KycMethodResult | undefined;
  if (verdict === 'valid') {
    kyc = kycMethodFor({
      evidence: {
        kind: 'card-substitute-record',
        elements: identifiers,
        ...(inPerson === true ? { inPerson } : {}),
      },
      relyingParty: {
        law: party.config.law,
        isSignatureVerifier: party.config.isSignatureVerifier,
        programCertified: party.config.verificationProgram.certified,
      },
      date: now,
    });
    checks.push(
      kyc.method !== null
        ? {
            id: 'kyc.method',
            status: 'passed',
            detail: `${kyc.method.id} (${kyc.method.letter}) on ${kyc.date}`,
          }
        : {
            id: 'kyc.method',
            status: 'warning',
            detail: `no KYC method applies on ${kyc.date}: ${kyc.reasons.map((r) => r.code).join(', ')}`,
          },
    );
  }
  const flags =
    verdict === 'valid' && revocation.action === 'accept-flagged' ? [REVOCATION_UNDETERMINED_FLAG] : [];
  const content = verificationRecordContent({
    party,
    session,
    credentialId: caller.credentialId,
    writerId: deps.writerId ?? 'default',
    now: now.getTime(),
    verdict,
    checks,
    kyc,
    identity: verdict === 'valid' ? identityFactsOf(disclosed) : undefined,
    msoDigest: document?.mso?.digest,
    disclosed: identifiers,
    revocation,
    consultations,
    flags,
    channel: recordChannel,
  });
  const method = kyc?.method ?? null;
  const report = (recordId: string): SessionVerification => ({
    verdict,
    checks,
    method:
      method === null
        ? null
        : {
            id: method.id,
            law: method.law,
            letter: method.letter,
            name_ja: method.name_ja,
            name_en: method.name_en,
          },
    methodReasons: kyc !== undefined && kyc.method === null ? kyc.reasons.map((r) => r.code) : [],
    ...(verdict === 'valid' ? { elements: disclosedElementsJson(disclosed) } : {}),
    recordId,
    flags,
    ...(verdict !== 'valid' && errorCode !== undefined ? { errorCode } : {}),
  });
  const record = await recordInTransaction(deps, {
    relyingPartyId: party.id,
    relyingParty: party,
    sessionId: session.id,
    verdict,
    content,
    now: now.getTime(),
    complete: async (trx, recordId) => {
      const done = await new SessionRepository(trx).complete(session.id, {
        verdict,
        recordId,
        now: now.getTime(),
      });
      if (done && keep !== undefined) await keep(trx, report(recordId));
      return done;
    },
  });
  return report(record.id);
}
