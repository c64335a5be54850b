/**
 * What the sandbox's relying parties' servers share with the verifier (bank-pages.ts, jpki-bank-pages.ts,
 * bank-branch-pages.ts, carrier-pages.ts, portal-pages.ts, clinic-pages.ts): the verifier's JPKI answer
 * (`JpkiVerification`, services/verifier jpki/verify-jpki-answer.ts) as they read it and show it — the
 * certificate's non-personal fields, the basic four of a signature certificate —, and the verifier calls
 * with the relying party's API key, which stays on the server.
 */

/** The verifier's JPKI answer, as the pages read it (POST /sessions/:id/jpki-*). */
export interface JpkiAnswer {
  readonly verdict?: string;
  readonly checks?: readonly { id: string; status: string; detail?: string }[];
  readonly method?: { id: string; letter: string; law?: string; name_ja?: string; name_en?: string } | null;
  readonly methodReasons?: readonly string[];
  readonly certificate?: {
    serialNumber: string;
    issuer: string;
    subjectCommonName: string | null;
    fingerprint256: string;
    notAfter: string;
  };
  readonly identity?: { name: string; address: string; birthDate: string; sex: string };
  readonly signingTime?: string;
  readonly recordId?: string;
  readonly flags?: readonly string[];
  readonly errorCode?: string;
  /** A problem's code, when the verifier refused the call. */
  readonly code?: string;
}

/** A POST to the verifier with the relying party's API key (which never leaves the server). */
export function verifierCall(
  verifierFetch: (request: Request) => Response | Promise<Response>,
  url: string,
  apiKey: string,
): (path: string, body: unknown) => Promise<Response> {
  return async (path, body) =>
    verifierFetch(
      new Request(`${url}/verifier${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
}

/** A JPKI certificate's fields as the pages show them (none of them personal data). */
export interface CertificateView {
  readonly serialNumber: string;
  readonly issuer: string;
  readonly subjectCommonName: string | null;
  readonly notAfter: string;
  readonly fingerprint256: string;
}

/** Only the certificate's non-personal fields are passed on (the user-authentication one has none else). */
export function certificateView(cert: JpkiAnswer['certificate']): CertificateView | null {
  return cert === undefined
    ? null
    : {
        serialNumber: cert.serialNumber,
        issuer: cert.issuer,
        subjectCommonName: cert.subjectCommonName,
        notAfter: cert.notAfter,
        fingerprint256: cert.fingerprint256,
      };
}

/** The basic four a signature certificate names (DOMAIN.md §3). */
export interface BasicFourView {
  readonly name: string;
  readonly address: string;
  readonly birthDate: string;
  readonly sex: string;
}

/** The basic four of the verifier's answer, when it read them. */
export function basicFourView(identity: JpkiAnswer['identity']): BasicFourView | null {
  return identity
    ? { name: identity.name, address: identity.address, birthDate: identity.birthDate, sex: identity.sex }
    : null;
}
