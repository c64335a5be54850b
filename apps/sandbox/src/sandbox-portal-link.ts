/**
 * The portal's sign-in by link or QR code (`mynakit-jpki://`, services/verifier jpki/jpki-request-link.ts):
 * the verifier hands a link only to a relying party whose `x509_san_dns:` client id names both its reader
 * certificate and the verifier's own host, since a phone refuses a response_uri elsewhere (OpenID4VP 1.0
 * §5.9.3). The portal's own client id names `portal.sandbox-mynakit.invalid`, a host nothing serves, and
 * `x509_san_dns:localhost` is the bank's QR-code party already (a client id names one relying party), so the
 * portal's phone sign-in gets a relying party of its own, like the bank's (sandbox-cross-device.ts):
 *
 * - `x509_san_dns:portal.<host>` — `portal.localhost` when the sandbox listens on loopback (RFC 6761 §6.3:
 *   every name under `localhost.` is the loopback), `portal.<host name>` under a host name; none on another
 *   IP address (the page then says why there is no QR code);
 * - a reader key certified by the sandbox reader CA with that dNSName (sandbox-reader-key.ts), no KYC law and
 *   the sandbox JPKI CAs as the portal;
 * - a verifier instance on the same store whose origin is `http://portal.<host>:<port>/verifier/portal/link`,
 *   so the request object and the answer are on the client id's host, under the portal's own routes
 *   (portal-pages.ts forwards `…/link/sessions/{id}/jpki-request-object` and `…/jpki-response` to it). The
 *   sandbox phones reach that origin through this process (start-sandbox.ts), never the network.
 */
import { isIP } from 'node:net';
import type { OpenedIssuer } from '@mynakit/issuer';
import { createVerifierApp, type OpenedVerifier } from '@mynakit/verifier';
import { ensureSandboxRelyingParty, sandboxJpkiAnchors } from './sandbox-bank.js';
import { SANDBOX_PORTAL_NAME } from './sandbox-portal.js';
import { issueSandboxReaderKey } from './sandbox-reader-key.js';

/** Where the portal's link verifier is mounted below its origin (portal-pages.ts forwards it). */
export const PORTAL_LINK_PATH = '/verifier/portal/link';

/** The portal's phone sign-in relying party as the pages use it. */
export interface SandboxPortalLink {
  readonly relyingPartyId: string;
  /** This process's API key of the party (role `rp`). */
  readonly apiKey: string;
  /** `x509_san_dns:portal.<host>`. */
  readonly clientId: string;
  /** `http://portal.<host>:<port>`: the origin of the link's request_uri and response_uri. */
  readonly origin: string;
  /** The verifier instance on the client id's host (opens the sessions, serves the phone, reads the results). */
  readonly verifier: { readonly request: (path: string, init?: RequestInit) => Response | Promise<Response> };
}

/** The origin the portal's links name for the sandbox at `url` (see the file comment), or undefined. */
export function portalLinkOrigin(url: string): string | undefined {
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const loopback = hostname === '127.0.0.1' || hostname === '::1' || hostname === 'localhost';
  if (!loopback && isIP(hostname) !== 0) return undefined;
  u.hostname = `portal.${loopback ? 'localhost' : hostname.toLowerCase()}`;
  return u.origin;
}

/**
 * Creates (or configures) the portal's phone sign-in relying party, certifies its reader key afresh and opens
 * the verifier instance on its host; undefined when the sandbox's host cannot be named.
 */
export async function ensureSandboxPortalLink(
  verifier: OpenedVerifier,
  issuer: OpenedIssuer,
  adminToken: string,
  url: string,
): Promise<SandboxPortalLink | undefined> {
  const origin = portalLinkOrigin(url);
  if (origin === undefined) return undefined;
  const clientId = `x509_san_dns:${new URL(origin).hostname}`;
  const party = await ensureSandboxRelyingParty(verifier, adminToken, {
    name: SANDBOX_PORTAL_NAME,
    clientId,
    law: 'none',
    origins: [url],
    trustAnchors: sandboxJpkiAnchors(issuer),
    verificationProgram: { name: 'mynakit sandbox', version: '0.1.0', certified: false },
  });
  await issueSandboxReaderKey(verifier, issuer, adminToken, party.relyingPartyId);
  const app = createVerifierApp({
    ...verifier.deps,
    config: { ...verifier.deps.config, origin: `${origin}${PORTAL_LINK_PATH}` },
  });
  return { ...party, clientId, origin, verifier: { request: (path, init) => app.request(path, init) } };
}
