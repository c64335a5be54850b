/**
 * A relying party's configuration (DOMAIN.md §1 and §5): who it is, which law its verification records
 * serve and how long they are kept, what it accepts when revocation cannot be determined, and which
 * verification program it runs. One zod schema validates it on every route and in the store; the same
 * schema writes the OpenAPI document.
 *
 * Facts tagged [S] in DOMAIN.md (retention periods) are a table here, never scattered literals.
 */
import { parseCertificate } from '@mynakit/pki';
import { z } from 'zod';

/**
 * The law a relying party's KYC records serve: 犯収法 (Act on Prevention of Transfer of Criminal Proceeds),
 * 携帯電話不正利用防止法 (Mobile Phone Improper Use Prevention Act), or none (e.g. a portal's log-in).
 */
export const LAWS = ['hanshu', 'keitai', 'none'] as const;

/** One of LAWS. */
export type Law = (typeof LAWS)[number];

/**
 * Default retention of verification records per law, in years [S] (DOMAIN.md §5): 7 years under 犯収法
 * (施行規則 — kept 7 years from the end of the relationship or transaction), about 3 years under
 * 携帯電話不正利用防止法. `none` is our choice [I]: one year of audit trail. A relying party overrides it with
 * `retentionYears`.
 */
export const DEFAULT_RETENTION_YEARS: ReadonlyMap<Law, number> = new Map<Law, number>([
  ['hanshu', 7],
  ['keitai', 3],
  ['none', 1],
]);

/** Largest DER certificate accepted in a configuration, bytes. */
const MAX_CERTIFICATE_BYTES = 16 * 1024;

/** A DER X.509 certificate in standard base64 that @mynakit/pki parses. */
const DerCertificateBase64 = z
  .string()
  .max(Math.ceil((MAX_CERTIFICATE_BYTES * 4) / 3) + 4)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
  .refine((text) => {
    try {
      parseCertificate(Buffer.from(text, 'base64'));
      return true;
    } catch {
      return false;
    }
  }, 'a DER X.509 certificate');

/**
 * A web origin (RFC 6454 §6.2 serialisation): `https://host[:port]`, or `http://` on loopback hosts for
 * development. The W3C Digital Credentials API binds a presentation to the page's origin (ISO/IEC 18013-7
 * Annex C SessionTranscript), so a session may only be opened for an origin the relying party registered.
 */
export const WebOriginSchema = z
  .string()
  .max(300)
  .refine((text) => {
    try {
      const url = new URL(text);
      if (url.origin !== text) return false;
      if (url.protocol === 'https:') return true;
      return (
        url.protocol === 'http:' &&
        (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]')
      );
    } catch {
      return false;
    }
  }, 'a web origin: https://host[:port] (http only on loopback)');

/** The relying party's policy when the revocation status of a presented record or certificate is asked. */
export const RevocationPolicySchema = z
  .object({
    /** `required`: every verification asks (mynakit's default, DOMAIN.md §1); `optional`: asked when reachable. */
    check: z.enum(['required', 'optional']).default('required'),
    /**
     * A status fetch that fails is undetermined, never revoked or valid (DOMAIN.md §4): `reject` refuses the
     * verification, `accept-flagged` accepts it and flags the record, `retry` asks the caller to retry.
     */
    undetermined: z.enum(['reject', 'accept-flagged', 'retry']).default('reject'),
    /**
     * When the issuer's per-record inquiry is asked besides the MSO's status list (DOMAIN.md §1 and §4;
     * revocation/record-inquiry.ts), where the deployment configured one: `when-undetermined` (default) only
     * when the list gave no answer — an inquiry tells the issuer which record is being verified, a list does
     * not; `always` at every verification (the freshest answer: a list may be cached for its ttl); `never`.
     * Either source finding the record revoked or suspended refuses it.
     */
    inquiry: z.enum(['never', 'when-undetermined', 'always']).default('when-undetermined'),
  })
  .strict()
  .meta({ id: 'RevocationPolicy' });

/**
 * The verification program the relying party runs (番号法 §18-2(7)): records name it, its version and
 * whether this deployment is certified — mynakit never claims a certification it does not have.
 */
export const VerificationProgramSchema = z
  .object({
    name: z.string().min(1).max(200),
    version: z.string().min(1).max(64),
    certified: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'VerificationProgram' });

/** The relying-party configuration as the operator sends it (defaults filled in by parsing). */
export const RelyingPartyConfigSchema = z
  .object({
    /** Display name of the business. */
    name: z.string().min(1).max(200),
    /** Its OpenID4VP client identifier (e.g. `x509_san_dns:rp.example`): printable ASCII, no spaces. */
    clientId: z.string().regex(/^[\x21-\x7e]{1,255}$/, 'printable ASCII, 1..255'),
    /** Reader-authentication certificate (ISO 18013-5 §9.1.4), DER base64; optional for now. */
    readerCertificate: DerCertificateBase64.optional(),
    /**
     * The origins of the relying party's pages that may open a Digital Credentials API session (the
     * browser reports this origin to the wallet, and the presentation is bound to it). Empty: none may.
     */
    origins: z.array(WebOriginSchema).max(32).default([]),
    /** Trust anchors for issuer authentication (IACAs, JPKI roots), DER base64. */
    trustAnchors: z.array(DerCertificateBase64).max(32).default([]),
    /** The law its verification records serve (LAWS). */
    law: z.enum(LAWS),
    /** An authorized JPKI signature verifier (署名検証者, 公的個人認証法 §17) — needed for the signature method. */
    isSignatureVerifier: z.boolean().default(false),
    /** A platform operator (プラットフォーム事業者): gives access to revocation data; not a signature verifier. */
    isPlatformOperator: z.boolean().default(false),
    /**
     * Where the status of the JPKI certificates it verifies comes from (DOMAIN.md §3 "Status": only signature
     * verifiers and platform operators may query J-LIS): `issuer` — the configured issuers' OCSP responders,
     * then their CRLs (jpki/jpki-status.ts), the default and what configurations stored without this member
     * mean; `platform-operator` — the platform operator the deployment configured
     * (jpki/platform-operator-status.ts), for a relying party that gets revocation data through one.
     */
    jpkiStatusVia: z.enum(['issuer', 'platform-operator']).default('issuer'),
    /**
     * The legal basis that lets it receive the My Number (番号法 §9 / §19), named; absent: off (the default),
     * and the My Number is never requested nor kept.
     */
    myNumberLegalBasis: z.string().min(1).max(500).optional(),
    /** Retention of its verification records in years; absent: DEFAULT_RETENTION_YEARS for its law. */
    retentionYears: z.number().int().min(1).max(100).optional(),
    revocation: RevocationPolicySchema.default({
      check: 'required',
      undetermined: 'reject',
      inquiry: 'when-undetermined',
    }),
    verificationProgram: VerificationProgramSchema,
  })
  .strict()
  .meta({ id: 'RelyingPartyConfig' });

/** A validated relying-party configuration (defaults filled in). */
export type RelyingPartyConfig = z.output<typeof RelyingPartyConfigSchema>;

/** A relying-party configuration as sent (defaults may be missing). */
export type RelyingPartyConfigInput = z.input<typeof RelyingPartyConfigSchema>;

/** Retention of this relying party's records in years. */
export function retentionYearsOf(config: Pick<RelyingPartyConfig, 'law' | 'retentionYears'>): number {
  return config.retentionYears ?? DEFAULT_RETENTION_YEARS.get(config.law) ?? 7;
}

/**
 * The instant a record made at `recordedAt` may be purged: `years` calendar years later (UTC; 29 February
 * rolls to 1 March). The laws count from the end of the relationship; a caller that knows a later end
 * passes its own `retainUntil` when appending.
 */
export function retainUntilOf(recordedAt: number, years: number): number {
  const d = new Date(recordedAt);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}
