/**
 * What the JPKI pages of the sandbox's relying parties share (jpki-bank-pages.ts, clinic-pages.ts): the
 * page frame in bank-pages.ts's style (Japanese first, English labels beside, no script), the verifier's
 * JPKI answer (`JpkiVerification`, services/verifier jpki/verify-jpki-answer.ts) as a report, and the
 * verifier calls with the relying party's API key, which stays on the server.
 */
import { html, type SafeHtml } from '@mynakit/page-html';

/** The verifier's JPKI answer, as the pages read it (POST /sessions/:id/jpki-*). */
export interface JpkiAnswer {
  readonly verdict?: string;
  readonly checks?: readonly { id: string; status: string; detail?: string }[];
  readonly method?: { id: string; letter: string; law?: string; name_ja?: string; name_en?: string } | null;
  readonly methodReasons?: readonly string[];
  readonly certificate?: {
    serialNumber: string;
    issuer: string;
    subjectCommonName: string | null;
    fingerprint256: string;
    notAfter: string;
  };
  readonly identity?: { name: string; address: string; birthDate: string; sex: string };
  readonly signingTime?: string;
  readonly recordId?: string;
  readonly flags?: readonly string[];
  readonly errorCode?: string;
  /** A problem's code, when the verifier refused the call. */
  readonly code?: string;
}

/** The sex code of the certificate, in words (DOMAIN.md §3: 1 male, 2 female, 3 unknown). */
const SEX_LABELS: ReadonlyMap<string, SafeHtml> = new Map([
  ['male', html`男性 <span class="en">male</span>`],
  ['female', html`女性 <span class="en">female</span>`],
  ['unknown', html`不明 <span class="en">unknown</span>`],
]);

/** A whole page of a relying party (the frame of bank-pages.ts). */
export function rpPage(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.5rem}.en,small{color:#555}.bridge{background:#fff6e0;border:1px solid #e0b050;padding:.6rem 1rem;border-radius:.4rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.passed{color:#176f2c}.failed{color:#a4161a}.undetermined,.warning{color:#8a4b00}img.portrait{max-width:8rem;border:1px solid #ccc}
pre.document{background:#f4f6f8;padding:.8rem 1rem;border-radius:.4rem;white-space:pre-wrap}
form.phone{border:1px solid #ccc;border-radius:.4rem;padding:.6rem 1rem;margin:.8rem 0}
</style>
</head>
<body>
<p><a href="/">← サンドボックス / sandbox</a> · <a href="/verifier/">依拠当事者 / relying parties</a></p>
${body}
</body>
</html>
`.value;
}

/** The verdict line. */
export function verdictHtml(answer: JpkiAnswer): SafeHtml {
  const verdict = answer.verdict ?? 'error';
  return html`<p data-verdict="${verdict}">判定 <span class="en">verdict</span>: <strong class="${verdict === 'valid' ? 'passed' : 'failed'}">${answer.verdict ?? answer.code ?? 'error'}</strong>${
    answer.errorCode
      ? html` — <span data-error-code="${answer.errorCode}">理由 <span class="en">reason</span>: <code>${answer.errorCode}</code></span>`
      : ''
  }</p>`;
}

/** The basic four from the signature certificate (only on a valid signature). */
export function basicFourHtml(identity: NonNullable<JpkiAnswer['identity']>): SafeHtml {
  return html`<table data-basic-four>
<tr><th>氏名 <span class="en">name</span></th><td data-field="name">${identity.name}</td></tr>
<tr><th>住所 <span class="en">address</span></th><td data-field="address">${identity.address}</td></tr>
<tr><th>生年月日 <span class="en">birth date</span></th><td data-field="birthDate">${identity.birthDate}</td></tr>
<tr><th>性別 <span class="en">sex</span></th><td data-field="sex">${SEX_LABELS.get(identity.sex) ?? identity.sex}</td></tr>
</table>`;
}

/** The certificate the phone presented (no personal data: serial, issuer, opaque subject, expiry). */
export function certificateHtml(certificate: NonNullable<JpkiAnswer['certificate']>): SafeHtml {
  return html`<table>
<tr><th>シリアル番号 <span class="en">serial number</span></th><td data-certificate-serial="${certificate.serialNumber}"><code>${certificate.serialNumber}</code></td></tr>
<tr><th>発行者 <span class="en">issuer</span></th><td>${certificate.issuer}</td></tr>
<tr><th>主体 CN <span class="en">subject CN</span></th><td><code>${certificate.subjectCommonName ?? '—'}</code></td></tr>
<tr><th>有効期限 <span class="en">not after</span></th><td>${certificate.notAfter}</td></tr>
<tr><th>SHA-256 <span class="en">fingerprint</span></th><td><code>${certificate.fingerprint256}</code></td></tr>
</table>`;
}

/** Every check with its status and detail (check details never carry the basic four). */
export function checksHtml(answer: JpkiAnswer): SafeHtml {
  return html`<table>
<tr><th>検証 <span class="en">check</span></th><th>結果 <span class="en">status</span></th><th>詳細 <span class="en">detail</span></th></tr>
${(answer.checks ?? []).map((c) => html`<tr data-check="${c.id}"><td>${c.id}</td><td class="${c.status}">${c.status}</td><td><small>${c.detail ?? ''}</small></td></tr>`)}
</table>`;
}

/** Where a 犯収法 method's letter stands (Ordinance Art. 6(1)(i), DOMAIN.md §5). */
export const HANSHU_METHOD_PLACE: SafeHtml = html`犯収法施行規則 第6条第1項第1号`;

/**
 * The method, or why none applies, with `why` saying what this relying party is and `place` where the
 * letter stands in its law's ordinance (犯収法 by default).
 */
export function methodHtml(
  answer: JpkiAnswer,
  why: SafeHtml,
  place: SafeHtml = HANSHU_METHOD_PLACE,
): SafeHtml {
  const method = answer.method;
  return method
    ? html`<p data-method="${method.id}">${place} <strong>${method.letter}</strong> ${method.name_ja ?? ''} <span class="en">${method.name_en ?? ''}</span></p>`
    : html`<p data-method="none">該当なし <span class="en">none</span>: ${
        (answer.methodReasons ?? []).length > 0
          ? (answer.methodReasons ?? []).map((r, i) => html`${i > 0 ? ', ' : ''}<code>${r}</code>`)
          : html`検証が有効ではありません <span class="en">the verification is not valid</span>`
      }</p>
<p><small>${why}</small></p>`;
}

/** The record line. */
export function recordHtml(answer: JpkiAnswer): SafeHtml {
  return answer.recordId
    ? html`<p data-record="${answer.recordId}">確認記録 <span class="en">verification record</span>: <code>${answer.recordId}</code>${
        (answer.flags ?? []).length > 0 ? html` <small>flags: ${(answer.flags ?? []).join(', ')}</small>` : ''
      }</p>`
    : html``;
}

/** A page saying why the phone or the verifier could not go on. */
export function refusalPage(
  title: string,
  message: SafeHtml,
  code: string,
  back: string,
  extra: SafeHtml = html``,
): string {
  return rpPage(
    title,
    html`<h1>${title}</h1>
<p data-error="${code}">${message} <small>(<code>${code}</code>)</small></p>
${extra}
<p><a href="${back}">戻る / back</a> · <a href="/wallet/">電話へ / the phones</a></p>`,
  );
}

/** A POST to the verifier with the relying party's API key (which never leaves the server). */
export function verifierCall(
  verifierFetch: (request: Request) => Response | Promise<Response>,
  url: string,
  apiKey: string,
): (path: string, body: unknown) => Promise<Response> {
  return async (path, body) =>
    verifierFetch(
      new Request(`${url}/verifier${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
}

/** The page refusing a form that chose no phone (or one this sandbox does not have): 400. */
export function noPhonePage(title: string, back: string): string {
  return refusalPage(
    title,
    html`電話を選んでください <span class="en">choose a phone</span>`,
    'no-phone',
    back,
  );
}

/** Reads a small form body (bounded) into its fields. */
export async function formFields(request: Request): Promise<URLSearchParams> {
  return new URLSearchParams((await request.text()).slice(0, 2048));
}
