import { decodeIssuerSignedBytes, type KeyInput } from '@mynakit/mdoc';
import { Oid4vpError } from './errors.js';
import type { HeldDocument } from './openid4vp/dcql-match.js';
import { dictionary } from './own-keys.js';

/**
 * A document as a wallet keeps it: the IssuerSigned bytes exactly as issued, and the device key that
 * the MSO binds (a KeyObject or a JWK here; in a phone it lives in the secure element).
 */
export interface StoredMdoc {
  readonly id: string;
  readonly issuerSigned: Uint8Array;
  readonly deviceKey: KeyInput;
}

/** The docType (from the MSO) and the element values of a stored document, for request matching. */
export function heldDocumentOf(stored: Pick<StoredMdoc, 'id' | 'issuerSigned'>): HeldDocument {
  try {
    // The MSO is read by @mynakit/mdoc from issuerAuth's payload (nothing is verified here).
    const signed = decodeIssuerSignedBytes(stored.issuerSigned);
    const mso = signed.mso;
    if (!mso) throw new Oid4vpError('DECODE', 'issuerAuth carries no MobileSecurityObject');
    // Namespaces and identifiers are the issuer's text: dictionaries without a prototype hold them.
    const elements = dictionary<Record<string, unknown>>();
    for (const [ns, items] of signed.nameSpaces) {
      const out = dictionary<unknown>();
      for (const item of items) out[item.elementIdentifier] = item.elementValue;
      elements[ns] = out;
    }
    return { id: stored.id, docType: mso.docType, elements };
  } catch (e) {
    if (e instanceof Oid4vpError) throw e;
    throw new Oid4vpError('DECODE', `stored document ${stored.id} is not a readable IssuerSigned`, {
      cause: e,
    });
  }
}
