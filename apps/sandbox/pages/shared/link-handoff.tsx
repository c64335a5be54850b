/**
 * A request handed to a phone by link (the cross-device `openid4vp://` request, the portal's `mynakit-jpki://`
 * sign-in): its QR code, the link itself, its end, the labelled buttons opening it on a phone emulator's
 * screen (no phone with a camera exists here: an explicit bridge), and the status line the page updates
 * while it waits for the phone.
 */
import './link-handoff.css';

/** What the page was given for the pending request. */
export interface PendingLink {
  readonly qrSvg: string;
  readonly walletUrl: string;
  readonly expiresAt: string;
  readonly phones: readonly { readonly id: string; readonly family: string }[];
}

export interface LinkHandoffProps {
  readonly pending: PendingLink;
  /** The phone screen that opens the link: `/wallet/phones/<id>/<screen>?url=<link>`. */
  readonly phoneScreen: 'openid4vp' | 'jpki-request';
  /** The card's heading level on its page. */
  readonly heading: 'h2' | 'h3';
  /** The data attribute the page's tests find the pending card by (its value: `pending`). */
  readonly stateAttribute: 'data-session-state' | 'data-link-state';
  /** The status line's id. */
  readonly statusId: string;
  /** What the phone does with the link, after the bridge's own sentence (Japanese, English). */
  readonly phoneDoes?: { readonly ja: string; readonly en: string };
}

export function LinkHandoff({
  pending,
  phoneScreen,
  heading: Heading,
  stateAttribute,
  statusId,
  phoneDoes,
}: LinkHandoffProps) {
  return (
    <section class="card" {...{ [stateAttribute]: 'pending' }}>
      <Heading>
        スマートフォンで読み取ってください <small>Scan with your phone</small>
      </Heading>
      {/* The server's SVG holds only numbers and its escaped label, never the link's text (qr-svg.ts). */}
      <div class="qr" data-qr dangerouslySetInnerHTML={{ __html: pending.qrSvg }} />
      <p>
        <small>
          QR コードの内容 <small>the link it holds</small>:
        </small>
        <br />
        <code class="link" data-wallet-url>
          {pending.walletUrl}
        </code>
      </p>
      <p>
        <small>
          有効期限 <small>expires</small>: <span data-expires-at>{pending.expiresAt}</span>
        </small>
      </p>
      <p class="bridge">
        {`この環境にはカメラ付きの電話がないため、リンクを電話エミュレータに渡します(明示的なブリッジ)。${phoneDoes?.ja ?? ''}`}
        <br />
        <small>
          {`No phone with a camera exists here: hand the link to a phone emulator (an explicit bridge).${
            phoneDoes === undefined ? '' : ` ${phoneDoes.en}`
          }`}
        </small>
        <br />
        {pending.phones.map((p) => (
          <a
            key={p.id}
            class="open"
            data-open-on={p.id}
            target="_blank"
            rel="noopener"
            href={`/wallet/phones/${encodeURIComponent(p.id)}/${phoneScreen}?url=${encodeURIComponent(pending.walletUrl)}`}
          >
            電話 {p.id} で開く / open on phone {p.id} ({p.family})
          </a>
        ))}
      </p>
      <p id={statusId} role="status" aria-live="polite" data-state="pending">
        電話からの応答を待っています… <small>waiting for the phone…</small>
      </p>
    </section>
  );
}
