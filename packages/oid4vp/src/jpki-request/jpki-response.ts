import { Oid4vpError } from '../errors.js';
import type { JpkiRequestType } from './jpki-request-object.js';

/**
 * The answer the phone POSTs to `response_uri` (as OpenID4VP 1.0 §8.2 `direct_post` does, but as JSON,
 * `content-type: application/json`), standard base64 DER in each field:
 *
 *   jpki-user-authentication: {"certificate": <user-authentication certificate>,
 *                              "signature": <RSASSA-PKCS1-v1_5 over DigestInfo(SHA-256, challenge)>}
 *   jpki-signature:           {"cms": <CMS SignedData (RFC 5652) over exactly the document, attached or detached>}
 *
 * The relying party answers 200 `{}` once it has taken the answer (the verdict is its own to read, never
 * the phone's, OpenID4VP §8.2), or an RFC 9457 problem with a stable code.
 */
export type JpkiResponseBody =
  | { readonly certificate: string; readonly signature: string }
  | { readonly cms: string };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The body for `requestType`. */
export function jpkiResponseBody(
  requestType: JpkiRequestType,
  answer: { readonly certificate?: Uint8Array; readonly signature?: Uint8Array; readonly cms?: Uint8Array },
): JpkiResponseBody {
  if (requestType === 'jpki-user-authentication') {
    if (answer.certificate === undefined || answer.signature === undefined)
      throw new Oid4vpError('invalid_request', 'a user authentication answers a certificate and a signature');
    return { certificate: b64(answer.certificate), signature: b64(answer.signature) };
  }
  if (answer.cms === undefined)
    throw new Oid4vpError('invalid_request', 'a signature answers a CMS SignedData');
  return { cms: b64(answer.cms) };
}
