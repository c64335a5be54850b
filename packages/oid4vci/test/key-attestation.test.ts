/**
 * Key attestations on their own (Appendix D.1, D.2) — as the issuer checks the attestation that
 * accompanies a JPKI certificate signing request, whose attested keys are RSA-2048.
 */
import { generateKeyPair } from '@mynakit/pki';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ATTACK_POTENTIAL_RESISTANCE,
  createKeyAttestationJwt,
  findAttestedKey,
  meetsAttackPotentialResistance,
  publicJwkOf,
  verifyKeyAttestation,
} from '../src/index.js';
import { attest, DEVICE, errorOf, NOT_AFTER, NOW, TRUSTED, UNTRUSTED } from './helpers/fixtures.js';

const SIGN_KEY = generateKeyPair('RSA-2048');
const AUTH_KEY = generateKeyPair('RSA-2048');
const options = { now: NOW, trustAnchors: [TRUSTED.root] };

describe('verifyKeyAttestation', () => {
  it('verifies an attestation of two RSA-2048 JPKI keys and finds each of them', async () => {
    const jwt = await attest({
      attestedKeys: [SIGN_KEY.publicKey, AUTH_KEY.publicKey],
      nonce: 'csr-nonce-0123456789',
      certification: 'https://certification.example/se',
    });
    const a = await verifyKeyAttestation(jwt, { ...options, nonce: 'csr-nonce-0123456789' });
    expect(a.attestedKeys).toEqual([publicJwkOf(SIGN_KEY.publicKey), publicJwkOf(AUTH_KEY.publicKey)]);
    expect(a.attestedKeys[0]?.kty).toBe('RSA');
    expect(findAttestedKey(a, AUTH_KEY.publicKey)).toBe(1);
    expect(findAttestedKey(a, publicJwkOf(SIGN_KEY.publicKey))).toBe(0);
    expect(findAttestedKey(a, DEVICE.publicKey)).toBe(-1);
    expect(a).toMatchObject({
      alg: 'ES256',
      keyStorage: ['iso_18045_high'],
      nonce: 'csr-nonce-0123456789',
      certification: 'https://certification.example/se',
      iat: new Date(NOW.getTime() - 60_000),
      exp: new Date(NOW.getTime() + 3_600_000),
    });
    expect(a.anchor.der).toEqual(TRUSTED.root);
  });

  it('a chain to an untrusted root is invalid_proof', async () => {
    expect(
      await errorOf(async () => verifyKeyAttestation(await attest({ by: UNTRUSTED }), options)),
    ).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.chain',
    });
  });

  it('a root carried in x5c does not make itself trusted', async () => {
    const jwt = await createKeyAttestationJwt({
      attestationKey: UNTRUSTED.key,
      x5c: [...UNTRUSTED.chain, UNTRUSTED.root],
      attestedKeys: [DEVICE.publicKey],
      iat: NOW,
    });
    expect((await errorOf(() => verifyKeyAttestation(jwt, options))).check).toBe('key_attestation.chain');
  });

  it('an attester certificate outside its validity is invalid_proof', async () => {
    const late = new Date(NOT_AFTER.getTime() + 86_400_000);
    const jwt = await attest({ iat: late, exp: new Date(late.getTime() + 60_000) });
    expect((await errorOf(() => verifyKeyAttestation(jwt, { ...options, now: late }))).check).toBe(
      'key_attestation.chain',
    );
  });

  it('an expired attestation is invalid_proof', async () => {
    const jwt = await attest({
      iat: new Date(NOW.getTime() - 7_200_000),
      exp: new Date(NOW.getTime() - 3_600_000),
    });
    expect(await errorOf(() => verifyKeyAttestation(jwt, options))).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.exp',
    });
  });

  it('an attestation issued in the future is invalid_proof', async () => {
    const jwt = await attest({
      iat: new Date(NOW.getTime() + 600_000),
      exp: new Date(NOW.getTime() + 900_000),
    });
    expect((await errorOf(() => verifyKeyAttestation(jwt, options))).check).toBe('key_attestation.iat');
  });

  it('exp is optional on its own and required with requireExp', async () => {
    const jwt = await attest({ exp: undefined });
    expect((await verifyKeyAttestation(jwt, options)).exp).toBeUndefined();
    expect((await errorOf(() => verifyKeyAttestation(jwt, { ...options, requireExp: true }))).check).toBe(
      'key_attestation.exp',
    );
  });

  it('levels below the requirement are invalid_proof', async () => {
    const jwt = await attest({
      keyStorage: ['iso_18045_enhanced-basic'],
      userAuthentication: ['iso_18045_moderate'],
    });
    expect(
      await errorOf(() =>
        verifyKeyAttestation(jwt, { ...options, requirements: { key_storage: ['iso_18045_moderate'] } }),
      ),
    ).toMatchObject({ code: 'invalid_proof', check: 'key_attestation.key_storage' });
    expect(
      (
        await errorOf(() =>
          verifyKeyAttestation(jwt, {
            ...options,
            requirements: { user_authentication: ['iso_18045_high'] },
          }),
        )
      ).check,
    ).toBe('key_attestation.user_authentication');
    const ok = await verifyKeyAttestation(jwt, {
      ...options,
      requirements: { key_storage: ['iso_18045_basic'], user_authentication: ['iso_18045_moderate'] },
    });
    expect(ok.userAuthentication).toEqual(['iso_18045_moderate']);
  });

  it('nonce: missing is invalid_proof, wrong or spent is invalid_nonce', async () => {
    expect(
      (
        await errorOf(async () =>
          verifyKeyAttestation(await attest(), { ...options, nonce: 'n-0123456789abcdef' }),
        )
      ).check,
    ).toBe('key_attestation.nonce_missing');
    const jwt = await attest({ nonce: 'n-0123456789abcdef' });
    expect(await errorOf(() => verifyKeyAttestation(jwt, { ...options, nonce: () => false }))).toMatchObject({
      code: 'invalid_nonce',
      check: 'key_attestation.nonce',
    });
  });

  it('a wrong typ, a bad signature, a private attested key or no attested key is invalid_proof', async () => {
    const sign = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader(header as { alg: string })
        .sign(TRUSTED.key);
    const x5c = TRUSTED.chain.map((d) => Buffer.from(d).toString('base64'));
    const iat = NOW.getTime() / 1000;
    const jwk = publicJwkOf(DEVICE.publicKey);
    expect(
      (
        await errorOf(async () =>
          verifyKeyAttestation(
            await sign({ typ: 'JWT', alg: 'ES256', x5c }, { iat, attested_keys: [jwk] }),
            options,
          ),
        )
      ).check,
    ).toBe('key_attestation.typ');
    const typ = 'key-attestation+jwt';
    const priv = DEVICE.privateKey.export({ format: 'jwk' });
    expect(
      (
        await errorOf(async () =>
          verifyKeyAttestation(
            await sign({ typ, alg: 'ES256', x5c }, { iat, attested_keys: [priv] }),
            options,
          ),
        )
      ).check,
    ).toBe('key_attestation.attested_keys');
    expect(
      (
        await errorOf(async () =>
          verifyKeyAttestation(await sign({ typ, alg: 'ES256', x5c }, { iat, attested_keys: [] }), options),
        )
      ).check,
    ).toBe('key_attestation.attested_keys');
    expect(
      (
        await errorOf(async () =>
          verifyKeyAttestation(
            await sign({ typ, alg: 'ES256', kid: 'k' }, { iat, attested_keys: [jwk] }),
            options,
          ),
        )
      ).check,
    ).toBe('key_attestation.chain');
    const good = await sign({ typ, alg: 'ES256', x5c }, { iat, attested_keys: [jwk] });
    const [h, b] = good.split('.') as [string, string];
    const other = await sign({ typ, alg: 'ES256', x5c }, { iat: iat + 1, attested_keys: [jwk] });
    expect(
      (await errorOf(() => verifyKeyAttestation(`${h}.${b}.${other.split('.')[2]}`, options))).check,
    ).toBe('key_attestation.signature');
    const many = Array.from({ length: 17 }, () => jwk);
    expect(
      (
        await errorOf(async () =>
          verifyKeyAttestation(await sign({ typ, alg: 'ES256', x5c }, { iat, attested_keys: many }), options),
        )
      ).check,
    ).toBe('key_attestation.attested_keys');
  });

  it('a configured trust anchor that is not a certificate is a programmer error', async () => {
    await expect(
      verifyKeyAttestation(await attest(), { now: NOW, trustAnchors: [new Uint8Array([1, 2, 3])] }),
    ).rejects.toThrow(TypeError);
  });
});

describe('attack potential resistance (Appendix D.2)', () => {
  it('orders the four ISO/IEC 18045 values and accepts listed or stronger ones', () => {
    expect(ATTACK_POTENTIAL_RESISTANCE).toEqual([
      'iso_18045_basic',
      'iso_18045_enhanced-basic',
      'iso_18045_moderate',
      'iso_18045_high',
    ]);
    expect(meetsAttackPotentialResistance(['iso_18045_high'], ['iso_18045_moderate'])).toBe(true);
    expect(meetsAttackPotentialResistance(['iso_18045_moderate'], ['iso_18045_high'])).toBe(false);
    expect(meetsAttackPotentialResistance([], ['iso_18045_basic'])).toBe(false);
    expect(
      meetsAttackPotentialResistance(['https://eco.example/level-3'], ['https://eco.example/level-3']),
    ).toBe(true);
    expect(meetsAttackPotentialResistance(['https://eco.example/level-3'], ['iso_18045_basic'])).toBe(false);
  });
});
