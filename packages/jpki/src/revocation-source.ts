import type { Certificate } from '@mynakit/pki';
import { type Check, check } from '@mynakit/report';
import { revocationAnswer } from './revocation-answer.js';
import type { CrlReason } from './revocation-rules.js';

/**
 * Where revocation status comes from. A source answers for one certificate and its issuer at an explicit
 * time; it never reads a clock and never fetches by itself (a fetching source — an HTTP OCSP / CRL-DP
 * client of our own issuer, a platform operator's API — is another implementation of this interface,
 * with its fetcher injected).
 *
 * Fail closed: an answer is `good` only when the source is usable for this certificate at `now` (signed
 * by the right CA, inside its validity window, covering the certificate). Everything else — malformed,
 * stale, from another CA, another partition, a responder that does not know the certificate — is
 * `unusable`, never good.
 */
export type RevocationStatus = 'good' | 'revoked' | 'unusable';

export interface RevocationAnswer {
  /** `CRL`, `OCSP`, `in-memory`, … */
  readonly kind: string;
  /** Which source, e.g. `CRL #1 (number 42)`; never personal data. */
  readonly source: string;
  readonly status: RevocationStatus;
  readonly reason?: CrlReason;
  readonly revocationDate?: Date;
  readonly detail: string;
}

export interface RevocationSource {
  readonly kind: string;
  readonly label: string;
  check(certificate: Certificate, issuer: Certificate, now: Date): Promise<RevocationAnswer>;
}

/**
 * The one `status.revocation` check: any source says revoked → failed; else any usable source says
 * good → passed; else (no sources, or none usable) → undetermined. The detail names every source
 * consulted and what it said.
 */
export function combineRevocationAnswers(answers: readonly RevocationAnswer[]): Check {
  if (answers.length === 0) {
    return check(
      'status.revocation',
      'undetermined',
      'no revocation data given (no CRL, no OCSP response): status unknown',
    );
  }
  let summary = '';
  for (const a of answers) {
    const reason = a.reason !== undefined ? `, reason ${a.reason}` : '';
    const when = a.revocationDate !== undefined ? ` at ${a.revocationDate.toISOString()}` : '';
    const item = `${a.source}: ${a.status}${reason}${when} (${a.detail})`;
    summary = summary === '' ? item : `${summary}; ${item}`;
  }
  if (answers.some((a) => a.status === 'revoked'))
    return check('status.revocation', 'failed', `revoked — ${summary}`);
  if (answers.some((a) => a.status === 'good'))
    return check('status.revocation', 'passed', `not revoked — ${summary}`);
  return check('status.revocation', 'undetermined', `no usable revocation data — ${summary}`);
}

/** Asks every source; a source that throws is reported as unusable (a bug there must not pass as good). */
export async function consultRevocationSources(
  sources: readonly RevocationSource[],
  certificate: Certificate,
  issuer: Certificate,
  now: Date,
): Promise<RevocationAnswer[]> {
  const answers: RevocationAnswer[] = [];
  for (const s of sources) {
    try {
      answers.push(await s.check(certificate, issuer, now));
    } catch (e) {
      answers.push({
        kind: s.kind,
        source: s.label,
        status: 'unusable',
        detail: `source failed: ${e instanceof Error ? e.message : 'error'}`,
      });
    }
  }
  return answers;
}

/**
 * A source answering from a table held in memory — e.g. an issuer's own revocation records, or a
 * platform operator's answers already fetched. Entries are keyed by issuer SKI (or subject) and serial
 * (lowercase hex). Certificates of an issuer the table does not cover are `unusable`.
 */
export interface InMemoryRevocationEntry {
  readonly serialNumber: string;
  readonly status: 'good' | 'revoked';
  readonly reason?: CrlReason;
  readonly revocationDate?: Date;
}

export function inMemoryRevocationSource(options: {
  readonly label?: string;
  /** The issuer the table speaks for (its certificate); certificates of other issuers are unusable. */
  readonly issuer: Certificate;
  readonly entries: readonly InMemoryRevocationEntry[];
  /** Whether a serial not in the table is good (a complete table) or unusable (default). */
  readonly complete?: boolean;
}): RevocationSource {
  const label = options.label ?? 'in-memory';
  const bySerial = new Map(options.entries.map((e) => [e.serialNumber.toLowerCase(), e]));
  const answer = (
    status: RevocationStatus,
    detail: string,
    revoked?: { readonly reason?: CrlReason; readonly revocationDate?: Date },
  ): RevocationAnswer => revocationAnswer('in-memory', label, status, detail, revoked);
  return {
    kind: 'in-memory',
    label,
    async check(certificate, issuer, now) {
      if (issuer.fingerprint256 !== options.issuer.fingerprint256) {
        return answer('unusable', 'the table speaks for another issuer');
      }
      const e = bySerial.get(certificate.serialNumber.toLowerCase());
      if (e === undefined) {
        return options.complete === true
          ? answer('good', 'not listed in a complete table')
          : answer('unusable', 'the certificate is not in the table');
      }
      if (e.status === 'revoked' && (e.revocationDate === undefined || e.revocationDate <= now)) {
        return answer('revoked', 'listed as revoked', e);
      }
      return answer('good', 'listed as good');
    },
  };
}
