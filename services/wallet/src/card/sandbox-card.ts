/**
 * The sandbox's physical My Number Card, as a phone reads it over NFC: the issuer writes each test
 * resident's card to `<issuer dataDir>/issuer/cards/<residentId>.json` (format `mynakit-sandbox-card/1`:
 * the JPKI keys and certificates of the chip, and the PINs its holder knows). This reader behaves like the
 * chip: a PIN must be verified (VERIFY) before the key behind it signs, a wrong PIN uses one of the
 * card's tries (DOMAIN.md §3: input-support PIN and auth PIN 3, signature password 5).
 *
 * The chip keeps its try counters across power cycles, so this card keeps them beside its file, in
 * `<residentId>.counters.json` (format `mynakit-sandbox-card-counters/1`: the card's id and the tries left
 * of each PIN — never a PIN or anything derived from one), replaced atomically (temporary file, fsync,
 * rename). A sandbox restart leaves a locked PIN locked. The card file itself is never rewritten. Counters
 * written for another card id (the resident was issued a new card) do not apply: the new card starts
 * with all its tries. A counters file that is too large or malformed is WALLET_CARD_COUNTERS_UNUSABLE,
 * never "all tries left". The file is read and written synchronously inside one VERIFY, so two readings
 * of the same card in one process never lose a try between them.
 */
import { createPrivateKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { signAuthChallenge } from '@mynakit/jpki';
import { pemToDer, signCms } from '@mynakit/pki';
import { WalletError } from '../errors.js';

/** The `format` of a sandbox card file. */
export const SANDBOX_CARD_FORMAT = 'mynakit-sandbox-card/1';

/** The card's PINs (the chip's applications). */
export type CardPinKind = 'inputSupportPin' | 'signaturePassword' | 'userAuthenticationPin';

const CARD_TRIES: ReadonlyMap<CardPinKind, number> = new Map([
  ['inputSupportPin', 3],
  ['userAuthenticationPin', 3],
  ['signaturePassword', 5],
]);

const MAX_CARD_FILE_BYTES = 64 * 1024;

/** The `format` of a card's counters file. */
export const SANDBOX_CARD_COUNTERS_FORMAT = 'mynakit-sandbox-card-counters/1';

/** A counters file is a few dozen bytes; anything larger is not one. */
const MAX_COUNTERS_FILE_BYTES = 1024;

/** Where the counters of the card file at `cardPath` live: `x.json` → `x.counters.json`. */
export function cardCountersPath(cardPath: string): string {
  return `${cardPath.endsWith('.json') ? cardPath.slice(0, -5) : cardPath}.counters.json`;
}

interface CardKey {
  readonly privateKey: KeyObject;
  readonly certificate: Uint8Array;
}

/** A card read from its file. */
export class SandboxCard {
  /** The resident the card belongs to (the file's `residentId`). */
  readonly residentId: string;
  /** DER of the card's signature certificate; absent under 15. */
  readonly signatureCertificate?: Uint8Array;
  /** DER of the card's user-authentication certificate. */
  readonly userAuthenticationCertificate: Uint8Array;
  readonly #cardId: string;
  readonly #countersPath: string;
  readonly #pins: Map<CardPinKind, string>;
  readonly #verified = new Set<CardPinKind>();
  readonly #signature: CardKey | undefined;
  readonly #auth: CardKey;

  private constructor(
    residentId: string,
    cardId: string,
    countersPath: string,
    pins: Map<CardPinKind, string>,
    signature: CardKey | undefined,
    auth: CardKey,
  ) {
    this.residentId = residentId;
    this.#cardId = cardId;
    this.#countersPath = countersPath;
    this.#pins = pins;
    this.#signature = signature;
    this.#auth = auth;
    if (signature) this.signatureCertificate = signature.certificate;
    this.userAuthenticationCertificate = auth.certificate;
  }

  /**
   * Reads a card file (WALLET_CARD_UNREADABLE when it is missing or no sandbox card) and checks its
   * counters file (WALLET_CARD_COUNTERS_UNUSABLE when it is malformed).
   */
  static async read(path: string): Promise<SandboxCard> {
    let json: Record<string, unknown>;
    try {
      const bytes = await readFile(path);
      if (bytes.length > MAX_CARD_FILE_BYTES) throw new RangeError('too large');
      json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new WalletError('WALLET_CARD_UNREADABLE', 'the card cannot be read', { cause: e });
    }
    let card: SandboxCard;
    try {
      if (json.format !== SANDBOX_CARD_FORMAT) throw new TypeError('not a sandbox card');
      const cardId = typeof json.cardId === 'string' ? json.cardId : '';
      const pins = json.pins as Record<string, unknown>;
      const map = new Map<CardPinKind, string>();
      for (const kind of CARD_TRIES.keys())
        if (Object.hasOwn(pins, kind) && typeof pins[kind] === 'string') map.set(kind, pins[kind] as string);
      const sig = json.signature === null ? undefined : keyOf(json.signature);
      card = new SandboxCard(
        String(json.residentId),
        cardId,
        cardCountersPath(path),
        map,
        sig,
        keyOf(json.userAuthentication),
      );
    } catch (e) {
      throw new WalletError('WALLET_CARD_UNREADABLE', 'the file is not a sandbox card', { cause: e });
    }
    readCounters(card.#countersPath, card.#cardId);
    return card;
  }

  /** The tries left of a PIN, as VERIFY without data tells (ISO/IEC 7816-4 status 63Cx); uses none. */
  remainingTries(kind: CardPinKind): number {
    return readCounters(this.#countersPath, this.#cardId).get(kind) ?? 0;
  }

  /**
   * VERIFY: checks a PIN against the chip, keeping the tries in the counters file; WALLET_CARD_PIN_WRONG /
   * WALLET_CARD_PIN_LOCKED, WALLET_CARD_COUNTERS_UNUSABLE when the counters cannot be read or written.
   */
  verifyPin(kind: CardPinKind, pin: string): void {
    const expected = this.#pins.get(kind);
    if (expected === undefined) throw new WalletError('WALLET_CARD_PIN_WRONG', `this card has no ${kind}`);
    const tries = readCounters(this.#countersPath, this.#cardId);
    const left = tries.get(kind) ?? 0;
    if (left <= 0) throw new WalletError('WALLET_CARD_PIN_LOCKED', `the card's ${kind} is locked`);
    // Like a chip, the try is spent before the comparison: a crash between the two cannot give a free try.
    this.#verified.delete(kind);
    tries.set(kind, left - 1);
    writeCounters(this.#countersPath, this.#cardId, tries);
    const a = Buffer.from(pin, 'utf8');
    const b = Buffer.from(expected, 'utf8');
    if (a.length === b.length && timingSafeEqual(a, b)) {
      tries.set(kind, CARD_TRIES.get(kind) ?? 0);
      writeCounters(this.#countersPath, this.#cardId, tries);
      this.#verified.add(kind);
      return;
    }
    throw new WalletError(
      left - 1 === 0 ? 'WALLET_CARD_PIN_LOCKED' : 'WALLET_CARD_PIN_WRONG',
      `wrong ${kind}; ${left - 1} tries left on the card`,
      { remainingTries: left - 1 },
    );
  }

  /** The signature key signs `content` as a detached CMS SignedData (after the signature password). */
  signCms(content: Uint8Array, signingTime: Date): Uint8Array {
    if (this.#signature === undefined)
      throw new WalletError('WALLET_INSTALLATION_STATE', 'this card has no signature certificate');
    this.#require('signaturePassword');
    return signCms({
      content,
      detached: true,
      signer: { certificate: this.#signature.certificate, privateKey: this.#signature.privateKey },
      signingTime,
    });
  }

  /** The user-authentication key signs DigestInfo(SHA-256, challenge) (after the auth PIN). */
  authenticate(challenge: Uint8Array): Uint8Array {
    this.#require('userAuthenticationPin');
    return signAuthChallenge(challenge, this.#auth.privateKey);
  }

  #require(kind: CardPinKind): void {
    if (!this.#verified.has(kind))
      throw new WalletError('WALLET_CARD_PIN_WRONG', `verify the card's ${kind} first`);
  }
}

function keyOf(value: unknown): CardKey {
  const k = value as { privateKeyPem: unknown; certificatePem: unknown };
  if (typeof k?.privateKeyPem !== 'string' || typeof k.certificatePem !== 'string')
    throw new TypeError('a card key needs its PEMs');
  return {
    privateKey: createPrivateKey(k.privateKeyPem),
    certificate: pemToDer(k.certificatePem, 'CERTIFICATE'),
  };
}

/** All tries of a fresh card. */
function fullTries(): Map<CardPinKind, number> {
  return new Map(CARD_TRIES);
}

/**
 * The tries left of the card `cardId` from its counters file: all of them when there is no file or the
 * file is another card's; WALLET_CARD_COUNTERS_UNUSABLE when it cannot be read, is too large or malformed.
 */
function readCounters(path: string, cardId: string): Map<CardPinKind, number> {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      if (fstatSync(fd).size > MAX_COUNTERS_FILE_BYTES) throw new RangeError('too large');
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fullTries();
    throw countersUnusable(e);
  }
  try {
    if (text.length > MAX_COUNTERS_FILE_BYTES) throw new RangeError('too large');
    const json = JSON.parse(text) as unknown;
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new TypeError('not an object');
    const file = json as Record<string, unknown>;
    if (file.format !== SANDBOX_CARD_COUNTERS_FORMAT) throw new TypeError('not a counters file');
    if (typeof file.cardId !== 'string') throw new TypeError('no card id');
    const left = file.remainingTries;
    if (left === null || typeof left !== 'object' || Array.isArray(left)) throw new TypeError('no tries');
    const entries = Object.entries(left as Record<string, unknown>);
    if (entries.length !== CARD_TRIES.size) throw new TypeError('not one counter per PIN');
    const tries = new Map<CardPinKind, number>();
    for (const [name, value] of entries) {
      const max = CARD_TRIES.get(name as CardPinKind);
      if (max === undefined) throw new TypeError('an unknown PIN');
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
        throw new RangeError('a counter out of range');
      tries.set(name as CardPinKind, value as number);
    }
    // Another card's counters (the resident's card was re-issued): the new card has all its tries.
    return file.cardId === cardId ? tries : fullTries();
  } catch (e) {
    throw countersUnusable(e);
  }
}

/** Replaces the counters file atomically: a temporary file (mode 0600), fsync, rename. */
function writeCounters(path: string, cardId: string, tries: ReadonlyMap<CardPinKind, number>): void {
  const remainingTries: Record<string, number> = {};
  for (const kind of CARD_TRIES.keys()) remainingTries[kind] = tries.get(kind) ?? 0;
  const text = `${JSON.stringify({ format: SANDBOX_CARD_COUNTERS_FORMAT, cardId, remainingTries })}\n`;
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw countersUnusable(e);
  }
}

function countersUnusable(cause: unknown): WalletError {
  return new WalletError('WALLET_CARD_COUNTERS_UNUSABLE', "the card's try counters cannot be used", {
    cause,
  });
}
