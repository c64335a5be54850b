/**
 * The bank's account opening on another device (cross-device-pages.ts) through the sandbox's page and its JSON
 * routes under `/verifier/bank/cross-device/api/`: the page opens a cross-device session with the bank's
 * QR-code relying party (client id `x509_san_dns:localhost`, sandbox-cross-device.ts), shows the QR code —
 * which jsQR decodes to the link the page prints — and the phone emulator's scan screen takes that link, shows
 * the bank as the requester, and after the biometric posts the answer; the page then shows the verified
 * record, the honest "no method" of an uncertified program and the letter a certified one would satisfy. Bad
 * input gets a stable code and nothing of it echoed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossDeviceHost } from '../src/sandbox-cross-device.js';
import { decodeQrSvg } from './helpers/qr-decode.js';
import { installTwoPhones, type PageClient, startPageClient } from './helpers/two-phones.js';

// biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely and asserted field by field
type Json = any;

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

describe('the bank on another device (QR code, OpenID4VP cross-device)', () => {
  let client: PageClient;

  beforeAll(async () => {
    client = await startPageClient('mynakit-sandbox-cross-device-');
    await installTwoPhones(client);
  }, 300_000);
  afterAll(async () => {
    await client?.close();
  });

  /** A JSON POST as the page sends it: its status, the raw text and the body. */
  async function post(path: string, body: unknown): Promise<{ status: number; text: string; body: Json }> {
    const res = await fetch(`${client.sandbox.url}/verifier/bank/cross-device/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, body: json };
  }

  /** Opens a session as the start page does; answers the session's address (its page). */
  async function open(): Promise<string> {
    const res = await post('sessions', {
      transactionPurpose: { code: 'living-expenses' },
      occupation: { code: 'company-employee' },
    });
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    const path = `/verifier/bank/cross-device/sessions/${res.body.sessionId}`;
    expect(path).toMatch(/^\/verifier\/bank\/cross-device\/sessions\/[A-Za-z0-9-]+$/);
    return path;
  }

  /** A session's view from the page's route. */
  const sessionView = async (path: string): Promise<{ status: number; body: Json }> => {
    const res = await client.get(path.replace('/cross-device/sessions/', '/cross-device/api/sessions/'));
    return { status: res.status, body: await res.json() };
  };

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

  it('serves its built page at its folder and at a session’s address, with the declaration lists', async () => {
    const start = await client.get('/verifier/bank/cross-device/');
    expect(start.status).toBe(200);
    expect(start.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await start.text();
    expect(html).toContain('lang="ja"');
    expect(html).not.toContain('data-page-not-built');
    const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)?.[1] as string;
    expect(script).toBeDefined();
    const js = await (await client.get(`/verifier/bank/cross-device/${script}`)).text();
    for (const label of ['QRコードを表示', 'Show the QR code', 'data-open-on', 'cross-device-status'])
      expect(js.includes(label), label).toBe(true);
    const lists = (await (await client.get('/verifier/bank/cross-device/api/start')).json()) as Json;
    expect(lists.available).toBe(true);
    expect(lists.purposes).toContainEqual(expect.objectContaining({ code: 'living-expenses' }));
    expect(lists.occupations).toContainEqual(expect.objectContaining({ code: 'company-employee' }));
    // A session's address is the page too, its assets one folder up.
    const path = await open();
    const sessionPage = await client.get(path);
    expect(sessionPage.status).toBe(200);
    expect(sessionPage.headers.get('content-security-policy')).toContain("script-src 'self'");
    const sessionHtml = await sessionPage.text();
    expect(sessionHtml).toContain(`src="../${script}"`);
    expect((await client.get(`/verifier/bank/cross-device/${script}`)).status).toBe(200);
  });

  it('shows a QR code of the link, and the phone that opens it answers; the page shows the verified record', async () => {
    const path = await open();
    const pending = await sessionView(path);
    expect(pending.status).toBe(200);
    expect(pending.body.state).toBe('pending');
    const svg = pending.body.qrSvg as string;
    const link = pending.body.walletUrl as string;
    const port = new URL(client.sandbox.url).port;
    const sessionId = path.split('/').at(-1) as string;
    expect(link).toBe(
      `openid4vp://?client_id=x509_san_dns%3Alocalhost&request_uri=${encodeURIComponent(`http://localhost:${port}/sessions/${sessionId}/request-object`)}`,
    );
    // The QR code holds exactly the link the page prints, and the SVG never the link's text.
    expect(decodeQrSvg(svg)?.data).toBe(link);
    expect(svg).not.toContain('openid4vp');
    // The phones the page hands the link to, each to its scan screen.
    expect(pending.body.phones).toEqual(
      expect.arrayContaining([
        { id: 'iphone', family: 'iphone' },
        { id: 'android', family: 'android' },
      ]),
    );
    const open_ = `/wallet/phones/iphone/openid4vp?url=${encodeURIComponent(link)}`;
    expect(await (await client.get(`${path}/state`)).json()).toEqual({ state: 'pending' });
    expect(await (await client.get(path.replace('/sessions/', '/api/sessions/') + '/state')).json()).toEqual({
      state: 'pending',
    });

    // The phone reads the request: the bank's cross-device party, named by its certificate.
    const consent = await client.get(open_);
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
    const result = await sessionView(path);
    expect(result.status).toBe(200);
    const view = result.body;
    expect(view.state).toBe('done');
    expect(view.answeredBy).toBe('cross-device');
    expect(view.verdict).toBe('valid');
    expect(view.identity.name).toBeTruthy();
    expect(view.identity.address).toBeTruthy();
    expect(view.method).toBeNull();
    expect(view.methodReasons).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(view.methodIfCertified?.id).toMatch(/\S/);
    expect(
      (view.checks as { id: string; status: string }[]).find((k) => k.id === 'response.decrypt')?.status,
    ).toBe('passed');
    expect(view.recordId).toMatch(/\S/);
    // What the customer declared is shown beside the record that keeps it.
    expect(view.declared.transactionPurpose.code).toBe('living-expenses');
    expect(view.declared.occupation.code).toBe('company-employee');
    // The page keeps what it read: a reload shows the record again.
    expect((await sessionView(path)).body.identity.name).toBe(view.identity.name);
    expect((await client.get(path)).status).toBe(200);

    // The used session's QR code is refused by the other phone with the wallet's code.
    const again = await phoneScreen(client, 'android', link);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('WALLET_REQUEST_INVALID');
  }, 120_000);

  it('shows only sessions it opened, and a phone of this sandbox reaches no other host', async () => {
    const unknown = '/verifier/bank/cross-device/sessions/00000000-0000-0000-0000-000000000000';
    expect((await client.get(unknown)).status).toBe(404);
    const view = await sessionView(unknown);
    expect(view.status).toBe(404);
    expect(view.body.code).toBe('CROSS_DEVICE_NO_SESSION');
    expect((await client.get(`${unknown}/state`)).status).toBe(404);
    const elsewhere = `openid4vp://?client_id=x509_san_dns%3Aexample.com&request_uri=${encodeURIComponent('https://example.com/request-object')}`;
    const refused = await phoneScreen(client, 'iphone', elsewhere);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('WALLET_REQUEST_INVALID');
    // A purpose not on the verifier's list is not sent, and the verifier refuses the session with its code.
    const bad = await post('sessions', {
      transactionPurpose: { code: 'nothing-of-the-list' },
      occupation: { code: 'company-employee' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('CROSS_DEVICE_NOT_OPENED');
    expect(bad.body.reason).toBe('VERIFIER_TRANSACTION_PURPOSE_REQUIRED');
    expect(bad.text).not.toContain('nothing-of-the-list');
  }, 60_000);

  it('answers bad input with a stable code and echoes nothing of it', async () => {
    const asForm = await client.form('/verifier/bank/cross-device/api/sessions', {
      transactionPurpose: 'living-expenses',
    });
    expect(asForm.status).toBe(415);
    expect(((await asForm.json()) as Json).code).toBe('CROSS_DEVICE_JSON_REQUIRED');
    const cases: [unknown, number, string][] = [
      ['{"transactionPurpose": ', 400, 'CROSS_DEVICE_INVALID_REQUEST'],
      ['"secret-word-1"', 400, 'CROSS_DEVICE_INVALID_REQUEST'],
      [{ filler: 'secret-word-2'.repeat(100) }, 400, 'CROSS_DEVICE_INVALID_REQUEST'],
      [
        {
          transactionPurpose: { code: 'living-expenses', detail: 'secret-word-3' },
          occupation: { code: 'secret-word-4' },
        },
        400,
        'CROSS_DEVICE_NOT_OPENED',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await post('sessions', body);
      expect(res.status, String(body).slice(0, 40)).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.text).not.toContain('secret-word');
    }
    for (const id of ['..%2f..%2fetc', 'a'.repeat(65), 'secret-word-5<b>']) {
      const res = await client.get(`/verifier/bank/cross-device/api/sessions/${id}`);
      expect(res.status, id).toBe(404);
      expect(await res.text()).not.toContain('secret-word');
    }
    const unknownRoute = await client.get('/verifier/bank/cross-device/api/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(((await unknownRoute.json()) as Json).code).toBe('CROSS_DEVICE_NOT_FOUND');
  }, 60_000);
});
