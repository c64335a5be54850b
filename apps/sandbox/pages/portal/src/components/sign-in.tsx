/**
 * The sign-in: one form per phone, as its family unlocks the auth key — the auth PIN typed here (Android)
 * or the biometric approved on the phone (iPhone). A refusal shows its stable code, the tries the phone has
 * left, or the verifier's checks (a revoked certificate); the PIN typed is cleared and never shown.
 */
import { useState } from 'preact/hooks';
import { AnsweredBy } from '../../../shared/phones';
import { AnsweredByLine, RefusalHeading, RefusalWords, RefusedChecks } from '../../../shared/refusal';
import { AuthPinField, PinLockNote } from '../../../shared/secret-fields';
import { ApiError, type Phone, type Problem, type SignedIn, signIn } from '../api';
import { BridgeNote } from './bridge-note';

/** What each refusal says, Japanese then English. */
const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['PORTAL_PIN_FORMAT', ['暗証番号は数字4桁です', 'the auth PIN is 4 digits']],
  ['PORTAL_PIN_WRONG', ['暗証番号が違います。電話が数えています', 'wrong auth PIN; the phone counts it']],
  [
    'PORTAL_PIN_LOCKED',
    [
      '利用者証明用暗証番号がロックされています。市区町村の窓口で解除が必要です',
      'the auth PIN is locked; the holder must have it reset',
    ],
  ],
  ['PORTAL_BIOMETRIC_FAILED', ['生体認証が一致しませんでした', 'the biometric did not match']],
  [
    'PORTAL_NO_CERTIFICATE',
    [
      'この電話には有効な利用者証明用電子証明書がありません',
      'this phone holds no user-authentication certificate in force',
    ],
  ],
  ['PORTAL_PHONE_REFUSED', ['この電話は応答できませんでした', 'the phone could not answer']],
  ['PORTAL_SESSION_UNAVAILABLE', ['セッションを開けません', 'the session could not be opened']],
  [
    'PORTAL_SIGN_IN_REFUSED',
    [
      '利用者証明用電子証明書を確かめられませんでした。失効した証明書(死亡・国外転出・カードの紛失などで失効します)ではログインできません',
      'the user-authentication certificate could not be verified; a revoked certificate (death, moving abroad, a lost card …) cannot sign in',
    ],
  ],
]);

interface Refused {
  readonly phoneId: string;
  readonly code: string;
  readonly problem: Problem;
}

function Refusal({ refused }: { refused: Refused }) {
  const p = refused.problem;
  return (
    <div class="refusal" role="alert" data-error={refused.code}>
      <RefusalHeading ja="ログインできません" en="Sign-in refused" />
      <RefusalWords
        code={refused.code}
        words={REFUSALS.get(refused.code) ?? ['ログインできません', 'sign-in refused']}
        counted={refused.code === 'PORTAL_PIN_WRONG'}
        remainingTries={p.remainingTries}
      />
      <AnsweredByLine phone={p.phone} />
      <RefusedChecks problem={p} />
    </div>
  );
}

function PhoneForm({
  phone,
  busy,
  onSubmit,
}: {
  phone: Phone;
  busy: boolean;
  onSubmit: (body: { phone: string; pin?: string; biometric?: 'matched' | 'failed' }) => Promise<boolean>;
}) {
  const [pin, setPin] = useState('');
  if (phone.unlock === 'pin')
    return (
      <form
        class="phone card"
        data-phone-form={phone.id}
        onSubmit={async (e) => {
          e.preventDefault();
          await onSubmit({ phone: phone.id, pin });
          setPin('');
        }}
      >
        <p>
          <AnsweredBy phone={phone} />
        </p>
        <AuthPinField pin={pin} onPin={setPin} />
        <button type="submit" disabled={busy} data-sign-in="pin">
          ログイン / Sign in
        </button>
        <PinLockNote />
      </form>
    );
  return (
    <form class="phone card" data-phone-form={phone.id} onSubmit={(e) => e.preventDefault()}>
      <p>
        <AnsweredBy phone={phone} />
      </p>
      <p class="small">
        電話の画面で生体認証(Face ID)で承認します{' '}
        <small>approve on the phone with its biometric (Face ID)</small>
      </p>
      <div class="buttons">
        <button
          type="button"
          value="matched"
          disabled={busy}
          onClick={() => onSubmit({ phone: phone.id, biometric: 'matched' })}
        >
          ログイン(生体認証で承認) / Sign in (approve with the biometric)
        </button>
        <button
          type="button"
          class="secondary"
          value="failed"
          disabled={busy}
          onClick={() => onSubmit({ phone: phone.id, biometric: 'failed' })}
        >
          生体認証が一致しない(試験用) / the biometric does not match (test)
        </button>
      </div>
    </form>
  );
}

export function SignInView({
  phones,
  onSignedIn,
}: {
  phones: readonly Phone[];
  onSignedIn: (s: SignedIn) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<Refused | undefined>(undefined);
  const submit = async (body: { phone: string; pin?: string; biometric?: 'matched' | 'failed' }) => {
    setBusy(true);
    setRefused(undefined);
    try {
      onSignedIn(await signIn(body));
      return true;
    } catch (e) {
      setRefused({
        phoneId: body.phone,
        code: e instanceof ApiError ? e.code : 'NETWORK',
        problem: e instanceof ApiError ? e.problem : {},
      });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <section class="card">
        <h2>
          ログイン <small>Sign in</small>
        </h2>
        <p>
          スマートフォンの利用者証明用電子証明書でログインします。アカウントは証明書の識別子(氏名などを含まない番号)に結び付きます。
          <br />
          <small>
            Sign in with the user-authentication certificate on your phone. The account is bound to the
            certificate's identifier, which holds no name or other personal data.
          </small>
        </p>
        <BridgeNote />
      </section>
      {refused ? <Refusal refused={refused} /> : null}
      {phones.map((p) => (
        <PhoneForm key={p.id} phone={p} busy={busy} onSubmit={submit} />
      ))}
      {phones.length === 0 ? (
        <p class="muted">
          電話がありません <small>no phone in this sandbox</small>
        </p>
      ) : null}
    </>
  );
}
