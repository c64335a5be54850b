/**
 * `issuer.certificate_path` and `issuer.certificate_profile` of a document (ISO/IEC 18013-5 §9.3.1,
 * Annex B): the docType-independent result of validating the document signer (document-signer.ts)
 * completed by the extended key usage the docType's rulebook asks for, and the DS profile — whose
 * deviations are warnings unless the policy is strict (deployed DS certificates deviate).
 */
import {
  acceptedDocumentSignerEkus,
  type Certificate,
  checkDocumentSignerProfile,
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  type DocumentSignerEkuTable,
  documentSignerEku,
  type ValidationPolicy,
} from '@mynakit/pki';
import type { Check, CheckStatus } from '@mynakit/report';
import type { VerifyIssuerOptions } from '../verify-options.js';
import { pathFailed, profileSkipped, type SignerResult } from './document-signer.js';

/** ISO/IEC 18013-5 Annex B: extended key usage of a document signer (id-mdl-kp-mdlDS). */
export const MDOC_DS_EKU = '1.0.18013.5.1.2';

interface SignerChecks {
  readonly path: Check;
  readonly profile: Check;
}

/** Per EKU table, per (cached) signer result, per docType: the two checks, built once. */
const signerChecksMemo = new WeakMap<
  DocumentSignerEkuTable,
  WeakMap<SignerResult, Map<string, SignerChecks>>
>();

/** docTypes come from the message: bound what one signer result remembers. */
const DOCTYPES_PER_SIGNER = 16;

/**
 * `issuer.certificate_path` and `issuer.certificate_profile` for a document of `docType`: the
 * docType-independent path result completed by the DS extended key usage the docType's rulebook asks
 * for (`documentSignerEkus`, default DEFAULT_DOCUMENT_SIGNER_EKUS). Three map lookups on a hit.
 */
export function signerChecks(
  signer: SignerResult,
  docType: string,
  options: VerifyIssuerOptions,
): SignerChecks {
  const table = options.documentSignerEkus ?? DEFAULT_DOCUMENT_SIGNER_EKUS;
  let bySigner = signerChecksMemo.get(table);
  if (!bySigner) {
    bySigner = new WeakMap();
    signerChecksMemo.set(table, bySigner);
  }
  let byDocType = bySigner.get(signer);
  if (!byDocType) {
    byDocType = new Map();
    bySigner.set(signer, byDocType);
  }
  let c = byDocType.get(docType);
  if (!c) {
    if (byDocType.size >= DOCTYPES_PER_SIGNER) byDocType.clear();
    c = guardedSignerChecks(signer, docType, table, options.policy ?? 'lenient');
    byDocType.set(docType, c);
  }
  return c;
}

/**
 * A certificate's extensions are read on first use: one that turns out damaged (e.g. a flipped byte in
 * an extension) is a failed path, never an exception out of the verifier.
 */
function guardedSignerChecks(
  signer: SignerResult,
  docType: string,
  table: DocumentSignerEkuTable,
  policy: ValidationPolicy,
): SignerChecks {
  try {
    return computeSignerChecks(signer, docType, table, policy);
  } catch (e) {
    return {
      path: pathFailed(`document signer certificate unusable: ${(e as Error).message}`),
      profile: profileSkipped('document signer certificate unusable'),
    };
  }
}

function computeSignerChecks(
  signer: SignerResult,
  docType: string,
  table: DocumentSignerEkuTable,
  policy: ValidationPolicy,
): SignerChecks {
  const ds = signer.certificate;
  const accepted = acceptedDocumentSignerEkus(table, docType);
  const profile =
    signer.profile ??
    (ds
      ? summariseProfile(checkDocumentSignerProfile(ds, policy, accepted), policy)
      : profileSkipped('no document signer certificate'));
  if (signer.pathFailure || !ds)
    return { path: signer.pathFailure ?? pathFailed('no document signer certificate'), profile };
  return { path: ekuPath(ds, signer, docType, accepted, table, policy), profile };
}

/**
 * The DS extended key usage for `docType` (ISO/IEC 18013-5 Annex B Table B.3 for the mDL; each
 * docType's rulebook for the others), on a validated path. Another mdoc role's EKU fails the path
 * (PATH_EKU); no EKU keeps RFC 5280's "unrestricted" (a noted warning; PATH_EKU under strict); an EKU
 * outside the docType's table is a profile deviation (`profile.ds.eku`, warning or strict failure).
 */
function ekuPath(
  ds: Certificate,
  signer: SignerResult,
  docType: string,
  accepted: ReadonlySet<string>,
  table: DocumentSignerEkuTable,
  policy: ValidationPolicy,
): Check {
  const head = `document signer ${ds.subject}`;
  const wanted = [...accepted].join(' or ');
  const eku = documentSignerEku(ds, accepted, table.otherRoles);
  const notes = signer.pathNotes ? [...signer.pathNotes] : [];
  let ekuText: string;
  switch (eku.verdict) {
    case 'other-role':
      return pathFailed(
        `${head}: PATH_EKU: extendedKeyUsage names another mdoc role (${eku.roles.join(', ')}); a document signer for ${docType} carries ${wanted}`,
      );
    case 'absent': {
      const detail = `the end certificate has no extendedKeyUsage; ${wanted} expected for ${docType}`;
      if (policy === 'strict') return pathFailed(`${head}: PATH_EKU: ${detail}`);
      notes.push(`${detail} (accepted: unrestricted)`);
      ekuText = 'no extendedKeyUsage';
      break;
    }
    case 'outside':
      ekuText = `extendedKeyUsage ${eku.ekus.join(', ')} is not a document signer EKU for ${docType} (${wanted}): a profile deviation`;
      break;
    default:
      ekuText = `extendedKeyUsage ${eku.eku} accepted for ${docType}`;
  }
  return {
    id: 'issuer.certificate_path',
    status: 'passed',
    detail: `${head} ${signer.pathTo ?? 'validated'}; ${ekuText}${notes.length ? ` (notes: ${notes.join('; ')})` : ''}`,
  };
}

function summariseProfile(checks: readonly Check[], policy: ValidationPolicy): Check {
  const bad = checks.filter((c) => c.status === 'failed' || c.status === 'warning');
  if (bad.length === 0) {
    return {
      id: 'issuer.certificate_profile',
      status: 'passed',
      detail: 'document signer certificate follows ISO 18013-5 Annex B',
    };
  }
  const status: CheckStatus =
    policy === 'strict' && bad.some((c) => c.status === 'failed') ? 'failed' : 'warning';
  return {
    id: 'issuer.certificate_profile',
    status,
    detail: `document signer certificate deviates from ISO 18013-5 Annex B: ${bad.map((c) => c.detail).join('; ')}`,
  };
}
