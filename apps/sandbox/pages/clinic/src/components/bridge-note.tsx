/** The labelled bridge at the desk: which phone answers, and how it is unlocked. */
import { JpkiBridgeNote } from '../../../shared/phones';

export function BridgeNote() {
  return (
    <JpkiBridgeNote
      missing={['この環境にはリーダーも OS もないため、', 'No reader and no OS exist here']}
      rest={[
        '顔確認の記録は ISO/IEC 18013-5 の近接読み取り(無線は WebSocket で模擬)で受け取ります。その要求は電話の画面に届き、本人がそこで生体認証で承認します(断ることもできます)。Android では暗証番号をこのリーダー画面で入力し、iPhone では本人確認の依頼が電話の画面に届き、そこで Face ID で確認します。診療所の API キーはサーバーから出ません。',
        "; the record for the face check comes over an ISO/IEC 18013-5 proximity read (radio simulated over WebSocket), whose request the holder approves on the phone's screen with its biometric — or declines. Android holders type the auth PIN on this reader page; for iPhone holders the user authentication goes to the phone's screen, where they confirm with Face ID. The clinic's API key never leaves its server.",
      ]}
    />
  );
}
