import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HeldDocument,
  matchDcqlQuery,
  selectForDcqlQuery,
  unmetCredentialQueries,
} from '../src/openid4vp/dcql-match.js';
import { validateDcqlQuery } from '../src/openid4vp/dcql-query.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const JP = 'org.iso.23220.1.jp';
const ISO = 'org.iso.23220.1';
const MDL = 'org.iso.18013.5.1.mDL';

/** The query DOMAIN.md §2 gives as the OpenID4VP example. */
const domainExample = {
  credentials: [
    {
      id: 'mnc',
      format: 'mso_mdoc',
      meta: { doctype_value: MNC },
      claims: [{ path: [JP, 'full_name_unicode'] }],
    },
  ],
};

const card: HeldDocument = {
  id: 'card-1',
  docType: MNC,
  elements: {
    [JP]: {
      full_name_unicode: '番号　花子',
      resident_address_unicode: '東京都…',
      portrait: new Uint8Array(3),
    },
    [ISO]: { age_over_18: true, age_over_65: false, sex: 2 },
  },
};
const mdl: HeldDocument = {
  id: 'mdl-1',
  docType: MDL,
  elements: { 'org.iso.18013.5.1': { family_name: 'Doe', age_over_21: true } },
};

describe('DCQL validation (OpenID4VP 1.0 §6)', () => {
  it('accepts the DOMAIN.md example and a query with claim_sets and credential_sets', () => {
    expect(validateDcqlQuery(domainExample).credentials[0]?.id).toBe('mnc');
    validateDcqlQuery({
      credentials: [
        {
          id: 'mnc',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [
            { id: 'name', path: [JP, 'full_name_unicode'], intent_to_retain: true },
            { id: 'addr', path: [JP, 'resident_address_unicode'] },
            { id: 'adult', path: [ISO, 'age_over_18'], values: [true] },
          ],
          claim_sets: [['name', 'addr'], ['adult']],
        },
        { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: MDL } },
      ],
      credential_sets: [{ options: [['mnc'], ['mdl']] }, { options: [['mdl']], required: false }],
    });
  });

  const bad: [string, unknown][] = [
    ['not an object', 42],
    ['no credentials', { credentials: [] }],
    ['bad id characters', { credentials: [{ ...domainExample.credentials[0], id: 'a b' }] }],
    ['duplicate ids', { credentials: [domainExample.credentials[0], domainExample.credentials[0]] }],
    ['missing meta', { credentials: [{ id: 'x', format: 'mso_mdoc', claims: [{ path: [JP, 'a'] }] }] }],
    ['empty doctype', { credentials: [{ id: 'x', format: 'mso_mdoc', meta: { doctype_value: '' } }] }],
    [
      'mdoc path of one element',
      {
        credentials: [
          { id: 'x', format: 'mso_mdoc', meta: { doctype_value: MNC }, claims: [{ path: ['a'] }] },
        ],
      },
    ],
    [
      'mdoc path with an index',
      {
        credentials: [
          { id: 'x', format: 'mso_mdoc', meta: { doctype_value: MNC }, claims: [{ path: [JP, 0] }] },
        ],
      },
    ],
    [
      'empty claims',
      { credentials: [{ id: 'x', format: 'mso_mdoc', meta: { doctype_value: MNC }, claims: [] }] },
    ],
    [
      'values of objects',
      {
        credentials: [
          {
            id: 'x',
            format: 'mso_mdoc',
            meta: { doctype_value: MNC },
            claims: [{ path: [JP, 'a'], values: [{}] }],
          },
        ],
      },
    ],
    [
      'claim_sets without ids',
      {
        credentials: [
          {
            id: 'x',
            format: 'mso_mdoc',
            meta: { doctype_value: MNC },
            claims: [{ path: [JP, 'a'] }],
            claim_sets: [['a']],
          },
        ],
      },
    ],
    [
      'claim_sets with an unknown id',
      {
        credentials: [
          {
            id: 'x',
            format: 'mso_mdoc',
            meta: { doctype_value: MNC },
            claims: [{ id: 'a', path: [JP, 'a'] }],
            claim_sets: [['b']],
          },
        ],
      },
    ],
    ['credential_sets with an unknown id', { ...domainExample, credential_sets: [{ options: [['nope']] }] }],
    ['credential_sets with an empty option', { ...domainExample, credential_sets: [{ options: [[]] }] }],
    [
      'non-boolean intent_to_retain',
      {
        credentials: [
          {
            id: 'x',
            format: 'mso_mdoc',
            meta: { doctype_value: MNC },
            claims: [{ path: [JP, 'a'], intent_to_retain: 'yes' }],
          },
        ],
      },
    ],
  ];
  for (const [name, q] of bad) {
    it(`refuses ${name} with DCQL_INVALID`, () => {
      expect(() => validateDcqlQuery(q)).toThrow(expect.objectContaining({ code: 'DCQL_INVALID' }));
    });
  }

  it('refuses formats other than mso_mdoc with vp_formats_not_supported', () => {
    expect(() =>
      validateDcqlQuery({ credentials: [{ id: 'x', format: 'dc+sd-jwt', meta: { vct_values: ['x'] } }] }),
    ).toThrow(expect.objectContaining({ code: 'vp_formats_not_supported' }));
  });

  it('never throws anything but a typed error on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (j) => {
        try {
          validateDcqlQuery(j);
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^(DCQL_INVALID|vp_formats_not_supported)$/);
        }
      }),
    );
  });
});

describe('DCQL matching (wallet side, §6.4)', () => {
  it('matches the requested claims of the right docType, with intent to retain', () => {
    const q = validateDcqlQuery({
      credentials: [
        {
          id: 'mnc',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [
            { path: [JP, 'full_name_unicode'], intent_to_retain: true },
            { path: [ISO, 'age_over_18'] },
          ],
        },
      ],
    });
    const r = matchDcqlQuery(q, [mdl, card]);
    expect(r.satisfied).toBe(true);
    expect(r.selection).toEqual([
      {
        queryId: 'mnc',
        documentId: 'card-1',
        docType: MNC,
        elements: { [JP]: { full_name_unicode: true }, [ISO]: { age_over_18: false } },
      },
    ]);
  });

  it('needs every claim without claim_sets; an element the card lacks leaves the query unmet', () => {
    const q = validateDcqlQuery({
      credentials: [
        {
          id: 'mnc',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [{ path: [JP, 'full_name_unicode'] }, { path: [ISO, 'age_over_20'] }],
        },
      ],
    });
    const r = matchDcqlQuery(q, [card]);
    expect(r.satisfied).toBe(false);
    expect(r.unmet).toEqual(['mnc']);
    expect(() => selectForDcqlQuery(q, [card])).toThrow(expect.objectContaining({ code: 'DCQL_NO_MATCH' }));
  });

  it('takes the first satisfiable claim set, in the verifier order', () => {
    const q = validateDcqlQuery({
      credentials: [
        {
          id: 'mnc',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [
            { id: 'over20', path: [ISO, 'age_over_20'] },
            { id: 'over18', path: [ISO, 'age_over_18'] },
            { id: 'name', path: [JP, 'full_name_unicode'] },
          ],
          claim_sets: [['over20'], ['over18', 'name']],
        },
      ],
    });
    expect(matchDcqlQuery(q, [card]).selection[0]?.elements).toEqual({
      [ISO]: { age_over_18: false },
      [JP]: { full_name_unicode: false },
    });
  });

  it('applies values: age_over_65 = true does not match a holder under 65', () => {
    const q = validateDcqlQuery({
      credentials: [
        {
          id: 'senior',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [{ path: [ISO, 'age_over_65'], values: [true] }],
        },
      ],
    });
    expect(matchDcqlQuery(q, [card]).satisfied).toBe(false);
    const q2 = validateDcqlQuery({
      credentials: [
        {
          id: 'female',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [{ path: [ISO, 'sex'], values: [2] }],
        },
      ],
    });
    expect(matchDcqlQuery(q2, [card]).satisfied).toBe(true);
  });

  it('credential_sets: first satisfiable option of a required set; optional sets only when possible', () => {
    const q = validateDcqlQuery({
      credentials: [
        {
          id: 'mdl',
          format: 'mso_mdoc',
          meta: { doctype_value: MDL },
          claims: [{ path: ['org.iso.18013.5.1', 'family_name'] }],
        },
        {
          id: 'mnc',
          format: 'mso_mdoc',
          meta: { doctype_value: MNC },
          claims: [{ path: [JP, 'full_name_unicode'] }],
        },
        { id: 'other', format: 'mso_mdoc', meta: { doctype_value: 'x.y.z' } },
      ],
      credential_sets: [{ options: [['mdl'], ['mnc']] }, { options: [['other']], required: false }],
    });
    expect(matchDcqlQuery(q, [card]).selection.map((s) => s.queryId)).toEqual(['mnc']);
    expect(matchDcqlQuery(q, [card, mdl]).selection.map((s) => s.queryId)).toEqual(['mdl']);
    expect(matchDcqlQuery(q, []).unmet).toEqual(['mdl']);
    expect(unmetCredentialQueries(q, ['mnc'])).toEqual([]);
    expect(unmetCredentialQueries(q, ['other'])).toEqual(['mdl']);
  });

  it('multiple: true returns every matching document; false only one', () => {
    const card2: HeldDocument = { ...card, id: 'card-2' };
    const one = validateDcqlQuery(domainExample);
    expect(matchDcqlQuery(one, [card, card2]).selection).toHaveLength(1);
    const many = validateDcqlQuery({ credentials: [{ ...domainExample.credentials[0], multiple: true }] });
    expect(matchDcqlQuery(many, [card, card2]).selection.map((s) => s.documentId)).toEqual([
      'card-1',
      'card-2',
    ]);
  });

  it('trusted_authorities of type aki compares the issuer key identifiers', () => {
    const q = validateDcqlQuery({
      credentials: [
        {
          ...domainExample.credentials[0],
          trusted_authorities: [{ type: 'aki', values: ['s9tIpPmhxdiuNkHMEWNpYim8S8Y'] }],
        },
      ],
    });
    expect(matchDcqlQuery(q, [card]).satisfied).toBe(false);
    expect(
      matchDcqlQuery(q, [{ ...card, authorityKeyIdentifiers: ['s9tIpPmhxdiuNkHMEWNpYim8S8Y'] }]).satisfied,
    ).toBe(true);
  });
});
