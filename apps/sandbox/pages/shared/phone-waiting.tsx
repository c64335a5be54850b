/**
 * The line a relying party's page shows while a request it handed a phone through the bridge waits on the
 * phone's consent screen: which phone, what to do there, and the link that opens that phone's screen
 * (`/wallet/phones/<id>/incoming`, the emulator's stand-in for the phone raising it by itself). A request
 * for the record is approved there with the biometric; a JPKI signing request (`ask="sign"`) is signed
 * there with the signature password, which the relying party's page never takes; a JPKI user
 * authentication is answered there with the auth PIN or the biometric (`ask="authenticate"`: the portal) or
 * with Face ID only (`ask="face-id"`: the clinic's iPhone, whose face check's request follows).
 */
import { type BridgePhone, PhoneName } from './phones';

/** Where the phone emulator shows what waits for its holder. */
export function incomingScreenUrl(phoneId: string): string {
  return `/wallet/phones/${encodeURIComponent(phoneId)}/incoming`;
}

/**
 * 「<phone> の画面で確認してください」 with the link to the phone's screen (`data-waiting-phone`); `ask`: what the
 * holder does there — approve the record with the biometric (default), sign with the signature password,
 * or confirm who it is with the auth PIN or the biometric (Face ID only at the clinic's reader).
 */
export function PhoneWaiting({
  phone,
  ask = 'approve',
}: {
  phone: BridgePhone;
  ask?: 'approve' | 'sign' | 'authenticate' | 'face-id';
}) {
  return (
    <section class="waiting" role="status" data-waiting-phone={phone.id} data-waiting-for={ask}>
      <p>
        <PhoneName phone={phone} />
      </p>
      {ask === 'authenticate' ? (
        <p>
          スマートフォンの画面にログインの依頼が届きました。依頼元を確かめ、スマートフォンで暗証番号または生体認証で確認してください(断ることもできます)。
          <br />
          <small>
            The sign-in request is on the phone's screen: check who asks, then confirm on the phone with the
            auth PIN or the biometric — or decline.
          </small>
        </p>
      ) : null}
      {ask === 'face-id' ? (
        <p>
          スマートフォンの画面に本人確認の依頼が届きました。依頼元を確かめ、スマートフォンで Face
          ID(生体認証)で確認してください。続いて届く顔写真・氏名・生年月日の要求も確かめて承認してください(どちらも断ることができます)。
          <br />
          <small>
            The user authentication is on the phone's screen: check who asks, then confirm with Face ID on the
            phone; then check and approve the request for the photo, name and birth date that follows — or
            decline either.
          </small>
        </p>
      ) : null}
      {ask === 'authenticate' || ask === 'face-id' ? null : ask === 'sign' ? (
        <p>
          スマートフォンの画面に署名の依頼が届きました。依頼元と文書を確かめ、スマートフォンで署名用パスワードを入力して署名してください(断ることもできます)。
          <br />
          <small>
            The signing request is on the phone's screen: check who asks and the document, then type the
            signature password on the phone to sign — or decline.
          </small>
        </p>
      ) : (
        <p>
          スマートフォンの画面に要求が届きました。要求元と項目を確かめ、生体認証で承認してください(送らないこともできます)。
          <br />
          <small>
            The request is on the phone's screen: check who asks and what, then approve with the biometric —
            or decline.
          </small>
        </p>
      )}
      <p>
        <a href={incomingScreenUrl(phone.id)} target="_blank" rel="noopener" data-open-phone={phone.id}>
          {phone.id} の画面を開く / open {phone.id}'s screen
        </a>
      </p>
    </section>
  );
}
