import { readFileSync } from 'node:fs';
import { parseCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crlRevocationSource,
  ocspRevocationSource,
  type RevocationSource,
  type SignatureVerificationReport,
  type VerificationProfile,
  verifyJpkiSignature,
} from '../src/index.js';
import { type JpkiFixtures, makeJpkiFixtures } from './helpers/jpki-fixtures.js';
import { opensslStatus } from './helpers/openssl.js';

let fx: JpkiFixtures;
beforeAll(() => {
  fx = makeJpkiFixtures();
}, 120_000);
afterAll(() => fx?.dir.remove());

const bytes = (p: string) => new Uint8Array(readFileSync(p));
const anchor = () => parseCertificate(readFileSync(fx.files.caPem, 'utf8'));
const crl = (p = fx.files.crl): RevocationSource => crlRevocationSource(bytes(p), 'CRL');
const ocsp = (p = fx.files.ocspGood): RevocationSource => ocspRevocationSource(bytes(p), { label: 'OCSP' });

async function verify(
  signature: string,
  o: {
    content?: string;
    revocation?: RevocationSource[];
    profile?: VerificationProfile;
    at?: Date;
    anchors?: string[];
    allowSha1?: boolean;
  } = {},
): Promise<SignatureVerificationReport> {
  return verifyJpkiSignature({
    signature: bytes(signature),
    ...(o.content !== undefined ? { content: bytes(o.content) } : {}),
    trustAnchors: (o.anchors ?? [fx.files.caPem]).map((p) => parseCertificate(readFileSync(p, 'utf8'))),
    revocation: o.revocation ?? [crl()],
    now: o.at ?? fx.at,
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
    ...(o.allowSha1 !== undefined ? { allowSha1: o.allowSha1 } : {}),
  });
}

const status = (r: SignatureVerificationReport, id: string) => r.checks.find((c) => c.id === id)?.status;

/** OpenSSL's verdict on the same inputs: `openssl cms -verify` with a CRL check at the same instant. */
function opensslVerifies(
  signature: string,
  o: { content?: string; crlFile?: string; policy?: string } = {},
): boolean {
  // cms has no -CRLfile: the CRL goes into the CAfile bundle with the anchor.
  const caFile =
    o.crlFile === undefined
      ? fx.files.caPem
      : fx.dir.write(
          'anchor-and-crl.pem',
          readFileSync(fx.files.caPem, 'utf8') + readFileSync(`${o.crlFile}.pem`, 'utf8'),
        );
  const r = opensslStatus([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    signature,
    '-CAfile',
    caFile,
    '-attime',
    String(Math.floor(fx.at.getTime() / 1000)),
    '-out',
    '/dev/null',
    ...(o.content !== undefined ? ['-content', o.content] : []),
    ...(o.crlFile !== undefined ? ['-crl_check'] : []),
    ...(o.policy !== undefined ? ['-policy', o.policy, '-explicit_policy'] : []),
  ]);
  return r.status === 0;
}

describe('verifyJpkiSignature against OpenSSL-made signatures', () => {
  it('valid attached signature (jpki-sign): every check passes and the basic four are decoded', async () => {
    const r = await verify(fx.files.attached, { profile: 'jpki-sign' });
    expect(r.verdict).toBe('valid');
    for (const id of [
      'cms.decode',
      'cms.signature',
      'cms.message_digest',
      'cert.path',
      'cert.validity',
      'cert.key_usage',
      'cert.policy',
      'jpki.basic_four',
      'status.revocation',
    ]) {
      expect(status(r, id), id).toBe('passed');
    }
    expect(r.checks.filter((c) => c.id === 'status.revocation')).toHaveLength(1);
    expect(r.basicFour).toEqual(fx.basicFour);
    expect(r.detached).toBe(false);
    expect(r.signingTime).toBeInstanceOf(Date);
    expect(r.signer?.subjectCommonName).toBe('SIGNER0000000000000000A');
    // no personal data in any detail
    expect(JSON.stringify(r.checks)).not.toMatch(/番号|花子|霞が関|419900102/);
    expect(opensslVerifies(fx.files.attached, { crlFile: fx.files.crl })).toBe(true);
  });

  it('valid detached signature with the raw content', async () => {
    const r = await verify(fx.files.detached, { content: fx.files.content, revocation: [ocsp()] });
    expect(r.verdict).toBe('valid');
    expect(r.detached).toBe(true);
    expect(status(r, 'status.revocation')).toBe('passed');
    expect(r.checks.find((c) => c.id === 'status.revocation')?.detail).toContain('OCSP: good');
    expect(opensslVerifies(fx.files.detached, { content: fx.files.content, crlFile: fx.files.crl })).toBe(
      true,
    );
  });

  it('tampered content: cms.message_digest fails (detached and attached)', async () => {
    const d = await verify(fx.files.detached, { content: fx.files.tamperedContent });
    expect(d.verdict).toBe('invalid');
    expect(status(d, 'cms.message_digest')).toBe('failed');
    const a = await verify(fx.files.tamperedAttached);
    expect(a.verdict).toBe('invalid');
    expect(status(a, 'cms.message_digest')).toBe('failed');
    expect(opensslVerifies(fx.files.detached, { content: fx.files.tamperedContent })).toBe(false);
    expect(opensslVerifies(fx.files.tamperedAttached)).toBe(false);
  });

  it('SHA-1: refused by default (cms.signature names SHA-1), accepted only with allowSha1', async () => {
    const refused = await verify(fx.files.sha1Attached, { profile: 'jpki-sign' });
    expect(refused.verdict).toBe('invalid');
    expect(status(refused, 'cms.signature')).toBe('failed');
    expect(refused.checks.find((c) => c.id === 'cms.signature')?.detail).toContain('SHA-1');
    const accepted = await verify(fx.files.sha1Attached, { profile: 'jpki-sign', allowSha1: true });
    expect(status(accepted, 'cms.signature')).toBe('passed');
    expect(status(accepted, 'cms.message_digest')).toBe('passed');
    expect(accepted.verdict).toBe('valid');
    // The option is off unless set: an explicit false is the default.
    expect((await verify(fx.files.sha1Attached, { allowSha1: false })).verdict).toBe('invalid');
  });

  it('bad signature value: cms.signature fails', async () => {
    const r = await verify(fx.files.badSignatureValue);
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'cms.signature')).toBe('failed');
    expect(status(r, 'cms.message_digest')).toBe('passed');
    expect(opensslVerifies(fx.files.badSignatureValue)).toBe(false);
  });

  it('expired signer: cert.validity fails, the path itself holds', async () => {
    const r = await verify(fx.files.expiredSigner);
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'cert.validity')).toBe('failed');
    expect(status(r, 'cert.path')).toBe('passed');
    expect(opensslVerifies(fx.files.expiredSigner)).toBe(false);
  });

  it('revoked by CRL: status.revocation fails with the reason', async () => {
    const r = await verify(fx.files.revokedSigner, { revocation: [crl()] });
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'status.revocation')).toBe('failed');
    expect(r.revocation[0]).toMatchObject({ kind: 'CRL', status: 'revoked', reason: 'keyCompromise' });
    expect(opensslVerifies(fx.files.revokedSigner, { crlFile: fx.files.crl })).toBe(false);
  });

  it('revoked by OCSP: status.revocation fails', async () => {
    const r = await verify(fx.files.revokedSigner, { revocation: [ocsp(fx.files.ocspRevoked)] });
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'status.revocation')).toBe('failed');
    expect(r.revocation[0]).toMatchObject({ kind: 'OCSP', status: 'revoked', reason: 'keyCompromise' });
  });

  it('any source saying revoked wins over a good one', async () => {
    const r = await verify(fx.files.revokedSigner, { revocation: [ocsp(fx.files.ocspGood), crl()] });
    expect(status(r, 'status.revocation')).toBe('failed');
  });

  it('untrusted CA: cert.path fails with PATH_NO_ANCHOR', async () => {
    const r = await verify(fx.files.untrustedSigner);
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'cert.path')).toBe('failed');
    expect(r.checks.find((c) => c.id === 'cert.path')?.detail).toContain('PATH_NO_ANCHOR');
    expect(opensslVerifies(fx.files.untrustedSigner)).toBe(false);
  });

  it('stale CRL: undetermined, never valid', async () => {
    const r = await verify(fx.files.attached, { revocation: [crl(fx.files.staleCrl)] });
    expect(r.verdict).toBe('undetermined');
    expect(status(r, 'status.revocation')).toBe('undetermined');
    expect(r.checks.find((c) => c.id === 'status.revocation')?.detail).toMatch(/stale/);
    expect(opensslVerifies(fx.files.attached, { crlFile: fx.files.staleCrl })).toBe(false);
  });

  it('revocation is final: a stale CRL or an OCSP response past its window still proves "revoked"', async () => {
    const stale = await verify(fx.files.revokedSigner, { revocation: [crl(fx.files.staleCrl)] });
    expect(stale.revocation, JSON.stringify(stale.checks)).toMatchObject([{ status: 'revoked' }]);
    expect(status(stale, 'status.revocation')).toBe('failed');
    expect(stale.revocation[0]).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
    const late = new Date(fx.at.getTime() + 10 * 60_000);
    const old = await verify(fx.files.revokedSigner, {
      revocation: [ocsp(fx.files.ocspRevokedShortWindow)],
      at: late,
    });
    expect(old.revocation, JSON.stringify(old.checks)).toMatchObject([{ status: 'revoked' }]);
    expect(status(old, 'status.revocation')).toBe('failed');
    // ...but never "good": the same stale sources say nothing about a good certificate.
    const good = await verify(fx.files.attached, {
      revocation: [crl(fx.files.staleCrl), ocsp(fx.files.ocspGoodShortWindow)],
      at: late,
    });
    expect(status(good, 'status.revocation')).toBe('undetermined');
  });

  it('no revocation data: undetermined', async () => {
    const r = await verify(fx.files.attached, { revocation: [] });
    expect(r.verdict).toBe('undetermined');
    expect(status(r, 'status.revocation')).toBe('undetermined');
  });

  it('OCSP outside its window, or from an unrelated CA, and a CRL of another CA: undetermined', async () => {
    const late = new Date(fx.at.getTime() + 10 * 60_000);
    const r1 = await verify(fx.files.attached, {
      revocation: [ocsp(fx.files.ocspGoodShortWindow)],
      at: late,
    });
    expect(status(r1, 'status.revocation')).toBe('undetermined');
    const r2 = await verify(fx.files.attached, {
      revocation: [ocsp(fx.files.ocspOtherCa), crl(fx.files.otherCaCrl)],
    });
    expect(r2.verdict).toBe('undetermined');
    expect(r2.revocation.map((a) => a.status)).toEqual(['unusable', 'unusable']);
  });

  it('wrong key usage: cert.key_usage fails', async () => {
    const r = await verify(fx.files.wrongKeyUsage);
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'cert.key_usage')).toBe('failed');
    expect(opensslVerifies(fx.files.wrongKeyUsage)).toBe(false);
  });

  it('missing critical policy: cert.policy fails under jpki-sign, is skipped under x509', async () => {
    const r = await verify(fx.files.noPolicy, { profile: 'jpki-sign' });
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'cert.policy')).toBe('failed');
    const x = await verify(fx.files.noPolicy, { profile: 'x509' });
    expect(x.verdict).toBe('valid');
    expect(status(x, 'cert.policy')).toBe('skipped');
    expect(opensslVerifies(fx.files.noPolicy, { policy: '1.2.392.200149.8.5.1.1.20' })).toBe(false);
    expect(opensslVerifies(fx.files.attached, { policy: '1.2.392.200149.8.5.1.1.20' })).toBe(true);
  });

  it('jpki-auth on a signature certificate: no clientAuth, wrong policy', async () => {
    const r = await verify(fx.files.attached, { profile: 'jpki-auth' });
    expect(status(r, 'cert.key_usage')).toBe('failed');
    expect(status(r, 'cert.policy')).toBe('failed');
  });

  it('signer certificate not included: cms.signer and cms.signature fail', async () => {
    const r = await verify(fx.files.signerNotIncluded);
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'cms.signer')).toBe('failed');
    expect(status(r, 'cms.signature')).toBe('failed');
    expect(status(r, 'cms.message_digest')).toBe('passed');
    expect(status(r, 'status.revocation')).toBe('skipped');
    expect(opensslVerifies(fx.files.signerNotIncluded)).toBe(false);
  });

  it('garbage: cms.decode fails, the standard checks are present as skipped', async () => {
    const r = await verifyJpkiSignature({
      signature: new Uint8Array([0x30, 0x03, 0x02, 0x01]),
      trustAnchors: [anchor()],
      now: fx.at,
    });
    expect(r.verdict).toBe('invalid');
    expect(status(r, 'cms.decode')).toBe('failed');
    expect(status(r, 'cms.signature')).toBe('skipped');
    expect(status(r, 'cert.path')).toBe('skipped');
  });
});
