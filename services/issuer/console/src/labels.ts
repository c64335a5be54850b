/**
 * Japanese labels with their English names for what the console shows. Lookups go through Maps (own
 * entries only) and fall back to the code itself, so an event or reason added to the issuer later still
 * shows, by its code.
 */
import type { CredentialKind } from './api';

const EVENTS: ReadonlyMap<string, string> = new Map([
  ['addressChanged', '住所変更'],
  ['nameChanged', '氏名変更'],
  ['sexChanged', '性別変更'],
  ['birthDateChanged', '生年月日の訂正'],
  ['death', '死亡'],
  ['movedAbroad', '国外転出'],
  ['removedFromResidentRegister', '住民票の消除'],
  ['cardLost', 'カードの紛失'],
  ['cardReturned', 'カードの返納'],
  ['cardRenewed', 'カードの更新'],
  ['cardSuspended', 'カードの一時停止'],
  ['cardSuspensionLifted', '一時停止の解除'],
  ['phoneLost', 'スマートフォンの紛失'],
  ['keyCompromiseSuspected', '鍵の漏えいの疑い'],
  ['holderRequest', '本人の申請'],
]);

const KINDS: ReadonlyMap<CredentialKind, string> = new Map([
  ['mdoc', 'スマホ用カード記録 (record, mdoc)'],
  ['jpki-sign', '署名用電子証明書 (JPKI signature)'],
  ['jpki-auth', '利用者証明用電子証明書 (JPKI user auth.)'],
]);

const SHORT_KINDS: ReadonlyMap<string, string> = new Map([
  ['mdoc', '記録 record'],
  ['jpki-sign', '署名用 sign'],
  ['jpki-auth', '利用者証明用 auth'],
]);

const REASONS: ReadonlyMap<string, string> = new Map([
  ['unspecified', '理由なし'],
  ['keyCompromise', '鍵の危殆化'],
  ['cACompromise', 'CA の危殆化'],
  ['affiliationChanged', '異動'],
  ['superseded', '別端末への移行'],
  ['cessationOfOperation', '利用の終了'],
  ['certificateHold', '一時停止'],
  ['privilegeWithdrawn', '資格の喪失'],
]);

const STATES: ReadonlyMap<string, string> = new Map([
  ['active', '有効'],
  ['revoked', '失効'],
  ['pending', '手続中'],
  ['superseded', '移行済'],
  ['failed', '失敗'],
]);

const FIELDS: ReadonlyMap<string, string> = new Map([
  ['fullName', '氏名 name'],
  ['fullNameKana', '氏名（カナ） kana'],
  ['address', '住所 address'],
  ['municipalityCode', '市区町村コード municipality code'],
  ['municipalityName', '市区町村名 municipality'],
  ['sex', '性別 sex'],
  ['birthDate', '生年月日 birth date'],
]);

/** 住所変更 (addressChanged). */
export const eventLabel = (event: string): string => `${EVENTS.get(event) ?? event} (${event})`;
/** The long name of a credential kind. */
export const kindLabel = (kind: string): string => KINDS.get(kind as CredentialKind) ?? kind;
/** The short name of a credential kind (chart labels). */
export const shortKindLabel = (kind: string): string => SHORT_KINDS.get(kind) ?? kind;
/** 異動 (affiliationChanged). */
export const reasonLabel = (reason: string): string => `${REASONS.get(reason) ?? reason} (${reason})`;
/** The Japanese name of a state, with its code. */
export const stateLabel = (state: string): string => `${STATES.get(state) ?? state} ${state}`;
/** A register field's label. */
export const fieldLabel = (field: string): string => FIELDS.get(field) ?? field;

/** A timestamp in Japan's time, to the second. */
export function jst(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo',
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(t);
}
