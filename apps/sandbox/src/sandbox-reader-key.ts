/**
 * A relying party's reader-authentication key in the sandbox (ISO/IEC 18013-5 §9.1.4) — the bank's, the
 * carrier's, the clinic's, and the parties of the QR-code flows: at every start the verifier makes the party
 * a new key (`POST /relying-parties/{id}/reader-key`, the private key sealed inside the
 * verifier), the sandbox issuer's reader CA certifies it from the CSR with the @mynakit/oid4vp reader
 * profile — the DNS name of the party's `x509_san_dns:` client id in subjectAltName, no My Number legal basis
 * (no sandbox party asks for it) — and the chain goes back to the verifier
 * (`PUT /relying-parties/{id}/reader-key/certificate`). From then on the party's requests (Annex C, proximity)
 * carry `readerAuthAll`, and the sandbox phones, which trust the reader CA, name it as the requester.
 * Re-issued at each start, like the API keys, so a new reader CA generation is picked up at once.
 */
import type { OpenedIssuer } from '@mynakit/issuer';
import { createReaderAuthCertificateWithSigner } from '@mynakit/oid4vp';
import { parseCsr } from '@mynakit/pki';
import type { OpenedVerifier } from '@mynakit/verifier';

/** Lifetime of the bank's reader certificate (capped by the reader CA's own). */
const READER_CERTIFICATE_DAYS = 397;

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${String(body.code ?? '')}`);
  return body;
}

/** Gives a relying party a reader key certified by the sandbox reader CA; answers the certificate's subject. */
export async function issueSandboxReaderKey(
  verifier: OpenedVerifier,
  issuer: OpenedIssuer,
  adminToken: string,
  relyingPartyId: string,
  now: Date = new Date(),
): Promise<string> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const path = `/relying-parties/${encodeURIComponent(relyingPartyId)}/reader-key`;
  const request = await json(
    await verifier.app.request(path, { method: 'POST', headers }),
    'make the bank a reader key',
  );
  const csr = parseCsr(new Uint8Array(Buffer.from(String(request.csr), 'base64')));
  // RFC 2986 §3: the request is signed by the key it names (proof of possession), or nothing is issued.
  if (!csr.signatureValid) throw new Error('the bank reader key CSR is not signed by its key');
  const ca = issuer.deps.hierarchy.reader.root;
  const notAfter = Math.min(
    now.getTime() + READER_CERTIFICATE_DAYS * 86_400_000,
    ca.certificate.notAfter.getTime(),
  );
  const certificate = await createReaderAuthCertificateWithSigner({
    subject: csr.subjectDer,
    publicKey: csr.publicKey,
    issuer: { certificate: ca.der, signer: ca.signer },
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(notAfter),
    ...(typeof request.dnsName === 'string' ? { dnsNames: [request.dnsName] } : {}),
  });
  const installed = await json(
    await verifier.app.request(`${path}/certificate`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ certificateChain: [Buffer.from(certificate).toString('base64')] }),
    }),
    'install the bank reader certificate',
  );
  return String((installed.active as { subject?: string } | undefined)?.subject ?? '');
}
