/**
 * The verifier's report of a verification as the sandbox's Vite + Preact pages receive it from their JSON
 * routes (bank-pages.ts, jpki-bank-pages.ts, bank-branch-pages.ts, cross-device-pages.ts, carrier-pages.ts,
 * clinic-pages.ts, portal-pages.ts): the verdict, every check, the KYC method or why none applies (and the
 * letter a certified program would satisfy), the record — bounded, and without the disclosed values, which each route adds as it shows them. Check details never
 * carry personal data.
 */
import { methodsInForce } from '@mynakit/kyc';

/** The verdict and every check of a verification. */
export interface ChecksView {
  readonly verdict: string;
  readonly errorCode: string | null;
  readonly checks: readonly { id: string; status: string; detail: string | null }[];
}

/** The KYC method (or why none applies) and the verification record of a verification. */
export interface MethodAndRecordView {
  readonly method: {
    readonly id: string;
    readonly letter: string;
    readonly name_ja: string | null;
    readonly name_en: string | null;
  } | null;
  readonly methodReasons: readonly string[];
  readonly recordId: string | null;
  readonly flags: readonly string[];
}

/** The verdict, the checks and the KYC method (or why none applies) of a verification. */
export interface VerificationView extends ChecksView, MethodAndRecordView {}

/** The verifier's answer as the pages read it (its report, or a problem's members). */
export interface VerifierReport {
  verdict?: string;
  errorCode?: string;
  checks?: readonly { id: string; status: string; detail?: string }[];
  method?: { id: string; letter: string; name_ja?: string; name_en?: string } | null;
  methodReasons?: readonly string[];
  recordId?: string;
  flags?: readonly string[];
}

/** The strings of a received list, at most `max` of them. */
export const boundedStrings = (v: unknown, max: number): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, max) : [];

/** The verdict and the checks (at most 50) of the verifier's answer. */
export function checksView(answer: VerifierReport): ChecksView {
  return {
    verdict: answer.verdict ?? 'error',
    errorCode: answer.errorCode ?? null,
    checks: (answer.checks ?? [])
      .slice(0, 50)
      .map((k) => ({ id: k.id, status: k.status, detail: k.detail ?? null })),
  };
}

/** The method (or the reasons none applies) and the record of the verifier's answer, bounded. */
export function methodAndRecordView(answer: VerifierReport): MethodAndRecordView {
  return {
    method: answer.method
      ? {
          id: answer.method.id,
          letter: answer.method.letter,
          name_ja: answer.method.name_ja ?? null,
          name_en: answer.method.name_en ?? null,
        }
      : null,
    methodReasons: boundedStrings(answer.methodReasons, 20),
    recordId: answer.recordId ?? null,
    flags: boundedStrings(answer.flags, 20),
  };
}

/** The verifier's answer as a page shows it (bounded; check details never carry personal data). */
export function verificationView(answer: VerifierReport): VerificationView {
  return { ...checksView(answer), ...methodAndRecordView(answer) };
}

/** A 犯収法 method as @mynakit/kyc's table names it. */
export interface MethodIfCertifiedView {
  readonly id: string;
  readonly letter: string;
  readonly name_ja: string;
  readonly name_en: string;
}

/**
 * The letter the same record verification would satisfy today under a certified verification program
 * (@mynakit/kyc's dated table: ル until 2027-03-31, 新ト from 2027-04-01), shown beside the honest "none" of
 * the sandbox's uncertified one (DOMAIN.md §1): only for a valid verification that no method applies to
 * because the program is not certified.
 */
export function methodIfCertified(answer: VerifierReport): MethodIfCertifiedView | null {
  if (answer.verdict !== 'valid' || !(answer.methodReasons ?? []).includes('KYC_PROGRAM_NOT_CERTIFIED'))
    return null;
  const method = methodsInForce('hanshu', new Date()).find((m) => m.content === 'card-substitute-record');
  return method === undefined
    ? null
    : { id: method.id, letter: method.letter, name_ja: method.name_ja, name_en: method.name_en };
}
