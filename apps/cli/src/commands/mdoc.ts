import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import {
  bytesToBase64url,
  type CborValue,
  decode,
  detectBinaryInput,
  diagnose,
  EncodedCbor,
  RawCbor,
  Simple,
  Tagged,
} from '@mynakit/cbor';
import {
  type DeviceResponseVerification,
  decodeDeviceRequest,
  decodeDeviceResponse,
  decodeIssuerSigned,
  decodeMobileSecurityObject,
  type ElementValues,
  type IssuerSignedVerification,
  jpMncLabel,
  type KeyInput,
  MdocError,
  p256PrivateKeyFromD,
  redactMyNumber,
  type StatusChecker,
  type VerifiedDocument,
  verifyDeviceResponse,
  verifyIssuerSigned,
} from '@mynakit/mdoc';
import { type Certificate, parseCertificate, readPemBlocks } from '@mynakit/pki';
import { type Check, type Report, verdictOf } from '@mynakit/report';
import { checkReferencedStatus } from '@mynakit/status-list';
import { type Command, Option } from 'commander';
import { EXIT } from '../exit-codes.js';
import {
  describePem,
  pemLabels,
  reason,
  readOptionFile,
  refuseOtherPem,
  refusePem,
  wrongKind,
} from '../input-files.js';
import { collect, emitReport, parseInstant, renderReportText } from '../io.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './index.js';

/**
 * `mynakit mdoc verify` and `mynakit mdoc inspect`.
 *
 *   mynakit mdoc verify --response FILE --transcript FILE --trust PEM [--trust PEM…] --at ISO-8601
 *                       [--reader-key FILE] [--status-list FILE] [--json] [--full-values]
 *   mynakit mdoc verify --issuer-signed-only --response FILE --trust PEM … --at ISO-8601
 *
 * Binary inputs may be raw bytes, hex or base64url (detected). The transcript is used byte-exact:
 * SessionTranscriptBytes (tag 24) as given, or a bare SessionTranscript wrapped without re-encoding.
 * `--trust` files may hold several PEM blocks (or one DER certificate); each is an anchor as it is.
 * `--reader-key` is a PEM private key (PKCS#8 or SEC1), a JWK (JSON) or the hex scalar d of a P-256
 * key, for deviceMac responses.
 * `--status-list` is a Status List Token (CWT or JWT) for the MSO status reference; without it the
 * status check is skipped. Nothing is fetched.
 *
 * Files of the wrong kind (input-files.ts): an empty or PEM `--response` is a usage error, a malformed
 * one a verdict (decode failed); configuration files that cannot be parsed are usage errors.
 *
 * A presentation is a DeviceResponse: its Documents carry deviceSigned (ISO/IEC 18013-5
 * §8.3.2.1.2.2), without which nothing shows that the device holding the MSO key presented the data —
 * a copied record would verify as well. So an IssuerSigned given to the default path is a failed
 * decode (invalid, exit 1) pointing at `--issuer-signed-only`, the separate operation that checks the
 * issuer data alone: its issuer checks are reported, `device.signature` is `undetermined` (device
 * authentication was not performed, `deviceAuthentication: "not-performed"`), so its verdict is
 * `undetermined` (exit 2) at best — never `valid`.
 *
 * Element values are summarised: a byte string or text over 1 KiB (UTF-8) is shown as
 * `{"type": "bstr"|"tstr", "size": n, "sha256": "<hex>"}` in JSON and `<n bytes, sha256 <hex>>` in
 * text, so a large portrait does not flood the output; `--full-values` prints them whole.
 * Exit 0 valid, 1 invalid, 2 undetermined, 64 usage error. `--json` prints exactly one JSON object.
 * My Number (`individual_number_unicode`) is redacted from the output unless `--show-my-number`.
 */
interface VerifyOptions {
  response: string;
  transcript?: string;
  trust: string[];
  at: string;
  readerKey?: string;
  statusList?: string;
  json?: boolean;
  showMyNumber?: boolean;
  issuerSignedOnly?: boolean;
  fullValues?: boolean;
}

/** Byte strings and texts longer than this (bytes, UTF-8 for text) are summarised unless --full-values. */
export const LARGE_VALUE = 1024;

/** `{type, size, sha256}` of a large byte string or text. */
function largeValue(
  type: 'bstr' | 'tstr',
  bytes: Uint8Array,
): { type: string; size: number; sha256: string } {
  return { type, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The UTF-8 bytes of `s` when they exceed LARGE_VALUE, else undefined (cheap for short strings). */
function largeText(s: string): Uint8Array | undefined {
  if (s.length * 3 <= LARGE_VALUE || Buffer.byteLength(s, 'utf8') <= LARGE_VALUE) return undefined;
  return Buffer.from(s, 'utf8');
}

/** Sets an own property, `__proto__` included (received names are data, never prototype links). */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const EXPECT = {
  response: 'a DeviceResponse as CBOR — raw, hex or base64url (an IssuerSigned with --issuer-signed-only)',
  transcript:
    'SessionTranscriptBytes (tag 24) or a bare SessionTranscript (ISO/IEC 18013-5 §9.1.5.1) as CBOR — raw, hex or base64url',
  trust: 'trust anchor certificate(s): PEM CERTIFICATE block(s), or one DER certificate',
  readerKey:
    "the reader's P-256 private key: PEM (PRIVATE KEY or EC PRIVATE KEY), a JWK, or the scalar d as 64 hex digits",
  statusList: 'a Status List Token: a compact JWT, or a CWT (COSE_Sign1) — raw, hex or base64url',
  inspect: 'CBOR (a DeviceResponse, IssuerSigned, DeviceRequest or any item) — raw, hex or base64url',
} as const;

/** `--trust`: every CERTIFICATE block of a PEM file, or one DER (raw, hex or base64) certificate. */
function certificatesFromFile(path: string): Certificate[] {
  const bytes = readOptionFile(path, '--trust', EXPECT.trust);
  const labels = pemLabels(bytes);
  if (labels !== undefined) {
    const accepted = ['CERTIFICATE', 'TRUSTED CERTIFICATE'];
    if (!labels.some((l) => accepted.includes(l)))
      throw new UsageError(
        `--trust file '${path}' holds no CERTIFICATE block (it is ${describePem(labels)}): expected ${EXPECT.trust}`,
      );
    try {
      return readPemBlocks(new TextDecoder().decode(bytes))
        .filter((b) => accepted.includes(b.label))
        .map((b) => parseCertificate(b.der));
    } catch (e) {
      throw new UsageError(
        `--trust file '${path}' is not a certificate (${reason(e)}): expected ${EXPECT.trust}`,
      );
    }
  }
  try {
    return [parseCertificate(detectBinaryInput(bytes))];
  } catch (e) {
    throw new UsageError(
      `--trust file '${path}' is not a certificate (${reason(e)}): expected ${EXPECT.trust}`,
    );
  }
}

/** A P-256 private key, or a usage error saying what the key is instead. */
function requireP256(key: KeyObject, path: string): KeyObject {
  const type = key.asymmetricKeyType ?? 'unknown';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.type === 'private' && type === 'ec' && curve === 'prime256v1') return key;
  const found =
    key.type !== 'private'
      ? `a ${key.type} key`
      : type === 'ec'
        ? `an EC key on ${curve ?? 'an unknown curve'}`
        : `a private key of type ${type}`;
  throw wrongKind('--reader-key', path, found, EXPECT.readerKey);
}

/**
 * `--reader-key`: PEM (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`, RFC 5915), a JWK, a test-vector
 * key file ({x, y, d} in hex, possibly under `EReaderKey`, ISO/IEC 18013-5 Annex D) or the hex scalar d.
 */
function readerKeyFromFile(path: string): KeyInput {
  const bytes = readOptionFile(path, '--reader-key', EXPECT.readerKey);
  const labels = pemLabels(bytes);
  if (labels !== undefined) return readerKeyFromPem(bytes, labels, path);
  const text = new TextDecoder().decode(bytes).trim();
  try {
    let hex = text;
    if (text.startsWith('{')) {
      const json = JSON.parse(text) as Record<string, unknown>;
      if (typeof json.kty === 'string') {
        if (typeof json.d !== 'string') throw new Error('the JWK has no private part (d)');
        return requireP256(createPrivateKey({ key: json as never, format: 'jwk' }), path);
      }
      // Test-vector key files: {x, y, d} in hex, possibly under "EReaderKey" (ISO 18013-5 Annex D).
      const holder = (
        typeof json.EReaderKey === 'object' && json.EReaderKey !== null ? json.EReaderKey : json
      ) as Record<string, unknown>;
      if (typeof holder.d !== 'string') throw new Error('expected a JWK, or hex d');
      hex = holder.d;
    }
    hex = hex.replace(/\s+/g, '').replace(/^0x/i, '');
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('expected a P-256 JWK or 32 bytes of hex (d)');
    return p256PrivateKeyFromD(Uint8Array.from(Buffer.from(hex, 'hex')));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `--reader-key file '${path}' is not a usable key (${reason(e)}): expected ${EXPECT.readerKey}`,
    );
  }
}

function readerKeyFromPem(bytes: Uint8Array, labels: readonly string[], path: string): KeyObject {
  if (
    labels.includes('ENCRYPTED PRIVATE KEY') &&
    !labels.includes('PRIVATE KEY') &&
    !labels.includes('EC PRIVATE KEY')
  )
    throw wrongKind(
      '--reader-key',
      path,
      'an encrypted private key',
      `${EXPECT.readerKey} — decrypt it first (openssl pkey -in ${path} -out reader.pem)`,
    );
  refuseOtherPem(labels, ['PRIVATE KEY', 'EC PRIVATE KEY'], path, '--reader-key', EXPECT.readerKey);
  let key: KeyObject;
  try {
    // The key block itself (a SEC1 file may start with an EC PARAMETERS block).
    const block = readPemBlocks(new TextDecoder().decode(bytes)).find(
      (b) => b.label === 'PRIVATE KEY' || b.label === 'EC PRIVATE KEY',
    );
    if (block === undefined) throw new Error('no private key block');
    key = createPrivateKey({
      key: Buffer.from(block.der),
      format: 'der',
      type: block.label === 'PRIVATE KEY' ? 'pkcs8' : 'sec1',
    });
  } catch (e) {
    throw new UsageError(
      `--reader-key file '${path}' is not a usable key (${reason(e)}): expected ${EXPECT.readerKey}`,
    );
  }
  return requireP256(key, path);
}

/**
 * `--status-list`: a compact JWT as text, else CWT bytes (raw, hex or base64url). Checked for its shape
 * here — a file that is no token at all is a usage error; a token that is expired, for another list or
 * badly signed is reported by the status check.
 */
function statusListToken(path: string): Uint8Array | string {
  const bytes = readOptionFile(path, '--status-list', EXPECT.statusList);
  refusePem(bytes, path, '--status-list', EXPECT.statusList);
  const text = new TextDecoder().decode(bytes).trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(text)) {
    const header = text.slice(0, text.indexOf('.'));
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    } catch {
      json = undefined;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw wrongKind(
        '--status-list',
        path,
        'not a JWT (its header is not base64url JSON)',
        EXPECT.statusList,
      );
    return text;
  }
  const cwt = detectBinaryInput(bytes);
  let v: CborValue;
  try {
    v = decode(cwt);
  } catch (e) {
    throw wrongKind('--status-list', path, `neither a JWT nor CBOR (${reason(e)})`, EXPECT.statusList);
  }
  // COSE_Sign1 = [protected, unprotected, payload, signature], optionally tag 18 (RFC 9052 §4.2).
  const sign1 = v instanceof Tagged && v.tag === 18 ? v.value : v;
  if (!Array.isArray(sign1) || sign1.length !== 4)
    throw wrongKind('--status-list', path, 'CBOR but not a COSE_Sign1', EXPECT.statusList);
  return cwt;
}

/**
 * `--transcript`: the verifier's own session data, so a file that is not a SessionTranscript is a usage
 * error (never a failed device authentication blamed on the response). SessionTranscript =
 * [DeviceEngagementBytes, EReaderKeyBytes, Handover] (ISO/IEC 18013-5 §9.1.5.1), given either wrapped
 * as SessionTranscriptBytes (#6.24(bstr .cbor SessionTranscript)) or bare; the bytes are used as given.
 */
function transcriptFromFile(path: string): Uint8Array {
  const raw = readOptionFile(path, '--transcript', EXPECT.transcript);
  refusePem(raw, path, '--transcript', EXPECT.transcript);
  const bytes = detectBinaryInput(raw);
  let v: CborValue;
  try {
    v = decode(bytes);
    if (v instanceof EncodedCbor) v = v.decode();
  } catch (e) {
    throw wrongKind('--transcript', path, `not CBOR (${reason(e)})`, EXPECT.transcript);
  }
  if (!Array.isArray(v) || v.length !== 3)
    throw wrongKind(
      '--transcript',
      path,
      'CBOR but not a SessionTranscript (an array of DeviceEngagementBytes, EReaderKeyBytes, Handover)',
      EXPECT.transcript,
    );
  return bytes;
}

/** `--response`: the credential under test. PEM or an empty file is a usage error; malformed CBOR a verdict. */
function responseFromFile(path: string): Uint8Array {
  const raw = readOptionFile(path, '--response', EXPECT.response);
  refusePem(raw, path, '--response', EXPECT.response);
  return detectBinaryInput(raw);
}

/**
 * An MdocError about the options is the set-up (a usage error), not the credential: the CLI checks its
 * files first, so this only catches what those checks let through.
 */
function optionsError(e: unknown): never {
  if (
    e instanceof MdocError &&
    (e.code === 'MDOC_INVALID_ARGUMENT' || e.code === 'MDOC_INVALID_TRUST_ANCHOR')
  )
    throw new UsageError(e.message);
  throw e;
}

/**
 * CBOR values as JSON: bytes as base64url, tags as {tag, value}, maps as objects. Unless `full`, byte
 * strings and texts over LARGE_VALUE become `{type, size, sha256}`.
 */
export function cborToJson(v: CborValue | unknown, depth = 0, full = false): unknown {
  if (depth > 64) return null;
  if (v === undefined) return null;
  if (v instanceof Uint8Array)
    return !full && v.length > LARGE_VALUE ? largeValue('bstr', v) : bytesToBase64url(v);
  if (typeof v === 'string') {
    const big = full ? undefined : largeText(v);
    return big ? largeValue('tstr', big) : v;
  }
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof EncodedCbor) return { tag: 24, value: cborToJson(v.bytes, depth + 1, full) };
  if (v instanceof RawCbor) return { raw: cborToJson(v.bytes, depth + 1, full) };
  if (v instanceof Tagged) return { tag: v.tag, value: cborToJson(v.value, depth + 1, full) };
  if (v instanceof Simple) return { simple: v.value };
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => cborToJson(x, depth + 1, full));
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v)
      setOwn(
        o,
        typeof k === 'string' ? k : JSON.stringify(cborToJson(k, depth + 1, true)),
        cborToJson(x, depth + 1, full),
      );
    return o;
  }
  if (v !== null && typeof v === 'object') {
    const withJson = v as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return cborToJson(withJson.toJSON(), depth + 1, full);
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(o, k, cborToJson(x, depth + 1, full));
    return o;
  }
  return v;
}

/** `<n bytes>`, with its SHA-256 when it is over LARGE_VALUE. */
function bytesNote(b: Uint8Array): string {
  return b.length > LARGE_VALUE
    ? `<${b.length} bytes, sha256 ${createHash('sha256').update(b).digest('hex')}>`
    : `<${b.length} bytes>`;
}

/** A short, readable rendering of an element value for the text summary. */
function short(v: CborValue, depth = 0, full = false): string {
  if (v instanceof Uint8Array) return bytesNote(v);
  if (v instanceof Tagged)
    return v.tag === 0 || v.tag === 1004 ? String(v.value) : `${v.tag}(${short(v.value, depth + 1, full)})`;
  if (v instanceof EncodedCbor) return `24(${bytesNote(v.bytes)})`;
  if (typeof v === 'string') {
    if (full) return v;
    const big = largeText(v);
    if (big) return `<${big.length} bytes of text, sha256 ${createHash('sha256').update(big).digest('hex')}>`;
    return v.length > 80 ? `${v.slice(0, 77)}…` : v;
  }
  if (typeof v === 'bigint') return v.toString();
  if (depth > 2) return '…';
  if (Array.isArray(v)) return `[${v.map((x) => short(x, depth + 1, full)).join(', ')}]`;
  if (v instanceof Map)
    return `{${[...v].map(([k, x]) => `${String(k)}: ${short(x, depth + 1, full)}`).join(', ')}}`;
  return String(v);
}

function elementLines(elements: ElementValues | undefined, indent: string, full = false): string[] {
  const lines: string[] = [];
  for (const [ns, items] of Object.entries(elements ?? {})) {
    lines.push(`${indent}${ns}`);
    for (const [id, v] of Object.entries(items)) {
      const label = jpMncLabel(ns, id, 'en');
      lines.push(`${indent}  ${id}${label !== id ? ` (${label})` : ''}: ${short(v, 0, full)}`);
    }
  }
  return lines;
}

interface Rendering {
  readonly full: boolean;
  readonly issuerSignedOnly: boolean;
}

function documentLines(d: VerifiedDocument, how: Rendering): string[] {
  const lines = [`document ${d.docType}: ${d.verdict}`];
  if (d.issuer) {
    lines.push(
      `  document signer: ${d.issuer.subject}`,
      `    issuer: ${d.issuer.issuer}`,
      `    serial: ${d.issuer.serialNumber}`,
    );
  }
  if (d.mso) {
    lines.push(
      `  MSO: ${d.mso.digestAlgorithm}, signed ${d.mso.signed.toISOString()}, valid ${d.mso.validFrom.toISOString()} – ${d.mso.validUntil.toISOString()}`,
    );
    if (d.mso.status) lines.push(`  status list: ${d.mso.status.uri} (index ${d.mso.status.idx})`);
  }
  if (d.verdict === 'invalid') {
    // Nothing of an invalid document is vouched for, whatever digests happened to match.
    lines.push('  elements: not shown (the document is invalid)');
  } else {
    const el = elementLines(d.elements, '    ', how.full);
    const title = how.issuerSignedOnly
      ? 'issuer-signed elements (device authentication not performed)'
      : 'verified elements';
    lines.push(el.length ? `  ${title}:` : `  ${title}: none`, ...el);
    const dev = elementLines(d.deviceElements, '    ', how.full);
    if (dev.length) lines.push('  device-signed elements:', ...dev);
  }
  if (d.notReturned) {
    lines.push(
      `  not returned: ${Object.entries(d.notReturned)
        .flatMap(([ns, ids]) => Object.keys(ids).map((id) => `${ns}/${id}`))
        .join(', ')}`,
    );
  }
  return lines;
}

function renderVerification(how: Rendering): (report: Report & Record<string, unknown>) => string {
  return (report) => {
    const r = report as unknown as DeviceResponseVerification;
    const lines = [renderReportText(report).trimEnd()];
    for (const d of r.documents) lines.push(...documentLines(d, how));
    return `${lines.join('\n')}\n`;
  };
}

/** What the `--response` file holds: a DeviceResponse, or an IssuerSigned on its own. */
function looksLikeIssuerSigned(bytes: Uint8Array): boolean {
  try {
    const v = decode(bytes);
    return v instanceof Map && v.has('issuerAuth') && !v.has('version');
  } catch {
    return false;
  }
}

function looksLikeDeviceResponse(bytes: Uint8Array): boolean {
  try {
    const v = decode(bytes);
    return v instanceof Map && v.has('version') && v.has('status');
  } catch {
    return false;
  }
}

function redactDocuments<T extends { documents: readonly VerifiedDocument[] }>(r: T, show: boolean): T {
  if (show) return r;
  return {
    ...r,
    documents: r.documents.map((d) => ({
      ...d,
      elements: redactMyNumber(d.elements),
      ...(d.deviceElements ? { deviceElements: redactMyNumber(d.deviceElements) } : {}),
    })),
  };
}

/** The default path's answer to an IssuerSigned: not a presentation (§8.3.2.1.2.2). */
function notAPresentation(): DeviceResponseVerification {
  const checks: Check[] = [
    {
      id: 'decode',
      status: 'failed',
      detail:
        'the input is an IssuerSigned, not a DeviceResponse: it carries no device authentication (ISO/IEC 18013-5 §8.3.2.1.2.2 Document requires deviceSigned); to check its issuer data alone use --issuer-signed-only (never valid)',
    },
  ];
  return { verdict: 'invalid', checks, documents: [] };
}

/**
 * `--issuer-signed-only`: the issuer checks as reported, with device authentication `undetermined`
 * instead of skipped — it was not performed — so the verdict is never `valid`.
 */
function issuerDataOnly(r: IssuerSignedVerification): IssuerSignedVerification {
  const notPerformed = (c: Check): Check =>
    c.id === 'device.signature' && c.status === 'skipped'
      ? {
          id: c.id,
          status: 'undetermined',
          detail: `${c.detail} (--issuer-signed-only: the issuer data is checked, not its presentation)`,
        }
      : c;
  const checks = r.checks.map(notPerformed);
  const documents = r.documents.map((d) => {
    const docChecks = d.checks.map(notPerformed);
    return { ...d, checks: docChecks, verdict: verdictOf(docChecks), elements: d.elements };
  });
  return { ...r, verdict: verdictOf(checks), checks, documents };
}

async function verify(o: VerifyOptions, ctx: CommandContext): Promise<void> {
  const now = parseInstant(o.at);
  const response = responseFromFile(o.response);
  const trustAnchors = o.trust.flatMap((p) => certificatesFromFile(p));
  const readerPrivateKey = o.readerKey !== undefined ? readerKeyFromFile(o.readerKey) : undefined;
  const token = o.statusList !== undefined ? statusListToken(o.statusList) : undefined;
  const transcript = o.transcript !== undefined ? transcriptFromFile(o.transcript) : undefined;
  const anchorsDer = trustAnchors.map((c) => c.der);
  const statusChecker: StatusChecker | undefined = token
    ? (reference, c) => checkReferencedStatus({ reference, token, trustAnchors: anchorsDer, now: c.now })
    : undefined;
  const common = { trustAnchors, now, ...(statusChecker ? { statusChecker } : {}) };

  let result: DeviceResponseVerification | IssuerSignedVerification;
  if (o.issuerSignedOnly === true) {
    result = issuerDataOnly(await verifyIssuerSigned(response, common).catch(optionsError));
    if (result.documents.length === 0 && looksLikeDeviceResponse(response))
      result = {
        ...result,
        checks: result.checks.map((c) =>
          c.id === 'decode'
            ? {
                ...c,
                detail: `${c.detail} (the input is a DeviceResponse: verify it without --issuer-signed-only)`,
              }
            : c,
        ),
      };
  } else if (looksLikeIssuerSigned(response)) {
    result = notAPresentation();
  } else {
    if (transcript === undefined)
      throw new UsageError(
        "required option '--transcript <file>' not specified: a DeviceResponse is verified against the session transcript its device authentication signs",
      );
    result = await verifyDeviceResponse(response, {
      ...common,
      sessionTranscriptBytes: transcript,
      ...(readerPrivateKey ? { readerPrivateKey } : {}),
    }).catch(optionsError);
  }
  const shown = redactDocuments(result, o.showMyNumber === true) as unknown as Report &
    Record<string, unknown>;
  const full = o.fullValues === true;
  // The JSON form is built only for --json: the text form never needs the values as JSON.
  const report = o.json === true ? (cborToJson(shown, 0, full) as Report & Record<string, unknown>) : shown;
  ctx.setExit(
    emitReport(
      report,
      { json: o.json === true },
      ctx.out,
      renderVerification({ full, issuerSignedOnly: o.issuerSignedOnly === true }),
    ),
  );
}

type InspectedKind = 'DeviceResponse' | 'IssuerSigned' | 'DeviceRequest' | 'cbor';

/** A readable summary of a DeviceResponse, IssuerSigned or DeviceRequest (never throws). */
function summary(v: CborValue): { kind: InspectedKind; lines: string[] } {
  let kind: InspectedKind = 'cbor';
  const lines: string[] = [];
  const issuerSignedLines = (is: CborValue, indent: string) => {
    try {
      const s = decodeIssuerSigned(is);
      const auth = s.issuerAuth as CborValue[];
      const payload = decode(auth[2] as Uint8Array);
      const mso = decodeMobileSecurityObject(payload instanceof EncodedCbor ? payload.decode() : payload);
      lines.push(
        `${indent}MSO: docType ${mso.docType}, ${mso.digestAlgorithm}, signed ${mso.validityInfo.signed.toISOString()}, valid ${mso.validityInfo.validFrom.toISOString()} – ${mso.validityInfo.validUntil.toISOString()}`,
      );
      if (mso.status) lines.push(`${indent}status list: ${mso.status.uri} (index ${mso.status.idx})`);
      const x5 = (auth[1] as Map<CborValue, CborValue>).get(33);
      const ds = x5 instanceof Uint8Array ? x5 : Array.isArray(x5) ? (x5[0] as Uint8Array) : undefined;
      if (ds) {
        try {
          const c = parseCertificate(ds);
          lines.push(
            `${indent}document signer: ${c.subject} (issuer ${c.issuer}; ${c.notBefore.toISOString()} – ${c.notAfter.toISOString()})`,
          );
        } catch {
          lines.push(`${indent}document signer: unreadable certificate`);
        }
      }
      const elements: ElementValues = {};
      for (const [ns, items] of s.nameSpaces) {
        const values: Record<string, CborValue> = {};
        for (const i of items) setOwn(values, i.elementIdentifier, i.elementValue);
        setOwn(elements, ns, values);
      }
      lines.push(
        `${indent}elements (not verified):`,
        ...elementLines(redactMyNumber(elements), `${indent}  `),
      );
    } catch (e) {
      lines.push(`${indent}IssuerSigned cannot be read: ${(e as Error).message}`);
    }
  };
  if (v instanceof Map && v.has('documents') !== v.has('issuerAuth') && v.has('version')) {
    kind = 'DeviceResponse';
    try {
      const r = decodeDeviceResponse(v);
      lines.push(`DeviceResponse ${r.version}, status ${r.status}, ${r.documents.length} document(s)`);
      for (const d of r.documents) {
        lines.push(`  document ${d.docType}`);
        issuerSignedLines(d.issuerSigned, '    ');
        const auth = (d.deviceSigned as Map<CborValue, CborValue>).get('deviceAuth');
        if (auth instanceof Map)
          lines.push(`    device authentication: ${auth.has('deviceMac') ? 'deviceMac' : 'deviceSignature'}`);
      }
    } catch (e) {
      lines.push(`DeviceResponse cannot be read: ${(e as Error).message}`);
    }
  } else if (v instanceof Map && v.has('issuerAuth')) {
    kind = 'IssuerSigned';
    lines.push('IssuerSigned');
    issuerSignedLines(v, '  ');
  } else if (v instanceof Map && v.has('docRequests')) {
    kind = 'DeviceRequest';
    try {
      const r = decodeDeviceRequest(v);
      lines.push(
        `DeviceRequest ${r.version}, ${r.docRequests.length} document request(s)${r.readerAuthAll ? ', readerAuthAll' : ''}`,
      );
      for (const d of r.docRequests) {
        lines.push(`  ${d.itemsRequest.docType}${d.readerAuth !== undefined ? ' (readerAuth)' : ''}`);
        for (const [ns, ids] of Object.entries(d.itemsRequest.nameSpaces)) {
          for (const [id, retain] of Object.entries(ids))
            lines.push(`    ${ns}/${id}${retain ? ' (intent to retain)' : ''}`);
        }
      }
    } catch (e) {
      lines.push(`DeviceRequest cannot be read: ${(e as Error).message}`);
    }
  } else {
    lines.push('CBOR item (not a DeviceResponse, IssuerSigned or DeviceRequest)');
  }
  return { kind, lines };
}

/**
 * `mdoc inspect`: shows a CBOR file; nothing is verified. Exit 0 when the input was understood and
 * shown, 1 when it is not a single well-formed CBOR item (invalid input — as `jpki inspect` for input
 * that is none of its kinds), 64 for a usage error (unreadable or empty file, a PEM file).
 */
function inspect(file: string, o: { json?: boolean }, ctx: CommandContext): void {
  const raw = readOptionFile(file, 'input', EXPECT.inspect);
  refusePem(
    raw,
    file,
    'input',
    EXPECT.inspect,
    '; certificates, CRLs, OCSP responses and CMS signatures are shown by mynakit jpki inspect',
  );
  const bytes = detectBinaryInput(raw);
  let v: CborValue;
  let diag: string;
  try {
    v = decode(bytes);
    diag = diagnose(bytes, { indent: 2 });
  } catch (e) {
    const error = `not a single well-formed CBOR item: ${reason(e)}`;
    if (o.json === true)
      ctx.out.stdout(
        `${JSON.stringify({ kind: 'undecodable', verdict: 'invalid', verified: false, error })}\n`,
      );
    else ctx.out.stdout(`${error}\n`);
    ctx.out.stderr(`mynakit: '${file}' is not well-formed CBOR: ${reason(e)}\n`);
    ctx.setExit(EXIT.invalid);
    return;
  }
  const { kind, lines } = summary(v);
  if (o.json === true) {
    // Inspection verifies nothing: the verdict is always undetermined (and `verified` says why).
    const shown = {
      kind,
      verdict: 'undetermined',
      verified: false,
      summary: lines,
      structure: cborToJson(v),
    };
    ctx.out.stdout(`${JSON.stringify(shown)}\n`);
  } else {
    ctx.out.stdout(`${lines.join('\n')}\n\n${diag}\n`);
  }
  ctx.setExit(EXIT.valid);
}

const VERIFY_HELP = [
  '',
  'Exit codes: 0 valid, 1 invalid, 2 undetermined, 64 usage error, 70 internal error. With --json,',
  'exactly one JSON object (top-level "verdict") on stdout; messages go to stderr.',
  '',
  'Files of the wrong kind:',
  '  --response is the credential under test: bytes that are not a DeviceResponse (malformed CBOR, another',
  '    structure) are a verdict — invalid, with the "decode" check failed (exit 1). An empty file or a PEM',
  '    file is a usage error (exit 64): it cannot be a response at all.',
  '  --transcript, --trust, --reader-key and --status-list are your configuration: an empty file, a PEM of',
  '    the wrong kind, or a file that cannot be parsed as what the option expects is a usage error (exit',
  '    64) naming the option — never a verdict about the response. A status list that parses but is',
  '    expired, for another list or badly signed is reported by the status.revocation check.',
].join('\n');

export function registerMdocCommands(program: Command, ctx: CommandContext): void {
  const mdoc = program
    .command('mdoc')
    .description('ISO/IEC 18013-5 mdoc: verify and inspect responses (card-substitute records)');

  mdoc
    .command('verify')
    .description(
      'verify a DeviceResponse offline, with the transcript and trust anchors given (or, with --issuer-signed-only, the issuer data of an IssuerSigned)',
    )
    .requiredOption(
      '--response <file>',
      'DeviceResponse (IssuerSigned with --issuer-signed-only): raw, hex or base64url',
    )
    .option(
      '--transcript <file>',
      'SessionTranscriptBytes (tag 24) or a bare SessionTranscript: raw, hex or base64url',
    )
    .requiredOption(
      '--trust <pem>',
      'trust anchor certificate(s), PEM (several blocks allowed) or DER; repeatable',
      collect,
    )
    .requiredOption('--at <iso-8601>', 'verification time, e.g. 2026-01-01T00:00:00Z')
    .option(
      '--reader-key <file>',
      "the reader's ephemeral P-256 private key for deviceMac: PEM (PRIVATE KEY or EC PRIVATE KEY), a JWK, or d as hex",
    )
    .option('--status-list <file>', 'Status List Token (CWT or JWT) for the MSO status reference')
    .addOption(
      new Option(
        '--issuer-signed-only',
        'check the issuer data of an IssuerSigned alone: no device authentication is performed, so the verdict is never valid (undetermined at best, exit 2)',
      ).conflicts(['transcript', 'readerKey']),
    )
    .option('--json', 'print exactly one JSON object on stdout')
    .option(
      '--full-values',
      `print element values whole; by default a byte string or text over ${LARGE_VALUE} bytes is shown as {type, size, sha256} (JSON) or <n bytes, sha256 …> (text)`,
    )
    .option('--show-my-number', 'print My Number (individual_number_unicode) instead of redacting it')
    .addHelpText('after', VERIFY_HELP)
    .action((o: VerifyOptions) => verify(o, ctx));

  mdoc
    .command('inspect')
    .description('print a CBOR file in diagnostic notation with a readable summary (nothing is verified)')
    .argument('<file>', 'DeviceResponse, IssuerSigned, DeviceRequest or any CBOR: raw, hex or base64url')
    .option(
      '--json',
      'print one JSON object on stdout: {kind, verdict: "undetermined", verified: false, summary, structure}',
    )
    .addHelpText(
      'after',
      [
        '',
        'Nothing is verified (use mdoc verify for that). Exit 0 when the input was understood and shown;',
        '1 when it is not a single well-formed CBOR item (invalid input; with --json {kind: "undecodable",',
        'verdict: "invalid"}); 64 for a usage error: an unreadable or empty file, or a PEM file (certificates,',
        'CRLs, OCSP responses and CMS go to mynakit jpki inspect).',
      ].join('\n'),
    )
    .action((file: string, o: { json?: boolean }) => inspect(file, o, ctx));
}
