/**
 * issueMdoc with `issuerSigner` (a document signer whose key is held elsewhere, e.g. a KMS): the
 * signer is handed the COSE Sig_structure of issuerAuth (RFC 9052 §4.4) and returns r ‖ s (RFC 9053
 * §2.1). Here it wraps node:crypto; what it issues must verify like any other record.
 */
import { sign as nodeSign } from 'node:crypto';
import { sigStructure1 } from '@mynakit/cose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type IssueMdocOptions,
  type IssuerSigner,
  issueMdoc,
  JP_MNC_DOCTYPE,
  MdocError,
  presentMdoc,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, TRANSCRIPT } from './fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const device = p256();
let chain: IssuerChain;

beforeAll(() => {
  chain = makeIssuerChain();
});

/** A signer over node:crypto, as a KMS client would be, recording what it was asked to sign. */
function kmsSigner(dsaEncoding: 'ieee-p1363' | 'der' = 'ieee-p1363') {
  const asked: Uint8Array[] = [];
  const signer: IssuerSigner = {
    algorithm: 'ES256',
    sign: async (toBeSigned) => {
      asked.push(toBeSigned);
      return new Uint8Array(nodeSign('sha256', toBeSigned, { key: chain.dsKey, dsaEncoding }));
    },
  };
  return { signer, asked };
}

const base = (): Omit<IssueMdocOptions, 'issuerKey' | 'issuerSigner'> => ({
  docType: JP_MNC_DOCTYPE,
  nameSpaces: jpMncElements(new Uint8Array(64)),
  deviceKey: device.publicKey,
  validityInfo: { signed: NOW, validFrom: NOW, validUntil: new Date('2026-01-01T00:00:00Z') },
  issuerCertificateChain: [chain.ds.der],
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    expect(e).toBeInstanceOf(MdocError);
    return (e as MdocError).code;
  }
}

describe('issueMdoc with an issuerSigner', () => {
  it('signs the Sig_structure of issuerAuth, and the record verifies in a DeviceResponse', async () => {
    const { signer, asked } = kmsSigner();
    const issued = await issueMdoc({ ...base(), issuerSigner: signer });
    expect(asked).toHaveLength(1);
    // ES256 in the protected header ({1: -7} = a10126), empty external_aad, MobileSecurityObjectBytes.
    expect(asked[0]).toEqual(
      sigStructure1(Uint8Array.of(0xa1, 0x01, 0x26), new Uint8Array(0), issued.msoBytes),
    );
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { 'org.iso.23220.1.jp': ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const r = await verifyDeviceResponse(response, {
      sessionTranscriptBytes: TRANSCRIPT,
      trustAnchors: [chain.iaca],
      now: NOW,
      cache: false,
    });
    expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
    expect(r.checks.find((c) => c.id === 'issuer.signature')?.detail).toMatch(/^ES256 /);
  });

  it('the algorithm may be given by its COSE identifier', async () => {
    const { signer } = kmsSigner();
    const issued = await issueMdoc({
      ...base(),
      issuerSigner: { ...signer, algorithm: -7 },
      algorithm: 'ES256',
    });
    expect(issued.bytes.length).toBeGreaterThan(0);
  });

  it('a DER signature (not r ‖ s) is MDOC_KEY; so is a signer that fails', async () => {
    expect(await codeOf(issueMdoc({ ...base(), issuerSigner: kmsSigner('der').signer }))).toBe('MDOC_KEY');
    const failing: IssuerSigner = {
      algorithm: 'ES256',
      sign: () => Promise.reject(new Error('KMS unavailable')),
    };
    expect(await codeOf(issueMdoc({ ...base(), issuerSigner: failing }))).toBe('MDOC_KEY');
  });

  it('exactly one of issuerKey and issuerSigner; the algorithm must be an mdoc one and agree', async () => {
    const { signer } = kmsSigner();
    expect(await codeOf(issueMdoc({ ...base(), issuerSigner: signer, issuerKey: chain.dsKey }))).toBe(
      'MDOC_INVALID_ARGUMENT',
    );
    expect(await codeOf(issueMdoc(base() as IssueMdocOptions))).toBe('MDOC_INVALID_ARGUMENT');
    expect(await codeOf(issueMdoc({ ...base(), issuerSigner: { ...signer, algorithm: 'PS256' } }))).toBe(
      'MDOC_UNSUPPORTED',
    );
    expect(await codeOf(issueMdoc({ ...base(), issuerSigner: { ...signer, algorithm: 'toString' } }))).toBe(
      'MDOC_UNSUPPORTED',
    );
    expect(await codeOf(issueMdoc({ ...base(), issuerSigner: signer, algorithm: 'ES384' }))).toBe(
      'MDOC_INVALID_ARGUMENT',
    );
  });
});
