/**
 * The two halves of one person for the cross-check tests: the issuer of jpki-issuer-and-phone.ts (listening
 * on 127.0.0.1, so OCSP and CRLs answer over a socket), more phones installed from other residents' cards
 * on it, and a relying party trusting both the record IACAs and the JPKI CAs — the phone answers its DC API
 * session with presentAnnexC and its JPKI signature session with signWithJpki.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { JP_MNC_DOCTYPE } from '@mynakit/mdoc';
import {
  addRecord,
  IssuerClient,
  installCredentials,
  openWalletDevice,
  presentAnnexC,
  SandboxCard,
  sandboxPlatformAttestation,
  signWithJpki,
  type WalletDevice,
} from '@mynakit/wallet';
import { expect } from 'vitest';
import { createVerifierApp } from '../../src/app.js';
import type { VerifierConfig } from '../../src/context.js';
import type { VerifierStore } from '../../src/store/index.js';
import { BIOMETRIC, type TestClock } from './issuer-and-phone.js';
import { AUTH_PIN, type JpkiIssuerAndPhone, SIGNATURE_PASSWORD } from './jpki-issuer-and-phone.js';
import { ADMIN, DECLARED, type OpenedSession, RP_ORIGIN } from './verifier-fixture.js';

/** scrypt for test PIN verifiers: cheap. */
const TEST_KDF = { N: 1024, r: 8, p: 1 } as const;

/** A document the holder signs. */
export const APPLICATION = '普通預金口座開設申込書\n申込日: 2026年12月2日\n取引の目的: 生計費決済';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * A phone of the wallet engine with `residentId`'s card installed from `env`'s issuer: an iPhone, which
 * receives the record and both JPKI certificates together (DOMAIN.md §1).
 */
export async function installPhone(
  env: JpkiIssuerAndPhone,
  clock: TestClock,
  residentId: string,
  deviceId: string,
): Promise<{ phone: WalletDevice; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-phone-'));
  const h = env.issuer.deps.hierarchy;
  const phone = await openWalletDevice({
    dataDir: dir,
    deviceId,
    family: 'iphone',
    model: 'Test iphone',
    attestation: await sandboxPlatformAttestation(h.attestation.ca),
    pinKdf: TEST_KDF,
    clock: clock.read,
  });
  const cardFile = join(env.issuer.cardDirectory, `${residentId}.json`);
  const pins = (JSON.parse(await readFile(cardFile, 'utf8')) as { pins: Record<string, string> }).pins;
  await installCredentials({
    device: phone,
    issuer: new IssuerClient({ baseUrl: env.origin, fetch: (r) => env.issuer.app.fetch(r) }),
    card: await SandboxCard.read(cardFile),
    cardPins: pins as unknown as Parameters<typeof installCredentials>[0]['cardPins'],
    liveness: { confirmed: true },
    newAuthPin: [AUTH_PIN, AUTH_PIN],
    newSignaturePassword: [SIGNATURE_PASSWORD, SIGNATURE_PASSWORD],
    biometric: BIOMETRIC,
    trustAnchors: [...h.mnc.iacas.map((c) => c.der), ...h.mdl.iacas.map((c) => c.der)],
  });
  return {
    phone,
    close: async () => {
      await phone.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The Android phone of `env` holds its JPKI certificates only: it adds the record later, proving its
 * installation with a JPKI user authentication (@mynakit/wallet addRecord, DOMAIN.md §1).
 */
export async function addRecordTo(env: JpkiIssuerAndPhone): Promise<void> {
  const h = env.issuer.deps.hierarchy;
  await addRecord({
    device: env.phone,
    issuer: new IssuerClient({ baseUrl: env.origin, fetch: (r) => env.issuer.app.fetch(r) }),
    authentication: { method: 'pin', value: AUTH_PIN },
    biometric: BIOMETRIC,
    trustAnchors: [...h.mnc.iacas.map((c) => c.der), ...h.mdl.iacas.map((c) => c.der)],
  });
}

/** A verifier app asking status of `env`'s issuer only: its status lists and its OCSP / CRLs. */
export function crossCheckApp(
  store: VerifierStore,
  clock: TestClock,
  env: JpkiIssuerAndPhone,
  config: Partial<VerifierConfig> = {},
) {
  return createVerifierApp({
    store,
    config: {
      origin: 'http://127.0.0.1:8403',
      adminToken: ADMIN,
      jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
      cacheStatusLists: false,
      ...config,
    },
    clock: clock.read,
    writerId: 'cross-check-writer',
    fetchStatusList: async (uri) => {
      const res = await env.issuer.app.fetch(new Request(uri));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    jpkiStatus: { origins: [env.origin] },
  });
}

/** The app of crossCheckApp. */
export type CrossCheckApp = ReturnType<typeof crossCheckApp>;

/** A relying party (a bank, a signature verifier) trusting the record IACAs and the JPKI CAs: its `rp` key. */
export async function crossCheckRelyingParty(app: CrossCheckApp, env: JpkiIssuerAndPhone): Promise<string> {
  const h = env.issuer.deps.hierarchy;
  const res = await app.request('/relying-parties', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Sample Bank',
      clientId: `x509_san_dns:bank-${Math.random().toString(36).slice(2, 10)}.example`,
      law: 'hanshu',
      origins: [RP_ORIGIN],
      isSignatureVerifier: true,
      trustAnchors: [...h.mnc.iacas.map((c) => c.der), ...env.jpkiAnchors].map(b64),
      verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { apiKey: { apiKey: string } }).apiKey.apiKey;
}

/** POST with the relying party's key. */
export function post(app: CrossCheckApp, apiKey: string, path: string, body: unknown) {
  return app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A verification answer as these tests read it (both channels). */
export interface Answer {
  verdict: string;
  checks: { id: string; status: string; detail: string }[];
  recordId: string;
  errorCode?: string;
  identity?: { name: string; address: string; birthDate: string; sex: string };
  elements?: Record<string, Record<string, unknown>>;
}

/**
 * The phone presents its record in a DC API session of the relying party (`elements` requested, default
 * the KYC ones): the session id and the verification answer.
 */
export async function presentRecord(
  app: CrossCheckApp,
  apiKey: string,
  phone: WalletDevice,
  elements?: Record<string, string[]>,
): Promise<{ sessionId: string; answer: Answer }> {
  const opened = await post(app, apiKey, '/sessions', {
    purpose: 'account-opening',
    origin: RP_ORIGIN,
    ...DECLARED,
    ...(elements === undefined ? {} : { elements }),
  });
  expect(opened.status).toBe(201);
  const session = (await opened.json()) as OpenedSession;
  const presented = await presentAnnexC({
    device: phone,
    data: session.request.data,
    origin: RP_ORIGIN,
    consent: { [JP_MNC_DOCTYPE]: session.elements },
    userAuthentication: BIOMETRIC,
  });
  const res = await post(app, apiKey, `/sessions/${session.sessionId}/response`, {
    response: presented.response,
  });
  expect(res.status).toBe(200);
  return { sessionId: session.sessionId, answer: (await res.json()) as Answer };
}

/** The phone signs the application in a JPKI signature session: the session id and the verification answer. */
export async function presentSignature(
  app: CrossCheckApp,
  apiKey: string,
  phone: WalletDevice,
): Promise<{ sessionId: string; answer: Answer }> {
  const opened = await post(app, apiKey, '/sessions/jpki-signature', {
    purpose: 'account-opening',
    text: APPLICATION,
    ...DECLARED,
  });
  expect(opened.status).toBe(201);
  const session = (await opened.json()) as { sessionId: string; content: string };
  const signed = await signWithJpki({
    device: phone,
    content: Buffer.from(session.content, 'base64'),
    password: SIGNATURE_PASSWORD,
    detached: true,
    relyingParty: 'Sample Bank',
  });
  const res = await post(app, apiKey, `/sessions/${session.sessionId}/jpki-signature`, {
    cms: b64(signed.signature),
  });
  expect(res.status).toBe(200);
  return { sessionId: session.sessionId, answer: (await res.json()) as Answer };
}

/** POST /sessions/cross-checks. */
export function crossCheck(
  app: CrossCheckApp,
  apiKey: string,
  recordSessionId: string,
  signatureSessionId: string,
) {
  return post(app, apiKey, '/sessions/cross-checks', { recordSessionId, signatureSessionId });
}

/** The answer of POST /sessions/cross-checks. */
export interface CrossCheckAnswer {
  verdict: string;
  checks: { id: string; status: string; detail: string }[];
  recordId: string;
  fields: { matched: string[]; mismatched: string[]; undetermined: string[]; notCompared: string[] };
}
