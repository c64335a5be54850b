/**
 * The card-substitute record of the My Number Card (カード代替電磁的記録): docType
 * `org.iso.23220.1.jp.mnc`, an ISO/IEC 18013-5 mdoc with two namespaces.
 *
 * - `org.iso.23220.1.jp` — the Japan-specific card-face data (text forms as printed on the card).
 * - `org.iso.23220.1` — the ISO/IEC 23220-2 generic elements (birth date, sex, age attestations).
 *
 * Element formats follow the Digital Agency's published list; where a format is not public (the
 * value formats of the `_unicode` elements) this table is the single place that encodes our reading.
 *
 * My Number (`individual_number_unicode`) is special: a business may not collect it without a legal
 * basis (番号法 §15, §19, §20). `buildJpMncRequest` refuses to ask for it unless a basis is given, and
 * `redactMyNumber` removes it from anything about to be logged or recorded.
 */
import { type CborValue, parseFullDate } from '@mynakit/cbor';
import { MdocError } from '../errors.js';
import { setOwn } from '../internal/own.js';

export const JP_MNC_DOCTYPE = 'org.iso.23220.1.jp.mnc';
/** Japan-specific namespace of the card-substitute record. */
export const JP_MNC_NAMESPACE = 'org.iso.23220.1.jp';
/** ISO/IEC 23220-2 generic namespace. */
export const ISO_23220_NAMESPACE = 'org.iso.23220.1';
/** The element that carries My Number (個人番号). */
export const MY_NUMBER_ELEMENT = 'individual_number_unicode';

export type JpMncElementType =
  | 'tstr'
  | 'bstr'
  | 'uint'
  | 'bool'
  /** `full-date` (RFC 8943 tag 1004, or tag 100) or the ISO/IEC 23220-2 map `{ birth_date: full-date }`. */
  | 'birth-date';

export interface JpMncElementDefinition {
  readonly namespace: string;
  readonly identifier: string;
  readonly type: JpMncElementType;
  readonly label: { readonly ja: string; readonly en: string };
  /** Extra format rule beyond the CBOR type; returns a reason (never the value) or undefined. */
  readonly format?: (value: CborValue) => string | undefined;
}

const digits = (min: number, max: number) => (v: CborValue) =>
  typeof v === 'string' && new RegExp(`^[0-9]{${min},${max}}$`).test(v)
    ? undefined
    : min === max
      ? `must be ${min} ASCII digits`
      : `must be ${min}–${max} ASCII digits`;

const nonEmpty = (v: CborValue) => (typeof v === 'string' && v.length > 0 ? undefined : 'must not be empty');

/** ISO/IEC 5218 codes: 0 not known, 1 male, 2 female, 9 not applicable. */
const ISO_5218 = new Set([0, 1, 2, 9]);

const DEFINITIONS: readonly JpMncElementDefinition[] = [
  {
    namespace: JP_MNC_NAMESPACE,
    identifier: 'full_name_unicode',
    type: 'tstr',
    label: { ja: '氏名', en: 'Full name' },
    format: nonEmpty,
  },
  {
    namespace: JP_MNC_NAMESPACE,
    identifier: 'resident_address_unicode',
    type: 'tstr',
    label: { ja: '住所', en: 'Address' },
    format: nonEmpty,
  },
  {
    namespace: JP_MNC_NAMESPACE,
    identifier: 'local_gov_code_unicode',
    type: 'tstr',
    label: { ja: '市区町村コード', en: 'Municipality code' },
    // 5 digits (総務省 全国地方公共団体コード without check digit) or 6 (with it).
    format: digits(5, 6),
  },
  {
    namespace: JP_MNC_NAMESPACE,
    identifier: MY_NUMBER_ELEMENT,
    type: 'tstr',
    label: { ja: '個人番号', en: 'My Number (individual number)' },
    format: digits(12, 12),
  },
  {
    namespace: JP_MNC_NAMESPACE,
    identifier: 'portrait',
    type: 'bstr',
    label: { ja: '顔写真', en: 'Portrait' },
  },
  {
    namespace: JP_MNC_NAMESPACE,
    identifier: 'sex_unicode',
    type: 'tstr',
    label: { ja: '性別', en: 'Sex' },
    format: nonEmpty,
  },
  {
    namespace: JP_MNC_NAMESPACE,
    identifier: 'birth_date_unicode',
    type: 'tstr',
    label: { ja: '生年月日', en: 'Date of birth' },
    format: nonEmpty,
  },
  {
    namespace: ISO_23220_NAMESPACE,
    identifier: 'birth_date',
    type: 'birth-date',
    label: { ja: '生年月日', en: 'Date of birth' },
  },
  {
    namespace: ISO_23220_NAMESPACE,
    identifier: 'sex',
    type: 'uint',
    label: { ja: '性別（ISO/IEC 5218）', en: 'Sex (ISO/IEC 5218)' },
    format: (v) =>
      typeof v === 'number' && ISO_5218.has(v) ? undefined : 'must be an ISO/IEC 5218 code (0, 1, 2 or 9)',
  },
  {
    namespace: ISO_23220_NAMESPACE,
    identifier: 'age_in_years',
    type: 'uint',
    label: { ja: '年齢', en: 'Age in years' },
  },
];

const AGE_OVER = /^age_over_([0-9]{2})$/;

const BY_KEY = new Map(DEFINITIONS.map((d) => [`${d.namespace}\u0000${d.identifier}`, d]));

/** The definitions of every fixed element of the profile (age_over_NN is a pattern, see `jpMncElement`). */
export const JP_MNC_ELEMENTS: readonly JpMncElementDefinition[] = DEFINITIONS;

/** The definition of one element, including `age_over_NN` (NN = two digits) in `org.iso.23220.1`. */
export function jpMncElement(namespace: string, identifier: string): JpMncElementDefinition | undefined {
  const fixed = BY_KEY.get(`${namespace}\u0000${identifier}`);
  if (fixed) return fixed;
  const m = namespace === ISO_23220_NAMESPACE ? AGE_OVER.exec(identifier) : null;
  if (!m) return undefined;
  const nn = Number(m[1]);
  return {
    namespace,
    identifier,
    type: 'bool',
    label: { ja: `${nn}歳以上`, en: `Age over ${nn}` },
  };
}

/** Display label of an element in Japanese or English; the identifier itself when unknown. */
export function jpMncLabel(namespace: string, identifier: string, lang: 'ja' | 'en' = 'ja'): string {
  return jpMncElement(namespace, identifier)?.label[lang] ?? identifier;
}

/**
 * The birth date as `YYYY-MM-DD` from either ISO/IEC 23220-2 form: a bare full-date (RFC 8943 tag 1004,
 * or tag 100 epoch days), or the map `{ birth_date: full-date, ? approximate_mask: tstr }`. Undefined
 * when the value has neither form or is not a calendar date.
 */
export function jpMncBirthDate(value: CborValue): string | undefined {
  const v = value instanceof Map ? value.get('birth_date') : value;
  if (v === undefined) return undefined;
  try {
    return parseFullDate(v);
  } catch {
    return undefined;
  }
}

function typeProblem(type: JpMncElementType, v: CborValue): string | undefined {
  switch (type) {
    case 'tstr':
      return typeof v === 'string' ? undefined : 'must be a text string';
    case 'bstr':
      return v instanceof Uint8Array ? undefined : 'must be a byte string';
    case 'uint':
      return (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n)
        ? undefined
        : 'must be an unsigned integer';
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'must be a boolean';
    case 'birth-date':
      return jpMncBirthDate(v) !== undefined
        ? undefined
        : 'must be a full-date (tag 1004) or {birth_date: full-date}';
  }
}

export interface JpMncElementProblem {
  readonly namespace: string;
  readonly identifier: string;
  /** Why the element is not acceptable — the rule, never the value. */
  readonly reason: string;
}

/**
 * Checks one element value against the profile: CBOR type, then format (5–6 digit municipality
 * code, 12-digit My Number, ISO/IEC 5218 sex code…). Returns undefined when acceptable.
 */
export function validateJpMncElement(
  namespace: string,
  identifier: string,
  value: CborValue,
): JpMncElementProblem | undefined {
  const def = jpMncElement(namespace, identifier);
  if (!def) return { namespace, identifier, reason: 'not an element of org.iso.23220.1.jp.mnc' };
  const reason = typeProblem(def.type, value) ?? def.format?.(value);
  return reason === undefined ? undefined : { namespace, identifier, reason };
}

/** Element values by namespace then identifier. */
export type ElementsByNamespace = Readonly<Record<string, Readonly<Record<string, CborValue>>>>;

/** Checks every element of a record (e.g. before issuing); an empty array means all are acceptable. */
export function validateJpMncElements(elements: ElementsByNamespace): JpMncElementProblem[] {
  const problems: JpMncElementProblem[] = [];
  for (const [ns, items] of Object.entries(elements)) {
    for (const [id, value] of Object.entries(items)) {
      const p = validateJpMncElement(ns, id, value);
      if (p) problems.push(p);
    }
  }
  return problems;
}

/**
 * The My Number check digit (「行政手続における特定の個人を識別するための番号の利用等に関する法律施行令」
 * 第8条): weights 2–7 then 2–6 over the first eleven digits read from the right, modulus 11.
 */
export function isMyNumberCheckDigitValid(myNumber: string): boolean {
  if (!/^[0-9]{12}$/.test(myNumber)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = myNumber.charCodeAt(11 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  const check = r <= 1 ? 0 : 11 - r;
  return check === myNumber.charCodeAt(11) - 48;
}

/** The legal basis under which a relying party may receive My Number (番号法 §19 and the item used). */
export interface MyNumberLegalBasis {
  /** The statute and provision, e.g. `番号法第19条第1号` or `Act on the Use of Numbers, Art. 19(i)`. */
  readonly provision: string;
  /** What the number is used for (e.g. 法定調書作成 / statutory tax reports). */
  readonly purpose?: string;
}

/** A request for one document, as `presentMdoc` and `buildDeviceRequest` take it. */
export interface JpMncItemsRequest {
  readonly docType: typeof JP_MNC_DOCTYPE;
  /** Requested element identifiers per namespace, each with its intent to retain (ISO 18013-5 §8.3.2.1.2.1). */
  readonly nameSpaces: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  /** The legal basis recorded with the request when My Number is asked for. */
  readonly legalBasis?: MyNumberLegalBasis;
}

export interface BuildJpMncRequestOptions {
  /** Requested elements: identifiers per namespace (a list, or identifier → intent to retain). */
  readonly elements: Readonly<Record<string, readonly string[] | Readonly<Record<string, boolean>>>>;
  /** Required to request `individual_number_unicode`; omitted → the request is refused. */
  readonly legalBasis?: MyNumberLegalBasis;
  /** Intent to retain for elements given as a list (default false). */
  readonly intentToRetain?: boolean;
}

/**
 * Builds the items request for a card-substitute record, refusing what a relying party may not ask
 * for: unknown elements (`MDOC_ELEMENT_INVALID`) and My Number without an explicit legal basis
 * (`MY_NUMBER_WITHOUT_LEGAL_BASIS`).
 */
export function buildJpMncRequest(options: BuildJpMncRequestOptions): JpMncItemsRequest {
  const nameSpaces: Record<string, Record<string, boolean>> = {};
  let count = 0;
  for (const [ns, spec] of Object.entries(options.elements)) {
    const entries: [string, boolean][] = Array.isArray(spec)
      ? (spec as readonly string[]).map((id) => [id, options.intentToRetain ?? false])
      : Object.entries(spec as Readonly<Record<string, boolean>>);
    for (const [id, retain] of entries) {
      if (!jpMncElement(ns, id)) {
        throw new MdocError('MDOC_ELEMENT_INVALID', `${ns}/${id} is not an element of ${JP_MNC_DOCTYPE}`);
      }
      if (id === MY_NUMBER_ELEMENT && !isLegalBasis(options.legalBasis)) {
        throw new MdocError(
          'MY_NUMBER_WITHOUT_LEGAL_BASIS',
          `${MY_NUMBER_ELEMENT} may only be requested with an explicit legal basis (番号法 §19)`,
        );
      }
      nameSpaces[ns] = { ...nameSpaces[ns], [id]: retain };
      count++;
    }
  }
  if (count === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'the request names no element');
  const request: JpMncItemsRequest = { docType: JP_MNC_DOCTYPE, nameSpaces };
  return options.legalBasis && nameSpaces[JP_MNC_NAMESPACE]?.[MY_NUMBER_ELEMENT] !== undefined
    ? { ...request, legalBasis: options.legalBasis }
    : request;
}

function isLegalBasis(b: MyNumberLegalBasis | undefined): b is MyNumberLegalBasis {
  return b !== undefined && typeof b.provision === 'string' && b.provision.trim().length > 0;
}

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * A copy of any element map (by namespace or flat, nested objects or Maps) with My Number removed,
 * for logs and verification records. Redacts the `individual_number_unicode` element wherever it
 * appears and, defensively, any other text that is a well-formed My Number (12 digits with a valid
 * check digit), because a number copied into another field is still the number.
 */
export function redactMyNumber<T>(elements: T): T {
  return redact(elements, 0) as T;
}

function redact(v: unknown, depth: number): unknown {
  if (depth > 32) return v;
  if (typeof v === 'string') return isMyNumberCheckDigitValid(v) ? REDACTED : v;
  if (v instanceof Map) {
    const out = new Map();
    for (const [k, x] of v) out.set(k, k === MY_NUMBER_ELEMENT ? REDACTED : redact(x, depth + 1));
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => redact(x, depth + 1));
  if (v !== null && typeof v === 'object') {
    // Plain records and null-prototype dictionaries alike; keys are namespaces and identifiers (received
    // text), so they are written as own properties: a namespace named `__proto__` stays in the copy.
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      setOwn(out, k, k === MY_NUMBER_ELEMENT ? REDACTED : redact(x, depth + 1));
    return out;
  }
  return v;
}
