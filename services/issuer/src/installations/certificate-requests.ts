/**
 * The smartphone JPKI certificates (POST /installations/{id}/jpki-certificates): the phone generated its
 * JPKI keys in its secure element, sends a PKCS #10 request (RFC 2986) for each with a key attestation
 * (OpenID4VCI 1.0 Appendix D.1) by its platform that the key lives there, and gets the certificates from
 * the sandbox JPKI CAs (DOMAIN.md §3).
 *
 * Each request must:
 * - be signed by the key it carries (proof of possession) and carry an RSA-2048 key (JPKI's);
 * - come with a key attestation that chains to the sandbox platform attestation roots at the issuer's
 *   clock, asserts a key storage of at least `REQUIRED_KEY_STORAGE`, lists the request's key among its
 *   `attested_keys` (@mynakit/oid4vci findAttestedKey) and carries the nonce the card step handed this
 *   installation (single use; both attestations may carry it, it is consumed once).
 * The signature request is required exactly when the card carries a signature certificate (15+).
 *
 * Then: Android, or a holder without a signature certificate → the certificates complete the installation
 * (complete.ts rules); iPhone with a signature certificate → they are staged until the record arrives.
 */
import type { KeyObject } from 'node:crypto';
import {
  findAttestedKey,
  Oid4vciError,
  type VerifiedKeyAttestation,
  verifyKeyAttestation,
} from '@mynakit/oid4vci';
import { type Csr, parseCertificate, parseCsr } from '@mynakit/pki';
import {
  type IssuedJpkiCertificate,
  issueSandboxSignatureCertificate,
  issueSandboxUserAuthenticationCertificate,
} from '../ca/jpki-certificates.js';
import { attestationTrustOf } from '../ca/attestation-trust.js';
import { calendarDateOf } from '../cards/card-validity.js';
import { basicFourOf } from '../cards/issue-card.js';
import { jpkiMunicipalityOf } from '../cards/municipality.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { withCheckDigit } from '../residents/seed-residents.js';
import type { NewCredential } from '../store/credential-repository.js';
import { attestationNoncePurpose, needsOf } from './card-step.js';
import { completedEvent, failInstallation } from './complete.js';
import { randomOf } from './support.js';
import { bytesFromBase64 } from './support.js';

/** The certificates are sent to the phone: staging or completing records them durably (store-support.ts). */
const DURABLE = { durable: true } as const;

/**
 * The weakest key storage accepted for smartphone JPKI keys: resistance to attackers of "Moderate" attack
 * potential (OpenID4VCI 1.0 Appendix D.2 `iso_18045_moderate`, ISO/IEC 18045 AVA_VAN.4) — a secure element
 * or TEE, not a software key store.
 */
export const REQUIRED_KEY_STORAGE = 'iso_18045_moderate';

/** The body of POST /installations/{id}/jpki-certificates (CSRs: base64 DER; attestations: JWT). */
export interface CertificateRequests {
  readonly signCsr?: string;
  readonly signKeyAttestation?: string;
  readonly authCsr: string;
  readonly authKeyAttestation: string;
}

/** One certificate issued, with its issuing CA's certificate. */
export interface DeviceCertificate {
  readonly der: Uint8Array;
  readonly issuer: Uint8Array;
  readonly serialNumber: string;
  readonly notAfter: Date;
}

/** What the step answers. */
export interface IssuedDeviceCertificates {
  readonly installationId: string;
  /** `pending` while the record is awaited (iPhone), `active` once completed. */
  readonly state: 'pending' | 'active';
  readonly userAuthentication: DeviceCertificate;
  readonly signature?: DeviceCertificate;
  /** What the installation still waits for (`mdoc` on an iPhone). */
  readonly waitingFor: readonly string[];
  /** The previous device's installation, now superseded (its credentials revoked). */
  readonly supersededInstallationId?: string;
}

/**
 * Checks the requests of installation `installationId` (whose token the route checked), issues the
 * certificates and completes or stages (see the file comment).
 */
export async function issueDeviceCertificates(
  deps: IssuerDeps,
  installationId: string,
  body: CertificateRequests,
): Promise<IssuedDeviceCertificates> {
  const now = deps.clock();
  const at = now.getTime();
  const installation = await deps.store.installations.get(installationId);
  if (!installation) throw new IssuerError('ISSUER_NOT_FOUND', 'no such installation');
  if (installation.state !== 'pending')
    throw new IssuerError('ISSUER_INSTALLATION_STATE', `the installation is ${installation.state}`);
  if ((await deps.store.stagedCredentials.list(installationId)).length > 0)
    throw new IssuerError('ISSUER_INSTALLATION_STATE', 'the certificates of this installation were issued');
  const card = installation.cardId === null ? undefined : await deps.store.cards.get(installation.cardId);
  if (card?.state !== 'active')
    throw new IssuerError('ISSUER_CARD_REVOKED', 'the card of this installation is no longer in force');
  const resident = await deps.store.residents.get(installation.residentId);
  if (!resident) throw new IssuerError('ISSUER_NOT_FOUND', 'the holder is no longer registered');
  const needs = needsOf(installation.family, card);
  const wantsSign = needs.includes('jpki-sign');

  if (wantsSign && (body.signCsr === undefined || body.signKeyAttestation === undefined))
    throw new IssuerError(
      'ISSUER_CSR_INVALID',
      'signCsr and signKeyAttestation are required: the card carries a signature certificate',
    );
  if (!wantsSign && (body.signCsr !== undefined || body.signKeyAttestation !== undefined))
    throw new IssuerError(
      'ISSUER_CSR_INVALID',
      'no signature certificate for this holder (under 15): send authCsr only',
    );

  const authCsr = readCsr(body.authCsr, 'authCsr');
  const signCsr = wantsSign ? readCsr(body.signCsr as string, 'signCsr') : undefined;
  if (signCsr?.publicKey.equals(authCsr.publicKey))
    throw new IssuerError('ISSUER_CSR_INVALID', 'the two requests carry the same key');

  const [authAttestation, signAttestation] = await bothInOrder(
    verifyAttestation(deps, body.authKeyAttestation, 'authKeyAttestation', now),
    signCsr === undefined
      ? Promise.resolve(undefined)
      : verifyAttestation(deps, body.signKeyAttestation as string, 'signKeyAttestation', now),
  );
  requireAttested(authAttestation, authCsr.publicKey, 'authCsr');
  if (signAttestation && signCsr) requireAttested(signAttestation, signCsr.publicKey, 'signCsr');

  // Single use, bound to this installation; consumed once even when both attestations carry it.
  const nonces = new Set<string>();
  for (const a of [authAttestation, signAttestation]) {
    if (a === undefined) continue;
    if (a.nonce === undefined)
      throw new IssuerError('ISSUER_ATTESTATION_NONCE', 'a key attestation carries no nonce');
    nonces.add(a.nonce);
  }
  for (const nonce of nonces) {
    const result = await deps.store.nonces.consume({
      nonce,
      purpose: attestationNoncePurpose(installationId),
      now,
    });
    if (result !== 'consumed')
      throw new IssuerError(
        'ISSUER_ATTESTATION_NONCE',
        result === 'replayed'
          ? 'the key attestation nonce was used before'
          : result === 'expired'
            ? 'the key attestation nonce has expired'
            : 'the key attestation nonce was not handed out to this installation',
      );
  }

  // Issue: smartphone certificates die with the card's (DOMAIN.md §3), so each is capped by the card's.
  const random = randomOf(deps);
  const municipality = jpkiMunicipalityOf(resident.municipalityCode);
  // The two certificates are signed at the same time (the key source signs off the main thread); their
  // random serials and ids are drawn in this order, auth first, as before either is signed.
  const signCert = card.signCert;
  const [auth, sign] = await bothInOrder(
    issueSandboxUserAuthenticationCertificate(
      deps.hierarchy,
      { birthDate: calendarDateOf(resident.birthDate), municipality },
      {
        publicKey: authCsr.spkiDer,
        issuedAt: now,
        cardExpiresAt: parseCertificate(card.authCert).notAfter,
        random,
      },
    ),
    signCsr === undefined || signCert === null
      ? Promise.resolve(undefined)
      : issueSandboxSignatureCertificate(
          deps.hierarchy,
          { basicFour: basicFourOf(resident), municipality },
          {
            publicKey: signCsr.spkiDer,
            issuedAt: now,
            cardExpiresAt: parseCertificate(signCert).notAfter,
            random,
          },
        ),
  );
  // Where their status is published: the CRL partition is the holder's municipality at issuance.
  const crlPartition = withCheckDigit(resident.municipalityCode.slice(0, 5));
  const credentials: NewCredential[] = [credentialOf('jpki-auth', auth, crlPartition)];
  if (sign) credentials.push(credentialOf('jpki-sign', sign, crlPartition));
  const view = {
    installationId,
    userAuthentication: deviceCertificate(auth),
    ...(sign ? { signature: deviceCertificate(sign) } : {}),
  };

  if (needs.includes('mdoc')) {
    await deps.store.transaction(async (tx) => {
      await tx.stagedCredentials.stage(installationId, credentials, at);
      await tx.events.append({
        kind: 'installation.certificates_staged',
        residentId: installation.residentId,
        detail: { installationId, serials: credentials.map((c) => c.serial) },
        at,
      });
    }, DURABLE);
    return { ...view, state: 'pending', waitingFor: ['mdoc'] };
  }

  const keyAttestation = JSON.stringify({
    'jpki-auth': body.authKeyAttestation,
    ...(body.signKeyAttestation === undefined ? {} : { 'jpki-sign': body.signKeyAttestation }),
  });
  try {
    const done = await deps.store.transaction(async (tx) => {
      const completed = await tx.installations.complete(installationId, credentials, {
        now: at,
        ...(keyAttestation.length <= 65536 ? { keyAttestation } : {}),
      });
      await tx.installationTokens.deleteForInstallation(installationId);
      await tx.events.append(completedEvent(completed, at));
      return completed;
    }, DURABLE);
    // Committed: the previous phone's revocations reach this process's publishers and streams.
    if (done.change) deps.hub?.emit(done.change);
    return {
      ...view,
      state: 'active',
      waitingFor: [],
      ...(done.superseded === undefined ? {} : { supersededInstallationId: done.superseded.installationId }),
    };
  } catch (e) {
    if (e instanceof IssuerError && e.code === 'ISSUER_INSTALLATION_CONFLICT')
      await failInstallation(
        deps,
        installationId,
        'conflict',
        credentials.flatMap((c) => (c.serial === undefined ? [] : [c.serial])),
      );
    throw e;
  }
}

/**
 * Both results, the two run at the same time; fails as the two would one after the other — with the first
 * one's error when it fails, else the second's — so which error a request gets does not depend on timing.
 */
async function bothInOrder<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

function readCsr(text: string, field: string): Csr {
  let csr: Csr;
  try {
    csr = parseCsr(bytesFromBase64(text, field));
  } catch (e) {
    if (e instanceof IssuerError) throw new IssuerError('ISSUER_CSR_INVALID', e.message);
    throw new IssuerError('ISSUER_CSR_INVALID', `${field} is not a PKCS #10 certification request`);
  }
  if (!csr.signatureValid)
    throw new IssuerError('ISSUER_CSR_INVALID', `${field} is not signed by the key it carries`);
  const key = csr.publicKey;
  if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== 2048)
    throw new IssuerError('ISSUER_CSR_INVALID', `${field}: a JPKI key is RSA-2048`);
  return csr;
}

/** Verifies a key attestation (not yet its nonce), mapping @mynakit/oid4vci's checks to the issuer's codes. */
async function verifyAttestation(
  deps: IssuerDeps,
  jwt: string,
  field: string,
  now: Date,
): Promise<VerifiedKeyAttestation> {
  try {
    return await verifyKeyAttestation(jwt, {
      now,
      trustAnchors: attestationTrustOf(deps.hierarchy),
      requirements: { key_storage: [REQUIRED_KEY_STORAGE] },
    });
  } catch (e) {
    if (!(e instanceof Oid4vciError)) throw e;
    switch (e.check) {
      case 'key_attestation.chain':
        throw new IssuerError(
          'ISSUER_ATTESTATION_UNTRUSTED',
          `${field}: the attester does not chain to the sandbox platform attestation roots`,
        );
      case 'key_attestation.key_storage':
        throw new IssuerError(
          'ISSUER_ATTESTATION_TOO_WEAK',
          `${field}: the key storage must be at least ${REQUIRED_KEY_STORAGE}`,
        );
      case 'key_attestation.nonce':
      case 'key_attestation.nonce_missing':
        throw new IssuerError('ISSUER_ATTESTATION_NONCE', `${field}: ${e.check}`);
      default:
        throw new IssuerError('ISSUER_ATTESTATION_INVALID', `${field}: ${e.check} failed`);
    }
  }
}

function requireAttested(attestation: VerifiedKeyAttestation, key: KeyObject, field: string): void {
  if (findAttestedKey(attestation, key) < 0)
    throw new IssuerError('ISSUER_KEY_NOT_ATTESTED', `${field}: its key is not among the attested keys`);
}

/**
 * The credential record of a certificate, with where its status is published: `crlPartition` the holder's
 * municipality code (6 digits with the check digit, the partition of src/crl), `issuerCertificate` the
 * issuing CA generation's hierarchy name (the CRL and OCSP responder that speak for it).
 */
function credentialOf(
  kind: 'jpki-auth' | 'jpki-sign',
  c: IssuedJpkiCertificate,
  crlPartition: string,
): NewCredential {
  return {
    kind,
    serial: c.serialNumber.toLowerCase(),
    notAfter: c.notAfter.getTime(),
    bytes: c.der,
    crlPartition,
    issuerCertificate: c.issuerName,
  };
}

function deviceCertificate(c: IssuedJpkiCertificate): DeviceCertificate {
  return { der: c.der, issuer: c.issuer.der, serialNumber: c.serialNumber, notAfter: c.notAfter };
}
