/**
 * The verifier's report of a verification as the bank's Vite + Preact pages receive it from their JSON routes
 * (bank-pages.ts, jpki-bank-pages.ts, bank-branch-pages.ts, cross-device-pages.ts): the verdict, every check, the KYC method or why none applies,
 * the record — bounded, and without the disclosed values, which each route adds as it shows them. Check
 * details never carry personal data.
 */

/** The verdict, the checks and the KYC method (or why none applies) of a verification. */
export interface VerificationView {
  readonly verdict: string;
  readonly errorCode: string | null;
  readonly checks: readonly { id: string; status: string; detail: string | null }[];
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

const strings = (v: unknown, max: number): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, max) : [];

/** The verifier's answer as a page shows it (bounded; check details never carry personal data). */
export function verificationView(answer: {
  verdict?: string;
  errorCode?: string;
  checks?: readonly { id: string; status: string; detail?: string }[];
  method?: { id: string; letter: string; name_ja?: string; name_en?: string } | null;
  methodReasons?: readonly string[];
  recordId?: string;
  flags?: readonly string[];
}): VerificationView {
  return {
    verdict: answer.verdict ?? 'error',
    errorCode: answer.errorCode ?? null,
    checks: (answer.checks ?? [])
      .slice(0, 50)
      .map((k) => ({ id: k.id, status: k.status, detail: k.detail ?? null })),
    method: answer.method
      ? {
          id: answer.method.id,
          letter: answer.method.letter,
          name_ja: answer.method.name_ja ?? null,
          name_en: answer.method.name_en ?? null,
        }
      : null,
    methodReasons: strings(answer.methodReasons, 20),
    recordId: answer.recordId ?? null,
    flags: strings(answer.flags, 20),
  };
}
