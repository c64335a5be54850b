/**
 * The sign-in: one form per phone, as its family unlocks the auth key — the auth PIN typed here (Android)
 * or the biometric approved on the phone (iPhone). A refusal shows its stable code, the tries the phone has
 * left, or the verifier's checks (a revoked certificate); the PIN typed is cleared and never shown.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Phone, type Problem, type SignedIn, signIn } from '../api';
import { AnsweredBy, BridgeNote } from './bridge-note';
import { ChecksTable, Verdict } from '../../../shared/checks';

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
  const [ja, en] = REFUSALS.get(refused.code) ?? ['ログインできません', 'sign-in refused'];
  const p = refused.problem;
  return (
    <div class="refusal" role="alert" data-error={refused.code}>
      <p>
        <strong class="failed">ログインできません</strong> <small>Sign-in refused</small>
      </p>
      <p>
        {ja}
        {refused.code === 'PORTAL_PIN_WRONG' ? (
          <>
            {' '}
            — 残り{' '}
            <strong data-remaining-tries={String(p.remainingTries ?? '')}>{p.remainingTries ?? '?'}</strong>{' '}
            回
          </>
        ) : null}{' '}
        <small>
          {en}
          {refused.code === 'PORTAL_PIN_WRONG' ? ` — ${p.remainingTries ?? '?'} tries left` : ''}
        </small>{' '}
        <small>
          (<code>{refused.code}</code>)
        </small>
      </p>
      {p.phone ? (
        <p class="small">
          応答した電話 <small>answered by</small>: <AnsweredBy phone={p.phone} />
        </p>
      ) : null}
      {p.verdict !== undefined && p.checks !== undefined ? (
        <>
          <Verdict answer={{ verdict: p.verdict, errorCode: p.errorCode ?? null, checks: p.checks }} />
          <ChecksTable answer={{ verdict: p.verdict, errorCode: p.errorCode ?? null, checks: p.checks }} />
        </>
      ) : null}
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
        <label>
          <span>
            利用者証明用暗証番号(数字4桁) <small>auth PIN (4 digits)</small>
          </span>
          <input
            type="password"
            name="pin"
            required
            inputMode="numeric"
            minLength={4}
            maxLength={4}
            pattern="[0-9]{4}"
            autoComplete="off"
            value={pin}
            onInput={(e) => setPin((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={busy} data-sign-in="pin">
          ログイン / Sign in
        </button>
        <p class="small muted">3回間違えるとロックされます three wrong PINs lock it</p>
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
