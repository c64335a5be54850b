/**
 * Bounds on what a received DeviceResponse or IssuerSigned may hold.
 *
 * Decoding comes before any signature is checked, so anyone can make a verifier read whatever they
 * send. Every table lookup while reading is O(1), which keeps the work linear in the input; these
 * limits in addition cap the counts the CDDL leaves open (`[+ Document]`, `{+ NameSpace => …}`,
 * `[+ IssuerSignedItemBytes]`, `{+ DigestID => Digest}` …), so that a response is refused at the
 * first count past a limit instead of being read to its end. ISO/IEC 18013-5 sets no figure; each
 * limit is far above what real documents hold (an mDL has 2–3 namespaces and about 40 elements in
 * the largest, up to 100 more for `age_over_NN`), and applies to every reader of these structures
 * (readDeviceResponse and the structure readers it is made of) — one table.
 *
 * Exceeding a limit is a failed `decode` check whose detail names the limit (`limit digests`), or
 * an `MdocLimitError` (code `MDOC_LIMIT`) from the decode functions.
 */
import { MdocError } from './errors.js';

export const LIMITS = Object.freeze({
  /** Documents in a DeviceResponse (one per requested docType; a wallet holds a handful). */
  documents: 32,
  /**
   * Namespaces of one document: IssuerNameSpaces, valueDigests, DeviceNameSpaces, Errors,
   * keyAuthorizations (AuthorizedNameSpaces, AuthorizedDataElements). Real documents have 1–3.
   */
  nameSpaces: 64,
  /**
   * Entries of one namespace: IssuerSignedItems, its valueDigests (DigestIDs), DeviceSignedItems,
   * ErrorItems, a DataElementsArray. The largest standard namespace has about 140 elements.
   */
  elementsPerNameSpace: 1024,
  /** IssuerSignedItems disclosed in one document, over all its namespaces. */
  elements: 4096,
  /** Digests of one MSO, over all its namespaces (each disclosed item needs one). */
  digests: 4096,
  /**
   * Keys of one structure map whose CDDL names its keys — MobileSecurityObject (7 keys),
   * IssuerSignedItem (4), ValidityInfo (4), DeviceKeyInfo (3), KeyAuthorizations (2), the MSO status
   * and KeyInfo — unknown keys included; and DocumentError maps of a response.
   */
  mapKeys: 64,
  /** documentErrors entries of a DeviceResponse (one per docType not returned). */
  documentErrors: 32,
  /**
   * Certificates of an x5chain (RFC 9360): the document signer and its intermediates up to the
   * IACA — ISO/IEC 18013-5 Annex B has no intermediate; 8 leaves room for a deep PKI.
   */
  x5chain: 8,
});

export type LimitName = keyof typeof LIMITS;

/** Received input with more of something than `LIMITS[limit]` allows. */
export class MdocLimitError extends MdocError {
  readonly limit: LimitName;
  readonly bound: number;

  constructor(limit: LimitName, where: string) {
    super('MDOC_LIMIT', `${where}: more than ${LIMITS[limit]} entries (limit ${limit})`);
    this.limit = limit;
    this.bound = LIMITS[limit];
  }
}

/** Throws MdocLimitError when `count` exceeds `LIMITS[limit]`. */
export function checkLimit(count: number, limit: LimitName, where: string): void {
  if (count > LIMITS[limit]) throw new MdocLimitError(limit, where);
}
