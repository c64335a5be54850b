/**
 * The consent screen of a JPKI request by link or QR code: who asks, as the verified request object's
 * certificate names them and by the verified client id; why; for a signature the document (its text, or
 * its size and SHA-256 when it is not text); and the secret that opens the key (DOMAIN.md §3): for a user
 * authentication the 4-digit auth PIN on the pad or the owner's biometric, for a signature the signature
 * password — never a biometric. A wrong secret asks again with the tries left; a locked key says so and
 * offers nothing; any other refusal shows its code. Nothing is sent on a refusal.
 */
import { useEffect, useState } from 'preact/hooks';
import { type BiometricOutcome, useBiometric } from '../../shared/biometric-prompt';
import { type ApiError, type JpkiScreen, type JpkiSent, post, refusalOf } from './api';
import { AuthUnlock, DocumentBlock, SignaturePasswordField, Tries } from './jpki-parts';
import { Refusal } from './refusal';

type State =
  | { readonly step: 'loading' }
  | { readonly step: 'refused'; readonly error: ApiError }
  | { readonly step: 'consent'; readonly screen: JpkiScreen }
  | { readonly step: 'sent'; readonly screen: JpkiScreen; readonly sent: JpkiSent };

function Title({ signature }: { signature: boolean }) {
  return signature ? (
    <>
      電子署名 <small>Sign a document?</small>
    </>
  ) : (
    <>
      利用者証明(ログイン)<small>Prove it is you?</small>
    </>
  );
}

export function JpkiScreenView({ link }: { link: string }) {
  const [state, setState] = useState<State>({ step: 'loading' });
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const { prompt, ask } = useBiometric(state.step === 'consent' ? state.screen.phone.family : 'iphone');

  useEffect(() => {
    post<JpkiScreen>('jpki-request/screen', { url: link }).then(
      (screen) => setState({ step: 'consent', screen }),
      (e: unknown) => setState({ step: 'refused', error: refusalOf(e) }),
    );
  }, [link]);

  if (state.step === 'loading')
    return (
      <p class="boot" data-loading>
        要求を確認しています… <small>Checking the request…</small>
      </p>
    );
  if (state.step === 'refused')
    return (
      <>
        <h1>
          JPKI の要求 <small>A JPKI request</small>
        </h1>
        <Refusal error={state.error} />
      </>
    );
  const { screen } = state;
  const signature = screen.requestType === 'jpki-signature';
  if (state.step === 'sent')
    return (
      <>
        <h1 data-sent={screen.requestType}>
          {signature ? (
            <>
              署名して送信しました <small>Signed and sent</small>
            </>
          ) : (
            <>
              利用者証明を送信しました <small>Proof sent</small>
            </>
          )}
        </h1>
        <p class="wrap">
          <strong>{state.sent.reader.subject ?? '—'}</strong>{' '}
          <small>
            (<code>{screen.responseHost}</code>)
          </small>
        </p>
        <p>
          元の端末の画面に戻ってください。結果はそちらに表示されます。
          <br />
          <small>Go back to the other device: the result shows there.</small>
        </p>
        <p class="small">
          {screen.phone.id} の利用履歴に記録しました(文書の内容は記録しません)
          <small>kept in this phone's history (not the document)</small>
        </p>
      </>
    );

  const answer = async (secret: { pin: string } | { password: string } | { biometric: BiometricOutcome }) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const sent = await post<JpkiSent>('jpki-request', { url: link, ...secret });
      setState({ step: 'sent', screen, sent });
    } catch (e) {
      const error = refusalOf(e);
      setRefusal(error);
      // The tries the phone counted: a wrong secret leaves fewer, the last one locks the key.
      if (error.code === 'WALLET_SECRET_WRONG' || error.code === 'WALLET_SECRET_LOCKED')
        setState({
          step: 'consent',
          screen: {
            ...screen,
            tries: {
              remaining: error.remainingTries ?? screen.tries.remaining,
              locked: error.code === 'WALLET_SECRET_LOCKED',
            },
          },
        });
    } finally {
      setBusy(false);
    }
  };

  const approveWithBiometric = async () => {
    // A user authentication may open with the owner's biometric instead of the PIN (DOMAIN.md §3).
    const outcome = await ask({
      ja: `${screen.reader.subject ?? screen.clientId} に本人であることを示します`,
      en: `prove it is you to ${screen.reader.subject ?? screen.clientId}`,
    });
    if (outcome !== null) await answer({ biometric: outcome });
  };

  return (
    <>
      <h1 data-request-type={screen.requestType}>
        <Title signature={signature} />
      </h1>
      <p class="small">
        {screen.phone.id} ({screen.phone.family}) —{' '}
        {signature
          ? '署名用電子証明書で署名します。署名には基本4情報(氏名・生年月日・性別・住所)が含まれます。'
          : '利用者証明用電子証明書で本人であることを示します(氏名などは送られません)。'}
        <small>
          {signature
            ? 'The signature certificate signs; it carries your name, birth date, sex and address.'
            : 'The user-authentication certificate proves it is you; it carries no name or address.'}
        </small>
      </p>
      {refusal === undefined || refusal.code === 'WALLET_SECRET_LOCKED' ? null : <Refusal error={refusal} />}
      <h2>
        要求元 <small>Who asks</small>
      </h2>
      <p data-reader={screen.reader.authentication} class="wrap">
        <strong data-reader-subject>{screen.reader.subject ?? '—'}</strong>
        {screen.clientName === null ? null : (
          <>
            <br />
            <small>
              名乗り calls itself: <span data-client-name>{screen.clientName}</span>
            </small>
          </>
        )}
        <br />
        <small>
          証明書で確認済み verified by its certificate · <code data-client-id>{screen.clientId}</code>
        </small>
      </p>
      <h2>
        目的 <small>Why</small>
      </h2>
      <p data-purpose={screen.purpose}>
        {screen.purposeName === null ? (
          screen.purpose
        ) : (
          <>
            {screen.purposeName.ja} <small>{screen.purposeName.en}</small>
          </>
        )}
      </p>
      {screen.document === null ? null : <DocumentBlock document={screen.document} />}
      <p class="small">
        送信先 <small>the answer goes to</small>: <code data-response-host>{screen.responseHost}</code> · 期限{' '}
        <small>until</small>{' '}
        <time data-expires dateTime={screen.expiresAt}>
          {screen.expiresAtJapan}
        </time>
      </p>
      {screen.tries.locked ? (
        <Refusal error={{ code: 'WALLET_SECRET_LOCKED' }}>
          <p class="small">
            {signature ? '署名用パスワード' : '利用者証明用暗証番号'}がロックされています{' '}
            <small>{signature ? 'the signature password' : 'the auth PIN'} is locked</small>
          </p>
        </Refusal>
      ) : signature ? (
        <>
          <SignaturePasswordField
            submit={{ ja: '署名して送信', en: 'Sign and send' }}
            busy={busy}
            onSubmit={(password) => answer({ password })}
          />
          <Tries remaining={screen.tries.remaining} />
        </>
      ) : (
        <>
          <AuthUnlock
            pin={{
              submit: { ja: '暗証番号で承認して送信', en: 'Approve with the PIN and send' },
              onSubmit: (pin) => answer({ pin }),
            }}
            remaining={screen.tries.remaining}
            biometric={{
              label: { ja: '生体認証で承認して送信', en: 'Approve with the biometric and send' },
              marker: 'approve',
              onClick: approveWithBiometric,
            }}
            busy={busy}
          />
          {prompt}
        </>
      )}
    </>
  );
}
