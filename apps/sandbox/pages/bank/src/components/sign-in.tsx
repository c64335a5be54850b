/**
 * Sign in with the passkey made at account opening (the SDK's `signInWithPasskey`): the account, when it
 * was verified, and whether a step-up is required before a high-risk change. The bank keeps the sign-in
 * under an HttpOnly cookie; the page stores nothing.
 */
import { signInWithPasskey } from '@mynakit/verifier-sdk';
import { useEffect, useState } from 'preact/hooks';
import { Fact, Facts } from '../../../shared/result-parts';
import { bankApiUrl, bankUrl } from '../api';
import { ipHostStatus, passkeyFailure } from '../passkeys';
import { type StatusData, StatusLine } from './status';

interface SignedIn {
  accountId: string;
  verifiedAt: string;
  stepUpRequired: boolean;
}

export function SignIn() {
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusData | undefined>(undefined);
  const [signedIn, setSignedIn] = useState<SignedIn | undefined>(undefined);

  useEffect(() => {
    const ip = ipHostStatus();
    if (ip !== undefined) {
      setStatus(ip);
      return;
    }
    setReady(true);
    document.body.dataset.ready = 'sign-in';
  }, []);

  const signIn = async () => {
    setBusy(true);
    setSignedIn(undefined);
    setStatus({ text: 'パスキーを確認しています… / Checking the passkey…', progress: 'signing-in' });
    try {
      const answer = await signInWithPasskey<SignedIn>({
        optionsUrl: bankApiUrl('passkeys/authentication/options'),
        optionsBody: {},
        verifyUrl: bankApiUrl('passkeys/authentication/verify'),
      });
      setStatus({ text: 'サインインしました / Signed in', progress: 'done' });
      setSignedIn(answer);
    } catch (e) {
      setStatus(passkeyFailure(e));
    }
    setBusy(false);
  };

  return (
    <section class="card">
      <h2>
        パスキーでサインイン <small>Sign in with a passkey</small>
      </h2>
      <p>
        口座開設のときに作ったパスキーでサインインします。{' '}
        <small>Sign in with the passkey you created when opening the account.</small>
      </p>
      <div class="buttons">
        <button type="button" data-action="sign-in" disabled={!ready || busy} onClick={() => void signIn()}>
          パスキーでサインイン / Sign in with a passkey
        </button>
      </div>
      <StatusLine id="passkey-status" status={status} />
      <div
        data-signed-in
        hidden={signedIn === undefined}
        data-account-id={signedIn?.accountId}
        data-step-up-required={signedIn === undefined ? undefined : String(signedIn.stepUpRequired)}
      >
        <Facts marker="data-signed-in-facts">
          <Fact ja="口座" en="account" field="account">
            {signedIn?.accountId ?? ''}
          </Fact>
          <Fact ja="本人確認の日時" en="verified at" field="verified-at">
            {signedIn?.verifiedAt ?? ''}
          </Fact>
          <Fact ja="追加の本人確認" en="step-up" field="step-up">
            {signedIn?.stepUpRequired
              ? '必要 — 住所変更などの前にカードでの本人確認をもう一度 / required: verify the card again before a high-risk change'
              : '不要 / not required'}
          </Fact>
        </Facts>
        <p>
          <a href={new URL(bankUrl('account/')).pathname}>口座へ / to the account</a>
        </p>
      </div>
      <p>
        <a href={bankUrl('')}>口座開設 / open an account</a>
      </p>
    </section>
  );
}
