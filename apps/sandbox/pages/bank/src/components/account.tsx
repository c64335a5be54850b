/**
 * The signed-in account (no personal data): when it was verified, the record, the passkeys, and the address
 * change — a high-risk change for which the bank asks the verifier for a step-up: the same person verifies
 * the card again on the bank's usual page, and that result completes it.
 */
import { useEffect, useState } from 'preact/hooks';
import { LoadFailed, Loading } from '../../../shared/page-frame';
import { Fact, Facts } from '../../../shared/result-parts';
import { type Account, ApiError, askAddressChange, bankUrl, getAccount, signOut } from '../api';

export function AccountView() {
  const [account, setAccount] = useState<Account | { error: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const failed = (e: unknown) => {
    // The sign-in lapsed: sign in again.
    if (e instanceof ApiError && e.code === 'BANK_NOT_SIGNED_IN') location.replace(bankUrl('signin/'));
    else setAccount({ error: e instanceof ApiError ? e.code : 'NETWORK' });
  };
  useEffect(() => {
    getAccount().then(setAccount, failed);
  }, []);

  if (account === undefined) return <Loading />;
  if ('error' in account) return <LoadFailed code={account.error} />;

  const changeAddress = async () => {
    setBusy(true);
    try {
      setAccount(await askAddressChange());
    } catch (e) {
      failed(e);
    }
    setBusy(false);
  };

  return (
    <section class="card">
      <h2>
        口座 <small>Your account</small>
      </h2>
      <Facts marker="data-account-facts">
        <Fact ja="口座" en="account">
          <span data-account={account.accountId}>{account.accountId}</span>
        </Fact>
        <Fact ja="本人確認の日時" en="verified at">
          {account.verifiedAt}
        </Fact>
        <Fact ja="確認記録" en="verification record">
          <code>{account.recordId}</code>
        </Fact>
        <Fact ja="パスキー" en="passkeys">
          {String(account.passkeys)}
        </Fact>
        <Fact ja="追加の本人確認" en="step-up">
          <span data-step-up-required={String(account.stepUpRequired)}>
            {account.stepUpRequired ? '必要 / required' : '不要 / not required'}
          </span>
        </Fact>
      </Facts>
      <h3>
        住所変更 <small>Change the registered address</small>
      </h3>
      {account.stepUpRequired ? (
        <>
          <p data-step-up="required">
            住所変更にはカードでの本人確認がもう一度必要です。{' '}
            <small>Changing the address needs a new verification with the card.</small>
          </p>
          <p>
            <a href={new URL(bankUrl('')).pathname} data-action="verify-again">
              マイナンバーカードで本人確認 / Verify with the My Number Card
            </a>
          </p>
        </>
      ) : account.stepUpCompletedAt !== null ? (
        <p data-step-up="completed">
          本人確認が完了しました({account.stepUpCompletedAt})。住所変更を受け付けます。{' '}
          <small>Verified again: the address change can proceed.</small>
        </p>
      ) : (
        <div class="buttons">
          <button
            type="button"
            data-action="address-change"
            disabled={busy}
            onClick={() => void changeAddress()}
          >
            住所変更 / change the registered address
          </button>
        </div>
      )}
      <div class="buttons">
        <button
          type="button"
          class="secondary"
          data-action="sign-out"
          disabled={busy}
          onClick={() =>
            void signOut().then(
              () => location.assign(bankUrl('signin/')),
              () => location.assign(bankUrl('signin/')),
            )
          }
        >
          サインアウト / sign out
        </button>
      </div>
    </section>
  );
}
