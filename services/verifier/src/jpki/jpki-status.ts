/**
 * The status of a JPKI certificate, asked of the issuers the deployment configured and of nobody else
 * (ARCHITECTURE.md rule 9; DOMAIN.md §3 "Status"): OCSP first (RFC 6960, a POST of the DER OCSPRequest with
 * a fresh nonce, RFC 8954), then — when no responder gave a usable answer — the certificate's CRL (RFC 5280
 * §5) as a fallback. The certificate's own pointers (the OCSP URL in its AIA, a URI distribution point) are
 * followed only when their origin is configured; JPKI's directoryName distribution points (partitioned by
 * municipality) are found in the issuer's CRL index (`GET <origin>/crl`, mynakit issuer), whose CRL URLs
 * must again be on a configured origin. A certificate chosen by whoever presents it must never steer the
 * verifier's requests elsewhere.
 *
 * @mynakit/jpki judges every answer (ocspRevocationSource, crlRevocationSource): signed by the CA or its
 * delegated responder, current at `now`, covering this certificate. Fail closed: unreachable, malformed,
 * stale, "unknown" → unusable, which makes `status.revocation` undetermined and leaves the decision to the
 * relying party's policy (revocation/revocation-policy.ts). What was asked, where and when is observed for
 * the verification record.
 */

import { randomBytes } from 'node:crypto';
import { readBoundedBody } from '@mynakit/http-kit';
import {
  crlRevocationSource,
  ocspRevocationSource,
  type RevocationAnswer,
  type RevocationSource,
} from '@mynakit/jpki';
import { type Certificate, createOcspRequest, OID } from '@mynakit/pki';
import type { PlatformOperatorConfig } from './platform-operator-status.js';

/** RFC 6960 Appendix C.1. */
const OCSP_REQUEST_MEDIA_TYPE = 'application/ocsp-request';
/** RFC 6960 Appendix C.2. */
const OCSP_RESPONSE_MEDIA_TYPE = 'application/ocsp-response';
/** RFC 2585 §4.2. */
const CRL_MEDIA_TYPE = 'application/pkix-crl';

/** Largest OCSP response read, bytes (one SingleResponse with the responder's certificate). */
export const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;
/** Largest CRL or CRL index read, bytes (a municipality's partition; the index of ≤ 10 000 partitions). */
export const MAX_CRL_BYTES = 8 * 1024 * 1024;
/** Default time allowed for one fetch, ms. */
export const DEFAULT_JPKI_STATUS_TIMEOUT_MS = 5_000;
/**
 * How far a status document's thisUpdate may lie after the verification time, and its nextUpdate before it,
 * in seconds. The verification time is fixed when the answer arrives and the OCSP response or CRL is fetched
 * afterwards — a responder signing "now" one second later, or running a few seconds ahead, produced a
 * thisUpdate "in the future" and an undetermined status. A minute covers that and ordinary clock drift
 * between hosts; OpenSSL allows five minutes for OCSP by default.
 */
export const STATUS_CLOCK_TOLERANCE_SECONDS = 60;
/** At most this many responders and CRLs are asked for one certificate. */
const MAX_ATTEMPTS = 6;
/** At most this many entries of a CRL index are read. */
const MAX_INDEX_ENTRIES = 10_000;

/** Where the verifier may ask about JPKI certificates (VerifierDeps.jpkiStatus). */
export interface JpkiStatusConfig {
  /**
   * The issuers' origins (e.g. `https://issuer.example`): OCSP at `<origin>/ocsp`, CRLs through
   * `<origin>/crl`; the only hosts ever fetched. Empty: nothing is asked, every status is undetermined.
   */
  readonly origins: readonly string[];
  /** The fetch to use (default the global one); the sandbox hands in the issuer app's. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Time allowed per fetch, ms (default DEFAULT_JPKI_STATUS_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /**
   * The platform operator (プラットフォーム事業者) relying parties with `jpkiStatusVia: 'platform-operator'` get
   * their JPKI status from (platform-operator-status.ts): its own configured origin and this verifier's
   * client credentials there. Absent: such parties' JPKI status is undetermined and their policy decides.
   */
  readonly platformOperator?: PlatformOperatorConfig;
}

/** One status consultation, as the verification record keeps it (revocationCheck). */
export interface JpkiStatusConsultation {
  /**
   * `OCSP` or `CRL`: the kind of the answer used (or of the last one tried); `platform-operator`: the
   * platform operator's status interface was asked (platform-operator-status.ts).
   */
  readonly kind: 'OCSP' | 'CRL' | 'platform-operator' | 'none';
  /** The URL asked whose answer was used (or the last one tried); null when nothing could be asked. */
  readonly source: string | null;
  /** When the check ran (epoch ms). */
  readonly checkedAt: number;
  /** `network`: an answer was fetched; `failed`: no fetch gave an answer. */
  readonly via: 'network' | 'failed';
  /** good, revoked or unusable (@mynakit/jpki RevocationStatus). */
  readonly outcome: RevocationAnswer['status'];
  /** Every URL asked, in order, with what it gave (no personal data: URLs of the issuer's services). */
  readonly attempts: readonly { readonly url: string; readonly outcome: string }[];
  /** The platform operator's `producedAt` (ISO 8601), when its answer was read. */
  readonly producedAt?: string;
}

class FetchFailure extends Error {}

/** A GET or POST to a configured origin only, bounded in time and size, following no redirect. */
function boundedFetcher(config: JpkiStatusConfig) {
  const allowed = new Set(config.origins);
  const doFetch = config.fetch ?? ((request: Request) => fetch(request));
  const timeoutMs = config.timeoutMs ?? DEFAULT_JPKI_STATUS_TIMEOUT_MS;
  const allows = (url: string): boolean => {
    try {
      const u = new URL(url);
      return (u.protocol === 'https:' || u.protocol === 'http:') && allowed.has(u.origin);
    } catch {
      return false;
    }
  };
  const send = async (url: string, init: RequestInit, maxBytes: number): Promise<Uint8Array> => {
    if (!allows(url)) throw new FetchFailure('origin not configured');
    let response: Response;
    try {
      response = await doFetch(
        new Request(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) }),
      );
    } catch {
      throw new FetchFailure('unreachable');
    }
    if (!response.ok) throw new FetchFailure(`HTTP ${response.status}`);
    const bytes = await readBoundedBody(response, maxBytes);
    if (bytes === undefined) throw new FetchFailure('too large');
    return bytes;
  };
  return { allows, send };
}

/** The OCSP URLs of a certificate's AIA (RFC 5280 §4.2.2.1, id-ad-ocsp). */
function aiaOcspUrls(certificate: Certificate): string[] {
  const out: string[] = [];
  for (const ad of certificate.authorityInfoAccess.slice(0, 8))
    if (ad.method === OID.ocsp && ad.location.type === 'uniformResourceIdentifier')
      out.push(ad.location.value);
  return out;
}

/** The certificate's CRL distribution points: URIs and directoryNames (string form). */
function distributionPoints(certificate: Certificate): { uris: string[]; directoryNames: string[] } {
  const uris: string[] = [];
  const directoryNames: string[] = [];
  for (const dp of certificate.crlDistributionPoints.slice(0, 8)) {
    const name = dp.distributionPoint;
    if (name === undefined || !('fullName' in name)) continue;
    for (const n of name.fullName.slice(0, 8)) {
      if (n.type === 'uniformResourceIdentifier') uris.push(n.value);
      else if (n.type === 'directoryName') directoryNames.push(n.value);
    }
  }
  return { uris, directoryNames };
}

/** The CRL URLs an issuer's index (`GET /crl`) gives for these distribution-point names. */
function crlUrlsFromIndex(index: unknown, directoryNames: readonly string[]): string[] {
  if (typeof index !== 'object' || index === null || !Object.hasOwn(index, 'partitions')) return [];
  const partitions = (index as { partitions: unknown }).partitions;
  if (!Array.isArray(partitions)) return [];
  const wanted = new Set(directoryNames);
  const out: string[] = [];
  for (const p of partitions.slice(0, MAX_INDEX_ENTRIES)) {
    if (typeof p !== 'object' || p === null) continue;
    const dp = Object.hasOwn(p, 'distributionPoint')
      ? (p as { distributionPoint: unknown }).distributionPoint
      : undefined;
    const url = Object.hasOwn(p, 'url') ? (p as { url: unknown }).url : undefined;
    if (typeof dp === 'string' && typeof url === 'string' && wanted.has(dp)) out.push(url);
  }
  return out;
}

function unique(urls: readonly string[]): string[] {
  return [...new Set(urls)];
}

/**
 * A @mynakit/jpki RevocationSource asking the configured issuers (see the file comment): the first usable
 * answer (good or revoked) wins — OCSP responders first, CRLs after; when none is usable, the last answer
 * says why. `observe` receives one consultation per certificate checked.
 */
export function jpkiStatusSource(
  config: JpkiStatusConfig,
  observe: (consultation: JpkiStatusConsultation) => void,
): RevocationSource {
  const { allows, send } = boundedFetcher(config);
  const origins = config.origins.map((o) => o.replace(/\/+$/, ''));
  return {
    kind: 'OCSP+CRL',
    label: 'configured JPKI status services',
    async check(certificate, issuer, now) {
      const attempts: { url: string; outcome: string }[] = [];
      let last: { answer: RevocationAnswer; url: string; kind: 'OCSP' | 'CRL' } | undefined;
      const finish = (answer: RevocationAnswer, kind: 'OCSP' | 'CRL' | 'none', url: string | null) => {
        observe({
          kind,
          source: url,
          checkedAt: now.getTime(),
          via: answer.status === 'unusable' && last === undefined ? 'failed' : 'network',
          outcome: answer.status,
          attempts,
        });
        return answer;
      };

      // OCSP: the certificate's responders on configured origins, then each configured issuer's /ocsp.
      const ocspUrls = unique([
        ...aiaOcspUrls(certificate).filter(allows),
        ...origins.map((o) => `${o}/ocsp`),
      ]).slice(0, MAX_ATTEMPTS);
      for (const url of ocspUrls) {
        const nonce = new Uint8Array(randomBytes(16));
        let der: Uint8Array;
        try {
          der = await send(
            url,
            {
              method: 'POST',
              headers: { 'content-type': OCSP_REQUEST_MEDIA_TYPE, accept: OCSP_RESPONSE_MEDIA_TYPE },
              body: createOcspRequest({ certificate, issuerCertificate: issuer, nonce }),
            },
            MAX_OCSP_RESPONSE_BYTES,
          );
        } catch (e) {
          attempts.push({ url, outcome: e instanceof FetchFailure ? e.message : 'failed' });
          continue;
        }
        const answer = await ocspRevocationSource(der, {
          label: `OCSP ${url}`,
          nonce,
          clockToleranceSeconds: STATUS_CLOCK_TOLERANCE_SECONDS,
        }).check(certificate, issuer, now);
        attempts.push({ url, outcome: answer.status });
        last = { answer, url, kind: 'OCSP' };
        if (answer.status !== 'unusable') return finish(answer, 'OCSP', url);
      }

      // CRL fallback: URI distribution points on configured origins, then the issuers' indexes.
      const { uris, directoryNames } = distributionPoints(certificate);
      let crlUrls = uris.filter(allows);
      if (directoryNames.length > 0)
        for (const origin of origins) {
          if (crlUrls.length >= MAX_ATTEMPTS) break;
          const indexUrl = `${origin}/crl`;
          try {
            const text = new TextDecoder().decode(
              await send(indexUrl, { headers: { accept: 'application/json' } }, MAX_CRL_BYTES),
            );
            crlUrls.push(...crlUrlsFromIndex(JSON.parse(text) as unknown, directoryNames).filter(allows));
          } catch (e) {
            attempts.push({
              url: indexUrl,
              outcome: e instanceof FetchFailure ? e.message : 'unreadable index',
            });
          }
        }
      crlUrls = unique(crlUrls).slice(0, MAX_ATTEMPTS);
      for (const url of crlUrls) {
        let der: Uint8Array;
        try {
          der = await send(url, { headers: { accept: CRL_MEDIA_TYPE } }, MAX_CRL_BYTES);
        } catch (e) {
          attempts.push({ url, outcome: e instanceof FetchFailure ? e.message : 'failed' });
          continue;
        }
        const answer = await crlRevocationSource(der, `CRL ${url}`, {
          clockToleranceSeconds: STATUS_CLOCK_TOLERANCE_SECONDS,
        }).check(certificate, issuer, now);
        attempts.push({ url, outcome: answer.status });
        last = { answer, url, kind: 'CRL' };
        if (answer.status !== 'unusable') return finish(answer, 'CRL', url);
      }

      if (last !== undefined) return finish(last.answer, last.kind, last.url);
      const tried = attempts.map((a) => `${a.url}: ${a.outcome}`).join('; ');
      return finish(
        {
          kind: 'OCSP+CRL',
          source: 'configured JPKI status services',
          status: 'unusable',
          detail: tried === '' ? 'no status service is configured' : `no answer — ${tried}`,
        },
        'none',
        attempts.at(-1)?.url ?? null,
      );
    },
  };
}
