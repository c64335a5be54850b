import { createPrivateKey } from 'node:crypto';
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
  p256PrivateKeyFromD,
  redactMyNumber,
  type StatusChecker,
  type VerifiedDocument,
  verifyDeviceResponse,
  verifyIssuerSigned,
} from '@mynakit/mdoc';
import { type Certificate, parseCertificate, readPemBlocks } from '@mynakit/pki';
import type { Report } from '@mynakit/report';
import { checkReferencedStatus } from '@mynakit/status-list';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { collect, emitReport, parseInstant, readInputFile, renderReportText } from '../io.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './index.js';

/**
 * `mynakit mdoc verify` and `mynakit mdoc inspect`.
 *
 *   mynakit mdoc verify --response FILE --transcript FILE --trust PEM [--trust PEM…] --at ISO-8601
 *                       [--reader-key FILE] [--status-list FILE] [--json]
 *
 * Binary inputs may be raw bytes, hex or base64url (detected). The transcript is used byte-exact:
 * SessionTranscriptBytes (tag 24) as given, or a bare SessionTranscript wrapped without re-encoding.
 * `--trust` files may hold several PEM blocks (or one DER certificate); each is an anchor as it is.
 * `--reader-key` is a JWK (JSON) or the hex scalar d of a P-256 key, for deviceMac responses.
 * `--status-list` is a Status List Token (CWT or JWT) for the MSO status reference; without it the
 * status check is skipped. A `--response` holding an IssuerSigned (no device authentication) gets the
 * issuer checks only (`--transcript` is then not needed). Nothing is fetched.
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
}

function certificatesFromFile(path: string): Certificate[] {
  const bytes = readInputFile(path, '--trust');
  const text = new TextDecoder().decode(bytes);
  try {
    if (/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
      const blocks = readPemBlocks(text).filter(
        (b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE',
      );
      if (blocks.length === 0) throw new UsageError(`--trust file '${path}' holds no CERTIFICATE block`);
      return blocks.map((b) => parseCertificate(b.der));
    }
    return [parseCertificate(detectBinaryInput(bytes))];
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `--trust file '${path}' is not a certificate (${e instanceof Error ? e.message : 'malformed'})`,
    );
  }
}

function readerKeyFromFile(path: string): KeyInput {
  const text = new TextDecoder().decode(readInputFile(path, '--reader-key')).trim();
  try {
    let hex = text;
    if (text.startsWith('{')) {
      const json = JSON.parse(text) as Record<string, unknown>;
      if (typeof json.kty === 'string') {
        if (typeof json.d !== 'string') throw new Error('the JWK has no private part (d)');
        return createPrivateKey({ key: json as never, format: 'jwk' });
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
    throw new UsageError(
      `--reader-key file '${path}' is not a usable key (${e instanceof Error ? e.message : 'malformed'})`,
    );
  }
}

/** A Status List Token from a file: a compact JWT as text, else CWT bytes (raw, hex or base64url). */
function statusListToken(path: string): Uint8Array | string {
  const bytes = readInputFile(path, '--status-list');
  const text = new TextDecoder().decode(bytes).trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(text)) return text;
  return detectBinaryInput(bytes);
}

/** CBOR values as JSON: bytes as base64url, tags as {tag, value}, maps as objects. */
export function cborToJson(v: CborValue | unknown, depth = 0): unknown {
  if (depth > 64) return null;
  if (v === undefined) return null;
  if (v instanceof Uint8Array) return bytesToBase64url(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof EncodedCbor) return { tag: 24, value: bytesToBase64url(v.bytes) };
  if (v instanceof RawCbor) return { raw: bytesToBase64url(v.bytes) };
  if (v instanceof Tagged) return { tag: v.tag, value: cborToJson(v.value, depth + 1) };
  if (v instanceof Simple) return { simple: v.value };
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => cborToJson(x, depth + 1));
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v)
      o[typeof k === 'string' ? k : JSON.stringify(cborToJson(k, depth + 1))] = cborToJson(x, depth + 1);
    return o;
  }
  if (v !== null && typeof v === 'object') {
    const withJson = v as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return cborToJson(withJson.toJSON(), depth + 1);
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = cborToJson(x, depth + 1);
    return o;
  }
  return v;
}

/** A short, readable rendering of an element value for the text summary. */
function short(v: CborValue, depth = 0): string {
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v instanceof Tagged)
    return v.tag === 0 || v.tag === 1004 ? String(v.value) : `${v.tag}(${short(v.value, depth + 1)})`;
  if (v instanceof EncodedCbor) return `24(<${v.bytes.length} bytes>)`;
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 77)}…` : v;
  if (typeof v === 'bigint') return v.toString();
  if (depth > 2) return '…';
  if (Array.isArray(v)) return `[${v.map((x) => short(x, depth + 1)).join(', ')}]`;
  if (v instanceof Map)
    return `{${[...v].map(([k, x]) => `${String(k)}: ${short(x, depth + 1)}`).join(', ')}}`;
  return String(v);
}

function elementLines(elements: ElementValues | undefined, indent: string): string[] {
  const lines: string[] = [];
  for (const [ns, items] of Object.entries(elements ?? {})) {
    lines.push(`${indent}${ns}`);
    for (const [id, v] of Object.entries(items)) {
      const label = jpMncLabel(ns, id, 'en');
      lines.push(`${indent}  ${id}${label !== id ? ` (${label})` : ''}: ${short(v)}`);
    }
  }
  return lines;
}

function documentLines(d: VerifiedDocument): string[] {
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
  const el = elementLines(d.elements, '    ');
  lines.push(el.length ? '  verified elements:' : '  verified elements: none', ...el);
  const dev = elementLines(d.deviceElements, '    ');
  if (dev.length) lines.push('  device-signed elements:', ...dev);
  if (d.notReturned) {
    lines.push(
      `  not returned: ${Object.entries(d.notReturned)
        .flatMap(([ns, ids]) => Object.keys(ids).map((id) => `${ns}/${id}`))
        .join(', ')}`,
    );
  }
  return lines;
}

function renderVerification(report: Report & Record<string, unknown>): string {
  const r = report as unknown as DeviceResponseVerification;
  const lines = [renderReportText(report).trimEnd()];
  for (const d of r.documents) lines.push(...documentLines(d));
  return `${lines.join('\n')}\n`;
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

async function verify(o: VerifyOptions, ctx: CommandContext): Promise<void> {
  const now = parseInstant(o.at);
  const response = detectBinaryInput(readInputFile(o.response, '--response'));
  const trustAnchors = o.trust.flatMap((p) => certificatesFromFile(p));
  const readerPrivateKey = o.readerKey !== undefined ? readerKeyFromFile(o.readerKey) : undefined;
  const token = o.statusList !== undefined ? statusListToken(o.statusList) : undefined;
  const anchorsDer = trustAnchors.map((c) => c.der);
  const statusChecker: StatusChecker | undefined = token
    ? (reference, c) => checkReferencedStatus({ reference, token, trustAnchors: anchorsDer, now: c.now })
    : undefined;
  const common = { trustAnchors, now, ...(statusChecker ? { statusChecker } : {}) };

  let result: DeviceResponseVerification | IssuerSignedVerification;
  if (looksLikeIssuerSigned(response)) {
    result = await verifyIssuerSigned(response, common);
  } else {
    if (o.transcript === undefined)
      throw new UsageError("required option '--transcript <file>' not specified");
    const sessionTranscriptBytes = detectBinaryInput(readInputFile(o.transcript, '--transcript'));
    result = await verifyDeviceResponse(response, {
      ...common,
      sessionTranscriptBytes,
      ...(readerPrivateKey ? { readerPrivateKey } : {}),
    });
  }
  const shown = redactDocuments(result, o.showMyNumber === true);
  const out = cborToJson(shown) as Report & Record<string, unknown>;
  ctx.setExit(
    emitReport(
      o.json === true ? out : (shown as unknown as Report & Record<string, unknown>),
      { json: o.json === true },
      ctx.out,
      renderVerification,
    ),
  );
}

/** A readable summary of a DeviceResponse, IssuerSigned or DeviceRequest (never throws). */
function summary(bytes: Uint8Array): string[] {
  let v: CborValue;
  try {
    v = decode(bytes);
  } catch (e) {
    return [`not a single well-formed CBOR item: ${(e as Error).message}`];
  }
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
        elements[ns] = {};
        for (const i of items)
          (elements[ns] as Record<string, CborValue>)[i.elementIdentifier] = i.elementValue;
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
    lines.push('IssuerSigned');
    issuerSignedLines(v, '  ');
  } else if (v instanceof Map && v.has('docRequests')) {
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
  return lines;
}

export function registerMdocCommands(program: Command, ctx: CommandContext): void {
  const mdoc = program
    .command('mdoc')
    .description('ISO/IEC 18013-5 mdoc: verify and inspect responses (card-substitute records)');

  mdoc
    .command('verify')
    .description(
      'verify a DeviceResponse (or an IssuerSigned) offline, with the transcript and trust anchors given',
    )
    .requiredOption('--response <file>', 'DeviceResponse or IssuerSigned: raw, hex or base64url')
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
      "the reader's ephemeral private key for deviceMac: a JWK, or P-256 d as hex",
    )
    .option('--status-list <file>', 'Status List Token (CWT or JWT) for the MSO status reference')
    .option('--json', 'print exactly one JSON object on stdout')
    .option('--show-my-number', 'print My Number (individual_number_unicode) instead of redacting it')
    .action((o: VerifyOptions) => verify(o, ctx));

  mdoc
    .command('inspect')
    .description('print a CBOR file in diagnostic notation with a readable summary (nothing is verified)')
    .argument('<file>', 'DeviceResponse, IssuerSigned, DeviceRequest or any CBOR: raw, hex or base64url')
    .action((file: string) => {
      const bytes = detectBinaryInput(readInputFile(file, 'input'));
      let diag: string;
      try {
        diag = diagnose(bytes, { indent: 2 });
      } catch (e) {
        ctx.out.stdout(`${summary(bytes).join('\n')}\n`);
        ctx.out.stderr(`mynakit: not well-formed CBOR: ${(e as Error).message}\n`);
        ctx.setExit(EXIT.invalid);
        return;
      }
      ctx.out.stdout(`${summary(bytes).join('\n')}\n\n${diag}\n`);
      ctx.setExit(EXIT.valid);
    });
}
