/**
 * JPKI certificate status through a platform operator (プラットフォーム事業者). Only authorised signature
 * verifiers and platform operators may query J-LIS (DOMAIN.md §3 "Status"): a relying party that is not a
 * signature verifier gets revocation data through a platform operator instead of asking the issuers' OCSP
 * responders and CRLs itself. The mynakit issuer offers that interface:
 *
 *   POST <origin>/platform/certificate-status     HTTP Basic (RFC 7617) client id and secret, role
 *     {"certificate": "<base64 DER>"}              `platform-status` (services/issuer/src/platform-status)
 *   → 200 {status: good | revoked | unknown, reason?, revokedAt?, producedAt, issuer, source}
 *
 * The operator is asked at the one origin the deployment configured for it — never at a URL a certificate
 * names (ARCHITECTURE.md rule 9). Its answer is not signed the way an OCSP response is: it is trusted for
 * coming from that configured origin over the operator's channel, in answer to this verifier's own client
 * credentials (which is why it must be configured, and why the credentials are the deployment's, never a
 * relying party's input).
 *
 * Fail closed (DOMAIN.md §4): `good` → good; `revoked` → revoked (with the RFC 5280 reason when it is one);
 * `unknown`, an unreachable operator, a redirect, any non-200 status (401 for wrong credentials, 422 for a
 * certificate it does not speak for, 503), a timeout, an oversized or malformed answer, or an answer produced
 * too far from `now` → unusable, which makes `status.revocation` undetermined and leaves the decision to the
 * relying party's revocation policy. Nothing of the certificate and never the credentials reach the
 * consultation, a log line or an error message: the consultation names the URL asked and what it gave.
 */
import type { RevocationAnswer, RevocationSource } from '@mynakit/jpki';
import { CRL_REASONS, type CrlReason } from '@mynakit/pki';
import { z } from 'zod';
import { VerifierError } from '../errors.js';
import { checkClientCredentials, postWithClientCredentials } from '../http/client-credentials.js';
import { DEFAULT_JPKI_STATUS_TIMEOUT_MS, type JpkiStatusConsultation } from './jpki-status.js';

/** The path of the platform operator's status interface under its origin (the mynakit issuer's). */
export const PLATFORM_STATUS_PATH = '/platform/certificate-status';
/** Largest answer read, bytes (a few short JSON members). */
export const MAX_PLATFORM_STATUS_RESPONSE_BYTES = 16 * 1024;
/**
 * How far the answer's `producedAt` may lie from the verification's `now`, ms. The operator answers from
 * its register at the time of the request; an answer produced much earlier (a cache in between) or in the
 * future (a clock far off) is not the current status.
 */
export const MAX_PLATFORM_STATUS_SKEW_MS = 5 * 60_000;

/** The platform operator this deployment gets JPKI status from (JpkiStatusConfig.platformOperator). */
export interface PlatformOperatorConfig {
  /**
   * The operator's origin, e.g. `https://platform.example`: `POST <origin>/platform/certificate-status` is
   * the only URL ever asked. Configured by the deployment, never taken from a certificate.
   */
  readonly origin: string;
  /** The client id the operator issued to this verifier (the mynakit issuer's `/rp-clients`). */
  readonly clientId: string;
  /** Its secret. Never logged, never written into a record. */
  readonly clientSecret: string;
}

/** Where a relying party's JPKI status comes from (RelyingPartyConfig.jpkiStatusVia). */
export type JpkiStatusVia = 'issuer' | 'platform-operator';

/**
 * The configuration, checked: an origin in its serialised form (`https://host[:port]`, http allowed for
 * loopback-style development deployments too, as for the other status origins) and credentials that fit an
 * HTTP Basic header. VERIFIER_INVALID_INPUT otherwise, naming what is wrong but never the secret.
 */
export function checkPlatformOperatorConfig(config: PlatformOperatorConfig): PlatformOperatorConfig {
  let url: URL;
  try {
    url = new URL(config.origin);
  } catch (e) {
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'the platform operator origin is not a URL', {
      cause: e,
    });
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.origin !== config.origin.replace(/\/+$/, '')
  )
    throw new VerifierError(
      'VERIFIER_INVALID_INPUT',
      'the platform operator origin must be an origin: http(s)://host[:port], no path',
    );
  checkClientCredentials('the platform operator', config.clientId, config.clientSecret);
  return { origin: url.origin, clientId: config.clientId, clientSecret: config.clientSecret };
}

/** The operator's answer (services/issuer/src/platform-status/routes.ts); unknown members are ignored. */
const PlatformStatusAnswerSchema = z.object({
  status: z.enum(['good', 'revoked', 'unknown']),
  reason: z.string().max(64).optional(),
  revokedAt: z.iso.datetime({ offset: true }).optional(),
  producedAt: z.iso.datetime({ offset: true }),
  issuer: z.string().max(200),
  source: z.string().max(200),
});

const CRL_REASON_SET: ReadonlySet<string> = new Set<string>(CRL_REASONS);

class AskFailure extends Error {}

/** A RevocationAnswer of this source. */
function revocationAnswer(
  kind: string,
  source: string,
  status: RevocationAnswer['status'],
  detail: string,
  revoked?: { readonly reason: CrlReason | undefined; readonly revocationDate: Date | undefined },
): RevocationAnswer {
  return {
    kind,
    source,
    status,
    ...(revoked?.reason === undefined ? {} : { reason: revoked.reason }),
    ...(revoked?.revocationDate === undefined ? {} : { revocationDate: revoked.revocationDate }),
    detail,
  };
}

/** Reads at most `maxBytes` of the body; AskFailure('too large') beyond. */

/**
 * A @mynakit/jpki RevocationSource asking the platform operator (see the file comment). `observe` receives
 * one consultation per certificate checked, of kind `platform-operator`.
 */
export function platformOperatorStatusSource(
  config: PlatformOperatorConfig | undefined,
  transport: {
    readonly fetch?: (request: Request) => Promise<Response>;
    readonly timeoutMs?: number;
  },
  observe: (consultation: JpkiStatusConsultation) => void,
): RevocationSource {
  const label = 'platform operator';
  const timeoutMs = transport.timeoutMs ?? DEFAULT_JPKI_STATUS_TIMEOUT_MS;
  return {
    kind: 'platform-operator',
    label,
    async check(certificate, _issuer, now) {
      const attempts: { url: string; outcome: string }[] = [];
      const finish = (
        answer: RevocationAnswer,
        url: string | null,
        answered: boolean,
        producedAt?: string,
      ): RevocationAnswer => {
        observe({
          kind: 'platform-operator',
          source: url,
          checkedAt: now.getTime(),
          via: answered ? 'network' : 'failed',
          outcome: answer.status,
          attempts,
          ...(producedAt === undefined ? {} : { producedAt }),
        });
        return answer;
      };
      const unusable = (detail: string) => revocationAnswer('platform-operator', label, 'unusable', detail);

      if (config === undefined)
        return finish(unusable('no platform operator is configured for this verifier'), null, false);
      const url = `${config.origin}${PLATFORM_STATUS_PATH}`;
      const posted = await postWithClientCredentials(
        url,
        { certificate: Buffer.from(certificate.der).toString('base64') },
        config,
        { ...transport, timeoutMs, maxBytes: MAX_PLATFORM_STATUS_RESPONSE_BYTES },
      );
      if (!posted.ok) {
        attempts.push({ url, outcome: posted.outcome });
        return finish(unusable(`no answer — ${url}: ${posted.outcome}`), url, false);
      }
      const body = posted.body;

      let parsed: z.infer<typeof PlatformStatusAnswerSchema>;
      try {
        const result = PlatformStatusAnswerSchema.safeParse(JSON.parse(new TextDecoder().decode(body)));
        if (!result.success) throw new AskFailure('malformed answer');
        parsed = result.data;
      } catch {
        attempts.push({ url, outcome: 'malformed answer' });
        return finish(unusable(`${url} gave a malformed answer`), url, true);
      }
      const producedAt = new Date(parsed.producedAt);
      if (Math.abs(producedAt.getTime() - now.getTime()) > MAX_PLATFORM_STATUS_SKEW_MS) {
        attempts.push({ url, outcome: 'stale answer' });
        return finish(
          unusable(`the answer was produced at ${producedAt.toISOString()}, too far from the verification`),
          url,
          true,
          producedAt.toISOString(),
        );
      }
      attempts.push({ url, outcome: parsed.status });
      if (parsed.status === 'good')
        return finish(
          revocationAnswer('platform-operator', label, 'good', `good as of ${producedAt.toISOString()}`),
          url,
          true,
          producedAt.toISOString(),
        );
      if (parsed.status === 'revoked') {
        const reason =
          parsed.reason !== undefined && CRL_REASON_SET.has(parsed.reason)
            ? (parsed.reason as CrlReason)
            : undefined;
        const revocationDate = parsed.revokedAt === undefined ? undefined : new Date(parsed.revokedAt);
        return finish(
          revocationAnswer(
            'platform-operator',
            label,
            'revoked',
            `revoked as of ${producedAt.toISOString()}`,
            { reason, revocationDate },
          ),
          url,
          true,
          producedAt.toISOString(),
        );
      }
      return finish(
        unusable('the platform operator does not know the certificate (unknown)'),
        url,
        true,
        producedAt.toISOString(),
      );
    },
  };
}
