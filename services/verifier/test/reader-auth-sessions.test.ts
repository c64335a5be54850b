/**
 * Reader authentication of the verifier's Annex C requests (ISO/IEC 18013-5 §9.1.4; ISO/IEC 18013-7 Annex C):
 * a relying party gets a reader key through the operator's routes (CSR out, certificate in), the sandbox
 * issuer's reader CA certifies it, and from then on every session's DeviceRequest is version "1.1" with
 * `readerAuthAll` over the session's own dcapi transcript. Checked with @mynakit/mdoc's reader-auth
 * verification and the @mynakit/oid4vp reader profile against the reader CA, then by the real wallet engine,
 * which names the requester, refuses a tampered signature, and releases My Number only to a certificate
 * declaring a legal basis. The private key is never in the database file in the clear.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64urlToBytes } from '@mynakit/cbor';
import { JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, verifyReaderAuth } from '@mynakit/mdoc';
import {
  annexCSessionTranscript,
  checkClientIdCertificate,
  checkReaderAuthProfile,
  createReaderAuthCertificateWithSigner,
  type MyNumberLegalBasis,
  parseAnnexCRequest,
  parseClientId,
} from '@mynakit/oid4vp';
import { parseCsr } from '@mynakit/pki';
import { presentAnnexC, readAnnexCRequest, WalletError } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import { openReaderKey } from '../src/relying-parties/reader-key.js';
import { openVerifierStore, type VerifierStore } from '../src/store/index.js';
import {
  BIOMETRIC,
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from './helpers/issuer-and-phone.js';
import {
  ADMIN,
  createRelyingParty,
  type OpenedSession,
  openSession,
  postSession,
  RP_ORIGIN,
  submit,
  type VerificationAnswer,
} from './helpers/verifier-fixture.js';

const START = new Date('2026-12-02T03:00:00Z');
const READER_KEK = new Uint8Array(32).fill(0x5a);
const BASIS: MyNumberLegalBasis = {
  provision: '行政手続における特定の個人を識別するための番号の利用等に関する法律 第19条',
  basisCode: '第3号',
};

async function walletCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

describe('reader authentication of Annex C sessions', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let dir: string;
  let store: VerifierStore;
  let app: ReturnType<typeof createVerifierApp>;
  let readerCa: Uint8Array;
  const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-reader-'));
    store = await openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` });
    app = createVerifierApp({
      store,
      config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN, readerKeyEncryptionKey: READER_KEK },
      clock: clock.read,
      writerId: 'test-writer',
      fetchStatusList: env.fetchFromIssuer,
    });
    readerCa = env.issuer.deps.hierarchy.reader.root.der;
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await env?.close();
  });

  /** The reader CA certifies the CSR the verifier answers, as the CA of a deployment would. */
  async function certify(
    rpId: string,
    options: { basis?: MyNumberLegalBasis; dnsName?: string } = {},
  ): Promise<Response> {
    const made = await app.request(`/relying-parties/${rpId}/reader-key`, {
      method: 'POST',
      headers: operator,
    });
    expect(made.status).toBe(201);
    const request = (await made.json()) as { csr: string; publicKey: string; dnsName?: string };
    const csr = parseCsr(Buffer.from(request.csr, 'base64'));
    expect(csr.signatureValid).toBe(true);
    expect(Buffer.from(csr.spkiDer).toString('base64')).toBe(request.publicKey);
    const ca = env.issuer.deps.hierarchy.reader.root;
    const dnsName = options.dnsName ?? request.dnsName;
    const leaf = await createReaderAuthCertificateWithSigner({
      subject: csr.subjectDer,
      publicKey: csr.publicKey,
      issuer: { certificate: ca.der, signer: ca.signer },
      notBefore: new Date(START.getTime() - 86_400_000),
      notAfter: new Date(START.getTime() + 90 * 86_400_000),
      ...(dnsName === undefined ? {} : { dnsNames: [dnsName] }),
      ...(options.basis === undefined ? {} : { myNumberLegalBasis: options.basis }),
    });
    return app.request(`/relying-parties/${rpId}/reader-key/certificate`, {
      method: 'PUT',
      headers: operator,
      body: JSON.stringify({ certificateChain: [Buffer.from(leaf).toString('base64')] }),
    });
  }

  function transcriptOf(session: OpenedSession, origin = RP_ORIGIN): Uint8Array {
    return annexCSessionTranscript(session.request.data.encryptionInfo, origin).sessionTranscriptBytes;
  }

  it('without a reader key the request is unsigned, and the session says so', async () => {
    const rp = await createRelyingParty(app, env, { name: 'Unsigned Bank' });
    const session = await openSession(app, rp.apiKey);
    expect((session as unknown as { readerAuthentication: unknown }).readerAuthentication).toEqual({
      form: 'none',
      reason: 'the relying party has no reader key installed',
    });
    const parsed = parseAnnexCRequest(session.request.data);
    expect(parsed.readerAuthentication).toBe('none');
    expect(parsed.deviceRequest.version).toBe('1.0');
  });

  it('signs every request with readerAuthAll, which verifies against the reader CA', async () => {
    const rp = await createRelyingParty(app, env, { name: 'サンプル銀行' });
    const installed = await certify(rp.id);
    expect(installed.status).toBe(200);
    const view = (await installed.json()) as {
      active: { subject: string; myNumberLegalBasisDeclared: boolean };
    };
    expect(view.active.subject).toContain('サンプル銀行');
    expect(view.active.myNumberLegalBasisDeclared).toBe(false);

    const session = await openSession(app, rp.apiKey);
    const readerAuthentication = (session as unknown as { readerAuthentication: Record<string, unknown> })
      .readerAuthentication;
    expect(readerAuthentication).toMatchObject({ form: 'readerAuthAll', myNumberLegalBasisDeclared: false });
    expect(readerAuthentication.readerCertificateSubject).toContain('サンプル銀行');

    const parsed = parseAnnexCRequest(session.request.data);
    expect(parsed.readerAuthentication).toBe('readerAuthAll');
    expect(parsed.deviceRequest.version).toBe('1.1');
    const result = verifyReaderAuth(parsed.deviceRequestBytes, {
      sessionTranscriptBytes: transcriptOf(session),
      trustAnchors: [readerCa],
      now: clock.now,
    });
    expect(result.verdict).toBe('valid');
    expect(result.checks.filter((c) => c.id === 'reader.signature').map((c) => c.status)).toEqual(['passed']);
    expect(result.docRequests[0]?.authenticated).toBe(true);
    const leaf = result.readerCertificate;
    expect(leaf).toBeDefined();
    if (leaf === undefined) return;
    // The reader profile, and the certificate is the one the x509_san_dns client id names.
    expect(checkReaderAuthProfile(leaf, { policy: 'strict' }).map((c) => c.status)).toEqual([
      'passed',
      'skipped',
    ]);
    const party = await store.relyingParties.get(rp.id);
    expect(() => checkClientIdCertificate(parseClientId(party?.clientId ?? ''), leaf)).not.toThrow();

    // Bound to this session: over another page's transcript, or to another root, it does not verify.
    expect(
      verifyReaderAuth(parsed.deviceRequestBytes, {
        sessionTranscriptBytes: transcriptOf(session, 'https://elsewhere.example'),
        trustAnchors: [readerCa],
        now: clock.now,
      }).verdict,
    ).toBe('invalid');
    expect(
      verifyReaderAuth(parsed.deviceRequestBytes, {
        sessionTranscriptBytes: transcriptOf(session),
        trustAnchors: [env.issuer.deps.hierarchy.mnc.iaca.der],
        now: clock.now,
      }).verdict,
    ).toBe('invalid');
  });

  it('the wallet engine accepts the signed request, names the requester, and the answer verifies', async () => {
    const rp = await createRelyingParty(app, env, { name: 'サンドボックス銀行' });
    expect((await certify(rp.id)).status).toBe(200);
    const session = await openSession(app, rp.apiKey);
    const summary = await readAnnexCRequest({
      device: env.phone,
      data: session.request.data,
      origin: RP_ORIGIN,
      readerTrustAnchors: [readerCa],
    });
    expect(summary.readerAuthentication).toBe('readerAuthAll');
    expect(summary.reader.authentication).toBe('verified');
    expect(summary.reader.subject).toContain('サンドボックス銀行');

    const presented = await presentAnnexC({
      device: env.phone,
      data: session.request.data,
      origin: RP_ORIGIN,
      readerTrustAnchors: [readerCa],
      consent: { [JP_MNC_DOCTYPE]: session.elements },
      userAuthentication: BIOMETRIC,
    });
    expect(presented.reader.subject).toContain('サンドボックス銀行');
    const res = await submit(app, rp.apiKey, session.sessionId, presented.response);
    expect(res.status).toBe(200);
    expect(((await res.json()) as VerificationAnswer).verdict).toBe('valid');
  });

  it('the wallet refuses a tampered readerAuth, a request signed for another page, and an untrusted reader', async () => {
    const rp = await createRelyingParty(app, env, { name: 'Tampered Bank' });
    expect((await certify(rp.id)).status).toBe(200);
    const session = await openSession(app, rp.apiKey);
    const read = (data: unknown, anchors = [readerCa], origin = RP_ORIGIN) =>
      readAnnexCRequest({ device: env.phone, data, origin, readerTrustAnchors: anchors });
    expect((await read(session.request.data)).reader.authentication).toBe('verified');

    // The DeviceRequest ends with readerAuthAll's COSE_Sign1, whose last member is the 64-byte signature.
    const bytes = base64urlToBytes(session.request.data.deviceRequest);
    expect([bytes[bytes.length - 66], bytes[bytes.length - 65]]).toEqual([0x58, 0x40]);
    const tampered = new Uint8Array(bytes);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
    const data = { ...session.request.data, deviceRequest: Buffer.from(tampered).toString('base64url') };
    expect(await walletCode(read(data))).toBe('WALLET_READER_AUTH_INVALID');
    expect(
      await walletCode(
        presentAnnexC({
          device: env.phone,
          data,
          origin: RP_ORIGIN,
          readerTrustAnchors: [readerCa],
          consent: { [JP_MNC_DOCTYPE]: session.elements },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_READER_AUTH_INVALID');
    expect(await walletCode(read(session.request.data, [readerCa], 'https://elsewhere.example'))).toBe(
      'WALLET_READER_AUTH_INVALID',
    );
    expect(await walletCode(read(session.request.data, [env.issuer.deps.hierarchy.mnc.iaca.der]))).toBe(
      'WALLET_READER_AUTH_INVALID',
    );
  });

  it('My Number: refused by the verifier without a basis; released by the wallet only to a declared one', async () => {
    const plain = await createRelyingParty(app, env, { name: 'No Basis Bank' });
    expect((await certify(plain.id)).status).toBe(200);
    const refused = await postSession(app, plain.apiKey, {
      purpose: 'account-opening',
      origin: RP_ORIGIN,
      elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] },
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');

    const securities = await createRelyingParty(app, env, {
      name: 'Sample Securities',
      myNumberLegalBasis: BASIS.provision,
    });
    expect((await certify(securities.id, { basis: BASIS })).status).toBe(200);
    const session = await openSession(app, securities.apiKey, {
      purpose: 'tax-reporting',
      elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] },
    });
    expect(
      (session as unknown as { readerAuthentication: Record<string, unknown> }).readerAuthentication,
    ).toMatchObject({ form: 'readerAuthAll', myNumberLegalBasisDeclared: true });
    const summary = await readAnnexCRequest({
      device: env.phone,
      data: session.request.data,
      origin: RP_ORIGIN,
      readerTrustAnchors: [readerCa],
    });
    expect(summary.reader.myNumberLegalBasis).toEqual(BASIS);
    const myNumber = summary.documents[0]?.elements.find((e) => e.identifier === 'individual_number_unicode');
    expect(myNumber).toBeDefined();
    expect(myNumber?.withheld).toBeUndefined();
    // The same request read by a phone that does not trust the reader CA is refused outright.
    expect(
      await walletCode(
        readAnnexCRequest({ device: env.phone, data: session.request.data, origin: RP_ORIGIN }),
      ),
    ).toBe('WALLET_READER_AUTH_INVALID');
  });

  it('installs only a certificate for the pending key, of the profile, naming the client id', async () => {
    const rp = await createRelyingParty(app, env, { name: 'Install Bank' });
    const code = async (res: Response) => [res.status, ((await res.json()) as { code?: string }).code];
    // No pending key yet.
    expect(
      await code(
        await app.request(`/relying-parties/${rp.id}/reader-key/certificate`, {
          method: 'PUT',
          headers: operator,
          body: JSON.stringify({ certificateChain: [Buffer.from(readerCa).toString('base64')] }),
        }),
      ),
    ).toEqual([404, 'VERIFIER_NOT_FOUND']);
    // A certificate for another DNS name than the x509_san_dns client id.
    expect(await code(await certify(rp.id, { dnsName: 'other.example' }))).toEqual([
      422,
      'VERIFIER_READER_CERTIFICATE_INVALID',
    ]);
    // A CA certificate (another key, not the reader profile).
    expect(
      await code(
        await app.request(`/relying-parties/${rp.id}/reader-key/certificate`, {
          method: 'PUT',
          headers: operator,
          body: JSON.stringify({ certificateChain: [Buffer.from(readerCa).toString('base64')] }),
        }),
      ),
    ).toEqual([422, 'VERIFIER_READER_CERTIFICATE_INVALID']);
    // Nothing was activated: sessions stay unsigned.
    const session = await openSession(app, rp.apiKey);
    expect(parseAnnexCRequest(session.request.data).readerAuthentication).toBe('none');
    const view = await app.request(`/relying-parties/${rp.id}/reader-key`, { headers: operator });
    const body = (await view.json()) as { active?: unknown; pending?: { publicKey: string } };
    expect(body.active).toBeUndefined();
    expect(body.pending?.publicKey).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.stringify(body)).not.toMatch(/PRIVATE|"d"/);
  });

  it('keeps the private key out of the database file, and makes none without a key-encryption key', async () => {
    const rp = await createRelyingParty(app, env, { name: 'At Rest Bank' });
    expect((await certify(rp.id)).status).toBe(200);
    const active = await store.readerKeys.get(rp.id, 'active');
    expect(active).toBeDefined();
    if (active === undefined) return;
    const key = openReaderKey(
      active.sealedPrivateKey,
      { relyingPartyId: rp.id, keyId: active.id },
      READER_KEK,
    );
    const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
    const scalar = Buffer.from(String(key.export({ format: 'jwk' }).d), 'base64url');
    // The SQLite file and its write-ahead log, as they are on disk.
    const files = ['verifier.sqlite', 'verifier.sqlite-wal'].map((f) => {
      try {
        return readFileSync(join(dir, f));
      } catch {
        return Buffer.alloc(0);
      }
    });
    const onDisk = Buffer.concat(files);
    expect(onDisk.indexOf(Buffer.from(active.sealedPrivateKey))).toBeGreaterThanOrEqual(0);
    expect(onDisk.indexOf(pkcs8)).toBe(-1);
    expect(onDisk.indexOf(scalar)).toBe(-1);

    const withoutKek = createVerifierApp({
      store,
      config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN },
      clock: clock.read,
    });
    const res = await withoutKek.request(`/relying-parties/${rp.id}/reader-key`, {
      method: 'POST',
      headers: operator,
    });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { code: string }).code).toBe('VERIFIER_READER_KEY_UNAVAILABLE');
    // Without the key-encryption key the active key cannot be used: the request goes out unsigned.
    const session = await openSession(withoutKek, rp.apiKey);
    expect(parseAnnexCRequest(session.request.data).readerAuthentication).toBe('none');
  });
});
