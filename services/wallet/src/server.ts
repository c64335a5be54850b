/**
 * The wallet as a service (ARCHITECTURE.md rule 8): `openWallet` opens the emulated phones under
 * `<dataDir>/wallet/` and builds the app; `startWallet` also listens (`mynakit wallet`, loopback by
 * default). The issuer is optional — given by `issuerUrl` (the CLI's `--issuer-url` or
 * `MYNAKIT_ISSUER_URL`) or, in the sandbox, as an in-process client — and the pages answer without it.
 *
 * Two phones, one of each family (DOMAIN.md §1: the record and the certificates arrive differently on
 * iPhone and Android), so the one-device rule can be watched: installing on the second phone takes the
 * card away from the first. Installing needs a platform attestation (the OpenID4VCI key attestation the
 * issuer checks): the sandbox passes its attestation CA's signer; a wallet started alone has none and
 * shows what its phones hold.
 */

import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { closeServer, listenOn } from '@mynakit/http-kit';
import type { Hono } from 'hono';
import { IncomingRequests } from './app/incoming-requests.js';
import type { EmulatorInstallation } from './app/install-routes.js';
import { createWalletApp } from './app/wallet-app.js';
import { openWalletDevice, type WalletDevice } from './device/wallet-device.js';
import { WalletError } from './errors.js';
import { type FetchFunction, IssuerClient } from './installation/issuer-client.js';
import type { CrossDeviceFetch } from './presentation/openid4vp-cross-device.js';
import type { PlatformAttestation } from './secure-area/platform-attestation.js';

/** The phones every wallet service emulates: one iPhone-like and one Android-like. */
export const WALLET_PHONES = [
  { deviceId: 'iphone', family: 'iphone', model: 'Sandbox iPhone' },
  { deviceId: 'android', family: 'android', model: 'Sandbox Android' },
] as const;

/** Options of openWallet. */
export interface OpenWalletOptions {
  /** `MYNAKIT_DATA_DIR`: the phones keep their files under `<dataDir>/wallet/<phone>/`. */
  readonly dataDir: string;
  /** `DATABASE_URL`: the phones' stores go to PostgreSQL schema `wallet`; absent: one SQLite file per phone. */
  readonly databaseUrl?: string;
  /** The issuer's base URL (`--issuer-url`, `MYNAKIT_ISSUER_URL`); absent: no issuer configured. */
  readonly issuerUrl?: string;
  /** How the issuer is reached (default: the global fetch); the sandbox passes its own app's fetch. */
  readonly issuerFetch?: FetchFunction;
  /** The platform's attestation signer; absent: the phones cannot install (nothing attests their keys). */
  readonly attestation?: PlatformAttestation;
  readonly clock?: () => Date;
  /** One line per event and per request, never personal data. */
  readonly log?: (line: string) => void;
  /** Installing from the emulator's pages (the sandbox: its test cards and IACAs). */
  readonly install?: EmulatorInstallation;
  /** The reader roots every phone trusts (DER): requests signed by readers under them name their requester. */
  readonly readerTrustAnchors?: readonly Uint8Array[];
  /** How the phones reach a verifier whose QR code they scan (default: the global fetch). */
  readonly verifierFetch?: CrossDeviceFetch;
}

/** An opened wallet: its app, phones and issuer client. */
export interface OpenedWallet {
  readonly app: Hono;
  readonly phones: readonly WalletDevice[];
  readonly issuer?: IssuerClient;
  /** The requests the phones' OS hands them, waiting for their holders (what a DC API or proximity bridge delivers to). */
  readonly incoming: IncomingRequests;
  /** Closes every phone's store. */
  close(): Promise<void>;
}

function issuerClientOf(options: OpenWalletOptions): IssuerClient | undefined {
  if (options.issuerUrl === undefined || options.issuerUrl === '') return undefined;
  let url: URL;
  try {
    url = new URL(options.issuerUrl);
  } catch (e) {
    throw new WalletError('WALLET_ISSUER_URL', 'the issuer URL is not a URL', { cause: e });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WalletError('WALLET_ISSUER_URL', 'the issuer URL must be http or https');
  return new IssuerClient({
    baseUrl: url.href,
    ...(options.issuerFetch === undefined ? {} : { fetch: options.issuerFetch }),
  });
}

/** Opens the wallet's phones and builds its app (see the file comment). */
export async function openWallet(options: OpenWalletOptions): Promise<OpenedWallet> {
  const issuer = issuerClientOf(options);
  const phones: WalletDevice[] = [];
  try {
    for (const p of WALLET_PHONES) {
      phones.push(
        await openWalletDevice({
          dataDir: options.dataDir,
          deviceId: p.deviceId,
          family: p.family,
          model: p.model,
          ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
          ...(options.attestation === undefined ? {} : { attestation: options.attestation }),
          ...(options.clock === undefined ? {} : { clock: options.clock }),
          ...(options.readerTrustAnchors === undefined
            ? {}
            : { readerTrustAnchors: options.readerTrustAnchors }),
        }),
      );
    }
  } catch (e) {
    await Promise.allSettled(phones.map((p) => p.close()));
    throw e;
  }
  const incoming = new IncomingRequests();
  const app = createWalletApp({
    phones,
    incoming,
    ...(issuer === undefined ? {} : { issuer }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.install === undefined ? {} : { install: options.install }),
    ...(options.verifierFetch === undefined ? {} : { verifierFetch: options.verifierFetch }),
  });
  return {
    app,
    phones,
    incoming,
    ...(issuer === undefined ? {} : { issuer }),
    close: async () => {
      await Promise.allSettled(phones.map((p) => p.close()));
    },
  };
}

/** Options of startWallet (the CLI's service options plus the issuer URL). */
export interface StartWalletOptions extends OpenWalletOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind (default `127.0.0.1`). */
  readonly host?: string;
}

/** A listening wallet. */
export interface RunningWallet extends OpenedWallet {
  readonly url: string;
  readonly port: number;
}

/**
 * Binds the port first (a taken port fails at once with WALLET_PORT_IN_USE, before any store is opened),
 * then opens the wallet and serves it.
 */
export async function startWallet(options: StartWalletOptions): Promise<RunningWallet> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  let handler: (request: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503, headers: { 'retry-after': '1' } });
  const server = createAdaptorServer({ fetch: (request) => handler(request) }) as Server;
  const port = await listenOn(
    server,
    options.port,
    host,
    (cause) =>
      new WalletError('WALLET_PORT_IN_USE', `port ${options.port} on ${host} is in use by another process`, {
        cause,
      }),
  );
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  try {
    const opened = await openWallet(options);
    handler = (request) => opened.app.fetch(request);
    log(
      opened.issuer === undefined
        ? 'wallet: no issuer configured (--issuer-url or MYNAKIT_ISSUER_URL); the phones show what they hold'
        : `wallet: issuer ${opened.issuer.baseUrl}`,
    );
    log(`wallet: listening on ${url}`);
    return {
      ...opened,
      url,
      port,
      close: async () => {
        await closeServer(server);
        await opened.close();
      },
    };
  } catch (e) {
    await closeServer(server).catch(() => undefined);
    throw e;
  }
}
