/**
 * What a phone does when it hears a notice — the first half of DOMAIN.md §1's double measure: "when an
 * expiry reason occurs the wallet itself stops presenting". A revoked credential's document or
 * certificate is invalidated (never presented or used again); a suspension (`certificateHold`) invalidates
 * it until `credential.reinstated` lifts it; `installation.superseded` (the card went to another phone, one
 * person one device) invalidates everything that installation brought.
 *
 * Notices name the issuer's credentials by id (the record's id is its OpenID4VCI notification_id, kept
 * with the document) and, for JPKI certificates, by serial. The data is received text: parsed with bounds,
 * read with own-property checks only.
 */
import type { WalletDevice } from '../device/wallet-device.js';

/** One notice as the stream carries it (`data: {"seq","kind","at","detail"}`). */
export interface IssuerNotice {
  readonly seq: number;
  readonly kind: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** What applying changed. */
export interface AppliedNotice {
  readonly seq: number;
  readonly kind: string;
  readonly invalidatedDocuments: number;
  readonly invalidatedCertificates: number;
  readonly reactivated: number;
}

/** Most credentials one notice names (an installation holds a handful). */
const MAX_CREDENTIALS_PER_NOTICE = 64;

/** Parses a notice's `data`; undefined when it is not a notice (it is then skipped, not fatal). */
export function parseNotice(data: string): IssuerNotice | undefined {
  if (data.length > 16_384) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const seq = Object.hasOwn(o, 'seq') ? o.seq : undefined;
  const kind = Object.hasOwn(o, 'kind') ? o.kind : undefined;
  const detail = Object.hasOwn(o, 'detail') ? o.detail : undefined;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || typeof kind !== 'string')
    return undefined;
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return undefined;
  return { seq, kind, detail: detail as Record<string, unknown> };
}

interface NamedCredential {
  readonly id: string;
  readonly kind: string;
  readonly serial?: string;
}

function credentialsOf(detail: Readonly<Record<string, unknown>>): NamedCredential[] {
  const list = Object.hasOwn(detail, 'credentials') ? detail.credentials : undefined;
  if (!Array.isArray(list)) return [];
  const out: NamedCredential[] = [];
  for (const item of list.slice(0, MAX_CREDENTIALS_PER_NOTICE)) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const c = item as Record<string, unknown>;
    const id = Object.hasOwn(c, 'id') ? c.id : undefined;
    const kind = Object.hasOwn(c, 'kind') ? c.kind : undefined;
    const serial = Object.hasOwn(c, 'serial') ? c.serial : undefined;
    if (typeof id !== 'string' || typeof kind !== 'string') continue;
    out.push({ id, kind, ...(typeof serial === 'string' ? { serial: serial.toLowerCase() } : {}) });
  }
  return out;
}

function reasonOf(detail: Readonly<Record<string, unknown>>, fallback: string): string {
  const reason = Object.hasOwn(detail, 'reason') ? detail.reason : undefined;
  return typeof reason === 'string' && /^[A-Za-z]{1,40}$/.test(reason) ? reason : fallback;
}

/** Applies one notice of `installationId` to the phone's store. */
export async function applyNotice(
  device: WalletDevice,
  installationId: string,
  notice: IssuerNotice,
): Promise<AppliedNotice> {
  const at = device.clock().getTime();
  const documents = (await device.store.documents.list(device.id)).filter(
    (d) => d.installationId === installationId,
  );
  const certificates = (await device.store.certificates.list(device.id)).filter(
    (c) => c.installationId === installationId,
  );
  let invalidatedDocuments = 0;
  let invalidatedCertificates = 0;
  let reactivated = 0;

  if (notice.kind === 'installation.superseded') {
    for (const d of documents)
      if (d.state === 'active') {
        await device.store.documents.invalidate(d.id, 'superseded', at);
        invalidatedDocuments++;
      }
    for (const c of certificates)
      if (await device.store.certificates.invalidate(c.id, 'superseded', at)) invalidatedCertificates++;
  } else if (
    notice.kind === 'credential.revoked' ||
    notice.kind === 'credential.suspended' ||
    notice.kind === 'credential.reinstated'
  ) {
    const reason = reasonOf(
      notice.detail,
      notice.kind === 'credential.revoked' ? 'unspecified' : 'certificateHold',
    );
    for (const named of credentialsOf(notice.detail)) {
      const docs = named.kind === 'mdoc' ? documents.filter((d) => d.credentialId === named.id) : [];
      const certs =
        named.kind === 'jpki-sign' || named.kind === 'jpki-auth'
          ? certificates.filter(
              (c) =>
                c.purpose === (named.kind === 'jpki-sign' ? 'sign' : 'auth') &&
                named.serial !== undefined &&
                c.serialNumber.toLowerCase() === named.serial,
            )
          : [];
      if (notice.kind === 'credential.reinstated') {
        for (const d of docs) if (await device.store.documents.reactivate(d.id)) reactivated++;
        for (const c of certs) if (await device.store.certificates.reactivate(c.id)) reactivated++;
        continue;
      }
      for (const d of docs)
        if (d.state === 'active') {
          await device.store.documents.invalidate(d.id, reason, at);
          invalidatedDocuments++;
        }
      for (const c of certs)
        if (await device.store.certificates.invalidate(c.id, reason, at)) invalidatedCertificates++;
    }
  }
  // Other kinds are for later versions of the issuer: heard (the cursor moves on) and left alone.
  return { seq: notice.seq, kind: notice.kind, invalidatedDocuments, invalidatedCertificates, reactivated };
}
