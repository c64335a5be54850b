/**
 * Issuing an mdoc (ISO/IEC 18013-5 §9.1.2) with a sandbox document signer whose key never leaves the
 * KeySource: @mynakit/mdoc's issueMdoc builds the items, digests and MSO and hands the Sig_structure to the
 * CA's `issuerSigner`; the DS certificate goes in `x5chain`.
 *
 * Validity (§9.1.2.4 ValidityInfo): `signed` = `validFrom` = now; `validUntil` = now + RECORD_VALIDITY_MS,
 * capped by the document signer's notAfter (a verifier checks `signed` inside the DS validity, and a record
 * that outlives its DS certificate can no longer be path-validated) and by the holder's card expiry (the
 * record dies with the card, DOMAIN.md §4). One year is our choice [I]: short enough that age attestations
 * and the register's data are refreshed by re-issue, long enough not to burden holders.
 *
 * Status: the MSO `status` (draft-ietf-oauth-status-list §6.3, `{status_list: {idx, uri}}`) is written when
 * a status-list position is given (status-lists/record-status.ts allocates one for every card-substitute
 * record); the credentials row then carries the partition and index. Every record's row names the document
 * signer that signed it (`issuerCertificate`, its name in the hierarchy).
 */
import type { KeyObject } from 'node:crypto';
import type { CborValue } from '@mynakit/cbor';
import { issueMdoc, type RandomSource, type StatusListReference } from '@mynakit/mdoc';
import { sandboxMdocSigner } from '../ca/mdoc-signer.js';
import type { SandboxHierarchy } from '../ca/sandbox-hierarchy.js';
import { IssuerError } from '../errors.js';
import type { NewCredential } from '../store/index.js';

/** The longest a record is valid: one year (365 days) from signing, before the caps. */
export const RECORD_VALIDITY_MS = 365 * 86_400_000;

/** The place of one record in a Token Status List: the list's URI and the record's index (draft-ietf-oauth-status-list §6.3). */
export interface RecordStatusAllocation {
  readonly uri: string;
  readonly index: number;
  /** The list's partition (`status_list_partitions.partition`), stored with the credential. */
  readonly partition: number;
}

/**
 * Reserves a status-list position for a record about to be issued. The hook revocation publishing fills;
 * answering undefined issues the record without a status reference.
 */
export type RecordStatusAllocator = (record: {
  readonly docType: string;
  readonly residentId: string;
  readonly installationId: string;
}) => Promise<RecordStatusAllocation | undefined>;

/** What issueRecord needs. */
export interface IssueRecordInput {
  readonly docType: string;
  readonly nameSpaces: Readonly<Record<string, Readonly<Record<string, CborValue>>>>;
  /** The holder's attested device key (the key proof's key): the MSO's deviceKey, COSE_Key. */
  readonly deviceKey: KeyObject;
  readonly now: Date;
  /** The holder's card expiry (epoch ms), when known: the record does not outlive it. */
  readonly notAfterCap?: number;
  /** The record's status-list position, when one is allocated. */
  readonly status?: RecordStatusAllocation;
  /** Randomness for salts and digest IDs (default crypto.getRandomValues). */
  readonly random?: RandomSource;
}

/** An issued record: the IssuerSigned bytes for the wallet and the credentials row to store. */
export interface IssuedRecord {
  /** IssuerSigned CBOR (what the Credential Response carries, base64url). */
  readonly bytes: Uint8Array;
  /** SHA-256 of MobileSecurityObjectBytes, lower-case hex: the record's inquiry key (DOMAIN.md §4). */
  readonly msoDigest: string;
  readonly validFrom: Date;
  readonly validUntil: Date;
  /** The credentials row (kind `mdoc`) for the installation. */
  readonly credential: NewCredential;
}

/**
 * Signs a record for `input.deviceKey` with the sandbox's current document signer for its docType.
 * ISSUER_CA_UNAVAILABLE when the hierarchy has no signer for the docType, or no validity remains.
 */
export async function issueRecord(
  hierarchy: SandboxHierarchy,
  input: IssueRecordInput,
): Promise<IssuedRecord> {
  const signer = sandboxMdocSigner(hierarchy, input.docType);
  const dsName = (input.docType === hierarchy.mnc.docType ? hierarchy.mnc : hierarchy.mdl).documentSigner
    .name;
  const signed = new Date(Math.floor(input.now.getTime() / 1000) * 1000);
  let until = Math.min(signed.getTime() + RECORD_VALIDITY_MS, signer.documentSigner.notAfter.getTime());
  if (input.notAfterCap !== undefined) until = Math.min(until, input.notAfterCap);
  // tdate carries whole seconds (§9.1.2.4): round down so the cap is never exceeded.
  const validUntil = new Date(Math.floor(until / 1000) * 1000);
  if (
    validUntil.getTime() <= signed.getTime() ||
    signer.documentSigner.notBefore.getTime() > signed.getTime()
  )
    throw new IssuerError('ISSUER_CA_UNAVAILABLE', 'no validity remains for a record signed now');

  const status: StatusListReference | undefined =
    input.status === undefined ? undefined : { idx: input.status.index, uri: input.status.uri };
  const issued = await issueMdoc({
    docType: input.docType,
    nameSpaces: input.nameSpaces,
    deviceKey: input.deviceKey,
    validityInfo: { signed, validFrom: signed, validUntil },
    ...(status === undefined ? {} : { status }),
    issuerSigner: signer.issuerSigner,
    issuerCertificateChain: signer.issuerCertificateChain,
    ...(input.random === undefined ? {} : { random: input.random }),
  });
  const msoDigest = Buffer.from(issued.msoDigest).toString('hex');
  return {
    bytes: issued.bytes,
    msoDigest,
    validFrom: signed,
    validUntil,
    credential: {
      kind: 'mdoc',
      msoDigest,
      notAfter: validUntil.getTime(),
      bytes: issued.bytes,
      issuerCertificate: dsName,
      ...(input.status === undefined
        ? {}
        : { statusListIndex: input.status.index, statusListPartition: input.status.partition }),
    },
  };
}
