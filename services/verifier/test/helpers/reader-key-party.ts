/**
 * A relying party's reader key as an operator installs it (relying-parties/reader-key-routes.ts): the verifier
 * makes the key and its CSR, the sandbox reader CA — standing in for Apple Business Connect — certifies it for
 * the DNS name the party's `x509_san_dns` client id names (with a My Number legal basis declared, if given),
 * and the certificate is installed. Shared by the tests of every channel that signs its requests.
 */
import { createReaderAuthCertificateWithSigner, type MyNumberLegalBasis } from '@mynakit/oid4vp';
import { parseCsr } from '@mynakit/pki';
import { expect } from 'vitest';

type Issuer = Parameters<typeof createReaderAuthCertificateWithSigner>[0]['issuer'];

/** Anything that answers requests like a Hono app's `request`. */
export interface RequestsApp {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** Certifies and installs a reader key for relying party `relyingPartyId` (see the file comment). */
export async function certifyReaderKey(
  app: RequestsApp,
  input: {
    readonly relyingPartyId: string;
    /** The operator's headers (its bearer token and the JSON content type). */
    readonly operator: Record<string, string>;
    /** The reader CA: its certificate (DER) and its signer. */
    readonly ca: { readonly der: Uint8Array; readonly signer: Issuer['signer'] };
    readonly notBefore: Date;
    readonly notAfter: Date;
    readonly myNumberLegalBasis?: MyNumberLegalBasis;
  },
): Promise<void> {
  const made = await app.request(`/relying-parties/${input.relyingPartyId}/reader-key`, {
    method: 'POST',
    headers: input.operator,
  });
  expect(made.status).toBe(201);
  const request = (await made.json()) as { csr: string; dnsName?: string };
  const csr = parseCsr(Buffer.from(request.csr, 'base64'));
  const leaf = await createReaderAuthCertificateWithSigner({
    subject: csr.subjectDer,
    publicKey: csr.publicKey,
    issuer: { certificate: input.ca.der, signer: input.ca.signer },
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    ...(request.dnsName === undefined ? {} : { dnsNames: [request.dnsName] }),
    ...(input.myNumberLegalBasis === undefined ? {} : { myNumberLegalBasis: input.myNumberLegalBasis }),
  });
  const installed = await app.request(`/relying-parties/${input.relyingPartyId}/reader-key/certificate`, {
    method: 'PUT',
    headers: input.operator,
    body: JSON.stringify({ certificateChain: [Buffer.from(leaf).toString('base64')] }),
  });
  expect(installed.status).toBe(200);
}
