/**
 * The phone's consent screen for requests its operating system hands it (services/wallet/pages/request,
 * `/phones/<id>/incoming`) and the phone page's notification of them, in Debian's Chromium. The wallet app
 * is served on 127.0.0.1; requests are delivered to its phone as the sandbox's bridges deliver them — a
 * bank's reader-authenticated Annex C request (readAnnexCRequest, then presentAnnexC with the holder's
 * consent), an unsigned one, and a reader's request in person over ISO/IEC 18013-5 proximity — and the
 * requester's side waits for the answer given on the page. The holder sees who asks, from which page, by
 * which channel, and the elements; unticks one and approves with the biometric: the requester receives
 * only the ticked elements, which its verifier half decrypts and verifies. A face that does not match is
 * refused on screen and the request still waits; a decline answers WALLET_DECLINED. A relying party's
 * request for a JPKI signature shows who asks as named (not verified), the document and the tries left; the
 * holder types the signature password on the phone (no biometric is offered): a wrong one shows the tries
 * left, the right one signs — the CMS verifies over exactly the document. A relying party's sign-in (a JPKI
 * user authentication) shows who asks and the auth PIN's tries, never the challenge: the PIN typed on the
 * phone's pad signs the challenge (verifyAuthResponse), a wrong one shows the tries left; when the reader
 * asks for the face check only, no pad shows and the biometric answers. The screens fit a 390 px wide
 * screen. The pages' builds are made first (scripts/build-pages.mjs).
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { verifyAuthResponse, verifyJpkiSignature } from '@mynakit/jpki';
import {
  buildDeviceRequest,
  buildJpMncRequest,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  verifyDeviceResponse,
} from '@mynakit/mdoc';
import {
  annexCSessionTranscript,
  buildAnnexCRequest,
  createReaderAuthCertificate,
  encodeEncryptionInfo,
  toP256PublicJwk,
  verifyAnnexCResponse,
} from '@mynakit/oid4vp';
import { createCertificate } from '@mynakit/pki';
import type { Browser, Page, Response as PageResponse } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { serveOnLoopback } from '../../../test/helpers/serve.js';
import {
  authenticateWithJpki,
  createWalletApp,
  IncomingRequests,
  installCredentials,
  presentAnnexC,
  readAnnexCRequest,
  signWithJpki,
  type WalletDevice,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';
import { type Cleanups, proximityEngagement } from './helpers/proximity-engagement.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const MNC = JP_MNC_DOCTYPE;
const ORIGIN = 'https://bank.example';
const DAY = 86_400_000;
const BIOMETRIC = { method: 'biometric', matched: true } as const;

describe('the phone answers requests its OS hands it, on its consent screen in Chromium', () => {
  let env: IssuerEnvironment;
  let phone: WalletDevice;
  let incoming: IncomingRequests;
  let origin: string;
  let closeWallet: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let signedRequest: (asked: Record<string, boolean>) => {
    data: { deviceRequest: string; encryptionInfo: string };
    verify: (response: string) => ReturnType<typeof verifyAnnexCResponse>;
  };
  const cleanups: Cleanups = [];

  const screenUrl = () => `${origin}/phones/${phone.id}/incoming`;
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const history = () => phone.store.presentations.list(phone.id);

  /** Hands `data` to the phone as the sandbox's bridge does; answers the requester's wait once it is on the phone. */
  async function deliverAnnexC(data: unknown) {
    const summary = await readAnnexCRequest({ device: phone, data, origin: ORIGIN });
    const outcome = incoming.deliver(phone, {
      channel: 'dc-api-org-iso-mdoc',
      origin: ORIGIN,
      summary,
      present: ({ consent, userAuthentication, handOff }) =>
        presentAnnexC({ device: phone, data, origin: ORIGIN, consent, userAuthentication, handOff }),
    });
    const id = incoming.pendingFor(phone.id).at(-1)?.id as string;
    return { id, outcome };
  }

  beforeAll(async () => {
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    env = await issuerEnvironment();
    const installed = await env.phone('incoming-page-iphone', 'iphone');
    await installCredentials({
      device: installed,
      issuer: env.client,
      card: await env.card('sandbox-ordinary-female'),
      cardPins: await cardPinsOf(env, 'sandbox-ordinary-female'),
      liveness: { confirmed: true },
      newAuthPin: ['2468', '2468'],
      newSignaturePassword: ['PHONE2026', 'PHONE2026'],
      biometric: BIOMETRIC,
      trustAnchors: env.trustAnchors,
    });

    // The bank's reader certificate, by a reader root the phone trusts.
    const now = Date.now();
    const rootKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const root = createCertificate({
      subject: 'C=JP, O=Test readers, CN=Test reader root',
      publicKey: rootKeys.publicKey,
      privateKey: rootKeys.privateKey,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    });
    const readerKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const reader = createReaderAuthCertificate({
      subject: 'C=JP, O=Example Bank, CN=bank.example',
      publicKey: readerKeys.publicKey,
      issuer: { certificate: root, privateKey: rootKeys.privateKey },
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      dnsNames: ['bank.example'],
    });
    signedRequest = (asked) => {
      const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const info = encodeEncryptionInfo({
        nonce: new Uint8Array(randomBytes(32)),
        recipientPublicKey: toP256PublicJwk(recipient.publicKey),
      });
      const deviceRequest = buildDeviceRequest({
        version: '1.1',
        docRequests: [{ docType: MNC, nameSpaces: { [JP_MNC_NAMESPACE]: asked } }],
        readerAuth: {
          key: readerKeys.privateKey,
          certificateChain: [reader],
          sessionTranscriptBytes: annexCSessionTranscript(info.encoded, ORIGIN).sessionTranscriptBytes,
          scope: 'all',
        },
      });
      return {
        data: {
          deviceRequest: Buffer.from(deviceRequest).toString('base64url'),
          encryptionInfo: info.encoded,
        },
        verify: (response) =>
          verifyAnnexCResponse(
            { response },
            {
              encryptionInfo: info.encoded,
              origin: ORIGIN,
              recipientPrivateKey: recipient.privateKey,
              docType: MNC,
            },
            { mdoc: { trustAnchors: env.trustAnchors.slice(0, 1), now: new Date() } },
          ),
      };
    };
    phone = { ...installed, readerTrustAnchors: [root] };
    incoming = new IncomingRequests();
    const wallet = createWalletApp({ phones: [phone], incoming });
    const served = await serveOnLoopback(getRequestListener(wallet.fetch));
    origin = served.origin;
    closeWallet = served.close;
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  }, 180_000);
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    // Nothing left waiting for the next test.
    for (const v of incoming.pendingFor(phone.id)) incoming.decline(phone.id, v.id);
  });
  afterAll(async () => {
    await closeBrowser?.();
    await closeWallet?.();
    await env?.close();
  });

  it('shows who asks and what; the ticked elements go after a matched face, a failed one is refused and the request waits', async () => {
    await page.goto(screenUrl());
    // Nothing waits yet: the screen says so and keeps asking.
    await page.locator('[data-incoming-empty]').waitFor();
    expect(await page.locator('[data-incoming-empty]').textContent()).toContain('要求はありません');

    const bank = signedRequest({
      full_name_unicode: true,
      resident_address_unicode: false,
      birth_date_unicode: false,
      individual_number_unicode: false,
    });
    const before = (await history()).length;
    const { id, outcome } = await deliverAnnexC(bank.data);
    const screen = page.locator(`section[data-incoming="${id}"]`);
    await screen.waitFor();
    expect(page.url()).toBe(screenUrl());
    expect(await screen.locator('[data-channel]').getAttribute('data-channel')).toBe('dc-api-org-iso-mdoc');
    expect(await screen.locator('[data-channel]').textContent()).toContain('ブラウザ(DC API)');
    expect(await screen.locator('[data-reader-subject]').textContent()).toContain('Example Bank');
    expect(await screen.locator('[data-origin]').textContent()).toBe(ORIGIN);
    expect(await screen.locator('li[data-element="full_name_unicode"]').textContent()).toContain('氏名');
    expect(
      await screen.locator('li[data-element="full_name_unicode"] [data-retain]').getAttribute('data-retain'),
    ).toBe('yes');
    expect(
      await screen.locator('li[data-element="individual_number_unicode"]').getAttribute('data-withheld'),
    ).toBe('my-number-without-basis');
    expect(await screen.locator('li[data-element="individual_number_unicode"] input').count()).toBe(0);
    expect(await screen.locator('input[type="checkbox"]:checked').count()).toBe(3);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // The holder keeps the birth date back.
    await screen.locator('li[data-element="birth_date_unicode"] input[type="checkbox"]').uncheck();

    // A face that does not match: refused on screen, nothing sent, the request still waits with the same ticks.
    await screen.locator('button[data-approve]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="failed"]').click();
    await page.locator('[data-refusal="WALLET_BIOMETRIC_FAILED"]').waitFor();
    expect(await page.locator(`section[data-incoming="${id}"]`).count()).toBe(1);
    expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
    expect(await screen.locator('input[type="checkbox"]:checked').count()).toBe(2);
    expect(await history()).toHaveLength(before);

    await screen.locator('button[data-approve]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
    const sent = page.locator(`[data-sent="${id}"]`);
    await sent.waitFor();
    expect(
      (
        await sent
          .locator('li[data-disclosed]')
          .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-disclosed')))
      ).sort(),
    ).toEqual(['full_name_unicode', 'resident_address_unicode']);

    const answered = await outcome;
    if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
    expect(answered.presentation.disclosed).toEqual({
      [MNC]: [
        [JP_MNC_NAMESPACE, 'full_name_unicode'],
        [JP_MNC_NAMESPACE, 'resident_address_unicode'],
      ],
    });
    const verified = await bank.verify(answered.presentation.response);
    expect(verified.verdict).toBe('valid');
    const values = verified.presentations[0]?.verification.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {};
    expect(Object.keys(values).sort()).toEqual(['full_name_unicode', 'resident_address_unicode']);
    // The phone's screen named what was sent, never a value.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const value of Object.values(values)) expect(text).not.toContain(value as string);
    expect(await history()).toHaveLength(before + 1);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // Back to waiting: nothing is left.
    await page.locator('button[data-next]').click();
    await page.locator('[data-incoming-empty]').waitFor();
  }, 90_000);

  it('a decline sends nothing and the requester hears WALLET_DECLINED; an unsigned request names no one', async () => {
    await page.goto(screenUrl());
    await page.locator('[data-incoming-empty]').waitFor();
    const before = (await history()).length;
    // A page's request without reader authentication: nothing proves who asks.
    const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const unsigned = buildAnnexCRequest({
      deviceRequest: buildDeviceRequest({
        docRequests: [
          buildJpMncRequest({
            elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] },
            intentToRetain: false,
          }),
        ],
      }),
      recipientKey: recipient.publicKey,
    });
    const { id, outcome } = await deliverAnnexC({
      deviceRequest: unsigned.deviceRequest,
      encryptionInfo: unsigned.encryptionInfo,
    });
    const screen = page.locator(`section[data-incoming="${id}"]`);
    await screen.waitFor();
    expect(await screen.locator('[data-reader-subject]').textContent()).toContain('未認証の読み取り機');
    expect(await screen.locator('[data-reader]').getAttribute('data-reader')).toBe('none');
    await screen.locator('button[data-decline]').click();
    await page.locator(`[data-declined="${id}"]`).waitFor();
    expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
    expect(await history()).toHaveLength(before);
  }, 60_000);

  it('a reader in person: the channel in words, approved on the screen, the reader verifies what was ticked', async () => {
    const { handle, summary, reader, response } = await proximityEngagement(
      phone,
      buildDeviceRequest({
        docRequests: [
          buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'portrait'] } }),
        ],
      }),
      cleanups,
    );
    const outcome = incoming.deliver(phone, {
      channel: 'iso-18013-5-proximity',
      origin: null,
      summary,
      present: (approved) => handle.answer(approved),
    });
    const id = incoming.pendingFor(phone.id).at(-1)?.id as string;

    await page.goto(screenUrl());
    const screen = page.locator(`section[data-incoming="${id}"]`);
    await screen.waitFor();
    expect(await screen.locator('[data-channel]').textContent()).toContain('対面の読み取り機(近接)');
    expect(await screen.locator('[data-origin]').count()).toBe(0);
    await screen.locator('li[data-element="portrait"] input[type="checkbox"]').uncheck();
    await screen.locator('button[data-approve]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
    await page.locator(`[data-sent="${id}"]`).waitFor();
    expect((await outcome).kind).toBe('answered');
    const v = await verifyDeviceResponse(await response, {
      sessionTranscriptBytes: reader.sessionTranscriptBytes,
      trustAnchors: env.trustAnchors.slice(0, 1),
      now: new Date(),
      docType: MNC,
    });
    expect(v.verdict).toBe('valid');
    expect(Object.keys(v.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {})).toEqual(['full_name_unicode']);
  }, 60_000);

  it('a request to sign: the document and the tries shown, a wrong password shows the tries left, the right one signs — no biometric offered', async () => {
    const application = '普通預金口座開設申込書\n申込日: 2026年12月3日\n取引の目的: 生計費決済';
    const bank = 'サンドボックス銀行 (bank.example)';
    const content = new TextEncoder().encode(application);
    // What the screen asks the wallet: the list it polls, and each request it reads in full.
    const asked: { path: string; body: string }[] = [];
    const onResponse = async (res: PageResponse) => {
      const path = new URL(res.url()).pathname;
      if (res.request().method() === 'GET' && path.startsWith(`/phones/${phone.id}/incoming`))
        asked.push({ path, body: await res.text().catch(() => '') });
    };
    page.on('response', onResponse);
    await page.goto(screenUrl());
    await page.locator('[data-incoming-empty]').waitFor();
    const before = (await history()).length;
    const outcome = incoming.deliverJpkiSignature(phone, {
      channel: 'jpki-signature',
      origin: ORIGIN,
      relyingParty: bank,
      content,
      present: ({ password, handOff }) =>
        signWithJpki({ device: phone, content, password, relyingParty: bank, handOff }),
    });
    const screen = page.locator('section[data-incoming]');
    await screen.waitFor();
    const id = incoming.pendingFor(phone.id).at(-1)?.id as string;
    expect(await screen.getAttribute('data-incoming')).toBe(id);
    expect(await screen.locator('[data-channel]').getAttribute('data-channel')).toBe('jpki-signature');
    const who = (await screen.locator('[data-relying-party]').textContent()) ?? '';
    expect(who).toContain(bank);
    expect(who).toContain('ブリッジが伝えた依頼元');
    expect(who).toContain('not verified');
    expect(await screen.locator('[data-origin]').textContent()).toBe(ORIGIN);
    expect(await screen.locator('[data-document="text"]').textContent()).toBe(application);
    expect(await screen.locator('[data-document-sha256]').textContent()).toBe(
      createHash('sha256').update(content).digest('hex'),
    );
    expect(await screen.locator('[data-remaining-tries]').getAttribute('data-remaining-tries')).toBe('5');
    expect(await screen.locator('button[data-approve]').textContent()).toContain('署名する');
    // Never a biometric for a signature (DOMAIN.md §3): no prompt, no button for one.
    expect(await page.locator('[data-biometric-prompt], button[data-biometric]').count()).toBe(0);
    expect(await screen.locator('button', { hasText: '生体認証' }).count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // The screen keeps polling the list while it shows the request — the document's size and SHA-256 in
    // it, never its text — and read the request in full once.
    const polls = () => asked.filter((a) => a.path === `/phones/${phone.id}/incoming` && a.body.includes(id));
    for (let i = 0; i < 400 && polls().length < 3; i++) await new Promise((r) => setTimeout(r, 25));
    page.off('response', onResponse);
    expect(polls().length).toBeGreaterThanOrEqual(3);
    for (const poll of polls()) expect(poll.body).not.toContain('普通預金口座開設申込書');
    expect(asked.filter((a) => a.path === `/phones/${phone.id}/incoming/${id}`)).toHaveLength(1);

    // A wrong password: refused on screen with the tries left, the request still waits.
    await screen.locator('input[name="password"]').fill('WRONG2026');
    await screen.locator('button[data-approve]').click();
    await page.locator('[data-refusal="WALLET_SECRET_WRONG"]').waitFor();
    await screen.locator('[data-remaining-tries="4"]').waitFor();
    expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
    expect(await history()).toHaveLength(before);

    await screen.locator('input[name="password"]').fill('PHONE2026');
    await screen.locator('button[data-approve]').click();
    await page.locator(`[data-sent="${id}"]`).waitFor();
    expect(await page.locator('[data-biometric-prompt]').count()).toBe(0);
    const answered = await outcome;
    if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
    const report = await verifyJpkiSignature({
      signature: answered.presentation.signature,
      content,
      trustAnchors: env.issuer.deps.hierarchy.jpki.signature.cas.map((c) => c.certificate),
      now: new Date(),
      profile: 'jpki-sign',
      policies: SANDBOX_JPKI_POLICY_CONFIG,
    });
    expect(report.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual([
      'status.revocation',
    ]);
    expect(await history()).toHaveLength(before + 1);
    expect((await phone.secrets.status('signaturePassword')).remaining).toBe(5);
    expect((await page.locator('body').textContent()) ?? '').not.toContain('PHONE2026');
    expect(await overflow()).toBeLessThanOrEqual(0);

    // Bytes that are not text: their size and hash; declined, nothing is signed.
    await page.locator('button[data-next]').click();
    await page.locator('[data-incoming-empty]').waitFor();
    const binary = new Uint8Array([0x30, 0x82, 0xff, 0xfe, 0x00, 0x01]);
    const declined = incoming.deliverJpkiSignature(phone, {
      channel: 'jpki-signature',
      origin: null,
      relyingParty: bank,
      content: binary,
      present: ({ password, handOff }) =>
        signWithJpki({ device: phone, content: binary, password, relyingParty: bank, handOff }),
    });
    await page.locator('section[data-incoming] [data-document="binary"]').waitFor();
    expect(await page.locator('[data-document-size]').textContent()).toBe('6');
    await page.locator('button[data-decline]').click();
    await page.locator('[data-declined]').waitFor();
    expect(await declined).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
    expect(await history()).toHaveLength(before + 1);
  }, 90_000);

  it('a sign-in: the auth PIN typed on the phone’s pad signs the challenge, a wrong one shows the tries left; the face check only shows no pad', async () => {
    const portal = 'サンドボックス行政ポータル (portal.example)';
    const anchors = env.issuer.deps.hierarchy.jpki.userAuthentication.cas.map((c) => c.certificate);
    const signIn = (challenge: Uint8Array, unlock: 'pin-or-biometric' | 'biometric') =>
      incoming.deliverJpkiUserAuthentication(phone, {
        channel: 'jpki-user-authentication',
        origin: unlock === 'biometric' ? null : 'https://portal.example',
        relyingParty: portal,
        challenge,
        unlock,
        present: ({ userAuthentication, handOff }) =>
          authenticateWithJpki({
            device: phone,
            challenge,
            userAuthentication,
            relyingParty: portal,
            handOff,
          }),
      });
    const unverified = async (
      outcome: Awaited<ReturnType<typeof signIn>>,
      challenge: Uint8Array,
    ): Promise<string[]> => {
      if (outcome.kind !== 'answered') throw new Error(`refused: ${outcome.code}`);
      const report = await verifyAuthResponse({
        challenge,
        signature: outcome.presentation.signature,
        certificate: outcome.presentation.certificate,
        trustAnchors: anchors,
        now: new Date(),
        policies: SANDBOX_JPKI_POLICY_CONFIG,
      });
      return report.checks.filter((c) => c.status !== 'passed').map((c) => c.id);
    };
    const typeOnPad = async (pin: string) => {
      for (const digit of pin) await page.locator(`form.pad-pin button[data-key="${digit}"]`).click();
    };

    await page.goto(screenUrl());
    await page.locator('[data-incoming-empty]').waitFor();
    const before = (await history()).length;
    const challenge = new Uint8Array(randomBytes(32));
    const outcome = signIn(challenge, 'pin-or-biometric');
    const screen = page.locator('section[data-incoming]');
    await screen.waitFor();
    const id = incoming.pendingFor(phone.id).at(-1)?.id as string;
    expect(await screen.getAttribute('data-incoming')).toBe(id);
    expect(await screen.locator('[data-channel]').getAttribute('data-channel')).toBe(
      'jpki-user-authentication',
    );
    const who = (await screen.locator('[data-relying-party]').textContent()) ?? '';
    expect(who).toContain(portal);
    expect(who).toContain('not verified');
    expect(await screen.locator('[data-remaining-tries]').getAttribute('data-remaining-tries')).toBe('3');
    expect(await screen.locator('input[name="pin"]').count()).toBe(1);
    expect(await screen.locator('button[data-use-biometric]').count()).toBe(1);
    // The challenge is signed, never shown; no password field.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const encoding of ['hex', 'base64', 'base64url'] as const)
      expect(text).not.toContain(Buffer.from(challenge).toString(encoding));
    expect(await screen.locator('input[name="password"]').count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // A wrong PIN on the pad: refused on screen with the tries left, the request still waits.
    await typeOnPad('1111');
    await screen.locator('button[data-approve]').click();
    await page.locator('[data-refusal="WALLET_SECRET_WRONG"]').waitFor();
    await screen.locator('[data-remaining-tries="2"]').waitFor();
    expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
    expect(await history()).toHaveLength(before);

    await typeOnPad('2468');
    await screen.locator('button[data-approve]').click();
    await page.locator(`[data-sent="${id}"]`).waitFor();
    expect(await unverified(await outcome, challenge)).toEqual(['status.revocation']);
    expect(await history()).toHaveLength(before + 1);
    expect((await phone.secrets.status('authPin')).remaining).toBe(3);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // The reader asks for the face check: no pad; an unmatched face is refused, a matched one signs.
    await page.locator('button[data-next]').click();
    await page.locator('[data-incoming-empty]').waitFor();
    const faceChallenge = new Uint8Array(randomBytes(32));
    const face = signIn(faceChallenge, 'biometric');
    await page.locator('section[data-incoming] [data-channel="jpki-user-authentication"]').waitFor();
    const faceId = incoming.pendingFor(phone.id).at(-1)?.id as string;
    expect(await page.locator('input[name="pin"], form.pad-pin, button[data-approve]').count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.locator('button[data-use-biometric]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="failed"]').click();
    await page.locator('[data-refusal="WALLET_BIOMETRIC_FAILED"]').waitFor();
    expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([faceId]);
    await page.locator('button[data-use-biometric]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
    await page.locator(`[data-sent="${faceId}"]`).waitFor();
    expect(await unverified(await face, faceChallenge)).toEqual(['status.revocation']);
    expect(await history()).toHaveLength(before + 2);
  }, 90_000);

  it('the phone page counts every waiting request, a request to sign too, and opens the consent screen', async () => {
    await page.goto(`${origin}/`);
    await page.locator(`section[data-phone="${phone.id}"]`).waitFor();
    expect(await page.locator('[data-incoming-count]').count()).toBe(0);
    const { id, outcome } = await deliverAnnexC(signedRequest({ full_name_unicode: true }).data);
    const banner = page.locator(`section[data-phone="${phone.id}"] [data-incoming-count="1"]`);
    await banner.waitFor();
    expect(await banner.textContent()).toContain('要求が届いています (1)');
    expect(await overflow()).toBeLessThanOrEqual(0);
    // A request to sign counts as every waiting request does.
    const content = new TextEncoder().encode('契約書');
    const signature = incoming.deliverJpkiSignature(phone, {
      channel: 'jpki-signature',
      origin: ORIGIN,
      relyingParty: 'サンドボックス銀行',
      content,
      present: ({ password, handOff }) =>
        signWithJpki({ device: phone, content, password, relyingParty: 'x', handOff }),
    });
    const both = page.locator(`section[data-phone="${phone.id}"] [data-incoming-count="2"]`);
    await both.waitFor();
    expect(await both.textContent()).toContain('要求が届いています (2)');
    await both.locator('a').click();
    // The oldest first.
    await page.locator(`section[data-incoming="${id}"]`).waitFor();
    expect(page.url()).toBe(screenUrl());
    await page.locator('button[data-decline]').click();
    await page.locator(`[data-declined="${id}"]`).waitFor();
    expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
    await page.locator('button[data-next]').click();
    await page.locator('section[data-incoming] [data-channel="jpki-signature"]').waitFor();
    await page.locator('button[data-decline]').click();
    await page.locator('[data-declined]').waitFor();
    expect(await signature).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
  }, 60_000);
});
