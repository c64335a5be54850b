/**
 * The page's calls to the sandbox's auditor routes (`/verifier/auditor/api/…`, apps/sandbox/src/auditor-pages.ts).
 * Every URL is relative to the page, so it works wherever the sandbox mounts it. The page holds no key: the
 * sandbox reads the verifier's records with the bank's auditor key on its side.
 */

import { ApiError, apiUrl, callApi } from '../../shared/api-client';

export { ApiError, apiUrl };

/** A JSON GET; throws ApiError on a problem answer. */
export function getJson<T>(path: string, query: Record<string, string> = {}): Promise<T> {
  return callApi<T>(path, { query });
}

/** What the customer declared (取引時確認): a category with its Japanese name, and free text for 「その他」. */
export interface DeclaredItem {
  code: string;
  name_ja: string | null;
  detail?: string;
}

/** One line of the list (GET api/records). */
export interface RecordSummary {
  id: string;
  chainId: string;
  seq: number;
  recordedAt: string;
  legalHold: boolean;
  tombstoned: boolean;
  outcome: string | null;
  verdict: string | null;
  channel: string | null;
  law: string | null;
  method: { letter: string | null; law: string | null; name_ja: string | null } | null;
  /** Why no method applies, when `method` is null. */
  methodReasons: string[];
  transactionType: string | null;
  transactionPurpose: DeclaredItem | null;
  occupation: DeclaredItem | null;
}

/** GET api/records. */
export interface RecordList {
  from: string;
  to: string;
  records: RecordSummary[];
  /** More records than listed: narrow the range. */
  more: boolean;
}

/** GET api/records/{id}: the record as the verifier shows it. */
export interface RecordFull {
  id: string;
  relyingPartyId?: string;
  chainId: string;
  seq: number;
  recordedAt: string;
  retainUntil: string;
  tombstonedAt: string | null;
  legalHold: boolean;
  prevHash?: string;
  contentHash?: string;
  hash: string;
  content: Record<string, unknown> | null;
}

/** GET api/chains. */
export interface ChainReport {
  verdict: 'valid' | 'invalid' | 'undetermined';
  counts: { chains: number; records: number; checkpoints: number };
  checks: { id: string; status: string; detail: string }[];
  firstBroken: { chainId: string; seq: number; reason: string; recordId: string | null } | null;
}
