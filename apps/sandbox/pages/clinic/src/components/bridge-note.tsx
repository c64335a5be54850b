/** The labelled bridge: which phone answers, and how it is unlocked at the desk. */
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
      この環境にはリーダーも OS もないため、電話エミュレータがブリッジ経由で応答します(
      <code>authenticateWithJpki</code>)。顔確認の記録は ISO/IEC 18013-5 の近接読み取り(無線は WebSocket
      で模擬)で受け取ります。Android では暗証番号をこのリーダー画面で入力し、iPhone では電話の生体認証(Face
      ID)で承認します。診療所の API キーはサーバーから出ません。
      <br />
      <small>
        No reader and no OS exist here: the phone emulator answers through an explicit bridge (
        <code>authenticateWithJpki</code>); the record for the face check comes over an ISO/IEC 18013-5
        proximity read (radio simulated over WebSocket). Android holders type the auth PIN on this reader
        page; iPhone holders approve with the phone's biometric (Face ID). The clinic's API key never leaves
        its server.
      </small>
    </p>
  );
}
