/**
 * The auth PIN (利用者証明用暗証番号, 4 digits) typed on the page for an Android phone's user authentication:
 * a password field never autofilled, and the note that three wrong PINs lock it (the phone counts them).
 */

export function AuthPinField({ pin, onPin }: { pin: string; onPin: (pin: string) => void }) {
  return (
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
        onInput={(e) => onPin((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

export function PinLockNote() {
  return <p class="small muted">3回間違えるとロックされます three wrong PINs lock it</p>;
}
