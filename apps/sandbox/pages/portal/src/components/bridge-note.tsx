/** The labelled bridge at the portal: which phone answers, and how it is unlocked. */
import { JpkiBridgeNote } from '../../../shared/phones';

export function BridgeNote() {
  return (
    <JpkiBridgeNote
      missing={['この環境には OS の JPKI アプリがないため、', 'No OS JPKI app exists here']}
      rest={[
        'Android ではこの画面で利用者証明用暗証番号を入力し、iPhone では電話の生体認証(Face ID)で承認します。ポータルの API キーはサーバーから出ません。',
        ". Android holders type the auth PIN on this page; iPhone holders approve with the phone's biometric (Face ID). The portal's API key never leaves its server.",
      ]}
    />
  );
}
