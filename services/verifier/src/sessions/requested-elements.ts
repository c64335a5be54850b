/**
 * What a session asks of the card-substitute record: the least the purpose needs (data minimisation,
 * 個人情報保護法 §19 / APPI). For KYC under 犯収法 or 携帯電話不正利用防止法 the default is what the record
 * method needs — name, address, birth date and portrait (DOMAIN.md §5; @mynakit/kyc RECORD_ELEMENTS_FOR_FACT)
 * — and nothing else. My Number (`individual_number_unicode`) is refused unless the relying party's
 * configuration names a legal basis (番号法 §15, §19, §20; DOMAIN.md §2).
 */
import { JP_MNC_NAMESPACE, jpMncElement, MY_NUMBER_ELEMENT } from '@mynakit/mdoc';
import { VerifierError } from '../errors.js';
import type { RelyingPartyConfig } from '../relying-parties/config.js';

/** namespace → element identifiers. */
export type RequestedElements = Readonly<Record<string, readonly string[]>>;

/** The record method's elements (name, address, birth date, portrait), all in `org.iso.23220.1.jp`. */
export const KYC_RECORD_ELEMENTS: RequestedElements = Object.freeze({
  [JP_MNC_NAMESPACE]: Object.freeze([
    'full_name_unicode',
    'resident_address_unicode',
    'birth_date_unicode',
    'portrait',
  ]),
});

/** Most elements one session may ask. */
export const MAX_REQUESTED_ELEMENTS = 32;

/**
 * The elements to request: `asked` checked against the profile and the My Number rule, or the KYC default
 * when nothing is asked and the relying party works under a KYC law. VERIFIER_ELEMENT_UNKNOWN,
 * VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS, VERIFIER_INVALID_INPUT (nothing asked and no KYC law).
 */
export function requestedElementsFor(
  asked: RequestedElements | undefined,
  config: Pick<RelyingPartyConfig, 'law' | 'myNumberLegalBasis'>,
): RequestedElements {
  if (asked === undefined) {
    if (config.law === 'none')
      throw new VerifierError(
        'VERIFIER_INVALID_INPUT',
        'name the elements: a relying party under no KYC law has no default request',
      );
    return KYC_RECORD_ELEMENTS;
  }
  const out = new Map<string, string[]>();
  let count = 0;
  for (const [namespace, ids] of Object.entries(asked)) {
    for (const id of ids) {
      if (++count > MAX_REQUESTED_ELEMENTS)
        throw new VerifierError('VERIFIER_INVALID_INPUT', `at most ${MAX_REQUESTED_ELEMENTS} elements`);
      if (jpMncElement(namespace, id) === undefined)
        throw new VerifierError(
          'VERIFIER_ELEMENT_UNKNOWN',
          'an element is not one of the card-substitute record (org.iso.23220.1.jp.mnc)',
        );
      if (
        namespace === JP_MNC_NAMESPACE &&
        id === MY_NUMBER_ELEMENT &&
        config.myNumberLegalBasis === undefined
      )
        throw new VerifierError(
          'VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS',
          'My Number may be requested only by a relying party configured with its legal basis (番号法 §19)',
        );
      const list = out.get(namespace) ?? [];
      if (!list.includes(id)) list.push(id);
      out.set(namespace, list);
    }
  }
  if (count === 0) throw new VerifierError('VERIFIER_INVALID_INPUT', 'the request names no element');
  return Object.fromEntries(out);
}
