/**
 * A hostile CMS: its certificate set holds many CA certificates that share the signer's issuer name (each
 * a valid issuer of the signer and of every other one) and never reach an anchor. Path building must end
 * within @mynakit/pki's work budget, and `cert.path` must say that it was the budget that ran out
 * (PATH_BUDGET_EXHAUSTED), not that no anchor exists.
 */
import { createCertificate, generateKeyPair, parseCertificate, signCms } from '@mynakit/pki';
import { describe, expect, it } from 'vitest';
import { createJpkiCaCertificate, verifyJpkiSignature } from '../src/index.js';

const N = 50;
const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2030-01-01T00:00:00Z');
const NOW = new Date('2026-03-01T00:00:00Z');

describe('cert.path under a certificate set built to exhaust path building', () => {
  it(`${N} same-named issuers in the CMS: cert.path fails with the budget's reason`, async () => {
    const loopKey = generateKeyPair('P-256');
    const loopCas = Array.from({ length: N }, (_, i) =>
      parseCertificate(
        createCertificate({
          subject: 'C=JP, O=Loop CA',
          publicKey: loopKey.publicKey,
          privateKey: loopKey.privateKey,
          serialNumber: (0x1000 + i).toString(16),
          notBefore: NOT_BEFORE,
          notAfter: NOT_AFTER,
          extensions: [
            { type: 'basicConstraints', ca: true },
            { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
          ],
        }),
      ),
    );
    const signerKey = generateKeyPair('P-256');
    const signer = parseCertificate(
      createCertificate({
        subject: 'C=JP, CN=Loop Signer',
        issuer: { certificate: loopCas[0]!, privateKey: loopKey.privateKey },
        publicKey: signerKey.publicKey,
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
        extensions: [{ type: 'keyUsage', usages: ['digitalSignature'] }],
      }),
    );
    const signature = signCms({
      content: new TextEncoder().encode('loop'),
      detached: false,
      signer: { certificate: signer, privateKey: signerKey.privateKey },
      certificates: loopCas,
      signingTime: NOW,
    });
    const anchorKey = generateKeyPair('RSA-2048');
    const anchor = parseCertificate(
      createJpkiCaCertificate({
        purpose: 'signature',
        publicKey: anchorKey.publicKey,
        privateKey: anchorKey.privateKey,
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
      }),
    );
    const report = await verifyJpkiSignature({ signature, trustAnchors: [anchor], now: NOW });
    const path = report.checks.find((c) => c.id === 'cert.path');
    expect(path?.status).toBe('failed');
    expect(path?.detail).toMatch(/^PATH_BUDGET_EXHAUSTED: .*budget/);
    expect(report.checks.find((c) => c.id === 'cms.signature')?.status).toBe('passed');
    expect(report.verdict).toBe('invalid');
  });
});
