/**
 * Story 6 — the clinic's front desk (DOMAIN.md §3 "Health insurance"): the holder holds the phone to the
 * clinic's reader; the Android holder types the 4-digit auth PIN on the reader page, the iPhone holder
 * uses Face ID on the phone. The two families differ because the real desks do (DOMAIN.md §3: at clinics
 * Android holders type the auth PIN on the reader, iPhone holders use Face ID): the Android PIN is the
 * reader's own input, as on a card reader, so the desk's page takes it; Face ID happens on the iPhone
 * only, so the iPhone's request waits on the phone's screen and the desk takes no unlock for it. The
 * clinic's server
 *
 * 1. opens a jpki-authentication session at the verifier (a fresh 32-byte challenge; its API key stays
 *    here) and hands the challenge to the phone through the labelled bridge (jpki-user-authentication.ts):
 *    for the Android phone with the PIN typed on the reader (the phone emulator's `authenticateWithJpki`;
 *    three wrong PINs lock it, as story 5 shows on the phone's page); for the iPhone on its consent screen
 *    (`/wallet/phones/<id>/incoming`), which names the clinic and offers the biometric only — the holder
 *    approves there with Face ID, or declines;
 * 2. sends the certificate and signature to the verifier: chain to the sandbox JPKI CAs, the
 *    user-authentication profile, the signature over the challenge, OCSP status at the issuer, a record;
 * 3. asks the issuer's insurer registry for the qualification in force today (online qualification
 *    confirmation, `POST /issuer/insurance/qualification-confirmations` as the clinic's `insurance` client),
 *    with the same answer to the same challenge;
 * 4. for the face check at the desk, reads the portrait, name and birth date only from the phone's
 *    card-substitute record in person, over ISO/IEC 18013-5 proximity: the verifier is the desk's reader
 *    (POST /verifier/sessions/proximity with the clinic's key) and runs a real session with the phone —
 *    device engagement, SessionEstablishment with the reader's ephemeral key, encrypted SessionData — over a
 *    loopback WebSocket standing in for the radio (proximity-read.ts), verifies the answer and writes its
 *    verification record; the page shows them beside the qualification. The reader's request waits on the
 *    phone's consent screen (`/wallet/phones/<id>/incoming`) until the holder approves there with the
 *    biometric, or declines: the face check is then not shown, with WALLET_DECLINED as its reason, and the
 *    desk checks a photo ID instead.
 *
 * The user-authentication certificate carries no personal data: who the person is comes from the
 * insurer's answer and the record, never from the certificate.
 *
 * A Vite + Preact page (`apps/sandbox/pages/clinic`, built by scripts/build-pages.mjs into
 * `dist-pages/clinic`) served at `/verifier/clinic/` (built-page.ts), and the JSON routes it calls under
 * `/verifier/clinic/api/`:
 *
 *   GET  api/phones → `{phones: [{id, family, unlock, unlockOn, answeredBy}]}` — the phones that answer
 *                     through the bridge and how and where each unlocks its auth key (`pin` on `page`: typed
 *                     on the reader page, Android; `biometric` on `phone`: Face ID on the iPhone)
 *   POST api/check  → `{phone, pin}` (Android) or `{phone}` (iPhone: the call waits until the holder answers
 *                     with Face ID on the phone; a body that carries `biometric` or `pin` is refused with
 *                     400 CLINIC_UNLOCK_ON_PHONE before any phone is asked): the desk's result — the user
 *                     authentication's verdict and checks, the qualification, the face check; after the
 *                     qualification it waits while the face check's request is on the phone's screen
 *
 * The POST route takes `application/json` only, which a cross-site form cannot send. Errors are RFC 9457
 * problems with stable CLINIC_* codes that echo nothing submitted: a wrong PIN typed on the reader answers
 * the tries the phone has left, a lock the phone's own code; the iPhone holder's refusal on the phone is
 * CLINIC_DECLINED 409 (504 CLINIC_PHONE_NO_ANSWER, 503 CLINIC_PHONE_BUSY, 409 CLINIC_NO_CERTIFICATE); a user authentication the verifier did not
 * find valid (a revoked certificate) is a 422 problem carrying the result, with nothing asked of the insurer
 * or the record.
 */
import { problem } from '@mynakit/http-kit';
import type { IncomingRequests, UserAuthentication, WalletDevice } from '@mynakit/wallet';
import type { Hono } from 'hono';
import { JP_NAMESPACE as JP } from './bridge-flows.js';
import { defaultPageDir, registerBuiltPage } from './built-page.js';
import { type CertificateView, certificateView, type JpkiAnswer, verifierCall } from './jpki-page-parts.js';
import {
  authenticateThroughBridge,
  readUserAuthenticationRequest,
  type UnlockingPhone,
  unlockingPhone,
} from './jpki-user-authentication.js';
import { pageProblem } from './page-api.js';
import { readRecordOverProximity } from './proximity-read.js';
import { SANDBOX_CLINIC_NAME, type SandboxClinic } from './sandbox-clinic.js';
import {
  type ChecksView,
  checksView,
  type MethodAndRecordView,
  methodAndRecordView,
} from './verification-view.js';

/** What the desk asks of the record for the face check: the photo, the name, the birth date — no more. */
export const CLINIC_FACE_CHECK_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  [JP]: ['portrait', 'full_name_unicode', 'birth_date_unicode'],
};

const PREFIX = '/verifier/clinic';

/** What the clinic pages need. */
export interface ClinicPagesParts {
  readonly url: string;
  readonly clinic: SandboxClinic;
  readonly verifierFetch: (request: Request) => Response | Promise<Response>;
  /** The issuer app under /issuer (the insurer registry). */
  readonly issuerFetch: (request: Request) => Response | Promise<Response>;
  readonly phones: readonly WalletDevice[];
  /** Where the phones' consent screens pick up what the bridge hands them (the wallet's). */
  readonly incoming: IncomingRequests;
  /**
   * How long the verifier, as the reader, waits for the phone's answer (its configured proximity timeout,
   * @mynakit/verifier proximityTimeoutSecondsOf): the phone's screen shows the request until then.
   */
  readonly readerTimeoutSeconds?: number;
  /** The page's build folder (default `apps/sandbox/dist-pages/clinic`). */
  readonly pageDir?: string;
}

/** The insurer registry's answer (services/issuer insurance/routes.ts). */
interface QualificationAnswer {
  readonly qualification?: {
    insurerNumber: string;
    symbol: string;
    number: string;
    branch: string | null;
    copaymentPercent: number;
    validFrom: string;
    validUntil: string | null;
  };
  readonly confirmedFor?: string;
  readonly code?: string;
}

/** The insurance qualification as the desk shows it. */
export type ClinicQualification =
  /** Not asked: the user authentication is not valid. */
  | { readonly state: 'not-asked' }
  /** The registry confirmed none: its problem code (or the HTTP status). */
  | { readonly state: 'refused'; readonly code: string }
  | {
      readonly state: 'confirmed';
      /** Sandbox insurer numbers start with 99. */
      readonly insurerNumber: string;
      readonly symbol: string;
      readonly number: string;
      readonly branch: string | null;
      readonly copaymentPercent: number;
      readonly validFrom: string;
      readonly validUntil: string | null;
      readonly confirmedFor: string | null;
    };

/** The face check as the desk shows it: the record read over proximity, or why it is not shown. */
export type ClinicFaceCheck =
  /** Not asked: the user authentication is not valid. */
  | { readonly state: 'not-asked' }
  /** The phone refused or the verifier could not read it: the stable code; the desk checks a photo ID. */
  | { readonly state: 'not-shown'; readonly reason: string }
  | {
      readonly state: 'read';
      readonly channel: 'proximity';
      /** The verifier's verdict on the record. */
      readonly verdict: string;
      readonly errorCode: string | null;
      /** The verifier's record of the read. */
      readonly recordId: string;
      /** The photo (base64 JPEG), the name and the birth date: only when the record is valid. */
      readonly facts: {
        readonly portrait: string | null;
        readonly name: string;
        readonly birthDate: string;
      } | null;
    };

/** POST api/check's answer (and the members of its CLINIC_NOT_AUTHENTICATED problem). */
/** A clinic is under no KYC law: no method, with the verifier's reasons (MethodAndRecordView). */
export interface ClinicResult extends ChecksView, MethodAndRecordView {
  readonly phone: UnlockingPhone & { readonly how: UserAuthentication['method'] };
  /** The user-authentication certificate's fields (it holds no name, address, birth date or sex). */
  readonly certificate: CertificateView | null;
  readonly qualification: ClinicQualification;
  readonly faceCheck: ClinicFaceCheck;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The user authentication's part of the result (only the certificate's non-personal fields). */
function authenticationOf(answer: JpkiAnswer): Omit<ClinicResult, 'phone' | 'qualification' | 'faceCheck'> {
  return {
    ...checksView(answer),
    // A verifier that refused the call has a problem's code, not a report's error code.
    errorCode: answer.errorCode ?? answer.code ?? null,
    certificate: certificateView(answer.certificate),
    ...methodAndRecordView(answer),
  };
}

/** Registers `/verifier/clinic/…` (before the verifier's own routes). */
export function registerClinicPages(app: Hono, parts: ClinicPagesParts): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.clinic.apiKey);

  /** The online qualification confirmation with the holder's answer to the clinic's challenge. */
  const confirmQualification = async (body: {
    certificate: Uint8Array;
    challenge: string;
    signature: Uint8Array;
  }): Promise<ClinicQualification> => {
    const res = await parts.issuerFetch(
      new Request(`${parts.url}/issuer/insurance/qualification-confirmations`, {
        method: 'POST',
        headers: { authorization: parts.clinic.insurerAuthorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          certificate: Buffer.from(body.certificate).toString('base64'),
          challenge: body.challenge,
          signature: Buffer.from(body.signature).toString('base64'),
        }),
      }),
    );
    let answer: QualificationAnswer;
    try {
      answer = (await res.json()) as QualificationAnswer;
    } catch {
      answer = {};
    }
    const q = answer.qualification;
    if (!res.ok || q === undefined)
      return { state: 'refused', code: str(answer.code) ?? `HTTP_${res.status}` };
    return {
      state: 'confirmed',
      insurerNumber: q.insurerNumber,
      symbol: q.symbol,
      number: q.number,
      branch: q.branch ?? null,
      copaymentPercent: q.copaymentPercent,
      validFrom: q.validFrom,
      validUntil: q.validUntil ?? null,
      confirmedFor: answer.confirmedFor ?? null,
    };
  };

  /** The face check: portrait, name, birth date from the record, read in person over proximity. */
  const faceCheck = async (phone: WalletDevice, signal: AbortSignal): Promise<ClinicFaceCheck> => {
    const outcome = await readRecordOverProximity({
      phone,
      elements: CLINIC_FACE_CHECK_ELEMENTS,
      purpose: 'reception-face-check',
      read: api,
      incoming: parts.incoming,
      signal,
      ...(parts.readerTimeoutSeconds === undefined
        ? {}
        : { readerTimeoutSeconds: parts.readerTimeoutSeconds }),
    });
    if (outcome.kind !== 'verified') return { state: 'not-shown', reason: outcome.code };
    const { answer } = outcome;
    const values =
      answer.elements !== undefined && Object.hasOwn(answer.elements, JP) ? answer.elements[JP] : undefined;
    const jp = values ?? {};
    return {
      state: 'read',
      channel: 'proximity',
      verdict: answer.verdict,
      errorCode: answer.errorCode ?? null,
      recordId: answer.recordId,
      facts:
        answer.verdict === 'valid'
          ? {
              portrait: str(jp.portrait),
              name: str(jp.full_name_unicode) ?? '',
              birthDate: str(jp.birth_date_unicode) ?? '',
            }
          : null,
    };
  };

  app.get(`${PREFIX}/api/phones`, (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ phones: parts.phones.map((p) => unlockingPhone('CLINIC', p)) });
  });

  app.post(`${PREFIX}/api/check`, async (c) => {
    const request = await readUserAuthenticationRequest(c, 'CLINIC', parts.phones);
    if (request instanceof Response) return request;
    const { phone, unlock } = request;

    // The bridge: the phone signs the verifier's challenge with its user-authentication key — after the PIN
    // typed on the reader (Android), or after Face ID on its own screen (iPhone; no page origin: the holder
    // holds the phone to the desk's reader).
    const outcome = await authenticateThroughBridge(c, 'CLINIC', {
      api,
      phone,
      unlock,
      relyingParty: SANDBOX_CLINIC_NAME,
      origin: null,
      incoming: parts.incoming,
      signal: c.req.raw.signal,
      purpose: 'reception',
      sessionUnavailable: 'The session could not be opened',
    });
    if (outcome instanceof Response) return outcome;
    const { answer } = outcome;
    const phoneAndHow = { ...unlockingPhone('CLINIC', phone), how: outcome.how };
    if (!outcome.ok || answer.verdict !== 'valid') {
      // Not the holder as far as the desk can tell: neither the insurer nor the record is asked.
      const refused: ClinicResult = {
        phone: phoneAndHow,
        ...authenticationOf(answer),
        qualification: { state: 'not-asked' },
        faceCheck: { state: 'not-asked' },
      };
      return pageProblem(c, 422, 'CLINIC_NOT_AUTHENTICATED', 'The user authentication was not valid', {
        ...refused,
      });
    }
    const result: ClinicResult = {
      phone: phoneAndHow,
      ...authenticationOf(answer),
      qualification: await confirmQualification(outcome),
      faceCheck: await faceCheck(phone, c.req.raw.signal),
    };
    c.header('cache-control', 'no-store');
    return c.json(result);
  });

  app.all(`${PREFIX}/api/*`, (c) => problem(c, 404, 'CLINIC_NOT_FOUND', 'Not found'));

  registerBuiltPage(app, {
    prefix: PREFIX,
    dir: parts.pageDir ?? defaultPageDir('clinic'),
    titleJa: '診療所の受付',
    titleEn: "A clinic's front desk",
    notFoundCode: 'CLINIC_NOT_FOUND',
  });
}
