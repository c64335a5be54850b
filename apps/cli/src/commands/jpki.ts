import {
  type CertificateInspection,
  crlRevocationSource,
  DEFAULT_JPKI_POLICY_CONFIG,
  derOfInput,
  describeBirthDate,
  type Inspection,
  inspectDocument,
  type JpkiPolicyConfig,
  ocspRevocationSource,
  type RevocationSource,
  type SignatureVerificationReport,
  sexText,
  VERIFICATION_PROFILES,
  type VerificationProfile,
  verifyJpkiSignature,
} from '@mynakit/jpki';
import { type Certificate, parseCertificate, readPemBlocks } from '@mynakit/pki';
import type { Report } from '@mynakit/report';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
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
 * Inputs are DER or PEM (detected). `--content` is used as raw bytes, untouched (detached signatures).
 * Repeated `--trust`, `--crl`, `--ocsp` all count. Nothing is fetched: revocation comes only from the
 * files given (none → `status.revocation` undetermined). SHA-1 signatures (CMS, certificates, CRLs, OCSP)
 * are refused unless `--allow-sha1`. Exit 0 valid, 1 invalid, 2 undetermined,
 * 64 usage error. `--json` prints exactly one JSON object on stdout.
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

function certificatesFromFile(path: string, what: string): Certificate[] {
  const bytes = readInputFile(path, what);
  const text = new TextDecoder().decode(bytes.subarray(0, 256));
  try {
    if (/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
      const blocks = readPemBlocks(new TextDecoder().decode(bytes)).filter(
        (b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE',
      );
      if (blocks.length === 0) throw new UsageError(`${what} file '${path}' holds no CERTIFICATE block`);
      return blocks.map((b) => parseCertificate(b.der));
    }
    return [parseCertificate(bytes)];
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${what} file '${path}' is not a certificate (${e instanceof Error ? e.message : 'malformed'})`,
    );
  }
}

function revocationSources(o: VerifyOptions): RevocationSource[] {
  const sources: RevocationSource[] = [];
  const allowSha1 = o.allowSha1 === true;
  (o.crl ?? []).forEach((path, i) => {
    sources.push(
      crlRevocationSource(derOfInput(readInputFile(path, '--crl')).der, `CRL #${i + 1} (${basename(path)})`, {
        allowSha1,
      }),
    );
  });
  (o.ocsp ?? []).forEach((path, i) => {
    sources.push(
      ocspRevocationSource(derOfInput(readInputFile(path, '--ocsp')).der, {
        label: `OCSP #${i + 1} (${basename(path)})`,
        allowSha1,
      }),
    );
  });
  return sources;
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function renderVerification(report: Report & Record<string, unknown>): string {
  const r = report as unknown as SignatureVerificationReport;
  const lines = [renderReportText(report).trimEnd(), `profile: ${r.profile}`];
  if (r.signer !== undefined) {
    lines.push(
      `signer: ${r.signer.subject}`,
      `  issuer: ${r.signer.issuer}`,
      `  serial: ${r.signer.serialNumber}`,
    );
  }
  if (r.signingTime !== undefined) lines.push(`signing time: ${new Date(r.signingTime).toISOString()}`);
  if (r.basicFour !== undefined) lines.push(...basicFourLines(r.basicFour, ''));
  return `${lines.join('\n')}\n`;
}

function basicFourLines(
  b: NonNullable<CertificateInspection['basicFour']> | SignatureVerificationReport['basicFour'],
  indent: string,
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
    `${indent}basic four:`,
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
    .requiredOption('--signature <file>', 'CMS SignedData, DER or PEM')
    .option('--content <file>', 'the signed content of a detached signature (raw bytes)')
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
    .option('--profile <profile>', 'x509 | jpki-sign | jpki-auth', 'x509')
    .option(
      '--allow-sha1',
      'accept SHA-1 signatures (CMS, certificates, CRLs, OCSP responses); refused by default',
    )
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (o: VerifyOptions) => {
      if (!(VERIFICATION_PROFILES as readonly string[]).includes(o.profile)) {
        throw new UsageError(`--profile must be one of ${VERIFICATION_PROFILES.join(', ')}`);
      }
      const now = parseInstant(o.at);
      const signature = derOfInput(readInputFile(o.signature, '--signature')).der;
      const content = o.content !== undefined ? readInputFile(o.content, '--content') : undefined;
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
      });
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
      'show a certificate, CRL, OCSP response or CMS signature in readable form (the basic four decoded)',
    )
    .argument('<file>', 'DER or PEM')
    .option('--json', 'print one JSON object on stdout')
    .action((file: string, o: { json?: boolean }) => {
      const bytes = readInputFile(file, 'input');
      let inspection: Inspection;
      try {
        inspection = inspectDocument(bytes);
      } catch {
        throw new UsageError(`'${file}' is not a certificate, CRL, OCSP response or CMS SignedData`);
      }
      ctx.out.stdout(o.json === true ? `${JSON.stringify(inspection)}\n` : renderInspection(inspection));
      ctx.setExit(EXIT.valid);
    });
}
