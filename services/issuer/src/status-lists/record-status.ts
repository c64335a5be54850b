/**
 * The status-list position of a record about to be issued (the RecordStatusAllocator of
 * records/issue-record.ts): every card-substitute record (`org.iso.23220.1.jp.mnc`) gets one — a partition
 * and a permuted index from store.statusLists — and its MSO then carries
 * `status: {status_list: {idx, uri: <origin>/status-lists/<partition>}}` (draft-ietf-oauth-status-list §6.3;
 * DOMAIN.md §4). The sandbox's sample mDL gets none: it is a demonstration licence that nothing revokes,
 * and an ISO 18013-5 reader must accept an MSO without `status`.
 *
 * The position is taken after the key proof verified (a forged request spends none) and before signing
 * (the MSO must name it). A record that is then not stored leaves its index unused — VALID forever, an
 * inert decoy entry.
 */
import type { IssuerDeps } from '../context.js';
import type { RecordStatusAllocator } from '../records/issue-record.js';

/** The docType whose records are published in the status lists. */
export const STATUS_LISTED_DOCTYPE = 'org.iso.23220.1.jp.mnc';

/** The URI a partition is published at: `<origin>/status-lists/<partition>` (also its token's `sub`). */
export function statusListUri(origin: string, partition: number): string {
  return `${origin.replace(/\/+$/, '')}/status-lists/${partition}`;
}

/** Allocates status-list positions for card-substitute records; undefined for every other docType. */
export function recordStatusAllocator(
  deps: Pick<IssuerDeps, 'store' | 'config' | 'clock'>,
): RecordStatusAllocator {
  return async (record) => {
    if (record.docType !== STATUS_LISTED_DOCTYPE) return undefined;
    const { partition, index } = await deps.store.statusLists.allocate(deps.clock().getTime());
    return { partition, index, uri: statusListUri(deps.config.origin, partition) };
  };
}
