/**
 * The copayment rate (一部負担金割合) of the public health insurance by age, as an effective-dated table
 * (DOMAIN.md: facts tagged [S] or [I] live in a dated table, never in scattered literals), and the sandbox's
 * synthetic insurer numbers.
 *
 * | effective from | bracket | rate | tag |
 * |---|---|---|---|
 * | 2014-04-01 | before primary-school entry (未就学児: until the 31 March after the 6th birthday) | 20 % | [S] |
 * | 2014-04-01 | from school entry to 69 | 30 % | [S] |
 * | 2014-04-01 | 70–74 (from the 1st of the month after the 70th birthday; the birthday's month when born on the 1st) | 20 % | [S] |
 * | 2014-04-01 | 75 and older (後期高齢者医療, from the 75th birthday) | 10 % | [S] |
 * | — | income-dependent rates (現役並み所得 30 %, 一定以上所得 20 % for 75+ since 2022-10-01) | not modelled | [I] |
 *
 * The brief's shorthand "20 % under 6" is the pre-school bracket; the sandbox registry does not model
 * income, so every 70+ resident gets the general rate [I]. Only the newest row whose date is on or before
 * the day asked is used.
 */

/** One row of the dated table: from `effectiveFrom`, the rate for each bracket. */
export interface CopaymentSchedule {
  /** `YYYY-MM-DD`. */
  readonly effectiveFrom: string;
  readonly preSchool: number;
  readonly working: number;
  readonly from70: number;
  readonly from75: number;
  readonly tag: '[S]' | '[I]';
}

/** The dated table, oldest first. */
export const COPAYMENT_SCHEDULES: readonly CopaymentSchedule[] = [
  { effectiveFrom: '2014-04-01', preSchool: 20, working: 30, from70: 20, from75: 10, tag: '[S]' },
];

/** A calendar date as `YYYY-MM-DD` text (days compare as texts). */
type Day = string;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dayOf = (y: number, m: number, d: number): Day => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function parts(day: Day): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

/** The day before `day`. */
export function dayBefore(day: Day): Day {
  const [y, m, d] = parts(day);
  const t = new Date(Date.UTC(y, m - 1, d) - 86_400_000);
  return dayOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The `years`-th birthday (29 February born: 1 March in common years, as the age-counting law reads it [S]). */
function birthday(birthDate: Day, years: number): Day {
  const [y, m, d] = parts(birthDate);
  const t = new Date(Date.UTC(y + years, m - 1, d));
  return dayOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * The days on which a resident born on `birthDate` changes bracket: school entry (1 April after the 6th
 * birthday; a child born 1 April enters the year before — 早生まれ, the law counts age from the day before the
 * birthday [S]), the 70 bracket and the 75th birthday.
 */
export function bracketStarts(birthDate: Day): { school: Day; from70: Day; from75: Day } {
  const [y, m, d] = parts(birthDate);
  // The 6th birthday is reached the day before it (年齢計算ニ関スル法律): born 2 April … 1 April of the next
  // year enter school together.
  const sixth = dayBefore(birthday(birthDate, 6));
  const [sy, sm] = parts(sixth);
  const school = sm >= 4 ? dayOf(sy + 1, 4, 1) : dayOf(sy, 4, 1);
  const seventieth = new Date(Date.UTC(y + 70, m - 1, d));
  const from70 =
    d === 1
      ? dayOf(seventieth.getUTCFullYear(), seventieth.getUTCMonth() + 1, 1)
      : (() => {
          const next = new Date(Date.UTC(seventieth.getUTCFullYear(), seventieth.getUTCMonth() + 1, 1));
          return dayOf(next.getUTCFullYear(), next.getUTCMonth() + 1, 1);
        })();
  return { school, from70, from75: birthday(birthDate, 75) };
}

/**
 * The copayment in percent on `day` for a resident born on `birthDate`, and the last day it holds (the day
 * before the next bracket starts; undefined from 75 on). Undefined when no schedule is in force on `day`.
 */
export function copaymentOn(
  birthDate: Day,
  day: Day,
): { percent: number; validUntil: Day | undefined } | undefined {
  let schedule: CopaymentSchedule | undefined;
  for (const s of COPAYMENT_SCHEDULES) if (s.effectiveFrom <= day) schedule = s;
  if (schedule === undefined) return undefined;
  const b = bracketStarts(birthDate);
  if (day < b.school) return { percent: schedule.preSchool, validUntil: dayBefore(b.school) };
  if (day < b.from70) return { percent: schedule.working, validUntil: dayBefore(b.from70) };
  if (day < b.from75) return { percent: schedule.from70, validUntil: dayBefore(b.from75) };
  return { percent: schedule.from75, validUntil: undefined };
}

/**
 * Sandbox insurer numbers [I]: 8 digits as 保険者番号 are built (法別番号 2 digits, 都道府県番号 2 digits,
 * 保険者別番号 3 digits, check digit), with 法別番号 `99`, which no health insurer uses [I] — so a sandbox
 * number cannot be mistaken for a real insurer's. The insurer-specific part is `990`, like the sandbox's
 * municipality numbers.
 */
export const SANDBOX_INSURER_LAW_NUMBER = '99';

/**
 * The check digit of a 保険者番号 [S]: over the first 7 digits, from the right, weights 2, 1, 2, 1 …; the
 * digits of each product are summed; the check digit is (10 − sum mod 10) mod 10.
 */
export function insurerCheckDigit(first7: string): string {
  let sum = 0;
  for (let i = 0; i < first7.length; i++) {
    const digit = Number(first7[first7.length - 1 - i]);
    const product = digit * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  }
  return String((10 - (sum % 10)) % 10);
}

/** The sandbox insurer number of a prefecture (2-digit code from the municipality code). */
export function sandboxInsurerNumber(prefecture: string): string {
  const first7 = `${SANDBOX_INSURER_LAW_NUMBER}${prefecture}990`;
  return `${first7}${insurerCheckDigit(first7)}`;
}
