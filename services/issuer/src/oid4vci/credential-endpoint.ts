/**
 * The Credential Endpoint (OpenID4VCI 1.0 §8): an access token → its installation; one `jwt` key proof
 * (Appendix F.1) carrying a key attestation (Appendix D) that a trusted platform attester signed, for a
 * c_nonce of ours used once → the record (or the sample mDL) bound to the attested key, stored with the
 * installation under the one-device rule.
 *
 * Order matters. The cheap decisions come first — the token, the request's shape, whether this installation
 * may receive this credential now — so a request that will be denied anyway spends no nonce and no
 * signature; then the proof (the nonce is consumed last inside the proof check, so a forged proof never
 * burns one); then signing; then storing, where the one-device rule may still refuse (another device
 * completed first).
 *
 * Which installation gets what (DOMAIN.md §1 "Two phone families"):
 *   record, iPhone, pending     → issued; completes the installation with the JPKI certificates
 *   record, Android, pending    → credential_request_denied: the certificates complete an Android installation first
 *   record, any, active         → issued once (Android: the record added later); a second one is denied
 *   sample mDL, active          → issued once (sandbox only: there, the access token of an installation
 *                                 also covers the sample licence, though the offer names the record)
 *   anything else (pending mDL, superseded, failed) → credential_request_denied
 * §8.3.1.1 `credential_request_denied`: "The Credential Request has not been accepted by the Credential
 * Issuer" — the request itself is well-formed, so not `invalid_credential_request`.
 */
import type { KeyObject } from 'node:crypto';
import { decode, EncodedCbor, Tagged } from '@mynakit/cbor';
import { decodeIssuerSignedBytes, decodeMobileSecurityObject } from '@mynakit/mdoc';
import {
  createCredentialResponse,
  Oid4vciError,
  parseCredentialRequest,
  verifyCredentialRequestProofs,
} from '@mynakit/oid4vci';
import type { Context } from 'hono';
import { attestationTrustOf } from '../ca/attestation-trust.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { completeInstallationWithRecord } from '../installations/complete.js';
import { type IssuedRecord, issueRecord, RECORD_VALIDITY_MS } from '../records/issue-record.js';
import { recordNameSpaces } from '../records/record-name-spaces.js';
import { sampleMdlNameSpaces } from '../records/sample-mdl.js';
import { sandboxMyNumber } from '../records/sandbox-my-number.js';
import { sandboxPortrait } from '../records/sandbox-portrait.js';
import { recordStatusAllocator } from '../status-lists/record-status.js';
import type { Installation, Resident } from '../store/index.js';
import {
  credentialConfigurationIds,
  KEY_ATTESTATIONS_REQUIRED,
  PROOF_SIGNING_ALGORITHMS,
  RECORD_CONFIGURATION_ID,
  SAMPLE_MDL_CONFIGURATION_ID,
} from './metadata.js';
import { C_NONCE_PURPOSE } from './nonce-endpoint.js';
import { noStoreJson } from './oauth-response.js';
import { accessTokenGrant, jsonBody } from './request-support.js';
import { CredentialRequestSchema } from './schemas.js';

/** Where the issued credential goes. */
type Destination = 'complete' | 'add';

const denied = (message: string): Oid4vciError =>
  new Oid4vciError('credential_request_denied', 'credential_request.configuration', message);

/** The docType in a stored IssuerSigned's MSO (our own bytes, so read without verification), or undefined. */
function docTypeOf(issuerSigned: Uint8Array): string | undefined {
  try {
    const sign1 = decodeIssuerSignedBytes(issuerSigned).issuerAuth;
    const array = sign1 instanceof Tagged ? sign1.value : sign1;
    const payload = Array.isArray(array) ? array[2] : undefined;
    if (!(payload instanceof Uint8Array)) return undefined;
    // MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject) (ISO/IEC 18013-5 §9.1.2.4).
    const msoBytes = decode(payload);
    if (!(msoBytes instanceof EncodedCbor)) return undefined;
    return decodeMobileSecurityObject(msoBytes.decode()).docType;
  } catch {
    return undefined;
  }
}

/** The `key_attestation` header of a key proof that verified (kept with the installation as received). */
function keyAttestationOf(proofJwt: string): string {
  const header = JSON.parse(
    Buffer.from(proofJwt.slice(0, proofJwt.indexOf('.')), 'base64url').toString('utf8'),
  );
  return (header as { key_attestation: string }).key_attestation;
}

/** Whether the installation holds an active mdoc of `docType` already. */
async function holdsActive(deps: IssuerDeps, installationId: string, docType: string): Promise<boolean> {
  const credentials = await deps.store.credentials.listByInstallation(installationId);
  return credentials.some((c) => c.kind === 'mdoc' && c.state === 'active' && docTypeOf(c.bytes) === docType);
}

/** Decides where a credential of `configurationId` may go for this installation, or refuses. */
async function destinationOf(
  deps: IssuerDeps,
  installation: Installation,
  configurationId: string,
): Promise<Destination> {
  const record = configurationId === RECORD_CONFIGURATION_ID;
  if (installation.state === 'pending') {
    if (record && installation.family === 'iphone') {
      // The certificates are issued (and staged) first; checked here too so an early request spends no nonce.
      const staged = new Set((await deps.store.stagedCredentials.list(installation.id)).map((c) => c.kind));
      if (!staged.has('jpki-sign') || !staged.has('jpki-auth'))
        throw denied('send the certificate signing requests of this installation first');
      return 'complete';
    }
    throw denied(
      record
        ? 'an Android installation receives its certificates first; the record is added to the active installation'
        : 'the sample licence is issued to a completed installation',
    );
  }
  if (installation.state !== 'active') throw denied('the installation is no longer in force');
  if (await holdsActive(deps, installation.id, configurationId))
    throw denied('this installation already holds this credential');
  return 'add';
}

/** The holder's card for the record: the one the card step used, else the resident's active card. */
async function recordCard(deps: IssuerDeps, installation: Installation) {
  const card =
    installation.cardId !== null
      ? await deps.store.cards.get(installation.cardId)
      : await deps.store.cards.activeForResident(installation.residentId);
  if (card === undefined || card.state !== 'active') throw denied('the holder has no card in force');
  // 番号法 §18-2(1): the record goes only to holders whose card carries a signature certificate (15 and over).
  if (card.signCert === null) throw denied('no card-substitute record without a signature certificate');
  return card;
}

/** Signs the credential of `configurationId` for the resident, bound to `deviceKey`. */
async function issueFor(
  deps: IssuerDeps,
  configurationId: string,
  installation: Installation,
  resident: Resident,
  deviceKey: KeyObject,
  now: Date,
  cardExpiresAt: number | undefined,
): Promise<IssuedRecord> {
  const fill = deps.random;
  const common = {
    deviceKey,
    now,
    ...(fill === undefined ? {} : { random: (n: number) => fill(new Uint8Array(n)) }),
  };
  if (configurationId === RECORD_CONFIGURATION_ID) {
    // My Number and the portrait have no column in the register: only the sandbox can supply them (its own,
    // clearly fictional ones); a deployment without a source leaves the two elements out.
    const extras = deps.config.sandbox
      ? { myNumber: sandboxMyNumber(resident.id), portrait: sandboxPortrait() }
      : {};
    // Every record gets its Token Status List position (status-lists/record-status.ts); the sample mDL
    // below gets none.
    const status = await recordStatusAllocator(deps)({
      docType: RECORD_CONFIGURATION_ID,
      residentId: resident.id,
      installationId: installation.id,
    });
    return issueRecord(deps.hierarchy, {
      ...common,
      ...(status === undefined ? {} : { status }),
      docType: RECORD_CONFIGURATION_ID,
      nameSpaces: recordNameSpaces(resident, now, extras),
      ...(cardExpiresAt === undefined ? {} : { notAfterCap: cardExpiresAt }),
    });
  }
  const expires = new Date(now.getTime() + RECORD_VALIDITY_MS);
  return issueRecord(deps.hierarchy, {
    ...common,
    docType: SAMPLE_MDL_CONFIGURATION_ID,
    nameSpaces: sampleMdlNameSpaces(resident, now, expires, sandboxPortrait()),
  });
}

/** Handles POST /oid4vci/credential; Oid4vciError for every protocol failure (the route answers them). */
export async function handleCredentialRequest(c: Context, deps: IssuerDeps): Promise<Response> {
  const now = deps.clock();
  const grant = await accessTokenGrant(c, deps, now);
  const body = await jsonBody(
    c,
    CredentialRequestSchema,
    'invalid_credential_request',
    'credential_request.decode',
  );
  const request = parseCredentialRequest(body, {
    credentialConfigurationIds: credentialConfigurationIds(deps.config.sandbox),
    maxProofs: 1,
  });
  const configurationId = request.credentialConfigurationId as string;

  const installation = await deps.store.installations.get(grant.installationId);
  if (installation === undefined) throw denied('the installation is no longer in force');
  const destination = await destinationOf(deps, installation, configurationId);
  const card = configurationId === RECORD_CONFIGURATION_ID ? await recordCard(deps, installation) : undefined;
  const resident = await deps.store.residents.get(installation.residentId);
  if (resident === undefined) throw denied('the holder is no longer registered');

  const [proof] = await verifyCredentialRequestProofs(request.proofs, {
    now,
    credentialIssuer: deps.config.origin,
    allowedAlgorithms: PROOF_SIGNING_ALGORITHMS,
    keyAttestationsRequired: KEY_ATTESTATIONS_REQUIRED,
    keyAttestationTrustAnchors: attestationTrustOf(deps.hierarchy),
    nonce: async (nonce) =>
      (await deps.store.nonces.consume({ nonce, purpose: C_NONCE_PURPOSE, now })) === 'consumed',
  });
  if (proof === undefined) throw new TypeError('verifyCredentialRequestProofs returned no proof');

  const issued = await issueFor(
    deps,
    configurationId,
    installation,
    resident,
    proof.publicKey,
    now,
    card?.expiresAt,
  );
  // The issuing event is written in the transaction that stores the credential.
  const issuedEvent = (credentialId: string) => ({
    kind: 'oid4vci.credential_issued',
    residentId: installation.residentId,
    detail: { installationId: installation.id, credentialId, configurationId },
    at: now.getTime(),
  });
  let credentialId: string | undefined;
  try {
    if (destination === 'complete') {
      await completeInstallationWithRecord(deps, installation.id, issued.credential, {
        keyAttestation: keyAttestationOf(request.proofs[0] as string),
        alsoInTransaction: async (tx, completed) => {
          const stored = completed.credentials.find(
            (x) => x.kind === 'mdoc' && x.msoDigest === issued.msoDigest,
          );
          if (stored === undefined)
            throw new TypeError('the completed installation does not hold the record');
          credentialId = stored.id;
          await tx.events.append(issuedEvent(stored.id));
        },
      });
    } else {
      credentialId = await deps.store.transaction(
        async (tx) => {
          const [stored] = await tx.installations.addCredentials(
            installation.id,
            [issued.credential],
            now.getTime(),
          );
          if (stored === undefined) throw new TypeError('addCredentials stored nothing');
          await tx.events.append(issuedEvent(stored.id));
          return stored.id;
        },
        { durable: true },
      );
    }
  } catch (e) {
    // The one-device rule decided against this installation meanwhile (another device completed first, or
    // the installation left the state it was in): nothing was stored, and the wallet must not keep the record.
    if (
      e instanceof IssuerError &&
      (e.code === 'ISSUER_INSTALLATION_CONFLICT' || e.code === 'ISSUER_INSTALLATION_STATE')
    )
      throw denied('the installation was superseded or changed state; nothing was issued');
    throw e;
  }
  if (credentialId === undefined) throw new TypeError('the credential was not stored');
  return noStoreJson(
    c,
    createCredentialResponse({ credentials: [issued.bytes], notificationId: credentialId }),
  );
}
