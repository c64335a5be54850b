/**
 * The status of one certificate issued by a sandbox JPKI CA generation, from the issuer's database — what
 * the OCSP responder and the platform status API answer (DOMAIN.md §3 "Status"):
 *
 * - a smartphone certificate (`credentials`): `good` while active; `revoked` with its instant and CRLReason
 *   once revoked — certificateHold included (RFC 5280 §5.3.1: on hold is revoked until released);
 * - a card's own certificate (`cards`, issued by the same CAs): `good` while the card is in force, `revoked`
 *   once it is not (the register keeps no CRLReason for cards: none is given);
 * - anything else — a serial the generation never issued, a certificate only staged for a pending iPhone
 *   installation (not yet in force), or a serial recorded under another generation — `unknown`
 *   (RFC 6960 §2.2: the responder does not know about it), which a relying party treats as not valid.
 */
import { type CrlReason, CRL_REASONS, parseCertificate } from '@mynakit/pki';
import { issuingGenerationOf, type JpkiCaGeneration, jpkiCaIndexOf } from '../crl/jpki-scopes.js';
import type { IssuerDeps } from '../context.js';
import { certificateStatusRepositoryOf } from '../store/certificate-status-repository.js';

/** What the database says about one certificate. */
export type CertificateStatus =
  | { readonly status: 'good' }
  | { readonly status: 'unknown' }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason?: CrlReason };

const REASONS: ReadonlySet<string> = new Set<string>(CRL_REASONS);
const GOOD: CertificateStatus = Object.freeze({ status: 'good' });
const UNKNOWN: CertificateStatus = Object.freeze({ status: 'unknown' });

/**
 * The status of the certificate with `serial` (normalised lower-case hex) issued by `generation`. Rejects
 * when the database cannot be read (the caller answers tryLater / 503, never a status).
 */
export async function certificateStatusOf(
  deps: Pick<IssuerDeps, 'store' | 'hierarchy'>,
  generation: JpkiCaGeneration,
  serial: string,
): Promise<CertificateStatus> {
  const statuses = certificateStatusRepositoryOf(deps.store.db);
  const row = await statuses.bySerial(generation.kind, serial);
  if (row !== undefined) {
    if (row.issuerCertificate === null) {
      // Recorded before the issuing CA's name was kept: the certificate itself says.
      const der = await statuses.certificateBySerial(generation.kind, serial);
      if (der === undefined || !issuedBy(deps, der, generation)) return UNKNOWN;
    } else if (row.issuerCertificate !== generation.name) return UNKNOWN;
    if (row.state === 'active') return GOOD;
    return revoked(row.revokedAt, row.reason);
  }
  const card = await deps.store.cards.getByCertificateSerial(
    generation.kind === 'jpki-sign' ? 'sign' : 'auth',
    serial,
  );
  const der = card === undefined ? null : generation.kind === 'jpki-sign' ? card.signCert : card.authCert;
  if (card === undefined || der === null || !issuedBy(deps, der, generation)) return UNKNOWN;
  if (card.state === 'active') return GOOD;
  return revoked(card.revokedAt, null);
}

function revoked(revokedAt: number | null, reason: string | null): CertificateStatus {
  // A revoked row always has its instant (RevocationRepository); without one, nothing can be asserted.
  if (revokedAt === null) return UNKNOWN;
  return reason !== null && REASONS.has(reason)
    ? { status: 'revoked', revokedAt: new Date(revokedAt), reason: reason as CrlReason }
    : { status: 'revoked', revokedAt: new Date(revokedAt) };
}

function issuedBy(
  deps: Pick<IssuerDeps, 'hierarchy'>,
  der: Uint8Array,
  generation: JpkiCaGeneration,
): boolean {
  try {
    return issuingGenerationOf(jpkiCaIndexOf(deps.hierarchy), parseCertificate(der)) === generation;
  } catch {
    return false;
  }
}
