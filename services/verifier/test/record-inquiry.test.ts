/**
 * The issuer's per-record inquiry as the verifier asks it (revocation/record-inquiry.ts), against a real
 * issuer app and a phone with an installed record, through `app.request()`: when each relying party's
 * choice asks it (`when-undetermined`, `always`, `never`), a record revoked at the issuer while the
 * verifier's cached status list still says valid (VERIFIER_REVOKED, source `inquiry`, the signed answer in
 * the record), the issuer unreachable under each revocation policy, wrong credentials, and answers that must
 * not be relied on: made for another client, signed by a key the relying party trusts but that may not speak
 * for the record, signed by nobody the relying party trusts.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createCertificate, parseCertificate } from '@mynakit/pki';
import { signInquiryEvidence, verifyInquiryEvidence } from '@mynakit/status-list';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import { getRecord } from '../src/records/record-chains.js';
import {
  checkRecordInquiryConfig,
  createStatusInquiry,
  type RecordInquiryDeps,
} from '../src/revocation/record-inquiry.js';
import type { StatusListFetcher } from '../src/revocation/status-list-fetcher.js';
import type { VerifierStore } from '../src/store/index.js';
import {
  ISSUER_ORIGIN,
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from './helpers/issuer-and-phone.js';
import { listDown, registerInquiryClient } from './helpers/record-inquiry-client.js';
import {
  ADMIN,
  createRelyingParty,
  openSession,
  phoneAnswers,
  statusOf,
  submit,
  type VerificationAnswer,
  verifierStore,
} from './helpers/verifier-fixture.js';

const START = new Date('2027-03-31T03:00:00Z');

type Fetch = (request: Request) => Promise<Response>;

interface RevocationCheck {
  result: string;
  action: string;
  kind: string | null;
  source: string | null;
  outcome: string | null;
  attempts: { kind: string; source: string; via: string; outcome: string; evidence?: string }[];
}

describe("the issuer's record inquiry, asked by the verifier", () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let client: { clientId: string; clientSecret: string };
  let otherClient: { clientId: string; clientSecret: string };
  const issuerFetch: Fetch = async (request) => env.issuer.app.fetch(request);

  /** A verifier app asking the issuer's inquiry with `inquiry` (default: this verifier's client, the issuer app). */
  function appWith(fetchStatusList: StatusListFetcher | undefined, inquiry?: Partial<RecordInquiryDeps>) {
    return createVerifierApp({
      store,
      config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN },
      clock: clock.read,
      writerId: 'test-writer',
      ...(fetchStatusList === undefined ? {} : { fetchStatusList }),
      recordInquiry: {
        config: { issuerUrl: ISSUER_ORIGIN, ...client },
        fetch: issuerFetch,
        ...inquiry,
      },
    });
  }
  type App = ReturnType<typeof appWith>;

  async function verifyOnce(app: App, apiKey: string): Promise<VerificationAnswer> {
    const session = await openSession(app, apiKey);
    const res = await submit(app, apiKey, session.sessionId, await phoneAnswers(env, session));
    expect(res.status).toBe(200);
    return (await res.json()) as VerificationAnswer;
  }

  async function revocationCheckOf(answer: VerificationAnswer): Promise<RevocationCheck> {
    const content = (await getRecord(store, answer.recordId))?.content as unknown as {
      revocationCheck: RevocationCheck;
    };
    return content.revocationCheck;
  }

  function detailOf(answer: VerificationAnswer, id: string): string {
    return answer.checks.find((c) => c.id === id)?.detail ?? '';
  }

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    client = await registerInquiryClient(env);
    otherClient = await registerInquiryClient(env);
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('takes a configuration only with an http(s) URL and credentials fit for HTTP Basic, never echoing the secret', () => {
    const good = {
      issuerUrl: 'https://issuer.example/',
      clientId: 'client',
      clientSecret: 'secret-not-echoed',
    };
    expect(checkRecordInquiryConfig(good).issuerUrl).toBe('https://issuer.example');
    for (const bad of [
      { ...good, issuerUrl: 'not a url' },
      { ...good, issuerUrl: 'ftp://issuer.example' },
      { ...good, issuerUrl: 'https://issuer.example/?steer=1' },
      { ...good, clientId: 'client:with-colon' },
      { ...good, clientId: '' },
      { ...good, clientSecret: 'with space' },
      { ...good, clientSecret: 'x'.repeat(257) },
      { ...good, docTypes: [] },
    ]) {
      let thrown: unknown;
      try {
        checkRecordInquiryConfig(bad);
      } catch (e) {
        thrown = e;
      }
      expect((thrown as { code?: string }).code).toBe('VERIFIER_INVALID_INPUT');
      expect(String((thrown as Error).message)).not.toContain('secret-not-echoed');
    }
  });

  it('never asks about a document of a docType the issuer does not answer for', async () => {
    let asked = 0;
    const inquiry = createStatusInquiry({
      inquiry: {
        config: { issuerUrl: ISSUER_ORIGIN, ...client },
        fetch: async (request) => {
          asked++;
          return issuerFetch(request);
        },
      },
      use: 'always',
      trustAnchors: env.iacas,
      observe: () => undefined,
    });
    const listCheck = { id: 'status.revocation', status: 'skipped' as const, detail: 'no reference' };
    const context = { now: clock.now, msoDigest: new Uint8Array(32) };
    expect(await inquiry?.({ ...context, docType: 'org.iso.18013.5.1.mDL' }, listCheck)).toBeUndefined();
    expect(asked).toBe(0);
    // The card-substitute record's docType is asked about (this digest is no record of the issuer's).
    expect(await inquiry?.({ ...context, docType: 'org.iso.23220.1.jp.mnc' }, listCheck)).toMatchObject({
      status: 'undetermined',
    });
    expect(asked).toBe(1);
  });

  it('is asked when the status list gives no answer (the default), and its valid answer is relied on', async () => {
    const app = appWith(listDown);
    const rp = await createRelyingParty(app, env);
    const answer = await verifyOnce(app, rp.apiKey);
    expect(answer.verdict).toBe('valid');
    expect(answer.flags).toEqual([]);
    expect(statusOf(answer, 'status.revocation')).toBe('passed');
    const check = await revocationCheckOf(answer);
    expect(check).toMatchObject({
      result: 'passed',
      action: 'accept',
      kind: 'inquiry',
      source: `${ISSUER_ORIGIN}/inquiry`,
      outcome: 'valid',
    });
    expect(check.attempts.map((a) => [a.kind, a.via])).toEqual([
      ['status-list', 'failed'],
      ['inquiry', 'network'],
    ]);
    // The signed answer kept in the record verifies on its own: for this client, about this record.
    const evidence = check.attempts[1]?.evidence as string;
    const content = (await getRecord(store, answer.recordId))?.content as { msoDigest: string };
    const kept = await verifyInquiryEvidence(new Uint8Array(Buffer.from(evidence, 'base64url')), {
      now: clock.now,
      trustAnchors: env.iacas,
      msoDigest: new Uint8Array(Buffer.from(content.msoDigest, 'hex')),
      audience: client.clientId,
      issuer: ISSUER_ORIGIN,
    });
    expect(kept.ok).toBe(true);
    expect(kept.status).toBe('valid');
  }, 60_000);

  it('is not asked under the default when the status list answered', async () => {
    const app = appWith(env.fetchFromIssuer);
    const rp = await createRelyingParty(app, env);
    const answer = await verifyOnce(app, rp.apiKey);
    expect(answer.verdict).toBe('valid');
    const check = await revocationCheckOf(answer);
    expect(check).toMatchObject({ result: 'passed', kind: 'status-list', outcome: 'valid' });
    expect(check.attempts.map((a) => a.kind)).toEqual(['status-list']);
  }, 60_000);

  it('is never asked under `never`: a list that cannot be fetched stays undetermined', async () => {
    const app = appWith(listDown);
    const rp = await createRelyingParty(app, env, {
      revocation: { check: 'required', undetermined: 'reject', inquiry: 'never' },
    });
    const answer = await verifyOnce(app, rp.apiKey);
    expect(answer.verdict).toBe('invalid');
    expect(answer.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
    expect((await revocationCheckOf(answer)).attempts.map((a) => a.kind)).toEqual(['status-list']);
  }, 60_000);

  describe('answers that are not relied on (undetermined, so the policy rejects)', () => {
    /** A verifier whose inquiry reaches `answer` instead of the issuer. */
    function answering(answer: (request: Request) => Promise<Response>): App {
      return appWith(listDown, { fetch: answer });
    }

    async function rejectedWith(app: App, overrides: Record<string, unknown> = {}) {
      const rp = await createRelyingParty(app, env, overrides);
      const answer = await verifyOnce(app, rp.apiKey);
      expect(answer.verdict).toBe('invalid');
      expect(statusOf(answer, 'status.revocation')).toBe('undetermined');
      expect(answer.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
      return { answer, check: await revocationCheckOf(answer) };
    }

    it('wrong client credentials: HTTP 401', async () => {
      const app = appWith(listDown, {
        config: { issuerUrl: ISSUER_ORIGIN, clientId: client.clientId, clientSecret: 'not-the-secret' },
      });
      const { answer, check } = await rejectedWith(app);
      expect(check.attempts.at(-1)).toMatchObject({ kind: 'inquiry', via: 'failed', outcome: 'HTTP 401' });
      expect(JSON.stringify(answer)).not.toContain('not-the-secret');
      expect(JSON.stringify(check)).not.toContain('not-the-secret');
    }, 60_000);

    it("another client's answer replayed (aud is not this verifier)", async () => {
      const app = answering(async (request) => {
        const headers = new Headers(request.headers);
        headers.set(
          'authorization',
          `Basic ${Buffer.from(`${otherClient.clientId}:${otherClient.clientSecret}`).toString('base64')}`,
        );
        return env.issuer.app.fetch(
          new Request(request.url, { method: 'POST', headers, body: await request.text() }),
        );
      });
      const { answer, check } = await rejectedWith(app);
      expect(detailOf(answer, 'status.revocation')).toContain('inquiry_evidence.audience');
      expect(check.attempts.at(-1)).toMatchObject({ via: 'failed', outcome: 'evidence not verified' });
    }, 60_000);

    it('an answer about another record (mso_digest) is not this record', async () => {
      const app = answering(async (request) =>
        env.issuer.app.fetch(
          new Request(request.url, {
            method: 'POST',
            headers: request.headers,
            body: JSON.stringify({ msoDigest: 'ab'.repeat(32) }),
          }),
        ),
      );
      const { answer } = await rejectedWith(app);
      expect(detailOf(answer, 'status.revocation')).toContain('inquiry_evidence.record');
    }, 60_000);

    it('signed under an anchor the relying party trusts, by a key that may not speak for the record', async () => {
      const root = p256();
      const rootDer = createCertificate({
        subject: 'C=JP, O=another trust domain, CN=root',
        publicKey: root.publicKey,
        privateKey: root.privateKey,
        notBefore: new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2030-01-01T00:00:00Z'),
        extensions: [
          { type: 'basicConstraints', ca: true },
          { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
        ],
      });
      const leaf = p256();
      const leafDer = createCertificate({
        subject: 'C=JP, O=another trust domain, CN=signer',
        issuer: { certificate: parseCertificate(rootDer), privateKey: root.privateKey },
        publicKey: leaf.publicKey,
        notBefore: new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2030-01-01T00:00:00Z'),
        extensions: [{ type: 'keyUsage', usages: ['digitalSignature'] }],
      });
      const app = answering(async (request) => {
        const { msoDigest } = (await request.json()) as { msoDigest: string };
        const evidence = await signInquiryEvidence({
          msoDigest: new Uint8Array(Buffer.from(msoDigest, 'hex')),
          status: 'valid',
          checkedAt: clock.now,
          audience: client.clientId,
          issuer: ISSUER_ORIGIN,
          key: leaf.privateKey,
          x5chain: [leafDer],
        });
        return Response.json({
          status: 'valid',
          checkedAt: clock.now.toISOString(),
          answer: Buffer.from(evidence).toString('base64url'),
        });
      });
      // Trusted: the path validates to the relying party's second anchor — and still the signer is not the
      // record's document signer nor a status-list signer of its IACA.
      const { answer, check } = await rejectedWith(app, {
        trustAnchors: [...env.iacas, rootDer].map((d) => Buffer.from(d).toString('base64')),
      });
      expect(detailOf(answer, 'status.revocation')).toContain('may not speak for this record');
      // The record does not keep the answer as if it had been relied on.
      expect(check.attempts.at(-1)).toMatchObject({ via: 'failed', outcome: 'signer not authorised' });
      expect(check.attempts.at(-1)?.evidence).toBeUndefined();
      // Untrusted: the same answer under the record IACAs alone does not even validate.
      const { answer: untrusted } = await rejectedWith(app);
      expect(detailOf(untrusted, 'status.revocation')).toContain('inquiry_evidence.certificate_path');
    }, 60_000);

    it('a malformed answer (no evidence) and an oversized one', async () => {
      const { check } = await rejectedWith(
        answering(async () => Response.json({ status: 'valid', checkedAt: clock.now.toISOString() })),
      );
      expect(check.attempts.at(-1)).toMatchObject({ via: 'failed', outcome: 'malformed answer' });
      const { check: big } = await rejectedWith(
        answering(async () => new Response('x'.repeat(64 * 1024), { status: 200 })),
      );
      expect(big.attempts.at(-1)).toMatchObject({ via: 'failed', outcome: 'too large' });
    }, 60_000);
  });

  describe('the issuer unreachable as well as its list: each policy', () => {
    let issuerDown = true;
    let app: App;
    beforeAll(() => {
      app = appWith(listDown, {
        fetch: async (request) => {
          if (issuerDown) throw new TypeError('fetch failed');
          return issuerFetch(request);
        },
      });
    });

    it('reject', async () => {
      const rp = await createRelyingParty(app, env);
      const answer = await verifyOnce(app, rp.apiKey);
      expect(answer.verdict).toBe('invalid');
      expect(answer.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
      expect(await revocationCheckOf(answer)).toMatchObject({
        result: 'undetermined',
        action: 'reject',
        attempts: [
          { kind: 'status-list', via: 'failed' },
          { kind: 'inquiry', via: 'failed', outcome: 'unreachable' },
        ],
      });
    }, 60_000);

    it('accept-flagged', async () => {
      const rp = await createRelyingParty(app, env, {
        revocation: { check: 'required', undetermined: 'accept-flagged' },
      });
      const answer = await verifyOnce(app, rp.apiKey);
      expect(answer.verdict).toBe('valid');
      expect(answer.flags).toEqual(['revocation-undetermined']);
      expect(await revocationCheckOf(answer)).toMatchObject({
        result: 'undetermined',
        action: 'accept-flagged',
      });
    }, 60_000);

    it('retry: 503 and the session given back; once the issuer answers, the same answer verifies', async () => {
      const rp = await createRelyingParty(app, env, {
        revocation: { check: 'required', undetermined: 'retry' },
      });
      const session = await openSession(app, rp.apiKey);
      const response = await phoneAnswers(env, session);
      const first = await submit(app, rp.apiKey, session.sessionId, response);
      expect(first.status).toBe(503);
      expect(((await first.json()) as { code: string }).code).toBe('VERIFIER_REVOCATION_UNAVAILABLE');
      issuerDown = false;
      const second = await submit(app, rp.apiKey, session.sessionId, response);
      expect(second.status).toBe(200);
      const answer = (await second.json()) as VerificationAnswer;
      expect(answer.verdict).toBe('valid');
      expect(await revocationCheckOf(answer)).toMatchObject({ result: 'passed', kind: 'inquiry' });
    }, 60_000);
  });

  it('catches a record revoked at the issuer while the cached status list still says valid (`always`)', async () => {
    // One verifier app = one status-list cache: the first verification caches the list for its ttl.
    const app = appWith(env.fetchFromIssuer);
    const always = await createRelyingParty(app, env, {
      revocation: { check: 'required', undetermined: 'reject', inquiry: 'always' },
    });
    const fallback = await createRelyingParty(app, env);
    const before = await verifyOnce(app, always.apiKey);
    expect(before.verdict).toBe('valid');
    expect((await revocationCheckOf(before)).attempts.map((a) => [a.kind, a.outcome])).toEqual([
      ['status-list', 'valid'],
      ['inquiry', 'valid'],
    ]);

    await env.issuer.deps.store.lifeEvents.record(
      {
        residentId: env.residentId,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目' },
      },
      clock.now.getTime(),
    );
    clock.advance(1_000);

    // The list is still the cached copy: a party relying on it alone does not know yet.
    const stale = await verifyOnce(app, fallback.apiKey);
    expect(stale.verdict).toBe('valid');
    expect(await revocationCheckOf(stale)).toMatchObject({ kind: 'status-list', outcome: 'valid' });

    const answer = await verifyOnce(app, always.apiKey);
    expect(answer.verdict).toBe('invalid');
    expect(statusOf(answer, 'status.revocation')).toBe('failed');
    expect(statusOf(answer, 'revocation.policy')).toBe('failed');
    expect(answer.errorCode).toBe('VERIFIER_REVOKED');
    expect(answer.elements).toBeUndefined();
    const check = await revocationCheckOf(answer);
    expect(check).toMatchObject({
      result: 'failed',
      action: 'reject',
      kind: 'inquiry',
      source: `${ISSUER_ORIGIN}/inquiry`,
      outcome: 'invalid',
    });
    expect(check.attempts.map((a) => [a.kind, a.outcome])).toEqual([
      ['status-list', 'valid'],
      ['inquiry', 'invalid'],
    ]);
    expect(check.attempts[1]?.evidence).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.stringify(answer)).not.toContain('試験町');
  }, 90_000);
});

function p256(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}
