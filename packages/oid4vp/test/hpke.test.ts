import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
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

  describe('against @hpke/core (a third implementation, on WebCrypto)', () => {
    const suite = new CipherSuite({
      kem: new DhkemP256HkdfSha256(),
      kdf: new HkdfSha256(),
      aead: new Aes128Gcm(),
    });
    const ab = (b: Uint8Array): ArrayBuffer => new Uint8Array(b).buffer;
    const info = new TextEncoder().encode('a SessionTranscript would go here');
    const pt = new TextEncoder().encode('a DeviceResponse would go here');

    it('opens what @hpke/core seals, with and without aad', async () => {
      const pkR = await suite.kem.importKey('raw', ab(unhex(v.pkRm)), true);
      for (const aad of [new Uint8Array(0), unhex('0102')]) {
        const sender = await suite.createSenderContext({ recipientPublicKey: pkR, info: ab(info) });
        const ct = new Uint8Array(await sender.seal(ab(pt), ab(aad)));
        const opened = await hpkeOpen({
          recipientPrivateKey: unhex(v.skRm),
          enc: new Uint8Array(sender.enc),
          info,
          aad,
          ciphertext: ct,
        });
        expect(hex(opened)).toBe(hex(pt));
      }
    });

    it('seals what @hpke/core opens', async () => {
      const sealed = await hpkeSeal({ recipientPublicKey: unhex(v.pkRm), info, plaintext: pt });
      const { privateKey } = await suite.kem.deriveKeyPair(ab(unhex(v.ikmR)));
      const recipient = await suite.createRecipientContext({
        recipientKey: privateKey,
        enc: ab(sealed.enc),
        info: ab(info),
      });
      expect(hex(new Uint8Array(await recipient.open(ab(sealed.ciphertext))))).toBe(hex(pt));
    });
  });

  it('refuses an enc off the curve, a truncated ciphertext and a flipped tag bit with HPKE_OPEN_FAILED', async () => {
    const first = v.encryptions[0]!;
    const base = {
      recipientPrivateKey: unhex(v.skRm),
      enc: unhex(v.enc),
      info: unhex(v.info),
      aad: unhex(first.aad),
      ciphertext: unhex(first.ct),
    };
    const offCurve = unhex(v.enc);
    offCurve[64] = (offCurve[64] as number) ^ 1;
    await expect(hpkeOpen({ ...base, enc: offCurve })).rejects.toMatchObject({ code: 'HPKE_OPEN_FAILED' });
    await expect(hpkeOpen({ ...base, ciphertext: unhex(first.ct).subarray(0, 15) })).rejects.toMatchObject({
      code: 'HPKE_OPEN_FAILED',
    });
    const flipped = unhex(first.ct);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0x80;
    await expect(hpkeOpen({ ...base, ciphertext: flipped })).rejects.toMatchObject({
      code: 'HPKE_OPEN_FAILED',
    });
  });

  it('refuses a recipient key that is not a P-256 scalar, and a JWK whose point is not its d’s, with KEY_INVALID', async () => {
    const first = v.encryptions[0]!;
    const base = {
      enc: unhex(v.enc),
      info: unhex(v.info),
      aad: unhex(first.aad),
      ciphertext: unhex(first.ct),
    };
    await expect(hpkeOpen({ ...base, recipientPrivateKey: new Uint8Array(32) })).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
    await expect(
      hpkeOpen({ ...base, recipientPrivateKey: new Uint8Array(31).fill(1) }),
    ).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
    const pkE = unhex(v.pkEm);
    const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    const mismatched = {
      kty: 'EC',
      crv: 'P-256',
      d: b64u(unhex(v.skRm)),
      x: b64u(pkE.subarray(1, 33)),
      y: b64u(pkE.subarray(33)),
    };
    await expect(hpkeOpen({ ...base, recipientPrivateKey: mismatched })).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
    await expect(
      hpkeSeal({
        recipientPublicKey: pkE.map((b, i) => (i === 64 ? b ^ 1 : b)),
        info: base.info,
        plaintext: pt0,
      }),
    ).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });
});

const pt0 = new Uint8Array([1, 2, 3]);
