/**
 * The portrait of every sandbox record: a small baseline JPEG (ITU-T T.81 / ISO/IEC 10918-1) that shows a
 * grey silhouette above the word SANDBOX and says so again in a comment segment — nobody can take it for a
 * photograph of a person. The record's `portrait` element is a JPEG byte string (DOMAIN.md §2); the sandbox
 * has no photographs, and must never look as if it had.
 *
 * The image is a mosaic of flat 8×8 blocks, so every block is its DC coefficient alone (T.81 §F.1.2.1:
 * DC difference category + extra bits, then an end-of-block for the 63 AC coefficients) — a complete,
 * standard JPEG without an AC encoder:
 *
 *   SOI · APP0 (JFIF 1.01) · COM · DQT (table 0, all ones) · SOF0 (8-bit, one component, 1×1 sampling)
 *   · DHT (DC table 0: the T.81 Table K.3 luminance DC codes) · DHT (AC table 0: EOB only) · SOS · data · EOI
 *
 * With a quantiser of 1, a flat block of level v has DC = 8·(v − 128) (T.81 §A.3.3 FDCT of a constant).
 */

const FONT: Readonly<Record<string, readonly string[]>> = {
  S: ['.###.', '#...#', '#....', '.###.', '....#', '#...#', '.###.'],
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  N: ['#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#', '#...#'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
};

const WIDTH_BLOCKS = 25;
const HEIGHT_BLOCKS = 33;
const BACKGROUND = 224;
const SILHOUETTE = 150;
const INK = 40;

/** The text of the COM segment: what the image is, in words. */
export const SANDBOX_PORTRAIT_COMMENT = 'mynakit sandbox portrait: a generated placeholder, not a photograph';

/** Block levels (0–255), row by row: a head and shoulders, then SAND / BOX. */
function mosaic(): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < HEIGHT_BLOCKS; y++) {
    const row: number[] = [];
    for (let x = 0; x < WIDTH_BLOCKS; x++) {
      const cx = x + 0.5 - WIDTH_BLOCKS / 2;
      const head = cx * cx + (y + 0.5 - 6.5) ** 2 <= 3.8 ** 2;
      const shoulders = y <= 15 && (cx / 9.5) ** 2 + ((y + 0.5 - 16.5) / 5.5) ** 2 <= 1;
      row.push(head || shoulders ? SILHOUETTE : BACKGROUND);
    }
    rows.push(row);
  }
  const write = (word: string, top: number) => {
    const width = word.length * 6 - 1;
    const left = Math.floor((WIDTH_BLOCKS - width) / 2);
    [...word].forEach((ch, i) => {
      const glyph = FONT[ch] as readonly string[];
      glyph.forEach((line, gy) => {
        [...line].forEach((px, gx) => {
          if (px === '#') (rows[top + gy] as number[])[left + i * 6 + gx] = INK;
        });
      });
    });
  };
  write('SAND', 17);
  write('BOX', 25);
  return rows;
}

/** T.81 Table K.3: code lengths (counts per length 1–16) and symbols of the luminance DC table. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** One AC symbol, 0x00 = EOB, with the 2-bit code 00 (a code of all ones is not allowed, T.81 §C). */
const AC_BITS = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0x00];

/** Canonical Huffman codes from the counts per length (T.81 Annex C): symbol → [code, length]. */
function huffmanCodes(bits: readonly number[], values: readonly number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < (bits[length - 1] as number); i++) {
      codes.set(values[k++] as number, [code, length]);
      code++;
    }
    code <<= 1;
  }
  return codes;
}

/** Entropy-coded data with byte stuffing (T.81 §F.1.2.3: a 0xFF data byte is followed by 0x00). */
class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }

  /** Pads the last byte with 1 bits (T.81 §F.1.2.3). */
  finish(): number[] {
    if (this.count > 0) this.write(0xff, 8 - this.count);
    return this.bytes;
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00);
    this.acc = 0;
    this.count = 0;
  }
}

function segment(marker: number, body: readonly number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0) & 0x7f);

function encode(): Uint8Array {
  const rows = mosaic();
  const dc = huffmanCodes(DC_BITS, DC_VALUES);
  const ac = huffmanCodes(AC_BITS, AC_VALUES);
  const eob = ac.get(0x00) as [number, number];
  const bits = new BitWriter();
  let previous = 0;
  for (const row of rows) {
    for (const level of row) {
      const coefficient = 8 * (level - 128);
      const diff = coefficient - previous;
      previous = coefficient;
      const magnitude = Math.abs(diff);
      const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
      const [code, length] = dc.get(category) as [number, number];
      bits.write(code, length);
      // T.81 §F.1.2.1.1: a negative difference is written as diff − 1 in `category` bits.
      if (category > 0) bits.write(diff > 0 ? diff : diff - 1 + (1 << category), category);
      bits.write(eob[0], eob[1]);
    }
  }
  const width = WIDTH_BLOCKS * 8;
  const height = HEIGHT_BLOCKS * 8;
  return new Uint8Array([
    0xff,
    0xd8,
    ...segment(0xe0, [...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xfe, ascii(SANDBOX_PORTRAIT_COMMENT)),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES]),
    ...segment(0xc4, [0x10, ...AC_BITS, ...AC_VALUES]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...bits.finish(),
    0xff,
    0xd9,
  ]);
}

let cached: Uint8Array | undefined;

/**
 * The sandbox portrait (200 × 264 pixels, greyscale JPEG, about a kilobyte). Only for sandbox records: a
 * deployment takes the holder's photograph from the resident register. A fresh copy on every call.
 */
export function sandboxPortrait(): Uint8Array {
  cached ??= encode();
  return cached.slice();
}
