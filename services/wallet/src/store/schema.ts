/**
 * The wallet's tables (Kysely types). Instants are epoch milliseconds; bytes are `bytea` / `blob`.
 * Every row belongs to one device: SQLite keeps one file per phone, PostgreSQL one schema `wallet` for all.
 */
import type { Generated } from 'kysely';

/** A phone. */
export interface DeviceTable {
  id: string;
  family: 'iphone' | 'android';
  model: string | null;
  created_at: number;
}

/** An installation of a holder's credentials on a phone, as the issuer named it. */
export interface InstallationTable {
  id: string;
  device_id: string;
  credential_issuer: string;
  family: 'iphone' | 'android';
  /** pending while certificates or record are awaited, active once the issuer completed it. */
  state: 'pending' | 'active';
  /** What the issuer said the installation holds (JSON array: jpki-auth, jpki-sign, mdoc). */
  needs: string;
  created_at: number;
}

/** A document (mdoc) held by a phone. */
export interface DocumentTable {
  id: string;
  device_id: string;
  installation_id: string | null;
  doc_type: string;
  /** The IssuerSigned exactly as received (ISO/IEC 18013-5 §8.3.2.1.2.2). */
  issuer_signed: Uint8Array;
  /** The secure-area alias of the device key the MSO names. */
  device_key_alias: string;
  state: 'active' | 'invalidated';
  credential_issuer: string;
  /** The issuer's credential id (its `notification_id`, OpenID4VCI §8.3). */
  credential_id: string | null;
  notification_id: string | null;
  valid_until: number;
  received_at: number;
  invalidated_at: number | null;
  invalidation_reason: string | null;
}

/** A smartphone JPKI certificate and the secure-area key it certifies. */
export interface JpkiCertificateTable {
  id: string;
  device_id: string;
  installation_id: string;
  purpose: 'sign' | 'auth';
  certificate: Uint8Array;
  issuer_certificate: Uint8Array;
  serial_number: string;
  not_after: number;
  key_alias: string;
  state: 'active' | 'invalidated';
  received_at: number;
  /** When the certificate stopped being usable (migration 0002). */
  invalidated_at: number | null;
  /** Why (migration 0002): the issuer's CRLReason name, e.g. `superseded`, `certificateHold`. */
  invalidation_reason: string | null;
}

/** A secret's verifier and try counter (DOMAIN.md §3 "PINs"). */
export interface SecretTable {
  device_id: string;
  kind: 'authPin' | 'signaturePassword';
  /** @mynakit/jpki PIN verifier (scrypt). */
  verifier: string;
  remaining: number;
  max_tries: number;
  /** 1 once the last try failed; cleared only by setting the secret anew (re-installation). */
  locked: number;
  updated_at: number;
}

/** What was shared with whom, when (filled by presentation). */
export interface PresentationTable {
  id: Generated<number>;
  device_id: string;
  document_id: string | null;
  /** The relying party as identified (reader certificate subject, client_id, origin). */
  relying_party: string;
  /** How: proximity, DC API, OpenID4VP redirect. */
  channel: string;
  /** JSON array of [namespace, element] pairs shared (never their values). */
  elements: string;
  shared_at: number;
}

/** The wallet's database. */
/** The last issuer notice applied for one installation of a device (migration 0002). */
export interface NoticeCursorTable {
  device_id: string;
  /** The issuer's installation id. */
  installation_id: string;
  /** The notice `seq` (SSE `id`) last applied. */
  last_seq: number;
  updated_at: number;
}

export interface WalletDatabase {
  devices: DeviceTable;
  installations: InstallationTable;
  documents: DocumentTable;
  jpki_certificates: JpkiCertificateTable;
  secrets: SecretTable;
  presentations: PresentationTable;
  notice_cursors: NoticeCursorTable;
}
