/** Asks for the operator token once per tab (kept in sessionStorage). */
import { useState } from 'preact/hooks';
import { storeToken } from '../api';

/** The token form; `message` says why it is asked (e.g. the issuer refused the previous one). */
export function TokenGate({ onToken, message }: { onToken: (token: string) => void; message?: string }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="card token-gate"
      onSubmit={(e) => {
        e.preventDefault();
        const token = value.trim();
        if (token === '') return;
        storeToken(token);
        onToken(token);
      }}
    >
      <h2>
        運用者トークン <small>Operator token</small>
      </h2>
      {message && <p class="error">{message}</p>}
      <p class="muted">
        発行者の <code>&lt;dataDir&gt;/issuer/admin-token</code> にあります。このタブの間だけ保存されます。
        <br />
        It is in the issuer's <code>&lt;dataDir&gt;/issuer/admin-token</code>; kept for this tab only.
      </p>
      <label>
        トークン Token
        <input
          type="password"
          name="token"
          autocomplete="off"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">開く Open</button>
    </form>
  );
}
