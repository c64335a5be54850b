/**
 * `npm run samples [-- outDir]` (default `samples/`): sandbox inputs for the command-line examples of
 * README.md, so that they run as written —
 *
 *   npx mynakit mdoc verify --response resp.hex --transcript st.hex --trust iaca.pem --at 2026-01-01T00:00:00Z --json
 *   npx mynakit jpki verify --signature doc.p7s --content doc.pdf --trust jpki-ca.pem --ocsp resp.der --at 2026-01-01T00:00:00Z --profile jpki-sign --json
 *
 * Everything is made by the toolkit's own issuance code for one fictional resident (番号　花子, a
 * sandbox address), under sandbox names only: never a J-LIS name, never a real-looking My Number
 * (the record carries no `individual_number_unicode`). Keys are fresh on every run; the files, their
 * structure and every date are the same, chosen so that the instant 2026-01-01T00:00:00Z lies inside
 * every validity window.
 *
 * Card-substitute record (ISO/IEC 18013-5):
 *   iaca.pem             IACA root (Annex B.1.2)
 *   issuer-signed.hex    the IssuerSigned the issuer hands the wallet (`--issuer-signed-only`); its MSO
 *                        carries a Token Status List reference
 *   resp.hex             DeviceResponse: every element disclosed, deviceSignature (§9.1.3.6) over an
 *                        OpenID4VP DC API SessionTranscript (OpenID4VP 1.0 Appendix B.2.6.2)
 *   st.hex               that SessionTranscriptBytes (§9.1.5.1, tag 24)
 *   status-list.cwt      Status List Token (CWT) signed by the document signer: the record is valid
 * JPKI:
 *   jpki-ca.pem          sandbox signature CA (J-LIS structure, sandbox name)
 *   doc.pdf              a one-page PDF
 *   doc.p7s              detached CMS SignedData (DER) over doc.pdf by the resident's signature certificate
 *   crl.der              the CA's CRL, revoking nothing
 *   resp.der             OCSP response (delegated responder): the signature certificate is good
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fullDate } from '@mynakit/cbor';
import {
  composeName,
  createJpkiCaCertificate,
  createSignatureCertificate,
  encodeBasicFour,
} from '@mynakit/jpki';
import {
  buildJpMncRequest,
  buildOpenId4VpDcApiSessionTranscript,
  ISO_23220_NAMESPACE,
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  MdocEku,
  presentMdoc,
  validateJpMncElements,
} from '@mynakit/mdoc';
import {
  createCertificate,
  createCrl,
  createOcspResponse,
  derToPem,
  generateKeyPair,
  parseCertificate,
  signCms,
} from '@mynakit/pki';
import { StatusList, signStatusListCwt } from '@mynakit/status-list';

/** The verification instant of the README's examples. */
export const AT = '2026-01-01T00:00:00Z';
const at = (iso: string) => new Date(iso);

/** The fictional resident: the same person on the record and on the JPKI certificate. */
const RESIDENT = {
  surname: '番号',
  givenName: '花子',
  address: '東京都千代田区試験町１－２－３',
  birth: { year: 1990, month: 1, day: 2 },
} as const;

const SANDBOX_URI = 'https://issuer.sandbox.example/';
const STATUS_LIST_URI = `${SANDBOX_URI}status/1`;
const STATUS_INDEX = 3;

const hex = (b: Uint8Array) => `${Buffer.from(b).toString('hex')}\n`;

/** issuerAltName and cRLDistributionPoints, which Annex B.1.2 and B.1.4 require of both certificates. */
const issuerLinks = [
  { type: 'issuerAltName', names: [{ type: 'uniformResourceIdentifier', value: SANDBOX_URI }] },
  {
    type: 'crlDistributionPoints',
    points: [{ fullName: [{ type: 'uniformResourceIdentifier', value: `${SANDBOX_URI}iaca.crl` }] }],
  },
] as const;

async function mdocSamples(): Promise<Record<string, string | Uint8Array>> {
  // IACA (ISO/IEC 18013-5 Annex B.1.2): a self-signed root, basicConstraints cA pathLen 0, keyUsage
  // keyCertSign + cRLSign (both critical by default), SKI added by createCertificate.
  const iacaKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const iaca = parseCertificate(
    createCertificate({
      subject: 'C=JP, O=mynakit sandbox, CN=mynakit sandbox IACA',
      publicKey: iacaKey.publicKey,
      privateKey: iacaKey.privateKey,
      notBefore: at('2025-01-01T00:00:00Z'),
      notAfter: at('2034-12-31T23:59:59Z'),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
        ...issuerLinks,
      ],
    }),
  );
  // Document signer (Annex B.1.4): at most 457 days, keyUsage digitalSignature, EKU id-mdl-kp-mdlDS
  // critical; AKI = the IACA's SKI.
  const dsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ds = parseCertificate(
    createCertificate({
      subject: 'C=JP, O=mynakit sandbox, CN=mynakit sandbox document signer',
      issuer: { certificate: iaca, privateKey: iacaKey.privateKey },
      publicKey: dsKey.publicKey,
      notBefore: at('2025-07-01T00:00:00Z'),
      notAfter: at('2026-07-01T00:00:00Z'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: [MdocEku.documentSigner], critical: true },
        ...issuerLinks,
      ],
    }),
  );

  const { year, month, day } = RESIDENT.birth;
  const nameSpaces = {
    [JP_MNC_NAMESPACE]: {
      full_name_unicode: composeName(RESIDENT.surname, RESIDENT.givenName),
      resident_address_unicode: RESIDENT.address,
      local_gov_code_unicode: '13101',
      sex_unicode: '女',
      birth_date_unicode: `${year}年${month}月${day}日`,
    },
    [ISO_23220_NAMESPACE]: {
      birth_date: fullDate(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`),
      sex: 2,
      age_in_years: 35,
      age_over_18: true,
    },
  };
  const problems = validateJpMncElements(nameSpaces);
  if (problems.length > 0) throw new Error(`not a jp.mnc record: ${JSON.stringify(problems)}`);

  const deviceKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await issueMdoc({
    docType: JP_MNC_DOCTYPE,
    nameSpaces,
    deviceKey: deviceKey.publicKey,
    validityInfo: {
      signed: at('2025-12-01T00:00:00Z'),
      validFrom: at('2025-12-01T00:00:00Z'),
      validUntil: at('2026-06-01T00:00:00Z'),
    },
    status: { idx: STATUS_INDEX, uri: STATUS_LIST_URI },
    issuerKey: dsKey.privateKey,
    issuerCertificateChain: [ds.der],
  });

  // A verifier page at https://verifier.example asks through the Digital Credentials API (`dc_api`,
  // unencrypted: no JWK thumbprint) for every element of the record.
  const nonce = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
  const transcript = buildOpenId4VpDcApiSessionTranscript({
    origin: 'https://verifier.example',
    nonce,
    jwkThumbprint: null,
  });
  const request = buildJpMncRequest({
    elements: Object.fromEntries(Object.entries(nameSpaces).map(([ns, els]) => [ns, Object.keys(els)])),
  });
  const response = await presentMdoc({
    documents: [issued.bytes],
    request,
    sessionTranscriptBytes: transcript.sessionTranscriptBytes,
    deviceKey: deviceKey.privateKey,
    mode: 'signature',
  });

  // Token Status List (draft-ietf-oauth-status-list): one bit per record, all valid; signed by the
  // document signer itself, which may speak for the records it signed.
  const statusList = await signStatusListCwt({
    list: StatusList.fromStatuses(new Array<number>(16).fill(0), 1),
    sub: STATUS_LIST_URI,
    iat: at('2025-12-31T00:00:00Z'),
    exp: at('2026-01-31T00:00:00Z'),
    key: dsKey.privateKey,
    x5chain: [ds.der],
  });

  return {
    'iaca.pem': derToPem(iaca.der),
    'issuer-signed.hex': hex(issued.bytes),
    'resp.hex': hex(response),
    'st.hex': hex(transcript.sessionTranscriptBytes),
    'status-list.cwt': statusList,
  };
}

/** A one-page PDF (PDF 1.4) whose cross-reference table points at its objects' real offsets. */
function samplePdf(): Uint8Array {
  const text = 'BT /F1 18 Tf 72 760 Td (mynakit sandbox: sample document to sign) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf); // ASCII only: string offsets are byte offsets
}

function jpkiSamples(): Record<string, string | Uint8Array> {
  // The sandbox signature CA: the J-LIS structure under the sandbox name (createJpkiCaCertificate's default).
  const caKey = generateKeyPair('RSA-2048');
  const ca = parseCertificate(
    createJpkiCaCertificate({
      purpose: 'signature',
      publicKey: caKey.publicKey,
      privateKey: caKey.privateKey,
      notBefore: at('2025-01-01T00:00:00Z'),
      notAfter: at('2035-01-01T00:00:00Z'),
    }),
  );
  // The resident's signature certificate: the basic four in the subjectAltName; valid until the fifth
  // birthday after issuance, 23:59:59 JST.
  const signerKey = generateKeyPair('RSA-2048');
  const signer = parseCertificate(
    createSignatureCertificate({
      issuer: { certificate: ca, privateKey: caKey.privateKey },
      publicKey: signerKey.publicKey,
      basicFour: encodeBasicFour({
        name: composeName(RESIDENT.surname, RESIDENT.givenName),
        address: RESIDENT.address,
        birthDate: RESIDENT.birth,
        sex: 'female',
      }),
      notBefore: at('2025-06-01T00:00:00Z'),
      notAfter: at('2030-01-02T14:59:59Z'),
      ocspUrls: ['http://ocsp.jpki.sandbox.example/'],
    }),
  );
  // A delegated OCSP responder (RFC 6960 §4.2.2.2): OCSPSigning, and id-pkix-ocsp-nocheck so that its own
  // status needs no check.
  const responderKey = generateKeyPair('RSA-2048');
  const responder = parseCertificate(
    createCertificate({
      subject: 'C=JP, O=mynakit sandbox, CN=mynakit sandbox JPKI OCSP responder',
      issuer: { certificate: ca, privateKey: caKey.privateKey },
      publicKey: responderKey.publicKey,
      notBefore: at('2025-12-01T00:00:00Z'),
      notAfter: at('2026-12-01T00:00:00Z'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: ['OCSPSigning'] },
        { type: 'ocspNoCheck' },
      ],
    }),
  );

  const pdf = samplePdf();
  const p7s = signCms({
    content: pdf,
    detached: true,
    signer: { certificate: signer, privateKey: signerKey.privateKey },
    signingTime: at('2025-12-31T09:00:00Z'),
  });
  const crl = createCrl({
    issuer: { certificate: ca, privateKey: caKey.privateKey },
    thisUpdate: at('2025-12-31T00:00:00Z'),
    nextUpdate: at('2026-01-02T00:00:00Z'),
    crlNumber: 1,
    entries: [],
  });
  const ocsp = createOcspResponse({
    responder: { certificate: responder, privateKey: responderKey.privateKey },
    responses: [
      {
        certificate: signer,
        issuerCertificate: ca,
        status: 'good',
        thisUpdate: at('2025-12-31T12:00:00Z'),
        nextUpdate: at('2026-01-01T12:00:00Z'),
      },
    ],
    producedAt: at('2025-12-31T12:00:00Z'),
  });

  return {
    'jpki-ca.pem': derToPem(ca.der),
    'doc.pdf': pdf,
    'doc.p7s': p7s,
    'crl.der': crl,
    'resp.der': ocsp,
  };
}

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'samples');
  const files = { ...(await mdocSamples()), ...jpkiSamples() };
  mkdirSync(outDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(resolve(outDir, name), content);
  process.stdout.write(
    `sandbox samples for ${AT} written to ${outDir}: ${Object.keys(files).sort().join(', ')}\n`,
  );
}

await main();
