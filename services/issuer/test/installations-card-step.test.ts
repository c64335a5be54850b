/**
 * The card step (POST /installations): a good CMS signature by the card starts a pending installation;
 * tampered bytes, a card of a foreign CA, a certificate that is no card of the register, a revoked card, a
 * replayed, unknown or expired challenge each get their own problem code; a holder under 15 proves with
 * user authentication instead, and an adult may not.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSandboxSignatureCertificate } from '../src/ca/jpki-certificates.js';
import type { SandboxCard } from '../src/cards/card-file.js';
import { readCardFile } from '../src/cards/card-file.js';
import { issueCard } from '../src/cards/issue-card.js';
import { CA_EPOCH, sandboxAt, type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';
import {
  challenge,
  post,
  residentWithCard,
  signedCardStep,
  TEST_PIN_KDF,
  type TestIssuer,
  testIssuer,
  userAuthProof,
} from './helpers/installation-fixtures.js';

const NOW = new Date('2026-05-10T03:00:00Z');
const DEVICE = { model: 'Pixel 9', os: 'Android 16', app: 'mynakit-wallet 0.1.0' };

let t: TestIssuer;
let adult: { residentId: string; card: SandboxCard };
let child: { residentId: string; card: SandboxCard };
let foreignDir: TempDataDir;
beforeAll(async () => {
  t = await testIssuer({ now: NOW });
  adult = await residentWithCard(t);
  child = await residentWithCard(t, { birthDate: '2016-05-05', fullName: '試験\u3000こども' });
  foreignDir = tempDataDir();
});
afterAll(async () => {
  await t.close();
  foreignDir.remove();
});

async function signedStep(card: SandboxCard, family: 'iphone' | 'android' = 'android') {
  const ch = await challenge(t.app);
  return signedCardStep(card, { family, nonce: ch.challengeId, deviceInfo: DEVICE }, t.clock());
}

describe('POST /installations with a signature', () => {
  it('starts a pending Android installation: token, needs, key-attestation nonce, no offer yet', async () => {
    const r = await post(t.app, '/installations', await signedStep(adult.card, 'android'));
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.json).toMatchObject({ family: 'android', needs: ['jpki-auth', 'jpki-sign'] });
    expect(r.json.installationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.json.keyAttestationNonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.json.credentialOffer).toBeUndefined();
    expect(r.json.expiresAt).toBe(new Date(NOW.getTime() + 30 * 60_000).toISOString());
    const inst = await t.store.installations.get(r.json.installationId as string);
    expect(inst).toMatchObject({
      residentId: adult.residentId,
      family: 'android',
      state: 'pending',
      baseGeneration: 0,
    });
    expect(inst?.cardId).toBe(adult.card.cardId);
    expect(inst?.deviceInfo).toEqual(DEVICE);
    // The token is stored as its hash only.
    const row = await t.store.db.selectFrom('installation_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.token_hash).not.toBe(r.json.installationToken);
    expect(await t.store.installationTokens.find(r.json.installationToken as string, NOW.getTime())).toBe(
      inst?.id,
    );
    const events = await t.store.events.listForResident(adult.residentId);
    expect(events.find((e) => e.kind === 'installation.started')?.detail).toMatchObject({
      installationId: inst?.id,
      proof: 'signature',
    });
  });

  it('offers the record to an iPhone installation, with a tx_code (the card-reading app shows it in reality)', async () => {
    const r = await post(t.app, '/installations', await signedStep(adult.card, 'iphone'));
    expect(r.status).toBe(201);
    expect(r.json.needs).toEqual(['jpki-auth', 'jpki-sign', 'mdoc']);
    expect(r.json.txCode).toMatch(/^\d{6}$/);
    const offer = r.json.credentialOffer as Record<string, unknown>;
    expect(offer.credential_issuer).toBe('https://issuer.example');
    expect(offer.credential_configuration_ids).toEqual(['org.iso.23220.1.jp.mnc']);
    const grant = (offer.grants as Record<string, Record<string, unknown>>)[
      'urn:ietf:params:oauth:grant-type:pre-authorized_code'
    ];
    expect(grant?.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
    expect(r.json.credentialOfferUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
    // The store redeems the code once, with the tx_code, for this installation.
    expect(
      await t.store.offers.redeem({
        preAuthorizedCode: grant?.['pre-authorized_code'] as string,
        txCode: r.json.txCode as string,
        now: NOW.getTime(),
      }),
    ).toEqual({ outcome: 'redeemed', installationId: r.json.installationId });
  });

  it('refuses tampered bytes: the family changed after signing', async () => {
    const body = await signedStep(adult.card, 'android');
    const r = await post(t.app, '/installations', { ...body, family: 'iphone' });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('ISSUER_PROOF_INVALID');
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const other = await post(t.app, '/installations', { ...body, deviceInfo: { ...DEVICE, model: 'Other' } });
    expect(other.json.code).toBe('ISSUER_PROOF_INVALID');
  });

  it('refuses a card of a foreign JPKI CA (same names, other keys)', async () => {
    const foreign = await sandboxAt(foreignDir.path, CA_EPOCH);
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = await issueSandboxSignatureCertificate(
      foreign,
      {
        basicFour: {
          name: '試験\u3000花子',
          address: '東京都試験区見本町一丁目２番３号',
          birthDate: { year: 1990, month: 1, day: 2 },
          sex: '2',
        },
        municipality: { prefecture: 'Tokyo-to', name: 'Shiken-ku' },
      },
      { publicKey: key.publicKey, issuedAt: NOW },
    );
    const r = await post(
      t.app,
      '/installations',
      await signedStep({ signature: { privateKey: key.privateKey, certificate: cert.der } } as SandboxCard),
    );
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('ISSUER_CERTIFICATE_UNTRUSTED');
  });

  it('refuses a certificate of the sandbox CA that is no card of the register', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = await issueSandboxSignatureCertificate(
      t.hierarchy,
      {
        basicFour: {
          name: '試験\u3000花子',
          address: '東京都試験区見本町一丁目２番３号',
          birthDate: { year: 1990, month: 1, day: 2 },
          sex: '2',
        },
        municipality: { prefecture: 'Tokyo-to', name: 'Shiken-ku' },
      },
      { publicKey: key.publicKey, issuedAt: NOW },
    );
    const r = await post(
      t.app,
      '/installations',
      await signedStep({ signature: { privateKey: key.privateKey, certificate: cert.der } } as SandboxCard),
    );
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('ISSUER_CARD_UNKNOWN');
  });

  it('refuses a card that was replaced (revoked), and takes the new one', async () => {
    const holder = await residentWithCard(t);
    const replaced = await issueCard(t.deps, holder.residentId, {
      now: NOW,
      pinKdf: TEST_PIN_KDF,
      replace: true,
    });
    const r = await post(t.app, '/installations', await signedStep(holder.card));
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('ISSUER_CARD_REVOKED');
    const fresh = await post(
      t.app,
      '/installations',
      await signedStep(await readCardFile(replaced.cardFile)),
    );
    expect(fresh.status).toBe(201);
  });

  it('uses a challenge once: a replay, an unknown and an expired challenge each have their code', async () => {
    const body = await signedStep(adult.card);
    expect((await post(t.app, '/installations', body)).status).toBe(201);
    const replay = await post(t.app, '/installations', body);
    expect(replay.status).toBe(409);
    expect(replay.json.code).toBe('ISSUER_CHALLENGE_REPLAYED');

    const unknown = signedCardStep(adult.card, { family: 'android', nonce: 'A'.repeat(43) }, NOW);
    expect((await post(t.app, '/installations', unknown)).json.code).toBe('ISSUER_CHALLENGE_UNKNOWN');

    const late = await signedStep(adult.card);
    t.clock.now = new Date(NOW.getTime() + 6 * 60_000);
    try {
      const r = await post(t.app, '/installations', late);
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('ISSUER_CHALLENGE_EXPIRED');
    } finally {
      t.clock.now = NOW;
    }
  });

  it('does not burn the challenge on a failed proof', async () => {
    const body = await signedStep(adult.card);
    expect((await post(t.app, '/installations', { ...body, family: 'iphone' })).json.code).toBe(
      'ISSUER_PROOF_INVALID',
    );
    expect((await post(t.app, '/installations', body)).status).toBe(201);
  });

  it('validates the body without echoing it', async () => {
    const r = await post(t.app, '/installations', {
      family: 'tablet',
      nonce: 'x',
      deviceInfo: { owner: '番号花子' },
      proof: { type: 'signature', cms: 'AA' },
    });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('ISSUER_INVALID_BODY');
    expect(JSON.stringify(r.json)).not.toContain('tablet');
    const proto = await post(
      t.app,
      '/installations',
      JSON.parse(
        '{"family":"android","nonce":"x","deviceInfo":{"__proto__":"x"},"proof":{"type":"signature","cms":"AA"}}',
      ),
    );
    expect(proto.status).toBe(400);
    const signatureWithoutNonce = await post(t.app, '/installations', {
      family: 'android',
      proof: { type: 'signature', cms: 'MA==' },
    });
    expect(signatureWithoutNonce.json.code).toBe('ISSUER_INVALID_INPUT');
    const garbage = await post(t.app, '/installations', {
      family: 'android',
      nonce: 'x',
      proof: { type: 'signature', cms: '!!' },
    });
    expect(garbage.json.code).toBe('ISSUER_INVALID_INPUT');
    expect(
      (
        await post(t.app, '/installations', {
          family: 'android',
          nonce: 'x',
          proof: { type: 'signature', cms: 'MAMCAQE=' },
        })
      ).json.code,
    ).toBe('ISSUER_PROOF_INVALID');
  });
});

describe('POST /installations with user authentication', () => {
  it('starts an installation for a holder under 15: user-authentication certificate only, no record', async () => {
    const ch = await challenge(t.app);
    const r = await post(t.app, '/installations', {
      family: 'iphone',
      deviceInfo: DEVICE,
      proof: { type: 'user-authentication', ...userAuthProof(ch, child.card.userAuthentication) },
    });
    expect(r.status).toBe(201);
    expect(r.json.needs).toEqual(['jpki-auth']);
    expect(r.json.credentialOffer).toBeUndefined();
    expect(r.json.txCode).toBeUndefined();
    const events = await t.store.events.listForResident(child.residentId);
    expect(events.find((e) => e.kind === 'installation.started')?.detail).toMatchObject({
      proof: 'user-authentication',
    });
  });

  it('refuses it from a card with a signature certificate: that holder signs', async () => {
    const ch = await challenge(t.app);
    const r = await post(t.app, '/installations', {
      family: 'android',
      proof: { type: 'user-authentication', ...userAuthProof(ch, adult.card.userAuthentication) },
    });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('ISSUER_PROOF_NOT_ACCEPTED');
  });

  it('refuses a signature over another challenge, and a challenge used before', async () => {
    const ch = await challenge(t.app);
    const other = await challenge(t.app);
    const forged = userAuthProof(
      { challengeId: ch.challengeId, challenge: other.challenge },
      child.card.userAuthentication,
    );
    const r = await post(t.app, '/installations', {
      family: 'android',
      proof: { type: 'user-authentication', ...forged },
    });
    expect(r.json.code).toBe('ISSUER_PROOF_INVALID');
    const good = {
      family: 'android',
      proof: { type: 'user-authentication', ...userAuthProof(ch, child.card.userAuthentication) },
    };
    expect((await post(t.app, '/installations', good)).status).toBe(201);
    expect((await post(t.app, '/installations', good)).json.code).toBe('ISSUER_CHALLENGE_REPLAYED');
  });

  it('refuses the signature key in place of the authentication key', async () => {
    const ch = await challenge(t.app);
    const r = await post(t.app, '/installations', {
      family: 'android',
      proof: { type: 'user-authentication', ...userAuthProof(ch, adult.card.signature!) },
    });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('ISSUER_CERTIFICATE_UNTRUSTED');
  });
});
