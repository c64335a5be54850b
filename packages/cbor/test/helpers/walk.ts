/**
 * A deliberately separate, minimal CBOR walker for tests: it finds where every item starts and ends
 * with its own head parsing, so the decoder's spans are checked against code that does not share
 * the decoder's reader. It validates nothing beyond what it needs to find item boundaries.
 */
export interface Node {
  start: number;
  end: number;
  major: number;
  /** Tag number (major 6) or definite length; -1 for indefinite. */
  arg: number;
  indefinite: boolean;
  /** Arrays: items; maps: key, value, key, value…; tags: the content; indefinite strings: chunks. */
  children: Node[];
}

export function walk(bytes: Uint8Array, pos = 0): Node {
  const start = pos;
  const ib = bytes[pos++]!;
  const major = ib >> 5;
  const ai = ib & 31;
  let arg = ai;
  if (ai === 24) arg = bytes[pos++]!;
  else if (ai === 25) {
    arg = (bytes[pos]! << 8) | bytes[pos + 1]!;
    pos += 2;
  } else if (ai === 26) {
    arg = ((bytes[pos]! << 24) >>> 0) + (bytes[pos + 1]! << 16) + (bytes[pos + 2]! << 8) + bytes[pos + 3]!;
    pos += 4;
  } else if (ai === 27) {
    arg = 0;
    for (let i = 0; i < 8; i++) arg = arg * 256 + bytes[pos + i]!;
    pos += 8;
  }
  const indefinite = ai === 31;
  const children: Node[] = [];
  const isBreak = () => bytes[pos] === 0xff;
  if (major === 7 && ai >= 25 && ai <= 27) {
    // float: already skipped
  } else if (major === 2 || major === 3) {
    if (indefinite) {
      while (!isBreak()) {
        const c = walk(bytes, pos);
        children.push(c);
        pos = c.end;
      }
      pos++;
    } else pos += arg;
  } else if (major === 4 || major === 5) {
    const count = major === 5 ? arg * 2 : arg;
    for (let i = 0; indefinite ? !isBreak() : i < count; i++) {
      const c = walk(bytes, pos);
      children.push(c);
      pos = c.end;
    }
    if (indefinite) pos++;
  } else if (major === 6) {
    const c = walk(bytes, pos);
    children.push(c);
    pos = c.end;
  }
  return { start, end: pos, major, arg: indefinite ? -1 : arg, indefinite, children };
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Byte-level canonicalisation of map order only: every map's entries are reordered by the bytewise order
 * of their key bytes (RFC 8949 §4.2.1); every other byte stays as received, and tag-24 content is left
 * untouched (it is a byte string). `unsorted` collects the start offsets of maps that were out of order.
 * Assumes definite lengths and preferred heads, as in the ISO example.
 */
export function sortMapsByteLevel(
  bytes: Uint8Array,
  node: Node = walk(bytes),
  unsorted: number[] = [],
): Uint8Array {
  const headEnd = node.children.length > 0 ? node.children[0]!.start : node.end;
  const head = bytes.subarray(node.start, headEnd);
  if (node.indefinite) throw new Error('sortMapsByteLevel: indefinite lengths not supported');
  if (node.major === 4)
    return concat([head, ...node.children.map((c) => sortMapsByteLevel(bytes, c, unsorted))]);
  if (node.major === 6) {
    if (node.arg === 24) return bytes.subarray(node.start, node.end);
    return concat([head, sortMapsByteLevel(bytes, node.children[0]!, unsorted)]);
  }
  if (node.major === 5) {
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < node.children.length; i += 2) {
      entries.push([
        sortMapsByteLevel(bytes, node.children[i]!, unsorted),
        sortMapsByteLevel(bytes, node.children[i + 1]!, unsorted),
      ]);
    }
    const sorted = [...entries].sort((a, b) => compare(a[0], b[0]));
    if (sorted.some((e, i) => e !== entries[i])) unsorted.push(node.start);
    return concat([head, ...sorted.flat()]);
  }
  return bytes.subarray(node.start, node.end);
}
