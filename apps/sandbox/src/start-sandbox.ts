/**
 * `startSandbox` — the whole ecosystem in one process (ARCHITECTURE.md: apps/sandbox): the issuer mounted
 * under `/issuer`, the landing page at `/`, one port, SQLite under `<dataDir>` unless a PostgreSQL URL is
 * given. Each service keeps its own database (its own SQLite file or PostgreSQL schema) even here.
 *
 * The port is bound before anything slow happens, so a taken port fails at once (SANDBOX_PORT_IN_USE);
 * until the services are open every request gets 503 with Retry-After.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { closeServer, listenOn } from '@mynakit/http-kit';
import { type OpenedIssuer, openIssuer, SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { type OpenedVerifier, openVerifier, proximityTimeoutSecondsOf } from '@mynakit/verifier';
import {
  cardShelfInDirectory,
  type IncomingRequests,
  type OpenedWallet,
  openWallet,
  sandboxPlatformAttestation,
  type WalletDevice,
} from '@mynakit/wallet';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { registerAuditorPages } from './auditor-pages.js';
import { registerBankBranchPages } from './bank-branch-pages.js';
import { registerBankPages } from './bank-pages.js';
import { registerCarrierPages } from './carrier-pages.js';
import { registerClinicPages } from './clinic-pages.js';
import { registerCrossDevicePages } from './cross-device-pages.js';
import { registerSandboxInquiryClient } from './issuer-clients.js';
import { renderIssuerPage } from './issuer-page.js';
import { renderLandingPage, type SandboxParts } from './landing-page.js';
import { registerPortalPages } from './portal-pages.js';
import { ensureSandboxBank, type SandboxBank, sandboxBankOrigins } from './sandbox-bank.js';
import { ensureSandboxCarrier, type SandboxCarrier } from './sandbox-carrier.js';
import { ensureSandboxClinic, type SandboxClinic } from './sandbox-clinic.js';
import { ensureSandboxCrossDevice, type SandboxCrossDevice } from './sandbox-cross-device.js';
import { ensureSandboxPortal, type SandboxPortal } from './sandbox-portal.js';
import { ensureSandboxPortalLink, portalLinkOrigin, type SandboxPortalLink } from './sandbox-portal-link.js';
import { issueSandboxReaderKey } from './sandbox-reader-key.js';

/** Options of `startSandbox`. */
export interface StartSandboxOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** `MYNAKIT_DATA_DIR`: every service keeps its data in its own folder below it. */
  readonly dataDir: string;
  /** `DATABASE_URL`: PostgreSQL, one schema per service; absent: SQLite files. */
  readonly databaseUrl?: string;
  /** `MYNAKIT_KEK`: key-encryption key of the issuer's signing keys and of the verifier's secrets at rest. */
  readonly kek?: string;
  /** One line per event and per request, never personal data. */
  readonly log?: (line: string) => void;
}

/** A running sandbox. */
export interface RunningSandbox {
  /** The one URL to open. */
  readonly url: string;
  readonly port: number;
  /** Where the test residents' card files are. */
  readonly cardDirectory: string;
  /** The emulated phones (tests present from them as the OS wallet would, e.g. to a browser's DC API). */
  readonly phones: readonly WalletDevice[];
  /** The requests the bridges hand the phones, waiting on their consent screens (`/wallet/phones/<id>/incoming`). */
  readonly incoming: IncomingRequests;
  /** Stops listening and closes every database. */
  close(): Promise<void>;
}

/** An error of the sandbox process with a stable code. */
export class SandboxError extends Error {
  /** `SANDBOX_PORT_IN_USE` when the port is taken. */
  readonly code: 'SANDBOX_PORT_IN_USE';
  /** The message names the port, nothing else. */
  constructor(code: 'SANDBOX_PORT_IN_USE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
    this.code = code;
  }
}

/** What runs in this version of the sandbox. */
export const SANDBOX_PARTS: SandboxParts = { issuer: true, wallet: true, verifier: true };

/** Starts the sandbox (see the file comment). */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  let handler: (request: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503, headers: { 'retry-after': '1' } });
  const server = createAdaptorServer({ fetch: (request) => handler(request) }) as Server;
  const port = await listenOn(
    server,
    options.port,
    host,
    (cause) =>
      new SandboxError(
        'SANDBOX_PORT_IN_USE',
        `port ${options.port} on ${host} is in use by another process`,
        { cause },
      ),
  );
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  log(`sandbox: starting on ${url} (data in ${options.dataDir})`);
  try {
    const issuer = await openIssuer({
      dataDir: options.dataDir,
      origin: `${url}/issuer`,
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
      ...(options.kek === undefined ? {} : { kek: options.kek }),
      log: (line) => log(line),
    });
    // The phones reach the issuer through this process's own routes (the same paths as over the network),
    // and their keys are attested by the sandbox's platform attestation CA, which the issuer trusts.
    let app: Hono | undefined;
    let wallet: OpenedWallet;
    try {
      wallet = await openWallet({
        dataDir: options.dataDir,
        issuerUrl: `${url}/issuer`,
        issuerFetch: (request) => (app ? app.fetch(request) : new Response('starting', { status: 503 })),
        attestation: await sandboxPlatformAttestation(issuer.deps.hierarchy.attestation.ca),
        // The phones read the seeded residents' test cards and accept documents from the sandbox's IACAs.
        install: {
          cards: cardShelfInDirectory(issuer.cardDirectory),
          trustAnchors: [...issuer.deps.hierarchy.mnc.iacas, ...issuer.deps.hierarchy.mdl.iacas].map(
            (c) => c.der,
          ),
          // … and check their JPKI certificates against the sandbox's JPKI CAs and policies.
          jpkiTrust: {
            trustAnchors: [
              ...issuer.deps.hierarchy.jpki.signature.cas,
              ...issuer.deps.hierarchy.jpki.userAuthentication.cas,
            ].map((c) => c.der),
            policies: SANDBOX_JPKI_POLICY_CONFIG,
          },
        },
        // The phones trust the sandbox reader CA: a relying party it certified (the bank) is named on them.
        readerTrustAnchors: issuer.deps.hierarchy.reader.roots.map((c) => c.der),
        // A QR code a sandbox page shows names this sandbox (or its localhost twin, or the portal's link
        // host, sandbox-portal-link.ts): the phones reach it through this process's own routes, and nothing else.
        verifierFetch: async (target, init) => {
          const origin = new URL(target).origin;
          if (
            !(sandboxBankOrigins(url).includes(origin) || origin === portalLinkOrigin(url)) ||
            app === undefined
          )
            throw new TypeError('the sandbox phones reach this sandbox only');
          return app.fetch(new Request(target, init));
        },
        ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
        log: (line) => log(line),
      });
    } catch (e) {
      await issuer.close();
      throw e;
    }
    // The verifier fetches status lists from this sandbox's issuer only (ARCHITECTURE.md rule 9), through
    // the sandbox's own routes; the bank is its relying party, keyed afresh at each start.
    let verifier: OpenedVerifier;
    let bank: SandboxBank;
    let clinic: SandboxClinic;
    let carrier: SandboxCarrier;
    let portal: SandboxPortal;
    let crossDevice: SandboxCrossDevice | undefined;
    let portalLink: SandboxPortalLink | undefined;
    // The operator token stays in `<dataDir>/verifier/admin-token` (as when the verifier runs alone), so a
    // developer can add a relying party of their own (`POST /verifier/relying-parties`) beside the bank.
    let verifierAdminToken: string;
    try {
      const inquiryClient = await registerSandboxInquiryClient(issuer);
      verifier = await openVerifier({
        dataDir: options.dataDir,
        origin: `${url}/verifier`,
        // The same key-encryption key as the issuer's when one is configured (MYNAKIT_KEK): the verifier's
        // secrets at rest are sealed under it; absent, each service generates its own into its folder.
        ...(options.kek === undefined ? {} : { kek: options.kek }),
        // Fetched afresh at every verification, so a revocation shows in the bank's answer at once.
        cacheStatusLists: false,
        ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
        fetchStatusList: async (uri) => {
          if (new URL(uri).origin !== new URL(url).origin || app === undefined)
            throw new Error('status lists come from this sandbox only');
          const res = await app.fetch(new Request(uri));
          if (!res.ok) throw new Error(`status list answered ${res.status}`);
          return new Uint8Array(await res.arrayBuffer());
        },
        // JPKI status (OCSP, then CRLs) at this sandbox's issuer only, through the sandbox's own routes:
        // the certificates name the issuer by its `.invalid` base URL (SANDBOX_DEFAULT_BASE_URL), which
        // stands for `<url>/issuer` here; the CRL index names the CRLs under `<url>/issuer`. Nothing goes
        // to the network.
        // The issuer's per-record inquiry, asked through the sandbox's own routes (`<url>/issuer/inquiry`).
        recordInquiry: { issuerUrl: `${url}/issuer`, ...inquiryClient },
        recordInquiryFetch: async (request) => {
          if (new URL(request.url).origin !== new URL(url).origin || app === undefined)
            return new Response('the record inquiry is this sandbox only', { status: 502 });
          return app.fetch(request);
        },
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
        jpkiStatus: {
          origins: [new URL(issuer.deps.hierarchy.baseUrl).origin, new URL(url).origin],
          fetch: async (request) => {
            const target = new URL(request.url);
            if (app === undefined) return new Response('starting', { status: 503 });
            if (target.origin === new URL(issuer.deps.hierarchy.baseUrl).origin)
              return app.fetch(new Request(`${url}/issuer${target.pathname}${target.search}`, request));
            if (target.origin === new URL(url).origin) return app.fetch(request);
            return new Response('JPKI status comes from this sandbox only', { status: 502 });
          },
        },
        log: (line) => log(line),
      });
      verifierAdminToken = (await readFile(verifier.adminTokenFile as string, 'utf8')).trim();
      bank = await ensureSandboxBank(verifier, issuer, verifierAdminToken, url);
      // Its requests are signed (readerAuthAll) with a reader key the sandbox reader CA certifies afresh.
      const reader = await issueSandboxReaderKey(verifier, issuer, verifierAdminToken, bank.relyingPartyId);
      log(`sandbox: the bank signs its requests as ${reader}`);
      clinic = await ensureSandboxClinic(verifier, issuer, verifierAdminToken, url);
      carrier = await ensureSandboxCarrier(verifier, issuer, verifierAdminToken, url);
      // The clinic's face check and the carrier's record requests are signed the same way, so the phone's
      // consent screen names who asks.
      for (const party of [clinic, carrier])
        await issueSandboxReaderKey(verifier, issuer, verifierAdminToken, party.relyingPartyId);
      portal = await ensureSandboxPortal(verifier, issuer, verifierAdminToken, url);
      crossDevice = await ensureSandboxCrossDevice(verifier, issuer, verifierAdminToken, url);
      portalLink = await ensureSandboxPortalLink(verifier, issuer, verifierAdminToken, url);
    } catch (e) {
      await wallet.close();
      await issuer.close();
      throw e;
    }
    app = createSandboxApp(
      {
        issuer,
        wallet,
        verifier,
        bank,
        clinic,
        carrier,
        portal,
        portalLink,
        crossDevice,
        url,
        verifierAdminToken,
      },
      log,
    );
    const sandboxApp = app;
    handler = (request) => sandboxApp.fetch(request);
    log(`sandbox: card files of the test residents: ${issuer.cardDirectory}`);
    log(`sandbox: open ${url}/`);
    return {
      url,
      port,
      cardDirectory: issuer.cardDirectory,
      phones: wallet.phones,
      incoming: wallet.incoming,
      close: async () => {
        await closeServer(server);
        await verifier.close();
        await wallet.close();
        await issuer.close();
      },
    };
  } catch (e) {
    await closeServer(server).catch(() => undefined);
    throw e;
  }
}

/**
 * The sandbox's routes: pages of its own, and each service's app under its prefix, called with the prefix
 * removed so the service sees the same paths as when it runs alone. OpenID4VCI and RFC 8414 put the
 * metadata of an issuer whose identifier has a path at `/.well-known/<name>/<path>` (OpenID4VCI §12.2.2,
 * RFC 8414 §3.1): the issuer app answers those paths itself, so they are passed on unchanged.
 */
export function createSandboxApp(
  parts: {
    readonly issuer: OpenedIssuer;
    readonly wallet: OpenedWallet;
    readonly verifier: OpenedVerifier;
    readonly bank: SandboxBank;
    /** The clinic (story 6); absent: its pages are not registered. */
    readonly clinic?: SandboxClinic;
    /** The mobile carrier (携帯電話不正利用防止法 チ / ト); absent: its pages are not registered. */
    readonly carrier?: SandboxCarrier;
    /** The government portal (sign-in with the user-authentication certificate); absent: not registered. */
    readonly portal?: SandboxPortal;
    /** The bank's QR-code channel (sandbox-cross-device.ts); absent: its page says it cannot be offered. */
    readonly crossDevice?: SandboxCrossDevice | undefined;
    /** The portal's sign-in by link or QR code (sandbox-portal-link.ts); absent: its page says it cannot. */
    readonly portalLink?: SandboxPortalLink | undefined;
    /** The sandbox's own URL (the bank's page origin). */
    readonly url: string;
    /** The verifier's operator token: with it, the auditor's pages (an auditor key issued on first use). */
    readonly verifierAdminToken?: string;
  },
  log: (line: string) => void,
): Hono {
  const { issuer, wallet, verifier } = parts;
  const app = new Hono();
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    let pattern = '(unmatched)';
    try {
      pattern = routePath(c);
    } catch {}
    // A request forwarded to a service is logged by that service's own request log: one line each.
    if (pattern === '/issuer/*' || pattern === '/wallet/*' || pattern === '/verifier/*') return;
    log(`${c.req.method} ${pattern} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
  });
  const forward =
    (prefix: string, target: Hono, rewrite?: (path: string) => string) =>
    (request: Request, env?: unknown) => {
      const u = new URL(request.url);
      const rest = u.pathname.slice(prefix.length) || '/';
      u.pathname = rewrite ? rewrite(rest) : rest;
      // The connection details (env) go along: the issuer's sandbox-only routes check the peer is loopback.
      return target.fetch(new Request(u, request), env);
    };
  const toIssuer = forward('/issuer', issuer.app);
  app.get('/', (c) => c.html(renderLandingPage(SANDBOX_PARTS)));
  app.get('/issuer', (c) => c.redirect('/issuer/'));
  app.get('/issuer/', async (c) => c.html(await renderIssuerPage(issuer)));
  app.all('/issuer/*', (c) => toIssuer(c.req.raw, c.env));
  const toVerifier = forward('/verifier', verifier.app as unknown as Hono);
  if (parts.clinic !== undefined)
    registerClinicPages(app, {
      url: parts.url,
      clinic: parts.clinic,
      verifierFetch: (request) => toVerifier(request),
      issuerFetch: (request) => toIssuer(request),
      phones: wallet.phones,
      incoming: wallet.incoming,
      readerTimeoutSeconds: proximityTimeoutSecondsOf(verifier.deps.config),
    });
  if (parts.carrier !== undefined)
    registerCarrierPages(app, {
      url: parts.url,
      carrier: parts.carrier,
      verifierFetch: (request) => toVerifier(request),
      phones: wallet.phones,
      incoming: wallet.incoming,
    });
  if (parts.portal !== undefined)
    registerPortalPages(app, {
      url: parts.url,
      portal: parts.portal,
      portalLink: parts.portalLink,
      verifierFetch: (request) => toVerifier(request),
      phones: wallet.phones,
      incoming: wallet.incoming,
    });
  // The bank's branch counter and QR-code pages sit below /verifier/bank/: registered before the bank's own.
  registerBankBranchPages(app, {
    url: parts.url,
    bank: parts.bank,
    verifierFetch: (request) => toVerifier(request),
    phones: wallet.phones,
    incoming: wallet.incoming,
    readerTimeoutSeconds: proximityTimeoutSecondsOf(verifier.deps.config),
  });
  registerCrossDevicePages(app, { url: parts.url, crossDevice: parts.crossDevice, phones: wallet.phones });
  registerBankPages(app, {
    url: parts.url,
    bank: parts.bank,
    verifierFetch: (request) => toVerifier(request),
    phones: wallet.phones,
    incoming: wallet.incoming,
  });
  if (parts.verifierAdminToken !== undefined)
    registerAuditorPages(app, {
      url: parts.url,
      verifier,
      verifierFetch: (request) => toVerifier(request),
      adminToken: parts.verifierAdminToken,
      relyingPartyId: parts.bank.relyingPartyId,
    });
  app.all('/verifier/*', (c) => toVerifier(c.req.raw, c.env));
  // A cross-device session's wallet-facing URLs: the verifier names them at its origin's root.
  app.get('/sessions/:id/request-object', (c) => verifier.app.fetch(c.req.raw, c.env));
  app.post('/sessions/:id/direct-post', (c) => verifier.app.fetch(c.req.raw, c.env));
  const toWallet = forward('/wallet', wallet.app);
  app.get('/wallet', (c) => c.redirect('/wallet/'));
  app.all('/wallet/*', (c) => toWallet(c.req.raw, c.env));
  // The issuer app itself serves these at the inserted paths it derives from its identifier.
  for (const name of ['openid-credential-issuer', 'oauth-authorization-server']) {
    app.get(`/.well-known/${name}/issuer`, (c) => issuer.app.fetch(c.req.raw));
  }
  app.notFound((c) => c.text('Not found — see / for what this sandbox serves', 404));
  return app;
}
