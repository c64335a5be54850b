/**
 * Opening a Digital Credentials API session with protocol `org-iso-mdoc` (ISO/IEC 18013-7 Annex C; the one
 * Safari/iOS accepts, DOMAIN.md §2): the DeviceRequest (@mynakit/mdoc buildJpMncRequest, which itself
 * refuses My Number without a legal basis), a fresh HPKE recipient key, the EncryptionInfo with a fresh
 * nonce (@mynakit/oid4vp buildAnnexCRequest), and the session row that keeps the EncryptionInfo string as
 * sent, the origin and the sealed private key. The answer carries what the page hands to
 * `navigator.credentials.get({digital: {requests: [{protocol, data}]}})`.
 *
 * Not yet: reader authentication (`readerAuthAll`, which Apple's wallet requires) — it needs the relying
 * party's reader key, which the verifier does not hold yet; the DeviceRequest is version 1.0 without it.
 */
import { buildDeviceRequest, buildJpMncRequest, JP_MNC_NAMESPACE, MY_NUMBER_ELEMENT } from '@mynakit/mdoc';
import { ANNEX_C_PROTOCOL, buildAnnexCRequest } from '@mynakit/oid4vp';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import { newId } from '../store/store-support.js';
import { type RequestedElements, requestedElementsFor } from './requested-elements.js';
import { newSessionKeyPair, sealSessionKey } from './session-key.js';

/** Default and largest session lifetime, seconds (the page waits for the holder's consent, no longer). */
export const MAX_SESSION_TTL_SECONDS = 300;

/** What POST /sessions asks. */
export interface CreateSessionInput {
  /** The purpose of the transaction (e.g. `account-opening`), recorded as the transaction type. */
  readonly purpose: string;
  /** The page's origin; must be one of the relying party's `origins`. */
  readonly origin: string;
  /** namespace → identifiers; absent: the least the purpose needs (requested-elements.ts). */
  readonly elements?: RequestedElements | undefined;
}

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
}

/** Opens an Annex C session for the caller's relying party (see the file comment). */
export async function createAnnexCSession(
  deps: VerifierDeps,
  caller: RpCaller,
  input: CreateSessionInput,
): Promise<CreatedSession> {
  const party = await deps.store.relyingParties.get(caller.relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  if (!party.config.origins.includes(input.origin))
    throw new VerifierError(
      'VERIFIER_ORIGIN_NOT_ALLOWED',
      "the origin is not one of the relying party's configured origins",
    );
  const elements = requestedElementsFor(input.elements, party.config);
  const asksMyNumber = elements[JP_MNC_NAMESPACE]?.includes(MY_NUMBER_ELEMENT) === true;
  const basis = party.config.myNumberLegalBasis;
  const itemsRequest = buildJpMncRequest({
    elements,
    // IntentToRetain (ISO 18013-5 §8.3.2.1.2.1): the KYC law makes the relying party keep the record.
    intentToRetain: party.config.law !== 'none',
    ...(asksMyNumber && basis !== undefined ? { legalBasis: { provision: basis } } : {}),
  });
  const deviceRequest = buildDeviceRequest({ docRequests: [itemsRequest] });
  const { privateKey, publicKey } = newSessionKeyPair();
  const built = buildAnnexCRequest({ deviceRequest, recipientKey: publicKey });
  const now = deps.clock().getTime();
  const ttl = Math.min(deps.config.sessionTtlSeconds ?? MAX_SESSION_TTL_SECONDS, MAX_SESSION_TTL_SECONDS);
  const expiresAt = now + Math.max(ttl, 1) * 1000;
  const sessionId = newId();
  await deps.store.sessions.create({
    id: sessionId,
    relyingPartyId: caller.relyingPartyId,
    credentialId: caller.credentialId,
    protocol: ANNEX_C_PROTOCOL,
    purpose: input.purpose,
    origin: input.origin,
    elements,
    deviceRequest: built.deviceRequest,
    encryptionInfo: built.encryptionInfo,
    recipientKey: sealSessionKey(privateKey, sessionId, deps.config.sessionKeyEncryptionKey),
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
  };
}
