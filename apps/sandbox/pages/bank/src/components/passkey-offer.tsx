/**
 * The passkey section of a valid verification's result (bank-passkeys.ts): create a passkey bound to this
 * verification — or, for a signed-in customer whose account asks for a step-up, use this verification to
 * complete it (the verifier accepts it only for the same person, verified after the step-up was asked).
 */
import { registerPasskey } from '@mynakit/verifier-sdk';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, bankApiUrl, bankUrl, completeStepUp, getMe } from '../api';
import { ipHostStatus, passkeyFailure } from '../passkeys';
import { type StatusData, StatusLine } from './status';

type Ready = 'create-passkey' | 'complete-step-up' | undefined;

export function PasskeyOffer({ sessionId }: { sessionId: string }) {
  const [ready, setReady] = useState<Ready>(undefined);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusData | undefined>(undefined);
  const [created, setCreated] = useState(false);

  useEffect(() => {
    const ip = ipHostStatus();
    if (ip !== undefined) {
      setStatus(ip);
      return;
    }
    getMe().then(
      (me) => setReady(me.signedIn && me.stepUpRequired === true ? 'complete-step-up' : 'create-passkey'),
      () => setReady('create-passkey'),
    );
  }, []);

  const create = async () => {
    setBusy(true);
    setStatus({ text: 'パスキーを作成しています… / Creating the passkey…', progress: 'creating' });
    try {
      const made = await registerPasskey<{ accountId: string }>({
        optionsUrl: bankApiUrl('passkeys/registration/options'),
        optionsBody: { sessionId },
        verifyUrl: bankApiUrl('passkeys/registration/verify'),
      });
      setStatus({
        text: `口座を開設しました。口座番号 / Account opened — account id: ${made.accountId}`,
        accountId: made.accountId,
      });
      setCreated(true);
    } catch (e) {
      setStatus(passkeyFailure(e));
      setBusy(false);
    }
  };

  const stepUp = async () => {
    setBusy(true);
    setStatus({
      text: '本人確認を住所変更に使っています… / Using this verification for the step-up…',
      progress: 'step-up',
    });
    try {
      await completeStepUp(sessionId);
      location.assign(bankUrl('account/'));
    } catch (e) {
      setStatus(
        passkeyFailure({ reason: 'rejected', problemCode: e instanceof ApiError ? e.code : undefined }),
      );
      setBusy(false);
    }
  };

  return (
    <section class="card passkey" data-passkey-offer data-session={sessionId} data-ready={ready}>
      <h3>
        パスキー <small>Passkey</small>
      </h3>
      <p>
        この本人確認に結び付いたパスキーを作ると、次からはパスキーでサインインできます(10分以内、1回限り)。{' '}
        <small>
          Create a passkey bound to this verification (within 10 minutes, once) and sign in with it from now
          on.
        </small>
      </p>
      <div class="buttons">
        <button
          type="button"
          data-action="create-passkey"
          hidden={ready !== 'create-passkey'}
          disabled={ready !== 'create-passkey' || busy}
          onClick={() => void create()}
        >
          パスキーを作成 / Create a passkey
        </button>
        <button
          type="button"
          data-action="complete-step-up"
          hidden={ready !== 'complete-step-up'}
          disabled={ready !== 'complete-step-up' || busy}
          onClick={() => void stepUp()}
        >
          この本人確認で住所変更を続ける / Use this verification for the address change
        </button>
      </div>
      <StatusLine marker="data-passkey-status" status={status} />
      <p data-signin-link hidden={!created}>
        <a href={bankUrl('signin/')}>パスキーでサインイン / Sign in with a passkey</a>
      </p>
    </section>
  );
}
