/**
 * Requests the phone's operating system hands it wait on its consent screen (app/incoming-requests.ts,
 * app/incoming-routes.ts), with real crypto on both sides: a page's Annex C request (ISO/IEC 18013-7,
 * reader-authenticated by a reader certificate the phone trusts) is read and delivered as the sandbox's
 * bridge does (readAnnexCRequest, then presentAnnexC as the channel's presentation), and a face-to-face
 * reader's DeviceRequest over ISO/IEC 18013-5 proximity (a real WebSocket on 127.0.0.1) likewise. The
 * requester waits until the holder approves (the owner's biometric, only the ticked elements, verified by
 * the verifier halves of @mynakit/oid4vp and @mynakit/mdoc), declines (WALLET_DECLINED, nothing in the
 * history), or the request lapses (WALLET_REQUEST_EXPIRED: the wait, or the requester's AbortSignal). A
 * failed biometric, consent naming what was not asked, and My Number without a declared basis leave the
 * request waiting; a phone keeps a bounded number (WALLET_PHONE_BUSY). A relying party's request for a
 * JPKI signature waits the same way, signed by the phone's installed signature key after the password
 * typed on the phone (signWithJpki as the channel's presentation) and checked by @mynakit/jpki
 * verifyJpkiSignature over exactly the content: the screen shows who asks as named (not verified), the
 * document and the tries left, never the password; a wrong password keeps it waiting with the tries left,
 * a malformed one costs no try, the fifth wrong one locks the password and ends it; a phone without a
 * signature certificate is refused at once (WALLET_DOCUMENT_NOT_HELD). A relying party's sign-in (a JPKI
 * user authentication) waits too, answered by the user-authentication key (authenticateWithJpki) after
 * the auth PIN typed on the phone or the biometric standing in for it, and checked by @mynakit/jpki
 * verifyAuthResponse over exactly the challenge drawn: the screen shows who asks, the unlock and the tries,
 * never the challenge; a wrong PIN or unmatched biometric keeps it waiting, a PIN where the face check
 * only is asked ends it, the third wrong PIN locks it and ends every sign-in waiting (not a signature).
 * The HTTP routes answer the same with the stable codes and echo nothing submitted.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { CHALLENGE_LENGTH, verifyAuthResponse, verifyJpkiSignature } from '@mynakit/jpki';
import {
  buildDeviceRequest,
  buildJpMncRequest,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  verifyDeviceResponse,
} from '@mynakit/mdoc';
import {
  annexCSessionTranscript,
  buildAuthorizationRequest,
  buildDigitalCredentialRequest,
  createReaderAuthCertificate,
  encodeEncryptionInfo,
  toP256PublicJwk,
  verifyAnnexCResponse,
} from '@mynakit/oid4vp';
import { createCertificate } from '@mynakit/pki';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticateWithJpki,
  createWalletApp,
  type IncomingOutcome,
  type IncomingRequestSummary,
  IncomingRequests,
  installCredentials,
  type JpkiSignatureIncomingRequestView,
  type JpkiUserAuthenticationIncomingRequestView,
  MAX_INCOMING_PER_PHONE,
  type MdocIncomingRequestView,
  presentAnnexC,
  presentOpenId4VpDcApi,
  readAnnexCRequest,
  readOpenId4VpDcApiRequest,
  signWithJpki,
  type WalletDevice,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';
import { type Cleanups, proximityEngagement } from './helpers/proximity-engagement.js';
import { tempDir } from './helpers/wallet-fixtures.js';

const MNC = JP_MNC_DOCTYPE;
const ORIGIN = 'https://bank.example';
const BIOMETRIC = { method: 'biometric', matched: true } as const;
const NO_MATCH = { method: 'biometric', matched: false } as const;
const DAY = 86_400_000;
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** The phone's signature password as installed in these tests. */
const PASSWORD = 'PHONE2026';

async function errorOf(p: Promise<unknown>): Promise<WalletError | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e;
    throw e;
  }
  return undefined;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

/** The single request waiting on `phoneId` that arrived last (a record's: narrowed by its channel). */
function lastOf(incoming: IncomingRequests, phoneId: string): MdocIncomingRequestView {
  const view = incoming.pendingFor(phoneId).at(-1);
  if (view === undefined) throw new Error('nothing waits on the phone');
  if (view.channel === 'jpki-signature' || view.channel === 'jpki-user-authentication')
    throw new Error('a JPKI request waits, not a record');
  return view;
}

/** The id of the newest request waiting on the phone, once one arrives (a JPKI request is handed over after an await). */
async function waitingIdOf(incoming: IncomingRequests, phoneId: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const id = incoming.pendingFor(phoneId).at(-1)?.id;
    if (id !== undefined) return id;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('nothing waits on the phone');
}

describe('requests handed to the phone wait for the holder on its consent screen', () => {
  let env: IssuerEnvironment;
  /** The phone with the record, trusting the test reader root. */
  let phone: WalletDevice;
  /** A second phone, holding nothing. */
  let other: WalletDevice;
  let readerRoot: Uint8Array;
  let readerCertificate: (withBasis: boolean) => Uint8Array;
  let readerKey: ReturnType<typeof generateKeyPairSync>['privateKey'];
  const cleanups: Cleanups = [];

  beforeAll(async () => {
    env = await issuerEnvironment();
    const installed = await env.phone('incoming-iphone', 'iphone');
    await installCredentials({
      device: installed,
      issuer: env.client,
      card: await env.card('sandbox-ordinary-female'),
      cardPins: await cardPinsOf(env, 'sandbox-ordinary-female'),
      liveness: { confirmed: true },
      newAuthPin: ['2468', '2468'],
      newSignaturePassword: ['PHONE2026', 'PHONE2026'],
      biometric: BIOMETRIC,
      trustAnchors: env.trustAnchors,
    });
    other = await env.phone('incoming-android', 'android');

    // A reader CA of the test and the bank's reader certificate (with or without a basis for My Number).
    const now = Date.now();
    const rootKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    readerRoot = createCertificate({
      subject: 'C=JP, O=Test readers, CN=Test reader root',
      publicKey: rootKeys.publicKey,
      privateKey: rootKeys.privateKey,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    });
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    readerKey = keys.privateKey;
    readerCertificate = (withBasis) =>
      createReaderAuthCertificate({
        subject: 'C=JP, O=Example Bank, CN=bank.example',
        publicKey: keys.publicKey,
        issuer: { certificate: readerRoot, privateKey: rootKeys.privateKey },
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 30 * DAY),
        dnsNames: ['bank.example'],
        ...(withBasis ? { myNumberLegalBasis: { provision: '番号法第19条', basisCode: '第3号' } } : {}),
      });
    phone = { ...installed, readerTrustAnchors: [readerRoot] };
  }, 180_000);
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await env?.close();
  });

  const history = () => phone.store.presentations.list(phone.id);

  /**
   * The bank's Annex C request, signed by its reader key over the dcapi transcript of ORIGIN: `asked` maps
   * each element of the jp namespace to the bank's intent to retain it.
   */
  function bankRequest(asked: Record<string, boolean>, options: { basis?: boolean; docType?: string } = {}) {
    const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const info = encodeEncryptionInfo({
      nonce: new Uint8Array(randomBytes(32)),
      recipientPublicKey: toP256PublicJwk(recipient.publicKey),
    });
    const deviceRequest = buildDeviceRequest({
      version: '1.1',
      docRequests: [{ docType: options.docType ?? MNC, nameSpaces: { [JP_MNC_NAMESPACE]: asked } }],
      readerAuth: {
        key: readerKey,
        certificateChain: [readerCertificate(options.basis ?? false)],
        sessionTranscriptBytes: annexCSessionTranscript(info.encoded, ORIGIN).sessionTranscriptBytes,
        scope: 'all',
      },
    });
    const data = {
      deviceRequest: Buffer.from(deviceRequest).toString('base64url'),
      encryptionInfo: info.encoded,
    };
    return {
      data,
      /** The bank's verifier half: decrypts and verifies as the page at `origin` would. */
      verify: (response: string, origin = ORIGIN) =>
        verifyAnnexCResponse(
          { response },
          { encryptionInfo: info.encoded, origin, recipientPrivateKey: recipient.privateKey, docType: MNC },
          { mdoc: { trustAnchors: env.trustAnchors.slice(0, 1), now: new Date() } },
        ),
    };
  }

  /**
   * Hands `data` to the phone as its OS would, exactly as the sandbox's bridge (bridge-flows.ts) does; once
   * it waits on the phone, answers the requester's side (the promise of the holder's answer).
   */
  async function deliverAnnexC(
    incoming: IncomingRequests,
    data: unknown,
    options: { device?: WalletDevice; signal?: AbortSignal } = {},
  ) {
    const device = options.device ?? phone;
    const summary = await readAnnexCRequest({ device, data, origin: ORIGIN });
    const outcome = incoming.deliver(device, {
      channel: 'dc-api-org-iso-mdoc',
      origin: ORIGIN,
      summary,
      present: ({ consent, userAuthentication, handOff }) =>
        presentAnnexC({ device, data, origin: ORIGIN, consent, userAuthentication, handOff }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return { outcome };
  }

  it('shows who asks, from where, and what — no value — and the approved answer verifies at that origin', async () => {
    const incoming = new IncomingRequests();
    const bank = bankRequest({
      full_name_unicode: true,
      resident_address_unicode: false,
      birth_date_unicode: false,
      individual_number_unicode: false,
    });
    const before = (await history()).length;
    const { outcome } = await deliverAnnexC(incoming, bank.data);
    // Delivered, the requester waits: the request is on the phone's screen.
    const views = incoming.pendingFor(phone.id);
    expect(views).toHaveLength(1);
    expect(incoming.pendingFor(other.id)).toEqual([]);
    const view = views[0] as MdocIncomingRequestView;
    expect(view.channel).toBe('dc-api-org-iso-mdoc');
    expect(view.origin).toBe(ORIGIN);
    expect(view.phone).toEqual({ id: phone.id, family: 'iphone' });
    expect(view.reader.authentication).toBe('verified');
    expect(view.reader.subject).toContain('Example Bank');
    expect(view.reader.myNumberLegalBasis).toBeNull();
    expect(Date.parse(view.expiresAt)).toBeGreaterThan(Date.parse(view.receivedAt));
    const doc = view.documents[0];
    expect(doc?.docType).toBe(MNC);
    expect(doc?.available).toBe(true);
    expect(doc?.name?.ja).toContain('マイナンバーカード');
    const element = (id: string) => doc?.elements.find((e) => e.identifier === id);
    expect(element('full_name_unicode')).toMatchObject({
      namespace: JP_MNC_NAMESPACE,
      intentToRetain: true,
      held: true,
      withheld: null,
    });
    expect(element('full_name_unicode')?.label.ja).toMatch(/氏名/);
    expect(element('full_name_unicode')?.label.en).toMatch(/name/i);
    expect(element('resident_address_unicode')?.intentToRetain).toBe(false);
    // My Number from a requester whose certificate declares no basis: shown, and withheld.
    expect(element('individual_number_unicode')?.withheld).toBe('my-number-without-basis');

    await incoming.approve(phone.id, view.id, {
      consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode'] } },
      userAuthentication: BIOMETRIC,
    });
    const answered = await outcome;
    if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
    expect(answered.presentation.disclosed).toEqual({
      [MNC]: [
        [JP_MNC_NAMESPACE, 'full_name_unicode'],
        [JP_MNC_NAMESPACE, 'resident_address_unicode'],
      ],
    });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
    const verified = await bank.verify(answered.presentation.response);
    expect(verified.verdict).toBe('valid');
    const values = verified.presentations[0]?.verification.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {};
    expect(Object.keys(values).sort()).toEqual(['full_name_unicode', 'resident_address_unicode']);
    // The screen named the elements, never a value.
    const shown = JSON.stringify(view);
    for (const value of Object.values(values)) {
      expect(typeof value).toBe('string');
      expect(shown).not.toContain(value as string);
    }
    // Bound to the page's origin: checked as if another page had asked, it does not even decrypt.
    const elsewhere = await bank.verify(answered.presentation.response, 'https://evil.example');
    expect(elsewhere.verdict).toBe('invalid');
    expect(elsewhere.checks.find((c) => c.id === 'response.decrypt')?.status).toBe('failed');
    expect(await history()).toHaveLength(before + 1);
    // Answered, it is gone: approving it again finds nothing.
    expect(
      await codeOf(
        incoming.approve(phone.id, view.id, {
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_NOT_FOUND');
  }, 60_000);

  it('a decline answers WALLET_DECLINED and records nothing; a lapse and a requester that gave up answer WALLET_REQUEST_EXPIRED', async () => {
    const before = (await history()).length;
    const incoming = new IncomingRequests();
    const { outcome: declined } = await deliverAnnexC(
      incoming,
      bankRequest({ full_name_unicode: false }).data,
    );
    incoming.decline(phone.id, lastOf(incoming, phone.id).id);
    expect(await declined).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
    expect(await history()).toHaveLength(before);

    // Nobody answers within the wait: the requester hears it expired and the screen clears.
    const hurried = new IncomingRequests({ waitMs: 20 });
    const { outcome: lapsed } = await deliverAnnexC(hurried, bankRequest({ full_name_unicode: false }).data);
    const id = lastOf(hurried, phone.id).id;
    expect(await lapsed).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
    expect(hurried.pendingFor(phone.id)).toEqual([]);
    expect(
      await codeOf(
        hurried.approve(phone.id, id, {
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_NOT_FOUND');

    // The requester's page closed (its AbortSignal): the same, and an already aborted one never shows.
    const gaveUp = new AbortController();
    const { outcome: abandoned } = await deliverAnnexC(
      incoming,
      bankRequest({ full_name_unicode: false }).data,
      {
        signal: gaveUp.signal,
      },
    );
    expect(incoming.pendingFor(phone.id)).toHaveLength(1);
    gaveUp.abort();
    expect(await abandoned).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
    expect(
      await (
        await deliverAnnexC(incoming, bankRequest({ full_name_unicode: false }).data, {
          signal: gaveUp.signal,
        })
      ).outcome,
    ).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
    expect(await history()).toHaveLength(before);
  }, 60_000);

  it('raises no screen for a docType the phone does not hold (unknown or not in force): WALLET_DOCUMENT_NOT_HELD, nothing recorded', async () => {
    const incoming = new IncomingRequests();
    const before = (await phone.store.presentations.list(phone.id)).length;
    const unknown = bankRequest({ full_name_unicode: false }, { docType: 'org.example.unknown.1' });
    const { outcome } = await deliverAnnexC(incoming, unknown.data);
    expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_DOCUMENT_NOT_HELD' });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
    expect(await phone.store.presentations.list(phone.id)).toHaveLength(before);
  });

  it('a requester’s own deadline (a reader’s session time) is shown and kept when sooner than the phone’s wait, never lengthens it', async () => {
    const received = new Date('2026-12-03T03:00:00.000Z');
    const incoming = new IncomingRequests({ now: () => received });
    const { data } = bankRequest({ full_name_unicode: false });
    const summary = await readAnnexCRequest({ device: phone, data, origin: ORIGIN });
    const base = {
      channel: 'iso-18013-5-proximity' as const,
      origin: null,
      summary,
      present: async () => ({ disclosed: {} }),
    };
    const sooner = incoming.deliver(phone, { ...base, expiresAt: new Date(received.getTime() + 60_000) });
    expect(lastOf(incoming, phone.id).expiresAt).toBe('2026-12-03T03:01:00.000Z');
    const later = incoming.deliver(phone, { ...base, expiresAt: new Date(received.getTime() + 3_600_000) });
    expect(lastOf(incoming, phone.id).expiresAt).toBe('2026-12-03T03:03:00.000Z');
    for (const v of incoming.pendingFor(phone.id)) incoming.decline(phone.id, v.id);
    expect((await sooner).kind).toBe('refused');
    expect((await later).kind).toBe('refused');
    // A deadline already passed: the request lapses at once, WALLET_REQUEST_EXPIRED.
    const before = (await history()).length;
    const passed = await incoming.deliver(phone, { ...base, expiresAt: new Date(received.getTime() - 1) });
    expect(passed).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
    expect(await history()).toHaveLength(before);
  });

  it(`keeps at most ${MAX_INCOMING_PER_PHONE} waiting per phone (WALLET_PHONE_BUSY), counting each phone apart`, async () => {
    const incoming = new IncomingRequests();
    const waiting = [];
    for (let i = 0; i < MAX_INCOMING_PER_PHONE; i++)
      waiting.push((await deliverAnnexC(incoming, bankRequest({ full_name_unicode: false }).data)).outcome);
    expect(incoming.pendingFor(phone.id)).toHaveLength(MAX_INCOMING_PER_PHONE);
    expect(
      await (await deliverAnnexC(incoming, bankRequest({ full_name_unicode: false }).data)).outcome,
    ).toEqual({
      kind: 'refused',
      code: 'WALLET_PHONE_BUSY',
    });
    expect(incoming.pendingFor(phone.id)).toHaveLength(MAX_INCOMING_PER_PHONE);
    // Another phone is counted apart: it is not busy — it holds no record, so it raises no screen at all
    // (WALLET_DOCUMENT_NOT_HELD, the OS offering only a wallet that holds a matching document).
    const { outcome: elsewhere } = await deliverAnnexC(
      incoming,
      bankRequest({ full_name_unicode: false }).data,
      {
        device: { ...other, readerTrustAnchors: [readerRoot] },
      },
    );
    expect(await elsewhere).toEqual({ kind: 'refused', code: 'WALLET_DOCUMENT_NOT_HELD' });
    expect(incoming.pendingFor(other.id)).toEqual([]);
    // Oldest first; declining one makes room again.
    const ids = incoming.pendingFor(phone.id).map((v) => v.id);
    expect(new Set(ids).size).toBe(MAX_INCOMING_PER_PHONE);
    for (const id of ids) incoming.decline(phone.id, id);
    for (const w of waiting) expect((await w).kind).toBe('refused');
    expect(incoming.pendingFor(phone.id)).toEqual([]);
  }, 60_000);

  it('a failed biometric, consent beyond the request, and My Number without a basis leave it waiting; the right answer then goes', async () => {
    const incoming = new IncomingRequests();
    const before = (await history()).length;
    const bank = bankRequest({ full_name_unicode: true, individual_number_unicode: false });
    const { outcome } = await deliverAnnexC(incoming, bank.data);
    const { id } = lastOf(incoming, phone.id);
    const name = { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } };

    expect(
      await codeOf(incoming.approve(phone.id, id, { consent: name, userAuthentication: NO_MATCH })),
    ).toBe('WALLET_BIOMETRIC_FAILED');
    expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
    expect(
      await codeOf(
        incoming.approve(phone.id, id, {
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['portrait'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_INVALID_INPUT');
    expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
    expect(
      await codeOf(
        incoming.approve(phone.id, id, {
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_MY_NUMBER_WITHHELD');
    expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
    // Another phone cannot answer it, nor decline it.
    expect(
      await codeOf(incoming.approve(other.id, id, { consent: name, userAuthentication: BIOMETRIC })),
    ).toBe('WALLET_NOT_FOUND');
    expect(() => incoming.decline(other.id, id)).toThrow(
      expect.objectContaining({ code: 'WALLET_NOT_FOUND' }),
    );
    expect(await history()).toHaveLength(before);

    // Two answers at once: the second is refused while the first runs, and cannot decline it either.
    const first = incoming.approve(phone.id, id, { consent: name, userAuthentication: BIOMETRIC });
    const second = incoming.approve(phone.id, id, { consent: name, userAuthentication: BIOMETRIC });
    expect(await codeOf(second)).toBe('WALLET_INVALID_INPUT');
    expect(() => incoming.decline(phone.id, id)).toThrow(
      expect.objectContaining({ code: 'WALLET_INVALID_INPUT' }),
    );
    expect(await first).toEqual({ disclosed: { [MNC]: [[JP_MNC_NAMESPACE, 'full_name_unicode']] } });
    const answered = await outcome;
    if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
    expect((await bank.verify(answered.presentation.response)).verdict).toBe('valid');
    expect(await history()).toHaveLength(before + 1);
  }, 60_000);

  it('an answer finished after the requester gave up is WALLET_REQUEST_EXPIRED on the phone too, never "sent"', async () => {
    const incoming = new IncomingRequests();
    const data = bankRequest({ full_name_unicode: true }).data;
    const summary = await readAnnexCRequest({ device: phone, data, origin: ORIGIN });
    const gaveUp = new AbortController();
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const outcome = incoming.deliver(phone, {
      channel: 'dc-api-org-iso-mdoc',
      origin: ORIGIN,
      summary,
      // The channel's presentation, held until the requester is gone.
      present: async () => {
        await gate;
        return { disclosed: { [MNC]: [[JP_MNC_NAMESPACE, 'full_name_unicode'] as const] } };
      },
      signal: gaveUp.signal,
    });
    const { id } = lastOf(incoming, phone.id);
    const answering = incoming.approve(phone.id, id, {
      consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      userAuthentication: BIOMETRIC,
    });
    gaveUp.abort();
    release();
    expect(await codeOf(answering)).toBe('WALLET_REQUEST_EXPIRED');
    expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
    expect(incoming.pendingFor(phone.id)).toEqual([]);
  });

  it('lets My Number through to a requester whose verified certificate declares a basis', async () => {
    const incoming = new IncomingRequests();
    const bank = bankRequest({ individual_number_unicode: false }, { basis: true });
    const { outcome } = await deliverAnnexC(incoming, bank.data);
    const view = lastOf(incoming, phone.id);
    expect(view.reader.myNumberLegalBasis).toEqual({ provision: '番号法第19条', basisCode: '第3号' });
    expect(view.documents[0]?.elements[0]?.withheld).toBeNull();
    await incoming.approve(phone.id, view.id, {
      consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['individual_number_unicode'] } },
      userAuthentication: BIOMETRIC,
    });
    const answered = await outcome;
    if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
    const verified = await bank.verify(answered.presentation.response);
    expect(verified.verdict).toBe('valid');
    const number = verified.presentations[0]?.verification.documents[0]?.elements[JP_MNC_NAMESPACE]
      ?.individual_number_unicode as string;
    expect(number).toMatch(/^\d{12}$/);
    // Neither the view nor the phone's history holds the number itself.
    expect(JSON.stringify(view)).not.toContain(number);
    expect(JSON.stringify(await history())).not.toContain(number);
  }, 60_000);

  describe('over HTTP (incoming-routes.ts)', () => {
    let incoming: IncomingRequests;
    let wallet: ReturnType<typeof createWalletApp>;
    let page: ReturnType<typeof tempDir>;
    beforeAll(() => {
      // A build of the request page as scripts/build-pages.mjs writes it (relative asset URLs).
      page = tempDir('mynakit-wallet-incoming-page-');
      mkdirSync(join(page.path, 'assets'), { recursive: true });
      writeFileSync(
        join(page.path, 'index.html'),
        '<!doctype html><title>request</title><script type="module" src="./assets/index-i.js"></script><div id="app"></div>',
      );
      writeFileSync(join(page.path, 'assets', 'index-i.js'), 'export {};');
    });
    afterAll(() => page?.remove());
    const fresh = () => {
      incoming = new IncomingRequests();
      wallet = createWalletApp({ phones: [phone, other], incoming, requestPageDir: page.path });
    };
    const list = async (phoneId = phone.id) => {
      const res = await wallet.request(`/phones/${phoneId}/incoming`, {
        headers: { accept: 'application/json' },
      });
      return res;
    };
    const post = (path: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
      wallet.request(path, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const problemOf = async (res: Response) => {
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      return (await res.json()) as { code: string; status: number };
    };

    it('lists what waits as JSON and serves the request page to a browser; 404 for an unknown phone', async () => {
      fresh();
      const empty = await list();
      expect(empty.status).toBe(200);
      expect(empty.headers.get('cache-control')).toBe('no-store');
      expect(await empty.json()).toEqual({ requests: [] });

      const { outcome } = await deliverAnnexC(incoming, bankRequest({ full_name_unicode: true }).data);
      const res = await list();
      const body = (await res.json()) as { requests: IncomingRequestSummary[] };
      expect(body.requests).toHaveLength(1);
      // The list carries each request's summary — who asks, from where, until when — not the elements.
      const { documents, ...summary } = lastOf(incoming, phone.id);
      expect(body.requests[0]).toEqual(JSON.parse(JSON.stringify(summary)));
      expect(body.requests[0]).not.toHaveProperty('documents');
      expect(
        body.requests[0]?.channel === 'dc-api-org-iso-mdoc' && body.requests[0].reader.subject,
      ).toContain('Example Bank');
      expect(((await (await list(other.id)).json()) as { requests: unknown[] }).requests).toEqual([]);

      // The full view, as the screen reads it once for the request it shows.
      const full = await wallet.request(`/phones/${phone.id}/incoming/${summary.id}`, {
        headers: { accept: 'application/json' },
      });
      expect(full.status).toBe(200);
      expect(full.headers.get('cache-control')).toBe('no-store');
      expect(await full.json()).toEqual(JSON.parse(JSON.stringify({ ...summary, documents })));
      // An unknown request (well-formed or not), another phone's, or an unknown phone: 404, echoing nothing.
      for (const path of [
        `/phones/${phone.id}/incoming/${'A'.repeat(22)}`,
        `/phones/${phone.id}/incoming/${encodeURIComponent('<ECHOMARKER>\u00e9')}`,
        `/phones/${phone.id}/incoming/${'B'.repeat(5000)}`,
        `/phones/${other.id}/incoming/${summary.id}`,
        `/phones/nobody/incoming/${summary.id}`,
      ]) {
        const missing = await wallet.request(path, { headers: { accept: 'application/json' } });
        expect(missing.status).toBe(404);
        const text = await missing.text();
        expect(JSON.parse(text)).toMatchObject({ status: 404, code: 'WALLET_NOT_FOUND' });
        expect(text).not.toContain('ECHOMARKER');
        expect(text).not.toContain('BBBBB');
        expect(text).not.toContain(summary.id);
      }

      // A browser (no JSON asked) gets the request page, which reads the list itself.
      const html = await wallet.request(`/phones/${phone.id}/incoming`, { headers: { accept: 'text/html' } });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(html.headers.get('cache-control')).toBe('no-store');
      const text = await html.text();
      expect(text).toContain('./assets/index-i.js');
      expect(text).not.toContain('Example Bank');
      expect((await wallet.request(`/phones/${phone.id}/assets/index-i.js`)).status).toBe(200);

      for (const path of ['/phones/nobody/incoming']) {
        const missing = await wallet.request(path, { headers: { accept: 'application/json' } });
        expect(missing.status).toBe(404);
        expect((await problemOf(missing)).code).toBe('WALLET_NOT_FOUND');
        expect((await wallet.request(path, { headers: { accept: 'text/html' } })).status).toBe(404);
      }
      incoming.decline(phone.id, body.requests[0]?.id as string);
      expect((await outcome).kind).toBe('refused');
    }, 60_000);

    it('approves with the biometric (a failed one keeps it waiting) and declines, by POST', async () => {
      fresh();
      const before = (await history()).length;
      const bank = bankRequest({
        full_name_unicode: true,
        resident_address_unicode: false,
        individual_number_unicode: false,
      });
      const { outcome } = await deliverAnnexC(incoming, bank.data);
      const { id } = lastOf(incoming, phone.id);
      const consent = { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } };

      const failed = await post(`/phones/${phone.id}/incoming/${id}`, { biometric: 'failed', consent });
      expect(failed.status).toBe(401);
      expect((await problemOf(failed)).code).toBe('WALLET_BIOMETRIC_FAILED');
      expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
      const notAsked = await post(`/phones/${phone.id}/incoming/${id}`, {
        biometric: 'matched',
        consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['portrait'] } },
      });
      expect(notAsked.status).toBe(400);
      expect((await problemOf(notAsked)).code).toBe('WALLET_INVALID_INPUT');
      const myNumber = await post(`/phones/${phone.id}/incoming/${id}`, {
        biometric: 'matched',
        consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['individual_number_unicode'] } },
      });
      expect(myNumber.status).toBe(403);
      expect((await problemOf(myNumber)).code).toBe('WALLET_MY_NUMBER_WITHHELD');
      const ofOther = await post(`/phones/${other.id}/incoming/${id}`, { biometric: 'matched', consent });
      expect(ofOther.status).toBe(404);
      expect((await problemOf(ofOther)).code).toBe('WALLET_NOT_FOUND');
      expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
      expect(await history()).toHaveLength(before);

      const sent = await post(`/phones/${phone.id}/incoming/${id}`, { biometric: 'matched', consent });
      expect(sent.status).toBe(200);
      expect(sent.headers.get('cache-control')).toBe('no-store');
      expect(await sent.json()).toEqual({
        sent: true,
        disclosed: { [MNC]: [[JP_MNC_NAMESPACE, 'full_name_unicode']] },
      });
      const answered = await outcome;
      if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
      expect((await bank.verify(answered.presentation.response)).verdict).toBe('valid');
      expect(await history()).toHaveLength(before + 1);
      const again = await post(`/phones/${phone.id}/incoming/${id}`, { biometric: 'matched', consent });
      expect(again.status).toBe(404);
      expect((await problemOf(again)).code).toBe('WALLET_NOT_FOUND');

      const { outcome: second } = await deliverAnnexC(
        incoming,
        bankRequest({ full_name_unicode: true }).data,
      );
      const next = lastOf(incoming, phone.id).id;
      expect((await problemOf(await post(`/phones/${other.id}/incoming/${next}/decline`, {}))).code).toBe(
        'WALLET_NOT_FOUND',
      );
      const declined = await post(`/phones/${phone.id}/incoming/${next}/decline`, {});
      expect(declined.status).toBe(200);
      expect(await declined.json()).toEqual({ declined: true });
      expect(await second).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
      expect((await post(`/phones/${phone.id}/incoming/${next}/decline`, {})).status).toBe(404);
      expect((await post(`/phones/nobody/incoming/${next}/decline`, {})).status).toBe(404);
      expect(await history()).toHaveLength(before + 1);
    }, 60_000);

    it('refuses malformed, oversized and non-JSON bodies with a stable code, echoing nothing, and the request still waits', async () => {
      fresh();
      const { outcome } = await deliverAnnexC(incoming, bankRequest({ full_name_unicode: true }).data);
      const { id } = lastOf(incoming, phone.id);
      const url = `/phones/${phone.id}/incoming/${id}`;
      const marker = '番号花子-echo-marker';
      const cases: [string, Response][] = [
        ['not JSON', await post(url, `{"biometric": "matched", "${marker}`)],
        ['an array', await post(url, [marker])],
        [
          'no biometric',
          await post(url, { consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } } }),
        ],
        ['a made-up biometric', await post(url, { biometric: marker, consent: {} })],
        ['consent not an object', await post(url, { biometric: 'matched', consent: marker })],
        [
          'identifiers not a list',
          await post(url, { biometric: 'matched', consent: { [MNC]: { [JP_MNC_NAMESPACE]: marker } } }),
        ],
        [
          'a document not asked',
          await post(url, { biometric: 'matched', consent: { [marker]: { x: ['y'] } } }),
        ],
        [
          'oversized',
          await post(url, {
            biometric: 'matched',
            consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
            pad: marker.repeat(2000),
          }),
        ],
        [
          'a form',
          await post(
            url,
            new URLSearchParams([
              ['biometric', 'matched'],
              ['pad', marker],
            ]).toString(),
            { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          ),
        ],
      ];
      for (const [what, res] of cases) {
        const text = await res.text();
        expect(res.status, what).toBe(400);
        expect(JSON.parse(text).code, what).toBe('WALLET_INVALID_INPUT');
        expect(text, what).not.toContain('echo-marker');
      }
      expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
      incoming.decline(phone.id, id);
      expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
    }, 60_000);
  });

  describe('a request for a JPKI signature (deliverJpkiSignature)', () => {
    const APPLICATION = '普通預金口座開設申込書\n申込日: 2026年12月3日\n取引の目的: 生計費決済';
    const BANK = 'サンドボックス銀行 (bank.example)';
    const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const signatureAnchors = () => env.issuer.deps.hierarchy.jpki.signature.cas.map((c) => c.certificate);

    /** Hands `content` to `device` for a signature as the sandbox's bridge does, signing with signWithJpki. */
    function deliverSignature(
      incoming: IncomingRequests,
      content: Uint8Array,
      options: { device?: WalletDevice; signal?: AbortSignal } = {},
    ): Promise<IncomingOutcome<{ signature: Uint8Array; certificate: Uint8Array }>> {
      const device = options.device ?? phone;
      return incoming.deliverJpkiSignature(device, {
        channel: 'jpki-signature',
        origin: ORIGIN,
        relyingParty: BANK,
        content,
        present: ({ password, handOff }) =>
          signWithJpki({ device, content, password, relyingParty: BANK, handOff }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    }

    /** The signature request waiting on `phoneId` once it shows (the phone's store is read first). */
    async function signatureOn(
      incoming: IncomingRequests,
      phoneId: string,
      count = 1,
    ): Promise<JpkiSignatureIncomingRequestView> {
      for (let i = 0; i < 500; i++) {
        const views = incoming.pendingFor(phoneId);
        const view = views.at(-1);
        if (views.length >= count && view?.channel === 'jpki-signature') return view;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error('no signature request shows on the phone');
    }

    const verify = (signature: Uint8Array, content: Uint8Array) =>
      verifyJpkiSignature({
        signature,
        content,
        trustAnchors: signatureAnchors(),
        now: new Date(),
        profile: 'jpki-sign',
        policies: SANDBOX_JPKI_POLICY_CONFIG,
      });

    it('shows who asks as named (not verified), the document, its size and SHA-256 and the tries left — never the password; the right password signs exactly the content', async () => {
      const incoming = new IncomingRequests();
      const content = new TextEncoder().encode(APPLICATION);
      const before = (await history()).length;
      const outcome = deliverSignature(incoming, content);
      const view = await signatureOn(incoming, phone.id);
      expect(view).toEqual({
        id: view.id,
        channel: 'jpki-signature',
        origin: ORIGIN,
        receivedAt: view.receivedAt,
        expiresAt: view.expiresAt,
        phone: { id: phone.id, family: 'iphone' },
        relyingParty: { name: BANK, verified: false },
        document: { text: APPLICATION, size: content.length, sha256: hex(content) },
        remainingTries: 5,
      });
      expect(Date.parse(view.expiresAt)).toBeGreaterThan(Date.parse(view.receivedAt));
      expect(incoming.pendingFor(other.id)).toEqual([]);

      expect(await incoming.approve(phone.id, view.id, { password: PASSWORD })).toEqual({ signed: true });
      const answered = await outcome;
      if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
      const report = await verify(answered.presentation.signature, content);
      // Everything but revocation (no source given here) passes, over exactly the content shown.
      expect(report.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual([
        'status.revocation',
      ]);
      const changed = new TextEncoder().encode(APPLICATION.replace('生計費決済', '事業資金'));
      expect((await verify(answered.presentation.signature, changed)).verdict).toBe('invalid');
      expect(incoming.pendingFor(phone.id)).toEqual([]);
      const lines = await history();
      expect(lines).toHaveLength(before + 1);
      expect(JSON.stringify(lines)).toContain('jpki-signature');
      expect(JSON.stringify(lines)).not.toContain('普通預金');
      // Neither the view nor the history holds the password.
      expect(JSON.stringify(view)).not.toContain(PASSWORD);
      expect(JSON.stringify(lines)).not.toContain(PASSWORD);
      expect(await codeOf(incoming.approve(phone.id, view.id, { password: PASSWORD }))).toBe(
        'WALLET_NOT_FOUND',
      );

      // Bytes that are not text: their size and hash only; a decline signs nothing.
      const binary = new Uint8Array([0x30, 0x82, 0xff, 0xfe, 0x00, 0x01]);
      const declined = deliverSignature(incoming, binary);
      const shown = await signatureOn(incoming, phone.id);
      expect(shown.document).toEqual({ text: null, size: 6, sha256: hex(binary) });
      incoming.decline(phone.id, shown.id);
      expect(await declined).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
      // The requester gave up: it leaves the phone.
      const gaveUp = new AbortController();
      const abandoned = deliverSignature(incoming, content, { signal: gaveUp.signal });
      await signatureOn(incoming, phone.id);
      gaveUp.abort();
      expect(await abandoned).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      expect(incoming.pendingFor(phone.id)).toEqual([]);
      expect(await history()).toHaveLength(before + 1);
    }, 60_000);

    it('a wrong password keeps it waiting with the tries left, a malformed one or a biometric costs no try, then the right one signs', async () => {
      const incoming = new IncomingRequests();
      const content = new TextEncoder().encode(APPLICATION);
      const outcome = deliverSignature(incoming, content);
      const { id } = await signatureOn(incoming, phone.id);
      const wrong = await errorOf(incoming.approve(phone.id, id, { password: 'WRONG2026' }));
      expect([wrong?.code, wrong?.remainingTries]).toEqual(['WALLET_SECRET_WRONG', 4]);
      expect(await signatureOn(incoming, phone.id)).toMatchObject({ id, remainingTries: 4 });
      for (const malformed of ['abc', 'phone2026', 'TOO-LONG-PASSWORD-2026', '']) {
        expect(await codeOf(incoming.approve(phone.id, id, { password: malformed })), malformed).toBe(
          'WALLET_SECRET_FORMAT',
        );
      }
      // Never a biometric for a signature (DOMAIN.md §3), and never a record's consent.
      expect(
        await codeOf(
          incoming.approve(phone.id, id, {
            consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
            userAuthentication: BIOMETRIC,
          }),
        ),
      ).toBe('WALLET_INVALID_INPUT');
      expect((await phone.secrets.status('signaturePassword')).remaining).toBe(4);
      expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);

      await incoming.approve(phone.id, id, { password: PASSWORD });
      const answered = await outcome;
      if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
      const report = await verify(answered.presentation.signature, content);
      expect(report.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual([
        'status.revocation',
      ]);
      // The right password gives the tries back.
      expect((await phone.secrets.status('signaturePassword')).remaining).toBe(5);

      // A record's request takes no password.
      const { outcome: record } = await deliverAnnexC(
        incoming,
        bankRequest({ full_name_unicode: true }).data,
      );
      const recordId = lastOf(incoming, phone.id).id;
      expect(await codeOf(incoming.approve(phone.id, recordId, { password: PASSWORD }))).toBe(
        'WALLET_INVALID_INPUT',
      );
      incoming.decline(phone.id, recordId);
      expect(await record).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
    }, 60_000);

    it('a phone without a signature certificate in force is refused at once: WALLET_DOCUMENT_NOT_HELD', async () => {
      const incoming = new IncomingRequests();
      const outcome = await deliverSignature(incoming, new TextEncoder().encode(APPLICATION), {
        device: other,
      });
      expect(outcome).toEqual({ kind: 'refused', code: 'WALLET_DOCUMENT_NOT_HELD' });
      expect(incoming.pendingFor(other.id)).toEqual([]);
      expect(await other.store.presentations.list(other.id)).toEqual([]);
    });

    it('five wrong passwords over HTTP: 401 with the tries left, then 423 WALLET_SECRET_LOCKED ends every signature request waiting — the requester hears it — and the lock persists', async () => {
      // A phone of its own: its password ends locked.
      const locking = await env.phone('incoming-jpki-lock', 'android');
      await installCredentials({
        device: locking,
        issuer: env.client,
        card: await env.card('sandbox-ordinary-male'),
        cardPins: await cardPinsOf(env, 'sandbox-ordinary-male'),
        liveness: { confirmed: true },
        newAuthPin: ['1357', '1357'],
        newSignaturePassword: ['LOCKME2026', 'LOCKME2026'],
        biometric: BIOMETRIC,
        trustAnchors: env.trustAnchors,
      });
      const incoming = new IncomingRequests();
      const lines: string[] = [];
      const wallet = createWalletApp({ phones: [locking], incoming, log: (l) => lines.push(l) });
      const content = new TextEncoder().encode(APPLICATION);
      const first = deliverSignature(incoming, content, { device: locking });
      const { id } = await signatureOn(incoming, locking.id);
      const second = deliverSignature(incoming, new Uint8Array([1, 2, 3]), { device: locking });
      await signatureOn(incoming, locking.id, 2);
      const answer = (password: string) =>
        wallet.request(`/phones/${locking.id}/incoming/${id}`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: JSON.stringify({ password }),
        });
      for (const left of [4, 3, 2, 1]) {
        const res = await answer(`WRONG${left}000`);
        const text = await res.text();
        expect(res.status).toBe(401);
        expect(JSON.parse(text)).toMatchObject({ code: 'WALLET_SECRET_WRONG', remainingTries: left });
        expect(text).not.toContain(`WRONG${left}000`);
        expect(
          incoming.pendingFor(locking.id).map((v) => v.channel === 'jpki-signature' && v.remainingTries),
        ).toEqual([left, left]);
      }
      const locked = await answer('WRONG0000');
      expect(locked.status).toBe(423);
      expect(((await locked.json()) as { code: string }).code).toBe('WALLET_SECRET_LOCKED');
      expect(await first).toEqual({ kind: 'refused', code: 'WALLET_SECRET_LOCKED' });
      expect(await second).toEqual({ kind: 'refused', code: 'WALLET_SECRET_LOCKED' });
      expect(incoming.pendingFor(locking.id)).toEqual([]);
      expect(lines.join('\n')).not.toContain('WRONG');

      // The lock is stored: the right password opens nothing, and a new request is refused at once.
      expect(await locking.secrets.status('signaturePassword')).toMatchObject({ locked: true, remaining: 0 });
      expect(
        await codeOf(signWithJpki({ device: locking, content, password: 'LOCKME2026', relyingParty: BANK })),
      ).toBe('WALLET_SECRET_LOCKED');
      expect(await deliverSignature(incoming, content, { device: locking })).toEqual({
        kind: 'refused',
        code: 'WALLET_SECRET_LOCKED',
      });
      expect(incoming.pendingFor(locking.id)).toEqual([]);
      expect(JSON.stringify(await locking.store.presentations.list(locking.id))).not.toContain(
        'jpki-signature',
      );
    }, 120_000);

    it('over HTTP: the list shows the document and the tries, {password} signs, a malformed password costs no try, malformed and oversized bodies are refused echoing nothing, and a decline', async () => {
      const incoming = new IncomingRequests();
      const lines: string[] = [];
      const wallet = createWalletApp({ phones: [phone, other], incoming, log: (l) => lines.push(l) });
      const post = (path: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
        wallet.request(path, {
          method: 'POST',
          headers,
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const content = new TextEncoder().encode(APPLICATION);
      const outcome = deliverSignature(incoming, content);
      const { id } = await signatureOn(incoming, phone.id);
      const listed = await wallet.request(`/phones/${phone.id}/incoming`, {
        headers: { accept: 'application/json' },
      });
      expect(listed.headers.get('cache-control')).toBe('no-store');
      // The list, polled every second, carries the document's size and SHA-256 — never its text.
      const { requests } = (await listed.json()) as { requests: IncomingRequestSummary[] };
      expect(requests).toEqual([JSON.parse(JSON.stringify(incoming.summariesFor(phone.id)[0]))]);
      expect(requests[0]).toMatchObject({
        id,
        channel: 'jpki-signature',
        origin: ORIGIN,
        relyingParty: { name: BANK, verified: false },
        document: { size: content.length, sha256: hex(content) },
      });
      expect(requests[0]?.channel === 'jpki-signature' && requests[0].document).not.toHaveProperty('text');
      expect(JSON.stringify(requests)).not.toContain('普通預金口座開設申込書');
      // The full view, read once: the text and the tries left.
      const full = await wallet.request(`/phones/${phone.id}/incoming/${id}`, {
        headers: { accept: 'application/json' },
      });
      expect(await full.json()).toMatchObject({
        channel: 'jpki-signature',
        relyingParty: { name: BANK, verified: false },
        document: { text: APPLICATION, size: content.length, sha256: hex(content) },
        remainingTries: 5,
      });

      const url = `/phones/${phone.id}/incoming/${id}`;
      const marker = 'ECHOMARKER1';
      const cases: [string, Response][] = [
        ['not JSON', await post(url, `{"password": "${marker}`)],
        ['an array', await post(url, [marker])],
        ['no password', await post(url, {})],
        ['a password not text', await post(url, { password: 2026 })],
        ['a biometric instead', await post(url, { biometric: 'matched' })],
        ['a biometric beside', await post(url, { password: marker, biometric: 'matched' })],
        ['oversized', await post(url, { password: marker, pad: 'x'.repeat(20_000) })],
        [
          'a form',
          await post(url, new URLSearchParams([['password', marker]]).toString(), {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          }),
        ],
      ];
      for (const [what, res] of cases) {
        const text = await res.text();
        expect(res.status, what).toBe(400);
        expect(JSON.parse(text).code, what).toBe('WALLET_INVALID_INPUT');
        expect(text, what).not.toContain(marker);
      }
      const malformed = await post(url, { password: 'abc' });
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { code: string }).code).toBe('WALLET_SECRET_FORMAT');
      const wrong = await post(url, { password: 'WRONG2026' });
      expect(wrong.status).toBe(401);
      const problem = await wrong.text();
      expect(JSON.parse(problem)).toMatchObject({ code: 'WALLET_SECRET_WRONG', remainingTries: 4 });
      expect(problem).not.toContain('WRONG2026');
      expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
      expect((await post(`/phones/${other.id}/incoming/${id}`, { password: PASSWORD })).status).toBe(404);

      const signed = await post(url, { password: PASSWORD });
      expect(signed.status).toBe(200);
      expect(signed.headers.get('cache-control')).toBe('no-store');
      expect(await signed.json()).toEqual({ sent: true, signed: true });
      const answered = await outcome;
      if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
      expect(
        (await verify(answered.presentation.signature, content)).checks
          .filter((c) => c.status !== 'passed')
          .map((c) => c.id),
      ).toEqual(['status.revocation']);
      expect((await post(url, { password: PASSWORD })).status).toBe(404);

      const declinedOutcome = deliverSignature(incoming, content);
      const next = await signatureOn(incoming, phone.id);
      const declined = await post(`/phones/${phone.id}/incoming/${next.id}/decline`, {});
      expect(declined.status).toBe(200);
      expect(await declined.json()).toEqual({ declined: true });
      expect(await declinedOutcome).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
      // The app logged the route only: no password, no document.
      const logged = lines.join('\n');
      for (const secret of [PASSWORD, 'WRONG2026', marker, '普通預金']) expect(logged).not.toContain(secret);
    }, 60_000);
  });

  describe('a request for a JPKI user authentication (deliverJpkiUserAuthentication)', () => {
    const PORTAL = 'サンドボックス行政ポータル (portal.example)';
    const AUTH_PIN = '2468';
    const authAnchors = () => env.issuer.deps.hierarchy.jpki.userAuthentication.cas.map((c) => c.certificate);
    const freshChallenge = () => new Uint8Array(randomBytes(CHALLENGE_LENGTH));

    /** Hands a sign-in to `device` as the sandbox's bridge does, answering with authenticateWithJpki. */
    function deliverSignIn(
      incoming: IncomingRequests,
      challenge: Uint8Array,
      options: { device?: WalletDevice; unlock?: 'pin-or-biometric' | 'biometric' } = {},
    ): Promise<IncomingOutcome<{ signature: Uint8Array; certificate: Uint8Array }>> {
      const device = options.device ?? phone;
      return incoming.deliverJpkiUserAuthentication(device, {
        channel: 'jpki-user-authentication',
        origin: 'https://portal.example',
        relyingParty: PORTAL,
        challenge,
        unlock: options.unlock ?? 'pin-or-biometric',
        present: ({ userAuthentication, handOff }) =>
          authenticateWithJpki({ device, challenge, userAuthentication, relyingParty: PORTAL, handOff }),
      });
    }

    /** The sign-in waiting on `phoneId` once it shows (the phone's store is read first). */
    async function signInOn(
      incoming: IncomingRequests,
      phoneId: string,
      count = 1,
    ): Promise<JpkiUserAuthenticationIncomingRequestView> {
      for (let i = 0; i < 500; i++) {
        const views = incoming.pendingFor(phoneId);
        const view = views.at(-1);
        if (views.length >= count && view?.channel === 'jpki-user-authentication') return view;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error('no sign-in shows on the phone');
    }

    /** The checks that did not pass when the relying party verifies `answer` against its `challenge`. */
    async function unverified(
      outcome: IncomingOutcome<{ signature: Uint8Array; certificate: Uint8Array }>,
      challenge: Uint8Array,
    ): Promise<string[]> {
      if (outcome.kind !== 'answered') throw new Error(`refused: ${outcome.code}`);
      const report = await verifyAuthResponse({
        challenge,
        signature: outcome.presentation.signature,
        certificate: outcome.presentation.certificate,
        trustAnchors: authAnchors(),
        now: new Date(),
        policies: SANDBOX_JPKI_POLICY_CONFIG,
      });
      return report.checks.filter((c) => c.status !== 'passed').map((c) => c.id);
    }

    it('shows who asks as named (not verified), the unlock and the PIN tries — never the challenge nor the PIN; the right PIN signs exactly the challenge', async () => {
      const incoming = new IncomingRequests();
      const challenge = freshChallenge();
      const before = (await history()).length;
      const outcome = deliverSignIn(incoming, challenge);
      const view = await signInOn(incoming, phone.id);
      expect(view).toEqual({
        id: view.id,
        channel: 'jpki-user-authentication',
        origin: 'https://portal.example',
        receivedAt: view.receivedAt,
        expiresAt: view.expiresAt,
        phone: { id: phone.id, family: 'iphone' },
        relyingParty: { name: PORTAL, verified: false },
        unlock: 'pin-or-biometric',
        remainingTries: 3,
      });
      const shown = JSON.stringify(view);
      for (const encoding of ['hex', 'base64', 'base64url'] as const)
        expect(shown).not.toContain(Buffer.from(challenge).toString(encoding));
      expect(incoming.pendingFor(other.id)).toEqual([]);

      expect(await incoming.approve(phone.id, view.id, { pin: AUTH_PIN })).toEqual({ authenticated: true });
      const answered = await outcome;
      // Everything but revocation (no source given here) passes, over exactly the challenge drawn.
      expect(await unverified(answered, challenge)).toEqual(['status.revocation']);
      expect(await unverified(answered, freshChallenge())).toContain('auth.signature');
      expect(incoming.pendingFor(phone.id)).toEqual([]);
      const lines = await history();
      expect(lines).toHaveLength(before + 1);
      expect(JSON.stringify(lines)).toContain('jpki-user-authentication');
      expect(JSON.stringify(lines)).not.toContain(AUTH_PIN);
      expect(await codeOf(incoming.approve(phone.id, view.id, { pin: AUTH_PIN }))).toBe('WALLET_NOT_FOUND');

      // A decline signs nothing.
      const declined = deliverSignIn(incoming, freshChallenge());
      incoming.decline(phone.id, (await signInOn(incoming, phone.id)).id);
      expect(await declined).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
      expect(await history()).toHaveLength(before + 1);
    }, 60_000);

    it('the biometric stands in for the PIN: a failed one keeps it waiting and uses no try, a matched one signs; the face check only takes no PIN', async () => {
      const incoming = new IncomingRequests();
      const challenge = freshChallenge();
      const outcome = deliverSignIn(incoming, challenge);
      const { id } = await signInOn(incoming, phone.id);
      expect(await codeOf(incoming.approve(phone.id, id, { biometric: 'failed' }))).toBe(
        'WALLET_BIOMETRIC_FAILED',
      );
      expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);
      expect((await phone.secrets.status('authPin')).remaining).toBe(3);
      expect(await incoming.approve(phone.id, id, { biometric: 'matched' })).toEqual({ authenticated: true });
      expect(await unverified(await outcome, challenge)).toEqual(['status.revocation']);

      // A reader asking for the face check: the view says so, a PIN ends it, nothing is signed.
      const faceOnly = deliverSignIn(incoming, freshChallenge(), { unlock: 'biometric' });
      const face = await signInOn(incoming, phone.id);
      expect(face).toMatchObject({ unlock: 'biometric', remainingTries: 3 });
      expect(await codeOf(incoming.approve(phone.id, face.id, { pin: AUTH_PIN }))).toBe(
        'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
      );
      expect(await faceOnly).toEqual({ kind: 'refused', code: 'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED' });
      expect(incoming.pendingFor(phone.id)).toEqual([]);
      // …and the biometric signs it.
      const faceChallenge = freshChallenge();
      const faceSigned = deliverSignIn(incoming, faceChallenge, { unlock: 'biometric' });
      await incoming.approve(phone.id, (await signInOn(incoming, phone.id)).id, { biometric: 'matched' });
      expect(await unverified(await faceSigned, faceChallenge)).toEqual(['status.revocation']);
    }, 60_000);

    it('a wrong PIN keeps it waiting with the tries left, a malformed one costs no try, the signature password or a record’s consent are refused, then the right PIN signs', async () => {
      const incoming = new IncomingRequests();
      const challenge = freshChallenge();
      const outcome = deliverSignIn(incoming, challenge);
      const { id } = await signInOn(incoming, phone.id);
      const wrong = await errorOf(incoming.approve(phone.id, id, { pin: '1111' }));
      expect([wrong?.code, wrong?.remainingTries]).toEqual(['WALLET_SECRET_WRONG', 2]);
      expect(await signInOn(incoming, phone.id)).toMatchObject({ id, remainingTries: 2 });
      for (const malformed of ['123', '12345', 'abcd', '']) {
        expect(await codeOf(incoming.approve(phone.id, id, { pin: malformed })), malformed).toBe(
          'WALLET_SECRET_FORMAT',
        );
      }
      expect(await codeOf(incoming.approve(phone.id, id, { password: PASSWORD }))).toBe(
        'WALLET_INVALID_INPUT',
      );
      expect(
        await codeOf(
          incoming.approve(phone.id, id, {
            consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
            userAuthentication: BIOMETRIC,
          }),
        ),
      ).toBe('WALLET_INVALID_INPUT');
      expect((await phone.secrets.status('authPin')).remaining).toBe(2);
      expect(incoming.pendingFor(phone.id).map((v) => v.id)).toEqual([id]);

      await incoming.approve(phone.id, id, { pin: AUTH_PIN });
      expect(await unverified(await outcome, challenge)).toEqual(['status.revocation']);
      // The right PIN gives the tries back.
      expect((await phone.secrets.status('authPin')).remaining).toBe(3);
    }, 60_000);

    it('a phone without a user-authentication certificate in force is refused at once: WALLET_DOCUMENT_NOT_HELD', async () => {
      const incoming = new IncomingRequests();
      expect(await deliverSignIn(incoming, freshChallenge(), { device: other })).toEqual({
        kind: 'refused',
        code: 'WALLET_DOCUMENT_NOT_HELD',
      });
      expect(incoming.pendingFor(other.id)).toEqual([]);
      expect(await other.store.presentations.list(other.id)).toEqual([]);
    });

    it('over HTTP: {pin} and {biometric} answer, malformed bodies are refused echoing nothing, three wrong PINs lock it (423) and end every sign-in waiting but not a signature, and the lock persists', async () => {
      // A phone of its own: its auth PIN ends locked.
      const locking = await env.phone('incoming-auth-lock', 'android');
      await installCredentials({
        device: locking,
        issuer: env.client,
        card: await env.card('sandbox-ordinary-male'),
        cardPins: await cardPinsOf(env, 'sandbox-ordinary-male'),
        liveness: { confirmed: true },
        newAuthPin: ['1357', '1357'],
        newSignaturePassword: ['LOCKME2026', 'LOCKME2026'],
        biometric: BIOMETRIC,
        trustAnchors: env.trustAnchors,
      });
      const incoming = new IncomingRequests();
      const lines: string[] = [];
      const wallet = createWalletApp({ phones: [locking, other], incoming, log: (l) => lines.push(l) });
      const post = (path: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
        wallet.request(path, {
          method: 'POST',
          headers,
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });

      // Signed in with the PIN, then with the biometric (a failed one first: 401, still waiting).
      const challenge = freshChallenge();
      const first = deliverSignIn(incoming, challenge, { device: locking });
      const { id } = await signInOn(incoming, locking.id);
      const listed = await wallet.request(`/phones/${locking.id}/incoming`, {
        headers: { accept: 'application/json' },
      });
      const { requests } = (await listed.json()) as { requests: IncomingRequestSummary[] };
      expect(requests).toEqual([JSON.parse(JSON.stringify(incoming.summariesFor(locking.id)[0]))]);
      expect(requests[0]).toMatchObject({ id, channel: 'jpki-user-authentication' });
      const full = await wallet.request(`/phones/${locking.id}/incoming/${id}`, {
        headers: { accept: 'application/json' },
      });
      expect(await full.json()).toMatchObject({
        channel: 'jpki-user-authentication',
        relyingParty: { name: PORTAL, verified: false },
        unlock: 'pin-or-biometric',
        remainingTries: 3,
      });
      const url = `/phones/${locking.id}/incoming/${id}`;
      const marker = 'ECHOMARKER2';
      const cases: [string, Response][] = [
        ['not JSON', await post(url, `{"pin": "${marker}`)],
        ['nothing', await post(url, {})],
        ['a PIN not text', await post(url, { pin: 1357 })],
        ['a biometric of another kind', await post(url, { biometric: marker })],
        ['both', await post(url, { pin: marker, biometric: 'matched' })],
        ['the signature password', await post(url, { password: marker })],
        ['oversized', await post(url, { pin: marker, pad: 'x'.repeat(20_000) })],
      ];
      for (const [what, res] of cases) {
        const text = await res.text();
        expect(res.status, what).toBe(400);
        expect(JSON.parse(text).code, what).toBe('WALLET_INVALID_INPUT');
        expect(text, what).not.toContain(marker);
      }
      const malformed = await post(url, { pin: '12' });
      expect([malformed.status, ((await malformed.json()) as { code: string }).code]).toEqual([
        400,
        'WALLET_SECRET_FORMAT',
      ]);
      const signedIn = await post(url, { pin: '1357' });
      expect(signedIn.status).toBe(200);
      expect(signedIn.headers.get('cache-control')).toBe('no-store');
      expect(await signedIn.json()).toEqual({ sent: true, authenticated: true });
      expect(await unverified(await first, challenge)).toEqual(['status.revocation']);

      const byFace = freshChallenge();
      const second = deliverSignIn(incoming, byFace, { device: locking });
      const secondUrl = `/phones/${locking.id}/incoming/${(await signInOn(incoming, locking.id)).id}`;
      const failed = await post(secondUrl, { biometric: 'failed' });
      expect([failed.status, ((await failed.json()) as { code: string }).code]).toEqual([
        401,
        'WALLET_BIOMETRIC_FAILED',
      ]);
      expect(incoming.pendingFor(locking.id)).toHaveLength(1);
      expect((await post(secondUrl, { biometric: 'matched' })).status).toBe(200);
      expect(await unverified(await second, byFace)).toEqual(['status.revocation']);

      // Three wrong PINs: 401 with the tries left, then 423 ends both sign-ins waiting, not the signature.
      const a = deliverSignIn(incoming, freshChallenge(), { device: locking });
      const { id: lockId } = await signInOn(incoming, locking.id);
      const b = deliverSignIn(incoming, freshChallenge(), { device: locking });
      await signInOn(incoming, locking.id, 2);
      const content = new TextEncoder().encode('申込書');
      const signature = incoming.deliverJpkiSignature(locking, {
        channel: 'jpki-signature',
        origin: null,
        relyingParty: PORTAL,
        content,
        present: ({ password, handOff }) =>
          signWithJpki({ device: locking, content, password, relyingParty: PORTAL, handOff }),
      });
      for (let i = 0; i < 500 && incoming.pendingFor(locking.id).length < 3; i++)
        await new Promise((r) => setTimeout(r, 5));
      const lockUrl = `/phones/${locking.id}/incoming/${lockId}`;
      for (const left of [2, 1]) {
        const res = await post(lockUrl, { pin: `000${left}` });
        const text = await res.text();
        expect(res.status).toBe(401);
        expect(JSON.parse(text)).toMatchObject({ code: 'WALLET_SECRET_WRONG', remainingTries: left });
        expect(
          incoming
            .pendingFor(locking.id)
            .filter((v) => v.channel === 'jpki-user-authentication')
            .map((v) => v.remainingTries),
        ).toEqual([left, left]);
      }
      const locked = await post(lockUrl, { pin: '0000' });
      expect(locked.status).toBe(423);
      expect(((await locked.json()) as { code: string }).code).toBe('WALLET_SECRET_LOCKED');
      expect(await a).toEqual({ kind: 'refused', code: 'WALLET_SECRET_LOCKED' });
      expect(await b).toEqual({ kind: 'refused', code: 'WALLET_SECRET_LOCKED' });
      const waiting = incoming.pendingFor(locking.id);
      expect(waiting.map((v) => v.channel)).toEqual(['jpki-signature']);
      const declined = await post(`/phones/${locking.id}/incoming/${waiting[0]?.id}/decline`, {});
      expect(await declined.json()).toEqual({ declined: true });
      expect(await signature).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });

      // The lock is stored: a new sign-in is refused at once, and no biometric stands in for it.
      expect(await locking.secrets.status('authPin')).toMatchObject({ locked: true, remaining: 0 });
      expect(await deliverSignIn(incoming, freshChallenge(), { device: locking })).toEqual({
        kind: 'refused',
        code: 'WALLET_SECRET_LOCKED',
      });
      expect(incoming.pendingFor(locking.id)).toEqual([]);
      const logged = lines.join('\n');
      for (const secret of ['1357', '0000', '0001', '0002', marker]) expect(logged).not.toContain(secret);
    }, 120_000);
  });

  describe('a face-to-face reader over ISO/IEC 18013-5 proximity', () => {
    /** The reader scans the phone's engagement and asks; the phone delivers the request to its screen. */
    async function readerAsks(incoming: IncomingRequests, elements: string[]) {
      const { handle, summary, reader, response, readerSocket } = await proximityEngagement(
        phone,
        buildDeviceRequest({
          docRequests: [buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: elements } })],
        }),
        cleanups,
      );
      // As the sandbox's proximity read does (proximity-read.ts): a refusal ends the session, status 20.
      const outcome = incoming
        .deliver(phone, {
          channel: 'iso-18013-5-proximity',
          origin: null,
          summary,
          present: (approved) => handle.answer(approved),
        })
        .then(async (o) => {
          if (o.kind === 'refused') await handle.decline();
          return o;
        });
      return { reader, response, outcome, readerSocket };
    }

    it('an approval on the phone answers the reader with only the ticked elements', async () => {
      const incoming = new IncomingRequests();
      const wallet = createWalletApp({ phones: [phone], incoming });
      const { reader, response, outcome } = await readerAsks(incoming, [
        'full_name_unicode',
        'birth_date_unicode',
        'portrait',
      ]);
      const listed = (await (
        await wallet.request(`/phones/${phone.id}/incoming`, { headers: { accept: 'application/json' } })
      ).json()) as { requests: IncomingRequestSummary[] };
      const view = (await (
        await wallet.request(`/phones/${phone.id}/incoming/${listed.requests[0]?.id}`, {
          headers: { accept: 'application/json' },
        })
      ).json()) as MdocIncomingRequestView;
      expect(view.channel).toBe('iso-18013-5-proximity');
      expect(view.origin).toBeNull();
      expect(view.reader).toEqual({ authentication: 'none', subject: null, myNumberLegalBasis: null });
      expect(view.documents[0]?.elements.map((e) => e.identifier).sort()).toEqual([
        'birth_date_unicode',
        'full_name_unicode',
        'portrait',
      ]);

      const sent = await wallet.request(`/phones/${phone.id}/incoming/${view.id}`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({
          biometric: 'matched',
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'birth_date_unicode'] } },
        }),
      });
      expect(sent.status).toBe(200);
      expect((await outcome).kind).toBe('answered');
      const v = await verifyDeviceResponse(await response, {
        sessionTranscriptBytes: reader.sessionTranscriptBytes,
        trustAnchors: env.trustAnchors.slice(0, 1),
        now: new Date(),
        docType: MNC,
      });
      expect(v.verdict).toBe('valid');
      expect(Object.keys(v.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {}).sort()).toEqual([
        'birth_date_unicode',
        'full_name_unicode',
      ]);
      expect(JSON.stringify(view)).not.toContain(
        v.documents[0]?.elements[JP_MNC_NAMESPACE]?.full_name_unicode as string,
      );
    }, 60_000);

    it('a decline on the phone ends the reader’s session (status 20) and records nothing', async () => {
      const incoming = new IncomingRequests();
      const wallet = createWalletApp({ phones: [phone], incoming });
      const before = (await history()).length;
      const { response, outcome } = await readerAsks(incoming, ['full_name_unicode']);
      const { id } = lastOf(incoming, phone.id);
      const declined = await wallet.request(`/phones/${phone.id}/incoming/${id}/decline`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: '{}',
      });
      expect(declined.status).toBe(200);
      expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_DECLINED' });
      await expect(response).rejects.toMatchObject({ code: 'SESSION_TERMINATED' });
      expect(await history()).toHaveLength(before);
    }, 60_000);
  });

  describe('an answer made after the requester gave up leaves no history line (the hand-off)', () => {
    /** The requester gives up while the phone makes the answer: its signal fires inside the presentation. */
    const givingUp = () => {
      const requester = new AbortController();
      return { signal: requester.signal, giveUp: () => requester.abort() };
    };
    const CONSENT = { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } };

    it('a page’s Annex C request: WALLET_REQUEST_EXPIRED, nothing written; a give-up while it is handed over comes too late', async () => {
      const incoming = new IncomingRequests();
      const before = (await history()).length;
      const { data } = bankRequest({ full_name_unicode: false });
      const summary = await readAnnexCRequest({ device: phone, data, origin: ORIGIN });
      const { signal, giveUp } = givingUp();
      const outcome = incoming.deliver(phone, {
        channel: 'dc-api-org-iso-mdoc',
        origin: ORIGIN,
        summary,
        present: ({ consent, userAuthentication, handOff }) => {
          giveUp();
          return presentAnnexC({ device: phone, data, origin: ORIGIN, consent, userAuthentication, handOff });
        },
        signal,
      });
      const { id } = lastOf(incoming, phone.id);
      expect(
        await codeOf(incoming.approve(phone.id, id, { consent: CONSENT, userAuthentication: BIOMETRIC })),
      ).toBe('WALLET_REQUEST_EXPIRED');
      expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      expect(await history()).toHaveLength(before);

      // Once the answer is being handed over it goes, with its line: a give-up then changes nothing.
      const late = givingUp();
      const second = bankRequest({ full_name_unicode: false });
      const handed = incoming.deliver(phone, {
        channel: 'dc-api-org-iso-mdoc',
        origin: ORIGIN,
        summary: await readAnnexCRequest({ device: phone, data: second.data, origin: ORIGIN }),
        present: ({ consent, userAuthentication, handOff }) =>
          presentAnnexC({
            device: phone,
            data: second.data,
            origin: ORIGIN,
            consent,
            userAuthentication,
            handOff: (deliver) =>
              handOff(async () => {
                late.giveUp();
                await deliver();
              }),
          }),
        signal: late.signal,
      });
      await incoming.approve(phone.id, lastOf(incoming, phone.id).id, {
        consent: CONSENT,
        userAuthentication: BIOMETRIC,
      });
      const answered = await handed;
      if (answered.kind !== 'answered') throw new Error(`refused: ${answered.code}`);
      expect((await second.verify(answered.presentation.response)).verdict).toBe('valid');
      expect(await history()).toHaveLength(before + 1);
    }, 60_000);

    it('OpenID4VP over the DC API (an unsigned request, the same presentation as a signed one): WALLET_REQUEST_EXPIRED, nothing written', async () => {
      const incoming = new IncomingRequests();
      const before = (await history()).length;
      const request = buildAuthorizationRequest({
        responseMode: 'dc_api',
        nonce: 'requester-gave-up',
        dcqlQuery: {
          credentials: [
            {
              id: 'mnc',
              format: 'mso_mdoc',
              meta: { doctype_value: MNC },
              claims: [{ path: [JP_MNC_NAMESPACE, 'full_name_unicode'] }],
            },
          ],
        },
      });
      const entry = buildDigitalCredentialRequest({ openid4vp: { request } }).requests[0];
      if (entry === undefined) throw new Error('no entry');
      const base = { device: phone, protocol: entry.protocol, data: entry.data, origin: ORIGIN };
      const { signal, giveUp } = givingUp();
      const outcome = incoming.deliver(phone, {
        channel: 'dc-api-openid4vp-v1-signed',
        origin: ORIGIN,
        summary: await readOpenId4VpDcApiRequest(base),
        present: ({ consent, userAuthentication, handOff }) => {
          giveUp();
          return presentOpenId4VpDcApi({ ...base, consent, userAuthentication, handOff });
        },
        signal,
      });
      const { id } = lastOf(incoming, phone.id);
      expect(
        await codeOf(incoming.approve(phone.id, id, { consent: CONSENT, userAuthentication: BIOMETRIC })),
      ).toBe('WALLET_REQUEST_EXPIRED');
      expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      expect(await history()).toHaveLength(before);
    }, 60_000);

    it('a reader in person: WALLET_REQUEST_EXPIRED, nothing sent to the reader, nothing written', async () => {
      const incoming = new IncomingRequests();
      const before = (await history()).length;
      const { handle, summary, response, sent } = await proximityEngagement(
        phone,
        buildDeviceRequest({
          docRequests: [buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } })],
        }),
        cleanups,
      );
      const { signal, giveUp } = givingUp();
      const outcome = incoming.deliver(phone, {
        channel: 'iso-18013-5-proximity',
        origin: null,
        summary,
        present: (approved) => {
          giveUp();
          return handle.answer(approved);
        },
        signal,
      });
      const { id } = lastOf(incoming, phone.id);
      expect(
        await codeOf(incoming.approve(phone.id, id, { consent: CONSENT, userAuthentication: BIOMETRIC })),
      ).toBe('WALLET_REQUEST_EXPIRED');
      expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      expect(sent).toHaveLength(0);
      expect(await history()).toHaveLength(before);
      // The phone then ends the session (status 20), as the sandbox's proximity read does: still no answer.
      await handle.decline();
      await expect(response).rejects.toMatchObject({ code: 'SESSION_TERMINATED' });
    }, 60_000);

    it('a JPKI signature: WALLET_REQUEST_EXPIRED, no signature handed over, nothing written', async () => {
      const incoming = new IncomingRequests();
      const before = (await history()).length;
      const content = new TextEncoder().encode('申込書');
      const { signal, giveUp } = givingUp();
      const outcome = incoming.deliverJpkiSignature(phone, {
        channel: 'jpki-signature',
        origin: ORIGIN,
        relyingParty: 'サンドボックス銀行',
        content,
        present: ({ password, handOff }) => {
          giveUp();
          return signWithJpki({
            device: phone,
            content,
            password,
            relyingParty: 'サンドボックス銀行',
            handOff,
          });
        },
        signal,
      });
      const id = await waitingIdOf(incoming, phone.id);
      expect(await codeOf(incoming.approve(phone.id, id, { password: PASSWORD }))).toBe(
        'WALLET_REQUEST_EXPIRED',
      );
      expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      expect(await history()).toHaveLength(before);
    }, 60_000);

    it('a JPKI user authentication: WALLET_REQUEST_EXPIRED, no signed challenge handed over, nothing written', async () => {
      const incoming = new IncomingRequests();
      const before = (await history()).length;
      const challenge = new Uint8Array(randomBytes(CHALLENGE_LENGTH));
      const { signal, giveUp } = givingUp();
      const outcome = incoming.deliverJpkiUserAuthentication(phone, {
        channel: 'jpki-user-authentication',
        origin: 'https://portal.example',
        relyingParty: 'サンドボックス行政ポータル',
        challenge,
        unlock: 'pin-or-biometric',
        present: ({ userAuthentication, handOff }) => {
          giveUp();
          return authenticateWithJpki({
            device: phone,
            challenge,
            userAuthentication,
            relyingParty: 'サンドボックス行政ポータル',
            handOff,
          });
        },
        signal,
      });
      const id = await waitingIdOf(incoming, phone.id);
      expect(await codeOf(incoming.approve(phone.id, id, { biometric: 'matched' }))).toBe(
        'WALLET_REQUEST_EXPIRED',
      );
      expect(await outcome).toEqual({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      expect(await history()).toHaveLength(before);
    }, 60_000);
  });
});
