/**
 * What a verification reports about one document (ISO/IEC 18013-5 §9.3.1): its checks and verdict,
 * the elements whose digest verified (built on first read), the MSO and document signer summaries.
 */
import type { CborMap, CborValue } from '@mynakit/cbor';
import { coseKeyToJwk } from '@mynakit/cose';
import type { Certificate } from '@mynakit/pki';
import { type Check, type Verdict, verdictOf } from '@mynakit/report';
import { getOwn, setOwn } from './internal/own.js';
import type { ItemRead } from './issuer-signed-item.js';
import { digestOf, type MobileSecurityObject, type StatusListReference } from './mobile-security-object.js';

export interface MsoSummary {
  readonly version: string;
  readonly docType: string;
  readonly digestAlgorithm: string;
  readonly signed: Date;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly expectedUpdate?: Date;
  /** The device public key as a JWK (public members only); undefined for unsupported key types. */
  readonly deviceKey: Record<string, string> | undefined;
  readonly keyAuthorizations?: MobileSecurityObject['deviceKeyInfo']['keyAuthorizations'];
  readonly status?: StatusListReference;
  /** SHA-256 of MobileSecurityObjectBytes (hex): the record's identifier for status inquiries. */
  readonly digest: string;
}

export interface DocumentSignerSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly fingerprint256: string;
  /** Subject of the trust anchor the path ended at. */
  readonly anchor?: string;
}

export type ElementValues = Record<string, Record<string, CborValue>>;

export interface VerifiedDocument {
  readonly docType: string;
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  /** Disclosed elements whose digest verified — nothing else is reported as present. */
  readonly elements: ElementValues;
  /** Elements the device signed itself (only when device authentication passed). */
  readonly deviceElements?: ElementValues;
  /** Elements the wallet reported as not returned: namespace → identifier → error code. */
  readonly notReturned?: Record<string, Record<string, number>>;
  readonly mso?: MsoSummary;
  readonly issuer?: DocumentSignerSummary;
}

/** Items whose digest verified, in order, turned into element values on demand. */
export class VerifiedItems {
  readonly namespaces: string[] = [];
  readonly items: ItemRead[] = [];

  /** Records an item whose digest matched (in the order of the response). */
  add(ns: string, item: ItemRead): void {
    this.namespaces.push(ns);
    this.items.push(item);
  }

  /** Namespaces and identifiers are received text: own properties only (see internal/own.ts). */
  toElements(): ElementValues {
    const out: ElementValues = {};
    for (let i = 0; i < this.items.length; i++) {
      const ns = this.namespaces[i] as string;
      const item = this.items[i] as ItemRead;
      let values = getOwn(out, ns);
      if (!values) {
        values = {};
        setOwn(out, ns, values);
      }
      setOwn(values, item.elementIdentifier, item.elementValue());
    }
    return out;
  }
}

/**
 * A verified document. `elements` is built from the verified items on first read (and kept); the
 * rest is plain data. `toJSON` includes `elements`.
 */
export class VerifiedDocumentView implements VerifiedDocument {
  readonly docType: string;
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly deviceElements?: ElementValues;
  readonly notReturned?: Record<string, Record<string, number>>;
  readonly mso?: MsoSummary;
  readonly issuer?: DocumentSignerSummary;
  readonly #verified: VerifiedItems;
  #elements: ElementValues | undefined;

  constructor(
    docType: string,
    checks: readonly Check[],
    verified: VerifiedItems,
    parts: {
      readonly deviceElements?: ElementValues | undefined;
      readonly notReturned?: Record<string, Record<string, number>> | undefined;
      readonly mso?: MsoSummary | undefined;
      readonly issuer?: DocumentSignerSummary | undefined;
    },
  ) {
    this.docType = docType;
    this.checks = checks;
    this.verdict = verdictOf(checks);
    if (parts.deviceElements) this.deviceElements = parts.deviceElements;
    if (parts.notReturned) this.notReturned = parts.notReturned;
    if (parts.mso) this.mso = parts.mso;
    if (parts.issuer) this.issuer = parts.issuer;
    this.#verified = verified;
  }

  get elements(): ElementValues {
    this.#elements ??= this.#verified.toElements();
    return this.#elements;
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object), elements: this.elements };
  }
}

/**
 * The public members of a COSE_Key as a JWK (RFC 7517; conversion by @mynakit/cose), or undefined
 * for a key it cannot convert. Private parts, kid and alg are left out.
 */
function jwkOfCoseKey(key: CborMap): Record<string, string> | undefined {
  let jwk: Record<string, unknown>;
  try {
    jwk = coseKeyToJwk(key) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const member of PUBLIC_JWK_MEMBERS) {
    const v = jwk[member];
    if (typeof v === 'string') out[member] = v;
  }
  return out;
}

const PUBLIC_JWK_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/**
 * The MSO summary of a verified document. The device key as a JWK and the MSO digest are computed on
 * first read (most verifications never read them); `toJSON` includes them.
 */
export class MsoSummaryView implements MsoSummary {
  readonly version: string;
  readonly docType: string;
  readonly digestAlgorithm: string;
  readonly signed: Date;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly expectedUpdate?: Date;
  readonly keyAuthorizations?: MobileSecurityObject['deviceKeyInfo']['keyAuthorizations'];
  readonly status?: StatusListReference;
  readonly #mso: MobileSecurityObject;
  readonly #msoBytes: Uint8Array;
  #digest: Uint8Array | undefined;
  #jwk: Record<string, string> | null | undefined;

  constructor(mso: MobileSecurityObject, msoBytes: Uint8Array) {
    const vi = mso.validityInfo;
    this.version = mso.version;
    this.docType = mso.docType;
    this.digestAlgorithm = mso.digestAlgorithm;
    this.signed = vi.signed;
    this.validFrom = vi.validFrom;
    this.validUntil = vi.validUntil;
    if (vi.expectedUpdate) this.expectedUpdate = vi.expectedUpdate;
    if (mso.deviceKeyInfo.keyAuthorizations) this.keyAuthorizations = mso.deviceKeyInfo.keyAuthorizations;
    if (mso.status) this.status = mso.status;
    this.#mso = mso;
    this.#msoBytes = msoBytes;
  }

  get deviceKey(): Record<string, string> | undefined {
    if (this.#jwk === undefined) this.#jwk = jwkOfCoseKey(this.#mso.deviceKeyInfo.deviceKey) ?? null;
    return this.#jwk ?? undefined;
  }

  /** SHA-256 of the MobileSecurityObjectBytes. */
  get digestBytes(): Uint8Array {
    this.#digest ??= digestOf('sha256', this.#msoBytes);
    return this.#digest;
  }

  get digest(): string {
    const d = this.digestBytes;
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object), deviceKey: this.deviceKey, digest: this.digest };
  }
}

export function signerSummary(
  ds: Certificate,
  anchor: Certificate | undefined,
): DocumentSignerSummary | undefined {
  try {
    return {
      subject: ds.subject,
      issuer: ds.issuer,
      serialNumber: ds.serialNumber,
      notBefore: ds.notBefore,
      notAfter: ds.notAfter,
      fingerprint256: ds.fingerprint256,
      ...(anchor ? { anchor: anchor.subject } : {}),
    };
  } catch {
    return undefined;
  }
}
