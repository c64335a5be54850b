/**
 * A JPKI request by link or QR code (@mynakit/oid4vp jpki-request; its README for the format): a relying
 * party's link `mynakit-jpki://?client_id=…&request_uri=…` asks this phone for a user authentication or a
 * signature. In two steps, as the cross-device OpenID4VP channel (presentation/openid4vp-cross-device.ts):
 *
 * 1. `readJpkiRequest` — GET `request_uri` (http(s), no redirects, at most MAX_JPKI_REQUEST_OBJECT_CHARS,
 *    `application/jpki-request+jwt`; WALLET_REQUEST_INVALID otherwise), verify the request object —
 *    signature and `x5c` chain to a reader root the phone trusts, `client_id` of the link = the object's =
 *    a dNSName of the certificate (WALLET_READER_AUTH_INVALID), `response_uri` on that host (OpenID4VP 1.0
 *    §5.9.3) and the claims (WALLET_REQUEST_INVALID), `exp`/`iat` with 60 s of clock skew
 *    (WALLET_REQUEST_EXPIRED) — and answer what the consent screen shows: who asks (the certificate's
 *    subject and the relying party's name), why, which secret opens the key, and for a signature the
 *    document (its text when it is text) and its SHA-256.
 * 2. `answerJpkiRequest` — after the holder's consent: the request is fetched and verified again, then
 *    jpki-use.ts signs — the challenge by the user-authentication key after the 4-digit PIN or a biometric,
 *    or the document (CMS, detached) by the signature key after the signature password, with the secret's
 *    tries counted as always — and the answer is POSTed as JSON to `response_uri`, its history line written
 *    once the verifier received it (it answered, whatever it answered: the signature and the certificate are
 *    then in its hands, and the holder's history says so). A verifier that cannot be reached or refuses the
 *    answer is WALLET_VERIFIER_REFUSED; only the unreachable one leaves no line.
 */
import { readBoundedBody } from '@mynakit/http-kit';
import {
  JPKI_REQUEST_MEDIA_TYPE,
  type JpkiDocumentMediaType,
  type JpkiRequestType,
  jpkiResponseBody,
  MAX_JPKI_REQUEST_OBJECT_CHARS,
  Oid4vpError,
  parseJpkiRequestLink,
  type VerifiedJpkiRequest,
  verifyJpkiRequestObject,
} from '@mynakit/oid4vp';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { RequestingReader } from '../presentation/annex-c-presentation.js';
import { isTimeout } from '../presentation/hand-off.js';
import { trustAnchorsOf } from '../presentation/openid4vp-request.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import { authenticateWithJpki, signWithJpki } from './jpki-use.js';

/** A `fetch`-compatible function: how the phone reaches the verifier. */
export type JpkiRequestFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** What both steps take. */
export interface JpkiRequestLinkInput {
  readonly device: WalletDevice;
  /** The link or QR code: `mynakit-jpki://?client_id=…&request_uri=…`. */
  readonly link: string;
  readonly fetch: JpkiRequestFetch;
  /** Reader roots this phone trusts (DER); absent: the phone's own (WalletDevice.readerTrustAnchors). */
  readonly readerTrustAnchors?: readonly Uint8Array[];
}

/** What a JPKI request asks, as the consent screen shows it. */
export interface JpkiRequestSummary {
  readonly requestType: JpkiRequestType;
  /** Who asks, as the verified certificate proves it. */
  readonly reader: RequestingReader;
  /** The relying party's own name for itself (display only; the certificate's subject is the proof). */
  readonly clientName?: string;
  /** The verified `client_id` (`x509_san_dns:<host>`). */
  readonly clientId: string;
  /** Why it asks (e.g. `log-in`, `account-opening`). */
  readonly purpose: string;
  /** Which secret opens the key: the auth PIN or a biometric; the signature password. */
  readonly secret: 'auth-pin-or-biometric' | 'signature-password';
  /** Signature only: what is signed. */
  readonly document?: {
    readonly mediaType: JpkiDocumentMediaType;
    /** The document as text, when it is text. */
    readonly text?: string;
    readonly size: number;
    /** base64url SHA-256 of the bytes. */
    readonly sha256: string;
  };
  /** Where the answer goes (on the client id's host). */
  readonly responseUri: string;
  /** When the request ends. */
  readonly expiresAt: Date;
}

function invalid(message: string, cause?: unknown): WalletError {
  return new WalletError('WALLET_REQUEST_INVALID', message, cause === undefined ? undefined : { cause });
}

/** The wallet's code for a refusal of the protocol library. */
function walletErrorOf(e: unknown): unknown {
  if (!(e instanceof Oid4vpError)) return e;
  switch (e.code) {
    case 'REQUEST_SIGNATURE_INVALID':
    case 'REQUEST_CERTIFICATE_UNTRUSTED':
    case 'CLIENT_ID_MISMATCH':
    case 'invalid_client':
      return new WalletError(
        'WALLET_READER_AUTH_INVALID',
        "the requester's signed request does not verify to a trusted reader root",
        { cause: e },
      );
    case 'REQUEST_EXPIRED':
      return new WalletError('WALLET_REQUEST_EXPIRED', 'the request is no longer (or not yet) valid', {
        cause: e,
      });
    default:
      return invalid('the JPKI request cannot be accepted', e);
  }
}

/** The body of `res` as text, at most `max` bytes (a longer one is refused before it is all read). */
async function boundedText(res: Response, max: number): Promise<string> {
  const bytes = await readBoundedBody(res, max);
  if (bytes === undefined) throw invalid('the request object is too large');
  return new TextDecoder().decode(bytes);
}

async function fetchRequestObject(input: JpkiRequestLinkInput, requestUri: string): Promise<string> {
  let res: Response;
  try {
    res = await input.fetch(requestUri, {
      method: 'GET',
      headers: { accept: JPKI_REQUEST_MEDIA_TYPE },
      redirect: 'error',
    });
  } catch (e) {
    throw invalid('request_uri cannot be reached', e);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw invalid(`request_uri answered HTTP ${res.status}`);
  }
  if (!(res.headers.get('content-type') ?? '').toLowerCase().startsWith(JPKI_REQUEST_MEDIA_TYPE)) {
    await res.body?.cancel();
    throw invalid(`request_uri answered no ${JPKI_REQUEST_MEDIA_TYPE}`);
  }
  return (await boundedText(res, MAX_JPKI_REQUEST_OBJECT_CHARS)).trim();
}

async function readVerified(
  input: JpkiRequestLinkInput,
): Promise<{ verified: VerifiedJpkiRequest; summary: JpkiRequestSummary }> {
  let link: ReturnType<typeof parseJpkiRequestLink>;
  try {
    link = parseJpkiRequestLink(input.link);
  } catch (e) {
    throw invalid('the link is no JPKI request', e);
  }
  const trustAnchors = trustAnchorsOf(input);
  const jws = await fetchRequestObject(input, link.requestUri);
  let verified: VerifiedJpkiRequest;
  try {
    verified = await verifyJpkiRequestObject(jws, {
      trustAnchors,
      now: input.device.clock(),
      expectedClientId: link.clientId,
    });
  } catch (e) {
    throw walletErrorOf(e);
  }
  const { claims } = verified;
  let document: JpkiRequestSummary['document'];
  if (claims.document !== undefined && verified.document !== undefined) {
    const text =
      claims.document.media_type === 'text/plain;charset=utf-8'
        ? new TextDecoder().decode(verified.document)
        : undefined;
    document = {
      mediaType: claims.document.media_type,
      ...(text === undefined ? {} : { text }),
      size: verified.document.length,
      sha256: claims.document.sha256,
    };
  }
  return {
    verified,
    summary: {
      requestType: claims.request_type,
      reader: { authentication: 'verified', subject: verified.certificate.subject },
      ...(claims.client_name === undefined ? {} : { clientName: claims.client_name }),
      clientId: verified.clientId,
      purpose: claims.purpose,
      secret: claims.request_type === 'jpki-signature' ? 'signature-password' : 'auth-pin-or-biometric',
      ...(document === undefined ? {} : { document }),
      responseUri: claims.response_uri,
      expiresAt: new Date(claims.exp * 1000),
    },
  };
}

/** Step 1: what the link asks of this phone, verified (see the file comment for the codes of refusal). */
export async function readJpkiRequest(input: JpkiRequestLinkInput): Promise<JpkiRequestSummary> {
  return (await readVerified(input)).summary;
}

/**
 * Step 2: answers the request after the holder's consent — `userAuthentication` (auth PIN or biometric)
 * for a user authentication, `password` (the signature password) for a signature; the other one is
 * WALLET_INVALID_INPUT. Wrong secrets count down and lock as jpki-use.ts says (WALLET_SECRET_WRONG,
 * WALLET_SECRET_LOCKED); nothing is sent then.
 */
export async function answerJpkiRequest(
  input: JpkiRequestLinkInput & {
    readonly userAuthentication?: UserAuthentication;
    readonly password?: string;
  },
): Promise<{ readonly summary: JpkiRequestSummary }> {
  const { verified, summary } = await readVerified(input);
  // The answer is POSTed inside the hand-off (jpki-use.ts `send`): its history line is written once the
  // verifier received it — a refusal (4xx, 5xx) still had the answer in hand, and one that did not answer in
  // time may have it — and an unreachable verifier leaves none. The refusal is reported after the line.
  let refusedWith: string | undefined;
  const post = async (body: ReturnType<typeof jpkiResponseBody>): Promise<void> => {
    let res: Response;
    try {
      res = await input.fetch(summary.responseUri, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        redirect: 'error',
      });
    } catch (e) {
      if (isTimeout(e)) {
        refusedWith = 'no answer in time';
        return;
      }
      throw new WalletError('WALLET_VERIFIER_REFUSED', 'the verifier cannot be reached', { cause: e });
    }
    await res.body?.cancel().catch(() => undefined);
    if (!res.ok) refusedWith = `HTTP ${res.status}`;
  };
  if (summary.requestType === 'jpki-user-authentication') {
    if (input.userAuthentication === undefined)
      throw new WalletError(
        'WALLET_INVALID_INPUT',
        'a user authentication opens with the PIN or a biometric',
      );
    const requestType = summary.requestType;
    await authenticateWithJpki({
      device: input.device,
      challenge: verified.challenge as Uint8Array,
      userAuthentication: input.userAuthentication,
      relyingParty: summary.clientId,
      send: (a) => post(jpkiResponseBody(requestType, a)),
    });
  } else {
    if (input.password === undefined)
      throw new WalletError('WALLET_INVALID_INPUT', 'a signature opens with the signature password');
    const requestType = summary.requestType;
    await signWithJpki({
      device: input.device,
      content: verified.document as Uint8Array,
      password: input.password,
      detached: true,
      relyingParty: summary.clientId,
      send: (s) => post(jpkiResponseBody(requestType, { cms: s.signature })),
    });
  }
  if (refusedWith !== undefined)
    throw new WalletError('WALLET_VERIFIER_REFUSED', `the verifier refused the answer (${refusedWith})`);
  return { summary };
}
