/**
 * Opening a Digital Credentials API session with protocol `org-iso-mdoc` (ISO/IEC 18013-7 Annex C; the one
 * Safari/iOS accepts, DOMAIN.md §2): the DeviceRequest (@mynakit/mdoc buildJpMncRequest, which itself
 * refuses My Number without a legal basis), a fresh HPKE recipient key, the EncryptionInfo with a fresh
 * nonce (@mynakit/oid4vp buildAnnexCRequest), and the session row that keeps the EncryptionInfo string as
 * sent, the origin and the sealed private key. The answer carries what the page hands to
 * `navigator.credentials.get({digital: {requests: [{protocol, data}]}})`.
 *
 * Reader authentication (ISO/IEC 18013-5 §9.1.4; ISO/IEC 18013-7 Annex C): when the relying party has an
 * active reader key (relying-parties/reader-key.ts) the DeviceRequest is version "1.1" with `readerAuthAll` —
 * what Apple's wallet requires — a COSE_Sign1 over ReaderAuthenticationAllBytes whose SessionTranscript is the
 * very dcapi transcript of this request (the EncryptionInfo string it carries and the page's origin), signed
 * by @mynakit/mdoc buildDeviceRequest with the reader chain as x5chain. Without a reader key the request is
 * version "1.0" and unsigned, and the answer says so (`readerAuthentication.form: 'none'`): a wallet that
 * requires reader authentication will refuse it, and none will release My Number for it.
 *
 * With a reader key the session also carries a second request, OpenID4VP 1.0 over the DC API
 * (`openid4vp-v1-signed`, DOMAIN.md §2; Android, Chrome): a request object signed with the same reader key
 * (x5c: the reader chain; `client_id` the relying party's `x509_san_dns:` id, which the certificate names;
 * `expected_origins` the page's origin), a DCQL query for `org.iso.23220.1.jp.mnc` asking the same elements,
 * response mode `dc_api.jwt` to a fresh ECDH-ES key of this session (sealed at rest like the HPKE key). The
 * page hands both to `navigator.credentials.get` in `requests` (Annex C first: Safari/iOS takes only it); the
 * wallet answers in one of them, and POST /sessions/{id}/response verifies either with its own transcript.
 * Only when the certificate is the one the client id names (`x509_san_dns:` / `x509_hash:`): otherwise every
 * wallet would refuse the request object, and the session carries the Annex C request alone.
 */
import { randomBytes } from 'node:crypto';
import { bytesToBase64url } from '@mynakit/cbor';
import { buildJpMncRequest, JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, MY_NUMBER_ELEMENT } from '@mynakit/mdoc';
import {
  ANNEX_C_PROTOCOL,
  annexCSessionTranscript,
  buildAuthorizationRequest,
  checkClientIdCertificate,
  type DcqlQuery,
  encodeEncryptionInfo,
  parseClientId,
  signRequestObject,
  toP256PublicJwk,
} from '@mynakit/oid4vp';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { activeReaderKey, type ReaderSigningKey } from '../relying-parties/reader-key.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import { newId } from '../store/store-support.js';
import { type CustomerDeclarationInput, customerDeclarationFor } from './customer-declaration.js';
import { KYC_RECORD_ELEMENTS, type RequestedElements, requestedElementsFor } from './requested-elements.js';
import { type SessionReaderAuthentication, sessionDeviceRequest } from './session-device-request.js';
import { newSessionKeyPair, newSessionScalarKey, sealSessionKey } from './session-key.js';

/** Default and largest session lifetime, seconds (the page waits for the holder's consent, no longer). */
export const MAX_SESSION_TTL_SECONDS = 300;

/** What POST /sessions asks. */
export interface CreateSessionInput extends CustomerDeclarationInput {
  /** The type of the transaction (e.g. `account-opening`), recorded as the transaction type (取引の種類). */
  readonly purpose: string;
  /** The page's origin; must be one of the relying party's `origins`. */
  readonly origin: string;
  /** namespace → identifiers; absent: the least the purpose needs (requested-elements.ts). */
  readonly elements?: RequestedElements | undefined;
}

export type { SessionReaderAuthentication } from './session-device-request.js';

/** The protocol of OpenID4VP 1.0 signed requests over the W3C Digital Credentials API. */
export const OPENID4VP_SIGNED_PROTOCOL = 'openid4vp-v1-signed';

/** The DCQL credential query id the OpenID4VP request uses for the card-substitute record. */
export const MNC_CREDENTIAL_QUERY_ID = 'mnc';

/** One entry of `navigator.credentials.get({digital: {requests}})`. */
export type SessionRequestEntry =
  | {
      readonly protocol: typeof ANNEX_C_PROTOCOL;
      readonly data: { readonly deviceRequest: string; readonly encryptionInfo: string };
    }
  | { readonly protocol: typeof OPENID4VP_SIGNED_PROTOCOL; readonly data: { readonly request: string } };

/** What POST /sessions answers. */
export interface CreatedSession {
  readonly sessionId: string;
  readonly request: {
    readonly protocol: typeof ANNEX_C_PROTOCOL;
    readonly data: { readonly deviceRequest: string; readonly encryptionInfo: string };
  };
  /** ISO 8601. */
  readonly expiresAt: string;
  /** What was requested (namespace → identifiers). */
  readonly elements: RequestedElements;
  /** Whether the request is signed by the relying party's reader key, and by whom. */
  readonly readerAuthentication: SessionReaderAuthentication;
  /**
   * Every request of the session, for `navigator.credentials.get({digital: {requests}})`: the Annex C one
   * (the same as `request`) first, then — when the relying party has a reader key — OpenID4VP signed.
   */
  readonly requests: readonly SessionRequestEntry[];
}

/**
 * Whether a session asking `elements` can be a 取引時確認: it asks everything the record method needs
 * (KYC_RECORD_ELEMENTS), so its answer can satisfy the method (customer-declaration.ts).
 */
export function asksForKycMethod(elements: RequestedElements): boolean {
  return Object.entries(KYC_RECORD_ELEMENTS).every(([namespace, ids]) => {
    const asked = Object.hasOwn(elements, namespace) ? elements[namespace] : undefined;
    return asked !== undefined && ids.every((id) => asked.includes(id));
  });
}

/** The DCQL query asking `elements` of the card-substitute record (OpenID4VP 1.0 §6). */
function dcqlQueryFor(elements: RequestedElements, intentToRetain: boolean): DcqlQuery {
  return {
    credentials: [
      {
        id: MNC_CREDENTIAL_QUERY_ID,
        format: 'mso_mdoc',
        meta: { doctype_value: JP_MNC_DOCTYPE },
        claims: Object.entries(elements).flatMap(([namespace, ids]) =>
          ids.map((id) => ({ path: [namespace, id] as const, intent_to_retain: intentToRetain })),
        ),
      },
    ],
  };
}

/**
 * Whether a wallet will accept the reader certificate for the relying party's client id (OpenID4VP 1.0
 * §5.9.3: `x509_san_dns:` names a dNSName of it, `x509_hash:` its hash). Another prefix, or a client id
 * changed since the certificate was installed, gets no OpenID4VP request rather than one every wallet refuses.
 */
export function certificateNamesClientId(reader: ReaderSigningKey, clientId: string): boolean {
  try {
    const parsed = parseClientId(clientId);
    if (parsed.prefix !== 'x509_san_dns' && parsed.prefix !== 'x509_hash') return false;
    checkClientIdCertificate(parsed, reader.certificate);
    return true;
  } catch {
    return false;
  }
}

/**
 * A signed OpenID4VP request of a session, and what the verifier keeps of it (see the file comment): over
 * the DC API (`channel.origin`: `dc_api.jwt`, `expected_origins`), or cross-device (`channel.responseUri`:
 * `direct_post.jwt` to that URI, OpenID4VP 1.0 §8.3.1; sessions/cross-device-session.ts). Either way the
 * response is encrypted to a fresh ECDH-ES key of the session, published in `client_metadata.jwks`.
 */
export async function signedOpenId4VpRequest(input: {
  readonly reader: ReaderSigningKey;
  readonly clientId: string;
  readonly clientName: string;
  readonly channel: { readonly origin: string } | { readonly responseUri: string };
  readonly elements: RequestedElements;
  readonly intentToRetain: boolean;
  readonly now: Date;
  readonly ttlSeconds: number;
}) {
  const encryption = newSessionKeyPair();
  const request = buildAuthorizationRequest({
    nonce: bytesToBase64url(new Uint8Array(randomBytes(32))),
    dcqlQuery: dcqlQueryFor(input.elements, input.intentToRetain),
    clientId: input.clientId,
    ...('origin' in input.channel
      ? { responseMode: 'dc_api.jwt' as const, expectedOrigins: [input.channel.origin] }
      : { responseMode: 'direct_post.jwt' as const, responseUri: input.channel.responseUri }),
    encryptionKeys: [{ ...encryption.publicKey.export({ format: 'jwk' }), kid: 'session' }],
    clientName: input.clientName,
  });
  const signed = await signRequestObject({
    request,
    privateKey: input.reader.privateKey,
    certificateChain: input.reader.certificateChain,
    now: input.now,
    lifetimeSeconds: input.ttlSeconds,
  });
  return { request, signed, encryptionKey: encryption.privateKey };
}

/** The additional data the OpenID4VP decryption key of session `sessionId` is sealed under. */
export function openid4vpKeyAad(sessionId: string): string {
  return `${sessionId}/openid4vp`;
}

/** Opens an Annex C session for the caller's relying party (see the file comment). */
export async function createAnnexCSession(
  deps: VerifierDeps,
  caller: RpCaller,
  input: CreateSessionInput,
): Promise<CreatedSession> {
  const party = await deps.store.relyingParties.ofCaller(caller);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  if (!party.config.origins.includes(input.origin))
    throw new VerifierError(
      'VERIFIER_ORIGIN_NOT_ALLOWED',
      "the origin is not one of the relying party's configured origins",
    );
  const elements = requestedElementsFor(input.elements, party.config);
  const declaration = customerDeclarationFor(input, {
    law: party.config.law,
    kycTransaction: asksForKycMethod(elements),
  });
  const asksMyNumber = elements[JP_MNC_NAMESPACE]?.includes(MY_NUMBER_ELEMENT) === true;
  const basis = party.config.myNumberLegalBasis;
  const itemsRequest = buildJpMncRequest({
    elements,
    // IntentToRetain (ISO 18013-5 §8.3.2.1.2.1): the KYC law makes the relying party keep the record.
    intentToRetain: party.config.law !== 'none',
    ...(asksMyNumber && basis !== undefined ? { legalBasis: { provision: basis } } : {}),
  });
  const sessionKey = newSessionScalarKey();
  // ISO/IEC 18013-7 Annex C: EncryptionInfo first, since the transcript the reader signs hashes its string.
  const info = encodeEncryptionInfo({
    nonce: new Uint8Array(randomBytes(32)),
    recipientPublicKey: toP256PublicJwk(sessionKey.publicPoint),
  });
  const reader = await activeReaderKey(deps, caller.relyingPartyId);
  const { deviceRequest, readerAuthentication } = sessionDeviceRequest(
    itemsRequest,
    reader,
    annexCSessionTranscript(info.encoded, input.origin).sessionTranscriptBytes,
  );
  const built = { deviceRequest: bytesToBase64url(deviceRequest), encryptionInfo: info.encoded };
  const now = deps.clock().getTime();
  const ttl = Math.min(deps.config.sessionTtlSeconds ?? MAX_SESSION_TTL_SECONDS, MAX_SESSION_TTL_SECONDS);
  const expiresAt = now + Math.max(ttl, 1) * 1000;
  const sessionId = newId();
  const openid4vp =
    reader && certificateNamesClientId(reader, party.clientId)
      ? await signedOpenId4VpRequest({
          reader,
          clientId: party.clientId,
          clientName: party.config.name,
          channel: { origin: input.origin },
          elements,
          intentToRetain: party.config.law !== 'none',
          now: deps.clock(),
          ttlSeconds: Math.max(ttl, 1),
        })
      : undefined;
  await deps.store.sessions.create({
    id: sessionId,
    relyingPartyId: caller.relyingPartyId,
    credentialId: caller.credentialId,
    protocol: ANNEX_C_PROTOCOL,
    purpose: input.purpose,
    origin: input.origin,
    elements,
    declaration,
    deviceRequest: built.deviceRequest,
    encryptionInfo: built.encryptionInfo,
    recipientKey: sealSessionKey(sessionKey.d, sessionId, deps.config.sessionKeyEncryptionKey),
    ...(openid4vp === undefined
      ? {}
      : {
          openid4vpRequest: JSON.stringify(openid4vp.request),
          openid4vpKey: sealSessionKey(
            openid4vp.encryptionKey,
            openid4vpKeyAad(sessionId),
            deps.config.sessionKeyEncryptionKey,
          ),
        }),
    createdAt: now,
    expiresAt,
  });
  return {
    sessionId,
    request: {
      protocol: ANNEX_C_PROTOCOL,
      data: { deviceRequest: built.deviceRequest, encryptionInfo: built.encryptionInfo },
    },
    expiresAt: new Date(expiresAt).toISOString(),
    elements,
    readerAuthentication,
    requests: [
      {
        protocol: ANNEX_C_PROTOCOL,
        data: { deviceRequest: built.deviceRequest, encryptionInfo: built.encryptionInfo },
      },
      ...(openid4vp === undefined
        ? []
        : [{ protocol: OPENID4VP_SIGNED_PROTOCOL, data: { request: openid4vp.signed } } as const]),
    ],
  };
}
