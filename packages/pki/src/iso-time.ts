/**
 * `Date.prototype.toISOString` (ECMA-262 §21.4.4.36: `YYYY-MM-DDTHH:mm:ss.sssZ`), written in JS.
 *
 * Why: verification reports state their times (validity windows, OCSP thisUpdate/nextUpdate, `now`), a
 * few per verification, and V8's builtin costs about three times what this does. The string is made in
 * one piece from its character codes (a template literal would build a rope of a dozen parts). Years
 * outside 0000–9999 (the ±YYYYYY extended form) and invalid dates take the builtin, which also keeps its
 * RangeError for an invalid date.
 */
export function isoTime(d: Date): string {
  // The same few instants (now, thisUpdate, nextUpdate, notAfter) are written several times in one
  // report: the last strings made are kept, by time value, in a small direct-mapped table.
  const t = d.getTime();
  // Slots by a multiplicative hash of the second: instants a whole hour or day apart (thisUpdate, now,
  // nextUpdate) would otherwise share the low bits.
  const slot = Math.imul(Math.floor(t / 1000), 0x9e3779b1) >>> (32 - RECENT_BITS);
  if (recentTimes[slot] === t) return recentStrings[slot]!;
  const s = format(d);
  recentTimes[slot] = t;
  recentStrings[slot] = s;
  return s;
}

const RECENT_BITS = 6;
const RECENT_SLOTS = 1 << RECENT_BITS;
const recentTimes = new Float64Array(RECENT_SLOTS).fill(Number.NaN);
const recentStrings: string[] = new Array<string>(RECENT_SLOTS).fill('');

function format(d: Date): string {
  const y = d.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) return d.toISOString();
  const mo = d.getUTCMonth() + 1;
  const da = d.getUTCDate();
  const h = d.getUTCHours();
  const mi = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  const ms = d.getUTCMilliseconds();
  return String.fromCharCode(
    0x30 + ((y / 1000) | 0),
    0x30 + (((y / 100) | 0) % 10),
    0x30 + (((y / 10) | 0) % 10),
    0x30 + (y % 10),
    0x2d, // -
    0x30 + ((mo / 10) | 0),
    0x30 + (mo % 10),
    0x2d, // -
    0x30 + ((da / 10) | 0),
    0x30 + (da % 10),
    0x54, // T
    0x30 + ((h / 10) | 0),
    0x30 + (h % 10),
    0x3a, // :
    0x30 + ((mi / 10) | 0),
    0x30 + (mi % 10),
    0x3a, // :
    0x30 + ((s / 10) | 0),
    0x30 + (s % 10),
    0x2e, // .
    0x30 + ((ms / 100) | 0),
    0x30 + (((ms / 10) | 0) % 10),
    0x30 + (ms % 10),
    0x5a, // Z
  );
}
