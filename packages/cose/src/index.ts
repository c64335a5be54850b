/**
 * @mynakit/cose — COSE (RFC 9052/9053) as ISO/IEC 18013-5 uses it: COSE_Sign1, COSE_Mac0, COSE_Key,
 * x5chain (RFC 9360) and the ECDH/HKDF mdoc MAC key. A thin layer over node:crypto; async so a
 * WebCrypto implementation can stand behind the same API — with a synchronous, zero-copy path for
 * verifiers (readCoseMessage(At), criticalHeaderProblem, x5chainOf, sigStructure1Of, verifySignature,
 * macVerifies, coseKeyToPublicKey).
 */

export {
  CoseAlgorithm,
  defaultSignatureAlgorithm,
  type HashName,
  type MacAlgorithm,
  macAlgorithm,
  macAlgorithmOf,
  type NamedCurve,
  type OkpCurve,
  type SignatureAlgorithm,
  signatureAlgorithm,
  signatureAlgorithmId,
  signatureAlgorithmOf,
} from './algorithms.js';
export {
  CoseCurve,
  type CoseKeyImportOptions,
  CoseKeyLabel,
  CoseKeyType,
  coseKeyToJwk,
  coseKeyToKeyObject,
  coseKeyToPublicKey,
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
  macVerifies,
  type VerifyMac0Options,
  verifyMac0,
} from './cose-mac0.js';
export {
  type CoseMessage,
  type CoseMessageKind,
  readCoseMessage,
  readCoseMessageAt,
} from './cose-message.js';
export {
  CoseSign1,
  type CoseSigner,
  decodeSign1,
  getX5Chain,
  type PreparedSign1,
  prepareSign1,
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
  criticalHeaderProblem,
  decodeProtectedHeader,
  encodeProtectedHeader,
  HeaderLabel,
  protectedAlgorithm,
  readProtectedHeader,
  UNDERSTOOD_HEADER_LABELS,
  X5CHAIN_MAX_CERTIFICATES,
  x5chainOf,
  x5chainValue,
} from './headers.js';
export { type KeyInput, p256PrivateKeyFromScalar, toKeyObject, toPublicKeyObject } from './key-input.js';
export { macStructure0, macStructure0Of } from './mac-structure.js';
export { type DeriveEMacKeyOptions, deriveEMacKey, deriveMdocKey } from './mdoc-mac-key.js';
export { sigStructure1, sigStructure1Of, type ToBeSignedOptions } from './sig-structure.js';
export { checkSignatureForm, keyFitsAlgorithm, verifySignature } from './signature.js';
export type { PayloadWriter } from './structure-writer.js';
