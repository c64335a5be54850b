/**
 * The page's calls to the bank's routes (`/verifier/bank/api/…`, apps/sandbox/src/bank-pages.ts,
 * jpki-bank-pages.ts, bank-passkeys.ts). Every view of the page shares one build and lives in a folder of
 * the bank's (`jpki/`, `signin/`, `result/<session>`…), so URLs are made from the bank's folder, found from
 * the page's own address: the page works wherever the sandbox mounts it. The page holds no key: the bank's
 * server calls the verifier with it.
 */
import { ApiError, callApi, type ProblemMembers } from '../../shared/api-client';
import type { DeclarationInput, DeclarationLists, DeclaredPair } from '../../shared/declaration-fields';
import type { CertificateData, VerificationData } from '../../shared/result-parts';

export { ApiError };

/** The views of the page, by the part of the address after the bank's folder. */
export type View =
  | { name: 'record' }
  | { name: 'record-result'; session: string }
  | { name: 'jpki' }
  | { name: 'jpki-result'; session: string }
  | { name: 'signin' }
  | { name: 'account' };

const VIEWS: readonly [RegExp, (m: RegExpExecArray) => View][] = [
  [/^(.*\/)jpki\/result\/([A-Za-z0-9-]{1,64})$/, (m) => ({ name: 'jpki-result', session: m[2] ?? '' })],
  [/^(.*\/)result\/([A-Za-z0-9-]{1,64})$/, (m) => ({ name: 'record-result', session: m[2] ?? '' })],
  [/^(.*\/)jpki\/$/, () => ({ name: 'jpki' })],
  [/^(.*\/)signin\/$/, () => ({ name: 'signin' })],
  [/^(.*\/)account\/$/, () => ({ name: 'account' })],
];

/** The bank's folder (e.g. `/verifier/bank/`) and the view its address names. */
export function viewOf(pathname: string): { root: string; view: View } {
  for (const [pattern, view] of VIEWS) {
    const m = pattern.exec(pathname);
    if (m !== null) return { root: m[1] ?? '/', view: view(m) };
  }
  return { root: pathname.endsWith('/') ? pathname : `${pathname}/`, view: { name: 'record' } };
}

/** The bank's folder of this page. */
export const ROOT = viewOf(location.pathname).root;

/** An address in the bank's folder (`signin/`, `result/<session>`…). */
export const bankUrl = (path: string) => new URL(`${ROOT}${path}`, location.origin).href;

/** The address of a route under the bank's `api/` (for the SDK, which takes whole URLs). */
export const bankApiUrl = (path: string) => bankUrl(`api/${path}`);

/** A phone that answers through the labelled bridge. */
export interface Phone {
  id: string;
  family: string;
}

/** GET api/start. */
export interface Start {
  phones: Phone[];
  lists: DeclarationLists;
  dcTimeoutMs: number;
  /** The JPKI application before the customer chose. */
  application: string;
}

/** The verdict, the checks, the KYC method or why none applies, the record. */
export type Verification = VerificationData;

/** What the customer declared, as a result shows it. */
export type Declared = DeclaredPair;

/** A record verification's result (api/results/:id, api/bridge). */
export interface RecordResult extends Verification {
  kind: 'record';
  sessionId: string;
  answeredBy:
    | { kind: 'dc-api' }
    | {
        kind: 'bridge';
        phone: Phone;
        fallback: string | null;
        /** The Digital Credentials API protocol the phone answered with. */
        protocol: 'org-iso-mdoc' | 'openid4vp-v1-signed';
      };
  identity: { name: string; address: string; birthDate: string; portrait: string | null } | null;
  methodIfCertified: { id: string; letter: string; name_ja: string; name_en: string } | null;
  declared: Declared;
}

/** A JPKI signature's result (api/jpki/results/:id, api/jpki/sign). */
export interface JpkiResult extends Verification {
  kind: 'jpki-signature';
  sessionId: string;
  phone: Phone;
  identity: { name: string; address: string; birthDate: string; sex: string } | null;
  signingTime: string | null;
  certificate: CertificateData | null;
  declared: Declared;
  application: string;
}

/** The signed-in account (api/account): no personal data. */
export interface Account {
  accountId: string;
  verifiedAt: string;
  recordId: string;
  passkeys: number;
  stepUpRequired: boolean;
  stepUpCompletedAt: string | null;
}

/** A problem of the bank's, the verifier's or the phone's (with the phone). */
export interface Problem extends ProblemMembers {
  phone?: Phone;
}

async function call<T>(path: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
  return callApi<T, Problem>(path, {
    query,
    base: new URL(ROOT, location.origin).href,
    ...(body === undefined ? {} : { body }),
  });
}

export const getStart = (dcTimeout: string | null) =>
  call<Start>('start', undefined, dcTimeout === null ? {} : { dcTimeout });

/** The labelled bridge: `phone` answers in place of the browser's wallet. */
export const verifyThroughBridge = (
  phone: string,
  declaration: Record<string, unknown>,
  askMyNumber: boolean,
  fallback: string | null,
) =>
  call<RecordResult & { resultUrl: string }>('bridge', {
    phone,
    ...declaration,
    askMyNumber,
    ...(fallback === null ? {} : { fallback }),
  });

export const getRecordResult = (session: string) => call<RecordResult>(`results/${session}`);

/**
 * Story 3: the application goes to `phone`'s screen, where the holder signs it with the signature password
 * (never typed here); resolves once the holder answered there.
 */
export const signApplication = (phone: string, declaration: DeclarationInput) =>
  call<JpkiResult & { resultUrl: string }>('jpki/sign', { phone, ...declaration });

export const getJpkiResult = (session: string) => call<JpkiResult>(`jpki/results/${session}`);

export const getMe = () =>
  call<{ signedIn: boolean; accountId?: string; stepUpRequired?: boolean }>('passkeys/me');

export const getAccount = () => call<Account>('account');
export const askAddressChange = () => call<Account>('account/address-change', {});
export const signOut = () => call<{ signedIn: false }>('account/sign-out', {});
export const completeStepUp = (sessionId: string) => call<unknown>('passkeys/step-up/verify', { sessionId });
