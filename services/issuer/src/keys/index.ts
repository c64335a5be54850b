/** Signing keys: the KeySource interface and the sandbox's encrypted-file implementation. */
export {
  EncryptedFileKeySource,
  type EncryptedFileKeySourceOptions,
  KEK_LENGTH,
  parseKek,
} from './encrypted-file-key-source.js';
export {
  assertKeyName,
  type IssuerKeySpec,
  KEY_NAME_PATTERN,
  type KeySource,
  keySourceSigner,
  signingAlgorithmFor,
} from './key-source.js';
