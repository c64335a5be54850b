/**
 * AlgorithmIdentifier (RFC 5280 §4.1.1.2) and signatures over it, on node:crypto:
 *
 *   AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
 *
 * Verification covers RSA PKCS #1 v1.5 (RFC 8017 §8.2) with SHA-1/2, RSASSA-PSS (RFC 4055, same hash
 * for MGF1), ECDSA on P-256/384/521 (RFC 5758, DER Ecdsa-Sig-Value) and EdDSA (RFC 8410). Signing emits
 * the identifiers OpenSSL emits: NULL parameters for RSA PKCS #1 v1.5, none for ECDSA and EdDSA.
 */
import { Buffer } from 'node:buffer';
import { constants as cryptoConstants, type KeyObject, hash as oneShotHash, sign, verify } from 'node:crypto';
import {
  children,
  contentSpan,
  type DerElement,
  type DerHeader,
  expectHeader,
  newHeader,
  oidAt,
  readDer,
  readHeader,
  readSmallInt,
  Tag,
} from './der-reader.js';
import { explicit, integer, nullValue, oid, sequence } from './der-writer.js';
import { PkiError } from './errors.js';
import { OID } from './oids.js';

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters TLV when present (NULL included). */
  readonly parametersDer?: Uint8Array;
}

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export function readAlgorithmIdentifier(el: DerElement): AlgorithmIdentifier {
  if (!el.constructed)
    throw new PkiError('DER_MALFORMED', 'AlgorithmIdentifier: expected a constructed element');
  const { buf, start, end } = contentSpan(el);
  return algorithmIn(buf, start, end, newHeader());
}

/** The AlgorithmIdentifier whose header `h` holds (read in place; `h` is reused). */
export function algorithmAt(buf: Uint8Array, h: DerHeader): AlgorithmIdentifier {
  return algorithmIn(buf, h.contentStart, h.contentEnd, h);
}

function algorithmIn(buf: Uint8Array, start: number, end: number, h: DerHeader): AlgorithmIdentifier {
  expectHeader(buf, start, end, Tag.OID, 'algorithm', h);
  const oid = oidAt(buf, h.contentStart, h.contentEnd);
  if (h.end >= end) return { oid };
  readHeader(buf, h.end, end, h);
  return { oid, parametersDer: buf.subarray(h.start, h.end) };
}

// Maps, not plain objects: the OIDs looked up come from certificates and callers (an `oid` of
// `constructor` must be unknown, not a member of Object.prototype).
const HASH_BY_OID: ReadonlyMap<string, HashName> = new Map([
  [OID.sha1, 'sha1'],
  [OID.sha224, 'sha224'],
  [OID.sha256, 'sha256'],
  [OID.sha384, 'sha384'],
  [OID.sha512, 'sha512'],
]);

export const HASH_OID: Readonly<Record<HashName, string>> = {
  sha1: OID.sha1,
  sha224: OID.sha224,
  sha256: OID.sha256,
  sha384: OID.sha384,
  sha512: OID.sha512,
};

export function hashNameOf(digestOid: string): HashName | undefined {
  return HASH_BY_OID.get(digestOid);
}

interface SignatureScheme {
  readonly name: string;
  readonly kind: 'rsa' | 'ecdsa' | 'eddsa' | 'rsa-pss';
  readonly hash: HashName | null;
}

const SCHEMES: ReadonlyMap<string, SignatureScheme> = new Map<string, SignatureScheme>([
  [OID.sha1WithRSAEncryption, { name: 'sha1WithRSAEncryption', kind: 'rsa', hash: 'sha1' }],
  [OID.sha224WithRSAEncryption, { name: 'sha224WithRSAEncryption', kind: 'rsa', hash: 'sha224' }],
  [OID.sha256WithRSAEncryption, { name: 'sha256WithRSAEncryption', kind: 'rsa', hash: 'sha256' }],
  [OID.sha384WithRSAEncryption, { name: 'sha384WithRSAEncryption', kind: 'rsa', hash: 'sha384' }],
  [OID.sha512WithRSAEncryption, { name: 'sha512WithRSAEncryption', kind: 'rsa', hash: 'sha512' }],
  [OID.rsassaPss, { name: 'RSASSA-PSS', kind: 'rsa-pss', hash: null }],
  [OID.ecdsaWithSHA1, { name: 'ecdsa-with-SHA1', kind: 'ecdsa', hash: 'sha1' }],
  [OID.ecdsaWithSHA224, { name: 'ecdsa-with-SHA224', kind: 'ecdsa', hash: 'sha224' }],
  [OID.ecdsaWithSHA256, { name: 'ecdsa-with-SHA256', kind: 'ecdsa', hash: 'sha256' }],
  [OID.ecdsaWithSHA384, { name: 'ecdsa-with-SHA384', kind: 'ecdsa', hash: 'sha384' }],
  [OID.ecdsaWithSHA512, { name: 'ecdsa-with-SHA512', kind: 'ecdsa', hash: 'sha512' }],
  [OID.ed25519, { name: 'Ed25519', kind: 'eddsa', hash: null }],
  [OID.ed448, { name: 'Ed448', kind: 'eddsa', hash: null }],
  // CMS SignerInfo often names only the key algorithm; the hash is the SignerInfo digestAlgorithm.
  [OID.rsaEncryption, { name: 'rsaEncryption', kind: 'rsa', hash: null }],
  [OID.ecPublicKey, { name: 'ecPublicKey', kind: 'ecdsa', hash: null }],
]);

/** A readable name for a signature algorithm OID (the OID itself when unknown). */
export function signatureAlgorithmName(algOid: string): string {
  return SCHEMES.get(algOid)?.name ?? algOid;
}

/**
 * The identifier with its readable name, built as one object literal. Why not `{ ...alg, name }`: V8 as in
 * Node 20 takes a slow path (several microseconds) for an object spread followed by more properties, and
 * this runs for every signature read.
 */
export function namedAlgorithm(alg: AlgorithmIdentifier): AlgorithmIdentifier & { readonly name: string } {
  const name = signatureAlgorithmName(alg.oid);
  return alg.parametersDer !== undefined
    ? { oid: alg.oid, parametersDer: alg.parametersDer, name }
    : { oid: alg.oid, name };
}

interface PssParams {
  readonly hash: HashName;
  readonly saltLength: number;
}

/**
 *   RSASSA-PSS-params ::= SEQUENCE {
 *     hashAlgorithm [0] HashAlgorithm DEFAULT sha1, maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *     saltLength [2] INTEGER DEFAULT 20, trailerField [3] TrailerField DEFAULT trailerFieldBC }
 */
function readPssParams(der: Uint8Array | undefined): PssParams {
  let hash: HashName = 'sha1';
  let mgfHash: HashName = 'sha1';
  let saltLength = 20;
  if (der !== undefined) {
    const r = children(readDer(der, 'RSASSA-PSS-params'), 'RSASSA-PSS-params');
    const h = r.optional(0xa0);
    if (h) {
      const alg = readAlgorithmIdentifier(readDer(h.value));
      const n = HASH_BY_OID.get(alg.oid);
      if (n === undefined) throw new PkiError('UNSUPPORTED_ALGORITHM', 'unsupported PSS hash');
      hash = n;
    }
    const m = r.optional(0xa1);
    if (m) {
      const mgf = readAlgorithmIdentifier(readDer(m.value));
      if (mgf.oid !== OID.mgf1 || mgf.parametersDer === undefined)
        throw new PkiError('UNSUPPORTED_ALGORITHM', 'unsupported PSS mask generation');
      const n = HASH_BY_OID.get(readAlgorithmIdentifier(readDer(mgf.parametersDer)).oid);
      if (n === undefined) throw new PkiError('UNSUPPORTED_ALGORITHM', 'unsupported MGF1 hash');
      mgfHash = n;
    }
    const s = r.optional(0xa2);
    if (s) saltLength = readSmallInt(readDer(s.value));
    const t = r.optional(0xa3);
    if (t && readSmallInt(readDer(t.value)) !== 1)
      throw new PkiError('UNSUPPORTED_ALGORITHM', 'unsupported PSS trailer');
  }
  // node:crypto (OpenSSL's default) uses the signature hash for MGF1 too.
  if (mgfHash !== hash)
    throw new PkiError('UNSUPPORTED_ALGORITHM', 'PSS with a different MGF1 hash is not supported');
  return { hash, saltLength };
}

/** What signatures a verifier accepts besides the default. */
export interface SignaturePolicy {
  /**
   * Accept signatures computed over SHA-1 (sha1WithRSAEncryption, ecdsa-with-SHA1, RSASSA-PSS with
   * SHA-1, a CMS signer digesting with SHA-1). Default false: SHA-1 collisions are practical (SHAttered
   * 2017, chosen-prefix 2020), and RFC 9155 and the CA/Browser Forum retired it for signatures.
   */
  readonly allowSha1?: boolean;
}

/**
 * Why `policy` refuses a signature under `alg` (with `digestHint` as in `verifySignature`), or undefined.
 * Cheap for everything but RSASSA-PSS, whose hash is in its parameters.
 */
export function refusedSignature(
  alg: AlgorithmIdentifier,
  digestHint?: HashName,
  policy?: SignaturePolicy,
): string | undefined {
  if (policy?.allowSha1 === true) return undefined;
  const scheme = SCHEMES.get(alg.oid);
  if (scheme === undefined) return undefined;
  let hash: HashName | null | undefined;
  if (scheme.kind === 'rsa-pss') {
    try {
      hash = readPssParams(alg.parametersDer).hash;
    } catch {
      return undefined; // unsupported parameters: verification says so
    }
  } else hash = scheme.hash ?? digestHint;
  return hash === 'sha1' ? sha1Refusal(scheme.name) : undefined;
}

function sha1Refusal(name: string): string {
  return `${name} over SHA-1: SHA-1 signatures are not accepted (allowSha1 to accept them)`;
}

/**
 * Verifies `signature` over `data` with `publicKey` under `alg`. `digestHint` names the hash when the
 * identifier only names the key algorithm (CMS `rsaEncryption`, `ecPublicKey`).
 * Returns false for a wrong signature or a key of the wrong type; throws `UNSUPPORTED_ALGORITHM` for an
 * algorithm it does not know and `WEAK_ALGORITHM` for a SHA-1 signature unless `policy.allowSha1`.
 */
export function verifySignature(
  alg: AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
  digestHint?: HashName,
  policy?: SignaturePolicy,
): boolean {
  const scheme = SCHEMES.get(alg.oid);
  if (scheme === undefined)
    throw new PkiError('UNSUPPORTED_ALGORITHM', `unsupported signature algorithm ${alg.oid}`);
  const keyType = publicKey.asymmetricKeyType;
  const allowSha1 = policy?.allowSha1 === true;
  try {
    switch (scheme.kind) {
      case 'rsa': {
        if (keyType !== 'rsa') return false;
        const hash = scheme.hash ?? digestHint;
        if (hash === undefined)
          throw new PkiError('UNSUPPORTED_ALGORITHM', 'no digest algorithm for RSA signature');
        if (hash === 'sha1' && !allowSha1) throw new PkiError('WEAK_ALGORITHM', sha1Refusal(scheme.name));
        return verify(hash, data, { key: publicKey, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature);
      }
      case 'rsa-pss': {
        if (keyType !== 'rsa' && keyType !== 'rsa-pss') return false;
        const p = readPssParams(alg.parametersDer);
        if (p.hash === 'sha1' && !allowSha1) throw new PkiError('WEAK_ALGORITHM', sha1Refusal(scheme.name));
        return verify(
          p.hash,
          data,
          { key: publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength },
          signature,
        );
      }
      case 'ecdsa': {
        if (keyType !== 'ec') return false;
        const hash = scheme.hash ?? digestHint;
        if (hash === undefined)
          throw new PkiError('UNSUPPORTED_ALGORITHM', 'no digest algorithm for ECDSA signature');
        if (hash === 'sha1' && !allowSha1) throw new PkiError('WEAK_ALGORITHM', sha1Refusal(scheme.name));
        return verify(hash, data, { key: publicKey, dsaEncoding: 'der' }, signature);
      }
      case 'eddsa':
        if (
          (alg.oid === OID.ed25519 && keyType !== 'ed25519') ||
          (alg.oid === OID.ed448 && keyType !== 'ed448')
        )
          return false;
        return verify(null, data, publicKey, signature);
    }
  } catch (e) {
    if (e instanceof PkiError) throw e;
    return false; // malformed signature value or key: a failed verification, not a crash
  }
}

/**
 * `verifySignature` for an RSA PKCS #1 v1.5 signature whose key is given as RSAPublicKey DER, read by
 * node:crypto for this one call (see `oneShotRsaKey`). Returns `undefined` whenever it cannot answer as
 * `verifySignature` would — another scheme, no digest, a SHA-1 signature, or a key node does not read
 * that way — so that the caller goes on with `verifySignature` and its KeyObject, which decides (and
 * throws) exactly as before.
 */
export function verifyRsaWithKeyDer(
  alg: AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
  rsaPublicKey: Buffer,
  digestHint?: HashName,
  policy?: SignaturePolicy,
): boolean | undefined {
  const scheme = SCHEMES.get(alg.oid);
  if (scheme === undefined || scheme.kind !== 'rsa') return undefined;
  const hash = scheme.hash ?? digestHint;
  if (hash === undefined || (hash === 'sha1' && policy?.allowSha1 !== true)) return undefined;
  try {
    return verify(
      hash,
      data,
      { key: rsaPublicKey, format: 'der', type: 'pkcs1', padding: cryptoConstants.RSA_PKCS1_PADDING },
      signature,
    );
  } catch {
    return undefined;
  }
}

// ---- signing ----

export type SigningAlgorithm =
  | 'sha256WithRSAEncryption'
  | 'sha384WithRSAEncryption'
  | 'sha512WithRSAEncryption'
  | 'RSASSA-PSS-SHA256'
  | 'ecdsa-with-SHA256'
  | 'ecdsa-with-SHA384'
  | 'ecdsa-with-SHA512'
  | 'Ed25519';

/** The algorithm a key signs with when none is named: RSA → SHA-256, EC → the curve's hash. */
export function defaultSigningAlgorithm(privateKey: KeyObject): SigningAlgorithm {
  const t = privateKey.asymmetricKeyType;
  if (t === 'rsa') return 'sha256WithRSAEncryption';
  if (t === 'rsa-pss') return 'RSASSA-PSS-SHA256';
  if (t === 'ed25519') return 'Ed25519';
  if (t === 'ec') {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return 'ecdsa-with-SHA384';
    if (curve === 'secp521r1') return 'ecdsa-with-SHA512';
    return 'ecdsa-with-SHA256';
  }
  throw new PkiError('UNSUPPORTED_KEY', `cannot sign with a ${t ?? 'unknown'} key`);
}

function pssParamsDer(): Uint8Array {
  const sha256 = sequence(oid(OID.sha256), nullValue());
  return sequence(
    explicit(0, sha256),
    explicit(1, sequence(oid(OID.mgf1), sha256)),
    explicit(2, integer(32)),
  );
}

export function signingAlgorithmIdentifier(alg: SigningAlgorithm): Uint8Array {
  switch (alg) {
    case 'sha256WithRSAEncryption':
      return sequence(oid(OID.sha256WithRSAEncryption), nullValue());
    case 'sha384WithRSAEncryption':
      return sequence(oid(OID.sha384WithRSAEncryption), nullValue());
    case 'sha512WithRSAEncryption':
      return sequence(oid(OID.sha512WithRSAEncryption), nullValue());
    case 'RSASSA-PSS-SHA256':
      return sequence(oid(OID.rsassaPss), pssParamsDer());
    case 'ecdsa-with-SHA256':
      return sequence(oid(OID.ecdsaWithSHA256));
    case 'ecdsa-with-SHA384':
      return sequence(oid(OID.ecdsaWithSHA384));
    case 'ecdsa-with-SHA512':
      return sequence(oid(OID.ecdsaWithSHA512));
    case 'Ed25519':
      return sequence(oid(OID.ed25519));
  }
}

export function hashOfSigningAlgorithm(alg: SigningAlgorithm): HashName | null {
  switch (alg) {
    case 'sha256WithRSAEncryption':
    case 'RSASSA-PSS-SHA256':
    case 'ecdsa-with-SHA256':
      return 'sha256';
    case 'sha384WithRSAEncryption':
    case 'ecdsa-with-SHA384':
      return 'sha384';
    case 'sha512WithRSAEncryption':
    case 'ecdsa-with-SHA512':
      return 'sha512';
    case 'Ed25519':
      return null;
  }
}

export function signData(alg: SigningAlgorithm, data: Uint8Array, privateKey: KeyObject): Uint8Array {
  const hash = hashOfSigningAlgorithm(alg);
  const t = privateKey.asymmetricKeyType;
  const ok =
    (alg.includes('RSA') && (t === 'rsa' || (t === 'rsa-pss' && alg === 'RSASSA-PSS-SHA256'))) ||
    (alg.startsWith('ecdsa') && t === 'ec') ||
    (alg === 'Ed25519' && t === 'ed25519');
  if (!ok) throw new PkiError('UNSUPPORTED_KEY', `a ${t ?? 'unknown'} key cannot sign with ${alg}`);
  if (alg === 'RSASSA-PSS-SHA256')
    return new Uint8Array(
      sign('sha256', data, {
        key: privateKey,
        padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }),
    );
  return new Uint8Array(sign(hash, data, { key: privateKey, dsaEncoding: 'der' }));
}

/**
 * One-shot hash (node:crypto `hash`, which skips the Hash object `createHash` builds).
 *
 * Why through a string: on Node 20, `hash(…, 'buffer')` gives every digest a backing store of its own,
 * which costs several times the hashing of a short input and is then freed one by one by the garbage
 * collector. The digest as 'binary' (latin1) text, one character per octet, is copied into node's shared
 * allocation pool instead.
 */
export function digest(hash: HashName, data: Uint8Array): Uint8Array {
  const s = oneShotHash(hash, data, 'binary');
  const out = Buffer.allocUnsafe(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Whether the digest of `data` equals `expected`, without materialising the digest as bytes. */
export function digestEquals(hash: HashName, data: Uint8Array, expected: Uint8Array): boolean {
  const s = oneShotHash(hash, data, 'binary');
  if (s.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < s.length; i++) diff |= s.charCodeAt(i) ^ expected[i]!;
  return diff === 0;
}

/** One-shot hash as lowercase hex. */
export function digestHex(hash: HashName, data: Uint8Array): string {
  return oneShotHash(hash, data, 'hex');
}
