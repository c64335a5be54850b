/**
 * The COSE general rules (RFC 9052 §3, §3.1; RFC 9360 §2) on a CWT Status List Token, starting from
 * the draft §5.2 example token and its example key: a token a verifier may not rely on says nothing
 * about a status (§8.3: "If any of these checks fails, no statement about the status of the
 * Referenced Token can be made").
 */
import { createPrivateKey, type JsonWebKey, sign } from 'node:crypto';
import { type CborMap, type CborValue, decode, encode, Tagged } from '@mynakit/cbor';
import { sigStructure1 } from '@mynakit/cose';
import { describe, expect, it } from 'vitest';
import {
  checkReferencedStatus,
  type StatusListTokenVerification,
  verifyStatusListCwt,
} from '../src/index.js';
import { hex, loadVector, type TokenExamples } from './vectors.js';

const tokens = loadVector<TokenExamples>('status_list_tokens.json');
const jwk = tokens.exampleSigningKeyJwk;
const publicJwk: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
const privateKey = createPrivateKey({ key: { ...publicJwk, d: jwk.d }, format: 'jwk' });
const NOW = new Date('2025-06-24T00:00:00Z');
const URI = 'https://example.com/statuslists/1';
const CWT = hex(tokens.statusListTokenCwt.hex);
const statusOf = (v: StatusListTokenVerification, id: string) => v.report.checks.find((c) => c.id === id);

/** The example token's parts. */
function parts(): {
  protectedMap: CborMap;
  unprotected: CborMap;
  payload: Uint8Array;
  signature: Uint8Array;
} {
  const [p, u, payload, signature] = (decode(CWT) as Tagged).value as [
    Uint8Array,
    CborMap,
    Uint8Array,
    Uint8Array,
  ];
  return { protectedMap: decode(p) as CborMap, unprotected: u, payload, signature };
}

/** The example's claims signed again with the example key under another protected header. */
function resigned(change: (protectedMap: CborMap) => void, unprotected?: CborMap): Uint8Array {
  const x = parts();
  change(x.protectedMap);
  const p = encode(x.protectedMap);
  const sig = sign('sha256', sigStructure1(p, new Uint8Array(0), x.payload), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return encode(new Tagged(18, [p, unprotected ?? x.unprotected, x.payload, new Uint8Array(sig)]));
}

describe('crit on a Status List Token (RFC 9052 §3.1)', () => {
  it('typ (16), which the verifier checks, may be critical', async () => {
    const v = await verifyStatusListCwt(
      resigned((p) => p.set(2, [16])),
      { key: publicJwk, now: NOW },
    );
    expect(v.ok).toBe(true);
  });

  it('a critical label the verifier does not process makes the token unusable', async () => {
    const v = await verifyStatusListCwt(
      resigned((p) => {
        p.set(2, [-70000]);
        p.set(-70000, 'unknown');
      }),
      { key: publicJwk, now: NOW },
    );
    expect(v.ok).toBe(false);
    expect(statusOf(v, 'status_list.signature')?.status).toBe('failed');
    expect(statusOf(v, 'status_list.signature')?.detail).toMatch(/crit/);
  });

  it('crit in the unprotected bucket of the draft example fails it, though its signature holds', async () => {
    const x = parts();
    const moved = encode(
      new Tagged(18, [
        encode(x.protectedMap),
        new Map<CborValue, CborValue>([...x.unprotected, [2, [16]]]),
        x.payload,
        x.signature,
      ]),
    );
    const v = await verifyStatusListCwt(moved, { key: publicJwk, now: NOW });
    expect(v.ok).toBe(false);
    expect(statusOf(v, 'status_list.signature')?.status).toBe('failed');
  });

  it('status.revocation from such a token is undetermined — never passed', async () => {
    const token = resigned((p) => {
      p.set(2, [-70000]);
      p.set(-70000, 1);
    });
    const c = await checkReferencedStatus({
      reference: { idx: 0, uri: URI },
      token,
      key: publicJwk,
      now: NOW,
    });
    expect(c.status).toBe('undetermined');
  });
});

describe('x5chain in both buckets (RFC 9052 §3)', () => {
  it('two different chains: the token is refused with the reason, not taken as chainless', async () => {
    const a = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    const b = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x02]);
    const token = resigned((p) => p.set(33, a), new Map<CborValue, CborValue>([[33, b]]));
    const v = await verifyStatusListCwt(token, { trustAnchors: [], now: NOW });
    expect(v.ok).toBe(false);
    const failed = v.report.checks.filter((c) => c.status === 'failed').map((c) => c.detail);
    expect(failed.join(' ')).toMatch(/x5chain/);
  });
});
