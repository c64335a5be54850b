/**
 * Every field of an Authorization Request is the verifier's text (OpenID4VP 1.0 §5.1, §11.1
 * client_metadata). A wallet that reads one must answer with one of the error codes §8.5 lists — a
 * typed Oid4vpError — whatever JSON value sits in any field: never a TypeError or RangeError that
 * escapes as a crash. The same holds for what the wallet derives from an accepted request (the
 * SessionTranscript, the encrypted response).
 */

import fc from 'fast-check';
import { exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { Oid4vpError } from '../src/errors.js';
import { validateAuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import { createAuthorizationResponse } from '../src/openid4vp/authorization-response.js';
import { sessionTranscriptForRequest } from '../src/openid4vp/session-transcript.js';
import { p256 } from './helpers/fixtures.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const encKey = { ...(await exportJWK(p256().publicKey)), kid: 'enc-1', use: 'enc', alg: 'ECDH-ES' };

/** A well-formed request of each response mode, as JSON (the form a wallet receives). */
function base(mode: 'direct_post' | 'direct_post.jwt' | 'dc_api' | 'dc_api.jwt'): Record<string, unknown> {
  const dc = mode.startsWith('dc_api');
  const jwt = mode.endsWith('.jwt');
  return {
    response_type: 'vp_token',
    response_mode: mode,
    ...(dc ? {} : { client_id: 'x509_san_dns:rp.example', response_uri: 'https://rp.example/r' }),
    nonce: 'n-0S6_WzA2Mj',
    state: 's-1',
    dcql_query: {
      credentials: [
        {
          id: 'mnc',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [{ path: ['org.iso.23220.1.jp', 'full_name_unicode'], intent_to_retain: false }],
        },
      ],
    },
    client_metadata: {
      vp_formats_supported: { mso_mdoc: { issuerauth_alg_values: [-7], deviceauth_alg_values: [-7] } },
      ...(jwt ? { jwks: { keys: [encKey] }, encrypted_response_enc_values_supported: ['A128GCM'] } : {}),
      client_name: 'RP',
    },
    ...(dc ? { expected_origins: ['https://rp.example'] } : {}),
  };
}

/** Sets `value` at `path` (creating objects on the way); `undefined` deletes. */
function withField(req: Record<string, unknown>, path: readonly (string | number)[], value: unknown) {
  const copy = structuredClone(req);
  let o: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = o[key];
    if (typeof next !== 'object' || next === null) o[key] = {};
    o = o[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete o[last];
  else o[last] = value;
  return JSON.parse(JSON.stringify(copy)) as Record<string, unknown>;
}

/** Accepted, or refused with a typed error; then what a wallet derives from it does the same. */
async function typedOutcome(req: unknown): Promise<string> {
  const typed = (e: unknown) => {
    if (!(e instanceof Oid4vpError)) throw e;
    return e.code;
  };
  let request: ReturnType<typeof validateAuthorizationRequest>;
  try {
    request = validateAuthorizationRequest(req);
  } catch (e) {
    return typed(e);
  }
  try {
    await sessionTranscriptForRequest(request, { origin: 'https://rp.example' });
    await createAuthorizationResponse(request, { mnc: ['AA'] });
  } catch (e) {
    return typed(e);
  }
  return 'accepted';
}

describe('null and ill-typed client_metadata members', () => {
  // §11.1: vp_formats_supported "An object containing a list of name/value pairs"; jwks a JWK Set
  // (RFC 7517 §5); encrypted_response_enc_values_supported an array of JWE enc strings.
  const cases: [string, readonly (string | number)[], unknown, string][] = [
    ['vp_formats_supported null', ['client_metadata', 'vp_formats_supported'], null, 'invalid_request'],
    [
      'vp_formats_supported a string',
      ['client_metadata', 'vp_formats_supported'],
      'mso_mdoc',
      'invalid_request',
    ],
    [
      'vp_formats_supported an array',
      ['client_metadata', 'vp_formats_supported'],
      ['mso_mdoc'],
      'invalid_request',
    ],
    ['mso_mdoc null', ['client_metadata', 'vp_formats_supported', 'mso_mdoc'], null, 'invalid_request'],
    ['jwks null', ['client_metadata', 'jwks'], null, 'invalid_request'],
    ['jwks.keys holding null', ['client_metadata', 'jwks', 'keys'], [null], 'invalid_request'],
    ['jwks.keys holding a number', ['client_metadata', 'jwks', 'keys'], [7], 'invalid_request'],
    [
      'enc values null',
      ['client_metadata', 'encrypted_response_enc_values_supported'],
      null,
      'invalid_request',
    ],
    [
      'enc values a string',
      ['client_metadata', 'encrypted_response_enc_values_supported'],
      'A128GCM',
      'invalid_request',
    ],
    [
      'enc values holding null',
      ['client_metadata', 'encrypted_response_enc_values_supported'],
      [null],
      'invalid_request',
    ],
    ['client_name a number', ['client_metadata', 'client_name'], 7, 'invalid_request'],
    ['iat a string', ['iat'], 'now', 'invalid_request'],
    ['exp an object', ['exp'], {}, 'invalid_request'],
  ];
  for (const [name, path, value, code] of cases) {
    it(`${name} → ${code}`, async () => {
      expect(await typedOutcome(withField(base('dc_api.jwt'), path, value))).toBe(code);
    });
  }

  it('a key the wallet cannot import is KEY_INVALID, not a JOSE error', async () => {
    const bad = { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', use: 'enc', alg: 'ECDH-ES' };
    expect(
      await typedOutcome(withField(base('dc_api.jwt'), ['client_metadata', 'jwks', 'keys'], [bad])),
    ).toBe('KEY_INVALID');
    expect(
      await typedOutcome(withField(base('direct_post.jwt'), ['client_metadata', 'jwks', 'keys'], [bad])),
    ).toBe('KEY_INVALID');
  });

  it('the well-formed requests are accepted', async () => {
    for (const mode of ['direct_post', 'direct_post.jwt', 'dc_api', 'dc_api.jwt'] as const) {
      expect(await typedOutcome(base(mode))).toBe('accepted');
    }
  });
});

describe('fuzz: any JSON value in any field → accepted or a typed error', () => {
  const fields: readonly (readonly (string | number)[])[] = [
    ['response_type'],
    ['response_mode'],
    ['client_id'],
    ['response_uri'],
    ['redirect_uri'],
    ['nonce'],
    ['state'],
    ['wallet_nonce'],
    ['aud'],
    ['iat'],
    ['exp'],
    ['expected_origins'],
    ['expected_origins', 0],
    ['transaction_data'],
    ['dcql_query'],
    ['dcql_query', 'credentials'],
    ['dcql_query', 'credentials', 0],
    ['dcql_query', 'credentials', 0, 'id'],
    ['dcql_query', 'credentials', 0, 'meta'],
    ['dcql_query', 'credentials', 0, 'claims', 0, 'path'],
    ['dcql_query', 'credentials', 0, 'claims', 0, 'values'],
    ['dcql_query', 'credential_sets'],
    ['client_metadata'],
    ['client_metadata', 'vp_formats_supported'],
    ['client_metadata', 'vp_formats_supported', 'mso_mdoc'],
    ['client_metadata', 'jwks'],
    ['client_metadata', 'jwks', 'keys'],
    ['client_metadata', 'jwks', 'keys', 0],
    ['client_metadata', 'jwks', 'keys', 0, 'kty'],
    ['client_metadata', 'jwks', 'keys', 0, 'crv'],
    ['client_metadata', 'jwks', 'keys', 0, 'x'],
    ['client_metadata', 'jwks', 'keys', 0, 'alg'],
    ['client_metadata', 'jwks', 'keys', 0, 'use'],
    ['client_metadata', 'jwks', 'keys', 0, 'kid'],
    ['client_metadata', 'encrypted_response_enc_values_supported'],
    ['client_metadata', 'encrypted_response_enc_values_supported', 0],
    ['client_metadata', 'client_name'],
    ['client_metadata', 'logo_uri'],
  ];
  const hostile = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, undefined, '', 0, -1, 1e300, [], {}, [null], { mso_mdoc: null }),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'https://rp.example/x'),
    // Plausible values, so that more mutated requests are accepted and reach the derivations.
    fc.constantFrom('A128GCM', 'A256GCM', ['A256GCM', 'x'], 'ECDH-ES', 'enc', 'sig', 'EC', 'P-256', 'AAAA'),
  );
  const mutation = fc.tuple(fc.constantFrom(...fields), hostile);

  it('never throws an untyped error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('direct_post', 'direct_post.jwt', 'dc_api', 'dc_api.jwt' as const),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (mode, mutations) => {
          let req = base(mode);
          for (const [path, value] of mutations) req = withField(req, path, value);
          const outcome = await typedOutcome(req);
          expect(typeof outcome).toBe('string');
        },
      ),
      { seed: 20260611, numRuns: 300 },
    );
  });
});
