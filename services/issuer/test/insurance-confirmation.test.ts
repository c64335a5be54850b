/**
 * The sandbox insurer registry: the dated copayment table, the synthetic insurer numbers, the seed, and the
 * online qualification confirmation — a clinic's client (role `insurance`) sends the holder's
 * user authentication by the smartphone key, and gets the qualification and nothing else. Real RSA
 * signatures and certificates of the sandbox hierarchy throughout.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { signAuthChallenge } from '@mynakit/jpki';
import { createCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bracketStarts,
  copaymentOn,
  insurerCheckDigit,
  SANDBOX_INSURER_LAW_NUMBER,
  sandboxInsurerNumber,
} from '../src/insurance/copayment.js';
import { jstDay, seedQualifications } from '../src/insurance/seed-qualifications.js';
import { SEED_RESIDENTS, seedResidents } from '../src/residents/seed-residents.js';
import { post, residentWithCard, type TestIssuer, testIssuer } from './helpers/installation-fixtures.js';
import { installationWithAuthCertificate } from './helpers/notice-fixtures.js';
import { createRpClient } from './helpers/rp-client.js';
import { CA_EPOCH } from './helpers/sandbox-ca.js';

const NOW = new Date(CA_EPOCH.getTime() + 86_400_000);

describe('copayment table and sandbox insurer numbers', () => {
  it('places school entry, the 70 bracket and the 75th birthday as the age rules read', () => {
    // Born 1 April: reaches 6 on 31 March and enters school the next day (早生まれ); born 2 April: a year later.
    expect(bracketStarts('2010-04-01').school).toBe('2016-04-01');
    expect(bracketStarts('2010-04-02').school).toBe('2017-04-01');
    expect(bracketStarts('2010-12-31').school).toBe('2017-04-01');
    // 70: from the 1st of the month after the birthday; born on the 1st, from the birthday's month.
    expect(bracketStarts('1956-03-15').from70).toBe('2026-04-01');
    expect(bracketStarts('1956-03-01').from70).toBe('2026-03-01');
    expect(bracketStarts('1956-12-31').from70).toBe('2027-01-01');
    expect(bracketStarts('1951-07-07').from75).toBe('2026-07-07');
  });

  it('answers 20 % before school, 30 % to 69, 20 % for 70–74 and 10 % from 75, with the last day each holds', () => {
    expect(copaymentOn('2022-05-05', '2026-04-02')).toEqual({ percent: 20, validUntil: '2029-03-31' });
    expect(copaymentOn('1990-01-02', '2026-04-02')).toEqual({ percent: 30, validUntil: '2060-01-31' });
    expect(copaymentOn('1955-01-01', '2026-04-02')).toEqual({ percent: 20, validUntil: '2029-12-31' });
    expect(copaymentOn('1940-06-30', '2026-04-02')).toEqual({ percent: 10, validUntil: undefined });
    // Before the table's first row there is no answer.
    expect(copaymentOn('1990-01-02', '2000-01-01')).toBeUndefined();
  });

  it('computes 保険者番号 check digits (協会けんぽ Tokyo 01130012) and marks sandbox numbers with 99', () => {
    expect(insurerCheckDigit('0113001')).toBe('2');
    const n = sandboxInsurerNumber('13');
    expect(n).toMatch(/^\d{8}$/);
    expect(n.startsWith(SANDBOX_INSURER_LAW_NUMBER)).toBe(true);
    expect(n.slice(7)).toBe(insurerCheckDigit(n.slice(0, 7)));
  });
});

describe('online qualification confirmation', () => {
  let t: TestIssuer;
  beforeAll(async () => {
    t = await testIssuer({ now: NOW });
  });
  afterAll(async () => {
    await t.close();
  });

  it('seeds one qualification per seeded resident, once', async () => {
    await seedResidents(t.store.residents, NOW.getTime());
    const ids = SEED_RESIDENTS.map((s) => s.id);
    expect(await seedQualifications(t.store, ids, NOW)).toBe(ids.length);
    expect(await seedQualifications(t.store, ids, NOW)).toBe(0);
    const elder = await t.store.insurance.inForce('sandbox-sex-not-applicable', jstDay(NOW));
    // Born 1955-01-01: 71 on the seeding day → 20 %, until the day before the 75th birthday.
    expect(elder).toMatchObject({ copaymentPercent: 20, validUntil: '2029-12-31', branch: '00' });
    expect(elder?.insurerNumber.startsWith('99')).toBe(true);
    const child = await t.store.insurance.inForce('sandbox-under-15', jstDay(NOW));
    expect(child?.copaymentPercent).toBe(30);
  });

  async function holder(withQualification = true) {
    const { residentId, card } = await residentWithCard(t);
    const inst = await installationWithAuthCertificate(t, residentId);
    if (withQualification)
      await t.store.insurance.create(
        {
          residentId,
          insurerNumber: sandboxInsurerNumber('13'),
          symbol: '試験13',
          number: '000123',
          branch: '01',
          copaymentPercent: 30,
          validFrom: '2026-04-01',
          validUntil: null,
        },
        NOW.getTime(),
      );
    return { residentId, card, inst };
  }

  function authentication(key: import('node:crypto').KeyObject, certificate: Uint8Array) {
    const challenge = randomBytes(32);
    return {
      certificate: Buffer.from(certificate).toString('base64'),
      challenge: challenge.toString('base64url'),
      signature: Buffer.from(signAuthChallenge(challenge, key)).toString('base64'),
    };
  }

  it('answers the qualification, and nothing else about the person, to a client with the insurance role', async () => {
    const clinic = await createRpClient(t.store, ['insurance']);
    const { inst } = await holder();
    const r = await post(
      t.app,
      '/insurance/qualification-confirmations',
      authentication(inst.privateKey, inst.certificate),
      { authorization: clinic.authorization },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(r.json).sort()).toEqual(['confirmedFor', 'qualification']);
    expect(r.json.qualification).toEqual({
      insurerNumber: sandboxInsurerNumber('13'),
      symbol: '試験13',
      number: '000123',
      branch: '01',
      copaymentPercent: 30,
      validFrom: '2026-04-01',
      validUntil: null,
    });
    expect(r.json.confirmedFor).toBe(jstDay(NOW));
  });

  it('refuses clients without credentials or without the role', async () => {
    const { inst } = await holder();
    const body = authentication(inst.privateKey, inst.certificate);
    const none = await post(t.app, '/insurance/qualification-confirmations', body);
    expect([none.status, none.json.code]).toEqual([401, 'ISSUER_UNAUTHORIZED']);
    const other = await createRpClient(t.store, ['inquiry']);
    const wrongRole = await post(t.app, '/insurance/qualification-confirmations', body, {
      authorization: other.authorization,
    });
    expect([wrongRole.status, wrongRole.json.code]).toEqual([403, 'ISSUER_FORBIDDEN']);
  });

  it('refuses a bad signature, a certificate the issuer did not issue to a phone, a foreign one', async () => {
    const clinic = await createRpClient(t.store, ['insurance']);
    const { card, inst } = await holder();
    const send = (body: unknown) =>
      post(t.app, '/insurance/qualification-confirmations', body, { authorization: clinic.authorization });

    const signed = authentication(inst.privateKey, inst.certificate);
    const tampered = { ...signed, challenge: randomBytes(32).toString('base64url') };
    const bad = await send(tampered);
    expect([bad.status, bad.json.code]).toEqual([400, 'ISSUER_PROOF_INVALID']);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const wrongKey = await send(authentication(otherKey, inst.certificate));
    expect([wrongKey.status, wrongKey.json.code]).toEqual([400, 'ISSUER_PROOF_INVALID']);

    // The plastic card's user-authentication certificate chains to the same CA but is no phone credential.
    const plastic = await send(
      authentication(card.userAuthentication.privateKey, card.userAuthentication.certificate),
    );
    expect([plastic.status, plastic.json.code]).toEqual([403, 'ISSUER_INSURANCE_CERTIFICATE_UNKNOWN']);

    const foreignPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = createCertificate({
      subject: 'C=JP, CN=elsewhere',
      publicKey: foreignPair.publicKey,
      privateKey: foreignPair.privateKey,
      notBefore: CA_EPOCH,
      notAfter: new Date(CA_EPOCH.getTime() + 365 * 86_400_000),
      extensions: [{ type: 'keyUsage', usages: ['digitalSignature'], critical: true }],
    });
    const untrusted = await send(authentication(foreignPair.privateKey, foreign));
    expect([untrusted.status, untrusted.json.code]).toEqual([403, 'ISSUER_CERTIFICATE_UNTRUSTED']);

    const notBase64 = await send({ ...signed, certificate: '!!' });
    expect([notBase64.status, notBase64.json.code]).toEqual([400, 'ISSUER_INVALID_INPUT']);
  });

  it('refuses a suspended or revoked certificate, and a holder with no qualification in force', async () => {
    const clinic = await createRpClient(t.store, ['insurance']);
    const send = (body: unknown) =>
      post(t.app, '/insurance/qualification-confirmations', body, { authorization: clinic.authorization });

    const held = await holder();
    await t.store.revocations.revoke([held.inst.credentialId], 'certificateHold', NOW.getTime());
    const suspended = await send(authentication(held.inst.privateKey, held.inst.certificate));
    expect([suspended.status, suspended.json.code]).toEqual([403, 'ISSUER_INSURANCE_CERTIFICATE_REVOKED']);
    await t.store.revocations.reinstate([held.inst.credentialId], NOW.getTime());
    expect((await send(authentication(held.inst.privateKey, held.inst.certificate))).status).toBe(200);

    const lost = await holder();
    await t.store.revocations.revoke([lost.inst.credentialId], 'keyCompromise', NOW.getTime());
    const revoked = await send(authentication(lost.inst.privateKey, lost.inst.certificate));
    expect([revoked.status, revoked.json.code]).toEqual([403, 'ISSUER_INSURANCE_CERTIFICATE_REVOKED']);

    const uninsured = await holder(false);
    const none = await send(authentication(uninsured.inst.privateKey, uninsured.inst.certificate));
    expect([none.status, none.json.code]).toEqual([404, 'ISSUER_INSURANCE_NOT_QUALIFIED']);
  });
});
