/**
 * DeviceRequest — ISO/IEC 18013-5:2021 §8.3.2.1.2.1 (version "1.0"), with the version "1.1" additions
 * of the second edition that ISO/IEC 18013-7 Annex C requests use (Apple requires them):
 *
 *   DeviceRequest = {
 *     "version" : tstr,                              ; "1.0" or "1.1"
 *     "docRequests" : [+ DocRequest],
 *     ? "deviceRequestInfo" : DeviceRequestInfoBytes, ; 1.1
 *     ? "readerAuthAll" : ReaderAuthAll              ; 1.1
 *   }
 *   DocRequest = {
 *     "itemsRequest" : ItemsRequestBytes,
 *     ? "readerAuth" : ReaderAuth
 *   }
 *   ItemsRequestBytes = #6.24(bstr .cbor ItemsRequest)
 *   ItemsRequest = {
 *     "docType" : DocType,
 *     "nameSpaces" : NameSpaces,
 *     ? "requestInfo" : { * tstr => any }
 *   }
 *   NameSpaces = { + NameSpace => DataElements }
 *   DataElements = { + DataElement => IntentToRetain }
 *   IntentToRetain = bool
 *   ReaderAuth = COSE_Sign1          ; detached payload: ReaderAuthenticationBytes
 *   ReaderAuthAll = [+ ReaderAuth]   ; detached payload: ReaderAuthenticationAllBytes
 */
import { type CborMap, type CborValue, decode, EncodedCbor, encode } from '@mynakit/cbor';
import { MdocError } from './errors.js';
import { type KeyInput, toPrivateKey } from './internal/keys.js';
import { setOwn } from './internal/own.js';
import {
  asArray,
  asBoolean,
  asEncoded,
  asMap,
  asText,
  decodeEmbedded,
  fail,
  required,
  toCbor,
} from './internal/shape.js';
import { prepareMdocSign1, signingAlgorithm, signWithKey } from './internal/signing.js';
import { checkLimit } from './limits.js';
import { readerAuthenticationAllBytes, readerAuthenticationBytes } from './reader-authentication.js';
import { toSessionTranscriptBytes } from './session-transcript.js';

export interface ItemsRequest {
  readonly docType: string;
  /** namespace → element identifier → intent to retain. */
  readonly nameSpaces: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  readonly requestInfo?: Readonly<Record<string, unknown>>;
}

export interface DocRequest {
  readonly itemsRequest: ItemsRequest;
  /** ItemsRequestBytes exactly as received (ReaderAuthentication covers them). */
  readonly itemsRequestBytes: EncodedCbor;
  /** The COSE_Sign1 value, when present. */
  readonly readerAuth?: CborValue;
}

export interface DeviceRequest {
  readonly version: string;
  readonly docRequests: readonly DocRequest[];
  readonly deviceRequestInfoBytes?: EncodedCbor;
  /** The ReaderAuthAll COSE_Sign1 values (an array on the wire; a single one is accepted too). */
  readonly readerAuthAll?: readonly CborValue[];
}

export function decodeItemsRequest(bytes: EncodedCbor, where = 'ItemsRequest'): ItemsRequest {
  const m = asMap(decodeEmbedded(bytes, where), where);
  // Namespaces, identifiers and requestInfo keys are received text: own properties only (setOwn), so a
  // namespace named `__proto__` is a namespace and not the record's prototype.
  // The same stated bounds as a response (limits.ts): a request names at most as many namespaces and
  // elements as a document may hold.
  const nameSpaces: Record<string, Record<string, boolean>> = {};
  const requested = asMap(required(m, 'nameSpaces', where), `${where}.nameSpaces`);
  checkLimit(requested.size, 'nameSpaces', `${where}.nameSpaces`);
  for (const [ns, elements] of requested) {
    const name = asText(ns, `${where}.nameSpaces key`);
    const out: Record<string, boolean> = {};
    const ids = asMap(elements, `${where}.nameSpaces[${name}]`);
    checkLimit(ids.size, 'elementsPerNameSpace', `${where}.nameSpaces[${name}]`);
    for (const [id, retain] of ids) {
      setOwn(
        out,
        asText(id, `${where}.nameSpaces[${name}] key`),
        asBoolean(retain, `${where}.IntentToRetain`),
      );
    }
    setOwn(nameSpaces, name, out);
  }
  const req: ItemsRequest = {
    docType: asText(required(m, 'docType', where), `${where}.docType`),
    nameSpaces,
  };
  const info = m.get('requestInfo');
  if (info === undefined) return req;
  const requestInfo: Record<string, unknown> = {};
  const infoMap = asMap(info, `${where}.requestInfo`);
  checkLimit(infoMap.size, 'mapKeys', `${where}.requestInfo`);
  for (const [k, v] of infoMap) setOwn(requestInfo, asText(k, `${where}.requestInfo key`), v);
  return { ...req, requestInfo };
}

export function decodeDeviceRequest(value: CborValue, where = 'DeviceRequest'): DeviceRequest {
  const m = asMap(value, where);
  const docRequestsIn = asArray(required(m, 'docRequests', where), `${where}.docRequests`);
  checkLimit(docRequestsIn.length, 'documents', `${where}.docRequests`);
  const docRequests = docRequestsIn.map((d, i) => {
    const w = `${where}.docRequests[${i}]`;
    const dm = asMap(d, w);
    const itemsRequestBytes = asEncoded(required(dm, 'itemsRequest', w), `${w}.itemsRequest`);
    const doc: DocRequest = {
      itemsRequest: decodeItemsRequest(itemsRequestBytes, `${w}.itemsRequest`),
      itemsRequestBytes,
    };
    const ra = dm.get('readerAuth');
    return ra === undefined ? doc : { ...doc, readerAuth: ra };
  });
  if (docRequests.length === 0) fail(`${where}.docRequests is empty`);
  let req: DeviceRequest = {
    version: asText(required(m, 'version', where), `${where}.version`),
    docRequests,
  };
  const info = m.get('deviceRequestInfo');
  if (info !== undefined)
    req = { ...req, deviceRequestInfoBytes: asEncoded(info, `${where}.deviceRequestInfo`) };
  const all = m.get('readerAuthAll');
  if (all !== undefined) {
    // An array of COSE_Sign1 (each itself an array) or, leniently, one COSE_Sign1.
    const list = Array.isArray(all) && all.length > 0 && Array.isArray(all[0]) ? all : [all];
    req = { ...req, readerAuthAll: list };
  }
  return req;
}

/** Decodes DeviceRequest bytes; throws `MDOC_DECODE` on malformed input. */
export function decodeDeviceRequestBytes(bytes: Uint8Array): DeviceRequest {
  let value: CborValue;
  try {
    value = decode(bytes);
  } catch (e) {
    fail(`DeviceRequest: ${(e as Error).message}`, e);
  }
  return decodeDeviceRequest(value);
}

/** ItemsRequestBytes (deterministic encoding). */
export function encodeItemsRequest(req: ItemsRequest): EncodedCbor {
  const ns: CborMap = new Map();
  for (const [name, elements] of Object.entries(req.nameSpaces)) {
    const e: CborMap = new Map();
    for (const [id, retain] of Object.entries(elements)) {
      if (typeof retain !== 'boolean')
        throw new MdocError('MDOC_INVALID_ARGUMENT', `IntentToRetain of ${name}/${id} must be a boolean`);
      e.set(id, retain);
    }
    if (e.size === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', `namespace ${name} requests no element`);
    ns.set(name, e);
  }
  if (ns.size === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'ItemsRequest names no namespace');
  const m: CborMap = new Map<CborValue, CborValue>([
    ['docType', req.docType],
    ['nameSpaces', ns],
  ]);
  if (req.requestInfo && Object.keys(req.requestInfo).length > 0)
    m.set('requestInfo', toCbor(req.requestInfo));
  return EncodedCbor.of(m);
}

export interface BuildDeviceRequestOptions {
  /** One ItemsRequest per requested document (e.g. from `buildJpMncRequest`). */
  readonly docRequests: readonly Pick<ItemsRequest, 'docType' | 'nameSpaces' | 'requestInfo'>[];
  /** "1.0" (default) or "1.1" (second edition; adds readerAuthAll / deviceRequestInfo). */
  readonly version?: '1.0' | '1.1';
  /** Signs each DocRequest (readerAuth) — and, for version "1.1", the whole request (readerAuthAll). */
  readonly readerAuth?: {
    readonly key: KeyInput;
    /** x5chain: the reader certificate first. */
    readonly certificateChain: readonly Uint8Array[];
    /** SessionTranscriptBytes (tag 24) or a bare SessionTranscript. */
    readonly sessionTranscriptBytes: Uint8Array;
    /** For "1.1": sign per DocRequest, all at once (readerAuthAll), or both (default "all"). */
    readonly scope?: 'each' | 'all' | 'both';
  };
  /** DeviceRequestInfo for version "1.1" (a map with text keys). */
  readonly deviceRequestInfo?: Readonly<Record<string, unknown>>;
}

/** DeviceRequest bytes (deterministic encoding), optionally with reader authentication (§9.1.4). */
export function buildDeviceRequest(options: BuildDeviceRequestOptions): Uint8Array {
  const version = options.version ?? '1.0';
  if (options.docRequests.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'docRequests is empty');
  if (version === '1.0' && options.deviceRequestInfo) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'deviceRequestInfo needs DeviceRequest version 1.1');
  }
  const itemsBytes = options.docRequests.map((r) => encodeItemsRequest(r));
  const info = options.deviceRequestInfo ? EncodedCbor.of(toCbor(options.deviceRequestInfo)) : undefined;
  const ra = options.readerAuth;
  const scope = ra ? (version === '1.0' ? 'each' : (ra.scope ?? 'all')) : undefined;
  let sign: ((payload: Uint8Array) => CborValue) | undefined;
  let st: Uint8Array | undefined;
  if (ra) {
    if (ra.certificateChain.length === 0)
      throw new MdocError('MDOC_INVALID_ARGUMENT', 'readerAuth needs the reader certificate');
    const key = toPrivateKey(ra.key, 'readerAuth.key');
    const algorithm = signingAlgorithm(undefined, key);
    st = toSessionTranscriptBytes(ra.sessionTranscriptBytes);
    // §9.1.4: a COSE_Sign1 over the detached ReaderAuthentication(All)Bytes, the reader chain in x5chain.
    sign = (payload) =>
      signWithKey(
        prepareMdocSign1({
          algorithm,
          payload: null,
          detachedPayload: payload,
          x5chain: ra.certificateChain,
        }),
        key,
      ).toCbor();
  }
  const docRequests = itemsBytes.map((b) => {
    const m: CborMap = new Map<CborValue, CborValue>([['itemsRequest', b]]);
    if (sign && st && (scope === 'each' || scope === 'both'))
      m.set('readerAuth', sign(readerAuthenticationBytes(st, b)));
    return m;
  });
  const m: CborMap = new Map<CborValue, CborValue>([
    ['version', version],
    ['docRequests', docRequests],
  ]);
  if (info) m.set('deviceRequestInfo', info);
  if (sign && st && (scope === 'all' || scope === 'both')) {
    m.set('readerAuthAll', [sign(readerAuthenticationAllBytes(st, itemsBytes, info))]);
  }
  return encode(m);
}
