/**
 * The bank's branch counter through the sandbox's pages, against a started sandbox: staff read each phone
 * family in person over ISO/IEC 18013-5 proximity — the verifier service is the reader and writes the
 * record — see the photo and facts, confirm the face, and see the record with why no KYC letter applies to
 * a face-to-face read; a customer who does not approve gets a clear code; a confirmation is used once; the
 * verifier's page, the landing page and the support matrix link the counter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkStatus,
  field,
  installTwoPhones,
  type PageClient,
  startPageClient,
} from './helpers/two-phones.js';

let client: PageClient;

/** What the customer declares at the counter. */
const DECLARED = { transactionPurpose: 'salary-or-pension', occupation: 'public-servant' };

beforeAll(async () => {
  client = await startPageClient('mynakit-sandbox-branch-');
  await installTwoPhones(client);
}, 180_000);
afterAll(async () => {
  await client?.close();
});

describe('the bank’s branch counter (窓口)', () => {
  it('is linked from the relying parties page and the landing page, and shows the labelled bridge', async () => {
    const counter = await client.get('/verifier/bank/branch/');
    expect(counter.status).toBe(200);
    const text = await counter.text();
    expect(text).toContain('lang="ja"');
    expect(text).toContain('data-phone-form="iphone"');
    expect(text).toContain('data-phone-form="android"');
    expect(text).toContain('class="bridge"');
    expect(text).not.toContain('<script');
    expect(await (await client.get('/verifier/')).text()).toContain('href="/verifier/bank/branch/"');
    const landing = await (await client.get('/')).text();
    expect(landing).toContain('href="/verifier/bank/branch/"');
    expect(landing).toContain(
      'the bank&#39;s branch counter and the clinic&#39;s desk read the phone emulator',
    );
  });

  for (const phone of ['iphone', 'android'])
    it(`reads the ${phone} in person: photo and facts, the face confirmed, the record and why no letter applies`, async () => {
      const { status, text } = await client.page('/verifier/bank/branch/read', {
        phone,
        biometric: 'matched',
        ...DECLARED,
      });
      expect(status, text.slice(0, 600)).toBe(200);
      expect(text).toContain('data-verdict="valid"');
      expect(text).toContain('data-face-channel="proximity"');
      expect(text).toContain('data-portrait');
      expect(text).toContain('src="data:image/jpeg;base64,');
      for (const name of ['name', 'address', 'birthDate']) expect(field(text, name)).toBeTruthy();
      expect(checkStatus(text, 'device.signature')).toBe('passed');
      expect(checkStatus(text, 'status.revocation')).toBe('passed');
      const recordId = /data-record="([^"]+)"/.exec(text)?.[1];
      expect(recordId).toBeTruthy();
      const token = /name="read" value="([^"]+)"/.exec(text)?.[1] ?? '';
      expect(token).not.toBe('');

      const confirmed = await client.page('/verifier/bank/branch/confirm', { read: token, face: 'match' });
      expect(confirmed.status).toBe(200);
      expect(confirmed.text).toContain('data-face-match="match"');
      expect(confirmed.text).toContain(`data-record="${recordId}"`);
      expect(confirmed.text).toContain('data-method="none"');
      expect(confirmed.text).toContain('KYC_IN_PERSON_NOT_TABULATED');
      expect(field(confirmed.text, 'transactionPurpose')).toBe('給与受取・年金受取');
      expect(field(confirmed.text, 'occupation')).toBe('公務員');
      // The confirmation page keeps no photo.
      expect(confirmed.text).not.toContain('data:image/jpeg');

      // A confirmation is used once.
      const again = await client.page('/verifier/bank/branch/confirm', { read: token, face: 'match' });
      expect(again.status).toBe(404);
      expect(again.text).toContain('data-error="read-unknown"');
    }, 60_000);

  it('says the face does not match when staff say so', async () => {
    const { text } = await client.page('/verifier/bank/branch/read', {
      phone: 'iphone',
      biometric: 'matched',
      ...DECLARED,
    });
    const token = /name="read" value="([^"]+)"/.exec(text)?.[1] ?? '';
    const refused = await client.page('/verifier/bank/branch/confirm', { read: token, face: 'mismatch' });
    expect(refused.text).toContain('data-face-match="mismatch"');
  }, 60_000);

  it('gives the phone’s code when the customer does not approve, and refuses a form without a phone', async () => {
    const declined = await client.page('/verifier/bank/branch/read', {
      phone: 'android',
      biometric: 'failed',
      ...DECLARED,
    });
    expect(declined.status).toBe(422);
    expect(declined.text).toContain('data-error="WALLET_BIOMETRIC_FAILED"');
    // 取引時確認 under 犯収法: the verifier refuses the read without the customer's occupation.
    const undeclared = await client.page('/verifier/bank/branch/read', {
      phone: 'iphone',
      biometric: 'matched',
      transactionPurpose: DECLARED.transactionPurpose,
    });
    expect(undeclared.status).toBe(422);
    expect(undeclared.text).toContain('data-error="VERIFIER_OCCUPATION_REQUIRED"');
    const none = await client.page('/verifier/bank/branch/read', { phone: 'nokia' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('data-error="no-phone"');
  }, 60_000);
});
