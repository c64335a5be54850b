/** The wallet app's JSON as the phone page reads it (services/wallet/src/app/phone-summary.ts, phone-routes.ts). */

export interface SecretStatus {
  readonly set: boolean;
  readonly remaining: number;
  readonly locked: boolean;
}

export interface DocumentSummary {
  readonly id: string;
  readonly docType: string;
  readonly state: 'active' | 'invalidated';
  readonly validUntil: string;
  readonly invalidationReason?: string;
}

export interface CertificateSummary {
  readonly purpose: 'sign' | 'auth';
  readonly state: 'active' | 'invalidated';
  readonly notAfter: string;
}

export interface PhoneSummary {
  readonly id: string;
  readonly family: 'iphone' | 'android';
  readonly model?: string;
  readonly documents: readonly DocumentSummary[];
  readonly certificates: readonly CertificateSummary[];
  readonly secrets: { readonly authPin: SecretStatus; readonly signaturePassword: SecretStatus };
  readonly offline: boolean;
}

export type IssuerStatus =
  | { readonly state: 'not-configured' }
  | { readonly state: 'reachable'; readonly url: string }
  | { readonly state: 'unreachable'; readonly url: string; readonly reason: string };

export interface Overview {
  readonly issuer: IssuerStatus;
  readonly phones: readonly PhoneSummary[];
  readonly install: { readonly residents: readonly string[] } | null;
}

export type ElementView =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image'; readonly dataUrl: string }
  | { readonly kind: 'bytes'; readonly length: number }
  | { readonly kind: 'withheld' };

export interface DocumentElements {
  readonly docType: string;
  readonly elements: readonly {
    namespace: string;
    identifier: string;
    label?: { ja: string; en: string };
    value: ElementView;
  }[];
}

export interface HistoryEntry {
  readonly relyingParty: string;
  readonly channel: string;
  readonly docType?: string;
  readonly elements: readonly (readonly [string, string])[];
  readonly sharedAt: string;
}
