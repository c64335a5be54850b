/**
 * Presenting over the W3C Digital Credentials API with protocol `org-iso-mdoc` (ISO/IEC 18013-7 Annex C,
 * the one Safari/iOS accepts; DOMAIN.md §2), in two steps as a phone shows it:
 *
 * 1. `readAnnexCRequest` — what the page asks, per docType and element, with what this phone holds
 *    (active documents only: a document invalidated by a notice is never offered — the first half of
 *    revocation's double measure) and what it will withhold whatever the holder says;
 * 2. `presentAnnexC` — after the holder's consent (the elements approved) and the device owner's biometric:
 *    the DeviceResponse over the dcapi SessionTranscript (derived from the EncryptionInfo string exactly as
 *    received and the origin the browser reports), signed in the secure area (the device key never leaves
 *    it), HPKE-sealed to the page's key, and — as it is handed over (hand-off.ts) — one line in the presentation
 *    history (element names, never values).
 *
 * Reader authentication (ISO/IEC 18013-5 §9.1.4; `readerAuthAll` in a DeviceRequest 1.1 as Apple
 * requires, or per-DocRequest `readerAuth`) is verified against the reader roots the phone trusts, over the
 * same dcapi SessionTranscript: a request whose reader signature does not verify is refused
 * (WALLET_READER_AUTH_INVALID); a verified one names the requester on the consent screen. My Number
 * (`individual_number_unicode`) goes only to a requester whose *verified* reader certificate declares a
 * legal basis (DOMAIN.md §2, @mynakit/oid4vp readMyNumberLegalBasis); otherwise it is withheld whatever the
 * holder approves.
 */
import { type DeviceRequest, JP_MNC_NAMESPACE, MY_NUMBER_ELEMENT, verifyReaderAuth } from '@mynakit/mdoc';
import {
  annexCSessionTranscript,
  encryptAnnexCResponse,
  heldDocumentOf,
  parseAnnexCRequest,
  readMyNumberLegalBasis,
} from '@mynakit/oid4vp';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import {
  activeDocumentOf,
  approvedDocuments,
  authenticateOwner,
  deviceResponseOf,
  disclosedOf,
  type PresentationConsent,
  recordPresentations,
} from './consented-documents.js';
import { type HandOff, handOffAtOnce } from './hand-off.js';

/** The history's name of this channel. */
export const ANNEX_C_CHANNEL = 'dc-api-org-iso-mdoc';

/** One requested element as the consent screen shows it. */
export interface RequestedElement {
  readonly namespace: string;
  readonly identifier: string;
  /** The reader says it will keep the value (ISO 18013-5 IntentToRetain). */
  readonly intentToRetain: boolean;
  /** The active document of this docType holds the element. */
  readonly held: boolean;
  /** Why it is not offered whatever the holder approves. */
  readonly withheld?: 'my-number-without-basis';
}

/** One requested document. */
export interface RequestedDocument {
  readonly docType: string;
  /** The phone holds an active document of this docType. */
  readonly available: boolean;
  readonly elements: readonly RequestedElement[];
}

/** Who asks, as reader authentication proved it. */
export interface RequestingReader {
  /** `verified`: a reader signature verified to a trusted root; `none`: the request carries none. */
  readonly authentication: 'verified' | 'none';
  /** The reader certificate's subject (who asks), when verified. */
  readonly subject?: string;
  /** The legal basis for My Number the verified certificate declares, when it declares one. */
  readonly myNumberLegalBasis?: { readonly provision: string; readonly basisCode: string };
}

/** What a page asks, as the consent screen shows it. */
export interface AnnexCRequestSummary {
  readonly origin: string;
  readonly documents: readonly RequestedDocument[];
  /** How the reader authenticated itself in the request (`readerAuthAll`, `readerAuth` or `none`). */
  readonly readerAuthentication: string;
  readonly reader: RequestingReader;
}

/**
 * Verifies a DeviceRequest's reader authentication over `sessionTranscriptBytes` (see the file comment);
 * throws WALLET_READER_AUTH_INVALID.
 */
function requestingReader(
  parsed: { readonly deviceRequestBytes: Uint8Array; readonly readerAuthentication: string },
  sessionTranscriptBytes: Uint8Array,
  readerTrustAnchors: readonly Uint8Array[],
  now: Date,
): RequestingReader {
  if (parsed.readerAuthentication === 'none') return { authentication: 'none' };
  const result = verifyReaderAuth(parsed.deviceRequestBytes, {
    sessionTranscriptBytes,
    trustAnchors: readerTrustAnchors,
    now,
  });
  const certificate = result.readerCertificate;
  if (result.verdict !== 'valid' || certificate === undefined)
    throw new WalletError(
      'WALLET_READER_AUTH_INVALID',
      "the requester's reader authentication does not verify",
    );
  let basis: ReturnType<typeof readMyNumberLegalBasis>;
  try {
    basis = readMyNumberLegalBasis(certificate);
  } catch (e) {
    // A certificate that half-declares a basis is refused, never read as one.
    throw new WalletError('WALLET_READER_AUTH_INVALID', 'the reader certificate declares a malformed basis', {
      cause: e,
    });
  }
  return {
    authentication: 'verified',
    subject: certificate.subject,
    ...(basis.declared
      ? { myNumberLegalBasis: { provision: basis.provision, basisCode: basis.basisCode } }
      : {}),
  };
}

/** Most elements summarised per request (a real request names a handful). */
const MAX_ELEMENTS = 256;

/** A DeviceRequest as read for the consent screen, whatever channel carried it. */
export interface DeviceRequestSummary {
  readonly documents: readonly RequestedDocument[];
  /** How the reader authenticated itself in the request (`readerAuthAll`, `readerAuth` or `none`). */
  readonly readerAuthentication: string;
  readonly reader: RequestingReader;
}

/**
 * What a DeviceRequest (ISO/IEC 18013-5 §8.3.2.1.2.1 — the same structure over Annex C and over proximity)
 * asks of this phone: per docType and element, what the phone holds and what it withholds, with the reader
 * authentication verified over the channel's `sessionTranscriptBytes` (WALLET_READER_AUTH_INVALID).
 * WALLET_INVALID_INPUT when the request names too many elements.
 */
export async function readDeviceRequest(input: {
  readonly device: WalletDevice;
  readonly deviceRequest: DeviceRequest;
  readonly deviceRequestBytes: Uint8Array;
  readonly readerAuthentication: string;
  readonly sessionTranscriptBytes: Uint8Array;
  readonly readerTrustAnchors?: readonly Uint8Array[];
}): Promise<DeviceRequestSummary> {
  const reader = requestingReader(
    input,
    input.sessionTranscriptBytes,
    input.readerTrustAnchors ?? input.device.readerTrustAnchors ?? [],
    input.device.clock(),
  );
  const documents: RequestedDocument[] = [];
  let count = 0;
  for (const docRequest of input.deviceRequest.docRequests) {
    const { docType, nameSpaces } = docRequest.itemsRequest;
    const held = await activeDocumentOf(input.device, docType);
    const heldElements = held
      ? heldDocumentOf({ id: held.id, issuerSigned: held.issuerSigned }).elements
      : undefined;
    const elements: RequestedElement[] = [];
    for (const [namespace, items] of Object.entries(nameSpaces)) {
      const heldNs =
        heldElements && Object.hasOwn(heldElements, namespace) ? heldElements[namespace] : undefined;
      for (const [identifier, intentToRetain] of Object.entries(items)) {
        if (++count > MAX_ELEMENTS)
          throw new WalletError('WALLET_INVALID_INPUT', 'the request asks too many elements');
        const myNumber = namespace === JP_MNC_NAMESPACE && identifier === MY_NUMBER_ELEMENT;
        elements.push({
          namespace,
          identifier,
          intentToRetain: intentToRetain === true,
          held: heldNs !== undefined && Object.hasOwn(heldNs, identifier),
          ...(myNumber && reader.myNumberLegalBasis === undefined
            ? { withheld: 'my-number-without-basis' as const }
            : {}),
        });
      }
    }
    documents.push({ docType, available: held !== undefined, elements });
  }
  return { documents, readerAuthentication: input.readerAuthentication, reader };
}

/** Step 1: what `data` (the request's `org-iso-mdoc` data) asks of this phone. WALLET_INVALID_INPUT when unreadable. */
export async function readAnnexCRequest(input: {
  readonly device: WalletDevice;
  readonly data: unknown;
  readonly origin: string;
  /** Reader roots this phone trusts (DER); absent: the phone's own (WalletDevice.readerTrustAnchors). */
  readonly readerTrustAnchors?: readonly Uint8Array[];
}): Promise<AnnexCRequestSummary> {
  let parsed: ReturnType<typeof parseAnnexCRequest>;
  try {
    parsed = parseAnnexCRequest(input.data);
  } catch (e) {
    throw new WalletError('WALLET_INVALID_INPUT', 'the org-iso-mdoc request cannot be read', { cause: e });
  }
  const { sessionTranscriptBytes } = annexCSessionTranscript(parsed.encryptionInfo.encoded, input.origin);
  const read = await readDeviceRequest({
    device: input.device,
    deviceRequest: parsed.deviceRequest,
    deviceRequestBytes: parsed.deviceRequestBytes,
    readerAuthentication: parsed.readerAuthentication,
    sessionTranscriptBytes,
    ...(input.readerTrustAnchors ? { readerTrustAnchors: input.readerTrustAnchors } : {}),
  });
  return { origin: input.origin, ...read };
}

export type { PresentationConsent } from './consented-documents.js';

/** What was presented. */
export interface AnnexCPresentation {
  /** The `response` member of the DigitalCredential's data (base64url of the sealed `["dcapi", …]`). */
  readonly response: string;
  /** Per docType, the [namespace, identifier] pairs disclosed. */
  readonly disclosed: Readonly<Record<string, readonly (readonly [string, string])[]>>;
  /** Who asked, as reader authentication proved it (what the consent screen named). */
  readonly reader: RequestingReader;
}

/**
 * Step 2: presents what the holder approved (only elements the page asked for and the phone holds; an
 * approval of anything else is WALLET_INVALID_INPUT, of My Number WALLET_MY_NUMBER_WITHHELD). The device
 * owner's biometric unlocks each document's device key for one signature (WALLET_BIOMETRIC_FAILED).
 * WALLET_NOT_FOUND when no approved docType is held active.
 */
export async function presentAnnexC(input: {
  readonly device: WalletDevice;
  readonly data: unknown;
  readonly origin: string;
  /** Reader roots this phone trusts (DER), as for readAnnexCRequest. */
  readonly readerTrustAnchors?: readonly Uint8Array[];
  readonly consent: PresentationConsent;
  readonly userAuthentication: UserAuthentication;
  /** How the answer leaves the phone with its history line (hand-off.ts); at once by default. */
  readonly handOff?: HandOff;
}): Promise<AnnexCPresentation> {
  const { device } = input;
  const summary = await readAnnexCRequest(input);
  const parsed = parseAnnexCRequest(input.data);
  const asked = new Map(summary.documents.map((d) => [d.docType, d.elements]));
  const approved = await approvedDocuments(device, asked, input.consent);
  const { sessionTranscriptBytes } = annexCSessionTranscript(parsed.encryptionInfo.encoded, input.origin);
  const tickets = await authenticateOwner(device, approved, input.userAuthentication);
  const deviceResponse = await deviceResponseOf(device, approved, sessionTranscriptBytes, tickets);
  const { response } = await encryptAnnexCResponse({
    deviceResponse,
    encryptionInfoB64: parsed.encryptionInfo.encoded,
    origin: input.origin,
  });
  // The sealed response goes back through the browser: the history line is written as it is handed over.
  await (input.handOff ?? handOffAtOnce)(() =>
    recordPresentations(device, approved, input.origin, ANNEX_C_CHANNEL),
  );
  return { response, disclosed: disclosedOf(approved), reader: summary.reader };
}
