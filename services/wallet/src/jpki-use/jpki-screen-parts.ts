/**
 * What every JPKI consent screen of the phone shows the same way — the screen of a request by link or QR
 * code (app/jpki-request-routes.ts) and the screen of a signature request the phone's OS hands it
 * (app/incoming-requests.ts): the tries the key's secret has left as the secure area counts them, and the
 * document to be signed as the holder reads it (its text when it is text, else its size and SHA-256).
 */
import { createHash } from 'node:crypto';
import type { WalletDevice } from '../device/wallet-device.js';

/** Which secret opens a JPKI key (DOMAIN.md §3: never a biometric for a signature). */
export type JpkiSecret = 'auth-pin-or-biometric' | 'signature-password';

/** The tries a secret has left and whether it is locked (a locked one locks its certificate). */
export interface JpkiTries {
  /** Whether the secret was set at all (a holder under 15 has no signature password). */
  readonly set: boolean;
  readonly remaining: number;
  readonly locked: boolean;
}

/** The tries the secret opening the key of `secret` has left on `device`. */
export async function jpkiTriesOf(device: WalletDevice, secret: JpkiSecret): Promise<JpkiTries> {
  const status = await device.secrets.status(
    secret === 'signature-password' ? 'signaturePassword' : 'authPin',
  );
  return { set: status.set, remaining: status.remaining, locked: status.locked };
}

/**
 * The document as text, when it is text: well-formed UTF-8 (WHATWG Encoding, fatal) with no control
 * character other than tab, line feed and carriage return — bytes that would not show as what they are
 * are shown by their size and hash instead. Null otherwise.
 */
export function documentTextOf(content: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return null;
  }
  // C0 controls but TAB, LF, CR; DEL and the C1 controls. Bounded: the content is at most 10 MiB.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) return null;
  }
  return text;
}

/** A document to be signed as the consent screen shows it (SHA-256 in lower-case hex). */
export interface SignedDocumentView {
  readonly text: string | null;
  readonly size: number;
  readonly sha256: string;
}

/** The document view of `content` (see the file comment). */
export function signedDocumentViewOf(content: Uint8Array): SignedDocumentView {
  return {
    text: documentTextOf(content),
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
}
