/**
 * A QR code (ISO/IEC 18004) as an SVG image, for the wallet URL a cross-device page shows
 * (cross-device-pages.ts). The only wrapper of the third-party encoder (ARCHITECTURE.md rule 2): `uqr` makes
 * the module matrix — byte mode for a URL (UTF-8), error correction level M (15 % of the code may be lost
 * to glare or a crease and it still reads), the smallest version that holds the text — and this file draws
 * it: one path of unit squares on a white ground with the quiet zone of four modules the standard asks
 * (ISO/IEC 18004:2015 §6.3.8), `shape-rendering="crispEdges"` so no module blurs into its neighbour.
 */
import { encode } from 'uqr';

/** The quiet zone, in modules (ISO/IEC 18004:2015 §6.3.8: at least 4). */
export const QR_QUIET_ZONE = 4;

/** Longest text encoded: a wallet URL is a few hundred characters; version 40-M holds 2,331 bytes. */
export const MAX_QR_TEXT_BYTES = 2048;

/** A QR code's modules: `dark[y][x]`, without the quiet zone. */
export interface QrMatrix {
  /** The QR version (1–40). */
  readonly version: number;
  /** Modules per side (17 + 4 × version). */
  readonly size: number;
  readonly dark: readonly (readonly boolean[])[];
}

/** The module matrix of `text` (byte mode, level M); a RangeError past MAX_QR_TEXT_BYTES. */
export function qrMatrix(text: string): QrMatrix {
  if (Buffer.byteLength(text, 'utf8') > MAX_QR_TEXT_BYTES)
    throw new RangeError(`a QR code here holds at most ${MAX_QR_TEXT_BYTES} bytes`);
  const encoded = encode(text, { ecc: 'M', border: 0 });
  return { version: encoded.version, size: encoded.size, dark: encoded.data };
}

/**
 * `text` as an SVG QR code `pixels` wide (default 264), its accessible name `label`. The SVG is text the
 * page inserts as markup: it holds only numbers and the escaped label, never `text` itself.
 */
export function qrSvg(text: string, options: { readonly label: string; readonly pixels?: number }): string {
  const { version, size, dark } = qrMatrix(text);
  const side = size + 2 * QR_QUIET_ZONE;
  const path: string[] = [];
  for (let y = 0; y < size; y++) {
    const row = dark[y] ?? [];
    // One horizontal run of dark modules per subpath: short paths, and no hairline seams between modules.
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      let run = 1;
      while (row[x + run]) run++;
      path.push(`M${x + QR_QUIET_ZONE} ${y + QR_QUIET_ZONE}h${run}v1h-${run}z`);
      x += run - 1;
    }
  }
  const pixels = options.pixels ?? 264;
  const label = options.label.replace(/[&<>"']/g, (ch) => `&#${ch.codePointAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${pixels}" height="${pixels}" role="img" aria-label="${label}" shape-rendering="crispEdges" data-qr-version="${version}"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${path.join('')}"/></svg>`;
}
