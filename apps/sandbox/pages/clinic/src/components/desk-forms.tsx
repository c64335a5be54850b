/**
 * The reader page's forms: one per phone, as its family unlocks the auth key (DOMAIN.md §3 "Health
 * insurance") — the auth PIN typed on the reader (Android), or Face ID on the phone (iPhone: this page takes
 * no unlock for it, only the phone). The PIN typed is cleared after each try and never shown or sent
 * anywhere but the clinic's own route. While the desk checks a phone, its form shows the steps and the
 * waiting line: the iPhone holder confirms with Face ID on the phone's screen, and every holder approves the
 * photo's read there.
 */
import { useState } from 'preact/hooks';
import { PhoneWaiting } from '../../../shared/phone-waiting';
import { AnsweredBy } from '../../../shared/phones';
import { AuthPinField, PinLockNote } from '../../../shared/secret-fields';
import type { Phone } from '../api';

export type DeskRequest = { phone: string; pin?: string };

/**
 * The desk's steps while it checks `phone`: the user authentication and the qualification first, then the
 * face check, whose request waits on the phone's screen until the holder approves or declines there.
 */
function DeskSteps({ phone }: { phone: Phone }) {
  const onPhone = phone.unlockOn === 'phone';
  return (
    <div data-desk-steps={phone.id}>
      <ol class="small">
        {onPhone ? (
          <li>
            本人確認: 依頼が電話の画面に届きます。Face ID で確認してください{' '}
            <small>
              the user authentication: the request goes to the phone's screen; confirm with Face ID
            </small>
          </li>
        ) : null}
        <li>
          利用者証明と保険の資格を確認します{' '}
          <small>the user authentication, then the insurance qualification</small>
        </li>
        <li>
          顔写真の確認: 顔写真・氏名・生年月日の要求が電話の画面に届きます{' '}
          <small>
            the face check: the request for the photo, name and birth date goes to the phone's screen
          </small>
        </li>
      </ol>
      <PhoneWaiting phone={phone} ask={onPhone ? 'face-id' : 'approve'} />
    </div>
  );
}

export function PhoneForm({
  phone,
  busy,
  checking,
  onSubmit,
}: {
  phone: Phone;
  busy: boolean;
  /** The desk is checking this phone (the face check waits on its screen). */
  checking: boolean;
  onSubmit: (body: DeskRequest) => Promise<void>;
}) {
  const [pin, setPin] = useState('');
  if (phone.unlock === 'pin')
    return (
      <form
        class="phone card"
        data-phone-form={phone.id}
        onSubmit={async (e) => {
          e.preventDefault();
          const typed = pin;
          setPin('');
          await onSubmit({ phone: phone.id, pin: typed });
        }}
      >
        <p>
          <AnsweredBy phone={phone} />
        </p>
        <AuthPinField pin={pin} onPin={setPin} />
        <button type="submit" disabled={busy}>
          確認 / Confirm
        </button>
        <PinLockNote />
        {checking ? <DeskSteps phone={phone} /> : null}
      </form>
    );
  return (
    <form
      class="phone card"
      data-phone-form={phone.id}
      onSubmit={async (e) => {
        e.preventDefault();
        await onSubmit({ phone: phone.id });
      }}
    >
      <p>
        <AnsweredBy phone={phone} />
      </p>
      <p class="small">
        電話の画面で Face ID で確認します(このリーダーでは何も入力しません){' '}
        <small>confirm with Face ID on the phone's screen (nothing is typed on this reader)</small>
      </p>
      <button type="submit" disabled={busy} data-check-on-phone={phone.id}>
        確認 / Confirm
      </button>
      {checking ? <DeskSteps phone={phone} /> : null}
    </form>
  );
}
