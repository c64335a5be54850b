/**
 * The government portal's sign-in with the smartphone user-authentication certificate (the マイナポータル
 * pattern): the phones that answer through the labelled bridge, the sign-in, and the signed-in page. The
 * signed-in state lives in an HttpOnly cookie the server sets; the page asks the server whether it is signed
 * in (api/session) and never stores anything itself.
 */
import { useEffect, useState } from 'preact/hooks';
import { LoadFailed, Loading, TopBar } from '../../shared/page-frame';
import { ApiError, getPhones, getSession, type Phone, type Session } from './api';
import { LinkSignIn } from './components/link-sign-in';
import { MyPage } from './components/my-page';
import { SignInView } from './components/sign-in';

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; code: string }
  | { state: 'ready'; session: Session; phones: Phone[] };

export function App() {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const load = async () => {
    try {
      const [session, { phones }] = await Promise.all([getSession(), getPhones()]);
      setLoaded({ state: 'ready', session, phones });
    } catch (e) {
      setLoaded({ state: 'error', code: e instanceof ApiError ? e.code : 'NETWORK' });
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <>
      <TopBar relyingParties="../">
        サンドボックス行政ポータル <small>Sandbox Government Portal</small>
      </TopBar>
      <main class="layout" data-state={loaded.state}>
        {loaded.state === 'loading' ? <Loading /> : null}
        {loaded.state === 'error' ? <LoadFailed code={loaded.code} /> : null}
        {loaded.state === 'ready' ? (
          loaded.session.signedIn ? (
            <MyPage session={loaded.session} onSignedOut={() => void load()} />
          ) : (
            <>
              <SignInView
                phones={loaded.phones}
                onSignedIn={(session) => setLoaded({ ...loaded, session })}
              />
              <LinkSignIn onSignedIn={(session) => setLoaded({ ...loaded, session })} />
            </>
          )
        ) : null}
      </main>
    </>
  );
}
