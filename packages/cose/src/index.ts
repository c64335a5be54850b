/**
 * @mynakit/cose — COSE (RFC 9052/9053) as ISO/IEC 18013-5 uses it: COSE_Sign1, COSE_Mac0, COSE_Key,
 * x5chain (RFC 9360) and the ECDH/HKDF mdoc MAC key. A thin layer over node:crypto; async so a
 * WebCrypto implementation can stand behind the same API.
 */

export {
  CoseAlgorithm,
  type HashName,
  type MacAlgorithm,
  macAlgorithm,
  type NamedCurve,
  type OkpCurve,
  type SignatureAlgorithm,
  signatureAlgorithm,
} from './algorithms.js';
export {
  CoseCurve,
  CoseKeyLabel,
  CoseKeyType,
  coseKeyToJwk,
  coseKeyToKeyObject,
  type Jwk,
  jwkToCoseKey,
  jwkToKeyObject,
  type KeyObjectToCoseKeyOptions,
  keyObjectToCoseKey,
} from './cose-key.js';
export {
  CoseMac0,
  type CreateMac0Options,
  createMac0,
  decodeMac0,
  type Mac0PayloadOptions,
  type MacKey,
  mac0ToBeMaced,
  type VerifyMac0Options,
  verifyMac0,
} from './cose-mac0.js';
export {
  CoseSign1,
  decodeSign1,
  getX5Chain,
  type Sign1PayloadOptions,
  type SignSign1Options,
  sign1ToBeSigned,
  signSign1,
  type VerifySign1Options,
  verifySign1,
} from './cose-sign1.js';
export { ecdhSharedSecret, hkdfSha256 } from './ecdh-hkdf.js';
export { CoseError, type CoseErrorCode } from './errors.js';
export {
  checkCriticalHeaders,
  decodeProtectedHeader,
  encodeProtectedHeader,
  HeaderLabel,
  UNDERSTOOD_HEADER_LABELS,
  X5CHAIN_MAX_CERTIFICATES,
  x5chainOf,
} from './headers.js';
export { type KeyInput, toKeyObject, toPublicKeyObject } from './key-input.js';
export { macStructure0 } from './mac-structure.js';
export { type DeriveEMacKeyOptions, deriveEMacKey } from './mdoc-mac-key.js';
export { sigStructure1 } from './sig-structure.js';
