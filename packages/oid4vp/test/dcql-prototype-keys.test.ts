/**
 * DCQL and vp_token with keys that name inherited members (`__proto__`, `constructor`, `prototype`,
 * `toString`…). A query is text chosen by the other party: a wallet evaluates the verifier's query, a
 * verifier reads the wallet's vp_token. Neither may let that text reach Object.prototype or read an
 * inherited member as if the other party had sent it. `JSON.parse('{"__proto__":…}')` makes an own
 * property named `__proto__`: exactly what arrives on the wire.
 */

import { prototypeChanges, restorePrototypes, snapshotPrototypes } from '@mynakit/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from '../src/openid4vp/authorization-request.js';
import { parseAuthorizationResponse } from '../src/openid4vp/authorization-response.js';
import {
  type HeldDocument,
  matchDcqlQuery,
  selectForDcqlQuery,
  unmetCredentialQueries,
} from '../src/openid4vp/dcql-match.js';
import { type DcqlQuery, requestedElements, validateDcqlQuery } from '../src/openid4vp/dcql-query.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const JP = 'org.iso.23220.1.jp';

const card: HeldDocument = {
  id: 'card-1',
  docType: MNC,
  elements: { [JP]: { full_name_unicode: '番号　花子' } },
};

/** A query as the wire delivers it: JSON text with one claim path. */
function queryWithPath(ns: string, el: string, id = 'mnc'): unknown {
  return JSON.parse(
    `{"credentials":[{"id":${JSON.stringify(id)},"format":"mso_mdoc","meta":{"doctype_value":"${MNC}"},` +
      `"claims":[{"path":[${JSON.stringify(ns)},${JSON.stringify(el)}]}]}]}`,
  );
}

/** The same query typed by hand, bypassing validation (what a caller of the matcher may pass). */
function unvalidated(ns: string, el: string, id = 'mnc'): DcqlQuery {
  return {
    credentials: [{ id, format: 'mso_mdoc', meta: { doctype_value: MNC }, claims: [{ path: [ns, el] }] }],
  };
}

let before: ReturnType<typeof snapshotPrototypes>;
beforeEach(() => {
  before = snapshotPrototypes();
});
afterEach(() => {
  const changes = prototypeChanges(before);
  restorePrototypes(before);
  expect(changes).toEqual([]);
});

describe('DCQL claim paths naming inherited members', () => {
  // OpenID4VP 1.0 Appendix B.2.3: an mso_mdoc claim path is [namespace, data element identifier].
  // No ISO namespace or element identifier is spelled like a JavaScript prototype member; accepting
  // one would only serve an attack, so validation refuses them outright.
  for (const reserved of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses ${reserved} as a namespace or element identifier with DCQL_INVALID`, () => {
      for (const [ns, el] of [
        [reserved, 'polluted'],
        [JP, reserved],
        [reserved, 'toString'],
      ] as const) {
        expect(() => validateDcqlQuery(queryWithPath(ns, el))).toThrow(
          expect.objectContaining({ name: 'Oid4vpError', code: 'DCQL_INVALID' }),
        );
      }
    });

    it(`refuses ${reserved} as a credential or claim id with DCQL_INVALID`, () => {
      expect(() => validateDcqlQuery(queryWithPath(JP, 'a', reserved))).toThrow(
        expect.objectContaining({ code: 'DCQL_INVALID' }),
      );
      const q = queryWithPath(JP, 'a') as { credentials: [{ claims: [Record<string, unknown>] }] };
      q.credentials[0].claims[0].id = reserved;
      expect(() => validateDcqlQuery(q)).toThrow(expect.objectContaining({ code: 'DCQL_INVALID' }));
    });
  }

  it('the fuzzed query ["constructor", "prototype"] is a typed error, not a TypeError', () => {
    expect(() => validateDcqlQuery(queryWithPath('constructor', 'prototype'))).toThrow(
      expect.objectContaining({ code: 'DCQL_INVALID' }),
    );
  });

  it('requestedElements and matching never write through __proto__ or constructor, even unvalidated', () => {
    for (const [ns, el] of [
      ['__proto__', 'polluted'],
      ['__proto__', 'toString'],
      ['constructor', 'polluted'],
      ['constructor', 'prototype'],
    ] as const) {
      const q = unvalidated(ns, el);
      const elements = requestedElements(q.credentials[0]!);
      expect(Object.keys(elements)).toEqual([ns]);
      expect(Object.hasOwn(elements[ns]!, el)).toBe(true);
      // Nothing inherited answers a claim: the card has no such namespace.
      expect(matchDcqlQuery(q, [card]).satisfied).toBe(false);
    }
  });

  it('a namespace named toString is an ordinary (absent) namespace, not Object.prototype.toString', () => {
    // Validation lets it through (it is not reserved); the matcher must still see only own members.
    const q = validateDcqlQuery(queryWithPath('toString', 'name'));
    const r = matchDcqlQuery(q, [card]);
    expect(r.satisfied).toBe(false);
    expect(r.unmet).toEqual(['mnc']);
    const elements = requestedElements(q.credentials[0]!);
    expect(Object.hasOwn(elements, 'toString')).toBe(true);
    expect(elements.toString).toEqual({ name: false });
  });

  it('a held document that really has such a namespace matches it', () => {
    const doc: HeldDocument = {
      ...card,
      elements: JSON.parse(`{"toString":{"name":"x"},"valueOf":{"length":1}}`),
    };
    const q = validateDcqlQuery(queryWithPath('toString', 'name'));
    const [m] = selectForDcqlQuery(q, [doc]);
    expect(m?.elements.toString).toEqual({ name: false });
    expect(matchDcqlQuery(validateDcqlQuery(queryWithPath('valueOf', 'length')), [doc]).satisfied).toBe(true);
  });

  it('credential ids named after inherited members are keyed as own members', () => {
    const q = validateDcqlQuery(queryWithPath(JP, 'full_name_unicode', 'toString'));
    const r = matchDcqlQuery(q, [card]);
    expect(r.satisfied).toBe(true);
    expect(Object.hasOwn(r.candidates, 'toString')).toBe(true);
    expect(r.candidates.toString).toHaveLength(1);
    expect(Object.keys(r.candidates)).toEqual(['toString']);
    // …and an id that is not in the result is not found on the prototype either.
    const other = validateDcqlQuery(queryWithPath(JP, 'missing', 'hasOwnProperty'));
    expect(matchDcqlQuery(other, [card]).unmet).toEqual(['hasOwnProperty']);
    expect(unmetCredentialQueries(other, ['valueOf'])).toEqual(['hasOwnProperty']);
  });
});

describe('vp_token keys naming inherited members (verifier side)', () => {
  const request = {
    response_type: 'vp_token',
    response_mode: 'direct_post',
    client_id: 'x509_san_dns:rp.example',
    response_uri: 'https://rp.example/r',
    nonce: 'n',
    dcql_query: validateDcqlQuery(queryWithPath(JP, 'full_name_unicode')),
  } as AuthorizationRequest;

  it('keeps a "__proto__" entry as an own key (never as the prototype of the token)', async () => {
    const body = { vp_token: '{"mnc":["AA"],"__proto__":["BB"]}' };
    const { vpToken } = await parseAuthorizationResponse(body, request);
    expect(Object.keys(vpToken).sort()).toEqual(['__proto__', 'mnc']);
    expect(Object.getPrototypeOf(vpToken)).not.toBe(Array.prototype);
    expect(Object.getOwnPropertyDescriptor(vpToken, '__proto__')?.value).toEqual(['BB']);
  });

  it('a parsed JSON object with "__proto__" is read the same way', async () => {
    const body = JSON.parse('{"vp_token":{"__proto__":["BB"],"toString":["CC"]}}');
    const { vpToken } = await parseAuthorizationResponse(body, request);
    expect(Object.keys(vpToken).sort()).toEqual(['__proto__', 'toString']);
  });

  it('an entry whose value is not a list of strings is DECODE, whatever its key', async () => {
    for (const text of ['{"__proto__":{"length":1}}', '{"constructor":null}', '{"toString":[1]}']) {
      await expect(parseAuthorizationResponse({ vp_token: text }, request)).rejects.toMatchObject({
        code: 'DECODE',
      });
    }
  });
});
