/**
 * A real issuer listening on 127.0.0.1 (its OCSP responder and CRLs answer over a socket, as a relying
 * party's verifier reaches them) and a real phone of the wallet engine with a resident's card installed —
 * the record and both JPKI certificates — for the verifier's JPKI tests. The issuer's origin is its real
 * listening address, so the CRL index names URLs the verifier can fetch; the certificates' own AIA points at
 * the sandbox's `.invalid` host, which the verifier must never try.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { type OpenedIssuer, openIssuer } from '@mynakit/issuer';
import {
  IssuerClient,
  installCredentials,
  openWalletDevice,
  SandboxCard,
  sandboxPlatformAttestation,
  type WalletDevice,
} from '@mynakit/wallet';
import { BIOMETRIC, type TestClock } from './issuer-and-phone.js';

/** scrypt for test PIN verifiers: cheap. */
const TEST_KDF = { N: 1024, r: 8, p: 1 } as const;

/** The auth PIN and signature password the phone was given at installation. */
export const AUTH_PIN = '2468';
export const SIGNATURE_PASSWORD = 'PHONE2026';

/** The listening issuer, the phone and what a relying party configures from them. */
export interface JpkiIssuerAndPhone {
  readonly issuer: OpenedIssuer;
  readonly phone: WalletDevice;
  /** `http://127.0.0.1:<port>`: the issuer's origin and where it listens. */
  readonly origin: string;
  /** Every current generation of the sandbox JPKI signature and user-authentication CAs (DER). */
  readonly jpkiAnchors: readonly Uint8Array[];
  readonly residentId: string;
  /** Requests the issuer's server received (paths), to see what the verifier asked. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the issuer on 127.0.0.1, opens a phone and installs the card of `residentId` on it. */
export async function jpkiIssuerAndPhone(
  clock: TestClock,
  residentId = 'sandbox-ordinary-female',
): Promise<JpkiIssuerAndPhone> {
  const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-jpki-'));
  const requests: string[] = [];
  let issuer: OpenedIssuer | undefined;
  const server = createAdaptorServer({
    fetch: (request: Request) => {
      requests.push(new URL(request.url).pathname);
      return issuer === undefined ? new Response('starting', { status: 503 }) : issuer.app.fetch(request);
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = await openIssuer({ dataDir: dir, origin, pinKdf: TEST_KDF, clock: clock.read });
  const opened = issuer;
  const h = opened.deps.hierarchy;
  const phone = await openWalletDevice({
    dataDir: dir,
    deviceId: 'verifier-jpki-android',
    family: 'android',
    model: 'Test android',
    attestation: await sandboxPlatformAttestation(h.attestation.ca),
    pinKdf: TEST_KDF,
    clock: clock.read,
  });
  const cardFile = join(opened.cardDirectory, `${residentId}.json`);
  const pins = (JSON.parse(await readFile(cardFile, 'utf8')) as { pins: Record<string, string> }).pins;
  await installCredentials({
    device: phone,
    issuer: new IssuerClient({ baseUrl: origin, fetch: (r) => opened.app.fetch(r) }),
    card: await SandboxCard.read(cardFile),
    cardPins: pins as unknown as Parameters<typeof installCredentials>[0]['cardPins'],
    liveness: { confirmed: true },
    newAuthPin: [AUTH_PIN, AUTH_PIN],
    newSignaturePassword: [SIGNATURE_PASSWORD, SIGNATURE_PASSWORD],
    biometric: BIOMETRIC,
    trustAnchors: [...h.mnc.iacas.map((c) => c.der), ...h.mdl.iacas.map((c) => c.der)],
  });
  return {
    issuer: opened,
    phone,
    origin,
    jpkiAnchors: [...h.jpki.signature.cas, ...h.jpki.userAuthentication.cas].map((c) => c.der),
    residentId,
    requests,
    close: async () => {
      await phone.close();
      await new Promise((resolve) => server.close(resolve));
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An origin on 127.0.0.1 where nothing listens (a port just freed). */
export async function deadOrigin(): Promise<string> {
  const s = createAdaptorServer({ fetch: () => new Response(null) }) as Server;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return `http://127.0.0.1:${port}`;
}
