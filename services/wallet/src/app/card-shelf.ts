/**
 * The sandbox's test cards as the phone emulator reaches them: the issuer writes one card file per seeded
 * resident (keys and PINs of a *sandbox* card, never a real one), and the emulator "reads the physical
 * card" from there. The PINs come with the card because in the sandbox the tester is the holder and the
 * card file is the PIN mailer; the emulator still types them into the card, which counts its own tries.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxCard } from '../card/sandbox-card.js';
import { WalletError } from '../errors.js';

/** A card's PINs as its holder knows them. */
export interface CardPins {
  readonly inputSupportPin: string;
  readonly signaturePassword?: string;
  readonly userAuthenticationPin?: string;
}

/** Where the emulator finds test cards. */
export interface SandboxCardShelf {
  /** The residents whose cards are on the shelf (ids, no personal data), sorted. */
  residents(): Promise<string[]>;
  /** Reads one card and its PINs; WALLET_CARD_UNREADABLE for an unknown or malformed one. */
  take(residentId: string): Promise<{ readonly card: SandboxCard; readonly pins: CardPins }>;
}

const RESIDENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Most card files listed. */
const MAX_CARDS = 1000;

/** The card files in `directory` (the issuer's `cards/` folder). */
export function cardShelfInDirectory(directory: string): SandboxCardShelf {
  return {
    async residents() {
      const names = await readdir(directory).catch(() => [] as string[]);
      return names
        .filter((n) => n.endsWith('.json') && RESIDENT_ID.test(n.slice(0, -5)))
        .map((n) => n.slice(0, -5))
        .sort()
        .slice(0, MAX_CARDS);
    },
    async take(residentId) {
      // The id becomes a file name: only the shape of a resident id, so no path can be named.
      if (!RESIDENT_ID.test(residentId)) throw new WalletError('WALLET_CARD_UNREADABLE', 'no such card');
      const path = join(directory, `${residentId}.json`);
      const card = await SandboxCard.read(path);
      const json = JSON.parse(await readFile(path, 'utf8')) as { pins?: Record<string, unknown> };
      const pins = json.pins ?? {};
      const pin = (k: string) =>
        Object.hasOwn(pins, k) && typeof pins[k] === 'string' ? (pins[k] as string) : undefined;
      const inputSupportPin = pin('inputSupportPin');
      if (inputSupportPin === undefined)
        throw new WalletError('WALLET_CARD_UNREADABLE', 'the card has no PINs');
      const signaturePassword = pin('signaturePassword');
      const userAuthenticationPin = pin('userAuthenticationPin');
      return {
        card,
        pins: {
          inputSupportPin,
          ...(signaturePassword === undefined ? {} : { signaturePassword }),
          ...(userAuthenticationPin === undefined ? {} : { userAuthenticationPin }),
        },
      };
    },
  };
}
