/**
 * The phone's OpenID4VP consent screen (services/wallet/pages/request) in Debian's Chromium, against the
 * real verifier's cross-device sessions and requests made by hand: the wallet app is served on 127.0.0.1
 * and its phone reaches the verifier apps (and a host that is no mynakit verifier) in this process. What
 * the screen must show plainly, each with its stable code: My Number asked by a requester whose certificate
 * declares no legal basis is withheld (no box; the rest is still offered and sent), a document type the
 * phone does not hold is marked, an unsigned request object and an oversized one are refused, and nothing
 * is sent or recorded on a refusal. The screens fit a 390 px wide screen.
 */
import { generateKeyPairSync } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import { JP_MNC_DOCTYPE, JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import {
  buildAuthorizationRequest,
  createReaderAuthCertificateWithSigner,
  signRequestObject,
} from '@mynakit/oid4vp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { serveOnLoopback } from '../../../test/helpers/serve.js';
// The verifier's own app and test helpers: the session flow is the verifier's, not a stand-in for it.
import { createVerifierApp } from '../../verifier/src/app.js';
import { openVerifierStore, type VerifierStore } from '../../verifier/src/store/index.js';
import {
  type IssuerAndPhone,
  issuerAndPhone,
  testClock,
} from '../../verifier/test/helpers/issuer-and-phone.js';
import { certifyReaderKey } from '../../verifier/test/helpers/reader-key-party.js';
import { ADMIN, createRelyingParty, RP_ORIGIN } from '../../verifier/test/helpers/verifier-fixture.js';
import { createWalletApp, type WalletDevice } from '../src/index.js';
import { tempDir } from './helpers/wallet-fixtures.js';

const START = new Date('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
/** A securities firm's verifier host: it says it has a basis for My Number; its certificate does not. */
const SHOKEN_HOST = 'verifier.shoken.example';
/** A shop that is no mynakit verifier: it serves request objects made here. */
const SHOP_HOST = 'shop.example';
const UNKNOWN_DOCTYPE = 'org.example.loyalty.1';
const REQUEST_OBJECT_TYPE = { 'content-type': 'application/oauth-authz-req+jwt' };

describe('the phone shows what a cross-device request asks and every refusal, in Chromium', () => {
  let env: IssuerAndPhone;
  let dir: ReturnType<typeof tempDir>;
  let store: VerifierStore;
  let verifier: ReturnType<typeof createVerifierApp>;
  let shoken: { id: string; apiKey: string };
  let phone: WalletDevice;
  let origin: string;
  let closeWallet: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  /** What the shop's host serves, by URL; what was POSTed to it. */
  const shop = new Map<string, () => Response>();
  const shopAnswers: string[] = [];

  const screenUrl = (link: string) =>
    `${origin}/phones/${phone.id}/openid4vp?url=${encodeURIComponent(link)}`;
  const shopLink = (path: string) =>
    `openid4vp://?client_id=x509_san_dns%3A${SHOP_HOST}&request_uri=${encodeURIComponent(`https://${SHOP_HOST}${path}`)}`;
  const history = () => phone.store.presentations.list(phone.id);
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  beforeAll(async () => {
    const clock = testClock(START);
    env = await issuerAndPhone(clock);
    dir = tempDir('mynakit-wallet-cross-device-page-');
    store = await openVerifierStore({ url: `sqlite:${dir.path}/verifier.sqlite` });
    verifier = createVerifierApp({
      store,
      config: {
        origin: `https://${SHOKEN_HOST}`,
        adminToken: ADMIN,
        readerKeyEncryptionKey: new Uint8Array(32).fill(3),
        sessionKeyEncryptionKey: new Uint8Array(32).fill(4),
      },
      clock: clock.read,
      writerId: 'wallet-cross-device-page-writer',
      fetchStatusList: env.fetchFromIssuer,
    });
    shoken = await createRelyingParty(verifier, env, {
      clientId: `x509_san_dns:${SHOKEN_HOST}`,
      name: '申告だけの証券',
      law: 'keitai',
      myNumberLegalBasis: '番号法第19条第8号',
    });
    await certifyReaderKey(verifier, {
      relyingPartyId: shoken.id,
      operator: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
    });

    // The shop: a reader certificate of the trusted reader CA for its own host, requests made by hand.
    const ca = env.issuer.deps.hierarchy.reader.root;
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leaf = await createReaderAuthCertificateWithSigner({
      subject: `C=JP, O=Example Shop, CN=${SHOP_HOST}`,
      publicKey: key.publicKey,
      issuer: { certificate: ca.der, signer: ca.signer },
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
      dnsNames: [SHOP_HOST],
    });
    const request = buildAuthorizationRequest({
      responseMode: 'direct_post.jwt',
      responseUri: `https://${SHOP_HOST}/answers`,
      nonce: 'n-0123456789abcdef',
      clientId: `x509_san_dns:${SHOP_HOST}`,
      encryptionKeys: [
        generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }),
      ],
      dcqlQuery: {
        credentials: [
          {
            id: 'mnc',
            format: 'mso_mdoc',
            meta: { doctype_value: JP_MNC_DOCTYPE },
            claims: [{ path: [JP_MNC_NAMESPACE, 'full_name_unicode'] }],
          },
          {
            id: 'loyalty',
            format: 'mso_mdoc',
            meta: { doctype_value: UNKNOWN_DOCTYPE },
            claims: [{ path: [UNKNOWN_DOCTYPE, 'member_number'] }],
          },
        ],
      },
    });
    const signed = await signRequestObject({
      request,
      privateKey: key.privateKey,
      certificateChain: [leaf],
      now: START,
    });
    // The same request with its signature taken off: `alg: none`, no x5c.
    const payload = signed.split('.')[1] as string;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'oauth-authz-req+jwt' })).toString('base64url')}.${payload}.`;
    shop.set(
      `https://${SHOP_HOST}/two-documents`,
      () => new Response(signed, { headers: REQUEST_OBJECT_TYPE }),
    );
    shop.set(`https://${SHOP_HOST}/unsigned`, () => new Response(unsigned, { headers: REQUEST_OBJECT_TYPE }));
    shop.set(
      `https://${SHOP_HOST}/large`,
      () => new Response('a'.repeat(300 * 1024), { headers: REQUEST_OBJECT_TYPE }),
    );

    phone = { ...env.phone, readerTrustAnchors: [env.issuer.deps.hierarchy.reader.root.der] };
    const wallet = createWalletApp({
      phones: [phone],
      verifierFetch: async (url, init) => {
        const host = new URL(url).hostname;
        if (host === SHOKEN_HOST) return verifier.request(url, init);
        if (host === SHOP_HOST) {
          if (init?.method === 'POST') {
            shopAnswers.push(String(init.body));
            return Response.json({});
          }
          return shop.get(url)?.() ?? new Response(null, { status: 404 });
        }
        throw new TypeError('no such host');
      },
    });
    const served = await serveOnLoopback(getRequestListener(wallet.fetch));
    origin = served.origin;
    closeWallet = served.close;
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  }, 180_000);
  afterAll(async () => {
    await closeBrowser?.();
    await closeWallet?.();
    await store?.close();
    dir?.remove();
    await env?.close();
  });

  it('withholds My Number from a requester whose certificate declares no basis, and sends the rest', async () => {
    const res = await verifier.request('/sessions/cross-device', {
      method: 'POST',
      headers: { authorization: `Bearer ${shoken.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        purpose: 'account-opening',
        origin: RP_ORIGIN,
        elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] },
      }),
    });
    expect(res.status).toBe(201);
    const session = (await res.json()) as { sessionId: string; walletUrl: string };
    await page.goto(screenUrl(session.walletUrl));
    const withheld = page.locator('li[data-element="individual_number_unicode"]');
    await withheld.waitFor();
    expect(await withheld.getAttribute('data-withheld')).toBe('my-number-without-basis');
    expect(await withheld.textContent()).toContain('WALLET_MY_NUMBER_WITHHELD');
    expect(await withheld.textContent()).toContain('利用根拠がありません');
    expect(await withheld.locator('input').count()).toBe(0);
    expect(await page.locator('[data-my-number-basis]').count()).toBe(0);
    const boxes = page.locator('input[name="element"]');
    expect(await boxes.count()).toBe(1);
    expect(JSON.parse((await boxes.getAttribute('value')) as string)).toEqual([
      JP_MNC_DOCTYPE,
      JP_MNC_NAMESPACE,
      'full_name_unicode',
    ]);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.locator('button[data-approve]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
    await page.locator('[data-sent]').waitFor();
    expect(await page.locator('[data-disclosed]').count()).toBe(1);
    expect(await page.locator('[data-disclosed="full_name_unicode"]').count()).toBe(1);
    const result = await verifier.request(`/sessions/${session.sessionId}/result`, {
      headers: { authorization: `Bearer ${shoken.apiKey}` },
    });
    // The verifier got the answer: without My Number, which it asked for.
    expect(result.status).toBe(200);
    const answer = (await result.json()) as {
      verdict: string;
      elements?: Record<string, Record<string, unknown>>;
    };
    expect(answer.verdict).toBeTypeOf('string');
    expect(answer.elements?.[JP_MNC_NAMESPACE]?.individual_number_unicode).toBeUndefined();
  }, 60_000);

  it('marks a document type the phone does not hold and offers what it holds', async () => {
    await page.goto(screenUrl(shopLink('/two-documents')));
    const unknown = page.locator(`section[data-doctype="${UNKNOWN_DOCTYPE}"]`);
    await unknown.waitFor();
    expect(await unknown.locator('[data-available="no"]').textContent()).toContain('有効な書類がありません');
    expect(await unknown.locator('input').count()).toBe(0);
    expect(await page.locator('[data-reader-subject]').textContent()).toContain('Example Shop');
    expect(await page.locator('input[name="element"]:checked').count()).toBe(1);
  }, 60_000);

  it('refuses an unsigned request object and an oversized one on the screen, and sends nothing', async () => {
    const before = (await history()).length;
    for (const [path, code] of [
      ['/unsigned', 'WALLET_READER_AUTH_INVALID'],
      ['/large', 'WALLET_REQUEST_INVALID'],
    ] as const) {
      await page.goto(screenUrl(shopLink(path)));
      const refusal = page.locator(`[data-refusal="${code}"]`);
      await refusal.waitFor();
      expect(await refusal.getAttribute('role'), path).toBe('alert');
      expect(await refusal.textContent(), path).toContain('Nothing was sent');
      expect(await page.locator('input[name="element"]').count(), path).toBe(0);
      expect(await page.locator('button[data-approve]').count(), path).toBe(0);
      expect(await overflow(), path).toBeLessThanOrEqual(0);
    }
    expect(await history()).toHaveLength(before);
    expect(shopAnswers).toEqual([]);
  }, 60_000);
});
