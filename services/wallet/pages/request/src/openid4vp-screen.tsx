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
import { type ApiError, type ConsentElement, type ConsentScreen, post, refusalOf, type Sent } from './api';
import { Refusal } from './refusal';

type State =
  | { readonly step: 'loading' }
  | { readonly step: 'refused'; readonly error: ApiError }
  | { readonly step: 'consent'; readonly screen: ConsentScreen }
  | { readonly step: 'sent'; readonly screen: ConsentScreen; readonly sent: Sent };

/** The box value of one element: `[docType, namespace, identifier]` as JSON. */
const boxOf = (docType: string, e: ConsentElement) => JSON.stringify([docType, e.namespace, e.identifier]);

const offered = (e: ConsentElement) => e.held && e.withheld === null;

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

function Retain({ e }: { e: ConsentElement }) {
  return e.intentToRetain ? (
    <span class="retain" data-retain="yes">
      保存されます <small>will be kept</small>
    </span>
  ) : (
    <span class="retain" data-retain="no">
      保存されません <small>not kept</small>
    </span>
  );
}

function ElementLine({
  docType,
  e,
  checked,
  toggle,
}: {
  docType: string;
  e: ConsentElement;
  checked: boolean;
  toggle: (box: string) => void;
}) {
  const label = (
    <>
      {e.label.ja} <small>{e.label.en}</small> <Retain e={e} />
    </>
  );
  const common = { 'data-element': e.identifier, 'data-namespace': e.namespace };
  if (e.withheld !== null)
    return (
      <li {...common} data-withheld={e.withheld} class="withheld">
        ✕ {label}
        <br />
        <span class="warn">
          提供しません: 要求元の証明書に個人番号の利用根拠がありません{' '}
          <small>withheld: the requester's certificate declares no legal basis for My Number</small>{' '}
          <code>WALLET_MY_NUMBER_WITHHELD</code>
        </span>
      </li>
    );
  if (!e.held)
    return (
      <li {...common} data-held="no" class="not-held">
        ✕ {label}
        <br />
        <span class="warn">
          この電話にはありません <small>not held by this phone</small>
        </span>
      </li>
    );
  const box = boxOf(docType, e);
  return (
    <li {...common}>
      <label class="choice">
        <input type="checkbox" name="element" value={box} checked={checked} onChange={() => toggle(box)} />
        <span>{label}</span>
      </label>
    </li>
  );
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
        setTicked(
          new Set(
            screen.documents.flatMap((d) =>
              d.available ? d.elements.filter(offered).map((e) => boxOf(d.docType, e)) : [],
            ),
          ),
        );
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
  const toggle = (box: string) =>
    setTicked((t) => {
      const next = new Set(t);
      if (!next.delete(box)) next.add(box);
      return next;
    });
  const anyOffered = screen.documents.some((d) => d.available && d.elements.some(offered));
  const approve = async (outcome: BiometricOutcome) => {
    // Per docType and namespace, the ticked identifiers (own properties only: Map, then fromEntries).
    const consent = new Map<string, Map<string, string[]>>();
    for (const box of ticked) {
      const [docType, namespace, identifier] = JSON.parse(box) as [string, string, string];
      const namespaces = consent.get(docType) ?? new Map<string, string[]>();
      consent.set(docType, namespaces);
      namespaces.set(namespace, [...(namespaces.get(namespace) ?? []), identifier]);
    }
    setBusy(true);
    setRefusal(undefined);
    try {
      const sent = await post<Sent>('openid4vp', {
        url: link,
        biometric: outcome,
        consent: Object.fromEntries([...consent].map(([d, ns]) => [d, Object.fromEntries(ns)])),
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
      {screen.documents.map((d) => (
        <section key={d.docType} data-doctype={d.docType}>
          <h2>
            {d.name === null ? (
              <code>{d.docType}</code>
            ) : (
              <>
                {d.name.ja} <small>{d.name.en}</small>
              </>
            )}
          </h2>
          {d.available ? (
            <ul class="asked">
              {d.elements.map((e) => (
                <ElementLine
                  key={`${e.namespace}/${e.identifier}`}
                  docType={d.docType}
                  e={e}
                  checked={ticked.has(boxOf(d.docType, e))}
                  toggle={toggle}
                />
              ))}
            </ul>
          ) : (
            <p class="warn" data-available="no">
              この電話にはこの種類の有効な書類がありません{' '}
              <small>this phone holds no such document in force</small>
            </p>
          )}
        </section>
      ))}
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
  const labelOf = (docType: string, namespace: string, identifier: string) =>
    screen.documents
      .find((d) => d.docType === docType)
      ?.elements.find((e) => e.namespace === namespace && e.identifier === identifier)?.label ?? {
      ja: identifier,
      en: identifier,
    };
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
      {Object.entries(sent.disclosed).map(([docType, pairs]) => {
        const name = screen.documents.find((d) => d.docType === docType)?.name;
        return (
          <section key={docType}>
            <h2>{name ? `${name.ja} / ${name.en}` : docType}</h2>
            <ul>
              {pairs.map(([ns, id]) => {
                const label = labelOf(docType, ns, id);
                return (
                  <li key={`${ns}/${id}`} data-disclosed={id}>
                    {label.ja} <small>{label.en}</small>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
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
