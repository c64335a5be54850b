/**
 * What the page says for each stable code: the verifier's refusals of a session, the SDK's errors
 * (VerifierSdkError `code`, PasskeyError `reason`), the phone's refusals and the bank's own. Japanese first,
 * the English beside; the code itself is always shown too.
 */

/** Japanese and English. */
export type Words = readonly [ja: string, en: string];

/** The verifier's refusals of a session the bank asked for, and the bank's and the phone's refusals. */
export const REFUSALS: ReadonlyMap<string, Words> = new Map<string, Words>([
  [
    'VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS',
    [
      '検証サービスが個人番号(マイナンバー)の要求を拒否しました。この銀行には法令上の根拠が設定されていません。電話にもウォレットにも何も求めていません',
      'The verifier refused to ask for My Number: the bank has no legal basis configured. Nothing was asked of a phone or a wallet.',
    ],
  ],
  [
    'VERIFIER_TRANSACTION_PURPOSE_REQUIRED',
    [
      '取引を行う目的を選んでください(犯収法の取引時確認)',
      'Choose the purpose of the transaction (取引時確認 under 犯収法).',
    ],
  ],
  [
    'VERIFIER_OCCUPATION_REQUIRED',
    ['ご職業を選んでください(犯収法の取引時確認)', 'Choose your occupation (取引時確認 under 犯収法).'],
  ],
  [
    'VERIFIER_RECORD_FORBIDDEN_CONTENT',
    [
      '補足に12桁の数字は書けません(個人番号のおそれ)',
      'A detail may not hold twelve digits in a row (it may be a My Number).',
    ],
  ],
  [
    'VERIFIER_INVALID_BODY',
    [
      '申告の内容を確かめてください(「その他」には補足が必要です)',
      'Check what you declared (other needs a detail).',
    ],
  ],
  ['BANK_NO_PHONE', ['電話を選んでください', 'Choose a phone.']],
  [
    'BANK_PASSWORD_ON_PHONE',
    [
      '署名用パスワードはスマートフォンの画面で入力します。銀行には送れません(電話には何も届いていません)',
      'The signature password is typed on the phone, never sent to the bank (nothing reached the phone).',
    ],
  ],
  ['BANK_SESSION_UNAVAILABLE', ['セッションを開けません', 'The session could not be opened.']],
  [
    'WALLET_SECRET_LOCKED',
    [
      '署名用パスワードがロックされています。電話の署名用電子証明書は、搭載し直すまで使えません',
      "The signature password is locked; the phone's signature certificate cannot be used until it is installed again.",
    ],
  ],
  [
    'WALLET_DECLINED',
    [
      'お客さまがスマートフォンで送信を断りました。銀行には何も送られていません',
      'The customer declined on the phone: nothing was sent to the bank.',
    ],
  ],
  [
    'WALLET_REQUEST_EXPIRED',
    [
      'スマートフォンで時間内に応答がありませんでした。何も送られていません',
      'Nobody answered on the phone in time: nothing was sent.',
    ],
  ],
  [
    'WALLET_PHONE_BUSY',
    [
      'この電話には応答待ちの要求が多すぎます。電話の画面で片付けてから、もう一度お試しください',
      'Too many requests are waiting on this phone: clear its screen, then try again.',
    ],
  ],
  [
    'WALLET_NOT_FOUND',
    ['この電話には有効な記録・証明書がありません', 'This phone holds no record or certificate in force.'],
  ],
  [
    'WALLET_DOCUMENT_NOT_HELD',
    [
      'この電話には求められた書類(有効なもの)がありません。電話の画面には何も表示されていません',
      'This phone holds no document in force of the kind asked: nothing was shown on it.',
    ],
  ],
]);

/**
 * The phone's refusals of the JPKI signature, where they differ from the record's: what the holder did on
 * the phone's screen (the password typed there; the bank hears only how it ended).
 */
export const SIGNATURE_REFUSALS: ReadonlyMap<string, Words> = new Map<string, Words>([
  [
    'WALLET_DECLINED',
    [
      'お客さまがスマートフォンで署名を断りました。何も署名されず、本人確認の記録もありません',
      'The customer declined to sign on the phone: nothing was signed and no verification was recorded.',
    ],
  ],
  [
    'WALLET_SECRET_LOCKED',
    [
      '署名用パスワードがスマートフォンでロックされました(5回の誤り)。この電話の署名用電子証明書は、搭載し直すまで使えません',
      "The signature password is locked on the phone (five wrong tries): the phone's signature certificate cannot be used until it is installed again.",
    ],
  ],
  [
    'WALLET_REQUEST_EXPIRED',
    [
      'スマートフォンで時間内に署名されませんでした。何も署名されていません',
      'Nobody signed on the phone in time: nothing was signed.',
    ],
  ],
  [
    'WALLET_DOCUMENT_NOT_HELD',
    [
      'この電話には有効な署名用電子証明書がありません。電話の画面には何も表示されていません',
      'This phone holds no signature certificate in force: nothing was shown on it.',
    ],
  ],
]);

/** The SDK's errors on the Digital Credentials API path (VerifierSdkError `code`). */
export const SDK_ERRORS: ReadonlyMap<string, Words> = new Map<string, Words>([
  ['declined', ['ウォレットで拒否されました', 'The wallet declined.']],
  [
    'protocol-mismatch',
    ['求めていない形式の応答を拒否しました', 'An answer in a protocol the bank did not ask for was refused.'],
  ],
  ['rejected', ['検証サービスが拒否しました', 'The verifier refused.']],
  ['network', ['銀行のサーバーに届きません', "The bank's server could not be reached."]],
  ['invalid-response', ['ウォレットの応答を読めません', "The wallet's answer could not be read."]],
  ['wallet', ['ウォレットのエラーです', 'The wallet failed.']],
]);

/** Why the page fell back to the bridge. */
export const FALLBACK_REASONS: ReadonlyMap<string, Words> = new Map<string, Words>([
  [
    'unsupported',
    ['このブラウザには Digital Credentials API がありません', 'this browser has no Digital Credentials API'],
  ],
  [
    'timed-out',
    ['ブラウザのウォレットが時間内に応答しませんでした', 'no wallet answered the browser in time'],
  ],
]);

/** The SDK's passkey errors (PasskeyError `reason`). */
export const PASSKEY_REASONS: ReadonlyMap<string, Words> = new Map<string, Words>([
  [
    'not-allowed',
    [
      'パスキーが拒否されたか、本人確認(生体認証・PIN)ができませんでした',
      'The passkey was declined or the user could not be verified',
    ],
  ],
  ['cancelled', ['取り消されました', 'Cancelled']],
  [
    'already-registered',
    ['この端末にはこの口座のパスキーがあります', 'This device already holds a passkey for the account'],
  ],
  ['unsupported', ['このブラウザはパスキーに対応していません', 'This browser has no passkeys']],
  ['rejected', ['銀行が受け付けませんでした', 'The bank refused']],
  ['network', ['銀行のサーバーに届きません', "The bank's server could not be reached"]],
]);

/** The words for `code` in `words`, or the fallback. */
export const say = (words: ReadonlyMap<string, Words>, code: string, fallback: Words): Words =>
  words.get(code) ?? fallback;
