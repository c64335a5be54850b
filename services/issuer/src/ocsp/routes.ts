/**
 * The OCSP responder over HTTP (RFC 6960 Appendix A.1), at the URL baked into the certificates' AIA
 * (`/jpki/ocsp`, SANDBOX_URL_PATH.jpkiOcsp) and at `/ocsp`:
 *
 *   POST /jpki/ocsp                 body: the DER OCSPRequest (application/ocsp-request)
 *   GET  /jpki/ocsp/{request}       {request}: the URL-encoding of the base64 encoding of the DER request
 *
 * Every answer is an OCSPResponse (application/ocsp-response), also when the request is at fault
 * (malformedRequest, unauthorized, tryLater, internalError — ocsp-responder.ts); never problem+json. A GET
 * answer may be cached until its nextUpdate (RFC 5019 §6.2: max-age, public, no-transform,
 * must-revalidate, with Last-Modified and Expires); POST answers and error statuses are not cached.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { SANDBOX_URL_PATH } from '../ca/sandbox-names.js';
import type { IssuerDeps } from '../context.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import {
  MAX_OCSP_REQUEST_BYTES,
  OCSP_REQUEST_MEDIA_TYPE,
  OCSP_RESPONSE_MEDIA_TYPE,
  type OcspAnswer,
  ocspErrorAnswer,
  respondToOcspRequest,
} from './ocsp-responder.js';

/** The paths the responder answers at: the one in the certificates, and a short one. */
export const OCSP_PATHS: readonly string[] = [SANDBOX_URL_PATH.jpkiOcsp, '/ocsp'];

/** Longest base64 text a GET request may carry (the POST bound, encoded). */
const MAX_GET_REQUEST_CHARS = Math.ceil(MAX_OCSP_REQUEST_BYTES / 3) * 4;

/** The OpenAPI registry takes zod schemas; a DER body is a string of format binary. */
const DerBody = z.string().meta({ format: 'binary' });

/** Registers POST and GET for each of OCSP_PATHS. */
export function registerOcspRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  for (const path of OCSP_PATHS) {
    registry.add({
      method: 'post',
      path,
      operationId: path === '/ocsp' ? 'ocspPost' : 'jpkiOcspPost',
      summary: 'RFC 6960 OCSP responder for the sandbox JPKI CAs (DER OCSPRequest in the body)',
      tags: ['revocation'],
      requestBody: { mediaType: OCSP_REQUEST_MEDIA_TYPE, schema: DerBody },
      responses: {
        200: {
          description: 'an OCSPResponse, whatever its responseStatus',
          mediaType: OCSP_RESPONSE_MEDIA_TYPE,
        },
      },
    });
    app.post(path, async (c) => {
      let body: Uint8Array;
      try {
        const declared = Number(c.req.header('content-length') ?? '0');
        if (declared > MAX_OCSP_REQUEST_BYTES) return send(c, ocspErrorAnswer('malformedRequest'));
        body = new Uint8Array(await c.req.arrayBuffer());
      } catch {
        return send(c, ocspErrorAnswer('malformedRequest'));
      }
      return send(c, await respondToOcspRequest(deps, body));
    });

    registry.add({
      method: 'get',
      path: `${path}/:request`,
      operationId: path === '/ocsp' ? 'ocspGet' : 'jpkiOcspGet',
      summary:
        'RFC 6960 Appendix A.1 GET: the URL-encoded base64 of the DER OCSPRequest as the last path segment(s)',
      tags: ['revocation'],
      responses: {
        200: {
          description: 'an OCSPResponse, whatever its responseStatus',
          mediaType: OCSP_RESPONSE_MEDIA_TYPE,
        },
      },
    });
    // Base64 may contain `/`: the request is everything after the path, decoded once.
    app.get(`${path}/*`, async (c) =>
      send(c, await respondToOcspRequest(deps, requestOfGet(c, path)), deps.clock().getTime()),
    );
    app.get(path, (c) => send(c, ocspErrorAnswer('malformedRequest')));
  }
}

/** The DER request of a GET, or an empty array when it is not URL-encoded base64 within the bound. */
function requestOfGet(c: Context, path: string): Uint8Array {
  // From the raw (still percent-encoded) path, after the responder's own path — which may sit under a
  // prefix when the app is mounted elsewhere.
  const pathname = new URL(c.req.url).pathname;
  const at = pathname.indexOf(`${path}/`);
  const raw = at < 0 ? '' : pathname.slice(at + path.length + 1);
  if (raw.length === 0 || raw.length > 3 * MAX_GET_REQUEST_CHARS) return new Uint8Array(0);
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return new Uint8Array(0);
  }
  if (text.length > MAX_GET_REQUEST_CHARS || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return new Uint8Array(0);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Sends an answer; `cacheableAt` (the instant, for GET) makes a successful answer cacheable to its nextUpdate. */
function send(c: Context, answer: OcspAnswer, cacheableAt?: number): Response {
  const headers: Record<string, string> = { 'content-type': OCSP_RESPONSE_MEDIA_TYPE };
  if (cacheableAt !== undefined && answer.thisUpdate !== undefined && answer.nextUpdate !== undefined) {
    const now = cacheableAt;
    const maxAge = Math.max(
      0,
      Math.floor((answer.nextUpdate.getTime() - Math.max(now, answer.thisUpdate.getTime())) / 1000),
    );
    headers['cache-control'] = `max-age=${maxAge}, public, no-transform, must-revalidate`;
    headers['last-modified'] = answer.thisUpdate.toUTCString();
    headers.expires = answer.nextUpdate.toUTCString();
  } else headers['cache-control'] = 'no-store';
  return c.body(answer.der, 200, headers);
}
