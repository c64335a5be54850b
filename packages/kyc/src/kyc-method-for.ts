/**
 * Which legal method a verification satisfies: the verified evidence, the relying party's configuration
 * and the JST calendar date in, one row of the method table or the stable reasons why none applies out.
 * Pure: the date is an argument, nothing is read from the clock.
 */
import { type JstDate, jstCalendarDate } from './calendar-date.js';
import { KycError } from './errors.js';
import {
  isInForce,
  KYC_LAWS,
  KYC_METHODS,
  type KycLaw,
  type KycMethod,
  type KycMethodContent,
} from './kyc-methods.js';

/**
 * The four facts of the KYC rule's "specified electromagnetic record": name, address, birth date and
 * photo — never My Number, never sex (DOMAIN.md §2) [S].
 */
export type KycIdentityFact = 'name' | 'address' | 'birthDate' | 'portrait';

/**
 * The card-substitute record's element identifiers (docType `org.iso.23220.1.jp.mnc`) that carry each
 * fact; any one of them suffices. The birth date is `birth_date_unicode` (namespace
 * `org.iso.23220.1.jp`) or `birth_date` (namespace `org.iso.23220.1`); identifiers are unique across
 * the two namespaces.
 */
export const RECORD_ELEMENTS_FOR_FACT: ReadonlyMap<KycIdentityFact, readonly string[]> = new Map<
  KycIdentityFact,
  readonly string[]
>([
  ['name', ['full_name_unicode']],
  ['address', ['resident_address_unicode']],
  ['birthDate', ['birth_date_unicode', 'birth_date']],
  ['portrait', ['portrait']],
]);

/** At most this many disclosed elements are read (the docType defines about a dozen). */
export const MAX_DISCLOSED_ELEMENTS = 64;

/**
 * What was verified and passed. The caller hands in only evidence whose verification succeeded
 * (issuer signature, digests, device signature, status for a record; signature, path and revocation
 * for JPKI): this function decides the law, not the cryptography.
 */
export type KycEvidence =
  | {
      /** A card-substitute record (mdoc) presentation. */
      readonly kind: 'card-substitute-record';
      /** The element identifiers disclosed and verified, without namespace (e.g. `full_name_unicode`). */
      readonly elements: readonly string[];
      /**
       * Read in person, face to face (ISO/IEC 18013-5 proximity at a counter), rather than received over the
       * network. The table holds the non-face-to-face methods only (DOMAIN.md §5: 送信を受ける方法), so no
       * row applies (`KYC_IN_PERSON_NOT_TABULATED`) — no letter is guessed for the face-to-face rules.
       */
      readonly inPerson?: boolean;
    }
  | {
      /** A CMS signature by the smartphone JPKI signature certificate. */
      readonly kind: 'jpki-signature';
      /** Whether the signature covers the data of the transaction (the ordinance's 特定取引等に関する情報). */
      readonly signedData: boolean;
    }
  | {
      /** A challenge–response with the JPKI user-authentication certificate (no personal data). */
      readonly kind: 'jpki-user-authentication';
    };

/** The kinds of `KycEvidence`. */
export type KycEvidenceKind = KycEvidence['kind'];

/** The relying party's KYC configuration. */
export interface RelyingPartyKycConfig {
  /** The law it verifies identity under, or `'none'` (a service that needs no legal KYC). */
  readonly law: KycLaw | 'none';
  /** Whether it is itself an authorized signature verifier (署名検証者, 公的個人認証法 §17) [S]. */
  readonly isSignatureVerifier: boolean;
  /**
   * Whether the verification program of this deployment is certified (番号法 §18-2(7), DOMAIN.md §1).
   * mynakit cannot claim a certification it does not have: the deployment says so.
   */
  readonly programCertified: boolean;
}

/** The question `kycMethodFor` answers. */
export interface KycMethodInput {
  /** What was verified and passed. */
  readonly evidence: KycEvidence;
  /** The relying party's configuration. */
  readonly relyingParty: RelyingPartyKycConfig;
  /**
   * When: a `YYYY-MM-DD` calendar date in Japan, or an instant (`Date`) that is converted to its JST
   * calendar date (2027-03-31T15:00Z is 2027-04-01 in Japan).
   */
  readonly date: JstDate | Date;
}

/** Why no method applies. Codes are stable. */
export type KycReasonCode =
  /** The relying party is configured with no KYC law. */
  | 'KYC_LAW_NONE'
  /** The evidence is no identity-verification method of any law (JPKI user authentication carries no identity facts) [I]. */
  | 'KYC_EVIDENCE_NOT_A_METHOD'
  /** The law has no method for this evidence on that date. */
  | 'KYC_METHOD_NOT_IN_FORCE'
  /** A JPKI signature method, but the relying party is not a signature verifier. */
  | 'KYC_NOT_A_SIGNATURE_VERIFIER'
  /** A method that needs a certified verification program, and this deployment's is not. */
  | 'KYC_PROGRAM_NOT_CERTIFIED'
  /** The record did not disclose all of name, address, birth date and portrait. */
  | 'KYC_MISSING_ELEMENTS'
  /** The JPKI signature does not cover the transaction's data. */
  | 'KYC_SIGNED_DATA_MISSING'
  /**
   * The record was read in person (face to face): the table holds the methods of receiving the record over
   * the network only, and names no face-to-face letter [I].
   */
  | 'KYC_IN_PERSON_NOT_TABULATED';

/** One reason, with the missing facts for `KYC_MISSING_ELEMENTS`. */
export interface KycReason {
  /** The stable code. */
  readonly code: KycReasonCode;
  /** A sentence in English, without personal data. */
  readonly message: string;
  /** For `KYC_MISSING_ELEMENTS`: the facts no disclosed element carried, in the order name, address, birth date, portrait. */
  readonly missing?: readonly KycIdentityFact[];
}

/** The answer: the method on that date, or every reason why none applies. `date` is the JST date used. */
export type KycMethodResult =
  | { readonly method: KycMethod; readonly date: JstDate }
  | { readonly method: null; readonly date: JstDate; readonly reasons: readonly KycReason[] };

const EVIDENCE_CONTENT: ReadonlyMap<KycEvidenceKind, KycMethodContent | null> = new Map<
  KycEvidenceKind,
  KycMethodContent | null
>([
  ['card-substitute-record', 'card-substitute-record'],
  ['jpki-signature', 'jpki-signature'],
  ['jpki-user-authentication', null],
]);

function member(o: object, key: string): unknown {
  return Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

function objectArg(value: unknown, what: string): object {
  if (typeof value !== 'object' || value === null)
    throw new KycError('KYC_INVALID_INPUT', `${what} must be an object`);
  return value;
}

function booleanMember(o: object, key: string, what: string): boolean {
  const v = member(o, key);
  if (typeof v !== 'boolean') throw new KycError('KYC_INVALID_INPUT', `${what}.${key} must be a boolean`);
  return v;
}

function readLaw(value: unknown): KycLaw | 'none' {
  if (value === 'none') return 'none';
  if (typeof value === 'string' && KYC_LAWS.has(value as KycLaw)) return value as KycLaw;
  throw new KycError('KYC_UNKNOWN_LAW', "relyingParty.law must be 'hanshu', 'keitai' or 'none'");
}

function readKind(value: unknown): KycEvidenceKind {
  if (typeof value === 'string' && EVIDENCE_CONTENT.has(value as KycEvidenceKind))
    return value as KycEvidenceKind;
  throw new KycError(
    'KYC_UNKNOWN_EVIDENCE',
    "evidence.kind must be 'card-substitute-record', 'jpki-signature' or 'jpki-user-authentication'",
  );
}

/** The facts none of the disclosed elements carries (bounded: at most MAX_DISCLOSED_ELEMENTS are read). */
function missingFacts(elements: unknown): KycIdentityFact[] {
  if (!Array.isArray(elements))
    throw new KycError('KYC_INVALID_INPUT', 'evidence.elements must be an array of element identifiers');
  if (elements.length > MAX_DISCLOSED_ELEMENTS)
    throw new KycError(
      'KYC_INVALID_INPUT',
      `evidence.elements holds more than ${MAX_DISCLOSED_ELEMENTS} entries`,
    );
  const disclosed = new Set<string>();
  for (let i = 0; i < elements.length; i++) {
    const e: unknown = elements[i];
    if (typeof e !== 'string') throw new KycError('KYC_INVALID_INPUT', 'evidence.elements must hold strings');
    disclosed.add(e);
  }
  const missing: KycIdentityFact[] = [];
  for (const [fact, ids] of RECORD_ELEMENTS_FOR_FACT) {
    if (!ids.some((id) => disclosed.has(id))) missing.push(fact);
  }
  return missing;
}

const LAW_NAMES: ReadonlyMap<KycLaw, string> = new Map(
  [...KYC_LAWS].map(([law, info]) => [law, info.name_en]),
);

/**
 * The legal method the verified `evidence` satisfies for this relying party on `date`, or
 * `{ method: null, reasons }` with every reason that applies (stable codes). The method table is
 * `KYC_METHODS`; for a law and evidence at most one row is in force on any date.
 *
 * Throws `KycError` only for malformed arguments: an unknown law (`KYC_UNKNOWN_LAW`) or evidence kind
 * (`KYC_UNKNOWN_EVIDENCE`), a date that is no calendar date (`KYC_INVALID_DATE`), a missing or ill-typed
 * member (`KYC_INVALID_INPUT`). Text is matched against Maps and own members only.
 */
export function kycMethodFor(input: KycMethodInput): KycMethodResult {
  const args = objectArg(input, 'the input');
  const date = jstCalendarDate(member(args, 'date') as JstDate | Date);
  const rp = objectArg(member(args, 'relyingParty'), 'relyingParty');
  const law = readLaw(member(rp, 'law'));
  const isSignatureVerifier = booleanMember(rp, 'isSignatureVerifier', 'relyingParty');
  const programCertified = booleanMember(rp, 'programCertified', 'relyingParty');
  const evidence = objectArg(member(args, 'evidence'), 'evidence');
  const kind = readKind(member(evidence, 'kind'));

  const reasons: KycReason[] = [];
  // Evidence-level shortfalls are reported whatever the law and date, so a caller sees all of them.
  if (kind === 'card-substitute-record') {
    const missing = missingFacts(member(evidence, 'elements'));
    if (missing.length > 0) {
      reasons.push({
        code: 'KYC_MISSING_ELEMENTS',
        message: `the record method needs name, address, birth date and portrait; missing: ${missing.join(', ')}`,
        missing,
      });
    }
  } else if (kind === 'jpki-signature') {
    if (!booleanMember(evidence, 'signedData', 'evidence')) {
      reasons.push({
        code: 'KYC_SIGNED_DATA_MISSING',
        message: 'the JPKI signature method needs the transaction data signed with the signature certificate',
      });
    }
  }

  if (law === 'none') {
    return {
      method: null,
      date,
      reasons: [{ code: 'KYC_LAW_NONE', message: 'the relying party verifies identity under no KYC law' }],
    };
  }
  if (kind === 'card-substitute-record' && member(evidence, 'inPerson') !== undefined) {
    if (booleanMember(evidence, 'inPerson', 'evidence')) {
      reasons.unshift({
        code: 'KYC_IN_PERSON_NOT_TABULATED',
        message:
          'the record was read in person; the method table holds only the methods of receiving it over the network',
      });
      return { method: null, date, reasons };
    }
  }
  const content = EVIDENCE_CONTENT.get(kind) ?? null;
  if (content === null) {
    return {
      method: null,
      date,
      reasons: [
        {
          code: 'KYC_EVIDENCE_NOT_A_METHOD',
          message:
            'JPKI user authentication carries no identity facts and is no identity-verification method',
        },
      ],
    };
  }

  const row = KYC_METHODS.find((m) => m.law === law && m.content === content && isInForce(m, date));
  if (row === undefined) {
    reasons.unshift({
      code: 'KYC_METHOD_NOT_IN_FORCE',
      message: `the ${LAW_NAMES.get(law)} has no method for ${content} on ${date}`,
    });
    return { method: null, date, reasons };
  }
  const ruleReasons: KycReason[] = [];
  if (row.requiresSignatureVerifier && !isSignatureVerifier) {
    ruleReasons.push({
      code: 'KYC_NOT_A_SIGNATURE_VERIFIER',
      message: `method ${row.letter} applies only when the relying party is a signature verifier (公的個人認証法 §17)`,
    });
  }
  if (row.requiresCertifiedProgram && !programCertified) {
    ruleReasons.push({
      code: 'KYC_PROGRAM_NOT_CERTIFIED',
      message: `method ${row.letter} needs a certified verification program (番号法 §18-2(7))`,
    });
  }
  reasons.unshift(...ruleReasons);
  if (reasons.length > 0) return { method: null, date, reasons };
  return { method: row, date };
}
