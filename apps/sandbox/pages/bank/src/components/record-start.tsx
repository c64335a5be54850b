/**
 * The bank's account opening with the card-substitute record: the customer declares the purpose of the
 * transaction and the occupation (取引時確認 under 犯収法), then picks who answers — the browser's own wallet
 * through the Digital Credentials API (@mynakit/verifier-sdk, where the browser has it) or a phone emulator
 * through the labelled bridge. No wallet answering in time, or no API: the phone chosen for that case
 * answers through the bridge, and the result says why. The bridge's request waits on the phone's own consent
 * screen until the holder approves or declines there: meanwhile the page says which phone to look at, with
 * the link to its screen (PhoneWaiting); a decline is shown as the customer's refusal, with a way to try
 * again.
 */
import {
  hasDigitalCredentialsApi,
  type VerificationResult,
  verifyWithMyNumberCard,
} from '@mynakit/verifier-sdk';
import { useEffect, useState } from 'preact/hooks';
import {
  DeclarationFields,
  type DeclarationInput,
  declarationBody,
  initialDeclaration,
} from '../../../shared/declaration-fields';
import { PhoneWaiting } from '../../../shared/phone-waiting';
import { PhoneRadios } from '../../../shared/phones';
import {
  ApiError,
  bankApiUrl,
  bankUrl,
  type Phone,
  type Problem,
  type Start,
  verifyThroughBridge,
} from '../api';
import { REFUSALS, SDK_ERRORS, say } from '../words';
import { Refusal } from './refusal';
import { type StatusData, StatusLine } from './status';

const DC_API = 'dc-api';

/** The phone's refusals the customer may simply try again (the holder's own answer or its absence). */
const RETRYABLE_ON_PHONE: ReadonlySet<string> = new Set([
  'WALLET_DECLINED',
  'WALLET_REQUEST_EXPIRED',
  'WALLET_PHONE_BUSY',
]);

export function RecordStart({ start }: { start: Start }) {
  const [dcApi] = useState(() => hasDigitalCredentialsApi());
  const [declaration, setDeclaration] = useState<DeclarationInput>(() =>
    initialDeclaration(start.lists, false),
  );
  const [askMyNumber, setAskMyNumber] = useState(false);
  const [phone, setPhone] = useState(dcApi ? DC_API : (start.phones[0]?.id ?? ''));
  const [fallbackPhone, setFallbackPhone] = useState(start.phones[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusData | undefined>(
    dcApi
      ? undefined
      : {
          text: 'このブラウザには Digital Credentials API がありません。電話エミュレータがブリッジで応答します / This browser has no Digital Credentials API: the phone emulator answers through the bridge.',
        },
  );
  const [refusal, setRefusal] = useState<{ code: string; problem: Problem } | undefined>(undefined);
  /** The phone whose screen the bridge's request waits on. */
  const [waitingOn, setWaitingOn] = useState<Phone | undefined>(undefined);
  /** The last bridge call (its phone and why it was used), for trying again after a refusal. */
  const [lastBridge, setLastBridge] = useState<{ id: string; fallback: string | null } | undefined>(
    undefined,
  );

  useEffect(() => {
    document.body.dataset.dcApi = dcApi ? 'present' : 'missing';
  }, [dcApi]);

  /** The bridge: `id` answers; `fallback` says why the browser's wallet did not. */
  const bridge = async (id: string, fallback: string | null) => {
    setLastBridge({ id, fallback });
    setWaitingOn(start.phones.find((p) => p.id === id));
    try {
      const result = await verifyThroughBridge(id, declarationBody(declaration), askMyNumber, fallback);
      location.assign(bankUrl(result.resultUrl));
    } catch (e) {
      setWaitingOn(undefined);
      if (fallback === null) setStatus(undefined);
      setRefusal(
        e instanceof ApiError ? { code: e.code, problem: e.problem } : { code: 'NETWORK', problem: {} },
      );
      setBusy(false);
    }
  };

  /** The same phone asked again (after the holder declined, or nobody answered in time). */
  const tryAgain = () => {
    if (lastBridge === undefined) return;
    setBusy(true);
    setRefusal(undefined);
    void bridge(lastBridge.id, lastBridge.fallback);
  };

  const throughDcApi = async () => {
    setStatus({
      text: 'ブラウザのウォレットに問い合わせています… / Asking the browser’s wallet…',
      progress: 'asking',
    });
    try {
      const result = await verifyWithMyNumberCard<VerificationResult & { resultUrl: string }>({
        sessionUrl: bankApiUrl('sessions'),
        sessionBody: { ...declarationBody(declaration), askMyNumber },
        timeoutMs: start.dcTimeoutMs,
      });
      setStatus({ text: '検証しました / Verified by the verifier', progress: 'done' });
      location.assign(bankUrl(result.resultUrl));
    } catch (e) {
      const code =
        typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'error';
      if (code === 'unsupported' || code === 'timed-out') {
        setPhone(fallbackPhone);
        setStatus({
          text: `ブラウザのウォレットが応答しません (${code})。${fallbackPhone} がブリッジで応答します / No wallet answered (${code}): ${fallbackPhone} answers through the bridge.`,
          progress: 'bridge',
        });
        await bridge(fallbackPhone, code);
        return;
      }
      const problem = (e as { problemCode?: unknown })?.problemCode;
      const [ja, en] =
        typeof problem === 'string' && REFUSALS.has(problem)
          ? say(REFUSALS, problem, ['', ''])
          : say(SDK_ERRORS, code, ['エラー', 'Error']);
      setStatus({
        text: `${ja} / ${en}${typeof problem === 'string' ? `: ${problem}` : ''} (${code})`,
        error: code,
        ...(typeof problem === 'string' ? { problem } : {}),
      });
      setBusy(false);
    }
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    void (phone === DC_API ? throughDcApi() : bridge(phone, null));
  };

  return (
    <>
      <section class="card">
        <h2>
          口座開設 <small>Open an account</small>
        </h2>
        <p>
          氏名・住所・生年月日・顔写真をスマートフォンのカード代替電磁的記録で確認します(マイナンバーは求めません)。{' '}
          <small>
            We verify your name, address, birth date and photo with the card-substitute record on your phone
            (never My Number).
          </small>
        </p>
        <p class="bridge">
          この環境には OS のウォレットがないため、電話エミュレータが DC API
          の代わりに応答します(明示的なブリッジ)。ブラウザに Digital Credentials API
          があれば、そのウォレットも選べます。{' '}
          <small>
            No OS wallet exists here: the phone emulator answers in place of the browser's Digital Credentials
            API (an explicit bridge). Where the browser has the Digital Credentials API, its wallet can answer
            too.
          </small>
        </p>
      </section>
      <form class="bank phone card" onSubmit={onSubmit}>
        <DeclarationFields lists={start.lists} value={declaration} onChange={setDeclaration} prompt />
        <details class="developer">
          <summary>
            開発者向け <small>For developers</small>
          </summary>
          <label class="choice">
            <input
              type="checkbox"
              name="askMyNumber"
              checked={askMyNumber}
              onChange={(e) => setAskMyNumber((e.target as HTMLInputElement).checked)}
            />
            <span>
              個人番号(マイナンバー)も求める <small>also ask for My Number (個人番号)</small>
            </span>
          </label>
          <p class="small muted">
            この銀行には個人番号を受け取る法令上の根拠が設定されていないので、検証サービスがセッションを開かずに拒否します(電話には何も届きません)。{' '}
            <small>
              The bank has no legal basis configured to receive My Number: the verifier refuses to open the
              session, and no request reaches a phone.
            </small>
          </p>
        </details>
        <p>
          どの電話で応答しますか <small>Which phone answers?</small>
        </p>
        <fieldset class="phones">
          <div data-choice="dc-api" hidden={!dcApi}>
            <label class="choice">
              <input
                type="radio"
                name="phone"
                value={DC_API}
                disabled={!dcApi}
                checked={phone === DC_API}
                onChange={() => setPhone(DC_API)}
              />
              <span>
                このブラウザのウォレット(Digital Credentials API){' '}
                <small>this browser's wallet (Digital Credentials API)</small>
              </span>
            </label>
            <label>
              <span>
                応答がなければ、ブリッジで応答する電話{' '}
                <small>if none answers, the phone answering through the bridge</small>
              </span>
              <select
                name="fallbackPhone"
                value={fallbackPhone}
                onChange={(e) => setFallbackPhone((e.target as HTMLSelectElement).value)}
              >
                {start.phones.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.id} ({p.family})
                  </option>
                ))}
              </select>
            </label>
          </div>
          <PhoneRadios phones={start.phones} chosen={phone} onChoose={setPhone} />
        </fieldset>
        <button type="submit" disabled={busy}>
          マイナンバーカードで本人確認 / Verify with the My Number Card
        </button>
      </form>
      <StatusLine id="dc-status" status={status} />
      {waitingOn !== undefined ? <PhoneWaiting phone={waitingOn} /> : null}
      {refusal !== undefined ? (
        <Refusal
          code={refusal.code}
          problem={refusal.problem}
          {...(lastBridge !== undefined && RETRYABLE_ON_PHONE.has(refusal.code)
            ? { onTryAgain: tryAgain }
            : {})}
        />
      ) : null}
      <p>
        <a href={bankUrl('signin/')}>
          口座をお持ちの方: パスキーでサインイン / Already a customer: sign in with a passkey
        </a>
      </p>
    </>
  );
}
