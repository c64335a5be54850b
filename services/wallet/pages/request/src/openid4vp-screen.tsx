/**
 * The consent screen of an OpenID4VP request scanned from another device's QR code: who asks, as the
 * verified request object's certificate names them and by the verified client id; where the answer goes;
 * per requested document each element with whether the requester intends to keep it, a box per element
 * the phone holds (ticked), and why any other is not offered — not held, or My Number withheld from a
 * requester whose certificate declares no legal basis (DOMAIN.md §2). The owner's biometric sends only the
 * ticked elements; a refusal shows its code here and nothing leaves the phone.
 */
import { useEffect, useState } from 'preact/hooks';
import { type BiometricOutcome, useBiometric } from '../../shared/biometric-prompt';
import { type ApiError, type ConsentScreen, post, refusalOf, type Sent } from './api';
import {
  anythingOffered,
  consentOf,
  DisclosedElements,
  offeredBoxes,
  RequestedDocuments,
  toggled,
} from './consent';
import { Refusal } from './refusal';

type State =
  | { readonly step: 'loading' }
  | { readonly step: 'refused'; readonly error: ApiError }
  | { readonly step: 'consent'; readonly screen: ConsentScreen }
  | { readonly step: 'sent'; readonly screen: ConsentScreen; readonly sent: Sent };

/** A redirect_uri (OpenID4VP 1.0 §8.2) is followed only as an http(s) link. */
function httpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function OpenId4VpScreen({ link }: { link: string }) {
  const [state, setState] = useState<State>({ step: 'loading' });
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const { prompt, ask } = useBiometric(state.step === 'consent' ? state.screen.phone.family : 'iphone');

  useEffect(() => {
    post<ConsentScreen>('openid4vp/screen', { url: link }).then(
      (screen) => {
        setTicked(offeredBoxes(screen.documents));
        setState({ step: 'consent', screen });
      },
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
          本人確認情報の提供 <small>Share your identity?</small>
        </h1>
        <Refusal error={state.error} />
      </>
    );
  if (state.step === 'sent') return <SentView screen={state.screen} sent={state.sent} />;

  const { screen } = state;
  const toggle = (box: string) => setTicked((t) => toggled(t, box));
  const anyOffered = anythingOffered(screen.documents);
  const approve = async (outcome: BiometricOutcome) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const sent = await post<Sent>('openid4vp', {
        url: link,
        biometric: outcome,
        consent: consentOf(ticked),
      });
      setState({ step: 'sent', screen, sent });
    } catch (e) {
      setRefusal(refusalOf(e));
    } finally {
      setBusy(false);
    }
  };
  const approveWithBiometric = async () => {
    // The phone asks the owner's biometric (DOMAIN.md §3); cancelled, nothing is sent.
    const outcome = await ask({
      ja: `${screen.reader.subject ?? screen.clientId} に選んだ項目を送ります`,
      en: `send the ticked items to ${screen.reader.subject ?? screen.clientId}`,
    });
    if (outcome !== null) await approve(outcome);
  };
  const basis = screen.reader.myNumberLegalBasis;
  return (
    <>
      <h1>
        本人確認情報の提供 <small>Share your identity?</small>
      </h1>
      <p class="small">
        {screen.phone.id} ({screen.phone.family})
      </p>
      {refusal === undefined ? null : <Refusal error={refusal} />}
      <h2>
        要求元 <small>Who asks</small>
      </h2>
      <p data-reader={screen.reader.authentication} class="wrap">
        <strong data-reader-subject>{screen.reader.subject ?? '—'}</strong>
        <br />
        <small>
          証明書で確認済み verified by its certificate · <code data-client-id>{screen.clientId}</code>
        </small>
      </p>
      <p class="small">
        送信先 <small>the answer goes to</small>: <code data-response-host>{screen.responseHost}</code>(暗号化{' '}
        <small>encrypted</small>, {screen.responseMode})
      </p>
      {basis === null ? null : (
        <p class="small" data-my-number-basis={basis.basisCode}>
          個人番号の利用根拠 <small>legal basis for My Number</small>: {basis.provision}
        </p>
      )}
      <RequestedDocuments documents={screen.documents} ticked={ticked} toggle={toggle} />
      {anyOffered ? (
        <>
          <p class="small">
            チェックした項目だけが送られます。<small>Only the ticked items are sent.</small>
          </p>
          <button
            type="button"
            class="primary approve"
            data-approve
            disabled={busy}
            onClick={approveWithBiometric}
          >
            承認して送信 / Approve and send
          </button>
          {prompt}
        </>
      ) : (
        <p class="warn" data-nothing-to-send>
          送れる項目がありません <small>nothing this phone can send</small>
        </p>
      )}
    </>
  );
}

function SentView({ screen, sent }: { screen: ConsentScreen; sent: Sent }) {
  const redirect = httpUrl(sent.redirectUri);
  return (
    <>
      <h1 data-sent>
        送信しました <small>Sent</small>
      </h1>
      <p class="wrap">
        <strong>{sent.reader.subject ?? '—'}</strong>{' '}
        <small>
          (<code>{screen.responseHost}</code>)
        </small>
      </p>
      <DisclosedElements documents={screen.documents} disclosed={sent.disclosed} />
      <p>
        元の端末の画面に戻ってください。結果はそちらに表示されます。
        <br />
        <small>Go back to the other device: the result shows there.</small>
      </p>
      {redirect === undefined ? null : (
        <p>
          <a href={redirect} rel="noreferrer" data-redirect>
            続ける / continue
          </a>
        </p>
      )}
      <p class="small">
        {screen.phone.id} の提示履歴に記録しました(項目名のみ)
        <small>kept in this phone's history (element names only)</small>
      </p>
    </>
  );
}
