import { type Crl, checkCertificateAgainstCrl, lookupInCrl, parseCrl } from '@mynakit/pki';
import { revocationAnswer } from './revocation-answer.js';
import type { RevocationAnswer, RevocationSource } from './revocation-source.js';

/**
 * A revocation source over a CRL the caller already has (RFC 5280 §5, §6.3): the CLI's `--crl FILE`, a
 * CRL a service downloaded from our own issuer. Usable only when it is signed by the certificate's issuer,
 * current at `now` (thisUpdate ≤ now ≤ nextUpdate; past nextUpdate it is stale), and its scope covers the
 * certificate (JPKI partitions user-authentication CRLs by municipality). A delta CRL or a CRL for only
 * some reasons can prove "revoked" but never "good" on its own. So can a stale CRL: revocation is final
 * (except certificateHold), so an authentic CRL past nextUpdate that lists the certificate still proves it
 * revoked — staleness only takes away its power to say "good". A CRL signed with SHA-1 is unusable unless
 * `options.allowSha1` (the default of @mynakit/pki).
 */
export function crlRevocationSource(
  crlDer: Uint8Array,
  label = 'CRL',
  options: {
    readonly allowSha1?: boolean;
    /** Tolerance for thisUpdate / nextUpdate against `now`, in seconds (default 0; @mynakit/pki verifyCrl). */
    readonly clockToleranceSeconds?: number;
  } = {},
): RevocationSource {
  const allowSha1 = options.allowSha1 === true;
  const tolerance = options.clockToleranceSeconds;
  let crl: Crl | undefined;
  let malformed: string | undefined;
  try {
    crl = parseCrl(crlDer);
  } catch (e) {
    malformed = e instanceof Error ? e.message : 'malformed';
  }
  const source = crl?.crlNumber !== undefined ? `${label} (number ${crl.crlNumber})` : label;
  return {
    kind: 'CRL',
    label: source,
    async check(certificate, issuer, now): Promise<RevocationAnswer> {
      if (crl === undefined)
        return revocationAnswer('CRL', source, 'unusable', `cannot read the CRL: ${malformed}`);
      const r = checkCertificateAgainstCrl(crl, {
        certificate,
        issuerCertificate: issuer,
        now,
        ...(allowSha1 ? { allowSha1 } : {}),
        ...(tolerance === undefined ? {} : { clockToleranceSeconds: tolerance }),
      });
      if (r.status === 'revoked') {
        return revocationAnswer('CRL', source, 'revoked', r.detail, r);
      }
      // pki says "good" only from a current, complete CRL for every reason (a delta CRL or one for only
      // some reasons comes back unusable when it does not list the certificate).
      if (r.status === 'good') {
        const window =
          crl.nextUpdate !== undefined
            ? `, current ${crl.thisUpdate.toISOString()} – ${crl.nextUpdate.toISOString()}`
            : '';
        return revocationAnswer('CRL', source, 'good', `not listed${window}`);
      }
      const why = r.detail.replace(/^CRL not usable: /, '');
      // Only freshness is wrong (signature, issuer, scope fine): a final revocation still counts.
      const onlyFreshness =
        r.checks.every((c) => c.id === 'crl.freshness' || c.status !== 'failed') &&
        r.checks.some((c) => c.id === 'crl.freshness' && c.status === 'undetermined') &&
        r.checks.find((c) => c.id === 'crl.scope')?.status !== 'skipped';
      if (onlyFreshness) {
        const hit = lookupInCrl(crl, certificate);
        if (
          hit.revoked &&
          hit.reason !== 'certificateHold' &&
          hit.revocationDate !== undefined &&
          hit.revocationDate <= now
        ) {
          return revocationAnswer(
            'CRL',
            source,
            'revoked',
            `listed as revoked on an authentic CRL that is no longer current (${why}); revocation is final`,
            hit,
          );
        }
      }
      return revocationAnswer('CRL', source, 'unusable', why);
    },
  };
}
