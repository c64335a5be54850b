export {
  type AlgorithmIdentifier,
  type HashName,
  type SignaturePolicy,
  type SigningAlgorithm,
  verifySignature,
} from './algorithm.js';
export {
  type Certificate,
  clearCertificateCache,
  keyIdentifierOf,
  normaliseSerialNumber,
  type PublicKeyInfo,
  parseCertificate,
  subjectAttributesOf,
  toCertificate,
} from './certificate.js';
export { isSignedBy } from './certificate-signature.js';
export {
  type CmsAttribute,
  type CmsDigest,
  type CmsSignedData,
  type CmsSignerInfo,
  type CmsVerification,
  type ParseCmsOptions,
  parseCms,
  type SignCmsOptions,
  type SignerIdentifier,
  signCms,
  type VerifyCmsOptions,
  verifyCmsSignature,
} from './cms.js';
export { type CreateCertificateOptions, createCertificate, type Issuer } from './create-certificate.js';
export {
  CRL_REASONS,
  type CreateCrlOptions,
  type Crl,
  type CrlCertificateStatus,
  type CrlEntry,
  type CrlEntryInput,
  type CrlLookup,
  type CrlReason,
  type CrlStatus,
  type CrlVerification,
  checkCertificateAgainstCrl,
  createCrl,
  crlReasonCode,
  crlReasonFromCode,
  type IssuingDistributionPoint,
  type IssuingDistributionPointInput,
  lookupInCrl,
  parseCrl,
  type VerifyCrlOptions,
  verifyCrl,
} from './crl.js';
export { type CreateCsrOptions, type Csr, createCsr, parseCsr } from './csr.js';
export {
  children as derChildren,
  type DerElement,
  DerReader,
  type BitString,
  readBigInt,
  readBitString,
  readBoolean,
  readDer,
  readElementAt,
  readOctetString,
  readOid,
  readSmallInt,
  readString,
  readTime,
  Tag as DerTag,
} from './der-reader.js';
export { PkiError, type PkiErrorCode } from './errors.js';
export { KEY_USAGE_NAMES, REASON_FLAG_NAMES } from './extensions.js';
export type {
  AccessDescription,
  BasicConstraints,
  DistributionPoint,
  DistributionPointInput,
  DistributionPointName,
  Extension,
  ExtensionInput,
  KeyUsage,
  NameConstraints,
  PolicyInformationInput,
  ReasonFlag,
} from './extensions.js';
export {
  type GeneralName,
  type GeneralNameInput,
  readGeneralName,
  readGeneralNames,
} from './general-name.js';
export { isoTime } from './iso-time.js';
export { generateKeyPair, type KeyAlgorithm, type KeyPair, publicKeyFromSpki, spkiOf } from './keys.js';
export {
  acceptedDocumentSignerEkus,
  checkDocumentSignerProfile,
  checkIacaProfile,
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  type DocumentSignerEkuOutcome,
  type DocumentSignerEkuTable,
  documentSignerEku,
  documentSignerEkuTable,
  documentSignerKeyUsageProblem,
  MdocEku,
  STATUS_LIST_SIGNING_EKU,
  type StatusListSignerInput,
  statusListSignerAuthority,
} from './mdoc-profile.js';
export {
  encodeName,
  formatName,
  type NameAttribute,
  type NameAttributeInput,
  type NameInput,
  namesEqual,
  nameToString,
  parseName,
  type StringEncoding,
} from './name.js';
export {
  type CertId,
  type CreateOcspRequestOptions,
  type CreateOcspResponseOptions,
  certIdFor,
  certIdMatches,
  createOcspErrorResponse,
  createOcspRequest,
  createOcspResponse,
  type OcspCertStatus,
  type OcspHashAlgorithm,
  type OcspRequest,
  type OcspResponse,
  type OcspResponseStatus,
  type OcspSingleResponse,
  type OcspSingleResponseInput,
  type OcspVerification,
  parseOcspRequest,
  parseOcspResponse,
  type ResponderId,
  type VerifyOcspResponseOptions,
  verifyOcspResponse,
} from './ocsp.js';
export { OID } from './oids.js';
export {
  PATH_BUILDING_BUDGET,
  type PathBuildingBudget,
  type PathBuildingWork,
  type PathFailureCode,
  type PathValidationResult,
  type ValidateCertificatePathOptions,
  type ValidationPolicy,
  validateCertificatePath,
} from './path-validation.js';
export { derToPem, type PemBlock, pemToDer, readPemBlocks, splitPemBundle } from './pem.js';
