/**
 * The holder's side of a bridged request in tests: what the bank, the carrier, the branch counter and the
 * clinic hand a phone waits on its consent screen (`/wallet/phones/<id>/incoming`) until the holder answers
 * there. These helpers wait for the request to appear and answer it through the wallet's own JSON routes —
 * the calls the phone's page makes.
 */
import type { IncomingRequestView } from '@mynakit/wallet';

/** A fetch against the sandbox (its URL, or `app.request`). */
export type SandboxFetch = (path: string, init?: RequestInit) => Promise<Response>;

/** A fetch against a running sandbox at `url`. */
export const sandboxFetch =
  (url: string): SandboxFetch =>
  (path, init) =>
    fetch(`${url}${path}`, init);

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/** Waits (bounded: ~20 s) until phone `phoneId` shows a request, and answers its view. */
export async function waitForIncoming(at: SandboxFetch, phoneId: string): Promise<IncomingRequestView> {
  for (let i = 0; i < 400; i++) {
    const res = await at(`/wallet/phones/${encodeURIComponent(phoneId)}/incoming`, {
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`the phone's incoming requests answered ${res.status}`);
    const { requests } = (await res.json()) as { requests: IncomingRequestView[] };
    if (requests.length > 0) return requests[0] as IncomingRequestView;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no request reached phone ${phoneId}`);
}

/** Everything the request offers: the elements the phone holds and does not withhold. */
export function everythingOffered(view: IncomingRequestView): Record<string, Record<string, string[]>> {
  const consent = new Map<string, Record<string, string[]>>();
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

/** How the holder answers. */
export type HolderAnswer =
  /** Approve what is offered (or `consent`) with the biometric (default matched). */
  | {
      readonly approve: true;
      readonly biometric?: 'matched' | 'failed';
      readonly consent?: Record<string, Record<string, string[]>>;
    }
  | { readonly decline: true };

/**
 * Waits for the request on phone `phoneId` and answers it as `answer` says; resolves with the request's
 * view and the phone's own answer (its status and JSON).
 */
export async function answerOnPhone(
  at: SandboxFetch,
  phoneId: string,
  answer: HolderAnswer = { approve: true },
): Promise<{ view: IncomingRequestView; status: number; body: Record<string, unknown> }> {
  const view = await waitForIncoming(at, phoneId);
  const base = `/wallet/phones/${encodeURIComponent(phoneId)}/incoming/${encodeURIComponent(view.id)}`;
  const res =
    'decline' in answer
      ? await at(`${base}/decline`, { method: 'POST', headers: JSON_HEADERS, body: '{}' })
      : await at(base, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: JSON.stringify({
            biometric: answer.biometric ?? 'matched',
            consent: answer.consent ?? everythingOffered(view),
          }),
        });
  return { view, status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * Runs `call` (a request that hands phone `phoneId` a request and waits for it) while the holder answers on
 * the phone; resolves with `call`'s result and the phone's answer.
 */
export async function withHolderAnswer<T>(
  at: SandboxFetch,
  phoneId: string,
  call: () => Promise<T>,
  answer: HolderAnswer = { approve: true },
): Promise<{ result: T; phone: Awaited<ReturnType<typeof answerOnPhone>> }> {
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

/** The part of a Playwright browser context the phone's page needs. */
interface OpensPages {
  newPage(): Promise<import('playwright-core').Page>;
}

/**
 * The holder answers on the phone's own page in Chromium: opens `/wallet/phones/<id>/incoming` of the
 * sandbox at `url` in a new tab of `context`, waits for the request, and approves what is ticked with a
 * matched biometric — or declines; the tab is closed after the phone says it sent (or declined).
 */
export async function answerOnPhonePage(
  context: OpensPages,
  url: string,
  phoneId: string,
  answer: 'approve' | 'decline' = 'approve',
): Promise<void> {
  const phone = await context.newPage();
  try {
    await phone.goto(`${url}/wallet/phones/${encodeURIComponent(phoneId)}/incoming`);
    if (answer === 'decline') {
      await phone.locator('button[data-decline]').first().click({ timeout: 20_000 });
      await phone.locator('[data-declined]').waitFor({ timeout: 20_000 });
      return;
    }
    await phone.locator('button[data-approve]').first().click({ timeout: 20_000 });
    await phone.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
    await phone.locator('[data-sent]').waitFor({ timeout: 20_000 });
  } finally {
    await phone.close();
  }
}
