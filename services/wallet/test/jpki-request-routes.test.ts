/**
 * The phone emulator's screens for a JPKI request by link or QR code (app/jpki-request-routes.ts), with
 * `app.request()` against the real verifier's JPKI link sessions: a relying party whose reader key the
 * sandbox reader CA certified opens a user-authentication or a signature session and gets a
 * `mynakit-jpki://` link; the phone's scan screen sends the link to the JPKI consent screen, whose JSON
 * route (POST jpki-request/screen) says who asks, why, which secret with its tries left, and the document
 * to sign; after the PIN, the biometric or the signature password the answer goes to the verifier, whose
 * GET /sessions/{id}/jpki-result reads valid. Refusals answer their stable code and send nothing: a wrong
 * PIN with the tries left, an untrusted reader, an expired request, a response_uri on another host, a
 * locked signature password.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import {
  createReaderAuthCertificateWithSigner,
  JPKI_REQUEST_MEDIA_TYPE,
  signJpkiRequestObject,
} from '@mynakit/oid4vp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The verifier's own app and test helpers: the session flow is the verifier's, not a stand-in for it.
import { createVerifierApp } from '../../verifier/src/app.js';
import type { VerifierStore } from '../../verifier/src/store/index.js';
import { type TestClock, testClock } from '../../verifier/test/helpers/issuer-and-phone.js';
import {
  AUTH_PIN,
  type JpkiIssuerAndPhone,
  jpkiIssuerAndPhone,
  SIGNATURE_PASSWORD,
} from '../../verifier/test/helpers/jpki-issuer-and-phone.js';
import { certifyReaderKey } from '../../verifier/test/helpers/reader-key-party.js';
import { ADMIN, DECLARED, verifierStore } from '../../verifier/test/helpers/verifier-fixture.js';
import { createWalletApp, type WalletDevice } from '../src/index.js';
import { closedPort, postsTo, refusingServer, silentServer } from './helpers/verifier-answer-server.js';

const START = new Date('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
const BANK_HOST = 'verifier.bank.example';
/** A party with a trusted reader certificate for its own host that asks the answer to go elsewhere. */
const ROGUE_HOST = 'rogue.example';
const APPLICATION = '普通預金口座開設申込書\n申込日: 2026年12月2日\n取引の目的: 生計費決済';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface Created {
  sessionId: string;
  walletUrl?: string;
  expiresAt: string;
}

describe('the phone page answers a JPKI request by link or QR code', () => {
  let clock: TestClock;
  let env: JpkiIssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let verifier: ReturnType<typeof createVerifierApp>;
  let bankKey: string;
  /** The phone, trusting the sandbox reader CA. */
  let phone: WalletDevice;
  let wallet: ReturnType<typeof createWalletApp>;
  /** The same phone in a wallet that trusts no reader root. */
  let untrusting: ReturnType<typeof createWalletApp>;
  const lines: string[] = [];
  const rogue = new Map<string, string>();
  const rogueAnswers: string[] = [];
  const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  /** The phone's network: the bank's verifier app, or the rogue host. */
  const phoneFetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const u = new URL(url);
    if (u.hostname === BANK_HOST) return verifier.request(url, init);
    if (u.hostname === ROGUE_HOST) {
      if (init?.method === 'POST') {
        rogueAnswers.push(String(init.body));
        return Response.json({});
      }
      const jws = rogue.get(u.pathname);
      return jws === undefined
        ? new Response(null, { status: 404 })
        : new Response(jws, { headers: { 'content-type': JPKI_REQUEST_MEDIA_TYPE } });
    }
    throw new TypeError('no such host');
  };

  beforeAll(async () => {
    clock = testClock(START);
    env = await jpkiIssuerAndPhone(clock, 'sandbox-ordinary-female');
    ({ store, remove: removeStore } = await verifierStore());
    verifier = createVerifierApp({
      store,
      config: {
        origin: `https://${BANK_HOST}`,
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
        readerKeyEncryptionKey: new Uint8Array(32).fill(3),
        sessionKeyEncryptionKey: new Uint8Array(32).fill(4),
      },
      clock: clock.read,
      writerId: 'wallet-jpki-link-writer',
      jpkiStatus: { origins: [env.origin] },
    });
    const res = await verifier.request('/relying-parties', {
      method: 'POST',
      headers: operator,
      body: JSON.stringify({
        name: 'サンドボックス銀行',
        clientId: `x509_san_dns:${BANK_HOST}`,
        law: 'hanshu',
        isSignatureVerifier: true,
        trustAnchors: env.jpkiAnchors.map(b64),
        verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
      }),
    });
    expect(res.status).toBe(201);
    const bank = (await res.json()) as { relyingParty: { id: string }; apiKey: { apiKey: string } };
    bankKey = bank.apiKey.apiKey;
    await certifyReaderKey(verifier, {
      relyingPartyId: bank.relyingParty.id,
      operator,
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
    });
    phone = { ...env.phone, readerTrustAnchors: [env.issuer.deps.hierarchy.reader.root.der] };
    wallet = createWalletApp({ phones: [phone], verifierFetch: phoneFetch, log: (l) => lines.push(l) });
    untrusting = createWalletApp({ phones: [env.phone], verifierFetch: phoneFetch });
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  async function open(kind: 'authentication' | 'signature'): Promise<Created & { walletUrl: string }> {
    const res = await verifier.request(
      kind === 'authentication' ? '/sessions/jpki-authentication' : '/sessions/jpki-signature',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${bankKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          kind === 'authentication'
            ? { purpose: 'log-in' }
            : { purpose: 'account-opening', text: APPLICATION, ...DECLARED },
        ),
      },
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as Created;
    expect(created.walletUrl).toMatch(/^mynakit-jpki:\/\/\?/);
    return created as Created & { walletUrl: string };
  }
  const resultOf = (id: string) =>
    verifier.request(`/sessions/${id}/jpki-result`, { headers: { authorization: `Bearer ${bankKey}` } });

  /** The scan screen with a link: where it sends the phone. */
  async function scan(app: ReturnType<typeof createWalletApp>, link: string): Promise<string> {
    const res = await app.request(`/phones/${phone.id}/openid4vp?url=${encodeURIComponent(link)}`);
    expect(res.status).toBe(303);
    return res.headers.get('location') as string;
  }
  /** The consent screen's JSON route, as the request page calls it. */
  const consent = (app: ReturnType<typeof createWalletApp>, link: string) =>
    app.request(`/phones/${phone.id}/jpki-request/screen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ url: link }),
    });
  const approve = (fields: [string, string][], app = wallet) =>
    app.request(`/phones/${phone.id}/jpki-request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(Object.fromEntries(fields)),
    });
  const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;
  const triesOf = async (res: Response) => ((await res.json()) as { remainingTries?: number }).remainingTries;
  const history = () => phone.store.presentations.list(phone.id);

  interface Screen {
    requestType: string;
    reader: { authentication: string; subject: string | null };
    clientName: string | null;
    clientId: string;
    purpose: string;
    purposeName: { ja: string; en: string } | null;
    secret: string;
    tries: { remaining: number; locked: boolean };
    document: { mediaType: string; text: string | null; size: number; sha256: string } | null;
    responseHost: string;
    expiresAt: string;
    expiresAtJapan: string;
  }

  it('a user authentication by link: the scan screen sends it to the consent screen, the PIN answers, the verifier reads valid', async () => {
    const s = await open('authentication');
    // The one scan screen dispatches by scheme; the JPKI screen sits next to it (a relative location).
    const location = await scan(wallet, s.walletUrl);
    expect(location).toBe(`jpki-request?url=${encodeURIComponent(s.walletUrl)}`);
    // A browser gets the request page there; it reads the request through the JSON route.
    const page = await wallet.request(`/phones/${phone.id}/${location}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const res = await consent(wallet, s.walletUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const screen = (await res.json()) as Screen;
    expect(screen.requestType).toBe('jpki-user-authentication');
    expect(screen.reader.authentication).toBe('verified');
    expect(screen.reader.subject).toContain('サンドボックス銀行');
    expect(screen.clientId).toBe(`x509_san_dns:${BANK_HOST}`);
    expect(screen.clientName).toBe('サンドボックス銀行');
    expect(screen.purpose).toBe('log-in');
    expect(screen.purposeName).toEqual({ ja: 'ログイン', en: 'log in' });
    expect(screen.responseHost).toBe(BANK_HOST);
    // Its end in Japan time (12:00 JST now).
    expect(screen.expiresAtJapan).toMatch(/^2026-12-02 12:\d\d JST$/);
    expect(Date.parse(screen.expiresAt)).toBe(Date.parse(s.expiresAt));
    // The PIN or the biometric; no password, no document.
    expect(screen.secret).toBe('auth-pin-or-biometric');
    expect(screen.document).toBeNull();
    expect(screen.tries).toEqual({ remaining: 3, locked: false });
    expect((await resultOf(s.sessionId)).status).toBe(409);

    const before = (await history()).length;
    const sent = await approve([
      ['url', s.walletUrl],
      ['pin', AUTH_PIN],
    ]);
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ sent: true, requestType: 'jpki-user-authentication' });
    expect(await history()).toHaveLength(before + 1);
    const result = (await (await resultOf(s.sessionId)).json()) as {
      verdict: string;
      checks: { id: string; status: string }[];
    };
    expect(result.verdict).toBe('valid');
    expect(result.checks.find((c) => c.id === 'auth.signature')?.status).toBe('passed');
    // Answered once: the same link again (a replay) is refused, and nothing more is recorded.
    const replayed = await approve([
      ['url', s.walletUrl],
      ['pin', AUTH_PIN],
    ]);
    expect(replayed.status).toBeGreaterThanOrEqual(400);
    expect(await codeOf(replayed)).toMatch(/^WALLET_(REQUEST_INVALID|VERIFIER_REFUSED)$/);
    expect(await history()).toHaveLength(before + 1);
    // The log names route patterns only: never the link, the PIN or the session.
    expect(lines.some((l) => l.includes('/phones/:id/jpki-request'))).toBe(true);
    for (const l of lines) {
      expect(l).not.toContain(AUTH_PIN);
      expect(l).not.toContain(s.sessionId);
      expect(l).not.toContain('mynakit-jpki');
    }
  });

  it('a user authentication also opens with the owner biometric; a failed one sends nothing', async () => {
    const s = await open('authentication');
    const failed = await approve([
      ['url', s.walletUrl],
      ['biometric', 'failed'],
    ]);
    expect(failed.status).toBe(401);
    expect(await codeOf(failed)).toBe('WALLET_BIOMETRIC_FAILED');
    expect((await resultOf(s.sessionId)).status).toBe(409);
    const sent = await approve([
      ['url', s.walletUrl],
      ['biometric', 'matched'],
    ]);
    expect(sent.status).toBe(200);
    expect(((await (await resultOf(s.sessionId)).json()) as { verdict: string }).verdict).toBe('valid');
  });

  it('a signature by link: the consent screen shows the document and asks the password, never a biometric', async () => {
    const s = await open('signature');
    const res = await consent(wallet, s.walletUrl);
    expect(res.status).toBe(200);
    const screen = (await res.json()) as Screen;
    expect(screen.requestType).toBe('jpki-signature');
    expect(screen.purpose).toBe('account-opening');
    expect(screen.document?.text).toContain('普通預金口座開設申込書\n申込日: 2026年12月2日');
    const sha = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(APPLICATION)),
    ).toString('base64url');
    expect(screen.document?.sha256).toBe(sha);
    expect(screen.secret).toBe('signature-password');
    expect(screen.tries).toEqual({ remaining: 5, locked: false });

    // The PIN or a biometric does not open the signature key: refused before anything is signed.
    for (const secret of [
      ['biometric', 'matched'],
      ['pin', AUTH_PIN],
    ] as [string, string][]) {
      const refused = await approve([['url', s.walletUrl], secret]);
      expect(refused.status, secret[0]).toBe(400);
      expect(await codeOf(refused), secret[0]).toMatch(
        /^WALLET_(INVALID_INPUT|AUTHENTICATION_METHOD_NOT_ALLOWED)$/,
      );
    }
    expect((await resultOf(s.sessionId)).status).toBe(409);

    const sent = await approve([
      ['url', s.walletUrl],
      ['password', SIGNATURE_PASSWORD],
    ]);
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ sent: true, requestType: 'jpki-signature' });
    const result = (await (await resultOf(s.sessionId)).json()) as { verdict: string };
    expect(result.verdict).toBe('valid');
    for (const l of lines) expect(l).not.toContain(SIGNATURE_PASSWORD);
  });

  it('a document of bytes shows its size and SHA-256; JSON clients read the summary and answer', async () => {
    const bytes = Uint8Array.of(0x25, 0x50, 0x44, 0x46, 0xff, 0x00, 0x80);
    const res = await verifier.request('/sessions/jpki-signature', {
      method: 'POST',
      headers: { authorization: `Bearer ${bankKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: 'contract', content: b64(bytes), ...DECLARED }),
    });
    const s = (await res.json()) as Created & { walletUrl: string };
    const screen = (await (await consent(wallet, s.walletUrl)).json()) as Screen;
    expect(screen.document?.text).toBeNull();
    expect(screen.document?.size).toBe(bytes.length);
    const summary = (await (
      await wallet.request(`/phones/${phone.id}/jpki-request?url=${encodeURIComponent(s.walletUrl)}`, {
        headers: { accept: 'application/json' },
      })
    ).json()) as { requestType: string; secret: string; document: { size: number } };
    expect(summary).toMatchObject({
      requestType: 'jpki-signature',
      secret: 'signature-password',
      document: { size: bytes.length },
    });
    const answered = await wallet.request(`/phones/${phone.id}/jpki-request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: s.walletUrl, password: SIGNATURE_PASSWORD }),
    });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ sent: true, requestType: 'jpki-signature' });
    expect(((await (await resultOf(s.sessionId)).json()) as { verdict: string }).verdict).toBe('valid');
  });

  it('a wrong PIN answers the tries left and sends nothing; the screen counts them', async () => {
    const s = await open('authentication');
    const before = (await phone.secrets.status('authPin')).remaining;
    const wrong = await approve([
      ['url', s.walletUrl],
      ['pin', '0000'],
    ]);
    expect(wrong.status).toBe(401);
    const problem = (await wrong.json()) as { code: string; remainingTries: number };
    expect(problem.code).toBe('WALLET_SECRET_WRONG');
    expect(problem.remainingTries).toBe(before - 1);
    expect(JSON.stringify(problem)).not.toContain('0000');
    expect((await phone.secrets.status('authPin')).remaining).toBe(before - 1);
    const screen = (await (await consent(wallet, s.walletUrl)).json()) as Screen;
    expect(screen.tries).toEqual({ remaining: before - 1, locked: false });
    const pending = await resultOf(s.sessionId);
    expect(pending.status).toBe(409);
    expect(((await pending.json()) as { code: string }).code).toBe('VERIFIER_SESSION_PENDING');
    // The right PIN then answers, and the tries come back.
    expect(
      (
        await approve([
          ['url', s.walletUrl],
          ['pin', AUTH_PIN],
        ])
      ).status,
    ).toBe(200);
    expect((await phone.secrets.status('authPin')).remaining).toBe(before);
  });

  /**
   * An answer a verifier received has its history line, even when it refused it (4xx, 5xx: the signature and
   * the certificate were in its hands); one that could not be delivered (a port on 127.0.0.1 nobody listens
   * on) has none. The right secret spends no try; a wrong one is counted as always, and nothing is sent. The
   * same link answered to the real verifier afterwards leaves one more line.
   */
  async function undeliveredAnswers(kind: 'authentication' | 'signature'): Promise<void> {
    const secret = kind === 'authentication' ? 'authPin' : 'signaturePassword';
    const right: [string, string] =
      kind === 'authentication' ? ['pin', AUTH_PIN] : ['password', SIGNATURE_PASSWORD];
    const wrong: [string, string] = kind === 'authentication' ? ['pin', '0000'] : ['password', 'WRONG0'];
    const channel = kind === 'authentication' ? 'jpki-user-authentication' : 'jpki-signature';
    const s = await open(kind);
    const before = await history();
    let lines = before.length;
    const full = (await phone.secrets.status(secret)).remaining;
    const refusing = [await refusingServer(400), await refusingServer(503)];
    try {
      const ways = [
        { name: 'unreachable', port: await closedPort(), posts: () => 0 },
        ...refusing.map((r) => ({ name: `HTTP ${r.status}`, port: r.port, posts: r.posts })),
      ];
      for (const way of ways) {
        const app = createWalletApp({ phones: [phone], verifierFetch: postsTo(way.port, phoneFetch) });
        const sentBefore = way.posts();
        const failed = await approve([['url', s.walletUrl], right], app);
        expect(failed.status, way.name).toBe(502);
        expect(await codeOf(failed), way.name).toBe('WALLET_VERIFIER_REFUSED');
        const received = way.name === 'unreachable' ? 0 : 1;
        lines += received;
        expect(await history(), way.name).toHaveLength(lines);
        expect((await phone.secrets.status(secret)).remaining, way.name).toBe(full);
        // The refusing server did take the POST: the answer left the phone and was refused.
        expect(way.posts(), way.name).toBe(sentBefore + (way.name === 'unreachable' ? 0 : 1));
        // A wrong secret counts its try as always and sends nothing.
        const counted = await approve([['url', s.walletUrl], wrong], app);
        expect(counted.status, way.name).toBe(401);
        const problem = (await counted.json()) as { code: string; remainingTries: number };
        expect(problem.code, way.name).toBe('WALLET_SECRET_WRONG');
        expect(problem.remainingTries, way.name).toBe(full - 1);
        expect((await phone.secrets.status(secret)).remaining, way.name).toBe(full - 1);
        expect(way.posts(), way.name).toBe(sentBefore + received);
        expect(await history(), way.name).toHaveLength(lines);
        // The right secret again (the verifier still fails): the tries come back as after any right one.
        const again = await approve([['url', s.walletUrl], right], app);
        expect(await codeOf(again), way.name).toBe('WALLET_VERIFIER_REFUSED');
        expect((await phone.secrets.status(secret)).remaining, way.name).toBe(full);
        lines += received;
        expect(await history(), way.name).toHaveLength(lines);
      }
    } finally {
      for (const r of refusing) await r.close();
    }
    // Nothing reached the real verifier: its session still waits, and takes the answer now.
    expect((await resultOf(s.sessionId)).status).toBe(409);
    const sent = await approve([['url', s.walletUrl], right]);
    expect(sent.status).toBe(200);
    const after = await history();
    // Two refusing servers, each received the answer twice; then the real verifier once.
    expect(after).toHaveLength(before.length + 5);
    const ofChannel = (lines_: typeof before) =>
      lines_.filter((l) => l.channel === channel && l.relyingParty === `x509_san_dns:${BANK_HOST}`).length;
    expect(ofChannel(after)).toBe(ofChannel(before) + 5);
    expect(((await (await resultOf(s.sessionId)).json()) as { verdict: string }).verdict).toBe('valid');
  }

  it('a user authentication a verifier received has its line even when refused; an undelivered one has none', async () => {
    await undeliveredAnswers('authentication');
  });

  it('a signature a verifier received has its line even when refused; an undelivered one has none', async () => {
    await undeliveredAnswers('signature');
  });

  it('a verifier that does not answer in time is WALLET_VERIFIER_REFUSED, and the answer it may hold keeps its line', async () => {
    const s = await open('authentication');
    const before = (await history()).length;
    const tries = (await phone.secrets.status('authPin')).remaining;
    const silent = await silentServer();
    try {
      const app = createWalletApp({
        phones: [phone],
        verifierFetch: postsTo(silent.port, phoneFetch),
        verifierTimeoutMs: 300,
      });
      const res = await approve(
        [
          ['url', s.walletUrl],
          ['pin', AUTH_PIN],
        ],
        app,
      );
      expect(res.status).toBe(502);
      expect(await codeOf(res)).toBe('WALLET_VERIFIER_REFUSED');
      expect(silent.posts()).toBe(1);
      expect(await history()).toHaveLength(before + 1);
      expect((await phone.secrets.status('authPin')).remaining).toBe(tries);
    } finally {
      await silent.close();
    }
  });

  it('a phone switched offline reads no request and sends nothing', async () => {
    const s = await open('authentication');
    const toggle = (offline: boolean) =>
      wallet.request(`/phones/${phone.id}/offline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offline }),
      });
    expect((await toggle(true)).status).toBe(200);
    try {
      const shown = await consent(wallet, s.walletUrl);
      expect(shown.status).toBe(409);
      expect(await codeOf(shown)).toBe('WALLET_OFFLINE');
      const answered = await approve([
        ['url', s.walletUrl],
        ['pin', AUTH_PIN],
      ]);
      expect(answered.status).toBe(409);
      expect(await codeOf(answered)).toBe('WALLET_OFFLINE');
    } finally {
      expect((await toggle(false)).status).toBe(200);
    }
    expect((await resultOf(s.sessionId)).status).toBe(409);
  });

  it('refuses a request of a reader the phone does not trust, with its code, and sends nothing', async () => {
    const s = await open('authentication');
    const shown = await consent(untrusting, s.walletUrl);
    expect(shown.status).toBe(403);
    expect(await codeOf(shown)).toBe('WALLET_READER_AUTH_INVALID');
    const json = await untrusting.request(
      `/phones/${phone.id}/jpki-request?url=${encodeURIComponent(s.walletUrl)}`,
      { headers: { accept: 'application/json' } },
    );
    expect(json.status).toBe(403);
    expect(await codeOf(json)).toBe('WALLET_READER_AUTH_INVALID');
    const before = (await phone.secrets.status('authPin')).remaining;
    const answered = await approve(
      [
        ['url', s.walletUrl],
        ['pin', AUTH_PIN],
      ],
      untrusting,
    );
    expect(answered.status).toBe(403);
    expect(await codeOf(answered)).toBe('WALLET_READER_AUTH_INVALID');
    expect((await phone.secrets.status('authPin')).remaining).toBe(before);
    expect((await resultOf(s.sessionId)).status).toBe(409);
  });

  it('refuses an expired request and one whose response_uri is on another host', async () => {
    const s = await open('authentication');
    const lifetime = Date.parse(s.expiresAt) - clock.read().getTime();
    // The request object as served, kept by a host that serves it after its end.
    rogue.set('/late', await (await verifier.request(`/sessions/${s.sessionId}/jpki-request-object`)).text());
    const late = `mynakit-jpki://?client_id=x509_san_dns%3A${BANK_HOST}&request_uri=${encodeURIComponent(`https://${ROGUE_HOST}/late`)}`;
    clock.advance(lifetime + 61_000);
    try {
      const expired = await consent(wallet, late);
      expect(expired.status).toBe(400);
      expect(await codeOf(expired)).toBe('WALLET_REQUEST_EXPIRED');
    } finally {
      clock.advance(-(lifetime + 61_000));
    }

    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ca = env.issuer.deps.hierarchy.reader.root;
    const leaf = await createReaderAuthCertificateWithSigner({
      subject: `C=JP, O=Rogue, CN=${ROGUE_HOST}`,
      publicKey: key.publicKey,
      issuer: { certificate: ca.der, signer: ca.signer },
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
      dnsNames: [ROGUE_HOST],
    });
    rogue.set(
      '/elsewhere',
      await signJpkiRequestObject({
        request: {
          clientId: `x509_san_dns:${ROGUE_HOST}`,
          purpose: 'log-in',
          responseUri: 'https://collector.example/answers',
          now: clock.read(),
          requestType: 'jpki-user-authentication',
          challenge: new Uint8Array(32).fill(9),
        },
        privateKey: key.privateKey,
        certificateChain: [leaf],
      }),
    );
    const elsewhere = `mynakit-jpki://?client_id=x509_san_dns%3A${ROGUE_HOST}&request_uri=${encodeURIComponent(`https://${ROGUE_HOST}/elsewhere`)}`;
    const shown = await consent(wallet, elsewhere);
    expect(shown.status).toBe(400);
    expect(await codeOf(shown)).toBe('WALLET_REQUEST_INVALID');
    const before = (await phone.secrets.status('authPin')).remaining;
    const answered = await approve([
      ['url', elsewhere],
      ['pin', AUTH_PIN],
    ]);
    expect(answered.status).toBe(400);
    expect(await codeOf(answered)).toBe('WALLET_REQUEST_INVALID');
    expect((await phone.secrets.status('authPin')).remaining).toBe(before);
    expect(rogueAnswers).toEqual([]);
  });

  it('a locked signature password shows on the consent screen and refuses the answer', async () => {
    const s = await open('signature');
    // Five wrong passwords lock the signature key (DOMAIN.md §3); each answers the tries left.
    for (let left = 4; left >= 1; left--) {
      const wrong = await approve([
        ['url', s.walletUrl],
        ['password', 'WRONG0'],
      ]);
      expect(wrong.status).toBe(401);
      expect(await triesOf(wrong)).toBe(left);
    }
    const last = await approve([
      ['url', s.walletUrl],
      ['password', 'WRONG0'],
    ]);
    expect(last.status).toBe(423);
    expect(await codeOf(last)).toBe('WALLET_SECRET_LOCKED');
    const screen = (await (await consent(wallet, s.walletUrl)).json()) as Screen;
    expect(screen.tries).toEqual({ remaining: 0, locked: true });
    const right = await approve([
      ['url', s.walletUrl],
      ['password', SIGNATURE_PASSWORD],
    ]);
    expect(right.status).toBe(423);
    expect(await codeOf(right)).toBe('WALLET_SECRET_LOCKED');
    expect((await resultOf(s.sessionId)).status).toBe(409);
  });

  it('takes JSON only: a form body of the old screen is refused and nothing is signed', async () => {
    const s = await open('authentication');
    const before = (await phone.secrets.status('authPin')).remaining;
    const form = await wallet.request(`/phones/${phone.id}/jpki-request`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams([
        ['url', s.walletUrl],
        ['pin', AUTH_PIN],
      ]).toString(),
    });
    expect(form.status).toBe(400);
    expect(await codeOf(form)).toBe('WALLET_INVALID_INPUT');
    const two = await approve([
      ['url', s.walletUrl],
      ['pin', AUTH_PIN],
      ['biometric', 'matched'],
    ]);
    expect(two.status).toBe(400);
    expect(await codeOf(two)).toBe('WALLET_INVALID_INPUT');
    expect((await phone.secrets.status('authPin')).remaining).toBe(before);
    expect((await resultOf(s.sessionId)).status).toBe(409);
  });
});
