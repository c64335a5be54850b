/**
 * JPKI at relying-party scale: CMS signature verifications per second, each from a different person.
 *
 * Workload: N persons, each with their own JPKI signature certificate (basic four in the SAN, distinct
 * serial and bytes) issued by one signature CA, each signing one document (CMS SignedData, attached,
 * RSA-2048 PKCS#1 v1.5 / SHA-256, signed attributes contentType + messageDigest + signingTime) and each
 * with its own OCSP response from a delegated responder. Every signature is verified exactly once, with
 * the full `verifyJpkiSignature` (profile jpki-sign: CMS, path to the cached CA anchor, validity, key usage,
 * policy, basic four, OCSP response) — beside the floor measured in the same run on the same inputs: a bare
 * loop doing only the unavoidable cryptography (import the signer's RSA key, verify the certificate
 * signature under the CA key, verify the signature over the signed attributes, verify the OCSP response
 * signature under the cached responder key, hash the content).
 *
 * Key generation is not the measured work: the persons' keys come from a pool of RSA-2048 keys, while every
 * certificate, signature and OCSP response is distinct. The certificate cache is emptied after the setup
 * (which read every signer certificate), so each signer certificate is read cold, as a new person's would be;
 * the setup checks that it is. The measured loop runs in the steady state of a long-running verifier: the
 * warm-up signatures are verified in several rounds (the cache emptied before each, so that they too are
 * verified cold) until V8 has compiled the verification path.
 *
 * Figures:
 *   jpki.cms_verify.per_s           full verifications per second
 *   jpki.cms_verify.floor_per_s     the floor loop, per second
 *   jpki.cms_verify.vs_floor        the ratio (target ≥ 0.5)
 *   jpki.ocsp_sign.per_s            OCSP responses signed per second (one certificate each, delegated responder)
 *   jpki.rsa_sign.per_s             raw RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second (the floor of the above)
 *   jpki.ocsp_sign.vs_rsa_sign      the ratio
 */
import { Buffer } from 'node:buffer';
import { createPublicKey, hash, type KeyObject, sign, verify } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  createJpkiCaCertificate,
  createSignatureCertificate,
  createUserId,
  encodeBasicFour,
  ocspRevocationSource,
  verifyJpkiSignature,
} from '@mynakit/jpki';
import {
  type Certificate,
  clearCertificateCache,
  createCertificate,
  createOcspResponse,
  DerTag,
  derChildren,
  generateKeyPair,
  parseCertificate,
  parseCms,
  parseOcspResponse,
  readBitString,
  readDer,
  signCms,
} from '@mynakit/pki';
import { type BenchFigure, opsPerSecond } from './figure.js';

const PERSONS = 1000;
const WARMUP = 400;
const WARMUP_ROUNDS = 5;
const KEY_POOL = 8;
const CHUNK = 200;

const NOW = new Date('2026-06-01T03:00:00Z');
const HOUR = 3_600_000;

interface Sample {
  readonly cms: Uint8Array;
  readonly ocsp: Uint8Array;
  // floor inputs, extracted with the lean DER reader (no certificate cache involved)
  /** The RSAPublicKey (PKCS#1) inside the signer's SubjectPublicKeyInfo. */
  readonly rsaPublicKey: Uint8Array;
  readonly certTbs: Uint8Array;
  readonly certSig: Uint8Array;
  readonly signedAttrs: Uint8Array;
  readonly cmsSig: Uint8Array;
  readonly ocspTbs: Uint8Array;
  readonly ocspSig: Uint8Array;
  readonly content: Uint8Array;
}

/** tbsCertificate, signatureValue and subjectPublicKeyInfo spans of a certificate, read with the DER reader. */
function certificateSpans(der: Uint8Array): { tbs: Uint8Array; sig: Uint8Array; rsaPublicKey: Uint8Array } {
  const top = derChildren(readDer(der));
  const tbs = top.expect(DerTag.SEQUENCE, 'tbs');
  top.next('algorithm');
  const sig = readBitString(top.expect(DerTag.BIT_STRING, 'signature')).bytes;
  const t = derChildren(tbs);
  t.optional(0xa0);
  t.next('serial');
  t.next('signature');
  t.next('issuer');
  t.next('validity');
  t.next('subject');
  const spki = derChildren(t.expect(DerTag.SEQUENCE, 'spki'));
  spki.next('algorithm');
  const rsaPublicKey = readBitString(spki.expect(DerTag.BIT_STRING, 'subjectPublicKey')).bytes;
  return { tbs: tbs.bytes, sig, rsaPublicKey };
}

function setup(): {
  ca: Certificate;
  responderKey: KeyObject;
  caKey: KeyObject;
  samples: Sample[];
  responder: { certificate: Certificate; privateKey: KeyObject };
} {
  const caPair = generateKeyPair('RSA-2048');
  const caDer = createJpkiCaCertificate({
    purpose: 'signature',
    publicKey: caPair.publicKey,
    privateKey: caPair.privateKey,
    notBefore: new Date('2023-01-01T00:00:00Z'),
    notAfter: new Date('2033-01-01T00:00:00Z'),
  });
  const ca = parseCertificate(caDer);
  const responderPair = generateKeyPair('RSA-2048');
  const responderCert = parseCertificate(
    createCertificate({
      subject: 'C=JP, O=JPKI, CN=JPKI OCSP Responder',
      issuer: { certificate: ca, privateKey: caPair.privateKey },
      publicKey: responderPair.publicKey,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: ['OCSPSigning'] },
        { type: 'ocspNoCheck' },
      ],
    }),
  );
  const keys = Array.from({ length: KEY_POOL }, () => generateKeyPair('RSA-2048'));
  const samples: Sample[] = [];
  let setupView: Certificate | undefined;
  for (let i = 0; i < PERSONS + WARMUP; i++) {
    const key = keys[i % KEY_POOL]!;
    const basicFour = encodeBasicFour({
      name: `番号\u3000花子${i}`,
      address: `東京都千代田区霞が関１－２－${i}`,
      birthDate: { year: 1950 + (i % 50), month: 1 + (i % 12), day: 1 + (i % 28) },
      sex: i % 2 === 0 ? 'female' : 'male',
    });
    const certDer = createSignatureCertificate({
      issuer: { certificate: ca, privateKey: caPair.privateKey },
      publicKey: key.publicKey,
      basicFour,
      subject: [
        ['C', 'JP'],
        ['CN', createUserId()],
      ],
      notBefore: new Date('2025-06-24T00:00:00Z'),
      notAfter: new Date('2030-06-24T14:59:59Z'),
      ocspUrls: ['http://127.0.0.1/ocsp'],
    });
    const content = new TextEncoder().encode(`申込書 ${i}: 口座開設に同意します。`);
    const signer = parseCertificate(certDer);
    if (i === PERSONS) setupView = signer;
    const cms = signCms({
      content,
      detached: false,
      signer: { certificate: signer, privateKey: key.privateKey },
      signingTime: new Date(NOW.getTime() - HOUR),
      signerIdentifier: 'issuerAndSerialNumber',
      digest: 'SHA-256',
    });
    const ocsp = createOcspResponse({
      responder: { certificate: responderCert, privateKey: responderPair.privateKey },
      responses: [
        {
          certificate: signer,
          issuerCertificate: ca,
          status: 'good',
          thisUpdate: new Date(NOW.getTime() - HOUR),
          nextUpdate: new Date(NOW.getTime() + HOUR),
        },
      ],
      producedAt: new Date(NOW.getTime() - HOUR),
    });
    const spans = certificateSpans(certDer);
    const si = parseCms(cms).signers[0]!;
    const signedAttrs = new Uint8Array(si.signedAttrsDer!);
    signedAttrs[0] = DerTag.SET;
    const basic = parseOcspResponse(ocsp).basic!;
    samples.push({
      cms,
      ocsp,
      rsaPublicKey: spans.rsaPublicKey,
      certTbs: spans.tbs,
      certSig: spans.sig,
      signedAttrs,
      cmsSig: si.signature,
      ocspTbs: basic.tbsDer,
      ocspSig: basic.signatureValue,
      content,
    });
  }
  // Every signer certificate must be read cold in the measured loop: the setup read each one (to sign and
  // to build its OCSP response), so the certificate cache is emptied, and a warm-up signer (set up exactly
  // as the measured ones) must then come back as a new view, not the one the setup made.
  clearCertificateCache();
  if (setupView === undefined || parseCertificate(setupView.der) === setupView)
    throw new Error('setup: the signer certificates are still in the certificate cache');
  return {
    ca,
    caKey: caPair.publicKey,
    responderKey: responderPair.publicKey,
    samples,
    responder: { certificate: responderCert, privateKey: responderPair.privateKey },
  };
}

/**
 * The floor, with the fastest calls node offers for each step: the key is imported from its PKCS#1 form
 * over the received bytes, without a copy (OpenSSL 3 decodes a SubjectPublicKeyInfo an order of magnitude
 * more slowly), and the content is hashed with the one-shot `hash`.
 */
function floor(s: Sample, caKey: KeyObject, responderKey: KeyObject): boolean {
  const pkcs1 = Buffer.from(s.rsaPublicKey.buffer, s.rsaPublicKey.byteOffset, s.rsaPublicKey.byteLength);
  const key = createPublicKey({ key: pkcs1, format: 'der', type: 'pkcs1' });
  const ok =
    verify('sha256', s.certTbs, caKey, s.certSig) &&
    verify('sha256', s.signedAttrs, key, s.cmsSig) &&
    verify('sha256', s.ocspTbs, responderKey, s.ocspSig);
  hash('sha256', s.content, 'buffer');
  return ok;
}

async function full(s: Sample, ca: Certificate): Promise<boolean> {
  const r = await verifyJpkiSignature({
    signature: s.cms,
    trustAnchors: [ca],
    revocation: [ocspRevocationSource(s.ocsp)],
    now: NOW,
    profile: 'jpki-sign',
  });
  return r.verdict === 'valid';
}

export async function runJpkiBench(): Promise<BenchFigure[]> {
  const { ca, caKey, responderKey, samples, responder } = setup();
  const warm = samples.slice(PERSONS);
  const measured = samples.slice(0, PERSONS);
  // Measure the steady state of a relying party that verifies signatures all day: V8 compiles the
  // verification path with its optimizing tier only after a thousand or two calls. The warm-up signatures
  // are verified in several rounds, the certificate cache emptied before each, so that every round runs the
  // same cold-certificate path as the measured loop (the measured signatures are never seen before).
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    clearCertificateCache();
    for (const s of warm) {
      if (!floor(s, caKey, responderKey)) throw new Error('floor: a signature did not verify');
      if (!(await full(s, ca))) throw new Error('full: a verification was not valid');
    }
  }

  // Alternate chunks so both loops see the same machine conditions; each signature is verified once per loop.
  let floorMs = 0;
  let fullMs = 0;
  for (let start = 0; start < measured.length; start += CHUNK) {
    const chunk = measured.slice(start, start + CHUNK);
    let t = performance.now();
    for (const s of chunk)
      if (!floor(s, caKey, responderKey)) throw new Error('floor: a signature did not verify');
    floorMs += performance.now() - t;
    t = performance.now();
    for (const s of chunk) if (!(await full(s, ca))) throw new Error('full: a verification was not valid');
    fullMs += performance.now() - t;
  }
  const fullPerS = (measured.length * 1000) / fullMs;
  const floorPerS = (measured.length * 1000) / floorMs;

  // OCSP signing (the responder side), beside raw RSA signing.
  const signers = measured.slice(0, 64).map((s) => parseCertificate(certificateFromCms(s.cms)));
  let n = 0;
  const ocspSign = () => {
    const c = signers[n++ % signers.length]!;
    return createOcspResponse({
      responder,
      responses: [
        {
          certificate: c,
          issuerCertificate: ca,
          status: 'good',
          thisUpdate: NOW,
          nextUpdate: new Date(NOW.getTime() + HOUR),
        },
      ],
      producedAt: NOW,
    });
  };
  const tbs = new Uint8Array(300).fill(7);
  const rsaSign = () => sign('sha256', tbs, responder.privateKey);
  // Three alternating rounds each; the median resists a neighbour's burst on a shared machine.
  const ocspRounds: number[] = [];
  const rsaRounds: number[] = [];
  for (let r = 0; r < 3; r++) {
    rsaRounds.push(await opsPerSecond(rsaSign, 400));
    ocspRounds.push(await opsPerSecond(ocspSign, 400));
  }
  const ocspPerS = median(ocspRounds);
  const rsaPerS = median(rsaRounds);

  const note = `${PERSONS} persons, RSA-2048, OCSP via delegated responder, profile jpki-sign`;
  return [
    { name: 'jpki.cms_verify.per_s', value: Math.round(fullPerS), unit: 'verif/s', note },
    { name: 'jpki.cms_verify.floor_per_s', value: Math.round(floorPerS), unit: 'verif/s', note },
    {
      name: 'jpki.cms_verify.vs_floor',
      value: round(fullPerS / floorPerS, 3),
      unit: 'ratio',
      ratio_to: 'jpki.cms_verify.floor_per_s',
    },
    { name: 'jpki.ocsp_sign.per_s', value: Math.round(ocspPerS), unit: 'resp/s' },
    {
      name: 'jpki.rsa_sign.per_s',
      value: Math.round(rsaPerS),
      unit: 'sign/s',
      note: 'RSA-2048 PKCS#1 v1.5 SHA-256',
    },
    {
      name: 'jpki.ocsp_sign.vs_rsa_sign',
      value: round(ocspPerS / rsaPerS, 3),
      unit: 'ratio',
      ratio_to: 'jpki.rsa_sign.per_s',
    },
  ];
}

function certificateFromCms(cms: Uint8Array): Uint8Array {
  const der = parseCms(cms).certificates[0];
  if (der === undefined) throw new Error('no certificate in the CMS');
  return der;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? 0;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t = performance.now();
  const figures = await runJpkiBench();
  console.log(JSON.stringify(figures, null, 2));
  console.error(`total ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
