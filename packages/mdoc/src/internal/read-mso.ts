/**
 * MobileSecurityObjectBytes read from the received bytes (structure in mobile-security-object.ts,
 * ISO/IEC 18013-5 §9.1.2.4) — by the one-pass reader inside the whole response, and by the general
 * decoding path from the issuerAuth payload: one reader, so both accept exactly the same MSOs within
 * the same limits. DigestIDs are read with their major type (a float is not a uint), digests are
 * compared where they lie, known keys are matched by their bytes.
 */
import { type CborValue, LeanReader } from '@mynakit/cbor';
import { type DeviceKeyInfo, decodeDeviceKeyInfo } from '../device-key-info.js';
import { checkLimit } from '../limits.js';
import {
  type DigestID,
  decodeStatusReference,
  type MobileSecurityObject,
  readValueDigests,
  type StatusListReference,
  type ValueDigestTable,
} from '../mobile-security-object.js';
import { decodeValidityInfo, type ValidityInfo } from '../validity-info.js';
import { keySet, more, nextKey, otherKey, structureMapHead } from './lean-map.js';
import { fail } from './shape.js';

const MSO = keySet(
  'version',
  'digestAlgorithm',
  'valueDigests',
  'deviceKeyInfo',
  'docType',
  'validityInfo',
  'status',
);
const VALIDITY = keySet('signed', 'validFrom', 'validUntil', 'expectedUpdate');

/** A received MSO: the MobileSecurityObject shape, with valueDigests materialised on demand. */
export class ReceivedMso implements MobileSecurityObject {
  #valueDigests: Map<string, Map<DigestID, Uint8Array>> | undefined;
  readonly status?: StatusListReference;

  constructor(
    readonly version: string,
    readonly digestAlgorithm: string,
    readonly digests: ValueDigestTable,
    readonly deviceKeyInfo: DeviceKeyInfo,
    readonly docType: string,
    readonly validityInfo: ValidityInfo,
    status: StatusListReference | undefined,
  ) {
    if (status) this.status = status;
  }

  get valueDigests(): ReadonlyMap<string, ReadonlyMap<DigestID, Uint8Array>> {
    this.#valueDigests ??= this.digests.toMaps();
    return this.#valueDigests;
  }
}

const TDATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function twoDigits(b: Uint8Array, at: number): number {
  return ((b[at] as number) - 0x30) * 10 + ((b[at + 1] as number) - 0x30);
}
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A tdate of exactly the form issuers write (§9.1.2.4): `c0 74` + `YYYY-MM-DDTHH:MM:SSZ`, parsed where
 * it lies. Anything else (fractions, offsets, tag 1…) returns undefined without consuming anything.
 */
function tdateInPlace(r: LeanReader): Date | undefined {
  const b = r.bytes;
  const p = r.pos;
  if (p + 22 > r.limit || b[p] !== 0xc0 || b[p + 1] !== 0x74) return undefined;
  const s = p + 2;
  if (
    b[s + 4] !== 0x2d ||
    b[s + 7] !== 0x2d ||
    b[s + 10] !== 0x54 ||
    b[s + 13] !== 0x3a ||
    b[s + 16] !== 0x3a ||
    b[s + 19] !== 0x5a
  ) {
    return undefined;
  }
  for (let i = 0; i < TDATE_DIGITS.length; i++) {
    const c = b[s + (TDATE_DIGITS[i] as number)] as number;
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const y = twoDigits(b, s) * 100 + twoDigits(b, s + 2);
  const mo = twoDigits(b, s + 5);
  const d = twoDigits(b, s + 8);
  const h = twoDigits(b, s + 11);
  const mi = twoDigits(b, s + 14);
  const sec = twoDigits(b, s + 17);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return undefined;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  if (d > (DAYS[mo - 1] as number) + leap) return undefined;
  r.pos = p + 22;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
}

/** ValidityInfo read in place; any other tdate form goes through `decodeValidityInfo`. */
function readValidityInfo(r: LeanReader): ValidityInfo {
  const where = 'ValidityInfo';
  const start = r.pos;
  const dates: (Date | undefined)[] = [undefined, undefined, undefined, undefined];
  let seen = 0;
  let others: Set<string> | undefined;
  const n = structureMapHead(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, VALIDITY, seen, where, n, i);
    if (k < 0) {
      others = otherKey(others, where);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    const d = tdateInPlace(r);
    if (!d) {
      // Not the issuer's plain form: read the whole map again, generally.
      r.pos = start;
      const v = r.value();
      checkLimit(v instanceof Map ? v.size : 0, 'mapKeys', where);
      return decodeValidityInfo(v);
    }
    dates[k] = d;
  }
  const [signed, validFrom, validUntil, expectedUpdate] = dates;
  if (!signed || !validFrom || !validUntil) fail('ValidityInfo lacks signed, validFrom or validUntil');
  return expectedUpdate
    ? { signed, validFrom, validUntil, expectedUpdate }
    : { signed, validFrom, validUntil };
}

/**
 * Reads MobileSecurityObjectBytes (`#6.24(bstr .cbor MobileSecurityObject)`) at the cursor, in place.
 * Throws MdocError (MDOC_DECODE, MDOC_LIMIT) or CborError on anything malformed.
 */
export function readMso(r: LeanReader): ReceivedMso {
  const where = 'MobileSecurityObject';
  r.enterEmbeddedInPlace();
  let version: string | undefined;
  let digestAlgorithm: string | undefined;
  let docType: string | undefined;
  let digests: ValueDigestTable | undefined;
  let deviceKeyInfo: CborValue;
  let validityInfo: ValidityInfo | undefined;
  let status: StatusListReference | undefined;
  let seen = 0;
  let others: Set<string> | undefined;
  const n = structureMapHead(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, MSO, seen, where, n, i);
    if (k < 0) {
      others = otherKey(others, where);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    if (k === 0) version = text(r, `${where}.version`);
    else if (k === 1) digestAlgorithm = text(r, `${where}.digestAlgorithm`);
    else if (k === 2) digests = readValueDigests(r);
    else if (k === 3) deviceKeyInfo = r.value();
    else if (k === 4) docType = text(r, `${where}.docType`);
    else if (k === 5) validityInfo = readValidityInfo(r);
    else status = decodeStatusReference(r.value(), `${where}.status`);
  }
  r.leaveEmbeddedStart();
  if (version === undefined) fail(`${where} lacks "version"`);
  if (digestAlgorithm === undefined) fail(`${where} lacks "digestAlgorithm"`);
  if (!digests) fail(`${where} lacks "valueDigests"`);
  if (deviceKeyInfo === undefined) fail(`${where} lacks "deviceKeyInfo"`);
  if (docType === undefined) fail(`${where} lacks "docType"`);
  if (validityInfo === undefined) fail(`${where} lacks "validityInfo"`);
  return new ReceivedMso(
    version,
    digestAlgorithm,
    digests,
    decodeDeviceKeyInfo(deviceKeyInfo, `${where}.deviceKeyInfo`),
    docType,
    validityInfo,
    status,
  );
}

function text(r: LeanReader, where: string): string {
  if (r.peekMajor() !== 3) fail(`${where} must be a text string`);
  return r.text();
}

/**
 * The MSO of an issuerAuth payload (the general decoding path): §9.1.2.4 "MobileSecurityObjectBytes =
 * #6.24(bstr .cbor MobileSecurityObject)" is what issuerAuth signs; a bare MSO map is another
 * payload, which no issuer following the standard produces.
 */
export function readMsoPayload(payload: Uint8Array, where: string): ReceivedMso {
  const r = new LeanReader(payload);
  const major = payload.length > 0 ? (payload[0] as number) >> 5 : -1;
  if (major !== 6)
    fail(
      `${where} payload must be MobileSecurityObjectBytes (#6.24(bstr .cbor MobileSecurityObject), ISO/IEC 18013-5 §9.1.2.4), not a bare ${major === 5 ? 'map' : 'value'}`,
    );
  try {
    const mso = readMso(r);
    r.expectEnd();
    return mso;
  } catch (e) {
    if (e instanceof Error && 'code' in e && String(e.code).startsWith('MDOC_')) throw e;
    fail(`${where} payload: ${(e as Error).message}`, e);
  }
}
