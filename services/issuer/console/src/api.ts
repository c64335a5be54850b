/**
 * The console's calls to the issuer. Every URL is relative to the page (`…/console/`), so the console works
 * at `/console/` and behind a prefix (`/issuer/console/`). The operator token is kept in sessionStorage
 * (gone with the tab) and sent as `Authorization: Bearer`; no personal data goes into a URL — a resident is
 * named by id, and searching by name happens on the fetched list.
 */

const TOKEN_KEY = 'mynakit.issuer.console.token';

/** An API answer that was not 2xx: the problem's code (RFC 9457) and status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The issuer's base URL: the parent of the console's folder. */
export function apiUrl(path: string): URL {
  return new URL(`../${path.replace(/^\/+/, '')}`, document.baseURI);
}

/** The token of this tab, if any. */
export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps (or forgets, with undefined) the token for this tab. */
export function storeToken(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // storage disabled: the token lives as long as the page
  }
}

/** The sandbox hands its token to a page on a loopback origin; anywhere else this answers undefined. */
export async function sandboxSessionToken(): Promise<string | undefined> {
  try {
    const res = await tracked(fetch(new URL('sandbox-session', document.baseURI), { cache: 'no-store' }));
    if (!res.ok) return undefined;
    const body = (await res.json()) as { token?: unknown };
    return typeof body.token === 'string' && body.token !== '' ? body.token : undefined;
  } catch {
    return undefined;
  }
}

// Requests in flight, for the progress bar.
let inFlight = 0;
const listeners = new Set<(n: number) => void>();

/** Calls `listener` with the number of requests in flight whenever it changes; returns the unsubscribe. */
export function onInFlight(listener: (n: number) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function tracked<T>(p: Promise<T>): Promise<T> {
  inFlight++;
  for (const l of listeners) l(inFlight);
  try {
    return await p;
  } finally {
    inFlight--;
    for (const l of listeners) l(inFlight);
  }
}

/** Called when the issuer refuses the token (401): the app forgets it and asks again. */
let onUnauthorized: () => void = () => undefined;

/** Sets what happens on a 401. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** A JSON call to the issuer with the token; throws ApiError on a problem answer. */
export async function api<T>(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown } = {},
): Promise<T> {
  const token = storedToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await tracked(
    fetch(apiUrl(path), {
      method: init.method ?? 'GET',
      headers,
      cache: 'no-store',
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const p = (json ?? {}) as { code?: unknown; detail?: unknown; title?: unknown };
    const code = typeof p.code === 'string' ? p.code : `HTTP_${res.status}`;
    const message = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : code;
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, code, message);
  }
  return json as T;
}

/** A public file (a CRL): its size and Last-Modified. CRLs are small; the bytes are only counted. */
export async function fileFacts(
  path: string,
): Promise<{ size: number; lastModified: string | undefined; etag: string | undefined }> {
  const res = await tracked(fetch(apiUrl(path), { cache: 'no-store' }));
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
  const size = (await res.arrayBuffer()).byteLength;
  return {
    size,
    lastModified: res.headers.get('last-modified') ?? undefined,
    etag: res.headers.get('etag') ?? undefined,
  };
}

// ---- the shapes the console reads (the issuer's OpenAPI document has them all) ----

/** A resident of the register. */
export interface Resident {
  id: string;
  fullName: string;
  fullNameKana: string | null;
  address: string;
  birthDate: string;
  sex: 1 | 2 | 3 | 9;
  municipalityCode: string;
  municipalityName: string;
  createdAt: string;
}

/** GET /residents/{id}. */
export interface ResidentDetail {
  resident: Resident;
  cards: {
    id: string;
    cardNumber: string;
    state: 'active' | 'revoked';
    issuedAt: string;
    expiresAt: string;
    signatureCertificate: boolean;
    revokedAt?: string;
  }[];
  activeInstallation?: { id: string; family: 'iphone' | 'android'; completedAt: string };
}

/** A credential kind. */
export type CredentialKind = 'mdoc' | 'jpki-sign' | 'jpki-auth';

/** One credential of an installation. */
export interface CredentialSummary {
  id: string;
  kind: CredentialKind;
  state: 'active' | 'revoked';
  serial?: string;
  msoDigest?: string;
  notAfter: string;
  issuedAt: string;
  revokedAt?: string;
  revocationReason?: string;
  statusList?: { partition: number; index: number };
  crlPartition?: string;
}

/** GET /residents/{id}/installations. */
export interface ResidentInstallations {
  installations: {
    id: string;
    family: 'iphone' | 'android';
    state: string;
    createdAt: string;
    completedAt?: string;
    endedAt?: string;
    credentials: CredentialSummary[];
    /** The newest notices sent to this phone, newest first. */
    notices: { seq: number; kind: string; at: string }[];
  }[];
  total: number;
}

/** One row of the life-event table (GET /life-events/rules). */
export interface LifeEventRule {
  event: string;
  since: string;
  legalBasis: { code: string; ja: string; en: string };
  action: 'revoke' | 'reinstate';
  revokes: Record<CredentialKind, string | null>;
  endsCard: boolean;
  changes: string[];
}

/** A recorded life event (POST /life-events, GET /life-events). */
export interface LifeEvent {
  id: string;
  residentId: string;
  event: string;
  legalBasis: { code: string; ja: string; en: string };
  revoked: { id: string; kind: CredentialKind; reason: string }[];
  reinstated: { id: string; kind: CredentialKind; reason: string }[];
  endedCardId?: string;
  failedInstallationIds: string[];
  changedFields: string[];
  occurredAt: string;
  recordedAt: string;
}

/** GET /status-lists. */
export interface StatusListIndex {
  statusLists: {
    partition: number;
    uri: string;
    capacity: number;
    allocated: number;
    signedAt: string | null;
  }[];
}

/** GET /crl. */
export interface CrlIndex {
  validityHours: number;
  partitions: {
    issuerCertificate: string;
    purpose: 'signature' | 'userAuthentication';
    partition: string;
    distributionPoint: string;
    url: string;
  }[];
  caCrls: { ca: string; url: string }[];
}

/** GET /statistics. */
export interface Statistics {
  from: string;
  to: string;
  installations: { day: string; family: 'iphone' | 'android'; count: number }[];
  deviceChanges: { day: string; from: string; to: string; change: 'switch' | 'reinstall'; count: number }[];
  revocations: { reason: string; kind: CredentialKind; count: number }[];
  activeCredentials: { kind: CredentialKind; count: number }[];
  generatedAt: string;
}
