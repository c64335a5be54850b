import { describe, expect, it } from 'vitest';
import { hpkeOpen, hpkeSeal } from '../src/hpke.js';
import * as rfc from './helpers/rfc9180.js';
import { hex, unhex, vectorJson } from './helpers/vectors.js';

interface HpkeVector {
  mode: number;
  kem_id: number;
  kdf_id: number;
  aead_id: number;
  info: string;
  ikmE: string;
  pkEm: string;
  skEm: string;
  ikmR: string;
  pkRm: string;
  skRm: string;
  enc: string;
  shared_secret: string;
  key_schedule_context: string;
  secret: string;
  key: string;
  base_nonce: string;
  exporter_secret: string;
  encryptions: { sequence_number: number; pt: string; aad: string; nonce: string; ct: string }[];
  exports: { exporter_context: string; L: number; exported_value: string }[];
}

const v = vectorJson<HpkeVector>('hpke-rfc9180/rfc9180_A.3.1_base_p256-sha256_hkdf-sha256_aes128gcm.json');

describe('RFC 9180 A.3.1 (DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode)', () => {
  it('is the suite the vector describes', () => {
    expect([v.mode, v.kem_id, v.kdf_id, v.aead_id]).toEqual([0, 16, 1, 1]);
  });

  it('our wrapper seals deterministically from ikmE to the published enc and first ciphertext', async () => {
    const first = v.encryptions[0]!;
    const sealed = await hpkeSeal({
      recipientPublicKey: unhex(v.pkRm),
      info: unhex(v.info),
      aad: unhex(first.aad),
      plaintext: unhex(first.pt),
      ephemeralKeyMaterial: unhex(v.ikmE),
    });
    expect(hex(sealed.enc)).toBe(v.enc);
    expect(hex(sealed.ciphertext)).toBe(first.ct);
  });

  it('our wrapper opens the published first ciphertext with skRm', async () => {
    const first = v.encryptions[0]!;
    const pt = await hpkeOpen({
      recipientPrivateKey: unhex(v.skRm),
      enc: unhex(v.enc),
      info: unhex(v.info),
      aad: unhex(first.aad),
      ciphertext: unhex(first.ct),
    });
    expect(hex(pt)).toBe(first.pt);
  });

  it('fails with HPKE_OPEN_FAILED on a wrong info, aad or key', async () => {
    const first = v.encryptions[0]!;
    const base = {
      recipientPrivateKey: unhex(v.skRm),
      enc: unhex(v.enc),
      info: unhex(v.info),
      aad: unhex(first.aad),
      ciphertext: unhex(first.ct),
    };
    await expect(hpkeOpen({ ...base, info: unhex('00') })).rejects.toMatchObject({
      code: 'HPKE_OPEN_FAILED',
    });
    await expect(hpkeOpen({ ...base, aad: new Uint8Array(0) })).rejects.toMatchObject({
      code: 'HPKE_OPEN_FAILED',
    });
    await expect(hpkeOpen({ ...base, recipientPrivateKey: unhex(v.skEm) })).rejects.toMatchObject({
      code: 'HPKE_OPEN_FAILED',
    });
  });

  describe('the independent test implementation reproduces every published field', () => {
    it('DeriveKeyPair, Encap, KeySchedule', () => {
      const e = rfc.deriveKeyPair(unhex(v.ikmE));
      const r = rfc.deriveKeyPair(unhex(v.ikmR));
      expect([hex(e.sk), hex(e.pk), hex(r.sk), hex(r.pk)]).toEqual([v.skEm, v.pkEm, v.skRm, v.pkRm]);
      const { enc, ks } = rfc.setupBaseSender(unhex(v.pkRm), unhex(v.info), unhex(v.ikmE));
      expect(hex(enc)).toBe(v.enc);
      expect(hex(ks.sharedSecret)).toBe(v.shared_secret);
      expect(hex(ks.keyScheduleContext)).toBe(v.key_schedule_context);
      expect(hex(ks.secret)).toBe(v.secret);
      expect(hex(ks.key)).toBe(v.key);
      expect(hex(ks.baseNonce)).toBe(v.base_nonce);
      expect(hex(ks.exporterSecret)).toBe(v.exporter_secret);
      const rks = rfc.setupBaseRecipient(unhex(v.enc), unhex(v.skRm), unhex(v.info));
      expect(hex(rks.key)).toBe(v.key);
    });

    it('all encryptions and exports', () => {
      const { ks } = rfc.setupBaseSender(unhex(v.pkRm), unhex(v.info), unhex(v.ikmE));
      for (const e of v.encryptions) {
        expect(hex(rfc.aeadSeal(ks, e.sequence_number, unhex(e.aad), unhex(e.pt)))).toBe(e.ct);
        expect(hex(rfc.aeadOpen(ks, e.sequence_number, unhex(e.aad), unhex(e.ct)))).toBe(e.pt);
      }
      for (const x of v.exports)
        expect(hex(rfc.exportSecret(ks, unhex(x.exporter_context), x.L))).toBe(x.exported_value);
    });
  });

  it('interoperates both ways with the independent implementation (random ephemeral keys)', async () => {
    const info = new TextEncoder().encode('mynakit interop');
    const pt = new TextEncoder().encode('a DeviceResponse would go here');
    const theirs = rfc.sealBase(unhex(v.pkRm), info, new Uint8Array(0), pt);
    expect(
      hex(
        await hpkeOpen({ recipientPrivateKey: unhex(v.skRm), enc: theirs.enc, info, ciphertext: theirs.ct }),
      ),
    ).toBe(hex(pt));
    const ours = await hpkeSeal({ recipientPublicKey: unhex(v.pkRm), info, plaintext: pt });
    expect(hex(rfc.openBase(ours.enc, unhex(v.skRm), info, new Uint8Array(0), ours.ciphertext))).toBe(
      hex(pt),
    );
  });
});
