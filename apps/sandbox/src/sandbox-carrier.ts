/**
 * The sandbox's mobile carrier — contracts under 携帯電話不正利用防止法 (DOMAIN.md §5: the revised ordinance
 * in force 2026-04-01 knows チ, the card-substitute record through a certified program, and ト, a JPKI
 * signature) — configured in the verifier at every start like the bank (sandbox-bank.ts): its page origin is
 * the sandbox URL, it trusts the record IACAs and the sandbox JPKI CAs, and its verification program is
 * declared *not* certified, so チ honestly gives no method (KYC_PROGRAM_NOT_CERTIFIED) while every check of
 * the record runs for real; it is no signature verifier either (公的個人認証法 §17), so ト gives none
 * (KYC_NOT_A_SIGNATURE_VERIFIER). A fresh API key is issued per start and kept in memory only.
 */
import type { OpenedIssuer } from '@mynakit/issuer';
import type { OpenedVerifier } from '@mynakit/verifier';
import { ensureSandboxRelyingParty, type SandboxBank, sandboxJpkiAnchors } from './sandbox-bank.js';

/** The carrier's client id in the verifier (x509_san_dns scheme, under `.invalid`). */
export const SANDBOX_CARRIER_CLIENT_ID = 'x509_san_dns:mobile.sandbox-mynakit.invalid';

/** The carrier's display name (the verifier's relying party, and what the phone shows its owner). */
export const SANDBOX_CARRIER_NAME = 'サンドボックス携帯 / Sandbox Mobile';

/** The carrier as the sandbox pages use it: its relying-party id and this start's API key. */
export type SandboxCarrier = SandboxBank;

/** Creates the carrier on the first start, brings its configuration up to date, and issues this start's key. */
export async function ensureSandboxCarrier(
  verifier: OpenedVerifier,
  issuer: OpenedIssuer,
  adminToken: string,
  url: string,
): Promise<SandboxCarrier> {
  return ensureSandboxRelyingParty(verifier, adminToken, {
    name: SANDBOX_CARRIER_NAME,
    clientId: SANDBOX_CARRIER_CLIENT_ID,
    law: 'keitai',
    origins: [url],
    trustAnchors: [
      ...issuer.deps.hierarchy.mnc.iacas.map((c) => Buffer.from(c.der).toString('base64')),
      ...sandboxJpkiAnchors(issuer),
    ],
    verificationProgram: { name: 'mynakit sandbox', version: '0.1.0', certified: false },
  });
}
