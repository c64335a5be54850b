/**
 * Hostile input: laws, evidence kinds, letters and record members named `__proto__`, `constructor`,
 * `toString`… get a stable KycError code (or a clean answer) and leave the shared prototypes exactly as
 * before. And for every date, evidence and law, at most one method applies — the one row of the table
 * in force that day (seeded, bounded fast-check).
 */
import {
  HOSTILE_KEYS,
  hostileJson,
  prototypeChanges,
  restorePrototypes,
  snapshotPrototypes,
} from '@mynakit/test-support';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkRecordContent,
  isInForce,
  KYC_METHODS,
  KycError,
  type KycEvidence,
  type KycMethodInput,
  kycMethodByLetter,
  kycMethodFor,
  requiredRecordFields,
  retentionFor,
} from '../src/index.js';

const RUNS = { seed: 0x6b79_6301, numRuns: 100 } as const;

let before: ReturnType<typeof snapshotPrototypes>;
beforeEach(() => {
  before = snapshotPrototypes();
});
afterEach(() => restorePrototypes(before));

function typed(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (!(e instanceof KycError)) throw e;
    return e.code;
  } finally {
    expect(prototypeChanges(before)).toEqual([]);
  }
}

const FOUR = ['full_name_unicode', 'resident_address_unicode', 'birth_date_unicode', 'portrait'];

describe('hostile names', () => {
  it.each(HOSTILE_KEYS)('%s as a law, an evidence kind or a letter gets a stable code', (key) => {
    const rp = { law: key, isSignatureVerifier: true, programCertified: true };
    expect(
      typed(() =>
        kycMethodFor({
          evidence: { kind: 'jpki-signature', signedData: true },
          relyingParty: rp,
          date: '2026-01-01',
        } as unknown as KycMethodInput),
      ),
    ).toBe('KYC_UNKNOWN_LAW');
    expect(
      typed(() =>
        kycMethodFor({
          evidence: { kind: key },
          relyingParty: { law: 'hanshu', isSignatureVerifier: true, programCertified: true },
          date: '2026-01-01',
        } as unknown as KycMethodInput),
      ),
    ).toBe('KYC_UNKNOWN_EVIDENCE');
    expect(typed(() => kycMethodByLetter('hanshu', key))).toBe('KYC_UNKNOWN_METHOD');
    expect(typed(() => requiredRecordFields('keitai', key))).toBe('KYC_UNKNOWN_METHOD');
    expect(typed(() => retentionFor(key as 'hanshu'))).toBe('KYC_UNKNOWN_LAW');
  });

  it('reads only own members of the input, never inherited ones', () => {
    const inherited = JSON.parse(
      '{"__proto__":{"law":"hanshu","isSignatureVerifier":true,"programCertified":true}}',
    ) as unknown;
    expect(
      typed(() =>
        kycMethodFor({
          evidence: { kind: 'card-substitute-record', elements: FOUR },
          relyingParty: inherited,
          date: '2026-01-01',
        } as KycMethodInput),
      ),
    ).toBe('KYC_UNKNOWN_LAW');
    const proto = { kind: 'jpki-signature', signedData: true };
    expect(
      typed(() =>
        kycMethodFor({
          evidence: Object.create(proto),
          relyingParty: { law: 'hanshu', isSignatureVerifier: true, programCertified: true },
          date: '2026-01-01',
        }),
      ),
    ).toBe('KYC_UNKNOWN_EVIDENCE');
  });

  it('received JSON with prototype keys at any level: a KycError code or an answer, prototypes untouched', () => {
    const template = {
      evidence: { kind: 'card-substitute-record', elements: FOUR },
      relyingParty: { law: 'keitai', isSignatureVerifier: true, programCertified: true },
      date: '2026-04-01',
    };
    fc.assert(
      fc.property(hostileJson(template), (parsed) => {
        const input = parsed as KycMethodInput;
        const code = typed(() => kycMethodFor(input));
        if (code !== null) expect(code).toMatch(/^KYC_/);
        typed(() => checkRecordContent(input));
      }),
      RUNS,
    );
  });
});

describe('at most one method per evidence, law and date', () => {
  const evidenceArb: fc.Arbitrary<KycEvidence> = fc.oneof(
    fc.record({
      kind: fc.constant('card-substitute-record' as const),
      elements: fc.subarray([...FOUR, 'birth_date', 'sex_unicode', 'individual_number_unicode']),
    }),
    fc.record({ kind: fc.constant('jpki-signature' as const), signedData: fc.boolean() }),
    fc.constant({ kind: 'jpki-user-authentication' as const }),
  );
  const instant = fc.date({
    min: new Date('2017-01-01T00:00:00Z'),
    max: new Date('2035-12-31T23:59:59Z'),
    noInvalidDate: true,
  });

  it('answers the one row in force that day, or null with reasons', () => {
    fc.assert(
      fc.property(
        evidenceArb,
        fc.constantFrom('hanshu' as const, 'keitai' as const, 'none' as const),
        fc.boolean(),
        fc.boolean(),
        instant,
        (evidence, law, isSignatureVerifier, programCertified, date) => {
          const r = kycMethodFor({
            evidence,
            relyingParty: { law, isSignatureVerifier, programCertified },
            date,
          });
          const content = evidence.kind === 'jpki-user-authentication' ? null : evidence.kind;
          const rows = KYC_METHODS.filter(
            (m) => m.law === law && m.content === content && isInForce(m, r.date),
          );
          expect(rows.length).toBeLessThanOrEqual(1);
          if (r.method !== null) {
            expect(rows).toEqual([r.method]);
            expect(isInForce(r.method, date)).toBe(true);
          } else {
            expect(r.reasons.length).toBeGreaterThan(0);
            if (rows.length === 0)
              expect(r.reasons[0]!.code).toMatch(
                /^KYC_(METHOD_NOT_IN_FORCE|LAW_NONE|EVIDENCE_NOT_A_METHOD)$/,
              );
          }
        },
      ),
      RUNS,
    );
  });

  it('gives the same answer for an instant and for its JST calendar date', () => {
    fc.assert(
      fc.property(evidenceArb, instant, (evidence, date) => {
        const relyingParty = { law: 'hanshu' as const, isSignatureVerifier: true, programCertified: true };
        const a = kycMethodFor({ evidence, relyingParty, date });
        const b = kycMethodFor({ evidence, relyingParty, date: a.date });
        expect(b).toEqual(a);
      }),
      RUNS,
    );
  });
});
