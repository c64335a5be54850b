/**
 * An independent RFC 9180 implementation for the tests, written from the RFC text with node:crypto
 * primitives only (ECDH P-256, HMAC-SHA-256, AES-128-GCM): mode_base, DHKEM(P-256, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM. It shares no code with src/hpke.ts, so agreement between the two (and with
 * @hpke/core, the third) is evidence of interoperability, not of a round trip through one codebase.
 */
import { createCipheriv, createDecipheriv, createECDH, createHmac } from 'node:crypto';

const enc = (s: string) => Buffer.from(s, 'ascii');
const i2osp = (n: number, len: number) => {
  const b = Buffer.alloc(len);
  let v = n;
  for (let i = len - 1; i >= 0; i--) {
    b[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return b;
};

const KEM_ID = 0x0010;
const KDF_ID = 0x0001;
const AEAD_ID = 0x0001;
const SUITE_KEM = Buffer.concat([enc('KEM'), i2osp(KEM_ID, 2)]);
const SUITE_HPKE = Buffer.concat([enc('HPKE'), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2), i2osp(AEAD_ID, 2)]);
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** HKDF-Extract (RFC 5869 §2.2); an empty salt is HashLen zero bytes, which HMAC treats the same as empty. */
function extract(salt: Buffer, ikm: Buffer): Buffer {
  return createHmac('sha256', salt).update(ikm).digest();
}

/** HKDF-Expand (RFC 5869 §2.3). */
function expand(prk: Buffer, info: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    t = createHmac('sha256', prk)
      .update(Buffer.concat([t, info, Buffer.from([i])]))
      .digest();
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}

const labeledExtract = (suite: Buffer, salt: Buffer, label: string, ikm: Buffer) =>
  extract(salt, Buffer.concat([enc('HPKE-v1'), suite, enc(label), ikm]));
const labeledExpand = (suite: Buffer, prk: Buffer, label: string, info: Buffer, length: number) =>
  expand(prk, Buffer.concat([i2osp(length, 2), enc('HPKE-v1'), suite, enc(label), info]), length);

/** RFC 9180 §7.1.3 DeriveKeyPair for P-256 (bitmask 0xff). */
export function deriveKeyPair(ikm: Uint8Array): { sk: Buffer; pk: Buffer } {
  const prk = labeledExtract(SUITE_KEM, Buffer.alloc(0), 'dkp_prk', Buffer.from(ikm));
  for (let counter = 0; counter < 256; counter++) {
    const bytes = labeledExpand(SUITE_KEM, prk, 'candidate', i2osp(counter, 1), 32);
    bytes[0] = (bytes[0] as number) & 0xff;
    const sk = BigInt(`0x${bytes.toString('hex')}`);
    if (sk !== 0n && sk < P256_ORDER) {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(bytes);
      return { sk: bytes, pk: ecdh.getPublicKey() };
    }
  }
  throw new Error('DeriveKeyPair failed');
}

function dh(sk: Buffer, pk: Buffer): Buffer {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(sk);
  return ecdh.computeSecret(pk);
}

function extractAndExpand(dhValue: Buffer, kemContext: Buffer): Buffer {
  const eaePrk = labeledExtract(SUITE_KEM, Buffer.alloc(0), 'eae_prk', dhValue);
  return labeledExpand(SUITE_KEM, eaePrk, 'shared_secret', kemContext, 32);
}

export interface KeySchedule {
  sharedSecret: Buffer;
  keyScheduleContext: Buffer;
  secret: Buffer;
  key: Buffer;
  baseNonce: Buffer;
  exporterSecret: Buffer;
}

function keySchedule(sharedSecret: Buffer, info: Uint8Array): KeySchedule {
  const pskIdHash = labeledExtract(SUITE_HPKE, Buffer.alloc(0), 'psk_id_hash', Buffer.alloc(0));
  const infoHash = labeledExtract(SUITE_HPKE, Buffer.alloc(0), 'info_hash', Buffer.from(info));
  const keyScheduleContext = Buffer.concat([Buffer.from([0x00]), pskIdHash, infoHash]);
  const secret = labeledExtract(SUITE_HPKE, sharedSecret, 'secret', Buffer.alloc(0));
  return {
    sharedSecret,
    keyScheduleContext,
    secret,
    key: labeledExpand(SUITE_HPKE, secret, 'key', keyScheduleContext, 16),
    baseNonce: labeledExpand(SUITE_HPKE, secret, 'base_nonce', keyScheduleContext, 12),
    exporterSecret: labeledExpand(SUITE_HPKE, secret, 'exp', keyScheduleContext, 32),
  };
}

function nonceFor(ks: KeySchedule, seq: number): Buffer {
  const n = Buffer.from(ks.baseNonce);
  const s = i2osp(seq, 12);
  for (let i = 0; i < 12; i++) n[i] = (n[i] as number) ^ (s[i] as number);
  return n;
}

export function aeadSeal(ks: KeySchedule, seq: number, aad: Uint8Array, pt: Uint8Array): Buffer {
  const c = createCipheriv('aes-128-gcm', ks.key, nonceFor(ks, seq));
  c.setAAD(Buffer.from(aad));
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

export function aeadOpen(ks: KeySchedule, seq: number, aad: Uint8Array, ct: Uint8Array): Buffer {
  const d = createDecipheriv('aes-128-gcm', ks.key, nonceFor(ks, seq));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(Buffer.from(ct.subarray(ct.length - 16)));
  return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
}

export function exportSecret(ks: KeySchedule, context: Uint8Array, length: number): Buffer {
  return labeledExpand(SUITE_HPKE, ks.exporterSecret, 'sec', Buffer.from(context), length);
}

/** SetupBaseS with an ephemeral key derived from ikmE (deterministic) or a random one. */
export function setupBaseSender(
  pkR: Uint8Array,
  info: Uint8Array,
  ikmE?: Uint8Array,
): { enc: Buffer; ks: KeySchedule } {
  let skE: Buffer;
  let pkE: Buffer;
  if (ikmE) ({ sk: skE, pk: pkE } = deriveKeyPair(ikmE));
  else {
    const e = createECDH('prime256v1');
    pkE = e.generateKeys();
    skE = e.getPrivateKey();
  }
  const shared = extractAndExpand(dh(skE, Buffer.from(pkR)), Buffer.concat([pkE, Buffer.from(pkR)]));
  return { enc: pkE, ks: keySchedule(shared, info) };
}

/** SetupBaseR. */
export function setupBaseRecipient(enc: Uint8Array, skR: Uint8Array, info: Uint8Array): KeySchedule {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(skR));
  const pkR = ecdh.getPublicKey();
  const shared = extractAndExpand(
    dh(Buffer.from(skR), Buffer.from(enc)),
    Buffer.concat([Buffer.from(enc), pkR]),
  );
  return keySchedule(shared, info);
}

/** Single-shot Seal (sequence 0). */
export function sealBase(
  pkR: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
): { enc: Buffer; ct: Buffer } {
  const { enc: e, ks } = setupBaseSender(pkR, info);
  return { enc: e, ct: aeadSeal(ks, 0, aad, pt) };
}

/** Single-shot Open (sequence 0). */
export function openBase(
  enc: Uint8Array,
  skR: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
): Buffer {
  return aeadOpen(setupBaseRecipient(enc, skR, info), 0, aad, ct);
}
