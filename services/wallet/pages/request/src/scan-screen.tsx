/**
 * The scan screen: a real phone's camera reads the QR code; the emulator takes the link it holds, pasted
 * here. An `openid4vp://` link opens the consent screen, a `mynakit-jpki://` one the JPKI screen, beside
 * this one (relative URLs).
 */
import { useState } from 'preact/hooks';

export function ScanScreen({ phoneId }: { phoneId: string }) {
  const [link, setLink] = useState('');
  const open = (e: Event) => {
    e.preventDefault();
    const url = link.trim();
    if (url === '') return;
    const screen = url.toLowerCase().startsWith('mynakit-jpki:') ? 'jpki-request' : 'openid4vp';
    window.location.assign(`${screen}?url=${encodeURIComponent(url)}`);
  };
  return (
    <>
      <h1>
        QRコードを読み取る <small>Scan a QR code</small>
      </h1>
      <p class="small">
        {phoneId} — 実機ではカメラで読み取ります。ここでは QR コードのリンク(<code>openid4vp://…</code> または
        JPKI の <code>mynakit-jpki://…</code>)を貼り付けます。{' '}
        <small>A real phone reads the code with its camera; here, paste the link the QR code holds.</small>
      </p>
      <form method="get" action="openid4vp" data-scan onSubmit={open}>
        <label>
          リンク <small>link</small>
          <textarea
            name="url"
            rows={4}
            required
            spellcheck={false}
            value={link}
            onInput={(e) => setLink((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </label>
        <button type="submit">読み取る / Read</button>
      </form>
    </>
  );
}
