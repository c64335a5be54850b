/**
 * One phone, shaped like one: a status bar (which phone, online or offline), the screen, and a tab bar —
 *
 *  - on every screen, the notification of requests waiting on its consent screen (incoming-banner.tsx);
 *  - ホーム Home: the documents and JPKI certificates it holds and their state, the secrets' tries; a held
 *    document's elements only after the owner's biometric; the Android family's record added without the
 *    card; the QR code scanner (the request page, services/wallet/pages/request);
 *  - 搭載 Install: read a test card, the new auth PIN twice, the signature password twice, the liveness step;
 *  - 履歴 History: what was shared with whom, when (element names only);
 *  - 設定 Settings: the offline switch, hearing the issuer's notices, the lock state with the tries left and
 *    the PIN / password pad that unlocks a key once.
 *
 * The pad and the biometric prompt are the ones every wallet page shares (../../shared).
 */
import { useState } from 'preact/hooks';
import { useBiometric } from '../../shared/biometric-prompt';
import { familyLabel, type Label } from '../../shared/labels';
import { Refusal } from '../../shared/refusal';
import { asWalletApiError, type WalletApiError } from '../../shared/wallet-api';
import { IncomingBanner } from './incoming-banner';
import { HistoryScreen } from './screens/history';
import { HomeScreen } from './screens/home';
import { InstallScreen } from './screens/install';
import { SettingsScreen } from './screens/settings';
import type { IssuerStatus, PhoneSummary } from './types';

export type Tab = 'home' | 'install' | 'history' | 'settings';

const TABS: readonly (readonly [Tab, Label])[] = [
  ['home', { ja: 'ホーム', en: 'Home' }],
  ['install', { ja: '搭載', en: 'Install' }],
  ['history', { ja: '履歴', en: 'History' }],
  ['settings', { ja: '設定', en: 'Settings' }],
];

/** What an action that succeeded says, and the screen it leaves the phone on. */
export interface Done {
  readonly key: string;
  readonly label: Label;
  readonly tab?: Tab;
}

/** What every screen of a phone gets. */
export interface ScreenProps {
  readonly phone: PhoneSummary;
  readonly issuer: IssuerStatus;
  readonly residents: readonly string[] | undefined;
  readonly busy: boolean;
  /** Runs an action of the phone: its refusal is shown, the overview is read again either way. */
  readonly run: (action: () => Promise<Done | undefined>) => Promise<void>;
  readonly askBiometric: (reason: Label) => Promise<'matched' | 'failed' | null>;
  readonly go: (tab: Tab) => void;
}

export function Phone(props: {
  readonly phone: PhoneSummary;
  readonly issuer: IssuerStatus;
  readonly residents: readonly string[] | undefined;
  readonly alone: boolean;
  readonly refresh: () => Promise<void>;
}) {
  const { phone } = props;
  const [tab, setTab] = useState<Tab>('home');
  const [done, setDone] = useState<Done | undefined>(undefined);
  const [error, setError] = useState<WalletApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const biometric = useBiometric(phone.family);
  const go = (t: Tab) => {
    setTab(t);
    setDone(undefined);
    setError(undefined);
  };
  const run = async (action: () => Promise<Done | undefined>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await action();
      await props.refresh();
      if (result !== undefined) {
        if (result.tab !== undefined) setTab(result.tab);
        setDone(result);
      }
    } catch (e) {
      await props.refresh();
      setError(asWalletApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const family = familyLabel(phone.family);
  const screen: ScreenProps = {
    phone,
    issuer: props.issuer,
    residents: props.residents,
    busy,
    run,
    askBiometric: biometric.ask,
    go,
  };
  return (
    <div class="device" data-family={phone.family}>
      <section
        class="screen"
        data-phone={phone.id}
        data-screen={tab}
        aria-label={`${phone.id} (${family.en})`}
      >
        <header class="status-bar">
          <span>
            {phone.id} · {family.ja} <span class="en">{family.en}</span>
            {phone.model ? ` · ${phone.model}` : ''}
          </span>
          {phone.offline ? (
            <span class="warn" data-offline="yes">
              オフライン <span class="en">offline</span>
            </span>
          ) : (
            <span data-offline="no">
              オンライン <span class="en">online</span>
            </span>
          )}
        </header>
        <div class="screen-body">
          {props.alone ? null : (
            <p class="note">
              <a href={`#/phone/${phone.id}`} data-open-phone={phone.id}>
                この電話だけを表示 / this phone alone
              </a>
            </p>
          )}
          <IncomingBanner phoneId={phone.id} />
          {done ? (
            <p class="banner" role="status" data-done={done.key}>
              {done.label.ja} <span class="en">{done.label.en}</span>
            </p>
          ) : null}
          {error ? <Refusal error={error} /> : null}
          {tab === 'home' ? <HomeScreen {...screen} /> : null}
          {tab === 'install' ? <InstallScreen {...screen} /> : null}
          {tab === 'history' ? <HistoryScreen {...screen} /> : null}
          {tab === 'settings' ? <SettingsScreen {...screen} /> : null}
        </div>
        <nav class="tabs" aria-label="画面 / screens">
          {TABS.map(([t, label]) => (
            <button
              type="button"
              key={t}
              data-tab={t}
              aria-current={tab === t ? 'page' : undefined}
              onClick={() => go(t)}
            >
              {label.ja}
              <span class="en">{label.en}</span>
            </button>
          ))}
        </nav>
        {biometric.prompt}
      </section>
    </div>
  );
}
