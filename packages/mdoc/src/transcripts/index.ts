/**
 * SessionTranscript builders, one per presentation channel (DOMAIN.md §2). Each returns the bare
 * SessionTranscript and the tag-24 SessionTranscriptBytes.
 */

export {
  APPLE_IDENTITY_PRESENTMENT_VERSION,
  type AppleIdentityPresentmentHandoverInput,
  buildAppleIdentityPresentmentSessionTranscript,
} from './apple-identity-presentment-handover.js';
export {
  buildDcapiSessionTranscript,
  type DcapiHandoverInput,
  type DcapiSessionTranscript,
} from './dcapi-handover.js';
export {
  buildProximitySessionTranscript,
  type NfcHandover,
  type ProximityHandover,
  type ProximitySessionTranscriptInput,
} from './iso-proximity-handover.js';
export {
  buildOpenId4VpDcApiSessionTranscript,
  type OpenId4VpDcApiHandoverInput,
  type OpenId4VpDcApiSessionTranscript,
} from './openid4vp-dc-api-handover.js';
export {
  buildOpenId4VpSessionTranscript,
  type OpenId4VpHandoverInput,
  type OpenId4VpSessionTranscript,
} from './openid4vp-handover.js';
export { encodeSessionTranscript, type SessionTranscriptEncoding } from './session-transcript-encoding.js';
