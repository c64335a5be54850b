/**
 * The content of the verification record (確認記録, DOMAIN.md §5; @mynakit/kyc requiredRecordFields) one
 * JPKI verification leaves: who verified (the relying party and its API key) and who recorded (this verifier
 * instance), when, the method with its letter on that JST date or the reasons none applies, the transaction's
 * type and date, what the customer declared (the purpose of the transaction and the occupation, recorded by
 * 取引時確認 under 犯収法; sessions/customer-declaration.ts; null when none), the certificate (serial and
 * issuer — 署名用電子証明書の発行番号), the revocation check with
 * its result, time and source (the OCSP responder or CRL asked, or the platform operator, kind
 * `platform-operator`, with the time it produced its answer), and the verification program.
 *
 * For a valid signature also the identity facts of the signature certificate (name, address, birth date and
 * sex) and, as the law asks for signature methods, the signature value (the whole SignedData), the signed
 * data when it was not inside it, and the signing certificate. A user-authentication certificate carries no
 * personal data: its record names the certificate and the holder's opaque id only. Never a PIN or password
 * (records/content-guard.ts refuses them), never My Number. A rejected verification is recorded too, without
 * identity facts or the signature: the failed check ids and why.
 */
import { createHash } from 'node:crypto';
import type { CertificateIdentity } from '@mynakit/jpki';
import { jstCalendarDate, type KycMethodResult } from '@mynakit/kyc';
import type { Check, Verdict } from '@mynakit/report';
import type { JsonValue } from '../records/canonical-json.js';
import type { RevocationDecision } from '../revocation/revocation-policy.js';
import { declarationRecordContent } from '../sessions/customer-declaration.js';
import type { RelyingParty } from '../store/relying-party-repository.js';
import type { JpkiSession, JpkiSessionKind } from './jpki-session-repository.js';
import type { JpkiStatusConsultation } from './jpki-status.js';
import type { JpkiIdentity } from './verify-jpki-answer.js';

/** The channel names written into records. */
export const JPKI_RECORD_CHANNEL: ReadonlyMap<JpkiSessionKind, string> = new Map<JpkiSessionKind, string>([
  ['authentication', 'jpki-user-authentication'],
  ['signature', 'jpki-signature'],
]);

/** What a JPKI record is made from. */
export interface JpkiRecordFacts {
  readonly party: RelyingParty;
  readonly session: JpkiSession;
  readonly kind: JpkiSessionKind;
  readonly credentialId: string;
  readonly writerId: string;
  readonly now: number;
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly kyc: KycMethodResult | undefined;
  /** The certificate presented, when it could be read. */
  readonly signer: CertificateIdentity | undefined;
  /** Signatures, when valid: the basic four. */
  readonly identity: JpkiIdentity | undefined;
  /** Signatures: what the law asks to attach. */
  readonly signature:
    | {
        readonly cms: Uint8Array;
        readonly detached: boolean;
        readonly content: Uint8Array;
        readonly signerDer: Uint8Array | undefined;
        readonly signingTime: Date | undefined;
      }
    | undefined;
  readonly decision: RevocationDecision;
  readonly consultation: JpkiStatusConsultation | undefined;
  readonly flags: readonly string[];
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The record content (canonical-JSON-ready, checked by records/content-guard.ts on append). */
export function jpkiRecordContent(f: JpkiRecordFacts): { [key: string]: JsonValue } {
  const program = f.party.config.verificationProgram;
  const method =
    f.kyc?.method != null
      ? {
          id: f.kyc.method.id,
          law: f.kyc.method.law,
          letter: f.kyc.method.letter,
          name_ja: f.kyc.method.name_ja,
        }
      : null;
  const reasons = f.kyc !== undefined && f.kyc.method === null ? f.kyc.reasons.map((r) => r.code) : [];
  const c = f.consultation;
  const valid = f.verdict === 'valid';
  const sig = f.signature;
  return {
    outcome: valid ? 'verified' : 'rejected',
    verdict: f.verdict,
    channel: JPKI_RECORD_CHANNEL.get(f.kind) ?? f.kind,
    sessionId: f.session.id,
    verifiedBy: { relyingPartyId: f.party.id, name: f.party.name, apiKeyId: f.credentialId },
    recordedBy: `mynakit verifier ${f.writerId}`,
    verifiedAt: new Date(f.now).toISOString(),
    law: f.party.config.law,
    method,
    methodDate: f.kyc?.date ?? jstCalendarDate(new Date(f.now)),
    methodReasons: reasons,
    transactionType: f.session.purpose,
    transactionDate: jstCalendarDate(new Date(f.now)),
    ...declarationRecordContent(f.session.declaration),
    // What the holder's key signed: the challenge, or the document (its SHA-256, hex).
    signedDataSha256: f.session.contentSha256,
    certificateSerial: f.signer?.serialNumber ?? null,
    certificateIssuer: f.signer?.issuer ?? null,
    certificateFingerprint256: f.signer?.fingerprint256 ?? null,
    certificateNotAfter: f.signer?.notAfter.toISOString() ?? null,
    ...(f.kind === 'authentication' && valid ? { holderId: f.signer?.subjectCommonName ?? null } : {}),
    ...(valid && f.identity !== undefined
      ? {
          name: f.identity.name,
          address: f.identity.address,
          birthDate: f.identity.birthDate,
          sex: f.identity.sex,
        }
      : {}),
    ...(valid && sig !== undefined
      ? {
          signatureValue: b64(sig.cms),
          signatureDetached: sig.detached,
          // Attached: the signed data is inside signatureValue; detached: it is kept beside it.
          signedData: sig.detached ? b64(sig.content) : null,
          signingCertificate: sig.signerDer === undefined ? null : b64(sig.signerDer),
          signingTime: sig.signingTime?.toISOString() ?? null,
        }
      : {}),
    revocationCheck: {
      result: f.decision.result,
      action: f.decision.action,
      checkedAt: new Date(c?.checkedAt ?? f.now).toISOString(),
      kind: c?.kind ?? null,
      source: c?.source ?? null,
      via: c?.via ?? null,
      outcome: c?.outcome ?? null,
      attempts: (c?.attempts ?? []).map((a) => ({ url: a.url, outcome: a.outcome })),
      // The platform operator's own time of its answer (absent for OCSP and CRLs, whose times are signed).
      ...(c?.producedAt === undefined ? {} : { producedAt: c.producedAt }),
    },
    program: { name: program.name, version: program.version, certified: program.certified },
    flags: [...f.flags],
    failedChecks: f.checks.filter((x) => x.status === 'failed').map((x) => x.id),
  };
}

/** SHA-256 of bytes, lower-case hex (a session's content digest). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
