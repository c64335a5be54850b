/**
 * Shared by the wallet's pages (services/wallet/pages/*): the Japanese and English names the phone shows
 * for documents, phones and the wallet's refusal codes. Japanese first, English beside.
 */

export const MNC_DOCTYPE = 'org.iso.23220.1.jp.mnc';

export interface Label {
  readonly ja: string;
  readonly en: string;
}

const DOC_TYPES: ReadonlyMap<string, Label> = new Map([
  [
    MNC_DOCTYPE,
    { ja: 'マイナンバーカード(カード代替電磁的記録)', en: 'My Number Card (card-substitute record)' },
  ],
  ['org.iso.18013.5.1.mDL', { ja: '運転免許証(見本)', en: 'sample mobile driving licence' }],
]);

/** A document's name by its docType (the docType itself for one this page does not know). */
export function docTypeLabel(docType: string): Label {
  return DOC_TYPES.get(docType) ?? { ja: docType, en: docType };
}

const FAMILIES: ReadonlyMap<string, Label> = new Map([
  ['iphone', { ja: 'iPhone 型', en: 'iPhone-like' }],
  ['android', { ja: 'Android 型', en: 'Android-like' }],
]);

export function familyLabel(family: string): Label {
  return FAMILIES.get(family) ?? { ja: family, en: family };
}

/** The biometric a phone of the family asks for. */
export function biometricLabel(family: string): Label {
  return family === 'iphone' ? { ja: '顔認証', en: 'Face ID' } : { ja: '指紋認証', en: 'fingerprint' };
}

const REFUSALS: ReadonlyMap<string, string> = new Map([
  ['WALLET_SECRET_WRONG', '暗証番号が違います'],
  ['WALLET_SECRET_LOCKED', 'ロックされています'],
  ['WALLET_SECRET_FORMAT', '暗証番号の形式が違います'],
  ['WALLET_SECRET_MISMATCH', '2 回の入力が一致しません'],
  ['WALLET_SECRET_NOT_SET', '暗証番号が設定されていません'],
  ['WALLET_BIOMETRIC_FAILED', '生体認証が一致しませんでした'],
  ['WALLET_OFFLINE', 'オフラインです'],
  ['WALLET_ISSUER_NOT_CONFIGURED', '発行者が設定されていません'],
  ['WALLET_ISSUER_REFUSED', '発行者が受け付けませんでした'],
  ['WALLET_LIVENESS_REQUIRED', '顔の撮影(生体確認)が必要です'],
  ['WALLET_CARD_UNREADABLE', 'カードを読み取れませんでした'],
  ['WALLET_CARD_PIN_WRONG', 'カードの暗証番号が違います'],
  ['WALLET_CARD_PIN_LOCKED', 'カードの暗証番号がロックされています'],
  ['WALLET_INSTALLATION_STATE', 'この手順は今は行えません'],
  ['WALLET_INVALID_INPUT', '入力が正しくありません'],
  ['WALLET_NOT_FOUND', '見つかりません'],
  ['NETWORK', 'ウォレットが応答しません'],
]);

/** The Japanese line of a refusal code (a generic one for a code this page does not know). */
export function refusalJa(code: string): string {
  return REFUSALS.get(code) ?? 'できませんでした';
}
