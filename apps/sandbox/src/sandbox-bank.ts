/**
 * The sandbox's relying party — a bank opening accounts under 犯収法 — configured in the verifier at every
 * start: the sandbox's own URL is its page origin (sessions are bound to it), the record IACAs are its
 * trust anchors together with the sandbox's JPKI CAs (story 3 verifies a JPKI signature), and its
 * verification program is declared *not* certified (the sandbox cannot claim a certification it does not
 * have, DOMAIN.md §1), so the KYC method is honestly "none, because the program is not certified" while
 * every check of the record runs for real. For the same reason it is no signature verifier (署名検証者,
 * 公的個人認証法 §17: an authorization the fictional bank does not hold), so a JPKI signature gives no method
 * either (KYC_NOT_A_SIGNATURE_VERIFIER). A fresh API key is issued per start and kept in memory only.
 */
import type { OpenedIssuer } from '@mynakit/issuer';
import type { OpenedVerifier } from '@mynakit/verifier';

/** The bank's client id in the verifier (x509_san_dns scheme, under `.invalid`). */
export const SANDBOX_BANK_CLIENT_ID = 'x509_san_dns:bank.sandbox-mynakit.invalid';

/** The bank as the sandbox pages use it. */
export interface SandboxBank {
  readonly relyingPartyId: string;
  /** This process's API key of the bank (role `rp`). */
  readonly apiKey: string;
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${String(body.code ?? '')}`);
  return body;
}

/**
 * The bank's page origins: the sandbox URL and, when that is http://127.0.0.1:port, its twin
 * http://localhost:port — WebAuthn takes no IP address as RP ID (Chromium: SecurityError "invalid
 * domain"), so the bank's passkeys (bank-passkeys.ts) run on the twin, which reaches the same server.
 */
export function sandboxBankOrigins(url: string): string[] {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1') return [url];
  u.hostname = 'localhost';
  return [url, u.origin];
}

/** The sandbox JPKI CAs (signature and user authentication, every generation), DER base64. */
export function sandboxJpkiAnchors(issuer: OpenedIssuer): string[] {
  return [
    ...issuer.deps.hierarchy.jpki.signature.cas,
    ...issuer.deps.hierarchy.jpki.userAuthentication.cas,
  ].map((c) => Buffer.from(c.der).toString('base64'));
}

/** Creates the bank on the first start, brings its configuration up to date, and issues this start's key. */
export async function ensureSandboxBank(
  verifier: OpenedVerifier,
  issuer: OpenedIssuer,
  adminToken: string,
  url: string,
): Promise<SandboxBank> {
  return ensureSandboxRelyingParty(verifier, adminToken, {
    name: 'サンドボックス銀行 / Sandbox Bank',
    clientId: SANDBOX_BANK_CLIENT_ID,
    law: 'hanshu',
    origins: sandboxBankOrigins(url),
    trustAnchors: [
      ...issuer.deps.hierarchy.mnc.iacas.map((c) => Buffer.from(c.der).toString('base64')),
      ...sandboxJpkiAnchors(issuer),
    ],
    verificationProgram: { name: 'mynakit sandbox', version: '0.1.0', certified: false },
  });
}

/**
 * A sandbox relying party by its client id: created on the first start, its configuration put on every
 * later one, and a fresh API key (role `rp`) issued for this start.
 */
export async function ensureSandboxRelyingParty(
  verifier: OpenedVerifier,
  adminToken: string,
  config: { readonly clientId: string } & Record<string, unknown>,
): Promise<SandboxBank> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const listed = await json(
    await verifier.app.request('/relying-parties', { headers }),
    'list relying parties',
  );
  const existing = ((listed.relyingParties ?? []) as { id: string; clientId: string }[]).find(
    (rp) => rp.clientId === config.clientId,
  );
  let id: string;
  if (existing === undefined) {
    const created = await json(
      await verifier.app.request('/relying-parties', {
        method: 'POST',
        headers,
        body: JSON.stringify(config),
      }),
      `create ${config.clientId}`,
    );
    id = (created.relyingParty as { id: string }).id;
  } else {
    id = existing.id;
    await json(
      await verifier.app.request(`/relying-parties/${id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify(config),
      }),
      `configure ${config.clientId}`,
    );
  }
  const key = await json(
    await verifier.app.request(`/relying-parties/${id}/api-keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ role: 'rp' }),
    }),
    `issue ${config.clientId} a key`,
  );
  return { relyingPartyId: id, apiKey: String(key.apiKey) };
}
