/**
 * Reading JSON the other party sent. Members are read by fixed names through `own` (own properties
 * only: `"__proto__"`, `"toString"`… in received JSON are ordinary data, never the prototype), every
 * string and array has a bound, and nothing is ever written into a plain object under a received key.
 */
import { Buffer } from 'node:buffer';
import { type Oid4vciCheck, Oid4vciError, type Oid4vciErrorCode } from './errors.js';

/** Bounds on what is read from received JSON. */
export const LIMITS = Object.freeze({
  /** A JSON body handed in as text (a Credential Request with a few proofs and attestations). */
  maxBodyChars: 1_000_000,
  /** An identifier, code, nonce or URL. */
  maxStringChars: 2048,
  /** A compact JWT (a key proof with its key attestation and certificate chain). */
  maxJwtChars: 65_536,
  /** A human-readable description (tx_code description: 300 by §4.1.1). */
  maxDescriptionChars: 1024,
  /** Entries of an array of identifiers or levels. */
  maxArrayItems: 64,
});

/** A received JSON object (not an array, not null). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `o[key]` when `o` has it as an own member, else undefined. */
export function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** A reader that throws one error code and check for everything it finds wrong. */
export class Reader {
  constructor(
    readonly code: Oid4vciErrorCode,
    readonly check: Oid4vciCheck,
    readonly what: string,
  ) {}

  fail(message: string, check: Oid4vciCheck = this.check, code: Oid4vciErrorCode = this.code): never {
    throw new Oid4vciError(code, check, `${this.what}: ${message}`);
  }

  /** The body as a JSON object: given parsed, or as text (bounded) to parse. */
  object(body: unknown): JsonObject {
    let value = body;
    if (typeof body === 'string') {
      if (body.length > LIMITS.maxBodyChars) this.fail('the body is too large');
      try {
        value = JSON.parse(body);
      } catch {
        this.fail('the body is not JSON');
      }
    }
    if (!isObject(value)) this.fail('the body is not a JSON object');
    return value;
  }

  string(o: JsonObject, key: string, max: number = LIMITS.maxStringChars, check?: Oid4vciCheck): string {
    const v = own(o, key);
    if (v === undefined) this.fail(`${key} is missing`, check);
    return this.stringValue(v, key, max, check);
  }

  optionalString(
    o: JsonObject,
    key: string,
    max: number = LIMITS.maxStringChars,
    check?: Oid4vciCheck,
  ): string | undefined {
    const v = own(o, key);
    return v === undefined ? undefined : this.stringValue(v, key, max, check);
  }

  stringValue(v: unknown, key: string, max: number = LIMITS.maxStringChars, check?: Oid4vciCheck): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(`${key} is not a non-empty string`, check);
    if (v.length > max) this.fail(`${key} is longer than ${max} characters`, check);
    return v;
  }

  optionalInteger(o: JsonObject, key: string, min: number, max: number): number | undefined {
    const v = own(o, key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
      this.fail(`${key} is not an integer in ${min}..${max}`);
    return v;
  }

  /** A non-empty array of non-empty, distinct strings. */
  stringArray(
    v: unknown,
    key: string,
    options: { maxItems?: number; maxChars?: number; check?: Oid4vciCheck } = {},
  ): string[] {
    const maxItems = options.maxItems ?? LIMITS.maxArrayItems;
    if (!Array.isArray(v) || v.length === 0) this.fail(`${key} is not a non-empty array`, options.check);
    if (v.length > maxItems) this.fail(`${key} has more than ${maxItems} entries`, options.check);
    const out: string[] = [];
    const seen = new Set<string>();
    for (const item of v) {
      const s = this.stringValue(item, `${key} entry`, options.maxChars, options.check);
      if (seen.has(s)) this.fail(`${key} repeats an entry`, options.check);
      seen.add(s);
      out.push(s);
    }
    return out;
  }
}

/** base64url without padding (RFC 7515 §2). */
export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict base64url (no padding, no other characters) to bytes, or undefined. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** NumericDate (RFC 7519 §2): whole seconds since the epoch. */
export function epochSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/** Throws a TypeError unless `d` is a valid Date (a programmer error: the caller passes `now`). */
export function requireDate(d: unknown, name: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${name} must be a valid Date`);
  return d;
}

/** Hosts for which `http:` is accepted too: a sandbox or test server on the same machine. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An https URL with a host, no user information and no fragment (§12.2.1 Credential Issuer Identifier,
 * §12.2.4 endpoint URLs, which "MUST use the https scheme"). `allowQuery` for endpoints (they "MAY
 * contain port, path, and query parameter components"; the identifier has no query). `http:` is accepted
 * for loopback hosts only, so a sandbox on localhost can run the protocol unchanged.
 */
export function isIssuerUrl(value: string, allowQuery: boolean): boolean {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  const schemeOk = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname));
  if (!schemeOk || u.host === '' || u.username !== '' || u.password !== '') return false;
  if (value.includes('#')) return false;
  return allowQuery || !value.includes('?');
}
