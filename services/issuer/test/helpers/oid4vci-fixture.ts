/**
 * An issuer app as the service builds it — temporary data directory, encrypted key files, the sandbox CA
 * hierarchy, SQLite through openIssuerStore, a clock the test moves — and the wallet's half of OpenID4VCI
 * made with @mynakit/oid4vci: a platform attester certified by the sandbox attestation CA, key attestations,
 * key proofs and the token / nonce / credential requests, all through `app.request()`.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { createCertificateWithSigner } from '@mynakit/pki';
import {
  buildCredentialRequest,
  buildTokenRequest,
  createKeyAttestationJwt,
  createProofJwt,
} from '@mynakit/oid4vci';
import type { Hono } from 'hono';
import { createIssuerApp } from '../../src/app.js';
import { FileCertificateStore } from '../../src/ca/certificate-store.js';
import { ensureSandboxHierarchy, type SandboxHierarchy } from '../../src/ca/sandbox-hierarchy.js';
import type { IssuerDeps } from '../../src/context.js';
import { EncryptedFileKeySource } from '../../src/keys/encrypted-file-key-source.js';
import {
  type InstallationFamily,
  type IssuerStore,
  openIssuerStore,
  type ResidentSex,
} from '../../src/store/index.js';
import { CA_EPOCH, type TempDataDir, tempDataDir } from './sandbox-ca.js';

/** The tests' "now": a day after the hierarchy's first start. */
export const NOW = new Date(CA_EPOCH.getTime() + 86_400_000);
/** A loopback origin: OpenID4VCI allows http only there. */
export const ORIGIN = 'http://localhost:8787';
/** The tx_code every test offer carries. */
export const TX_CODE = '493817';

/** A platform attester: its key and its chain (leaf first, the sandbox attestation CA after it). */
export interface PlatformAttester {
  readonly key: KeyObject;
  readonly chain: readonly Uint8Array[];
}

/** A running issuer and what a test needs around it. */
export interface IssuerFixture {
  readonly app: Hono;
  readonly deps: IssuerDeps;
  readonly store: IssuerStore;
  readonly hierarchy: SandboxHierarchy;
  /** The attester the sandbox trusts (certified by hierarchy.attestation.ca). */
  readonly attester: PlatformAttester;
  /** Moves the app's clock. */
  setNow(now: Date): void;
  now(): Date;
  close(): Promise<void>;
}

/** A platform attester certified by `issuer` (a CA of the hierarchy, or any other for negative tests). */
export async function platformAttester(
  issuer: SandboxHierarchy['attestation']['ca'],
  notBefore: Date,
): Promise<PlatformAttester> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const leaf = await createCertificateWithSigner({
    subject: 'CN=Sandbox test platform key attester, O=mynakit sandbox, C=JP',
    issuer: { certificate: issuer.certificate, signer: issuer.signer },
    publicKey,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 365 * 86_400_000),
    extensions: [{ type: 'keyUsage', usages: ['digitalSignature'], critical: true }],
  });
  return { key: privateKey, chain: [leaf, issuer.der] };
}

/** Starts an issuer in a fresh temporary data directory. */
export async function issuerFixture(options: { txCodeAttemptLimit?: number } = {}): Promise<IssuerFixture> {
  const dir: TempDataDir = tempDataDir();
  const keySource = await EncryptedFileKeySource.open({ dataDir: dir.path });
  const hierarchy = await ensureSandboxHierarchy({
    keySource,
    store: new FileCertificateStore(dir.path),
    now: CA_EPOCH,
  });
  const store = await openIssuerStore({
    url: `sqlite:${dir.path}/issuer.sqlite`,
    ...(options.txCodeAttemptLimit === undefined ? {} : { txCodeAttemptLimit: options.txCodeAttemptLimit }),
  });
  let now = NOW;
  const deps: IssuerDeps = {
    store,
    keySource,
    hierarchy,
    config: { origin: ORIGIN, sandbox: true },
    clock: () => now,
  };
  const attester = await platformAttester(hierarchy.attestation.ca, CA_EPOCH);
  return {
    app: createIssuerApp(deps),
    deps,
    store,
    hierarchy,
    attester,
    setNow: (d) => {
      now = d;
    },
    now: () => now,
    close: async () => {
      await store.close();
      dir.remove();
    },
  };
}

/** What a test resident looks like (defaults: an adult woman in a fictional ward). */
export interface TestResidentInput {
  readonly fullName?: string;
  readonly fullNameKana?: string | null;
  readonly birthDate?: string;
  readonly sex?: ResidentSex;
  /** Whether the card carries a signature certificate (false: a holder under 15). */
  readonly signatureCertificate?: boolean;
}

/** A pending installation with its offer, made through the store as the card step makes them. */
export interface PendingInstallation {
  readonly installationId: string;
  readonly residentId: string;
  readonly cardId: string;
  readonly preAuthorizedCode: string;
  readonly txCode: string;
}

/** Registers a resident with an active card. */
export async function residentWithCard(
  f: IssuerFixture,
  input: TestResidentInput = {},
): Promise<{ residentId: string; cardId: string }> {
  const at = f.now().getTime();
  const resident = await f.store.residents.create(
    {
      id: `test-${randomUUID()}`,
      fullName: input.fullName ?? '番号　花子',
      fullNameKana: input.fullNameKana === undefined ? 'バンゴウ　ハナコ' : input.fullNameKana,
      address: '東京都試験区見本町一丁目２番３号',
      birthDate: input.birthDate ?? '1986-04-01',
      sex: input.sex ?? 2,
      municipalityCode: '139904',
      municipalityName: '試験区',
    },
    at,
  );
  const withSign = input.signatureCertificate ?? true;
  const card = await f.store.cards.create(
    {
      residentId: resident.id,
      cardNumber: `C${randomBytes(8).toString('hex')}`,
      issuedAt: at - 86_400_000,
      expiresAt: at + 5 * 365 * 86_400_000,
      // The card's certificates are not read on this path: placeholders.
      signCert: withSign ? new Uint8Array([0x30, 0x00]) : null,
      authCert: new Uint8Array([0x30, 0x00]),
      signPasswordVerifier: withSign ? 'placeholder' : null,
      authPinVerifier: 'placeholder',
      supportPinVerifier: 'placeholder',
    },
    at,
  );
  return { residentId: resident.id, cardId: card.id };
}

/** An offer for an installation: a fresh pre-authorized code with TX_CODE, valid 10 minutes. */
export async function offerFor(
  f: IssuerFixture,
  installationId: string,
): Promise<{ preAuthorizedCode: string; txCode: string }> {
  const preAuthorizedCode = randomBytes(32).toString('base64url');
  const at = f.now().getTime();
  await f.store.offers.create(
    { preAuthorizedCode, installationId, txCode: TX_CODE, expiresAt: at + 600_000 },
    at,
  );
  return { preAuthorizedCode, txCode: TX_CODE };
}

/** A resident, a card, a pending installation of `family` and its offer. */
export async function pendingInstallation(
  f: IssuerFixture,
  family: InstallationFamily,
  resident: TestResidentInput = {},
): Promise<PendingInstallation> {
  const { residentId, cardId } = await residentWithCard(f, resident);
  const installation = await f.store.installations.begin({ residentId, family, cardId }, f.now().getTime());
  return { installationId: installation.id, residentId, cardId, ...(await offerFor(f, installation.id)) };
}

/** POSTs a form to the token endpoint. */
export function tokenRequest(f: IssuerFixture, body: URLSearchParams | string): Promise<Response> {
  return Promise.resolve(
    f.app.request('/oid4vci/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    }),
  );
}

/** Exchanges a pre-authorized code for an access token (the request must succeed). */
export async function accessToken(f: IssuerFixture, code: string, txCode: string): Promise<string> {
  const res = await tokenRequest(f, buildTokenRequest({ preAuthorizedCode: code, txCode }));
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A fresh c_nonce. */
export async function cNonce(f: IssuerFixture): Promise<string> {
  const res = await f.app.request('/oid4vci/nonce', { method: 'POST' });
  return ((await res.json()) as { c_nonce: string }).c_nonce;
}

/** What a key attestation says (defaults: a secure element, high on both counts). */
export interface AttestationInput {
  readonly attester?: PlatformAttester;
  readonly keyStorage?: readonly string[];
  readonly userAuthentication?: readonly string[];
  readonly nonce?: string;
  readonly attestedKeys?: readonly KeyObject[];
}

/** A device key and a key proof for it carrying a key attestation, as a wallet builds them. */
export async function attestedProof(
  f: IssuerFixture,
  nonce: string,
  options: AttestationInput & { readonly deviceKey?: KeyObject; readonly signingKey?: KeyObject } = {},
): Promise<{ proof: string; deviceKey: KeyObject }> {
  const device = options.deviceKey ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const now = f.now();
  const attester = options.attester ?? f.attester;
  const keyAttestation = await createKeyAttestationJwt({
    attestationKey: attester.key,
    x5c: attester.chain,
    attestedKeys: options.attestedKeys ?? [device],
    keyStorage: options.keyStorage ?? ['iso_18045_high'],
    userAuthentication: options.userAuthentication ?? ['iso_18045_high'],
    nonce: options.nonce ?? nonce,
    iat: new Date(now.getTime() - 1000),
    exp: new Date(now.getTime() + 600_000),
  });
  const proof = await createProofJwt({
    privateKey: options.signingKey ?? device,
    keyAttestation,
    kid: '0',
    audience: ORIGIN,
    nonce,
    iat: now,
  });
  return { proof, deviceKey: device };
}

/** POSTs a Credential Request with a bearer token (omitted when `token` is undefined). */
export function credentialRequest(
  f: IssuerFixture,
  token: string | undefined,
  body: unknown,
  path = '/oid4vci/credential',
): Promise<Response> {
  return Promise.resolve(
    f.app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    }),
  );
}

/** The whole wallet side for one configuration: token, nonce, proof, credential request. */
export async function obtain(
  f: IssuerFixture,
  offer: { preAuthorizedCode: string; txCode: string },
  configurationId: string,
): Promise<{ response: Response; deviceKey: KeyObject; token: string }> {
  const token = await accessToken(f, offer.preAuthorizedCode, offer.txCode);
  const { proof, deviceKey } = await attestedProof(f, await cNonce(f));
  const response = await credentialRequest(
    f,
    token,
    buildCredentialRequest({ credentialConfigurationId: configurationId, proofs: [proof] }),
  );
  return { response, deviceKey, token };
}
