/**
 * Passkeys bound to the verified person, the browser half (FSA/JSDA 2025-10: offer a passkey right after
 * the smartphone identity proofing, sign in with it later). The page talks only to the relying party's
 * own backend, which relays to the verifier's `/passkeys` routes with its API key:
 *
 * 1. options from the backend (`{options}` as the verifier answers, or the options themselves);
 * 2. the WebAuthn ceremony through @simplewebauthn/browser (`startRegistration` / `startAuthentication`,
 *    WebAuthn L3 §5.1.3 / §5.1.4);
 * 3. the answer back to the backend, whose JSON is returned (the verifier's `{accountId, …}`).
 *
 * Every failure is a {@link PasskeyError} (a {@link VerifierSdkError}) with a passkey `reason`:
 * `cancelled` (the caller's AbortSignal, or another ceremony took over: AbortError), `not-allowed` (the
 * person declined, the ceremony timed out, or user verification failed: the browser's NotAllowedError —
 * WebAuthn does not let a page tell these apart, on purpose, §14.5.2), `already-registered`
 * (InvalidStateError on create), `unsupported` (no WebAuthn), `authenticator` (any other browser or
 * authenticator error, its DOMException name kept), `rejected` (the backend answered an RFC 9457 problem:
 * its `problemCode`, e.g. `VERIFIER_PASSKEY_COUNTER_REGRESSION`), `network`, `invalid-response`.
 */
import {
  type AuthenticationResponseJSON,
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import { VerifierSdkError, type VerifierSdkErrorCode } from './errors.js';

/** Why a passkey ceremony did not complete (see the file comment). */
export type PasskeyErrorReason =
  | 'cancelled'
  | 'not-allowed'
  | 'already-registered'
  | 'unsupported'
  | 'authenticator'
  | 'rejected'
  | 'network'
  | 'invalid-response';

/** The package-wide code each reason is reported under. */
const SDK_CODE: ReadonlyMap<PasskeyErrorReason, VerifierSdkErrorCode> = new Map<
  PasskeyErrorReason,
  VerifierSdkErrorCode
>([
  ['cancelled', 'aborted'],
  ['not-allowed', 'declined'],
  ['already-registered', 'wallet'],
  ['unsupported', 'unsupported'],
  ['authenticator', 'wallet'],
  ['rejected', 'rejected'],
  ['network', 'network'],
  ['invalid-response', 'invalid-response'],
]);

/** A passkey ceremony's failure: the SDK's error with the passkey-specific `reason`. */
export class PasskeyError extends VerifierSdkError {
  /** The passkey-specific reason (see {@link PasskeyErrorReason}). */
  readonly reason: PasskeyErrorReason;
  /** For `not-allowed`, `cancelled`, `authenticator`: the browser's DOMException name. */
  readonly domExceptionName: string | undefined;

  /** The message is written by the SDK or taken from the problem's `detail`, never from personal data. */
  constructor(
    reason: PasskeyErrorReason,
    message: string,
    options?: { cause?: unknown; problemCode?: string; status?: number; domExceptionName?: string },
  ) {
    super(SDK_CODE.get(reason) ?? 'wallet', message, {
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
      ...(options?.problemCode === undefined ? {} : { problemCode: options.problemCode }),
      ...(options?.status === undefined ? {} : { status: options.status }),
    });
    this.name = 'PasskeyError';
    this.reason = reason;
    this.domExceptionName = options?.domExceptionName;
  }
}

/** How one step reaches the relying party's backend: a URL to POST JSON to, or a function. */
export interface PasskeyBackendOptions {
  /** `fetch` to use (default the page's). */
  readonly fetch?: typeof fetch;
  /** Extra headers on both POSTs (e.g. a CSRF token); `content-type` is set. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the ceremony (reason `cancelled`) and the backend calls. */
  readonly signal?: AbortSignal;
}

/** What {@link registerPasskey} takes: where to get options and send the answer, by URL or function. */
export interface RegisterPasskeyOptions<R> extends PasskeyBackendOptions {
  /** POSTed `optionsBody` (e.g. `{sessionId}`), answers `{options}` or the creation options. */
  readonly optionsUrl?: string;
  readonly optionsBody?: unknown;
  /** POSTed `{response, ...verifyBody}`, answers the result R. */
  readonly verifyUrl?: string;
  readonly verifyBody?: Readonly<Record<string, unknown>>;
  /** Instead of optionsUrl. */
  readonly fetchOptions?: () => Promise<unknown>;
  /** Instead of verifyUrl. */
  readonly sendResponse?: (response: RegistrationResponseJSON) => Promise<R>;
}

/** What {@link signInWithPasskey} takes (as {@link RegisterPasskeyOptions}). */
export interface SignInWithPasskeyOptions<R> extends PasskeyBackendOptions {
  /** POSTed `optionsBody` (e.g. `{}` or `{accountId}`), answers `{options}` or the request options. */
  readonly optionsUrl?: string;
  readonly optionsBody?: unknown;
  /** POSTed `{response, ...verifyBody}`, answers the result R (the verifier's `{accountId, …}`). */
  readonly verifyUrl?: string;
  readonly verifyBody?: Readonly<Record<string, unknown>>;
  readonly fetchOptions?: () => Promise<unknown>;
  readonly sendResponse?: (response: AuthenticationResponseJSON) => Promise<R>;
}

/** A problem's `code`: upper-case words, as the verifier's. */
const PROBLEM_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** POSTs JSON and reads JSON; a problem answer is `rejected` with its code. */
async function postJson(url: string, body: unknown, o: PasskeyBackendOptions): Promise<unknown> {
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { ...o.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
      credentials: 'same-origin',
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
  } catch (e) {
    if (o.signal?.aborted === true) throw new PasskeyError('cancelled', 'the caller aborted', { cause: e });
    throw new PasskeyError('network', 'the backend could not be reached', { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = await res.json();
  } catch (e) {
    throw new PasskeyError('network', `the backend answered HTTP ${res.status} without JSON`, { cause: e });
  }
  if (res.ok) return parsed;
  const p = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const problemCode = typeof p.code === 'string' && PROBLEM_CODE.test(p.code) ? p.code : undefined;
  const detail = typeof p.detail === 'string' ? p.detail.slice(0, 300) : `HTTP ${res.status}`;
  throw new PasskeyError('rejected', `${problemCode ?? `HTTP ${res.status}`}: ${detail}`, {
    status: res.status,
    ...(problemCode === undefined ? {} : { problemCode }),
  });
}

/** The options inside `{options}` (the verifier's answer) or the options themselves. */
function optionsOf<T extends { challenge: string }>(answer: unknown): T {
  const inner =
    typeof answer === 'object' && answer !== null && 'options' in answer
      ? (answer as { options: unknown }).options
      : answer;
  if (
    typeof inner !== 'object' ||
    inner === null ||
    typeof (inner as { challenge?: unknown }).challenge !== 'string'
  )
    throw new PasskeyError('invalid-response', 'the backend answered no WebAuthn options');
  return inner as T;
}

/** The browser's or the library's error as a PasskeyError. */
function ceremonyError(e: unknown, signal: AbortSignal | undefined): PasskeyError {
  if (e instanceof PasskeyError) return e;
  const err = e as { name?: unknown; code?: unknown; cause?: unknown };
  const cause = err.cause as { name?: unknown } | undefined;
  // WebAuthnError keeps the DOMException as its cause; its own name is that DOMException's name.
  const name =
    typeof cause?.name === 'string' ? cause.name : typeof err.name === 'string' ? err.name : 'Error';
  if (signal?.aborted === true || err.code === 'ERROR_CEREMONY_ABORTED' || name === 'AbortError')
    return new PasskeyError('cancelled', 'the passkey ceremony was cancelled', {
      cause: e,
      domExceptionName: name,
    });
  if (name === 'NotAllowedError')
    return new PasskeyError(
      'not-allowed',
      'the person declined, the ceremony timed out or user verification failed',
      {
        cause: e,
        domExceptionName: name,
      },
    );
  if (name === 'InvalidStateError' || err.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')
    return new PasskeyError(
      'already-registered',
      'this authenticator already holds a passkey for the account',
      {
        cause: e,
        domExceptionName: name,
      },
    );
  return new PasskeyError('authenticator', `the browser or authenticator failed (${name})`, {
    cause: e,
    domExceptionName: name,
  });
}

/** Runs one ceremony with the caller's AbortSignal wired to the library's abort service. */
async function ceremony<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  if (!browserSupportsWebAuthn()) throw new PasskeyError('unsupported', 'this browser has no WebAuthn');
  if (signal?.aborted === true) throw new PasskeyError('cancelled', 'the caller aborted');
  const cancel = () => WebAuthnAbortService.cancelCeremony();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await run();
  } catch (e) {
    throw ceremonyError(e, signal);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new TypeError(`${what} is required`);
  return value;
}

/**
 * Creates a passkey for the account the relying party's backend binds to the person a valid session just
 * verified (the verifier's `POST /passkeys/registration/options` with that `sessionId`, then
 * `/registration/verify`), and returns the backend's answer (the verifier's `{accountId, credentialId,
 * createdAt}`). Throws {@link PasskeyError}.
 */
export async function registerPasskey<R = unknown>(o: RegisterPasskeyOptions<R>): Promise<R> {
  const answer =
    o.fetchOptions !== undefined
      ? await o.fetchOptions()
      : await postJson(need(o.optionsUrl, 'optionsUrl or fetchOptions'), o.optionsBody, o);
  const optionsJSON = optionsOf<PublicKeyCredentialCreationOptionsJSON>(answer);
  const response = await ceremony(o.signal, () => startRegistration({ optionsJSON }));
  if (o.sendResponse !== undefined) return o.sendResponse(response);
  return (await postJson(
    need(o.verifyUrl, 'verifyUrl or sendResponse'),
    { ...o.verifyBody, response },
    o,
  )) as R;
}

/**
 * Signs the person in with their passkey (the verifier's `POST /passkeys/authentication/options`, then
 * `/authentication/verify`), and returns the backend's answer (the verifier's `{accountId, credentialId,
 * stepUpRequired, verifiedAt}`). Throws {@link PasskeyError}.
 */
export async function signInWithPasskey<R = unknown>(o: SignInWithPasskeyOptions<R>): Promise<R> {
  const answer =
    o.fetchOptions !== undefined
      ? await o.fetchOptions()
      : await postJson(need(o.optionsUrl, 'optionsUrl or fetchOptions'), o.optionsBody, o);
  const optionsJSON = optionsOf<PublicKeyCredentialRequestOptionsJSON>(answer);
  const response = await ceremony(o.signal, () => startAuthentication({ optionsJSON }));
  if (o.sendResponse !== undefined) return o.sendResponse(response);
  return (await postJson(
    need(o.verifyUrl, 'verifyUrl or sendResponse'),
    { ...o.verifyBody, response },
    o,
  )) as R;
}
