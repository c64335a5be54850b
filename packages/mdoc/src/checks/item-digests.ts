/**
 * `item.digest` (ISO/IEC 18013-5 §9.1.2.5, §9.3.1): every disclosed IssuerSignedItemBytes hashes —
 * exactly as received, tag 24 included, never re-encoded — to valueDigests[namespace][digestID] of the
 * MSO. Only items whose digest matched are reported as present; an element signed twice in one
 * namespace is refused, not resolved (see `repeatedIdentifiers`).
 */
import type { Check } from '@mynakit/report';
import { CheckMemo } from '../internal/check-memo.js';

const PASSED = new CheckMemo('item.digest');

import { type ReceivedIssuerSigned, repeatedIdentifiers } from '../issuer-signed.js';
import { hexDigestOf } from '../mobile-security-object.js';
import { VerifiedItems } from '../verified-document.js';

/**
 * The `item.digest` check and the items whose digest matched. `hash` is the node:crypto name of the
 * MSO's digest algorithm; undefined (unsupported) fails the check without hashing anything.
 */
export function checkItemDigests(
  issuerSigned: ReceivedIssuerSigned,
  hash: string | undefined,
): { readonly check: Check; readonly verified: VerifiedItems } {
  const verified = new VerifiedItems();
  if (!hash) {
    const detail = 'digests cannot be checked: unsupported digest algorithm';
    return { check: { id: 'item.digest', status: 'failed', detail }, verified };
  }
  const digests = issuerSigned.mso.digests;
  let total = 0;
  let bad: string[] | undefined;
  for (const [ns, items] of issuerSigned.items) {
    const twice = repeatedIdentifiers(items);
    for (const item of items) {
      total++;
      let problem: string | undefined;
      if (twice?.has(item.elementIdentifier)) problem = ' (signed more than once in its namespace)';
      else {
        const outcome = digests.compare(ns, item.digestID, hexDigestOf(hash, item.raw));
        if (outcome === 'match') verified.add(ns, item);
        else problem = outcome === 'missing' ? ' (digestID not in the MSO)' : '';
      }
      if (problem === undefined) continue;
      bad ??= [];
      bad.push(`${ns}/${item.elementIdentifier}${problem}`);
    }
  }
  const check: Check =
    bad === undefined
      ? (PASSED.get(total) ??
        PASSED.remember(total, `${total} of ${total} disclosed element digests match the MSO`))
      : {
          id: 'item.digest',
          status: 'failed',
          detail: `${bad.length} of ${total} digests do not match: ${bad.join(', ')}`,
        };
  return { check, verified };
}
