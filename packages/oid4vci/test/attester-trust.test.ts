/**
 * AttesterTrust: attester chains (Appendix D.1 `x5c`) validated once and kept by their exact text, with the
 * time still checked on every use.
 */
import { createCertificate, generateKeyPair } from '@mynakit/pki';
import { describe, expect, it } from 'vitest';
import { AttesterTrust, createKeyAttestationJwt, verifyKeyAttestation } from '../src/index.js';
import {
  attest,
  DEVICE,
  errorOf,
  NOT_AFTER,
  NOT_BEFORE,
  NOW,
  TRUSTED,
  UNTRUSTED,
} from './helpers/fixtures.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** A second attester under a root of its own, whose certificate allows serverAuth only. */
function attesterWithEku() {
  const rootKeys = generateKeyPair('P-256');
  const root = createCertificate({
    subject: 'CN=EKU Attestation Root CA, O=mynakit test',
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
    subject: 'CN=EKU Key Attestation, O=mynakit test',
    issuer: { certificate: root, privateKey: rootKeys.privateKey },
    publicKey: leafKeys.publicKey,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'] },
      { type: 'extKeyUsage', usages: ['serverAuth'] },
    ],
  });
  return { root, chain: [leaf], key: leafKeys.privateKey };
}

describe('AttesterTrust', () => {
  it('keeps a validated chain: a second attestation by the same attester reuses it', async () => {
    const trust = new AttesterTrust([TRUSTED.root]);
    const a = await verifyKeyAttestation(await attest(), { now: NOW, trustAnchors: trust });
    const b = await verifyKeyAttestation(await attest({ nonce: 'another' }), {
      now: new Date(NOW.getTime() + 1000),
      trustAnchors: trust,
    });
    expect(trust.keptChains).toBe(1);
    expect(b.signerCertificate).toBe(a.signerCertificate);
    expect(b.anchor.der).toEqual(TRUSTED.root);
  });

  it('still refuses a kept chain at a time outside its certificates’ validity', async () => {
    const trust = new AttesterTrust([TRUSTED.root]);
    await verifyKeyAttestation(await attest(), { now: NOW, trustAnchors: trust });
    expect(trust.keptChains).toBe(1);
    const late = new Date(NOT_AFTER.getTime() + 86_400_000);
    const jwt = await attest({ iat: late, exp: new Date(late.getTime() + 60_000) });
    expect(await errorOf(() => verifyKeyAttestation(jwt, { now: late, trustAnchors: trust }))).toMatchObject({
      code: 'invalid_proof',
      check: 'key_attestation.chain',
    });
    const early = new Date(NOT_BEFORE.getTime() - 86_400_000);
    const jwtEarly = await attest({ iat: early, exp: new Date(early.getTime() + 60_000) });
    expect(
      (await errorOf(() => verifyKeyAttestation(jwtEarly, { now: early, trustAnchors: trust }))).check,
    ).toBe('key_attestation.chain');
  });

  it('keeps nothing that failed, and a failure stays a failure', async () => {
    const trust = new AttesterTrust([TRUSTED.root]);
    for (let i = 0; i < 2; i++)
      expect(
        (
          await errorOf(async () =>
            verifyKeyAttestation(await attest({ by: UNTRUSTED }), { now: NOW, trustAnchors: trust }),
          )
        ).check,
      ).toBe('key_attestation.chain');
    expect(trust.keptChains).toBe(0);
  });

  it('keeps a chain per required EKU: validated without one, it is still refused for an EKU it lacks', () => {
    const eku = attesterWithEku();
    const trust = new AttesterTrust([eku.root]);
    const x5c = eku.chain.map((d) => Buffer.from(d).toString('base64'));
    expect(trust.validate(x5c, NOW)).toMatchObject({ ok: true });
    expect(trust.validate(x5c, NOW, SERVER_AUTH)).toMatchObject({ ok: true });
    expect(trust.validate(x5c, NOW, '1.0.18013.5.1.2')).toMatchObject({ ok: false, reason: 'path' });
    expect(trust.keptChains).toBe(2);
  });

  it('keeps at most maxChainsKept chains, and none with 0', async () => {
    const eku = attesterWithEku();
    const x5cOf = (chain: readonly Uint8Array[]) => chain.map((d) => Buffer.from(d).toString('base64'));
    const one = new AttesterTrust([TRUSTED.root, eku.root], { maxChainsKept: 1 });
    expect(one.validate(x5cOf(TRUSTED.chain), NOW).ok).toBe(true);
    expect(one.validate(x5cOf(eku.chain), NOW).ok).toBe(true);
    expect(one.keptChains).toBe(1);
    const none = new AttesterTrust([TRUSTED.root], { maxChainsKept: 0 });
    expect(none.validate(x5cOf(TRUSTED.chain), NOW).ok).toBe(true);
    expect(none.keptChains).toBe(0);
  });

  it('answers format and parse failures apart, without keeping them', async () => {
    const trust = new AttesterTrust([TRUSTED.root]);
    expect(trust.validate('not-an-array', NOW)).toEqual({ ok: false, reason: 'format' });
    expect(trust.validate([], NOW)).toEqual({ ok: false, reason: 'format' });
    expect(trust.validate(['AAAA'], NOW)).toEqual({ ok: false, reason: 'parse' });
    const jwt = await createKeyAttestationJwt({
      attestationKey: TRUSTED.key,
      x5c: [new Uint8Array([0x30, 0x00])],
      attestedKeys: [DEVICE.publicKey],
      iat: NOW,
    });
    expect((await errorOf(() => verifyKeyAttestation(jwt, { now: NOW, trustAnchors: trust }))).check).toBe(
      'key_attestation.chain',
    );
    expect(trust.keptChains).toBe(0);
  });
});
