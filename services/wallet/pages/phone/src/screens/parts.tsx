/** Pieces more than one screen of a phone shows: the secrets' lock state, the Android record step. */
import { MNC_DOCTYPE } from '../../../shared/labels';
import { callWallet } from '../../../shared/wallet-api';
import type { ScreenProps } from '../phone';
import type { SecretStatus } from '../types';

function SecretLine({ label, en, s }: { label: string; en: string; s: SecretStatus }) {
  if (!s.set)
    return (
      <li data-secret-state="not-set">
        {label} <span class="en">{en}</span>: 未設定 <span class="en">not set</span>
      </li>
    );
  if (s.locked)
    return (
      <li class="warn" data-secret-state="locked">
        {label} <span class="en">{en}</span>: ロック中 <span class="en">locked</span>
      </li>
    );
  return (
    <li data-secret-state="open" data-remaining-tries={s.remaining}>
      {label} <span class="en">{en}</span>: 残り {s.remaining} 回{' '}
      <span class="en">{s.remaining} tries left</span>
    </li>
  );
}

/** The two secrets of DOMAIN.md §3 and their tries left (3 for the PIN, 5 for the password). */
export function Secrets({ phone }: Pick<ScreenProps, 'phone'>) {
  return (
    <ul data-secrets>
      <SecretLine label="利用者証明用暗証番号(4桁)" en="auth PIN" s={phone.secrets.authPin} />
      <SecretLine label="署名用パスワード" en="signature password" s={phone.secrets.signaturePassword} />
    </ul>
  );
}

/**
 * The Android family's second step: with its certificates installed from the card, the record is added
 * without the card, after the owner's biometric (services/wallet addRecord).
 */
export function RecordStep(props: ScreenProps) {
  const { phone } = props;
  const hasRecord = phone.documents.some((d) => d.docType === MNC_DOCTYPE && d.state === 'active');
  const hasCertificates = phone.certificates.some((c) => c.state === 'active');
  if (
    phone.family !== 'android' ||
    !hasCertificates ||
    hasRecord ||
    phone.offline ||
    props.residents === undefined ||
    props.issuer.state === 'not-configured'
  )
    return null;
  const send = (e: Event) => {
    e.preventDefault();
    void props.run(async () => {
      const outcome = await props.askBiometric({
        ja: 'カードを使わずに記録を追加します',
        en: 'Add the record without the card',
      });
      if (outcome === null) return undefined;
      await callWallet(`phones/${phone.id}/record`, { biometric: outcome });
      return {
        key: 'record',
        label: { ja: '記録を追加しました', en: 'The record was added' },
        tab: 'home',
      };
    });
  };
  return (
    <form class="record" method="post" action={`phones/${phone.id}/record`} onSubmit={send}>
      <p class="note">
        電子証明書は搭載済みです。記録はカードなしで追加できます。
        <span class="en">The certificates are installed; the record is added without the card.</span>
      </p>
      <button type="submit" class="primary" disabled={props.busy}>
        記録を追加(カード読取なし)/ Add the record (no card needed)
      </button>
    </form>
  );
}
