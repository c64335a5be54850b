/**
 * The secret typed on a page for a phone's JPKI key (DOMAIN.md §3), as a password field never autofilled,
 * its format checked by the browser too: the auth PIN (利用者証明用暗証番号, 4 digits) for an Android phone's
 * user authentication, as on an external reader, with the note that three wrong PINs lock it (the phone
 * counts them). The signature password (署名用パスワード) is never typed on a relying party's page: it is
 * typed on the phone's own screen (services/wallet/pages/request).
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
