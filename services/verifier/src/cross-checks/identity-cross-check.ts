/**
 * The cross-check of the basic four (DOMAIN.md §3: name, address, birth date, sex) between the two halves a
 * person presented to one relying party: the card-substitute record (the identity facts its verification
 * record keeps, DOMAIN.md §5) and the JPKI signature certificate (its SubjectAltName otherNames
 * `1.2.392.200149.8.5.5.1`–`.6`, read again from the signing certificate its verification record attaches,
 * so the substitution maps count). The two renderings differ in form — `1986年4月1日` against `419860401`,
 * full-width against half-width digits, `一丁目２番３号` against `1-2-3`, a character the certificate only
 * holds a stand-in for — and @mynakit/jpki `compareIdentity` decides whether they say the same thing.
 *
 * Name, address and birth date are always compared (the facts of the KYC record); sex only when the record
 * kept it (the relying party asked for `sex_unicode` or `sex` and the holder disclosed it) and neither side
 * says "unknown". The check (ARCHITECTURE.md rule 4) names the fields that differ, never their values.
 */
import { basicFourOfCertificate, compareIdentity, type FactMatch, type IdentityFacts } from '@mynakit/jpki';
import { parseCertificate } from '@mynakit/pki';
import { type Check, check, type Verdict, verdictOf } from '@mynakit/report';
import type { JsonValue } from '../records/canonical-json.js';

/** The check id of the cross-check. */
export const CROSS_CHECK_ID = 'identity.cross_check';

/** The facts a cross-check compares, in the order it names them. */
export const CROSS_CHECK_FIELDS = ['name', 'address', 'birthDate', 'sex'] as const;

/** One of CROSS_CHECK_FIELDS. */
export type CrossCheckField = (typeof CROSS_CHECK_FIELDS)[number];

/** The outcome: the verdict, its one check, and which fields fell where (names only). */
export interface IdentityCrossCheckOutcome {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  /** Both sides say the same. */
  readonly matched: readonly CrossCheckField[];
  /** The sides differ: the check fails. */
  readonly mismatched: readonly CrossCheckField[];
  /** A side lacks the fact or it cannot be read: the check is undetermined. */
  readonly undetermined: readonly CrossCheckField[];
  /** Not compared: sex when the record kept none, or either side says it is unknown. */
  readonly notCompared: readonly CrossCheckField[];
}

type Content = { readonly [key: string]: JsonValue };

const own = (content: Content, key: string): JsonValue | undefined =>
  Object.hasOwn(content, key) ? content[key] : undefined;

const text = (v: JsonValue | undefined): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/**
 * The identity facts a card-substitute record's verification record keeps (verification-record-content.ts:
 * `name`, `address`, `birthDate`, and `sex` when it was disclosed), or undefined when it keeps none.
 */
export function recordIdentityFacts(content: Content): IdentityFacts | undefined {
  const name = text(own(content, 'name'));
  const address = text(own(content, 'address'));
  const birthDate = text(own(content, 'birthDate'));
  const sexValue = own(content, 'sex');
  const sex = typeof sexValue === 'number' ? sexValue : text(sexValue);
  if (name === undefined && address === undefined && birthDate === undefined) return undefined;
  return { name, address, birthDate, sex };
}

/**
 * The basic four of a JPKI signature's verification record (jpki/jpki-record-content.ts): from the
 * signing certificate it attaches (base64 DER) — with the substitution maps — or, when that cannot be read,
 * from the `name`, `address`, `birthDate` and `sex` it keeps. Undefined when it keeps neither.
 */
export function signatureIdentityFacts(content: Content): IdentityFacts | undefined {
  const der = text(own(content, 'signingCertificate'));
  if (der !== undefined) {
    try {
      const basicFour = basicFourOfCertificate(parseCertificate(new Uint8Array(Buffer.from(der, 'base64'))));
      if (basicFour !== undefined)
        return {
          name: basicFour.name,
          nameSubstitutionMap: basicFour.nameSubstitutionMap,
          address: basicFour.address,
          addressSubstitutionMap: basicFour.addressSubstitutionMap,
          birthDate: basicFour.birthDate,
          sex: basicFour.sex,
        };
    } catch {
      // The record's own facts below: they were read from this certificate when it was verified.
    }
  }
  const facts = recordIdentityFacts(content);
  return facts;
}

const list = (fields: readonly CrossCheckField[]) => fields.join(', ');

/** Compares the record's facts with the certificate's (see the file comment). */
export function crossCheckIdentity(
  record: IdentityFacts,
  certificate: IdentityFacts,
): IdentityCrossCheckOutcome {
  const comparison = compareIdentity(record, certificate);
  const matched: CrossCheckField[] = [];
  const mismatched: CrossCheckField[] = [];
  const undetermined: CrossCheckField[] = [];
  const notCompared: CrossCheckField[] = [];
  for (const field of CROSS_CHECK_FIELDS) {
    const result: FactMatch = comparison[field];
    if (field === 'sex' && (record.sex === undefined || result === 'unknown')) notCompared.push(field);
    else if (result === 'match') matched.push(field);
    else if (result === 'mismatch') mismatched.push(field);
    else undetermined.push(field);
  }
  const compared = `matched: ${matched.length === 0 ? 'none' : list(matched)}`;
  const skipped = notCompared.length === 0 ? '' : `; not compared: ${list(notCompared)}`;
  const c =
    mismatched.length > 0
      ? check(
          CROSS_CHECK_ID,
          'failed',
          `the card-substitute record and the signature certificate differ in: ${list(mismatched)} (${compared}${skipped})`,
        )
      : undetermined.length > 0
        ? check(
            CROSS_CHECK_ID,
            'undetermined',
            `could not compare: ${list(undetermined)} (a side lacks the fact or it cannot be read; ${compared}${skipped})`,
          )
        : check(
            CROSS_CHECK_ID,
            'passed',
            `the card-substitute record and the signature certificate agree (${compared}${skipped})`,
          );
  const checks = [c];
  return { verdict: verdictOf(checks), checks, matched, mismatched, undetermined, notCompared };
}
