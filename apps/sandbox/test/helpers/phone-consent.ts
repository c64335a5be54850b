/**
 * The holder's side of a bridged request in tests: what the bank, the carrier, the branch counter, the
 * clinic and the portal hand a phone waits on its consent screen (`/wallet/phones/<id>/incoming`) until the
 * holder answers there — a request for the record (approved with the biometric and the elements ticked), a
 * JPKI signing request (signed with the signature password typed on the phone) or a JPKI user
 * authentication (the auth PIN typed on the phone's pad, `{pin}`, or the biometric, `{biometric,
 * authentication: true}`). These helpers wait for the request to
 * appear and answer it through the wallet's own JSON routes — the calls the phone's page makes — or on the
 * phone's page itself in Chromium.
 */
import type {
  IncomingRequestSummary,
  IncomingRequestView,
  JpkiSignatureIncomingRequestView,
  JpkiUserAuthenticationIncomingRequestView,
  MdocIncomingRequestView,
} from '@mynakit/wallet';

/** A fetch against the sandbox (its URL, or `app.request`). */
export type SandboxFetch = (path: string, init?: RequestInit) => Promise<Response>;

/** A fetch against a running sandbox at `url`. */
export const sandboxFetch =
  (url: string): SandboxFetch =>
  (path, init) =>
    fetch(`${url}${path}`, init);

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/**
 * Waits (bounded: ~20 s) until phone `phoneId` lists a request (its summary), and answers its full view as
 * the phone's screen reads it (`…/incoming/<request>`).
 */
export async function waitForIncoming(at: SandboxFetch, phoneId: string): Promise<IncomingRequestView> {
  const incoming = `/wallet/phones/${encodeURIComponent(phoneId)}/incoming`;
  for (let i = 0; i < 400; i++) {
    const res = await at(incoming, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`the phone's incoming requests answered ${res.status}`);
    const { requests } = (await res.json()) as { requests: IncomingRequestSummary[] };
    const first = requests[0];
    if (first !== undefined) {
      const view = await at(`${incoming}/${encodeURIComponent(first.id)}`, {
        headers: { accept: 'application/json' },
      });
      if (view.ok) return (await view.json()) as IncomingRequestView;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no request reached phone ${phoneId}`);
}

/**
 * Everything the request offers: the elements the phone holds and does not withhold (nothing for a signing
 * request, which asks no elements).
 */
export function everythingOffered(view: IncomingRequestView): Record<string, Record<string, string[]>> {
  const consent = new Map<string, Record<string, string[]>>();
  if (view.channel === 'jpki-signature' || view.channel === 'jpki-user-authentication') return {};
  for (const d of view.documents) {
    if (!d.available) continue;
    const namespaces = new Map<string, string[]>();
    for (const e of d.elements)
      if (e.held && e.withheld === null)
        namespaces.set(e.namespace, [...(namespaces.get(e.namespace) ?? []), e.identifier]);
    consent.set(d.docType, Object.fromEntries(namespaces));
  }
  return Object.fromEntries(consent);
}

/** How the holder answers a request for the record. */
export type RecordAnswer =
  /** Approve what is offered (or `consent`) with the biometric (default matched). */
  | {
      readonly approve: true;
      readonly biometric?: 'matched' | 'failed';
      readonly consent?: Record<string, Record<string, string[]>>;
    }
  | { readonly decline: true; readonly signature?: false; readonly authentication?: false };

/** How the holder answers a JPKI signing request: the signature password typed on the phone, or a no. */
export type SignatureAnswer =
  | { readonly password: string }
  | { readonly decline: true; readonly signature: true; readonly authentication?: false };

/**
 * How the holder answers a JPKI user authentication: the auth PIN typed on the phone's pad, the biometric
 * (`authentication: true` tells it from a record's approval), or a no.
 */
export type AuthenticationAnswer =
  | { readonly pin: string }
  | { readonly biometric: 'matched' | 'failed'; readonly authentication: true }
  | { readonly decline: true; readonly authentication: true; readonly signature?: false };

/** How the holder answers. */
export type HolderAnswer = RecordAnswer | SignatureAnswer | AuthenticationAnswer;

/** The request's view as the answer expects it: a signing request's for a signature answer, … */
export type ViewFor<A extends HolderAnswer> = A extends SignatureAnswer
  ? JpkiSignatureIncomingRequestView
  : A extends AuthenticationAnswer
    ? JpkiUserAuthenticationIncomingRequestView
    : MdocIncomingRequestView;

/** The phone's answer: the request's view, the status and JSON of the phone's own route. */
export interface PhoneAnswer<A extends HolderAnswer> {
  readonly view: ViewFor<A>;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Whether `answer` answers a signing request. */
const isSignatureAnswer = (answer: HolderAnswer): answer is SignatureAnswer =>
  'password' in answer || ('decline' in answer && answer.signature === true);

/** Whether `answer` answers a user authentication. */
const isAuthenticationAnswer = (answer: HolderAnswer): answer is AuthenticationAnswer =>
  'pin' in answer || ('authentication' in answer && answer.authentication === true);

/** The channel of the requests `answer` answers. */
const channelFor = (answer: HolderAnswer): 'jpki-signature' | 'jpki-user-authentication' | 'record' =>
  isSignatureAnswer(answer)
    ? 'jpki-signature'
    : isAuthenticationAnswer(answer)
      ? 'jpki-user-authentication'
      : 'record';

/**
 * Waits for the request on phone `phoneId` and answers it as `answer` says (a signature answer only a
 * signing request, a record answer only a request for the record); resolves with the request's view and the
 * phone's own answer (its status and JSON).
 */
export async function answerOnPhone<A extends HolderAnswer = RecordAnswer>(
  at: SandboxFetch,
  phoneId: string,
  answer: A = { approve: true } as A,
): Promise<PhoneAnswer<A>> {
  const view = await waitForIncoming(at, phoneId);
  const shown =
    view.channel === 'jpki-signature' || view.channel === 'jpki-user-authentication'
      ? view.channel
      : 'record';
  if (shown !== channelFor(answer))
    throw new Error(`phone ${phoneId} shows a ${view.channel} request, not what the answer is for`);
  const base = `/wallet/phones/${encodeURIComponent(phoneId)}/incoming/${encodeURIComponent(view.id)}`;
  const post = (path: string, body: unknown) =>
    at(path, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  const res =
    'decline' in answer
      ? await post(`${base}/decline`, {})
      : 'password' in answer
        ? await post(base, { password: answer.password })
        : 'pin' in answer
          ? await post(base, { pin: answer.pin })
          : 'authentication' in answer
            ? await post(base, { biometric: answer.biometric })
            : await post(base, {
                biometric: answer.biometric ?? 'matched',
                consent: answer.consent ?? everythingOffered(view),
              });
  return {
    view: view as ViewFor<A>,
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
  };
}

/**
 * Runs `call` (a request that hands phone `phoneId` a request and waits for it) while the holder answers on
 * the phone; resolves with `call`'s result and the phone's answer.
 */
export async function withHolderAnswer<T, A extends HolderAnswer = RecordAnswer>(
  at: SandboxFetch,
  phoneId: string,
  call: () => Promise<T>,
  answer: A = { approve: true } as A,
): Promise<{ result: T; phone: PhoneAnswer<A> }> {
  const pending = call();
  // A call refused before the phone is asked ends first: no request ever appears, so the wait is not awaited.
  // Only the request's appearing is raced: an answer the phone refuses ends the call as soon as it is given.
  const raced = await Promise.race([
    pending.then(() => true),
    waitForIncoming(at, phoneId).then(() => false),
  ]);
  if (raced) throw new Error('the call ended before the phone was asked');
  const phone = await answerOnPhone(at, phoneId, answer);
  return { result: await pending, phone };
}

/**
 * Runs `call` while the holder answers the requests it hands phone `phoneId` one after the other, each with
 * the next of `answers` (e.g. the clinic's iPhone: the user authentication with the biometric, then the face
 * check's request for the record); resolves with `call`'s result and the phone's answers, in order.
 */
export async function withHolderAnswers<T>(
  at: SandboxFetch,
  phoneId: string,
  call: () => Promise<T>,
  answers: readonly HolderAnswer[],
): Promise<{ result: T; phones: PhoneAnswer<HolderAnswer>[] }> {
  const pending = call();
  const phones: PhoneAnswer<HolderAnswer>[] = [];
  for (const answer of answers) {
    const raced = await Promise.race([
      pending.then(() => true),
      waitForIncoming(at, phoneId).then(() => false),
    ]);
    if (raced) throw new Error(`the call ended before the phone was asked ${phones.length + 1} time(s)`);
    phones.push(await answerOnPhone(at, phoneId, answer));
  }
  return { result: await pending, phones };
}

/** The part of a Playwright browser context the phone's page needs. */
interface OpensPages {
  newPage(): Promise<import('playwright-core').Page>;
}

/**
 * The holder answers on the phone's own page in Chromium: opens `/wallet/phones/<id>/incoming` of the
 * sandbox at `url` in a new tab of `context`, waits for the request, and approves what is ticked with a
 * matched biometric (`'approve'`), signs with the signature password typed on the phone (`{password}`:
 * fills `input[name="password"]` and presses 署名する), answers a user authentication with the auth PIN typed
 * on the phone's pad (`{pin}`: fills `input[name="pin"]` and presses the approve button) or with a matched
 * biometric (`{biometric: 'matched', authentication: true}`: `button[data-use-biometric]`, then the prompt),
 * or declines; the tab is closed after the phone says it sent (or declined).
 */
export async function answerOnPhonePage(
  context: OpensPages,
  url: string,
  phoneId: string,
  answer:
    | 'approve'
    | 'decline'
    | { readonly password: string }
    | { readonly pin: string }
    | { readonly biometric: 'matched'; readonly authentication: true } = 'approve',
  /** `screenshot`: where to save the consent screen as a 390 px wide phone shows it, before answering. */
  options: { readonly screenshot?: string } = {},
): Promise<void> {
  const phone = await context.newPage();
  try {
    if (options.screenshot !== undefined) await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${url}/wallet/phones/${encodeURIComponent(phoneId)}/incoming`);
    if (options.screenshot !== undefined) {
      await phone.locator('section[data-incoming]').waitFor({ timeout: 20_000 });
      await phone.screenshot({ path: options.screenshot, fullPage: true });
    }
    if (answer === 'decline') {
      await phone.locator('button[data-decline]').first().click({ timeout: 20_000 });
      await phone.locator('[data-declined]').waitFor({ timeout: 20_000 });
      return;
    }
    if (typeof answer === 'object' && 'authentication' in answer) {
      await phone.locator('button[data-use-biometric]').first().click({ timeout: 20_000 });
      await phone.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
      await phone.locator('[data-sent]').waitFor({ timeout: 20_000 });
      return;
    }
    if (typeof answer === 'object' && 'pin' in answer) {
      await phone.locator('input[name="pin"]').fill(answer.pin, { timeout: 20_000 });
      await phone.locator('button[data-approve]').first().click();
      await phone.locator('[data-sent]').waitFor({ timeout: 20_000 });
      return;
    }
    if (answer !== 'approve') {
      await phone.locator('input[name="password"]').fill(answer.password, { timeout: 20_000 });
      await phone.locator('button[data-approve]').first().click();
      await phone.locator('[data-sent]').waitFor({ timeout: 20_000 });
      return;
    }
    await phone.locator('button[data-approve]').first().click({ timeout: 20_000 });
    await phone.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
    await phone.locator('[data-sent]').waitFor({ timeout: 20_000 });
  } finally {
    await phone.close();
  }
}
