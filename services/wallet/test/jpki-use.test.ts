/**
 * The phone's JPKI certificates in use: a CMS signature by the signature key after the password, checked
 * by @mynakit/jpki's verifyJpkiSignature (the basic four from the certificate); a user authentication by
 * the auth key after the PIN or a biometric, accepted by the issuer's online qualification confirmation as
 * a clinic would send it; wrong secrets counted, a password never opening the auth key.
 */
import { randomBytes } from 'node:crypto';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { verifyJpkiSignature } from '@mynakit/jpki';
import { parseCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticateWithJpki,
  installCredentials,
  signWithJpki,
  type WalletDevice,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';

const BIOMETRIC = { method: 'biometric', matched: true } as const;

async function errorOf(p: Promise<unknown>): Promise<WalletError | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e;
    throw e;
  }
  return undefined;
}

describe('using the JPKI certificates on the phone', () => {
  let env: IssuerEnvironment;
  let phone: WalletDevice;
  beforeAll(async () => {
    env = await issuerEnvironment();
    phone = await env.phone('jpki-use', 'android');
    await installCredentials({
      device: phone,
      issuer: env.client,
      card: await env.card('sandbox-ordinary-male'),
      cardPins: await cardPinsOf(env, 'sandbox-ordinary-male'),
      liveness: { confirmed: true },
      newAuthPin: ['8642', '8642'],
      newSignaturePassword: ['SIGNME2026', 'SIGNME2026'],
      biometric: BIOMETRIC,
      trustAnchors: env.trustAnchors,
    });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  it('signs a document with the signature password; the signature verifies to the sandbox JPKI CA', async () => {
    const content = new TextEncoder().encode('口座開設申込書 / account opening application');
    const signed = await signWithJpki({
      device: phone,
      content,
      password: 'SIGNME2026',
      relyingParty: 'https://bank.example',
    });
    const h = env.issuer.deps.hierarchy;
    const report = await verifyJpkiSignature({
      signature: signed.signature,
      content,
      trustAnchors: h.jpki.signature.cas.map((c) => c.certificate),
      now: new Date(),
      profile: 'jpki-sign',
      policies: SANDBOX_JPKI_POLICY_CONFIG,
    });
    // Everything but revocation (no source given here) passes.
    const notPassed = report.checks.filter((c) => c.status !== 'passed').map((c) => c.id);
    expect(notPassed).toEqual(['status.revocation']);
    expect(parseCertificate(signed.certificate).serialNumber).toBe(
      (await phone.store.certificates.active(phone.id, 'sign'))?.serialNumber,
    );
    // The same document changed by one byte no longer verifies.
    const tampered = await verifyJpkiSignature({
      signature: signed.signature,
      content: new TextEncoder().encode('口座開設申込書 / account opening applicatioN'),
      trustAnchors: h.jpki.signature.cas.map((c) => c.certificate),
      now: new Date(),
      profile: 'jpki-sign',
      policies: SANDBOX_JPKI_POLICY_CONFIG,
    });
    expect(tampered.verdict).toBe('invalid');
  }, 60_000);

  it('counts a wrong password and never lets a biometric or a PIN sign', async () => {
    const wrong = await errorOf(
      signWithJpki({ device: phone, content: new Uint8Array([1]), password: 'WRONG2026', relyingParty: 'x' }),
    );
    expect([wrong?.code, wrong?.remainingTries]).toEqual(['WALLET_SECRET_WRONG', 4]);
    const sign = await phone.store.certificates.active(phone.id, 'sign');
    const biometric = await errorOf(phone.secureArea.authenticate(sign?.keyAlias as string, BIOMETRIC));
    expect(biometric?.code).toBe('WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED');
    // The right password gives the tries back.
    await signWithJpki({
      device: phone,
      content: new Uint8Array([1]),
      password: 'SIGNME2026',
      relyingParty: 'x',
    });
    expect((await phone.secrets.status('signaturePassword')).remaining).toBe(5);
  }, 60_000);

  it('authenticates at a clinic: the issuer confirms the insurance qualification from the answer', async () => {
    const store = env.issuer.deps.store;
    const clinic = await store.rpClients.create({ name: 'Sandbox clinic', roles: ['insurance'] }, Date.now());
    const challenge = new Uint8Array(randomBytes(32));
    const answer = await authenticateWithJpki({
      device: phone,
      challenge,
      userAuthentication: { method: 'pin', value: '8642' },
      relyingParty: 'Sandbox clinic',
    });
    const confirm = (signature: Uint8Array) =>
      env.issuer.app.request('/insurance/qualification-confirmations', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${clinic.clientId}:${clinic.clientSecret}`).toString('base64')}`,
        },
        body: JSON.stringify({
          certificate: Buffer.from(answer.certificate).toString('base64'),
          challenge: Buffer.from(challenge).toString('base64url'),
          signature: Buffer.from(signature).toString('base64'),
        }),
      });
    const ok = await confirm(answer.signature);
    const body = (await ok.json()) as { code?: string; qualification?: { insurerNumber?: string } };
    expect([ok.status, body.code]).toEqual([200, undefined]);
    expect(body.qualification?.insurerNumber).toMatch(/^99/);
    // A signature over another challenge is refused.
    const other = await authenticateWithJpki({
      device: phone,
      challenge: new Uint8Array(randomBytes(32)),
      userAuthentication: BIOMETRIC,
      relyingParty: 'Sandbox clinic',
    });
    expect((await confirm(other.signature)).status).not.toBe(200);
    // The auth key never opens with the signature password.
    expect(
      (
        await errorOf(
          authenticateWithJpki({
            device: phone,
            challenge,
            userAuthentication: { method: 'password', value: 'SIGNME2026' },
            relyingParty: 'x',
          }),
        )
      )?.code,
    ).toBe('WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED');
    const history = await phone.store.presentations.list(phone.id);
    expect(history.map((h) => h.channel)).toContain('jpki-user-authentication');
  }, 60_000);

  it('an answer sent by the caller (send) gets its history line only once sent; a wrong PIN sends nothing', async () => {
    const history = () => phone.store.presentations.list(phone.id);
    const before = await history();
    const sent: Uint8Array[] = [];
    // The verifier does not take the answer: the error is the caller's, no line is written.
    const refused = await errorOf(
      authenticateWithJpki({
        device: phone,
        challenge: new Uint8Array(randomBytes(32)),
        userAuthentication: { method: 'pin', value: '8642' },
        relyingParty: 'https://rp.example',
        send: async (answer) => {
          sent.push(answer.signature);
          throw new WalletError('WALLET_VERIFIER_REFUSED', 'refused');
        },
      }),
    );
    expect(refused?.code).toBe('WALLET_VERIFIER_REFUSED');
    expect(sent).toHaveLength(1);
    expect(await history()).toEqual(before);
    expect((await phone.secrets.status('authPin')).remaining).toBe(3);
    // A wrong PIN counts its try as always; nothing is made, sent or written.
    const wrong = await errorOf(
      authenticateWithJpki({
        device: phone,
        challenge: new Uint8Array(randomBytes(32)),
        userAuthentication: { method: 'pin', value: '0000' },
        relyingParty: 'https://rp.example',
        send: async (answer) => {
          sent.push(answer.signature);
        },
      }),
    );
    expect([wrong?.code, wrong?.remainingTries]).toEqual(['WALLET_SECRET_WRONG', 2]);
    expect(sent).toHaveLength(1);
    expect(await history()).toEqual(before);
    // Taken: the line follows the sending, exactly one.
    let linesWhileSending = -1;
    await signWithJpki({
      device: phone,
      content: new Uint8Array([1, 2, 3]),
      password: 'SIGNME2026',
      relyingParty: 'https://rp.example',
      send: async () => {
        linesWhileSending = (await history()).length;
      },
    });
    expect(linesWhileSending).toBe(before.length);
    const after = await history();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((l) => l.channel === 'jpki-signature').length).toBe(
      before.filter((l) => l.channel === 'jpki-signature').length + 1,
    );
    // The right PIN gives the tries back.
    await authenticateWithJpki({
      device: phone,
      challenge: new Uint8Array(randomBytes(32)),
      userAuthentication: { method: 'pin', value: '8642' },
      relyingParty: 'x',
    });
    expect((await phone.secrets.status('authPin')).remaining).toBe(3);
  }, 60_000);
});
