/**
 * A phone's install screen (services/wallet installCredentials, through `phones/<id>/install`): the holder
 * reads their card (the sandbox's test cards; the card's own PINs are typed from its file by the wallet),
 * chooses a new auth PIN and a new signature password, each twice, and passes the liveness step. An
 * iPhone-like phone receives the record and both certificates; an Android-like one the certificates, and
 * then the record without the card (RecordStep). The secrets go in the JSON body only.
 */
import { callWallet } from '../../../shared/wallet-api';
import type { ScreenProps } from '../phone';
import { RecordStep } from './parts';

export function InstallScreen(props: ScreenProps) {
  const { phone } = props;
  if (props.residents === undefined)
    return (
      <p class="note" data-install="unavailable">
        このウォレットはここでは搭載しません。サンドボックス(<code>mynakit sandbox</code>
        )では、テストカードから搭載できます。
        <br />
        <span class="en">This wallet installs nothing here: the sandbox installs from its test cards.</span>
      </p>
    );
  if (props.issuer.state === 'not-configured')
    return (
      <p class="warn" data-install="no-issuer">
        発行者が設定されていないため搭載できません{' '}
        <span class="en">No issuer is configured: nothing can be installed</span>
      </p>
    );
  if (phone.offline)
    return (
      <p class="warn" data-install="offline">
        オフラインでは搭載できません <span class="en">An offline phone cannot install</span>
      </p>
    );
  const send = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const field = (name: string) => {
      const v = form.get(name);
      return typeof v === 'string' ? v : '';
    };
    const body = {
      residentId: field('residentId'),
      newAuthPin: field('newAuthPin'),
      newAuthPinAgain: field('newAuthPinAgain'),
      newSignaturePassword: field('newSignaturePassword'),
      newSignaturePasswordAgain: field('newSignaturePasswordAgain'),
      liveness: field('liveness'),
    };
    void props.run(async () => {
      const result = await callWallet<{ state: string }>(`phones/${phone.id}/install`, body);
      return {
        key: 'install',
        label: { ja: `搭載しました(${result.state})`, en: `Installed (${result.state})` },
        tab: 'home',
      };
    });
  };
  return (
    <>
      <h2>
        カードを読み取って搭載 <span class="en">Read a card and install</span>
      </h2>
      <p class="note">
        {phone.family === 'iphone'
          ? 'この電話は記録と電子証明書を一度に受け取ります。'
          : 'この電話はまず電子証明書を受け取り、記録はカードなしで追加します。'}
        <br />
        <span class="en">
          {phone.family === 'iphone'
            ? 'This phone receives the record and the certificates at once.'
            : 'This phone receives the certificates first; the record is added without the card.'}
        </span>
      </p>
      <RecordStep {...props} />
      <form class="install" method="post" action={`phones/${phone.id}/install`} onSubmit={send}>
        <h3>
          1. カードを読み取る <span class="en">Read the card</span>
        </h3>
        <label>
          住民(テストカード)<span class="en">resident (test card)</span>
          <select name="residentId">
            {props.residents.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <h3>
          2. 新しい利用者証明用暗証番号 <span class="en">New auth PIN (4 digits)</span>
        </h3>
        <label>
          暗証番号 <span class="en">PIN</span>
          <input
            name="newAuthPin"
            type="password"
            inputMode="numeric"
            pattern="[0-9]{4}"
            maxLength={4}
            required
            autocomplete="off"
          />
        </label>
        <label>
          もう一度 <span class="en">again</span>
          <input
            name="newAuthPinAgain"
            type="password"
            inputMode="numeric"
            pattern="[0-9]{4}"
            maxLength={4}
            required
            autocomplete="off"
          />
        </label>
        <h3>
          3. 新しい署名用パスワード{' '}
          <span class="en">New signature password (6–16 of A–Z, 0–9; 15 and over)</span>
        </h3>
        <label>
          パスワード <span class="en">password</span>
          <input
            name="newSignaturePassword"
            type="password"
            pattern="[A-Z0-9]{6,16}"
            maxLength={16}
            autocomplete="off"
          />
        </label>
        <label>
          もう一度 <span class="en">again</span>
          <input
            name="newSignaturePasswordAgain"
            type="password"
            pattern="[A-Z0-9]{6,16}"
            maxLength={16}
            autocomplete="off"
          />
        </label>
        <h3>
          4. 顔の撮影 <span class="en">Liveness</span>
        </h3>
        <label>
          <input type="checkbox" name="liveness" value="confirmed" /> 顔の撮影(生体確認)を行った{' '}
          <span class="en">liveness check done</span>
        </label>
        <button type="submit" class="primary" disabled={props.busy}>
          搭載する / Install
        </button>
        <p class="note">
          カードの暗証番号はテストカードのファイルから入力します。
          <span class="en">The card's PINs are typed from the test card's file.</span>
        </p>
      </form>
    </>
  );
}
