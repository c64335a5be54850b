/**
 * The secrets typed on a page for a phone's JPKI key (DOMAIN.md §3), as password fields never autofilled,
 * their format checked by the browser too: the auth PIN (利用者証明用暗証番号, 4 digits) for an Android
 * phone's user authentication, with the note that three wrong PINs lock it (the phone counts them), and the
 * signature password (署名用パスワード, 6–16 of A–Z and 0–9).
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

export function SignaturePasswordField({
  password,
  onPassword,
}: {
  password: string;
  onPassword: (password: string) => void;
}) {
  return (
    <label>
      <span>
        署名用パスワード(英大文字・数字 6〜16文字) <small>signature password (6–16 of A–Z, 0–9)</small>
      </span>
      <input
        type="password"
        name="password"
        required
        minLength={6}
        maxLength={16}
        pattern="[A-Z0-9]{6,16}"
        autoComplete="off"
        value={password}
        onInput={(e) => onPassword((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}
