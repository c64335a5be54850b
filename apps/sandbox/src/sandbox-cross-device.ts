/**
 * The sandbox bank's cross-device deployment (OpenID4VP 1.0 by QR code, cross-device-pages.ts). A wallet
 * accepts a `direct_post.jwt` answer only on the host its `x509_san_dns:` client id names (§5.9.3), and the
 * verifier makes no request whose response URI would be elsewhere (services/verifier
 * sessions/cross-device-session.ts: VERIFIER_CROSS_DEVICE_UNAVAILABLE). The bank's own client id names
 * `bank.sandbox-mynakit.invalid`, a host nothing serves, so the sandbox gives the bank's QR-code channel a
 * relying party of its own whose client id names the host the sandbox is served on:
 *
 * - `x509_san_dns:localhost` when the sandbox listens on 127.0.0.1 or ::1 — `localhost` reaches the same
 *   server (the bank's passkeys use that twin too, sandbox-bank.ts), and a DNS name is what the client id
 *   prefix and a certificate's dNSName hold; the sandbox's own host name when it is served under one; none
 *   when it is served on another IP address (the page then says why there is no QR code);
 * - a reader key certified by the sandbox reader CA with that dNSName (sandbox-reader-key.ts), the same law
 *   (犯収法), trust anchors and uncertified program as the bank;
 * - a verifier instance on the same store whose origin is `http://<that host>:<port>` (services are
 *   stateless, ARCHITECTURE.md rule 7: one instance per public host), which opens the sessions, so the
 *   `request_uri` and `response_uri` of its QR codes are on the client id's host. The verifier names its
 *   wallet-facing URLs at its origin's root (`/sessions/{id}/request-object`, `/sessions/{id}/direct-post`),
 *   so the sandbox also serves those two paths at its root (start-sandbox.ts).
 */
import { isIP } from 'node:net';
import type { OpenedIssuer } from '@mynakit/issuer';
import { createVerifierApp, type OpenedVerifier } from '@mynakit/verifier';
import { ensureSandboxRelyingParty, sandboxBankOrigins } from './sandbox-bank.js';
import { issueSandboxReaderKey } from './sandbox-reader-key.js';

/** The bank's cross-device relying party as the pages use it. */
export interface SandboxCrossDevice {
  readonly relyingPartyId: string;
  /** This process's API key of the party (role `rp`). */
  readonly apiKey: string;
  /** `x509_san_dns:<host>`. */
  readonly clientId: string;
  /** The verifier instance on the client id's host (opens the sessions, reads their results). */
  readonly verifier: { readonly request: (path: string, init?: RequestInit) => Response | Promise<Response> };
}

/**
 * The DNS name a wallet can hold the sandbox at `url` to (see the file comment): `localhost` for loopback,
 * the host name itself, or undefined for another IP address.
 */
export function crossDeviceHost(url: string): string | undefined {
  const hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (hostname === '127.0.0.1' || hostname === '::1' || hostname === 'localhost') return 'localhost';
  return isIP(hostname) === 0 ? hostname.toLowerCase() : undefined;
}

/**
 * Creates (or configures) the bank's cross-device relying party, certifies its reader key afresh and opens
 * the verifier instance on its host; undefined when the sandbox's host cannot be named (see the file comment).
 */
export async function ensureSandboxCrossDevice(
  verifier: OpenedVerifier,
  issuer: OpenedIssuer,
  adminToken: string,
  url: string,
): Promise<SandboxCrossDevice | undefined> {
  const host = crossDeviceHost(url);
  if (host === undefined) return undefined;
  const clientId = `x509_san_dns:${host}`;
  const party = await ensureSandboxRelyingParty(verifier, adminToken, {
    name: 'サンドボックス銀行(別の端末で)/ Sandbox Bank (on another device)',
    clientId,
    law: 'hanshu',
    origins: sandboxBankOrigins(url),
    trustAnchors: issuer.deps.hierarchy.mnc.iacas.map((c) => Buffer.from(c.der).toString('base64')),
    verificationProgram: { name: 'mynakit sandbox', version: '0.1.0', certified: false },
  });
  await issueSandboxReaderKey(verifier, issuer, adminToken, party.relyingPartyId);
  const origin = new URL(url);
  origin.hostname = host;
  const app = createVerifierApp({
    ...verifier.deps,
    config: { ...verifier.deps.config, origin: origin.origin },
  });
  return { ...party, clientId, verifier: { request: (path, init) => app.request(path, init) } };
}
