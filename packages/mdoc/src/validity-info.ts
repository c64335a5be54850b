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
import { type CborMap, type CborValue, parseTdate, Tagged, tdate } from '@mynakit/cbor';
import { MdocError } from './errors.js';
import { fail, required } from './internal/shape.js';

export interface ValidityInfo {
  readonly signed: Date;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly expectedUpdate?: Date;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The form issuers write (§9.1.2.4: `YYYY-MM-DDTHH:MM:SSZ`), parsed without a regular expression —
 * the MSO has three or four of them per response. Anything else (fractions, offsets, tag 1) goes to
 * `parseTdate`, which accepts every RFC 3339 form.
 */
function fastTdate(v: CborValue): Date | undefined {
  if (!(v instanceof Tagged) || v.tag !== 0 || typeof v.value !== 'string') return undefined;
  const s = v.value;
  if (
    s.length !== 20 ||
    s[4] !== '-' ||
    s[7] !== '-' ||
    s[10] !== 'T' ||
    s[13] !== ':' ||
    s[16] !== ':' ||
    s[19] !== 'Z'
  ) {
    return undefined;
  }
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
    return undefined;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  if (d > (DAYS[mo - 1] as number) + leap) return undefined;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
}

function date(m: CborMap, key: string, where: string): Date {
  const v = required(m, key, where);
  const fast = fastTdate(v);
  if (fast && fast.getUTCFullYear() === digits((v as Tagged).value as string, 0, 4)) return fast;
  try {
    return parseTdate(v);
  } catch (e) {
    fail(`${where}.${key} must be a tdate`, e);
  }
}

export function decodeValidityInfo(value: CborValue, where = 'ValidityInfo'): ValidityInfo {
  if (!(value instanceof Map)) fail(`${where} must be a map`);
  const info: ValidityInfo = {
    signed: date(value, 'signed', where),
    validFrom: date(value, 'validFrom', where),
    validUntil: date(value, 'validUntil', where),
  };
  return value.has('expectedUpdate')
    ? { ...info, expectedUpdate: date(value, 'expectedUpdate', where) }
    : info;
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
