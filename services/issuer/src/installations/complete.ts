/**
 * Completing an installation under the one-device rule (DOMAIN.md §1 "One person, one device";
 * InstallationRepository.complete takes the device slot, supersedes the previous device's installation
 * and revokes its credentials, all in one transaction).
 *
 * Who completes what (DOMAIN.md §1 "Two phone families"):
 * - Android, and any holder without a signature certificate: the JPKI certificates complete the
 *   installation (certificate-requests.ts); the record is added to the active installation later
 *   (record-offer.ts → the OpenID4VCI credential endpoint → InstallationRepository.addCredentials).
 * - iPhone with a signature certificate: the record and both certificates arrive together. The
 *   certificates are issued first and staged (StagedCredentialRepository); the OpenID4VCI credential
 *   endpoint (src/oid4vci) then calls `completeInstallationWithRecord`, which moves the staged certificates
 *   and the record into `credentials` in the very transaction that takes the device slot.
 *
 * The loser of a race — another installation of the same resident completed from the same base
 * generation — is marked failed (`failInstallation`), its staged certificates dropped, and the caller
 * gets ISSUER_INSTALLATION_CONFLICT (409): nothing of it was written as a credential.
 */
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import type { NewCredential } from '../store/credential-repository.js';
import type { CompletedInstallation } from '../store/installation-repository.js';
import type { IssuerRepositories } from '../store/issuer-store.js';
import { needsOf } from './card-step.js';

/** Completion records issued credentials and revokes the previous device's: a durable commit (store-support.ts). */
const DURABLE = { durable: true } as const;

/** What completing needs of the issuer's dependencies. */
export type CompletionDeps = Pick<IssuerDeps, 'store' | 'clock' | 'hub'>;

/** Options of `completeInstallationWithRecord`. */
export interface CompleteWithRecordOptions {
  /** The record's device key attestation as received (OpenID4VCI key_attestation JWT), kept with the installation. */
  readonly keyAttestation?: string;
  /**
   * More to write in the completion's transaction once the installation completed (e.g. the issuing
   * endpoint's own event): it commits with the completion, or neither does.
   */
  readonly alsoInTransaction?: (tx: IssuerRepositories, completed: CompletedInstallation) => Promise<void>;
}

/**
 * Completes a pending iPhone installation with its record (an `mdoc` credential: IssuerSigned bytes, MSO
 * digest, notAfter) and the JPKI certificates staged for it, at `deps.clock()`.
 *
 * Throws IssuerError: ISSUER_INVALID_INPUT (not an mdoc credential), ISSUER_NOT_FOUND,
 * ISSUER_INSTALLATION_STATE (not pending, not the iPhone family, or its certificates not issued yet —
 * the phone sends its CSRs before it redeems the offer), ISSUER_INSTALLATION_CONFLICT (another
 * installation of the resident completed first: this one is now failed), ISSUER_DUPLICATE (MSO digest
 * taken). On any error nothing was written as a credential.
 */
export async function completeInstallationWithRecord(
  deps: CompletionDeps,
  installationId: string,
  recordCredential: NewCredential,
  options: CompleteWithRecordOptions = {},
): Promise<CompletedInstallation> {
  if (recordCredential.kind !== 'mdoc')
    throw new IssuerError('ISSUER_INVALID_INPUT', 'the record is an mdoc credential');
  const at = deps.clock().getTime();
  try {
    const completed = await deps.store.transaction(async (tx) => {
      const installation = await tx.installations.get(installationId);
      if (!installation) throw new IssuerError('ISSUER_NOT_FOUND', 'no such installation');
      if (installation.state !== 'pending')
        throw new IssuerError('ISSUER_INSTALLATION_STATE', `the installation is ${installation.state}`);
      const card = installation.cardId === null ? undefined : await tx.cards.get(installation.cardId);
      if (installation.family !== 'iphone' || !card || !needsOf('iphone', card).includes('mdoc'))
        throw new IssuerError(
          'ISSUER_INSTALLATION_STATE',
          'only an iPhone installation of a holder with a signature certificate completes with its record',
        );
      const staged = await tx.stagedCredentials.list(installationId);
      const stagedKinds = new Set(staged.map((c) => c.kind));
      if (!stagedKinds.has('jpki-auth') || !stagedKinds.has('jpki-sign'))
        throw new IssuerError(
          'ISSUER_INSTALLATION_STATE',
          'the JPKI certificates of this installation are not issued yet',
        );
      const done = await tx.installations.complete(installationId, [...staged, recordCredential], {
        now: at,
        ...(options.keyAttestation === undefined ? {} : { keyAttestation: options.keyAttestation }),
      });
      await tx.stagedCredentials.clear(installationId);
      await tx.installationTokens.deleteForInstallation(installationId);
      await tx.events.append(completedEvent(done, at));
      await options.alsoInTransaction?.(tx, done);
      return done;
    }, DURABLE);
    // Committed: the previous phone's revocations reach this process's publishers and streams.
    if (completed.change) deps.hub?.emit(completed.change);
    return completed;
  } catch (e) {
    if (e instanceof IssuerError && e.code === 'ISSUER_INSTALLATION_CONFLICT')
      await failInstallation(deps, installationId, 'conflict');
    throw e;
  }
}

/** The event of a completion: ids and counts only. */
export function completedEvent(done: CompletedInstallation, at: number) {
  return {
    kind: 'installation.completed',
    residentId: done.installation.residentId,
    detail: {
      installationId: done.installation.id,
      family: done.installation.family,
      credentials: done.credentials.map((c) => ({ id: c.id, kind: c.kind })),
      ...(done.superseded === undefined
        ? {}
        : {
            supersededInstallationId: done.superseded.installationId,
            revokedCredentials: done.superseded.revokedCredentialIds.length,
          }),
    },
    at,
  };
}

/**
 * Marks a pending installation failed (compare-and-set: an installation that completed meanwhile stays
 * as it is), drops its staged credentials and its token, and logs the certificates that were issued for
 * it but never delivered. Returns whether it was pending.
 */
export async function failInstallation(
  deps: CompletionDeps,
  installationId: string,
  reason: 'conflict' | 'abandoned',
  discardedSerials: readonly string[] = [],
): Promise<boolean> {
  const at = deps.clock().getTime();
  return deps.store.transaction(async (tx) => {
    const installation = await tx.installations.get(installationId);
    const failed = await tx.installations.fail(installationId, at);
    if (!failed) return false;
    const staged = await tx.stagedCredentials.list(installationId);
    await tx.stagedCredentials.clear(installationId);
    await tx.installationTokens.deleteForInstallation(installationId);
    await tx.events.append({
      kind: 'installation.failed',
      residentId: installation?.residentId ?? null,
      detail: {
        installationId,
        reason,
        discardedSerials: [
          ...discardedSerials,
          ...staged.flatMap((c) => (c.serial === undefined ? [] : [c.serial])),
        ],
      },
      at,
    });
    return true;
  });
}
