/**
 * A verification report: verifiers report, they do not throw.
 *
 * Every verifier in mynakit returns `{ verdict, checks }` with stable check ids
 * (`issuer.signature`, `mso.validity`, `cms.signature`, `status.revocation`, …).
 * The verdict rule is the same everywhere:
 *   any `failed` check → `invalid`; otherwise any `undetermined` → `undetermined`; otherwise `valid`.
 * `warning` and `skipped` never change the verdict.
 */
export type CheckStatus = 'passed' | 'failed' | 'undetermined' | 'warning' | 'skipped';
export type Verdict = 'valid' | 'invalid' | 'undetermined';

export interface Check {
  /** Stable identifier, e.g. `issuer.signature`. Scripts match on it; never rename one. */
  readonly id: string;
  readonly status: CheckStatus;
  /** Human-readable reason. Never contains submitted personal data. */
  readonly detail: string;
}

export interface Report {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
}

/** The verdict rule shared by every verifier and by the CLI's exit codes. */
export function verdictOf(checks: readonly Pick<Check, 'status'>[]): Verdict {
  let undetermined = false;
  for (const c of checks) {
    if (c.status === 'failed') return 'invalid';
    if (c.status === 'undetermined') undetermined = true;
  }
  return undetermined ? 'undetermined' : 'valid';
}

export function check(id: string, status: CheckStatus, detail: string): Check {
  return { id, status, detail };
}

/** Collects checks in order; `report()` applies the verdict rule. */
export class ReportBuilder {
  readonly checks: Check[] = [];

  add(id: string, status: CheckStatus, detail: string): Check {
    const c = check(id, status, detail);
    this.checks.push(c);
    return c;
  }
  passed(id: string, detail: string): Check {
    return this.add(id, 'passed', detail);
  }
  failed(id: string, detail: string): Check {
    return this.add(id, 'failed', detail);
  }
  undetermined(id: string, detail: string): Check {
    return this.add(id, 'undetermined', detail);
  }
  warning(id: string, detail: string): Check {
    return this.add(id, 'warning', detail);
  }
  skipped(id: string, detail: string): Check {
    return this.add(id, 'skipped', detail);
  }
  /** True when no check so far has failed. */
  get ok(): boolean {
    return !this.checks.some((c) => c.status === 'failed');
  }
  report(): Report {
    return { verdict: verdictOf(this.checks), checks: [...this.checks] };
  }
}
