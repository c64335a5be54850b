/**
 * The canonical encoding every record hash is computed over: the JSON Canonicalization Scheme (JCS,
 * RFC 8785), written here for the values a verification record holds.
 *
 * RFC 8785 §3.2: the input is I-JSON (RFC 7493) — no lone surrogates in strings, numbers that are finite
 * IEEE 754 doubles; whitespace is never emitted; literals `null`, `true`, `false`; strings and numbers are
 * serialised as ECMAScript's JSON.stringify does (§3.2.2.2 strings, §3.2.2.3 numbers — ECMA-262
 * Number::toString, which JSON.stringify uses); object members are sorted by their names compared as arrays
 * of UTF-16 code units (§3.2.3), which is what JavaScript's default string comparison does. The result is
 * UTF-8 (§3.2.4). Two equal JSON values therefore have byte-identical encodings, whatever order their
 * members arrived in — so a record read back from either database hashes exactly as when it was written.
 *
 * Bounds (received data, house rule): at most `MAX_DEPTH` levels of nesting and `MAX_NODES` values.
 */
import { VerifierError } from '../errors.js';

/** A JSON value as records hold it. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Deepest nesting accepted (objects and arrays). */
export const MAX_DEPTH = 32;
/** Most values (of any kind) in one document. */
export const MAX_NODES = 10_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function invalid(message: string): VerifierError {
  return new VerifierError('VERIFIER_RECORD_INVALID', message);
}

/**
 * The RFC 8785 canonical text of `value`. Throws VERIFIER_RECORD_INVALID for what I-JSON cannot carry
 * (undefined, functions, bigint, non-finite numbers, lone surrogates, non-plain objects) or past the bounds.
 */
export function canonicalJson(value: unknown): string {
  let nodes = 0;
  const write = (v: unknown, depth: number): string => {
    nodes++;
    if (nodes > MAX_NODES) throw invalid(`more than ${MAX_NODES} values`);
    if (v === null) return 'null';
    switch (typeof v) {
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) throw invalid('a number is not finite');
        return JSON.stringify(v);
      case 'string':
        if (LONE_SURROGATE.test(v)) throw invalid('a string holds a lone surrogate');
        return JSON.stringify(v);
      case 'object': {
        if (depth >= MAX_DEPTH) throw invalid(`nested deeper than ${MAX_DEPTH}`);
        if (Array.isArray(v)) return `[${v.map((item) => write(item, depth + 1)).join(',')}]`;
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw invalid('only plain objects are JSON');
        const keys = Object.keys(v).sort();
        const members: string[] = [];
        for (const key of keys) {
          if (LONE_SURROGATE.test(key)) throw invalid('a member name holds a lone surrogate');
          members.push(`${JSON.stringify(key)}:${write((v as Record<string, unknown>)[key], depth + 1)}`);
        }
        return `{${members.join(',')}}`;
      }
      default:
        throw invalid(`a ${typeof v} is not JSON`);
    }
  };
  return write(value, 0);
}

/** The canonical encoding as UTF-8 bytes (RFC 8785 §3.2.4). */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
