import type { Database } from '@mynakit/db';

/**
 * The issuer's tables as Kysely sees them (migrations/0001-issuer-tables.ts creates them). The same schema runs
 * on SQLite (one file per service) and PostgreSQL (schema `issuer`). Instants are integer milliseconds since the
 * epoch, so both dialects compare them the same way; ids are random UUIDs; bytes are blob / bytea.
 */

/**
 * Sex as the resident register records it: `1` male, `2` female, `3` unknown, `9` not applicable.
 * The JPKI signature certificate carries 1, 2 or 3 (otherName 1.2.392.200149.8.5.5.3; 9 is written as 3);
 * the record carries ISO/IEC 5218 (1, 2, 0 for unknown, 9) — the certificate and record builders convert.
 */
export type ResidentSex = 1 | 2 | 3 | 9;

/** A test resident of the sandbox's resident register (住民基本台帳): the card-face facts, no keys. */
export interface ResidentsTable {
  id: string;
  /** 氏名: surname, U+3000, given name — as registered, before any JPKI character substitution. */
  full_name: string;
  /** Reading in katakana, when registered. */
  full_name_kana: string | null;
  /** 住所 from the prefecture, no postal code, at most 200 characters (JPKI otherName …5.5.5). */
  address: string;
  /** 生年月日 as `YYYY-MM-DD` (Gregorian). */
  birth_date: string;
  sex: ResidentSex;
  /** 全国地方公共団体コード: 5 digits, or 6 with the check digit. */
  municipality_code: string;
  /** The municipality's name, written into the signature certificate's subject as L=. */
  municipality_name: string;
  created_at: number;
}

/** Whether a card is in force. */
export type CardState = 'active' | 'revoked';

/** A My Number Card (the plastic card) of a resident: its JPKI certificates and PIN verifiers, no private keys. */
export interface CardsTable {
  id: string;
  resident_id: string;
  card_number: string;
  issued_at: number;
  expires_at: number;
  state: CardState;
  /** DER of the signature certificate; null for a holder under 15, who has none. */
  sign_cert: Uint8Array | null;
  /** DER of the user-authentication certificate. */
  auth_cert: Uint8Array;
  /** `scrypt$…` verifiers from @mynakit/jpki createPinVerifier; null where the card has no signature certificate. */
  sign_password_verifier: string | null;
  auth_pin_verifier: string;
  support_pin_verifier: string;
  created_at: number;
  revoked_at: number | null;
  /** Serial of `sign_cert`, lower-case hex (migration 0002): a signature proves which card signed. */
  sign_serial: string | null;
  /** Serial of `auth_cert`, lower-case hex (migration 0002). */
  auth_serial: string | null;
}

/** The phone family an installation targets (DOMAIN.md §1: the record and certificates arrive differently). */
export type InstallationFamily = 'iphone' | 'android';
/** pending → active (completed) → superseded (a later installation won); pending → failed. */
export type InstallationState = 'pending' | 'active' | 'superseded' | 'failed';

/** One attempt to put the resident's credentials on one device. */
export interface InstallationsTable {
  id: string;
  resident_id: string;
  family: InstallationFamily;
  state: InstallationState;
  /** The resident's highest device-slot generation when the installation started (0 before any). */
  base_generation: number;
  /** The card that authorised the installation (the card step), when known. */
  card_id: string | null;
  /** The device description of the installation request, JSON (no personal data). */
  device_info: string | null;
  /** The device key attestation as received (e.g. the OpenID4VCI key_attestation JWT), for the record. */
  key_attestation: string | null;
  created_at: number;
  completed_at: number | null;
  /** When the installation became superseded or failed. */
  ended_at: number | null;
}

/**
 * The one-device rule: a resident's device slots, one per completed installation, numbered 1, 2, 3 …
 * PRIMARY KEY (resident_id, generation) makes two completions from the same base collide.
 */
export interface DeviceSlotsTable {
  resident_id: string;
  generation: number;
  installation_id: string;
  created_at: number;
}

/** What a credential is: the card-substitute record or one of the two smartphone JPKI certificates. */
export type CredentialKind = 'mdoc' | 'jpki-sign' | 'jpki-auth';
/** Whether a credential is in force. */
export type CredentialState = 'active' | 'revoked';

/** A credential issued to an installation: an mdoc IssuerSigned or a JPKI certificate. */
export interface CredentialsTable {
  id: string;
  installation_id: string;
  resident_id: string;
  kind: CredentialKind;
  /** Certificate serial, lower-case hex (JPKI kinds). */
  serial: string | null;
  /** SHA-256 of MobileSecurityObjectBytes, lower-case hex (mdoc): the record's inquiry key (DOMAIN.md §4). */
  mso_digest: string | null;
  not_after: number;
  state: CredentialState;
  revoked_at: number | null;
  /** RFC 5280 §5.3.1 CRLReason name, e.g. `superseded`. */
  revocation_reason: string | null;
  /** DER certificate or IssuerSigned CBOR. */
  bytes: Uint8Array;
  /** The record's index in its status-list partition (migration 0003 publishes it). */
  status_list_index: number | null;
  created_at: number;
  /** The record's Token Status List partition (`status_list_partitions.partition`), migration 0003. */
  status_list_partition: number | null;
  /** The JPKI certificate's CRL partition: the holder's municipality code at issuance (migration 0003). */
  crl_partition: string | null;
  /** The issuing certificate's name in the hierarchy (`jpki-sign-ca-g0`; the DS for a record), migration 0003. */
  issuer_certificate: string | null;
}

/** An OpenID4VCI credential offer's pre-authorized code, kept only as its SHA-256. */
export interface Oid4vciOffersTable {
  /** SHA-256 of the pre-authorized code, lower-case hex. */
  pre_authorized_code_hash: string;
  installation_id: string;
  /** `hmac-sha256$v1$…` verifier of the tx_code (tx-code-verifier.ts; `scrypt$…` before), null when the offer has none. */
  tx_code_verifier: string | null;
  expires_at: number;
  /** tx_code attempts counted against the limit (reserved before each check). */
  failed_attempts: number;
  used_at: number | null;
  created_at: number;
}

/** An OpenID4VCI access token, kept only as its SHA-256. */
export interface Oid4vciAccessTokensTable {
  token_hash: string;
  installation_id: string;
  expires_at: number;
  created_at: number;
}

/** An entry of the append-only event log; `detail` is JSON without personal data. */
export interface EventsTable {
  id: string;
  resident_id: string | null;
  kind: string;
  detail: string;
  at: number;
}

/**
 * The bearer secret of one pending installation (migration 0002), kept only as its SHA-256: it lets the
 * phone that passed the card step send its certificate signing requests.
 */
export interface InstallationTokensTable {
  token_hash: string;
  installation_id: string;
  expires_at: number;
  created_at: number;
}

/**
 * Credentials issued to a pending installation and held back until it completes (migration 0002): the
 * iPhone family's JPKI certificates wait here for the record, and completion moves them into
 * `credentials` in the transaction that takes the device slot.
 */
export interface StagedCredentialsTable {
  id: string;
  installation_id: string;
  kind: CredentialKind;
  serial: string | null;
  mso_digest: string | null;
  not_after: number;
  bytes: Uint8Array;
  created_at: number;
  /** As in `credentials` (migration 0003). */
  status_list_partition: number | null;
  /** As in `credentials` (migration 0003). */
  status_list_index: number | null;
  /** As in `credentials` (migration 0003). */
  crl_partition: string | null;
  /** As in `credentials` (migration 0003). */
  issuer_certificate: string | null;
}

/**
 * One Token Status List partition (migration 0003). Records are spread over partitions of `capacity`
 * indexes; `allocated` counts positions handed out, each mapped to an index by a keyed permutation
 * (`permutation_key`, never published) so an index does not reveal issuance order. Every transaction that
 * changes a status in the partition bumps `version`; the publisher signs when `signed_version` < `version`
 * and keeps the token here, so every instance serves the same bytes and ETag.
 */
export interface StatusListPartitionsTable {
  partition: number;
  capacity: number;
  allocated: number;
  permutation_key: Uint8Array;
  version: number;
  signed_version: number | null;
  /** The signed status list CWT (`application/statuslist+cwt`). */
  token: Uint8Array | null;
  etag: string | null;
  signed_at: number | null;
  expires_at: number | null;
  created_at: number;
}

/** A life event of a resident and what it revoked (append-only; `detail` is JSON without personal data). */
export interface LifeEventsTable {
  id: string;
  resident_id: string;
  /** The event's name (`addressChanged`, `death`, `deviceLost` …). */
  event: string;
  /** The statute or rule that makes the event a reason for expiry (a stable code, e.g. `jpki-act-15`). */
  legal_basis: string;
  /** JSON: revoked credential ids and kinds, counts — never names, addresses or numbers. */
  detail: string;
  occurred_at: number;
  recorded_at: number;
}

/** What one installation (phone) must hear, numbered 1, 2, 3 … per installation (SSE `id`, Last-Event-ID). */
export interface NoticesTable {
  installation_id: string;
  seq: number;
  /** `credential.revoked`, `credential.suspended`, `credential.reinstated`, `installation.superseded` … */
  kind: string;
  /** JSON without personal data (credential ids, kinds, reasons). */
  detail: string;
  at: number;
}

/** A relying party's client credentials at the issuer (inquiry, platform status, insurance confirmation). */
export interface RpClientsTable {
  client_id: string;
  name: string;
  /** SHA-256 of the client secret (32 random bytes, base64url), lower-case hex. */
  secret_hash: string;
  /** Space-separated roles: `inquiry`, `platform-status`, `insurance`. */
  roles: string;
  created_at: number;
  disabled_at: number | null;
}

/** A resident's health-insurance qualification in the sandbox's insurer registry (資格確認). */
export interface InsuranceQualificationsTable {
  id: string;
  resident_id: string;
  /** 保険者番号 (6 or 8 digits). */
  insurer_number: string;
  /** 記号. */
  symbol: string;
  /** 番号. */
  number: string;
  /** 枝番 (2 digits), when issued. */
  branch: string | null;
  /** 一部負担金割合 as a percentage (10, 20, 30). */
  copayment_percent: number;
  /** `YYYY-MM-DD`. */
  valid_from: string;
  /** `YYYY-MM-DD`, or null when open-ended. */
  valid_until: string | null;
  created_at: number;
}

/** The bearer token of a notices stream (migration 0004), kept only as its SHA-256. */
export interface NoticeSubscriptionsTable {
  token_hash: string;
  installation_id: string;
  expires_at: number;
  created_at: number;
}

/**
 * Every table of the issuer's database. It extends @mynakit/db's `Database`, whose `nonces` table holds
 * the OpenID4VCI c_nonces through @mynakit/db's NonceStore.
 */
export interface IssuerDatabase extends Database {
  residents: ResidentsTable;
  cards: CardsTable;
  installations: InstallationsTable;
  device_slots: DeviceSlotsTable;
  credentials: CredentialsTable;
  oid4vci_offers: Oid4vciOffersTable;
  oid4vci_access_tokens: Oid4vciAccessTokensTable;
  events: EventsTable;
  installation_tokens: InstallationTokensTable;
  staged_credentials: StagedCredentialsTable;
  status_list_partitions: StatusListPartitionsTable;
  life_events: LifeEventsTable;
  notices: NoticesTable;
  rp_clients: RpClientsTable;
  insurance_qualifications: InsuranceQualificationsTable;
  notice_subscriptions: NoticeSubscriptionsTable;
}
