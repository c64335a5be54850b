import type { JpkiPolicyConfig } from '@mynakit/jpki';
import type { JpkiStatusConfig } from './jpki/jpki-status.js';
import type { RecordInquiryDeps } from './revocation/record-inquiry.js';
import type { StatusListFetcher } from './revocation/status-list-fetcher.js';
import type { VerifierStore } from './store/verifier-store.js';

/** What the verifier's deployment decides; nothing here is read from the environment by the app itself. */
export interface VerifierConfig {
  /** The service's origin (written into the OpenAPI document), e.g. `https://verifier.example`. */
  readonly origin: string;
  /** Bearer token of the operator routes (`/relying-parties`); absent: those routes answer 401. */
  readonly adminToken?: string;
  /** Largest request body accepted, bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Largest submitted session answer, bytes (default 1 MiB: a DeviceResponse with a portrait). */
  readonly maxResponseBodyBytes?: number;
  /**
   * Keep fetched Status List Tokens for their `ttl` (default true, draft-ietf-oauth-status-list §5.1). A
   * relying party may always fetch afresh instead (false): the sandbox does, so a revocation shows at once.
   */
  readonly cacheStatusLists?: boolean;
  /**
   * AES-256 key (32 bytes) that encrypts each session's HPKE private key at rest (sessions/session-key.ts);
   * absent: the key is stored as plain PKCS#8 for its few minutes of life (and erased when the session ends).
   */
  readonly sessionKeyEncryptionKey?: Uint8Array;
  /**
   * AES-256 key (32 bytes) that seals the relying parties' reader-authentication private keys at rest
   * (relying-parties/reader-key.ts). Absent: no reader key can be made or used — it is never stored in the
   * clear — and requests go out without reader authentication.
   */
  readonly readerKeyEncryptionKey?: Uint8Array;
  /**
   * HMAC-SHA256 key (≥ 32 bytes) under which a passkey account keeps its person's identity (name and birth
   * date) as a keyed hash only (passkeys/identity-binding.ts); absent: derived from sessionKeyEncryptionKey.
   */
  readonly passkeyIdentityKey?: Uint8Array;
  /**
   * How long after its verification a session may take part in an identity cross-check, seconds (default
   * 1800: 30 minutes; cross-checks/run-cross-check.ts).
   */
  readonly crossCheckWindowSeconds?: number;
  /** Lifetime of a verification session in seconds, 30..300 (default 300). */
  readonly sessionTtlSeconds?: number;
  /**
   * The certificate policies JPKI certificates must carry (@mynakit/jpki; default the published card
   * policies, DEFAULT_JPKI_POLICY_CONFIG — the smartphone OIDs are not public, DOMAIN.md §3). The sandbox
   * passes its own (@mynakit/issuer SANDBOX_JPKI_POLICY_CONFIG).
   */
  readonly jpkiPolicies?: JpkiPolicyConfig;
  /**
   * Hosts (names or IP literals, lower case, optionally `host:port`) of proximity transports the verifier may
   * connect to as a reader besides loopback (proximity/proximity-transport.ts, ARCHITECTURE.md rule 9);
   * absent: loopback only.
   */
  readonly proximityTransportHosts?: readonly string[];
  /** How long a proximity read may take from connecting to the phone's answer, seconds (default 60, at most 300). */
  readonly proximityTimeoutSeconds?: number;
}

/**
 * Everything a route needs, passed in — the app reads no clock, environment or file of its own, so tests
 * drive it with `app.request()` and a fixed clock.
 */
export interface VerifierDeps {
  readonly store: VerifierStore;
  readonly config: VerifierConfig;
  /** The current instant. */
  readonly clock: () => Date;
  /** One line per request, no personal data (default: nothing is written). */
  readonly log?: (line: string) => void;
  /** This instance's writer id: its own record chains (default `default`). */
  readonly writerId?: string;
  /**
   * Fetches a Status List Token by its URI (the MSO `status` reference). Production: restricted to the
   * configured issuer origins (revocation/status-list-fetcher.ts, ARCHITECTURE.md rule 9); tests: the
   * issuer app's fetch. Absent: every status is undetermined and the relying party's policy decides.
   */
  readonly fetchStatusList?: StatusListFetcher;
  /**
   * The issuer's per-record status inquiry this deployment may ask (revocation/record-inquiry.ts): the
   * issuer's URL and this verifier's client credentials there, checked with checkRecordInquiryConfig.
   * Relying parties choose when it is asked (RevocationPolicy.inquiry). Absent: never asked.
   */
  readonly recordInquiry?: RecordInquiryDeps;
  /**
   * Where the status of JPKI certificates is asked — OCSP first, then CRLs — at the configured issuer
   * origins only (jpki/jpki-status.ts). Absent: every JPKI status is undetermined and the policy decides.
   */
  readonly jpkiStatus?: JpkiStatusConfig;
}
