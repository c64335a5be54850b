/**
 * Key proofs (Appendix F.1, F.4) and the key attestations they carry (Appendix D.1): every way a
 * proof can be wrong, each asserting the wire error code and the check.
 */
import { sign as nodeSign } from 'node:crypto';
import { generateKeyPair } from '@mynakit/pki';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createProofJwt,
  publicJwkOf,
  type VerifyProofJwtOptions,
  verifyCredentialRequestProofs,
  verifyProofJwt,
} from '../src/index.js';
import {
  attest,
  DEVICE,
  errorOf,
  ISSUER,
  NOW,
  OTHER_DEVICE,
  TRUSTED,
  UNTRUSTED,
} from './helpers/fixtures.js';

const NONCE = 'c-nonce-0123456789abcdef';
const REQUIRED = { key_storage: ['iso_18045_high'], user_authentication: ['iso_18045_high'] } as const;

const base: VerifyProofJwtOptions = {
  now: NOW,
  credentialIssuer: ISSUER,
  allowedAlgorithms: ['ES256'],
  nonce: NONCE,
};
const attested: VerifyProofJwtOptions = {
  ...base,
  keyAttestationsRequired: REQUIRED,
  keyAttestationTrustAnchors: [TRUSTED.root],
};

const proof = (o: Partial<Parameters<typeof createProofJwt>[0]> = {}) =>
  createProofJwt({ privateKey: DEVICE.privateKey, audience: ISSUER, nonce: NONCE, iat: NOW, ...o });

/** A JWS with any header, signed by the device key. */
const raw = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as { alg: string })
    .sign(DEVICE.privateKey);

const claims = { aud: ISSUER, iat: NOW.getTime() / 1000, nonce: NONCE };
const jwk = publicJwkOf(DEVICE.publicKey);

describe('proofs with a jwk header', () => {
  it('verify, and give back the key to bind the credential to', async () => {
    const p = await verifyProofJwt(await proof(), base);
    expect(p.publicKey.equals(DEVICE.publicKey)).toBe(true);
    expect(p).toMatchObject({ alg: 'ES256', nonce: NONCE, publicJwk: jwk });
    expect(p.keyAttestation).toBeUndefined();
  });

  it('a bad signature is invalid_proof', async () => {
    const jwt = await proof();
    const [h, b, s] = jwt.split('.') as [string, string, string];
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expect(await errorOf(() => verifyProofJwt(`${h}.${b}.${flipped}`, base))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.signature',
    });
  });

  it('a jwk header naming another key than the signer is invalid_proof', async () => {
    const jwt = await proof({ publicJwk: publicJwkOf(OTHER_DEVICE.publicKey) });
    expect((await errorOf(() => verifyProofJwt(jwt, base))).check).toBe('proof.signature');
  });

  it('a wrong typ is invalid_proof', async () => {
    const jwt = await raw({ typ: 'JWT', alg: 'ES256', jwk }, claims);
    expect(await errorOf(() => verifyProofJwt(jwt, base))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.typ',
    });
    const media = await raw({ typ: 'application/openid4vci-proof+jwt', alg: 'ES256', jwk }, claims);
    expect((await verifyProofJwt(media, base)).alg).toBe('ES256');
  });

  it('alg none is invalid_proof', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${b64({ typ: 'openid4vci-proof+jwt', alg: 'none', jwk })}.${b64(claims)}.`;
    expect(
      await errorOf(() => verifyProofJwt(unsigned, { ...base, allowedAlgorithms: ['ES256', 'none'] })),
    ).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.alg',
    });
    const hmac = `${b64({ typ: 'openid4vci-proof+jwt', alg: 'HS256', jwk })}.${b64(claims)}.c2ln`;
    expect((await errorOf(() => verifyProofJwt(hmac, base))).check).toBe('proof.alg');
  });

  it('an alg outside proof_signing_alg_values_supported is invalid_proof', async () => {
    expect(
      (await errorOf(async () => verifyProofJwt(await proof(), { ...base, allowedAlgorithms: ['ES384'] })))
        .check,
    ).toBe('proof.alg');
  });

  it('a wrong aud is invalid_proof', async () => {
    const jwt = await proof({ audience: 'https://other.example' });
    expect(await errorOf(() => verifyProofJwt(jwt, base))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.aud',
    });
  });

  it('a stale or future iat is invalid_proof', async () => {
    const stale = await proof({ iat: new Date(NOW.getTime() - 3_600_000) });
    expect(await errorOf(() => verifyProofJwt(stale, base))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.iat',
    });
    const future = await proof({ iat: new Date(NOW.getTime() + 600_000) });
    expect((await errorOf(() => verifyProofJwt(future, base))).check).toBe('proof.iat');
    expect((await verifyProofJwt(stale, { ...base, maxAgeSeconds: 7200 })).alg).toBe('ES256');
  });

  it('a wrong nonce is invalid_nonce; a missing one invalid_proof', async () => {
    const wrong = await proof({ nonce: 'another-nonce-0123456789' });
    expect(await errorOf(() => verifyProofJwt(wrong, base))).toMatchObject({
      code: 'invalid_nonce',
      check: 'proof.nonce',
    });
    const none = await createProofJwt({ privateKey: DEVICE.privateKey, audience: ISSUER, iat: NOW });
    expect(await errorOf(() => verifyProofJwt(none, base))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.nonce_missing',
    });
    const { nonce: _n, ...noNonceExpected } = base;
    expect((await verifyProofJwt(none, noNonceExpected)).nonce).toBeUndefined();
  });

  it('a replayed nonce is invalid_nonce, and a forged proof does not consume one', async () => {
    const issued = new Set([NONCE]);
    const consume = (n: string) => issued.delete(n);
    const jwt = await proof();
    const [h, b] = jwt.split('.') as [string, string];
    await errorOf(() => verifyProofJwt(`${h}.${b}.AAAA`, { ...base, nonce: consume }));
    expect(issued.has(NONCE)).toBe(true);
    await verifyProofJwt(jwt, { ...base, nonce: consume });
    expect(await errorOf(() => verifyProofJwt(jwt, { ...base, nonce: consume }))).toMatchObject({
      code: 'invalid_nonce',
      check: 'proof.nonce',
    });
  });

  it('the header names one key: none, two, or a private one is invalid_proof', async () => {
    expect(
      (
        await errorOf(async () =>
          verifyProofJwt(await raw({ typ: 'openid4vci-proof+jwt', alg: 'ES256' }, claims), base),
        )
      ).check,
    ).toBe('proof.key');
    const two = await raw({ typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk, kid: 'k1' }, claims);
    expect((await errorOf(() => verifyProofJwt(two, base))).check).toBe('proof.key');
    const priv = DEVICE.privateKey.export({ format: 'jwk' });
    const leaked = await raw({ typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk: priv }, claims);
    expect(await errorOf(() => verifyProofJwt(leaked, base))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.key',
    });
  });

  it('iss must be the client_id when the client is known', async () => {
    const jwt = await proof({ issuer: 'wallet-1' });
    expect((await verifyProofJwt(jwt, { ...base, clientId: 'wallet-1' })).iss).toBe('wallet-1');
    expect((await errorOf(() => verifyProofJwt(jwt, { ...base, clientId: 'wallet-2' }))).check).toBe(
      'proof.iss',
    );
  });

  it('a kid header is resolved by the caller, or refused', async () => {
    const jwt = await proof({ kid: 'did:example:123#key-1' });
    expect((await errorOf(() => verifyProofJwt(jwt, base))).check).toBe('proof.key');
    const p = await verifyProofJwt(jwt, {
      ...base,
      resolveKid: (kid) => (kid === 'did:example:123#key-1' ? jwk : undefined),
    });
    expect(p.publicKey.equals(DEVICE.publicKey)).toBe(true);
  });

  it('a signer (secure element) makes the same proof', async () => {
    const signer = {
      alg: 'ES256',
      sign: (input: Uint8Array) =>
        new Uint8Array(nodeSign('sha256', input, { key: DEVICE.privateKey, dsaEncoding: 'ieee-p1363' })),
    };
    const jwt = await createProofJwt({ signer, publicJwk: jwk, audience: ISSUER, nonce: NONCE, iat: NOW });
    expect((await verifyProofJwt(jwt, base)).publicJwk).toEqual(jwk);
  });
});

describe('proofs with a key attestation', () => {
  it('verify: the signing key is an attested key', async () => {
    const jwt = await proof({ keyAttestation: await attest({ nonce: NONCE }) });
    const p = await verifyProofJwt(jwt, attested);
    expect(p.attestedKeyIndex).toBe(0);
    expect(p.keyAttestation?.attestedKeys).toEqual([jwk]);
    expect(p.keyAttestation?.userAuthentication).toEqual(['iso_18045_high']);
    expect(p.keyAttestation?.signerCertificate.subject).toContain('Platform Attestation Key Attestation');
  });

  it('any attested key may sign: the second one, found by trying or by kid index', async () => {
    const ka = await attest({ nonce: NONCE, attestedKeys: [OTHER_DEVICE.publicKey, DEVICE.publicKey] });
    expect((await verifyProofJwt(await proof({ keyAttestation: ka }), attested)).attestedKeyIndex).toBe(1);
    expect(
      (await verifyProofJwt(await proof({ keyAttestation: ka, kid: '1' }), attested)).attestedKeyIndex,
    ).toBe(1);
    expect(
      (await errorOf(async () => verifyProofJwt(await proof({ keyAttestation: ka, kid: '0' }), attested)))
        .check,
    ).toBe('proof.signature');
    expect(
      (await errorOf(async () => verifyProofJwt(await proof({ keyAttestation: ka, kid: '7' }), attested)))
        .check,
    ).toBe('proof.unattested_key');
  });

  it('a proof signed by a key that is not attested is invalid_proof', async () => {
    const ka = await attest({ nonce: NONCE });
    const bare = await createProofJwt({
      privateKey: OTHER_DEVICE.privateKey,
      keyAttestation: ka,
      audience: ISSUER,
      nonce: NONCE,
      iat: NOW,
    });
    expect(await errorOf(() => verifyProofJwt(bare, attested))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.unattested_key',
    });
    const named = await createProofJwt({
      privateKey: OTHER_DEVICE.privateKey,
      keyAttestation: ka,
      includeJwk: true,
      audience: ISSUER,
      nonce: NONCE,
      iat: NOW,
    });
    expect(await errorOf(() => verifyProofJwt(named, attested))).toMatchObject({
      code: 'invalid_proof',
      check: 'proof.unattested_key',
    });
  });

  it('an attestation chaining to an untrusted root is invalid_proof', async () => {
    const jwt = await proof({ keyAttestation: await attest({ nonce: NONCE, by: UNTRUSTED }) });
    expect(await errorOf(() => verifyProofJwt(jwt, attested))).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.chain',
    });
  });

  it('an expired attestation, or one without exp, is invalid_proof', async () => {
    const expired = await attest({
      nonce: NONCE,
      iat: new Date(NOW.getTime() - 7_200_000),
      exp: new Date(NOW.getTime() - 3_600_000),
    });
    expect(
      await errorOf(async () => verifyProofJwt(await proof({ keyAttestation: expired }), attested)),
    ).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.exp',
    });
    const open = await attest({ nonce: NONCE, exp: undefined });
    expect(
      (await errorOf(async () => verifyProofJwt(await proof({ keyAttestation: open }), attested))).check,
    ).toBe('key_attestation.exp');
  });

  it('a key storage or user authentication weaker than required is invalid_proof', async () => {
    const weakStorage = await attest({ nonce: NONCE, keyStorage: ['iso_18045_moderate'] });
    expect(
      await errorOf(async () => verifyProofJwt(await proof({ keyAttestation: weakStorage }), attested)),
    ).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.key_storage',
    });
    const noLevels = await attest({ nonce: NONCE, keyStorage: undefined });
    expect(
      (await errorOf(async () => verifyProofJwt(await proof({ keyAttestation: noLevels }), attested))).check,
    ).toBe('key_attestation.key_storage');
    const weakAuth = await attest({ nonce: NONCE, userAuthentication: ['iso_18045_basic'] });
    expect(
      (await errorOf(async () => verifyProofJwt(await proof({ keyAttestation: weakAuth }), attested))).check,
    ).toBe('key_attestation.user_authentication');
    // a stronger level meets a weaker requirement
    const moderate = { ...attested, keyAttestationsRequired: { key_storage: ['iso_18045_moderate'] } };
    expect(
      (await verifyProofJwt(await proof({ keyAttestation: await attest({ nonce: NONCE }) }), moderate)).alg,
    ).toBe('ES256');
  });

  it('a missing key attestation is invalid_proof when the issuer requires one', async () => {
    expect(await errorOf(async () => verifyProofJwt(await proof(), attested))).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.missing',
    });
  });

  it('the attestation must carry a valid c_nonce when the issuer uses nonces', async () => {
    const none = await proof({ keyAttestation: await attest() });
    expect((await errorOf(() => verifyProofJwt(none, attested))).check).toBe('key_attestation.nonce_missing');
    const stale = await proof({ keyAttestation: await attest({ nonce: 'stale-nonce-0123456789' }) });
    expect(await errorOf(() => verifyProofJwt(stale, attested))).toMatchObject({
      code: 'invalid_nonce',
      check: 'key_attestation.nonce',
    });
  });

  it('the attestation alg must be one the issuer accepts for proofs', async () => {
    const p384 = generateKeyPair('P-384');
    const jwt = await createProofJwt({
      privateKey: p384.privateKey,
      keyAttestation: await attest({ nonce: NONCE, attestedKeys: [p384.publicKey] }),
      audience: ISSUER,
      nonce: NONCE,
      iat: NOW,
    });
    expect((await verifyProofJwt(jwt, { ...attested, allowedAlgorithms: ['ES384', 'ES256'] })).alg).toBe(
      'ES384',
    );
    expect(
      await errorOf(() => verifyProofJwt(jwt, { ...attested, allowedAlgorithms: ['ES384'] })),
    ).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.alg',
    });
  });

  it('an attestation without configured trust anchors cannot be verified', async () => {
    const jwt = await proof({ keyAttestation: await attest({ nonce: NONCE }) });
    expect((await errorOf(() => verifyProofJwt(jwt, { ...base }))).check).toBe('proof.key');
  });

  it('all proofs of a request must verify', async () => {
    const good = await proof();
    const bad = await proof({ audience: 'https://other.example' });
    expect((await errorOf(() => verifyCredentialRequestProofs([good, bad], base))).check).toBe('proof.aud');
    expect((await errorOf(() => verifyCredentialRequestProofs([], base))).code).toBe('invalid_proof');
  });
});
