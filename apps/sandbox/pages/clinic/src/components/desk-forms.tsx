/**
 * The reader page's forms: one per phone, as its family unlocks the auth key — the auth PIN typed on the
 * reader (Android) or Face ID approved on the phone (iPhone). The PIN typed is cleared after each try and
 * never shown or sent anywhere but the clinic's own route.
 */
import { useState } from 'preact/hooks';
import type { Phone } from '../api';
import { AnsweredBy } from './bridge-note';

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
        <label>
          <span>
            利用者証明用暗証番号(数字4桁) <small>auth PIN (4 digits)</small>
          </span>
          <input
            type="password"
            name="pin"
            required
            inputMode="numeric"
            minLength={4}
            maxLength={4}
            pattern="[0-9]{4}"
            autoComplete="off"
            value={pin}
            onInput={(e) => setPin((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          確認 / Confirm
        </button>
        <p class="small muted">3回間違えるとロックされます three wrong PINs lock it</p>
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
