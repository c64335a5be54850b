/** A phone's presentation history: what was shared with whom, when — element names only, never values. */
import { useEffect, useState } from 'preact/hooks';
import { docTypeLabel } from '../../../shared/labels';
import { Refusal } from '../../../shared/refusal';
import { asWalletApiError, callWallet, type WalletApiError } from '../../../shared/wallet-api';
import type { ScreenProps } from '../phone';
import type { HistoryEntry } from '../types';

const CHANNELS: ReadonlyMap<string, string> = new Map([
  [
    'cross-device-openid4vp-v1-direct-post-jwt',
    '別の端末の QR コード / QR code on another device (OpenID4VP)',
  ],
  ['dc-api-openid4vp-v1-signed', 'ブラウザ / browser (Digital Credentials API, OpenID4VP)'],
  ['dc-api-openid4vp-v1-unsigned', 'ブラウザ / browser (Digital Credentials API, OpenID4VP, unsigned)'],
  ['dc-api-org-iso-mdoc', 'ブラウザ / browser (Digital Credentials API, ISO mdoc)'],
  ['iso-18013-5-proximity', '近接 / in person (ISO/IEC 18013-5)'],
  ['jpki-signature', '署名用電子証明書で署名 / JPKI signature'],
  ['jpki-user-authentication', '利用者証明用電子証明書で認証 / JPKI user authentication'],
]);

/** The time in Japan (UTC+9), to the minute. */
function japanTime(iso: string): string {
  return new Date(iso).toLocaleString('ja-JP', {
    timeZone: 'Asia/Tokyo',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export function HistoryScreen({ phone }: ScreenProps) {
  const [lines, setLines] = useState<readonly HistoryEntry[] | undefined>(undefined);
  const [error, setError] = useState<WalletApiError | undefined>(undefined);
  useEffect(() => {
    callWallet<{ presentations: HistoryEntry[] }>(`phones/${phone.id}/history`).then(
      (r) => setLines(r.presentations),
      (e) => setError(asWalletApiError(e)),
    );
  }, [phone.id]);
  return (
    <>
      <h2>
        提示の履歴 <span class="en">What was shared</span>
      </h2>
      {error ? <Refusal error={error} /> : null}
      {lines === undefined ? null : lines.length === 0 ? (
        <p class="empty" data-history="empty">
          まだ何も提示していません <span class="en">Nothing shared yet</span>
        </p>
      ) : (
        <ul class="history" data-history={lines.length}>
          {lines.map((l, i) => (
            <li key={`${l.sharedAt}-${i}`} data-channel={l.channel}>
              <strong>{japanTime(l.sharedAt)}</strong> — {l.relyingParty}
              <br />
              <span class="note">{CHANNELS.get(l.channel) ?? l.channel}</span>
              {l.docType ? (
                <>
                  <br />
                  {docTypeLabel(l.docType).ja}: {l.elements.map(([, id]) => id).join(', ') || '—'}
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
