import {
  type DeviceResponseVerification,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from '@mynakit/mdoc';
import { type Check, ReportBuilder, type Verdict, verdictOf } from '@mynakit/report';
import { Oid4vpError, type Oid4vpErrorCode } from './errors.js';
import type { NonceStore } from './nonce-store.js';

/**
 * What a verifier gets back for one response on any channel (Annex C, OpenID4VP, proximity): the
 * channel checks (decryption, nonce, vp_token shape…) followed by each DeviceResponse's own checks from
 * `verifyDeviceResponse`. Verifiers report, they do not throw: malformed or hostile input is a failed
 * check, and `errorCode` names the first decisive failure with a stable code.
 *
 * Channel check ids (stable): `response.decode`, `response.decrypt`, `response.state`,
 * `request.nonce`, `response.vp_token`, `dcql.claims`, `session.transcript`.
 */
export interface PresentationVerification {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly presentations: readonly {
    /** The DCQL credential query id the presentation answers (OpenID4VP only). */
    readonly queryId?: string;
    readonly verification: DeviceResponseVerification;
  }[];
  /** The first decisive failure, when the verdict is not valid. */
  readonly errorCode?: Oid4vpErrorCode;
  /** The tag-24 SessionTranscriptBytes the verifier rebuilt and verified against. */
  readonly sessionTranscriptBytes?: Uint8Array;
}

/** Options handed to mdoc's `verifyDeviceResponse` (the transcript and docType come from the channel). */
export type MdocVerifyOptions = Omit<VerifyDeviceResponseOptions, 'sessionTranscriptBytes' | 'docType'>;

/** Collects channel checks and the first error code. */
export class ChannelReport {
  readonly builder = new ReportBuilder();
  readonly presentations: { queryId?: string; verification: DeviceResponseVerification }[] = [];
  errorCode: Oid4vpErrorCode | undefined;
  sessionTranscriptBytes: Uint8Array | undefined;

  passed(id: string, detail: string): void {
    this.builder.passed(id, detail);
  }

  warning(id: string, detail: string): void {
    this.builder.warning(id, detail);
  }

  failed(id: string, code: Oid4vpErrorCode, detail: string): void {
    this.builder.failed(id, detail);
    this.errorCode ??= code;
  }

  /** Records a thrown Oid4vpError as a failed check; rethrows anything else (programmer errors). */
  fromError(id: string, e: unknown): void {
    if (e instanceof Oid4vpError) this.failed(id, e.code, e.message);
    else throw e;
  }

  result(): PresentationVerification {
    const checks = [...this.builder.checks, ...this.presentations.flatMap((p) => p.verification.checks)];
    const verdict = verdictOf(checks);
    return {
      verdict,
      checks,
      presentations: this.presentations,
      ...(verdict !== 'valid' && this.errorCode !== undefined ? { errorCode: this.errorCode } : {}),
      ...(this.sessionTranscriptBytes ? { sessionTranscriptBytes: this.sessionTranscriptBytes } : {}),
    };
  }
}

const NONCE_CODES = {
  unknown: 'NONCE_UNKNOWN',
  replayed: 'NONCE_REUSED',
  expired: 'NONCE_EXPIRED',
  wrong_purpose: 'NONCE_MISMATCH',
} as const;

/** Consumes the request nonce once; records `request.nonce`. Returns false when the response must be refused. */
export async function consumeNonce(
  report: ChannelReport,
  store: NonceStore | undefined,
  nonce: string,
  purpose: string,
  now: Date,
): Promise<boolean> {
  if (!store) {
    report.builder.skipped('request.nonce', 'no nonce store: one-time use not enforced');
    return true;
  }
  const r = await store.consume({ nonce, purpose, now });
  if (r === 'consumed') {
    report.passed('request.nonce', 'the request nonce was issued here and is used for the first time');
    return true;
  }
  const code = NONCE_CODES[r];
  const why = {
    unknown: 'was never issued',
    replayed: 'was already used',
    expired: 'has expired',
    wrong_purpose: 'was issued for another purpose',
  }[r];
  report.failed('request.nonce', code, `the request nonce ${why}`);
  return false;
}

/**
 * Verifies one DeviceResponse against the transcript the verifier rebuilt. When the issuer part
 * verifies but device authentication does not, the likeliest cause is that the wallet signed another
 * SessionTranscript (other origin, nonce, client id, response URI or key): recorded as
 * `session.transcript` failed with TRANSCRIPT_MISMATCH.
 */
export async function verifyPresentedDeviceResponse(
  report: ChannelReport,
  deviceResponse: Uint8Array,
  sessionTranscriptBytes: Uint8Array,
  options: MdocVerifyOptions,
  expected: { queryId?: string; docType?: string },
): Promise<DeviceResponseVerification> {
  const verification = await verifyDeviceResponse(deviceResponse, {
    ...options,
    sessionTranscriptBytes,
    ...(expected.docType !== undefined ? { docType: expected.docType } : {}),
  });
  report.presentations.push(
    expected.queryId === undefined ? { verification } : { queryId: expected.queryId, verification },
  );
  const failed = (id: string) => verification.checks.some((c) => c.id === id && c.status === 'failed');
  const issuerOk =
    verification.checks.some((c) => c.id === 'issuer.signature' && c.status === 'passed') &&
    !failed('issuer.signature');
  if (issuerOk && (failed('device.signature') || failed('device.mac'))) {
    report.failed(
      'session.transcript',
      'TRANSCRIPT_MISMATCH',
      'device authentication fails with the SessionTranscript rebuilt from the request (origin, nonce, client id, response URI or encryption key differ)',
    );
  } else if (verification.verdict !== 'valid' && report.errorCode === undefined) {
    const first = verification.checks.find((c) => c.status === 'failed');
    report.errorCode = first?.id === 'decode' ? 'DECODE' : 'PRESENTATION_INVALID';
  }
  return verification;
}
