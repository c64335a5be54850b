import { JpkiError } from './errors.js';

/**
 * Character substitution (代替文字) in the JPKI name and address.
 *
 * J-LIS writes the name and address with a restricted repertoire; a character outside it is replaced by a
 * stand-in and the parallel substitution map (otherName …5.5.2 / …5.5.6) carries one `0`/`1` per character
 * of the written text, `1` marking a stand-in. A verifier comparing the certificate with another source must
 * treat a `1` position as "some character" (see compare-identity.ts).
 *
 * The exact J-LIS repertoire (JIS X 0208 plus J-LIS extensions) is not public data we can ship, so the
 * repertoire is a predicate the caller may replace. The default accepts single BMP code points that are not
 * controls, private-use, surrogates or unassigned, and rejects anything carrying combining marks or
 * variation selectors (an IVS glyph variant such as 葛󠄀 becomes its base character, marked `1`).
 */
export interface SubstitutedText {
  readonly text: string;
  /** One `0`/`1` per code point of `text`. */
  readonly map: string;
}

export interface SubstitutionOptions {
  /** Whether a character unit (a base code point with its combining marks/variation selectors) may be written as is. */
  readonly isAllowed?: (unit: string) => boolean;
  /** The stand-in for a unit that is not allowed (default: its base character if allowed, else 〓 U+3013 GETA MARK). */
  readonly substitute?: (unit: string) => string;
}

/** U+3013 GETA MARK: the conventional stand-in for a character that cannot be represented. */
export const GETA_MARK = '\u3013';

const DISALLOWED_CATEGORY = /[\p{Cc}\p{Co}\p{Cs}\p{Cn}]/u;

export function isAllowedByDefault(unit: string): boolean {
  const cps = Array.from(unit);
  if (cps.length !== 1) return false;
  const cp = unit.codePointAt(0) ?? 0;
  return cp <= 0xffff && !DISALLOWED_CATEGORY.test(unit);
}

/** Splits text into units: a base code point followed by any combining marks (incl. variation selectors). */
export function characterUnits(text: string): string[] {
  return text.match(/\P{M}\p{M}*|\p{M}+/gu) ?? [];
}

export function substituteText(original: string, options: SubstitutionOptions = {}): SubstitutedText {
  const isAllowed = options.isAllowed ?? isAllowedByDefault;
  const substitute =
    options.substitute ??
    ((unit: string) => {
      const base = Array.from(unit)[0] ?? '';
      return base !== '' && isAllowed(base) ? base : GETA_MARK;
    });
  let text = '';
  let map = '';
  for (const unit of characterUnits(original.normalize('NFC'))) {
    if (isAllowed(unit)) {
      text += unit;
      map += '0'.repeat(Array.from(unit).length);
    } else {
      const stand = substitute(unit);
      const n = Array.from(stand).length;
      if (n === 0) throw new JpkiError('INVALID_ARGUMENT', 'a substitute must be at least one character');
      text += stand;
      map += '1'.repeat(n);
    }
  }
  return { text, map };
}

/** Checks a map against its text: only `0`/`1`, one per code point. Throws INVALID_SUBSTITUTION_MAP. */
export function assertSubstitutionMap(text: string, map: string, field: string): void {
  if (!/^[01]*$/.test(map)) {
    throw new JpkiError('INVALID_SUBSTITUTION_MAP', `${field} substitution map may contain only 0 and 1`);
  }
  const n = codePointCount(text);
  if (map.length !== n) {
    throw new JpkiError(
      'INVALID_SUBSTITUTION_MAP',
      `${field} substitution map has ${map.length} positions for ${n} characters`,
    );
  }
}

/** Code points in a string (a surrogate pair counts once), without building an array of them. */
function codePointCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** A map with no substitution for a text. */
export function identityMap(text: string): string {
  return '0'.repeat(Array.from(text).length);
}
