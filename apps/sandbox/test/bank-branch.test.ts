/**
 * The bank's branch counter through the sandbox's page and its JSON routes under `/verifier/bank/branch/api/`,
 * against a started sandbox: staff read each phone family in person over ISO/IEC 18013-5 proximity — the
 * verifier service is the reader and writes the record — see the photo and facts, confirm the face, and see
 * the record with why no KYC letter applies to a face-to-face read; a confirmation is used once; bad input
 * gets a stable code and nothing of it echoed; the verifier's page, the landing page and the support matrix
 * link the counter.
 *
 * The consent is the customer's: every read waits on the phone's consent screen (`/wallet/phones/<id>/incoming`)
 * until the customer answers there (helpers/phone-consent.ts, the calls the phone's page makes). The screen
 * names the bank's reader from its reader authentication and lists the four elements the bank keeps; a
 * decline is BRANCH_NOT_READ with reason WALLET_DECLINED — the verifier saw the session end without an
 * answer (VERIFIER_PROXIMITY_DECLINED), wrote no record, and the phone's history holds nothing; a failed
 * biometric leaves the request on the screen for another try; the counter cannot send a biometric itself.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDeviceRequest, buildJpMncRequest, JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import {
  ProximityReaderSession,
  parseDeviceEngagementUri,
  webSocketTransport,
  webSocketUrlOf,
} from '@mynakit/oid4vp';
import { DEFAULT_PROXIMITY_TIMEOUT_SECONDS } from '@mynakit/verifier';
import type { IncomingRequestSummary } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BRANCH_ELEMENTS } from '../src/bank-branch-pages.js';
import { verifierCall } from '../src/jpki-page-parts.js';
import { readRecordOverProximity } from '../src/proximity-read.js';
import { SANDBOX_BANK_CLIENT_ID } from '../src/sandbox-bank.js';
import { answerOnPhone, type SandboxFetch, sandboxFetch, withHolderAnswer } from './helpers/phone-consent.js';
import { installTwoPhones, type PageClient, startPageClient } from './helpers/two-phones.js';

let client: PageClient;
let at: SandboxFetch;

// biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely and asserted field by field
type Json = any;

/** What the customer declares at the counter, as the page sends it. */
const DECLARED = {
  transactionPurpose: { code: 'salary-or-pension' },
  occupation: { code: 'public-servant' },
};

/** A JSON POST as the counter's page sends it: its status, the raw text and the body. */
async function post(path: string, body: unknown): Promise<{ status: number; text: string; body: Json }> {
  const res = await fetch(`${client.sandbox.url}/verifier/bank/branch/api/${path}`, {
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

/** The status of check `id` in an answer. */
const checkOf = (view: Json, id: string): string | undefined =>
  (view.checks as { id: string; status: string }[]).find((k) => k.id === id)?.status;

/** A read at the counter while the customer answers on `phone` (approves with a matched biometric). */
const readApproved = async (phone: string, body: Record<string, unknown> = { phone, ...DECLARED }) =>
  (await withHolderAnswer(at, phone, () => post('read', body))).result;

beforeAll(async () => {
  client = await startPageClient('mynakit-sandbox-branch-');
  at = sandboxFetch(client.sandbox.url);
  await installTwoPhones(client);
}, 180_000);
afterAll(async () => {
  await client?.close();
});

describe('the bank’s branch counter (窓口)', () => {
  it('serves its built page, lists the phones and the declaration lists; the relying parties page and the landing page link it', async () => {
    const counter = await client.get('/verifier/bank/branch/');
    expect(counter.status).toBe(200);
    expect(counter.headers.get('content-security-policy')).toContain("script-src 'self'");
    const text = await counter.text();
    expect(text).toContain('lang="ja"');
    expect(text).not.toContain('data-page-not-built');
    const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(text)?.[1];
    expect(script).toBeDefined();
    const js = await (await client.get(`/verifier/bank/branch/${script}`)).text();
    for (const label of ['data-phone-form', 'ブリッジ経由', 'through the bridge', '顔写真と一致', 'bridge'])
      expect(js.includes(label), label).toBe(true);
    // The steps' addresses are the page too (a reload starts again at the counter).
    for (const step of ['read', 'confirm']) {
      const again = await client.get(`/verifier/bank/branch/${step}`);
      expect(again.status, step).toBe(200);
      expect(await again.text()).toContain(script);
    }
    const listed = await client.get('/verifier/bank/branch/api/counter');
    expect(listed.status).toBe(200);
    const lists = (await listed.json()) as Json;
    expect(lists.phones).toEqual(
      expect.arrayContaining([
        { id: 'iphone', family: 'iphone', answeredBy: 'bridge' },
        { id: 'android', family: 'android', answeredBy: 'bridge' },
      ]),
    );
    expect(lists.purposes).toContainEqual(expect.objectContaining({ code: 'salary-or-pension' }));
    expect(lists.occupations).toContainEqual(expect.objectContaining({ code: 'public-servant' }));
    expect(await (await client.get('/verifier/')).text()).toContain('href="/verifier/bank/branch/"');
    const landing = await (await client.get('/')).text();
    expect(landing).toContain('href="/verifier/bank/branch/"');
    expect(landing).toContain(
      'the bank&#39;s branch counter and the clinic&#39;s desk read the phone emulator',
    );
  });

  for (const phone of ['iphone', 'android'])
    it(`reads the ${phone} in person: photo and facts, the face confirmed, the record and why no letter applies`, async () => {
      const { status, text, body } = await readApproved(phone);
      expect(status, text.slice(0, 600)).toBe(200);
      expect(body.verdict).toBe('valid');
      expect(body.channel).toBe('proximity');
      expect(body.phone).toEqual({ id: phone, family: phone, answeredBy: 'bridge' });
      expect(body.identity.portrait).toMatch(/^[A-Za-z0-9+/=]+$/);
      for (const name of ['name', 'address', 'birthDate']) expect(body.identity[name], name).toBeTruthy();
      expect(checkOf(body, 'device.signature')).toBe('passed');
      expect(checkOf(body, 'status.revocation')).toBe('passed');
      const recordId = body.recordId as string;
      expect(recordId).toBeTruthy();
      const token = body.read as string;
      expect(token).toMatch(/\S/);

      const confirmed = await post('confirm', { read: token, face: 'match' });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.face).toBe('match');
      expect(confirmed.body.name).toBe(body.identity.name);
      expect(confirmed.body.recordId).toBe(recordId);
      expect(confirmed.body.method).toBeNull();
      expect(confirmed.body.methodReasons).toContain('KYC_IN_PERSON_NOT_TABULATED');
      expect(confirmed.body.declared.transactionPurpose.name_ja).toBe('給与受取・年金受取');
      expect(confirmed.body.declared.occupation.name_ja).toBe('公務員');
      // The confirmation keeps no photo.
      expect(confirmed.text).not.toContain(body.identity.portrait.slice(0, 40));
      expect(confirmed.body).not.toHaveProperty('identity');

      // A confirmation is used once.
      const again = await post('confirm', { read: token, face: 'match' });
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('BRANCH_READ_UNKNOWN');
    }, 60_000);

  it('says the face does not match when staff say so', async () => {
    const { body } = await readApproved('iphone');
    const refused = await post('confirm', { read: body.read, face: 'mismatch' });
    expect(refused.status).toBe(200);
    expect(refused.body.face).toBe('mismatch');
    expect(refused.body.name).toBeNull();
  }, 60_000);

  it('gives the phone’s code when the customer declines on the phone, the verifier’s without the occupation, and refuses a request without a phone', async () => {
    const { result: declined } = await withHolderAnswer(
      at,
      'android',
      () => post('read', { phone: 'android', ...DECLARED }),
      { decline: true },
    );
    expect(declined.status).toBe(422);
    expect(declined.body.code).toBe('BRANCH_NOT_READ');
    expect(declined.body.reason).toBe('WALLET_DECLINED');
    // 取引時確認 under 犯収法: the verifier refuses the read without the customer's occupation, before the
    // phone is asked.
    const undeclared = await post('read', {
      phone: 'iphone',
      transactionPurpose: DECLARED.transactionPurpose,
    });
    expect(undeclared.status).toBe(422);
    expect(undeclared.body.code).toBe('BRANCH_NOT_READ');
    expect(undeclared.body.reason).toBe('VERIFIER_OCCUPATION_REQUIRED');
    const none = await post('read', { phone: 'nokia<b>' });
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('BRANCH_NO_PHONE');
    expect(none.text).not.toContain('nokia');
  }, 60_000);

  it('answers bad input with a stable code and echoes nothing of it', async () => {
    const asForm = await client.form('/verifier/bank/branch/api/read', { phone: 'iphone' });
    expect(asForm.status).toBe(415);
    expect(((await asForm.json()) as Json).code).toBe('BRANCH_JSON_REQUIRED');
    const cases: [string, unknown, number, string][] = [
      ['read', '{"phone": "iphone", ', 400, 'BRANCH_INVALID_REQUEST'],
      ['read', '["iphone"]', 400, 'BRANCH_INVALID_REQUEST'],
      ['read', { phone: 'iphone', biometric: 'secret-word-1' }, 400, 'BRANCH_BIOMETRIC_ON_PHONE'],
      ['read', { phone: 'iphone', filler: 'x'.repeat(2000) }, 400, 'BRANCH_INVALID_REQUEST'],
      ['confirm', { read: 'secret-word-2', face: 'match' }, 404, 'BRANCH_READ_UNKNOWN'],
      [
        'confirm',
        { read: '00000000-0000-0000-0000-000000000000', face: 'secret-word-3' },
        400,
        'BRANCH_INVALID_REQUEST',
      ],
      ['nothing-here', {}, 404, 'BRANCH_NOT_FOUND'],
    ];
    for (const [path, body, status, code] of cases) {
      const res = await post(path, body);
      expect(res.status, `${path} ${String(body).slice(0, 40)}`).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.text).not.toMatch(/secret-word|xxxx/);
    }
    // A declared detail is the customer's: a refused read does not echo it either.
    const detailed = await post('read', {
      phone: 'iphone',
      transactionPurpose: { code: 'salary-or-pension', detail: 'secret-word-4' },
    });
    expect(detailed.status).toBe(422);
    expect(detailed.text).not.toContain('secret-word');
  }, 60_000);
});

/** The requests waiting on phone `phone`'s consent screen (their summaries). */
const waitingOn = async (phone: string): Promise<IncomingRequestSummary[]> =>
  (
    (await (
      await at(`/wallet/phones/${phone}/incoming`, { headers: { accept: 'application/json' } })
    ).json()) as { requests: IncomingRequestSummary[] }
  ).requests;

/** The phone's presentation history (element names, whom, when). */
const historyOf = async (phone: string): Promise<Json[]> =>
  ((await (await client.get(`/wallet/phones/${phone}/history`)).json()) as Json).presentations;

/** How many verification records the verifier holds (every relying party's). */
const recordCount = async (): Promise<number> =>
  ((await (await client.get('/verifier/auditor/api/chains')).json()) as Json).counts.records;

describe('the consent at the counter is the customer’s, on the phone', () => {
  it('the phone’s screen names the bank’s reader, over proximity with no origin, and lists the four elements the bank keeps', async () => {
    const before = await historyOf('android');
    const { result, phone } = await withHolderAnswer(at, 'android', () =>
      post('read', { phone: 'android', ...DECLARED }),
    );
    const { view } = phone;
    expect(view.channel).toBe('iso-18013-5-proximity');
    expect(view.origin).toBeNull();
    expect(view.phone).toEqual({ id: 'android', family: 'android' });
    // The phone shows the request for as long as the reader waits (the verifier's configured proximity
    // timeout), not for its own longer wait.
    expect(Date.parse(view.expiresAt) - Date.parse(view.receivedAt)).toBeLessThanOrEqual(
      DEFAULT_PROXIMITY_TIMEOUT_SECONDS * 1000,
    );
    // Reader authentication (ISO/IEC 18013-5 §9.1.4): the bank's reader certificate, by the sandbox reader CA.
    expect(view.reader.authentication).toBe('verified');
    expect(view.reader.subject).toBe('O=サンドボックス銀行 / Sandbox Bank, CN=bank.sandbox-mynakit.invalid');
    expect(view.reader.myNumberLegalBasis).toBeNull();
    expect(view.documents).toHaveLength(1);
    const [doc] = view.documents;
    expect(doc?.available).toBe(true);
    const [namespace, elements] = Object.entries(BRANCH_ELEMENTS)[0] as [string, string[]];
    // 取引時確認 under 犯収法: the bank keeps what it reads, and the screen says so of each element.
    expect(
      doc?.elements.map((e) => [e.namespace, e.identifier, e.intentToRetain, e.held, e.withheld]).sort(),
    ).toEqual(elements.map((id) => [namespace, id, true, true, null]).sort());
    expect(phone.status).toBe(200);
    expect(phone.body.sent).toBe(true);
    expect(result.status, result.text.slice(0, 600)).toBe(200);
    expect(result.body.verdict).toBe('valid');
    // What the customer approved is in the phone's history, by element name.
    const after = await historyOf('android');
    expect(after.length).toBe(before.length + 1);
    expect(await waitingOn('android')).toEqual([]);
  }, 60_000);

  it('a decline on the phone: BRANCH_NOT_READ with WALLET_DECLINED, no record written, nothing in the phone’s history', async () => {
    const records = await recordCount();
    const history = await historyOf('iphone');
    const { result, phone } = await withHolderAnswer(
      at,
      'iphone',
      () => post('read', { phone: 'iphone', ...DECLARED }),
      { decline: true },
    );
    expect(phone.status).toBe(200);
    expect(phone.body).toEqual({ declined: true });
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({
      code: 'BRANCH_NOT_READ',
      reason: 'WALLET_DECLINED',
      phone: { id: 'iphone', answeredBy: 'bridge' },
    });
    expect(result.body).not.toHaveProperty('recordId');
    expect(result.body).not.toHaveProperty('identity');
    expect(await recordCount()).toBe(records);
    expect(await historyOf('iphone')).toEqual(history);
    expect(await waitingOn('iphone')).toEqual([]);
  }, 60_000);

  it('the verifier, as the reader, sees the phone end the session without an answer (status 20)', async () => {
    const { url } = client.sandbox;
    // A key of the bank's own, for reading the phone the way the counter does (its key stays on the server).
    const adminToken = (await readFile(join(client.dataDir, 'verifier', 'admin-token'), 'utf8')).trim();
    const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const listed = (await (
      await fetch(`${url}/verifier/relying-parties`, { headers: admin })
    ).json()) as Json;
    const bank = (listed.relyingParties as { id: string; clientId: string }[]).find(
      (rp) => rp.clientId === SANDBOX_BANK_CLIENT_ID,
    );
    expect(bank).toBeDefined();
    const issued = await fetch(`${url}/verifier/relying-parties/${bank?.id}/api-keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ role: 'rp' }),
    });
    expect(issued.status).toBe(201);
    const call = verifierCall((r) => fetch(r), url, String(((await issued.json()) as Json).apiKey));
    const seen: { status: number; code: unknown }[] = [];
    const read = async (path: string, body: unknown): Promise<Response> => {
      const res = await call(path, body);
      seen.push({ status: res.status, code: ((await res.clone().json()) as Json).code });
      return res;
    };
    const phone = client.sandbox.phones.find((p) => p.id === 'android');
    if (phone === undefined) throw new Error('no android phone');
    const records = await recordCount();
    const { result } = await withHolderAnswer(
      at,
      'android',
      () =>
        readRecordOverProximity({
          phone,
          elements: BRANCH_ELEMENTS,
          purpose: 'account-opening',
          declaration: DECLARED,
          read,
          incoming: client.sandbox.incoming,
        }),
      { decline: true },
    );
    expect(result).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
    expect(seen).toEqual([{ status: 409, code: 'VERIFIER_PROXIMITY_DECLINED' }]);
    expect(await recordCount()).toBe(records);
  }, 60_000);

  it('the reader’s session ending ends the request on the phone: WALLET_REQUEST_EXPIRED there, nothing sent or in its history, and the read says the reader’s reason', async () => {
    const phone = client.sandbox.phones.find((p) => p.id === 'iphone');
    if (phone === undefined) throw new Error('no iphone');
    const history = await historyOf('iphone');
    // What the phone's screen hears of its request.
    const real = client.sandbox.incoming;
    const heard: string[] = [];
    const incoming = Object.assign(Object.create(real) as typeof real, {
      deliver: ((device, input) =>
        real.deliver(device, input).then((o) => {
          heard.push(o.kind === 'refused' ? o.code : o.kind);
          return o;
        })) as typeof real.deliver,
    });
    let waitingWhenReaderAnswered: unknown[] | undefined;
    let leftId: string | undefined;
    // The reader, as the verifier reads (proximity-session.ts): it scans the engagement, connects, asks —
    // then its session ends (its deadline passed) before anyone answers on the phone.
    const reader = async (_path: string, body: unknown): Promise<Response> => {
      const scanned = parseDeviceEngagementUri((body as { engagement: string }).engagement);
      const socket = new WebSocket(webSocketUrlOf(scanned) ?? '');
      await once(socket, 'open');
      const session = new ProximityReaderSession({
        transport: webSocketTransport(socket),
        deviceEngagement: scanned.bytes,
      });
      const answer = session.request(
        buildDeviceRequest({
          docRequests: [buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } })],
        }),
      );
      answer.catch(() => undefined);
      for (let i = 0; i < 400 && (await waitingOn('iphone')).length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      leftId = (await waitingOn('iphone'))[0]?.id;
      await session.terminate();
      for (let i = 0; i < 400 && (await waitingOn('iphone')).length > 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      waitingWhenReaderAnswered = await waitingOn('iphone');
      return Response.json(
        { type: 'about:blank', status: 504, title: 'Timeout', code: 'VERIFIER_PROXIMITY_TIMEOUT' },
        { status: 504, headers: { 'content-type': 'application/problem+json' } },
      );
    };
    const result = await readRecordOverProximity({
      phone,
      elements: BRANCH_ELEMENTS,
      purpose: 'account-opening',
      declaration: DECLARED,
      read: reader,
      incoming,
    });
    expect(leftId).toBeDefined();
    // The request left the phone when the reader's session ended, not when the read returned.
    expect(waitingWhenReaderAnswered).toEqual([]);
    expect(heard).toEqual(['WALLET_REQUEST_EXPIRED']);
    expect(result).toEqual({ kind: 'refused', code: 'VERIFIER_PROXIMITY_TIMEOUT' });
    // An approval arriving now finds nothing to answer; nothing reached the phone's history.
    const late = await at(`/wallet/phones/iphone/incoming/${leftId}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ biometric: 'matched', consent: {} }),
    });
    expect(late.status).toBe(404);
    expect(((await late.json()) as Json).code).toBe('WALLET_NOT_FOUND');
    expect(await historyOf('iphone')).toEqual(history);
  }, 60_000);

  it('a failed biometric on the phone leaves the request waiting; a matched one then completes the read', async () => {
    const reading = post('read', { phone: 'iphone', ...DECLARED });
    const failed = await answerOnPhone(at, 'iphone', { approve: true, biometric: 'failed' });
    expect(failed.status).toBe(401);
    expect(failed.body.code).toBe('WALLET_BIOMETRIC_FAILED');
    // The same request is still on the screen for another try.
    expect((await waitingOn('iphone')).map((r) => r.id)).toEqual([failed.view.id]);
    const matched = await answerOnPhone(at, 'iphone', { approve: true });
    expect(matched.view.id).toBe(failed.view.id);
    expect(matched.status).toBe(200);
    const read = await reading;
    expect(read.status, read.text.slice(0, 600)).toBe(200);
    expect(read.body.verdict).toBe('valid');
    expect(read.body.identity.portrait).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(await waitingOn('iphone')).toEqual([]);
  }, 60_000);

  it('refuses a counter that sends a biometric: only the customer approves, and nothing reaches the phone', async () => {
    for (const biometric of ['matched', 'failed']) {
      const res = await post('read', { phone: 'android', biometric, ...DECLARED });
      expect(res.status, biometric).toBe(400);
      expect(res.body.code).toBe('BRANCH_BIOMETRIC_ON_PHONE');
      expect(res.text).not.toContain(biometric);
      expect(await waitingOn('android')).toEqual([]);
    }
  });
});
