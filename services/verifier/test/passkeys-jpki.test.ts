/**
 * Passkeys bound by a JPKI signature (story 3): a real issuer installs a resident's card on a real phone,
 * the phone signs the bank's application with its JPKI signature key, and the verifier's valid signature
 * session — whose record holds the basic four of the signature certificate — proves the person for a
 * passkey exactly as a DC API session does. A user-authentication session names no person and is refused
 * (VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE). The same person verified once with the card-substitute record
 * and once with a JPKI signature is one account: the signature completes the record-bound account's
 * step-up, and another person's record-bound account refuses it (VERIFIER_PASSKEY_IDENTITY_MISMATCH).
 */
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import { authenticateWithJpki, signWithJpki } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import type { VerifierDeps } from '../src/context.js';
import type { JsonValue } from '../src/records/canonical-json.js';
import { newSessionKeyPair, sealSessionKey } from '../src/sessions/session-key.js';
import type { VerifierStore } from '../src/store/index.js';
import { newId } from '../src/store/store-support.js';
import { recordInTransaction } from '../src/verification/record-in-transaction.js';
import { type TestClock, testClock } from './helpers/issuer-and-phone.js';
import {
  AUTH_PIN,
  type JpkiIssuerAndPhone,
  jpkiIssuerAndPhone,
  SIGNATURE_PASSWORD,
} from './helpers/jpki-issuer-and-phone.js';
import { SoftwareAuthenticator } from './helpers/software-authenticator.js';
import { ADMIN, DECLARED, verifierStore } from './helpers/verifier-fixture.js';

const START = new Date('2026-12-02T03:00:00Z');
const ORIGIN = 'https://bank.example';
const APPLICATION = '普通預金口座開設申込書\n取引の目的: 生計費決済';
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface Options {
  options: { challenge: string; rp: { id: string }; user: { id: string } };
}

describe('passkeys bound by a JPKI signature', () => {
  let clock: TestClock;
  let env: JpkiIssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let deps: VerifierDeps;
  let app: ReturnType<typeof createVerifierApp>;
  let apiKey: string;
  let rpId: string;
  let person: { name: string; birthDate: string };

  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const codeOf = async (res: Response, status: number) => {
    const p = (await res.json()) as { code: string };
    expect(res.status, p.code).toBe(status);
    return p.code;
  };

  /** A valid JPKI signature session: the phone signs the application after its signature password. */
  async function signed(): Promise<{ sessionId: string; identity: { name: string; birthDate: string } }> {
    const opened = await post('/sessions/jpki-signature', {
      purpose: 'account-opening',
      text: APPLICATION,
      ...DECLARED,
    });
    expect(opened.status).toBe(201);
    const s = (await opened.json()) as { sessionId: string; content: string };
    const cms = await signWithJpki({
      device: env.phone,
      content: Buffer.from(s.content, 'base64'),
      password: SIGNATURE_PASSWORD,
      relyingParty: 'Sample Bank',
    });
    const res = await post(`/sessions/${s.sessionId}/jpki-signature`, { cms: b64(cms.signature) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { verdict: string; identity: { name: string; birthDate: string } };
    expect(answer.verdict).toBe('valid');
    return { sessionId: s.sessionId, identity: answer.identity };
  }

  /** A valid JPKI user-authentication session (no personal data). */
  async function authenticated(): Promise<string> {
    const opened = await post('/sessions/jpki-authentication', { purpose: 'log-in' });
    expect(opened.status).toBe(201);
    const s = (await opened.json()) as { sessionId: string; challenge: string };
    const a = await authenticateWithJpki({
      device: env.phone,
      challenge: Buffer.from(s.challenge, 'base64url'),
      userAuthentication: { method: 'pin', value: AUTH_PIN },
      relyingParty: 'Sample Bank',
    });
    const res = await post(`/sessions/${s.sessionId}/jpki-authentication`, {
      certificate: b64(a.certificate),
      signature: b64(a.signature),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { verdict: string }).verdict).toBe('valid');
    return s.sessionId;
  }

  /** A card-substitute record session completed with its record naming `who`, as the verification does. */
  async function recordVerification(who: { name: string; birthDate: string }): Promise<string> {
    const id = newId();
    const now = clock.read().getTime();
    await store.sessions.create({
      id,
      relyingPartyId: rpId,
      credentialId: 'cred',
      protocol: 'org-iso-mdoc',
      purpose: 'account-opening',
      origin: ORIGIN,
      elements: { 'org.iso.23220.1.jp': ['full_name_unicode', 'birth_date_unicode'] },
      deviceRequest: 'AA',
      encryptionInfo: 'BB',
      recipientKey: sealSessionKey(newSessionKeyPair().privateKey, id),
      createdAt: now,
      expiresAt: now + 300_000,
    });
    expect(await store.sessions.claim(id, rpId, now)).toBe('claimed');
    const content: { [k: string]: JsonValue } = {
      outcome: 'verified',
      verdict: 'valid',
      sessionId: id,
      ...who,
    };
    await recordInTransaction(deps, { relyingPartyId: rpId, sessionId: id, verdict: 'valid', content, now });
    return id;
  }

  /** Registers a passkey with the verification of `sessionId`; the new account id. */
  async function register(sessionId: string, body: Record<string, unknown> = {}): Promise<string> {
    const res = await post('/passkeys/registration/options', { sessionId, ...body });
    expect(res.status).toBe(200);
    const { options } = (await res.json()) as Options;
    expect(options.rp.id).toBe('bank.example');
    const done = await post('/passkeys/registration/verify', {
      response: new SoftwareAuthenticator().register(options, ORIGIN),
    });
    expect(done.status).toBe(201);
    return ((await done.json()) as { accountId: string }).accountId;
  }

  beforeAll(async () => {
    clock = testClock(START);
    env = await jpkiIssuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    deps = {
      store,
      config: {
        origin: 'http://127.0.0.1:8403',
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
        passkeyIdentityKey: new Uint8Array(32).fill(7),
      },
      clock: clock.read,
      writerId: 'passkey-jpki-writer',
      jpkiStatus: { origins: [env.origin] },
    };
    app = createVerifierApp(deps);
    const res = await app.request('/relying-parties', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Sample Bank',
        clientId: 'x509_san_dns:bank.example',
        law: 'hanshu',
        isSignatureVerifier: true,
        origins: [ORIGIN],
        trustAnchors: env.jpkiAnchors.map(b64),
        verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
      }),
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as { relyingParty: { id: string }; apiKey: { apiKey: string } };
    apiKey = made.apiKey.apiKey;
    rpId = made.relyingParty.id;
    person = (await signed()).identity;
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('binds a passkey to the person a valid JPKI signature verified, once', async () => {
    const { sessionId } = await signed();
    const accountId = await register(sessionId);
    const account = await app.request(`/passkeys/accounts/${accountId}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const view = (await account.json()) as { recordId: string; stepUpRequired: boolean };
    const session = await store.db
      .withTables<{ jpki_sessions: { id: string; record_id: string | null } }>()
      .selectFrom('jpki_sessions')
      .select('record_id')
      .where('id', '=', sessionId)
      .executeTakeFirst();
    expect(view).toMatchObject({ recordId: session?.record_id, stepUpRequired: false });
    // The verification binds one passkey only.
    expect(await codeOf(await post('/passkeys/registration/options', { sessionId }), 409)).toBe(
      'VERIFIER_PASSKEY_SESSION_USED',
    );
  });

  it('takes the ceremony origin from the caller for a JPKI signature, a configured one only', async () => {
    const { sessionId } = await signed();
    expect(
      await codeOf(
        await post('/passkeys/registration/options', { sessionId, origin: 'https://evil.example' }),
        400,
      ),
    ).toBe('VERIFIER_ORIGIN_NOT_ALLOWED');
    await register(sessionId, { origin: ORIGIN });
  });

  it('refuses a JPKI user authentication: its certificate names no person', async () => {
    const sessionId = await authenticated();
    expect(await codeOf(await post('/passkeys/registration/options', { sessionId }), 422)).toBe(
      'VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE',
    );
  });

  it('completes the step-up of a record-bound account with a JPKI signature of the same person, not of another', async () => {
    const accountId = await register(await recordVerification(person));
    const other = await register(await recordVerification({ name: '別人 太郎', birthDate: '1970-01-01' }));
    clock.advance(1000);
    expect((await post(`/passkeys/accounts/${accountId}/step-up`, {})).status).toBe(200);
    expect((await post(`/passkeys/accounts/${other}/step-up`, {})).status).toBe(200);
    clock.advance(1000);

    const mismatch = await signed();
    expect(
      await codeOf(
        await post(`/passkeys/accounts/${other}/step-up/verify`, { sessionId: mismatch.sessionId }),
        403,
      ),
    ).toBe('VERIFIER_PASSKEY_IDENTITY_MISMATCH');

    const { sessionId } = await signed();
    const done = await post(`/passkeys/accounts/${accountId}/step-up/verify`, { sessionId });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { stepUpRequired: boolean }).stepUpRequired).toBe(false);

    // A user authentication cannot complete a step-up either.
    clock.advance(1000);
    expect((await post(`/passkeys/accounts/${accountId}/step-up`, {})).status).toBe(200);
    clock.advance(1000);
    const auth = await authenticated();
    expect(
      await codeOf(await post(`/passkeys/accounts/${accountId}/step-up/verify`, { sessionId: auth }), 422),
    ).toBe('VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE');
  });
});
