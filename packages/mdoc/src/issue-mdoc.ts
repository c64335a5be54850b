/**
 * Issuance (ISO/IEC 18013-5:2021 §9.1.2): from element values, a device key and the document signer
 * key, the IssuerSigned a wallet stores —
 *
 * - every element becomes an IssuerSignedItem with its own random salt (§9.1.2.5: at least 16 bytes)
 *   and a digest ID that is random and unique within its namespace, so neither the IDs nor their order
 *   reveal which or how many elements a record holds;
 * - the MSO binds the digests (over the complete IssuerSignedItemBytes), the device key with its
 *   keyAuthorizations, validityInfo (tdate without fractional seconds) and an optional status list
 *   reference (draft-ietf-oauth-status-list §6.3);
 * - issuerAuth is a COSE_Sign1 over MobileSecurityObjectBytes with alg in the protected header and the
 *   DS chain (x5chain, label 33) in the unprotected header (§9.1.2.4).
 *
 * Everything is encoded deterministically (RFC 8949 §4.2.1); the only non-determinism is the salts
 * and digest IDs, which come from `random` (injectable for tests).
 */
import type { JsonWebKey } from 'node:crypto';
import { type CborMap, EncodedCbor, encode } from '@mynakit/cbor';
import type { CoseSign1, PreparedSign1, SignatureAlgorithm } from '@mynakit/cose';
import type { KeyAuthorizations } from './device-key-info.js';
import { MdocError } from './errors.js';
import { coseKeyFromKeyObject, type KeyInput, toPrivateKey, toPublicKey } from './internal/keys.js';
import { setOwn } from './internal/own.js';
import { toCbor } from './internal/shape.js';
import {
  prepareMdocSign1,
  type SignatureAlgorithmName,
  signingAlgorithm,
  signWithKey,
  signWithSigner,
} from './internal/signing.js';
import { buildIssuerSigned, decodeIssuerSignedBytes, type IssuerSigned } from './issuer-signed.js';
import { encodeIssuerSignedItem, MIN_RANDOM_LENGTH } from './issuer-signed-item.js';
import {
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  digestOf,
  encodeMobileSecurityObject,
  type MobileSecurityObject,
  type StatusListReference,
} from './mobile-security-object.js';
import type { ValidityInfo } from './validity-info.js';

export type RandomSource = (length: number) => Uint8Array;

const defaultRandom: RandomSource = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

export interface IssueMdocOptions {
  readonly docType: string;
  /**
   * Element values per namespace. Values are CBOR values (text, numbers, `Uint8Array`, `Tagged` such as
   * `fullDate(…)`/`tdate(…)`, Maps); plain objects become maps with text keys.
   */
  readonly nameSpaces: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The holder's device public key (KeyObject, JWK or COSE_Key map). */
  readonly deviceKey: KeyInput | CborMap;
  readonly keyAuthorizations?: KeyAuthorizations;
  /** KeyInfo: integer labels only (§9.1.2.4). */
  readonly keyInfo?: CborMap;
  readonly validityInfo: ValidityInfo;
  /** Status list reference written into the MSO `status` (draft-ietf-oauth-status-list §6.3). */
  readonly status?: StatusListReference;
  /** The document signer's private key — or give `issuerSigner` instead. */
  readonly issuerKey?: KeyInput | JsonWebKey;
  /**
   * The document signer when its key is held elsewhere (a KMS, an HSM), instead of `issuerKey`: it is
   * given the Sig_structure bytes of issuerAuth and returns the COSE signature (r ‖ s for ECDSA).
   */
  readonly issuerSigner?: IssuerSigner;
  /** x5chain: DER certificates, the DS certificate first (its issuer chain may follow). */
  readonly issuerCertificateChain: readonly Uint8Array[];
  /** Default: from the key (ES256 for P-256…), or the `issuerSigner`'s algorithm. */
  readonly algorithm?: SignatureAlgorithmName;
  /** Default SHA-256. */
  readonly digestAlgorithm?: DigestAlgorithm;
  /** Salt length in bytes, at least 16 (default 32). */
  readonly saltLength?: number;
  /** Randomness for salts and digest IDs (default crypto.getRandomValues). */
  readonly random?: RandomSource;
}

/**
 * A document signer whose private key stays where it is (a KMS, an HSM, a key service shared by the
 * issuer's instances): `sign` receives the exact bytes to sign — the COSE Sig_structure of issuerAuth
 * (RFC 9052 §4.4) — and returns the COSE signature: r ‖ s for ECDSA, each half the curve's size (RFC
 * 9053 §2.1; a DER signature is refused), the raw signature for EdDSA.
 */
export interface IssuerSigner {
  /** The COSE algorithm: an IANA name (`'ES256'`, `'ES384'`, `'ES512'`, `'EdDSA'`) or its identifier (-7…). */
  readonly algorithm: SignatureAlgorithmName | string | number;
  sign(toBeSigned: Uint8Array): Promise<Uint8Array>;
}

export interface IssuedMdoc {
  /** The IssuerSigned bytes to hand to the wallet. */
  readonly bytes: Uint8Array;
  /** The same, decoded (items keep their exact IssuerSignedItemBytes); decoded on first use. */
  readonly issuerSigned: IssuerSigned;
  readonly docType: string;
  readonly mso: MobileSecurityObject;
  /** MobileSecurityObjectBytes (tag 24), the issuerAuth payload. */
  readonly msoBytes: Uint8Array;
  /** SHA-256 of MobileSecurityObjectBytes: the record's identifier for status inquiries. */
  readonly msoDigest: Uint8Array;
  /** namespace → element identifier → digest ID, for the issuer's own records. */
  readonly digestIds: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Digest IDs: random, below 2^31, unique within the namespace. The randomness for all of them is drawn at
 * once (a call to the random source costs more than the bytes); a repeated value draws 4 bytes more.
 */
function randomDigestIds(count: number, random: RandomSource): number[] {
  const ids = new Set<number>();
  let b = random(4 * count);
  if (b.length < 4 * count) throw new MdocError('MDOC_INVALID_ARGUMENT', 'random returned too few bytes');
  let at = 0;
  while (ids.size < count) {
    if (at + 4 > b.length) {
      b = random(4);
      at = 0;
      if (b.length < 4) throw new MdocError('MDOC_INVALID_ARGUMENT', 'random returned too few bytes');
    }
    ids.add(
      (((b[at] as number) << 24) |
        ((b[at + 1] as number) << 16) |
        ((b[at + 2] as number) << 8) |
        (b[at + 3] as number)) >>>
        1,
    );
    at += 4;
  }
  return [...ids];
}

/**
 * Issues an mdoc (ISO/IEC 18013-5 §9.1.2): the IssuerSigned a wallet stores — items with random
 * salts and digest IDs, the MSO binding their digests, the device key and the validity, and
 * issuerAuth signed with `issuerKey` or `issuerSigner`.
 */
export async function issueMdoc(options: IssueMdocOptions): Promise<IssuedMdoc> {
  const random = options.random ?? defaultRandom;
  const saltLength = options.saltLength ?? 32;
  if (!Number.isInteger(saltLength) || saltLength < MIN_RANDOM_LENGTH) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', `saltLength must be at least ${MIN_RANDOM_LENGTH}`);
  }
  if (options.docType.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'docType is empty');
  if (options.issuerCertificateChain.length === 0) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'issuerCertificateChain must hold the DS certificate');
  }
  const digestAlgorithm = options.digestAlgorithm ?? 'SHA-256';
  const hash = DIGEST_ALGORITHMS[digestAlgorithm];
  if (!hash) throw new MdocError('MDOC_UNSUPPORTED', 'digestAlgorithm must be SHA-256, SHA-384 or SHA-512');

  const signer = issuerSignerOf(options);
  const deviceKeyObject = toPublicKey(options.deviceKey, 'deviceKey'); // also checks a COSE_Key is usable
  const deviceKey =
    options.deviceKey instanceof Map ? options.deviceKey : coseKeyFromKeyObject(deviceKeyObject);

  const { items, valueDigests, digestIds } = issuerSignedItems(options.nameSpaces, hash, random, saltLength);

  let mso: MobileSecurityObject = {
    version: '1.0',
    digestAlgorithm,
    valueDigests,
    deviceKeyInfo: {
      deviceKey,
      ...(options.keyAuthorizations ? { keyAuthorizations: options.keyAuthorizations } : {}),
      ...(options.keyInfo ? { keyInfo: options.keyInfo } : {}),
    },
    docType: options.docType,
    validityInfo: truncateToSeconds(options.validityInfo),
  };
  if (options.status) mso = { ...mso, status: options.status };
  const msoBytes = EncodedCbor.of(encodeMobileSecurityObject(mso)).raw;

  // §9.1.2.4: alg protected, the DS chain in x5chain (RFC 9360 §2) unprotected.
  const prepared = prepareMdocSign1({
    algorithm: signer.algorithm,
    payload: msoBytes,
    x5chain: options.issuerCertificateChain,
  });
  const issuerAuth = (await signer.sign(prepared)).toCbor();

  const bytes = encode(buildIssuerSigned(items, issuerAuth));
  // Decoded when first asked for: an issuer that only stores and sends `bytes` (the usual case) never
  // reads its own record back.
  let issuerSigned: IssuerSigned | undefined;
  return {
    bytes,
    get issuerSigned(): IssuerSigned {
      issuerSigned ??= decodeIssuerSignedBytes(bytes);
      return issuerSigned;
    },
    docType: options.docType,
    mso,
    msoBytes,
    msoDigest: digestOf('sha256', msoBytes),
    digestIds,
  };
}

/**
 * Every element as IssuerSignedItemBytes with its own salt and a random digest ID unique within its
 * namespace (§9.1.2.5), and its digest over the complete item (tag 24 included).
 */
function issuerSignedItems(
  nameSpaces: IssueMdocOptions['nameSpaces'],
  hash: string,
  random: RandomSource,
  saltLength: number,
): {
  readonly items: Map<string, EncodedCbor[]>;
  readonly valueDigests: Map<string, Map<number, Uint8Array>>;
  readonly digestIds: Record<string, Record<string, number>>;
} {
  const items = new Map<string, EncodedCbor[]>();
  const valueDigests = new Map<string, Map<number, Uint8Array>>();
  const digestIds: Record<string, Record<string, number>> = {};
  const namespaces = Object.entries(nameSpaces);
  if (namespaces.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'nameSpaces is empty');
  for (const [ns, elements] of namespaces) {
    const entries = Object.entries(elements);
    if (entries.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', `namespace ${ns} has no element`);
    const ids = randomDigestIds(entries.length, random);
    // The namespace's salts in one draw, each element its own `saltLength` bytes of it.
    const salts = random(saltLength * entries.length);
    if (salts.length !== saltLength * entries.length)
      throw new MdocError('MDOC_INVALID_ARGUMENT', 'random returned too few bytes');
    const encoded: EncodedCbor[] = [];
    const digests = new Map<number, Uint8Array>();
    const idsOut: Record<string, number> = {};
    entries.forEach(([elementIdentifier, value], i) => {
      const salt = salts.subarray(i * saltLength, (i + 1) * saltLength);
      const digestID = ids[i] as number;
      const bytes = encodeIssuerSignedItem({
        digestID,
        random: salt,
        elementIdentifier,
        elementValue: toCbor(value),
      });
      encoded.push(bytes);
      digests.set(digestID, digestOf(hash, bytes.raw));
      setOwn(idsOut, elementIdentifier, digestID); // a name like `__proto__` stays an own entry
    });
    items.set(ns, encoded);
    valueDigests.set(ns, digests);
    setOwn(digestIds, ns, idsOut);
  }
  return { items, valueDigests, digestIds };
}

/** The issuer's key or signer and the algorithm it signs with; checked before anything is built. */
function issuerSignerOf(options: IssueMdocOptions): {
  readonly algorithm: SignatureAlgorithm;
  sign(prepared: PreparedSign1): Promise<CoseSign1>;
} {
  const { issuerKey, issuerSigner } = options;
  if ((issuerKey === undefined) === (issuerSigner === undefined))
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'give either issuerKey or issuerSigner');
  if (issuerSigner !== undefined) {
    if (typeof issuerSigner !== 'object' || issuerSigner === null || typeof issuerSigner.sign !== 'function')
      throw new MdocError('MDOC_INVALID_ARGUMENT', 'issuerSigner must have a sign(toBeSigned) function');
    const algorithm = signingAlgorithm(issuerSigner.algorithm, undefined);
    if (options.algorithm !== undefined && signingAlgorithm(options.algorithm, undefined).id !== algorithm.id)
      throw new MdocError(
        'MDOC_INVALID_ARGUMENT',
        `algorithm ${options.algorithm} is not the issuerSigner's`,
      );
    return { algorithm, sign: (prepared) => signWithSigner(prepared, issuerSigner, 'issuerSigner') };
  }
  const key = toPrivateKey(issuerKey as KeyInput, 'issuerKey');
  const algorithm = signingAlgorithm(options.algorithm, key);
  return { algorithm, sign: async (prepared) => signWithKey(prepared, key) };
}

function truncateToSeconds(v: ValidityInfo): ValidityInfo {
  const t = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
  const out: ValidityInfo = { signed: t(v.signed), validFrom: t(v.validFrom), validUntil: t(v.validUntil) };
  return v.expectedUpdate ? { ...out, expectedUpdate: t(v.expectedUpdate) } : out;
}
