/**
 * Status List Token in JWT format (draft-ietf-oauth-status-list-20 §5.1).
 *
 *   header:  { "alg": <asymmetric>, "typ": "statuslist+jwt", "kid"?, "x5c"? }
 *   payload: { "sub": <list URI>, "iat": NumericDate, "exp"?: NumericDate, "ttl"?: seconds,
 *              "iss"?: string, "status_list": { "bits", "lst", "aggregation_uri"? } (§4.2) }
 *
 * "The JWT MUST be digitally signed using an asymmetric cryptographic algorithm. Relying parties MUST
 *  reject the JWT if it is using a Message Authentication Code (MAC) algorithm."
 */

import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { ReportBuilder } from '@mynakit/report';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { validateSignerChain } from './certificate-chain.js';
import { StatusListError } from './errors.js';
import {
  ASYMMETRIC_JWS_ALGORITHMS,
  epochSeconds,
  joseAlgorithmFor,
  type KeyInput,
  signingKeyOf,
  toPublicKeyObject,
} from './keys.js';
import { own } from './own.js';
import type { StatusList } from './status-list.js';
import { decodeStatusListJson, encodeStatusListJson } from './status-list-json.js';
import {
  StatusListTokenCheck as C,
  checkStatusListClaims,
  finishVerification,
  requireNow,
  type StatusListTokenVerification,
  skipRemaining,
  type VerifyStatusListTokenOptions,
} from './status-list-token.js';

export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';
export const STATUS_LIST_JWT_MEDIA_TYPE = 'application/statuslist+jwt';

export interface SignStatusListJwtInput {
  readonly list: StatusList;
  /** The URI the list is published at (claim `sub`). */
  readonly sub: string;
  readonly iat: Date;
  readonly exp?: Date;
  /** Seconds a consumer may cache the token. */
  readonly ttl?: number;
  readonly iss?: string;
  readonly aggregationUri?: string;
  /** Private signing key. */
  readonly key: KeyInput;
  /** JWS alg; default from the key (ES256 for P-256, EdDSA for Ed25519, …). */
  readonly alg?: string;
  readonly kid?: string;
  /** Certificate chain (DER, leaf first) for the `x5c` header (RFC 7515 §4.1.6). */
  readonly x5c?: readonly Uint8Array[];
  /** Pre-compressed list bytes, to avoid compressing twice when the caller already has them. */
  readonly compressed?: Uint8Array;
}

/** Produces a compact JWT Status List Token. */
export async function signStatusListJwt(input: SignStatusListJwtInput): Promise<string> {
  const key = signingKeyOf(input.key);
  const alg = input.alg ?? joseAlgorithmFor(key);
  if (!ASYMMETRIC_JWS_ALGORITHMS.includes(alg)) {
    throw new StatusListError('STATUS_LIST_SIGN', `alg ${alg} is not an asymmetric signature algorithm`);
  }
  if (input.ttl !== undefined && !(input.ttl > 0)) {
    throw new StatusListError('STATUS_LIST_SIGN', 'ttl must be a positive number of seconds');
  }
  const header: Record<string, unknown> = { alg, typ: STATUS_LIST_JWT_TYP };
  if (input.kid !== undefined) header.kid = input.kid;
  if (input.x5c !== undefined) header.x5c = input.x5c.map((der) => Buffer.from(der).toString('base64'));

  const payload: Record<string, unknown> = {};
  if (input.iss !== undefined) payload.iss = input.iss;
  payload.sub = input.sub;
  payload.iat = epochSeconds(input.iat);
  if (input.exp !== undefined) payload.exp = epochSeconds(input.exp);
  if (input.ttl !== undefined) payload.ttl = input.ttl;
  const listOptions: { aggregationUri?: string; compressed?: Uint8Array } = {};
  if (input.aggregationUri !== undefined) listOptions.aggregationUri = input.aggregationUri;
  if (input.compressed !== undefined) listOptions.compressed = input.compressed;
  payload.status_list = encodeStatusListJson(input.list, listOptions);

  try {
    return await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header as { alg: string })
      .sign(key);
  } catch (error) {
    throw new StatusListError('STATUS_LIST_SIGN', `signing with ${alg} failed`, { cause: error });
  }
}

const ALL_CHECKS = Object.values(C);

function isStatusListJwtTyp(typ: unknown): boolean {
  // RFC 7515 §4.1.9: the "application/" prefix may be omitted; media types compare case-insensitively.
  if (typeof typ !== 'string') return false;
  const t = typ.toLowerCase();
  return t === STATUS_LIST_JWT_TYP || t === STATUS_LIST_JWT_MEDIA_TYPE;
}

/**
 * Verifies a compact JWT Status List Token. Never throws for bad input: the report says what is wrong.
 * A token is usable when `ok` is true.
 */
export async function verifyStatusListJwt(
  token: string | Uint8Array,
  options: VerifyStatusListTokenOptions,
): Promise<StatusListTokenVerification> {
  requireNow(options);
  if (options.key === undefined && options.trustAnchors === undefined) {
    throw new TypeError('options.key or options.trustAnchors is required');
  }
  const b = new ReportBuilder();
  const jws = typeof token === 'string' ? token : new TextDecoder().decode(token);
  const done = (parts: Parameters<typeof finishVerification>[2] = {}, reason = 'not evaluated') => {
    skipRemaining(b, ALL_CHECKS, reason);
    return finishVerification(b, 'jwt', parts);
  };

  // decode
  let header: Record<string, unknown>;
  try {
    if (jws.trim().split('.').length !== 3) throw new Error('not a JWS compact serialization');
    header = decodeProtectedHeader(jws.trim()) as Record<string, unknown>;
  } catch {
    b.failed(C.decode, 'the token is not a compact JWS (three base64url parts with a JSON header)');
    return done({}, 'the token could not be decoded');
  }
  b.passed(C.decode, 'compact JWS');

  // typ
  if (isStatusListJwtTyp(header.typ)) b.passed(C.type, `typ ${String(header.typ)}`);
  else
    b.failed(
      C.type,
      `typ must be ${STATUS_LIST_JWT_TYP}, got ${typeof header.typ === 'string' ? header.typ : 'none'}`,
    );

  // key: configured key, or the x5c chain validated to configured anchors
  const alg = header.alg;
  if (typeof alg !== 'string' || !ASYMMETRIC_JWS_ALGORITHMS.includes(alg)) {
    b.failed(
      C.signature,
      `alg ${typeof alg === 'string' ? alg : '(none)'} is not an asymmetric signature algorithm`,
    );
    return done({}, 'the signature was not verified');
  }
  let verificationKey: KeyObject | undefined;
  let signerCertificate: Uint8Array | undefined;
  if (options.key !== undefined) {
    try {
      verificationKey = toPublicKeyObject(options.key);
    } catch {
      throw new TypeError('options.key is not a usable public key');
    }
    b.skipped(C.certificatePath, 'verified under a configured key');
  } else if (options.trustAnchors !== undefined) {
    const chain = decodeX5c(header.x5c);
    if (chain === undefined) {
      b.undetermined(
        C.signature,
        'the token carries no usable x5c certificate chain and no key is configured',
      );
      return done({}, 'the signature was not verified');
    }
    const result = validateSignerChain(chain, options);
    b.add(C.certificatePath, result.status, result.detail);
    if (result.publicKey === undefined) {
      b.undetermined(C.signature, 'no trusted signing key');
      return done({}, 'the signature was not verified');
    }
    verificationKey = result.publicKey;
    signerCertificate = result.leafDer;
  }
  if (verificationKey === undefined) throw new TypeError('options.key or options.trustAnchors is required');

  // signature
  let payloadBytes: Uint8Array;
  try {
    const verified = await compactVerify(jws.trim(), verificationKey, { algorithms: [alg] });
    payloadBytes = verified.payload;
  } catch {
    b.failed(C.signature, `the ${alg} signature does not verify`);
    return done(signerCertificate ? { signerCertificate } : {}, 'the signature did not verify');
  }
  b.passed(C.signature, `${alg} signature verified`);

  let payload: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    payload = parsed as Record<string, unknown>;
  } catch {
    b.failed(C.list, 'the JWT payload is not a JSON object');
    return done(signerCertificate ? { signerCertificate } : {}, 'the payload could not be read');
  }

  const claims = checkStatusListClaims(
    b,
    {
      sub: own(payload, 'sub'),
      iat: own(payload, 'iat'),
      exp: own(payload, 'exp'),
      ttl: own(payload, 'ttl'),
      iss: own(payload, 'iss'),
    },
    options,
  );
  const parts: Parameters<typeof finishVerification>[2] = { ...claims };
  if (signerCertificate) parts.signerCertificate = signerCertificate;

  const statusList = own(payload, 'status_list');
  if (statusList === undefined) {
    b.failed(C.list, 'the token has no status_list claim');
  } else {
    try {
      const decoded = decodeStatusListJson(
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

/** `x5c` (RFC 7515 §4.1.6): array of standard base64 (not base64url) DER certificates, leaf first. */
function decodeX5c(x5c: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(x5c) || x5c.length === 0) return undefined;
  const out: Uint8Array[] = [];
  for (const entry of x5c) {
    if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) return undefined;
    out.push(new Uint8Array(Buffer.from(entry, 'base64')));
  }
  return out;
}
