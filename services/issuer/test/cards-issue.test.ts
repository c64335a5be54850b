/**
 * Cards of the register: keys per age, certificates from the sandbox JPKI CAs (checked by OpenSSL too),
 * the card's expiry rule, PIN verifiers, and the card file — the sandbox's physical card, mode 0600,
 * labelled, with keys that match the certificates and PINs that match the verifiers.
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardExpiryInstant, verifyPin } from '@mynakit/jpki';
import { derToPem, parseCertificate, spkiOf } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_FILE_NOTICE, readCardFile } from '../src/cards/card-file.js';
import { cardExpiry } from '../src/cards/card-validity.js';
import { issueCard } from '../src/cards/issue-card.js';
import { jpkiMunicipalityOf } from '../src/cards/municipality.js';
import type { IssuerError } from '../src/errors.js';
import { residentInput, TEST_PIN_KDF, type TestIssuer, testIssuer } from './helpers/installation-fixtures.js';

const NOW = new Date('2026-05-10T03:00:00Z');
let t: TestIssuer;
let ossl: string;
beforeAll(async () => {
  t = await testIssuer({ now: NOW });
  ossl = mkdtempSync(join(tmpdir(), 'mynakit-cards-openssl-'));
});
afterAll(async () => {
  await t.close();
  rmSync(ossl, { recursive: true, force: true });
});

const codeOf = async (p: Promise<unknown>) =>
  (
    (await p.then(
      () => undefined,
      (e) => e,
    )) as IssuerError
  )?.code;

function opensslVerify(anchor: Uint8Array, leaf: Uint8Array, at: Date): { ok: boolean; out: string } {
  const id = Math.random().toString(36).slice(2);
  const anchorPath = join(ossl, `anchor-${id}.pem`);
  const leafPath = join(ossl, `leaf-${id}.pem`);
  writeFileSync(anchorPath, derToPem(anchor));
  writeFileSync(leafPath, derToPem(leaf));
  const r = spawnSync(
    '/usr/bin/openssl',
    [
      'verify',
      '-x509_strict',
      '-attime',
      String(Math.floor(at.getTime() / 1000)),
      '-CAfile',
      anchorPath,
      leafPath,
    ],
    { encoding: 'utf8' },
  );
  if (r.error) throw r.error;
  return { ok: r.status === 0 && r.stdout.includes(': OK'), out: r.stdout + r.stderr };
}

describe('issueCard', () => {
  it('gives an adult both JPKI keys, certificates from the sandbox CAs and a card valid to the 10th birthday', async () => {
    const r = await t.store.residents.create(residentInput({ birthDate: '1990-01-02' }), NOW.getTime());
    const { card, cardFile } = await issueCard(t.deps, r.id, { now: NOW, pinKdf: TEST_PIN_KDF });
    expect(card.state).toBe('active');
    expect(card.expiresAt).toBe(cardExpiryInstant({ year: 2036, month: 1, day: 2 }).getTime());
    expect(new Date(card.expiresAt).toISOString()).toMatch(/^2036-01-02T14:59:59/);
    expect(card.signCert).not.toBeNull();
    const sign = parseCertificate(card.signCert as Uint8Array);
    const auth = parseCertificate(card.authCert);
    expect(card.signSerial).toBe(sign.serialNumber.toLowerCase());
    expect(card.authSerial).toBe(auth.serialNumber.toLowerCase());
    expect(sign.subject).toMatch(/^C=JP, L=Shiken-ku, CN=[0-9A-Z]{23}$/);
    expect(auth.subject).toMatch(/^C=JP, CN=[0-9A-Z]{23}$/);
    expect(sign.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // The signature certificate ends on the 5th birthday (2031-01-02, 23:59:59 JST), inside the card.
    expect(sign.notAfter.toISOString()).toMatch(/^2031-01-02T14:59:59/);
    expect(opensslVerify(t.hierarchy.jpki.signature.ca.der, card.signCert as Uint8Array, NOW)).toMatchObject({
      ok: true,
    });
    expect(opensslVerify(t.hierarchy.jpki.userAuthentication.ca.der, card.authCert, NOW)).toMatchObject({
      ok: true,
    });
    // … and not against the other CA.
    expect(
      opensslVerify(t.hierarchy.jpki.userAuthentication.ca.der, card.signCert as Uint8Array, NOW).ok,
    ).toBe(false);

    // The card file: labelled, private, its keys those of the certificates, its PINs those of the verifiers.
    expect(cardFile).toBe(join(t.deps.config.cardDirectory as string, `${r.id}.json`));
    expect(statSync(cardFile).mode & 0o777).toBe(0o600);
    const text = readFileSync(cardFile, 'utf8');
    expect(JSON.parse(text).notice).toBe(CARD_FILE_NOTICE);
    expect(text).toContain('SANDBOX TEST CARD');
    const physical = await readCardFile(cardFile);
    expect(physical.cardId).toBe(card.id);
    expect(physical.signature).toBeDefined();
    expect(Buffer.from(spkiOf(createPublicKey(physical.signature!.privateKey)))).toEqual(
      Buffer.from(sign.spkiDer),
    );
    expect(Buffer.from(spkiOf(createPublicKey(physical.userAuthentication.privateKey)))).toEqual(
      Buffer.from(auth.spkiDer),
    );
    expect(physical.pins.signaturePassword).toMatch(/^[A-Z0-9]{6,16}$/);
    expect(physical.pins.userAuthenticationPin).toMatch(/^\d{4}$/);
    expect(physical.pins.inputSupportPin).toMatch(/^\d{4}$/);
    expect(await verifyPin(physical.pins.signaturePassword!, card.signPasswordVerifier!)).toBe(true);
    expect(await verifyPin(physical.pins.userAuthenticationPin, card.authPinVerifier)).toBe(true);
    expect(await verifyPin(physical.pins.inputSupportPin, card.supportPinVerifier)).toBe(true);
    expect(await verifyPin('0000', card.authPinVerifier)).toBe(
      physical.pins.userAuthenticationPin === '0000',
    );

    // Nothing of the physical card is in the database.
    const row = await t.store.db
      .selectFrom('cards')
      .selectAll()
      .where('id', '=', card.id)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
    );
    expect(stored).not.toContain(physical.pins.signaturePassword);
    expect(stored).not.toContain('PRIVATE KEY');
  });

  it('gives a holder under 15 no signature key, no signature password, and a card valid to the 5th birthday', async () => {
    const r = await t.store.residents.create(residentInput({ birthDate: '2016-05-05' }), NOW.getTime());
    const { card, cardFile } = await issueCard(t.deps, r.id, { now: NOW, pinKdf: TEST_PIN_KDF });
    expect(card.signCert).toBeNull();
    expect(card.signSerial).toBeNull();
    expect(card.signPasswordVerifier).toBeNull();
    // 5th birthday after 2026-05-10 is 2031-05-05.
    expect(new Date(card.expiresAt).toISOString()).toMatch(/^2031-05-05T14:59:59/);
    const physical = await readCardFile(cardFile);
    expect(physical.signature).toBeUndefined();
    expect(physical.pins.signaturePassword).toBeUndefined();
  });

  it('follows the age at issuance: 16 → signature key but the 5-birthday card; 18 on the day → 10 birthdays', () => {
    expect(cardExpiry({ year: 2010, month: 1, day: 1 }, NOW).toISOString()).toMatch(/^2031-01-01T14:59:59/);
    // 18th birthday on the JST day of issuance (2026-05-10 12:00 JST).
    expect(cardExpiry({ year: 2008, month: 5, day: 10 }, NOW).toISOString()).toMatch(/^2036-05-10T14:59:59/);
    // 18 the next day: still 17 at issuance, and that birthday is the first of the five.
    expect(cardExpiry({ year: 2008, month: 5, day: 11 }, NOW).toISOString()).toMatch(/^2030-05-11T14:59:59/);
    // 29 February: in a common year the birthday that ends validity is 28 February (@mynakit/jpki birthdayIn).
    expect(cardExpiry({ year: 1996, month: 2, day: 29 }, NOW).toISOString()).toMatch(/^2036-02-29T14:59:59/);
    expect(cardExpiry({ year: 2012, month: 2, day: 29 }, NOW).toISOString()).toMatch(/^2031-02-28T14:59:59/);
  });

  it('refuses a second active card unless replacing, and a replaced card is revoked', async () => {
    const r = await t.store.residents.create(residentInput(), NOW.getTime());
    const first = await issueCard(t.deps, r.id, { now: NOW, pinKdf: TEST_PIN_KDF });
    expect(await codeOf(issueCard(t.deps, r.id, { now: NOW, pinKdf: TEST_PIN_KDF }))).toBe(
      'ISSUER_CARD_CONFLICT',
    );
    const second = await issueCard(t.deps, r.id, { now: NOW, pinKdf: TEST_PIN_KDF, replace: true });
    expect((await t.store.cards.get(first.card.id))?.state).toBe('revoked');
    expect((await t.store.cards.activeForResident(r.id))?.id).toBe(second.card.id);
    expect((await readCardFile(second.cardFile)).cardId).toBe(second.card.id);
  });

  it('takes given PINs, refuses badly formed ones, and refuses unknown residents', async () => {
    const r = await t.store.residents.create(residentInput(), NOW.getTime());
    const pins = { signaturePassword: 'SANDBOX1', userAuthenticationPin: '1234', inputSupportPin: '5678' };
    const { card, cardFile } = await issueCard(t.deps, r.id, { now: NOW, pins, pinKdf: TEST_PIN_KDF });
    expect((await readCardFile(cardFile)).pins).toEqual(pins);
    expect(await verifyPin('SANDBOX1', card.signPasswordVerifier!)).toBe(true);
    const other = await t.store.residents.create(residentInput(), NOW.getTime());
    expect(
      await codeOf(
        issueCard(t.deps, other.id, { now: NOW, pins: { signaturePassword: 'short' }, pinKdf: TEST_PIN_KDF }),
      ),
    ).toBe('ISSUER_INVALID_INPUT');
    expect(
      await codeOf(
        issueCard(t.deps, other.id, {
          now: NOW,
          pins: { userAuthenticationPin: '12a4' },
          pinKdf: TEST_PIN_KDF,
        }),
      ),
    ).toBe('ISSUER_INVALID_INPUT');
    expect(await codeOf(issueCard(t.deps, 'nobody', { now: NOW }))).toBe('ISSUER_NOT_FOUND');
    expect(await t.store.cards.activeForResident(other.id)).toBeUndefined();
  });

  it('romanises municipalities for the certificates: the sandbox ones by name, others by prefecture and code', () => {
    expect(jpkiMunicipalityOf('139904')).toEqual({ prefecture: 'Tokyo-to', name: 'Shiken-ku' });
    expect(jpkiMunicipalityOf('47990')).toEqual({ prefecture: 'Okinawa-ken', name: 'Sandbox-son' });
    expect(jpkiMunicipalityOf('082201')).toEqual({ prefecture: 'Ibaraki-ken', name: 'Municipality-08220' });
  });
});
