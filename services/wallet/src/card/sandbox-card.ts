/**
 * The sandbox's physical My Number Card, as a phone reads it over NFC: the issuer writes each test
 * resident's card to `<issuer dataDir>/issuer/cards/<residentId>.json` (format `mynakit-sandbox-card/1`:
 * the JPKI keys and certificates of the chip, and the PINs its holder knows). This reader behaves like the
 * chip: a PIN must be verified (VERIFY) before the key behind it signs, a wrong PIN uses one of the
 * card's tries (DOMAIN.md §3: input-support PIN and auth PIN 3, signature password 5). The card's counters
 * live in this object only — the sandbox card file is not rewritten.
 */
import { createPrivateKey, type KeyObject, timingSafeEqual } from 'node:crypto';
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
  readonly #pins: Map<CardPinKind, string>;
  readonly #tries = new Map<CardPinKind, number>();
  readonly #verified = new Set<CardPinKind>();
  readonly #signature: CardKey | undefined;
  readonly #auth: CardKey;

  private constructor(
    residentId: string,
    pins: Map<CardPinKind, string>,
    signature: CardKey | undefined,
    auth: CardKey,
  ) {
    this.residentId = residentId;
    this.#pins = pins;
    this.#signature = signature;
    this.#auth = auth;
    if (signature) this.signatureCertificate = signature.certificate;
    this.userAuthenticationCertificate = auth.certificate;
    for (const [kind, n] of CARD_TRIES) this.#tries.set(kind, n);
  }

  /** Reads a card file (WALLET_CARD_UNREADABLE when it is missing or no sandbox card). */
  static async read(path: string): Promise<SandboxCard> {
    let json: Record<string, unknown>;
    try {
      const bytes = await readFile(path);
      if (bytes.length > MAX_CARD_FILE_BYTES) throw new RangeError('too large');
      json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new WalletError('WALLET_CARD_UNREADABLE', 'the card cannot be read', { cause: e });
    }
    try {
      if (json.format !== SANDBOX_CARD_FORMAT) throw new TypeError('not a sandbox card');
      const pins = json.pins as Record<string, unknown>;
      const map = new Map<CardPinKind, string>();
      for (const kind of CARD_TRIES.keys())
        if (Object.hasOwn(pins, kind) && typeof pins[kind] === 'string') map.set(kind, pins[kind] as string);
      const sig = json.signature === null ? undefined : keyOf(json.signature);
      return new SandboxCard(String(json.residentId), map, sig, keyOf(json.userAuthentication));
    } catch (e) {
      throw new WalletError('WALLET_CARD_UNREADABLE', 'the file is not a sandbox card', { cause: e });
    }
  }

  /** VERIFY: checks a PIN against the chip; WALLET_CARD_PIN_WRONG / WALLET_CARD_PIN_LOCKED. */
  verifyPin(kind: CardPinKind, pin: string): void {
    const expected = this.#pins.get(kind);
    if (expected === undefined) throw new WalletError('WALLET_CARD_PIN_WRONG', `this card has no ${kind}`);
    const left = this.#tries.get(kind) ?? 0;
    if (left <= 0) throw new WalletError('WALLET_CARD_PIN_LOCKED', `the card's ${kind} is locked`);
    const a = Buffer.from(pin, 'utf8');
    const b = Buffer.from(expected, 'utf8');
    if (a.length === b.length && timingSafeEqual(a, b)) {
      this.#tries.set(kind, CARD_TRIES.get(kind) ?? 0);
      this.#verified.add(kind);
      return;
    }
    this.#tries.set(kind, left - 1);
    this.#verified.delete(kind);
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
