/**
 * The verification record (確認記録 under 犯収法 §6; 本人確認記録 under 携帯電話不正利用防止法): what it must
 * hold for a method, how long it is kept, and what it must never hold (DOMAIN.md §5) [S]. The items and
 * retention periods are per-law tables here; nothing else in the package names them.
 */
import { type JstDate, jstCalendarDate } from './calendar-date.js';
import { KycError } from './errors.js';
import {
  KYC_METHODS_BY_ID,
  type KycLaw,
  type KycMethod,
  kycMethodByLetter,
  parseKycLaw,
  type SourceTag,
} from './kyc-methods.js';

/** An item of the verification record, by a stable identifier a store can use as a column name. */
export type KycRecordField =
  | 'verifiedBy'
  | 'recordedBy'
  | 'verifiedAt'
  | 'method'
  | 'certificateSerial'
  | 'msoDigest'
  | 'identityDocument'
  | 'name'
  | 'address'
  | 'birthDate'
  | 'transactionType'
  | 'transactionDate'
  | 'transactionPurpose'
  | 'occupation'
  | 'signatureValue'
  | 'signingCertificate'
  | 'revocationCheck'
  | 'program';

/** An item with its names and how sure it is. */
export interface KycRecordFieldInfo {
  /** The stable identifier. */
  readonly field: KycRecordField;
  /** The item as the law's guidance names it. */
  readonly name_ja: string;
  /** The item in English. */
  readonly name_en: string;
  /** How sure it is that the law requires it (`I`: our design, e.g. the program's name and version). */
  readonly source: SourceTag;
}

/** Every item, in the order a record lists them. */
export const KYC_RECORD_FIELDS: ReadonlyMap<KycRecordField, KycRecordFieldInfo> = new Map(
  (
    [
      [
        'verifiedBy',
        '本人確認を行った者の氏名その他の当該者を特定するに足りる事項',
        'Who verified the identity',
        'S',
      ],
      [
        'recordedBy',
        '確認記録の作成者の氏名その他の当該者を特定するに足りる事項',
        'Who made the record',
        'S',
      ],
      ['verifiedAt', '本人確認を行った日付及び時刻', 'Date and time of the verification', 'S'],
      ['method', '本人確認の方法（その日の号の記号）', 'The method, with its letter as of that date', 'S'],
      [
        'certificateSerial',
        '署名用電子証明書の発行番号',
        'The JPKI signature certificate’s serial (issue) number',
        'S',
      ],
      [
        'msoDigest',
        'カード代替電磁的記録を特定する事項（MSOのSHA-256ハッシュ値）',
        'What identifies the card-substitute record: SHA-256 of its MobileSecurityObjectBytes',
        'I',
      ],
      ['identityDocument', '本人確認書類の名称及び記号番号', 'The identity document’s type and number', 'S'],
      ['name', '氏名', 'Name', 'S'],
      ['address', '住居', 'Address', 'S'],
      ['birthDate', '生年月日', 'Birth date', 'S'],
      ['transactionType', '取引（契約）の種類', 'Type of the transaction or contract', 'S'],
      ['transactionDate', '取引（契約）の日付', 'Date of the transaction or contract', 'S'],
      ['transactionPurpose', '取引を行う目的', 'Purpose of the transaction (犯収法 取引時確認)', 'S'],
      ['occupation', '職業', 'The customer’s occupation (犯収法 取引時確認)', 'S'],
      [
        'signatureValue',
        '電子署名の値（署名が行われた情報）',
        'The signature value and the signed data',
        'S',
      ],
      ['signingCertificate', '署名用電子証明書', 'The signing certificate', 'S'],
      [
        'revocationCheck',
        '失効確認の結果、日時及び確認先',
        'Revocation check: result, time and source (CRL, OCSP, status list, inquiry)',
        'S',
      ],
      [
        'program',
        '確認に用いたプログラムの名称、版及び認定の有無',
        'Verification program: name, version and whether the deployment is certified',
        'I',
      ],
    ] as const
  ).map(([field, name_ja, name_en, source]) => [field, { field, name_ja, name_en, source }] as const),
);

function info(fields: readonly KycRecordField[]): KycRecordFieldInfo[] {
  return fields.map((f) => KYC_RECORD_FIELDS.get(f)!);
}

/** Items every record holds whatever the law and method. */
const COMMON: readonly KycRecordField[] = [
  'verifiedBy',
  'recordedBy',
  'verifiedAt',
  'method',
  'name',
  'address',
  'birthDate',
  'transactionType',
  'transactionDate',
];

/** Items per law: 犯収法's 取引時確認 also records the purpose and the occupation [S]. */
const PER_LAW: ReadonlyMap<KycLaw, readonly KycRecordField[]> = new Map<KycLaw, readonly KycRecordField[]>([
  ['hanshu', ['transactionPurpose', 'occupation']],
  ['keitai', []],
]);

/** Items per content of the method. */
const PER_CONTENT: ReadonlyMap<KycMethod['content'], readonly KycRecordField[]> = new Map<
  KycMethod['content'],
  readonly KycRecordField[]
>([
  ['card-substitute-record', ['msoDigest', 'revocationCheck', 'program']],
  [
    'jpki-signature',
    ['certificateSerial', 'signatureValue', 'signingCertificate', 'revocationCheck', 'program'],
  ],
  ['ic-chip-selfie', ['identityDocument']],
  ['id-image-selfie', ['identityDocument']],
]);

function resolveMethod(law: KycLaw, method: KycMethod | string): KycMethod {
  if (typeof method === 'string') return kycMethodByLetter(law, method);
  if (typeof method === 'object' && method !== null && Object.hasOwn(method, 'id')) {
    const row = KYC_METHODS_BY_ID.get((method as { id: unknown }).id as string);
    if (row !== undefined && row.law === law) return row;
  }
  throw new KycError('KYC_UNKNOWN_METHOD', 'the method is not a row of the method table for that law');
}

/**
 * The items the record of a verification by `method` under `law` must hold, in record order:
 * who verified and recorded, when, the method and letter, the document or certificate (JPKI serial,
 * or the record's MSO digest), name, address, birth date, the transaction's type and date, purpose and
 * occupation under 犯収法, signature value and certificate for signature methods, the revocation check
 * (result, time, source) and the program (name, version, certification). `method` is a `KycMethod`, its
 * id (`hanshu:ru`) or its letter (`ル`). Throws `KYC_UNKNOWN_LAW` / `KYC_UNKNOWN_METHOD`.
 */
export function requiredRecordFields(law: KycLaw, method: KycMethod | string): KycRecordFieldInfo[] {
  const known = parseKycLaw(law);
  const row = resolveMethod(known, method);
  const wanted = new Set<KycRecordField>([
    ...COMMON,
    ...(PER_LAW.get(known) ?? []),
    ...(PER_CONTENT.get(row.content) ?? []),
  ]);
  return info([...KYC_RECORD_FIELDS.keys()].filter((f) => wanted.has(f)));
}

/** How long a law keeps verification records. */
export interface KycRetention {
  /** The law. */
  readonly law: KycLaw;
  /** The period in years. */
  readonly years: number;
  /** What starts the period. */
  readonly from: 'relationship-end' | 'contract-end';
  /** The rule in Japanese. */
  readonly rule_ja: string;
  /** The rule in English. */
  readonly rule_en: string;
  /** How sure it is. */
  readonly source: SourceTag;
}

const RETENTION: ReadonlyMap<KycLaw, KycRetention> = new Map<KycLaw, KycRetention>([
  [
    'hanshu',
    {
      law: 'hanshu',
      years: 7,
      from: 'relationship-end',
      rule_ja: '確認記録は、取引関係が終了した日（又は取引が行われた日）から7年間保存する',
      rule_en: 'Keep the record for 7 years after the business relationship (or the transaction) ends',
      source: 'S',
    },
  ],
  [
    'keitai',
    {
      law: 'keitai',
      years: 3,
      from: 'contract-end',
      rule_ja: '本人確認記録は、役務提供契約が終了した日から3年間保存する',
      rule_en: 'Keep the record for about 3 years after the service contract ends',
      source: 'S',
    },
  ],
]);

/** The retention rule of `law` (犯収法: 7 years after the relationship ends; 携帯法: 3 years after the contract ends) [S]. */
export function retentionFor(law: KycLaw): KycRetention {
  return RETENTION.get(parseKycLaw(law))!;
}

/**
 * The last day a record must still be kept, when the relationship or contract ended on `endedOn` (a
 * JST date or an instant): the period is counted from the next day (民法 §140, the first day is not
 * counted) and ends the day before the corresponding day `years` later, or at the end of that month
 * when it has no corresponding day (民法 §143) [I: the civil-code computation applied to the table].
 */
export function retainUntil(law: KycLaw, endedOn: JstDate | Date): JstDate {
  const { years } = retentionFor(law);
  const [y, m, d] = jstCalendarDate(endedOn).split('-').map(Number) as [number, number, number];
  const start = new Date(0);
  start.setUTCFullYear(y, m - 1, d + 1); // the first day counted
  const sy = start.getUTCFullYear() + years;
  const sm = start.getUTCMonth();
  const sd = start.getUTCDate();
  const end = new Date(0);
  end.setUTCFullYear(sy, sm + 1, 0); // last day of the corresponding month
  if (sd <= end.getUTCDate()) end.setUTCFullYear(sy, sm, sd - 1); // the day before the corresponding day
  if (end.getUTCFullYear() > 9999)
    throw new KycError('KYC_INVALID_DATE', 'the retention period ends after 9999');
  // `end` is midnight UTC of the answer's date: its own calendar date, written YYYY-MM-DD.
  return end.toISOString().slice(0, 10);
}

/**
 * Fields a verification record must never hold: My Number (番号法 §20; the KYC rule's record is name,
 * address, birth date and photo only) and any PIN or password of the card, the phone or the JPKI keys
 * (DOMAIN.md §5). `checkRecordContent` also recognises other spellings of the same names.
 */
export const forbiddenRecordFields: readonly string[] = Object.freeze([
  'individual_number_unicode',
  'individual_number',
  'my_number',
  'pin',
  'password',
  'passcode',
  'passphrase',
]);

/** Words of a member name: camelCase, snake_case, kebab-case and dots split, lower-cased. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const SECRET_WORDS: ReadonlySet<string> = new Set([
  'pin',
  'pins',
  'pincode',
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passcode',
  'passphrase',
  'mynumber',
  'kojinbango',
]);
const JAPANESE_FORBIDDEN = ['個人番号', 'マイナンバー', '暗証番号', 'パスワード'];

/** Longest member name whose answer is remembered, and how many answers are. */
const REMEMBERED_NAME_LENGTH = 64;
const REMEMBERED_NAMES = 1024;
/**
 * Member name → isForbiddenRecordField's answer: records of one kind repeat the same few dozen names, and
 * splitting each into words (three regular expressions) was most of the content check. The answer depends on
 * the name alone, so remembering it changes no answer; short names only, and at most REMEMBERED_NAMES of them.
 */
const rememberedNames = new Map<string, boolean>();

/** Whether a member named `name` is one a record must never hold (My Number, a PIN, a password). */
export function isForbiddenRecordField(name: string): boolean {
  if (typeof name !== 'string') return false;
  if (name.length > REMEMBERED_NAME_LENGTH) return isForbiddenName(name);
  let forbidden = rememberedNames.get(name);
  if (forbidden === undefined) {
    forbidden = isForbiddenName(name);
    if (rememberedNames.size >= REMEMBERED_NAMES) rememberedNames.clear();
    rememberedNames.set(name, forbidden);
  }
  return forbidden;
}

function isForbiddenName(name: string): boolean {
  if (JAPANESE_FORBIDDEN.some((w) => name.includes(w))) return true;
  const ws = words(name.slice(0, 256));
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] as string;
    if (SECRET_WORDS.has(w)) return true;
    const next = ws[i + 1];
    if ((w === 'individual' || w === 'my') && next === 'number') return true;
  }
  return false;
}

/**
 * Whether `value` is written like a My Number: twelve ASCII digits whose last is the check digit of
 * the other eleven (the My Number check digit: weights 2–7 then 2–6 from the right, modulo 11) [S].
 */
export function looksLikeMyNumber(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = value.charCodeAt(11 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  const check = r <= 1 ? 0 : 11 - r;
  return check === value.charCodeAt(11) - 48;
}

/** Deepest nesting `checkRecordContent` walks. */
export const MAX_RECORD_DEPTH = 32;
/** Most values `checkRecordContent` visits. */
export const MAX_RECORD_NODES = 10_000;

/** Options of `checkRecordContent`. */
export interface CheckRecordContentOptions {
  /**
   * Also report string values written like a My Number (twelve digits with a valid check digit)
   * whatever their member's name. Default true: a record that holds one is refused (fail closed).
   */
  readonly detectMyNumberValues?: boolean;
}

function pathOf(parent: string, key: string | number, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  const k = String(key);
  const plain = /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(k);
  if (parent === '') return plain ? k : `[${JSON.stringify(k)}]`;
  return plain ? `${parent}.${k}` : `${parent}[${JSON.stringify(k)}]`;
}

/**
 * The paths (`customer.individual_number_unicode`, `secrets[0].pin`) of every member of `content` a
 * verification record must not hold: a forbidden name (`isForbiddenRecordField`) and, unless turned
 * off, a string value written like a My Number. Walks own data properties only (getters are not
 * called), array elements and Map entries, at most `MAX_RECORD_DEPTH` deep and `MAX_RECORD_NODES`
 * values (else throws `KYC_RECORD_TOO_LARGE`: what was not checked must not be stored). An empty array
 * means nothing forbidden was found.
 */
export function checkRecordContent(content: unknown, options: CheckRecordContentOptions = {}): string[] {
  const detectValues = options.detectMyNumberValues !== false;
  const found: string[] = [];
  const seen = new WeakSet<object>();
  interface Pending {
    readonly value: unknown;
    readonly path: string;
    readonly depth: number;
    /** The member's own name is forbidden: reported when it is visited, so paths come in document order. */
    readonly forbidden: boolean;
  }
  const stack: Pending[] = [{ value: content, path: '', depth: 0, forbidden: false }];
  const tooLarge = () =>
    new KycError('KYC_RECORD_TOO_LARGE', `the record holds more than ${MAX_RECORD_NODES} values`);
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, depth, forbidden } = stack.pop()!;
    if (++nodes > MAX_RECORD_NODES) throw tooLarge();
    if (forbidden) found.push(path);
    if (typeof value === 'string') {
      if (detectValues && !forbidden && looksLikeMyNumber(value)) found.push(path === '' ? '(value)' : path);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date) continue;
    if (seen.has(value)) continue;
    seen.add(value);
    if (depth >= MAX_RECORD_DEPTH)
      throw new KycError(
        'KYC_RECORD_TOO_LARGE',
        `the record is nested deeper than ${MAX_RECORD_DEPTH} levels`,
      );
    const children: Pending[] = [];
    if (value instanceof Map) {
      let i = 0;
      for (const [k, v] of value) {
        if (++i > MAX_RECORD_NODES) throw tooLarge();
        const named = typeof k === 'string';
        const p = pathOf(path, named ? k : String(i - 1), false);
        children.push({ value: v, path: p, depth: depth + 1, forbidden: named && isForbiddenRecordField(k) });
      }
    } else {
      const isArray = Array.isArray(value);
      const keys = Reflect.ownKeys(value);
      if (keys.length > MAX_RECORD_NODES) throw tooLarge();
      for (const key of keys) {
        if (typeof key !== 'string') continue;
        if (isArray && key === 'length') continue;
        const index = isArray && /^\d+$/.test(key);
        const p = pathOf(path, key, index);
        const d = Object.getOwnPropertyDescriptor(value, key);
        // Accessors are reported by name but never called: their value is not data the record holds.
        const data = d !== undefined && Object.hasOwn(d, 'value');
        children.push({
          value: data ? d.value : undefined,
          path: p,
          depth: depth + 1,
          forbidden: !index && isForbiddenRecordField(key),
        });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return found;
}
