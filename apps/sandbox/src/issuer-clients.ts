/**
 * Clients of the sandbox's issuer for the parties that ask it on someone's behalf, registered afresh at each
 * start through its operator route (`POST /rp-clients`, HTTP Basic credentials with roles), as an operator
 * registers a deployment at the issuer:
 *
 * - the verifier's client of the per-record status inquiry (role `inquiry`; DOMAIN.md §4, the issuer's
 *   `POST /inquiry`, the verifier's revocation/record-inquiry.ts), asked through the sandbox's own routes —
 *   nothing goes to the network — whenever a relying party's policy says so (by default when the status list
 *   gives no answer);
 * - the clinic's client of the insurer registry (role `insurance`, sandbox-clinic.ts).
 */
import { readFile } from 'node:fs/promises';
import type { OpenedIssuer } from '@mynakit/issuer';

/** The name the sandbox verifier's inquiry client carries at the issuer. */
export const SANDBOX_INQUIRY_CLIENT_NAME = 'mynakit sandbox verifier (record inquiry)';

/** A client's credentials at the issuer. */
export interface IssuerClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Registers a client named `name` with `roles` at the issuer; `what` names it in an error. */
export async function registerIssuerClient(
  issuer: OpenedIssuer,
  name: string,
  roles: readonly string[],
  what: string,
): Promise<IssuerClient> {
  const issuerToken =
    issuer.adminTokenFile === undefined
      ? (issuer.deps.config.adminToken ?? '')
      : (await readFile(issuer.adminTokenFile, 'utf8')).trim();
  const res = await issuer.app.request('/rp-clients', {
    method: 'POST',
    headers: { authorization: `Bearer ${issuerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, roles }),
  });
  const body = (await res.json()) as { clientId?: string; clientSecret?: string; code?: string };
  if (res.status !== 201 || body.clientId === undefined || body.clientSecret === undefined)
    throw new Error(`register ${what} at the issuer: HTTP ${res.status} ${String(body.code ?? '')}`);
  return { clientId: body.clientId, clientSecret: body.clientSecret };
}

/** Registers the verifier's inquiry client at the issuer. */
export function registerSandboxInquiryClient(issuer: OpenedIssuer): Promise<IssuerClient> {
  return registerIssuerClient(
    issuer,
    SANDBOX_INQUIRY_CLIENT_NAME,
    ['inquiry'],
    "the verifier's inquiry client",
  );
}
