import { IssuerError } from '../errors.js';
import type { NewResident, ResidentRepository } from '../store/resident-repository.js';
import type { ResidentSex } from '../store/schema.js';

/**
 * The sandbox's test residents: card-face facts only (no keys, no certificates — those come with the
 * sandbox CA and the residents' card files). Every name, address and municipality is fictional
 * ("試験", "見本", "架空", "サンドボックス"); municipality codes have the real format (全国地方公共団体コード:
 * 2-digit prefecture, 3-digit municipality, and the check digit) but use municipality numbers 990+, which no
 * real municipality has.
 */

/** A seeded resident: a stable id, what edge it covers, and its facts. */
export interface SeedResident extends NewResident {
  /** Stable, readable id (documentation and tests refer to it). */
  id: string;
  /** The edge this resident covers, in one line. */
  covers: string;
}

/**
 * The 6-digit 全国地方公共団体コード of a 5-digit code: the check digit is 11 − (Σ dᵢ·wᵢ mod 11) with weights
 * 6, 5, 4, 3, 2, keeping its last digit (so 10 → 0 and 11 → 1). E.g. 13101 (千代田区) → 131016.
 */
export function withCheckDigit(code5: string): string {
  if (!/^\d{5}$/.test(code5))
    throw new IssuerError('ISSUER_INVALID_INPUT', 'a municipality code has 5 digits');
  const weights = [6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(code5[i]) * (weights[i] as number);
  return `${code5}${(11 - (sum % 11)) % 10}`;
}

/** Fictional municipalities (sandbox names, real-format codes). */
export const SANDBOX_MUNICIPALITIES = [
  { code: withCheckDigit('13990'), name: '試験区', prefecture: '東京都' },
  { code: withCheckDigit('27990'), name: '見本市', prefecture: '大阪府' },
  { code: withCheckDigit('26990'), name: '架空市', prefecture: '京都府' },
  { code: withCheckDigit('01990'), name: '見本町', prefecture: '北海道' },
  { code: withCheckDigit('47990'), name: 'サンドボックス村', prefecture: '沖縄県' },
  { code: withCheckDigit('14990'), name: '試験市', prefecture: '神奈川県' },
] as const;

const [TOKYO, OSAKA, KYOTO, HOKKAIDO, OKINAWA, KANAGAWA] = SANDBOX_MUNICIPALITIES;

const IDEOGRAPHIC_SPACE = '\u3000';
const name = (surname: string, given: string) => `${surname}${IDEOGRAPHIC_SPACE}${given}`;

/** 197 characters: near the JPKI address limit of 200 (otherName 1.2.392.200149.8.5.5.5). */
const LONG_ADDRESS =
  '北海道試験郡見本町大字見本字サンドボックス原野東三十七線北二百四十六番地の十八　架空開拓記念公園管理事務所裏手' +
  '試験用集合住宅サンドボックス・ヴィレッジ見本ヶ丘グランドテラス北棟東ウイング第二十八号館十二階千二百三十四号室' +
  '（管理人室経由）見本町役場試験課気付仮設分室付属第三倉庫前サンドボックス通り沿い東側の空き地に面した角部屋' +
  'ベランダ側入口から入って右手奥の試験用郵便受け箱横（夜間は裏口より）';

/**
 * 𠮷 (U+20BB7, outside the BMP and JIS X 0208) and 葛󠄀 (U+845B with the variation selector U+E0100) are
 * substituted by @mynakit/jpki's default repertoire, so the certificate's name and address carry substitution
 * maps with `1`s. 髙 (U+9AD9) is outside JIS X 0208 too, but inside the BMP: the default repertoire keeps it —
 * a deployment with the J-LIS repertoire would substitute it.
 */
const SUBSTITUTED_SURNAME = '\u{20BB7}野';
const SUBSTITUTED_GIVEN = '葛\u{E0100}子';

/** The test residents, one per edge the issuer, the wallet and the verifiers must handle. */
export const SEED_RESIDENTS: readonly SeedResident[] = [
  {
    id: 'sandbox-ordinary-female',
    covers: 'an ordinary adult, female (sex 2)',
    fullName: name('番号', '花子'),
    fullNameKana: name('バンゴウ', 'ハナコ'),
    address: `${TOKYO.prefecture}${TOKYO.name}見本町一丁目２番３号`,
    birthDate: '1986-04-01',
    sex: 2,
    municipalityCode: TOKYO.code,
    municipalityName: TOKYO.name,
  },
  {
    id: 'sandbox-ordinary-male',
    covers: 'an ordinary adult, male (sex 1)',
    fullName: name('試験', '太郎'),
    fullNameKana: name('シケン', 'タロウ'),
    address: `${OSAKA.prefecture}${OSAKA.name}サンドボックス町三丁目４番５号`,
    birthDate: '1971-09-01',
    sex: 1,
    municipalityCode: OSAKA.code,
    municipalityName: OSAKA.name,
  },
  {
    id: 'sandbox-sex-unknown',
    covers: 'sex unknown (3; ISO/IEC 5218 0 on the record)',
    fullName: name('見本', '未来'),
    fullNameKana: name('ミホン', 'ミライ'),
    address: `${KANAGAWA.prefecture}${KANAGAWA.name}架空台二丁目１０番地`,
    birthDate: '1999-12-31',
    sex: 3,
    municipalityCode: KANAGAWA.code,
    municipalityName: KANAGAWA.name,
  },
  {
    id: 'sandbox-sex-not-applicable',
    covers: 'sex not applicable (9; JPKI writes 3)',
    fullName: name('架空', '光'),
    fullNameKana: name('カクウ', 'ヒカル'),
    address: `${OKINAWA.prefecture}${OKINAWA.name}字見本１２３番地`,
    birthDate: '1955-01-01',
    sex: 9,
    municipalityCode: OKINAWA.code,
    municipalityName: OKINAWA.name,
  },
  {
    id: 'sandbox-substituted-characters',
    covers: 'name and address with characters outside JIS X 0208 (𠮷, 葛󠄀 with an IVS, 髙)',
    fullName: name(SUBSTITUTED_SURNAME, SUBSTITUTED_GIVEN),
    fullNameKana: name('ヨシノ', 'カツコ'),
    address: `${KYOTO.prefecture}${KYOTO.name}\u{20BB7}野町髙見台１番地`,
    birthDate: '1964-10-10',
    sex: 2,
    municipalityCode: KYOTO.code,
    municipalityName: KYOTO.name,
  },
  {
    id: 'sandbox-under-15',
    covers: 'under 15 until 2031-05-05: no signature certificate, hence no record; user authentication only',
    fullName: name('試験', 'こども'),
    fullNameKana: name('シケン', 'コドモ'),
    address: `${TOKYO.prefecture}${TOKYO.name}見本町一丁目２番３号`,
    birthDate: '2016-05-05',
    sex: 1,
    municipalityCode: TOKYO.code,
    municipalityName: TOKYO.name,
  },
  {
    id: 'sandbox-long-address',
    covers: 'an address of 197 characters, near the JPKI limit of 200',
    fullName: name('見本', '長住'),
    fullNameKana: name('ミホン', 'ナガスミ'),
    address: LONG_ADDRESS,
    birthDate: '1980-07-07',
    sex: 1,
    municipalityCode: HOKKAIDO.code,
    municipalityName: HOKKAIDO.name,
  },
  {
    id: 'sandbox-long-foreign-name',
    covers: 'a long foreign name in Roman letters, with a long katakana reading',
    fullName: name('SANDBOX-WILLIAMSON', 'ALEXANDRA CHRISTINA MARGARET ELIZABETH TESTPERSON'),
    fullNameKana: name(
      'サンドボックスウィリアムソン',
      'アレクサンドラ・クリスティーナ・マーガレット・エリザベス・テストパーソン',
    ),
    address: `${OSAKA.prefecture}${OSAKA.name}見本通五丁目６番７号　サンドボックスレジデンス見本９０１号室`,
    birthDate: '1992-02-14',
    sex: 2,
    municipalityCode: OSAKA.code,
    municipalityName: OSAKA.name,
  },
  {
    id: 'sandbox-leap-day',
    covers: 'born on 29 February: turned 15 on 1 March 2023 (a common year)',
    fullName: name('閏', '日和'),
    fullNameKana: name('ウルウ', 'ヒヨリ'),
    address: `${KANAGAWA.prefecture}${KANAGAWA.name}試験町四丁目８番９号`,
    birthDate: '2008-02-29',
    sex: 2,
    municipalityCode: KANAGAWA.code,
    municipalityName: KANAGAWA.name,
  },
  {
    id: 'sandbox-heisei-first-day',
    covers: 'born on 1989-01-08, the first day of Heisei (era digit 4 in the JPKI birth date)',
    fullName: name('元年', '平'),
    fullNameKana: name('ガンネン', 'タイラ'),
    address: `${KYOTO.prefecture}${KYOTO.name}架空町２番地`,
    birthDate: '1989-01-08',
    sex: 1,
    municipalityCode: KYOTO.code,
    municipalityName: KYOTO.name,
  },
];

/**
 * Registers the seeded residents that are not registered yet (idempotent at every start; when two
 * instances start at once, the loser of the race finds them registered). Returns how many it inserted.
 */
export async function seedResidents(residents: ResidentRepository, now: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const missing: NewResident[] = [];
    for (const seed of SEED_RESIDENTS) {
      if (!(await residents.get(seed.id))) missing.push(residentOf(seed));
    }
    if (missing.length === 0) return 0;
    try {
      return await residents.bulkInsert(missing, { now });
    } catch (e) {
      if (!(e instanceof IssuerError && e.code === 'ISSUER_DUPLICATE') || attempt > 0) throw e;
    }
  }
}

function residentOf(seed: SeedResident): NewResident {
  const { covers: _covers, ...resident } = seed;
  return resident;
}

// ---- synthetic residents for bulk tests ------------------------------------------------------------------

const SURNAMES = ['試験', '見本', '架空', '番号', '仮名', '例示', '模擬', '検証', '標本', '雛形'];
const GIVEN_NAMES = ['花子', '太郎', '一郎', '次郎', '桜', '葵', '陽翔', '結衣', '蓮', '凛'];
const SEXES: readonly ResidentSex[] = [1, 2, 1, 2, 1, 2, 3, 9];

/** mulberry32: a small seeded PRNG, so a synthetic population is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** At most this many synthetic residents per call (10^8: the scale of the national register). */
export const MAX_SYNTHETIC_RESIDENTS = 100_000_000;

/**
 * `count` synthetic residents, generated lazily (10^6 need not sit in memory), reproducible for a `seed`.
 * Ids are left to the repository (random UUIDs, as in production); names, addresses, birth dates
 * (1930–2025) and sexes come from the PRNG and the sandbox municipalities.
 */
export function* syntheticResidents(count: number, options: { seed?: number } = {}): Generator<NewResident> {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_SYNTHETIC_RESIDENTS) {
    throw new IssuerError(
      'ISSUER_INVALID_INPUT',
      `count must be an integer in 0..${MAX_SYNTHETIC_RESIDENTS}`,
    );
  }
  const random = prng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (let i = 0; i < count; i++) {
    const m = pick(SANDBOX_MUNICIPALITIES);
    const year = 1930 + Math.floor(random() * 96);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    yield {
      fullName: name(pick(SURNAMES), pick(GIVEN_NAMES)),
      address: `${m.prefecture}${m.name}見本町${1 + (i % 9)}丁目${1 + Math.floor(random() * 30)}番${1 + (i % 20)}号`,
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex: pick(SEXES),
      municipalityCode: m.code,
      municipalityName: m.name,
    };
  }
}
