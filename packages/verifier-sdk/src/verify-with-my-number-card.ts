/**
 * `verifyWithMyNumberCard` — one verification of the card-substitute record through the browser's Digital
 * Credentials API (W3C Digital Credentials, `navigator.credentials.get({digital})`), with the relying
 * party's backend on both ends:
 *
 * 1. the backend opens a session (it holds the API key and forwards to the verifier's `POST /sessions`),
 *    answering the verifier's `CreatedSession` `{sessionId, request: {protocol: 'org-iso-mdoc', data:
 *    {deviceRequest, encryptionInfo}}, expiresAt, elements}` and optionally `requests: [{protocol, data}]`
 *    (e.g. OpenID4VP over the DC API);
 * 2. every request goes into ONE `navigator.credentials.get` call, ISO/IEC 18013-7 Annex C
 *    (`org-iso-mdoc`) first — the only protocol Safari accepts (DOMAIN.md §2) — under an AbortSignal that
 *    fires at the timeout, because with no wallet the call never settles (ARCHITECTURE.md "Browser facts");
 * 3. the answer's protocol must be one of those requested (the browser does not check it);
 * 4. the answer goes to the backend (`{response}` for Annex C: the verifier's `SessionResponse`), which
 *    forwards it to the verifier's `POST /sessions/:id/response`; its verification report is returned
 *    whatever its verdict (verifiers report, they don't throw — rule 4). A problem answer is `rejected`
 *    with the problem's code.
 *
 * The feature test is the presence of `DigitalCredential` and `navigator.credentials.get`, never
 * `DigitalCredential.userAgentAllowsProtocol`, which answers true for any non-empty string in Chromium.
 */
import { VerifierSdkError, type VerifierSdkErrorCode } from './errors.js';

// The page bundle of this module alone (`@mynakit/verifier-sdk/browser/dc-api`) carries its error too.
export { VerifierSdkError, type VerifierSdkErrorCode } from './errors.js';

/** The protocol identifier of ISO/IEC 18013-7 Annex C over the Digital Credentials API. */
export const ANNEX_C_PROTOCOL = 'org-iso-mdoc';

/** At most this many requests go into one call (received from the backend: bounded). */
export const MAX_DC_API_REQUESTS = 8;

/** Default time the holder has to answer before the request is aborted: three minutes. */
export const DEFAULT_TIMEOUT_MS = 180_000;

/** One entry of `navigator.credentials.get({digital: {requests}})`. */
export interface DigitalCredentialRequest {
  /** The protocol identifier, e.g. `org-iso-mdoc` or `openid4vp-v1-unsigned`. */
  readonly protocol: string;
  /** The protocol's request data, passed to the wallet unchanged. */
  readonly data: unknown;
}

/** The part of `navigator.credentials` the SDK uses; a page may pass its own (tests inject a fake one). */
export interface DigitalCredentialsContainer {
  /** `CredentialsContainer.get` with the `digital` member of the Digital Credentials API. */
  get(options: {
    readonly digital: { readonly requests: readonly DigitalCredentialRequest[] };
    readonly signal: AbortSignal;
  }): Promise<unknown>;
}

/** A session as the relying party's backend hands it on (the verifier's `CreatedSession`). */
export interface OpenedSession {
  /** The verifier's session id. */
  readonly sessionId: string;
  /** The Annex C request. */
  readonly request?: DigitalCredentialRequest;
  /** Further requests in other protocols (sent in the same call, after Annex C). */
  readonly requests?: readonly DigitalCredentialRequest[];
  /** When the session expires (ISO 8601). */
  readonly expiresAt?: string;
  /** The requested elements: namespace → identifiers. */
  readonly elements?: Readonly<Record<string, readonly string[]>>;
}

/** One check of the verifier's report. */
export interface VerificationCheck {
  /** Stable check id, e.g. `issuer.signature`, `status.revocation`. */
  readonly id: string;
  /** `passed | failed | undetermined | warning | skipped`. */
  readonly status: string;
  /** Why, in words; never personal data. */
  readonly detail?: string;
}

/** The verifier's report of one answer (its `SessionVerification`), as the backend hands it on. */
export interface VerificationResult {
  /** `valid`, `invalid` or `undetermined`. */
  readonly verdict: 'valid' | 'invalid' | 'undetermined';
  /** Every check with its status. */
  readonly checks: readonly VerificationCheck[];
  /** The KYC method that applies, or null (see `methodReasons`). */
  readonly method?: {
    readonly id: string;
    readonly law?: string;
    readonly letter: string;
    readonly name_ja?: string;
    readonly name_en?: string;
  } | null;
  /** Why no KYC method applies (stable codes such as `KYC_PROGRAM_NOT_CERTIFIED`). */
  readonly methodReasons?: readonly string[];
  /** The disclosed values (namespace → identifier → value); only when valid. */
  readonly elements?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The verification record written. */
  readonly recordId?: string;
  /** E.g. `revocation-undetermined`. */
  readonly flags?: readonly string[];
  /** The first decisive failure (stable code) when not valid, e.g. `HPKE_OPEN_FAILED`. */
  readonly errorCode?: string;
}

/** Why the cross-device fallback is called. */
export interface CrossDeviceContext {
  /** `unsupported`: no DC API in this browser; `timed-out`: no wallet answered in time. */
  readonly reason: Extract<VerifierSdkErrorCode, 'unsupported' | 'timed-out'>;
  /** The caller's signal, if any. */
  readonly signal: AbortSignal | undefined;
}

/** Options of {@link verifyWithMyNumberCard}. */
export interface VerifyWithMyNumberCardOptions<R extends VerificationResult = VerificationResult> {
  /** The backend's endpoint that opens a session (POST, JSON). */
  readonly sessionUrl: string;
  /**
   * The backend's endpoint that takes the answer (POST, JSON); default `<sessionUrl>/<sessionId>/response`.
   */
  readonly responseUrl?: string | ((sessionId: string) => string);
  /** JSON body of the session-opening POST (e.g. the purpose); default `{}`. */
  readonly sessionBody?: unknown;
  /** Extra headers for both backend calls (e.g. a CSRF token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time the holder has to answer, in ms (default {@link DEFAULT_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  /** Stops everything (code `aborted`). */
  readonly signal?: AbortSignal;
  /**
   * Called instead of failing with `unsupported` or `timed-out` — e.g. to show a QR code for another
   * device. Without it those failures are thrown.
   */
  readonly crossDevice?: (context: CrossDeviceContext) => Promise<R>;
  /** The credentials container; default `navigator.credentials` when the DC API is present. */
  readonly credentials?: DigitalCredentialsContainer;
  /** The fetch to reach the backend; default the global one. */
  readonly fetch?: typeof fetch;
}

/**
 * Whether this browser has the Digital Credentials API: `DigitalCredential` exists and
 * `navigator.credentials.get` is a function. (`userAgentAllowsProtocol` is no test: it answers true for
 * anything in Chromium.)
 */
export function hasDigitalCredentialsApi(scope: unknown = globalThis): boolean {
  const s = scope as {
    DigitalCredential?: unknown;
    navigator?: { credentials?: { get?: unknown } };
  };
  return typeof s.DigitalCredential === 'function' && typeof s.navigator?.credentials?.get === 'function';
}

/** The requests of a session in the order they go to the browser: Annex C first, then as given. */
export function orderedRequests(session: OpenedSession): DigitalCredentialRequest[] {
  const all: DigitalCredentialRequest[] = [];
  const given = Array.isArray(session.requests) ? session.requests : [];
  if (given.length > MAX_DC_API_REQUESTS)
    throw new VerifierSdkError(
      'invalid-response',
      `the session carries more than ${MAX_DC_API_REQUESTS} requests`,
    );
  for (const r of [...(session.request === undefined ? [] : [session.request]), ...given]) {
    if (typeof r?.protocol !== 'string' || r.protocol.length === 0 || r.data === undefined || r.data === null)
      throw new VerifierSdkError('invalid-response', 'a request of the session has no protocol or data');
    // The same request given twice (the verifier lists its Annex C request in `request` and in `requests`)
    // goes once; two different requests of one protocol both go.
    const data = JSON.stringify(r.data);
    if (!all.some((a) => a.protocol === r.protocol && JSON.stringify(a.data) === data))
      all.push({ protocol: r.protocol, data: r.data });
  }
  if (all.length === 0) throw new VerifierSdkError('invalid-response', 'the session carries no request');
  if (all.length > MAX_DC_API_REQUESTS)
    throw new VerifierSdkError(
      'invalid-response',
      `the session carries more than ${MAX_DC_API_REQUESTS} requests`,
    );
  // A stable sort: Annex C to the front, the others keep the backend's order.
  return [
    ...all.filter((r) => r.protocol === ANNEX_C_PROTOCOL),
    ...all.filter((r) => r.protocol !== ANNEX_C_PROTOCOL),
  ];
}

const PROBLEM_CODE = /^[A-Za-z0-9_.-]{1,80}$/;

/** Reads a backend answer: JSON when 2xx, `rejected` with the problem's code otherwise. */
async function backendAnswer(res: Response, what: string): Promise<unknown> {
  let body: unknown;
  try {
    body = await res.json();
  } catch (cause) {
    if (res.ok) throw new VerifierSdkError('network', `${what}: the backend did not answer JSON`, { cause });
    body = undefined;
  }
  if (res.ok) return body;
  const problem = (typeof body === 'object' && body !== null ? body : {}) as {
    code?: unknown;
    detail?: unknown;
    title?: unknown;
  };
  const problemCode =
    typeof problem.code === 'string' && PROBLEM_CODE.test(problem.code) ? problem.code : undefined;
  const reason =
    typeof problem.detail === 'string'
      ? problem.detail.slice(0, 300)
      : typeof problem.title === 'string'
        ? problem.title.slice(0, 300)
        : `HTTP ${res.status}`;
  throw new VerifierSdkError('rejected', `${what}: ${problemCode ?? `HTTP ${res.status}`} — ${reason}`, {
    status: res.status,
    ...(problemCode === undefined ? {} : { problemCode }),
  });
}

async function post(
  doFetch: typeof fetch,
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>> | undefined,
  signal: AbortSignal | undefined,
  what: string,
): Promise<unknown> {
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (cause) {
    if (signal?.aborted) throw new VerifierSdkError('aborted', `${what}: aborted`, { cause });
    throw new VerifierSdkError('network', `${what}: the backend could not be reached`, { cause });
  }
  return backendAnswer(res, what);
}

function asSession(body: unknown): OpenedSession {
  const s = body as Partial<OpenedSession> | null;
  if (typeof s !== 'object' || s === null || typeof s.sessionId !== 'string' || s.sessionId.length === 0)
    throw new VerifierSdkError('invalid-response', 'the backend did not answer a session');
  return s as OpenedSession;
}

function errorName(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string'
    ? (e as { name: string }).name
    : undefined;
}

/**
 * Asks the browser once, under a signal that aborts at `timeoutMs` or with the caller's signal. The call
 * is raced with the abort too: an implementation that ignores the signal still lets go.
 */
async function askBrowser(
  credentials: DigitalCredentialsContainer,
  requests: readonly DigitalCredentialRequest[],
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
): Promise<unknown> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('no answer before the timeout', 'TimeoutError'));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    return await Promise.race([
      credentials.get({ digital: { requests }, signal: controller.signal }),
      stopped,
    ]);
  } catch (cause) {
    if (timedOut)
      throw new VerifierSdkError('timed-out', `no wallet answered within ${timeoutMs} ms`, { cause });
    if (callerSignal?.aborted) throw new VerifierSdkError('aborted', 'aborted by the caller', { cause });
    const name = errorName(cause);
    if (name === 'NotAllowedError')
      throw new VerifierSdkError('declined', 'the holder or the wallet declined', { cause });
    if (name === 'NotSupportedError' || name === 'SecurityError' || name === 'TypeError')
      throw new VerifierSdkError('unsupported', `the browser refused the request (${name})`, { cause });
    throw new VerifierSdkError('wallet', `the browser or the wallet failed (${name ?? 'unknown error'})`, {
      cause,
    });
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * The body that goes to the backend for a credential: the verifier's `SessionResponse` `{response}` for
 * Annex C (the `response` member of the credential's data, `["dcapi", {enc, cipherText}]` base64url);
 * `{protocol, data}` for any other protocol.
 */
export function answerBody(
  credential: unknown,
  requested: readonly DigitalCredentialRequest[],
): { response: string } | { protocol: string; data: unknown } {
  const c = credential as { protocol?: unknown; data?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.protocol !== 'string')
    throw new VerifierSdkError('invalid-response', 'the browser answered no credential');
  const protocol = c.protocol;
  if (!requested.some((r) => r.protocol === protocol))
    throw new VerifierSdkError(
      'protocol-mismatch',
      `the answer came in protocol "${protocol.slice(0, 60)}", which was not requested`,
    );
  let data = c.data;
  // Early implementations handed `data` as a JSON string.
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch (cause) {
      throw new VerifierSdkError('invalid-response', 'the credential data is not JSON', { cause });
    }
  }
  if (protocol !== ANNEX_C_PROTOCOL) return { protocol, data };
  const response = (data as { response?: unknown } | null)?.response;
  if (typeof response !== 'string' || !/^[A-Za-z0-9_-]+$/.test(response))
    throw new VerifierSdkError('invalid-response', 'the Annex C answer has no base64url response');
  return { response };
}

function asResult<R extends VerificationResult>(body: unknown): R {
  const r = body as Partial<VerificationResult> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    (r.verdict !== 'valid' && r.verdict !== 'invalid' && r.verdict !== 'undetermined') ||
    !Array.isArray(r.checks)
  )
    throw new VerifierSdkError('invalid-response', 'the backend did not answer a verification');
  return r as R;
}

/**
 * Verifies the holder's card-substitute record through the Digital Credentials API (see the file
 * comment) and resolves with the verifier's report, whatever its verdict; fails with a
 * {@link VerifierSdkError}.
 *
 * @example
 * ```ts
 * const result = await verifyWithMyNumberCard({ sessionUrl: '/kyc/sessions', timeoutMs: 120_000 });
 * if (result.verdict === 'valid') showName(result.elements?.['org.iso.23220.1.jp']?.full_name_unicode);
 * ```
 */
export async function verifyWithMyNumberCard<R extends VerificationResult = VerificationResult>(
  options: VerifyWithMyNumberCardOptions<R>,
): Promise<R> {
  const { signal } = options;
  if (signal?.aborted) throw new VerifierSdkError('aborted', 'aborted by the caller');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
    throw new TypeError('timeoutMs must be a positive number of milliseconds');
  const credentials =
    options.credentials ??
    (hasDigitalCredentialsApi()
      ? (navigator.credentials as unknown as DigitalCredentialsContainer)
      : undefined);
  const fallBack = (reason: CrossDeviceContext['reason'], error: VerifierSdkError): Promise<R> => {
    if (options.crossDevice === undefined) throw error;
    return options.crossDevice({ reason, signal });
  };
  if (credentials === undefined)
    return fallBack(
      'unsupported',
      new VerifierSdkError(
        'unsupported',
        'this browser has no Digital Credentials API, and no cross-device fallback was given (the crossDevice option)',
      ),
    );
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  const session = asSession(
    await post(
      doFetch,
      options.sessionUrl,
      options.sessionBody ?? {},
      options.headers,
      signal,
      'opening a session',
    ),
  );
  const requests = orderedRequests(session);
  let credential: unknown;
  try {
    credential = await askBrowser(credentials, requests, timeoutMs, signal);
  } catch (e) {
    if (e instanceof VerifierSdkError && (e.code === 'timed-out' || e.code === 'unsupported'))
      return fallBack(e.code, e);
    throw e;
  }
  const body = answerBody(credential, requests);
  const responseUrl =
    typeof options.responseUrl === 'function'
      ? options.responseUrl(session.sessionId)
      : (options.responseUrl ??
        `${options.sessionUrl.replace(/\/+$/, '')}/${encodeURIComponent(session.sessionId)}/response`);
  return asResult<R>(
    await post(doFetch, responseUrl, body, options.headers, signal, 'submitting the answer'),
  );
}
