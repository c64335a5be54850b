/**
 * The status reference of a Referenced Token (draft-ietf-oauth-status-list-20 §6): the draft's §6.3
 * CWT Referenced Token (signature checked with the example key), the §6.2 JSON form, and the mdoc MSO
 * `status` member; our CBOR `Status` encodes to exactly the bytes the draft's token carries.
 */
import type { JsonWebKey } from 'node:crypto';
import { decode, encode } from '@mynakit/cbor';
import { decodeSign1, verifySign1 } from '@mynakit/cose';
import { describe, expect, it } from 'vitest';
import {
  buildCborStatus,
  buildJsonStatus,
  CWT_STATUS_CLAIM,
  readStatusListReference,
  StatusListError,
  statusReferenceFromCwtClaims,
  statusReferenceFromJwtPayload,
  statusReferenceFromMso,
} from '../src/index.js';
import { hex, loadVector, type TokenExamples, toHex } from './vectors.js';

const tokens = loadVector<TokenExamples>('status_list_tokens.json');
const jwk = tokens.exampleSigningKeyJwk;
const publicJwk: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
const URI = 'https://example.com/statuslists/1';

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StatusListError);
  expect((caught as StatusListError).code).toBe(code);
}

describe('§6.3 Referenced Token in COSE (the draft example)', () => {
  const sign1 = decodeSign1(hex(tokens.referencedTokenCwt.hex));

  it('is signed by the example key', async () => {
    expect(await verifySign1(sign1, { key: publicJwk })).toBe(true);
  });

  it('claim 65535 holds the status_list reference idx 0 to the example list', () => {
    const claims = decode(sign1.payload!) as Map<unknown, unknown>;
    expect(statusReferenceFromCwtClaims(claims)).toEqual({ idx: 0, uri: URI });
  });

  it('buildCborStatus encodes to exactly the Status bytes in the draft token', () => {
    const ours = toHex(encode(new Map([[CWT_STATUS_CLAIM, buildCborStatus({ idx: 0, uri: URI })]]) as never));
    // The claims map minus its own head: 19ffff followed by the Status map, as printed.
    expect(ours.startsWith('a119ffff')).toBe(true);
    expect(tokens.referencedTokenCwt.hex).toContain(ours.slice(2));
  });
});

describe('JSON (§6.2) and mdoc MSO forms', () => {
  it('reads the §6.2 example payload', () => {
    const payload = { iss: 'https://example.com', status: { status_list: { idx: 0, uri: URI } } };
    expect(statusReferenceFromJwtPayload(payload)).toEqual({ idx: 0, uri: URI });
    expect(buildJsonStatus({ idx: 0, uri: URI })).toEqual(payload.status);
  });

  it('reads an MSO status member, with the optional ISO 18013-5 certificate', () => {
    const cert = new Uint8Array([0x30, 0x82]);
    const status = buildCborStatus({ idx: 4711, uri: 'https://issuer.example/mnc/1', certificate: cert });
    const mso = new Map<unknown, unknown>([
      ['version', '1.0'],
      ['status', decode(encode(status as never))],
    ]);
    expect(statusReferenceFromMso(mso)).toEqual({
      idx: 4711,
      uri: 'https://issuer.example/mnc/1',
      certificate: cert,
    });
  });

  it('no status, or a status naming another mechanism only: undefined', () => {
    expect(statusReferenceFromMso(new Map([['version', '1.0']]))).toBeUndefined();
    expect(readStatusListReference(new Map([['identifier_list', new Map()]]))).toBeUndefined();
    expect(statusReferenceFromJwtPayload({ iss: 'x' })).toBeUndefined();
  });

  it('malformed references fail with STATUS_LIST_REFERENCE', () => {
    const bad: unknown[] = [
      'status',
      new Map([['status_list', [0, URI]]]),
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', -1],
            ['uri', URI],
          ]),
        ],
      ]),
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', '0'],
            ['uri', URI],
          ]),
        ],
      ]),
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', 2n ** 64n],
            ['uri', URI],
          ]),
        ],
      ]),
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', 1.5],
            ['uri', URI],
          ]),
        ],
      ]),
      new Map([['status_list', new Map<string, unknown>([['idx', 0]])]]),
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', 0],
            ['uri', 'not a uri'],
          ]),
        ],
      ]),
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', 0],
            ['uri', URI],
            ['certificate', 'PEM'],
          ]),
        ],
      ]),
      { status_list: { idx: 0, uri: 7 } },
    ];
    for (const status of bad) expectCode(() => readStatusListReference(status), 'STATUS_LIST_REFERENCE');
  });

  it('the builders refuse bad references (programmer errors)', () => {
    expect(() => buildCborStatus({ idx: -1, uri: URI })).toThrow(RangeError);
    expect(() => buildJsonStatus({ idx: 0, uri: 'relative/path' })).toThrow(RangeError);
  });
});
