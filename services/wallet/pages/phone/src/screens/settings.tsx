/**
 * A phone's settings: the emulator's network switch (an offline phone hears nothing from the issuer and
 * keeps presenting what it holds — story 4), hearing the issuer's notices after unlocking the phone with the
 * biometric, and the lock state of the two secrets with their tries left. Where a key exists, its pad
 * unlocks it once, as a site's login or signature would ask: a wrong secret costs a try, the last one locks
 * it (DOMAIN.md §3: 3 tries for the PIN, 5 for the password).
 */
import { PinPad } from '../../../shared/pin-pad';
import { callWallet } from '../../../shared/wallet-api';
import type { ScreenProps } from '../phone';
import { Secrets } from './parts';

export function SettingsScreen(props: ScreenProps) {
  const { phone } = props;
  const switchNetwork = (e: Event) => {
    e.preventDefault();
    void props.run(async () => {
      await callWallet(`phones/${phone.id}/offline`, { offline: !phone.offline });
      return phone.offline
        ? { key: 'online', label: { ja: 'オンラインに戻しました', en: 'Back online' } }
        : { key: 'offline', label: { ja: 'オフラインにしました', en: 'Now offline' } };
    });
  };
  const sync = (e: Event) => {
    e.preventDefault();
    void props.run(async () => {
      const outcome = await props.askBiometric({
        ja: 'ロックを解除して発行者からの通知を受け取ります',
        en: "Unlock the phone and hear the issuer's notices",
      });
      if (outcome === null) return undefined;
      await callWallet(`phones/${phone.id}/notices/sync`, { biometric: outcome });
      return { key: 'sync', label: { ja: '通知を受け取りました', en: 'Notices heard' }, tab: 'home' };
    });
  };
  const unlock = (purpose: 'auth' | 'sign', value: string) =>
    void props.run(async () => {
      await callWallet(
        `phones/${phone.id}/keys/${purpose}/unlock`,
        purpose === 'auth' ? { pin: value } : { password: value },
      );
      return { key: 'unlock', label: { ja: '鍵を開けました(1回分)', en: 'The key is open for one use' } };
    });
  const holds = (purpose: 'auth' | 'sign') =>
    phone.certificates.some((c) => c.purpose === purpose && c.state === 'active');
  return (
    <>
      <h2>
        設定 <span class="en">Settings</span>
      </h2>
      <h3>
        通信 <span class="en">Network</span>
      </h3>
      <p class="note">
        {phone.offline
          ? 'オフライン中は発行者からの通知を受け取りません(保持している記録は提示できます)。'
          : '発行者からの通知を受け取れます。'}
        <br />
        <span class="en">
          {phone.offline
            ? 'Offline, the phone hears nothing from the issuer (and keeps presenting what it holds).'
            : "Online: the phone can hear the issuer's notices."}
        </span>
      </p>
      <form method="post" action={`phones/${phone.id}/offline`} onSubmit={switchNetwork}>
        <button type="submit" disabled={props.busy}>
          {phone.offline ? 'オンラインに戻す / Go online' : 'オフラインにする / Go offline'}
        </button>
      </form>
      <h3>
        通知 <span class="en">Notices</span>
      </h3>
      {phone.offline ? (
        <p class="note">
          オフラインでは受け取れません <span class="en">not while offline</span>
        </p>
      ) : props.issuer.state === 'not-configured' ? (
        <p class="note">
          発行者が設定されていません <span class="en">no issuer configured</span>
        </p>
      ) : (
        <form method="post" action={`phones/${phone.id}/notices/sync`} onSubmit={sync}>
          <button type="submit" disabled={props.busy}>
            ロックを解除して通知を受信 / Unlock and hear notices
          </button>
        </form>
      )}
      <h3>
        ロック <span class="en">Lock state</span>
      </h3>
      <Secrets phone={phone} />
      {holds('auth') ? (
        <PinPad
          kind="pin"
          name="pin"
          action={`phones/${phone.id}/keys/auth/unlock`}
          label={{ ja: '利用者証明用暗証番号を入力', en: "type the auth PIN (as a site's login would ask)" }}
          submit={{ ja: '送信', en: 'Send' }}
          busy={props.busy}
          onSubmit={(v) => unlock('auth', v)}
        />
      ) : null}
      {holds('sign') ? (
        <PinPad
          kind="password"
          name="password"
          action={`phones/${phone.id}/keys/sign/unlock`}
          label={{
            ja: '署名用パスワードを入力',
            en: 'type the signature password (as a signature would ask)',
          }}
          submit={{ ja: '送信', en: 'Send' }}
          busy={props.busy}
          onSubmit={(v) => unlock('sign', v)}
        />
      ) : null}
      {holds('auth') || holds('sign') ? null : (
        <p class="note">
          鍵がありません <span class="en">no JPKI key to unlock</span>
        </p>
      )}
    </>
  );
}
