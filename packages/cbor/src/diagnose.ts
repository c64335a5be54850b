import { bytesToHex } from './bytes.js';
import { CborError } from './errors.js';
import { DEFAULT_MAX_DEPTH, type ReadLimits } from './limits.js';
import { checkUtf8, decodeUtf8, Reader } from './reader.js';

/**
 * RFC 8949 §8 diagnostic notation, for `mynakit mdoc inspect` and for test failure messages.
 *
 * It shows the encoding as received, not a normalised value: indefinite lengths as `[_ …]`,
 * `{_ …}`, `(_ h'…', h'…')`; bignums as `2(h'…')`; and a tag-24 byte string that holds one
 * well-formed item as `24(<<item>>)` (§8.1 embedded CBOR), otherwise as `24(h'…')`.
 * Floats are printed with a decimal point or exponent (`1.0`, `1.0e+300`, `-0.0`, `NaN`).
 *
 * Work and output are linear in the input. The item budget and depth limit are those of every reader
 * (limits.ts; embedded items continue their tag's depth, so tag-24 expansion is bounded by `maxDepth`
 * and deeper levels are shown as bytes). Two passes: the first checks the input and finds the byte
 * strings that hold exactly one well-formed item, treating every byte string it meets as opaque — so
 * each input byte is checked once, at its own level of embedding; the second prints, each input byte
 * once, either as embedded CBOR or as hex, never both. The output is capped by `maxOutput`.
 */
export interface DiagnoseOptions extends ReadLimits {
  /** Indent nested arrays and maps by this many spaces, one item per line. Default: one line. */
  readonly indent?: number;
  /**
   * Also show as `<<…>>` any byte string that holds exactly one well-formed array, map or tag (e.g. the
   * COSE payload holding MobileSecurityObjectBytes, protected headers). Default false: only tag 24.
   */
  readonly expandByteStrings?: boolean;
  /**
   * Longest output allowed, in UTF-16 code units; longer fails with CBOR_OUTPUT_EXCEEDED. The default,
   * `defaultMaxOutput(input length, indent, maxDepth)`, is the most any input of that length can print:
   * a linear bound that no input exceeds. Pass less to cap what is shown (e.g. a CLI's screen).
   */
  readonly maxOutput?: number;
}

/**
 * The most characters `diagnose` prints for `length` input bytes: 12 per byte on one line (the
 * densest item is a one-byte simple value, `simple(19)`, plus its `, ` separator), and with `indent`
 * at most two indentations of `indent × maxDepth` spaces per byte (an item's line and its container's
 * closing line).
 */
export function defaultMaxOutput(length: number, indent: number, maxDepth: number): number {
  const perByte = 12 + (indent > 0 ? 2 * indent * maxDepth + 2 : 0);
  return length * perByte + 16;
}

function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s.includes('.') ? s : `${s}.0`;
  const mant = s.slice(0, e);
  return `${mant.includes('.') ? mant : `${mant}.0`}${s.slice(e)}`;
}

class Printer extends Reader {
  private readonly indent: number;
  private readonly expand: boolean;
  /** Characters the output may still take. */
  private outLeft: number;
  private readonly out: string[] = [];
  /** Array/map nesting, for indentation (tags do not indent; embedded items continue it). */
  private nest = 0;
  private readonly pads: string[] = [];
  /** Content offsets of the byte strings the first pass found to hold exactly one well-formed item. */
  private readonly embeddable = new Set<number>();

  constructor(bytes: Uint8Array, options: DiagnoseOptions | undefined) {
    super(bytes, options);
    this.indent = Math.max(0, options?.indent ?? 0);
    this.expand = options?.expandByteStrings === true;
    this.outLeft =
      options?.maxOutput ??
      defaultMaxOutput(bytes.length, this.indent, options?.maxDepth ?? DEFAULT_MAX_DEPTH);
  }

  run(): string {
    this.check();
    if (this.pos !== this.limit)
      this.fail('CBOR_TRAILING_BYTES', `${this.limit - this.pos} bytes after the item`, this.pos);
    // The second pass reads again only what the first found well-formed: the same budget suffices.
    this.pos = 0;
    this.itemsLeft = this.itemBudget;
    this.print();
    return this.out.join('');
  }

  private isBreak(): boolean {
    if (this.pos >= this.limit) this.fail('CBOR_TRUNCATED', 'input ends inside an indefinite-length item');
    if (this.bytes[this.pos] === 0xff) {
      this.pos++;
      return true;
    }
    return false;
  }

  // ---- first pass: well-formedness (RFC 8949 Appendix C), finding embedded items ----

  private check(): void {
    const start = this.pos;
    this.head();
    switch (this.major) {
      case 0:
      case 1:
        return;
      case 2:
      case 3: {
        const major = this.major;
        if (this.ai !== 31) {
          this.checkString(major, start);
          return;
        }
        while (!this.isBreak()) {
          const chunkStart = this.pos;
          this.head();
          if (this.major !== major || this.ai === 31) {
            this.fail('CBOR_INVALID', 'indefinite-length string chunk of another type or length', chunkStart);
          }
          this.checkString(major, chunkStart);
        }
        return;
      }
      case 4:
      case 5: {
        this.enter(start);
        const perEntry = this.major === 5 ? 2 : 1;
        if (this.ai === 31) {
          while (!this.isBreak()) {
            this.check();
            // A break between a key and its value fails here as a stray break.
            if (perEntry === 2) this.check();
          }
        } else {
          const n = this.checkLength(perEntry, start) * perEntry;
          for (let i = 0; i < n; i++) this.check();
        }
        this.depth--;
        return;
      }
      case 6: {
        const tag24 = this.big === undefined && this.arg === 24;
        this.enter(start);
        const next = this.pos < this.limit ? (this.bytes[this.pos] as number) : 0;
        if (tag24 && next >> 5 === 2 && (next & 31) !== 31) {
          // RFC 8949 §8.1: a tag-24 byte string holding one item is shown as <<item>>.
          const bstrStart = this.pos;
          this.head();
          const len = this.checkLength(1, bstrStart);
          this.tryEmbedded(this.pos, this.pos + len);
        } else {
          this.check();
        }
        this.depth--;
        return;
      }
      default:
        if (this.ai === 31) this.fail('CBOR_INVALID', 'break outside an indefinite-length item', start);
        return;
    }
  }

  private checkString(major: number, start: number): void {
    const len = this.checkLength(1, start);
    const from = this.pos;
    if (major === 3) {
      checkUtf8(this, from, from + len, start);
      this.pos = from + len;
      return;
    }
    const first = this.bytes[from] as number;
    // Containers start with major type 4, 5 or 6 (0x80–0xdf).
    if (this.expand && len >= 1 && first >= 0x80 && first < 0xe0) this.tryEmbedded(from, from + len);
    else this.pos = from + len;
  }

  /**
   * Whether [from, to) holds exactly one well-formed item, read in place at the current depth; the
   * cursor ends at `to`. Malformation inside only means "show as bytes"; the item budget is global.
   */
  private tryEmbedded(from: number, to: number): void {
    const limit = this.limit;
    const depth = this.depth;
    this.limit = to;
    this.pos = from;
    try {
      this.check();
      if (this.pos === to) this.embeddable.add(from);
    } catch (e) {
      if (!(e instanceof CborError) || e.code === 'CBOR_TOO_MANY_ITEMS') throw e;
    } finally {
      this.limit = limit;
      this.depth = depth;
      this.pos = to;
    }
  }

  // ---- second pass: printing what the first pass checked ----

  private write(s: string): void {
    this.spend(s.length);
    this.out.push(s);
  }

  private spend(n: number): void {
    this.outLeft -= n;
    if (this.outLeft < 0) this.fail('CBOR_OUTPUT_EXCEEDED', 'diagnostic output longer than maxOutput');
  }

  private pad(level: number): string {
    let p = this.pads[level];
    if (p === undefined) {
      p = ' '.repeat(this.indent * level);
      this.pads[level] = p;
    }
    return p;
  }

  private print(): void {
    const start = this.pos;
    this.head();
    switch (this.major) {
      case 0:
        this.write(this.big === undefined ? String(this.arg) : this.big.toString());
        return;
      case 1:
        // -1 - arg is exact for every safe arg (down to -2^53).
        this.write(this.big === undefined ? String(-1 - this.arg) : (-1n - this.big).toString());
        return;
      case 2:
      case 3: {
        const major = this.major;
        if (this.ai !== 31) {
          this.printString(major, start);
          return;
        }
        if (this.isBreak()) {
          this.write(major === 2 ? "''_" : '""_');
          return;
        }
        this.write('(_ ');
        let first = true;
        do {
          if (!first) this.write(', ');
          first = false;
          const chunkStart = this.pos;
          this.head();
          this.printString(major, chunkStart);
        } while (!this.isBreak());
        this.write(')');
        return;
      }
      case 4:
        this.enter(start);
        this.container('[', ']', false);
        this.depth--;
        return;
      case 5:
        this.enter(start);
        this.container('{', '}', true);
        this.depth--;
        return;
      case 6:
        this.write(`${this.big === undefined ? String(this.arg) : this.big.toString()}(`);
        this.enter(start);
        this.print();
        this.depth--;
        this.write(')');
        return;
      default:
        this.write(this.simple(start));
    }
  }

  private container(open: string, close: string, map: boolean): void {
    const indefinite = this.ai === 31;
    const n = indefinite ? -1 : this.arg;
    this.nest++;
    if (indefinite ? this.bytes[this.pos] === 0xff : n === 0) {
      if (indefinite) this.pos++;
      this.write(indefinite ? `${open}_ ${close}` : `${open}${close}`);
    } else {
      const lines = this.indent > 0;
      this.write(indefinite ? (lines ? `${open}_` : `${open}_ `) : open);
      const sep = lines ? `,\n${this.pad(this.nest)}` : ', ';
      if (lines) this.write(`\n${this.pad(this.nest)}`);
      for (let i = 0; indefinite ? !this.isBreak() : i < n; i++) {
        if (i > 0) this.write(sep);
        this.print();
        if (map) {
          this.write(': ');
          this.print();
        }
      }
      if (lines) this.write(`\n${this.pad(this.nest - 1)}`);
      this.write(close);
    }
    this.nest--;
  }

  private printString(major: number, start: number): void {
    const from = this.pos;
    const to = from + this.checkLength(1, start);
    if (major === 3) {
      this.pos = to;
      this.write(JSON.stringify(decodeUtf8(this, from, to, start)));
    } else if (this.embeddable.has(from)) {
      // Checked in the first pass to be exactly one item ending at `to`.
      this.write('<<');
      this.print();
      this.write('>>');
    } else {
      this.spend(2 * (to - from) + 3);
      this.out.push(`h'${bytesToHex(this.bytes.subarray(from, to))}'`);
      this.pos = to;
    }
  }

  private simple(start: number): string {
    if (this.ai >= 25 && this.ai <= 27) return formatFloat(this.float);
    if (this.ai === 31) this.fail('CBOR_INVALID', 'break outside an indefinite-length item', start);
    switch (this.arg) {
      case 20:
        return 'false';
      case 21:
        return 'true';
      case 22:
        return 'null';
      case 23:
        return 'undefined';
      default:
        return `simple(${this.arg})`;
    }
  }
}

/**
 * Diagnostic notation of exactly one item; malformed input throws the same CborError codes as `decode`
 * (duplicate map keys and tag numbers above 2^53 are shown as received), and an output longer than
 * `maxOutput` throws CBOR_OUTPUT_EXCEEDED.
 */
export function diagnose(bytes: Uint8Array, options?: DiagnoseOptions): string {
  return new Printer(bytes, options).run();
}
