/**
 * Every way a wallet's OpenID4VCI requests can be wrong, each answered with the error the specification
 * names (§6.3, §8.3.1.1, §11.3, RFC 6749 §5.2, RFC 6750 §3.1) — and none echoing what was sent.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { JP_MNC_DOCTYPE } from '@mynakit/mdoc';
import {
  buildCredentialRequest,
  buildNotificationRequest,
  buildTokenRequest,
  createProofJwt,
} from '@mynakit/oid4vci';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { C_NONCE_TTL_SECONDS } from '../src/oid4vci/nonce-endpoint.js';
import { ACCESS_TOKEN_TTL_SECONDS } from '../src/oid4vci/token-endpoint.js';
import {
  accessToken,
  attestedProof,
  cNonce,
  credentialRequest,
  type IssuerFixture,
  issuerFixture,
  NOW,
  ORIGIN,
  obtain,
  offerFor,
  type PendingInstallation,
  pendingInstallation,
  platformAttester,
  tokenRequest,
} from './helpers/oid4vci-fixture.js';

let f: IssuerFixture;
beforeAll(async () => {
  f = await issuerFixture({ txCodeAttemptLimit: 3 });
});
afterAll(async () => {
  await f?.close();
});
afterEach(() => f.setNow(NOW));

/** An active Android installation with a fresh offer: the record may be added. */
async function readyForRecord(): Promise<PendingInstallation> {
  const pending = await pendingInstallation(f, 'android');
  await f.store.installations.complete(
    pending.installationId,
    [
      {
        kind: 'jpki-auth',
        serial: `7${Date.now().toString(16)}${Math.random().toString(16).slice(2, 10)}`,
        notAfter: NOW.getTime() + 86_400_000 * 365,
        bytes: new Uint8Array([0x30, 0x00]),
      },
    ],
    { now: NOW.getTime() },
  );
  return { ...pending, ...(await offerFor(f, pending.installationId)) };
}

async function errorOf(res: Response): Promise<{ status: number; error: string; text: string }> {
  const text = await res.text();
  return { status: res.status, error: (JSON.parse(text) as { error: string }).error, text };
}

/** A Credential Request for the record with one proof. */
const recordRequest = (proof: string) =>
  buildCredentialRequest({ credentialConfigurationId: JP_MNC_DOCTYPE, proofs: [proof] });

describe('token endpoint (§6.3)', () => {
  it('wrong tx_code → invalid_grant; after the attempt limit even the right one → invalid_grant', async () => {
    const offer = await readyForRecord();
    for (let i = 0; i < 3; i++) {
      const e = await errorOf(
        await tokenRequest(
          f,
          buildTokenRequest({ preAuthorizedCode: offer.preAuthorizedCode, txCode: '000000' }),
        ),
      );
      expect(e).toMatchObject({ status: 400, error: 'invalid_grant' });
      expect(e.text).not.toContain(offer.preAuthorizedCode);
    }
    const locked = await tokenRequest(
      f,
      buildTokenRequest({ preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode }),
    );
    expect(await errorOf(locked)).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('a tx_code missing where the offer has one → invalid_request, and no attempt spent', async () => {
    const offer = await readyForRecord();
    const res = await tokenRequest(f, buildTokenRequest({ preAuthorizedCode: offer.preAuthorizedCode }));
    expect(await errorOf(res)).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(await accessToken(f, offer.preAuthorizedCode, offer.txCode)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a tx_code sent for an offer that has none → invalid_request, and the code stays unspent', async () => {
    const pending = await readyForRecord();
    const preAuthorizedCode = randomBytes(32).toString('base64url');
    const at = f.now().getTime();
    await f.store.offers.create(
      { preAuthorizedCode, installationId: pending.installationId, expiresAt: at + 600_000 },
      at,
    );
    const res = await tokenRequest(f, buildTokenRequest({ preAuthorizedCode, txCode: '493817' }));
    const e = await errorOf(res);
    expect(e).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(e.text).not.toContain(preAuthorizedCode);
    const ok = await tokenRequest(f, buildTokenRequest({ preAuthorizedCode }));
    expect(ok.status).toBe(200);
  });

  it('expired, used and unknown pre-authorized codes → invalid_grant', async () => {
    const expired = await readyForRecord();
    f.setNow(new Date(NOW.getTime() + 600_000));
    expect(
      await errorOf(
        await tokenRequest(
          f,
          buildTokenRequest({ preAuthorizedCode: expired.preAuthorizedCode, txCode: expired.txCode }),
        ),
      ),
    ).toMatchObject({ error: 'invalid_grant' });
    f.setNow(NOW);

    const used = await readyForRecord();
    await accessToken(f, used.preAuthorizedCode, used.txCode);
    expect(
      await errorOf(
        await tokenRequest(
          f,
          buildTokenRequest({ preAuthorizedCode: used.preAuthorizedCode, txCode: used.txCode }),
        ),
      ),
    ).toMatchObject({ error: 'invalid_grant' });

    const unknown = 'an-unknown-pre-authorized-code-0123456789';
    const e = await errorOf(
      await tokenRequest(f, buildTokenRequest({ preAuthorizedCode: unknown, txCode: '123456' })),
    );
    expect(e).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(e.text).not.toContain(unknown);
  });

  it('answers the token with Cache-Control: no-store and a 5-minute Bearer token (§6.2, §13.8)', async () => {
    const offer = await readyForRecord();
    const res = await tokenRequest(
      f,
      buildTokenRequest({ preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS });
  });

  it('another grant type → unsupported_grant_type; a repeated or missing parameter → invalid_request', async () => {
    expect(await errorOf(await tokenRequest(f, 'grant_type=authorization_code&code=x'))).toMatchObject({
      error: 'unsupported_grant_type',
    });
    const twice = `${buildTokenRequest({ preAuthorizedCode: 'a-code-of-sixteen-chars', txCode: '1' })}&tx_code=2`;
    expect(await errorOf(await tokenRequest(f, twice))).toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
    expect(await errorOf(await tokenRequest(f, 'tx_code=1'))).toMatchObject({ error: 'invalid_request' });
    const json = await f.app.request('/oid4vci/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"x"}',
    });
    expect(await errorOf(json)).toMatchObject({ error: 'invalid_request' });
  });
});

describe('nonce endpoint (§7)', () => {
  it('hands out a fresh unpredictable c_nonce each time, uncacheable', async () => {
    const a = await f.app.request('/oid4vci/nonce', { method: 'POST' });
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('no-store');
    const first = ((await a.json()) as { c_nonce: string }).c_nonce;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await cNonce(f)).not.toBe(first);
  });
});

describe('credential endpoint: the access token (RFC 6750 §3.1)', () => {
  it('no bearer → 401 invalid_token with a bare Bearer challenge', async () => {
    const res = await credentialRequest(f, undefined, recordRequest('x.y.z'));
    expect(await errorOf(res)).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('an unknown, malformed or expired bearer → 401 invalid_token, the token not repeated', async () => {
    const unknown = 'unknownTokenValue0123456789abcdefghijklmnopq';
    const res = await credentialRequest(f, unknown, recordRequest('x.y.z'));
    const e = await errorOf(res);
    expect(e).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(e.text).not.toContain(unknown);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(res.headers.get('www-authenticate')).not.toContain(unknown);

    const malformed = await f.app.request('/oid4vci/credential', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      body: '{}',
    });
    expect(await errorOf(malformed)).toMatchObject({ status: 401, error: 'invalid_token' });

    const offer = await readyForRecord();
    const token = await accessToken(f, offer.preAuthorizedCode, offer.txCode);
    f.setNow(new Date(NOW.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000));
    const late = await credentialRequest(f, token, recordRequest('x.y.z'));
    expect(await errorOf(late)).toMatchObject({ status: 401, error: 'invalid_token' });
  });
});

describe('credential endpoint: the request (§8.3.1.1)', () => {
  it('not JSON, the wrong shape or media type → invalid_credential_request; an unknown configuration → unknown_credential_configuration; no proofs → invalid_proof', async () => {
    const offer = await readyForRecord();
    const token = await accessToken(f, offer.preAuthorizedCode, offer.txCode);
    const raw = (body: string, type = 'application/json') =>
      f.app.request('/oid4vci/credential', {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${token}` },
        body,
      });
    expect(await errorOf(await raw('{not json'))).toMatchObject({ error: 'invalid_credential_request' });
    expect(await errorOf(await raw('[]'))).toMatchObject({ error: 'invalid_credential_request' });
    expect(await errorOf(await raw('{"proofs":{"jwt":"x"}}'))).toMatchObject({
      error: 'invalid_credential_request',
    });
    expect(await errorOf(await raw('{}', 'text/plain'))).toMatchObject({
      error: 'invalid_credential_request',
    });
    expect(
      await errorOf(
        await raw(
          JSON.stringify({ credential_configuration_id: 'org.example.unknown', proofs: { jwt: ['a.b.c'] } }),
        ),
      ),
    ).toMatchObject({ error: 'unknown_credential_configuration' });
    expect(
      await errorOf(await raw(JSON.stringify({ credential_configuration_id: JP_MNC_DOCTYPE }))),
    ).toMatchObject({
      error: 'invalid_proof',
    });
    expect(
      await errorOf(
        await raw(
          JSON.stringify({
            credential_configuration_id: JP_MNC_DOCTYPE,
            proofs: { jwt: ['a.b.c'] },
            credential_response_encryption: { enc: 'A128GCM' },
          }),
        ),
      ),
    ).toMatchObject({ error: 'invalid_encryption_parameters' });
  });
});

describe('credential endpoint: key proofs and key attestations (Appendix F.4, D)', () => {
  /** Sends one proof for a fresh offer and returns the error. */
  async function rejected(build: (nonce: string) => Promise<string>) {
    const offer = await readyForRecord();
    const token = await accessToken(f, offer.preAuthorizedCode, offer.txCode);
    const proof = await build(await cNonce(f));
    const res = await credentialRequest(f, token, recordRequest(proof));
    const e = await errorOf(res);
    // Nothing was issued.
    expect(
      (await f.store.credentials.listByInstallation(offer.installationId)).map((c) => c.kind),
    ).not.toContain('mdoc');
    return e;
  }

  it('a proof not signed by the attested key → invalid_proof', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const e = await rejected(async (nonce) => (await attestedProof(f, nonce, { signingKey: other })).proof);
    expect(e).toMatchObject({ status: 400, error: 'invalid_proof' });
  });

  it('a proof whose signature bytes were altered → invalid_proof', async () => {
    const e = await rejected(async (nonce) => {
      const { proof } = await attestedProof(f, nonce);
      const [h, p, s] = proof.split('.') as [string, string, string];
      return `${h}.${p}.${s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`}`;
    });
    expect(e).toMatchObject({ error: 'invalid_proof' });
  });

  it('a key without a key attestation → invalid_proof', async () => {
    const e = await rejected(async (nonce) =>
      createProofJwt({
        privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
        audience: ORIGIN,
        nonce,
        iat: NOW,
      }),
    );
    expect(e).toMatchObject({ error: 'invalid_proof' });
  });

  it('a key the attestation does not attest → invalid_proof', async () => {
    const attested = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const e = await rejected(async (nonce) => {
      const { proof } = await attestedProof(f, nonce, { attestedKeys: [attested.publicKey] });
      return proof;
    });
    expect(e).toMatchObject({ error: 'invalid_proof' });
  });

  it('key storage or user authentication weaker than iso_18045_moderate → invalid_proof', async () => {
    expect(
      await rejected(
        async (nonce) => (await attestedProof(f, nonce, { keyStorage: ['iso_18045_basic'] })).proof,
      ),
    ).toMatchObject({ error: 'invalid_proof' });
    expect(
      await rejected(
        async (nonce) => (await attestedProof(f, nonce, { keyStorage: ['iso_18045_enhanced-basic'] })).proof,
      ),
    ).toMatchObject({ error: 'invalid_proof' });
    expect(
      await rejected(
        async (nonce) => (await attestedProof(f, nonce, { userAuthentication: ['iso_18045_basic'] })).proof,
      ),
    ).toMatchObject({ error: 'invalid_proof' });
  });

  it('an attestation from an attester the sandbox does not trust → invalid_proof', async () => {
    // A self-signed "attestation CA" of its own, certifying an attester: not under hierarchy.attestation.roots.
    const { createCertificate } = await import('@mynakit/pki');
    const rogueKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rogueDer = createCertificate({
      subject: 'CN=Rogue attestation CA',
      publicKey: rogueKeys.publicKey,
      privateKey: rogueKeys.privateKey,
      notBefore: new Date(NOW.getTime() - 86_400_000),
      notAfter: new Date(NOW.getTime() + 86_400_000 * 30),
      extensions: [
        { type: 'basicConstraints', ca: true, critical: true },
        { type: 'keyUsage', usages: ['keyCertSign'], critical: true },
      ],
    });
    const { keyObjectSigner, parseCertificate } = await import('@mynakit/pki');
    const rogue = await platformAttester(
      {
        name: 'rogue',
        der: rogueDer,
        certificate: parseCertificate(rogueDer),
        signer: keyObjectSigner(rogueKeys.privateKey),
      },
      new Date(NOW.getTime() - 86_400_000),
    );
    const e = await rejected(async (nonce) => (await attestedProof(f, nonce, { attester: rogue })).proof);
    expect(e).toMatchObject({ error: 'invalid_proof' });
  });

  it('a proof for another audience → invalid_proof', async () => {
    const e = await rejected(async (nonce) => {
      const device = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const { proof } = await attestedProof(f, nonce, { deviceKey: device });
      const header = JSON.parse(Buffer.from(proof.split('.')[0] as string, 'base64url').toString());
      return createProofJwt({
        privateKey: device,
        keyAttestation: header.key_attestation,
        kid: '0',
        audience: 'https://another-issuer.example',
        nonce,
        iat: NOW,
      });
    });
    expect(e).toMatchObject({ error: 'invalid_proof' });
  });
});

describe('credential endpoint: c_nonces (§7, §8.3.1.1 invalid_nonce)', () => {
  it('a c_nonce used by an earlier request → invalid_nonce', async () => {
    const first = await readyForRecord();
    const nonce = await cNonce(f);
    const token1 = await accessToken(f, first.preAuthorizedCode, first.txCode);
    const ok = await credentialRequest(f, token1, recordRequest((await attestedProof(f, nonce)).proof));
    expect(ok.status).toBe(200);

    const second = await readyForRecord();
    const token2 = await accessToken(f, second.preAuthorizedCode, second.txCode);
    const replay = await credentialRequest(f, token2, recordRequest((await attestedProof(f, nonce)).proof));
    expect(await errorOf(replay)).toMatchObject({ status: 400, error: 'invalid_nonce' });
  });

  it('a c_nonce never handed out, or past its lifetime → invalid_nonce', async () => {
    const offer = await readyForRecord();
    const token = await accessToken(f, offer.preAuthorizedCode, offer.txCode);
    const forged = await credentialRequest(
      f,
      token,
      recordRequest((await attestedProof(f, 'a-c-nonce-this-issuer-never-made')).proof),
    );
    expect(await errorOf(forged)).toMatchObject({ error: 'invalid_nonce' });

    const stale = await cNonce(f);
    f.setNow(new Date(NOW.getTime() + C_NONCE_TTL_SECONDS * 1000));
    const offer2 = await readyForRecord();
    const token2 = await accessToken(f, offer2.preAuthorizedCode, offer2.txCode);
    const late = await credentialRequest(f, token2, recordRequest((await attestedProof(f, stale)).proof));
    expect(await errorOf(late)).toMatchObject({ error: 'invalid_nonce' });
  });

  it('a forged proof does not spend the c_nonce', async () => {
    const offer = await readyForRecord();
    const token = await accessToken(f, offer.preAuthorizedCode, offer.txCode);
    const nonce = await cNonce(f);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const bad = await credentialRequest(
      f,
      token,
      recordRequest((await attestedProof(f, nonce, { signingKey: other })).proof),
    );
    expect(await errorOf(bad)).toMatchObject({ error: 'invalid_proof' });
    const good = await credentialRequest(f, token, recordRequest((await attestedProof(f, nonce)).proof));
    expect(good.status).toBe(200);
  });
});

describe('notification endpoint (§11.3)', () => {
  it('an id that is not a credential of this access token → invalid_notification_id; a malformed request → invalid_notification_request', async () => {
    const mine = await readyForRecord();
    const { response, token } = await obtain(f, mine, JP_MNC_DOCTYPE);
    const { notification_id: id } = (await response.json()) as { notification_id: string };
    const theirs = await readyForRecord();
    const other = await obtain(f, theirs, JP_MNC_DOCTYPE);
    const otherId = ((await other.response.json()) as { notification_id: string }).notification_id;

    const notify = (body: unknown, bearer: string | null = token) =>
      credentialRequest(f, bearer ?? undefined, body, '/oid4vci/notification');
    expect(
      await errorOf(
        await notify(buildNotificationRequest({ notificationId: otherId, event: 'credential_accepted' })),
      ),
    ).toMatchObject({ status: 400, error: 'invalid_notification_id' });
    expect(
      await errorOf(
        await notify(buildNotificationRequest({ notificationId: 'no-such-id', event: 'credential_deleted' })),
      ),
    ).toMatchObject({ error: 'invalid_notification_id' });
    expect(await errorOf(await notify({ notification_id: id, event: 'credential_lost' }))).toMatchObject({
      error: 'invalid_notification_request',
    });
    expect(await errorOf(await notify({ event: 'credential_accepted' }))).toMatchObject({
      error: 'invalid_notification_request',
    });
    expect(
      await errorOf(
        await notify(buildNotificationRequest({ notificationId: id, event: 'credential_failure' }), null),
      ),
    ).toMatchObject({ status: 401, error: 'invalid_token' });
    const ok = await notify(
      buildNotificationRequest({
        notificationId: id,
        event: 'credential_failure',
        eventDescription: 'storage full',
      }),
    );
    expect(ok.status).toBe(204);
    const events = await f.store.events.listForResident(mine.residentId);
    const logged = events.find((e) => e.kind === 'oid4vci.notification');
    expect(logged?.detail).toEqual({
      installationId: mine.installationId,
      credentialId: id,
      event: 'credential_failure',
    });
  });
});
