/**
 * What every presentation channel of the phone does the same way once the holder has answered the consent
 * screen (ISO/IEC 18013-5 §8.3.2.1.2.2 selective disclosure; DOMAIN.md §2):
 *
 * - only an active document, still within its validity, is offered — a document invalidated by a notice
 *   never is (the first half of revocation's double measure);
 * - the holder's approval is checked against what the request asked and the phone holds: an element not
 *   asked or not held is WALLET_INVALID_INPUT, My Number withheld from the requester is
 *   WALLET_MY_NUMBER_WITHHELD — exactly the approved elements go out, nothing more;
 * - the device owner authenticates once per document key before anything is signed, and the secure area
 *   signs DeviceAuthentication (the device key never leaves it);
 * - one history line per document: element names, never values.
 *
 * Internal to the presentation channels (Annex C, OpenID4VP over the DC API); not exported by the package.
 */
import { presentMdoc } from '@mynakit/mdoc';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { AuthTicket, UserAuthentication } from '../secure-area/secure-area.js';
import type { WalletDocument } from '../store/document-repository.js';

/** One requested element as a consent summary lists it (the fields the consent check reads). */
export interface AskedElement {
  readonly namespace: string;
  readonly identifier: string;
  readonly held: boolean;
  readonly withheld?: string;
}

/** The holder's approval: per docType, the namespace → element identifiers they agree to share. */
export type PresentationConsent = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** One document to present, with the elements the holder approved. */
export interface ApprovedDocument {
  readonly document: WalletDocument;
  /** namespace → identifiers, for presentMdoc. */
  readonly elements: Readonly<Record<string, readonly string[]>>;
  /** The [namespace, identifier] pairs disclosed, in the order approved. */
  readonly pairs: readonly (readonly [string, string])[];
}

/** The newest active document of `docType` still within its validity, if the phone holds one. */
export async function activeDocumentOf(
  device: WalletDevice,
  docType: string,
): Promise<WalletDocument | undefined> {
  const docs = await device.store.documents.list(device.id, docType);
  const now = device.clock().getTime();
  return docs.find((d) => d.state === 'active' && d.validUntil.getTime() > now);
}

/**
 * Resolves the holder's approval against what was asked (`asked`: docType → its requested elements).
 * Documents the phone does not hold active, and docTypes with nothing approved, are left out; WALLET_NOT_FOUND
 * when nothing remains.
 */
export async function approvedDocuments(
  device: WalletDevice,
  asked: ReadonlyMap<string, readonly AskedElement[]>,
  consent: PresentationConsent,
): Promise<ApprovedDocument[]> {
  if (typeof consent !== 'object' || consent === null)
    throw new WalletError('WALLET_INVALID_INPUT', 'the consent is an object of docTypes');
  const approved: ApprovedDocument[] = [];
  for (const [docType, approvedNs] of Object.entries(consent)) {
    const askedElements = asked.get(docType);
    if (askedElements === undefined)
      throw new WalletError('WALLET_INVALID_INPUT', 'the consent names a document not requested');
    const held = await activeDocumentOf(device, docType);
    if (held === undefined) continue;
    if (typeof approvedNs !== 'object' || approvedNs === null)
      throw new WalletError('WALLET_INVALID_INPUT', 'the consent lists namespaces');
    const elements = new Map<string, string[]>();
    const pairs: (readonly [string, string])[] = [];
    for (const [namespace, ids] of Object.entries(approvedNs)) {
      if (!Array.isArray(ids)) throw new WalletError('WALLET_INVALID_INPUT', 'the consent lists identifiers');
      // Bounded by the request: every approved identifier must be one the request asked.
      for (const identifier of ids) {
        const element = askedElements.find((e) => e.namespace === namespace && e.identifier === identifier);
        if (element === undefined || !element.held)
          throw new WalletError(
            'WALLET_INVALID_INPUT',
            'the consent names an element not requested or not held',
          );
        if (element.withheld !== undefined)
          throw new WalletError('WALLET_MY_NUMBER_WITHHELD', 'My Number is withheld from this relying party');
        const list = elements.get(namespace) ?? [];
        if (list.includes(identifier)) continue;
        list.push(identifier);
        elements.set(namespace, list);
        pairs.push([namespace, identifier]);
      }
    }
    if (pairs.length === 0) continue;
    approved.push({ document: held, elements: Object.fromEntries(elements), pairs });
  }
  if (approved.length === 0)
    throw new WalletError('WALLET_NOT_FOUND', 'nothing approved is held by this phone');
  return approved;
}

/** The owner's authentication for each approved document's key: one ticket per key, good for one signature. */
export type OwnerTickets = ReadonlyMap<string, AuthTicket>;

/**
 * The owner authenticates first (one ticket per document key), so a failed biometric
 * (WALLET_BIOMETRIC_FAILED) stops the presentation before anything is signed.
 */
export async function authenticateOwner(
  device: WalletDevice,
  approved: readonly ApprovedDocument[],
  userAuthentication: UserAuthentication,
): Promise<OwnerTickets> {
  const tickets = new Map<string, AuthTicket>();
  for (const a of approved)
    tickets.set(
      a.document.id,
      await device.secureArea.authenticate(a.document.deviceKeyAlias, userAuthentication),
    );
  return tickets;
}

/**
 * One DeviceResponse holding `approved` (ISO/IEC 18013-5 §8.3.2.1.2.2), DeviceAuthentication over
 * `sessionTranscriptBytes` (used byte-exact) signed in the secure area with each document's ticket.
 */
export async function deviceResponseOf(
  device: WalletDevice,
  approved: readonly ApprovedDocument[],
  sessionTranscriptBytes: Uint8Array,
  tickets: OwnerTickets,
): Promise<Uint8Array> {
  const deviceSigner = new Map(
    approved.map((a) => [
      a.document.docType,
      {
        algorithm: 'ES256' as const,
        sign: (toBeSigned: Uint8Array) =>
          device.secureArea.sign(a.document.deviceKeyAlias, toBeSigned, 'ES256', tickets.get(a.document.id)),
      },
    ]),
  );
  try {
    return await presentMdoc({
      documents: approved.map((a) => a.document.issuerSigned),
      request: approved.map((a) => ({ docType: a.document.docType, elements: a.elements })),
      sessionTranscriptBytes,
      deviceSigner: Object.fromEntries(deviceSigner),
      mode: 'signature',
    });
  } catch (e) {
    // The secure area's refusal is the wallet's own error, not the mdoc layer's.
    if (e instanceof Error && e.cause instanceof WalletError) throw e.cause;
    throw e;
  }
}

/** One history line per presented document (element names, never values). */
export async function recordPresentations(
  device: WalletDevice,
  approved: readonly ApprovedDocument[],
  relyingParty: string,
  channel: string,
): Promise<void> {
  const sharedAt = device.clock();
  for (const a of approved)
    await device.store.presentations.record({
      deviceId: device.id,
      documentId: a.document.id,
      relyingParty,
      channel,
      elements: a.pairs,
      sharedAt,
    });
}

/** Per docType, the [namespace, identifier] pairs disclosed (a dictionary without a prototype). */
export function disclosedOf(
  approved: readonly ApprovedDocument[],
): Readonly<Record<string, readonly (readonly [string, string])[]>> {
  const out: Record<string, readonly (readonly [string, string])[]> = Object.create(null);
  for (const a of approved) out[a.document.docType] = a.pairs;
  return out;
}
