/** Japanese-first labels of the values records hold (English after). */

const OUTCOMES: ReadonlyMap<string, string> = new Map([
  ['verified', '確認済み verified'],
  ['rejected', '不成立 rejected'],
]);

const VERDICTS: ReadonlyMap<string, string> = new Map([
  ['valid', '有効 valid'],
  ['invalid', '無効 invalid'],
  ['undetermined', '判定不能 undetermined'],
]);

const CHANNELS: ReadonlyMap<string, string> = new Map([
  ['dc-api-org-iso-mdoc', 'DC API (ISO mdoc)'],
  ['dc-api-openid4vp-v1-signed', 'DC API (OpenID4VP)'],
]);

const TRANSACTIONS: ReadonlyMap<string, string> = new Map([
  ['account-opening', '口座開設 account opening'],
  ['loan', '融資 loan'],
]);

const CHECK_STATUS: ReadonlyMap<string, string> = new Map([
  ['passed', '合格 passed'],
  ['failed', '不合格 failed'],
  ['undetermined', '判定不能 undetermined'],
  ['warning', '注意 warning'],
  ['skipped', '省略 skipped'],
]);

const LAWS: ReadonlyMap<string, string> = new Map([
  ['hanshu', '犯収法 hanshu'],
  ['keitai', '携帯電話不正利用防止法 keitai'],
]);

const label = (map: ReadonlyMap<string, string>, v: string | null): string =>
  v === null ? '—' : (map.get(v) ?? v);

export const outcomeLabel = (v: string | null) => label(OUTCOMES, v);
export const verdictLabel = (v: string | null) => label(VERDICTS, v);
export const channelLabel = (v: string | null) => label(CHANNELS, v);
export const transactionLabel = (v: string | null) => label(TRANSACTIONS, v);
export const lawLabel = (v: string | null) => label(LAWS, v);
export const checkStatusLabel = (v: string | null) => label(CHECK_STATUS, v);

/** An ISO time shown in Japan time (UTC+9), `YYYY-MM-DD HH:MM:SS JST`. */
export function japanTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t + 9 * 3_600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)} JST`;
}

/** The chain's short name: its last path segment. */
export function chainName(chainId: string): string {
  return chainId.split('/').pop() ?? chainId;
}
