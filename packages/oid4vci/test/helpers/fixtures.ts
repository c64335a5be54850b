/**
 * Test keys and certificate chains, made with @mynakit/pki: a platform attestation CA (root) issuing
 * the attester's certificate that signs key attestations, and a second, untrusted root with its own
 * attester. Device keys are P-256 (the mdoc device key) and RSA-2048 (JPKI keys).
 */
import type { KeyObject } from 'node:crypto';
import { createCertificate, generateKeyPair, type KeyPair } from '@mynakit/pki';
import { createKeyAttestationJwt, type CreateKeyAttestationJwtInput } from '../../src/index.js';

export const NOW = new Date('2026-01-01T00:00:00Z');
export const ISSUER = 'https://issuer.example';
export const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
export const NOT_AFTER = new Date('2030-01-01T00:00:00Z');

export interface Attester {
  readonly root: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly key: KeyObject;
}

function attester(name: string): Attester {
  const rootKeys = generateKeyPair('P-256');
  const root = createCertificate({
    subject: `CN=${name} Root CA, O=mynakit test`,
    publicKey: rootKeys.publicKey,
    privateKey: rootKeys.privateKey,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    extensions: [
      { type: 'basicConstraints', ca: true },
      { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
    ],
  });
  const leafKeys = generateKeyPair('P-256');
  const leaf = createCertificate({
    subject: `CN=${name} Key Attestation, O=mynakit test`,
    issuer: { certificate: root, privateKey: rootKeys.privateKey },
    publicKey: leafKeys.publicKey,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    extensions: [{ type: 'keyUsage', usages: ['digitalSignature'] }],
  });
  return { root, chain: [leaf], key: leafKeys.privateKey };
}

export const TRUSTED: Attester = attester('Platform Attestation');
export const UNTRUSTED: Attester = attester('Rogue Attestation');

export const DEVICE: KeyPair = generateKeyPair('P-256');
export const OTHER_DEVICE: KeyPair = generateKeyPair('P-256');

/** A key attestation by the trusted attester for `attestedKeys` (default: the device key), valid at NOW. */
export function attest(
  overrides: {
    readonly [K in keyof CreateKeyAttestationJwtInput]?: CreateKeyAttestationJwtInput[K] | undefined;
  } & {
    readonly by?: Attester;
  } = {},
): Promise<string> {
  const by = overrides.by ?? TRUSTED;
  return createKeyAttestationJwt({
    attestationKey: by.key,
    x5c: by.chain,
    attestedKeys: [DEVICE.publicKey],
    keyStorage: ['iso_18045_high'],
    userAuthentication: ['iso_18045_high'],
    iat: new Date(NOW.getTime() - 60_000),
    exp: new Date(NOW.getTime() + 3_600_000),
    ...overrides,
  } as CreateKeyAttestationJwtInput);
}

/** Runs `f` and returns the Oid4vciError's code and check (fails the test when it does not throw one). */
export async function errorOf(f: () => unknown): Promise<{ code: string; check: string; message: string }> {
  try {
    await f();
  } catch (e) {
    const err = e as { name?: string; code?: string; check?: string; message?: string };
    if (err.name !== 'Oid4vciError') throw e;
    return { code: err.code as string, check: err.check as string, message: err.message as string };
  }
  throw new Error('expected an Oid4vciError');
}
