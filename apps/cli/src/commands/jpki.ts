import {
  type CertificateInspection,
  crlRevocationSource,
  DEFAULT_JPKI_POLICY_CONFIG,
  describeBirthDate,
  type Inspection,
  inspectDocument,
  JpkiError,
  type JpkiPolicyConfig,
  ocspRevocationSource,
  type RevocationSource,
  type SignatureVerificationReport,
  sexText,
  VERIFICATION_PROFILES,
  type VerificationProfile,
  verifyJpkiSignature,
} from '@mynakit/jpki';
import {
  type Certificate,
  parseCertificate,
  parseCms,
  parseCrl,
  parseOcspResponse,
  readPemBlocks,
} from '@mynakit/pki';
import type { Report } from '@mynakit/report';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { describePem, pemLabels, reason, readOptionFile, refuseOtherPem, wrongKind } from '../input-files.js';
import { collect, emitReport, parseInstant, readInputFile, renderReportText } from '../io.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './index.js';

/**
 * `mynakit jpki verify` and `mynakit jpki inspect`.
 *
 *   mynakit jpki verify --signature FILE [--content FILE] --trust PEM [--trust PEM…] [--crl FILE…]
 *                       [--ocsp FILE…] --at ISO-8601 [--profile x509|jpki-sign|jpki-auth] [--allow-sha1]
 *                       [--json]
 *
 * Inputs are DER or PEM (detected). `--content` is used as raw bytes, untouched (detached signatures);
 * a detached signature without `--content` is a usage error. Repeated `--trust`, `--crl`, `--ocsp` all
 * count. Nothing is fetched: revocation comes only from the files given (none → `status.revocation`
 * undetermined). SHA-1 signatures (CMS, certificates, CRLs, OCSP) are refused unless `--allow-sha1`.
 * The profile defaults to `jpki-sign` (a JPKI signature certificate: its policy, key usage and the
 * basic four); `--profile x509` checks a plain RFC 5280 path only. Exit 0 valid, 1 invalid,
 * 2 undetermined, 64 usage error. `--json` prints exactly one JSON object on stdout.
 *
 * Files of the wrong kind (input-files.ts): an empty `--signature` or a PEM of another kind is a usage
 * error, DER that is no CMS a verdict (cms.decode failed); `--trust`, `--cert`, `--crl`, `--ocsp` that
 * cannot be parsed are usage errors (a CRL or OCSP response that parses but is stale or for another CA
 * is reported by status.revocation).
 */
interface VerifyOptions {
  signature: string;
  content?: string;
  trust: string[];
  crl?: string[];
  ocsp?: string[];
  cert?: string[];
  policy?: string[];
  at: string;
  profile: string;
  allowSha1?: boolean;
  json?: boolean;
}

const EXPECT = {
  signature: 'a CMS SignedData: DER, or PEM (CMS or PKCS7)',
  certificates: 'certificate(s): PEM CERTIFICATE block(s), or one DER certificate',
  crl: 'a CRL: DER, or PEM (X509 CRL)',
  ocsp: 'an OCSP response: DER, or PEM (OCSP RESPONSE)',
  inspect: 'a certificate, CRL, OCSP response or CMS SignedData: DER or PEM',
} as const;

const CERTIFICATE_LABELS = ['CERTIFICATE', 'TRUSTED CERTIFICATE'];
const CMS_LABELS = ['CMS', 'PKCS7'];
const CRL_LABELS = ['X509 CRL'];
const OCSP_LABELS = ['OCSP RESPONSE'];
const INSPECT_LABELS = [...CERTIFICATE_LABELS, ...CMS_LABELS, ...CRL_LABELS, ...OCSP_LABELS];

/** The DER of the first block with one of `labels` (the caller checked there is one). */
function pemBlockDer(
  bytes: Uint8Array,
  labels: readonly string[],
  path: string,
  option: string,
  expected: string,
) {
  try {
    const block = readPemBlocks(new TextDecoder().decode(bytes)).find((b) => labels.includes(b.label));
    if (block !== undefined) return block.der;
  } catch (e) {
    throw wrongKind(option, path, `a PEM file that cannot be read (${reason(e)})`, expected);
  }
  throw wrongKind(option, path, 'a PEM file without a complete block', expected);
}

/** `--trust`, `--cert`: every CERTIFICATE block of a PEM file, or one DER certificate. */
function certificatesFromFile(path: string, what: string): Certificate[] {
  const bytes = readOptionFile(path, what, EXPECT.certificates);
  const labels = pemLabels(bytes);
  try {
    if (labels !== undefined) {
      if (!labels.some((l) => CERTIFICATE_LABELS.includes(l)))
        throw new UsageError(
          `${what} file '${path}' holds no CERTIFICATE block (it is ${describePem(labels)}): expected ${EXPECT.certificates}`,
        );
      return readPemBlocks(new TextDecoder().decode(bytes))
        .filter((b) => CERTIFICATE_LABELS.includes(b.label))
        .map((b) => parseCertificate(b.der));
    }
    return [parseCertificate(bytes)];
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${what} file '${path}' is not a certificate (${reason(e)}): expected ${EXPECT.certificates}`,
    );
  }
}

/**
 * `--signature`: the credential under test. An empty file or a PEM of another kind is a usage error
 * (it cannot be a signature at all); DER that is no CMS goes to the verifier, which reports
 * `cms.decode` failed.
 */
function signatureFromFile(path: string): Uint8Array {
  const bytes = readOptionFile(path, '--signature', EXPECT.signature);
  const labels = pemLabels(bytes);
  if (labels === undefined) return bytes;
  refuseOtherPem(labels, CMS_LABELS, path, '--signature', EXPECT.signature);
  return pemBlockDer(bytes, CMS_LABELS, path, '--signature', EXPECT.signature);
}

/** `--crl`, `--ocsp`: the DER of a file that must parse as `kind` (the verdict speaks of what it says). */
function revocationFile(
  path: string,
  option: '--crl' | '--ocsp',
  labels: readonly string[],
  expected: string,
  parse: (der: Uint8Array) => unknown,
  notA: string,
): Uint8Array {
  const bytes = readOptionFile(path, option, expected);
  const found = pemLabels(bytes);
  let der = bytes;
  if (found !== undefined) {
    refuseOtherPem(found, labels, path, option, expected);
    der = pemBlockDer(bytes, labels, path, option, expected);
  }
  try {
    parse(der);
  } catch (e) {
    throw wrongKind(option, path, `${notA} (${reason(e)})`, expected);
  }
  return der;
}

function revocationSources(o: VerifyOptions): RevocationSource[] {
  const sources: RevocationSource[] = [];
  const allowSha1 = o.allowSha1 === true;
  (o.crl ?? []).forEach((path, i) => {
    const der = revocationFile(path, '--crl', CRL_LABELS, EXPECT.crl, parseCrl, 'not a CRL');
    sources.push(crlRevocationSource(der, `CRL #${i + 1} (${basename(path)})`, { allowSha1 }));
  });
  (o.ocsp ?? []).forEach((path, i) => {
    const der = revocationFile(
      path,
      '--ocsp',
      OCSP_LABELS,
      EXPECT.ocsp,
      parseOcspResponse,
      'not an OCSP response',
    );
    sources.push(ocspRevocationSource(der, { label: `OCSP #${i + 1} (${basename(path)})`, allowSha1 }));
  });
  return sources;
}

/**
 * A detached signature (RFC 5652 §5.2: eContent absent) can only be checked against its content, so
 * without `--content` the command cannot run: a usage error, not a verdict on the signature. A CMS that
 * does not parse goes on to the verifier, which reports it.
 */
function requireContentForDetached(
  signature: Uint8Array,
  path: string,
  content: Uint8Array | undefined,
): void {
  if (content !== undefined) return;
  let detached = false;
  try {
    detached = parseCms(signature).content === undefined;
  } catch {
    return;
  }
  if (detached)
    throw new UsageError(
      `--signature file '${path}' is a detached signature (it does not carry the signed content): give the content with --content <file>`,
    );
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function renderVerification(report: Report & Record<string, unknown>): string {
  const r = report as unknown as SignatureVerificationReport;
  const lines = [renderReportText(report).trimEnd(), `profile: ${r.profile}`];
  // Only a valid verdict vouches for what the certificate says; otherwise it is what the signer claims.
  const claimed = r.verdict === 'valid' ? '' : ' (claimed, not verified)';
  if (r.signer !== undefined) {
    lines.push(
      `signer${claimed}: ${r.signer.subject}`,
      `  issuer: ${r.signer.issuer}`,
      `  serial: ${r.signer.serialNumber}`,
    );
  }
  if (r.signingTime !== undefined)
    lines.push(`signing time${claimed}: ${new Date(r.signingTime).toISOString()}`);
  if (r.basicFour !== undefined) {
    if (r.verdict === 'valid') lines.push(...basicFourLines(r.basicFour, ''));
    else if (r.verdict === 'invalid') lines.push('basic four: not shown (the signature is invalid)');
    else
      lines.push(
        ...basicFourLines(
          r.basicFour,
          '',
          `basic four (claimed, not verified: the verdict is ${r.verdict}):`,
        ),
      );
  }
  return `${lines.join('\n')}\n`;
}

function basicFourLines(
  b: NonNullable<CertificateInspection['basicFour']> | SignatureVerificationReport['basicFour'],
  indent: string,
  title = 'basic four:',
): string[] {
  if (b === undefined) return [];
  const sex = sexText(b.sex);
  let birth = b.birthDate;
  try {
    birth = describeBirthDate(b.birthDate);
  } catch {
    /* shown as written */
  }
  const subst = (map: string) =>
    map.includes('1')
      ? ` (substituted positions: ${[...map].flatMap((c, i) => (c === '1' ? [i + 1] : [])).join(', ')})`
      : '';
  return [
    `${indent}${title}`,
    `${indent}  name: ${b.name}${subst(b.nameSubstitutionMap)}`,
    `${indent}  sex: ${b.sex} (${sex})`,
    `${indent}  birth date: ${birth}`,
    `${indent}  address: ${b.address}${subst(b.addressSubstitutionMap)}`,
  ];
}

function renderCertificate(c: CertificateInspection, indent = ''): string[] {
  const l = (k: string, v: string | undefined) =>
    v === undefined || v === '' ? [] : [`${indent}  ${k}: ${v}`];
  return [
    `${indent}certificate${c.jpkiRole !== undefined ? ` (JPKI ${c.jpkiRole})` : ''}`,
    ...l('subject', c.subject),
    ...l('issuer', c.issuer),
    ...l('serial', c.serialNumber),
    ...l('validity', `${c.notBefore} – ${c.notAfter}`),
    ...l('public key', c.publicKey),
    ...l('signature algorithm', c.signatureAlgorithm),
    ...l('CA', c.isCa ? 'yes' : undefined),
    ...l('key usage', c.keyUsage?.join(', ')),
    ...l('extended key usage', c.extKeyUsage?.join(', ')),
    ...l('certificate policies', c.certificatePolicies.join(', ')),
    ...l('CPS', c.policyQualifiers.map((q) => `${q.cps} (${q.policy})`).join('; ')),
    ...l(
      'subject alt names',
      c.subjectAltName.filter((n) => !n.startsWith('otherName 1.2.392.200149.8.5.5.')).join('; '),
    ),
    ...l('issuer alt names', c.issuerAltName.join('; ')),
    ...l('CRL distribution points', c.crlDistributionPoints.join('; ')),
    ...l('OCSP', c.ocsp.join('; ')),
    ...l('subject key id', c.subjectKeyIdentifier),
    ...l('authority key id', c.authorityKeyIdentifier?.keyIdentifier),
    ...l('authority cert issuer', c.authorityKeyIdentifier?.authorityCertIssuer?.join('; ')),
    ...l('authority cert serial', c.authorityKeyIdentifier?.authorityCertSerialNumber),
    ...l('critical extensions', c.criticalExtensions.join(', ')),
    ...l('undecodable extensions', c.extensionErrors?.join('; ')),
    ...l('SHA-256 fingerprint', c.fingerprint256),
    ...basicFourLines(c.basicFour, `${indent}  `),
    ...l('basic four', c.basicFourError),
  ];
}

export function renderInspection(i: Inspection): string {
  const lines: string[] = [];
  switch (i.kind) {
    case 'certificate':
      lines.push(...renderCertificate(i));
      break;
    case 'crl':
      lines.push(
        `CRL${i.deltaCrlIndicator !== undefined ? ` (delta over ${i.deltaCrlIndicator})` : ''}`,
        `  issuer: ${i.issuer}`,
        `  this update: ${i.thisUpdate}`,
        `  next update: ${i.nextUpdate ?? '(none)'}`,
        ...(i.crlNumber !== undefined ? [`  number: ${i.crlNumber}`] : []),
        ...(i.distributionPoint !== undefined
          ? [`  distribution point: ${i.distributionPoint.join('; ')}`]
          : []),
        `  signature algorithm: ${i.signatureAlgorithm}`,
        `  revoked: ${i.entries.length}`,
        ...i.entries.map(
          (e) => `    ${e.serialNumber}  ${e.revocationDate}${e.reason !== undefined ? `  ${e.reason}` : ''}`,
        ),
      );
      break;
    case 'ocsp-response':
      lines.push(
        'OCSP response',
        `  status: ${i.responseStatus}`,
        ...(i.producedAt !== undefined ? [`  produced at: ${i.producedAt}`] : []),
        ...(i.responderId !== undefined ? [`  responder: ${i.responderId}`] : []),
        ...i.responses.map(
          (s) =>
            `  serial ${s.serialNumber}: ${s.status}${s.reason !== undefined ? ` (${s.reason})` : ''}${s.revocationTime !== undefined ? ` at ${s.revocationTime}` : ''}; this update ${s.thisUpdate}${s.nextUpdate !== undefined ? `, next update ${s.nextUpdate}` : ''}`,
        ),
        ...i.certificates.flatMap((c) => renderCertificate(c, '  ')),
      );
      break;
    case 'cms':
      lines.push(
        'CMS SignedData',
        `  content type: ${i.contentType}`,
        `  content: ${i.detached ? 'detached' : `attached, ${i.contentLength} bytes`}`,
        ...i.signers.flatMap((s) => [
          `  signer: ${s.signerIdentifier}`,
          `    digest: ${s.digestAlgorithm}, signature: ${s.signatureAlgorithm}`,
          ...(s.signingTime !== undefined ? [`    signing time: ${s.signingTime}`] : []),
          ...(s.messageDigest !== undefined ? [`    message digest: ${s.messageDigest}`] : []),
        ]),
        ...i.certificates.flatMap((c) => renderCertificate(c, '  ')),
      );
      break;
  }
  return `${lines.join('\n')}\n`;
}

export function registerJpkiCommands(program: Command, ctx: CommandContext): void {
  const jpki = program
    .command('jpki')
    .description('JPKI: verify CMS signatures, inspect certificates, CRLs and OCSP responses');

  jpki
    .command('verify')
    .description(
      'verify a JPKI (CMS SignedData) signature offline, with the trust anchors and revocation data given',
    )
    .requiredOption('--signature <file>', 'CMS SignedData, DER or PEM (CMS or PKCS7)')
    .option(
      '--content <file>',
      'the signed content of a detached signature (raw bytes, untouched); required when the signature is detached',
    )
    .requiredOption('--trust <pem>', 'trust anchor certificate(s), PEM or DER; repeatable', collect)
    .option('--crl <file>', 'CRL, DER or PEM; repeatable', collect)
    .option('--ocsp <file>', 'OCSP response, DER or PEM; repeatable', collect)
    .option('--cert <file>', 'extra untrusted certificates (signer, intermediates); repeatable', collect)
    .option(
      '--policy <oid>',
      'also accept this certificate policy OID (jpki-sign / jpki-auth); repeatable',
      collect,
    )
    .requiredOption('--at <iso-8601>', 'verification time, e.g. 2026-01-01T00:00:00Z')
    .option(
      '--profile <profile>',
      'jpki-sign (a JPKI signature certificate: policy, key usage, basic four) | jpki-auth (a JPKI user authentication certificate) | x509 (an RFC 5280 path only)',
      'jpki-sign',
    )
    .option(
      '--allow-sha1',
      'accept SHA-1 signatures (CMS, certificates, CRLs, OCSP responses); refused by default',
    )
    .option('--json', 'print exactly one JSON object on stdout')
    .addHelpText('after', VERIFY_HELP)
    .action(async (o: VerifyOptions) => {
      if (!(VERIFICATION_PROFILES as readonly string[]).includes(o.profile)) {
        throw new UsageError(`--profile must be one of ${VERIFICATION_PROFILES.join(', ')}`);
      }
      const now = parseInstant(o.at);
      const signature = signatureFromFile(o.signature);
      const content = o.content !== undefined ? readInputFile(o.content, '--content') : undefined;
      requireContentForDetached(signature, o.signature, content);
      const trustAnchors = o.trust.flatMap((p) => certificatesFromFile(p, '--trust'));
      const certificates = (o.cert ?? []).flatMap((p) => certificatesFromFile(p, '--cert'));
      const revocation = revocationSources(o);
      const extra = o.policy ?? [];
      if (extra.some((p) => !/^\d+(\.\d+)+$/.test(p))) throw new UsageError('--policy must be a dotted OID');
      const policies: JpkiPolicyConfig = {
        signaturePolicyOids: [...DEFAULT_JPKI_POLICY_CONFIG.signaturePolicyOids, ...extra],
        userAuthenticationPolicyOids: [...DEFAULT_JPKI_POLICY_CONFIG.userAuthenticationPolicyOids, ...extra],
      };
      const report = await verifyJpkiSignature({
        signature,
        ...(content !== undefined ? { content } : {}),
        trustAnchors,
        ...(certificates.length > 0 ? { certificates } : {}),
        revocation,
        now,
        profile: o.profile as VerificationProfile,
        policies,
        ...(o.allowSha1 === true ? { allowSha1: true } : {}),
      }).catch(optionsError);
      if (o.json !== true)
        ctx.out.stderr(
          `mynakit: verified at ${now.toISOString()} with ${revocation.length} revocation source(s)${o.allowSha1 === true ? ', SHA-1 accepted' : ''}\n`,
        );
      ctx.setExit(
        emitReport(
          report as unknown as Report & Record<string, unknown>,
          { json: o.json === true },
          ctx.out,
          renderVerification,
        ),
      );
    });

  jpki
    .command('inspect')
    .description(
      'show a certificate, CRL, OCSP response or CMS signature in readable form (the basic four decoded; nothing is verified)',
    )
    .argument('<file>', 'DER or PEM')
    .option(
      '--json',
      'print one JSON object on stdout: {kind, verdict: "undetermined", verified: false, …the structure}',
    )
    .addHelpText(
      'after',
      [
        '',
        'Nothing is verified (use jpki verify for that). Exit 0 when the input was understood and shown;',
        '1 when it is none of the four kinds (invalid input; with --json {kind: "undecodable", verdict:',
        '"invalid"}); 64 for a usage error: an unreadable or empty file, or a PEM of another kind (a key).',
      ].join('\n'),
    )
    .action((file: string, o: { json?: boolean }) => inspect(file, o, ctx));
}

const VERIFY_HELP = [
  '',
  'Exit codes: 0 valid, 1 invalid, 2 undetermined, 64 usage error, 70 internal error. With --json,',
  'exactly one JSON object (top-level "verdict") on stdout; messages go to stderr.',
  '',
  'Files of the wrong kind:',
  '  --signature is the credential under test: DER that is no CMS SignedData is a verdict — invalid, with',
  '    "cms.decode" failed (exit 1). An empty file or a PEM of another kind (a certificate, a key) is a',
  '    usage error (exit 64), and so is a detached signature given without --content.',
  '  --trust, --cert, --crl and --ocsp are your configuration: an empty file, a PEM of the wrong kind, or',
  '    a file that cannot be parsed as what the option expects is a usage error (exit 64) naming the',
  '    option. A CRL or OCSP response that parses but is stale or from another CA is reported by the',
  '    status.revocation check.',
].join('\n');

/**
 * `jpki inspect`: exit 0 when the input was understood and shown, 1 when it is none of the four kinds
 * (invalid input — as `mdoc inspect` for input that is not CBOR), 64 for a usage error.
 */
function inspect(file: string, o: { json?: boolean }, ctx: CommandContext): void {
  const bytes = readOptionFile(file, 'input', EXPECT.inspect);
  const labels = pemLabels(bytes);
  if (labels !== undefined) refuseOtherPem(labels, INSPECT_LABELS, file, 'input', EXPECT.inspect);
  let inspection: Inspection;
  try {
    inspection = inspectDocument(bytes);
  } catch {
    const error = 'not a certificate, CRL, OCSP response or CMS SignedData';
    if (o.json === true)
      ctx.out.stdout(
        `${JSON.stringify({ kind: 'undecodable', verdict: 'invalid', verified: false, error })}\n`,
      );
    ctx.out.stderr(`mynakit: '${file}' is ${error}\n`);
    ctx.setExit(EXIT.invalid);
    return;
  }
  // Inspection verifies nothing: the verdict is always undetermined (and `verified` says why).
  ctx.out.stdout(
    o.json === true
      ? `${JSON.stringify({ ...inspection, verdict: 'undetermined', verified: false })}\n`
      : renderInspection(inspection),
  );
  ctx.setExit(EXIT.valid);
}

/** A JpkiError about the options is the set-up (a usage error): the CLI checks its files first. */
function optionsError(e: unknown): never {
  if (e instanceof JpkiError && e.code === 'INVALID_ARGUMENT') throw new UsageError(e.message);
  throw e;
}
