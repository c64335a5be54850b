/**
 * A real issuer and a real phone for the verifier's tests, as the wallet's own tests set them up
 * (services/wallet/test/helpers/issuer-fixture.ts): @mynakit/issuer `openIssuer` on a temporary data
 * directory (SQLite, the sandbox CA hierarchy, seeded residents and their card files), a phone of the
 * wallet engine installed from a seeded card through the issuer app's fetch, and one adjustable clock shared
 * by the three parties so a test can move the day (e.g. across 2027-04-01).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenedIssuer, openIssuer } from '@mynakit/issuer';
import {
  IssuerClient,
  installCredentials,
  openWalletDevice,
  SandboxCard,
  sandboxPlatformAttestation,
  type WalletDevice,
} from '@mynakit/wallet';

/** The issuer's identifier in the tests (loopback: OpenID4VCI allows http only there). */
export const ISSUER_ORIGIN = 'http://127.0.0.1:8401';

/** The owner's biometric, matched. */
export const BIOMETRIC = { method: 'biometric', matched: true } as const;

/** scrypt for test PIN verifiers: cheap. */
const TEST_KDF = { N: 1024, r: 8, p: 1 } as const;

/** An adjustable clock. */
export interface TestClock {
  now: Date;
  readonly read: () => Date;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

/** A clock starting at `start`. */
export function testClock(start: Date): TestClock {
  const c: TestClock = {
    now: start,
    read: () => c.now,
    advance: (ms) => {
      c.now = new Date(c.now.getTime() + ms);
    },
  };
  return c;
}

/** The issuer, the phone with an installed record, and what a relying party configures from them. */
export interface IssuerAndPhone {
  readonly dir: string;
  readonly issuer: OpenedIssuer;
  readonly phone: WalletDevice;
  /** The record IACAs (DER): the relying party's trust anchors. */
  readonly iacas: readonly Uint8Array[];
  /** The resident whose card was installed. */
  readonly residentId: string;
  /** The issuer app as the status-list fetcher. */
  fetchFromIssuer(uri: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Opens the issuer, opens a phone and installs the card of `residentId` on it. */
export async function issuerAndPhone(
  clock: TestClock,
  residentId = 'sandbox-ordinary-female',
): Promise<IssuerAndPhone> {
  const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-e2e-'));
  const issuer = await openIssuer({
    dataDir: dir,
    origin: ISSUER_ORIGIN,
    pinKdf: TEST_KDF,
    clock: clock.read,
  });
  const h = issuer.deps.hierarchy;
  const attestation = await sandboxPlatformAttestation(h.attestation.ca);
  const phone = await openWalletDevice({
    dataDir: dir,
    deviceId: 'verifier-test-iphone',
    family: 'iphone',
    model: 'Test iphone',
    attestation,
    pinKdf: TEST_KDF,
    clock: clock.read,
  });
  const client = new IssuerClient({ baseUrl: ISSUER_ORIGIN, fetch: (r) => issuer.app.fetch(r) });
  const cardFile = join(issuer.cardDirectory, `${residentId}.json`);
  const pins = (JSON.parse(await readFile(cardFile, 'utf8')) as { pins: Record<string, string> }).pins;
  const iacas = h.mnc.iacas.map((c) => c.der);
  await installCredentials({
    device: phone,
    issuer: client,
    card: await SandboxCard.read(cardFile),
    cardPins: pins as unknown as Parameters<typeof installCredentials>[0]['cardPins'],
    liveness: { confirmed: true },
    newAuthPin: ['2468', '2468'],
    newSignaturePassword: ['PHONE2026', 'PHONE2026'],
    biometric: BIOMETRIC,
    trustAnchors: [...iacas, ...h.mdl.iacas.map((c) => c.der)],
  });
  return {
    dir,
    issuer,
    phone,
    iacas,
    residentId,
    fetchFromIssuer: async (uri) => {
      const res = await issuer.app.fetch(new Request(uri));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    close: async () => {
      await phone.close();
      await issuer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
