/**
 * The page's side of the guide (docs/guide/): one call of @mynakit/verifier-sdk. In a browser it asks the
 * holder's wallet through the Digital Credentials API; `scripts/test/guide.test.ts` runs it against the
 * sandbox with the sandbox's phone standing in for the OS wallet.
 */
import { VerifierSdkError, verifyWithMyNumberCard } from '@mynakit/verifier-sdk';

/** What the page shows after the holder answered (or did not). */
export type AccountOpeningOutcome =
  | { readonly shown: 'verified'; readonly name: string; readonly method: string }
  | { readonly shown: 'refused'; readonly failed: readonly string[] }
  | { readonly shown: 'try-again'; readonly code: string };

/** What the customer chose on the form: codes of the verifier's lists, each with an optional detail. */
export interface Declared {
  readonly transactionPurpose: { readonly code: string; readonly detail?: string };
  readonly occupation: { readonly code: string; readonly detail?: string };
}

/** Runs the verification from the page and says what to show. */
export async function openAccount(declared: Declared): Promise<AccountOpeningOutcome> {
  // #region verify-from-page
  try {
    const result = await verifyWithMyNumberCard({
      sessionUrl: new URL('/kyc/sessions', location.href).href, // your backend (backend.ts)
      sessionBody: declared, // the purpose of the transaction and the occupation from your form
      timeoutMs: 120_000, // a DC API call with no wallet never settles: the SDK aborts it
    });
    if (result.verdict !== 'valid')
      return {
        shown: 'refused',
        failed: result.checks.filter((c) => c.status === 'failed').map((c) => c.id),
      };
    const facts = result.elements?.['org.iso.23220.1.jp'] ?? {};
    return {
      shown: 'verified',
      name: String(facts.full_name_unicode),
      method: result.method ? `${result.method.law} ${result.method.letter}` : 'none',
    };
  } catch (e) {
    // declined, timed-out, unsupported, protocol-mismatch, rejected (with the verifier's code) …
    if (e instanceof VerifierSdkError) return { shown: 'try-again', code: e.code };
    throw e;
  }
  // #endregion verify-from-page
}
