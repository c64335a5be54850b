/**
 * Who may sign an MSO: the document signer's key usage (RFC 5280 §4.2.1.3; ISO/IEC 18013-5 Annex B
 * Table B.3) and its extended key usage, which depends on the docType's rulebook (ISO/IEC 18013-5
 * Annex B for the mDL, ISO/IEC 23220-4 for 23220 docTypes, the EUDI PID rulebook for the EU PID).
 */
import { join } from 'node:path';
import { createCertificate, type KeyUsage } from '@mynakit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  documentSignerEkuTable,
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  STATUS_LIST_SIGNING_EKU,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, portrait, TRANSCRIPT } from './fixtures.js';
import { hexFile, realWorldCases } from './vectors.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const VALIDITY = {
  signed: new Date('2025-05-01T00:00:00Z'),
  validFrom: new Date('2025-05-01T00:00:00Z'),
  validUntil: new Date('2026-01-01T00:00:00Z'),
};
const MDL = 'org.iso.18013.5.1.mDL';
const EU_PID = 'eu.europa.ec.eudi.pid.1';
const ISO_DS = '1.0.18013.5.1.2';
const ISO_23220_DS = '1.0.23220.4.1.2';
const EU_DS = '1.3.130.2.0.0.1.2';
const READER_AUTH = '1.0.18013.5.1.6';
const IACA_EKU = '1.0.18013.5.1.7';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

let chain: IssuerChain;
const device = p256();

interface DsSpec {
  readonly keyUsage?: readonly KeyUsage[];
  readonly eku?: readonly string[];
  readonly ca?: boolean;
}

/** A DS issued by the fixture IACA, otherwise following Annex B (CRL DP, issuerAltName from the fixture). */
function documentSigner(spec: DsSpec) {
  const pair = p256();
  const der = createCertificate({
    subject: 'C=JP, O=mynakit test, CN=DS under test',
    issuer: { certificate: chain.iaca, privateKey: chain.iacaKey },
    publicKey: pair.publicKey,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-03-01T00:00:00Z'),
    extensions: [
      ...(spec.ca ? [{ type: 'basicConstraints' as const, ca: true }] : []),
      ...(spec.keyUsage ? [{ type: 'keyUsage' as const, usages: spec.keyUsage }] : []),
      ...(spec.eku ? [{ type: 'extKeyUsage' as const, usages: spec.eku, critical: true }] : []),
      ...chain.ds.extensions
        .filter((e) => e.oid === '2.5.29.31' || e.oid === '2.5.29.18')
        .map((e) => ({ type: 'raw' as const, oid: e.oid, critical: e.critical, valueDer: e.value })),
    ],
  });
  return { der, key: pair.privateKey };
}

async function response(
  signer: { der: Uint8Array; key: unknown },
  docType = JP_MNC_DOCTYPE,
): Promise<Uint8Array> {
  const issued = await issueMdoc({
    docType,
    nameSpaces:
      docType === JP_MNC_DOCTYPE
        ? jpMncElements(portrait(64))
        : { 'org.iso.18013.5.1': { family_name: 'Doe' } },
    deviceKey: device.publicKey,
    validityInfo: VALIDITY,
    issuerKey: signer.key as never,
    issuerCertificateChain: [signer.der],
  });
  return presentMdoc({
    documents: [issued.bytes],
    request: {
      docType,
      elements:
        docType === JP_MNC_DOCTYPE
          ? { [JP_MNC_NAMESPACE]: ['full_name_unicode'] }
          : { 'org.iso.18013.5.1': ['family_name'] },
    },
    sessionTranscriptBytes: TRANSCRIPT,
    deviceKey: device.privateKey,
    mode: 'signature',
  });
}

const opts = (extra: Partial<VerifyDeviceResponseOptions> = {}): VerifyDeviceResponseOptions => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: NOW,
  cache: false,
  ...extra,
});
const check = (r: { checks: readonly { id: string; status: string; detail: string }[] }, id: string) =>
  r.checks.find((c) => c.id === id);

beforeAll(() => {
  chain = makeIssuerChain();
});

describe('keyUsage: a document signer must be allowed digitalSignature (RFC 5280 §4.2.1.3, Annex B Table B.3)', () => {
  it('the IACA itself (keyCertSign + cRLSign) signing an MSO fails issuer.certificate_path, whatever the policy', async () => {
    const bytes = await response({ der: chain.iaca.der, key: chain.iacaKey });
    for (const policy of ['lenient', 'strict'] as const) {
      const r = await verifyDeviceResponse(bytes, opts({ policy }));
      expect(check(r, 'issuer.certificate_path')?.status).toBe('failed');
      expect(check(r, 'issuer.certificate_path')?.detail).toMatch(/digitalSignature/);
      expect(check(r, 'issuer.signature')?.status).toBe('passed'); // the signature is not the problem
      expect(r.verdict).toBe('invalid');
    }
  });

  it('a DS whose critical keyUsage is keyCertSign only fails issuer.certificate_path', async () => {
    // cA=TRUE, so that RFC 5280 path validation itself has nothing against it: the DS rule decides.
    const r = await verifyDeviceResponse(
      await response(documentSigner({ ca: true, keyUsage: ['keyCertSign'], eku: [ISO_DS] })),
      opts(),
    );
    expect(check(r, 'issuer.certificate_path')?.status).toBe('failed');
    expect(check(r, 'issuer.certificate_path')?.detail).toMatch(/keyUsage \(keyCertSign\).*digitalSignature/);
    // Without cA the path fails already (RFC 5280 §4.2.1.3: keyCertSign only with cA).
    const notCa = await verifyDeviceResponse(
      await response(documentSigner({ keyUsage: ['keyCertSign'], eku: [ISO_DS] })),
      opts(),
    );
    expect(check(notCa, 'issuer.certificate_path')?.status).toBe('failed');
  });

  it('a DS that is cA=TRUE but may sign (digitalSignature) stays a warning (real DS certificates are)', async () => {
    const r = await verifyDeviceResponse(
      await response(documentSigner({ ca: true, keyUsage: ['digitalSignature'], eku: [ISO_DS] })),
      opts(),
    );
    expect(check(r, 'issuer.certificate_path')?.status).toBe('passed');
    expect(check(r, 'issuer.certificate_profile')?.status).toBe('warning');
    expect(r.verdict).toBe('valid');
  });

  it('a DS without keyUsage: unrestricted, a profile warning', async () => {
    const r = await verifyDeviceResponse(await response(documentSigner({ eku: [ISO_DS] })), opts());
    expect(check(r, 'issuer.certificate_path')?.status).toBe('passed');
    expect(check(r, 'issuer.certificate_profile')?.status).toBe('warning');
    expect(r.verdict).toBe('valid');
  });
});

describe('extendedKeyUsage, chosen per docType', () => {
  it('the default table', () => {
    expect([...(DEFAULT_DOCUMENT_SIGNER_EKUS.byDocType.get(MDL) ?? [])]).toEqual([ISO_DS]);
    expect(DEFAULT_DOCUMENT_SIGNER_EKUS.byDocType.get(JP_MNC_DOCTYPE)?.has(ISO_23220_DS)).toBe(true);
    expect(DEFAULT_DOCUMENT_SIGNER_EKUS.byDocType.get(EU_PID)?.has(EU_DS)).toBe(true);
    expect([...DEFAULT_DOCUMENT_SIGNER_EKUS.otherDocTypes].sort()).toEqual([ISO_DS, ISO_23220_DS].sort());
  });

  it('jp.mnc: a DS carrying only the ISO/IEC 23220-4 DS EKU is accepted, even under strict', async () => {
    const bytes = await response(documentSigner({ keyUsage: ['digitalSignature'], eku: [ISO_23220_DS] }));
    for (const policy of ['lenient', 'strict'] as const) {
      const r = await verifyDeviceResponse(bytes, opts({ policy }));
      expect(check(r, 'issuer.certificate_path')?.status).toBe('passed');
      expect(check(r, 'issuer.certificate_path')?.detail).toContain(ISO_23220_DS);
      expect(check(r, 'issuer.certificate_profile')?.status).toBe('passed');
      expect(r.verdict).toBe('valid');
    }
  });

  it('mDL: the 23220-4 DS EKU is outside its table — a profile deviation (warning; strict: failed)', async () => {
    const bytes = await response(
      documentSigner({ keyUsage: ['digitalSignature'], eku: [ISO_23220_DS] }),
      MDL,
    );
    const lenient = await verifyDeviceResponse(bytes, opts());
    expect(check(lenient, 'issuer.certificate_path')?.status).toBe('passed');
    expect(check(lenient, 'issuer.certificate_path')?.detail).toContain(ISO_DS); // what the docType needs
    expect(check(lenient, 'issuer.certificate_profile')?.status).toBe('warning');
    expect(lenient.verdict).toBe('valid');
    const strict = await verifyDeviceResponse(bytes, opts({ policy: 'strict' }));
    expect(check(strict, 'issuer.certificate_profile')?.status).toBe('failed');
    expect(strict.verdict).toBe('invalid');
  });

  it.each([
    ['reader authentication', READER_AUTH],
    ['IACA', IACA_EKU],
    ['status list signing', STATUS_LIST_SIGNING_EKU],
  ])(
    'a DS whose EKU names another mdoc role (%s) fails issuer.certificate_path (PATH_EKU)',
    async (_, eku) => {
      const r = await verifyDeviceResponse(
        await response(documentSigner({ keyUsage: ['digitalSignature'], eku: [eku] })),
        opts(),
      );
      expect(check(r, 'issuer.certificate_path')?.status).toBe('failed');
      expect(check(r, 'issuer.certificate_path')?.detail).toMatch(/PATH_EKU/);
      expect(r.verdict).toBe('invalid');
    },
  );

  it('an EKU outside every table (serverAuth): warning by default, failure under strict', async () => {
    const bytes = await response(documentSigner({ keyUsage: ['digitalSignature'], eku: [SERVER_AUTH] }));
    const lenient = await verifyDeviceResponse(bytes, opts());
    expect(check(lenient, 'issuer.certificate_path')?.status).toBe('passed');
    expect(check(lenient, 'issuer.certificate_profile')?.status).toBe('warning');
    expect(lenient.verdict).toBe('valid');
    expect((await verifyDeviceResponse(bytes, opts({ policy: 'strict' }))).verdict).toBe('invalid');
  });

  it('no EKU at all keeps its behaviour: a noted warning by default, PATH_EKU under strict', async () => {
    const bytes = await response(documentSigner({ keyUsage: ['digitalSignature'] }));
    const lenient = await verifyDeviceResponse(bytes, opts());
    expect(check(lenient, 'issuer.certificate_path')?.status).toBe('passed');
    expect(check(lenient, 'issuer.certificate_path')?.detail).toMatch(/no extendedKeyUsage/);
    expect(lenient.verdict).toBe('valid');
    const strict = await verifyDeviceResponse(bytes, opts({ policy: 'strict' }));
    expect(check(strict, 'issuer.certificate_path')?.status).toBe('failed');
    expect(check(strict, 'issuer.certificate_path')?.detail).toMatch(/PATH_EKU/);
  });

  it('a table of the caller decides (here: a private DS EKU for jp.mnc)', async () => {
    const bytes = await response(
      documentSigner({ keyUsage: ['digitalSignature'], eku: ['1.3.6.1.4.1.32473.9.9'] }),
    );
    const table = documentSignerEkuTable({ [JP_MNC_DOCTYPE]: ['1.3.6.1.4.1.32473.9.9'] });
    const r = await verifyDeviceResponse(bytes, opts({ policy: 'strict', documentSignerEkus: table }));
    expect(check(r, 'issuer.certificate_path')?.status).toBe('passed');
    expect(check(r, 'issuer.certificate_profile')?.status).toBe('passed');
    // The same DS under the default table: outside it.
    expect((await verifyDeviceResponse(bytes, opts({ policy: 'strict' }))).verdict).toBe('invalid');
  });

  it("the DS path cache does not carry one docType's EKU verdict to another", async () => {
    const signer = documentSigner({ keyUsage: ['digitalSignature'], eku: [ISO_23220_DS] });
    const { VerificationCache } = await import('../src/index.js');
    const cache = new VerificationCache();
    const jp = await verifyDeviceResponse(await response(signer), opts({ cache, policy: 'strict' }));
    expect(jp.verdict).toBe('valid');
    const mdl = await verifyDeviceResponse(await response(signer, MDL), opts({ cache, policy: 'strict' }));
    expect(mdl.verdict).toBe('invalid');
    expect(cache.size).toBe(1);
  });
});

describe('real documents', () => {
  const byId = (id: string) => realWorldCases().find((c) => c.id === id);

  it('EU reference wallet mDL (DS EKU 1.3.130.2.0.0.1.2): valid under the default policy, the EKU noted', async () => {
    const c = byId('eudi-reference-wallet-mdl-oid4vp1');
    expect(c).toBeDefined();
    if (!c) return;
    const r = await verifyDeviceResponse(hexFile(join(c.dir, 'device_response.hex')), {
      sessionTranscriptBytes: hexFile(join(c.dir, 'session_transcript_bytes.hex')),
      trustAnchors: c.anchors,
      now: c.now,
      cache: false,
    });
    expect(r.verdict).toBe('valid');
    expect(check(r, 'issuer.certificate_path')?.status).toBe('passed');
    expect(check(r, 'issuer.certificate_path')?.detail).toContain(EU_DS);
    expect(check(r, 'issuer.certificate_profile')?.status).toBe('warning');
  });
});
