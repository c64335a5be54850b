/**
 * Credential Request (OpenID4VCI 1.0 §8.2).
 *
 *   POST /credential   Content-Type: application/json   Authorization: Bearer …
 *   { "credential_identifier"?: string   (when the Token Response returned credential_identifiers;
 *                                         "MUST NOT be used otherwise"),
 *     "credential_configuration_id"?: string (otherwise; "When this parameter is used, the
 *                                         credential_identifier MUST NOT be present"),
 *     "proofs"?: { <one proof type>: [ … non-empty … ] }  ("contains exactly one parameter named as the
 *                                         proof type"; "MUST be present if the proof_types_supported
 *                                         parameter is present" for the configuration),
 *     "credential_response_encryption"?: { "jwk", "enc", "zip"? } }
 *
 * mynakit supports the `jwt` proof type (Appendix F.1). §12.2.4 `batch_size`: "the maximum array size
 * for the proofs parameter"; without batch issuance one proof. A request naming the draft singular
 * `proof` object as well as `proofs` is refused; `proof` alone (`{ "proof_type": "jwt", "jwt": … }`,
 * earlier drafts) is read as one jwt proof for interoperability. Response encryption is not supported:
 * `credential_response_encryption` → `invalid_encryption_parameters`. "The Credential Issuer MUST ignore
 * any unrecognized parameters."
 */
import { Oid4vciError } from './errors.js';
import { type JsonObject, LIMITS, own, Reader } from './json.js';

/** A Credential Request body as this package writes it. */
export interface CredentialRequest {
  readonly credential_configuration_id?: string;
  readonly credential_identifier?: string;
  readonly proofs?: { readonly jwt: readonly string[] };
}

/** Input of `buildCredentialRequest` (Wallet): one of the two identifiers, and the key proofs. */
export type BuildCredentialRequestInput = (
  | { readonly credentialConfigurationId: string; readonly credentialIdentifier?: undefined }
  | { readonly credentialIdentifier: string; readonly credentialConfigurationId?: undefined }
) & {
  /** Key proof JWTs (`createProofJwt`), one per key to bind a Credential to. */
  readonly proofs?: readonly string[];
};

/** Wallet: the Credential Request body. */
export function buildCredentialRequest(input: BuildCredentialRequestInput): CredentialRequest {
  const byConfig = input.credentialConfigurationId !== undefined;
  if (byConfig === (input.credentialIdentifier !== undefined))
    throw new TypeError('give exactly one of credentialConfigurationId and credentialIdentifier');
  if (input.proofs !== undefined && (!Array.isArray(input.proofs) || input.proofs.length === 0))
    throw new TypeError('proofs must be a non-empty array of JWTs');
  return {
    ...(byConfig
      ? { credential_configuration_id: input.credentialConfigurationId as string }
      : { credential_identifier: input.credentialIdentifier as string }),
    ...(input.proofs === undefined ? {} : { proofs: { jwt: [...input.proofs] } }),
  };
}

/** Options of `parseCredentialRequest` (issuer). */
export interface ParseCredentialRequestOptions {
  /**
   * The configuration ids of the issuer's metadata (or those the access token covers); a
   * `credential_configuration_id` outside them → `unknown_credential_configuration`.
   */
  readonly credentialConfigurationIds: Iterable<string>;
  /**
   * The `credential_identifiers` the Token Response returned with this access token, when it returned
   * any: then `credential_identifier` is required and must be one of them.
   */
  readonly credentialIdentifiers?: Iterable<string>;
  /** Proofs must be present (the configuration has `proof_types_supported`). Default true. */
  readonly proofsRequired?: boolean;
  /** Most proofs per request: the metadata's `batch_size`, or 1 without batch issuance (default 1). */
  readonly maxProofs?: number;
}

/** A Credential Request as the issuer reads it. */
export interface ParsedCredentialRequest {
  readonly credentialConfigurationId?: string;
  readonly credentialIdentifier?: string;
  /** The `jwt` key proofs, not yet verified (`verifyCredentialRequestProofs`). */
  readonly proofs: readonly string[];
}

const MAX_PROOFS_LIMIT = 100;

/**
 * Issuer: reads a Credential Request body (parsed JSON or its text). Throws `Oid4vciError`:
 * `invalid_credential_request`, `unknown_credential_configuration`, `unknown_credential_identifier`,
 * `invalid_proof` (proofs missing, empty or of an unsupported type), `invalid_encryption_parameters`.
 */
export function parseCredentialRequest(
  body: unknown,
  options: ParseCredentialRequestOptions,
): ParsedCredentialRequest {
  const r: Reader = new Reader(
    'invalid_credential_request',
    'credential_request.decode',
    'Credential Request',
  );
  const o = r.object(body);
  const maxProofs = options.maxProofs ?? 1;
  if (!Number.isSafeInteger(maxProofs) || maxProofs < 1 || maxProofs > MAX_PROOFS_LIMIT)
    throw new TypeError(`maxProofs must be 1..${MAX_PROOFS_LIMIT}`);

  if (own(o, 'credential_response_encryption') !== undefined)
    throw new Oid4vciError(
      'invalid_encryption_parameters',
      'credential_request.encryption',
      'Credential Request: response encryption is not supported by this issuer',
    );

  const configId = r.optionalString(
    o,
    'credential_configuration_id',
    LIMITS.maxStringChars,
    'credential_request.identifier',
  );
  const identifier = r.optionalString(
    o,
    'credential_identifier',
    LIMITS.maxStringChars,
    'credential_request.identifier',
  );
  if (configId !== undefined && identifier !== undefined)
    r.fail(
      'credential_configuration_id and credential_identifier exclude each other',
      'credential_request.identifier',
    );
  const granted =
    options.credentialIdentifiers === undefined ? undefined : new Set(options.credentialIdentifiers);
  if (granted !== undefined) {
    if (identifier === undefined)
      r.fail(
        'credential_identifier is required: the Token Response returned credential identifiers',
        'credential_request.identifier',
      );
    if (!granted.has(identifier))
      throw new Oid4vciError(
        'unknown_credential_identifier',
        'credential_request.identifier',
        'Credential Request: credential_identifier is unknown',
      );
  } else {
    if (identifier !== undefined)
      throw new Oid4vciError(
        'unknown_credential_identifier',
        'credential_request.identifier',
        'Credential Request: no credential identifiers were issued with this access token',
      );
    if (configId === undefined)
      r.fail('credential_configuration_id is missing', 'credential_request.identifier');
    if (!new Set(options.credentialConfigurationIds).has(configId))
      throw new Oid4vciError(
        'unknown_credential_configuration',
        'credential_request.configuration',
        'Credential Request: credential_configuration_id is unknown',
      );
  }

  const proofs = readProofs(r, o, maxProofs, options.proofsRequired ?? true);
  return {
    ...(configId === undefined ? {} : { credentialConfigurationId: configId }),
    ...(identifier === undefined ? {} : { credentialIdentifier: identifier }),
    proofs,
  };
}

function readProofs(r: Reader, o: JsonObject, maxProofs: number, required: boolean): string[] {
  const invalidProof = (message: string): never => {
    throw new Oid4vciError('invalid_proof', 'credential_request.proofs', `Credential Request: ${message}`);
  };
  const proofs = own(o, 'proofs');
  const proof = own(o, 'proof');
  if (proofs !== undefined && proof !== undefined)
    r.fail('proof and proofs must not both be present', 'credential_request.proofs');
  let list: unknown;
  if (proofs !== undefined) {
    const p = r.object(proofs);
    const types = Object.keys(p);
    if (types.length !== 1) r.fail('proofs must contain exactly one proof type', 'credential_request.proofs');
    if (types[0] !== 'jwt') return invalidProof('the proof type is not supported (only jwt)');
    list = own(p, 'jwt');
  } else if (proof !== undefined) {
    const p = r.object(proof);
    if (own(p, 'proof_type') !== 'jwt') return invalidProof('the proof type is not supported (only jwt)');
    list = [own(p, 'jwt')];
  } else {
    if (required) invalidProof('proofs are missing');
    return [];
  }
  if (!Array.isArray(list) || list.length === 0) return invalidProof('proofs.jwt is not a non-empty array');
  if (list.length > maxProofs)
    r.fail(
      `more than ${maxProofs} proof${maxProofs === 1 ? '' : 's'} (batch size)`,
      'credential_request.proof_count',
    );
  const out: string[] = [];
  for (const jwt of list) {
    if (typeof jwt !== 'string' || jwt.length === 0 || jwt.length > LIMITS.maxJwtChars)
      invalidProof('a proof is not a JWT string of acceptable size');
    out.push(jwt as string);
  }
  return out;
}
