/**
 * The phone emulator's routes for a QR code shown on another device (app/cross-device-routes.ts), with
 * `app.request()` against the real verifier's cross-device session flow: a relying party whose reader key
 * the sandbox reader CA certified opens a session (POST /sessions/cross-device); the phone's request page
 * takes the link the QR code holds, reads what its consent screen shows (POST openid4vp/screen: who asks
 * and what), and after the owner's biometric posts the encrypted answer, which the verifier verifies (GET
 * /sessions/{id}/result). Refusals answer their stable code and change nothing: an unreadable, unsigned or
 * oversized link, an untrusted requester, My Number without a declared basis, a failed biometric, a used
 * session, a phone switched offline. The page itself is served at the screen's URL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JP_MNC_DOCTYPE, JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import type { MyNumberLegalBasis } from '@mynakit/oid4vp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The verifier's own app and test helpers: the session flow is the verifier's, not a stand-in for it.
import { createVerifierApp } from '../../verifier/src/app.js';
import { openVerifierStore, type VerifierStore } from '../../verifier/src/store/index.js';
import {
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from '../../verifier/test/helpers/issuer-and-phone.js';
import { certifyReaderKey } from '../../verifier/test/helpers/reader-key-party.js';
import {
  ADMIN,
  createRelyingParty,
  RP_ORIGIN,
  type VerificationAnswer,
} from '../../verifier/test/helpers/verifier-fixture.js';
import { createWalletApp, OPENID4VP_CROSS_DEVICE_CHANNEL, type WalletDevice } from '../src/index.js';
import { closedPort, postsTo, refusingServer, silentServer } from './helpers/verifier-answer-server.js';
import { tempDir } from './helpers/wallet-fixtures.js';

const START = new Date('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
/** A carrier's verifier host (携帯電話不正利用防止法: no declaration needed): its client id `x509_san_dns:` names it. */
const CARRIER_HOST = 'verifier.carrier.example';
/** A securities firm's verifier host (it says it has a basis for My Number; its certificate does not). */
const SHOKEN_HOST = 'verifier.shoken.example';

interface CrossDeviceSession {
  sessionId: string;
  walletUrl: string;
  elements: Record<string, string[]>;
}

/** What the consent screen shows (POST /phones/:id/openid4vp/screen). */
interface Screen {
  phone: { id: string; family: string };
  reader: { authentication: string; subject: string | null; myNumberLegalBasis: unknown };
  clientId: string;
  responseHost: string;
  documents: {
    docType: string;
    available: boolean;
    elements: {
      namespace: string;
      identifier: string;
      label: { ja: string; en: string };
      intentToRetain: boolean;
      held: boolean;
      withheld: string | null;
    }[];
  }[];
}

/** The elements the screen offers a box for (held, not withheld), as `[docType, namespace, identifier]`. */
function boxes(screen: Screen): [string, string, string][] {
  return screen.documents.flatMap((d) =>
    d.available
      ? d.elements
          .filter((e) => e.held && e.withheld === null)
          .map((e): [string, string, string] => [d.docType, e.namespace, e.identifier])
      : [],
  );
}

/** The consent of ticked boxes: per docType, namespace → identifiers. */
function consentOf(ticked: [string, string, string][]): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [docType, namespace, identifier] of ticked) {
    out[docType] ??= {};
    const ns = out[docType] as Record<string, string[]>;
    ns[namespace] = [...(ns[namespace] ?? []), identifier];
  }
  return out;
}

describe('the phone page scans a QR code of another device (OpenID4VP cross-device)', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let dir: ReturnType<typeof tempDir>;
  let store: VerifierStore;
  const verifiers = new Map<string, ReturnType<typeof createVerifierApp>>();
  let carrier: { id: string; apiKey: string };
  let shoken: { id: string; apiKey: string };
  /** The phone, trusting the sandbox reader CA. */
  let phone: WalletDevice;
  let wallet: ReturnType<typeof createWalletApp>;
  /** The same phone in a wallet that trusts no reader root. */
  let untrusting: ReturnType<typeof createWalletApp>;
  const lines: string[] = [];
  const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  /** Fixed answers of hosts that are no mynakit verifier, by URL. */
  const served = new Map<string, () => Response>();
  /** The phone's network: each URL goes to the verifier app of its host. */
  const phoneFetch = (url: string, init?: RequestInit) => {
    const fixed = served.get(url);
    if (fixed !== undefined) return Promise.resolve(fixed());
    const app = verifiers.get(new URL(url).hostname);
    if (app === undefined) return Promise.reject(new TypeError('no such host'));
    return Promise.resolve(app.request(url, init));
  };

  async function relyingPartyWithReaderKey(
    host: string,
    overrides: Record<string, unknown>,
    basis?: MyNumberLegalBasis,
  ): Promise<{ id: string; apiKey: string }> {
    const app = verifiers.get(host) as ReturnType<typeof createVerifierApp>;
    const rp = await createRelyingParty(app, env, { clientId: `x509_san_dns:${host}`, ...overrides });
    await certifyReaderKey(app, {
      relyingPartyId: rp.id,
      operator: operator,
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
      ...(basis === undefined ? {} : { myNumberLegalBasis: basis }),
    });
    return rp;
  }

  async function openCrossDevice(
    apiKey: string,
    host = CARRIER_HOST,
    body: Record<string, unknown> = {},
  ): Promise<CrossDeviceSession> {
    const res = await (verifiers.get(host) as ReturnType<typeof createVerifierApp>).request(
      '/sessions/cross-device',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ purpose: 'account-opening', origin: RP_ORIGIN, ...body }),
      },
    );
    expect(res.status).toBe(201);
    return (await res.json()) as CrossDeviceSession;
  }

  const result = (apiKey: string, sessionId: string, host = CARRIER_HOST) =>
    (verifiers.get(host) as ReturnType<typeof createVerifierApp>).request(`/sessions/${sessionId}/result`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });

  const scan = (app: ReturnType<typeof createWalletApp>, url: string, json = false) =>
    app.request(`/phones/${phone.id}/openid4vp?url=${encodeURIComponent(url)}`, {
      headers: json ? { accept: 'application/json' } : {},
    });

  /** The consent screen's JSON route, as the request page calls it. */
  const screenOf = (app: ReturnType<typeof createWalletApp>, url: string) =>
    app.request(`/phones/${phone.id}/openid4vp/screen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ url }),
    });

  const approve = (body: Record<string, unknown>) =>
    wallet.request(`/phones/${phone.id}/openid4vp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });

  const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

  const history = () => phone.store.presentations.list(phone.id);

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    dir = tempDir('mynakit-wallet-cross-device-');
    store = await openVerifierStore({ url: `sqlite:${dir.path}/verifier.sqlite` });
    for (const host of [CARRIER_HOST, SHOKEN_HOST])
      verifiers.set(
        host,
        createVerifierApp({
          store,
          config: {
            origin: `https://${host}`,
            adminToken: ADMIN,
            readerKeyEncryptionKey: new Uint8Array(32).fill(3),
            sessionKeyEncryptionKey: new Uint8Array(32).fill(4),
          },
          clock: clock.read,
          writerId: 'test-writer',
          fetchStatusList: env.fetchFromIssuer,
        }),
      );
    carrier = await relyingPartyWithReaderKey(CARRIER_HOST, { name: 'サンドボックス携帯', law: 'keitai' });
    shoken = await relyingPartyWithReaderKey(SHOKEN_HOST, {
      name: '申告だけの証券',
      law: 'keitai',
      myNumberLegalBasis: '番号法第19条第8号',
    });
    phone = { ...env.phone, readerTrustAnchors: [env.issuer.deps.hierarchy.reader.root.der] };
    wallet = createWalletApp({ phones: [phone], verifierFetch: phoneFetch, log: (l) => lines.push(l) });
    untrusting = createWalletApp({ phones: [env.phone], verifierFetch: phoneFetch });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    dir?.remove();
    await env?.close();
  });

  it('serves the request page at the screen URLs, with its assets, and 404 for an unknown phone', async () => {
    // A build of the page as scripts/build-pages.mjs writes it (relative asset URLs).
    const built = join(dir.path, 'request-page');
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(
      join(built, 'index.html'),
      '<!doctype html><title>request</title><script type="module" src="./assets/index-t.js"></script><div id="app"></div>',
    );
    writeFileSync(join(built, 'assets', 'index-t.js'), 'export {};');
    const app = createWalletApp({ phones: [phone], verifierFetch: phoneFetch, requestPageDir: built });
    for (const path of [
      `/phones/${phone.id}/openid4vp`,
      `/phones/${phone.id}/openid4vp?url=${encodeURIComponent('openid4vp://?client_id=x&request_uri=y')}`,
      `/phones/${phone.id}/jpki-request?url=${encodeURIComponent('mynakit-jpki://?client_id=x&request_uri=y')}`,
      '/request/',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      const text = await res.text();
      expect(text, path).toContain('./assets/index-t.js');
      // The page reads the request itself: the link is never written into the page.
      expect(text, path).not.toContain('client_id');
    }
    expect((await app.request(`/phones/${phone.id}/openid4vp`)).headers.get('cache-control')).toBe(
      'no-store',
    );
    const script = await app.request(`/phones/${phone.id}/assets/index-t.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await app.request(`/phones/${phone.id}/assets/..%2Findex.html`)).status).toBe(404);
    expect((await app.request(`/phones/${phone.id}/assets/missing.js`)).status).toBe(404);
    expect((await wallet.request('/phones/nobody/openid4vp')).status).toBe(404);
    expect((await wallet.request('/phones/nobody/jpki-request?url=x')).status).toBe(404);
  });

  it('reads the request, shows who asks and what, and sends the approved answer after the biometric', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    const consent = await screenOf(wallet, session.walletUrl);
    expect(consent.status).toBe(200);
    expect(consent.headers.get('cache-control')).toBe('no-store');
    const screen = (await consent.json()) as Screen;
    expect(screen.phone.id).toBe(phone.id);
    expect(screen.reader.authentication).toBe('verified');
    expect(screen.reader.subject).toContain('サンドボックス携帯');
    expect(screen.clientId).toBe(`x509_san_dns:${CARRIER_HOST}`);
    expect(screen.responseHost).toBe(CARRIER_HOST);
    const asked = session.elements[JP_MNC_NAMESPACE] ?? [];
    expect(asked.length).toBeGreaterThan(0);
    const values = boxes(screen);
    expect(values).toEqual(asked.map((id) => [JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, id]));
    // Every element has its label in Japanese and English, and whether the requester keeps it.
    const name = screen.documents[0]?.elements.find((e) => e.identifier === 'full_name_unicode');
    expect(name?.label.ja).toMatch(/氏名/);
    expect(name?.label.en).toMatch(/name/i);
    expect(typeof name?.intentToRetain).toBe('boolean');

    // The owner's face does not match: nothing leaves the phone, and the session still waits.
    const before = (await history()).length;
    const failed = await approve({ url: session.walletUrl, biometric: 'failed', consent: consentOf(values) });
    expect(failed.status).toBe(401);
    expect(await codeOf(failed)).toBe('WALLET_BIOMETRIC_FAILED');
    expect(await history()).toHaveLength(before);
    expect((await result(carrier.apiKey, session.sessionId)).status).toBe(409);

    const sent = await approve({ url: session.walletUrl, biometric: 'matched', consent: consentOf(values) });
    expect(sent.status).toBe(200);
    const done = (await sent.json()) as { sent: boolean; disclosed: Record<string, [string, string][]> };
    expect(done.sent).toBe(true);
    const disclosed = (done.disclosed[JP_MNC_DOCTYPE] ?? []).map(([, id]) => id);
    expect(disclosed).toContain('full_name_unicode');
    expect(disclosed).toContain('resident_address_unicode');
    const lines_ = await history();
    expect(lines_).toHaveLength(before + 1);
    expect(lines_.at(-1)?.channel).toBe(OPENID4VP_CROSS_DEVICE_CHANNEL);

    const answer = (await (await result(carrier.apiKey, session.sessionId)).json()) as VerificationAnswer;
    expect(answer.elements?.[JP_MNC_NAMESPACE]?.full_name_unicode).toBeTypeOf('string');
    expect(answer.verdict).toBe('valid');
    expect(answer.elements?.[JP_MNC_NAMESPACE]?.resident_address_unicode).toBeTypeOf('string');

    // The session is used: scanning its QR code again (a replay) is refused with the wallet's code.
    const again = await screenOf(wallet, session.walletUrl);
    expect(again.status).toBe(400);
    expect(await codeOf(again)).toBe('WALLET_REQUEST_INVALID');
    const replayed = await approve({
      url: session.walletUrl,
      biometric: 'matched',
      consent: consentOf(values),
    });
    expect(replayed.status).toBe(400);
    expect(await codeOf(replayed)).toBe('WALLET_REQUEST_INVALID');
    expect(await history()).toHaveLength(before + 1);
    // The request log names the route, never the link or the session.
    expect(lines.some((l) => l.includes('/phones/:id/openid4vp'))).toBe(true);
    expect(lines.join('\n')).not.toContain(session.sessionId);
  }, 120_000);

  it('an answer a verifier received has its history line even when refused (4xx, 5xx); an unreachable one has none', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    const values = boxes((await (await screenOf(wallet, session.walletUrl)).json()) as Screen);
    const before = await history();
    let linesBefore = before.length;
    const refusing = [await refusingServer(400), await refusingServer(503)];
    try {
      // The phone's POST goes to a port on 127.0.0.1 nobody listens on, or to a real server that refuses it.
      const ways = [
        { name: 'unreachable', port: await closedPort(), posts: () => 0, sends: 0 },
        ...refusing.map((r) => ({ name: `HTTP ${r.status}`, port: r.port, posts: r.posts, sends: 1 })),
      ];
      for (const way of ways) {
        const app = createWalletApp({ phones: [phone], verifierFetch: postsTo(way.port, phoneFetch) });
        const res = await app.request(`/phones/${phone.id}/openid4vp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ url: session.walletUrl, biometric: 'matched', consent: consentOf(values) }),
        });
        expect(res.status, way.name).toBe(502);
        expect(await codeOf(res), way.name).toBe('WALLET_VERIFIER_REFUSED');
        // The refusing server received the answer: the answer left the phone, so the history says so; an
        // unreachable one received nothing and the history has no line of it.
        expect(way.posts(), way.name).toBe(way.sends);
        expect(await history(), way.name).toHaveLength(linesBefore + way.sends);
        linesBefore += way.sends;
      }
    } finally {
      for (const r of refusing) await r.close();
    }
    const ofChannel = (lines_: typeof before) =>
      lines_.filter((l) => l.channel === OPENID4VP_CROSS_DEVICE_CHANNEL).length;
    expect(ofChannel(await history())).toBe(ofChannel(before) + 2);
    // Nothing reached the real verifier: its session still waits, and the answer it takes leaves one line.
    expect((await result(carrier.apiKey, session.sessionId)).status).toBe(409);
    const sent = await approve({ url: session.walletUrl, biometric: 'matched', consent: consentOf(values) });
    expect(sent.status).toBe(200);
    const after = await history();
    expect(after).toHaveLength(before.length + 3);
    expect(ofChannel(after)).toBe(ofChannel(before) + 3);
  }, 60_000);

  it('a verifier that does not answer in time is WALLET_VERIFIER_REFUSED, and the answer it may hold keeps its line', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    const values = boxes((await (await screenOf(wallet, session.walletUrl)).json()) as Screen);
    const before = (await history()).length;
    const silent = await silentServer();
    try {
      const app = createWalletApp({
        phones: [phone],
        verifierFetch: postsTo(silent.port, phoneFetch),
        verifierTimeoutMs: 300,
      });
      const res = await app.request(`/phones/${phone.id}/openid4vp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ url: session.walletUrl, biometric: 'matched', consent: consentOf(values) }),
      });
      expect(res.status).toBe(502);
      expect(await codeOf(res)).toBe('WALLET_VERIFIER_REFUSED');
      expect(silent.posts()).toBe(1);
      expect(await history()).toHaveLength(before + 1);
    } finally {
      await silent.close();
    }
  }, 60_000);

  it('answers JSON to JSON: the summary, then only what the holder approved', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    const read = await scan(wallet, session.walletUrl, true);
    expect(read.status).toBe(200);
    const summary = (await read.json()) as {
      clientId: string;
      responseMode: string;
      documents: { docType: string }[];
    };
    expect(summary.clientId).toBe(`x509_san_dns:${CARRIER_HOST}`);
    expect(summary.responseMode).toBe('direct_post.jwt');
    expect(summary.documents.map((d) => d.docType)).toEqual([JP_MNC_DOCTYPE]);
    const sent = await approve({
      url: session.walletUrl,
      biometric: 'matched',
      consent: { [JP_MNC_DOCTYPE]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({
      sent: true,
      disclosed: { [JP_MNC_DOCTYPE]: [[JP_MNC_NAMESPACE, 'full_name_unicode']] },
      responseUri: `https://${CARRIER_HOST}/sessions/${session.sessionId}/direct-post`,
    });
    // Only the name left the phone: the verifier, which asked for more, says which are missing.
    const answer = (await (await result(carrier.apiKey, session.sessionId)).json()) as VerificationAnswer;
    expect(answer.verdict).toBe('invalid');
    expect(answer.errorCode).toBe('VERIFIER_CLAIMS_MISSING');
  }, 60_000);

  it('refuses a requester the phone does not trust, and a link that is no OpenID4VP request', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    const refusedScreen = await screenOf(untrusting, session.walletUrl);
    expect(refusedScreen.status).toBe(403);
    expect(await codeOf(refusedScreen)).toBe('WALLET_READER_AUTH_INVALID');
    const json = await scan(untrusting, session.walletUrl, true);
    expect(json.status).toBe(403);
    expect(await codeOf(json)).toBe('WALLET_READER_AUTH_INVALID');

    for (const link of [
      'https://verifier.carrier.example/not-a-wallet-url',
      'openid4vp://?client_id=x509_san_dns%3Averifier.carrier.example&request_uri=javascript%3Aalert(1)',
      `openid4vp://?client_id=x509_san_dns%3Aelsewhere.example&request_uri=${encodeURIComponent(`https://${CARRIER_HOST}/sessions/${session.sessionId}/request-object`)}`,
    ]) {
      const refused = await screenOf(wallet, link);
      const body = await refused.text();
      expect(refused.status, link).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(body).code, link).toMatch(/^WALLET_(REQUEST_INVALID|READER_AUTH_INVALID)$/);
      // The answer never echoes the link it refused.
      expect(body).not.toContain('javascript');
    }
    // The untouched session still reads on a phone that trusts the reader CA.
    expect((await screenOf(wallet, session.walletUrl)).status).toBe(200);
  }, 60_000);

  it('refuses an unsigned request object and an oversized one, and sends nothing', async () => {
    const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const host = 'unsigned.example';
    const unsigned = `${b64url({ alg: 'none', typ: 'oauth-authz-req+jwt' })}.${b64url({
      client_id: `x509_san_dns:${host}`,
      response_type: 'vp_token',
      response_mode: 'direct_post.jwt',
      response_uri: `https://${host}/post`,
      nonce: 'n-0123456789abcdef',
      dcql_query: {
        credentials: [
          {
            id: 'mnc',
            format: 'mso_mdoc',
            meta: { doctype_value: JP_MNC_DOCTYPE },
            claims: [{ path: [JP_MNC_NAMESPACE, 'full_name_unicode'] }],
          },
        ],
      },
    })}.`;
    const type = { 'content-type': 'application/oauth-authz-req+jwt' };
    served.set(`https://${host}/unsigned`, () => new Response(unsigned, { headers: type }));
    served.set(`https://${host}/large`, () => new Response('a'.repeat(300 * 1024), { headers: type }));
    const before = (await history()).length;
    for (const [path, codes] of [
      ['/unsigned', /^WALLET_READER_AUTH_INVALID$/],
      ['/large', /^WALLET_REQUEST_INVALID$/],
    ] as const) {
      const link = `openid4vp://?client_id=x509_san_dns%3A${host}&request_uri=${encodeURIComponent(`https://${host}${path}`)}`;
      const refused = await screenOf(wallet, link);
      expect(refused.status, path).toBeGreaterThanOrEqual(400);
      expect(await codeOf(refused), path).toMatch(codes);
      const answered = await approve({
        url: link,
        biometric: 'matched',
        consent: { [JP_MNC_DOCTYPE]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      });
      expect(answered.status, path).toBeGreaterThanOrEqual(400);
      expect(await codeOf(answered), path).toMatch(codes);
    }
    expect(await history()).toHaveLength(before);
  }, 60_000);

  it('withholds My Number from a requester whose certificate declares no basis', async () => {
    const asked = { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] };
    const session = await openCrossDevice(shoken.apiKey, SHOKEN_HOST, { elements: asked });
    const screen = (await (await screenOf(wallet, session.walletUrl)).json()) as Screen;
    const myNumber = screen.documents[0]?.elements.find((e) => e.identifier === 'individual_number_unicode');
    expect(myNumber?.withheld).toBe('my-number-without-basis');
    expect(screen.reader.myNumberLegalBasis).toBeNull();
    const values = boxes(screen);
    expect(values.map((v) => v[2])).toEqual(['full_name_unicode']);
    // A consent that adds My Number anyway is refused, and nothing leaves the phone.
    const before = (await history()).length;
    const forced = await approve({
      url: session.walletUrl,
      biometric: 'matched',
      consent: consentOf([...values, [JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, 'individual_number_unicode']]),
    });
    expect(forced.status).toBe(403);
    expect(await codeOf(forced)).toBe('WALLET_MY_NUMBER_WITHHELD');
    expect(await history()).toHaveLength(before);
    expect((await result(shoken.apiKey, session.sessionId, SHOKEN_HOST)).status).toBe(409);
  }, 60_000);

  it('refuses malformed consent and a form body, and a phone switched offline reaches no verifier', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    const before = (await history()).length;
    for (const consent of [
      'not an object',
      { [JP_MNC_DOCTYPE]: ['a', 'b'] },
      { [JP_MNC_DOCTYPE]: { [JP_MNC_NAMESPACE]: 'full_name_unicode' } },
      { [JP_MNC_DOCTYPE]: { [JP_MNC_NAMESPACE]: ['shoe_size'] } },
      { 'org.example.unknown': { 'org.example': ['anything'] } },
    ]) {
      const res = await approve({ url: session.walletUrl, biometric: 'matched', consent });
      expect(res.status, JSON.stringify(consent)).toBe(400);
      expect(await codeOf(res)).toBe('WALLET_INVALID_INPUT');
    }
    const noBiometric = await approve({ url: session.walletUrl, consent: {} });
    expect(noBiometric.status).toBe(400);
    // The answer is JSON: a form of the old screen is not taken.
    const form = await wallet.request(`/phones/${phone.id}/openid4vp`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams([
        ['url', session.walletUrl],
        ['biometric', 'matched'],
      ]).toString(),
    });
    expect(form.status).toBe(400);
    expect(await codeOf(form)).toBe('WALLET_INVALID_INPUT');
    const huge = await approve({
      url: session.walletUrl,
      biometric: 'matched',
      consent: {},
      pad: 'x'.repeat(20_000),
    });
    expect(huge.status).toBe(400);
    expect(await history()).toHaveLength(before);
    expect((await result(carrier.apiKey, session.sessionId)).status).toBe(409);

    const off = await wallet.request(`/phones/${phone.id}/offline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offline: true }),
    });
    expect(off.status).toBe(200);
    try {
      const offline = await screenOf(wallet, session.walletUrl);
      expect(offline.status).toBe(409);
      expect(await codeOf(offline)).toBe('WALLET_OFFLINE');
      const json = await scan(wallet, session.walletUrl, true);
      expect(json.status).toBe(409);
      expect(await codeOf(json)).toBe('WALLET_OFFLINE');
    } finally {
      await wallet.request(`/phones/${phone.id}/offline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offline: false }),
      });
    }
    expect((await screenOf(wallet, session.walletUrl)).status).toBe(200);
  }, 60_000);
});
