/**
 * Passkeys in Debian's Chromium, end to end: a real issuer installs a card-substitute record on a real phone
 * (the wallet engine), the phone answers a session the relying party opened for its page's origin
 * (http://localhost:<port>), and the verifier finds it valid. The page — served by this test, with
 * @mynakit/verifier-sdk's passkeys.ts bundled by esbuild — then creates a passkey bound to that verified
 * person through the relying party's backend (this test relaying to the verifier's `/passkeys` with the
 * party's API key), signs in with it, is refused once the authenticator no longer verifies the user, can
 * cancel a pending ceremony, and passes a step-up with a second verification of the same person.
 * The authenticator is Chromium's CDP virtual authenticator (ctap2, internal, resident keys, user
 * verification; ARCHITECTURE.md "Browser facts").
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { build } from 'esbuild';
import { Hono } from 'hono';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { serveOnLoopback } from '../../../test/helpers/serve.js';
import { createVerifierApp } from '../src/app.js';
import type { VerifierStore } from '../src/store/index.js';
import { type IssuerAndPhone, issuerAndPhone, testClock } from './helpers/issuer-and-phone.js';
import {
  ADMIN,
  createRelyingParty,
  openSession,
  phoneAnswers,
  submit,
  type VerificationAnswer,
  verifierStore,
} from './helpers/verifier-fixture.js';

const SDK_PASSKEYS = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/verifier-sdk/src/passkeys.ts',
);

/** The page: the SDK's passkey functions on `window.sdk`. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>Sample Bank</title>
<script type="module">import * as sdk from '/sdk.js'; window.sdk = sdk; document.title = 'ready';</script>`;

/** What a page call gives back: the backend's answer, or the error's stable fields. */
type Outcome =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; name: string; reason: string; code: string; problemCode?: string };

describe('passkeys in Chromium with the CDP virtual authenticator', () => {
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let closePage: () => Promise<void>;
  let origin: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let verifier: ReturnType<typeof createVerifierApp>;
  let apiKey: string;

  beforeAll(async () => {
    const clock = testClock(new Date());
    env = await issuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    verifier = createVerifierApp({
      store,
      config: {
        origin: 'http://127.0.0.1:8403',
        adminToken: ADMIN,
        passkeyIdentityKey: new Uint8Array(32).fill(3),
      },
      clock: clock.read,
      writerId: 'e2e',
      fetchStatusList: env.fetchFromIssuer,
    });
    const bundle = await build({
      stdin: {
        contents: `export * from ${JSON.stringify(SDK_PASSKEYS)};`,
        resolveDir: dirname(SDK_PASSKEYS),
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    });
    const sdkJs = bundle.outputFiles[0]?.text ?? '';

    // The relying party's page and backend: /bank/passkeys/* relays to the verifier with the API key.
    const site = new Hono();
    site.get('/', (c) => c.html(PAGE));
    site.get('/sdk.js', (c) => c.body(sdkJs, 200, { 'content-type': 'text/javascript' }));
    site.post('/bank/passkeys/*', async (c) =>
      verifier.request(c.req.path.replace(/^\/bank/, ''), {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: await c.req.text(),
      }),
    );
    const served = await serveOnLoopback(getRequestListener(site.fetch));
    origin = served.origin;
    closePage = served.close;
    apiKey = (await createRelyingParty(verifier, env, { origins: [origin] })).apiKey;

    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.title === 'ready');
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  }, 180_000);
  afterAll(async () => {
    await closeBrowser?.();
    await closePage?.();
    await removeStore?.();
    await env?.close();
  });

  /** Runs an SDK function in the page and reports its outcome. */
  const inPage = (fn: 'registerPasskey' | 'signInWithPasskey', args: Record<string, unknown>) =>
    page.evaluate(
      async ([name, options]) => {
        const sdk = (window as unknown as { sdk: Record<string, (o: unknown) => Promise<unknown>> }).sdk;
        try {
          return { ok: true, value: (await sdk[name]?.(options)) as Record<string, unknown> };
        } catch (e) {
          const err = e as { name: string; reason: string; code: string; problemCode?: string };
          return {
            ok: false,
            name: err.name,
            reason: err.reason,
            code: err.code,
            problemCode: err.problemCode,
          };
        }
      },
      [fn, args] as const,
    ) as Promise<Outcome>;

  const signIn = () =>
    inPage('signInWithPasskey', {
      optionsUrl: '/bank/passkeys/authentication/options',
      optionsBody: { origin },
      verifyUrl: '/bank/passkeys/authentication/verify',
    });

  it('creates a passkey after a valid verification, signs in, is refused without user verification, steps up', async () => {
    // The holder verifies with the card-substitute record on the phone, for this page's origin.
    const session = await openSession(verifier, apiKey, { origin });
    const res = await submit(
      verifier,
      apiKey,
      session.sessionId,
      await phoneAnswers(env, session, { origin }),
    );
    const verification = (await res.json()) as VerificationAnswer;
    expect(verification.verdict).toBe('valid');

    const registered = await inPage('registerPasskey', {
      optionsUrl: '/bank/passkeys/registration/options',
      optionsBody: { sessionId: session.sessionId, userName: 'customer-0001' },
      verifyUrl: '/bank/passkeys/registration/verify',
    });
    expect(registered.ok).toBe(true);
    const { accountId, credentialId } = (
      registered as unknown as { value: { accountId: string; credentialId: string } }
    ).value;
    expect(accountId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The authenticator keeps a discoverable credential whose user handle is the opaque account id.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.rpId).toBe('localhost');
    expect(Buffer.from(credentials[0]?.userHandle ?? '', 'base64').toString('base64url')).toBe(accountId);

    // The same verification cannot bind a second passkey.
    const again = await inPage('registerPasskey', {
      optionsUrl: '/bank/passkeys/registration/options',
      optionsBody: { sessionId: session.sessionId },
      verifyUrl: '/bank/passkeys/registration/verify',
    });
    expect(again).toMatchObject({
      ok: false,
      reason: 'rejected',
      problemCode: 'VERIFIER_PASSKEY_SESSION_USED',
    });

    const first = await signIn();
    expect(first).toMatchObject({ ok: true, value: { accountId, credentialId, stepUpRequired: false } });
    const second = await signIn();
    expect(second).toMatchObject({ ok: true, value: { accountId } });

    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    const refused = await signIn();
    expect(refused).toMatchObject({
      ok: false,
      name: 'PasskeyError',
      reason: 'not-allowed',
      code: 'declined',
    });

    // The page cancels a ceremony the person has not answered yet (no presence simulated): `cancelled`.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    const cancelled = (await page.evaluate(async (pageOrigin) => {
      const sdk = (window as unknown as { sdk: Record<string, (o: unknown) => Promise<unknown>> }).sdk;
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 500);
      try {
        await sdk.signInWithPasskey?.({
          optionsUrl: '/bank/passkeys/authentication/options',
          optionsBody: { origin: pageOrigin },
          verifyUrl: '/bank/passkeys/authentication/verify',
          signal: controller.signal,
        });
        return { ok: true };
      } catch (e) {
        const err = e as { name: string; reason: string; code: string };
        return { ok: false, name: err.name, reason: err.reason, code: err.code };
      }
    }, origin)) as Outcome;
    expect(cancelled).toMatchObject({
      ok: false,
      name: 'PasskeyError',
      reason: 'cancelled',
      code: 'aborted',
    });
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });

    // A high-risk operation: the bank asks for a step-up; the sign-in says so until the same person
    // verifies the card again.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    const rpPost = (path: string, body: unknown = {}) =>
      verifier.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await rpPost(`/passkeys/accounts/${accountId}/step-up`)).status).toBe(200);
    expect(await signIn()).toMatchObject({ ok: true, value: { accountId, stepUpRequired: true } });
    const fresh = await openSession(verifier, apiKey, { origin, purpose: 'large-transfer' });
    const freshAnswer = await submit(
      verifier,
      apiKey,
      fresh.sessionId,
      await phoneAnswers(env, fresh, { origin }),
    );
    expect(((await freshAnswer.json()) as VerificationAnswer).verdict).toBe('valid');
    const stepped = await rpPost(`/passkeys/accounts/${accountId}/step-up/verify`, {
      sessionId: fresh.sessionId,
    });
    expect(stepped.status).toBe(200);
    expect(await stepped.json()).toMatchObject({ accountId, stepUpRequired: false });
    expect(await signIn()).toMatchObject({ ok: true, value: { accountId, stepUpRequired: false } });
  });
});
