import { createHash } from 'node:crypto';
import { bytesToBase64url } from '@mynakit/cbor';
import type { Certificate } from '@mynakit/pki';
import { Oid4vpError } from '../errors.js';

/**
 * Client Identifier Prefixes — OpenID4VP 1.0 §5.9. mynakit verifiers identify themselves with X.509
 * certificates, so the two prefixes it implements in full are:
 * - `x509_san_dns:<dns name>` — the leaf certificate of the signed request has that dNSName in its
 *   subjectAltName; without extra trust in the client, `response_uri`/`redirect_uri` must be on that host.
 * - `x509_hash:<base64url(SHA-256(leaf DER))>` — the leaf certificate is pinned by hash.
 * `origin:` is reserved (Appendix A.2): a wallet uses `origin:<origin>` as the client id of an unsigned
 * DC API request; it must never be sent by a verifier. Pre-registered ids (no prefix) are accepted as text.
 */
export type ClientIdPrefix =
  | 'x509_san_dns'
  | 'x509_hash'
  | 'redirect_uri'
  | 'origin'
  | 'decentralized_identifier'
  | 'verifier_attestation'
  | 'openid_federation'
  | 'pre-registered';

const KNOWN = [
  'x509_san_dns',
  'x509_hash',
  'redirect_uri',
  'origin',
  'decentralized_identifier',
  'verifier_attestation',
  'openid_federation',
] as const;

export interface ParsedClientId {
  readonly prefix: ClientIdPrefix;
  /** The part after the prefix (the whole id when pre-registered). */
  readonly value: string;
  readonly clientId: string;
}

export function parseClientId(clientId: string): ParsedClientId {
  if (clientId.length === 0) throw new Oid4vpError('invalid_client', 'client_id is empty');
  const i = clientId.indexOf(':');
  if (i > 0) {
    const p = clientId.slice(0, i);
    if ((KNOWN as readonly string[]).includes(p)) {
      const value = clientId.slice(i + 1);
      if (value.length === 0) throw new Oid4vpError('invalid_client', `client_id has an empty ${p} value`);
      return { prefix: p as ClientIdPrefix, value, clientId };
    }
  }
  return { prefix: 'pre-registered', value: clientId, clientId };
}

/** The `x509_hash` value of a certificate: base64url(SHA-256(DER)), no padding. */
export function x509Hash(certificateDer: Uint8Array): string {
  return bytesToBase64url(new Uint8Array(createHash('sha256').update(certificateDer).digest()));
}

/** The client id a wallet uses for an unsigned DC API request (Appendix A.2). */
export function originClientId(origin: string): string {
  return `origin:${origin}`;
}

/** Throws CLIENT_ID_MISMATCH unless `clientId` names the leaf certificate (x509_san_dns / x509_hash). */
export function checkClientIdCertificate(clientId: ParsedClientId, leaf: Certificate): void {
  if (clientId.prefix === 'x509_san_dns') {
    const want = clientId.value.toLowerCase();
    const dns = leaf.subjectAltName
      .filter((n) => n.type === 'dNSName')
      .map((n) => (n as { value: string }).value.toLowerCase());
    if (!dns.includes(want)) {
      throw new Oid4vpError('CLIENT_ID_MISMATCH', `the request certificate has no dNSName ${clientId.value}`);
    }
    return;
  }
  if (clientId.prefix === 'x509_hash') {
    if (x509Hash(leaf.der) !== clientId.value) {
      throw new Oid4vpError(
        'CLIENT_ID_MISMATCH',
        'the request certificate does not have the x509_hash of client_id',
      );
    }
    return;
  }
  throw new Oid4vpError(
    'invalid_client',
    `client_id prefix ${clientId.prefix} is not supported for signed requests`,
  );
}

/**
 * x509_san_dns (§5.9.3): unless the wallet trusts the client otherwise, the host of the response or
 * redirect URI must be the DNS name of the client id. Throws RESPONSE_URI_MISMATCH.
 */
export function checkResponseUriHost(clientId: ParsedClientId, uri: string): void {
  if (clientId.prefix !== 'x509_san_dns') return;
  let host: string;
  try {
    host = new URL(uri).hostname.toLowerCase();
  } catch {
    throw new Oid4vpError('RESPONSE_URI_MISMATCH', 'response_uri is not a URL');
  }
  if (host !== clientId.value.toLowerCase()) {
    throw new Oid4vpError('RESPONSE_URI_MISMATCH', `response_uri host ${host} is not ${clientId.value}`);
  }
}
