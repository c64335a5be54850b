/**
 * The passkey routes' cases, run on SQLite (passkeys-sqlite.test.ts) and PostgreSQL
 * (passkeys-postgres.pg.test.ts) through `app.request()`, with a software authenticator
 * (helpers/software-authenticator.ts: real P-256 key, authenticator data, clientDataJSON, attestation
 * `none`, signatures). The verifications the passkeys are bound to are sessions completed with their
 * record the way the verification does it (recordInTransaction); the end-to-end test in Chromium binds one
 * to a real wallet's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import type { VerifierDeps } from '../src/context.js';
import { runVerifierMaintenance } from '../src/maintenance.js';
import type { JsonValue } from '../src/records/canonical-json.js';
import { newSessionKeyPair, sealSessionKey } from '../src/sessions/session-key.js';
import type { VerifierStore } from '../src/store/index.js';
import { newId } from '../src/store/store-support.js';
import { recordInTransaction } from '../src/verification/record-in-transaction.js';
import { SoftwareAuthenticator } from './helpers/software-authenticator.js';
import { rpConfig, T0 } from './store.cases.js';

const ORIGIN = 'https://bank.example';
const OTHER_ORIGIN = 'https://other.example';
const PERSON = { name: '試験 花子', birthDate: '1986-04-01' };
const IDENTITY_KEY = new Uint8Array(32).fill(9);

interface Problem {
  code: string;
  status: number;
}
interface Options {
  options: {
    challenge: string;
    rp: { id: string; name: string };
    user: { id: string; name: string };
    rpId: string;
    allowCredentials?: { id: string }[];
    authenticatorSelection: { userVerification: string; residentKey: string };
    attestation: string;
  };
  expiresAt: string;
}

/** Defines the cases on stores made by `open` (two instances on one database where the dialect allows). */
export function definePasskeyCases(
  name: string,
  open: () => Promise<{ a: VerifierStore; b: VerifierStore }>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`passkeys bound to the verified person on ${name}`, () => {
    let a: VerifierStore;
    let b: VerifierStore;
    let now = T0 + 3_600_000;
    let rpId: string;
    let apiKey: string;
    let deps: VerifierDeps;
    let app: ReturnType<typeof createVerifierApp>;
    let appB: ReturnType<typeof createVerifierApp>;

    beforeAll(async () => {
      ({ a, b } = await open());
      const made = await a.relyingParties.create(rpConfig({ origins: [ORIGIN, OTHER_ORIGIN] }), T0);
      rpId = made.relyingParty.id;
      apiKey = made.apiKey.apiKey;
      const depsOf = (store: VerifierStore): VerifierDeps => ({
        store,
        config: { origin: 'http://127.0.0.1:8403', adminToken: 'op', passkeyIdentityKey: IDENTITY_KEY },
        clock: () => new Date(now),
        writerId: 'passkey-tests',
      });
      deps = depsOf(a);
      app = createVerifierApp(deps);
      appB = createVerifierApp(depsOf(b));
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await cleanup();
    });

    const post = (path: string, body: unknown, on = app, key = apiKey) =>
      on.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${apiKey}` } });
    const codeOf = async (res: Response, status: number) => {
      const p = (await res.json()) as Problem;
      expect(res.status, p.code).toBe(status);
      return p.code;
    };

    /** A session completed with its verification record, as POST /sessions/:id/response does it. */
    async function verification(
      o: { verdict?: string; person?: { name?: string; birthDate?: string } | null; origin?: string } = {},
    ): Promise<string> {
      const id = newId();
      await a.sessions.create({
        id,
        relyingPartyId: rpId,
        credentialId: 'cred',
        protocol: 'org-iso-mdoc',
        purpose: 'account-opening',
        origin: o.origin ?? ORIGIN,
        elements: { 'org.iso.23220.1.jp': ['full_name_unicode', 'birth_date_unicode'] },
        deviceRequest: 'AA',
        encryptionInfo: 'BB',
        recipientKey: sealSessionKey(newSessionKeyPair().privateKey, id),
        createdAt: now,
        expiresAt: now + 300_000,
      });
      expect(await a.sessions.claim(id, rpId, now)).toBe('claimed');
      const verdict = o.verdict ?? 'valid';
      const person = o.person === undefined ? PERSON : o.person;
      const content: { [k: string]: JsonValue } = {
        outcome: verdict === 'valid' ? 'verified' : 'rejected',
        verdict,
        sessionId: id,
        ...(verdict === 'valid' && person !== null ? person : {}),
      };
      await recordInTransaction(deps, { relyingPartyId: rpId, sessionId: id, verdict, content, now });
      return id;
    }

    async function registrationOptions(sessionId: string): Promise<Options> {
      const res = await post('/passkeys/registration/options', { sessionId, userName: 'customer-0001' });
      expect(res.status).toBe(200);
      return (await res.json()) as Options;
    }

    async function registered(): Promise<{ authenticator: SoftwareAuthenticator; accountId: string }> {
      const authenticator = new SoftwareAuthenticator();
      const { options } = await registrationOptions(await verification());
      const res = await post('/passkeys/registration/verify', {
        response: authenticator.register(options, ORIGIN),
      });
      expect(res.status).toBe(201);
      const { accountId } = (await res.json()) as { accountId: string };
      return { authenticator, accountId };
    }

    async function signInOptions(body: Record<string, unknown> = { origin: ORIGIN }): Promise<Options> {
      const res = await post('/passkeys/authentication/options', body);
      expect(res.status).toBe(200);
      return (await res.json()) as Options;
    }

    it('binds a passkey to the verified person, then signs them in with it', async () => {
      const sessionId = await verification();
      const { options, expiresAt } = await registrationOptions(sessionId);
      expect(options.rp).toEqual({ id: 'bank.example', name: 'Sample Bank' });
      expect(options.user.name).toBe('customer-0001');
      expect(options.authenticatorSelection).toMatchObject({
        userVerification: 'required',
        residentKey: 'required',
      });
      expect(options.attestation).toBe('none');
      expect(Date.parse(expiresAt)).toBe(now + 300_000);

      const authenticator = new SoftwareAuthenticator();
      const res = await post('/passkeys/registration/verify', {
        response: authenticator.register(options, ORIGIN),
      });
      expect(res.status).toBe(201);
      const reg = (await res.json()) as { accountId: string; credentialId: string };
      // The account id is the WebAuthn user handle: opaque.
      expect(reg.accountId).toBe(options.user.id);
      expect(reg.credentialId).toBe(authenticator.id);

      const account = (await (await get(`/passkeys/accounts/${reg.accountId}`)).json()) as Record<
        string,
        unknown
      >;
      const session = await a.sessions.get(sessionId);
      expect(account).toMatchObject({
        accountId: reg.accountId,
        recordId: session?.recordId,
        stepUpRequired: false,
        credentials: [{ credentialId: authenticator.id, rpId: 'bank.example', transports: ['internal'] }],
      });
      // No personal data in the passkey tables: the person is only a keyed hash.
      const rows = JSON.stringify(
        await Promise.all(
          ['passkey_accounts', 'passkey_credentials', 'passkey_challenges', 'passkey_session_uses'].map((t) =>
            a.db
              .selectFrom(t as 'relying_parties')
              .selectAll()
              .execute(),
          ),
        ),
      );
      expect(rows).not.toContain('花子');
      // The birth date as a date: its year alone turns up by chance inside hex hashes and base64 keys.
      expect(rows).not.toContain(PERSON.birthDate);
      expect(rows).not.toMatch(/1986[-/年]/);

      // Sign-in naming the account, then with a discoverable passkey.
      const named = await signInOptions({ origin: ORIGIN, accountId: reg.accountId });
      expect(named.options.rpId).toBe('bank.example');
      expect(named.options.allowCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
      const signIn = await post('/passkeys/authentication/verify', {
        response: authenticator.authenticate(named.options, ORIGIN),
      });
      expect(signIn.status).toBe(200);
      expect(await signIn.json()).toMatchObject({
        accountId: reg.accountId,
        credentialId: authenticator.id,
        stepUpRequired: false,
      });
      const any = await signInOptions();
      expect(any.options.allowCredentials ?? []).toEqual([]);
      const again = await post('/passkeys/authentication/verify', {
        response: authenticator.authenticate(any.options, ORIGIN),
      });
      expect(((await again.json()) as { accountId: string }).accountId).toBe(reg.accountId);
    });

    it('refuses a replayed, unknown or late answer (challenges are single use)', async () => {
      const authenticator = new SoftwareAuthenticator();
      const { options } = await registrationOptions(await verification());
      const answer = authenticator.register(options, ORIGIN);
      expect((await post('/passkeys/registration/verify', { response: answer })).status).toBe(201);
      expect(await codeOf(await post('/passkeys/registration/verify', { response: answer }), 409)).toBe(
        'VERIFIER_PASSKEY_CHALLENGE_USED',
      );

      const signIn = await signInOptions();
      const assertion = authenticator.authenticate(signIn.options, ORIGIN);
      expect((await post('/passkeys/authentication/verify', { response: assertion })).status).toBe(200);
      expect(await codeOf(await post('/passkeys/authentication/verify', { response: assertion }), 409)).toBe(
        'VERIFIER_PASSKEY_CHALLENGE_USED',
      );

      const forged = authenticator.authenticate(signIn.options, ORIGIN, {
        challenge: Buffer.alloc(32, 1).toString('base64url'),
      });
      expect(await codeOf(await post('/passkeys/authentication/verify', { response: forged }), 400)).toBe(
        'VERIFIER_PASSKEY_CHALLENGE_UNKNOWN',
      );
      // A registration challenge does not serve a sign-in.
      const { options: regOptions } = await registrationOptions(await verification());
      const crossed = authenticator.authenticate({ challenge: regOptions.challenge }, ORIGIN);
      expect(await codeOf(await post('/passkeys/authentication/verify', { response: crossed }), 400)).toBe(
        'VERIFIER_PASSKEY_CHALLENGE_UNKNOWN',
      );

      const late = await signInOptions();
      now += 300_001;
      const lateAnswer = authenticator.authenticate(late.options, ORIGIN);
      expect(await codeOf(await post('/passkeys/authentication/verify', { response: lateAnswer }), 410)).toBe(
        'VERIFIER_PASSKEY_CHALLENGE_EXPIRED',
      );
    });

    it('offers a passkey only for a valid, recent, unspent verification of this relying party', async () => {
      const options = (sessionId: string) => post('/passkeys/registration/options', { sessionId });
      expect(await codeOf(await options(await verification({ verdict: 'invalid' })), 409)).toBe(
        'VERIFIER_PASSKEY_SESSION_NOT_VALID',
      );
      // A session still open (never answered).
      const open = newId();
      await a.sessions.create({
        id: open,
        relyingPartyId: rpId,
        credentialId: 'cred',
        protocol: 'org-iso-mdoc',
        purpose: 'account-opening',
        origin: ORIGIN,
        elements: {},
        deviceRequest: 'AA',
        encryptionInfo: 'BB',
        recipientKey: sealSessionKey(newSessionKeyPair().privateKey, open),
        createdAt: now,
        expiresAt: now + 300_000,
      });
      expect(await codeOf(await options(open), 409)).toBe('VERIFIER_PASSKEY_SESSION_NOT_VALID');
      expect(await codeOf(await options(newId()), 404)).toBe('VERIFIER_NOT_FOUND');
      expect(await codeOf(await options(await verification({ person: null })), 422)).toBe(
        'VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE',
      );

      // Spent: once a passkey is bound, the same verification offers no other — even options asked before.
      const sessionId = await verification();
      const first = await registrationOptions(sessionId);
      const second = await registrationOptions(sessionId);
      const one = new SoftwareAuthenticator();
      const two = new SoftwareAuthenticator();
      expect(
        (await post('/passkeys/registration/verify', { response: one.register(first.options, ORIGIN) }))
          .status,
      ).toBe(201);
      expect(
        await codeOf(
          await post('/passkeys/registration/verify', { response: two.register(second.options, ORIGIN) }),
          409,
        ),
      ).toBe('VERIFIER_PASSKEY_SESSION_USED');
      expect(await codeOf(await options(sessionId), 409)).toBe('VERIFIER_PASSKEY_SESSION_USED');

      // Too old.
      const old = await verification();
      now += 10 * 60_000 + 1;
      expect(await codeOf(await options(old), 410)).toBe('VERIFIER_PASSKEY_OFFER_EXPIRED');

      // Another relying party's key sees no such session.
      const other = await a.relyingParties.create(rpConfig({ origins: [ORIGIN] }), T0);
      const res = await post(
        '/passkeys/registration/options',
        { sessionId: await verification() },
        app,
        other.apiKey.apiKey,
      );
      expect(await codeOf(res, 404)).toBe('VERIFIER_NOT_FOUND');
      // An invalid body is refused without echo.
      const bad = await post('/passkeys/registration/options', { sessionId: 'x', userName: '\u0000' });
      expect(await codeOf(bad, 400)).toBe('VERIFIER_INVALID_BODY');
    });

    it('refuses another origin, another RP ID, no user verification and a bad signature', async () => {
      const register = async (o: Parameters<SoftwareAuthenticator['register']>[2]) => {
        const { options } = await registrationOptions(await verification());
        return post('/passkeys/registration/verify', {
          response: new SoftwareAuthenticator().register(options, ORIGIN, o),
        });
      };
      expect(await codeOf(await register({ origin: 'https://evil.example' }), 400)).toBe(
        'VERIFIER_PASSKEY_ORIGIN_MISMATCH',
      );
      // Another configured origin of the same party is not the origin the person was verified on.
      expect(await codeOf(await register({ origin: OTHER_ORIGIN }), 400)).toBe(
        'VERIFIER_PASSKEY_ORIGIN_MISMATCH',
      );
      expect(await codeOf(await register({ rpId: 'evil.example' }), 400)).toBe(
        'VERIFIER_PASSKEY_RP_ID_MISMATCH',
      );
      expect(await codeOf(await register({ userVerified: false }), 400)).toBe(
        'VERIFIER_PASSKEY_USER_NOT_VERIFIED',
      );
      expect(await codeOf(await register({ type: 'webauthn.get' }), 400)).toBe('VERIFIER_PASSKEY_INVALID');

      const { authenticator } = await registered();
      const signIn = async (
        o: Parameters<SoftwareAuthenticator['authenticate']>[2],
        body?: Record<string, unknown>,
      ) => {
        const { options } = await signInOptions(body);
        return post('/passkeys/authentication/verify', {
          response: authenticator.authenticate(options, (body?.origin as string | undefined) ?? ORIGIN, o),
        });
      };
      expect(await codeOf(await signIn({ origin: 'https://evil.example' }), 400)).toBe(
        'VERIFIER_PASSKEY_ORIGIN_MISMATCH',
      );
      expect(await codeOf(await signIn({ rpId: 'evil.example' }), 400)).toBe(
        'VERIFIER_PASSKEY_RP_ID_MISMATCH',
      );
      expect(await codeOf(await signIn({ userVerified: false }), 400)).toBe(
        'VERIFIER_PASSKEY_USER_NOT_VERIFIED',
      );
      // A sign-in started on another configured origin (RP ID other.example) cannot use a bank.example passkey.
      expect(await codeOf(await signIn({}, { origin: OTHER_ORIGIN }), 400)).toBe(
        'VERIFIER_PASSKEY_RP_ID_MISMATCH',
      );
      // A signature over other data.
      const { options } = await signInOptions();
      const good = authenticator.authenticate(options, ORIGIN);
      const tampered = {
        ...good,
        response: {
          ...good.response,
          signature: authenticator.authenticate(options, ORIGIN).response.signature,
        },
      };
      tampered.response.authenticatorData = authenticator.authenticate(options, ORIGIN, {
        counter: 999,
      }).response.authenticatorData;
      expect(await codeOf(await post('/passkeys/authentication/verify', { response: tampered }), 400)).toBe(
        'VERIFIER_PASSKEY_INVALID',
      );
      // A passkey nobody registered.
      const stranger = new SoftwareAuthenticator();
      const { options: o2 } = await signInOptions();
      expect(
        await codeOf(
          await post('/passkeys/authentication/verify', { response: stranger.authenticate(o2, ORIGIN) }),
          404,
        ),
      ).toBe('VERIFIER_PASSKEY_CREDENTIAL_UNKNOWN');
      // Options only for a configured origin.
      const res = await post('/passkeys/authentication/options', { origin: 'https://evil.example' });
      expect(await codeOf(res, 400)).toBe('VERIFIER_ORIGIN_NOT_ALLOWED');
    });

    it('refuses a signature counter that does not grow (a cloned authenticator)', async () => {
      const { authenticator, accountId } = await registered();
      const signIn = async (counter: number) => {
        const { options } = await signInOptions({ origin: ORIGIN, accountId });
        return post('/passkeys/authentication/verify', {
          response: authenticator.authenticate(options, ORIGIN, { counter }),
        });
      };
      expect((await signIn(5)).status).toBe(200);
      expect(await codeOf(await signIn(5), 409)).toBe('VERIFIER_PASSKEY_COUNTER_REGRESSION');
      expect(await codeOf(await signIn(3), 409)).toBe('VERIFIER_PASSKEY_COUNTER_REGRESSION');
      expect((await signIn(6)).status).toBe(200);
    });

    it('steps up only with a new valid verification of the SAME person', async () => {
      const { authenticator, accountId } = await registered();
      const complete = (sessionId: string) =>
        post(`/passkeys/accounts/${accountId}/step-up/verify`, { sessionId });
      expect(await codeOf(await complete(await verification()), 409)).toBe(
        'VERIFIER_PASSKEY_STEP_UP_NOT_REQUESTED',
      );
      const before = await verification();
      now += 1000;
      const asked = await post(`/passkeys/accounts/${accountId}/step-up`, {});
      expect(asked.status).toBe(200);
      expect(await asked.json()).toMatchObject({
        stepUpRequired: true,
        stepUpRequestedAt: new Date(now).toISOString(),
      });
      const { options } = await signInOptions({ origin: ORIGIN, accountId });
      const signIn = await post('/passkeys/authentication/verify', {
        response: authenticator.authenticate(options, ORIGIN),
      });
      expect(await signIn.json()).toMatchObject({ accountId, stepUpRequired: true });

      expect(await codeOf(await complete(before), 410)).toBe('VERIFIER_PASSKEY_OFFER_EXPIRED');
      now += 1000;
      const stranger = await verification({ person: { name: '見本 太郎', birthDate: '1986-04-01' } });
      expect(await codeOf(await complete(stranger), 403)).toBe('VERIFIER_PASSKEY_IDENTITY_MISMATCH');
      const twin = await verification({ person: { name: PERSON.name, birthDate: '1986-04-02' } });
      expect(await codeOf(await complete(twin), 403)).toBe('VERIFIER_PASSKEY_IDENTITY_MISMATCH');
      expect(await codeOf(await complete(await verification({ verdict: 'invalid' })), 409)).toBe(
        'VERIFIER_PASSKEY_SESSION_NOT_VALID',
      );
      // The same person, the name written with an ideographic space.
      const same = await verification({ person: { name: '試験\u3000花子', birthDate: PERSON.birthDate } });
      const done = await complete(same);
      expect(done.status).toBe(200);
      const view = (await done.json()) as { stepUpRequired: boolean; recordId: string };
      expect(view.stepUpRequired).toBe(false);
      expect(view.recordId).toBe((await a.sessions.get(same))?.recordId);
      // That verification is spent.
      await post(`/passkeys/accounts/${accountId}/step-up`, {});
      expect(await codeOf(await complete(same), 409)).toBe('VERIFIER_PASSKEY_SESSION_USED');
      expect(await codeOf(await post('/passkeys/accounts/nope/step-up', {}), 404)).toBe('VERIFIER_NOT_FOUND');
    });

    it('lets exactly one of concurrent answers to one challenge win, on two instances', async () => {
      const authenticator = new SoftwareAuthenticator();
      const { options } = await registrationOptions(await verification());
      const answer = authenticator.register(options, ORIGIN);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          post('/passkeys/registration/verify', { response: answer }, i % 2 === 0 ? app : appB),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    });

    it('maintenance deletes the challenges that expired, answered or not', async () => {
      await signInOptions();
      const r = await runVerifierMaintenance(a, now + 300_001);
      expect(r.passkeyChallenges).toBeGreaterThanOrEqual(1);
      expect((await runVerifierMaintenance(a, now + 300_001)).passkeyChallenges).toBe(0);
    });

    it('describes every passkey route in the OpenAPI document', async () => {
      const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
      for (const path of [
        '/passkeys/registration/options',
        '/passkeys/registration/verify',
        '/passkeys/authentication/options',
        '/passkeys/authentication/verify',
        '/passkeys/accounts/{id}',
        '/passkeys/accounts/{id}/step-up',
        '/passkeys/accounts/{id}/step-up/verify',
      ])
        expect(Object.hasOwn(doc.paths, path), path).toBe(true);
    });
  });
}
