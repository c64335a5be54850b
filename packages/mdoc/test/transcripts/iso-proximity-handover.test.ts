import { EncodedCbor } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import { buildProximitySessionTranscript } from '../../src/transcripts/iso-proximity-handover.js';
import { hex, unhex, vectorHex, vectorJson, vectorText } from './vectors.js';

interface Keys {
  EReaderKey: { x: string; y: string };
  EDeviceKey: { x: string; y: string };
}
interface NfcFixture {
  handoverSelectHex: string;
  handoverRequestHex: string;
}

const keys = vectorJson<Keys>('iso-18013-5-annex-d/keys.json');
const nfc = JSON.parse(
  (await import('node:fs')).readFileSync(
    new URL('./fixtures/annex-d-nfc-handover.json', import.meta.url),
    'utf8',
  ),
) as NfcFixture;

/** COSE_Key EC2 P-256 public key {1: 2, -1: 1, -2: x, -3: y}, assembled by hand from keys.json. */
const coseKeyHex = (k: { x: string; y: string }) => `a401022001215820${k.x}225820${k.y}`;

describe('proximity SessionTranscript (ISO/IEC 18013-5 §9.1.5.1) against Annex D', () => {
  // DeviceEngagement {0: "1.0", 1: [1, EDeviceKeyBytes]} as carried in the NFC Handover Select message.
  const eDeviceKeyBytes = vectorHex('iso-18013-5-annex-d/e_device_key_bytes.hex');
  const deviceEngagementHex = `a20063312e30018201${eDeviceKeyBytes}`;

  it('rebuilds session_transcript_bytes.hex from the engagement, EReaderKey and NFC handover', () => {
    expect(coseKeyHex(keys.EDeviceKey)).toBe(eDeviceKeyBytes.slice(8)); // the key file and the vector agree
    const t = buildProximitySessionTranscript({
      deviceEngagement: unhex(deviceEngagementHex),
      eReaderKey: unhex(coseKeyHex(keys.EReaderKey)),
      handover: {
        kind: 'nfc',
        handoverSelect: unhex(nfc.handoverSelectHex),
        handoverRequest: unhex(nfc.handoverRequestHex),
      },
    });
    expect(hex(t.sessionTranscriptBytes)).toBe(vectorHex('iso-18013-5-annex-d/session_transcript_bytes.hex'));
    expect(hex(t.sessionTranscriptBytes).endsWith(hex(t.sessionTranscript))).toBe(true);
  });

  it('uses the DeviceEngagement that the Handover Select message carries', () => {
    // The last NDEF record of Hs is the DeviceEngagement record (type iso.org:18013:deviceengagement, id "mdoc").
    expect(nfc.handoverSelectHex.endsWith(deviceEngagementHex)).toBe(true);
  });

  it('forwards a received tag-24 EReaderKeyBytes verbatim, even with a non-preferred head', () => {
    const inner = unhex(coseKeyHex(keys.EReaderKey));
    const wide = new Uint8Array([0xd8, 0x18, 0x59, 0x00, inner.length, ...inner]); // 59 004b instead of 58 4b
    const t = buildProximitySessionTranscript({
      deviceEngagement: unhex(deviceEngagementHex),
      eReaderKey: new EncodedCbor(wide.subarray(5), wide),
      handover: { kind: 'qr' },
    });
    expect(hex(t.sessionTranscript)).toContain(hex(wide));
  });

  it('QR handover is null: [DeviceEngagementBytes, EReaderKeyBytes, null]', () => {
    const de = vectorHex('iso-18013-5-annex-d/device_engagement.hex');
    const t = buildProximitySessionTranscript({
      deviceEngagement: unhex(de),
      eReaderKey: unhex(coseKeyHex(keys.EReaderKey)),
      handover: { kind: 'qr' },
    });
    const deLen = (de.length / 2).toString(16).padStart(2, '0');
    expect(hex(t.sessionTranscript)).toBe(`83d81858${deLen}${de}d818584b${coseKeyHex(keys.EReaderKey)}f6`);
    expect(vectorText('iso-18013-5-annex-d/device_engagement.hex').length).toBeGreaterThan(0);
  });
});
