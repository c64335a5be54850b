import { expect } from 'vitest';
import { type CborValue, EncodedCbor, rawSpanOf, Tagged } from '../../src/index.js';
import type { Node } from './walk.js';

/**
 * Walks a value decoded with `spans: true` alongside the independent walker's tree and asserts that
 * every recorded span (arrays, maps, tags, tag-24 raw) is a view of `input` at exactly the
 * walker's offsets. Returns how many spans were checked.
 */
export function expectSpansMatch(input: Uint8Array, value: CborValue, node: Node): number {
  let checked = 0;
  const at = (span: Uint8Array | undefined, n: Node) => {
    expect(span, `span at ${n.start}`).toBeDefined();
    expect(span!.buffer).toBe(input.buffer);
    expect(span!.byteOffset - input.byteOffset).toBe(n.start);
    expect(span!.length).toBe(n.end - n.start);
    checked++;
  };
  if (value instanceof EncodedCbor) {
    at(value.raw, node);
    expect(rawSpanOf(value)).toBe(value.raw);
  } else if (value instanceof Uint8Array) {
    expect(rawSpanOf(value)).toBeUndefined();
  } else if (Array.isArray(value)) {
    at(rawSpanOf(value), node);
    expect(value.length).toBe(node.children.length);
    value.forEach((v, i) => {
      checked += expectSpansMatch(input, v, node.children[i]!);
    });
  } else if (value instanceof Map) {
    at(rawSpanOf(value), node);
    expect(value.size * 2).toBe(node.children.length);
    let i = 0;
    for (const [k, v] of value) {
      checked += expectSpansMatch(input, k, node.children[i++]!);
      checked += expectSpansMatch(input, v, node.children[i++]!);
    }
  } else if (value instanceof Tagged) {
    at(rawSpanOf(value), node);
    checked += expectSpansMatch(input, value.value, node.children[0]!);
  }
  return checked;
}
