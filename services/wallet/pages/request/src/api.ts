/**
 * The JSON routes beside the screen (services/wallet/src/app/cross-device-routes.ts and
 * jpki-request-routes.ts), reached relative to the screen's URL `…/phones/<id>/openid4vp` or
 * `…/phones/<id>/jpki-request`, so the page works wherever the wallet is mounted (the sandbox's `/wallet/`).
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
  readonly documents: readonly {
    readonly docType: string;
    readonly name: Label | null;
    readonly available: boolean;
    readonly elements: readonly ConsentElement[];
  }[];
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

export {
  asWalletApiError as refusalOf,
  callWallet as post,
  WalletApiError as ApiError,
} from '../../shared/wallet-api';
