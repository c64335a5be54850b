/**
 * The bank's branch counter through the sandbox's page and its JSON routes under `/verifier/bank/branch/api/`,
 * against a started sandbox: staff read each phone family in person over ISO/IEC 18013-5 proximity — the
 * verifier service is the reader and writes the record — see the photo and facts, confirm the face, and see
 * the record with why no KYC letter applies to a face-to-face read; a customer who does not approve gets a
 * clear code; a confirmation is used once; bad input gets a stable code and nothing of it echoed; the
 * verifier's page, the landing page and the support matrix link the counter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTwoPhones, type PageClient, startPageClient } from './helpers/two-phones.js';

let client: PageClient;

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

beforeAll(async () => {
  client = await startPageClient('mynakit-sandbox-branch-');
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
      const { status, text, body } = await post('read', { phone, biometric: 'matched', ...DECLARED });
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
    const { body } = await post('read', { phone: 'iphone', biometric: 'matched', ...DECLARED });
    const refused = await post('confirm', { read: body.read, face: 'mismatch' });
    expect(refused.status).toBe(200);
    expect(refused.body.face).toBe('mismatch');
    expect(refused.body.name).toBeNull();
  }, 60_000);

  it('gives the phone’s code when the customer does not approve, the verifier’s without the occupation, and refuses a request without a phone', async () => {
    const declined = await post('read', { phone: 'android', biometric: 'failed', ...DECLARED });
    expect(declined.status).toBe(422);
    expect(declined.body.code).toBe('BRANCH_NOT_READ');
    expect(declined.body.reason).toBe('WALLET_BIOMETRIC_FAILED');
    // 取引時確認 under 犯収法: the verifier refuses the read without the customer's occupation.
    const undeclared = await post('read', {
      phone: 'iphone',
      biometric: 'matched',
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
      ['read', { phone: 'iphone', biometric: 'secret-word-1' }, 400, 'BRANCH_INVALID_REQUEST'],
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
      biometric: 'matched',
      transactionPurpose: { code: 'salary-or-pension', detail: 'secret-word-4' },
    });
    expect(detailed.status).toBe(422);
    expect(detailed.text).not.toContain('secret-word');
  }, 60_000);
});
