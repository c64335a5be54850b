import { Oid4vpError } from '../errors.js';

/**
 * The link (or QR code) of a JPKI request — a request by reference as OpenID4VP 1.0 §5.7 and RFC 9101
 * §5.2 pass one, under its own scheme so that an OpenID4VP wallet is never offered it:
 *
 *   mynakit-jpki://?client_id=<x509_san_dns:host>&request_uri=<https URL of the signed request object>
 *
 * The phone GETs `request_uri` (answered `application/jpki-request+jwt`) and verifies it
 * (jpki-request-object.ts); the link's `client_id` must be the request object's.
 */
export const JPKI_REQUEST_SCHEME = 'mynakit-jpki:';
/** Longest link accepted, characters. */
export const MAX_JPKI_LINK_CHARS = 4096;

export interface JpkiRequestLink {
  readonly clientId: string;
  readonly requestUri: string;
}

export function buildJpkiRequestLink(link: JpkiRequestLink): string {
  const q = new URLSearchParams({ client_id: link.clientId, request_uri: link.requestUri });
  return `${JPKI_REQUEST_SCHEME}//?${q.toString()}`;
}

/** Reads a link; throws DECODE (not a mynakit-jpki URL) or invalid_request (a parameter missing or wrong). */
export function parseJpkiRequestLink(link: string): JpkiRequestLink {
  if (typeof link !== 'string' || link.length > MAX_JPKI_LINK_CHARS)
    throw new Oid4vpError('DECODE', 'the link is not a URL of bounded length');
  let u: URL;
  try {
    u = new URL(link);
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the link is not a URL', { cause: e });
  }
  if (u.protocol !== JPKI_REQUEST_SCHEME)
    throw new Oid4vpError('DECODE', 'the link is not a mynakit-jpki link');
  const clientId = u.searchParams.get('client_id');
  const requestUri = u.searchParams.get('request_uri');
  if (!clientId) throw new Oid4vpError('invalid_request', 'the link has no client_id');
  if (!requestUri) throw new Oid4vpError('invalid_request', 'the link has no request_uri');
  let protocol: string;
  try {
    protocol = new URL(requestUri).protocol;
  } catch (e) {
    throw new Oid4vpError('invalid_request', 'request_uri is not a URL', { cause: e });
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    throw new Oid4vpError('invalid_request', 'request_uri must be an http(s) URL');
  return { clientId, requestUri };
}
