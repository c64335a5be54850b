/**
 * Issues a My Number Card to a resident of the register — what a municipality does at the counter, done
 * by the sandbox: the card's two JPKI key pairs (RSA-2048, generated "in the chip"; the signature key only
 * for a holder 15 or older, DOMAIN.md §3), their certificates from the sandbox JPKI CAs, the card's expiry
 * (card-validity.ts), the PINs' verifiers (@mynakit/jpki pin-verifier, scrypt), the card recorded in the
 * register — and the private keys and PINs written to the resident's card file (card-file.ts), never to
 * the database or a log.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  type BasicFourInput,
  checkIssuanceEligibility,
  checkPinFormat,
  createPinVerifier,
  type JpkiSex,
  type PinKind,
  type ScryptParams,
} from '@mynakit/jpki';
import {
  issueSandboxSignatureCertificate,
  issueSandboxUserAuthenticationCertificate,
  type IssuedJpkiCertificate,
} from '../ca/jpki-certificates.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import type { Card } from '../store/card-repository.js';
import type { IssuerRepositories } from '../store/issuer-store.js';
import type { Resident } from '../store/resident-repository.js';
import type { ResidentSex } from '../store/schema.js';
import { type CardPins, writeCardFile } from './card-file.js';
import { calendarDateOf, cardExpiry } from './card-validity.js';
import { jpkiMunicipalityOf } from './municipality.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * scrypt cost of a sandbox card's PIN verifiers: N=2^14, r=8, p=1 (16 MiB, tens of milliseconds) instead
 * of @mynakit/jpki's OWASP default (N=2^15, p=3: about a second per PIN here). A sandbox card's PINs are
 * written in clear in its card file, so a costlier verifier would protect nothing; seeding ten cards at
 * first start stays quick. A deployment issuing real cards keeps the default (and no card files).
 */
export const SANDBOX_CARD_PIN_KDF: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };

/** What issuing a card needs of the issuer's dependencies. */
export type CardIssuerDeps = Pick<IssuerDeps, 'store' | 'hierarchy' | 'config' | 'random'>;

/** Options of `issueCard`. */
export interface IssueCardOptions {
  /** The issuance instant. */
  readonly now: Date;
  /** PINs to set; each one not given is drawn at random (they are in the card file). */
  readonly pins?: Partial<CardPins>;
  /** Revoke the resident's active card first (a re-issued card); otherwise ISSUER_CARD_CONFLICT. */
  readonly replace?: boolean;
  /** scrypt cost of the PIN verifiers (default SANDBOX_CARD_PIN_KDF). */
  readonly pinKdf?: ScryptParams;
}

/** A card just issued: the register's record and where its card file is. */
export interface IssuedCard {
  readonly card: Card;
  /** `<cardDirectory>/<residentId>.json`. */
  readonly cardFile: string;
}

/** The sex code a JPKI signature certificate carries: 9 (not applicable) is written as 3 (DOMAIN.md §3). */
export function jpkiSexOf(sex: ResidentSex): JpkiSex {
  return sex === 1 ? '1' : sex === 2 ? '2' : '3';
}

/** The basic four of a resident as the signature certificate carries them (before character substitution). */
export function basicFourOf(
  resident: Resident,
): BasicFourInput & { birthDate: ReturnType<typeof calendarDateOf> } {
  return {
    name: resident.fullName,
    address: resident.address,
    birthDate: calendarDateOf(resident.birthDate),
    sex: jpkiSexOf(resident.sex),
  };
}

/**
 * Issues a card to the resident `residentId` at `options.now` and writes its card file. Throws
 * ISSUER_NOT_FOUND for an unknown resident, ISSUER_CARD_CONFLICT when the resident holds an active card
 * (unless `replace`), ISSUER_INVALID_INPUT for a PIN of the wrong format, ISSUER_CARD_FILE when the
 * deployment has no card directory or the file cannot be written (the card is then revoked again).
 */
export async function issueCard(
  deps: CardIssuerDeps,
  residentId: string,
  options: IssueCardOptions,
): Promise<IssuedCard> {
  const cardDirectory = deps.config.cardDirectory;
  if (cardDirectory === undefined)
    throw new IssuerError('ISSUER_CARD_FILE', 'no card directory is configured (sandbox only)');
  const { now } = options;
  const resident = await deps.store.residents.get(residentId);
  if (!resident) throw new IssuerError('ISSUER_NOT_FOUND', 'no such resident');
  const random = deps.random ?? ((b: Uint8Array) => globalThis.crypto.getRandomValues(b));

  const birthDate = calendarDateOf(resident.birthDate);
  const hasSignature = checkIssuanceEligibility('signature', birthDate, now).eligible;
  const pins: CardPins = {
    ...(hasSignature
      ? { signaturePassword: options.pins?.signaturePassword ?? randomPin('signaturePassword', random) }
      : {}),
    userAuthenticationPin: options.pins?.userAuthenticationPin ?? randomPin('userAuthenticationPin', random),
    inputSupportPin: options.pins?.inputSupportPin ?? randomPin('inputSupportPin', random),
  };
  for (const [kind, pin] of [
    ['signaturePassword', pins.signaturePassword],
    ['userAuthenticationPin', pins.userAuthenticationPin],
    ['inputSupportPin', pins.inputSupportPin],
  ] as const) {
    if (pin === undefined) continue;
    const format = checkPinFormat(kind, pin);
    if (!format.ok) throw new IssuerError('ISSUER_INVALID_INPUT', `${kind}: ${format.detail}`);
  }

  const expiresAt = cardExpiry(birthDate, now);
  const municipality = jpkiMunicipalityOf(resident.municipalityCode);
  const [authKey, signKey] = await Promise.all([
    rsa2048(),
    hasSignature ? rsa2048() : Promise.resolve(undefined),
  ]);
  const authCert = await issueSandboxUserAuthenticationCertificate(
    deps.hierarchy,
    { birthDate, municipality },
    { publicKey: authKey.publicKey, issuedAt: now, cardExpiresAt: expiresAt, random },
  );
  let signCert: IssuedJpkiCertificate | undefined;
  if (signKey !== undefined) {
    signCert = await issueSandboxSignatureCertificate(
      deps.hierarchy,
      { basicFour: basicFourOf(resident), municipality },
      { publicKey: signKey.publicKey, issuedAt: now, cardExpiresAt: expiresAt, random },
    );
  }
  const kdf = { params: options.pinKdf ?? SANDBOX_CARD_PIN_KDF };
  const [signPasswordVerifier, authPinVerifier, supportPinVerifier] = await Promise.all([
    pins.signaturePassword === undefined
      ? Promise.resolve(null)
      : createPinVerifier('signaturePassword', pins.signaturePassword, kdf),
    createPinVerifier('userAuthenticationPin', pins.userAuthenticationPin, kdf),
    createPinVerifier('inputSupportPin', pins.inputSupportPin, kdf),
  ]);

  const at = now.getTime();
  const record = async (repos: IssuerRepositories): Promise<Card> => {
    const created = await repos.cards.create(
      {
        residentId,
        cardNumber: cardNumber(random),
        issuedAt: at,
        expiresAt: expiresAt.getTime(),
        signCert: signCert?.der ?? null,
        authCert: authCert.der,
        signPasswordVerifier,
        authPinVerifier,
        supportPinVerifier,
        signSerial: signCert?.serialNumber.toLowerCase() ?? null,
        authSerial: authCert.serialNumber.toLowerCase(),
      },
      at,
    );
    await repos.events.append({
      kind: 'card.issued',
      residentId,
      detail: { cardId: created.id, signatureCertificate: signCert !== undefined },
      at,
    });
    return created;
  };
  // Without `replace`, no transaction: on PostgreSQL a failed INSERT would abort it, and the repository's
  // look-up that turns a racing instance's card into ISSUER_CARD_CONFLICT could not run.
  const card =
    options.replace === true
      ? await deps.store.transaction(
          async (tx) => {
            const old = await tx.cards.activeForResident(residentId);
            if (old) await tx.cards.revoke(old.id, at);
            return record(tx);
          },
          { durable: true },
        )
      : await record(deps.store);

  try {
    const cardFile = await writeCardFile(cardDirectory, {
      residentId,
      cardId: card.id,
      cardNumber: card.cardNumber,
      issuedAt: now,
      expiresAt,
      pins,
      ...(signKey && signCert
        ? { signature: { privateKey: signKey.privateKey, certificate: signCert.der } }
        : {}),
      userAuthentication: { privateKey: authKey.privateKey, certificate: authCert.der },
    });
    return { card, cardFile };
  } catch (e) {
    // A card whose keys exist nowhere cannot be used: take it out of force again.
    await deps.store.cards.revoke(card.id, at);
    throw e;
  }
}

function rsa2048(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
}

const DIGITS = '0123456789';
const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A PIN of the kind's format drawn without modulo bias: 4 digits, or an 8-character signature password. */
function randomPin(kind: PinKind, random: (b: Uint8Array) => Uint8Array): string {
  const alphabet = kind === 'signaturePassword' ? PASSWORD_ALPHABET : DIGITS;
  const length = kind === 'signaturePassword' ? 8 : 4;
  return randomString(alphabet, length, random);
}

/** A card number of the sandbox: `SBX` and 12 random digits (the register keeps it unique). */
function cardNumber(random: (b: Uint8Array) => Uint8Array): string {
  return `SBX${randomString(DIGITS, 12, random)}`;
}

function randomString(alphabet: string, length: number, random: (b: Uint8Array) => Uint8Array): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  for (let round = 0; round < 64 && out.length < length; round++) {
    for (const b of random(new Uint8Array(length * 2))) {
      if (b < limit) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  if (out.length < length) throw new RangeError('the random source returned too few usable bytes');
  return out;
}
