/**
 * Path building under attacker-supplied candidates: the work is bounded by a budget of candidate edges
 * and signature checks (counted, never timed), duplicates count once, and running out of budget is a
 * failure with its own code, never a success and never an endless search.
 */
import { describe, expect, it } from 'vitest';
import {
  type Certificate,
  createCertificate,
  PATH_BUILDING_BUDGET,
  parseCertificate,
  validateCertificatePath,
} from '../src/index.js';
import {
  caExtensions,
  intermediate,
  keysFor,
  leaf,
  NOT_AFTER,
  NOT_BEFORE,
  NOW,
  root,
} from './helpers/chain.js';

const anchor = root('CN=Budget Root, C=JP');
const loopKeys = keysFor('loop-ca');

/**
 * `n` distinct CA certificates named `CN=Loop CA`, issued by `CN=Loop CA` under one key: each is a valid
 * issuer of the end certificate and of every other one, and none leads to an anchor.
 */
function loopCas(n: number): Certificate[] {
  const out: Certificate[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      parseCertificate(
        createCertificate({
          subject: 'CN=Loop CA',
          publicKey: loopKeys.publicKey,
          privateKey: loopKeys.privateKey,
          serialNumber: (1000 + i).toString(16),
          notBefore: NOT_BEFORE,
          notAfter: NOT_AFTER,
          extensions: caExtensions(),
        }),
      ),
    );
  return out;
}

const loopLeaf = parseCertificate(
  createCertificate({
    subject: 'CN=Loop Leaf',
    issuer: { certificate: loopCas(1)[0]!, privateKey: loopKeys.privateKey },
    publicKey: keysFor('loop-leaf').publicKey,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
  }),
);

describe('path building has a work budget', () => {
  it('states its default budget as constants', () => {
    expect(PATH_BUILDING_BUDGET.maxCandidateEdges).toBeGreaterThan(0);
    expect(PATH_BUILDING_BUDGET.maxSignatureChecks).toBeGreaterThan(0);
  });

  it('stops 50 same-named issuers that never reach an anchor within the budget (PATH_BUDGET_EXHAUSTED)', () => {
    const r = validateCertificatePath({
      leaf: loopLeaf,
      intermediates: loopCas(50),
      trustAnchors: [anchor.cert],
      now: NOW,
    });
    expect(r.ok).toBe(false);
    expect(r.failure?.code).toBe('PATH_BUDGET_EXHAUSTED');
    const build = r.checks.find((c) => c.id === 'path.build');
    expect(build?.status).toBe('failed');
    expect(build?.detail).toContain('budget');
    expect(r.work.candidateEdges).toBeLessThanOrEqual(PATH_BUILDING_BUDGET.maxCandidateEdges);
    expect(r.work.signatureChecks).toBeLessThanOrEqual(PATH_BUILDING_BUDGET.maxSignatureChecks);
  });

  it('the same certificate given many times is one candidate', () => {
    const one = loopCas(1)[0]!;
    const copies = Array.from({ length: 200 }, () => parseCertificate(new Uint8Array(one.der)));
    const r = validateCertificatePath({
      leaf: loopLeaf,
      intermediates: copies,
      trustAnchors: [anchor.cert],
      now: NOW,
    });
    expect(r.failure?.code).toBe('PATH_NO_ANCHOR');
    // leaf → Loop CA, and Loop CA → itself (already on the path): two candidate edges, one signature
    expect(r.work.candidateEdges).toBe(2);
    expect(r.work.signatureChecks).toBe(1);
  });

  it('the budget can be set by the caller', () => {
    const small = validateCertificatePath({
      leaf: loopLeaf,
      intermediates: loopCas(5),
      trustAnchors: [anchor.cert],
      now: NOW,
      budget: { maxSignatureChecks: 3 },
    });
    expect(small.failure?.code).toBe('PATH_BUDGET_EXHAUSTED');
    expect(small.work.signatureChecks).toBeLessThanOrEqual(3);
    const edges = validateCertificatePath({
      leaf: loopLeaf,
      intermediates: loopCas(5),
      trustAnchors: [anchor.cert],
      now: NOW,
      budget: { maxCandidateEdges: 4 },
    });
    expect(edges.failure?.code).toBe('PATH_BUDGET_EXHAUSTED');
    expect(edges.work.candidateEdges).toBeLessThanOrEqual(4);
  });

  it('a good path is found first and costs one edge and one signature per link', () => {
    const i = intermediate('CN=Budget Int, C=JP', anchor);
    const l = leaf('CN=Budget Leaf', i);
    const r = validateCertificatePath({
      leaf: l.cert,
      intermediates: [i.cert],
      trustAnchors: [anchor.cert],
      now: NOW,
    });
    expect(r.ok).toBe(true);
    expect(r.work).toEqual({ candidateEdges: 2, signatureChecks: 2 });
  });

  it('candidates whose signature fails are not followed further', () => {
    // 20 same-named CAs that did not sign the end certificate: one signature check each, no deeper search
    const strangers: Certificate[] = [];
    const k = keysFor('stranger');
    for (let i = 0; i < 20; i++)
      strangers.push(
        parseCertificate(
          createCertificate({
            subject: 'CN=Loop CA',
            publicKey: k.publicKey,
            privateKey: k.privateKey,
            serialNumber: (5000 + i).toString(16),
            notBefore: NOT_BEFORE,
            notAfter: NOT_AFTER,
            extensions: caExtensions(),
          }),
        ),
      );
    const r = validateCertificatePath({
      leaf: loopLeaf,
      intermediates: strangers,
      trustAnchors: [anchor.cert],
      now: NOW,
    });
    expect(r.failure?.code).toBe('PATH_SIGNATURE');
    expect(r.work).toEqual({ candidateEdges: 20, signatureChecks: 20 });
  });
});
