/**
 * The method table (DOMAIN.md §5): every row's boundaries — the day before it starts, its first day,
 * its last day and the day after — through `kycMethodFor`, and the table's own consistency.
 */
import { describe, expect, it } from 'vitest';
import {
  HANSHU_2025_AMENDMENT,
  HANSHU_2027_AMENDMENT,
  isInForce,
  isJstDate,
  KEITAI_2026_AMENDMENT,
  KYC_LAWS,
  KYC_METHODS,
  KYC_METHODS_BY_ID,
  type KycEvidence,
  type KycLaw,
  type KycMethod,
  kycMethodByLetter,
  kycMethodFor,
  methodsInForce,
} from '../src/index.js';

function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const RECORD: KycEvidence = {
  kind: 'card-substitute-record',
  elements: ['full_name_unicode', 'resident_address_unicode', 'birth_date_unicode', 'portrait'],
};
const SIGNATURE: KycEvidence = { kind: 'jpki-signature', signedData: true };
const EVIDENCE = new Map<KycMethod['content'], KycEvidence>([
  ['card-substitute-record', RECORD],
  ['jpki-signature', SIGNATURE],
]);
const FULL = { isSignatureVerifier: true, programCertified: true };

/** The letter `kycMethodFor` answers for this row's content and law on `date` (null: none). */
function letterOn(row: KycMethod, date: string): string | null {
  const evidence = EVIDENCE.get(row.content);
  if (evidence === undefined) {
    // Chip and image methods are not produced by mynakit: read the table directly.
    return methodsInForce(row.law, date).find((m) => m.content === row.content)?.letter ?? null;
  }
  const r = kycMethodFor({ evidence, relyingParty: { law: row.law, ...FULL }, date });
  return r.method?.letter ?? null;
}

describe('the method table', () => {
  it('has the letters of DOMAIN.md §5 with their dates', () => {
    const summary = KYC_METHODS.map(
      (m) => `${m.id} ${m.letter} ${m.effectiveFrom}…${m.effectiveUntil ?? ''}`,
    );
    expect(summary).toEqual([
      'hanshu:ho ホ 2018-11-30…2027-03-31',
      'hanshu:he ヘ 2018-11-30…2027-03-31',
      'hanshu:shin-ha 新ハ 2027-04-01…',
      'hanshu:ru ル 2025-06-24…2027-03-31',
      'hanshu:shin-to 新ト 2027-04-01…',
      'hanshu:wa ワ 2018-11-30…2025-06-23',
      'hanshu:ka カ 2025-06-24…2027-03-31',
      'hanshu:shin-nu 新ヌ 2027-04-01…',
      'keitai:chi チ 2026-04-01…',
      'keitai:to ト 2026-04-01…',
    ]);
    expect([HANSHU_2025_AMENDMENT, HANSHU_2027_AMENDMENT, KEITAI_2026_AMENDMENT]).toEqual([
      '2025-06-24',
      '2027-04-01',
      '2026-04-01',
    ]);
  });

  it('tags every row and names it in Japanese and English, with real dates', () => {
    for (const m of KYC_METHODS) {
      expect(['C', 'S', 'I']).toContain(m.source);
      expect(m.name_ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(m.name_en).toMatch(/^[A-Z]/);
      expect(isJstDate(m.effectiveFrom)).toBe(true);
      if (m.effectiveUntil !== undefined) {
        expect(isJstDate(m.effectiveUntil)).toBe(true);
        expect(m.effectiveFrom <= m.effectiveUntil).toBe(true);
      }
      expect(KYC_METHODS_BY_ID.get(m.id)).toBe(m);
      expect(KYC_LAWS.has(m.law)).toBe(true);
      expect(Object.isFrozen(m)).toBe(true);
    }
    expect(Object.isFrozen(KYC_METHODS)).toBe(true);
  });

  it('never has two rows of one law and content in force on the same day, and leaves no gap', () => {
    for (const law of ['hanshu', 'keitai'] as const) {
      const contents = new Set(KYC_METHODS.filter((m) => m.law === law).map((m) => m.content));
      for (const content of contents) {
        const rows = KYC_METHODS.filter((m) => m.law === law && m.content === content).sort((a, b) =>
          a.effectiveFrom.localeCompare(b.effectiveFrom),
        );
        for (let i = 1; i < rows.length; i++) {
          const prev = rows[i - 1]!;
          // Consecutive rows touch: the previous one ends the day before the next starts.
          expect(prev.effectiveUntil, `${prev.id} then ${rows[i]!.id}`).toBe(
            shift(rows[i]!.effectiveFrom, -1),
          );
        }
      }
    }
  });

  it('puts the signature-verifier rule on every JPKI signature row and the certified-program rule on チ', () => {
    for (const m of KYC_METHODS) {
      expect(m.requiresSignatureVerifier, m.id).toBe(m.content === 'jpki-signature');
      expect(m.requiresCertifiedProgram, m.id).toBe(m.content === 'card-substitute-record');
    }
    expect(kycMethodByLetter('keitai', 'チ').requiresCertifiedProgram).toBe(true);
  });

  describe.each(KYC_METHODS.map((m) => [m.id, m] as const))('%s', (_id, row) => {
    it('applies from its first day to its last day, and not the day before', () => {
      expect(letterOn(row, row.effectiveFrom)).toBe(row.letter);
      expect(isInForce(row, row.effectiveFrom)).toBe(true);
      expect(isInForce(row, shift(row.effectiveFrom, -1))).toBe(false);
      expect(letterOn(row, shift(row.effectiveFrom, -1))).not.toBe(row.letter);
      if (row.effectiveUntil !== undefined) {
        expect(letterOn(row, row.effectiveUntil)).toBe(row.letter);
        expect(isInForce(row, row.effectiveUntil)).toBe(true);
        expect(isInForce(row, shift(row.effectiveUntil, 1))).toBe(false);
        expect(letterOn(row, shift(row.effectiveUntil, 1))).not.toBe(row.letter);
      } else {
        expect(letterOn(row, '9999-12-31')).toBe(row.letter);
      }
    });
  });

  it('gives the record under 犯収法 no method before 2025-06-24, ル to 2027-03-31 and 新ト after', () => {
    const on = (date: string) => letterOn(KYC_METHODS_BY_ID.get('hanshu:ru')!, date);
    expect([on('2025-06-23'), on('2025-06-24'), on('2027-03-31'), on('2027-04-01')]).toEqual([
      null,
      'ル',
      'ル',
      '新ト',
    ]);
  });

  it('gives JPKI signatures under 犯収法 ワ, カ then 新ヌ', () => {
    const on = (date: string) => letterOn(KYC_METHODS_BY_ID.get('hanshu:ka')!, date);
    expect([on('2025-06-23'), on('2025-06-24'), on('2027-03-31'), on('2027-04-01')]).toEqual([
      'ワ',
      'カ',
      'カ',
      '新ヌ',
    ]);
  });

  it('abolishes ID image + selfie on 2027-04-01 and renames IC chip + selfie to 新ハ', () => {
    const letters = (date: string) => methodsInForce('hanshu', date).map((m) => m.letter);
    expect(letters('2027-03-31')).toEqual(['ホ', 'ヘ', 'ル', 'カ']);
    expect(letters('2027-04-01')).toEqual(['新ハ', '新ト', '新ヌ']);
    expect(letters('2025-06-23')).toEqual(['ホ', 'ヘ', 'ワ']);
    expect(letters('2018-11-29')).toEqual([]);
  });

  it('has the 携帯電話不正利用防止法 methods チ and ト from 2026-04-01 only', () => {
    expect(methodsInForce('keitai', '2026-03-31')).toEqual([]);
    expect(methodsInForce('keitai', '2026-04-01').map((m) => m.letter)).toEqual(['チ', 'ト']);
  });

  it('finds rows by letter or id within one law, and nothing else', () => {
    expect(kycMethodByLetter('hanshu', '新ト').id).toBe('hanshu:shin-to');
    expect(kycMethodByLetter('keitai', 'keitai:to').letter).toBe('ト');
    for (const [law, letter] of [
      ['hanshu', 'ト'],
      ['keitai', 'ル'],
      ['hanshu', 'keitai:chi'],
      ['hanshu', '__proto__'],
      ['hanshu', 'constructor'],
    ] as const) {
      expect(() => kycMethodByLetter(law, letter)).toThrow(
        expect.objectContaining({ code: 'KYC_UNKNOWN_METHOD' }),
      );
    }
    expect(() => kycMethodByLetter('toString' as KycLaw, 'ル')).toThrow(
      expect.objectContaining({ code: 'KYC_UNKNOWN_LAW' }),
    );
  });
});
