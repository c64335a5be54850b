/**
 * A refusal as the phone shows it: what happened in Japanese and English, that nothing left the phone,
 * and the wallet's stable code (`data-refusal`, the code the JSON routes answer).
 */
import type { ComponentChildren } from 'preact';
import type { ApiError } from './api';

const MESSAGES: ReadonlyMap<string, readonly [string, string]> = new Map([
  [
    'WALLET_REQUEST_INVALID',
    [
      'この要求は受け付けられません(読み取れない・使用済み・大きすぎる・送信先が要求元と違う など)',
      'this request cannot be accepted: unreadable, already used, too large, or its answer would go elsewhere',
    ],
  ],
  [
    'WALLET_READER_AUTH_INVALID',
    [
      '要求元を証明書で確認できません(署名がない、またはこの電話が信頼する発行元の証明書ではありません)',
      'the request is unsigned, or its certificate does not verify to a reader root this phone trusts',
    ],
  ],
  [
    'WALLET_MY_NUMBER_WITHHELD',
    [
      '要求元の証明書に個人番号の利用根拠がありません。個人番号は提供しません',
      "My Number is withheld: the requester's certificate declares no legal basis for it",
    ],
  ],
  ['WALLET_BIOMETRIC_FAILED', ['顔認証が一致しませんでした', 'the face did not match']],
  ['WALLET_SECRET_WRONG', ['暗証番号またはパスワードが違います', 'wrong PIN or password']],
  [
    'WALLET_SECRET_FORMAT',
    [
      '形式が違います(署名用パスワードは英大文字と数字 6〜16 文字)。回数は減っていません',
      'wrong format (the signature password is 6–16 capital letters and digits); no try was used',
    ],
  ],
  [
    'WALLET_SECRET_BUSY',
    ['別の操作が確認中です。もう一度どうぞ', 'another attempt is being checked: try again'],
  ],
  [
    'WALLET_SECRET_LOCKED',
    ['ロックされています。カードから搭載し直してください', 'locked: install from the card again'],
  ],
  ['WALLET_REQUEST_EXPIRED', ['この要求は期限切れです', 'this request has expired']],
  [
    'WALLET_OFFLINE',
    [
      'この電話はオフラインです。何も読み取らず、送りません',
      'this phone is offline: it reads and sends nothing',
    ],
  ],
  [
    'WALLET_VERIFIER_REFUSED',
    ['要求元が回答を受け付けませんでした', 'the requester did not accept the answer'],
  ],
  [
    'WALLET_INVALID_INPUT',
    ['この画面が示していない内容は送れません', 'only what this screen offers can be sent'],
  ],
  [
    'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
    ['この方法では承認できません', 'this key does not open that way'],
  ],
  [
    'WALLET_NOT_FOUND',
    ['この電話、またはこの要求は見つかりません', 'no such phone, or no such request waiting on it'],
  ],
  ['WALLET_DECLINED', ['お断りしました', 'declined']],
  ['NETWORK', ['ウォレットに接続できません', 'the wallet cannot be reached']],
]);

export function Refusal({
  error,
  children,
}: {
  error: Pick<ApiError, 'code'>;
  children?: ComponentChildren;
}) {
  const [ja, en] = MESSAGES.get(error.code) ?? ['できませんでした', 'not done'];
  return (
    <section class="refusal" role="alert" data-refusal={error.code}>
      <p>
        <strong>{ja}</strong> <small>{en}</small>
      </p>
      <p class="small">
        何も送られていません <small>Nothing was sent.</small> <code>{error.code}</code>
      </p>
      {children}
    </section>
  );
}
