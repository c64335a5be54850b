/**
 * Status List Token in CWT format (draft-ietf-oauth-status-list-20 §5.2): a COSE_Sign1 (RFC 9052 §4.2)
 * whose payload is a CWT Claims Set (RFC 8392).
 *
 *   protected:   { 1 (alg): <asymmetric>, 16 (typ, RFC 9596): "application/statuslist+cwt" }
 *   unprotected: { ? 4 (kid): bstr, ? 33 (x5chain, RFC 9360): bstr / [+ bstr] }
 *   payload:     <<{ 2 (sub): tstr, 6 (iat): uint, ? 4 (exp): uint, ? 65534 (ttl): uint,
 *                    ? 1 (iss): tstr, 65533 (status_list): StatusList (§4.3) }>>
 *
 * Drafts -15 to -20 print the token as COSE_Sign1_Tagged (tag 18) and an untagged CWT; earlier drafts
 * printed it untagged. Both are accepted, as is the optional CWT tag 61 (RFC 8392 §6) around it; we emit
 * tag 18 without tag 61, as the current draft does. "The CWT MUST be digitally signed using an
 * asymmetric cryptographic algorithm": a COSE_Mac0 or a MAC alg is rejected.
 */

import type { KeyObject } from 'node:crypto';
import { type CborMap, type CborValue, decode, encode } from '@mynakit/cbor';
import {
  type CoseSigner,
  defaultSignatureAlgorithm,
  HeaderLabel,
  signatureAlgorithmId,
  signSign1,
  UNDERSTOOD_HEADER_LABELS,
  x5chainValue,
} from '@mynakit/cose';
import { ReportBuilder } from '@mynakit/report';
import { StatusListError } from './errors.js';
import { epochSeconds, type KeyInput, signingKeyOf, toPublicKeyObject } from './keys.js';
import { decodeCwtSign1, verifyCwtSigner } from './signed-cwt.js';
import type { StatusList } from './status-list.js';
import { decodeStatusListCbor, encodeStatusListCbor } from './status-list-cbor.js';
import {
  StatusListTokenCheck as C,
  checkStatusListClaims,
  finishVerification,
  requireNow,
  type StatusListTokenVerification,
  skipRemaining,
  type VerifyStatusListTokenOptions,
} from './status-list-token.js';

export const STATUS_LIST_CWT_MEDIA_TYPE = 'application/statuslist+cwt';
/** The `typ` value put in the protected header (RFC 9596 §2: a media type string). */
export const STATUS_LIST_CWT_TYP = STATUS_LIST_CWT_MEDIA_TYPE;

/** CWT claim keys used by a Status List Token (RFC 8392 §3.1; draft §5.2 and its IANA section). */
export const CwtClaim = {
  iss: 1,
  sub: 2,
  exp: 4,
  iat: 6,
  statusList: 65533,
  ttl: 65534,
} as const;

/** COSE header labels (RFC 9052 §3.1; RFC 9596 typ; RFC 9360 x5chain), as @mynakit/cose names them. */
const Header = HeaderLabel;

/**
 * The header parameters this verifier processes, for the `crit` rule of RFC 9052 §3.1 (applied by
 * @mynakit/cose): those of COSE itself plus `typ`, which is checked below.
 */
const UNDERSTOOD_HEADERS: ReadonlySet<CborValue> = new Set<CborValue>([
  ...UNDERSTOOD_HEADER_LABELS,
  Header.typ,
]);

/** The COSE algorithm for a key when none is given (@mynakit/cose: ES256/384/512, EdDSA, PS256). */
function coseAlgorithmFor(key: KeyObject): number {
  try {
    return defaultSignatureAlgorithm(key).id;
  } catch (error) {
    throw new StatusListError('STATUS_LIST_SIGN', (error as Error).message, { cause: error });
  }
}

/** The COSE algorithm identifier of an external signer (its name or identifier). */
function signerAlgorithm(signer: CoseSigner | undefined): number {
  try {
    return signatureAlgorithmId((signer as CoseSigner).algorithm);
  } catch (error) {
    throw new StatusListError('STATUS_LIST_SIGN', 'the signer names no supported COSE algorithm', {
      cause: error,
    });
  }
}

/** What signStatusListCwt signs: the list, its claims, and the key or signer with the certificate chain. */
export interface SignStatusListCwtInput {
  readonly list: StatusList;
  /** The URI the list is published at (claim 2, sub). */
  readonly sub: string;
  readonly iat: Date;
  readonly exp?: Date;
  /** Seconds a consumer may cache the token (claim 65534). */
  readonly ttl?: number;
  readonly iss?: string;
  readonly aggregationUri?: string;
  /** Private signing key; or give `signer` instead. */
  readonly key?: KeyInput;
  /**
   * A signer holding the key elsewhere (an HSM, a key store): it signs the Sig_structure (RFC 9052 §4.4)
   * and answers the COSE signature form (ECDSA r ‖ s, RFC 9053 §2.1). Exactly one of `key` and `signer`.
   */
  readonly signer?: CoseSigner;
  /** COSE alg; default the signer's, or from the key (ES256 for P-256, EdDSA for Ed25519, PS256 for RSA). */
  readonly alg?: number;
  /** kid (label 4): bytes, or a string taken as its UTF-8 bytes. */
  readonly kid?: Uint8Array | string;
  /** Certificate chain (DER, leaf first) for x5chain (label 33), put in the unprotected header. */
  readonly x5chain?: readonly Uint8Array[];
  /** Pre-compressed list bytes, to avoid compressing twice. */
  readonly compressed?: Uint8Array;
}

/** Produces a CWT Status List Token: COSE_Sign1_Tagged bytes. */
export async function signStatusListCwt(input: SignStatusListCwtInput): Promise<Uint8Array> {
  if ((input.key === undefined) === (input.signer === undefined)) {
    throw new StatusListError('STATUS_LIST_SIGN', 'give exactly one of key and signer');
  }
  const key = input.key === undefined ? undefined : signingKeyOf(input.key);
  if (input.ttl !== undefined && !(Number.isInteger(input.ttl) && input.ttl > 0)) {
    throw new StatusListError('STATUS_LIST_SIGN', 'ttl must be a positive integer number of seconds');
  }
  const alg = input.alg ?? (key === undefined ? signerAlgorithm(input.signer) : coseAlgorithmFor(key));

  const claims: CborMap = new Map<CborValue, CborValue>();
  if (input.iss !== undefined) claims.set(CwtClaim.iss, input.iss);
  claims.set(CwtClaim.sub, input.sub);
  claims.set(CwtClaim.iat, epochSeconds(input.iat));
  if (input.exp !== undefined) claims.set(CwtClaim.exp, epochSeconds(input.exp));
  if (input.ttl !== undefined) claims.set(CwtClaim.ttl, input.ttl);
  claims.set(
    CwtClaim.statusList,
    encodeStatusListCbor(input.list, {
      ...(input.aggregationUri === undefined ? {} : { aggregationUri: input.aggregationUri }),
      ...(input.compressed === undefined ? {} : { compressed: input.compressed }),
    }),
  );

  const unprotected: CborMap = new Map<CborValue, CborValue>();
  if (input.kid !== undefined) {
    unprotected.set(
      Header.kid,
      typeof input.kid === 'string' ? new TextEncoder().encode(input.kid) : input.kid,
    );
  }
  if (input.x5chain !== undefined && input.x5chain.length > 0) {
    unprotected.set(Header.x5chain, x5chainValue(input.x5chain));
  }
  try {
    const sign1 = await signSign1({
      protectedHeaders: new Map<CborValue, CborValue>([
        [Header.alg, alg],
        [Header.typ, STATUS_LIST_CWT_TYP],
      ]),
      unprotectedHeaders: unprotected,
      payload: encode(claims),
      ...(key === undefined ? { signer: input.signer as CoseSigner } : { key }),
      tagged: true,
    });
    return sign1.encode({ tagged: true });
  } catch (error) {
    if (error instanceof StatusListError) throw error;
    throw new StatusListError('STATUS_LIST_SIGN', 'signing the status list token failed', { cause: error });
  }
}

const ALL_CHECKS = Object.values(C);

function isStatusListCwtTyp(typ: CborValue): boolean {
  // The media type; the bare subtype name as older implementations wrote it is tolerated.
  if (typeof typ !== 'string') return false;
  const t = typ.toLowerCase();
  return t === STATUS_LIST_CWT_MEDIA_TYPE || t === 'statuslist+cwt';
}

function num(v: CborValue): unknown {
  // CBOR integers beyond 2^53 arrive as bigint; no sensible NumericDate or ttl is that large.
  return typeof v === 'bigint' ? Number.NaN : v;
}

/**
 * Verifies a CWT Status List Token. Never throws for bad input: the report says what is wrong.
 * A token is usable when `ok` is true.
 */
export async function verifyStatusListCwt(
  token: Uint8Array,
  options: VerifyStatusListTokenOptions,
): Promise<StatusListTokenVerification> {
  requireNow(options);
  if (options.key === undefined && options.trustAnchors === undefined) {
    throw new TypeError('options.key or options.trustAnchors is required');
  }
  const b = new ReportBuilder();
  const done = (parts: Parameters<typeof finishVerification>[2] = {}, reason = 'not evaluated') => {
    skipRemaining(b, ALL_CHECKS, reason);
    return finishVerification(b, 'cwt', parts);
  };

  // decode: [tag 61] [tag 18] COSE_Sign1, with an attached payload
  const sign1 = decodeCwtSign1(token);
  if (sign1 === undefined) {
    b.failed(C.decode, 'the token is not a COSE_Sign1 with an attached payload');
    return done({}, 'the token could not be decoded');
  }
  b.passed(C.decode, sign1.tagged ? 'COSE_Sign1 (tag 18)' : 'COSE_Sign1 (untagged)');

  // typ (must be protected: §5.2 "the CWT protected header")
  const typ = sign1.protectedHeaders.get(Header.typ);
  if (isStatusListCwtTyp(typ)) {
    b.passed(C.type, `typ ${String(typ)}`);
  } else {
    const where = sign1.unprotectedHeaders.has(Header.typ) ? ' (typ is only in the unprotected header)' : '';
    b.failed(C.type, `typ must be ${STATUS_LIST_CWT_MEDIA_TYPE} in the protected header${where}`);
  }

  // the signer (a configured key, or the x5chain's leaf under the trust anchors) and the signature
  let key: KeyObject | undefined;
  if (options.key !== undefined) {
    try {
      key = toPublicKeyObject(options.key);
    } catch (error) {
      throw new TypeError('options.key is not a usable public key', { cause: error });
    }
  }
  const signer = await verifyCwtSigner(b, sign1, {
    ids: { certificatePath: C.certificatePath, signature: C.signature },
    now: options.now,
    ...(key === undefined ? {} : { key }),
    ...(options.trustAnchors === undefined ? {} : { trustAnchors: options.trustAnchors }),
    ...(options.requiredEku === undefined ? {} : { requiredEku: options.requiredEku }),
    understoodHeaders: UNDERSTOOD_HEADERS,
    what: 'the token',
  });
  const base = signer.signerCertificate === undefined ? {} : { signerCertificate: signer.signerCertificate };
  if (!signer.verified)
    return done(
      base,
      signer.signerCertificate === undefined
        ? 'the signature was not verified'
        : 'the signature did not verify',
    );

  // claims
  let claims: CborMap;
  try {
    const decoded = decode(sign1.payload as Uint8Array);
    if (!(decoded instanceof Map)) throw new Error('not a map');
    claims = decoded;
  } catch {
    b.failed(C.list, 'the CWT payload is not a CBOR map of claims');
    return done(base, 'the payload could not be read');
  }
  const checked = checkStatusListClaims(
    b,
    {
      sub: claims.get(CwtClaim.sub),
      iat: num(claims.get(CwtClaim.iat)),
      exp: num(claims.get(CwtClaim.exp)),
      ttl: num(claims.get(CwtClaim.ttl)),
      iss: claims.get(CwtClaim.iss),
    },
    options,
  );
  const parts: Parameters<typeof finishVerification>[2] = { ...base, ...checked };

  const statusList = claims.get(CwtClaim.statusList);
  if (statusList === undefined) {
    b.failed(C.list, 'the token has no status_list claim (65533)');
  } else {
    try {
      const decoded = decodeStatusListCbor(
        statusList,
        options.maxDecompressedBytes === undefined ? {} : { maxBytes: options.maxDecompressedBytes },
      );
      parts.list = decoded.list;
      if (decoded.aggregationUri !== undefined) parts.aggregationUri = decoded.aggregationUri;
      b.passed(C.list, `bits ${decoded.list.bits}, ${decoded.list.size} entries`);
    } catch (error) {
      if (!(error instanceof StatusListError)) throw error;
      b.failed(C.list, `${error.code}: ${error.message}`);
    }
  }
  return done(parts);
}
