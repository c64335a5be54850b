/**
 * What every OpenID4VP channel of the phone reads the same way once the request is read — a request
 * object verified, or an unsigned DC API request taken as it came (openid4vp-presentation.ts over the
 * Digital Credentials API, openid4vp-cross-device.ts by QR code): the
 * wallet's error for a refusal of @mynakit/oid4vp (signature, chain or client id → WALLET_READER_AUTH_INVALID,
 * the page's origin → WALLET_ORIGIN_MISMATCH, anything else of the protocol → WALLET_REQUEST_INVALID), the
 * reader roots, the requester its certificate proves with the legal basis it declares, and the DCQL query
 * (OpenID4VP 1.0 §6) summarised per credential query as the consent screen shows it — the elements its
 * claims name (`[namespace, element]`, Appendix B.2.3), whether the phone holds them in an active
 * document, My Number withheld unless the certificate declares a legal basis (DOMAIN.md §2).
 *
 * Internal to the presentation channels; not exported by the package.
 */
import { JP_MNC_NAMESPACE, MY_NUMBER_ELEMENT } from '@mynakit/mdoc';
import {
  type AuthorizationRequest,
  type DcqlCredentialQuery,
  heldDocumentOf,
  matchDcqlQuery,
  Oid4vpError,
  readMyNumberLegalBasis,
  type VerifiedRequestObject,
} from '@mynakit/oid4vp';
import { type Certificate, parseCertificate } from '@mynakit/pki';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { RequestedElement, RequestingReader } from './annex-c-presentation.js';
import { activeDocumentOf } from './consented-documents.js';
import type { OpenId4VpRequestedDocument } from './openid4vp-presentation.js';

/** Most credential queries and most claims summarised per request (a real request names a handful). */
const MAX_CREDENTIAL_QUERIES = 16;
const MAX_ELEMENTS = 256;

/** The wallet's error for an @mynakit/oid4vp refusal of the request (see the file comment). */
export function walletErrorOf(e: unknown): unknown {
  if (!(e instanceof Oid4vpError)) return e;
  switch (e.code) {
    case 'ORIGIN_MISMATCH':
      return new WalletError('WALLET_ORIGIN_MISMATCH', "the page's origin is not one the request names", {
        cause: e,
      });
    case 'REQUEST_SIGNATURE_INVALID':
    case 'REQUEST_CERTIFICATE_UNTRUSTED':
    case 'CLIENT_ID_MISMATCH':
    case 'invalid_client':
      return new WalletError(
        'WALLET_READER_AUTH_INVALID',
        "the requester's signed request does not verify to a trusted reader root",
        { cause: e },
      );
    default:
      return new WalletError('WALLET_REQUEST_INVALID', 'the OpenID4VP request cannot be accepted', {
        cause: e,
      });
  }
}

/** The reader roots the request is verified against: those given, else the phone's own. */
export function trustAnchorsOf(input: {
  readonly device: WalletDevice;
  readonly readerTrustAnchors?: readonly Uint8Array[] | undefined;
}): Certificate[] {
  const der = input.readerTrustAnchors ?? input.device.readerTrustAnchors ?? [];
  try {
    return der.map((d) => parseCertificate(d));
  } catch (e) {
    throw new WalletError('WALLET_INVALID_INPUT', 'a reader trust anchor cannot be read', { cause: e });
  }
}

/** The requester the verified request object names, with the legal basis its certificate declares. */
export function requestingReader(verified: VerifiedRequestObject): RequestingReader {
  let basis: ReturnType<typeof readMyNumberLegalBasis>;
  try {
    basis = readMyNumberLegalBasis(verified.certificate);
  } catch (e) {
    // A certificate that half-declares a basis is refused, never read as one.
    throw new WalletError('WALLET_READER_AUTH_INVALID', 'the reader certificate declares a malformed basis', {
      cause: e,
    });
  }
  return {
    authentication: 'verified',
    subject: verified.certificate.subject,
    ...(basis.declared
      ? { myNumberLegalBasis: { provision: basis.provision, basisCode: basis.basisCode } }
      : {}),
  };
}

/** The elements `query` asks of the phone's active document (see the file comment). */
async function requestedDocumentOf(
  device: WalletDevice,
  query: DcqlCredentialQuery,
  reader: RequestingReader,
  count: { n: number },
): Promise<OpenId4VpRequestedDocument> {
  const docType = query.meta.doctype_value;
  const active = await activeDocumentOf(device, docType);
  const held = active ? heldDocumentOf({ id: active.id, issuerSigned: active.issuerSigned }) : undefined;
  const elements: RequestedElement[] = [];
  for (const claim of query.claims ?? []) {
    if (++count.n > MAX_ELEMENTS)
      throw new WalletError('WALLET_REQUEST_INVALID', 'the request asks too many elements');
    const [namespace, identifier] = claim.path;
    if (elements.some((e) => e.namespace === namespace && e.identifier === identifier)) continue;
    // DCQL's own rule decides whether the document answers the claim (presence, and `values` when given).
    const answers =
      held !== undefined &&
      matchDcqlQuery(
        { credentials: [{ id: query.id, format: 'mso_mdoc', meta: query.meta, claims: [claim] }] },
        [held],
      ).satisfied;
    const myNumber = namespace === JP_MNC_NAMESPACE && identifier === MY_NUMBER_ELEMENT;
    elements.push({
      namespace,
      identifier,
      intentToRetain: claim.intent_to_retain === true,
      held: answers,
      ...(myNumber && reader.myNumberLegalBasis === undefined
        ? { withheld: 'my-number-without-basis' as const }
        : {}),
    });
  }
  return { credentialQueryId: query.id, docType, available: active !== undefined, elements };
}

/**
 * The request's credential queries as the consent screen shows them (see the file comment). One credential
 * query per docType: the consent is given per document, and the phone holds one active document of a
 * docType; a request with two is refused.
 */
export async function requestedDocumentsOf(
  device: WalletDevice,
  request: AuthorizationRequest,
  reader: RequestingReader,
): Promise<OpenId4VpRequestedDocument[]> {
  const queries = request.dcql_query.credentials;
  if (queries.length > MAX_CREDENTIAL_QUERIES)
    throw new WalletError('WALLET_REQUEST_INVALID', 'the request asks too many credentials');
  const documents: OpenId4VpRequestedDocument[] = [];
  const count = { n: 0 };
  for (const query of queries) {
    if (documents.some((d) => d.docType === query.meta.doctype_value))
      throw new WalletError('WALLET_REQUEST_INVALID', 'the request asks one document type twice');
    documents.push(await requestedDocumentOf(device, query, reader, count));
  }
  return documents;
}
