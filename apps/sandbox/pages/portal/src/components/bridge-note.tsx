/** The labelled bridge: which phone answers, and how it is unlocked. */
import type { Phone } from '../api';

export function phoneFamily(phone: Phone): string {
  return phone.family === 'android' ? 'Android' : 'iPhone';
}

/** 「<id> (<family>) — 電話エミュレータ、ブリッジ経由」 */
export function AnsweredBy({ phone }: { phone: Phone }) {
  return (
    <span data-answered-by={phone.answeredBy} data-phone={phone.id}>
      <strong>{phone.id}</strong> ({phoneFamily(phone)}) — 電話エミュレータ、ブリッジ経由{' '}
      <small>phone emulator, through the bridge</small>
    </span>
  );
}

export function BridgeNote() {
  return (
    <p class="bridge">
      この環境には OS の JPKI アプリがないため、電話エミュレータがブリッジ経由で応答します(
      <code>authenticateWithJpki</code>)。Android ではこの画面で利用者証明用暗証番号を入力し、iPhone
      では電話の生体認証(Face ID)で承認します。ポータルの API キーはサーバーから出ません。
      <br />
      <small>
        No OS JPKI app exists here: the phone emulator answers through an explicit bridge (
        <code>authenticateWithJpki</code>). Android holders type the auth PIN on this page; iPhone holders
        approve with the phone's biometric (Face ID). The portal's API key never leaves its server.
      </small>
    </p>
  );
}
