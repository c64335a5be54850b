/**
 * A real issuer for installation tests: `openIssuer` from @mynakit/issuer on a temporary data directory
 * (SQLite, the sandbox CA hierarchy, the seeded test residents and their card files), its `app.fetch` as
 * the phone's fetch, and what a phone environment gets from the sandbox: the platform attester certified
 * by the sandbox attestation CA and the IACAs of the two docTypes.
 */
import { join } from 'node:path';
import { type OpenedIssuer, openIssuer, SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import {
  IssuerClient,
  type PlatformAttestation,
  SandboxCard,
  sandboxPlatformAttestation,
  type WalletDevice,
  type JpkiTrust,
} from '../../src/index.js';
import { TEST_KDF, type TempDir, tempDir, testDevice } from './wallet-fixtures.js';

/** The issuer's identifier in the tests (loopback: OpenID4VCI allows http only there). */
export const ISSUER_ORIGIN = 'http://127.0.0.1:8401';

/** An issuer and the sandbox environment of phones around it. */
export interface IssuerEnvironment {
  readonly dir: TempDir;
  readonly issuer: OpenedIssuer;
  readonly client: IssuerClient;
  readonly attestation: PlatformAttestation;
  readonly trustAnchors: readonly Uint8Array[];
  /** The sandbox's JPKI CAs and policies, for the phone's check of its received certificates. */
  readonly jpkiTrust: JpkiTrust;
  /** Reads a seeded resident's card file (the phone reading the plastic card). */
  card(residentId: string): Promise<SandboxCard>;
  /** Opens a phone in the same data directory. */
  phone(deviceId: string, family: 'iphone' | 'android'): Promise<WalletDevice>;
  close(): Promise<void>;
}

/** Opens the issuer (seeding its residents) and prepares the environment. */
export async function issuerEnvironment(): Promise<IssuerEnvironment> {
  const dir = tempDir('mynakit-wallet-install-');
  const issuer = await openIssuer({ dataDir: dir.path, origin: ISSUER_ORIGIN, pinKdf: TEST_KDF });
  const h = issuer.deps.hierarchy;
  const attestation = await sandboxPlatformAttestation(h.attestation.ca);
  const phones: WalletDevice[] = [];
  return {
    dir,
    issuer,
    client: new IssuerClient({ baseUrl: ISSUER_ORIGIN, fetch: (r) => issuer.app.fetch(r) }),
    attestation,
    trustAnchors: [...h.mnc.iacas.map((c) => c.der), ...h.mdl.iacas.map((c) => c.der)],
    jpkiTrust: {
      trustAnchors: [...h.jpki.signature.cas, ...h.jpki.userAuthentication.cas].map((c) => c.der),
      policies: SANDBOX_JPKI_POLICY_CONFIG,
    },
    card: (residentId) => SandboxCard.read(join(issuer.cardDirectory, `${residentId}.json`)),
    phone: async (deviceId, family) => {
      const p = await testDevice({
        dataDir: dir.path,
        deviceId,
        family,
        model: `Test ${family}`,
        attestation,
      });
      phones.push(p);
      return p;
    },
    close: async () => {
      for (const p of phones) await p.close();
      await issuer.close();
      dir.remove();
    },
  };
}

/** What a card file says its PINs are (the holder knows them). */
export async function cardPinsOf(
  env: IssuerEnvironment,
  residentId: string,
): Promise<{ inputSupportPin: string; signaturePassword?: string; userAuthenticationPin: string }> {
  const { readFile } = await import('node:fs/promises');
  const json = JSON.parse(await readFile(join(env.issuer.cardDirectory, `${residentId}.json`), 'utf8')) as {
    pins: { inputSupportPin: string; signaturePassword?: string; userAuthenticationPin: string };
  };
  return json.pins;
}
