/**
 * The issuer's operator console: find a resident, see their card, phones and credentials, record a life
 * event and watch what it does to the status lists, the CRLs and the statistics.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  type LifeEvent,
  type LifeEventRule,
  sandboxSessionToken,
  setUnauthorizedHandler,
  storedToken,
  storeToken,
} from './api';
import { ProgressBar, Spinner } from './components/progress';
import { CrlPanel, StatusListsPanel } from './components/registers';
import { ResidentFinder, ResidentPanel } from './components/residents';
import { StatisticsPanel } from './components/statistics';
import { TokenGate } from './components/token-gate';
import { useLoad } from './hooks';

type Session = { state: 'asking' } | { state: 'need-token'; message?: string } | { state: 'ready' };

/** The whole page. */
export function App() {
  const [session, setSession] = useState<Session>(storedToken() ? { state: 'ready' } : { state: 'asking' });
  useEffect(() => {
    setUnauthorizedHandler(() => {
      storeToken(undefined);
      setSession({ state: 'need-token', message: 'トークンが違います The issuer refused the token.' });
    });
    if (session.state !== 'asking') return;
    // In the sandbox, on this machine, the issuer hands its token to the page; elsewhere it is typed.
    sandboxSessionToken().then((token) => {
      if (token === undefined) return setSession({ state: 'need-token' });
      storeToken(token);
      setSession({ state: 'ready' });
    });
  }, [session.state]);

  return (
    <>
      <ProgressBar />
      <header class="top">
        <h1>
          運用コンソール <small>Operator console</small>
        </h1>
        <span class="muted small">mynakit issuer (sandbox)</span>
        {session.state === 'ready' && (
          <button
            type="button"
            class="link"
            onClick={() => {
              storeToken(undefined);
              setSession({ state: 'need-token' });
            }}
          >
            トークンを消去 Forget token
          </button>
        )}
      </header>
      <main>
        {session.state === 'asking' && <Spinner />}
        {session.state === 'need-token' && (
          <TokenGate
            onToken={() => setSession({ state: 'ready' })}
            {...(session.message === undefined ? {} : { message: session.message })}
          />
        )}
        {session.state === 'ready' && <Console />}
      </main>
    </>
  );
}

function Console() {
  const [residentId, setResidentId] = useState<string | undefined>(undefined);
  const [refreshKey, setRefreshKey] = useState(0);
  const rules = useLoad(() => api<{ rules: LifeEventRule[] }>('life-events/rules'), []);
  const onRecorded = (_e: LifeEvent) => setRefreshKey((k) => k + 1);
  return (
    <div class="layout">
      <div class="column">
        <ResidentFinder selected={residentId} onSelect={setResidentId} refreshKey={refreshKey} />
        {residentId !== undefined && (
          <ResidentPanel
            residentId={residentId}
            rules={rules.data?.rules}
            onRecorded={onRecorded}
            refreshKey={refreshKey}
          />
        )}
      </div>
      <div class="column">
        <StatisticsPanel refreshKey={refreshKey} />
        <StatusListsPanel refreshKey={refreshKey} />
        <CrlPanel refreshKey={refreshKey} />
      </div>
    </div>
  );
}
