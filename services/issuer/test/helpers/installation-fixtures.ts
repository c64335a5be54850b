/**
 * What the installation tests share: an issuer app on a temporary data directory (SQLite, or PostgreSQL
 * when given a URL) with a fixed clock, cheap PIN verifiers, and the phone's side of the protocol — card
 * signatures (CMS over the canonical installation request), user authentication, RSA-2048 CSRs, and key
 * attestations by a platform attester certified by the sandbox attestation CA.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { signAuthChallenge } from '@mynakit/jpki';
import { createKeyAttestationJwt } from '@mynakit/oid4vci';
import {
  type Certificate,
  createCertificate,
  createCertificateWithSigner,
  createCsr,
  parseCertificate,
  signCms,
} from '@mynakit/pki';
import type { Hono } from 'hono';
import { createIssuerApp } from '../../src/app.js';
import type { SandboxHierarchy } from '../../src/ca/sandbox-hierarchy.js';
import { readCardFile, type SandboxCard } from '../../src/cards/card-file.js';
import { issueCard } from '../../src/cards/issue-card.js';
import type { IssuerDeps } from '../../src/context.js';
import { canonicalInstallationRequest } from '../../src/installations/installation-request.js';
import { type IssuerStore, openIssuerStore } from '../../src/store/index.js';
import type { NewResident } from '../../src/store/resident-repository.js';
import { CA_EPOCH, sandboxAt, type TempDataDir, tempDataDir } from './sandbox-ca.js';

/** scrypt for test PIN verifiers: cheap (the format is what matters here). */
export const TEST_PIN_KDF = { N: 1024, r: 8, p: 1 } as const;
/** The operator token of the test issuers. */
export const ADMIN_TOKEN = 'test-operator-token-0123456789';

/** A clock the test moves. */
export interface TestClock {
  now: Date;
  (): Date;
}

/** A clock at `start`. */
export function testClock(start: Date): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = start;
  return clock;
}

/** An issuer under test. */
export interface TestIssuer {
  readonly dir: TempDataDir;
  readonly store: IssuerStore;
  readonly hierarchy: SandboxHierarchy;
  readonly deps: IssuerDeps;
  readonly app: Hono;
  readonly clock: TestClock;
  close(): Promise<void>;
}

/** An issuer app on a fresh data directory, its hierarchy created at CA_EPOCH, its clock at `now`. */
export async function testIssuer(options: {
  now: Date;
  databaseUrl?: string;
  dataDir?: TempDataDir;
}): Promise<TestIssuer> {
  const dir = options.dataDir ?? tempDataDir();
  const hierarchy = await sandboxAt(dir.path, CA_EPOCH);
  const store = await openIssuerStore({
    url: options.databaseUrl ?? `sqlite:${join(dir.path, 'issuer.sqlite')}`,
  });
  const clock = testClock(options.now);
  const deps: IssuerDeps = {
    store,
    keySource: hierarchy.keySource,
    hierarchy,
    config: {
      origin: 'https://issuer.example',
      sandbox: true,
      cardDirectory: join(dir.path, 'issuer', 'cards'),
      adminToken: ADMIN_TOKEN,
    },
    clock,
  };
  return {
    dir,
    store,
    hierarchy,
    deps,
    app: createIssuerApp(deps),
    clock,
    close: async () => {
      await store.close();
      if (options.dataDir === undefined) dir.remove();
    },
  };
}

let residentCounter = 0;

/** A resident (adult unless the birth date says otherwise). */
export function residentInput(overrides: Partial<NewResident> = {}): NewResident {
  residentCounter++;
  return {
    id: `test-resident-${residentCounter}-${Math.random().toString(36).slice(2, 8)}`,
    fullName: '試験\u3000花子',
    address: '東京都試験区見本町一丁目２番３号',
    birthDate: '1990-01-02',
    sex: 2,
    municipalityCode: '139904',
    municipalityName: '試験区',
    ...overrides,
  };
}

/** Registers a resident, issues their card and reads the card file back (the "physical card"). */
export async function residentWithCard(
  t: TestIssuer,
  overrides: Partial<NewResident> = {},
): Promise<{ residentId: string; card: SandboxCard }> {
  const r = await t.store.residents.create(residentInput(overrides), t.clock().getTime());
  const issued = await issueCard(t.deps, r.id, { now: t.clock(), pinKdf: TEST_PIN_KDF });
  return { residentId: r.id, card: await readCardFile(issued.cardFile) };
}

/** JSON request helper over app.request(). */
export async function post(
  app: Hono,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: res.headers,
  };
}

/** A fresh challenge from the issuer. */
export async function challenge(app: Hono): Promise<{ challengeId: string; challenge: Uint8Array }> {
  const r = await post(app, '/installations/challenges', undefined);
  if (r.status !== 201) throw new Error(`challenge: ${r.status}`);
  return {
    challengeId: r.json.challengeId as string,
    challenge: new Uint8Array(Buffer.from(r.json.challenge as string, 'base64url')),
  };
}

/** The card-step body signed by the card's signature key (detached CMS over the canonical request). */
export function signedCardStep(
  card: { signature?: { privateKey: KeyObject; certificate: Uint8Array } },
  fields: { family: 'iphone' | 'android'; nonce: string; deviceInfo?: Record<string, string> },
  signingTime: Date,
): Record<string, unknown> {
  if (!card.signature) throw new Error('this card has no signature key');
  const cms = signCms({
    content: canonicalInstallationRequest(fields),
    detached: true,
    signer: { certificate: card.signature.certificate, privateKey: card.signature.privateKey },
    signingTime,
  });
  return { ...fields, proof: { type: 'signature', cms: Buffer.from(cms).toString('base64') } };
}

/** A user-authentication proof by `key` / `certificate` over a challenge. */
export function userAuthProof(
  ch: { challengeId: string; challenge: Uint8Array },
  key: { privateKey: KeyObject; certificate: Uint8Array },
): { challengeId: string; signature: string; certificate: string } {
  return {
    challengeId: ch.challengeId,
    signature: Buffer.from(signAuthChallenge(ch.challenge, key.privateKey)).toString('base64'),
    certificate: Buffer.from(key.certificate).toString('base64'),
  };
}

/** A platform attester: its key and its chain (leaf, attestation CA). */
export interface Attester {
  readonly key: KeyObject;
  readonly chain: readonly Uint8Array[];
}

/** An attester certified by the hierarchy's platform attestation CA. */
export async function sandboxAttester(h: SandboxHierarchy): Promise<Attester> {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ca = h.attestation.ca;
  const der = await createCertificateWithSigner({
    subject: 'C=JP, O=mynakit sandbox, CN=Test phone platform attester',
    issuer: { certificate: ca.certificate, signer: ca.signer },
    publicKey: pair.publicKey,
    notBefore: ca.certificate.notBefore,
    notAfter: ca.certificate.notAfter,
    extensions: [
      { type: 'basicConstraints', ca: false, critical: true },
      { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
    ],
  });
  return { key: pair.privateKey, chain: [der, ca.der] };
}

/** An attester under a CA nobody configured (a self-signed root of its own). */
export function foreignAttester(notBefore: Date, notAfter: Date): Attester & { root: Certificate } {
  const rootPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const rootDer = createCertificate({
    subject: 'C=JP, O=mynakit sandbox, CN=Sandbox platform attestation root CA',
    publicKey: rootPair.publicKey,
    privateKey: rootPair.privateKey,
    notBefore,
    notAfter,
    extensions: [
      { type: 'basicConstraints', ca: true, critical: true },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'], critical: true },
    ],
  });
  const root = parseCertificate(rootDer);
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = createCertificate({
    subject: 'C=JP, O=elsewhere, CN=Foreign attester',
    issuer: { certificate: root, privateKey: rootPair.privateKey },
    publicKey: pair.publicKey,
    notBefore,
    notAfter,
    extensions: [
      { type: 'basicConstraints', ca: false, critical: true },
      { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
    ],
  });
  return { key: pair.privateKey, chain: [der], root };
}

/** A key attestation JWT for `keys` (default key storage iso_18045_high). */
export function attest(
  attester: Attester,
  keys: readonly KeyObject[],
  o: { nonce?: string; iat: Date; keyStorage?: readonly string[] },
): Promise<string> {
  return createKeyAttestationJwt({
    attestationKey: attester.key,
    x5c: attester.chain,
    attestedKeys: keys,
    keyStorage: o.keyStorage ?? ['iso_18045_high'],
    userAuthentication: ['iso_18045_high'],
    iat: o.iat,
    ...(o.nonce === undefined ? {} : { nonce: o.nonce }),
  });
}

/** The phone's two JPKI keys (generated "in its secure element"). */
export interface PhoneKeys {
  readonly sign: { publicKey: KeyObject; privateKey: KeyObject };
  readonly auth: { publicKey: KeyObject; privateKey: KeyObject };
}

/** Two fresh RSA-2048 key pairs. */
export function phoneKeys(): PhoneKeys {
  return {
    sign: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    auth: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };
}

/** A base64 DER PKCS #10 request for a key pair. */
export function csrOf(pair: { publicKey: KeyObject; privateKey: KeyObject }): string {
  return Buffer.from(
    createCsr({ subject: 'CN=phone', publicKey: pair.publicKey, privateKey: pair.privateKey }),
  ).toString('base64');
}

/** The CSR-step body for `keys`, attested by `attester` with the installation's nonce. */
export async function certificateRequests(
  attester: Attester,
  keys: PhoneKeys,
  o: { nonce: string; iat: Date; withSign: boolean; keyStorage?: readonly string[] },
): Promise<Record<string, string>> {
  const auth = {
    authCsr: csrOf(keys.auth),
    authKeyAttestation: await attest(attester, [keys.auth.publicKey], o),
  };
  if (!o.withSign) return auth;
  return {
    ...auth,
    signCsr: csrOf(keys.sign),
    signKeyAttestation: await attest(attester, [keys.sign.publicKey], o),
  };
}
