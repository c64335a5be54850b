/**
 * The JSON routes beside the screen (services/wallet/src/app/cross-device-routes.ts,
 * jpki-request-routes.ts and incoming-routes.ts), reached relative to the screen's URL
 * `…/phones/<id>/openid4vp`, `…/phones/<id>/jpki-request` or `…/phones/<id>/incoming`, so the page works
 * wherever the wallet is mounted (the sandbox's `/wallet/`).
 * The link travels in POST bodies; an answer that is not 2xx becomes a WalletApiError with the problem's
 * stable code (and the tries left of a wrong secret) — the wallet pages' one client (shared/wallet-api.ts).
 */
import type { Label } from '../../shared/labels';

export interface ConsentElement {
  readonly namespace: string;
  readonly identifier: string;
  readonly label: Label;
  readonly intentToRetain: boolean;
  readonly held: boolean;
  readonly withheld: string | null;
}

/** One requested document as a consent screen shows it. */
export interface ConsentDocument {
  readonly docType: string;
  readonly name: Label | null;
  readonly available: boolean;
  readonly elements: readonly ConsentElement[];
}

/** POST openid4vp/screen. */
export interface ConsentScreen {
  readonly phone: { readonly id: string; readonly family: string };
  readonly reader: {
    readonly authentication: string;
    readonly subject: string | null;
    readonly myNumberLegalBasis: { readonly provision: string; readonly basisCode: string } | null;
  };
  readonly clientId: string;
  readonly responseHost: string;
  readonly responseMode: string;
  readonly documents: readonly ConsentDocument[];
}

/** POST openid4vp. */
export interface Sent {
  readonly sent: true;
  readonly disclosed: Readonly<Record<string, readonly (readonly [string, string])[]>>;
  readonly reader: { readonly subject?: string };
  readonly responseUri: string;
  readonly redirectUri?: string;
}

/** POST jpki-request/screen. */
export interface JpkiScreen {
  readonly phone: { readonly id: string; readonly family: string };
  readonly requestType: 'jpki-user-authentication' | 'jpki-signature';
  readonly reader: { readonly authentication: string; readonly subject: string | null };
  readonly clientName: string | null;
  readonly clientId: string;
  readonly purpose: string;
  readonly purposeName: Label | null;
  readonly secret: 'auth-pin-or-biometric' | 'signature-password';
  readonly tries: { readonly remaining: number; readonly locked: boolean };
  readonly document: {
    readonly mediaType: string;
    readonly text: string | null;
    readonly size: number;
    readonly sha256: string;
  } | null;
  readonly responseHost: string;
  readonly expiresAt: string;
  readonly expiresAtJapan: string;
}

/** POST jpki-request. */
export interface JpkiSent {
  readonly sent: true;
  readonly requestType: JpkiScreen['requestType'];
  readonly reader: { readonly subject?: string };
  readonly responseUri: string;
}

/** The channels a request the phone's OS hands it comes by. */
export type IncomingChannel =
  | 'dc-api-org-iso-mdoc'
  | 'dc-api-openid4vp-v1-signed'
  | 'iso-18013-5-proximity'
  | 'jpki-signature'
  | 'jpki-user-authentication';

/** What every request waiting on the phone says of itself. */
interface IncomingRequestBase {
  readonly id: string;
  /** The web page's origin (DC API, a signing page); null for a reader in person. */
  readonly origin: string | null;
  readonly receivedAt: string;
  readonly expiresAt: string;
  readonly phone: { readonly id: string; readonly family: string };
}

/** A request for the record waiting on the phone. */
export interface IncomingRecordRequest extends IncomingRequestBase {
  readonly channel: 'dc-api-org-iso-mdoc' | 'dc-api-openid4vp-v1-signed' | 'iso-18013-5-proximity';
  readonly reader: {
    readonly authentication: string;
    readonly subject: string | null;
    readonly myNumberLegalBasis: { readonly provision: string; readonly basisCode: string } | null;
  };
  readonly documents: readonly ConsentDocument[];
}

/** A request for a JPKI signature waiting on the phone. */
export interface IncomingSignatureRequest extends IncomingRequestBase {
  readonly channel: 'jpki-signature';
  /** Who asks as the requester named itself (no certificate proves it). */
  readonly relyingParty: { readonly name: string; readonly verified: false };
  /** The document to be signed: its text when it is text, its size, its SHA-256 (hex). */
  readonly document: { readonly text: string | null; readonly size: number; readonly sha256: string };
  readonly remainingTries: number;
}

/** A request for a JPKI user authentication (a sign-in) waiting on the phone; the challenge is not shown. */
export interface IncomingAuthenticationRequest extends IncomingRequestBase {
  readonly channel: 'jpki-user-authentication';
  /** Who asks as the requester named itself (no certificate proves it). */
  readonly relyingParty: { readonly name: string; readonly verified: false };
  /** The auth PIN or the biometric, or the biometric only (a reader asking for the face check). */
  readonly unlock: 'pin-or-biometric' | 'biometric';
  readonly remainingTries: number;
}

/** One request waiting on the phone in full (GET incoming/<id>), by its channel. */
export type IncomingRequest =
  | IncomingRecordRequest
  | IncomingSignatureRequest
  | IncomingAuthenticationRequest;

/**
 * One request in the list the screen polls (GET incoming): which it is — never the document's text nor the
 * elements, read once per request with GET incoming/<id>.
 */
export interface IncomingSummary {
  readonly id: string;
  readonly channel: IncomingChannel;
}

/** GET incoming: the waiting requests, oldest first. */
export interface IncomingList {
  readonly requests: readonly IncomingSummary[];
}

/** POST incoming/<id> of a record. */
export interface IncomingSent {
  readonly sent: true;
  readonly disclosed: Readonly<Record<string, readonly (readonly [string, string])[]>>;
}

/** POST incoming/<id> of a signature. */
export interface IncomingSigned {
  readonly sent: true;
  readonly signed: true;
}

/** POST incoming/<id> of a user authentication. */
export interface IncomingAuthenticated {
  readonly sent: true;
  readonly authenticated: true;
}

export {
  asWalletApiError as refusalOf,
  callWallet as get,
  callWallet as post,
  WalletApiError as ApiError,
} from '../../shared/wallet-api';
