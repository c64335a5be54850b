/**
 * The verifier side of the end-to-end tests: a store on SQLite, apps made on it with an injected clock and
 * status-list fetcher, a relying party created through the operator's route, sessions opened through
 * `/sessions`, and the phone answering a session's request with the wallet engine's presentAnnexC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JP_MNC_DOCTYPE } from '@mynakit/mdoc';
import { presentAnnexC } from '@mynakit/wallet';
import { expect } from 'vitest';
import { createVerifierApp } from '../../src/app.js';
import type { StatusListFetcher } from '../../src/revocation/status-list-fetcher.js';
import { openVerifierStore, type VerifierStore } from '../../src/store/index.js';
import { BIOMETRIC, type IssuerAndPhone, type TestClock } from './issuer-and-phone.js';

/** The operator token of the tests. */
export const ADMIN = 'operator-token-for-tests';
/** The relying party's page. */
export const RP_ORIGIN = 'https://bank.example';

/** A verifier store in a temporary directory. */
export async function verifierStore(): Promise<{ store: VerifierStore; remove: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-sessions-'));
  const store = await openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` });
  return {
    store,
    remove: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A verifier app (its own status-list cache) on `store`. */
export function verifierApp(store: VerifierStore, clock: TestClock, fetchStatusList?: StatusListFetcher) {
  return createVerifierApp({
    store,
    config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN },
    clock: clock.read,
    writerId: 'test-writer',
    ...(fetchStatusList === undefined ? {} : { fetchStatusList }),
  });
}

/** A verifier app. */
export type VerifierApp = ReturnType<typeof verifierApp>;

/** Creates a relying party trusting the issuer's IACAs; answers its id and `rp` API key. */
export async function createRelyingParty(
  app: VerifierApp,
  env: IssuerAndPhone,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; apiKey: string }> {
  const res = await app.request('/relying-parties', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Sample Bank',
      clientId: `x509_san_dns:bank-${Math.random().toString(36).slice(2, 10)}.example`,
      law: 'hanshu',
      origins: [RP_ORIGIN],
      trustAnchors: env.iacas.map((d) => Buffer.from(d).toString('base64')),
      verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
      ...overrides,
    }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { relyingParty: { id: string }; apiKey: { apiKey: string } };
  return { id: body.relyingParty.id, apiKey: body.apiKey.apiKey };
}

/** What POST /sessions answered. */
export interface OpenedSession {
  readonly sessionId: string;
  readonly request: { protocol: string; data: { deviceRequest: string; encryptionInfo: string } };
  readonly expiresAt: string;
  readonly elements: Record<string, string[]>;
}

/** POST /sessions with the relying party's key. */
export function postSession(app: VerifierApp, apiKey: string, body: Record<string, unknown>) {
  return app.request('/sessions', {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * What the customer of the tests' bank declares (取引時確認 under 犯収法 needs it): the purpose of the
 * transaction and the occupation.
 */
export const DECLARED = {
  transactionPurpose: { code: 'living-expenses' },
  occupation: { code: 'company-employee' },
} as const;

/** Opens a session (201 expected), with the customer's declaration unless `body` overrides it. */
export async function openSession(
  app: VerifierApp,
  apiKey: string,
  body: Record<string, unknown> = {},
): Promise<OpenedSession> {
  const res = await postSession(app, apiKey, {
    purpose: 'account-opening',
    origin: RP_ORIGIN,
    ...DECLARED,
    ...body,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as OpenedSession;
}

/** The phone answers the session's request from `origin`, approving `approve` (default: all requested). */
export async function phoneAnswers(
  env: IssuerAndPhone,
  session: OpenedSession,
  options: { origin?: string; approve?: Record<string, string[]> } = {},
): Promise<string> {
  const presented = await presentAnnexC({
    device: env.phone,
    data: session.request.data,
    origin: options.origin ?? RP_ORIGIN,
    consent: { [JP_MNC_DOCTYPE]: options.approve ?? session.elements },
    userAuthentication: BIOMETRIC,
  });
  return presented.response;
}

/** POST /sessions/:id/response. */
export function submit(app: VerifierApp, apiKey: string, sessionId: string, response: string) {
  return app.request(`/sessions/${sessionId}/response`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ response }),
  });
}

/** The verification answer as the tests read it. */
export interface VerificationAnswer {
  verdict: string;
  checks: { id: string; status: string; detail: string }[];
  method: { id: string; letter: string } | null;
  methodReasons: string[];
  elements?: Record<string, Record<string, unknown>>;
  recordId: string;
  flags: string[];
  errorCode?: string;
}

/** The status of check `id` in an answer. */
export function statusOf(answer: VerificationAnswer, id: string): string | undefined {
  return answer.checks.find((c) => c.id === id)?.status;
}
