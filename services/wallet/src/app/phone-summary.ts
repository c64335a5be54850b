/**
 * What a phone shows its holder on the lock screen of the emulator, and what `/phones` answers: which
 * documents and certificates it holds, in which state, and how many tries each secret has left. It names
 * no personal data — the documents' elements stay inside their IssuerSigned bytes — so the summary may be
 * logged, listed and shown to anyone looking at the sandbox.
 */
import type { WalletDevice } from '../device/wallet-device.js';
import type { SecretStatus } from '../secrets/index.js';

/** One held document, without its elements. */
export interface DocumentSummary {
  readonly id: string;
  readonly docType: string;
  readonly state: 'active' | 'invalidated';
  /** ISO 8601. */
  readonly validUntil: string;
  readonly invalidationReason?: string;
}

/** One held JPKI certificate, without its subject. */
export interface CertificateSummary {
  readonly purpose: 'sign' | 'auth';
  readonly state: 'active' | 'invalidated';
  /** ISO 8601. */
  readonly notAfter: string;
}

/** A phone as the emulator and `/phones` show it. */
export interface PhoneSummary {
  readonly id: string;
  readonly family: 'iphone' | 'android';
  readonly model?: string;
  readonly documents: readonly DocumentSummary[];
  readonly certificates: readonly CertificateSummary[];
  /** The two secrets of DOMAIN.md §3 and their remaining tries. */
  readonly secrets: { readonly authPin: SecretStatus; readonly signaturePassword: SecretStatus };
  /** Switched offline in the emulator: it does not hear the issuer (and keeps presenting what it holds). */
  readonly offline: boolean;
}

/** Reads one phone's summary from its store. */
export async function summarizePhone(phone: WalletDevice, offline = false): Promise<PhoneSummary> {
  const [documents, certificates, authPin, signaturePassword] = await Promise.all([
    phone.store.documents.list(phone.id),
    phone.store.certificates.list(phone.id),
    phone.secrets.status('authPin'),
    phone.secrets.status('signaturePassword'),
  ]);
  return {
    id: phone.id,
    family: phone.family,
    ...(phone.model === undefined ? {} : { model: phone.model }),
    documents: documents.map((d) => ({
      id: d.id,
      docType: d.docType,
      state: d.state,
      validUntil: d.validUntil.toISOString(),
      ...(d.invalidationReason === undefined ? {} : { invalidationReason: d.invalidationReason }),
    })),
    certificates: certificates.map((c) => ({
      purpose: c.purpose,
      state: c.state,
      notAfter: c.notAfter.toISOString(),
    })),
    secrets: { authPin, signaturePassword },
    offline,
  };
}
