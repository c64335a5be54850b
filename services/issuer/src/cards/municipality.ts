/**
 * The municipality as JPKI certificates name it. J-LIS partitions its CRLs by municipality with romanised
 * names (`OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP`, DOMAIN.md §3) and the sandbox writes the same name as the
 * signature certificate's `L=`. The register holds Japanese names; the sandbox's fictional municipalities
 * have romanisations here, any other code gets its prefecture's (from the code's first two digits, JIS X
 * 0401 order) and a name made of its code.
 */
import type { JpkiMunicipality } from '../ca/jpki-certificates.js';
import { SANDBOX_MUNICIPALITIES } from '../residents/seed-residents.js';

/** Romanised prefectures in JIS X 0401 order (01 Hokkaido … 47 Okinawa), as J-LIS writes CRL partitions. */
export const ROMANISED_PREFECTURES: readonly string[] = [
  'Hokkaido',
  'Aomori-ken',
  'Iwate-ken',
  'Miyagi-ken',
  'Akita-ken',
  'Yamagata-ken',
  'Fukushima-ken',
  'Ibaraki-ken',
  'Tochigi-ken',
  'Gunma-ken',
  'Saitama-ken',
  'Chiba-ken',
  'Tokyo-to',
  'Kanagawa-ken',
  'Niigata-ken',
  'Toyama-ken',
  'Ishikawa-ken',
  'Fukui-ken',
  'Yamanashi-ken',
  'Nagano-ken',
  'Gifu-ken',
  'Shizuoka-ken',
  'Aichi-ken',
  'Mie-ken',
  'Shiga-ken',
  'Kyoto-fu',
  'Osaka-fu',
  'Hyogo-ken',
  'Nara-ken',
  'Wakayama-ken',
  'Tottori-ken',
  'Shimane-ken',
  'Okayama-ken',
  'Hiroshima-ken',
  'Yamaguchi-ken',
  'Tokushima-ken',
  'Kagawa-ken',
  'Ehime-ken',
  'Kochi-ken',
  'Fukuoka-ken',
  'Saga-ken',
  'Nagasaki-ken',
  'Kumamoto-ken',
  'Oita-ken',
  'Miyazaki-ken',
  'Kagoshima-ken',
  'Okinawa-ken',
];

/** Romanised names of the sandbox's fictional municipalities, by their 5-digit code. */
const SANDBOX_ROMANISED: ReadonlyMap<string, string> = new Map([
  [SANDBOX_MUNICIPALITIES[0].code.slice(0, 5), 'Shiken-ku'],
  [SANDBOX_MUNICIPALITIES[1].code.slice(0, 5), 'Mihon-shi'],
  [SANDBOX_MUNICIPALITIES[2].code.slice(0, 5), 'Kakuu-shi'],
  [SANDBOX_MUNICIPALITIES[3].code.slice(0, 5), 'Mihon-cho'],
  [SANDBOX_MUNICIPALITIES[4].code.slice(0, 5), 'Sandbox-son'],
  [SANDBOX_MUNICIPALITIES[5].code.slice(0, 5), 'Shiken-shi'],
]);

/** The romanised municipality of a 5- or 6-digit 全国地方公共団体コード. */
export function jpkiMunicipalityOf(municipalityCode: string): JpkiMunicipality {
  const code5 = municipalityCode.slice(0, 5);
  const prefecture = ROMANISED_PREFECTURES[Number(code5.slice(0, 2)) - 1] ?? 'Unknown-prefecture';
  return { prefecture, name: SANDBOX_ROMANISED.get(code5) ?? `Municipality-${code5}` };
}
