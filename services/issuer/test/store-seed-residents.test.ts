import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkIssuanceEligibility, encodeBasicFour, formatJpkiBirthDate } from '@mynakit/jpki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_MUNICIPALITIES,
  SEED_RESIDENTS,
  seedResidents,
  syntheticResidents,
  withCheckDigit,
} from '../src/residents/seed-residents.js';
import { type IssuerStore, openIssuerStore } from '../src/store/index.js';
import { codeOf } from './store.cases.js';

const ON = new Date('2026-11-26T00:00:00Z');
const calendar = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};
const jpkiSex = (sex: number) => (sex === 1 ? '1' : sex === 2 ? '2' : '3');
const byId = (id: string) => SEED_RESIDENTS.find((r) => r.id === id) as (typeof SEED_RESIDENTS)[number];

describe('seeded test residents', () => {
  it('have unique ids and cover every sex value', () => {
    expect(new Set(SEED_RESIDENTS.map((r) => r.id)).size).toBe(SEED_RESIDENTS.length);
    expect(new Set(SEED_RESIDENTS.map((r) => r.sex))).toEqual(new Set([1, 2, 3, 9]));
  });

  it('all encode as the basic four of a JPKI signature certificate', () => {
    for (const r of SEED_RESIDENTS) {
      const b = encodeBasicFour({
        name: r.fullName,
        address: r.address,
        birthDate: calendar(r.birthDate),
        sex: jpkiSex(r.sex),
      });
      const substituted = r.id === 'sandbox-substituted-characters';
      expect(b.nameSubstitutionMap.includes('1'), r.id).toBe(substituted);
      expect(b.addressSubstitutionMap.includes('1'), r.id).toBe(substituted);
    }
  });

  it('substitute 𠮷 and the IVS variant of 葛 in the name, 𠮷 in the address', () => {
    const r = byId('sandbox-substituted-characters');
    const b = encodeBasicFour({
      name: r.fullName,
      address: r.address,
      birthDate: calendar(r.birthDate),
      sex: '2',
    });
    expect(b.name).toBe('〓野\u3000葛子');
    expect(b.nameSubstitutionMap).toBe('10010');
    expect(b.address).toContain('〓野町髙見台');
  });

  it('hold an address near the 200-character limit and a long foreign name', () => {
    expect(Array.from(byId('sandbox-long-address').address).length).toBe(197);
    const foreign = byId('sandbox-long-foreign-name');
    expect(foreign.fullName.length).toBeGreaterThan(60);
    expect(foreign.fullNameKana?.length).toBeGreaterThan(40);
  });

  it('have exactly one resident under 15 (no signature certificate, hence no record)', () => {
    const refused = SEED_RESIDENTS.filter(
      (r) => !checkIssuanceEligibility('signature', calendar(r.birthDate), ON).eligible,
    );
    expect(refused.map((r) => r.id)).toEqual(['sandbox-under-15']);
  });

  it('put the first day of Heisei in era 4', () => {
    expect(formatJpkiBirthDate(calendar(byId('sandbox-heisei-first-day').birthDate))).toBe('419890108');
  });

  it('use real-format municipality codes with their check digit', () => {
    expect(withCheckDigit('13101')).toBe('131016'); // 千代田区, the published code
    expect(withCheckDigit('01100')).toBe('011002'); // 札幌市
    for (const m of SANDBOX_MUNICIPALITIES) expect(withCheckDigit(m.code.slice(0, 5))).toBe(m.code);
    for (const r of SEED_RESIDENTS) {
      expect(r.municipalityCode).toMatch(/^\d{6}$/);
      expect(r.address.includes(r.municipalityName) || r.id === 'sandbox-long-address').toBe(true);
    }
    expect(() => withCheckDigit('1310')).toThrow(expect.objectContaining({ code: 'ISSUER_INVALID_INPUT' }));
  });

  it('generate reproducible synthetic residents lazily, within a bound', () => {
    const first = [...syntheticResidents(100, { seed: 3 })];
    expect([...syntheticResidents(100, { seed: 3 })]).toEqual(first);
    expect([...syntheticResidents(100, { seed: 4 })]).not.toEqual(first);
    expect(() => syntheticResidents(-1).next()).toThrow(
      expect.objectContaining({ code: 'ISSUER_INVALID_INPUT' }),
    );
  });
});

describe('seedResidents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mynakit-issuer-seed-'));
  let store: IssuerStore;
  beforeAll(async () => {
    store = await openIssuerStore({ url: `sqlite:${join(dir, 'issuer.sqlite')}` });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the seeded residents once, however often it runs', async () => {
    const [x, y] = await Promise.all([
      seedResidents(store.residents, ON.getTime()),
      seedResidents(store.residents, ON.getTime()),
    ]);
    expect(x + y).toBe(SEED_RESIDENTS.length);
    expect(await seedResidents(store.residents, ON.getTime())).toBe(0);
    const r = await store.residents.get('sandbox-substituted-characters');
    expect(r?.fullName).toBe(byId('sandbox-substituted-characters').fullName);
    expect(await store.residents.count()).toBe(SEED_RESIDENTS.length);
    expect(await codeOf(store.residents.bulkInsert(syntheticResidents(1, { seed: 1 }), { now: -1 }))).toBe(
      'ISSUER_INVALID_INPUT',
    );
  });
});
