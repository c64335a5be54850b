/**
 * The one `status.revocation` check (draft-ietf-oauth-status-list-20 §8.3): VALID passes, INVALID and
 * SUSPENDED fail (and say which), and everything that prevents a statement is undetermined — never
 * "valid", never "revoked": fetch failure, bad signature, wrong key, wrong sub, expired list (expiry
 * beats VALID), index out of range, tampered list.
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkReferencedStatus,
  detectTokenFormat,
  type ReferencedStatusCheck,
  StatusList,
  StatusType,
  signStatusListCwt,
  signStatusListJwt,
} from '../src/index.js';
import { hex, loadVector, type TokenExamples } from './vectors.js';

const tokens = loadVector<TokenExamples>('status_list_tokens.json');
const jwk = tokens.exampleSigningKeyJwk;
const publicJwk: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
const URI = 'https://example.com/statuslists/1';
const NOW = new Date('2025-06-24T00:00:00Z');
const CWT = hex(tokens.statusListTokenCwt.hex);
const JWT = tokens.statusListTokenJwt.compact;
// The example list: 1,0,0,1,1,1,0,1,1,1,0,0,0,1,0,1
const VALID_IDX = 10;
const INVALID_IDX = 13;

function expectShape(r: ReferencedStatusCheck, status: string, outcome: string): void {
  expect(r.id).toBe('status.revocation');
  expect(r.status).toBe(status);
  expect(r.outcome).toBe(outcome);
  expect(r.source).toBe(URI);
  expect(r.detail).toContain(URI);
}

describe('with the draft tokens (CWT and JWT)', () => {
  for (const [name, token] of [
    ['CWT', CWT],
    ['JWT', JWT],
  ] as const) {
    describe(name, () => {
      it('VALID entry → passed', async () => {
        const r = await checkReferencedStatus({
          reference: { idx: VALID_IDX, uri: URI },
          token,
          key: publicJwk,
          now: NOW,
        });
        expectShape(r, 'passed', 'valid');
        expect(r.statusValue).toBe(0);
        expect(r.token?.ok).toBe(true);
      });

      it('INVALID entry → failed, revoked; the detail names the list but not the index', async () => {
        const r = await checkReferencedStatus({
          reference: { idx: INVALID_IDX, uri: URI },
          token,
          key: publicJwk,
          now: NOW,
        });
        expectShape(r, 'failed', 'invalid');
        expect(r.detail).toContain('revoked');
        expect(r.detail).not.toContain(String(INVALID_IDX));
      });

      it('expired list → undetermined even where the entry is VALID', async () => {
        const r = await checkReferencedStatus({
          reference: { idx: VALID_IDX, uri: URI },
          token,
          key: publicJwk,
          now: new Date('2043-01-01T00:00:00Z'),
        });
        expectShape(r, 'undetermined', 'unknown');
        expect(r.statusValue).toBeUndefined();
        expect(r.detail).toContain('status_list.expiry');
      });

      it('wrong key → undetermined, even where the entry is INVALID', async () => {
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
        const r = await checkReferencedStatus({
          reference: { idx: INVALID_IDX, uri: URI },
          token,
          key: other,
          now: NOW,
        });
        expectShape(r, 'undetermined', 'unknown');
        expect(r.detail).toContain('status_list.signature');
      });

      it('the list at another URI than the reference (sub mismatch) → undetermined', async () => {
        const other = 'https://example.com/statuslists/2';
        const r = await checkReferencedStatus({
          reference: { idx: INVALID_IDX, uri: other },
          token,
          key: publicJwk,
          now: NOW,
        });
        expect(r.status).toBe('undetermined');
        expect(r.source).toBe(other);
        expect(r.detail).toContain('status_list.subject');
      });

      it('index out of range → undetermined', async () => {
        const r = await checkReferencedStatus({
          reference: { idx: 16, uri: URI },
          token,
          key: publicJwk,
          now: NOW,
        });
        expectShape(r, 'undetermined', 'unknown');
        expect(r.detail).toContain('outside the list (16 entries)');
      });
    });
  }

  it('a tampered CWT → undetermined, not revoked', async () => {
    const bad = CWT.slice();
    bad[bad.length - 5]! ^= 0xff; // inside the signature
    const r = await checkReferencedStatus({
      reference: { idx: INVALID_IDX, uri: URI },
      token: bad,
      key: publicJwk,
      now: NOW,
    });
    expectShape(r, 'undetermined', 'unknown');
  });

  it('a failed fetch → undetermined, never revoked, never valid', async () => {
    const r = await checkReferencedStatus({
      reference: { idx: 0, uri: URI },
      fetchError: 'HTTP 503',
      key: publicJwk,
      now: NOW,
    });
    expectShape(r, 'undetermined', 'unknown');
    expect(r.detail).toContain('HTTP 503');
    const none = await checkReferencedStatus({ reference: { idx: 0, uri: URI }, key: publicJwk, now: NOW });
    expect(none.status).toBe('undetermined');
  });

  it('a JWT given as bytes is detected as JWT', async () => {
    expect(detectTokenFormat(new TextEncoder().encode(JWT))).toBe('jwt');
    expect(detectTokenFormat(CWT)).toBe('cwt');
    const r = await checkReferencedStatus({
      reference: { idx: VALID_IDX, uri: URI },
      token: new TextEncoder().encode(JWT),
      key: publicJwk,
      now: NOW,
    });
    expect(r.status).toBe('passed');
    expect(r.token?.format).toBe('jwt');
  });
});

describe('2-bit lists: SUSPENDED and application-specific values', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const list = StatusList.fromStatuses([StatusType.VALID, StatusType.INVALID, StatusType.SUSPENDED, 3], 2);

  it('SUSPENDED → failed and says suspended; 3 → undetermined (policy decides)', async () => {
    for (const format of ['cwt', 'jwt'] as const) {
      const token =
        format === 'cwt'
          ? await signStatusListCwt({ list, sub: URI, iat: NOW, key: privateKey })
          : await signStatusListJwt({ list, sub: URI, iat: NOW, key: privateKey });
      const check = (idx: number) =>
        checkReferencedStatus({ reference: { idx, uri: URI }, token, key: publicKey, now: NOW });
      const suspended = await check(2);
      expectShape(suspended, 'failed', 'suspended');
      expect(suspended.detail).toContain('suspended');
      expect(suspended.detail).not.toContain('revoked');
      const app = await check(3);
      expectShape(app, 'undetermined', 'other');
      expect(app.detail).toContain('application-specific');
      expectShape(await check(1), 'failed', 'invalid');
      expectShape(await check(0), 'passed', 'valid');
    }
  });

  it('a stale cached copy (older than ttl) → undetermined', async () => {
    const token = await signStatusListCwt({ list, sub: URI, iat: NOW, ttl: 600, key: privateKey });
    const r = await checkReferencedStatus({
      reference: { idx: 0, uri: URI },
      token,
      key: publicKey,
      now: new Date(NOW.getTime() + 3600_000),
      fetchedAt: NOW,
    });
    expectShape(r, 'undetermined', 'unknown');
    expect(r.detail).toContain('status_list.ttl');
  });

  it('now is required', async () => {
    await expect(
      checkReferencedStatus({ reference: { idx: 0, uri: URI }, key: publicKey } as never),
    ).rejects.toThrow(TypeError);
  });
});
