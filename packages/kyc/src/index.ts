/**
 * @mynakit/kyc — Japanese KYC law for identity verification with the My Number Card on smartphones:
 * which legal method (犯収法 施行規則 6条1項1号, 携帯電話不正利用防止法 施行規則) a verification satisfies
 * on a JST calendar date, what its verification record (確認記録) must hold and for how long, and what it
 * must never hold. Pure: no clock, no I/O.
 */

export { isJstDate, type JstDate, jstCalendarDate } from './calendar-date.js';
export { KycError, type KycErrorCode } from './errors.js';
export {
  type KycEvidence,
  type KycEvidenceKind,
  type KycIdentityFact,
  type KycMethodInput,
  type KycMethodResult,
  type KycReason,
  type KycReasonCode,
  kycMethodFor,
  MAX_DISCLOSED_ELEMENTS,
  RECORD_ELEMENTS_FOR_FACT,
  type RelyingPartyKycConfig,
} from './kyc-method-for.js';
export {
  HANSHU_2025_AMENDMENT,
  HANSHU_2027_AMENDMENT,
  HANSHU_TABLE_HORIZON,
  isInForce,
  KEITAI_2026_AMENDMENT,
  KYC_LAWS,
  KYC_METHODS,
  KYC_METHODS_BY_ID,
  type KycLaw,
  type KycLawInfo,
  type KycMethod,
  type KycMethodContent,
  kycMethodByLetter,
  methodsInForce,
  parseKycLaw,
  type SourceTag,
} from './kyc-methods.js';
export {
  type CheckRecordContentOptions,
  checkRecordContent,
  forbiddenRecordFields,
  isForbiddenRecordField,
  KYC_RECORD_FIELDS,
  type KycRecordField,
  type KycRecordFieldInfo,
  type KycRetention,
  looksLikeMyNumber,
  MAX_RECORD_DEPTH,
  MAX_RECORD_NODES,
  requiredRecordFields,
  retainUntil,
  retentionFor,
} from './verification-record.js';
