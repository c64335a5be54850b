/**
 * The phone's screen for a request scanned from a QR code or opened by link, or handed to it by its
 * operating system. The page is served at the screen's own URL (services/wallet/src/app/request-page.ts):
 * `…/phones/<id>/openid4vp` — the scan screen without a link, the OpenID4VP consent screen with
 * `?url=openid4vp://…` — `…/phones/<id>/jpki-request?url=mynakit-jpki://…`, the JPKI consent screen, and
 * `…/phones/<id>/incoming`, the requests a web page's DC API call, a reader in person or a relying party
 * asking for a JPKI signature or a JPKI sign-in left waiting on the phone. The link names the request (its client id and where to fetch it), never the holder; PINs,
 * passwords and consent travel in POST bodies only.
 */
import { IncomingScreen } from './incoming-screen';
import { JpkiScreenView } from './jpki-screen';
import { OpenId4VpScreen } from './openid4vp-screen';
import { ScanScreen } from './scan-screen';

/** Which screen the URL names: the phone, the kind of link, the link. */
function screenOf(location: Location) {
  const match = /\/phones\/([^/]+)\/(openid4vp|jpki-request|incoming)$/.exec(location.pathname);
  if (match === null) return undefined;
  let phoneId: string;
  try {
    phoneId = decodeURIComponent(match[1] as string);
  } catch {
    return undefined;
  }
  const link = new URLSearchParams(location.search).get('url') ?? '';
  return { phoneId, kind: match[2] as 'openid4vp' | 'jpki-request' | 'incoming', link };
}

export function App() {
  const screen = screenOf(window.location);
  return (
    <main class="page request">
      <div class="device">
        <div class="screen-body">
          {screen === undefined ? (
            <>
              <h1>
                要求の確認 <small>A request to this phone</small>
              </h1>
              <p>
                電話の一覧から QR コードを読み取ってください。
                <small>Scan a QR code from a phone of the list.</small>
              </p>
              <p>
                <a href="../">電話の一覧へ / the phones</a>
              </p>
            </>
          ) : screen.kind === 'incoming' ? (
            <>
              <IncomingScreen phoneId={screen.phoneId} />
              <p class="back">
                <a href={`../../#/phone/${encodeURIComponent(screen.phoneId)}`}>
                  電話に戻る / back to the phone
                </a>
              </p>
            </>
          ) : (
            <>
              {screen.link === '' ? (
                <ScanScreen phoneId={screen.phoneId} />
              ) : screen.kind === 'jpki-request' ? (
                <JpkiScreenView link={screen.link} />
              ) : (
                <OpenId4VpScreen link={screen.link} />
              )}
              <p class="back">
                <a href="../../">送らずに戻る / back without sending</a>
              </p>
            </>
          )}
        </div>
      </div>
    </main>
  );
}
