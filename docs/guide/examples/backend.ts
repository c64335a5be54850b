/**
 * The relying party's backend of the guide "Verify a card-substitute record sent by a phone to your web
 * page" (docs/guide/): two routes between your page and the mynakit verifier. The API key never reaches the
 * browser. `scripts/test/guide.test.ts` runs this file against the sandbox, and checks that every snippet
 * the guide shows is taken from here or from page.ts.
 */
import { Hono } from 'hono';

/** Where your verifier is and who you are to it. */
export interface KycBackendOptions {
  /** The verifier's base URL: `http://127.0.0.1:8400/verifier` in the sandbox. */
  readonly verifierUrl: string;
  /** Your relying party's API key (role `rp`). */
  readonly apiKey: string;
  /** The origin your page is served from (one of your relying party's `origins`). */
  readonly pageOrigin: string;
  /** Called with each valid verification (your account opening goes here). */
  readonly onVerified?: (report: VerifierReport) => void | Promise<void>;
}

/**
 * What the customer declared on your form, as codes of the verifier's lists (e.g. `living-expenses` 生計費決済,
 * `company-employee` 会社員) with an optional detail: 取引時確認 under 犯収法 records them.
 */
export interface CustomerDeclaration {
  readonly transactionPurpose?: { readonly code: string; readonly detail?: string };
  readonly occupation?: { readonly code: string; readonly detail?: string };
}

/** The part of the verifier's report this backend reads. */
export interface VerifierReport {
  readonly verdict: 'valid' | 'invalid' | 'undetermined';
  readonly checks: readonly { id: string; status: string; detail: string }[];
  readonly method: { law: string; letter: string; name_ja: string; name_en: string } | null;
  readonly methodReasons: readonly string[];
  readonly elements?: Record<string, Record<string, unknown>>;
  readonly recordId: string;
}

/** The two routes your page calls. */
export function createKycBackend(options: KycBackendOptions): Hono {
  const app = new Hono();
  const toVerifier = (path: string, body: unknown) =>
    fetch(`${options.verifierUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  // #region open-session
  app.post('/kyc/sessions', async (c) => {
    // What the customer declared on your form: 取引時確認 under 犯収法 records the purpose of the
    // transaction and the occupation, and the verifier refuses a session without them.
    const declared = await c.req.json<CustomerDeclaration>();
    // The verifier asks for the least data the purpose needs (name, address, birth date, portrait for
    // 犯収法) and binds the session to your page's origin; My Number is refused without a legal basis.
    const opened = await toVerifier('/sessions', {
      purpose: 'account-opening',
      origin: options.pageOrigin,
      transactionPurpose: declared.transactionPurpose,
      occupation: declared.occupation,
    });
    return c.json(await opened.json(), opened.status as 201);
  });
  // #endregion open-session

  // #region submit-answer
  app.post('/kyc/sessions/:id/response', async (c) => {
    const { response } = await c.req.json<{ response: string }>();
    const id = encodeURIComponent(c.req.param('id'));
    const verified = await toVerifier(`/sessions/${id}/response`, { response });
    const report = (await verified.json()) as VerifierReport;
    // verdict: every check (issuer, digests, device, revocation) — invalid if any failed.
    // method: the KYC method on this date (e.g. 犯収法 ル), or null with methodReasons.
    // recordId: the verification record (確認記録) written in the same transaction.
    if (verified.ok && report.verdict === 'valid') await options.onVerified?.(report);
    return c.json(report, verified.status as 200);
  });
  // #endregion submit-answer

  return app;
}
