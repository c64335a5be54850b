/**
 * PEM (RFC 7468): textual encoding of DER. Lax on input (whitespace, CRLF, explanatory text between
 * blocks), strict on output (64-column base64, LF line ends).
 */
import { Buffer } from 'node:buffer';
import { PkiError } from './errors.js';

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/** Every PEM block in `text`, in order. */
export function readPemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    const body = m[2]!.replace(/\s+/g, '');
    if (!B64_RE.test(body) || body.length % 4 !== 0)
      throw new PkiError('PEM_MALFORMED', `bad base64 in ${m[1]} block`);
    out.push({ label: m[1]!, der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return out;
}

/** DER of the first PEM block (of the given label, when one is given). */
export function pemToDer(pem: string, label?: string): Uint8Array {
  const block = readPemBlocks(pem).find((b) => label === undefined || b.label === label);
  if (block === undefined)
    throw new PkiError('PEM_MALFORMED', label ? `no ${label} PEM block` : 'no PEM block');
  return block.der;
}

export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER of every block of a bundle (certificates by default; `null` for every label). */
export function splitPemBundle(text: string, label: string | null = 'CERTIFICATE'): Uint8Array[] {
  return readPemBlocks(text)
    .filter((b) => label === null || b.label === label)
    .map((b) => b.der);
}
