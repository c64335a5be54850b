/** Small helpers of the installation routes. */
import { timingSafeEqual } from 'node:crypto';
import { parseCertificate } from '@mynakit/pki';
import type { Context } from 'hono';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';

/** The deployment's randomness, or crypto.getRandomValues. */
export function randomOf(deps: Pick<IssuerDeps, 'random'>): (b: Uint8Array) => Uint8Array {
  return deps.random ?? ((b) => globalThis.crypto.getRandomValues(b));
}

/**
 * Bytes of a base64 (or base64url) field; ISSUER_INVALID_INPUT naming the field — never its value — when
 * it is not base64.
 */
export function bytesFromBase64(text: string, field: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean))
    throw new IssuerError('ISSUER_INVALID_INPUT', `${field} must be base64`);
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** Standard base64 of bytes (how the routes answer DER). */
export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Whether two byte strings are equal (constant time for equal lengths). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The SHA-256 fingerprint of a DER certificate, as @mynakit/pki writes it. */
export function fingerprintOf(der: Uint8Array): string {
  return parseCertificate(der).fingerprint256;
}

/** The body a validBody middleware accepted. */
export function validJson<T>(c: Context): T {
  return (c.req.valid as (target: string) => unknown)('json') as T;
}
