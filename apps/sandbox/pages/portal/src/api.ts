/**
 * The page's calls to the portal's routes (`/verifier/portal/api/…`, apps/sandbox/src/portal-pages.ts).
 * Every URL is relative to the page. The page holds no key and no personal data: the verifier checks the
 * answer on the server's side, and the signed-in state is an HttpOnly cookie no script of this page reads.
 */

/** An answer that was not 2xx: the problem's code (RFC 9457), status and extension members. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problem: Problem,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A phone as the portal lists it. */
export interface Phone {
  id: string;
  family: 'iphone' | 'android';
  /** `pin`: typed on this page (Android); `biometric`: approved on the phone (iPhone). */
  unlock: 'pin' | 'biometric';
  answeredBy: 'bridge';
}

/** A check of the verifier's. */
export interface Check {
  id: string;
  status: string;
  detail: string | null;
}

/** The verdict and the checks. */
export interface Checks {
  verdict: string;
  errorCode: string | null;
  checks: Check[];
}

/** GET api/session when signed in; POST api/login's answer. */
export interface SignedIn extends Checks {
  signedIn: true;
  subjectId: string;
  account: { createdAt: string; signIns: number };
  signedInAt: string;
  phone: Phone & { how: 'pin' | 'biometric' };
  certificate: {
    serialNumber: string;
    issuer: string;
    subjectCommonName: string | null;
    notAfter: string;
    fingerprint256: string;
  } | null;
  method: { id: string; letter: string } | null;
  methodReasons: string[];
  recordId: string | null;
  flags: string[];
}

export type Session = SignedIn | { signedIn: false };

/** A problem document with what the portal adds to some (the phone, the tries left, the checks). */
export interface Problem extends Partial<Checks> {
  code?: string;
  title?: string;
  detail?: string;
  phone?: Phone;
  walletCode?: string;
  remainingTries?: number | null;
}

function apiUrl(path: string): string {
  return new URL(`api/${path}`, document.baseURI).href;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(apiUrl(path), {
    ...init,
    headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    cache: 'no-store',
    credentials: 'same-origin',
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const p = (json ?? {}) as Problem;
    const code = typeof p.code === 'string' ? p.code : `HTTP_${res.status}`;
    throw new ApiError(res.status, code, typeof p.title === 'string' ? p.title : code, p);
  }
  return json as T;
}

export const getPhones = () => call<{ phones: Phone[] }>('phones');
export const getSession = () => call<Session>('session');

/** Signs in: the auth PIN for a phone that unlocks with it, the biometric's outcome otherwise. */
export const signIn = (body: { phone: string; pin?: string; biometric?: 'matched' | 'failed' }) =>
  call<SignedIn>('login', { method: 'POST', body: JSON.stringify(body) });

export const signOut = () => call<undefined>('logout', { method: 'POST', body: '{}' });
