/**
 * The sandbox's second relying party — a clinic's front desk (story 6; DOMAIN.md §3 "Health insurance"):
 * configured in the verifier at every start like the bank (sandbox-bank.ts), under no KYC law (a clinic
 * checks who is at the desk and their insurance, it opens no account), trusting the sandbox's JPKI CAs
 * (the holder's user-authentication certificate) and the record IACAs (the photo for the face check). Its
 * verification program is declared not certified, as the bank's.
 *
 * The clinic also is a client of the issuer's insurer registry (role `insurance`, HTTP Basic), which
 * answers the online qualification confirmation. The operator registers it with the issuer's operator
 * token, read from `<dataDir>/issuer/admin-token` as any operator would; the registry answers the secret
 * once, so a fresh client is registered at each start and its secret is kept in memory only.
 */
import type { OpenedIssuer } from '@mynakit/issuer';
import type { OpenedVerifier } from '@mynakit/verifier';
import { registerIssuerClient } from './issuer-clients.js';
import { ensureSandboxRelyingParty, sandboxJpkiAnchors } from './sandbox-bank.js';

/** The clinic's client id in the verifier (x509_san_dns scheme, under `.invalid`). */
export const SANDBOX_CLINIC_CLIENT_ID = 'x509_san_dns:clinic.sandbox-mynakit.invalid';

/** The clinic's display name (the verifier's relying party and the issuer's client). */
export const SANDBOX_CLINIC_NAME = 'サンドボックス診療所 / Sandbox Clinic';

/** The clinic as the sandbox pages use it. */
export interface SandboxClinic {
  /** The clinic's relying-party id in the verifier. */
  readonly relyingPartyId: string;
  /** This process's API key of the clinic in the verifier (role `rp`). */
  readonly apiKey: string;
  /** The clinic's client of the issuer's insurer registry: `Authorization: Basic …` (RFC 7617). */
  readonly insurerAuthorization: string;
}

/** Creates or updates the clinic in the verifier and registers its insurer-registry client for this start. */
export async function ensureSandboxClinic(
  verifier: OpenedVerifier,
  issuer: OpenedIssuer,
  verifierAdminToken: string,
  url: string,
): Promise<SandboxClinic> {
  const party = await ensureSandboxRelyingParty(verifier, verifierAdminToken, {
    name: SANDBOX_CLINIC_NAME,
    clientId: SANDBOX_CLINIC_CLIENT_ID,
    law: 'none',
    origins: [url],
    trustAnchors: [
      ...sandboxJpkiAnchors(issuer),
      ...issuer.deps.hierarchy.mnc.iacas.map((c) => Buffer.from(c.der).toString('base64')),
    ],
    verificationProgram: { name: 'mynakit sandbox', version: '0.1.0', certified: false },
  });
  const client = await registerIssuerClient(
    issuer,
    SANDBOX_CLINIC_NAME,
    ['insurance'],
    'the clinic at the insurer registry',
  );
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`, 'utf8').toString('base64');
  return { ...party, insurerAuthorization: `Basic ${basic}` };
}
