/**
 * The reader page's forms: one per phone, as its family unlocks the auth key — the auth PIN typed on the
 * reader (Android) or Face ID approved on the phone (iPhone). The PIN typed is cleared after each try and
 * never shown or sent anywhere but the clinic's own route.
 */
import { useState } from 'preact/hooks';
import { AnsweredBy } from '../../../shared/phones';
import { AuthPinField, PinLockNote } from '../../../shared/secret-fields';
import type { Phone } from '../api';

export type DeskRequest = { phone: string; pin?: string; biometric?: 'matched' | 'failed' };

export function PhoneForm({
  phone,
  busy,
  onSubmit,
}: {
  phone: Phone;
  busy: boolean;
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
    </form>
  );
}
