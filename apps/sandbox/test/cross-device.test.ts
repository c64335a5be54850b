/**
 * The bank's account opening on another device (cross-device-pages.ts) through the sandbox's own routes: the
 * page opens a cross-device session with the bank's QR-code relying party (client id
 * `x509_san_dns:localhost`, sandbox-cross-device.ts), shows the QR code — which jsQR decodes to the link the
 * page prints — and the phone emulator's scan screen takes that link, shows the bank as the requester, and
 * after the biometric posts the answer; the page then shows the verified record, the honest "no method"
 * of an uncertified program and the letter a certified one would satisfy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossDeviceHost } from '../src/sandbox-cross-device.js';
import { decodeQrSvg } from './helpers/qr-decode.js';
import { field, installTwoPhones, type PageClient, startPageClient } from './helpers/two-phones.js';

/** What the phone's consent screen shows: its JSON route, as the wallet's request page calls it. */
interface PhoneScreen {
  code?: string;
  reader: { subject: string | null };
  clientId: string;
  documents: {
    docType: string;
    available: boolean;
    elements: { namespace: string; identifier: string; held: boolean; withheld: string | null }[];
  }[];
}

async function phoneScreen(
  client: PageClient,
  phoneId: string,
  link: string,
): Promise<{ status: number; body: PhoneScreen }> {
  const res = await fetch(`${client.sandbox.url}/wallet/phones/${phoneId}/openid4vp/screen`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ url: link }),
  });
  return { status: res.status, body: (await res.json()) as PhoneScreen };
}

/** The boxes of the consent screen (held, not withheld), ticked: the consent the page sends. */
function consentOf(screen: PhoneScreen): {
  count: number;
  consent: Record<string, Record<string, string[]>>;
} {
  let count = 0;
  const consent: Record<string, Record<string, string[]>> = {};
  for (const d of screen.documents) {
    if (!d.available) continue;
    for (const e of d.elements) {
      if (!e.held || e.withheld !== null) continue;
      consent[d.docType] ??= {};
      const ns = consent[d.docType] as Record<string, string[]>;
      ns[e.namespace] = [...(ns[e.namespace] ?? []), e.identifier];
      count++;
    }
  }
  return { count, consent };
}

const unescapeHtml = (text: string) => text.replaceAll('&amp;', '&').replaceAll('&quot;', '"');

describe('the bank on another device (QR code, OpenID4VP cross-device)', () => {
  let client: PageClient;

  beforeAll(async () => {
    client = await startPageClient('mynakit-sandbox-cross-device-');
    await installTwoPhones(client);
  }, 300_000);
  afterAll(async () => {
    await client?.close();
  });

  /** Opens a session from the start page's form; answers its page path. */
  async function open(): Promise<string> {
    const res = await client.form('/verifier/bank/cross-device/sessions', {
      transactionPurpose: 'living-expenses',
      occupation: 'company-employee',
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') as string;
    expect(location).toMatch(/^\/verifier\/bank\/cross-device\/sessions\/[A-Za-z0-9-]+$/);
    return location;
  }

  it('is linked from the landing page and the bank page', async () => {
    for (const path of ['/', '/verifier/bank/'])
      expect(await (await client.get(path)).text(), path).toContain('href="/verifier/bank/cross-device/"');
  });

  it('names the host a wallet can hold the sandbox to', () => {
    expect(crossDeviceHost('http://127.0.0.1:8080')).toBe('localhost');
    expect(crossDeviceHost('http://[::1]:8080')).toBe('localhost');
    expect(crossDeviceHost('http://Sandbox.Example:8080')).toBe('sandbox.example');
    expect(crossDeviceHost('http://192.0.2.10:8080')).toBeUndefined();
  });

  it('shows a QR code of the link, and the phone that opens it answers; the page shows the verified record', async () => {
    const start = await client.get('/verifier/bank/cross-device/');
    expect(start.status).toBe(200);
    const startPage = await start.text();
    expect(startPage).toContain('name="transactionPurpose"');
    expect(startPage).toContain('name="occupation"');

    const path = await open();
    const qrPage = await (await client.get(path)).text();
    const svg = /<div class="qr" data-qr>(<svg[\s\S]*?<\/svg>)<\/div>/.exec(qrPage)?.[1] as string;
    const link = unescapeHtml(
      /<code class="link" data-wallet-url>([^<]+)<\/code>/.exec(qrPage)?.[1] as string,
    );
    const port = new URL(client.sandbox.url).port;
    const sessionId = path.split('/').at(-1) as string;
    expect(link).toBe(
      `openid4vp://?client_id=x509_san_dns%3Alocalhost&request_uri=${encodeURIComponent(`http://localhost:${port}/sessions/${sessionId}/request-object`)}`,
    );
    // The QR code holds exactly the link the page prints.
    expect(decodeQrSvg(svg)?.data).toBe(link);
    // One labelled button per phone hands the link to its scan screen.
    const open_ = /data-open-on="iphone"[^>]*href="([^"]+)"/.exec(qrPage)?.[1] as string;
    expect(unescapeHtml(open_)).toBe(`/wallet/phones/iphone/openid4vp?url=${encodeURIComponent(link)}`);
    expect(qrPage).toContain('data-open-on="android"');
    expect(await (await client.get(`${path}/state`)).json()).toEqual({ state: 'pending' });

    // The phone reads the request: the bank's cross-device party, named by its certificate.
    const consent = await client.get(unescapeHtml(open_));
    expect(consent.status).toBe(200);
    expect(consent.headers.get('content-type')).toContain('text/html');
    const screen = await phoneScreen(client, 'iphone', link);
    expect(screen.status).toBe(200);
    expect(screen.body.reader.subject).toContain('Sandbox Bank');
    expect(screen.body.clientId).toBe('x509_san_dns:localhost');
    const ticked = consentOf(screen.body);
    expect(ticked.count).toBeGreaterThanOrEqual(4);
    const sent = await fetch(`${client.sandbox.url}/wallet/phones/iphone/openid4vp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: link, biometric: 'matched', consent: ticked.consent }),
    });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { sent: boolean }).sent).toBe(true);

    expect(await (await client.get(`${path}/state`)).json()).toEqual({ state: 'done' });
    const result = await client.get(path);
    expect(result.status).toBe(200);
    const page = await result.text();
    expect(page).toContain('data-answered-by="cross-device"');
    expect(page).toContain('data-verdict="valid"');
    expect(field(page, 'name')).toBeTruthy();
    expect(field(page, 'address')).toBeTruthy();
    expect(page).toContain('data-method="none"');
    expect(page).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(page).toMatch(/data-method-if-certified="[^"]+"/);
    expect(page).toMatch(/data-check="response\.decrypt"><td>[^<]+<\/td><td class="passed"/);
    expect(page).toMatch(/data-record="[^"]+"/);
    // What the customer declared is shown beside the record that keeps it.
    expect(page).toContain('data-field="transactionPurpose" data-code="living-expenses"');
    expect(page).toContain('data-field="occupation" data-code="company-employee"');
    // The page keeps what it read: a reload shows the record again.
    expect(field(await (await client.get(path)).text(), 'name')).toBe(field(page, 'name'));

    // The used session's QR code is refused by the other phone with the wallet's code.
    const again = await phoneScreen(client, 'android', link);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('WALLET_REQUEST_INVALID');
  }, 120_000);

  it('shows only sessions it opened, and a phone of this sandbox reaches no other host', async () => {
    const unknown = await client.get(
      '/verifier/bank/cross-device/sessions/00000000-0000-0000-0000-000000000000',
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('data-error="no-session"');
    expect(
      (await client.get('/verifier/bank/cross-device/sessions/00000000-0000-0000-0000-000000000000/state'))
        .status,
    ).toBe(404);
    const elsewhere = `openid4vp://?client_id=x509_san_dns%3Aexample.com&request_uri=${encodeURIComponent('https://example.com/request-object')}`;
    const refused = await phoneScreen(client, 'iphone', elsewhere);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('WALLET_REQUEST_INVALID');
    // A purpose not on the verifier's list is not sent, and the verifier refuses the session with its code.
    const bad = await client.form('/verifier/bank/cross-device/sessions', {
      transactionPurpose: 'nothing-of-the-list',
      occupation: 'company-employee',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('data-error="VERIFIER_TRANSACTION_PURPOSE_REQUIRED"');
  }, 60_000);
});
