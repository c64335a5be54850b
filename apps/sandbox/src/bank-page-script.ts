/**
 * The script of the sandbox bank's page (an inline ES module, no framework): where the browser has the
 * Digital Credentials API it offers "this browser's wallet" as the answering phone and, when chosen, runs
 * @mynakit/verifier-sdk's `verifyWithMyNumberCard` against the bank's backend (`api/sessions`, which holds
 * the API key); the verified report is shown at `result/<sessionId>`. When the API is missing or no wallet
 * answers in time, the form goes to the labelled bridge with the phone chosen for that case, and the
 * result page says why. Without scripts none of this runs and the form is the bridge, as before.
 *
 * The session is opened with what the customer declared on the form (the purpose of the transaction, the
 * occupation) and the developer's My Number switch (bank-declaration.ts). When the verifier refuses the
 * session — My Number without a legal basis — the wallet is never asked and the page shows the code.
 *
 * Plain JavaScript kept as text: it runs in the page, not in Node, and imports the SDK's page bundle
 * (`verifier-sdk-dc-api.js`, the Digital Credentials API part, served beside the page).
 */

/** The module script's source; it reads `data-dc-timeout` (ms) from the form. */
export const BANK_PAGE_SCRIPT = `
import { hasDigitalCredentialsApi, verifyWithMyNumberCard } from './verifier-sdk-dc-api.js';

const form = document.querySelector('form.bank');
const status = document.querySelector('#dc-status');
const choice = document.querySelector('[data-choice="dc-api"]');
const radio = choice.querySelector('input[name="phone"]');
const say = (text, attrs) => {
  status.textContent = text;
  for (const name of ['data-error', 'data-problem', 'data-progress']) status.removeAttribute(name);
  for (const [name, value] of Object.entries(attrs ?? {})) status.setAttribute(name, value);
};

if (hasDigitalCredentialsApi()) {
  choice.hidden = false;
  radio.disabled = false;
  radio.checked = true;
  document.body.dataset.dcApi = 'present';
} else {
  document.body.dataset.dcApi = 'missing';
  say('このブラウザには Digital Credentials API がありません。電話エミュレータがブリッジで応答します / This browser has no Digital Credentials API: the phone emulator answers through the bridge.');
}

/** The form's declaration and My Number switch, as the bank's api/sessions reads them. */
function sessionBody() {
  const item = (name) => {
    const code = form.querySelector('[name="' + name + '"]').value;
    const detail = form.querySelector('[name="' + name + 'Detail"]').value.trim();
    if (code === '') return undefined;
    return detail === '' ? { code } : { code, detail };
  };
  return {
    transactionPurpose: item('transactionPurpose'),
    occupation: item('occupation'),
    askMyNumber: form.querySelector('[name="askMyNumber"]')?.checked === true,
  };
}

/** The verifier's refusals of a session, explained (the code is shown beside them). */
const REFUSALS = new Map([
  ['VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS', '検証サービスが個人番号(マイナンバー)の要求を拒否しました。この銀行には法令上の根拠が設定されていません。ウォレットには何も求めていません / The verifier refused to ask for My Number: the bank has no legal basis configured. Nothing was asked of the wallet'],
  ['VERIFIER_TRANSACTION_PURPOSE_REQUIRED', '取引を行う目的を選んでください / Choose the purpose of the transaction'],
  ['VERIFIER_OCCUPATION_REQUIRED', 'ご職業を選んでください / Choose your occupation'],
  ['VERIFIER_RECORD_FORBIDDEN_CONTENT', '補足に12桁の数字は書けません / A detail may not hold twelve digits in a row'],
]);

function toBridge(reason) {
  const phone = form.querySelector('select[name="fallbackPhone"]').value;
  const target = form.querySelector('input[name="phone"][value="' + CSS.escape(phone) + '"]');
  if (target === null) return;
  target.checked = true;
  form.querySelector('input[name="fallback"]').value = reason;
  say('ブラウザのウォレットが応答しません (' + reason + ')。' + phone + ' がブリッジで応答します / No wallet answered (' + reason + '): ' + phone + ' answers through the bridge.', { 'data-progress': 'bridge' });
  form.submit();
}

form.addEventListener('submit', async (event) => {
  if (!radio.checked) return;
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  say('ブラウザのウォレットに問い合わせています… / Asking the browser’s wallet…', { 'data-progress': 'asking' });
  try {
    const result = await verifyWithMyNumberCard({
      sessionUrl: 'api/sessions',
      sessionBody: sessionBody(),
      timeoutMs: Number(form.dataset.dcTimeout) || 60000,
    });
    say('検証しました / Verified by the verifier', { 'data-progress': 'done' });
    location.assign(result.resultUrl);
  } catch (e) {
    button.disabled = false;
    const code = typeof e?.code === 'string' ? e.code : 'error';
    if (code === 'unsupported' || code === 'timed-out') return toBridge(code);
    const messages = new Map([
      ['declined', 'ウォレットで拒否されました / The wallet declined.'],
      ['protocol-mismatch', '求めていない形式の応答を拒否しました / An answer in a protocol the bank did not ask for was refused.'],
      ['rejected', '検証サービスが拒否しました / The verifier refused the answer'],
      ['network', '銀行のサーバーに届きません / The bank’s server could not be reached.'],
    ]);
    const attrs = { 'data-error': code };
    if (e?.problemCode) attrs['data-problem'] = e.problemCode;
    const message = REFUSALS.get(e?.problemCode) ?? messages.get(code) ?? 'エラー / Error';
    say(message + (e?.problemCode ? ': ' + e.problemCode : '') + ' (' + code + ')', attrs);
  }
});
`;
