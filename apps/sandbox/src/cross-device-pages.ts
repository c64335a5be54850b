/**
 * The bank's account opening on another device (別の端末で): for a browser without the Digital Credentials
 * API — a desktop — the page shows a QR code that the holder scans with the phone (OpenID4VP 1.0
 * cross-device: request by reference, `direct_post.jwt`; DOMAIN.md §2, the OpenID4VPHandover row).
 *
 *   GET  /verifier/bank/cross-device/                  the start page: the customer's declaration (取引時確認
 *                                                      under 犯収法 records the purpose and the occupation;
 *                                                      bank-declaration.ts, as the bank's other pages ask it)
 *   POST /verifier/bank/cross-device/sessions          opens a cross-device session with the bank's
 *                                                      cross-device relying party (sandbox-cross-device.ts)
 *                                                      for the page's own origin → 303 to its page
 *   GET  /verifier/bank/cross-device/sessions/:id      before the answer: the QR code (SVG, qr-svg.ts), the
 *                                                      link it holds, and per phone emulator a labelled
 *                                                      button that hands the link to that phone's scan
 *                                                      screen (a real phone's camera reads the code); after:
 *                                                      the verified record, the KYC method or why none
 *                                                      applies, the checks and the verification record
 *   GET  /verifier/bank/cross-device/sessions/:id/state  `{state: pending|done|expired}` — what the page's
 *                                                      script polls (without scripts, a link reloads)
 *
 * The relying party's API key stays on the server. The verifier hands the disclosed values out at the first
 * read of the result only, so the page keeps each result it read in memory (bounded, never on disk) for its
 * page; it shows only sessions it opened itself.
 */
import { methodsInForce } from '@mynakit/kyc';
import { html, SafeHtml } from '@mynakit/page-html';
import type { WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import {
  type BankDeclaration,
  bankRequestFromForm,
  declarationFieldsHtml,
  declarationHtml,
} from './bank-declaration.js';
import { ownOrigin } from './bank-passkeys.js';
import { type RecordAnswer, recordIdentityHtml } from './bridge-flows.js';
import {
  checksHtml,
  formFields,
  methodHtml,
  recordHtml,
  refusalPage,
  rpPage,
  verdictHtml,
} from './jpki-page-parts.js';
import { qrSvg } from './qr-svg.js';
import type { SandboxCrossDevice } from './sandbox-cross-device.js';

/** The sessions the page opened, with what it read of them (the oldest dropped first). */
const MAX_KEPT_SESSIONS = 64;

/** How often the page's script asks whether the phone has answered (ms). */
export const CROSS_DEVICE_POLL_MS = 1500;

const TITLE = '別の端末で本人確認 — Sandbox Bank';
const BACK = '/verifier/bank/cross-device/';
const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Long words (URLs, check ids, subjects) wrap at a 390 px wide screen. */
const WRAP = html`<style>td,th,code,.link{overflow-wrap:anywhere}select{max-width:100%}.qr svg{max-width:100%;height:auto}.open{display:inline-block;margin:.3rem .4rem .3rem 0;padding:.4rem .8rem;border:1px solid #333;border-radius:.4rem;text-decoration:none;color:#1b1b1b;background:#f4f6f8}</style>`;

/** One session the page opened. */
interface KeptSession {
  readonly walletUrl: string;
  readonly expiresAt: string;
  /** What the customer declared with it (the verifier records it with the verification). */
  readonly declared: BankDeclaration;
  /** The verifier's report, once read (the disclosed values came with the first read only). */
  answer?: RecordAnswer;
  ok?: boolean;
}

/** The state of a session as the verifier's result route says it. */
type SessionState = 'pending' | 'done' | 'expired' | 'unknown';

/** The start page: what happens, the declaration, the button that shows the QR code. */
export function renderCrossDeviceStartPage(available: boolean): string {
  return rpPage(
    TITLE,
    html`${WRAP}<h1>別の端末で本人確認 <span class="en">Verify on another device</span></h1>
<p>この画面に QR コードを表示します。スマートフォンで読み取ると、電話がカード代替電磁的記録(氏名・住所・生年月日・顔写真)を暗号化して銀行に送ります。結果はこの画面に表示されます。
<br><span class="en">This page shows a QR code. Scan it with your phone: the phone sends the card-substitute record (name, address, birth date, photo) to the bank, encrypted, and the result shows here.</span></p>
<p class="bridge">OpenID4VP 1.0(request_uri、direct_post.jwt)。この環境では電話エミュレータが QR コードのリンクを受け取ります。
<br><span class="en">OpenID4VP 1.0 by reference, answered with direct_post.jwt. Here the phone emulator takes the QR code's link.</span></p>
${
  available
    ? html`<form method="post" action="sessions" class="phone">
${declarationFieldsHtml({ myNumberSwitch: false })}
<button>QRコードを表示 / Show the QR code</button>
</form>`
    : html`<p class="failed" data-error="cross-device-unavailable">このサンドボックスは IP アドレスで公開されているため、QR コードの要求を作れません(client_id の x509_san_dns は DNS 名を名指しします)。localhost かホスト名で起動してください。
<br><span class="en">This sandbox is served on an IP address: an x509_san_dns client id names a DNS name, so no QR-code request can be made. Serve it on localhost or a host name.</span></p>`
}
<p><a href="/verifier/bank/">この端末で(DC API / ブリッジ)/ on this device (DC API or the bridge)</a></p>`,
  );
}

/** The QR page of an open session, with the buttons handing its link to the phone emulators. */
export function renderCrossDeviceQrPage(
  sessionId: string,
  session: { readonly walletUrl: string; readonly expiresAt: string },
  phones: readonly WalletDevice[],
): string {
  const svg = new SafeHtml(
    qrSvg(session.walletUrl, { label: '本人確認の QR コード / QR code for the identity verification' }),
  );
  return rpPage(
    TITLE,
    html`${WRAP}<h1>スマートフォンで読み取ってください <span class="en">Scan with your phone</span></h1>
<div class="qr" data-qr>${svg}</div>
<p><small>QR コードの内容 <span class="en">the link it holds</span>:</small><br><code class="link" data-wallet-url>${session.walletUrl}</code></p>
<p><small>有効期限 <span class="en">expires</span>: <span data-expires-at>${session.expiresAt}</span></small></p>
<p class="bridge">この環境にはカメラ付きの電話がないため、リンクを電話エミュレータに渡します(明示的なブリッジ)。
<br><span class="en">No phone with a camera exists here: hand the link to a phone emulator (an explicit bridge).</span><br>
${phones.map(
  (p) =>
    html`<a class="open" data-open-on="${p.id}" target="_blank" rel="noopener" href="/wallet/phones/${encodeURIComponent(p.id)}/openid4vp?url=${encodeURIComponent(session.walletUrl)}">電話 ${p.id} で開く / open on phone ${p.id} (${p.family})</a>`,
)}</p>
<p id="cross-device-status" role="status" aria-live="polite" data-state="pending" data-poll="${sessionId}/state">電話からの応答を待っています… <span class="en">waiting for the phone…</span></p>
<noscript><p><a href="${sessionId}">結果を確認 / check for the result</a></p></noscript>
<script type="module">
const status = document.getElementById('cross-device-status');
async function poll() {
  try {
    const res = await fetch(status.dataset.poll, { cache: 'no-store', headers: { accept: 'application/json' } });
    const { state } = await res.json();
    if (state !== 'pending') { location.replace(location.href); return; }
  } catch {}
  setTimeout(poll, ${new SafeHtml(String(CROSS_DEVICE_POLL_MS))});
}
setTimeout(poll, ${new SafeHtml(String(CROSS_DEVICE_POLL_MS))});
</script>`,
  );
}

/**
 * The letter the same verification would satisfy today under a certified program (@mynakit/kyc's dated
 * table), shown beside the honest "none" of the sandbox's uncertified one (DOMAIN.md §1).
 */
function letterIfCertified(answer: RecordAnswer): SafeHtml {
  if (answer.verdict !== 'valid' || !(answer.methodReasons ?? []).includes('KYC_PROGRAM_NOT_CERTIFIED'))
    return html``;
  const method = methodsInForce('hanshu', new Date()).find((m) => m.content === 'card-substitute-record');
  if (method === undefined) return html``;
  return html`<p data-method-if-certified="${method.id}">認定を受けたプログラムなら 犯収法施行規則 第6条第1項第1号 <strong>${method.letter}</strong> ${method.name_ja}
<span class="en">— a certified program would satisfy ${method.letter} (${method.name_en}) today</span></p>`;
}

/** The result page of an answered session. */
export function renderCrossDeviceResultPage(answer: RecordAnswer, declared: BankDeclaration): string {
  return rpPage(
    TITLE,
    html`${WRAP}<h1>本人確認の結果 <span class="en">Verification result</span></h1>
<p class="bridge" data-answered-by="cross-device">別の端末(QR コード)から受信 <span class="en">received from another device by QR code</span> — OpenID4VP 1.0, direct_post.jwt</p>
${verdictHtml(answer)}
${answer.verdict === 'valid' ? recordIdentityHtml(answer) : ''}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${methodHtml(answer, html`サンドボックスの検証プログラムは認定を受けていません <span class="en">the sandbox's verification program is not certified</span>`)}
${letterIfCertified(answer)}
<h2>検証 <span class="en">Checks</span></h2>
${checksHtml(answer)}
${recordHtml(answer)}
${declarationHtml(declared, answer.recordId)}
<p><a href="${BACK}">もう一度 / again</a></p>`,
  );
}

/** Registers the cross-device pages (before the verifier's own routes). */
export function registerCrossDevicePages(
  app: Hono,
  parts: {
    readonly url: string;
    /** The bank's cross-device relying party; absent when the sandbox's host cannot be named. */
    readonly crossDevice: SandboxCrossDevice | undefined;
    readonly phones: readonly WalletDevice[];
  },
): void {
  const { crossDevice } = parts;
  const kept = new Map<string, KeptSession>();
  const rp = (path: string, init: RequestInit = {}) =>
    (crossDevice as SandboxCrossDevice).verifier.request(path, {
      ...init,
      headers: {
        authorization: `Bearer ${(crossDevice as SandboxCrossDevice).apiKey}`,
        'content-type': 'application/json',
      },
    });

  /** Reads the session's result once it is there, and keeps it. */
  const stateOf = async (id: string, session: KeptSession): Promise<SessionState> => {
    if (session.answer !== undefined) return 'done';
    const res = await rp(`/sessions/${encodeURIComponent(id)}/result`);
    if (res.ok) {
      session.answer = (await res.json()) as RecordAnswer;
      session.ok = session.answer.verdict === 'valid';
      return 'done';
    }
    const code = ((await res.json().catch(() => ({}))) as { code?: string }).code;
    if (code === 'VERIFIER_SESSION_PENDING') return 'pending';
    if (code === 'VERIFIER_SESSION_EXPIRED') return 'expired';
    return 'unknown';
  };

  const sessionOf = (c: Context): [string, KeptSession] | undefined => {
    const id = c.req.param('id') ?? '';
    const session = SESSION_ID.test(id) ? kept.get(id) : undefined;
    return session === undefined ? undefined : [id, session];
  };

  const noSuchSession = (c: Context) =>
    c.html(
      refusalPage(
        TITLE,
        html`このセッションはありません <span class="en">no such session</span>`,
        'no-session',
        BACK,
      ),
      404,
    );

  app.get('/verifier/bank/cross-device', (c) => c.redirect('/verifier/bank/cross-device/'));
  app.get('/verifier/bank/cross-device/', (c) =>
    c.html(renderCrossDeviceStartPage(crossDevice !== undefined)),
  );

  app.post('/verifier/bank/cross-device/sessions', async (c) => {
    if (crossDevice === undefined) return c.html(renderCrossDeviceStartPage(false), 409);
    // Codes of the verifier's lists only; a missing one is the verifier's to refuse, with its code.
    const { declared } = bankRequestFromForm(await formFields(c.req.raw));
    const opened = await rp('/sessions/cross-device', {
      method: 'POST',
      body: JSON.stringify({
        purpose: 'account-opening',
        // The bank's own origin the page is on (the sandbox URL or its localhost twin), never the browser's word.
        origin: ownOrigin(c.req.url, parts.url),
        ...declared,
      }),
    });
    const created = (await opened.json()) as {
      sessionId?: string;
      walletUrl?: string;
      expiresAt?: string;
      code?: string;
    };
    if (opened.status !== 201 || created.sessionId === undefined || created.walletUrl === undefined)
      return c.html(
        refusalPage(
          TITLE,
          html`セッションを開けません <span class="en">the session could not be opened</span>`,
          String(created.code ?? opened.status),
          BACK,
        ),
        opened.status === 400 ? 400 : 502,
      );
    kept.set(created.sessionId, {
      walletUrl: created.walletUrl,
      expiresAt: String(created.expiresAt ?? ''),
      declared,
    });
    if (kept.size > MAX_KEPT_SESSIONS) kept.delete(kept.keys().next().value as string);
    return c.redirect(`/verifier/bank/cross-device/sessions/${created.sessionId}`, 303);
  });

  app.get('/verifier/bank/cross-device/sessions/:id/state', async (c) => {
    const found = sessionOf(c);
    c.header('cache-control', 'no-store');
    if (found === undefined) return c.json({ state: 'unknown' }, 404);
    return c.json({ state: await stateOf(found[0], found[1]) });
  });

  app.get('/verifier/bank/cross-device/sessions/:id', async (c) => {
    const found = sessionOf(c);
    if (found === undefined) return noSuchSession(c);
    const [id, session] = found;
    c.header('cache-control', 'no-store');
    const state = await stateOf(id, session);
    if (state === 'done' && session.answer !== undefined)
      return c.html(renderCrossDeviceResultPage(session.answer, session.declared), session.ok ? 200 : 422);
    if (state === 'pending') return c.html(renderCrossDeviceQrPage(id, session, parts.phones));
    return c.html(
      refusalPage(
        TITLE,
        state === 'expired'
          ? html`電話から応答がないまま期限が切れました <span class="en">the session expired without an answer</span>`
          : html`このセッションの結果を読めません <span class="en">the session's result cannot be read</span>`,
        state === 'expired' ? 'VERIFIER_SESSION_EXPIRED' : 'no-result',
        BACK,
      ),
      state === 'expired' ? 410 : 502,
    );
  });
}
