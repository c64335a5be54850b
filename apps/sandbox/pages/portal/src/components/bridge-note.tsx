/** The labelled bridge at the portal: which phone answers, and where it is unlocked (on the phone). */
import { JpkiBridgeNote } from '../../../shared/phones';

export function BridgeNote() {
  return (
    <JpkiBridgeNote
      missing={['この環境には OS の JPKI アプリがないため、', 'No OS JPKI app exists here']}
      rest={[
        'ログインの依頼は電話の画面に届き、本人がそこで利用者証明用暗証番号を入力するか生体認証(Face ID など)で確認します(断ることもできます)。暗証番号はこのページを通りません。ポータルの API キーはサーバーから出ません。',
        ". The sign-in request goes to the phone's screen, where the holder types the auth PIN or uses the biometric (Face ID …) — or declines; the PIN never passes through this page. The portal's API key never leaves its server.",
      ]}
    />
  );
}
