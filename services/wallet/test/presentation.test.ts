/**
 * Presenting the record over the DC API (`org-iso-mdoc`, ISO/IEC 18013-7 Annex C) from a phone whose
 * device key never leaves its secure area, checked by the verifier half of @mynakit/oid4vp: only what the
 * holder approved is disclosed, the owner's biometric is required, My Number is withheld, the history
 * records element names, and a record invalidated by the issuer's notice is no longer offered.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { buildDeviceRequest, buildJpMncRequest, ISO_23220_NAMESPACE, JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import {
  annexCSessionTranscript,
  buildAnnexCRequest,
  createReaderAuthCertificate,
  encodeEncryptionInfo,
  toP256PublicJwk,
  verifyAnnexCResponse,
} from '@mynakit/oid4vp';
import { createCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installCredentials,
  presentAnnexC,
  readAnnexCRequest,
  syncNotices,
  type WalletDevice,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const ORIGIN = 'https://bank.example';
const BIOMETRIC = { method: 'biometric', matched: true } as const;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return 'resolved';
}

describe('presenting over the DC API (Annex C)', () => {
  let env: IssuerEnvironment;
  let phone: WalletDevice;
  beforeAll(async () => {
    env = await issuerEnvironment();
    phone = await env.phone('present-iphone', 'iphone');
    await installCredentials({
      device: phone,
      issuer: env.client,
      card: await env.card('sandbox-ordinary-female'),
      cardPins: await cardPinsOf(env, 'sandbox-ordinary-female'),
      liveness: { confirmed: true },
      newAuthPin: ['2468', '2468'],
      newSignaturePassword: ['PHONE2026', 'PHONE2026'],
      biometric: BIOMETRIC,
      trustAnchors: env.trustAnchors,
    });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  function bankRequest(elements: Record<string, string[]>) {
    const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const deviceRequest = buildDeviceRequest({
      docRequests: [buildJpMncRequest({ elements, intentToRetain: true })],
    });
    const data = buildAnnexCRequest({ deviceRequest, recipientKey: recipient.publicKey });
    return {
      data: { deviceRequest: data.deviceRequest, encryptionInfo: data.encryptionInfo },
      verify: (response: string, origin = ORIGIN) =>
        verifyAnnexCResponse(
          { response },
          {
            encryptionInfo: data.encryptionInfo,
            origin,
            recipientPrivateKey: recipient.privateKey,
            docType: MNC,
          },
          { mdoc: { trustAnchors: env.trustAnchors.slice(0, 1), now: new Date() } },
        ),
    };
  }

  it('shows what is asked, discloses only what the holder approved, and the bank verifies it', async () => {
    const bank = bankRequest({
      [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode', 'portrait'],
      [ISO_23220_NAMESPACE]: ['age_over_20'],
    });
    const summary = await readAnnexCRequest({ device: phone, data: bank.data, origin: ORIGIN });
    expect(summary.documents).toHaveLength(1);
    expect(summary.documents[0]?.available).toBe(true);
    expect(
      summary.documents[0]?.elements.map((e) => `${e.identifier}:${e.held}:${e.intentToRetain}`).sort(),
    ).toEqual([
      'age_over_20:true:true',
      'full_name_unicode:true:true',
      'portrait:true:true',
      'resident_address_unicode:true:true',
    ]);

    const presented = await presentAnnexC({
      device: phone,
      data: bank.data,
      origin: ORIGIN,
      consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode'] } },
      userAuthentication: BIOMETRIC,
    });
    const verified = await bank.verify(presented.response);
    expect(verified.verdict).toBe('valid');
    const doc = verified.presentations[0]?.verification.documents[0];
    expect(Object.keys(doc?.elements[JP_MNC_NAMESPACE] ?? {}).sort()).toEqual([
      'full_name_unicode',
      'resident_address_unicode',
    ]);
    expect(doc?.elements[ISO_23220_NAMESPACE]).toBeUndefined();
    expect(doc?.checks.find((c) => c.id === 'device.signature')?.status).toBe('passed');

    // Bound to the origin: the same response checked as if another page had asked does not verify.
    expect((await bank.verify(presented.response, 'https://evil.example')).verdict).not.toBe('valid');

    const history = await phone.store.presentations.list(phone.id);
    expect(history[0]?.relyingParty).toBe(ORIGIN);
    expect(history[0]?.elements).toEqual([
      [JP_MNC_NAMESPACE, 'full_name_unicode'],
      [JP_MNC_NAMESPACE, 'resident_address_unicode'],
    ]);
    expect(JSON.stringify(history)).not.toContain('花子');
  }, 60_000);

  it('refuses without the owner, withholds My Number, and refuses what was not asked', async () => {
    const bank = bankRequest({ [JP_MNC_NAMESPACE]: ['full_name_unicode'] });
    const base = { device: phone, data: bank.data, origin: ORIGIN };
    const name = { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } };
    expect(
      await codeOf(
        presentAnnexC({
          ...base,
          consent: name,
          userAuthentication: { method: 'biometric', matched: false },
        }),
      ),
    ).toBe('WALLET_BIOMETRIC_FAILED');
    expect(
      await codeOf(
        presentAnnexC({
          ...base,
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['portrait'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_INVALID_INPUT');
    expect(
      await codeOf(readAnnexCRequest({ device: phone, data: { deviceRequest: 'x' }, origin: ORIGIN })),
    ).toBe('WALLET_INVALID_INPUT');

    const withNumber = bankRequest({ [JP_MNC_NAMESPACE]: ['full_name_unicode'] });
    // A request for My Number (as a DeviceRequest built without the profile's guard) is shown withheld.
    const raw = buildDeviceRequest({
      docRequests: [
        { docType: MNC, nameSpaces: { [JP_MNC_NAMESPACE]: { individual_number_unicode: false } } },
      ],
    });
    const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const asked = buildAnnexCRequest({ deviceRequest: raw, recipientKey: recipient.publicKey });
    const data = { deviceRequest: asked.deviceRequest, encryptionInfo: asked.encryptionInfo };
    const summary = await readAnnexCRequest({ device: phone, data, origin: ORIGIN });
    expect(summary.documents[0]?.elements[0]?.withheld).toBe('my-number-without-basis');
    expect(
      await codeOf(
        presentAnnexC({
          device: phone,
          data,
          origin: ORIGIN,
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['individual_number_unicode'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_MY_NUMBER_WITHHELD');
    void withNumber;
  }, 60_000);

  it('verifies reader authentication: names the requester, lets My Number through only with a declared basis', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const rootKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rootDer = createCertificate({
      subject: 'C=JP, O=Test readers, CN=Test reader root',
      publicKey: rootKeys.publicKey,
      privateKey: rootKeys.privateKey,
      notBefore: new Date(now - day),
      notAfter: new Date(now + 365 * day),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    });
    const readerKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const reader = (withBasis: boolean) =>
      createReaderAuthCertificate({
        subject: 'C=JP, O=Example Securities, CN=kyc.example-securities.jp',
        publicKey: readerKeys.publicKey,
        issuer: { certificate: rootDer, privateKey: rootKeys.privateKey },
        notBefore: new Date(now - day),
        notAfter: new Date(now + 30 * day),
        dnsNames: ['kyc.example-securities.jp'],
        ...(withBasis ? { myNumberLegalBasis: { provision: '番号法第19条', basisCode: '第3号' } } : {}),
      });
    const signedRequest = (readerDer: Uint8Array, signedFor = ORIGIN) => {
      const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const info = encodeEncryptionInfo({
        nonce: new Uint8Array(randomBytes(32)),
        recipientPublicKey: toP256PublicJwk(recipient.publicKey),
      });
      const deviceRequest = buildDeviceRequest({
        version: '1.1',
        docRequests: [
          {
            docType: MNC,
            nameSpaces: {
              [JP_MNC_NAMESPACE]: { full_name_unicode: false, individual_number_unicode: false },
            },
          },
        ],
        readerAuth: {
          key: readerKeys.privateKey,
          certificateChain: [readerDer],
          sessionTranscriptBytes: annexCSessionTranscript(info.encoded, signedFor).sessionTranscriptBytes,
          scope: 'all',
        },
      });
      return {
        deviceRequest: Buffer.from(deviceRequest).toString('base64url'),
        encryptionInfo: info.encoded,
      };
    };
    const read = (data: unknown, anchors: Uint8Array[] = [rootDer]) =>
      readAnnexCRequest({ device: phone, data, origin: ORIGIN, readerTrustAnchors: anchors });

    const withBasis = await read(signedRequest(reader(true)));
    expect(withBasis.reader).toMatchObject({
      authentication: 'verified',
      myNumberLegalBasis: { basisCode: '第3号' },
    });
    expect(withBasis.reader.subject).toContain('Example Securities');
    expect(
      withBasis.documents[0]?.elements.find((e) => e.identifier === 'individual_number_unicode')?.withheld,
    ).toBeUndefined();

    const noBasis = await read(signedRequest(reader(false)));
    expect(noBasis.reader.authentication).toBe('verified');
    expect(
      noBasis.documents[0]?.elements.find((e) => e.identifier === 'individual_number_unicode')?.withheld,
    ).toBe('my-number-without-basis');
    // Signed for another page (its transcript), or by a reader of an untrusted root: refused outright.
    expect(await codeOf(read(signedRequest(reader(true), 'https://elsewhere.example')))).toBe(
      'WALLET_READER_AUTH_INVALID',
    );
    expect(await codeOf(read(signedRequest(reader(true)), []))).toBe('WALLET_READER_AUTH_INVALID');
    // An unsigned request is read, and says nobody is proven to ask.
    const unsigned = bankRequest({ [JP_MNC_NAMESPACE]: ['full_name_unicode'] });
    expect((await read(unsigned.data)).reader).toEqual({ authentication: 'none' });
  }, 60_000);

  it('stops offering the record once it heard that the record was revoked', async () => {
    await env.issuer.deps.store.lifeEvents.record(
      {
        residentId: 'sandbox-ordinary-female',
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目' },
      },
      Date.now(),
    );
    // Before the phone hears it still offers the record (an offline phone) …
    const bank = bankRequest({ [JP_MNC_NAMESPACE]: ['full_name_unicode'] });
    expect(
      (await readAnnexCRequest({ device: phone, data: bank.data, origin: ORIGIN })).documents[0]?.available,
    ).toBe(true);
    // … and after, it no longer does.
    await syncNotices({ device: phone, issuer: env.client, userAuthentication: BIOMETRIC });
    const summary = await readAnnexCRequest({ device: phone, data: bank.data, origin: ORIGIN });
    expect(summary.documents[0]?.available).toBe(false);
    expect(
      await codeOf(
        presentAnnexC({
          device: phone,
          data: bank.data,
          origin: ORIGIN,
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_NOT_FOUND');
  }, 60_000);
});
