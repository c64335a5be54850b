/**
 * The issuer's per-record inquiry as each channel's end-to-end tests configure it
 * (src/revocation/record-inquiry.ts): a client of the role `inquiry` registered through the issuer's operator
 * route `POST /rp-clients`, the verifier's `recordInquiry` reaching the issuer app, a status list that cannot
 * be fetched, and the `revocationCheck` a verification record keeps.
 */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { getRecord } from '../../src/records/record-chains.js';
import type { RecordInquiryDeps } from '../../src/revocation/record-inquiry.js';
import type { StatusListFetcher } from '../../src/revocation/status-list-fetcher.js';
import type { VerifierStore } from '../../src/store/index.js';
import { ISSUER_ORIGIN, type IssuerAndPhone } from './issuer-and-phone.js';

/** A client of the issuer: its id and secret. */
export interface InquiryClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Registers a client with the role `inquiry` through the issuer's operator route (its admin token file). */
export async function registerInquiryClient(env: IssuerAndPhone): Promise<InquiryClient> {
  const token = (await readFile(env.issuer.adminTokenFile as string, 'utf8')).trim();
  const res = await env.issuer.app.request('/rp-clients', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'verifier under test', roles: ['inquiry'] }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as InquiryClient;
}

/**
 * The verifier's `recordInquiry`: the issuer asked as `client`, through `fetch` (default: the issuer app;
 * the URL is always `${ISSUER_ORIGIN}/inquiry`).
 */
export function recordInquiryOf(
  env: IssuerAndPhone,
  client: InquiryClient,
  fetch?: (request: Request) => Promise<Response>,
): RecordInquiryDeps {
  return {
    config: { issuerUrl: ISSUER_ORIGIN, ...client },
    fetch: fetch ?? (async (request) => env.issuer.app.fetch(request)),
  };
}

/** A status-list fetcher for a list that cannot be fetched. */
export const listDown: StatusListFetcher = async () => {
  throw new Error('HTTP 503');
};

/** An inquiry transport whose issuer answers 503; counts the requests it was given. */
export function inquiryAnswering503(): {
  fetch: (request: Request) => Promise<Response>;
  asked: () => number;
} {
  let asked = 0;
  return {
    fetch: async () => {
      asked++;
      return new Response('unavailable', { status: 503 });
    },
    asked: () => asked,
  };
}

/** The relying party's revocation choice that asks the issuer at every verification. */
export const INQUIRY_ALWAYS = { check: 'required', undetermined: 'reject', inquiry: 'always' } as const;

/** The `revocationCheck` a verification record keeps. */
export interface RecordedRevocationCheck {
  result: string;
  action: string;
  kind: string | null;
  source: string | null;
  outcome: string | null;
  attempts: { kind: string; source: string; via: string; outcome: string; evidence?: string }[];
}

/** The `revocationCheck` of record `recordId`. */
export async function revocationCheckOf(
  store: VerifierStore,
  recordId: string,
): Promise<RecordedRevocationCheck> {
  const content = (await getRecord(store, recordId))?.content as unknown as {
    revocationCheck: RecordedRevocationCheck;
  };
  return content.revocationCheck;
}

/**
 * Asserts the record of a valid verification asked both sources: the status list, then the issuer's
 * inquiry, which answered `valid` with its signed evidence.
 */
export async function expectListThenInquiryValid(store: VerifierStore, recordId: string): Promise<void> {
  const check = await revocationCheckOf(store, recordId);
  expect(check.attempts.map((a) => a.kind)).toEqual(['status-list', 'inquiry']);
  expect(check.attempts[0]).toMatchObject({ outcome: 'valid' });
  expect(check.attempts[1]).toMatchObject({
    source: `${ISSUER_ORIGIN}/inquiry`,
    via: 'network',
    outcome: 'valid',
  });
  expect(check.attempts[1]?.evidence).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(check).toMatchObject({ result: 'passed', action: 'accept', outcome: 'valid' });
}

/**
 * Asserts the record of a verification where neither source answered (the list down, the inquiry 503):
 * undetermined, rejected under the default policy.
 */
export async function expectBothUndetermined(store: VerifierStore, recordId: string): Promise<void> {
  const check = await revocationCheckOf(store, recordId);
  expect(check).toMatchObject({
    result: 'undetermined',
    action: 'reject',
    attempts: [
      { kind: 'status-list', via: 'failed' },
      { kind: 'inquiry', via: 'failed', outcome: 'HTTP 503' },
    ],
  });
  expect(check.attempts).toHaveLength(2);
}
