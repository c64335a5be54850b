import { bytesToHex } from './bytes.js';
import { DEFAULT_MAX_DEPTH } from './decode.js';
import { CborError } from './errors.js';
import { decodeUtf8, Reader } from './reader.js';

/**
 * RFC 8949 §8 diagnostic notation, for `mynakit mdoc inspect` and for test failure messages.
 *
 * It shows the encoding as received, not a normalised value: indefinite lengths as `[_ …]`,
 * `{_ …}`, `(_ h'…', h'…')`; bignums as `2(h'…')`; and a tag-24 byte string that holds one
 * well-formed item as `24(<<item>>)` (§8.1 embedded CBOR), otherwise as `24(h'…')`.
 * Floats are printed with a decimal point or exponent (`1.0`, `1.0e+300`, `-0.0`, `NaN`).
 */
export interface DiagnoseOptions {
  /** Indent nested arrays and maps by this many spaces, one item per line. Default: one line. */
  readonly indent?: number;
  /** Nesting limit, as in `decode` (default 64). */
  readonly maxDepth?: number;
  /**
   * Also show as `<<…>>` any byte string that holds exactly one well-formed array, map or tag (e.g. the
   * COSE payload holding MobileSecurityObjectBytes, protected headers). Default false: only tag 24.
   */
  readonly expandByteStrings?: boolean;
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
  private depth = 0;
  /** Array/map nesting, for indentation (tags do not indent). */
  private nest = 0;

  constructor(
    bytes: Uint8Array,
    private readonly indent: number,
    private readonly maxDepth: number,
    private readonly level: number,
    private readonly expand: boolean,
  ) {
    super(bytes);
  }

  private enter(start: number): void {
    if (++this.depth > this.maxDepth)
      this.fail('CBOR_DEPTH_EXCEEDED', `nesting deeper than ${this.maxDepth}`, start);
  }

  private isBreak(): boolean {
    if (this.pos >= this.bytes.length)
      this.fail('CBOR_TRUNCATED', 'input ends inside an indefinite-length item');
    if (this.bytes[this.pos] === 0xff) {
      this.pos++;
      return true;
    }
    return false;
  }

  private join(open: string, parts: string[], close: string, indefinite: boolean): string {
    const o = indefinite ? `${open}_ ` : open;
    if (parts.length === 0) return `${o}${close}`;
    if (this.indent <= 0) return `${o}${parts.join(', ')}${close}`;
    const pad = ' '.repeat(this.indent * (this.level + this.nest));
    const outer = ' '.repeat(this.indent * (this.level + this.nest - 1));
    return `${o.trimEnd()}\n${parts.map((p) => pad + p).join(',\n')}\n${outer}${close}`;
  }

  item(): string {
    const start = this.pos;
    this.head();
    switch (this.major) {
      case 0:
        return this.big === undefined ? String(this.arg) : this.big.toString();
      case 1:
        return this.big === undefined ? (-1n - BigInt(this.arg)).toString() : (-1n - this.big).toString();
      case 2:
      case 3: {
        const major = this.major;
        if (this.ai !== 31) return this.string(major, start);
        const parts: string[] = [];
        while (!this.isBreak()) {
          const chunkStart = this.pos;
          this.head();
          if (this.major !== major || this.ai === 31) {
            this.fail('CBOR_INVALID', 'indefinite-length string chunk of another type or length', chunkStart);
          }
          parts.push(this.string(major, chunkStart));
        }
        if (parts.length === 0) return major === 2 ? "''_" : '""_';
        return `(_ ${parts.join(', ')})`;
      }
      case 4: {
        this.enter(start);
        this.nest++;
        const parts: string[] = [];
        const indefinite = this.ai === 31;
        if (indefinite) while (!this.isBreak()) parts.push(this.item());
        else for (let i = 0, n = this.checkLength(1, start); i < n; i++) parts.push(this.item());
        const s = this.join('[', parts, ']', indefinite);
        this.nest--;
        this.depth--;
        return s;
      }
      case 5: {
        this.enter(start);
        this.nest++;
        const parts: string[] = [];
        const indefinite = this.ai === 31;
        const entry = () => {
          const k = this.item();
          parts.push(`${k}: ${this.item()}`);
        };
        if (indefinite) while (!this.isBreak()) entry();
        else for (let i = 0, n = this.checkLength(2, start); i < n; i++) entry();
        const s = this.join('{', parts, '}', indefinite);
        this.nest--;
        this.depth--;
        return s;
      }
      case 6: {
        const tag = this.big === undefined ? String(this.arg) : this.big.toString();
        this.enter(start);
        let inner: string;
        const contentStart = this.pos;
        if (tag === '24' && this.pos < this.bytes.length && this.bytes[this.pos]! >> 5 === 2) {
          inner = this.item();
          const embedded = this.embedded(contentStart);
          if (embedded !== undefined) inner = `<<${embedded}>>`;
        } else {
          inner = this.item();
        }
        this.depth--;
        return `${tag}(${inner})`;
      }
      default:
        return this.simple(start);
    }
  }

  /** The byte string just read at `contentStart`, shown as embedded CBOR when it holds exactly one item. */
  private embedded(contentStart: number): string | undefined {
    const r = new Reader(this.bytes.subarray(contentStart, this.pos));
    r.head();
    if (r.ai === 31) return undefined;
    const inner = r.bytes.subarray(r.pos);
    try {
      const p = new Printer(
        inner,
        this.indent,
        this.maxDepth - this.depth,
        this.level + this.nest,
        this.expand,
      );
      const s = p.item();
      return p.pos === inner.length ? s : undefined;
    } catch (e) {
      if (e instanceof CborError) return undefined;
      throw e;
    }
  }

  private string(major: number, start: number): string {
    const len = this.checkLength(1, start);
    const from = this.pos;
    this.pos += len;
    if (major === 2) {
      const first = this.bytes[from];
      // Containers start with major type 4, 5 or 6 (0x80–0xdf).
      if (this.expand && len >= 1 && first !== undefined && first >= 0x80 && first < 0xe0) {
        const embedded = this.embedded(start);
        if (embedded !== undefined) return `<<${embedded}>>`;
      }
      return `h'${bytesToHex(this.bytes.subarray(from, this.pos))}'`;
    }
    return JSON.stringify(decodeUtf8(this, from, this.pos, start));
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

/** Diagnostic notation of exactly one item; malformed input throws the same CborError codes as `decode`. */
export function diagnose(bytes: Uint8Array, options?: DiagnoseOptions): string {
  const p = new Printer(
    bytes,
    options?.indent ?? 0,
    options?.maxDepth ?? DEFAULT_MAX_DEPTH,
    0,
    options?.expandByteStrings === true,
  );
  const s = p.item();
  if (p.pos !== bytes.length)
    p.fail('CBOR_TRAILING_BYTES', `${bytes.length - p.pos} bytes after the item`, p.pos);
  return s;
}
