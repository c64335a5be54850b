/**
 * The sandbox's "physical card": what a real My Number Card keeps inside its chip and what its holder
 * keeps in their head — the JPKI private keys and the PINs — written to one file per resident,
 * `<cardDirectory>/<residentId>.json`, mode 0600. Nothing of it is in the database (the register has the
 * certificates and PIN verifiers only) and nothing of it is logged. The phone wallet emulator, tests and
 * developers read a card file where a real phone would read the card over NFC.
 *
 * The file says in its first member that it is a sandbox test card: its keys were made by the sandbox
 * issuer for a fictional resident and certify nothing outside the sandbox.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { derToPem, pemToDer } from '@mynakit/pki';
import { IssuerError } from '../errors.js';

/** The `format` member of a card file; a reader refuses any other. */
export const CARD_FILE_FORMAT = 'mynakit-sandbox-card/1';

/** The label every card file starts with. */
export const CARD_FILE_NOTICE =
  'SANDBOX TEST CARD - not a My Number Card. Private keys and PINs of a fictional test resident of the mynakit sandbox; they certify nothing outside it. Keep this file private (mode 0600).';

/** The PINs set on a card (DOMAIN.md §3 "PINs"). */
export interface CardPins {
  /** 署名用パスワード: 6–16 of A–Z, 0–9; absent when the card has no signature certificate (under 15). */
  readonly signaturePassword?: string;
  /** 利用者証明用 PIN: 4 digits. */
  readonly userAuthenticationPin: string;
  /** 券面事項入力補助用 PIN: 4 digits. */
  readonly inputSupportPin: string;
}

/** One JPKI key of the card with its certificate. */
export interface CardKey {
  readonly privateKey: KeyObject;
  /** DER. */
  readonly certificate: Uint8Array;
}

/** A card file as read back. */
export interface SandboxCard {
  readonly residentId: string;
  readonly cardId: string;
  readonly cardNumber: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly pins: CardPins;
  /** Absent for a holder under 15. */
  readonly signature?: CardKey;
  readonly userAuthentication: CardKey;
}

interface CardKeyJson {
  privateKeyPem: string;
  certificatePem: string;
}

interface CardFileJson {
  notice: string;
  format: string;
  residentId: string;
  cardId: string;
  cardNumber: string;
  issuedAt: string;
  expiresAt: string;
  pins: CardPins;
  signature: CardKeyJson | null;
  userAuthentication: CardKeyJson;
}

const RESIDENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_CARD_FILE_BYTES = 64 * 1024;

/** Where the card file of a resident is. ISSUER_CARD_FILE for an id that is no safe file name. */
export function cardFilePath(cardDirectory: string, residentId: string): string {
  if (!RESIDENT_ID.test(residentId))
    throw new IssuerError('ISSUER_CARD_FILE', 'a resident id must be [A-Za-z0-9_-], at most 64');
  return join(cardDirectory, `${residentId}.json`);
}

/**
 * Writes a resident's card file (replacing the previous card's): a temporary file created with mode 0600,
 * then renamed over the old one, so a reader never sees half a card. Returns its path.
 */
export async function writeCardFile(cardDirectory: string, card: SandboxCard): Promise<string> {
  const path = cardFilePath(cardDirectory, card.residentId);
  const json: CardFileJson = {
    notice: CARD_FILE_NOTICE,
    format: CARD_FILE_FORMAT,
    residentId: card.residentId,
    cardId: card.cardId,
    cardNumber: card.cardNumber,
    issuedAt: card.issuedAt.toISOString(),
    expiresAt: card.expiresAt.toISOString(),
    pins: card.pins,
    signature: card.signature === undefined ? null : keyJson(card.signature),
    userAuthentication: keyJson(card.userAuthentication),
  };
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await mkdir(cardDirectory, { recursive: true, mode: 0o700 });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(json, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new IssuerError('ISSUER_CARD_FILE', 'the card file cannot be written', { cause: e });
  }
  return path;
}

/** Reads a card file back. ISSUER_CARD_FILE when it is missing, too large or not a sandbox card file. */
export async function readCardFile(path: string): Promise<SandboxCard> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CARD_FILE_BYTES) throw new RangeError('too large');
    text = bytes.toString('utf8');
  } catch (e) {
    throw new IssuerError('ISSUER_CARD_FILE', 'the card file cannot be read', { cause: e });
  }
  try {
    const json = JSON.parse(text) as CardFileJson;
    if (json.format !== CARD_FILE_FORMAT) throw new TypeError(`format is not ${CARD_FILE_FORMAT}`);
    const pins = json.pins;
    return {
      residentId: String(json.residentId),
      cardId: String(json.cardId),
      cardNumber: String(json.cardNumber),
      issuedAt: new Date(json.issuedAt),
      expiresAt: new Date(json.expiresAt),
      pins: {
        ...(typeof pins.signaturePassword === 'string' ? { signaturePassword: pins.signaturePassword } : {}),
        userAuthenticationPin: String(pins.userAuthenticationPin),
        inputSupportPin: String(pins.inputSupportPin),
      },
      ...(json.signature === null ? {} : { signature: keyOf(json.signature) }),
      userAuthentication: keyOf(json.userAuthentication),
    };
  } catch (e) {
    throw new IssuerError('ISSUER_CARD_FILE', 'the file is not a sandbox card file', { cause: e });
  }
}

function keyJson(k: CardKey): CardKeyJson {
  return {
    privateKeyPem: k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem: derToPem(k.certificate),
  };
}

function keyOf(k: CardKeyJson): CardKey {
  return {
    privateKey: createPrivateKey(k.privateKeyPem),
    certificate: pemToDer(k.certificatePem, 'CERTIFICATE'),
  };
}
