/**
 * An open session: the QR code of the `openid4vp://` link, the link itself, its end, the labelled buttons
 * handing the link to a phone emulator's scan screen (no phone with a camera exists here), and the status
 * line the page updates while it waits for the phone.
 */
import type { PendingSession } from '../api';

export function QrView({ session }: { session: PendingSession }) {
  return (
    <section class="card" data-session-state="pending">
      <h2>
        スマートフォンで読み取ってください <small>Scan with your phone</small>
      </h2>
      {/* The server's SVG holds only numbers and its escaped label, never the link's text (qr-svg.ts). */}
      <div class="qr" data-qr dangerouslySetInnerHTML={{ __html: session.qrSvg }} />
      <p>
        <small>
          QR コードの内容 <small>the link it holds</small>:
        </small>
        <br />
        <code class="link" data-wallet-url>
          {session.walletUrl}
        </code>
      </p>
      <p>
        <small>
          有効期限 <small>expires</small>: <span data-expires-at>{session.expiresAt}</span>
        </small>
      </p>
      <p class="bridge">
        この環境にはカメラ付きの電話がないため、リンクを電話エミュレータに渡します(明示的なブリッジ)。
        <br />
        <small>
          No phone with a camera exists here: hand the link to a phone emulator (an explicit bridge).
        </small>
        <br />
        {session.phones.map((p) => (
          <a
            key={p.id}
            class="open"
            data-open-on={p.id}
            target="_blank"
            rel="noopener"
            href={`/wallet/phones/${encodeURIComponent(p.id)}/openid4vp?url=${encodeURIComponent(session.walletUrl)}`}
          >
            電話 {p.id} で開く / open on phone {p.id} ({p.family})
          </a>
        ))}
      </p>
      <p id="cross-device-status" role="status" aria-live="polite" data-state="pending">
        電話からの応答を待っています… <small>waiting for the phone…</small>
      </p>
    </section>
  );
}
