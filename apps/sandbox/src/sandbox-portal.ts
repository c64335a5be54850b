/**
 * The sandbox's government portal — sign-in with the smartphone user-authentication certificate (the
 * マイナポータル pattern; DOMAIN.md §3: a challenge–response with the auth key, the server checks the
 * signature, the chain and the status and binds the account to the certificate). Configured in the verifier
 * at every start like the clinic (sandbox-clinic.ts): under no KYC law (a sign-in is no identity
 * verification), trusting the sandbox JPKI CAs, its program declared not certified. A fresh API key is issued
 * per start and kept in memory only.
 */
import type { OpenedIssuer } from '@mynakit/issuer';
import type { OpenedVerifier } from '@mynakit/verifier';
import { ensureSandboxRelyingParty, type SandboxBank, sandboxJpkiAnchors } from './sandbox-bank.js';

/** The portal's client id in the verifier (x509_san_dns scheme, under `.invalid`). */
export const SANDBOX_PORTAL_CLIENT_ID = 'x509_san_dns:portal.sandbox-mynakit.invalid';

/** The portal's display name (the verifier's relying party, and what the phone shows its owner). */
export const SANDBOX_PORTAL_NAME = 'サンドボックス行政ポータル / Sandbox Government Portal';

/** The portal as the sandbox pages use it: its relying-party id and this start's API key. */
export type SandboxPortal = SandboxBank;

/** Creates the portal on the first start, brings its configuration up to date, and issues this start's key. */
export async function ensureSandboxPortal(
  verifier: OpenedVerifier,
  issuer: OpenedIssuer,
  adminToken: string,
  url: string,
): Promise<SandboxPortal> {
  return ensureSandboxRelyingParty(verifier, adminToken, {
    name: SANDBOX_PORTAL_NAME,
    clientId: SANDBOX_PORTAL_CLIENT_ID,
    law: 'none',
    origins: [url],
    trustAnchors: sandboxJpkiAnchors(issuer),
    verificationProgram: { name: 'mynakit sandbox', version: '0.1.0', certified: false },
  });
}
