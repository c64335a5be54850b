import { html, type SafeHtml } from '@mynakit/page-html';
import { SUPPORT_MATRIX, SUPPORT_MATRIX_CHECKED } from './support-matrix.js';

/** Which parts of the ecosystem this sandbox process runs (a part that is not running is said so, not hidden). */
export interface SandboxParts {
  readonly issuer: boolean;
  readonly wallet: boolean;
  readonly verifier: boolean;
}

interface Story {
  readonly ja: string;
  readonly en: string;
  readonly needs: readonly (keyof SandboxParts)[];
  /** What of the story this version walks through its pages, said plainly when not all of it. */
  readonly works: 'all' | { readonly ja: string; readonly en: string } | 'not-yet';
  /** The page where the story starts, when it has one of its own. */
  readonly href?: string;
}

/** The guided stories, in the order a newcomer meets them. */
const STORIES: readonly Story[] = [
  {
    ja: '住民のカードをスマホに搭載し、2台目に搭載して1台目が失効するのを見る',
    en: 'Install a card on a phone, then on the second phone, and watch the first lose it',
    needs: ['issuer', 'wallet'],
    works: 'all',
  },
  {
    ja: 'DC API とカード代替電磁的記録で銀行口座を開設し、パスキーを作ってサインイン',
    en: 'Open a bank account with the card-substitute record through the DC API; create a passkey; sign in',
    needs: ['issuer', 'wallet', 'verifier'],
    works: 'all',
    href: '/verifier/bank/',
  },
  {
    ja: '同じことを JPKI 署名で(申込書はブリッジ経由で電話の画面に届き、署名用パスワードは電話で入力。基本4情報は証明書から、失効は OCSP で確認)。パスキーを作ってサインイン',
    en: "The same with a JPKI signature (the bridge hands the application to the phone's screen, where the holder types the signature password; the basic four from the certificate, status by OCSP); create a passkey; sign in",
    needs: ['issuer', 'wallet', 'verifier'],
    works: 'all',
    href: '/verifier/bank/jpki/',
  },
  {
    ja: '転居:署名用証明書と記録が失効し、オフラインの電話からの提示を銀行が失効リストで見抜く',
    en: 'Move house: revocation, and the bank catches an offline phone through the status list',
    needs: ['issuer', 'wallet', 'verifier'],
    works: 'all',
  },
  {
    ja: '利用者証明用暗証番号を3回間違えてロックする',
    en: 'Lock the auth PIN with three wrong tries',
    needs: ['issuer', 'wallet'],
    works: 'all',
  },
  {
    ja: 'クリニックの受付で対面読み取り(顔写真と資格確認)',
    en: 'The clinic desk reads a phone face to face (photo and insurance qualification)',
    needs: ['issuer', 'wallet', 'verifier'],
    works: 'all',
    href: '/verifier/clinic/',
  },
  {
    ja: 'パソコンの画面に出した QR コードをスマホで読み取り、銀行口座を開設する(別の端末で、OpenID4VP)',
    en: "Open a bank account from a computer: the phone scans the page's QR code and answers across devices (OpenID4VP)",
    needs: ['issuer', 'wallet', 'verifier'],
    works: 'all',
    href: '/verifier/bank/cross-device/',
  },
  {
    ja: '銀行の窓口で電話を対面で読み取り、顔写真で本人を確かめる(確認記録は検証サービスが書く)',
    en: "The bank's branch counter reads a phone face to face and checks the face against the photo (the verifier writes the record)",
    needs: ['issuer', 'wallet', 'verifier'],
    works: 'all',
    href: '/verifier/bank/branch/',
  },
];

const partLink = (running: boolean, href: string, ja: string, en: string, what: string): SafeHtml =>
  running
    ? html`<li><a href="${href}"><strong>${ja}</strong> ${en}</a> — ${what}</li>`
    : html`<li><strong>${ja}</strong> ${en} — ${what} <em class="off">(この版では未提供 / not in this version yet)</em></li>`;

/**
 * The sandbox's landing page, rendered on the server: it explains the system in one screen and works
 * before any script loads (there is none). Japanese first, English labels.
 */
export function renderLandingPage(parts: SandboxParts): string {
  const body = html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mynakit サンドボックス — sandbox</title>
<style>
body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}small,.en{color:#555}.off{color:#8a4b00}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;overflow-wrap:anywhere}
.flow{background:#f4f6f8;padding:.8rem 1rem;border-radius:.4rem}
</style>
</head>
<body>
<h1>mynakit サンドボックス <span class="en">sandbox</span></h1>
<p>スマホ用マイナンバーカード(カード代替電磁的記録と JPKI 電子証明書)を、発行・保持・検証・失効まで一つの環境で試せます。登場するのはすべて架空の住民とサンドボックスの認証局です。
<br><span class="en">Try the My Number Card on smartphones — the card-substitute record (ISO/IEC 18013-5 mdoc) and the JPKI certificates — from issuance to revocation. Every resident and CA here is fictional.</span></p>

<h2>構成 <span class="en">The parts</span></h2>
<ul>
${partLink(parts.issuer, '/issuer/', '発行者', 'Issuer', '住民・カード・スマホへの搭載(OpenID4VCI)・1人1台 / residents, cards, installation on a phone, one device per person')}
${partLink(parts.wallet, '/wallet/', 'スマートフォン(2台)', 'Phones', '記録と JPKI 鍵を保持し提示する / hold the record and JPKI keys, present them')}
${partLink(parts.verifier, '/verifier/', '依拠当事者', 'Relying parties', '銀行・携帯キャリア・クリニック・ポータル・監査 / bank, carrier, clinic desk, portal, auditor')}
</ul>

<h2>失効の流れ <span class="en">How revocation flows</span></h2>
<p class="flow">転居・死亡・紛失などの事由 → 発行者が失効(署名用証明書・記録) → ステータスリスト / CRL / OCSP を公開 → 電話は提示を止め、依拠当事者はオフラインの電話から届いた記録もステータスリストで確認<br>
<span class="en">A life event (move, death, loss) → the issuer revokes the signature certificate and the record → publishes status lists, CRLs and OCSP → the phone stops presenting, and a relying party still catches a record sent by an offline phone through the status list.</span></p>

<h2>ストーリー <span class="en">Stories</span></h2>
<ol>
${STORIES.map((s) => {
  const missing = s.needs.filter((p) => !parts[p]);
  const state =
    missing.length > 0
      ? html` <em class="off">(準備中 / needs ${missing.join(', ')})</em>`
      : s.works === 'all'
        ? ''
        : s.works === 'not-yet'
          ? html` <em class="off">(準備中 / not in this version yet)</em>`
          : html` <em class="off">(一部 / in part: ${s.works.ja} — ${s.works.en})</em>`;
  const start =
    s.href !== undefined && missing.length === 0
      ? html` — <a href="${s.href}">試す <span class="en">try it</span></a>`
      : '';
  return html`<li>${s.ja}${start}<br><span class="en">${s.en}</span>${state}</li>`;
})}
</ol>

<h2>対応状況 <span class="en">What works where</span></h2>
<p><small>最終確認 / checked ${SUPPORT_MATRIX_CHECKED}. [C] 一次資料で確認 confirmed, [S] 二次資料 secondary, [I] 推測 inference.</small></p>
<table>
<tr><th>経路 <span class="en">channel</span></th><th>iPhone</th><th>Android</th><th>サンドボックスでは <span class="en">in the sandbox</span></th></tr>
${SUPPORT_MATRIX.map((r) => html`<tr><td>${r.channelJa}<br><span class="en">${r.channel}</span></td><td>${r.iphone}</td><td>${r.android}</td><td>${r.sandbox}</td></tr>`)}
</table>
<p><small>サンドボックスで模擬しているもの:セキュアエレメント(暗号化ファイルの鍵)、生体認証(ボタン)、無線(WebSocket)、OS のウォレット(電話エミュレータ)。署名・CBOR・COSE・X.509・失効情報は本物です。
<br><span class="en">Simulated here: the secure element (software keys encrypted at rest), biometrics (a button), radios (WebSocket), the OS wallet (the phone emulator). Signatures, CBOR, COSE, X.509 and revocation data are real.</span></small></p>
</body>
</html>
`;
  return body.value;
}
