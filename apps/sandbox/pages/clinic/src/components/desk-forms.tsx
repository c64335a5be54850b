/**
 * The reader page's forms: one per phone, as its family unlocks the auth key — the auth PIN typed on the
 * reader (Android) or Face ID approved on the phone (iPhone). The PIN typed is cleared after each try and
 * never shown or sent anywhere but the clinic's own route. While the desk checks a phone, its form shows the
 * steps, and at the face check the waiting line: the holder approves the photo's read on the phone's screen.
 */
import { useState } from 'preact/hooks';
import { PhoneWaiting } from '../../../shared/phone-waiting';
import { AnsweredBy } from '../../../shared/phones';
import { AuthPinField, PinLockNote } from '../../../shared/secret-fields';
import type { Phone } from '../api';

export type DeskRequest = { phone: string; pin?: string; biometric?: 'matched' | 'failed' };

/**
 * The desk's steps while it checks `phone`: the user authentication and the qualification first, then the
 * face check, whose request waits on the phone's screen until the holder approves or declines there.
 */
function DeskSteps({ phone }: { phone: Phone }) {
  return (
    <div data-desk-steps={phone.id}>
      <ol class="small">
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
      <PhoneWaiting phone={phone} />
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
    <form class="phone card" data-phone-form={phone.id} onSubmit={(e) => e.preventDefault()}>
      <p>
        <AnsweredBy phone={phone} />
      </p>
      <p class="small">
        電話の画面で Face ID で承認します <small>approve on the phone with Face ID</small>
      </p>
      <div class="buttons">
        <button
          type="button"
          name="biometric"
          value="matched"
          disabled={busy}
          onClick={() => onSubmit({ phone: phone.id, biometric: 'matched' })}
        >
          Face ID で承認 / Approve with Face ID
        </button>
        <button
          type="button"
          class="secondary"
          name="biometric"
          value="failed"
          disabled={busy}
          onClick={() => onSubmit({ phone: phone.id, biometric: 'failed' })}
        >
          Face ID が一致しない(試験用)/ Face ID does not match (test)
        </button>
      </div>
      {checking ? <DeskSteps phone={phone} /> : null}
    </form>
  );
}
