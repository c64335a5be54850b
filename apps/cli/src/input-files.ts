import { readInputFile } from './io.js';
import { UsageError } from './usage-error.js';

/**
 * What a file given to an option is, before it is handed to a verifier. The rule every command follows
 * (and documents in its --help):
 *
 * - a file that cannot be about the option at all — empty, or PEM where CBOR is expected, or a PEM of
 *   another kind (a certificate given as a signature, a private key given as a trust anchor) — is a
 *   usage error (exit 64) whose message names the option, the file and what was expected;
 * - configuration files (trust anchors, reader key, transcript, CRL, OCSP response, status list,
 *   extra certificates) that cannot be parsed are usage errors too: they are the relying party's
 *   set-up, and a verdict must only ever speak of the credential;
 * - the credential under test (`--response`, `--signature`) that has the right shape of file but is
 *   malformed is a verdict — invalid, with a failed `decode` / `cms.decode` check.
 */

/** At most this many PEM labels are read from one file (the rest cannot change what is said). */
const MAX_LABELS = 64;
/** As readPemBlocks of @mynakit/pki reads them (RFC 7468 labels). */
const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** True when the file holds nothing but whitespace. */
export function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/**
 * Text as opposed to DER or raw CBOR: no C0 control byte other than tab, CR, LF (binary encodings of
 * certificates and responses always have some — lengths, small integers). One linear pass.
 */
function isText(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

/**
 * The labels of the PEM blocks (`-----BEGIN LABEL-----`) of a text file, in
 * order; undefined when the file is not PEM. Text before the first block (as `openssl x509 -text`
 * writes) is allowed.
 */
export function pemLabels(bytes: Uint8Array): string[] | undefined {
  if (!isText(bytes)) return undefined;
  const text = new TextDecoder().decode(bytes);
  const labels: string[] = [];
  for (const m of text.matchAll(BEGIN)) {
    labels.push(m[1] as string);
    if (labels.length >= MAX_LABELS) break;
  }
  return labels.length > 0 ? labels : undefined;
}

/** `a PEM file (CERTIFICATE)`, `a PEM file (CERTIFICATE, PRIVATE KEY)`: what was found, for messages. */
export function describePem(labels: readonly string[]): string {
  return `a PEM file (${[...new Set(labels)].join(', ')})`;
}

/** Where a PEM of a given kind should go instead (a hint appended to the message). */
function hintFor(labels: readonly string[], option: string): string {
  const has = (l: string) => labels.includes(l);
  if ((has('CERTIFICATE') || has('TRUSTED CERTIFICATE')) && option !== '--trust' && option !== '--cert')
    return '; certificates are given with --trust';
  if (has('PRIVATE KEY') || has('EC PRIVATE KEY'))
    return '; a private key is only ever the --reader-key of mdoc verify';
  return '';
}

/** Reads the file of `option`; an empty file is a usage error naming the option and what it expects. */
export function readOptionFile(path: string, option: string, expected: string): Uint8Array {
  const bytes = readInputFile(path, option);
  if (isBlank(bytes)) throw new UsageError(`${option} file '${path}' is empty: expected ${expected}`);
  return bytes;
}

/** A usage error for a file of the wrong kind: which option, which file, what it is, what was expected. */
export function wrongKind(
  option: string,
  path: string,
  found: string,
  expected: string,
  hint = '',
): UsageError {
  return new UsageError(`${option} file '${path}' is ${found}: expected ${expected}${hint}`);
}

/** Refuses PEM where a binary (CBOR, or DER of one kind) is expected. */
export function refusePem(
  bytes: Uint8Array,
  path: string,
  option: string,
  expected: string,
  hint?: string,
): void {
  const labels = pemLabels(bytes);
  if (labels !== undefined)
    throw wrongKind(option, path, describePem(labels), expected, hint ?? hintFor(labels, option));
}

/** A PEM file whose labels are none of `accepted`: a usage error saying what was found. */
export function refuseOtherPem(
  labels: readonly string[],
  accepted: readonly string[],
  path: string,
  option: string,
  expected: string,
): void {
  if (!labels.some((l) => accepted.includes(l)))
    throw wrongKind(option, path, describePem(labels), expected, hintFor(labels, option));
}

/** The message of an error, for a usage message (never a stack). */
export function reason(e: unknown): string {
  return e instanceof Error ? e.message : 'malformed';
}
