import {
  type Certificate,
  certIdMatches,
  isoTime,
  parseOcspResponse,
  type VerifyOcspResponseOptions,
  verifyOcspResponse,
} from '@mynakit/pki';
import { revocationAnswer } from './revocation-answer.js';
import type { RevocationAnswer, RevocationSource } from './revocation-source.js';

/**
 * A revocation source over an OCSP response the caller already has (RFC 6960): the CLI's `--ocsp FILE`,
 * a response stapled by a wallet, or one a service fetched from our own responder. Usable only when signed
 * by the CA or a responder it authorised, its CertID names this certificate and issuer, and `now` lies in
 * [thisUpdate, nextUpdate] (offline responses carry no nonce, so the window is the freshness test).
 * A responder answering "unknown" does not vouch for the certificate: unusable. An authentic response
 * that says "revoked" (other than certificateHold) proves revocation even outside its window or without a
 * nextUpdate: revocation is final; only "good" needs freshness.
 */
export function ocspRevocationSource(
  responseDer: Uint8Array,
  options: {
    label?: string;
    trustedResponders?: readonly Certificate[];
    nonce?: Uint8Array;
    /** Accept a SHA-1 signed response (default false: refused, as by @mynakit/pki). */
    allowSha1?: boolean;
    /** Tolerance for thisUpdate / nextUpdate against `now`, in seconds (default 0; @mynakit/pki). */
    clockToleranceSeconds?: number;
  } = {},
): RevocationSource {
  const label = options.label ?? 'OCSP';
  return {
    kind: 'OCSP',
    label,
    async check(certificate, issuer, now): Promise<RevocationAnswer> {
      const opts: { -readonly [K in keyof VerifyOcspResponseOptions]: VerifyOcspResponseOptions[K] } = {
        certificate,
        issuerCertificate: issuer,
        now,
      };
      if (options.trustedResponders !== undefined) opts.trustedResponders = options.trustedResponders;
      if (options.nonce !== undefined) opts.nonce = options.nonce;
      if (options.allowSha1 === true) opts.allowSha1 = true;
      if (options.clockToleranceSeconds !== undefined)
        opts.clockToleranceSeconds = options.clockToleranceSeconds;
      const v = verifyOcspResponse(responseDer, opts);
      const window =
        v.thisUpdate !== undefined
          ? `, thisUpdate ${isoTime(v.thisUpdate)}${v.nextUpdate !== undefined ? ` nextUpdate ${isoTime(v.nextUpdate)}` : ''}`
          : '';
      switch (v.status) {
        case 'revoked':
          return revocationAnswer('OCSP', label, 'revoked', `responder says revoked${window}`, {
            reason: v.reason,
            revocationDate: v.revocationTime,
          });
        case 'good':
          return revocationAnswer('OCSP', label, 'good', `responder says good${window}`);
        case 'unknown':
          return revocationAnswer(
            'OCSP',
            label,
            'unusable',
            `responder does not know the certificate${window}`,
          );
        default: {
          const authentic =
            v.checks.some((c) => c.id === 'ocsp.freshness' && c.status === 'undetermined') &&
            v.checks.every((c) => c.id === 'ocsp.freshness' || c.status !== 'failed');
          const revoked = authentic ? finalRevocation(responseDer, certificate, issuer, now) : undefined;
          if (revoked !== undefined) {
            return revocationAnswer(
              'OCSP',
              label,
              'revoked',
              `authentic response says revoked, though not current (${v.detail}); revocation is final`,
              { reason: revoked.reason, revocationDate: revoked.revocationTime },
            );
          }
          return revocationAnswer('OCSP', label, 'unusable', v.detail);
        }
      }
    },
  };
}

/** The revocation in an (already authenticated) response for this certificate, when final and not after `now`. */
function finalRevocation(
  der: Uint8Array,
  certificate: Certificate,
  issuer: Certificate,
  now: Date,
): { revocationTime: Date; reason?: RevocationAnswer['reason'] } | undefined {
  try {
    const single = parseOcspResponse(der).basic?.responses.find((s) =>
      certIdMatches(s.certId, certificate, issuer),
    );
    if (
      single?.status !== 'revoked' ||
      single.reason === 'certificateHold' ||
      single.revocationTime === undefined ||
      single.revocationTime > now
    ) {
      return undefined;
    }
    return {
      revocationTime: single.revocationTime,
      ...(single.reason !== undefined ? { reason: single.reason } : {}),
    };
  } catch {
    return undefined;
  }
}
