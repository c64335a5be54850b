/**
 * The phone emulator's routes for a QR code shown on another device (app/cross-device-routes.ts), with
 * `app.request()` against the real verifier's cross-device session flow: a relying party whose reader key
 * the sandbox reader CA certified opens a session (POST /sessions/cross-device); the phone page takes the
 * link the QR code holds, shows who asks and what, and after the owner's biometric posts the encrypted
 * answer, which the verifier verifies (GET /sessions/{id}/result). Refusals show their stable code: an
 * unreadable link, an untrusted requester, My Number without a declared basis, a failed biometric, a used
 * session, a phone switched offline.
 */
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

/** The `value`s of the consent screen's boxes, as a browser sends them. */
function boxes(page: string): string[] {
  return [...page.matchAll(/name="element" value="([^"]+)"/g)].map((m) =>
    (m[1] as string).replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
  );
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

  /** The phone's network: each URL goes to the verifier app of its host. */
  const phoneFetch = (url: string, init?: RequestInit) => {
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

  const approve = (fields: [string, string][]) =>
    wallet.request(`/phones/${phone.id}/openid4vp`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

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

  it('offers a scan form on the overview page and a scan screen that takes the link', async () => {
    const overview = await (await wallet.request('/')).text();
    expect(overview).toContain(`action="phones/${phone.id}/openid4vp" class="scan"`);
    const screen = await wallet.request(`/phones/${phone.id}/openid4vp`);
    expect(screen.status).toBe(200);
    const text = await screen.text();
    expect(text).toContain('<form method="get" action="openid4vp">');
    expect(text).toContain('name="url"');
    expect((await wallet.request('/phones/nobody/openid4vp')).status).toBe(404);
  });

  it('reads the request, shows who asks and what, and sends the approved answer after the biometric', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    const consent = await scan(wallet, session.walletUrl);
    expect(consent.status).toBe(200);
    expect(consent.headers.get('cache-control')).toBe('no-store');
    const page = await consent.text();
    expect(page).toContain('data-reader="verified"');
    expect(page).toMatch(/data-reader-subject>[^<]*サンドボックス携帯/);
    expect(page).toContain(`<code data-client-id>x509_san_dns:${CARRIER_HOST}</code>`);
    expect(page).toContain(`<code data-response-host>${CARRIER_HOST}</code>`);
    const asked = session.elements[JP_MNC_NAMESPACE] ?? [];
    expect(asked.length).toBeGreaterThan(0);
    const values = boxes(page);
    expect(values.map((v) => JSON.parse(v))).toEqual(
      asked.map((id) => [JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, id]),
    );

    // The owner's face does not match: nothing leaves the phone, and the session still waits.
    const before = (await history()).length;
    const failed = await approve([
      ['url', session.walletUrl],
      ['biometric', 'failed'],
      ...values.map((v): [string, string] => ['element', v]),
    ]);
    expect(failed.status).toBe(401);
    expect(await failed.text()).toContain('data-refusal="WALLET_BIOMETRIC_FAILED"');
    expect(await history()).toHaveLength(before);
    expect((await result(carrier.apiKey, session.sessionId)).status).toBe(409);

    const sent = await approve([
      ['url', session.walletUrl],
      ['biometric', 'matched'],
      ...values.map((v): [string, string] => ['element', v]),
    ]);
    expect(sent.status).toBe(200);
    const done = await sent.text();
    expect(done).toContain('data-sent');
    expect(done).toContain('data-disclosed="full_name_unicode"');
    expect(done).toContain('data-disclosed="resident_address_unicode"');
    const lines_ = await history();
    expect(lines_).toHaveLength(before + 1);
    expect(lines_.at(-1)?.channel).toBe(OPENID4VP_CROSS_DEVICE_CHANNEL);

    const answer = (await (await result(carrier.apiKey, session.sessionId)).json()) as VerificationAnswer;
    expect(answer.elements?.[JP_MNC_NAMESPACE]?.full_name_unicode).toBeTypeOf('string');
    expect(answer.verdict).toBe('valid');
    expect(answer.elements?.[JP_MNC_NAMESPACE]?.resident_address_unicode).toBeTypeOf('string');

    // The session is used: scanning its QR code again is refused with the wallet's code.
    const again = await scan(wallet, session.walletUrl);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('data-refusal="WALLET_REQUEST_INVALID"');
    // The request log names the route, never the link or the session.
    expect(lines.some((l) => l.includes('/phones/:id/openid4vp'))).toBe(true);
    expect(lines.join('\n')).not.toContain(session.sessionId);
  }, 120_000);

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
    const sent = await wallet.request(`/phones/${phone.id}/openid4vp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: session.walletUrl,
        biometric: 'matched',
        consent: { [JP_MNC_DOCTYPE]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      }),
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
    const page = await scan(untrusting, session.walletUrl);
    expect(page.status).toBe(403);
    const text = await page.text();
    expect(text).toContain('data-refusal="WALLET_READER_AUTH_INVALID"');
    expect(text).toContain('href="../../"');
    const json = await scan(untrusting, session.walletUrl, true);
    expect(json.status).toBe(403);
    expect(((await json.json()) as { code: string }).code).toBe('WALLET_READER_AUTH_INVALID');

    for (const link of [
      'https://verifier.carrier.example/not-a-wallet-url',
      'openid4vp://?client_id=x509_san_dns%3Averifier.carrier.example&request_uri=javascript%3Aalert(1)',
      `openid4vp://?client_id=x509_san_dns%3Aelsewhere.example&request_uri=${encodeURIComponent(`https://${CARRIER_HOST}/sessions/${session.sessionId}/request-object`)}`,
    ]) {
      const refused = await scan(wallet, link);
      const body = await refused.text();
      expect(refused.status, link).toBeGreaterThanOrEqual(400);
      expect(body, link).toMatch(/data-refusal="WALLET_(REQUEST_INVALID|READER_AUTH_INVALID)"/);
      // The page never echoes the link it refused.
      expect(body).not.toContain('javascript');
    }
    // The untouched session still reads on a phone that trusts the reader CA.
    expect((await scan(wallet, session.walletUrl)).status).toBe(200);
  }, 60_000);

  it('withholds My Number from a requester whose certificate declares no basis', async () => {
    const asked = { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] };
    const session = await openCrossDevice(shoken.apiKey, SHOKEN_HOST, { elements: asked });
    const page = await (await scan(wallet, session.walletUrl)).text();
    expect(page).toContain('data-element="individual_number_unicode"');
    expect(page).toContain('data-withheld="my-number-without-basis"');
    const values = boxes(page);
    expect(values.map((v) => JSON.parse(v)[2])).toEqual(['full_name_unicode']);
    // A form that adds My Number anyway is refused, and nothing leaves the phone.
    const before = (await history()).length;
    const forced = await approve([
      ['url', session.walletUrl],
      ['biometric', 'matched'],
      ...values.map((v): [string, string] => ['element', v]),
      ['element', JSON.stringify([JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, 'individual_number_unicode'])],
    ]);
    expect(forced.status).toBe(403);
    expect(await forced.text()).toContain('data-refusal="WALLET_MY_NUMBER_WITHHELD"');
    expect(await history()).toHaveLength(before);
    expect((await result(shoken.apiKey, session.sessionId, SHOKEN_HOST)).status).toBe(409);
  }, 60_000);

  it('refuses malformed consent, and a phone switched offline reaches no verifier', async () => {
    const session = await openCrossDevice(carrier.apiKey);
    for (const element of [
      'not json',
      '["a","b"]',
      JSON.stringify([JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, 'shoe_size']),
    ]) {
      const res = await approve([
        ['url', session.walletUrl],
        ['biometric', 'matched'],
        ['element', element],
      ]);
      expect(res.status, element).toBe(400);
      expect(await res.text()).toContain('data-refusal="WALLET_INVALID_INPUT"');
    }
    const noBiometric = await approve([['url', session.walletUrl]]);
    expect(noBiometric.status).toBe(400);

    const off = await wallet.request(`/phones/${phone.id}/offline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offline: true }),
    });
    expect(off.status).toBe(200);
    try {
      const offline = await scan(wallet, session.walletUrl);
      expect(offline.status).toBe(409);
      expect(await offline.text()).toContain('data-refusal="WALLET_OFFLINE"');
      expect((await wallet.request('/')).status).toBe(200);
      expect(await (await wallet.request('/')).text()).not.toContain('class="scan"');
    } finally {
      await wallet.request(`/phones/${phone.id}/offline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offline: false }),
      });
    }
    expect((await scan(wallet, session.walletUrl)).status).toBe(200);
  }, 60_000);
});
