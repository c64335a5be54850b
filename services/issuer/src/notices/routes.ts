/**
 * `/notices` — what a phone must hear about its own credentials (revoked, suspended, reinstated,
 * superseded by another device: DOMAIN.md §1 "One person, one device", §4 "Revocation is a double
 * measure" — the wallet itself stops presenting once it hears):
 *
 *   POST /notices/challenges        {installationId} → {challenge, expiresAt}: single use, short-lived
 *   POST /notices/subscriptions     {installationId, challenge, proof: {alg, signature}} → a short-lived
 *                                   bearer token; the proof is a signature by a key of that installation
 *                                   over the bytes subscription-proof.ts defines
 *   GET  /notices                   (Authorization: Bearer <token>) text/event-stream: the notices after
 *                                   Last-Event-ID (header, or `lastEventId` in the query for clients that
 *                                   reconnect by URL), then live ones (notice-stream.ts)
 *
 * A challenge is handed out for any well-formed installation id without looking it up, and every failed
 * proof — a wrong signature, another installation's key, an unknown installation, one without keys — is the
 * same 401 ISSUER_NOTICES_PROOF_INVALID, so the routes do not tell which installations exist. The token is
 * stored as SHA-256 only (notice_subscriptions, migration 0004).
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { problem } from '../http/problem.js';
import { validBody } from '../http/validate.js';
import { challengeBytesOf, consumeChallenge, issueChallenge } from '../installations/challenges.js';
import { randomOf, validJson } from '../installations/support.js';
import { bearerTokenOf } from '../residents/admin-auth.js';
import { RevocationHub } from '../revocation/revocation-hub.js';
import { resolveNoticeSettings } from './notice-settings.js';
import { NoticeStreamSlots, runNoticeStream } from './notice-stream.js';
import {
  type NoticeProof,
  noticeProofMessage,
  proofKeysOf,
  verifyNoticeProof,
} from './subscription-proof.js';

/** The nonce-store purpose of a subscription challenge: bound to the installation it was asked for. */
export function noticeChallengePurpose(installationId: string): string {
  return `notices-subscription:${installationId}`;
}

const INSTALLATION_ID = /^[A-Za-z0-9-]{1,64}$/;
/** Largest Last-Event-ID accepted (seq is a bigint column, read as a safe integer). */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

const problemResponse = (description: string) => ({
  description,
  mediaType: 'application/problem+json',
  schema: ProblemSchema,
});

const InstallationIdSchema = z.string().regex(INSTALLATION_ID);

/** The body of POST /notices/challenges. */
export const NoticeChallengeRequestSchema = z
  .object({ installationId: InstallationIdSchema })
  .meta({ id: 'NoticeChallengeRequest' });

const NoticeChallengeSchema = z
  .object({
    challenge: z.string().meta({ description: 'base64url; goes into the signed bytes as it is' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'NoticeChallenge' });

/** The body of POST /notices/subscriptions. */
export const NoticeSubscriptionRequestSchema = z
  .object({
    installationId: InstallationIdSchema,
    challenge: z.string().max(64),
    proof: z.object({
      alg: z.enum(['ES256', 'RS256']).meta({
        description:
          'ES256: the record’s device key (MSO deviceKeyInfo); RS256: the smartphone JPKI user-authentication key',
      }),
      signature: z.string().min(1).max(1400).meta({
        description:
          'base64url signature over UTF-8 "mynakit-notices-v1|<origin>|<installationId>|<challenge>" (ES256: r‖s)',
      }),
    }),
  })
  .meta({ id: 'NoticeSubscriptionRequest' });

const NoticeSubscriptionSchema = z
  .object({
    token: z.string().meta({ description: 'Bearer token for GET /notices' }),
    tokenType: z.literal('Bearer'),
    expiresAt: z.string(),
  })
  .meta({ id: 'NoticeSubscription' });

/** The resume point of a stream: Last-Event-ID (header first), else `lastEventId`; 0 when neither is sent. */
function lastEventIdOf(header: string | undefined, query: string | undefined): number | undefined {
  const text = header ?? query;
  if (text === undefined || text === '') return 0;
  if (!/^\d{1,16}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n <= MAX_SEQ ? n : undefined;
}

/** Registers /notices: challenges, subscriptions, and the stream. */
export function registerNoticeRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const settings = resolveNoticeSettings(deps.config.notices);
  const hub = deps.hub ?? new RevocationHub();
  const slots = new NoticeStreamSlots(settings);

  registry.add({
    method: 'post',
    path: '/notices/challenges',
    operationId: 'createNoticeChallenge',
    summary: 'A single-use challenge for subscribing to an installation’s notices',
    tags: ['notices'],
    requestBody: { mediaType: 'application/json', schema: NoticeChallengeRequestSchema },
    responses: {
      201: { description: 'a fresh challenge', schema: NoticeChallengeSchema },
      400: problemResponse('invalid body'),
    },
  });
  app.post('/notices/challenges', validBody('json', NoticeChallengeRequestSchema), async (c) => {
    const { installationId } = validJson<{ installationId: string }>(c);
    const ch = await issueChallenge(
      deps.store,
      randomOf(deps),
      deps.clock(),
      noticeChallengePurpose(installationId),
      settings.challengeTtlSeconds,
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ challenge: ch.challengeId, expiresAt: ch.expiresAt.toISOString() }, 201);
  });

  registry.add({
    method: 'post',
    path: '/notices/subscriptions',
    operationId: 'subscribeToNotices',
    summary: 'A short-lived token for the notices stream, on a signature by a key of the installation',
    tags: ['notices'],
    requestBody: { mediaType: 'application/json', schema: NoticeSubscriptionRequestSchema },
    responses: {
      201: { description: 'the subscription token', schema: NoticeSubscriptionSchema },
      400: problemResponse('invalid body; unknown or expired challenge'),
      401: problemResponse('the proof does not verify with a key of the installation'),
      409: problemResponse('the challenge was used before'),
    },
  });
  app.post('/notices/subscriptions', validBody('json', NoticeSubscriptionRequestSchema), async (c) => {
    const body = validJson<{ installationId: string; challenge: string; proof: NoticeProof }>(c);
    const now = deps.clock();
    challengeBytesOf(body.challenge);
    // Spent before the proof is checked: a failed attempt burns its challenge, so none can be retried.
    await consumeChallenge(deps.store, body.challenge, now, noticeChallengePurpose(body.installationId));
    const installation = await deps.store.installations.get(body.installationId);
    const credentials =
      installation === undefined ? [] : await deps.store.credentials.listByInstallation(installation.id);
    const keys = proofKeysOf(credentials, body.proof.alg);
    const message = noticeProofMessage(deps.config.origin, body.installationId, body.challenge);
    if (!verifyNoticeProof(keys, body.proof.alg, body.proof.signature, message))
      throw new IssuerError(
        'ISSUER_NOTICES_PROOF_INVALID',
        'the signature does not verify with a key of this installation',
      );
    const token = Buffer.from(randomOf(deps)(new Uint8Array(32))).toString('base64url');
    const expiresAt = now.getTime() + settings.tokenTtlSeconds * 1000;
    await deps.store.notices.createSubscription(
      { token, installationId: body.installationId, expiresAt },
      now.getTime(),
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ token, tokenType: 'Bearer', expiresAt: new Date(expiresAt).toISOString() }, 201);
  });

  registry.add({
    method: 'get',
    path: '/notices',
    operationId: 'streamNotices',
    summary: 'The installation’s notices as server-sent events (resume with Last-Event-ID)',
    tags: ['notices'],
    responses: {
      200: { description: 'text/event-stream: id = seq, event = kind, data = JSON' },
      400: problemResponse('Last-Event-ID is not a notice number'),
      401: problemResponse('no, wrong or expired subscription token'),
      410: problemResponse('the installation ended and this client heard its last notice'),
      429: problemResponse('too many streams for this installation'),
      503: problemResponse('too many streams on this instance'),
    },
    security: ['noticeSubscription'],
  });
  app.get('/notices', async (c) => {
    const now = deps.clock().getTime();
    const token = bearerTokenOf(c.req.header('authorization'));
    const grant = token === undefined ? undefined : await deps.store.notices.findSubscription(token, now);
    if (grant === undefined) {
      c.header('WWW-Authenticate', `Bearer realm="mynakit issuer", error="invalid_token"`);
      return problem(
        c,
        401,
        'ISSUER_NOTICES_TOKEN_INVALID',
        'Invalid notices subscription token',
        'subscribe with POST /notices/subscriptions and send the token as Authorization: Bearer',
      );
    }
    const lastEventId = lastEventIdOf(c.req.header('last-event-id'), c.req.query('lastEventId'));
    if (lastEventId === undefined)
      return problem(
        c,
        400,
        'ISSUER_INVALID_INPUT',
        'Invalid input',
        'Last-Event-ID must be a notice number',
      );
    const installation = await deps.store.installations.get(grant.installationId);
    const ended =
      installation === undefined || installation.state === 'superseded' || installation.state === 'failed';
    const lastSeq = await deps.store.notices.lastSeq(grant.installationId);
    if (ended && lastEventId >= lastSeq)
      return problem(
        c,
        410,
        'ISSUER_NOTICES_ENDED',
        'No more notices for this installation',
        'the installation ended and its last notice was received',
      );
    const release = slots.take(grant.installationId);
    if (release === 'installation')
      return problem(
        c,
        429,
        'ISSUER_NOTICES_TOO_MANY_STREAMS',
        'Too many notice streams for this installation',
        'close another stream of this installation first',
      );
    if (release === 'process') {
      c.header('Retry-After', '5');
      return problem(c, 503, 'ISSUER_NOTICES_UNAVAILABLE', 'No notice stream available now', 'retry later');
    }
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, (stream) =>
      runNoticeStream(stream, {
        deps,
        hub,
        settings,
        installationId: grant.installationId,
        // An id beyond the last notice was never sent by this issuer: resume after the last one there is.
        lastEventId: Math.min(lastEventId, lastSeq),
        expiresAt: grant.expiresAt,
        ended,
        release,
      }),
    );
  });
}
