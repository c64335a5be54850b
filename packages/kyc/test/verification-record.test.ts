/**
 * The verification record: items per law and method, retention per law (with the civil-code period
 * computation), and `checkRecordContent` refusing My Number and PINs anywhere in what would be stored.
 */
import { describe, expect, it } from 'vitest';
import {
  checkRecordContent,
  forbiddenRecordFields,
  isForbiddenRecordField,
  KYC_METHODS,
  kycMethodByLetter,
  kycMethodFor,
  looksLikeMyNumber,
  MAX_RECORD_DEPTH,
  requiredRecordFields,
  retainUntil,
  retentionFor,
} from '../src/index.js';

const fields = (...args: Parameters<typeof requiredRecordFields>) =>
  requiredRecordFields(...args).map((f) => f.field);

describe('requiredRecordFields', () => {
  it('lists for 犯収法 ル who, when, the method, the MSO digest, the facts, the transaction, purpose, occupation, revocation check and program', () => {
    expect(fields('hanshu', 'ル')).toEqual([
      'verifiedBy',
      'recordedBy',
      'verifiedAt',
      'method',
      'msoDigest',
      'name',
      'address',
      'birthDate',
      'transactionType',
      'transactionDate',
      'transactionPurpose',
      'occupation',
      'revocationCheck',
      'program',
    ]);
  });

  it('adds the certificate serial, signature value and certificate for signature methods', () => {
    const f = fields('hanshu', 'hanshu:shin-nu');
    expect(f).toEqual(
      expect.arrayContaining([
        'certificateSerial',
        'signatureValue',
        'signingCertificate',
        'revocationCheck',
      ]),
    );
    expect(f).not.toContain('msoDigest');
  });

  it('leaves purpose and occupation out under 携帯法', () => {
    const f = fields('keitai', 'チ');
    expect(f).not.toContain('transactionPurpose');
    expect(f).not.toContain('occupation');
    expect(f).toContain('msoDigest');
    expect(fields('keitai', 'ト')).toContain('signatureValue');
  });

  it('takes the method object kycMethodFor returns, and names every item in Japanese and English', () => {
    const r = kycMethodFor({
      evidence: { kind: 'jpki-signature', signedData: true },
      relyingParty: { law: 'hanshu', isSignatureVerifier: true, programCertified: false },
      date: '2026-07-01',
    });
    if (r.method === null) throw new Error('expected カ');
    const items = requiredRecordFields('hanshu', r.method);
    expect(items.map((i) => i.field)).toContain('certificateSerial');
    for (const item of items) {
      expect(item.name_ja.length).toBeGreaterThan(0);
      expect(item.name_en.length).toBeGreaterThan(0);
      expect(['C', 'S', 'I']).toContain(item.source);
    }
    for (const m of KYC_METHODS) expect(requiredRecordFields(m.law, m).length).toBeGreaterThan(8);
  });

  it('refuses a method of the other law, a forged method object and hostile names', () => {
    expect(() => requiredRecordFields('keitai', kycMethodByLetter('hanshu', 'ル'))).toThrow(
      expect.objectContaining({ code: 'KYC_UNKNOWN_METHOD' }),
    );
    for (const method of [
      '__proto__',
      'constructor',
      'toString',
      { id: '__proto__' },
      JSON.parse('{"__proto__":{"id":"hanshu:ru"}}'),
    ]) {
      expect(() => requiredRecordFields('hanshu', method)).toThrow(
        expect.objectContaining({ code: 'KYC_UNKNOWN_METHOD' }),
      );
    }
    expect(() => requiredRecordFields('__proto__' as 'hanshu', 'ル')).toThrow(
      expect.objectContaining({ code: 'KYC_UNKNOWN_LAW' }),
    );
  });
});

describe('retention', () => {
  it('is 7 years after the relationship ends under 犯収法 and 3 years after the contract ends under 携帯法', () => {
    expect(retentionFor('hanshu')).toMatchObject({ years: 7, from: 'relationship-end', source: 'S' });
    expect(retentionFor('keitai')).toMatchObject({ years: 3, from: 'contract-end', source: 'S' });
    expect(() => retentionFor('constructor' as 'hanshu')).toThrow(
      expect.objectContaining({ code: 'KYC_UNKNOWN_LAW' }),
    );
  });

  it('counts from the next day and ends the day before the corresponding day (民法 §140, §143)', () => {
    expect(retainUntil('hanshu', '2026-05-10')).toBe('2033-05-10');
    expect(retainUntil('keitai', '2026-12-31')).toBe('2029-12-31');
    // Ended 2028-02-28: counted from 2028-02-29, which has no corresponding day in 2031 → end of February.
    expect(retainUntil('keitai', '2028-02-28')).toBe('2031-02-28');
    // An instant is taken as its JST date: 2026-05-09T15:00Z is 2026-05-10 in Japan.
    expect(retainUntil('hanshu', new Date('2026-05-09T15:00:00Z'))).toBe('2033-05-10');
  });
});

describe('checkRecordContent', () => {
  it('names My Number and any PIN or password wherever they are, and nothing else', () => {
    const content = {
      name: '番号　花子',
      certificateSerial: '0123ABCD',
      customer: { individual_number_unicode: 'x', address: '東京都' },
      secrets: [{ pin: 'x' }, { signaturePassword: 'x' }],
      auth_PIN: 'x',
      myNumber: 'x',
      'pin-code': 'x',
      個人番号: 'x',
      spinner: 1,
      pinned: true,
    };
    expect(checkRecordContent(content)).toEqual([
      'customer.individual_number_unicode',
      'secrets[0].pin',
      'secrets[1].signaturePassword',
      'auth_PIN',
      'myNumber',
      '["pin-code"]',
      '個人番号',
    ]);
  });

  it('reports a string written like a My Number whatever its name, unless told not to', () => {
    expect(looksLikeMyNumber('123456789018')).toBe(true);
    expect(looksLikeMyNumber('123456789019')).toBe(false);
    expect(looksLikeMyNumber('12345678901')).toBe(false);
    expect(checkRecordContent({ reference: '123456789018', map: new Map([['n', '123456789018']]) })).toEqual([
      'reference',
      'map.n',
    ]);
    expect(checkRecordContent({ reference: '123456789018' }, { detectMyNumberValues: false })).toEqual([]);
  });

  it('lists the forbidden names it documents', () => {
    for (const f of forbiddenRecordFields) expect(isForbiddenRecordField(f)).toBe(true);
    expect(forbiddenRecordFields).toContain('individual_number_unicode');
  });

  it('answers a name asked again as it did the first time, long names and many names too', () => {
    const names = ['pinCode', 'myNumber', 'familyName', 'birth_date', 'パスワード', 'pinned', 'opinion'];
    const first = names.map((n) => isForbiddenRecordField(n));
    expect(first).toEqual([true, true, false, false, true, false, false]);
    // More names than are remembered, then the same ones again.
    for (let i = 0; i < 3000; i++) isForbiddenRecordField(`member${i}`);
    expect(names.map((n) => isForbiddenRecordField(n))).toEqual(first);
    const long = `${'x'.repeat(100)}_pin`;
    expect(isForbiddenRecordField(long)).toBe(true);
    expect(isForbiddenRecordField(long)).toBe(true);
    expect(isForbiddenRecordField('x'.repeat(100))).toBe(false);
  });

  it('reads own data properties only and never calls a getter', () => {
    let called = false;
    const o = Object.create({ pin: 'inherited' }) as Record<string, unknown>;
    Object.defineProperty(o, 'safe', {
      enumerable: true,
      get() {
        called = true;
        return { password: 'x' };
      },
    });
    expect(checkRecordContent(o)).toEqual([]);
    expect(called).toBe(false);
    expect(checkRecordContent(JSON.parse('{"__proto__":{"pin":"1234"}}'))).toEqual(['__proto__.pin']);
  });

  it('survives cycles and refuses what is too deep or too large to check', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(checkRecordContent(cyclic)).toEqual([]);
    let deep: unknown = 'leaf';
    for (let i = 0; i <= MAX_RECORD_DEPTH; i++) deep = { d: deep };
    expect(() => checkRecordContent(deep)).toThrow(expect.objectContaining({ code: 'KYC_RECORD_TOO_LARGE' }));
    expect(() => checkRecordContent(new Array(20_000).fill(0))).toThrow(
      expect.objectContaining({ code: 'KYC_RECORD_TOO_LARGE' }),
    );
    expect(checkRecordContent({ photo: new Uint8Array(100_000), at: new Date(0) })).toEqual([]);
  });
});
