/**
 * Issuance → presentation → verification of a card-substitute record, with @owf/mdoc 0.6.0 as the
 * independent oracle for what our issuer and wallet write (plus our own assertion for the docType
 * mismatch, which @owf/mdoc does not catch).
 */
import { createHash, createHmac, sign as nodeSign } from 'node:crypto';
import {
  bytesToHex,
  type CborMap,
  type CborValue,
  decode,
  EncodedCbor,
  encode,
  fullDate,
  hexToBytes,
  RawCbor,
  type Tagged,
} from '@mynakit/cbor';
import { checkReferencedStatus, StatusList, signStatusListCwt } from '@mynakit/status-list';
import { CoseKey, DeviceAuthentication, DeviceResponse, Holder, SessionTranscript } from '@owf/mdoc';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeviceResponseMap,
  buildJpMncRequest,
  decodeIssuerSignedBytes,
  ISO_23220_NAMESPACE,
  type IssuedMdoc,
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  MdocError,
  presentMdoc,
  validateJpMncElements,
  verifyDeviceResponse,
  verifyIssuerSigned,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256 } from './fixtures.js';
import { owfContext } from './owf-context.js';

// OpenID4VP 1.0 Appendix B.2.6.1: a bare SessionTranscript (no tag 24).
const TRANSCRIPT = hexToBytes(
  '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
);
const NOW = new Date('2025-06-01T00:00:00Z');
const VALIDITY = {
  signed: new Date('2025-05-01T00:00:00.789Z'),
  validFrom: new Date('2025-05-01T00:00:00Z'),
  validUntil: new Date('2026-01-01T00:00:00Z'),
};

let chain: IssuerChain;
const device = p256();
const elements = jpMncElements();
let issued: IssuedMdoc;

beforeAll(async () => {
  chain = makeIssuerChain();
  issued = await issueMdoc({
    docType: JP_MNC_DOCTYPE,
    nameSpaces: elements,
    deviceKey: device.publicKey,
    validityInfo: VALIDITY,
    issuerKey: chain.dsKey,
    issuerCertificateChain: [chain.ds.der],
  });
});

const verifyOptions = () => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: NOW,
  cache: false as const,
});
const ALL_ELEMENTS = () =>
  Object.fromEntries(Object.entries(elements).map(([ns, items]) => [ns, Object.keys(items)])) as Record<
    string,
    string[]
  >;

describe('issueMdoc', () => {
  it('writes an IssuerSigned that @owf/mdoc decodes and verifies', async () => {
    await expect(
      Holder.verifyIssuerSigned(
        { issuerSigned: issued.bytes, trustedCertificates: [chain.iaca.der], now: NOW },
        owfContext,
      ),
    ).resolves.toBeUndefined();
    const { IssuerSigned } = await import('@owf/mdoc');
    const owf = IssuerSigned.decode(issued.bytes);
    expect(owf.getPrettyClaims(JP_MNC_NAMESPACE)).toMatchObject({
      full_name_unicode: '番号　花子',
      local_gov_code_unicode: '13101',
    });
    expect(owf.issuerAuth.mobileSecurityObject.docType).toBe(JP_MNC_DOCTYPE);
  });

  it('and our own verifier accepts it', async () => {
    const r = await verifyIssuerSigned(issued.bytes, { trustAnchors: [chain.iaca], now: NOW, cache: false });
    expect(r.verdict).toBe('valid');
    expect(r.checks.find((c) => c.id === 'issuer.certificate_profile')?.status).toBe('passed');
    expect(r.documents[0]?.elements[ISO_23220_NAMESPACE]?.birth_date).toEqual(fullDate('1971-09-01'));
  });

  it('is deterministic CBOR apart from the injected randomness', async () => {
    let n = 0;
    const random = (len: number) => Uint8Array.from({ length: len }, () => (n++ * 37) & 0xff);
    const once = async () => {
      n = 0;
      return (
        await issueMdoc({
          docType: JP_MNC_DOCTYPE,
          nameSpaces: elements,
          deviceKey: device.publicKey,
          validityInfo: VALIDITY,
          issuerKey: chain.dsKey,
          issuerCertificateChain: [chain.ds.der],
          random,
        })
      ).msoBytes;
    };
    const a = await once();
    const b = await once();
    expect(bytesToHex(a)).toBe(bytesToHex(b));
    // Canonical: decoding and re-encoding the MSO gives the same bytes.
    const inner = (decode(a) as EncodedCbor).bytes;
    expect(bytesToHex(encode(decode(inner)))).toBe(bytesToHex(inner));
    // And every IssuerSignedItem likewise.
    for (const items of decodeIssuerSignedBytes(issued.bytes).nameSpaces.values()) {
      for (const item of items)
        expect(bytesToHex(encode(decode(item.bytes.bytes)))).toBe(bytesToHex(item.bytes.bytes));
    }
  });

  it('salts are ≥ 16 bytes and distinct; digest IDs are unique per namespace and not in element order', () => {
    const held = decodeIssuerSignedBytes(issued.bytes);
    const salts = new Set<string>();
    const allIds: number[] = [];
    for (const [ns, items] of held.nameSpaces) {
      const ids = items.map((i) => i.digestID);
      allIds.push(...ids.map(Number)); // issued IDs are below 2^31
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).not.toEqual(ids.map((_, i) => i)); // not 0, 1, 2… in element order
      for (const item of items) {
        expect(item.random.length).toBeGreaterThanOrEqual(16);
        salts.add(bytesToHex(item.random));
      }
      expect(Object.keys(issued.digestIds[ns] ?? {})).toEqual(items.map((i) => i.elementIdentifier));
    }
    expect(salts.size).toBe(11);
    // A single 4-element namespace comes out in element order one time in 24 by chance; over both namespaces
    // (4 and 7 elements) all in order happens about once in 240,000 issuances, so the order is judged there.
    expect(allIds).not.toEqual([...allIds].sort((x, y) => x - y));
  });

  it('refuses salts shorter than 16 bytes', async () => {
    await expect(
      issueMdoc({
        docType: JP_MNC_DOCTYPE,
        nameSpaces: elements,
        deviceKey: device.publicKey,
        validityInfo: VALIDITY,
        issuerKey: chain.dsKey,
        issuerCertificateChain: [chain.ds.der],
        saltLength: 15,
      }),
    ).rejects.toMatchObject({ code: 'MDOC_INVALID_ARGUMENT' });
  });

  it('writes tdate without fractional seconds, and the docType into the MSO', () => {
    const mso = (decode(issued.msoBytes) as EncodedCbor).decode() as CborMap;
    expect(mso.get('docType')).toBe(JP_MNC_DOCTYPE);
    const vi = mso.get('validityInfo') as CborMap;
    for (const k of ['signed', 'validFrom', 'validUntil']) {
      const t = vi.get(k) as Tagged;
      expect(t.tag).toBe(0);
      expect(t.value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect((vi.get('signed') as Tagged).value).toBe('2025-05-01T00:00:00Z');
    expect(bytesToHex(issued.msoDigest)).toBe(createHash('sha256').update(issued.msoBytes).digest('hex'));
  });

  it('writes keyAuthorizations, keyInfo and the status list reference', async () => {
    const r = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: elements,
      deviceKey: device.publicKey,
      keyAuthorizations: {
        nameSpaces: ['org.example.device'],
        dataElements: { [JP_MNC_NAMESPACE]: ['sex_unicode'] },
      },
      keyInfo: new Map<CborValue, CborValue>([[-65537, 'wallet-a']]),
      validityInfo: { ...VALIDITY, expectedUpdate: new Date('2025-09-01T00:00:00Z') },
      status: { idx: 42, uri: 'https://issuer.example/status/1' },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der, chain.iaca.der],
    });
    const mso = (decode(r.msoBytes) as EncodedCbor).decode() as CborMap;
    const dki = mso.get('deviceKeyInfo') as CborMap;
    expect(((dki.get('keyAuthorizations') as CborMap).get('nameSpaces') as string[])[0]).toBe(
      'org.example.device',
    );
    expect((dki.get('keyInfo') as CborMap).get(-65537)).toBe('wallet-a');
    expect(((mso.get('status') as CborMap).get('status_list') as CborMap).get('idx')).toBe(42);
    expect((mso.get('validityInfo') as CborMap).has('expectedUpdate')).toBe(true);
    await expect(
      Holder.verifyIssuerSigned(
        { issuerSigned: r.bytes, trustedCertificates: [chain.iaca.der], now: NOW },
        owfContext,
      ),
    ).resolves.toBeUndefined();
  });
});

describe('presentMdoc → verifyDeviceResponse', () => {
  it('signs DeviceAuthentication through a deviceSigner (a key in a secure element) and verifies', async () => {
    const request = buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } });
    let calls = 0;
    const deviceSigner = {
      algorithm: 'ES256',
      async sign(toBeSigned: Uint8Array) {
        calls++;
        return new Uint8Array(
          nodeSign('sha256', toBeSigned, { key: device.privateKey, dsaEncoding: 'ieee-p1363' }),
        );
      },
    };
    const response = await presentMdoc({
      documents: [issued.bytes],
      request,
      sessionTranscriptBytes: TRANSCRIPT,
      deviceSigner,
      mode: 'signature',
    });
    expect(calls).toBe(1);
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.verdict).toBe('valid');
    expect(r.documents[0]?.checks.find((c) => c.id === 'device.signature')?.status).toBe('passed');
    // A signer answering with another key's signature gives a response that fails device.signature.
    const other = p256();
    const wrong = await presentMdoc({
      documents: [issued.bytes],
      request,
      sessionTranscriptBytes: TRANSCRIPT,
      deviceSigner: {
        algorithm: 'ES256',
        sign: async (tbs: Uint8Array) =>
          new Uint8Array(nodeSign('sha256', tbs, { key: other.privateKey, dsaEncoding: 'ieee-p1363' })),
      },
      mode: 'signature',
    });
    const bad = await verifyDeviceResponse(wrong, verifyOptions());
    expect(bad.documents[0]?.checks.find((c) => c.id === 'device.signature')?.status).toBe('failed');
    // One of deviceKey / deviceSigner, and a signer cannot MAC.
    for (const options of [
      { deviceKey: device.privateKey, deviceSigner, mode: 'signature' as const },
      { deviceSigner, mode: 'mac' as const, readerEphemeralPublicKey: other.publicKey },
    ])
      await expect(
        presentMdoc({ documents: [issued.bytes], request, sessionTranscriptBytes: TRANSCRIPT, ...options }),
      ).rejects.toMatchObject({ code: 'MDOC_INVALID_ARGUMENT' });
  });

  it('selective disclosure (signature): only the requested items, forwarded byte for byte; @owf/mdoc agrees', async () => {
    const request = buildJpMncRequest({
      elements: {
        [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode', 'portrait'],
        [ISO_23220_NAMESPACE]: ['birth_date', 'age_over_18'],
      },
    });
    const response = await presentMdoc({
      documents: [issued.bytes],
      request,
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.verdict).toBe('valid');
    const doc = r.documents[0];
    expect(Object.keys(doc?.elements[JP_MNC_NAMESPACE] ?? {}).sort()).toEqual([
      'full_name_unicode',
      'portrait',
      'resident_address_unicode',
    ]);
    expect(Object.keys(doc?.elements[ISO_23220_NAMESPACE] ?? {}).sort()).toEqual([
      'age_over_18',
      'birth_date',
    ]);
    expect(doc?.elements[JP_MNC_NAMESPACE]?.individual_number_unicode).toBeUndefined();
    expect(doc?.checks.find((c) => c.id === 'device.signature')?.status).toBe('passed');

    // Verbatim forwarding: each IssuerSignedItemBytes and issuerAuth appear in the response unchanged.
    const held = decodeIssuerSignedBytes(issued.bytes);
    const hex = bytesToHex(response);
    for (const [ns, items] of held.nameSpaces) {
      for (const item of items) {
        const requested = Object.keys(request.nameSpaces[ns] ?? {}).includes(item.elementIdentifier);
        expect(hex.includes(bytesToHex(item.bytes.raw))).toBe(requested);
      }
    }
    expect(hex).toContain(bytesToHex(held.issuerAuthBytes as Uint8Array));

    await expect(
      DeviceResponse.decode(response).verify(
        { sessionTranscript: TRANSCRIPT, trustedCertificates: [chain.iaca.der], now: NOW },
        owfContext,
      ),
    ).resolves.toBeUndefined();
  });

  it('deviceMac with the reader ephemeral key; @owf/mdoc agrees', async () => {
    const reader = p256();
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: ALL_ELEMENTS() },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'mac',
      readerEphemeralPublicKey: reader.publicKey,
    });
    const r = await verifyDeviceResponse(response, {
      ...verifyOptions(),
      readerPrivateKey: reader.privateKey,
    });
    expect(r.verdict).toBe('valid');
    expect(r.checks.find((c) => c.id === 'device.mac')?.status).toBe('passed');
    expect(Object.keys(r.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {})).toHaveLength(7);
    // @owf/mdoc 0.6.0 cannot verify a deviceMac: DeviceResponse.verify compares the algorithm name
    // 'HS256' with the number 5, and its MAC_structure omits external_aad. So the oracle provides the
    // decoding, the issuer checks and the DeviceAuthenticationBytes; EMacKey comes from node's ECDH +
    // HKDF, and the MAC_structure is written out here by hand (RFC 9052 §6.3).
    const owfMac = async (readerKey: typeof reader.privateKey) => {
      const doc = DeviceResponse.decode(response).documents?.[0];
      if (!doc) throw new Error('no document');
      await doc.issuerSigned.verify({ trustedCertificates: [chain.iaca.der], now: NOW }, owfContext);
      const mac = doc.deviceSigned.deviceAuth.deviceMac;
      if (!mac) throw new Error('no deviceMac');
      const sessionTranscript = SessionTranscript.decode(TRANSCRIPT);
      const dab = DeviceAuthentication.create({
        sessionTranscript,
        docType: doc.docType,
        deviceNamespaces: doc.deviceSigned.deviceNamespaces,
      }).encode({ asDataItem: true });
      const eMacKey = await owfContext.crypto.calculateEphemeralMacKey({
        privateKey: CoseKey.fromJwk(readerKey.export({ format: 'jwk' }) as Record<string, unknown>)
          .privateKey,
        publicKey: doc.issuerSigned.issuerAuth.mobileSecurityObject.deviceKeyInfo.deviceKey.publicKey,
        sessionTranscriptBytes: sessionTranscript.encode({ asDataItem: true }),
        info: 'EMacKey',
      });
      // ["MAC0", h'a10105', h'', DeviceAuthenticationBytes]
      const head = dab.length < 256 ? [0x58, dab.length] : [0x59, dab.length >> 8, dab.length & 0xff];
      const macStructure = Buffer.concat([
        Buffer.from([0x84, 0x64, ...Buffer.from('MAC0'), 0x43, 0xa1, 0x01, 0x05, 0x40, ...head]),
        dab,
      ]);
      const tag = createHmac('sha256', eMacKey.privateKey).update(macStructure).digest();
      return Buffer.from(mac.tag).equals(tag);
    };
    expect(await owfMac(reader.privateKey)).toBe(true);
    // The wrong reader key fails, in both.
    const other = p256();
    const bad = await verifyDeviceResponse(response, {
      ...verifyOptions(),
      readerPrivateKey: other.privateKey,
    });
    expect(bad.checks.find((c) => c.id === 'device.mac')?.status).toBe('failed');
    expect(await owfMac(other.privateKey)).toBe(false);
  });

  it('the same transcript given as SessionTranscriptBytes (tag 24) verifies the same', async () => {
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const tagged = EncodedCbor.fromBytes(TRANSCRIPT).raw;
    expect(
      (await verifyDeviceResponse(response, { ...verifyOptions(), sessionTranscriptBytes: tagged })).verdict,
    ).toBe('valid');
  });

  it('elements requested but not held are reported as not returned; unknown docTypes in documentErrors', async () => {
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: [
        { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'nickname'] } },
        { docType: 'org.iso.18013.5.1.mDL', elements: { 'org.iso.18013.5.1': ['family_name'] } },
      ],
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.verdict).toBe('valid');
    expect(r.documents[0]?.notReturned).toEqual({ [JP_MNC_NAMESPACE]: { nickname: 0 } });
    expect(r.documentErrors).toEqual({ 'org.iso.18013.5.1.mDL': 0 });
  });

  it('device-signed elements authorised by keyAuthorizations are reported; others are not', async () => {
    const ka = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: elements,
      deviceKey: device.publicKey,
      keyAuthorizations: { dataElements: { 'org.example.device': ['os'] } },
      validityInfo: VALIDITY,
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    const response = await presentMdoc({
      documents: [ka.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
      deviceNameSpaces: { [JP_MNC_DOCTYPE]: { 'org.example.device': { os: 'test', model: 'x' } } },
    });
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.verdict).toBe('valid');
    expect(r.documents[0]?.deviceElements).toEqual({ 'org.example.device': { os: 'test' } });
    const strict = await verifyDeviceResponse(response, { ...verifyOptions(), policy: 'strict' });
    expect(strict.checks.find((c) => c.id === 'device.signature')?.status).toBe('failed');
  });
});

describe('a document whose docType differs from its MSO docType', () => {
  it('is invalid for us (mso.doctype failed) though @owf/mdoc accepts it', async () => {
    // Present an mdoc whose MSO says jp.mnc under a document that claims to be an mDL.
    const genuine = await presentMdoc({
      documents: [issued.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const doc = ((decode(genuine) as CborMap).get('documents') as CborMap[])[0] as CborMap;
    // Re-sign device authentication for the claimed docType so that only the docType check can fail.
    const claimed = 'org.iso.18013.5.1.mDL';
    const forged = await presentMdoc({
      documents: [issued.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    void forged;
    const { deviceAuthenticationBytes } = await import('../src/index.js');
    const { sign } = await import('node:crypto');
    const dns = EncodedCbor.of(new Map());
    const dab = deviceAuthenticationBytes(EncodedCbor.fromBytes(TRANSCRIPT).raw, claimed, dns.raw);
    const protectedBytes = Uint8Array.of(0xa1, 0x01, 0x26);
    const tbs = encode(['Signature1', protectedBytes, new Uint8Array(0), dab]);
    const sig = new Uint8Array(sign('sha256', tbs, { key: device.privateKey, dsaEncoding: 'ieee-p1363' }));
    const response = encode(
      buildDeviceResponseMap({
        documents: [
          {
            docType: claimed,
            issuerSigned: doc.get('issuerSigned') as CborValue,
            deviceSigned: new Map<CborValue, CborValue>([
              ['nameSpaces', dns],
              ['deviceAuth', new Map([['deviceSignature', [protectedBytes, new Map(), null, sig]]])],
            ]),
          },
        ],
      }),
    );
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.verdict).toBe('invalid');
    const byId = Object.fromEntries(r.checks.filter((c) => c.id !== 'decode').map((c) => [c.id, c.status]));
    expect(byId['mso.doctype']).toBe('failed');
    expect(byId['device.signature']).toBe('passed');
    expect(byId['issuer.signature']).toBe('passed');
    expect(byId['item.digest']).toBe('passed');
    // The oracle does not compare the two docTypes: it accepts the response.
    await expect(
      DeviceResponse.decode(response).verify(
        { sessionTranscript: TRANSCRIPT, trustedCertificates: [chain.iaca.der], now: NOW },
        owfContext,
      ),
    ).resolves.toBeUndefined();
  });

  it('an expected docType that the document does not have fails mso.doctype', async () => {
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const r = await verifyDeviceResponse(response, { ...verifyOptions(), docType: 'org.iso.18013.5.1.mDL' });
    expect(r.checks.find((c) => c.id === 'mso.doctype')?.status).toBe('failed');
  });
});

describe('status.revocation through a Token Status List (CWT)', () => {
  const uri = 'https://issuer.example/status/1';
  let response: Uint8Array;
  beforeAll(async () => {
    const withStatus = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: elements,
      deviceKey: device.publicKey,
      validityInfo: VALIDITY,
      status: { idx: 3, uri },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    response = await presentMdoc({
      documents: [withStatus.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
  });
  const token = (statuses: number[]) =>
    signStatusListCwt({
      list: StatusList.fromStatuses(statuses, 1),
      sub: uri,
      iat: new Date('2025-05-31T00:00:00Z'),
      exp: new Date('2025-06-30T00:00:00Z'),
      key: chain.dsKey,
      x5chain: [chain.ds.der],
    });
  const checker =
    (t: Uint8Array | undefined, fetchError?: string) =>
    async (reference: { idx: number; uri: string }, ctx: { now: Date }) =>
      checkReferencedStatus({
        reference,
        ...(t ? { token: t } : {}),
        ...(fetchError ? { fetchError } : {}),
        trustAnchors: [chain.iaca.der],
        now: ctx.now,
      });

  it('VALID → passed', async () => {
    const r = await verifyDeviceResponse(response, {
      ...verifyOptions(),
      statusChecker: checker(await token([0, 0, 0, 0, 1])),
    });
    expect(r.checks.find((c) => c.id === 'status.revocation')?.status).toBe('passed');
    expect(r.verdict).toBe('valid');
  });

  it('INVALID → failed (revoked)', async () => {
    const r = await verifyDeviceResponse(response, {
      ...verifyOptions(),
      statusChecker: checker(await token([0, 0, 0, 1, 0])),
    });
    expect(r.checks.find((c) => c.id === 'status.revocation')?.status).toBe('failed');
    expect(r.verdict).toBe('invalid');
  });

  it('a failed fetch → undetermined, never revoked and never valid', async () => {
    const r = await verifyDeviceResponse(response, {
      ...verifyOptions(),
      statusChecker: checker(undefined, 'HTTP 503'),
    });
    expect(r.checks.find((c) => c.id === 'status.revocation')?.status).toBe('undetermined');
    expect(r.verdict).toBe('undetermined');
  });

  it('a checker that throws → undetermined', async () => {
    const r = await verifyDeviceResponse(response, {
      ...verifyOptions(),
      statusChecker: async () => {
        throw new Error('network down');
      },
    });
    expect(r.checks.find((c) => c.id === 'status.revocation')?.status).toBe('undetermined');
    expect(r.verdict).toBe('undetermined');
  });

  it('no checker → skipped, the verdict unchanged; exactly one status check per document', async () => {
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.checks.filter((c) => c.id === 'status.revocation').map((c) => c.status)).toEqual(['skipped']);
    expect(r.verdict).toBe('valid');
  });

  it('the checker receives the reference and the MSO digest', async () => {
    let seen: unknown;
    await verifyDeviceResponse(response, {
      ...verifyOptions(),
      statusChecker: async (ref, ctx) => {
        seen = { ref, digest: ctx.msoDigest.length, docType: ctx.docType };
        return { status: 'passed', detail: 'ok' };
      },
    });
    expect(seen).toEqual({ ref: { idx: 3, uri }, digest: 32, docType: JP_MNC_DOCTYPE });
  });
});

describe('jp.mnc profile end to end', () => {
  it('the issued record passes the profile validation, with birth_date in both forms', () => {
    expect(validateJpMncElements(elements as never)).toEqual([]);
    const mapForm = {
      ...elements,
      [ISO_23220_NAMESPACE]: {
        ...elements[ISO_23220_NAMESPACE],
        birth_date: new Map([['birth_date', fullDate('1971-09-01')]]),
      },
    };
    expect(validateJpMncElements(mapForm as never)).toEqual([]);
  });

  it('issues the map form of birth_date, presents it and verifies it', async () => {
    const mapForm = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: {
        ...elements,
        [ISO_23220_NAMESPACE]: { birth_date: { birth_date: fullDate('1971-09-01') }, age_over_20: true },
      },
      deviceKey: device.publicKey,
      validityInfo: VALIDITY,
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    const response = await presentMdoc({
      documents: [mapForm.bytes],
      request: buildJpMncRequest({ elements: { [ISO_23220_NAMESPACE]: ['birth_date', 'age_over_20'] } }),
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.verdict).toBe('valid');
    expect(r.documents[0]?.elements[ISO_23220_NAMESPACE]?.birth_date).toEqual(
      new Map([['birth_date', fullDate('1971-09-01')]]),
    );
  });

  it('My Number is presented only when requested with a legal basis', async () => {
    expect(() =>
      buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['individual_number_unicode'] } }),
    ).toThrow(MdocError);
    const request = buildJpMncRequest({
      elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] },
      legalBasis: { provision: '番号法第19条第1号', purpose: '法定調書作成' },
    });
    const response = await presentMdoc({
      documents: [issued.bytes],
      request,
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const r = await verifyDeviceResponse(response, verifyOptions());
    expect(r.documents[0]?.elements[JP_MNC_NAMESPACE]?.individual_number_unicode).toBe('123456789018');
    // My Number never appears in any check detail.
    expect(JSON.stringify(r.checks)).not.toContain('123456789018');
  });

  it('issuer-signed items round trip through RawCbor untouched', () => {
    const held = decodeIssuerSignedBytes(issued.bytes);
    const first = [...held.nameSpaces.values()][0]?.[0];
    expect(bytesToHex(encode(new RawCbor(first?.bytes.raw as Uint8Array)))).toBe(
      bytesToHex(first?.bytes.raw as Uint8Array),
    );
  });
});
