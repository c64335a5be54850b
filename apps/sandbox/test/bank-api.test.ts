/**
 * The sandbox bank's backend for its page, over HTTP without a browser: the built page is served at every
 * address of its views, `api/start` gives the phones, the declaration's lists and the bounded wait for the
 * browser's wallet, `api/sessions` opens a session for the bank's own origin (whatever the browser says)
 * with the key kept on the server, `api/sessions/:id/response` passes the verifier's report on with the
 * result's address — or its problem unchanged —, the result says who answered, and the bridge's and the
 * JPKI signature's routes refuse bad input with stable codes before any phone is asked.
 *
 * The bridge's consent is the holder's: its request waits on the phone's consent screen, which names the
 * bank by its reader certificate and the page's origin; the holder's decline answers 409 WALLET_DECLINED
 * with nothing presented and no verification record written; an element the holder unticks is missing from
 * the presentation, so the verifier rejects it (VERIFIER_CLAIMS_MISSING) and the bank's result says so; a
 * phone with as many requests waiting as it keeps answers 503 WALLET_PHONE_BUSY at once; a request nobody
 * answers lapses into 504 (the bank's WALLET_REQUEST_EXPIRED, the carrier's CARRIER_PHONE_NO_ANSWER).
 *
 * The JPKI signature is the holder's too: the bank's route takes no password (a body that carries one is
 * refused with BANK_PASSWORD_ON_PHONE before any phone is asked, and not echoed); the phone's screen names
 * the bank as the bridge named it (not verified) and shows exactly the application the verifier keeps,
 * and the holder types the signature password there; a decline answers 409 WALLET_DECLINED with nothing
 * signed and no record, and a phone without a signature certificate in force 409 WALLET_DOCUMENT_NOT_HELD
 * at once.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncomingRequests, presentAnnexC, type WalletDevice } from '@mynakit/wallet';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPages, PAGES } from '../../../scripts/build-pages.mjs';
import { registerBankPages } from '../src/bank-pages.js';
import { registerCarrierPages } from '../src/carrier-pages.js';
import { declarationFromBody } from '../src/declared-items.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { bankJpkiApplication } from '../src/jpki-bank-pages.js';
import { SANDBOX_BANK_CLIENT_ID } from '../src/sandbox-bank.js';
import { SANDBOX_CARRIER_CLIENT_ID } from '../src/sandbox-carrier.js';
import { DECLARED_JSON } from './helpers/bank-form.js';
import { answerOnPhone, sandboxFetch, waitForIncoming, withHolderAnswer } from './helpers/phone-consent.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const JP = 'org.iso.23220.1.jp';

describe('the sandbox bank’s API for its page', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let iphone: WalletDevice;

  const post = (path: string, body: unknown, contentType = 'application/json') =>
    fetch(`${sandbox.url}/verifier/bank/${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    await buildPages({ pages: PAGES.filter((p) => p.name === 'bank'), log: () => undefined });
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bank-api-'));
    sandbox = await startSandbox({ port: 0, dataDir });
    iphone = sandbox.phones.find((p) => p.id === 'iphone') as WalletDevice;
    const installed = await fetch(`${sandbox.url}/wallet/phones/iphone/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        residentId: 'sandbox-ordinary-female',
        newAuthPin: '1234',
        newAuthPinAgain: '1234',
        newSignaturePassword: 'BANKAPI1',
        newSignaturePasswordAgain: 'BANKAPI1',
        liveness: 'confirmed',
      }).toString(),
      redirect: 'manual',
    });
    expect(installed.status).toBe(303);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves its built page at every address of its views, and the wait for the browser’s wallet bounded', async () => {
    for (const path of [
      '',
      'jpki/',
      'signin/',
      'result/00000000-0000-0000-0000-000000000000',
      'jpki/result/abc-1',
    ]) {
      const page = await fetch(`${sandbox.url}/verifier/bank/${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      const html = await page.text();
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, path).toBeDefined();
      // The view's relative script address resolves under its own folder.
      const base = new URL(path, `${sandbox.url}/verifier/bank/`);
      const js = await fetch(new URL(script as string, base));
      expect(js.status, path).toBe(200);
      expect(js.headers.get('content-type'), path).toContain('text/javascript');
    }
    // The bank's other pages below its folder are not the bank page's.
    expect((await fetch(`${sandbox.url}/verifier/bank/nothing-here`)).status).toBe(404);
    const start = (await (await fetch(`${sandbox.url}/verifier/bank/api/start`)).json()) as {
      dcTimeoutMs: number;
      phones: { id: string }[];
    };
    expect(start.dcTimeoutMs).toBe(60000);
    expect(start.phones.map((p) => p.id)).toContain('iphone');
    // The timeout a page asks for is bounded.
    const bounded = (await (await fetch(`${sandbox.url}/verifier/bank/api/start?dcTimeout=1`)).json()) as {
      dcTimeoutMs: number;
    };
    expect(bounded.dcTimeoutMs).toBe(500);
  });

  it('opens a session for its own origin, verifies the answer once, and shows who answered', async () => {
    expect((await post('api/sessions', 'purpose=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    // What the browser says of the origin is not used: the bank binds the session to its own (the
    // answer made for the sandbox's origin verifies below).
    const opened = await post('api/sessions', { origin: 'https://evil.example', ...DECLARED_JSON });
    expect(opened.status).toBe(201);
    const session = (await opened.json()) as {
      sessionId: string;
      request: { protocol: string; data: unknown };
      elements: Record<string, string[]>;
    };
    expect(session.request.protocol).toBe('org-iso-mdoc');
    const { response } = await presentAnnexC({
      device: iphone,
      data: session.request.data,
      origin: sandbox.url,
      consent: { [MNC]: session.elements },
      userAuthentication: { method: 'biometric', matched: true },
    });
    const answered = await post(`api/sessions/${session.sessionId}/response`, { response });
    expect(answered.status).toBe(200);
    const report = (await answered.json()) as { verdict: string; resultUrl: string; methodReasons: string[] };
    expect(report.verdict).toBe('valid');
    expect(report.methodReasons).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(report.resultUrl).toBe(`result/${session.sessionId}`);
    const result = (await (
      await fetch(`${sandbox.url}/verifier/bank/api/results/${session.sessionId}`)
    ).json()) as {
      answeredBy: { kind: string };
      verdict: string;
      identity: { name: string };
      declared: { transactionPurpose: { code: string }; occupation: { code: string } };
    };
    expect(result.answeredBy.kind).toBe('dc-api');
    expect(result.verdict).toBe('valid');
    expect(result.identity.name).toContain('花子');
    // What the customer declared is shown beside the record that keeps it.
    expect(result.declared.transactionPurpose.code).toBe('living-expenses');
    expect(result.declared.occupation.code).toBe('company-employee');

    // The same answer again: the verifier's problem, passed on unchanged.
    const replayed = await post(`api/sessions/${session.sessionId}/response`, { response });
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get('content-type')).toContain('application/problem+json');
    expect(((await replayed.json()) as { code: string }).code).toBe('VERIFIER_SESSION_USED');
  }, 60_000);

  it('asks the issuer’s record inquiry for a relying party that wants it always: the sandbox verifier is its client', async () => {
    const token = (await readFile(join(dataDir, 'verifier', 'admin-token'), 'utf8')).trim();
    const operator = (path: string, init: RequestInit = {}) =>
      fetch(`${sandbox.url}/verifier${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    const { relyingParties } = (await (await operator('/relying-parties')).json()) as {
      relyingParties: { clientId: string; config: { trustAnchors: string[] } }[];
    };
    const bank = relyingParties.find((rp) => rp.clientId === SANDBOX_BANK_CLIENT_ID);
    const created = await operator('/relying-parties', {
      method: 'POST',
      body: JSON.stringify({
        name: 'A lender that asks the issuer at every verification',
        clientId: 'x509_san_dns:lender.example',
        law: 'none',
        origins: [sandbox.url],
        trustAnchors: bank?.config.trustAnchors,
        revocation: { inquiry: 'always' },
        verificationProgram: { name: 'mynakit sandbox', version: '0.1.0' },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const apiKey = ((await created.json()) as { apiKey: { apiKey: string } }).apiKey.apiKey;
    const asParty = (path: string, body: unknown) =>
      fetch(`${sandbox.url}/verifier${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const opened = await asParty('/sessions', {
      purpose: 'account-opening',
      origin: sandbox.url,
      elements: { [JP]: ['full_name_unicode'] },
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const session = (await opened.json()) as {
      sessionId: string;
      request: { data: unknown };
      elements: Record<string, string[]>;
    };
    const { response } = await presentAnnexC({
      device: iphone,
      data: session.request.data,
      origin: sandbox.url,
      consent: { [MNC]: session.elements },
      userAuthentication: { method: 'biometric', matched: true },
    });
    const answered = await asParty(`/sessions/${session.sessionId}/response`, { response });
    expect(answered.status).toBe(200);
    const report = (await answered.json()) as { verdict: string; checks: { id: string; detail: string }[] };
    expect(report.verdict).toBe('valid');
    // Both sources in the one check: the status list, then the issuer's inquiry with its signed answer.
    expect(report.checks.find((c) => c.id === 'status.revocation')?.detail).toContain(
      `inquiry: ${sandbox.url}/issuer/inquiry: valid as of`,
    );
  }, 60_000);

  it('asks the purpose of the transaction and the occupation; the verifier refuses without them, and My Number', async () => {
    const { lists } = (await (await fetch(`${sandbox.url}/verifier/bank/api/start`)).json()) as {
      lists: { purposes: { code: string }[]; occupations: { code: string }[] };
    };
    expect(lists.purposes.map((c) => c.code)).toContain('living-expenses');
    expect(lists.occupations.map((c) => c.code)).toContain('company-employee');
    const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;
    // 取引時確認 under 犯収法: no session without them.
    const bare = await post('api/sessions', {});
    expect(bare.status).toBe(400);
    expect(await codeOf(bare)).toBe('VERIFIER_TRANSACTION_PURPOSE_REQUIRED');
    const noOccupation = await post('api/sessions', { transactionPurpose: DECLARED_JSON.transactionPurpose });
    expect(await codeOf(noOccupation)).toBe('VERIFIER_OCCUPATION_REQUIRED');
    // A detail with a My Number in it is refused, and not echoed.
    const written = await post('api/sessions', {
      ...DECLARED_JSON,
      occupation: { code: 'other', detail: '通訳 1234 5678 9018' },
    });
    const writtenText = await written.text();
    expect(written.status).toBe(422);
    expect(JSON.parse(writtenText).code).toBe('VERIFIER_RECORD_FORBIDDEN_CONTENT');
    expect(writtenText).not.toContain('5678');
    // The developer's switch: the bank has no legal basis, the verifier opens no session.
    const myNumber = await post('api/sessions', { ...DECLARED_JSON, askMyNumber: true });
    expect(myNumber.status).toBe(400);
    expect(await codeOf(myNumber)).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
    // The same through the bridge: refused before any phone is asked, with the verifier's code.
    const bridge = (fields: Record<string, unknown>) => post('api/bridge', { phone: 'iphone', ...fields });
    const before = (await iphone.store.presentations.list(iphone.id)).length;
    const refused = await bridge({ ...DECLARED_JSON, askMyNumber: true });
    expect(refused.status).toBe(400);
    expect(await codeOf(refused)).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
    const undeclared = await bridge({});
    expect(undeclared.status).toBe(400);
    expect(await codeOf(undeclared)).toBe('VERIFIER_TRANSACTION_PURPOSE_REQUIRED');
    expect(await iphone.store.presentations.list(iphone.id)).toHaveLength(before);
  });

  it('refuses a malformed session id, an unknown result, and answers without JSON', async () => {
    const bad = await post('api/sessions/..%2Fx/response', { response: 'AAAA' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('BANK_BAD_SESSION');
    expect((await post('api/sessions/abc/response', 'response=AAAA', 'text/plain')).status).toBe(415);
    const unknown = await fetch(`${sandbox.url}/verifier/bank/api/results/no-such-session`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('BANK_NO_RESULT');
    const badId = await fetch(`${sandbox.url}/verifier/bank/api/jpki/results/..%2Fx`);
    expect(badId.status).toBe(400);
  });

  it('refuses bad input to the bridge and the JPKI signature with stable codes, echoing nothing', async () => {
    const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;
    for (const path of ['api/bridge', 'api/jpki/sign']) {
      const form = await post(path, 'phone=iphone', 'application/x-www-form-urlencoded');
      expect(form.status, path).toBe(415);
      expect(await codeOf(form), path).toBe('BANK_JSON_ONLY');
      const notObject = await post(path, '[1,2]');
      expect(notObject.status, path).toBe(400);
      expect(await codeOf(notObject), path).toBe('BANK_BAD_JSON');
      const noPhone = await post(path, { phone: 'nokia-3310', ...DECLARED_JSON });
      expect(noPhone.status, path).toBe(400);
      const noPhoneText = await noPhone.text();
      expect(JSON.parse(noPhoneText).code, path).toBe('BANK_NO_PHONE');
      expect(noPhoneText, path).not.toContain('nokia');
    }
    const brokenJson = await post('api/sessions', '{"transactionPurpose":');
    expect(brokenJson.status).toBe(400);
    expect(await codeOf(brokenJson)).toBe('BANK_BAD_JSON');
    const tooLarge = await post('api/sessions', { ...DECLARED_JSON, padding: 'x'.repeat(5000) });
    expect(tooLarge.status).toBe(413);
    expect(await codeOf(tooLarge)).toBe('BANK_TOO_LARGE');
    // The signature password is typed on the phone only: a body that carries one — right, wrong or
    // malformed — is refused before any phone is asked, and it is not echoed.
    const before = (await iphone.store.presentations.list(iphone.id)).length;
    for (const password of ['BANKAPI1', 'short!', 123456]) {
      const carried = await post('api/jpki/sign', { phone: 'iphone', password, ...DECLARED_JSON });
      expect(carried.status, String(password)).toBe(400);
      expect(carried.headers.get('content-type')).toContain('application/problem+json');
      const carriedText = await carried.text();
      expect(JSON.parse(carriedText).code).toBe('BANK_PASSWORD_ON_PHONE');
      expect(carriedText).not.toContain(String(password));
      expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    }
    // Even behind more members than the route reads.
    const padded = {
      phone: 'iphone',
      ...DECLARED_JSON,
      a: 1,
      b: 2,
      c: 3,
      d: 4,
      e: 5,
      f: 6,
      password: 'BANKAPI1',
    };
    const late = await post('api/jpki/sign', padded);
    expect(late.status).toBe(400);
    expect(((await late.json()) as { code: string }).code).toBe('BANK_PASSWORD_ON_PHONE');
    expect(await iphone.store.presentations.list(iphone.id)).toHaveLength(before);
    // The form routes of the server-rendered pages are gone: nothing answers a form post any more.
    for (const path of ['verify', 'jpki/sign', 'account/address-change'])
      expect((await post(path, 'phone=iphone', 'application/x-www-form-urlencoded')).status, path).toBe(404);
    const unknownRoute = await fetch(`${sandbox.url}/verifier/bank/api/nothing`);
    expect(unknownRoute.status).toBe(404);
    expect(await codeOf(unknownRoute)).toBe('BANK_NOT_FOUND');
  });

  describe('the bridge waits for the holder’s answer on the phone', () => {
    const bridge = () => post('api/bridge', { phone: 'iphone', ...DECLARED_JSON });
    const history = () => iphone.store.presentations.list(iphone.id);
    /** The ids of today's verification records, as the auditor's view lists them. */
    const recordIds = async () => {
      const res = await fetch(`${sandbox.url}/verifier/auditor/api/records`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { records: { id: string }[] }).records.map((r) => r.id);
    };
    /** A call to the verifier with its operator token (`<dataDir>/verifier/admin-token`). */
    const operator = async (path: string, init: RequestInit = {}) => {
      const token = (await readFile(join(dataDir, 'verifier', 'admin-token'), 'utf8')).trim();
      return fetch(`${sandbox.url}/verifier${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    };
    /** The verifier's id of the sandbox relying party `clientId`. */
    const relyingPartyId = async (clientId: string) => {
      const { relyingParties } = (await (await operator('/relying-parties')).json()) as {
        relyingParties: { id: string; clientId: string }[];
      };
      const found = relyingParties.find((rp) => rp.clientId === clientId);
      if (found === undefined) throw new Error(`no relying party ${clientId}`);
      return found.id;
    };
    /** The subject of the bank's reader certificate, as the verifier keeps it (its operator's view). */
    const bankReaderSubject = async () => {
      const id = await relyingPartyId(SANDBOX_BANK_CLIENT_ID);
      const keys = (await (
        await operator(`/relying-parties/${encodeURIComponent(id)}/reader-key`)
      ).json()) as { active?: { subject?: string } };
      return keys.active?.subject;
    };

    it('shows the phone the bank’s request — named by its reader certificate, with the page’s origin — and a decline sends nothing and records nothing', async () => {
      const subject = await bankReaderSubject();
      expect(subject).toContain('Sandbox Bank');
      const presentedBefore = (await history()).length;
      const recordsBefore = await recordIds();
      const { result: res, phone } = await withHolderAnswer(sandboxFetch(sandbox.url), 'iphone', bridge, {
        decline: true,
      });
      // What the phone's screen showed: who asks (reader authentication), from which page, and what — the
      // iPhone-like phone took the session's Annex C request, the one protocol Safari answers.
      expect(phone.view.channel).toBe('dc-api-org-iso-mdoc');
      expect(phone.view.origin).toBe(sandbox.url);
      expect(phone.view.reader).toMatchObject({ authentication: 'verified', subject });
      expect(phone.view.reader.myNumberLegalBasis).toBeNull();
      expect(phone.view.documents.map((d) => [d.docType, d.available])).toEqual([[MNC, true]]);
      const asked = phone.view.documents[0]?.elements ?? [];
      expect(asked.map((e) => e.identifier).sort()).toEqual(
        ['birth_date_unicode', 'full_name_unicode', 'portrait', 'resident_address_unicode'].sort(),
      );
      expect(asked.every((e) => e.namespace === JP && e.held && e.withheld === null)).toBe(true);
      expect(phone).toMatchObject({ status: 200, body: { declined: true } });

      // The bank hears the holder's no: a problem with the phone's code, echoing nothing of the holder.
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({
        code: 'WALLET_DECLINED',
        status: 409,
        phone: { id: 'iphone', family: 'iphone' },
      });
      expect(text).not.toContain('花子');
      // Nothing was presented, nothing verified, nothing is left on the phone's screen.
      expect(await history()).toHaveLength(presentedBefore);
      expect(await recordIds()).toEqual(recordsBefore);
      expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    }, 60_000);

    it('an element the holder unticks is not sent: the verifier rejects the presentation for it, and the bank’s result says so', async () => {
      const presentedBefore = (await history()).length;
      // Everything the bank asks but the portrait.
      const consent = {
        [MNC]: { [JP]: ['full_name_unicode', 'birth_date_unicode', 'resident_address_unicode'] },
      };
      const { result: res, phone } = await withHolderAnswer(sandboxFetch(sandbox.url), 'iphone', bridge, {
        approve: true,
        consent,
      });
      expect(phone.status).toBe(200);
      const disclosed = (phone.body.disclosed as Record<string, [string, string][]>)[MNC] ?? [];
      expect(disclosed.map(([, id]) => id)).not.toContain('portrait');
      expect(disclosed).toHaveLength(3);
      expect(await history()).toHaveLength(presentedBefore + 1);

      expect(res.status).toBe(200);
      const answered = (await res.json()) as {
        sessionId: string;
        verdict: string;
        errorCode: string | null;
        checks: { id: string; status: string; detail?: string }[];
        identity: unknown;
        resultUrl: string;
      };
      expect(answered.verdict).toBe('invalid');
      expect(answered.errorCode).toBe('VERIFIER_CLAIMS_MISSING');
      const elements = answered.checks.find((c) => c.id === 'request.elements');
      expect(elements?.status).toBe('failed');
      expect(elements?.detail).toContain(`${JP}/portrait`);
      expect(answered.identity).toBeNull();
      // The result's page shows the same.
      const shown = (await (
        await fetch(`${sandbox.url}/verifier/bank/api/results/${answered.sessionId}`)
      ).json()) as typeof answered;
      expect(shown).toMatchObject({
        verdict: 'invalid',
        errorCode: 'VERIFIER_CLAIMS_MISSING',
        identity: null,
      });
      expect(shown.checks.find((c) => c.id === 'request.elements')?.status).toBe('failed');
    }, 60_000);

    it('a phone with as many requests waiting as it keeps answers WALLET_PHONE_BUSY at once; each waiting one ends with its holder’s answer', async () => {
      const at = sandboxFetch(sandbox.url);
      const waiting = [bridge()];
      await waitForIncoming(at, 'iphone');
      for (let i = 1; i < 4; i++) waiting.push(bridge());
      for (let i = 0; i < 200 && sandbox.incoming.pendingFor('iphone').length < 4; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sandbox.incoming.pendingFor('iphone')).toHaveLength(4);
      const busy = await bridge();
      expect(busy.status).toBe(503);
      expect(((await busy.json()) as { code: string }).code).toBe('WALLET_PHONE_BUSY');
      for (let i = 0; i < 4; i++)
        expect((await answerOnPhone(at, 'iphone', { decline: true })).status).toBe(200);
      const answers = await Promise.all(waiting);
      expect(answers.map((r) => r.status)).toEqual([409, 409, 409, 409]);
      for (const r of answers) expect(((await r.json()) as { code: string }).code).toBe('WALLET_DECLINED');
      expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
    }, 60_000);

    it('a request nobody answers on the phone lapses: the bank answers 504 WALLET_REQUEST_EXPIRED, the carrier 504 CARRIER_PHONE_NO_ANSWER', async () => {
      // The same routes over the running sandbox's verifier and phones, with phones' screens that keep a
      // request 300 ms instead of 3 minutes.
      const keyOf = async (clientId: string) => {
        const id = await relyingPartyId(clientId);
        const issued = await operator(`/relying-parties/${encodeURIComponent(id)}/api-keys`, {
          method: 'POST',
          body: JSON.stringify({ role: 'rp' }),
        });
        expect(issued.status).toBe(201);
        return { relyingPartyId: id, apiKey: String(((await issued.json()) as { apiKey: string }).apiKey) };
      };
      const incoming = new IncomingRequests({ waitMs: 300 });
      const app = new Hono();
      const verifierFetch = (request: Request) => fetch(request);
      registerCarrierPages(app, {
        url: sandbox.url,
        carrier: await keyOf(SANDBOX_CARRIER_CLIENT_ID),
        verifierFetch,
        phones: sandbox.phones,
        incoming,
      });
      registerBankPages(app, {
        url: sandbox.url,
        bank: await keyOf(SANDBOX_BANK_CLIENT_ID),
        verifierFetch,
        phones: sandbox.phones,
        incoming,
      });
      const presentedBefore = (await history()).length;
      const json = (path: string, body: unknown) =>
        app.request(`${sandbox.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const bank = await json('/verifier/bank/api/bridge', { phone: 'iphone', ...DECLARED_JSON });
      expect(bank.status).toBe(504);
      expect(bank.headers.get('content-type')).toContain('application/problem+json');
      expect(await bank.json()).toMatchObject({
        code: 'WALLET_REQUEST_EXPIRED',
        phone: { id: 'iphone', family: 'iphone' },
      });
      const carrier = await json('/verifier/carrier/api/record', { phone: 'iphone' });
      expect(carrier.status).toBe(504);
      expect(await carrier.json()).toMatchObject({
        code: 'CARRIER_PHONE_NO_ANSWER',
        walletCode: 'WALLET_REQUEST_EXPIRED',
      });
      // The signing requests lapse the same way: nothing signed.
      const bankSign = await json('/verifier/bank/api/jpki/sign', { phone: 'iphone', ...DECLARED_JSON });
      expect(bankSign.status).toBe(504);
      expect(await bankSign.json()).toMatchObject({
        code: 'WALLET_REQUEST_EXPIRED',
        phone: { id: 'iphone', family: 'iphone' },
      });
      const carrierSign = await json('/verifier/carrier/api/sign', { phone: 'iphone' });
      expect(carrierSign.status).toBe(504);
      expect(await carrierSign.json()).toMatchObject({
        code: 'CARRIER_PHONE_NO_ANSWER',
        walletCode: 'WALLET_REQUEST_EXPIRED',
      });
      // The lapsed requests left the phone's screen, and nothing was presented or signed.
      expect(incoming.pendingFor('iphone')).toEqual([]);
      expect(await history()).toHaveLength(presentedBefore);
    }, 60_000);

    describe('the JPKI signature: the holder types the signature password on the phone', () => {
      const sign = () => post('api/jpki/sign', { phone: 'iphone', ...DECLARED_JSON });
      /** The application the bank asks the verifier to keep for DECLARED_JSON. */
      const application = bankJpkiApplication(declarationFromBody(new Map(Object.entries(DECLARED_JSON))));

      it('shows the phone the bank by name (not verified) and exactly the application the verifier keeps; signed with the password typed there', async () => {
        const presentedBefore = (await history()).length;
        const { result: res, phone } = await withHolderAnswer(sandboxFetch(sandbox.url), 'iphone', sign, {
          password: 'BANKAPI1',
        });
        // What the phone's screen showed: who asks as the bridge named it, from which page, what, the tries.
        expect(phone.view.channel).toBe('jpki-signature');
        expect(phone.view.relyingParty).toEqual({
          name: 'サンドボックス銀行 / Sandbox Bank',
          verified: false,
        });
        expect(phone.view.origin).toBe(sandbox.url);
        expect(phone.view.document.text).toBe(application);
        expect(phone.view.document.size).toBe(Buffer.byteLength(application, 'utf8'));
        expect(phone.view.document.sha256).toBe(
          createHash('sha256').update(application, 'utf8').digest('hex'),
        );
        expect(phone.view.remainingTries).toBe(5);
        expect(phone).toMatchObject({ status: 200, body: { sent: true, signed: true } });

        expect(res.status).toBe(200);
        const text = await res.text();
        expect(text).not.toContain('BANKAPI1');
        const answered = JSON.parse(text) as { verdict: string; application: string; recordId: string };
        // The verifier verified the signature over the bytes it keeps: the very text the phone showed.
        expect(answered.verdict).toBe('valid');
        expect(answered.application).toBe(phone.view.document.text);
        expect(answered.recordId).toMatch(/\S/);
        expect(await history()).toHaveLength(presentedBefore + 1);
        expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
      }, 60_000);

      it('a decline on the phone answers 409 WALLET_DECLINED: nothing signed, no record written', async () => {
        const presentedBefore = (await history()).length;
        const recordsBefore = await recordIds();
        const { result: res, phone } = await withHolderAnswer(sandboxFetch(sandbox.url), 'iphone', sign, {
          decline: true,
          signature: true,
        });
        expect(phone.view.document.text).toBe(application);
        expect(phone).toMatchObject({ status: 200, body: { declined: true } });
        expect(res.status).toBe(409);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(await res.json()).toMatchObject({
          code: 'WALLET_DECLINED',
          status: 409,
          phone: { id: 'iphone', family: 'iphone' },
        });
        expect(await history()).toHaveLength(presentedBefore);
        expect(await recordIds()).toEqual(recordsBefore);
        expect(sandbox.incoming.pendingFor('iphone')).toEqual([]);
      }, 60_000);

      it('a phone without a signature certificate in force is refused at once: 409 WALLET_DOCUMENT_NOT_HELD (the carrier’s CARRIER_NOTHING_IN_FORCE), nothing on its screen', async () => {
        // The Android phone holds nothing here.
        const res = await post('api/jpki/sign', { phone: 'android', ...DECLARED_JSON });
        expect(res.status).toBe(409);
        expect(await res.json()).toMatchObject({
          code: 'WALLET_DOCUMENT_NOT_HELD',
          phone: { id: 'android', family: 'android' },
        });
        // The carrier's ト says it in its own words, with the phone's code.
        const carrier = await fetch(`${sandbox.url}/verifier/carrier/api/sign`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone: 'android' }),
        });
        expect(carrier.status).toBe(409);
        expect(await carrier.json()).toMatchObject({
          code: 'CARRIER_NOTHING_IN_FORCE',
          walletCode: 'WALLET_DOCUMENT_NOT_HELD',
        });
        expect(sandbox.incoming.pendingFor('android')).toEqual([]);
      }, 60_000);
    });
  });
});
