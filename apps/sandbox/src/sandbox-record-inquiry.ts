/**
 * The sandbox verifier's client of the issuer's per-record status inquiry (DOMAIN.md §4; the issuer's
 * `POST /inquiry`, the verifier's revocation/record-inquiry.ts): registered afresh at each start with the
 * role `inquiry`, as an operator would register a verification program's deployment at the issuer. The
 * verifier then asks `<url>/issuer/inquiry` through the sandbox's own routes — nothing goes to the network —
 * whenever a relying party's policy says so (by default when the status list gives no answer).
 */
import { readFile } from 'node:fs/promises';
import type { OpenedIssuer } from '@mynakit/issuer';

/** The name the sandbox verifier's client carries at the issuer. */
export const SANDBOX_INQUIRY_CLIENT_NAME = 'mynakit sandbox verifier (record inquiry)';

/** Registers the verifier's inquiry client at the issuer: its id and secret. */
export async function registerSandboxInquiryClient(
  issuer: OpenedIssuer,
): Promise<{ readonly clientId: string; readonly clientSecret: string }> {
  const issuerToken =
    issuer.adminTokenFile === undefined
      ? (issuer.deps.config.adminToken ?? '')
      : (await readFile(issuer.adminTokenFile, 'utf8')).trim();
  const res = await issuer.app.request('/rp-clients', {
    method: 'POST',
    headers: { authorization: `Bearer ${issuerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: SANDBOX_INQUIRY_CLIENT_NAME, roles: ['inquiry'] }),
  });
  const body = (await res.json()) as { clientId?: string; clientSecret?: string; code?: string };
  if (res.status !== 201 || body.clientId === undefined || body.clientSecret === undefined)
    throw new Error(
      `register the verifier's inquiry client at the issuer: HTTP ${res.status} ${String(body.code ?? '')}`,
    );
  return { clientId: body.clientId, clientSecret: body.clientSecret };
}
