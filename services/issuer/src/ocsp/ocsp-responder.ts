/**
 * The sandbox JPKI OCSP responder (RFC 6960), the one named in the certificates' AIA (`/jpki/ocsp`):
 *
 * 1. The request must be a DER OCSPRequest (§4.1.1) of at most MAX_OCSP_REQUEST_BYTES with 1 to
 *    MAX_CERT_IDS CertIDs; otherwise `malformedRequest` (§2.3). Request signatures are not required (and
 *    not checked): the status of a certificate is public, as J-LIS's CRLs are.
 * 2. Each CertID names its issuer by issuerNameHash and issuerKeyHash under its own hash algorithm (SHA-1
 *    as OpenSSL sends by default, or SHA-256/384/512), matched against every current JPKI CA generation.
 *    When no CertID names one of ours: `unauthorized` (§2.3: "the client is not authorized to make this
 *    query to this server" — the answer RFC 5019 §2.2.3 gives for an issuer the responder does not serve).
 * 3. The response is signed by the delegated responder of the generation the first matching CertID names
 *    (id-kp-OCSPSigning, id-pkix-ocsp-nocheck; its certificate goes in `certs`, §4.2.2.2), ResponderID
 *    byKey (RFC 5019 §2.2.3). A delegated responder speaks only for its own CA, so a CertID of another
 *    issuer in the same request is answered `unknown`.
 * 4. Each of that generation's CertIDs gets good / revoked (time and CRLReason) / unknown from the
 *    database (certificate-status.ts), thisUpdate = now and nextUpdate = now + 15 minutes — J-LIS refreshes
 *    OCSP every 15 minutes (DOMAIN.md §3 "Status"), and a response is never older than the database.
 * 5. A nonce (RFC 8954) of 1 to 32 octets is echoed; a longer one is left out (§2.1 lets the responder
 *    answer without it), so a client that insists on its nonce fails closed.
 * A database that cannot be read gives `tryLater`; a signer that fails gives `internalError`.
 */
import {
  type CertId,
  createOcspErrorResponse,
  createOcspResponseWithSigner,
  type OcspRequest,
  type OcspResponseStatus,
  type OcspSingleResponseInput,
  parseOcspRequest,
} from '@mynakit/pki';
import type { IssuerDeps } from '../context.js';
import { type JpkiCaGeneration, jpkiCaIndexOf } from '../crl/jpki-scopes.js';
import { type CertificateStatus, certificateStatusOf } from './certificate-status.js';

/** How long a response is current: 15 minutes, J-LIS's OCSP interval. */
export const OCSP_VALIDITY_MS = 15 * 60 * 1000;

/** The largest OCSP request read (a request for MAX_CERT_IDS CertIDs with a nonce is well below). */
export const MAX_OCSP_REQUEST_BYTES = 8 * 1024;

/** At most this many CertIDs per request. */
export const MAX_CERT_IDS = 20;

/** The media types of RFC 6960 Appendix C. */
export const OCSP_REQUEST_MEDIA_TYPE = 'application/ocsp-request';
/** RFC 6960 Appendix C.2. */
export const OCSP_RESPONSE_MEDIA_TYPE = 'application/ocsp-response';

/** What the responder answered. */
export interface OcspAnswer {
  /** The DER OCSPResponse. */
  readonly der: Uint8Array<ArrayBuffer>;
  readonly responseStatus: OcspResponseStatus;
  /** For a successful answer: when its statuses were produced and until when they are current. */
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
}

const errorAnswers = new Map<Exclude<OcspResponseStatus, 'successful'>, OcspAnswer>();

/** The unsigned answer with an error status (§2.3), built once per status. */
export function ocspErrorAnswer(status: Exclude<OcspResponseStatus, 'successful'>): OcspAnswer {
  let a = errorAnswers.get(status);
  if (a === undefined) {
    a = { der: createOcspErrorResponse(status), responseStatus: status };
    errorAnswers.set(status, a);
  }
  return a;
}

/** Answers one DER OCSP request (see the file comment). Never throws. */
export async function respondToOcspRequest(
  deps: Pick<IssuerDeps, 'store' | 'hierarchy' | 'clock' | 'log'>,
  der: Uint8Array,
): Promise<OcspAnswer> {
  if (der.length === 0 || der.length > MAX_OCSP_REQUEST_BYTES) return ocspErrorAnswer('malformedRequest');
  let request: OcspRequest;
  try {
    request = parseOcspRequest(der);
  } catch {
    return ocspErrorAnswer('malformedRequest');
  }
  if (request.requests.length === 0 || request.requests.length > MAX_CERT_IDS)
    return ocspErrorAnswer('malformedRequest');

  const index = jpkiCaIndexOf(deps.hierarchy);
  const generations: (JpkiCaGeneration | undefined)[] = [];
  let chosen: JpkiCaGeneration | undefined;
  for (const id of request.requests) {
    const hit = index.byCertIdKeyHash.get(`${id.hashAlgorithm}:${id.issuerKeyHash}`);
    const g = hit !== undefined && hit.nameHash === id.issuerNameHash ? hit.generation : undefined;
    generations.push(g);
    chosen ??= g;
  }
  if (chosen === undefined) return ocspErrorAnswer('unauthorized');

  const now = deps.clock();
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const nextUpdate = new Date(thisUpdate.getTime() + OCSP_VALIDITY_MS);
  const responses: OcspSingleResponseInput[] = [];
  try {
    for (let i = 0; i < request.requests.length; i++) {
      const certId = request.requests[i] as CertId;
      const status: CertificateStatus =
        generations[i] === chosen
          ? await certificateStatusOf(deps, chosen, certId.serialNumber)
          : { status: 'unknown' };
      responses.push(single(certId, status, thisUpdate, nextUpdate));
    }
  } catch {
    deps.log?.('ocsp: the certificate register could not be read; answered tryLater');
    return ocspErrorAnswer('tryLater');
  }

  const responder = chosen.responder ?? chosen.ca;
  const nonce =
    request.nonce !== undefined && request.nonce.length >= 1 && request.nonce.length <= 32
      ? request.nonce
      : undefined;
  try {
    const response = await createOcspResponseWithSigner({
      responder: { certificate: responder.certificate, signer: responder.signer },
      producedAt: thisUpdate,
      responses,
      ...(nonce === undefined ? {} : { nonce }),
      includeCertificates: responder !== chosen.ca,
    });
    return { der: response, responseStatus: 'successful', thisUpdate, nextUpdate };
  } catch {
    deps.log?.('ocsp: the responder key could not sign; answered internalError');
    return ocspErrorAnswer('internalError');
  }
}

function single(
  certId: CertId,
  s: CertificateStatus,
  thisUpdate: Date,
  nextUpdate: Date,
): OcspSingleResponseInput {
  if (s.status !== 'revoked') return { certId, status: s.status, thisUpdate, nextUpdate };
  return {
    certId,
    status: 'revoked',
    revocationTime: s.revokedAt,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    thisUpdate,
    nextUpdate,
  };
}
