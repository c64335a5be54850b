/**
 * JPKI sessions opened by link or QR code (@mynakit/oid4vp jpki-request, its README for the format): a JPKI
 * session of a relying party with an active reader key can be answered by the holder's phone without the
 * relying party's page in between —
 *
 * 1. the creation answer (POST /sessions/jpki-authentication, /sessions/jpki-signature) carries
 *    `requestUri` and `walletUrl` = `mynakit-jpki://?client_id=…&request_uri=…` (jpkiLinkOf);
 * 2. GET /sessions/{id}/jpki-request-object serves the request object signed with the relying party's
 *    reader key (`x5c`), naming the session's challenge or document, its purpose, and `response_uri` =
 *    `<verifier origin>/sessions/{id}/jpki-response` (jpkiRequestObject); it lives until the session expires;
 * 3. POST /sessions/{id}/jpki-response takes the phone's answer (no API key: the phone has none) and runs
 *    exactly the verification of POST /sessions/{id}/jpki-authentication or …/jpki-signature
 *    (verify-jpki-answer.ts) for the relying party that opened the session; the phone is answered `{}`,
 *    never the verdict (OpenID4VP 1.0 §8.2) — the relying party reads the state with GET /sessions/{id}/jpki
 *    and the verification with GET /sessions/{id}/jpki-result (jpki-link-result-repository.ts: the identity
 *    facts of a signature at the first read only).
 *
 * The request can only be made when the client id is `x509_san_dns:` naming the reader certificate and the
 * verifier's own host, since a phone refuses a response_uri elsewhere (OpenID4VP 1.0 §5.9.3); otherwise
 * VERIFIER_JPKI_LINK_UNAVAILABLE (and the creation answer has no link).
 */
import {
  buildJpkiRequestLink,
  type JpkiDocumentMediaType,
  type JpkiRequestInput,
  MAX_JPKI_REQUEST_LIFETIME_SECONDS,
  signJpkiRequestObject,
} from '@mynakit/oid4vp';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { activeReaderKey, type ReaderSigningKey } from '../relying-parties/reader-key.js';
import { certificateNamesClientId } from '../sessions/create-session.js';
import type { RelyingParty } from '../store/relying-party-repository.js';
import {
  JpkiLinkResultRepository,
  openLinkIdentity,
  sealLinkIdentity,
} from './jpki-link-result-repository.js';
import { JpkiSessionRepository } from './jpki-session-repository.js';
import {
  type JpkiAuthenticationAnswer,
  type JpkiIdentity,
  type JpkiSignatureAnswer,
  type JpkiVerification,
  verifyJpkiAnswer,
} from './verify-jpki-answer.js';

/** Where the request object and the answer of a session are, on the verifier's own origin. */
export interface JpkiLink {
  readonly requestUri: string;
  /** What the link or QR code holds: `mynakit-jpki://?client_id=…&request_uri=…`. */
  readonly walletUrl: string;
}

function unavailable(message: string, cause?: unknown): VerifierError {
  return new VerifierError('VERIFIER_JPKI_LINK_UNAVAILABLE', message, cause === undefined ? {} : { cause });
}

/** The reader key and the verifier's origin a link needs, or why there is none. */
async function linkContext(
  deps: VerifierDeps,
  party: RelyingParty,
): Promise<{ reader: ReaderSigningKey; origin: URL }> {
  const reader = await activeReaderKey(deps, party.id);
  if (reader === undefined) throw unavailable('the relying party has no reader key installed');
  // Where the verifier's routes are served, path kept: a verifier mounted under a path (e.g.
  // `https://bank.example/verifier`) hands out `https://bank.example/verifier/sessions/…`, which reaches it.
  let origin: URL;
  try {
    origin = new URL(deps.config.origin);
  } catch (e) {
    throw unavailable("the verifier's origin is not a URL", e);
  }
  origin.search = '';
  origin.hash = '';
  if (!origin.pathname.endsWith('/')) origin.pathname = `${origin.pathname}/`;
  const prefix = 'x509_san_dns:';
  const host = party.clientId.startsWith(prefix) ? party.clientId.slice(prefix.length) : '';
  if (
    !certificateNamesClientId(reader, party.clientId) ||
    host.toLowerCase() !== origin.hostname.toLowerCase()
  )
    throw unavailable(
      "the client id must be x509_san_dns naming the reader certificate and the verifier's own host",
    );
  return { reader, origin };
}

async function partyOf(deps: VerifierDeps, relyingPartyId: string): Promise<RelyingParty> {
  const party = await deps.store.relyingParties.get(relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  return party;
}

/** The link of a new session, or undefined when the relying party cannot make one (see the file comment). */
export async function jpkiLinkOf(
  deps: VerifierDeps,
  relyingPartyId: string,
  sessionId: string,
): Promise<JpkiLink | undefined> {
  const party = await partyOf(deps, relyingPartyId);
  let origin: URL;
  try {
    ({ origin } = await linkContext(deps, party));
  } catch (e) {
    // No link is no failure of the session: it is still answered through the API. A reader key that does
    // not open is reported where it is needed, by GET …/jpki-request-object.
    if (
      e instanceof VerifierError &&
      (e.code === 'VERIFIER_JPKI_LINK_UNAVAILABLE' || e.code === 'VERIFIER_READER_KEY_UNAVAILABLE')
    )
      return undefined;
    throw e;
  }
  const requestUri = new URL(`sessions/${sessionId}/jpki-request-object`, origin).href;
  return { requestUri, walletUrl: buildJpkiRequestLink({ clientId: party.clientId, requestUri }) };
}

/** A document the phone can show as text: valid UTF-8 (the verifier keeps bytes, not their media type). */
function mediaTypeOf(content: Uint8Array): JpkiDocumentMediaType {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return 'text/plain;charset=utf-8';
  } catch {
    return 'application/octet-stream';
  }
}

/** The signed request object of an open session (see the file comment, step 2). */
export async function jpkiRequestObject(deps: VerifierDeps, sessionId: string): Promise<string> {
  const session = await new JpkiSessionRepository(deps.store.db).get(sessionId);
  if (session === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  const now = deps.clock();
  if (session.state !== 'open' || session.content === null)
    throw new VerifierError('VERIFIER_SESSION_USED', 'the session was already answered');
  const remaining = Math.floor((session.expiresAt - now.getTime()) / 1000);
  if (remaining < 1) throw new VerifierError('VERIFIER_SESSION_EXPIRED', 'the session has expired');
  const party = await partyOf(deps, session.relyingPartyId);
  const { reader, origin } = await linkContext(deps, party);
  const common = {
    clientId: party.clientId,
    clientName: party.name,
    purpose: session.purpose,
    responseUri: new URL(`sessions/${session.id}/jpki-response`, origin).href,
    now,
    // The request lives no longer than the session it answers.
    lifetimeSeconds: Math.min(remaining, MAX_JPKI_REQUEST_LIFETIME_SECONDS),
  };
  const request: JpkiRequestInput =
    session.kind === 'authentication'
      ? { ...common, requestType: 'jpki-user-authentication', challenge: session.content }
      : {
          ...common,
          requestType: 'jpki-signature',
          document: session.content,
          mediaType: mediaTypeOf(session.content),
        };
  return signJpkiRequestObject({
    request,
    privateKey: reader.privateKey,
    certificateChain: reader.certificateChain,
  });
}

/**
 * The phone's answer at response_uri (see the file comment, step 3), verified for the relying party that
 * opened the session. The kind of answer must be the session's (else VERIFIER_NOT_FOUND, as the API's).
 */
export async function answerJpkiByLink(
  deps: VerifierDeps,
  sessionId: string,
  answer:
    | { readonly kind: 'authentication'; readonly answer: JpkiAuthenticationAnswer }
    | { readonly kind: 'signature'; readonly answer: JpkiSignatureAnswer },
): Promise<Record<string, never>> {
  const session = await new JpkiSessionRepository(deps.store.db).get(sessionId);
  if (session === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  // The result the relying party reads at GET /sessions/{id}/jpki-result is kept in the record's own
  // transaction: a record without its result (or the reverse) would leave the party waiting for ever.
  await verifyJpkiAnswer(
    deps,
    { relyingPartyId: session.relyingPartyId, credentialId: session.credentialId, role: 'rp' },
    session.id,
    answer,
    async (trx, verification) => {
      const { identity, ...report } = verification;
      await new JpkiLinkResultRepository(trx).keep({
        sessionId: session.id,
        relyingPartyId: session.relyingPartyId,
        report: report as unknown as Record<string, unknown>,
        sealedIdentity:
          identity === undefined
            ? null
            : sealLinkIdentity(identity, session.id, deps.config.sessionKeyEncryptionKey),
        createdAt: deps.clock().getTime(),
        expiresAt: session.expiresAt,
      });
    },
  );
  return {};
}

/**
 * The verification of a session answered by link, for the relying party that opened it: the report, with
 * the identity facts of a signature at the first read only. VERIFIER_NOT_FOUND (no such session of that
 * party), VERIFIER_SESSION_EXPIRED (expired unanswered), VERIFIER_SESSION_PENDING (not answered yet).
 */
export async function jpkiLinkResult(
  deps: VerifierDeps,
  relyingPartyId: string,
  sessionId: string,
): Promise<JpkiVerification> {
  const session = await new JpkiSessionRepository(deps.store.db).get(sessionId, relyingPartyId);
  const taken = await new JpkiLinkResultRepository(deps.store.db).take(sessionId, relyingPartyId);
  if (taken === undefined) {
    if (session === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
    if (session.state === 'open' && session.expiresAt <= deps.clock().getTime())
      throw new VerifierError('VERIFIER_SESSION_EXPIRED', 'the session expired without an answer');
    // Answered through POST /sessions/{id}/jpki-*: that answer was the verification.
    if (session.state === 'done')
      throw new VerifierError('VERIFIER_NOT_FOUND', 'the session was not answered by link');
    throw new VerifierError('VERIFIER_SESSION_PENDING', 'the phone has not answered by link yet');
  }
  const report = taken.report as unknown as JpkiVerification;
  return taken.sealedIdentity === null
    ? report
    : {
        ...report,
        identity: openLinkIdentity(
          taken.sealedIdentity,
          sessionId,
          deps.config.sessionKeyEncryptionKey,
        ) as unknown as JpkiIdentity,
      };
}
