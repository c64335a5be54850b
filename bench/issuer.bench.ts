/**
 * The issuer at national scale: whole installations per second, in one process, on SQLite with a register
 * of 10^6 residents.
 *
 * Workload: an iPhone installation of an adult holder, every step through `app.request()` exactly as a
 * phone sends it —
 *   POST /installations/challenges → POST /installations (the card step: CMS by the card's signature key)
 *   → POST /installations/{id}/jpki-certificates (two attested RSA-2048 CSRs: both certificates issued and
 *   staged) → POST /oid4vci/token (pre-authorized code + tx_code) → POST /oid4vci/nonce
 *   → POST /oid4vci/credential (attested key proof: the record issued, the installation completed).
 * Each installation is a different resident drawn from the 10^6 (their cards issued in the setup); the
 * register is bulk-inserted once into a cached SQLite file under the OS temp directory and copied for each
 * run, so every run starts from the same database.
 *
 * What is timed is the issuer: the time spent inside `app.request()`. The phone's own work between the
 * requests (its CMS signature, key attestations, key proofs) is not the issuer's and is left out; key
 * generation is setup (the cards and the phone keys come from a small pool of RSA-2048 keys, every
 * certificate, signature and record being distinct). A few installations warm V8 up first.
 *
 * The signing floor: the signatures one installation makes on the issuer's side — the two JPKI
 * certificates (RSA-2048 PKCS #1 v1.5, SHA-256) and the record's MSO (ECDSA P-256, SHA-256) — made raw with
 * node:crypto in the same run.
 *
 * The crypto floor: every public-key operation one installation performs on the issuer's side — the
 * signatures above and the verifications the issuer must make — made raw with node:crypto on keys of the
 * same kinds and data of about the same sizes, in the same run. Read off the six requests' code path (and
 * counted by instrumenting node:crypto and WebCrypto during the installations: 2 RSA signatures, 1 ECDSA
 * signature, 6 RSA verifications, 4 ECDSA verifications):
 *   POST /installations/challenges          none
 *   POST /installations (card step)         1. the CMS signature by the card's signature key: RSA-2048
 *                                              verify (@mynakit/pki verifyCmsSignature, from @mynakit/jpki
 *                                              verifyJpkiSignature, installations/card-step.ts)
 *                                           2. the card's signature certificate under the sandbox JPKI
 *                                              signature CA: RSA-2048 verify (path validation in
 *                                              @mynakit/jpki checkCertificate → @mynakit/pki)
 *   POST /installations/{id}/jpki-certificates
 *                                           3–4. the two CSRs' self-signatures: RSA-2048 verify ×2
 *                                              (@mynakit/pki parseCsr, certificate-requests.ts readCsr)
 *                                           5–6. the two key attestation JWTs: ES256 verify ×2 (@mynakit/oid4vci
 *                                              verifyKeyAttestationContent → verifyJws, through jose)
 *                                           7–8. the two certificates signed: RSA-2048 sign ×2 (the key source)
 *                                           9–10. each of them checked under the CA's public key before it is
 *                                              returned: RSA-2048 verify ×2 (@mynakit/pki signVerified: a key
 *                                              source or HSM answering with another key is refused)
 *   POST /oid4vci/token, /oid4vci/nonce     none (the tx_code is an HMAC: tx_code_kdf_ms)
 *   POST /oid4vci/credential                11. the key attestation in the proof's header: ES256 verify
 *                                           12. the key proof JWT under the attested key: ES256 verify
 *                                              (@mynakit/oid4vci verifyCredentialRequestProofs)
 *                                           13. the MSO: ECDSA P-256 sign (the key source, issue-record.ts)
 * Not in the floor: the key attestations' x5c chains (attester leaf under the platform attestation CA, CA
 * under the root: ECDSA P-256 verify ×2 per chain). @mynakit/oid4vci AttesterTrust validates a chain once
 * and keeps it by its exact x5c text, checking only the time again; every phone of this workload shares one
 * attester chain, so no installation verifies it. (A platform whose attester certificate differs per
 * device would add 2 ECDSA verifications per attestation, 6 per installation.) Key imports (the EC point
 * checks of received JWKs) are not signature operations and are not counted either.
 * An installation can never be faster than its crypto, so crypto_floor_per_s ÷ signing_floor_per_s (about
 * 0.55 here: the six RSA and four ECDSA verifications cost nearly as much as the three signatures) is the best
 * vs_signing this issuer can reach, whatever else is made faster.
 *
 * Nor can it skip its two durable commits (services/issuer/src/store/store-support.ts: the certificates staged
 * — they are on their way to the phone — and the installation completed with its record, each synced to disk
 * before the answer; a power loss must not take back a credential already handed out). Their cost is measured
 * raw on the same disk: a WAL-mode SQLite file in the run's data folder, `synchronous = FULL`, one 2 KiB row per
 * commit. Crypto plus those two commits is the floor of an installation on this machine.
 *
 * Figures:
 *   issuer.install.per_s                installations per second of issuer time
 *   issuer.install.signing_floor_per_s  the floor: one installation's signatures, per second
 *   issuer.install.vs_signing           the ratio (goal ≥ 0.5)
 *   issuer.install.crypto_floor_per_s   the ceiling: one installation's signatures and verifications, per
 *                                       second (the cost of each kind of operation in its note)
 *   issuer.install.vs_crypto_floor      installations per second ÷ the crypto floor
 *   issuer.install.vs_signing_ceiling   the best vs_signing reachable: crypto floor ÷ signing floor
 *   issuer.install.durable_commit_ms    one durable SQLite commit, raw, on the run's disk, ms
 *   issuer.install.durable_floor_per_s  one installation's crypto and its two durable commits, per second
 *   issuer.install.vs_signing_ceiling_durable  the best vs_signing reachable with the commits an installation
 *                                       must make: durable floor ÷ signing floor
 *   issuer.install.tx_code_kdf_ms       what the offer's tx_code verifier (made at the card step, checked at
 *                                       the token endpoint: HMAC-SHA-256 keyed by the code) costs per
 *                                       installation, ms
 */

import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildCredentialRequest,
  buildTokenRequest,
  createKeyAttestationJwt,
  createProofJwt,
  parseCredentialOffer,
} from '@mynakit/oid4vci';
import { createCertificateWithSigner, createCsr, signCms } from '@mynakit/pki';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { createIssuerApp } from '../services/issuer/src/app.js';
import { FileCertificateStore } from '../services/issuer/src/ca/certificate-store.js';
import {
  issueSandboxSignatureCertificate,
  issueSandboxUserAuthenticationCertificate,
} from '../services/issuer/src/ca/jpki-certificates.js';
import {
  ensureSandboxHierarchy,
  type SandboxHierarchy,
} from '../services/issuer/src/ca/sandbox-hierarchy.js';
import { calendarDateOf, cardExpiry } from '../services/issuer/src/cards/card-validity.js';
import { basicFourOf } from '../services/issuer/src/cards/issue-card.js';
import { jpkiMunicipalityOf } from '../services/issuer/src/cards/municipality.js';
import type { IssuerDeps } from '../services/issuer/src/context.js';
import { canonicalInstallationRequest } from '../services/issuer/src/installations/installation-request.js';
import { EncryptedFileKeySource } from '../services/issuer/src/keys/encrypted-file-key-source.js';
import { syntheticResidents } from '../services/issuer/src/residents/seed-residents.js';
import {
  createTxCodeVerifier,
  type IssuerStore,
  openIssuerStore,
  verifyTxCode,
} from '../services/issuer/src/store/index.js';
import { type BenchFigure, opsPerSecond } from './figure.js';

const RESIDENTS = 1_000_000;
const SEED = 20260401;
const INSTALLS = 40;
const WARMUP = 4;
const ORIGIN = 'http://localhost:8787';
/** Bump when the cached register's contents would change. */
const CACHE_VERSION = 1;

type Pair = { publicKey: KeyObject; privateKey: KeyObject };
const rsa = (): Pair => generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = (): Pair => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** The register of 10^6 residents, bulk-inserted once per machine into the OS temp directory. */
async function cachedRegister(): Promise<{ file: string; insertSeconds?: number }> {
  const dir = join(tmpdir(), 'mynakit-bench-issuer');
  const file = join(dir, `residents-${RESIDENTS}-seed${SEED}-v${CACHE_VERSION}.sqlite`);
  if (existsSync(file)) return { file };
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  rmSync(partial, { force: true });
  const store = await openIssuerStore({ url: `sqlite:${partial}` });
  const t = performance.now();
  try {
    await store.residents.bulkInsert(syntheticResidents(RESIDENTS, { seed: SEED }), {
      now: Date.UTC(2026, 3, 1),
    });
  } finally {
    await store.close();
  }
  const insertSeconds = (performance.now() - t) / 1000;
  renameSync(partial, file);
  return { file, insertSeconds };
}

/** A holder in the bench: the resident, the card's signature key and certificate. */
interface Holder {
  readonly residentId: string;
  readonly signKey: KeyObject;
  readonly signCert: Uint8Array;
}

/** Cards for `count` adult residents of the register, keys from a pool, certificates from the sandbox CAs. */
async function issueCards(
  store: IssuerStore,
  h: SandboxHierarchy,
  count: number,
  now: Date,
): Promise<Holder[]> {
  const rows = await store.db
    .selectFrom('residents')
    .select('id')
    .where('birth_date', '<=', '2000-01-01')
    .where('birth_date', '>=', '1950-01-01')
    .orderBy('id') // random UUIDs: a random sample across the register
    .limit(count)
    .execute();
  if (rows.length < count) throw new Error('the register has too few adults');
  const signPair = rsa();
  const authPair = rsa();
  const holders: Holder[] = [];
  for (const { id } of rows) {
    const resident = await store.residents.get(id);
    if (resident === undefined) throw new Error('resident vanished');
    const birthDate = calendarDateOf(resident.birthDate);
    const municipality = jpkiMunicipalityOf(resident.municipalityCode);
    const cardExpiresAt = cardExpiry(birthDate, now);
    const common = { issuedAt: now, cardExpiresAt };
    const signCert = await issueSandboxSignatureCertificate(
      h,
      { basicFour: basicFourOf(resident), municipality },
      { ...common, publicKey: signPair.publicKey },
    );
    const authCert = await issueSandboxUserAuthenticationCertificate(
      h,
      { birthDate, municipality },
      { ...common, publicKey: authPair.publicKey },
    );
    await store.cards.create(
      {
        residentId: id,
        cardNumber: `B${holders.length.toString().padStart(11, '0')}`,
        issuedAt: now.getTime(),
        expiresAt: cardExpiresAt.getTime(),
        signCert: signCert.der,
        authCert: authCert.der,
        // The card step checks the card's signature, never a PIN: placeholders.
        signPasswordVerifier: 'unused',
        authPinVerifier: 'unused',
        supportPinVerifier: 'unused',
        signSerial: signCert.serialNumber.toLowerCase(),
        authSerial: authCert.serialNumber.toLowerCase(),
      },
      now.getTime(),
    );
    holders.push({ residentId: id, signKey: signPair.privateKey, signCert: signCert.der });
  }
  return holders;
}

/** The phone's side: its platform attester and its two JPKI keys with their (reusable) CSRs. */
interface Phone {
  readonly attesterKey: KeyObject;
  readonly attesterChain: readonly Uint8Array[];
  readonly sign: Pair & { csr: string };
  readonly auth: Pair & { csr: string };
}

async function phone(h: SandboxHierarchy, now: Date): Promise<Phone> {
  const attester = ec();
  const ca = h.attestation.ca;
  const leaf = await createCertificateWithSigner({
    subject: 'C=JP, O=mynakit sandbox, CN=Bench phone platform attester',
    issuer: { certificate: ca.certificate, signer: ca.signer },
    publicKey: attester.publicKey,
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: ca.certificate.notAfter,
    extensions: [
      { type: 'basicConstraints', ca: false, critical: true },
      { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
    ],
  });
  const withCsr = (p: Pair) => ({
    ...p,
    csr: Buffer.from(
      createCsr({ subject: 'CN=phone', publicKey: p.publicKey, privateKey: p.privateKey }),
    ).toString('base64'),
  });
  return {
    attesterKey: attester.privateKey,
    attesterChain: [leaf, ca.der],
    sign: withCsr(rsa()),
    auth: withCsr(rsa()),
  };
}

/** app.request with the time spent inside it added up: the issuer's time. */
class TimedClient {
  issuerMs = 0;
  /** Issuer time by route, for the breakdown in the note. */
  readonly byStep = new Map<string, number>();
  constructor(private readonly app: Hono) {}

  reset(): void {
    this.issuerMs = 0;
    this.byStep.clear();
  }

  async post(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    form = false,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const init = {
      method: 'POST',
      headers: {
        'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
        ...headers,
      },
      body: body === undefined ? null : form ? String(body) : JSON.stringify(body),
    };
    const t = performance.now();
    const res = await this.app.request(path, init);
    const text = await res.text();
    const ms = performance.now() - t;
    this.issuerMs += ms;
    const step = path.replace(/^\/installations\/[^/]+\//, '/installations/{id}/');
    this.byStep.set(step, (this.byStep.get(step) ?? 0) + ms);
    return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }
}

function expectStatus(step: string, r: { status: number; json: unknown }, status: number): void {
  if (r.status !== status) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.json)}`);
}

/** One whole iPhone installation for `holder`. */
async function install(client: TimedClient, holder: Holder, p: Phone, clock: () => Date): Promise<void> {
  const ch = await client.post('/installations/challenges', undefined);
  expectStatus('challenge', ch, 201);
  const fields = { family: 'iphone' as const, nonce: ch.json.challengeId as string };
  const cms = signCms({
    content: canonicalInstallationRequest(fields),
    detached: true,
    signer: { certificate: holder.signCert, privateKey: holder.signKey },
    signingTime: clock(),
  });
  const started = await client.post('/installations', {
    ...fields,
    proof: { type: 'signature', cms: Buffer.from(cms).toString('base64') },
  });
  expectStatus('card step', started, 201);

  const attest = (keys: KeyObject[], nonce: string, exp?: Date) =>
    createKeyAttestationJwt({
      attestationKey: p.attesterKey,
      x5c: p.attesterChain,
      attestedKeys: keys,
      keyStorage: ['iso_18045_high'],
      userAuthentication: ['iso_18045_high'],
      nonce,
      iat: clock(),
      ...(exp === undefined ? {} : { exp }),
    });
  const keyNonce = started.json.keyAttestationNonce as string;
  const certs = await client.post(
    `/installations/${started.json.installationId as string}/jpki-certificates`,
    {
      signCsr: p.sign.csr,
      signKeyAttestation: await attest([p.sign.publicKey], keyNonce),
      authCsr: p.auth.csr,
      authKeyAttestation: await attest([p.auth.publicKey], keyNonce),
    },
    { authorization: `Bearer ${started.json.installationToken as string}` },
  );
  expectStatus('certificates', certs, 200);

  const offer = parseCredentialOffer(started.json.credentialOffer);
  const token = await client.post(
    '/oid4vci/token',
    buildTokenRequest({
      preAuthorizedCode: offer.preAuthorizedCode as string,
      txCode: started.json.txCode as string,
    }),
    {},
    true,
  );
  expectStatus('token', token, 200);
  const nonce = await client.post('/oid4vci/nonce', undefined);
  expectStatus('nonce', nonce, 200);
  const cNonce = nonce.json.c_nonce as string;
  const device = ec();
  const proof = await createProofJwt({
    privateKey: device.privateKey,
    keyAttestation: await attest([device.publicKey], cNonce, new Date(clock().getTime() + 300_000)),
    kid: '0',
    audience: ORIGIN,
    nonce: cNonce,
    iat: clock(),
  });
  const credential = await client.post(
    '/oid4vci/credential',
    buildCredentialRequest({
      credentialConfigurationId: offer.credentialConfigurationIds[0] as string,
      proofs: [proof],
    }),
    { authorization: `Bearer ${token.json.access_token as string}` },
  );
  expectStatus('credential', credential, 200);
}

/** One installation's signatures on the issuer's side, raw: two RSA-2048 certificates and one ECDSA MSO. */
function signingFloor(rsaKey: KeyObject, ecKey: KeyObject): Promise<number> {
  const tbsCertificate = new Uint8Array(1100).fill(0x5a); // about the size of a JPKI TBSCertificate
  const sigStructure = new Uint8Array(900).fill(0xa5); // Sig_structure over MobileSecurityObjectBytes
  let i = 0;
  return opsPerSecond(() => {
    tbsCertificate[0] = i & 0xff;
    sigStructure[0] = i++ & 0xff;
    sign('sha256', tbsCertificate, rsaKey);
    sign('sha256', tbsCertificate, rsaKey);
    sign('sha256', sigStructure, { key: ecKey, dsaEncoding: 'ieee-p1363' });
  }, 2000);
}

/**
 * One installation's public-key operations on the issuer's side, raw (the list in the file comment): the
 * three signatures of the signing floor, six RSA-2048 verifications (the card's CMS and certificate, the
 * two CSRs, the two certificates checked after signing) and four ES256 verifications (three key
 * attestations, one key proof). The received signatures are made once beforehand and must verify.
 */
async function cryptoFloor(
  rsaPair: Pair,
  ecPair: Pair,
): Promise<{ perSecond: number; opMicroseconds: Record<string, number> }> {
  const tbsCertificate = new Uint8Array(1100).fill(0x5a);
  const sigStructure = new Uint8Array(900).fill(0xa5);
  const rsaSigned = (size: number, fill: number) => {
    const data = new Uint8Array(size).fill(fill);
    return { data, signature: sign('sha256', data, rsaPair.privateKey) };
  };
  const ecSigned = (size: number, fill: number) => {
    const data = new Uint8Array(size).fill(fill);
    return { data, signature: sign('sha256', data, { key: ecPair.privateKey, dsaEncoding: 'ieee-p1363' }) };
  };
  const rsaReceived = [
    rsaSigned(110, 0x31), // the card's CMS SignedAttributes (contentType, signingTime, messageDigest)
    rsaSigned(1100, 0x30), // the card's TBSCertificate
    rsaSigned(300, 0x32), // CertificationRequestInfo of the signature key's CSR
    rsaSigned(300, 0x33), // … of the user-authentication key's CSR
    rsaSigned(1100, 0x34), // the signature certificate's TBSCertificate, checked after signing
    rsaSigned(1100, 0x35), // the user-authentication certificate's TBSCertificate, checked after signing
  ];
  const ecReceived = [
    ecSigned(1500, 0x41), // a CSR's key attestation: BASE64URL(header with x5c) '.' BASE64URL(payload)
    ecSigned(1500, 0x42),
    ecSigned(1200, 0x43), // the device key's attestation
    ecSigned(2300, 0x44), // the key proof, the attestation in its header
  ];
  const rsaVerify = (r: { data: Uint8Array; signature: Uint8Array }) =>
    verify('sha256', r.data, rsaPair.publicKey, r.signature);
  const ecVerify = (r: { data: Uint8Array; signature: Uint8Array }) =>
    verify('sha256', r.data, { key: ecPair.publicKey, dsaEncoding: 'ieee-p1363' }, r.signature);
  if (!rsaReceived.every(rsaVerify) || !ecReceived.every(ecVerify))
    throw new Error('a received signature of the crypto floor does not verify');
  let i = 0;
  const rsaSign = () => {
    tbsCertificate[0] = i++ & 0xff;
    return sign('sha256', tbsCertificate, rsaPair.privateKey);
  };
  const ecSign = () => {
    sigStructure[0] = i++ & 0xff;
    return sign('sha256', sigStructure, { key: ecPair.privateKey, dsaEncoding: 'ieee-p1363' });
  };
  const perSecond = await opsPerSecond(() => {
    rsaSign();
    rsaSign();
    ecSign();
    for (const r of rsaReceived) if (!rsaVerify(r)) throw new Error('RSA verification failed');
    for (const r of ecReceived) if (!ecVerify(r)) throw new Error('ECDSA verification failed');
  }, 2000);
  const micros = async (op: () => unknown) => 1e6 / (await opsPerSecond(op, 300));
  const first = (list: { data: Uint8Array; signature: Uint8Array }[]) => list[0] as (typeof list)[0];
  return {
    perSecond,
    opMicroseconds: {
      'RSA-2048 sign': await micros(rsaSign),
      'ECDSA P-256 sign': await micros(ecSign),
      'RSA-2048 verify': await micros(() => rsaVerify(first(rsaReceived))),
      'ES256 verify': await micros(() => ecVerify(first(ecReceived))),
    },
  };
}

/** Durable commits per installation: the certificates staged, the installation completed. */
const DURABLE_COMMITS_PER_INSTALLATION = 2;

/**
 * One durable commit, raw, ms: a WAL-mode SQLite file in `dir` with `synchronous = FULL` (the log synced before
 * the commit returns), one 2 KiB row per commit — the shape of the issuer's durable transactions without its
 * statements.
 */
function durableCommitMs(dir: string): number {
  const db = new Database(join(dir, 'durable-commit.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const row = Buffer.alloc(2048, 0x5a);
    for (let i = 0; i < 50; i++) insert.run(row);
    const rounds = 500;
    const t = performance.now();
    for (let i = 0; i < rounds; i++) insert.run(row);
    return (performance.now() - t) / rounds;
  } finally {
    db.close();
  }
}

/** The tx_code's share: one verifier made (card step) and one checked (token endpoint). */
async function txCodeKdfMs(): Promise<number> {
  const code = 'a-pre-authorized-code-of-43-characters-xxxx';
  const t = performance.now();
  const rounds = 1000;
  for (let i = 0; i < rounds; i++) await verifyTxCode('123456', code, createTxCodeVerifier('123456', code));
  return (performance.now() - t) / rounds;
}

/** Runs the issuer benchmark. */
export async function runIssuerBench(): Promise<BenchFigure[]> {
  const started = performance.now();
  const register = await cachedRegister();
  const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bench-issuer-run-'));
  try {
    copyFileSync(register.file, join(dataDir, 'issuer.sqlite'));
    const store = await openIssuerStore({ url: `sqlite:${join(dataDir, 'issuer.sqlite')}` });
    try {
      const now = new Date();
      const keySource = await EncryptedFileKeySource.open({ dataDir });
      const hierarchy = await ensureSandboxHierarchy({
        keySource,
        store: new FileCertificateStore(dataDir),
        now,
      });
      const holders = await issueCards(store, hierarchy, WARMUP + INSTALLS, now);
      const p = await phone(hierarchy, now);
      const clock = () => new Date();
      const deps: IssuerDeps = {
        store,
        keySource,
        hierarchy,
        config: { origin: ORIGIN, sandbox: true },
        clock,
      };
      const client = new TimedClient(createIssuerApp(deps));
      for (const holder of holders.slice(0, WARMUP)) await install(client, holder, p, clock);
      client.reset();
      const wall = performance.now();
      for (const holder of holders.slice(WARMUP)) await install(client, holder, p, clock);
      const wallSeconds = (performance.now() - wall) / 1000;
      const active = await store.db
        .selectFrom('installations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'active')
        .executeTakeFirstOrThrow();
      if (Number(active.n) !== WARMUP + INSTALLS) throw new Error('not every installation completed');

      const perSecond = (INSTALLS * 1000) / client.issuerMs;
      const floor = await signingFloor(p.sign.privateKey, ec().privateKey);
      const cryptoOps = await cryptoFloor(p.sign, ec());
      const kdfMs = await txCodeKdfMs();
      const commitMs = durableCommitMs(dataDir);
      const durableFloor = 1000 / (1000 / cryptoOps.perSecond + DURABLE_COMMITS_PER_INSTALLATION * commitMs);
      const note =
        `${INSTALLS} iPhone installations (card step, 2 CSRs, token, nonce, credential) of residents drawn from ` +
        `${RESIDENTS.toLocaleString('en')} on SQLite; issuer time only (wall ${(INSTALLS / wallSeconds).toFixed(1)}/s ` +
        `with the phone's own signing); tx_code verifier ≈ ${kdfMs.toFixed(3)} ms/installation` +
        (register.insertSeconds === undefined
          ? ''
          : `; register bulk-inserted in ${register.insertSeconds.toFixed(1)} s (cached)`) +
        `; ms per installation by route: ${[...client.byStep]
          .map(([step, ms]) => `${step} ${(ms / INSTALLS).toFixed(1)}`)
          .join(', ')}` +
        `; whole bench ${((performance.now() - started) / 1000).toFixed(0)} s`;
      return [
        { name: 'issuer.install.per_s', value: round(perSecond, 2), unit: 'install/s', note },
        { name: 'issuer.install.signing_floor_per_s', value: Math.round(floor), unit: 'install/s' },
        {
          name: 'issuer.install.vs_signing',
          value: round(perSecond / floor, 4),
          unit: 'ratio',
          ratio_to: 'issuer.install.signing_floor_per_s',
        },
        {
          name: 'issuer.install.crypto_floor_per_s',
          value: Math.round(cryptoOps.perSecond),
          unit: 'install/s',
          note:
            'per installation: RSA-2048 sign ×2, ECDSA P-256 sign ×1, RSA-2048 verify ×6, ES256 verify ×4; µs per operation: ' +
            Object.entries(cryptoOps.opMicroseconds)
              .map(([op, us]) => `${op} ${us.toFixed(1)}`)
              .join(', '),
        },
        {
          name: 'issuer.install.vs_crypto_floor',
          value: round(perSecond / cryptoOps.perSecond, 4),
          unit: 'ratio',
          ratio_to: 'issuer.install.crypto_floor_per_s',
        },
        {
          name: 'issuer.install.vs_signing_ceiling',
          value: round(cryptoOps.perSecond / floor, 4),
          unit: 'ratio',
          ratio_to: 'issuer.install.signing_floor_per_s',
        },
        {
          name: 'issuer.install.durable_commit_ms',
          value: round(commitMs, 3),
          unit: 'ms',
          note: "one commit of a 2 KiB row, SQLite WAL synchronous=FULL, in the run's data folder",
        },
        {
          name: 'issuer.install.durable_floor_per_s',
          value: Math.round(durableFloor),
          unit: 'install/s',
          note: `the crypto floor plus the installation's ${DURABLE_COMMITS_PER_INSTALLATION} durable commits`,
        },
        {
          name: 'issuer.install.vs_signing_ceiling_durable',
          value: round(durableFloor / floor, 4),
          unit: 'ratio',
          ratio_to: 'issuer.install.signing_floor_per_s',
        },
        { name: 'issuer.install.tx_code_kdf_ms', value: round(kdfMs, 3), unit: 'ms' },
      ];
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t = performance.now();
  const figures = await runIssuerBench();
  console.log(JSON.stringify(figures, null, 2));
  console.error(`total ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
