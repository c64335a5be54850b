/**
 * ValidityInfo — ISO/IEC 18013-5:2021 §9.1.2.4:
 *
 *   ValidityInfo = {
 *     "signed" : tdate,
 *     "validFrom" : tdate,
 *     "validUntil" : tdate,
 *     ? "expectedUpdate" : tdate
 *   }
 *
 * §9.1.2.4 asks issuers for tdate without fractional seconds, so we write them without; on input we
 * accept fractional seconds and offsets (Google's wallet sends them) and tag 1 epoch times.
 */
import { type CborMap, type CborValue, type LeanReader, parseTdate, tdate } from '@mynakit/cbor';
import { MdocError } from './errors.js';
import { keySet, more, nextKey, otherKey, readDecoded, structureMapHead } from './internal/lean-map.js';
import { fail } from './internal/shape.js';

export interface ValidityInfo {
  readonly signed: Date;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly expectedUpdate?: Date;
}

const VALIDITY = keySet('signed', 'validFrom', 'validUntil', 'expectedUpdate');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Offsets of the digits in `YYYY-MM-DDTHH:MM:SSZ`. */
const TDATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function twoDigits(b: Uint8Array, at: number): number {
  return ((b[at] as number) - 0x30) * 10 + ((b[at + 1] as number) - 0x30);
}

/**
 * A tdate of exactly the form issuers write (§9.1.2.4: `c0 74` + `YYYY-MM-DDTHH:MM:SSZ`), parsed
 * where it lies — the MSO has three or four per response. Anything else (fractions, offsets, tag 1,
 * a year before 100) returns undefined without consuming anything.
 */
function plainTdateAt(r: LeanReader): Date | undefined {
  const b = r.bytes;
  const p = r.pos;
  if (p + 22 > r.limit || b[p] !== 0xc0 || b[p + 1] !== 0x74) return undefined;
  const s = p + 2;
  if (
    b[s + 4] !== 0x2d ||
    b[s + 7] !== 0x2d ||
    b[s + 10] !== 0x54 ||
    b[s + 13] !== 0x3a ||
    b[s + 16] !== 0x3a ||
    b[s + 19] !== 0x5a
  ) {
    return undefined;
  }
  for (let i = 0; i < TDATE_DIGITS.length; i++) {
    const c = b[s + (TDATE_DIGITS[i] as number)] as number;
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const y = twoDigits(b, s) * 100 + twoDigits(b, s + 2);
  const mo = twoDigits(b, s + 5);
  const d = twoDigits(b, s + 8);
  const h = twoDigits(b, s + 11);
  const mi = twoDigits(b, s + 14);
  const sec = twoDigits(b, s + 17);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return undefined;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  if (d > (DAYS[mo - 1] as number) + leap) return undefined;
  r.pos = p + 22;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
}

/** Any other tdate (RFC 3339 with fractions or offsets, tag 1 epoch time), decoded and parsed. */
function tdateAt(r: LeanReader, where: string): Date {
  const v = r.value();
  try {
    return parseTdate(v);
  } catch (e) {
    fail(`${where} must be a tdate`, e);
  }
}

/**
 * ValidityInfo read in place, at the cursor of a reader over the received bytes (the MSO's, inside
 * MobileSecurityObjectBytes): any key order, unknown keys skipped (at most `LIMITS.mapKeys` keys), a
 * key twice refused.
 */
export function readValidityInfo(r: LeanReader, where = 'ValidityInfo'): ValidityInfo {
  const dates: (Date | undefined)[] = [undefined, undefined, undefined, undefined];
  let seen = 0;
  let others: Set<string> | undefined;
  const n = structureMapHead(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, VALIDITY, seen, where, n, i);
    if (k < 0) {
      others = otherKey(others, where);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    dates[k] = plainTdateAt(r) ?? tdateAt(r, `${where}.${VALIDITY.names[k]}`);
  }
  const [signed, validFrom, validUntil, expectedUpdate] = dates;
  if (!signed) fail(`${where} lacks "signed"`);
  if (!validFrom) fail(`${where} lacks "validFrom"`);
  if (!validUntil) fail(`${where} lacks "validUntil"`);
  return expectedUpdate
    ? { signed, validFrom, validUntil, expectedUpdate }
    : { signed, validFrom, validUntil };
}

/** ValidityInfo from a decoded value (read by `readValidityInfo`). */
export function decodeValidityInfo(value: CborValue, where = 'ValidityInfo'): ValidityInfo {
  return readDecoded(value, where, (r) => readValidityInfo(r, where));
}

export function encodeValidityInfo(info: ValidityInfo): CborMap {
  for (const k of ['signed', 'validFrom', 'validUntil'] as const) {
    if (!(info[k] instanceof Date) || Number.isNaN(info[k].getTime())) {
      throw new MdocError('MDOC_INVALID_ARGUMENT', `validityInfo.${k} must be a valid Date`);
    }
  }
  if (info.validUntil.getTime() < info.validFrom.getTime()) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'validityInfo.validUntil is before validFrom');
  }
  const m: CborMap = new Map<CborValue, CborValue>([
    ['signed', tdate(info.signed)],
    ['validFrom', tdate(info.validFrom)],
    ['validUntil', tdate(info.validUntil)],
  ]);
  if (info.expectedUpdate) m.set('expectedUpdate', tdate(info.expectedUpdate));
  return m;
}
