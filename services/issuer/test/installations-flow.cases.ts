/**
 * The installation flows end to end through the routes, on SQLite (installations-flow.test.ts) and
 * PostgreSQL (installations-flow.pg.test.ts): Android (the certificates complete), iPhone (staged until the
 * record), under 15 (authentication certificate only), the one-device rule across installations and in a
 * race, the record offered later, and every way a CSR step can be refused.
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derToPem, parseCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxCard } from '../src/cards/card-file.js';
import type { IssuerError } from '../src/errors.js';
import { completeInstallationWithRecord } from '../src/installations/complete.js';
import type { NewCredential } from '../src/store/credential-repository.js';
import {
  type Attester,
  attest,
  certificateRequests,
  challenge,
  csrOf,
  foreignAttester,
  type PhoneKeys,
  phoneKeys,
  post,
  residentWithCard,
  sandboxAttester,
  signedCardStep,
  type TestIssuer,
  userAuthProof,
} from './helpers/installation-fixtures.js';

/** The instant the flows run at (the hierarchy was created at CA_EPOCH, 2026-04-01). */
export const FLOW_NOW = new Date('2026-05-10T03:00:00Z');

type Json = Record<string, unknown>;

/** A card step; returns the started installation's answer. */
export async function cardStep(
  t: TestIssuer,
  card: SandboxCard,
  family: 'iphone' | 'android',
): Promise<Json> {
  const ch = await challenge(t.app);
  const body = card.signature
    ? signedCardStep(card, { family, nonce: ch.challengeId, deviceInfo: { model: 'test phone' } }, t.clock())
    : { family, proof: { type: 'user-authentication', ...userAuthProof(ch, card.userAuthentication) } };
  const r = await post(t.app, '/installations', body);
  if (r.status !== 201) throw new Error(`card step: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** The CSR step for a started installation. */
export async function sendCsrs(
  t: TestIssuer,
  started: Json,
  attester: Attester,
  keys: PhoneKeys,
  withSign: boolean,
): Promise<{ status: number; json: Json; headers: Headers }> {
  const body = await certificateRequests(attester, keys, {
    nonce: started.keyAttestationNonce as string,
    iat: t.clock(),
    withSign,
  });
  return post(t.app, `/installations/${started.installationId}/jpki-certificates`, body, {
    authorization: `Bearer ${started.installationToken}`,
  });
}

/** A stand-in for the record the OpenID4VCI credential endpoint issues. */
export function recordCredential(now: Date): NewCredential {
  const bytes = randomBytes(64);
  return {
    kind: 'mdoc',
    msoDigest: createHash('sha256').update(bytes).digest('hex'),
    notAfter: now.getTime() + 365 * 86_400_000,
    bytes,
  };
}

const codeOf = async (p: Promise<unknown>) =>
  (
    (await p.then(
      () => undefined,
      (e) => e,
    )) as IssuerError
  )?.code;

/** Defines the flow cases on an issuer made by `open`. */
export function defineInstallationFlowCases(name: string, open: () => Promise<TestIssuer>): void {
  describe(`installation flows (${name})`, () => {
    let t: TestIssuer;
    let attester: Attester;
    let ossl: string;
    beforeAll(async () => {
      t = await open();
      attester = await sandboxAttester(t.hierarchy);
      ossl = mkdtempSync(join(tmpdir(), 'mynakit-flow-openssl-'));
    });
    afterAll(async () => {
      await t?.close();
      rmSync(ossl, { recursive: true, force: true });
    });

    function opensslVerify(anchor: Uint8Array, leaf: string): boolean {
      const id = randomBytes(6).toString('hex');
      writeFileSync(join(ossl, `a-${id}.pem`), derToPem(anchor));
      writeFileSync(join(ossl, `l-${id}.pem`), derToPem(Buffer.from(leaf, 'base64')));
      const r = spawnSync(
        '/usr/bin/openssl',
        [
          'verify',
          '-x509_strict',
          '-attime',
          String(Math.floor(t.clock().getTime() / 1000)),
          '-CAfile',
          join(ossl, `a-${id}.pem`),
          join(ossl, `l-${id}.pem`),
        ],
        { encoding: 'utf8' },
      );
      if (r.error) throw r.error;
      return r.status === 0 && r.stdout.includes(': OK');
    }

    it('Android: the attested CSRs complete the installation; the certificates verify with OpenSSL', async () => {
      const holder = await residentWithCard(t);
      const started = await cardStep(t, holder.card, 'android');
      const keys = phoneKeys();
      const r = await sendCsrs(t, started, attester, keys, true);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json).toMatchObject({ state: 'active', waitingFor: [] });
      expect(r.json.supersededInstallationId).toBeUndefined();
      const certs = r.json.certificates as Record<string, Record<string, string>>;
      const sign = parseCertificate(Buffer.from(certs.signature!.certificate!, 'base64'));
      const auth = parseCertificate(Buffer.from(certs.userAuthentication!.certificate!, 'base64'));
      expect(Buffer.from(sign.spkiDer)).toEqual(keys.sign.publicKey.export({ type: 'spki', format: 'der' }));
      expect(Buffer.from(auth.spkiDer)).toEqual(keys.auth.publicKey.export({ type: 'spki', format: 'der' }));
      expect(sign.subject).toMatch(/^C=JP, L=Shiken-ku, CN=[0-9A-Z]{23}$/);
      // Smartphone certificates die with the card's.
      const cardSign = parseCertificate(holder.card.signature!.certificate);
      expect(sign.notAfter.getTime()).toBeLessThanOrEqual(cardSign.notAfter.getTime());
      expect(opensslVerify(t.hierarchy.jpki.signature.ca.der, certs.signature!.certificate!)).toBe(true);
      expect(
        opensslVerify(t.hierarchy.jpki.userAuthentication.ca.der, certs.userAuthentication!.certificate!),
      ).toBe(true);
      expect(opensslVerify(t.hierarchy.jpki.userAuthentication.ca.der, certs.signature!.certificate!)).toBe(
        false,
      );
      expect(Buffer.from(certs.signature!.issuer!, 'base64')).toEqual(
        Buffer.from(t.hierarchy.jpki.signature.ca.der),
      );

      const installationId = started.installationId as string;
      expect((await t.store.installations.get(installationId))?.state).toBe('active');
      const creds = await t.store.credentials.listByInstallation(installationId);
      expect(creds.map((c) => c.kind).sort()).toEqual(['jpki-auth', 'jpki-sign']);
      expect(creds.find((c) => c.kind === 'jpki-sign')?.serial).toBe(sign.serialNumber.toLowerCase());
      // The token has served.
      const again = await sendCsrs(t, started, attester, keys, true);
      expect(again.status).toBe(401);
      expect(again.json.code).toBe('ISSUER_INSTALLATION_TOKEN_INVALID');
      expect(again.headers.get('www-authenticate')).toContain('Bearer');
    });

    it('a second installation supersedes the first: its credentials are revoked, the record is offered to the new one', async () => {
      const holder = await residentWithCard(t);
      const first = await cardStep(t, holder.card, 'android');
      const firstKeys = phoneKeys();
      expect((await sendCsrs(t, first, attester, firstKeys, true)).status).toBe(200);
      const firstCreds = await t.store.credentials.listByInstallation(first.installationId as string);

      const second = await cardStep(t, holder.card, 'android');
      expect(second.installationId).not.toBe(first.installationId);
      const secondKeys = phoneKeys();
      const r = await sendCsrs(t, second, attester, secondKeys, true);
      expect(r.status).toBe(200);
      expect(r.json.supersededInstallationId).toBe(first.installationId);
      expect((await t.store.installations.get(first.installationId as string))?.state).toBe('superseded');
      for (const c of firstCreds) {
        expect(await t.store.credentials.get(c.id)).toMatchObject({
          state: 'revoked',
          revocationReason: 'superseded',
        });
      }
      expect(await t.store.installations.currentGeneration(holder.residentId)).toBe(2);
      expect((await t.store.installations.activeForResident(holder.residentId))?.id).toBe(
        second.installationId,
      );

      // The record, later, without the card: user authentication by the phone's JPKI key.
      const newAuth = {
        privateKey: secondKeys.auth.privateKey,
        certificate: Buffer.from(
          ((r.json.certificates as Json).userAuthentication as Record<string, string>).certificate!,
          'base64',
        ),
      };
      const offered = await post(
        t.app,
        `/installations/${second.installationId}/record-offer`,
        userAuthProof(await challenge(t.app), newAuth),
      );
      expect(offered.status, JSON.stringify(offered.json)).toBe(201);
      expect(offered.json.txCode).toMatch(/^\d{6}$/);
      const grant = ((offered.json.credentialOffer as Json).grants as Record<string, Record<string, string>>)[
        'urn:ietf:params:oauth:grant-type:pre-authorized_code'
      ];
      expect(
        await t.store.offers.redeem({
          preAuthorizedCode: grant!['pre-authorized_code']!,
          txCode: offered.json.txCode as string,
          now: t.clock().getTime(),
        }),
      ).toEqual({ outcome: 'redeemed', installationId: second.installationId });

      // The superseded phone cannot: its certificate was revoked.
      const oldCerts = await t.store.credentials.listByInstallation(first.installationId as string);
      const oldAuth = {
        privateKey: firstKeys.auth.privateKey,
        certificate: oldCerts.find((c) => c.kind === 'jpki-auth')!.bytes,
      };
      const stale = await post(
        t.app,
        `/installations/${first.installationId}/record-offer`,
        userAuthProof(await challenge(t.app), oldAuth),
      );
      expect(stale.status).toBe(403);
      expect(stale.json.code).toBe('ISSUER_DEVICE_CERTIFICATE_REVOKED');
      // Nor the new phone for another installation, nor the plastic card's key in place of the phone's.
      const elsewhere = await post(
        t.app,
        `/installations/${first.installationId}/record-offer`,
        userAuthProof(await challenge(t.app), newAuth),
      );
      expect(elsewhere.json.code).toBe('ISSUER_DEVICE_CERTIFICATE_UNKNOWN');
      const card = await post(
        t.app,
        `/installations/${second.installationId}/record-offer`,
        userAuthProof(await challenge(t.app), holder.card.userAuthentication),
      );
      expect(card.json.code).toBe('ISSUER_DEVICE_CERTIFICATE_UNKNOWN');
    });

    it('iPhone: the certificates wait for the record, which completes the installation with them', async () => {
      const holder = await residentWithCard(t);
      const android = await cardStep(t, holder.card, 'android');
      expect((await sendCsrs(t, android, attester, phoneKeys(), true)).status).toBe(200);

      const started = await cardStep(t, holder.card, 'iphone');
      const id = started.installationId as string;
      expect(await codeOf(completeInstallationWithRecord(t.deps, id, recordCredential(t.clock())))).toBe(
        'ISSUER_INSTALLATION_STATE',
      );
      const r = await sendCsrs(t, started, attester, phoneKeys(), true);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ state: 'pending', waitingFor: ['mdoc'] });
      expect(await t.store.credentials.listByInstallation(id)).toEqual([]);
      expect((await t.store.stagedCredentials.list(id)).map((c) => c.kind)).toEqual([
        'jpki-auth',
        'jpki-sign',
      ]);
      // The Android phone still holds its credentials until the iPhone completes.
      expect((await t.store.installations.activeForResident(holder.residentId))?.id).toBe(
        android.installationId,
      );
      const again = await sendCsrs(t, started, attester, phoneKeys(), true);
      expect(again.json.code).toBe('ISSUER_INSTALLATION_STATE');

      const record = recordCredential(t.clock());
      const done = await completeInstallationWithRecord(t.deps, id, record);
      expect(done.installation.state).toBe('active');
      expect(done.credentials.map((c) => c.kind).sort()).toEqual(['jpki-auth', 'jpki-sign', 'mdoc']);
      expect(done.credentials.find((c) => c.kind === 'mdoc')?.msoDigest).toBe(record.msoDigest);
      expect(done.superseded?.installationId).toBe(android.installationId);
      expect(await t.store.stagedCredentials.list(id)).toEqual([]);
      const serials = ((r.json.certificates as Json).signature as Record<string, string>).serialNumber;
      expect(done.credentials.find((c) => c.kind === 'jpki-sign')?.serial).toBe(serials?.toLowerCase());
      expect(await codeOf(completeInstallationWithRecord(t.deps, id, recordCredential(t.clock())))).toBe(
        'ISSUER_INSTALLATION_STATE',
      );
      expect(
        await codeOf(
          completeInstallationWithRecord(t.deps, id, { ...recordCredential(t.clock()), kind: 'jpki-auth' }),
        ),
      ).toBe('ISSUER_INVALID_INPUT');
      // The record is not for an Android installation.
      const other = await cardStep(t, holder.card, 'android');
      expect(
        await codeOf(completeInstallationWithRecord(t.deps, other.installationId as string, record)),
      ).toBe('ISSUER_INSTALLATION_STATE');
    });

    it('one device wins a race: the losing installation is failed and answered 409 ISSUER_INSTALLATION_CONFLICT', async () => {
      const holder = await residentWithCard(t);
      const a = await cardStep(t, holder.card, 'android');
      const b = await cardStep(t, holder.card, 'android');
      const [ra, rb] = await Promise.all([
        sendCsrs(t, a, attester, phoneKeys(), true),
        sendCsrs(t, b, attester, phoneKeys(), true),
      ]);
      const outcomes = [ra, rb].map((r) => (r.status === 200 ? 'won' : `${r.status} ${r.json.code}`)).sort();
      expect(outcomes).toEqual(['409 ISSUER_INSTALLATION_CONFLICT', 'won']);
      const loser = ra.status === 200 ? b : a;
      expect((await t.store.installations.get(loser.installationId as string))?.state).toBe('failed');
      expect(await t.store.credentials.listByInstallation(loser.installationId as string)).toEqual([]);
      const events = await t.store.events.listForResident(holder.residentId);
      expect(events.find((e) => e.kind === 'installation.failed')?.detail).toMatchObject({
        installationId: loser.installationId,
        reason: 'conflict',
      });

      // iPhones race at the record: one completes, the other fails with its staged certificates dropped.
      const c = await cardStep(t, holder.card, 'iphone');
      const d = await cardStep(t, holder.card, 'iphone');
      expect((await sendCsrs(t, c, attester, phoneKeys(), true)).status).toBe(200);
      expect((await sendCsrs(t, d, attester, phoneKeys(), true)).status).toBe(200);
      const results = await Promise.allSettled([
        completeInstallationWithRecord(t.deps, c.installationId as string, recordCredential(t.clock())),
        completeInstallationWithRecord(t.deps, d.installationId as string, recordCredential(t.clock())),
      ]);
      expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
      expect((lost.reason as IssuerError).code).toBe('ISSUER_INSTALLATION_CONFLICT');
      const lostId = results[0]?.status === 'rejected' ? c.installationId : d.installationId;
      expect((await t.store.installations.get(lostId as string))?.state).toBe('failed');
      expect(await t.store.stagedCredentials.list(lostId as string)).toEqual([]);
      const active = await t.store.credentials.listActiveForResident(holder.residentId);
      expect(new Set(active.map((x) => x.installationId)).size).toBe(1);
    });

    it('under 15: the authentication certificate alone completes; no signature certificate, no record', async () => {
      const holder = await residentWithCard(t, { birthDate: '2016-05-05' });
      const started = await cardStep(t, holder.card, 'iphone');
      expect(started.needs).toEqual(['jpki-auth']);
      const keys = phoneKeys();
      const withSign = await sendCsrs(t, started, attester, keys, true);
      expect(withSign.status).toBe(400);
      expect(withSign.json.code).toBe('ISSUER_CSR_INVALID');
      const r = await sendCsrs(t, started, attester, keys, false);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.state).toBe('active');
      expect((r.json.certificates as Json).signature).toBeUndefined();
      const auth = {
        privateKey: keys.auth.privateKey,
        certificate: Buffer.from(
          ((r.json.certificates as Json).userAuthentication as Record<string, string>).certificate!,
          'base64',
        ),
      };
      const offer = await post(
        t.app,
        `/installations/${started.installationId}/record-offer`,
        userAuthProof(await challenge(t.app), auth),
      );
      expect(offer.status).toBe(403);
      expect(offer.json.code).toBe('ISSUER_RECORD_NOT_ELIGIBLE');
    });

    it('refuses CSR steps: unattested key, foreign attester, weak key storage, wrong nonce, bad CSRs, wrong token', async () => {
      const holder = await residentWithCard(t);
      const started = await cardStep(t, holder.card, 'android');
      const id = started.installationId as string;
      const nonce = started.keyAttestationNonce as string;
      const keys = phoneKeys();
      const iat = t.clock();
      const good = await certificateRequests(attester, keys, { nonce, iat, withSign: true });
      const send = (body: Json, token = started.installationToken as string) =>
        post(t.app, `/installations/${id}/jpki-certificates`, body, { authorization: `Bearer ${token}` });
      const expectCode = async (body: Json, status: number, code: string) => {
        const r = await send(body);
        expect(r.json.code, JSON.stringify(r.json)).toBe(code);
        expect(r.status).toBe(status);
      };

      // The attestation vouches for another key than the CSR's.
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await expectCode(
        { ...good, authKeyAttestation: await attest(attester, [stranger.publicKey], { nonce, iat }) },
        400,
        'ISSUER_KEY_NOT_ATTESTED',
      );
      // Attested by a platform the issuer does not trust.
      const foreign = foreignAttester(new Date('2026-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
      await expectCode(
        { ...good, signKeyAttestation: await attest(foreign, [keys.sign.publicKey], { nonce, iat }) },
        400,
        'ISSUER_ATTESTATION_UNTRUSTED',
      );
      // A software key store.
      await expectCode(
        {
          ...good,
          authKeyAttestation: await attest(attester, [keys.auth.publicKey], {
            nonce,
            iat,
            keyStorage: ['iso_18045_basic'],
          }),
        },
        400,
        'ISSUER_ATTESTATION_TOO_WEAK',
      );
      // A nonce not handed to this installation, and none at all.
      await expectCode(
        {
          ...good,
          authKeyAttestation: await attest(attester, [keys.auth.publicKey], { nonce: 'x'.repeat(43), iat }),
        },
        400,
        'ISSUER_ATTESTATION_NONCE',
      );
      await expectCode(
        { ...good, authKeyAttestation: await attest(attester, [keys.auth.publicKey], { iat }) },
        400,
        'ISSUER_ATTESTATION_NONCE',
      );
      await expectCode({ ...good, authKeyAttestation: 'not.a.jwt' }, 400, 'ISSUER_ATTESTATION_INVALID');
      // Both attestations bad: the auth one's error, though the sign one fails sooner (checked together).
      await expectCode(
        {
          ...good,
          authKeyAttestation: await attest(attester, [keys.auth.publicKey], {
            nonce,
            iat,
            keyStorage: ['iso_18045_basic'],
          }),
          signKeyAttestation: 'not.a.jwt',
        },
        400,
        'ISSUER_ATTESTATION_TOO_WEAK',
      );
      // CSRs: the signature request is required at 15+; an EC key is no JPKI key; garbage; one key twice.
      const { signCsr: _s, signKeyAttestation: _a, ...authOnly } = good;
      await expectCode(authOnly, 400, 'ISSUER_CSR_INVALID');
      const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      await expectCode({ ...good, authCsr: csrOf(ec) }, 400, 'ISSUER_CSR_INVALID');
      await expectCode(
        { ...good, authCsr: Buffer.from('not a csr').toString('base64') },
        400,
        'ISSUER_CSR_INVALID',
      );
      await expectCode({ ...good, signCsr: good.authCsr as string }, 400, 'ISSUER_CSR_INVALID');
      // Tokens: none, wrong, another installation's.
      const none = await post(t.app, `/installations/${id}/jpki-certificates`, good);
      expect(none.status).toBe(401);
      expect(none.json.code).toBe('ISSUER_INSTALLATION_TOKEN_INVALID');
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      expect((await send(good, 'A'.repeat(43))).json.code).toBe('ISSUER_INSTALLATION_TOKEN_INVALID');
      const other = await cardStep(t, holder.card, 'android');
      expect((await send(good, other.installationToken as string)).json.code).toBe(
        'ISSUER_INSTALLATION_TOKEN_INVALID',
      );

      // None of the refusals used up the nonce: the good request still goes through, once.
      const ok = await send(good);
      expect(ok.status, JSON.stringify(ok.json)).toBe(200);
      const replay = await post(t.app, `/installations/${other.installationId}/jpki-certificates`, good, {
        authorization: `Bearer ${other.installationToken}`,
      });
      expect(replay.json.code).toBe('ISSUER_ATTESTATION_NONCE');
    });
  });
}
