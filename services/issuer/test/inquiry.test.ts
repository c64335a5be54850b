/**
 * POST /inquiry: client authentication (401 for none or a wrong secret, 403 without the role), the four
 * answers — valid, suspended (hold), invalid (revoked, or past validity), unknown (no such record, never
 * "invalid") — and the evidence: a COSE_Sign1 CWT that verifies under the status-list signer's certificate
 * and states exactly the digest, status, instant, client and issuer.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { decode } from '@mynakit/cbor';
import { decodeSign1, HeaderLabel, verifySign1 } from '@mynakit/cose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INQUIRY_EVIDENCE_TYP, InquiryClaim } from '../src/inquiry/inquiry-evidence.js';
import type { NewCredential } from '../src/store/index.js';
import {
  type IssuerFixture,
  issuerFixture,
  NOW,
  ORIGIN,
  pendingInstallation,
} from './helpers/oid4vci-fixture.js';
import { createRpClient, type TestRpClient } from './helpers/rp-client.js';

let f: IssuerFixture;
let client: TestRpClient;
beforeAll(async () => {
  f = await issuerFixture();
  client = await createRpClient(f.store, ['inquiry']);
});
afterAll(async () => {
  await f?.close();
});

/** An active installation holding a record with this digest, valid until `notAfter`. */
async function recordWithDigest(notAfter = NOW.getTime() + 86_400_000) {
  const msoDigest = createHash('sha256').update(randomBytes(16)).digest('hex');
  const pending = await pendingInstallation(f, 'android');
  const credentials: NewCredential[] = [
    {
      kind: 'jpki-sign',
      serial: `7${randomBytes(8).toString('hex')}`,
      notAfter,
      bytes: new Uint8Array([0x30, 0]),
    },
    {
      kind: 'jpki-auth',
      serial: `7${randomBytes(8).toString('hex')}`,
      notAfter,
      bytes: new Uint8Array([0x30, 0]),
    },
    { kind: 'mdoc', msoDigest, notAfter, bytes: new Uint8Array([0xa0]) },
  ];
  const done = await f.store.installations.complete(pending.installationId, credentials, {
    now: NOW.getTime(),
  });
  const id = done.credentials.find((c) => c.kind === 'mdoc')?.id as string;
  return { msoDigest, id };
}

async function inquire(body: unknown, authorization: string | null = client.authorization) {
  const res = await f.app.request('/inquiry', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, string>, text, headers: res.headers };
}

async function evidenceOf(answer: string) {
  const sign1 = decodeSign1(decode(Buffer.from(answer, 'base64url')));
  const signer = new X509Certificate(f.hierarchy.mnc.statusListSigner.der);
  const valid = await verifySign1(sign1, { key: signer.publicKey });
  const claims = decode(sign1.payload as Uint8Array) as Map<unknown, unknown>;
  return { sign1, valid, claims };
}

describe('POST /inquiry', () => {
  it('401 without or with wrong credentials, 403 for a client without the role', async () => {
    const { msoDigest } = await recordWithDigest();
    const none = await inquire({ msoDigest }, null);
    expect(none.status).toBe(401);
    expect(none.json.code).toBe('ISSUER_UNAUTHORIZED');
    const wrong = await inquire(
      { msoDigest },
      `Basic ${Buffer.from(`${client.clientId}:not-the-secret`).toString('base64')}`,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe(none.text);
    const insurer = await createRpClient(f.store, ['insurance']);
    const forbidden = await inquire({ msoDigest }, insurer.authorization);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.code).toBe('ISSUER_FORBIDDEN');
  });

  it('valid: an active record; the evidence verifies under the status-list signer and says only that', async () => {
    const { msoDigest } = await recordWithDigest();
    const res = await inquire({ msoDigest: msoDigest.toUpperCase() });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.status).toBe('valid');
    expect(res.json.checkedAt).toBe(NOW.toISOString());
    const { sign1, valid, claims } = await evidenceOf(res.json.answer as string);
    expect(valid).toBe(true);
    expect(sign1.tagged).toBe(true);
    expect(sign1.protectedHeaders.get(HeaderLabel.alg)).toBe(-7);
    expect(sign1.protectedHeaders.get(HeaderLabel.typ)).toBe(INQUIRY_EVIDENCE_TYP);
    expect(
      Buffer.from(sign1.x5chain[0] as Uint8Array).equals(Buffer.from(f.hierarchy.mnc.statusListSigner.der)),
    ).toBe(true);
    // Deterministic encoding (RFC 8949 §4.2.1) orders the keys; the set is what matters.
    expect(new Set(claims.keys())).toEqual(new Set([1, 3, 6, 'mso_digest', 'status']));
    expect(claims.get(InquiryClaim.iss)).toBe(ORIGIN);
    expect(claims.get(InquiryClaim.aud)).toBe(client.clientId);
    expect(claims.get(InquiryClaim.iat)).toBe(NOW.getTime() / 1000);
    expect(Buffer.from(claims.get(InquiryClaim.msoDigest) as Uint8Array).toString('hex')).toBe(msoDigest);
    expect(claims.get(InquiryClaim.status)).toBe('valid');
  });

  it('suspended on hold, invalid once revoked or past its validity', async () => {
    const held = await recordWithDigest();
    await f.store.revocations.revoke([held.id], 'certificateHold', NOW.getTime());
    const s = await inquire({ msoDigest: held.msoDigest });
    expect(s.json.status).toBe('suspended');
    expect((await evidenceOf(s.json.answer as string)).claims.get('status')).toBe('suspended');

    await f.store.revocations.revoke([held.id], 'affiliationChanged', NOW.getTime());
    expect((await inquire({ msoDigest: held.msoDigest })).json.status).toBe('invalid');

    const expired = await recordWithDigest(NOW.getTime() - 1);
    const e = await inquire({ msoDigest: expired.msoDigest });
    expect(e.json.status).toBe('invalid');
    expect((await evidenceOf(e.json.answer as string)).valid).toBe(true);
  });

  it('unknown for a digest of no record (not invalid)', async () => {
    const res = await inquire({ msoDigest: 'ab'.repeat(32) });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('unknown');
    expect((await evidenceOf(res.json.answer as string)).claims.get('status')).toBe('unknown');
  });

  it('400 for anything but one 64-hex msoDigest, without echoing it; 413 past the body limit', async () => {
    for (const body of [{ msoDigest: 'xyz' }, { msoDigest: 'ab'.repeat(32), name: '番号　花子' }, {}, '[]']) {
      const res = await inquire(body);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('ISSUER_INVALID_BODY');
      expect(res.text).not.toContain('番号');
    }
    const big = await inquire({ msoDigest: 'ab'.repeat(32), pad: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
  });
});
