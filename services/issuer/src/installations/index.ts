/** The installation steps: card step, smartphone JPKI certificates, completion, the record added later. */
export {
  attestationNoncePurpose,
  type CardStepProof,
  type CardStepRequest,
  INSTALLATION_TTL_SECONDS,
  needsOf,
  type StartedInstallation,
  startInstallation,
  verifyCardStep,
} from './card-step.js';
export {
  type CertificateRequests,
  type DeviceCertificate,
  type IssuedDeviceCertificates,
  issueDeviceCertificates,
  REQUIRED_KEY_STORAGE,
} from './certificate-requests.js';
export {
  CHALLENGE_TTL_SECONDS,
  challengeBytesOf,
  consumeChallenge,
  INSTALLATION_CHALLENGE_PURPOSE,
  type InstallationChallenge,
  issueChallenge,
} from './challenges.js';
export {
  type CompleteWithRecordOptions,
  type CompletionDeps,
  completeInstallationWithRecord,
  failInstallation,
} from './complete.js';
export {
  canonicalInstallationRequest,
  DEVICE_INFO_NAME,
  type InstallationFamilyName,
  type InstallationRequestFields,
  MAX_DEVICE_INFO_MEMBERS,
} from './installation-request.js';
export {
  createRecordOffer,
  OFFER_TTL_SECONDS,
  RECORD_CREDENTIAL_CONFIGURATION_ID,
  type RecordOffer,
  TX_CODE_LENGTH,
} from './offer.js';
export { offerRecordToInstallation, type RecordOfferRequest } from './record-offer.js';
