/**
 * verifyJpkiSignature's options are the relying party's configuration: a missing option, or a trust
 * anchor that is not a parsed Certificate, throws JpkiError INVALID_ARGUMENT naming it — never a
 * TypeError, and never a verdict about the signature (which only speaks of the received CMS).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createCertificate, parseCertificate } from '@mynakit/pki';
import { describe, expect, it } from 'vitest';
import { JpkiError, verifyJpkiSignature } from '../src/index.js';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const anchor = parseCertificate(
  createCertificate({
    subject: [[{ type: 'CN', value: 'anchor' }]],
    publicKey: key.publicKey,
    privateKey: key.privateKey,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    extensions: [{ type: 'basicConstraints', ca: true }],
  }),
);
const now = new Date('2026-01-01T00:00:00Z');
const signature = Uint8Array.of(0x30, 0x00);

async function rejection(p: () => Promise<unknown>): Promise<JpkiError> {
  try {
    await p();
  } catch (e) {
    expect(e).toBeInstanceOf(JpkiError);
    return e as JpkiError;
  }
  throw new Error('expected a JpkiError');
}

const call = (o: unknown) => () => (verifyJpkiSignature as (o: unknown) => Promise<unknown>)(o);

describe('verifyJpkiSignature options', () => {
  it('no options at all: INVALID_ARGUMENT naming what is required, not a TypeError', async () => {
    const e = await rejection(call(undefined));
    expect(e.code).toBe('INVALID_ARGUMENT');
    for (const name of ['signature', 'trustAnchors', 'now']) expect(e.message).toContain(name);
  });

  it.each([
    ['signature', { trustAnchors: [anchor], now }],
    ['trustAnchors', { signature, now }],
    ['now', { signature, trustAnchors: [anchor] }],
  ])('missing %s: INVALID_ARGUMENT naming it', async (name, o) => {
    const e = await rejection(call(o));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain(`options.${name} is missing`);
  });

  it.each([
    ['signature as text', { signature: '-----BEGIN CMS-----', trustAnchors: [anchor], now }, 'signature'],
    ['an invalid Date', { signature, trustAnchors: [anchor], now: new Date('x') }, 'now'],
    ['trustAnchors not an array', { signature, trustAnchors: anchor, now }, 'trustAnchors'],
    ['an anchor given as DER bytes', { signature, trustAnchors: [anchor.der], now }, 'trustAnchors[0]'],
    ['an anchor given as PEM text', { signature, trustAnchors: [anchor, 'PEM'], now }, 'trustAnchors[1]'],
    ['content not bytes', { signature, content: 'x', trustAnchors: [anchor], now }, 'content'],
    ['an unknown profile', { signature, trustAnchors: [anchor], now, profile: 'jpki' }, 'profile'],
    [
      'certificates not parsed',
      { signature, trustAnchors: [anchor], now, certificates: [{}] },
      'certificates[0]',
    ],
    ['revocation not an array', { signature, trustAnchors: [anchor], now, revocation: {} }, 'revocation'],
  ])('%s: INVALID_ARGUMENT naming the option', async (_name, o, where) => {
    const e = await rejection(call(o));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain(`options.${where}`);
  });

  it('a malformed CMS with good options is still a report, not an error', async () => {
    const r = await verifyJpkiSignature({ signature, trustAnchors: [anchor], now });
    expect(r.verdict).toBe('invalid');
    expect(r.checks.find((c) => c.id === 'cms.decode')?.status).toBe('failed');
  });
});
