/**
 * Presenting in person over ISO/IEC 18013-5 proximity: the phone shows its device engagement, the reader
 * half of @mynakit/oid4vp connects over a real WebSocket on 127.0.0.1 (standing in for BLE/NFC), and the
 * encrypted DeviceResponse verifies with @mynakit/mdoc over the proximity SessionTranscript and the sandbox
 * IACA. A failed biometric sends nothing; My Number is withheld from a reader without a declared basis.
 */
import { buildDeviceRequest, buildJpMncRequest, JP_MNC_NAMESPACE, verifyDeviceResponse } from '@mynakit/mdoc';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  installCredentials,
  PROXIMITY_CHANNEL,
  UNAUTHENTICATED_READER,
  type WalletDevice,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';
import { type Cleanups, proximityEngagement } from './helpers/proximity-engagement.js';

const MNC = 'org.iso.23220.1.jp.mnc';
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

describe('presenting over ISO/IEC 18013-5 proximity (WebSocket bearer)', () => {
  let env: IssuerEnvironment;
  let phone: WalletDevice;
  const cleanups: Cleanups = [];
  beforeAll(async () => {
    env = await issuerEnvironment();
    phone = await env.phone('proximity-iphone', 'iphone');
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
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await env?.close();
  });

  /** The phone shows its engagement, the reader scans it, connects and asks (helpers/proximity-engagement.ts). */
  const engage = (deviceRequest: Uint8Array) => proximityEngagement(phone, deviceRequest, cleanups);

  it('the reader gets a DeviceResponse that verifies over the proximity transcript, with only what was approved', async () => {
    const request = buildDeviceRequest({
      docRequests: [
        buildJpMncRequest({
          elements: {
            [JP_MNC_NAMESPACE]: [
              'portrait',
              'full_name_unicode',
              'birth_date_unicode',
              'resident_address_unicode',
            ],
          },
        }),
      ],
    });
    const { handle, reader, response, summary } = await engage(request);
    expect(summary.reader.authentication).toBe('none');
    expect(summary.documents[0]?.available).toBe(true);
    expect(summary.documents[0]?.elements.every((e) => e.held)).toBe(true);

    const presented = await handle.answer({
      consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['portrait', 'full_name_unicode', 'birth_date_unicode'] } },
      userAuthentication: BIOMETRIC,
    });
    expect(presented.relyingParty).toBe(UNAUTHENTICATED_READER);
    const v = await verifyDeviceResponse(await response, {
      sessionTranscriptBytes: reader.sessionTranscriptBytes,
      trustAnchors: env.trustAnchors.slice(0, 1),
      now: new Date(),
      docType: MNC,
    });
    expect(v.verdict).toBe('valid');
    expect(Object.keys(v.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {}).sort()).toEqual([
      'birth_date_unicode',
      'full_name_unicode',
      'portrait',
    ]);
    expect(
      v.checks.concat(v.documents[0]?.checks ?? []).find((c) => c.id === 'device.signature')?.status,
    ).toBe('passed');
    // The response came with status 20: the session is over for the reader.
    await expect(reader.request(new Uint8Array([0xa0]))).rejects.toMatchObject({
      code: 'SESSION_TERMINATED',
    });

    const history = await phone.store.presentations.list(phone.id);
    expect(history[0]?.channel).toBe(PROXIMITY_CHANNEL);
    expect(history[0]?.relyingParty).toBe(UNAUTHENTICATED_READER);
    expect(history[0]?.elements).toEqual([
      [JP_MNC_NAMESPACE, 'portrait'],
      [JP_MNC_NAMESPACE, 'full_name_unicode'],
      [JP_MNC_NAMESPACE, 'birth_date_unicode'],
    ]);
  }, 60_000);

  it('a failed biometric sends nothing; declining then ends the session', async () => {
    const before = (await phone.store.presentations.list(phone.id)).length;
    const request = buildDeviceRequest({
      docRequests: [buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } })],
    });
    const { handle, response, sent } = await engage(request);
    expect(
      await codeOf(
        handle.answer({
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
          userAuthentication: { method: 'biometric', matched: false },
        }),
      ),
    ).toBe('WALLET_BIOMETRIC_FAILED');
    expect(sent).toHaveLength(0);
    expect((await phone.store.presentations.list(phone.id)).length).toBe(before);
    await handle.decline();
    await expect(response).rejects.toMatchObject({ code: 'SESSION_TERMINATED' });
  }, 60_000);

  it('My Number is shown withheld and refused to a reader without a verified, declared basis', async () => {
    // A request for My Number built without the profile's guard (a reader that asks anyway).
    const request = buildDeviceRequest({
      docRequests: [
        {
          docType: MNC,
          nameSpaces: { [JP_MNC_NAMESPACE]: { individual_number_unicode: false, full_name_unicode: false } },
        },
      ],
    });
    const { handle, summary, sent } = await engage(request);
    const myNumber = summary.documents[0]?.elements.find((e) => e.identifier === 'individual_number_unicode');
    expect(myNumber?.withheld).toBe('my-number-without-basis');
    expect(
      await codeOf(
        handle.answer({
          consent: { [MNC]: { [JP_MNC_NAMESPACE]: ['individual_number_unicode', 'full_name_unicode'] } },
          userAuthentication: BIOMETRIC,
        }),
      ),
    ).toBe('WALLET_MY_NUMBER_WITHHELD');
    expect(sent).toHaveLength(0);
    await handle.decline();
  }, 60_000);
});
