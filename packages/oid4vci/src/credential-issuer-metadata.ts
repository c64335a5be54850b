/**
 * Credential Issuer Metadata (OpenID4VCI 1.0 §12.2) with `mso_mdoc` Credential Configurations
 * (Appendix A.2).
 *
 *   { "credential_issuer": URL (REQUIRED; identical to the identifier the well-known URL was built from),
 *     "authorization_servers"?: [URL, …], "credential_endpoint": URL (REQUIRED),
 *     "nonce_endpoint"?: URL, "notification_endpoint"?: URL,
 *     "batch_credential_issuance"?: { "batch_size": integer ≥ 2 },
 *     "display"?: [{ "name"?, "locale"?, "logo"?: { "uri", "alt_text"? } }],
 *     "credential_configurations_supported": { <id>: {
 *        "format": "mso_mdoc", "doctype": string (A.2.2, REQUIRED), "scope"?,
 *        "cryptographic_binding_methods_supported"?: ["cose_key"],
 *        "credential_signing_alg_values_supported"?: [COSE alg, …]  (A.2.2: numeric COSE identifiers, e.g. -7),
 *        "proof_types_supported"?: { "jwt": { "proof_signing_alg_values_supported": [JWS alg, …],
 *                                            "key_attestations_required"?: { "key_storage"?, "user_authentication"? } } },
 *        "credential_metadata"?: { "display"?: [{ "name", "locale"?, "logo"?, "description"?,
 *                                   "background_color"?, "text_color"?, "background_image"? }],
 *                                  "claims"?: [{ "path": [namespace, element], "mandatory"?, "display"? }] } } } }
 *
 * §12.2.2: published at the issuer identifier with `/.well-known/openid-credential-issuer` inserted
 * between host and path; "If these values are not identical … the data contained in the response MUST
 * NOT be used." "The Wallet MUST ignore any unrecognized parameters."
 */
import type { KeyAttestationsRequired } from './key-attestation.js';
import { isIssuerUrl, isObject, type JsonObject, own, Reader } from './json.js';

/** Display properties of the issuer for one language (§12.2.4 `display`). */
export interface IssuerDisplay {
  readonly name?: string;
  readonly locale?: string;
  readonly logo?: { readonly uri: string; readonly alt_text?: string };
}

/** Display properties of a Credential for one language (§12.2.4 `credential_metadata.display`). */
export interface CredentialDisplay {
  readonly name: string;
  readonly locale?: string;
  readonly logo?: { readonly uri: string; readonly alt_text?: string };
  readonly description?: string;
  readonly background_color?: string;
  readonly background_image?: { readonly uri: string };
  readonly text_color?: string;
}

/** A claims description for issuer metadata (Appendix B.2); mdoc paths start `[namespace, element]`. */
export interface ClaimDescription {
  readonly path: readonly (string | number | null)[];
  readonly mandatory?: boolean;
  readonly display?: readonly { readonly name?: string; readonly locale?: string }[];
}

/** An `mso_mdoc` Credential Configuration (§12.2.4, Appendix A.2.2). */
export interface MdocCredentialConfiguration {
  readonly format: 'mso_mdoc';
  readonly doctype: string;
  readonly scope?: string;
  readonly cryptographic_binding_methods_supported: readonly ['cose_key'];
  readonly credential_signing_alg_values_supported: readonly number[];
  readonly proof_types_supported: {
    readonly jwt: {
      readonly proof_signing_alg_values_supported: readonly string[];
      readonly key_attestations_required?: KeyAttestationsRequired;
    };
  };
  readonly credential_metadata?: {
    readonly display?: readonly CredentialDisplay[];
    readonly claims?: readonly ClaimDescription[];
  };
}

/** Credential Issuer Metadata (§12.2.4) as this package writes it. */
export interface CredentialIssuerMetadata {
  readonly credential_issuer: string;
  readonly authorization_servers?: readonly string[];
  readonly credential_endpoint: string;
  readonly nonce_endpoint?: string;
  readonly notification_endpoint?: string;
  readonly batch_credential_issuance?: { readonly batch_size: number };
  readonly display?: readonly IssuerDisplay[];
  readonly credential_configurations_supported: Readonly<Record<string, MdocCredentialConfiguration>>;
}

/** Input of `createMdocCredentialConfiguration`. */
export interface MdocCredentialConfigurationInput {
  readonly doctype: string;
  readonly scope?: string;
  /** COSE algorithm identifiers the issuer signs IssuerAuth with (default [-7], ES256). */
  readonly credentialSigningAlgValues?: readonly number[];
  /** JWS algorithms accepted for key proofs and key attestations (default ['ES256']). */
  readonly proofSigningAlgValues?: readonly string[];
  /** Present when key attestations are required (both members may be absent: any attestation). */
  readonly keyAttestationsRequired?: {
    readonly keyStorage?: readonly string[];
    readonly userAuthentication?: readonly string[];
  };
  readonly display?: readonly CredentialDisplay[];
  readonly claims?: readonly ClaimDescription[];
}

const nonEmptyStrings = (v: readonly string[] | undefined, name: string): void => {
  if (
    v !== undefined &&
    (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string' || s === ''))
  )
    throw new TypeError(`${name} must be a non-empty array of strings`);
};

/** Builds an `mso_mdoc` Credential Configuration bound to a `cose_key` with `jwt` proofs. */
export function createMdocCredentialConfiguration(
  input: MdocCredentialConfigurationInput,
): MdocCredentialConfiguration {
  if (typeof input.doctype !== 'string' || input.doctype === '') throw new TypeError('doctype is required');
  const algs = input.credentialSigningAlgValues ?? [-7];
  if (algs.length === 0 || algs.some((a) => !Number.isSafeInteger(a)))
    throw new TypeError('credentialSigningAlgValues must be COSE algorithm identifiers (integers)');
  const proofAlgs = input.proofSigningAlgValues ?? ['ES256'];
  nonEmptyStrings(proofAlgs, 'proofSigningAlgValues');
  if (proofAlgs.includes('none')) throw new TypeError('none is not a signature algorithm');
  const req = input.keyAttestationsRequired;
  nonEmptyStrings(req?.keyStorage, 'keyAttestationsRequired.keyStorage');
  nonEmptyStrings(req?.userAuthentication, 'keyAttestationsRequired.userAuthentication');
  const metadata =
    input.display === undefined && input.claims === undefined
      ? undefined
      : {
          ...(input.display === undefined ? {} : { display: input.display }),
          ...(input.claims === undefined ? {} : { claims: input.claims }),
        };
  return {
    format: 'mso_mdoc',
    doctype: input.doctype,
    ...(input.scope === undefined ? {} : { scope: input.scope }),
    cryptographic_binding_methods_supported: ['cose_key'],
    credential_signing_alg_values_supported: [...algs],
    proof_types_supported: {
      jwt: {
        proof_signing_alg_values_supported: [...proofAlgs],
        ...(req === undefined
          ? {}
          : {
              key_attestations_required: {
                ...(req.keyStorage === undefined ? {} : { key_storage: [...req.keyStorage] }),
                ...(req.userAuthentication === undefined
                  ? {}
                  : { user_authentication: [...req.userAuthentication] }),
              },
            }),
      },
    },
    ...(metadata === undefined ? {} : { credential_metadata: metadata }),
  };
}

/** Input of `createCredentialIssuerMetadata`. */
export interface CredentialIssuerMetadataInput {
  readonly credentialIssuer: string;
  readonly credentialEndpoint: string;
  readonly nonceEndpoint?: string;
  readonly notificationEndpoint?: string;
  readonly authorizationServers?: readonly string[];
  /** Most proofs per Credential Request (≥ 2 advertises batch issuance; absent: one). */
  readonly batchSize?: number;
  readonly display?: readonly IssuerDisplay[];
  /** Configuration id → configuration. */
  readonly credentialConfigurations:
    | ReadonlyMap<string, MdocCredentialConfiguration>
    | Readonly<Record<string, MdocCredentialConfiguration>>;
}

/** Builds the Credential Issuer Metadata document (§12.2.4). */
export function createCredentialIssuerMetadata(
  input: CredentialIssuerMetadataInput,
): CredentialIssuerMetadata {
  if (!isIssuerUrl(input.credentialIssuer, false))
    throw new TypeError('credentialIssuer must be an https URL without query or fragment');
  for (const [name, url] of [
    ['credentialEndpoint', input.credentialEndpoint],
    ['nonceEndpoint', input.nonceEndpoint],
    ['notificationEndpoint', input.notificationEndpoint],
  ] as const)
    if (url !== undefined && !isIssuerUrl(url, true)) throw new TypeError(`${name} must be an https URL`);
  if (input.batchSize !== undefined && !(Number.isSafeInteger(input.batchSize) && input.batchSize >= 2))
    throw new TypeError('batchSize must be an integer of 2 or more');
  const entries =
    input.credentialConfigurations instanceof Map
      ? [...input.credentialConfigurations.entries()]
      : Object.entries(input.credentialConfigurations);
  if (entries.length === 0) throw new TypeError('at least one credential configuration is required');
  return {
    credential_issuer: input.credentialIssuer,
    ...(input.authorizationServers === undefined
      ? {}
      : { authorization_servers: [...input.authorizationServers] }),
    credential_endpoint: input.credentialEndpoint,
    ...(input.nonceEndpoint === undefined ? {} : { nonce_endpoint: input.nonceEndpoint }),
    ...(input.notificationEndpoint === undefined
      ? {}
      : { notification_endpoint: input.notificationEndpoint }),
    ...(input.batchSize === undefined ? {} : { batch_credential_issuance: { batch_size: input.batchSize } }),
    ...(input.display === undefined ? {} : { display: input.display }),
    credential_configurations_supported: Object.fromEntries(entries),
  };
}

/** Issuer: the configuration for an id a request named, or undefined (own members only). */
export function findCredentialConfiguration(
  metadata: CredentialIssuerMetadata,
  id: string,
): MdocCredentialConfiguration | undefined {
  const all = metadata.credential_configurations_supported;
  return Object.hasOwn(all, id) ? all[id] : undefined;
}

/**
 * Inserts a well-known suffix between the host and the path of an identifier (§12.2.2, RFC 8414 §3.1):
 * `https://issuer.example/tenant` → `https://issuer.example/.well-known/<suffix>/tenant`.
 */
export function wellKnownUrl(
  identifier: string,
  suffix: 'openid-credential-issuer' | 'oauth-authorization-server',
): string {
  if (!isIssuerUrl(identifier, false))
    throw new TypeError('the identifier must be an https URL without query');
  const u = new URL(identifier);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return `${u.origin}/.well-known/${suffix}${path}`;
}

/** Where the Credential Issuer Metadata of an identifier is published (§12.2.2). */
export function credentialIssuerMetadataUrl(credentialIssuer: string): string {
  return wellKnownUrl(credentialIssuer, 'openid-credential-issuer');
}

/** A Credential Configuration as the Wallet reads it (the members it acts on). */
export interface ParsedCredentialConfiguration {
  readonly format: string;
  readonly doctype?: string;
  readonly cryptographicBindingMethods?: readonly string[];
  /** `proof_types_supported.jwt.proof_signing_alg_values_supported`, when jwt proofs are supported. */
  readonly proofSigningAlgValues?: readonly string[];
  /** `proof_types_supported.jwt.key_attestations_required`, when present. */
  readonly keyAttestationsRequired?: KeyAttestationsRequired;
}

/** Credential Issuer Metadata as the Wallet reads it. */
export interface ParsedCredentialIssuerMetadata {
  readonly credentialIssuer: string;
  readonly authorizationServers?: readonly string[];
  readonly credentialEndpoint: string;
  readonly nonceEndpoint?: string;
  readonly notificationEndpoint?: string;
  readonly batchSize?: number;
  readonly configurations: ReadonlyMap<string, ParsedCredentialConfiguration>;
}

const MAX_CONFIGURATIONS = 256;

/**
 * Wallet: reads Credential Issuer Metadata fetched for `expectedCredentialIssuer`; refuses it when
 * `credential_issuer` differs (§12.2.2, simple string comparison).
 */
export function parseCredentialIssuerMetadata(
  body: unknown,
  expectedCredentialIssuer: string,
): ParsedCredentialIssuerMetadata {
  const r: Reader = new Reader('invalid_request', 'issuer_metadata.decode', 'Credential Issuer Metadata');
  const o = r.object(body);
  const credentialIssuer = r.string(o, 'credential_issuer');
  if (credentialIssuer !== expectedCredentialIssuer)
    r.fail('credential_issuer is not the identifier the metadata was fetched for');
  const url = (key: string, required: boolean): string | undefined => {
    const v = required ? r.string(o, key) : r.optionalString(o, key);
    if (v !== undefined && !isIssuerUrl(v, true)) r.fail(`${key} is not an https URL`);
    return v;
  };
  const credentialEndpoint = url('credential_endpoint', true) as string;
  const nonceEndpoint = url('nonce_endpoint', false);
  const notificationEndpoint = url('notification_endpoint', false);
  const servers = own(o, 'authorization_servers');
  const authorizationServers =
    servers === undefined ? undefined : r.stringArray(servers, 'authorization_servers');
  const batch = own(o, 'batch_credential_issuance');
  const batchSize =
    batch === undefined ? undefined : r.optionalInteger(r.object(batch), 'batch_size', 2, 10_000);
  const supported = r.object(own(o, 'credential_configurations_supported'));
  const ids = Object.keys(supported);
  if (ids.length === 0 || ids.length > MAX_CONFIGURATIONS)
    r.fail(`credential_configurations_supported must have 1..${MAX_CONFIGURATIONS} entries`);
  const configurations = new Map<string, ParsedCredentialConfiguration>();
  for (const id of ids) configurations.set(id, readConfiguration(r, own(supported, id)));
  return {
    credentialIssuer,
    ...(authorizationServers === undefined ? {} : { authorizationServers }),
    credentialEndpoint,
    ...(nonceEndpoint === undefined ? {} : { nonceEndpoint }),
    ...(notificationEndpoint === undefined ? {} : { notificationEndpoint }),
    ...(batchSize === undefined ? {} : { batchSize }),
    configurations,
  };
}

function readConfiguration(r: Reader, value: unknown): ParsedCredentialConfiguration {
  const c = r.object(value);
  const format = r.string(c, 'format', 128);
  const doctype = r.optionalString(c, 'doctype', 256);
  const methods = own(c, 'cryptographic_binding_methods_supported');
  const cryptographicBindingMethods =
    methods === undefined ? undefined : r.stringArray(methods, 'cryptographic_binding_methods_supported');
  let proofSigningAlgValues: string[] | undefined;
  let keyAttestationsRequired: KeyAttestationsRequired | undefined;
  const proofTypes = own(c, 'proof_types_supported');
  if (proofTypes !== undefined) {
    const jwt = own(r.object(proofTypes), 'jwt');
    if (jwt !== undefined) {
      const j = r.object(jwt);
      proofSigningAlgValues = r.stringArray(
        own(j, 'proof_signing_alg_values_supported'),
        'proof_signing_alg_values_supported',
      );
      const req = own(j, 'key_attestations_required');
      if (req !== undefined) {
        const q: JsonObject = isObject(req) ? req : r.object(req);
        const ks = own(q, 'key_storage');
        const ua = own(q, 'user_authentication');
        keyAttestationsRequired = {
          ...(ks === undefined ? {} : { key_storage: r.stringArray(ks, 'key_storage') }),
          ...(ua === undefined ? {} : { user_authentication: r.stringArray(ua, 'user_authentication') }),
        };
      }
    }
  }
  return {
    format,
    ...(doctype === undefined ? {} : { doctype }),
    ...(cryptographicBindingMethods === undefined ? {} : { cryptographicBindingMethods }),
    ...(proofSigningAlgValues === undefined ? {} : { proofSigningAlgValues }),
    ...(keyAttestationsRequired === undefined ? {} : { keyAttestationsRequired }),
  };
}
