/**
 * The sandbox bank's online account opening (犯収法): every view of the bank's page, chosen by its address
 * under the bank's folder — the card-substitute record and its result, the JPKI signature and its result,
 * the passkey sign-in and the signed-in account. Nothing personal is ever put in an address: a result's
 * address names its verification session only.
 */

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LoadFailed, Loading, TopBar } from '../../shared/page-frame';
import { ApiError, getStart, ROOT, type Start, viewOf } from './api';
import { AccountView } from './components/account';
import { JpkiResultView } from './components/jpki-result';
import { JpkiStart } from './components/jpki-start';
import { RecordResultView } from './components/record-result';
import { RecordStart } from './components/record-start';
import { SignIn } from './components/sign-in';

const TITLES: Readonly<Record<string, readonly [string, string]>> = {
  record: ['口座開設', 'Open an account'],
  'record-result': ['本人確認の結果', 'Verification result'],
  jpki: ['口座開設(電子署名)', 'Open an account with a JPKI signature'],
  'jpki-result': ['本人確認の結果(電子署名)', 'Verification result — JPKI signature'],
  signin: ['サインイン', 'Sign in'],
  account: ['口座', 'Your account'],
};

/** The views that start from the bank's phones and lists. */
function WithStart({ render }: { render: (start: Start) => ComponentChildren }) {
  const [start, setStart] = useState<Start | { error: string } | undefined>(undefined);
  useEffect(() => {
    getStart(new URLSearchParams(location.search).get('dcTimeout')).then(setStart, (e: unknown) =>
      setStart({ error: e instanceof ApiError ? e.code : 'NETWORK' }),
    );
  }, []);
  if (start === undefined) return <Loading />;
  if ('error' in start) return <LoadFailed code={start.error} />;
  return <>{render(start)}</>;
}

export function App() {
  const { view } = viewOf(location.pathname);
  const [ja, en] = TITLES[view.name] ?? ['口座開設', 'Open an account'];
  useEffect(() => {
    document.title = `${ja} ${en} — Sandbox Bank — mynakit sandbox`;
  }, [ja, en]);
  return (
    <>
      <TopBar relyingParties={new URL('../', new URL(ROOT, location.origin)).pathname}>
        サンドボックス銀行 {ja} <small>Sandbox Bank — {en}</small>
      </TopBar>
      <main class="layout">
        {view.name === 'record' ? <WithStart render={(start) => <RecordStart start={start} />} /> : null}
        {view.name === 'record-result' ? <RecordResultView session={view.session} /> : null}
        {view.name === 'jpki' ? <WithStart render={(start) => <JpkiStart start={start} />} /> : null}
        {view.name === 'jpki-result' ? <JpkiResultView session={view.session} /> : null}
        {view.name === 'signin' ? <SignIn /> : null}
        {view.name === 'account' ? <AccountView /> : null}
      </main>
    </>
  );
}
