import { createPublicKey, generateKeyPairSync, type JsonWebKey as NodeJwk } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toP256PublicJwk } from '../src/ec-keys.js';

const P = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex');

/** node:crypto's own JWK import, the reference the conversion must agree with. */
function imported(x: unknown, y: unknown): { x: string; y: string } | 'refused' {
  try {
    const out = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x, y } as NodeJwk,
      format: 'jwk',
    }).export({
      format: 'jwk',
    });
    return { x: out.x as string, y: out.y as string };
  } catch {
    return 'refused';
  }
}

function converted(x: unknown, y: unknown): { x: string; y: string } | string {
  try {
    const out = toP256PublicJwk({ kty: 'EC', crv: 'P-256', x, y } as JsonWebKey);
    return { x: out.x, y: out.y };
  } catch (e) {
    return (e as { code: string }).code;
  }
}

describe('toP256PublicJwk', () => {
  it('accepts and refuses exactly what node:crypto’s JWK import does, refusals as KEY_INVALID', () => {
    for (let i = 0; i < 40; i++) {
      const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
      const x = Buffer.from(jwk.x as string, 'base64url');
      const y = Buffer.from(jwk.y as string, 'base64url');
      const flipped = Buffer.from(y);
      flipped[31] = (flipped[31] as number) ^ 1;
      const cases: [unknown, unknown][] = [
        [jwk.x, jwk.y],
        [jwk.x, flipped.toString('base64url')], // off the curve
        [Buffer.concat([Buffer.alloc(2), x]).toString('base64url'), jwk.y], // leading zeros
        [x.toString('base64'), `${jwk.y}=`], // base64 alphabet, padding
        [P.toString('base64url'), jwk.y], // x = p
        [Buffer.concat([Buffer.from([1]), x]).toString('base64url'), jwk.y], // 33 bytes
        [jwk.x, undefined],
        [jwk.x, 7],
        ['', ''],
      ];
      for (const [cx, cy] of cases) {
        const reference = imported(cx, cy);
        expect(converted(cx, cy)).toEqual(reference === 'refused' ? 'KEY_INVALID' : reference);
      }
    }
  });

  it('takes the 65-byte uncompressed point and refuses one off the curve', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = new Uint8Array([
      4,
      ...Buffer.from(jwk.x as string, 'base64url'),
      ...Buffer.from(jwk.y as string, 'base64url'),
    ]);
    expect(toP256PublicJwk(point)).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    expect(toP256PublicJwk(publicKey)).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    point[64] = (point[64] as number) ^ 1;
    expect(() => toP256PublicJwk(point)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => toP256PublicJwk(point.subarray(1))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
  });
});
