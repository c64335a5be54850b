/**
 * The phone's screen for requests its operating system hands it (services/wallet/src/app/incoming-routes.ts):
 * a web page's Digital Credentials API request (ISO/IEC 18013-7 Annex C), a face-to-face reader's request
 * over ISO/IEC 18013-5 proximity, or a relying party's request for a JPKI signature or a JPKI user
 * authentication (a sign-in). A real phone raises
 * its consent screen by itself; this page, at `…/phones/<id>/incoming`, asks the wallet about every second
 * which requests wait (their summaries: never a document's text), reads the oldest in full once
 * (`…/incoming/<request>`) and shows it, and keeps asking only whether it still waits.
 *
 * A record's request: by which channel, who asks (the verified reader certificate's subject, or that no
 * certificate proves it), the page's origin for the DC API, and the elements as every consent screen shows
 * them (consent.tsx). Approving takes the owner's biometric and sends only the ticked elements. A failed
 * biometric, My Number without a declared basis, or consent the request did not offer is refused on screen
 * and the request still waits for another try.
 *
 * A signature's request: who asks as the bridge named it (nothing verifies it, and the screen says so), the
 * document as every JPKI screen shows it (jpki-parts.tsx: its text, or its size and SHA-256), the
 * signature password's tries left and its field — the password is typed here, on the phone, never on the
 * relying party's page, and never replaced by a biometric (DOMAIN.md §3). A wrong password is refused on
 * screen with the tries left and the request still waits; the last try locks the password and ends it.
 *
 * A sign-in's request: who asks as the bridge named it (not verified), the auth PIN's tries left and the
 * JPKI link screen's unlock (jpki-parts.tsx): the 4-digit auth PIN on the phone's pad or the owner's
 * biometric standing in for it (DOMAIN.md §3) — or the biometric only, when the requester asks for the
 * face check (a clinic's reader for an iPhone holder: no pad is shown). The challenge is signed, never
 * shown. A wrong PIN or an unmatched biometric is refused on screen and the request still waits; the last
 * try locks the PIN and ends it.
 *
 * Declining sends nothing and the requester hears so; a request that left the phone (it expired, or the
 * requester stopped waiting) is said so. After each answer the screen goes back to waiting for the next
 * request. Nothing personal is in the URL: the request's id names no one, and consent, the password and
 * the PIN travel in the POST body.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type BiometricOutcome, useBiometric } from '../../shared/biometric-prompt';
import { familyLabel, type Label } from '../../shared/labels';
import {
  type ApiError,
  get,
  type IncomingAuthenticated,
  type IncomingAuthenticationRequest,
  type IncomingList,
  type IncomingRequest,
  type IncomingSent,
  type IncomingSignatureRequest,
  type IncomingSigned,
  post,
  refusalOf,
} from './api';
import {
  anythingOffered,
  consentOf,
  DisclosedElements,
  offeredBoxes,
  RequestedDocuments,
  toggled,
} from './consent';
import { AuthUnlock, DocumentBlock, SignaturePasswordField, Tries } from './jpki-parts';
import { Refusal } from './refusal';

/** How often the screen asks whether a request waits (the phone's OS would raise it at once). */
const POLL_MS = 1000;

/** Refusals after which the request still waits and the screen stays for another try. */
const RETRYABLE: ReadonlySet<string> = new Set([
  'WALLET_BIOMETRIC_FAILED',
  'WALLET_MY_NUMBER_WITHHELD',
  'WALLET_INVALID_INPUT',
  'WALLET_SECRET_WRONG',
  'WALLET_SECRET_FORMAT',
  'WALLET_SECRET_BUSY',
]);

const CHANNELS: ReadonlyMap<string, Label> = new Map([
  [
    'dc-api-org-iso-mdoc',
    { ja: 'ブラウザ(DC API)', en: 'a web page in the browser (Digital Credentials API)' },
  ],
  [
    'dc-api-openid4vp-v1-signed',
    {
      ja: 'ブラウザ(DC API・OpenID4VP)',
      en: 'a web page in the browser (Digital Credentials API, OpenID4VP)',
    },
  ],
  ['iso-18013-5-proximity', { ja: '対面の読み取り機(近接)', en: 'a reader in person (proximity)' }],
  ['jpki-signature', { ja: '電子署名の依頼(ブリッジ経由)', en: 'a request to sign, through the bridge' }],
  [
    'jpki-user-authentication',
    { ja: '利用者証明(ログイン)の依頼(ブリッジ経由)', en: 'a request to sign in, through the bridge' },
  ],
]);

const channelLabel = (channel: string): Label => CHANNELS.get(channel) ?? { ja: channel, en: channel };

/** The requester as the screen names it. */
function requesterOf(request: IncomingRequest): Label {
  if (request.channel === 'jpki-signature' || request.channel === 'jpki-user-authentication')
    return { ja: request.relyingParty.name, en: request.relyingParty.name };
  if (request.reader.authentication !== 'none' && request.reader.subject !== null)
    return { ja: request.reader.subject, en: request.reader.subject };
  return { ja: '未認証の読み取り機', en: 'unauthenticated reader' };
}

/** A time of the request as the phone shows it: Japan's time (UTC+9), as the phone's history does. */
function clockOf(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime())
    ? ''
    : t.toLocaleTimeString('ja-JP', {
        timeZone: 'Asia/Tokyo',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
}

type State =
  /** Nothing waits: the screen asks again every POLL_MS. */
  | { readonly step: 'waiting' }
  | { readonly step: 'consent'; readonly request: IncomingRequest; readonly ticked: ReadonlySet<string> }
  | {
      readonly step: 'sent';
      readonly request: IncomingRequest;
      readonly sent: IncomingSent | IncomingSigned | IncomingAuthenticated;
    }
  | { readonly step: 'declined'; readonly request: IncomingRequest }
  /** The request ended without being sent (it left the phone, or the channel refused the answer). */
  | { readonly step: 'ended'; readonly request: IncomingRequest; readonly error: Shown }
  /** The phone itself is unknown to the wallet: nothing to wait for. */
  | { readonly step: 'unavailable'; readonly error: Shown };

/** What a refusal on screen needs: its stable code. */
type Shown = Pick<ApiError, 'code'>;

/** The refusal shown when the request shown left the phone before it was answered. */
const GONE: Shown = { code: 'WALLET_REQUEST_EXPIRED' };

/** Request `id` in full (GET incoming/<id>); undefined when it left the phone since the list was read. */
async function fullRequest(id: string): Promise<IncomingRequest | undefined> {
  try {
    return await get<IncomingRequest>(`incoming/${encodeURIComponent(id)}`);
  } catch (e) {
    if (refusalOf(e).code === 'WALLET_NOT_FOUND') return undefined;
    throw e;
  }
}

export function IncomingScreen({ phoneId }: { phoneId: string }) {
  const [state, setState] = useState<State>({ step: 'waiting' });
  const [listError, setListError] = useState<ApiError | undefined>();
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  // Read by the poll: while an answer is on its way, the request leaving the list is that answer's doing.
  const answering = useRef(false);
  const { prompt, ask } = useBiometric(state.step === 'consent' ? state.request.phone.family : 'iphone');
  const shownId = state.step === 'consent' ? state.request.id : '';

  useEffect(() => {
    if (state.step !== 'waiting' && state.step !== 'consent') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        // The list says which requests wait; the one to show is read in full once, when it changes.
        const { requests } = await get<IncomingList>('incoming');
        if (stopped) return;
        setListError(undefined);
        const oldest = requests[0];
        if (state.step === 'waiting' && oldest !== undefined) {
          const request = await fullRequest(oldest.id);
          if (stopped) return;
          if (request !== undefined)
            setState((current) =>
              current.step === 'waiting'
                ? {
                    step: 'consent',
                    request,
                    ticked:
                      request.channel === 'jpki-signature' || request.channel === 'jpki-user-authentication'
                        ? new Set()
                        : offeredBoxes(request.documents),
                  }
                : current,
            );
        }
        setState((current) =>
          current.step === 'consent' &&
          !answering.current &&
          !requests.some((r) => r.id === current.request.id)
            ? { step: 'ended', request: current.request, error: GONE }
            : current,
        );
      } catch (e) {
        if (stopped) return;
        const error = refusalOf(e);
        if (error.code === 'WALLET_NOT_FOUND') {
          setState({ step: 'unavailable', error });
          return;
        }
        setListError(error);
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [state.step, shownId]);

  const next = () => {
    setRefusal(undefined);
    setState({ step: 'waiting' });
  };

  if (state.step === 'unavailable')
    return (
      <>
        <Title />
        <Refusal error={state.error} />
      </>
    );
  if (state.step === 'waiting')
    return (
      <>
        <Title />
        <p class="small">{phoneId}</p>
        <section class="incoming-empty" role="status" data-incoming-empty>
          <p>
            <strong>要求はありません</strong> <small>nothing waiting</small>
          </p>
          <p class="small">
            ページや読み取り機から要求が届くと、ここに表示されます。
            <br />
            <small>A request from a web page or a reader shows here when it arrives.</small>
          </p>
        </section>
        {listError === undefined ? null : <Refusal error={listError} />}
      </>
    );
  if (state.step === 'sent') {
    const { request: done, sent } = state;
    if (done.channel === 'jpki-signature')
      return (
        <section data-sent={done.id}>
          <h1>
            署名して送信しました <small>Signed and sent</small>
          </h1>
          <p class="wrap">
            <strong>{done.relyingParty.name}</strong>{' '}
            <small>(ブリッジが伝えた依頼元 named by the bridge, not verified)</small>
          </p>
          <p class="small">
            {done.phone.id} の利用履歴に記録しました(文書の内容は記録しません)
            <small>kept in this phone's history (not the document)</small>
          </p>
          <NextButton onClick={next} />
        </section>
      );
    if (done.channel === 'jpki-user-authentication')
      return (
        <section data-sent={done.id}>
          <h1>
            利用者証明を送信しました <small>Proof sent</small>
          </h1>
          <p class="wrap">
            <strong>{done.relyingParty.name}</strong>{' '}
            <small>(ブリッジが伝えた依頼元 named by the bridge, not verified)</small>
          </p>
          <p class="small">
            {done.phone.id} の利用履歴に記録しました <small>kept in this phone's history</small>
          </p>
          <NextButton onClick={next} />
        </section>
      );
    return (
      <section data-sent={done.id}>
        <h1>
          送信しました <small>Sent</small>
        </h1>
        <p class="wrap">
          <strong>{requesterOf(done).ja}</strong>{' '}
          {done.origin === null ? null : (
            <small>
              (<code>{done.origin}</code>)
            </small>
          )}
        </p>
        <DisclosedElements documents={done.documents} disclosed={'disclosed' in sent ? sent.disclosed : {}} />
        <p class="small">
          {done.phone.id} の提示履歴に記録しました(項目名のみ)
          <small>kept in this phone's history (element names only)</small>
        </p>
        <NextButton onClick={next} />
      </section>
    );
  }
  if (state.step === 'declined')
    return (
      <section data-declined={state.request.id}>
        <h1>
          お断りしました <small>Declined</small>
        </h1>
        <p>
          何も送っていません。要求元には「断られた」と伝わります。
          <br />
          <small>Nothing was sent; the requester hears that you declined.</small>
        </p>
        <NextButton onClick={next} />
      </section>
    );
  if (state.step === 'ended')
    return (
      <section data-ended={state.request.id}>
        <Title />
        <Refusal error={state.error}>
          {state.error.code === 'WALLET_REQUEST_EXPIRED' ? (
            <p class="small">
              要求元が待つのをやめたか、期限が切れました。
              <small>The requester stopped waiting, or the request expired.</small>
            </p>
          ) : null}
        </Refusal>
        <NextButton onClick={next} />
      </section>
    );

  const { request, ticked } = state;
  const requester = requesterOf(request);
  const channel = channelLabel(request.channel);
  const family = familyLabel(request.phone.family);
  const answer = async (run: () => Promise<State>) => {
    answering.current = true;
    setBusy(true);
    setRefusal(undefined);
    try {
      setState(await run());
    } catch (e) {
      const error = refusalOf(e);
      // The request still waits after these: the screen stays for another try.
      if (RETRYABLE.has(error.code)) {
        setRefusal(error);
        // A wrong password used one of the tries: the screen shows those the phone counted.
        const left = error.remainingTries;
        if (left !== undefined)
          setState((current) =>
            current.step === 'consent' &&
            current.request.id === request.id &&
            (current.request.channel === 'jpki-signature' ||
              current.request.channel === 'jpki-user-authentication')
              ? { ...current, request: { ...current.request, remainingTries: left } }
              : current,
          );
      } else setState({ step: 'ended', request, error });
    } finally {
      answering.current = false;
      setBusy(false);
    }
  };
  const path = `incoming/${encodeURIComponent(request.id)}`;
  const decline = () =>
    answer(async () => {
      await post<{ declined: true }>(`${path}/decline`, {});
      return { step: 'declined', request };
    });
  const header = (
    <>
      <p class="small">
        {request.phone.id} ({family.ja} <small>{family.en}</small>) · {clockOf(request.receivedAt)} 受信{' '}
        <small>received</small>
      </p>
      <p class="channel" data-channel={request.channel}>
        {channel.ja} <small>{channel.en}</small> からの要求 <small>asks</small>
      </p>
    </>
  );
  const waitsUntil = (
    <p class="small">
      {clockOf(request.expiresAt)} まで待っています <small>waits until then</small>
    </p>
  );
  const declineButton = (
    <button type="button" class="decline" data-decline disabled={busy} onClick={decline}>
      {request.channel === 'jpki-signature'
        ? '署名しない'
        : request.channel === 'jpki-user-authentication'
          ? '証明しない'
          : '送らない'}
      (お断りする) / Decline
    </button>
  );
  if (request.channel === 'jpki-signature') {
    const sign = (password: string) =>
      answer(async () => {
        const sent = await post<IncomingSigned>(path, { password });
        return { step: 'sent', request, sent };
      });
    return (
      <SignatureConsent
        request={request}
        header={header}
        refusal={refusal}
        waitsUntil={waitsUntil}
        busy={busy}
        sign={sign}
        declineButton={declineButton}
      />
    );
  }
  if (request.channel === 'jpki-user-authentication') {
    const authenticate = (secret: { readonly pin: string } | { readonly biometric: BiometricOutcome }) =>
      answer(async () => {
        const sent = await post<IncomingAuthenticated>(path, secret);
        return { step: 'sent', request, sent };
      });
    const useBiometric = async () => {
      // The owner's biometric stands in for the auth PIN (DOMAIN.md §3); cancelled, the request waits.
      const outcome = await ask({
        ja: `${requester.ja} に本人であることを示します`,
        en: `prove it is you to ${requester.en}`,
      });
      if (outcome !== null) await authenticate({ biometric: outcome });
    };
    return (
      <AuthenticationConsent
        request={request}
        header={header}
        refusal={refusal}
        waitsUntil={waitsUntil}
        busy={busy}
        withPin={(pin) => authenticate({ pin })}
        withBiometric={useBiometric}
        declineButton={declineButton}
        prompt={prompt}
      />
    );
  }
  const basis = request.reader.myNumberLegalBasis;
  const toggle = (box: string) =>
    setState((current) =>
      current.step === 'consent' && current.request.id === request.id
        ? { ...current, ticked: toggled(current.ticked, box) }
        : current,
    );
  const send = (outcome: BiometricOutcome) =>
    answer(async () => {
      const sent = await post<IncomingSent>(path, { biometric: outcome, consent: consentOf(ticked) });
      return { step: 'sent', request, sent };
    });
  const approve = async () => {
    // The phone asks the owner's biometric (DOMAIN.md §3); cancelled, nothing is sent and the request waits.
    const outcome = await ask({
      ja: `${requester.ja} に選んだ項目を送ります`,
      en: `send the ticked items to ${requester.en}`,
    });
    if (outcome !== null) await send(outcome);
  };
  const anyOffered = anythingOffered(request.documents);
  return (
    <section data-incoming={request.id}>
      <h1>
        本人確認情報の提供 <small>Share your identity?</small>
      </h1>
      {header}
      {refusal === undefined ? null : <Refusal error={refusal} />}
      <h2>
        要求元 <small>Who asks</small>
      </h2>
      <p data-reader={request.reader.authentication} class="wrap">
        <strong data-reader-subject>
          {request.reader.authentication === 'none' || request.reader.subject === null ? (
            <>
              {requester.ja} / {requester.en}
            </>
          ) : (
            request.reader.subject
          )}
        </strong>
        <br />
        {request.reader.authentication === 'none' ? (
          <small class="warn">
            証明書で確認されていません not proven by a certificate — 誰が要求しているかは分かりません{' '}
            <small>who asks is not known</small>
          </small>
        ) : (
          <small>証明書で確認済み verified by its certificate</small>
        )}
      </p>
      {request.origin === null ? null : (
        <p class="small wrap">
          要求したページ <small>the page asking</small>: <code data-origin>{request.origin}</code>
        </p>
      )}
      {basis === null ? null : (
        <p class="small" data-my-number-basis={basis.basisCode}>
          個人番号の利用根拠 <small>legal basis for My Number</small>: {basis.provision}
        </p>
      )}
      <RequestedDocuments documents={request.documents} ticked={ticked} toggle={toggle} />
      {waitsUntil}
      {anyOffered ? (
        <>
          <p class="small">
            チェックした項目だけが送られます。<small>Only the ticked items are sent.</small>
          </p>
          <button type="button" class="primary approve" data-approve disabled={busy} onClick={approve}>
            承認して送信 / Approve and send
          </button>
        </>
      ) : (
        <p class="warn" data-nothing-to-send>
          送れる項目がありません <small>nothing this phone can send</small>
        </p>
      )}
      {declineButton}
      {prompt}
    </section>
  );
}

/**
 * A signature's consent screen: who asks as named (not verified), the document, the tries left and the
 * signature password's field — no biometric is offered (DOMAIN.md §3).
 */
function SignatureConsent(props: {
  readonly request: IncomingSignatureRequest;
  readonly header: ComponentChildren;
  readonly refusal: ApiError | undefined;
  readonly waitsUntil: ComponentChildren;
  readonly busy: boolean;
  readonly sign: (password: string) => void;
  readonly declineButton: ComponentChildren;
}) {
  const { request } = props;
  return (
    <section data-incoming={request.id}>
      <h1>
        電子署名 <small>Sign a document?</small>
      </h1>
      {props.header}
      <p class="small">
        署名用電子証明書で署名します。署名には基本4情報(氏名・生年月日・性別・住所)が含まれます。
        <small>The signature certificate signs; it carries your name, birth date, sex and address.</small>
      </p>
      {props.refusal === undefined ? null : <Refusal error={props.refusal} />}
      <NamedByBridge request={request} />
      <DocumentBlock document={request.document} />
      {props.waitsUntil}
      <SignaturePasswordField
        submit={{ ja: '署名する', en: 'Sign' }}
        busy={props.busy}
        approve
        onSubmit={props.sign}
      />
      <Tries remaining={request.remainingTries} />
      {props.declineButton}
    </section>
  );
}

/**
 * A user authentication's screen: who asks as named (not verified), the auth PIN's pad (unless the request
 * takes the biometric only), the tries left and the biometric — the challenge is never shown.
 */
function AuthenticationConsent(props: {
  readonly request: IncomingAuthenticationRequest;
  readonly header: ComponentChildren;
  readonly refusal: ApiError | undefined;
  readonly waitsUntil: ComponentChildren;
  readonly busy: boolean;
  readonly withPin: (pin: string) => void;
  readonly withBiometric: () => void;
  readonly declineButton: ComponentChildren;
  readonly prompt: ComponentChildren;
}) {
  const { request } = props;
  const pinOffered = request.unlock === 'pin-or-biometric';
  return (
    <section data-incoming={request.id} data-unlock={request.unlock}>
      <h1>
        利用者証明(ログイン)<small>Prove it is you?</small>
      </h1>
      {props.header}
      <p class="small">
        利用者証明用電子証明書で本人であることを示します(氏名などは送られません)。
        <small>The user-authentication certificate proves it is you; it carries no name or address.</small>
      </p>
      {props.refusal === undefined ? null : <Refusal error={props.refusal} />}
      <NamedByBridge request={request} />
      {props.waitsUntil}
      {pinOffered ? null : (
        <p class="small">
          読み取り機は生体認証(顔認証)による確認を求めています。暗証番号はここでは使いません。
          <small>The reader asks for the biometric check; no PIN is typed here.</small>
        </p>
      )}
      <AuthUnlock
        pin={
          pinOffered
            ? {
                submit: { ja: '暗証番号で承認', en: 'Approve with the PIN' },
                approve: true,
                onSubmit: props.withPin,
              }
            : null
        }
        remaining={request.remainingTries}
        biometric={{
          label: { ja: '生体認証で承認', en: 'Approve with the biometric' },
          marker: 'use-biometric',
          onClick: props.withBiometric,
        }}
        busy={props.busy}
      />
      {props.declineButton}
      {props.prompt}
    </section>
  );
}

/** Who asks a JPKI request, as the bridge named it (no certificate proves it), and the page asking. */
function NamedByBridge({
  request,
}: {
  request: { readonly relyingParty: { readonly name: string }; readonly origin: string | null };
}) {
  return (
    <>
      <h2>
        依頼元 <small>Who asks</small>
      </h2>
      <p class="wrap" data-relying-party data-verified="false">
        <strong data-relying-party-name>{request.relyingParty.name}</strong>
        <br />
        <small class="warn">
          ブリッジが伝えた依頼元 / named by the bridge, not verified — 証明書で確認されていません{' '}
          <small>no certificate proves it</small>
        </small>
      </p>
      {request.origin === null ? null : (
        <p class="small wrap">
          依頼したページ <small>the page asking</small>: <code data-origin>{request.origin}</code>
        </p>
      )}
    </>
  );
}

function Title() {
  return (
    <h1>
      届いた要求 <small>Requests to this phone</small>
    </h1>
  );
}

function NextButton({ onClick }: { onClick: () => void }) {
  return (
    <p>
      <button type="button" data-next onClick={onClick}>
        次の要求 / next request
      </button>
    </p>
  );
}
