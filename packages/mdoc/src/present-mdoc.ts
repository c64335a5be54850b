/**
 * Presentation (holder side, ISO/IEC 18013-5:2021 §8.3.2.1.2.2, §9.1.3): from stored IssuerSigned
 * records and a request, the DeviceResponse.
 *
 * Selective disclosure never re-encodes what the issuer signed: each disclosed element is forwarded as
 * the exact IssuerSignedItemBytes the wallet received, and issuerAuth is forwarded byte for byte.
 * Device authentication is a detached COSE_Sign1 (`mode: 'signature'`, §9.1.3.6) or COSE_Mac0 with
 * EMacKey (`mode: 'mac'`, §9.1.3.5) over DeviceAuthenticationBytes.
 */
import type { KeyObject } from 'node:crypto';
import { type CborMap, type CborValue, decode, type EncodedCbor, encode, RawCbor } from '@mynakit/cbor';
import { CoseAlgorithm, createMac0, deriveMdocKey, HeaderLabel } from '@mynakit/cose';
import { deviceAuthenticationBytes } from './device-authentication.js';
import { type DeviceRequest, decodeDeviceRequest, type ItemsRequest } from './device-request.js';
import { buildDeviceResponseMap, type DocumentToEncode, ERROR_DATA_NOT_RETURNED } from './device-response.js';
import { buildDeviceSigned, encodeDeviceNameSpaces } from './device-signed.js';
import { MdocError } from './errors.js';
import { type KeyInput, toPrivateKey, toPublicKey } from './internal/keys.js';
import { getOwn, setOwn } from './internal/own.js';
import { prepareMdocSign1, signingAlgorithm, signWithKey, signWithSigner } from './internal/signing.js';
import type { IssuerSigner } from './issue-mdoc.js';
import { buildIssuerSigned, decodeIssuerSignedBytes, type IssuerSigned } from './issuer-signed.js';
import { toSessionTranscriptBytes } from './session-transcript.js';

/** A simple request: element identifiers per namespace for one docType. */
export interface SimpleDocumentRequest {
  readonly docType: string;
  readonly elements: Readonly<Record<string, readonly string[]>>;
}

export type PresentationRequest =
  | Uint8Array
  | DeviceRequest
  | SimpleDocumentRequest
  | Pick<ItemsRequest, 'docType' | 'nameSpaces'>
  | readonly (SimpleDocumentRequest | Pick<ItemsRequest, 'docType' | 'nameSpaces'>)[];

export interface PresentMdocOptions {
  /** Stored IssuerSigned records (bytes as issued). */
  readonly documents: readonly Uint8Array[];
  /** DeviceRequest bytes or structure, or simple per-docType element lists. */
  readonly request: PresentationRequest;
  /** SessionTranscriptBytes (tag 24) or a bare SessionTranscript; used byte-exact. */
  readonly sessionTranscriptBytes: Uint8Array;
  /** The device private key (one for every document), or per docType — or give `deviceSigner`. */
  readonly deviceKey?: KeyInput | Readonly<Record<string, KeyInput>>;
  /**
   * Signs DeviceAuthentication with a key held elsewhere — a phone's secure element, which never exports
   * the key (§9.1.3.6) — one for every document or per docType; `mode: 'signature'` only (a MAC needs the
   * key agreement, §9.1.3.5).
   */
  readonly deviceSigner?: DeviceSigner | Readonly<Record<string, DeviceSigner>>;
  readonly mode: 'signature' | 'mac';
  /** The reader's ephemeral public key (EReaderKey) — required for `mode: 'mac'`. */
  readonly readerEphemeralPublicKey?: KeyInput | CborMap;
  /** Elements the device signs itself, per docType → namespace → identifier. */
  readonly deviceNameSpaces?: Readonly<
    Record<string, Readonly<Record<string, Readonly<Record<string, CborValue>>>>>
  >;
}

/**
 * A device key held elsewhere: its COSE algorithm and a function signing the COSE Sig_structure bytes
 * (ECDSA as r ‖ s, RFC 9053 §2.1). The same shape as issueMdoc's IssuerSigner.
 */
export type DeviceSigner = IssuerSigner;

function isSigner(v: unknown): v is DeviceSigner {
  return typeof v === 'object' && v !== null && typeof (v as { sign?: unknown }).sign === 'function';
}

interface HeldDocument {
  readonly docType: string;
  readonly issuerSigned: IssuerSigned;
}

function held(bytes: Uint8Array, index: number): HeldDocument {
  const issuerSigned = decodeIssuerSignedBytes(bytes);
  // The docType is the MSO's: the wallet files a record under what its issuer signed.
  if (!issuerSigned.mso)
    throw new MdocError('MDOC_DECODE', `documents[${index}]: issuerAuth carries no MobileSecurityObject`);
  return { docType: issuerSigned.mso.docType, issuerSigned };
}

/** Normalises every accepted request form to ItemsRequest-like `{docType, nameSpaces}` values. */
function requestedDocuments(request: PresentationRequest): Pick<ItemsRequest, 'docType' | 'nameSpaces'>[] {
  if (request instanceof Uint8Array) return requestedDocuments(decodeDeviceRequest(decode(request)));
  if (Array.isArray(request)) return request.flatMap((r) => requestedDocuments(r));
  const r = request as DeviceRequest | SimpleDocumentRequest | Pick<ItemsRequest, 'docType' | 'nameSpaces'>;
  if ('docRequests' in r) return r.docRequests.map((d) => d.itemsRequest);
  if ('elements' in r) {
    const nameSpaces: Record<string, Record<string, boolean>> = {};
    for (const [ns, ids] of Object.entries(r.elements)) {
      const elements: Record<string, boolean> = {};
      for (const id of ids) setOwn(elements, id, false);
      setOwn(nameSpaces, ns, elements);
    }
    return [{ docType: r.docType, nameSpaces }];
  }
  return [r];
}

function isKeyMap(k: PresentMdocOptions['deviceKey']): k is Readonly<Record<string, KeyInput>> {
  return (
    typeof k === 'object' &&
    k !== null &&
    !('kty' in k) &&
    !('asymmetricKeyType' in k) &&
    Object.getPrototypeOf(k) === Object.prototype
  );
}

/**
 * Builds a DeviceResponse for `request` from the held `documents`. Requested elements a document does
 * not hold are listed in the document's `errors` (code 0, data not returned); requested docTypes the
 * wallet does not hold are listed in `documentErrors`.
 */
export async function presentMdoc(options: PresentMdocOptions): Promise<Uint8Array> {
  const sessionTranscriptBytes = toSessionTranscriptBytes(options.sessionTranscriptBytes);
  const docs = options.documents.map(held);
  const requests = requestedDocuments(options.request);
  if (requests.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'the request names no document');
  if ((options.deviceKey === undefined) === (options.deviceSigner === undefined))
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'give either deviceKey or deviceSigner');
  if (options.deviceSigner !== undefined && options.mode !== 'signature')
    throw new MdocError('MDOC_INVALID_ARGUMENT', "deviceSigner signs: mode must be 'signature'");
  if (options.mode === 'mac' && !options.readerEphemeralPublicKey) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', "mode 'mac' needs readerEphemeralPublicKey");
  }
  const readerKey = options.readerEphemeralPublicKey
    ? toPublicKey(options.readerEphemeralPublicKey, 'readerEphemeralPublicKey')
    : undefined;

  // The docType, namespaces and identifiers come from the reader's request: they are written as own
  // properties (setOwn) and looked up by own property (getOwn), never through Object.prototype.
  const documents: DocumentToEncode[] = [];
  const documentErrors: Record<string, number> = {};
  for (const req of requests) {
    const doc = docs.find((d) => d.docType === req.docType);
    if (!doc) {
      setOwn(documentErrors, req.docType, ERROR_DATA_NOT_RETURNED);
      continue;
    }
    const disclosed = new Map<string, EncodedCbor[]>();
    const errors: Record<string, Record<string, number>> = {};
    let notReturned = 0;
    for (const [ns, elements] of Object.entries(req.nameSpaces)) {
      const items = doc.issuerSigned.nameSpaces.get(ns) ?? [];
      for (const id of Object.keys(elements)) {
        const item = items.find((i) => i.elementIdentifier === id);
        if (item) {
          let list = disclosed.get(ns);
          if (!list) {
            list = [];
            disclosed.set(ns, list);
          }
          list.push(item.bytes); // the received tag-24 bytes, verbatim
        } else {
          let nsErrors = getOwn(errors, ns);
          if (!nsErrors) {
            nsErrors = {};
            setOwn(errors, ns, nsErrors);
          }
          setOwn(nsErrors, id, ERROR_DATA_NOT_RETURNED);
          notReturned++;
        }
      }
    }
    const signerInput = options.deviceSigner;
    const signer = isSigner(signerInput) ? signerInput : getOwn(signerInput, req.docType);
    const keyInput =
      signerInput !== undefined
        ? undefined
        : isKeyMap(options.deviceKey)
          ? getOwn(options.deviceKey, req.docType)
          : options.deviceKey;
    if (!keyInput && !signer)
      throw new MdocError('MDOC_INVALID_ARGUMENT', `no device key for ${req.docType}`);
    const nameSpacesBytes = encodeDeviceNameSpaces(getOwn(options.deviceNameSpaces, req.docType) ?? {});
    const toSign = deviceAuthenticationBytes(sessionTranscriptBytes, req.docType, nameSpacesBytes.raw);
    let deviceAuth: { deviceSignature: CborValue } | { deviceMac: CborValue };
    if (signer) {
      // §9.1.3.6, the key in a secure element: the Sig_structure goes out, r ‖ s comes back.
      const prepared = prepareMdocSign1({
        algorithm: signingAlgorithm(signer.algorithm, undefined),
        payload: null,
        detachedPayload: toSign,
      });
      deviceAuth = { deviceSignature: (await signWithSigner(prepared, signer, 'deviceSigner')).toCbor() };
    } else if (options.mode === 'signature') {
      const deviceKey = toPrivateKey(keyInput as KeyInput, 'deviceKey');
      // §9.1.3.6: a COSE_Sign1 over the detached DeviceAuthenticationBytes.
      const prepared = prepareMdocSign1({
        algorithm: signingAlgorithm(undefined, deviceKey),
        payload: null,
        detachedPayload: toSign,
      });
      deviceAuth = { deviceSignature: signWithKey(prepared, deviceKey).toCbor() };
    } else {
      const deviceKey = toPrivateKey(keyInput as KeyInput, 'deviceKey');
      // §9.1.3.5: a COSE_Mac0 (HMAC 256/256) under EMacKey over the detached DeviceAuthenticationBytes.
      const mac0 = await createMac0({
        protectedHeaders: new Map([[HeaderLabel.alg, CoseAlgorithm.HMAC_256_256]]),
        payload: null,
        detachedPayload: toSign,
        key: eMacKeyOf(deviceKey, readerKey as NonNullable<typeof readerKey>, sessionTranscriptBytes),
      });
      deviceAuth = { deviceMac: mac0.toCbor() };
    }
    documents.push({
      docType: req.docType,
      issuerSigned: buildIssuerSigned(disclosed, new RawCbor(doc.issuerSigned.issuerAuthBytes as Uint8Array)),
      deviceSigned: buildDeviceSigned(nameSpacesBytes, deviceAuth),
      ...(notReturned > 0 ? { errors } : {}),
    });
  }
  return encode(buildDeviceResponseMap({ documents, documentErrors }));
}

function eMacKeyOf(
  deviceKey: KeyObject,
  readerKey: KeyObject,
  sessionTranscriptBytes: Uint8Array,
): Uint8Array {
  try {
    return deriveMdocKey(deviceKey, readerKey, sessionTranscriptBytes, 'EMacKey');
  } catch (e) {
    throw new MdocError('MDOC_KEY', 'key agreement failed (keys on different curves?)', { cause: e });
  }
}

/** The same as `presentMdoc`: builds the DeviceResponse bytes. */
export const buildDeviceResponse = presentMdoc;
