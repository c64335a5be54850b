/**
 * Signed structures the package's own writers will not produce (SHA-1 signatures, mismatched or unsigned
 * algorithm parameters, BER forms): a signed `SEQUENCE { tbs, signatureAlgorithm, BIT STRING }` is taken
 * apart with the reader and put back together with the writer, signed again with node:crypto.
 */
import { constants, type KeyObject, sign } from 'node:crypto';
import { children, readDer } from '../../src/der-reader.js';
import { explicit, integer, nullValue, oid, sequence, tlv } from '../../src/der-writer.js';
import { OID } from '../../src/oids.js';

export type TestSignatureAlgorithm =
  | 'sha1WithRSAEncryption'
  | 'ecdsa-with-SHA1'
  | 'sha256WithRSAEncryption'
  | 'ecdsa-with-SHA256'
  | 'RSASSA-PSS-SHA1'
  | 'RSASSA-PSS-SHA256';

const HASH: Readonly<Record<TestSignatureAlgorithm, 'sha1' | 'sha256'>> = {
  sha1WithRSAEncryption: 'sha1',
  'ecdsa-with-SHA1': 'sha1',
  sha256WithRSAEncryption: 'sha256',
  'ecdsa-with-SHA256': 'sha256',
  'RSASSA-PSS-SHA1': 'sha1',
  'RSASSA-PSS-SHA256': 'sha256',
};

/** RSASSA-PSS-params with the given hash (also for MGF1) and salt length (RFC 4055 §3.1). */
export function pssParams(hash: 'sha1' | 'sha256', saltLength: number): Uint8Array {
  const h = sequence(oid(hash === 'sha1' ? OID.sha1 : OID.sha256), nullValue());
  return sequence(explicit(0, h), explicit(1, sequence(oid(OID.mgf1), h)), explicit(2, integer(saltLength)));
}

export function algorithmIdentifier(alg: TestSignatureAlgorithm, saltLength?: number): Uint8Array {
  switch (alg) {
    case 'sha1WithRSAEncryption':
      return sequence(oid(OID.sha1WithRSAEncryption), nullValue());
    case 'sha256WithRSAEncryption':
      return sequence(oid(OID.sha256WithRSAEncryption), nullValue());
    case 'ecdsa-with-SHA1':
      return sequence(oid(OID.ecdsaWithSHA1));
    case 'ecdsa-with-SHA256':
      return sequence(oid(OID.ecdsaWithSHA256));
    case 'RSASSA-PSS-SHA1':
      return sequence(oid(OID.rsassaPss), pssParams('sha1', saltLength ?? 20));
    case 'RSASSA-PSS-SHA256':
      return sequence(oid(OID.rsassaPss), pssParams('sha256', saltLength ?? 32));
  }
}

export function signBytes(
  alg: TestSignatureAlgorithm,
  data: Uint8Array,
  key: KeyObject,
  saltLength?: number,
): Uint8Array {
  const hash = HASH[alg];
  if (alg.startsWith('RSASSA-PSS'))
    return sign(hash, data, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: saltLength ?? (hash === 'sha1' ? 20 : 32),
    });
  return sign(hash, data, { key, dsaEncoding: 'der' });
}

export interface ResignOptions {
  /** The AlgorithmIdentifier written in the signed part (default: that of `alg`). */
  readonly innerAlg?: Uint8Array;
  /** The AlgorithmIdentifier written outside the signed part (default: the inner one). */
  readonly outerAlg?: Uint8Array;
  /** Unused-bits octet of the signature BIT STRING. */
  readonly unusedBits?: number;
  readonly saltLength?: number;
}

/**
 * Re-signs a certificate, CRL or CSR: the child of the TBS equal to the old outer algorithm is replaced
 * (certificates and CRLs repeat it there), the TBS is signed with `key` under `alg`.
 */
export function resign(
  der: Uint8Array,
  key: KeyObject,
  alg: TestSignatureAlgorithm,
  o: ResignOptions = {},
): Uint8Array {
  const top = children(readDer(der));
  const tbs = top.next();
  const oldAlg = top.next();
  const inner = o.innerAlg ?? algorithmIdentifier(alg, o.saltLength);
  const parts = children(tbs)
    .rest()
    .map((el) => (Buffer.from(el.bytes).equals(Buffer.from(oldAlg.bytes)) ? inner : el.bytes));
  const newTbs = sequence(...parts);
  const sig = signBytes(alg, newTbs, key, o.saltLength);
  return sequence(newTbs, o.outerAlg ?? inner, tlv(0x03, Uint8Array.of(o.unusedBits ?? 0), sig));
}

/** Re-signs the BasicOCSPResponse inside an OCSPResponse (its algorithm appears once, outside the TBS). */
export function resignOcsp(
  der: Uint8Array,
  key: KeyObject,
  alg: TestSignatureAlgorithm,
  o: ResignOptions = {},
): Uint8Array {
  const top = children(readDer(der));
  const status = top.next();
  const wrapper = top.next();
  const rb = children(readDer(wrapper.value));
  const type = rb.next();
  const basic = children(readDer(rb.next().value));
  const tbs = basic.next();
  basic.next();
  basic.next();
  const rest = basic.rest().map((e) => e.bytes);
  const sig = signBytes(alg, tbs.bytes, key, o.saltLength);
  const newBasic = sequence(
    tbs.bytes,
    o.outerAlg ?? algorithmIdentifier(alg, o.saltLength),
    tlv(0x03, Uint8Array.of(o.unusedBits ?? 0), sig),
    ...rest,
  );
  return sequence(status.bytes, explicit(0, sequence(type.bytes, tlv(0x04, newBasic))));
}
