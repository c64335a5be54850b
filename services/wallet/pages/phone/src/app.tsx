/**
 * The phone emulator's page: every phone of the wallet, each shaped like a phone with its own screens
 * (home, install, history, settings — phone.tsx), under one line saying whether the issuer is reachable,
 * unreachable or not configured (a wallet with no issuer still shows what its phones hold). `#/phone/<id>`
 * shows one phone alone; the fragment never reaches a server and names a phone, nothing personal.
 *
 * Everything comes from the wallet app's JSON routes (`overview`, `phones/<id>/…`); after each action the
 * page reads the overview again, so what it shows is what the phones' stores hold.
 */
import { useEffect, useState } from 'preact/hooks';
import { Refusal } from '../../shared/refusal';
import { asWalletApiError, callWallet, type WalletApiError } from '../../shared/wallet-api';
import { Phone } from './phone';
import type { IssuerStatus, Overview } from './types';

const PHONE_HASH = /^#\/phone\/([A-Za-z0-9_-]{1,64})$/;

function phoneOfHash(): string | undefined {
  return PHONE_HASH.exec(location.hash)?.[1];
}

function IssuerLine({ status }: { readonly status: IssuerStatus }) {
  switch (status.state) {
    case 'not-configured':
      return (
        <p class="issuer warn" data-issuer="not-configured">
          発行者が設定されていません — 保持している記録は提示できますが、新しい搭載はできません。
          <br />
          <span class="en">
            No issuer configured: the phones present what they hold, but cannot install anything new. Start
            with <code>--issuer-url</code> or <code>MYNAKIT_ISSUER_URL</code>.
          </span>
        </p>
      );
    case 'unreachable':
      return (
        <p class="issuer warn" data-issuer="unreachable">
          発行者 {status.url} に接続できません({status.reason})— オフラインとして動作します。
          <br />
          <span class="en">
            The issuer at {status.url} is unreachable ({status.reason}): the phones work offline.
          </span>
        </p>
      );
    case 'reachable':
      return (
        <p class="issuer" data-issuer="reachable">
          発行者 <span class="en">Issuer</span>: {status.url}{' '}
          <span class="good">✓ 接続できます / reachable</span>
        </p>
      );
  }
}

export function App() {
  const [overview, setOverview] = useState<Overview | undefined>(undefined);
  const [error, setError] = useState<WalletApiError | undefined>(undefined);
  const [alone, setAlone] = useState<string | undefined>(phoneOfHash());
  const refresh = async () => {
    try {
      setOverview(await callWallet<Overview>('overview'));
      setError(undefined);
    } catch (e) {
      setError(asWalletApiError(e));
    }
  };
  useEffect(() => {
    void refresh();
    const onHash = () => setAlone(phoneOfHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const shown = overview?.phones.filter((p) => alone === undefined || p.id === alone) ?? [];
  return (
    <main class="page">
      <h1>
        スマートフォン <span class="en">Phones</span>
      </h1>
      {error ? <Refusal error={error} /> : null}
      {overview === undefined ? (
        error ? null : (
          <p class="note">読み込み中… Loading…</p>
        )
      ) : (
        <>
          <IssuerLine status={overview.issuer} />
          {alone === undefined ? null : (
            <p>
              <a href="#/">← すべての電話 / every phone</a>
            </p>
          )}
          {alone !== undefined && shown.length === 0 ? (
            <p class="warn">
              その電話はありません <span class="en">no such phone</span>
            </p>
          ) : null}
          <div class="phones">
            {shown.map((p) => (
              <Phone
                key={p.id}
                phone={p}
                issuer={overview.issuer}
                residents={overview.install?.residents}
                alone={alone !== undefined}
                refresh={refresh}
              />
            ))}
          </div>
          <p class="note">
            鍵は暗号化ファイルに保管された模擬セキュアエリアにあります。
            <span class="en">Keys live in a simulated secure area (software keys encrypted at rest).</span>
          </p>
        </>
      )}
    </main>
  );
}
