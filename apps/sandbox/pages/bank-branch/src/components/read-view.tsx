/**
 * A phone read at the counter: who answered and over what, the verdict, the photo and the facts for the
 * face check with the staff's two buttons, the record and every check. The photo is shown here only.
 */
import { ChecksTable, Verdict } from '../../../shared/checks';
import { AnsweredBy } from '../../../shared/phones';
import { Fact, PortraitFact, RecordLine } from '../../../shared/result-parts';
import type { CounterRead } from '../api';
import { NextCustomer } from './parts';

export function ReadView({
  read,
  busy,
  onConfirm,
}: {
  read: CounterRead;
  busy: boolean;
  onConfirm: (face: 'match' | 'mismatch') => void;
}) {
  return (
    <section class="card" data-read aria-live="polite">
      <h2>
        読み取り結果 <small>Read at the counter</small>
      </h2>
      <p class="bridge" data-answered-by="bridge">
        応答した電話 <small>answered by</small>: <AnsweredBy phone={read.phone} unmarked /> — 近接読み取り{' '}
        <small>proximity read</small>
      </p>
      <p data-face-channel={read.channel}>
        ISO/IEC 18013-5: デバイスエンゲージメント、SessionEstablishment、SessionData{' '}
        <small>device engagement, SessionEstablishment, SessionData</small> — リーダーは検証サービス{' '}
        <small>the reader is the verifier service</small>
      </p>
      <Verdict answer={read} />
      <h3>
        顔の確認 <small>Face check</small>
      </h3>
      <dl class="facts" data-face-facts>
        {read.identity.portrait ? <PortraitFact portrait={read.identity.portrait} marked /> : null}
        <Fact ja="氏名" en="name" field="name">
          {read.identity.name}
        </Fact>
        <Fact ja="住所" en="address" field="address">
          {read.identity.address}
        </Fact>
        <Fact ja="生年月日" en="birth date" field="birthDate">
          {read.identity.birthDate}
        </Fact>
      </dl>
      <form
        data-face-confirm
        class="face-buttons"
        onSubmit={(e) => {
          e.preventDefault();
          const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
          onConfirm(submitter?.value === 'match' ? 'match' : 'mismatch');
        }}
      >
        <button type="submit" name="face" value="match" disabled={busy}>
          顔写真と一致 / Face matches
        </button>
        <button type="submit" name="face" value="mismatch" class="decline" disabled={busy}>
          一致しない / Does not match
        </button>
      </form>
      <RecordLine result={read} />
      <h3>
        検証 <small>Checks</small>
      </h3>
      <ChecksTable answer={read} />
      <NextCustomer />
    </section>
  );
}
