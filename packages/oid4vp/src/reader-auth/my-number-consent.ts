import { JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import type { DcqlCredentialMatch } from '../openid4vp/dcql-match.js';
import type { MyNumberLegalBasisDeclaration } from './my-number-legal-basis.js';

/**
 * The wallet's My Number rule (DOMAIN.md §2): `individual_number_unicode` goes only to a relying party
 * whose verified reader certificate declares a legal basis to receive it. Whatever the request asks,
 * without a declaration the element is taken out of what will be disclosed before the holder is even
 * asked; with one, the holder is still asked (the declaration is a precondition, not consent).
 */
export const MY_NUMBER_ELEMENT = 'individual_number_unicode';

export interface MyNumberGuardResult {
  readonly selection: readonly DcqlCredentialMatch[];
  /** True when My Number was requested and removed for lack of a declared basis. */
  readonly withheld: boolean;
}

export function withholdMyNumberWithoutBasis(
  selection: readonly DcqlCredentialMatch[],
  declaration: MyNumberLegalBasisDeclaration,
): MyNumberGuardResult {
  if (declaration.declared) return { selection, withheld: false };
  let withheld = false;
  const out = selection.map((m) => {
    const ns = m.elements[JP_MNC_NAMESPACE];
    if (!ns || !Object.hasOwn(ns, MY_NUMBER_ELEMENT)) return m;
    withheld = true;
    const { [MY_NUMBER_ELEMENT]: _dropped, ...rest } = ns;
    const elements = { ...m.elements, [JP_MNC_NAMESPACE]: rest };
    if (Object.keys(rest).length === 0) delete (elements as Record<string, unknown>)[JP_MNC_NAMESPACE];
    return { ...m, elements };
  });
  return { selection: out, withheld };
}
