/**
 * The page's calls to the cross-device routes (`/verifier/bank/cross-device/api/…`,
 * apps/sandbox/src/cross-device-pages.ts). The page is served at its folder and at each session's address
 * one folder below it (`sessions/<id>`), so its routes are found from the page's folder, not from the
 * address. The page holds no key: the bank's cross-device relying party's key stays on the server.
 */

import { ApiError, callApi, type ProblemMembers } from '../../shared/api-client';
import type { ChecksData } from '../../shared/checks';
import type { DeclarationInput, DeclarationLists, DeclaredPair } from '../../shared/declaration-fields';
import { declarationBody } from '../../shared/declaration-fields';

export { ApiError };

/** A session's address: `sessions/<id>` below the page's folder. */
const SESSION_PATH = /\/sessions\/([A-Za-z0-9-]{1,64})$/;

/** The session the address names, if any. */
export function sessionInAddress(): string | undefined {
  return SESSION_PATH.exec(location.pathname)?.[1];
}

/** The page's folder (`…/cross-device/`), from its own address or a session's. */
function pageFolder(): URL {
  return new URL(sessionInAddress() === undefined ? './' : '../', location.href);
}

/** A session's address, for the history. */
export function sessionAddress(id: string): string {
  return new URL(`sessions/${encodeURIComponent(id)}`, pageFolder()).pathname;
}

/** A phone emulator the link can be handed to. */
export interface Phone {
  id: string;
  family: 'iphone' | 'android';
}

/** GET api/sessions/:id before the phone answered. */
export interface PendingSession {
  state: 'pending';
  walletUrl: string;
  expiresAt: string;
  /** The QR code's SVG, made by the server from numbers and an escaped label only (qr-svg.ts). */
  qrSvg: string;
  phones: Phone[];
}

/** GET api/sessions/:id after it. */
export interface DoneSession extends ChecksData {
  state: 'done';
  answeredBy: 'cross-device';
  method: { id: string; letter: string; name_ja: string | null; name_en: string | null } | null;
  methodReasons: string[];
  recordId: string | null;
  flags: string[];
  identity: { name: string; address: string; birthDate: string; portrait: string | null } | null;
  methodIfCertified: { id: string; letter: string; name_ja: string; name_en: string } | null;
  declared: DeclaredPair;
}

/** A problem document with the verifier's own code when it refused (`reason`). */
export interface Problem extends ProblemMembers {
  reason?: string;
}

/** Calls `api/<path>` below the page's folder: a GET, or a POST of `body` as JSON; the JSON, or ApiError. */
const call = <T>(path: string, body?: unknown) =>
  callApi<T, Problem>(path, { base: pageFolder().href, ...(body === undefined ? {} : { body }) });

export const getStart = () => call<{ available: boolean } & DeclarationLists>('start');

/** Opens a session with what the customer declared; its id. */
export const openSession = (declared: DeclarationInput) =>
  call<{ sessionId: string }>('sessions', declarationBody(declared));

export const getSession = (id: string) =>
  call<PendingSession | DoneSession>(`sessions/${encodeURIComponent(id)}`);

export const getSessionState = (id: string) =>
  call<{ state: 'pending' | 'done' | 'expired' | 'unknown' }>(`sessions/${encodeURIComponent(id)}/state`);
