/**
 * The sandbox insurer registry's seed: each seeded resident gets one health-insurance qualification so the
 * clinic story (online qualification confirmation, DOMAIN.md §3) has something to answer. Numbers are
 * synthetic and marked as the sandbox's (copayment.ts SANDBOX_INSURER_LAW_NUMBER); the copayment follows the
 * resident's age on the seeding day, and the qualification ends the day before the next age bracket, so the
 * registry never answers a stale rate.
 */
import { IssuerError } from '../errors.js';
import type { IssuerRepositories } from '../store/issuer-store.js';
import { copaymentOn, sandboxInsurerNumber } from './copayment.js';

/** Japan Standard Time: the calendar day of an instant in Japan (UTC+9, no daylight saving). */
export function jstDay(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** The sandbox's 記号: one per prefecture (the insurer's office), `試験` + the 2-digit prefecture code. */
export function sandboxSymbol(prefecture: string): string {
  return `試験${prefecture}`;
}

/**
 * Registers a qualification for each resident (in the given order: the n-th gets 番号 n, 6 digits) that has
 * none yet; returns how many were registered. Residents not in the register are skipped.
 */
export async function seedQualifications(
  repos: Pick<IssuerRepositories, 'residents' | 'insurance'>,
  residentIds: readonly string[],
  now: Date,
): Promise<number> {
  const today = jstDay(now);
  let seeded = 0;
  for (const [i, id] of residentIds.entries()) {
    const resident = await repos.residents.get(id);
    if (!resident || (await repos.insurance.countForResident(id)) > 0) continue;
    const copayment = copaymentOn(resident.birthDate, today);
    if (copayment === undefined) continue;
    const prefecture = resident.municipalityCode.slice(0, 2);
    try {
      await repos.insurance.create(
        {
          id: `sandbox-qualification-${id}`,
          residentId: id,
          insurerNumber: sandboxInsurerNumber(prefecture),
          symbol: sandboxSymbol(prefecture),
          number: String(i + 1).padStart(6, '0'),
          branch: '00',
          copaymentPercent: copayment.percent,
          validFrom: today,
          validUntil: copayment.validUntil ?? null,
        },
        now.getTime(),
      );
    } catch (e) {
      // Another instance seeded this resident a moment ago.
      if (e instanceof IssuerError && e.code === 'ISSUER_DUPLICATE') continue;
      throw e;
    }
    seeded++;
  }
  return seeded;
}
