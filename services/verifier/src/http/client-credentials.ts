/**
 * This verifier's client credentials at a service it asks on a relying party's behalf — the platform
 * operator's JPKI status (jpki/platform-operator-status.ts) and the issuer's record inquiry
 * (revocation/record-inquiry.ts): a client id and secret the service issued (the mynakit issuer's
 * `/rp-clients`), sent as HTTP Basic (RFC 7617). They are the deployment's configuration, never a relying
 * party's input, and the secret appears in no message, log line or record.
 */
import { readBoundedBody } from '@mynakit/http-kit';
import { VerifierError } from '../errors.js';

/** Longest client id and secret accepted (the issuer's fit: a UUID, 43 characters). */
export const MAX_CLIENT_CREDENTIAL_LENGTH = 256;

const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * Checks that a client id and secret fit an HTTP Basic header: printable ASCII, 1..256, no `:` in the id
 * (RFC 7617 §2 splits at the first colon). VERIFIER_INVALID_INPUT otherwise, naming `what` (e.g. "the
 * platform operator") and the part, never the secret.
 */
export function checkClientCredentials(what: string, clientId: unknown, clientSecret: unknown): void {
  if (
    typeof clientId !== 'string' ||
    clientId.length > MAX_CLIENT_CREDENTIAL_LENGTH ||
    !PRINTABLE.test(clientId) ||
    clientId.includes(':')
  )
    throw new VerifierError(
      'VERIFIER_INVALID_INPUT',
      `${what} client id must be printable ASCII without ":" (1..${MAX_CLIENT_CREDENTIAL_LENGTH})`,
    );
  if (
    typeof clientSecret !== 'string' ||
    clientSecret.length > MAX_CLIENT_CREDENTIAL_LENGTH ||
    !PRINTABLE.test(clientSecret)
  )
    throw new VerifierError(
      'VERIFIER_INVALID_INPUT',
      `${what} client secret must be printable ASCII (1..${MAX_CLIENT_CREDENTIAL_LENGTH})`,
    );
}

/** The Basic credentials (RFC 7617; each part form-urlencoded first, as RFC 6749 §2.3.1 sends them). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const form = (s: string) => encodeURIComponent(s).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${form(clientId)}:${form(clientSecret)}`, 'utf8').toString('base64')}`;
}

/** What postWithClientCredentials got: the body of a 200, or why there is none. */
export type CredentialedPost =
  | { readonly ok: true; readonly body: Uint8Array }
  /** `unreachable` (no connection, a redirect, the time ran out), `HTTP <status>` or `too large`. */
  | { readonly ok: false; readonly outcome: string };

/**
 * POSTs `json` to `url` with the Basic credentials: no redirect followed, `timeoutMs` for the whole
 * exchange, the answer read only when it is a 200 and at most `maxBytes` long. Never throws.
 */
export async function postWithClientCredentials(
  url: string,
  json: unknown,
  credentials: { readonly clientId: string; readonly clientSecret: string },
  transport: {
    readonly fetch?: (request: Request) => Promise<Response>;
    readonly timeoutMs: number;
    readonly maxBytes: number;
  },
): Promise<CredentialedPost> {
  const doFetch = transport.fetch ?? ((request: Request) => fetch(request));
  let response: Response;
  try {
    response = await doFetch(
      new Request(url, {
        method: 'POST',
        headers: {
          authorization: basicAuthorization(credentials.clientId, credentials.clientSecret),
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(json),
        redirect: 'error',
        signal: AbortSignal.timeout(transport.timeoutMs),
      }),
    );
  } catch {
    return { ok: false, outcome: 'unreachable' };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, outcome: `HTTP ${response.status}` };
  }
  try {
    const body = await readBoundedBody(response, transport.maxBytes);
    return body === undefined ? { ok: false, outcome: 'too large' } : { ok: true, body };
  } catch {
    return { ok: false, outcome: 'unreachable' };
  }
}
