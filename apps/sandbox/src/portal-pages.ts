/**
 * A government portal's sign-in with the smartphone user-authentication certificate (the マイナポータル
 * pattern; DOMAIN.md §3: user authentication is a challenge–response — the auth key signs a server nonce,
 * the server verifies the signature, the chain and the status, and binds the account to the certificate).
 *
 * 「ログイン / Sign in」 opens a jpki-authentication session at the verifier (its API key stays here); the
 * chosen phone answers through the labelled bridge with `authenticateWithJpki` after the auth PIN typed on
 * this page (Android) or the phone's biometric (iPhone), exactly as the clinic's desk; the verifier checks
 * the chain to the sandbox JPKI CAs, the user-authentication profile, the signature over the challenge and
 * the OCSP status at the sandbox issuer. A valid answer signs in: the account is keyed by the certificate's
 * opaque subject id (`CN`, 23 characters in real certificates) — the user-authentication certificate carries
 * no name, address, birth date or sex, and the page says so. A revoked certificate (the holder died, moved
 * abroad, lost the card …; a change of the basic four does *not* revoke it) is refused with
 * `status.revocation` failed; a wrong PIN is refused with the tries the phone has left.
 *
 * The sign-in is a cookie session kept in this process's memory only: a random 256-bit id, HttpOnly,
 * SameSite=Lax (a cross-site form cannot sign the user out or in with it), Secure on https, Path limited to
 * the portal, 30 minutes. Server-rendered, no script.
 */
import { randomBytes } from 'node:crypto';
import { html } from '@mynakit/page-html';
import type { UserAuthentication, WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticateThroughBridge, userAuthenticationFrom } from './bridge-flows.js';
import {
  certificateHtml,
  checksHtml,
  formFields,
  type JpkiAnswer,
  methodHtml,
  recordHtml,
  noPhonePage,
  rpPage,
  verdictHtml,
  verifierCall,
} from './jpki-page-parts.js';
import { SANDBOX_PORTAL_NAME, type SandboxPortal } from './sandbox-portal.js';

/** The portal's session cookie. */
export const PORTAL_SESSION_COOKIE = 'mynakit_portal';

/** How long a sign-in lasts (ms). */
export const PORTAL_SESSION_TTL_MS = 30 * 60 * 1000;

/** Most sign-ins and accounts kept in memory; the oldest goes first. */
const MAX_KEPT = 256;

const back = '/verifier/portal/';
const REFUSED = 'ログインできません — Sandbox Government Portal';

/** One signed-in browser. */
interface PortalSession {
  readonly subjectId: string;
  readonly phone: WalletDevice;
  readonly how: UserAuthentication['method'];
  readonly answer: JpkiAnswer;
  readonly signedInAt: Date;
  readonly expiresAt: number;
}

/** An account bound to a user-authentication certificate's subject id. */
interface PortalAccount {
  readonly createdAt: Date;
  signIns: number;
}

const WHY_NO_METHOD = html`ログインは本人確認(KYC)ではありません。利用者証明用電子証明書は「この証明書の持ち主であること」だけを示し、氏名・住所・生年月日・性別は入っていません。
<br><span class="en">A sign-in is no identity verification (KYC): the user-authentication certificate shows only that the holder of this certificate is here; it holds no name, address, birth date or sex.</span>`;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_KEPT) map.delete(map.keys().next().value as K);
}

/** The sign-in page: one form per phone, as its family unlocks the auth key. */
export function renderPortalSignInPage(phones: readonly WalletDevice[]): string {
  return rpPage(
    'ログイン — Sandbox Government Portal',
    html`<h1>${SANDBOX_PORTAL_NAME} <span class="en">sign in</span></h1>
<p>スマートフォンの利用者証明用電子証明書でログインします。アカウントは証明書の識別子(氏名などを含まない番号)に結び付きます。
<br><span class="en">Sign in with the user-authentication certificate on your phone. The account is bound to the certificate's identifier, which holds no name or other personal data.</span></p>
<p class="bridge">この環境には OS の JPKI アプリがないため、電話エミュレータがブリッジ経由で応答します(<code>authenticateWithJpki</code>)。Android ではこの画面で利用者証明用暗証番号を入力し、iPhone では電話の生体認証で承認します。ポータルの API キーはサーバーから出ません。
<br><span class="en">No OS JPKI app exists here: the phone emulator answers through an explicit bridge (<code>authenticateWithJpki</code>). Android holders type the auth PIN on this page; iPhone holders approve with the phone's biometric. The portal's API key never leaves its server.</span></p>
${phones.map((p) =>
  p.family === 'android'
    ? html`<form class="phone" method="post" action="login" data-phone-form="${p.id}">
<input type="hidden" name="phone" value="${p.id}">
<p><strong>${p.id}</strong> (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></p>
<label>利用者証明用暗証番号(数字4桁) <span class="en">auth PIN (4 digits)</span>
<input type="password" name="pin" required inputmode="numeric" minlength="4" maxlength="4" pattern="[0-9]{4}" autocomplete="off"></label>
<button>ログイン / Sign in</button>
<p><small>3回間違えるとロックされます <span class="en">three wrong PINs lock it</span></small></p>
</form>`
    : html`<form class="phone" method="post" action="login" data-phone-form="${p.id}">
<input type="hidden" name="phone" value="${p.id}">
<p><strong>${p.id}</strong> (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></p>
<button name="biometric" value="matched">ログイン(生体認証で承認) / Sign in (approve with the biometric)</button>
<button name="biometric" value="failed">生体認証が一致しない(試験用)/ the biometric does not match (test)</button>
</form>`,
)}`,
  );
}

function signedInPage(session: PortalSession, account: PortalAccount): string {
  const { answer, phone } = session;
  return rpPage(
    'マイページ — Sandbox Government Portal',
    html`<h1>マイページ <span class="en">My page</span></h1>
<p data-signed-in="${session.subjectId}">ログイン中 <span class="en">signed in</span> — 利用者 <span class="en">user</span>: <code data-subject-id>${session.subjectId}</code></p>
<p>この識別子は利用者証明用電子証明書の主体名(CN)です。証明書には氏名・住所・生年月日・性別は入っていないので、このポータルはそれらを知りません。
<br><span class="en">This identifier is the subject name (CN) of the user-authentication certificate. The certificate holds no name, address, birth date or sex, so this portal does not know them.</span></p>
<table>
<tr><th>アカウント作成 <span class="en">account created</span></th><td>${account.createdAt.toISOString()}</td></tr>
<tr><th>ログイン回数 <span class="en">sign-ins</span></th><td data-sign-ins="${String(account.signIns)}">${String(account.signIns)}</td></tr>
<tr><th>今回のログイン <span class="en">this sign-in</span></th><td>${session.signedInAt.toISOString()}</td></tr>
<tr><th>電話 <span class="en">phone</span></th><td data-answered-by="bridge">${phone.id} (${phone.family}) — ${session.how === 'pin' ? html`暗証番号 <span class="en">auth PIN</span>` : html`生体認証 <span class="en">biometric</span>`} — ブリッジ経由 <span class="en">through the bridge</span></td></tr>
</table>
<form method="post" action="logout"><button>ログアウト / Sign out</button></form>
${answer.certificate ? html`<h2>利用者証明用電子証明書 <span class="en">User-authentication certificate</span></h2>${certificateHtml(answer.certificate)}` : ''}
<h2>ログイン時の検証 <span class="en">Checks at sign-in</span></h2>
${verdictHtml(answer)}
${checksHtml(answer)}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${methodHtml(answer, WHY_NO_METHOD)}
${recordHtml(answer)}`,
  );
}

function refusedSignInPage(phone: WalletDevice, answer: JpkiAnswer): string {
  return rpPage(
    REFUSED,
    html`<h1>ログインできません <span class="en">Sign-in refused</span></h1>
<p class="bridge" data-answered-by="bridge">応答した電話 <span class="en">answered by</span>: ${phone.id} (${phone.family}) — ブリッジ経由 <span class="en">through the bridge</span></p>
${verdictHtml(answer)}
<p>利用者証明用電子証明書を確かめられませんでした。失効した証明書(死亡・国外転出・カードの紛失などで失効します)ではログインできません。
<br><span class="en">The user-authentication certificate could not be verified. A revoked certificate (death, moving abroad, a lost card …) cannot sign in.</span></p>
<h2>検証 <span class="en">Checks</span></h2>
${checksHtml(answer)}
${recordHtml(answer)}
<p><a href="${back}">戻る / back</a></p>`,
  );
}

/** Registers `/verifier/portal/`, its sign-in and sign-out (before the verifier's own routes). */
export function registerPortalPages(
  app: Hono,
  parts: {
    readonly url: string;
    readonly portal: SandboxPortal;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
    readonly phones: readonly WalletDevice[];
  },
): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.portal.apiKey);
  const sessions = new Map<string, PortalSession>();
  const accounts = new Map<string, PortalAccount>();
  const secure = parts.url.startsWith('https:');

  /** The signed-in session of this request, if any (an expired one is forgotten). */
  const current = (c: Context): { id: string; session: PortalSession } | undefined => {
    const id = getCookie(c, PORTAL_SESSION_COOKIE);
    if (id === undefined) return undefined;
    const session = sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= Date.now()) {
      sessions.delete(id);
      return undefined;
    }
    return { id, session };
  };

  app.get('/verifier/portal', (c) => c.redirect(back));
  app.get(back, (c) => {
    c.header('cache-control', 'no-store');
    const signedIn = current(c);
    if (signedIn === undefined) return c.html(renderPortalSignInPage(parts.phones));
    const account = accounts.get(signedIn.session.subjectId);
    if (account === undefined) {
      sessions.delete(signedIn.id);
      return c.html(renderPortalSignInPage(parts.phones));
    }
    return c.html(signedInPage(signedIn.session, account));
  });
  app.post('/verifier/portal/login', async (c) => {
    const form = await formFields(c.req.raw);
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    if (phone === undefined) return c.html(noPhonePage(REFUSED, back), 400);
    const userAuthentication = userAuthenticationFrom(phone, form, REFUSED, back);
    if ('status' in userAuthentication) return c.html(userAuthentication.page, userAuthentication.status);
    const outcome = await authenticateThroughBridge({
      api,
      phone,
      userAuthentication,
      purpose: 'sign-in',
      relyingParty: SANDBOX_PORTAL_NAME,
      title: REFUSED,
      back,
    });
    if (outcome.kind === 'refused') return c.html(outcome.refusal.page, outcome.refusal.status);
    const { answer } = outcome;
    const subjectId = answer.certificate?.subjectCommonName ?? undefined;
    if (!outcome.ok || answer.verdict !== 'valid' || subjectId === undefined || subjectId === null)
      return c.html(refusedSignInPage(phone, answer), 422);
    // A new sign-in gets a new id (no fixation): the old one, if any, ends here.
    const previous = current(c);
    if (previous !== undefined) sessions.delete(previous.id);
    const id = randomBytes(32).toString('base64url');
    const now = new Date();
    remember(sessions, id, {
      subjectId,
      phone,
      how: userAuthentication.method,
      answer,
      signedInAt: now,
      expiresAt: now.getTime() + PORTAL_SESSION_TTL_MS,
    });
    const account = accounts.get(subjectId) ?? { createdAt: now, signIns: 0 };
    account.signIns += 1;
    remember(accounts, subjectId, account);
    setCookie(c, PORTAL_SESSION_COOKIE, id, {
      path: '/verifier/portal',
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      maxAge: PORTAL_SESSION_TTL_MS / 1000,
    });
    return c.redirect(back, 303);
  });
  app.post('/verifier/portal/logout', (c) => {
    const signedIn = current(c);
    if (signedIn !== undefined) sessions.delete(signedIn.id);
    deleteCookie(c, PORTAL_SESSION_COOKIE, { path: '/verifier/portal', secure });
    return c.redirect(back, 303);
  });
}
