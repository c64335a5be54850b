import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  challengeDigestInfo,
  createChallenge,
  crlRevocationSource,
  JpkiError,
  signAuthChallenge,
  verifyAuthChallengeSignature,
  verifyAuthResponse,
} from '../src/index.js';
import { type JpkiFixtures, makeJpkiFixtures } from './helpers/jpki-fixtures.js';
import { openssl, opensslStatus } from './helpers/openssl.js';

let fx: JpkiFixtures;
beforeAll(() => {
  fx = makeJpkiFixtures();
}, 120_000);
afterAll(() => fx?.dir.remove());

const cert = () => parseCertificate(readFileSync(fx.files.authCertPem, 'utf8'));
const anchors = () => [parseCertificate(readFileSync(fx.files.caPem, 'utf8'))];
const crl = () => crlRevocationSource(new Uint8Array(readFileSync(fx.files.crl)));

describe('user authentication (challenge–response)', () => {
  it('challenges are 32 random bytes from the injected source', () => {
    expect(createChallenge()).toHaveLength(32);
    expect(createChallenge((b) => b.fill(7))).toEqual(new Uint8Array(32).fill(7));
    expect(challengeDigestInfo(new Uint8Array(32)).subarray(0, 19)).toEqual(
      Uint8Array.from(Buffer.from('3031300d060960864801650304020105000420', 'hex')),
    );
    expect(() => challengeDigestInfo(new Uint8Array(31))).toThrow(JpkiError);
  });

  it('OpenSSL verifies what signAuthChallenge makes (pre-hashed PKCS#1 v1.5 over DigestInfo)', () => {
    const challenge = createChallenge();
    const key = createPrivateKey(readFileSync(fx.files.authKeyPem));
    const sig = signAuthChallenge(challenge, key);
    const ch = fx.dir.write('challenge.bin', challenge);
    const sf = fx.dir.write('challenge.sig', sig);
    const pub = fx.dir.write('auth-pub.pem', openssl(['pkey', '-in', fx.files.authKeyPem, '-pubout']));
    const ok = opensslStatus([
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      pub,
      '-pkeyopt',
      'digest:sha256',
      '-in',
      ch,
      '-sigfile',
      sf,
    ]);
    expect(ok.stdout).toContain('Signature Verified Successfully');
    const other = fx.dir.write('challenge2.bin', createChallenge());
    expect(
      opensslStatus([
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        pub,
        '-pkeyopt',
        'digest:sha256',
        '-in',
        other,
        '-sigfile',
        sf,
      ]).status,
    ).not.toBe(0);
  });

  it('verifies a response OpenSSL signed, binds the certificate identity', async () => {
    const challenge = createChallenge();
    const ch = fx.dir.write('c.bin', challenge);
    const signature = new Uint8Array(
      openssl(['pkeyutl', '-sign', '-inkey', fx.files.authKeyPem, '-pkeyopt', 'digest:sha256', '-in', ch]),
    );
    expect(verifyAuthChallengeSignature(challenge, signature, cert().publicKey)).toBe(true);
    const r = await verifyAuthResponse({
      challenge,
      signature,
      certificate: new Uint8Array(readFileSync(fx.files.authCertPem)),
      trustAnchors: anchors(),
      revocation: [crl()],
      now: fx.at,
    });
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ['cert.decode', 'passed'],
      ['auth.signature', 'passed'],
      ['cert.path', 'passed'],
      ['cert.validity', 'passed'],
      ['cert.key_usage', 'passed'],
      ['cert.policy', 'passed'],
      ['status.revocation', 'passed'],
    ]);
    expect(r.verdict).toBe('valid');
    expect(r.identity).toMatchObject({
      subjectCommonName: 'AUTHUSER00000000000000F',
      issuer:
        'C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems',
      serialNumber: cert().serialNumber,
    });
  });

  it('refuses a signature over another challenge, a replayed one, and garbage', async () => {
    const key = createPrivateKey(readFileSync(fx.files.authKeyPem));
    const issued = createChallenge();
    const signature = signAuthChallenge(createChallenge(), key);
    const base = { certificate: cert(), trustAnchors: anchors(), revocation: [crl()], now: fx.at };
    const r = await verifyAuthResponse({ ...base, challenge: issued, signature });
    expect(r.verdict).toBe('invalid');
    expect(r.checks.find((c) => c.id === 'auth.signature')?.status).toBe('failed');
    const g = await verifyAuthResponse({ ...base, challenge: issued, signature: new Uint8Array(10) });
    expect(g.checks.find((c) => c.id === 'auth.signature')?.status).toBe('failed');
    const d = await verifyAuthResponse({
      ...base,
      certificate: new Uint8Array([1, 2, 3]),
      challenge: issued,
      signature,
    });
    expect(d.checks).toEqual([expect.objectContaining({ id: 'cert.decode', status: 'failed' })]);
  });

  it('a signature certificate is not a user-authentication certificate', async () => {
    const signer = parseCertificate(readFileSync(fx.files.signerPem, 'utf8'));
    const r = await verifyAuthResponse({
      challenge: createChallenge(),
      signature: new Uint8Array(256),
      certificate: signer,
      trustAnchors: anchors(),
      now: fx.at,
    });
    expect(r.checks.find((c) => c.id === 'cert.key_usage')?.status).toBe('failed');
    expect(r.checks.find((c) => c.id === 'cert.policy')?.status).toBe('failed');
  });
});
