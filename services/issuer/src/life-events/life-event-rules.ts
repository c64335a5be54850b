/**
 * What each life event of a resident does to the smartphone credentials (DOMAIN.md §3–4), as one dated
 * table: the legal basis (a stable code and its text), which credential kinds it ends and with which
 * RFC 5280 §5.3.1 CRLReason, whether it ends the plastic card, and which register facts it changes.
 *
 * RFC 5280 §5.3.1:
 *   CRLReason ::= ENUMERATED { unspecified (0), keyCompromise (1), cACompromise (2), affiliationChanged (3),
 *        superseded (4), cessationOfOperation (5), certificateHold (6), removeFromCRL (8),
 *        privilegeWithdrawn (9), aACompromise (10) }
 *
 * The two certificates follow @mynakit/jpki REVOCATION_RULES (DOMAIN.md §3 [C]). The record (card-substitute
 * record) follows DOMAIN.md §4 [I, on C foundations]: it goes whenever the card or its signature certificate
 * goes, on a new device (the supersession of InstallationRepository.complete, not a life event here), and on
 * the holder's request or device loss; it takes the signature certificate's reason, and is held while the
 * certificates are held. A resident under 15 has no signature certificate and no record (番号法 §18-2(1) [S]):
 * an event revokes only what exists.
 *
 * Tags as in DOMAIN.md: [C] confirmed by a primary source or two agreeing ones, [S] one secondary source,
 * [I] our inference. The article numbers are those of the Act before the 2024 renumbering as a prefecture's
 * guidance cites them [S]; the codes are ours and stable, the texts may be corrected without changing them.
 *
 * Not here: `reissuedToAnotherDevice` (the one-device rule supersedes in InstallationRepository.complete)
 * and `caCompromise` (it ends everything a CA issued, not one resident's credentials).
 */
import { type CrlReason, type LifeEvent as JpkiLifeEvent, REVOCATION_RULES } from '@mynakit/jpki';
import { IssuerError } from '../errors.js';
import { isRevocationReason, type RevocationReason } from '../store/credential-repository.js';
import type { CredentialKind } from '../store/schema.js';

/** The date the table was last checked against DOMAIN.md and @mynakit/jpki REVOCATION_RULES. */
export const LIFE_EVENT_RULES_AS_OF = '2026-12-01';

/** A life event the operator records for a resident. */
export type LifeEventName =
  | 'addressChanged'
  | 'nameChanged'
  | 'sexChanged'
  | 'birthDateChanged'
  | 'death'
  | 'movedAbroad'
  | 'removedFromResidentRegister'
  | 'cardLost'
  | 'cardReturned'
  | 'cardRenewed'
  | 'cardSuspended'
  | 'cardSuspensionLifted'
  | 'phoneLost'
  | 'keyCompromiseSuspected'
  | 'holderRequest';

/** Why the event ends (or restores) credentials: a stable code and its text in Japanese and English. */
export interface LegalBasis {
  /** Stable code, stored in `life_events.legal_basis`. */
  readonly code: string;
  readonly ja: string;
  readonly en: string;
}

/** A register fact a basic-four event changes (the body's `changes`). */
export type ResidentField =
  | 'fullName'
  | 'fullNameKana'
  | 'address'
  | 'municipalityCode'
  | 'municipalityName'
  | 'sex'
  | 'birthDate';

/** One row of the table. */
export interface LifeEventRule {
  readonly event: LifeEventName;
  /** The first day the rule applies (YYYY-MM-DD): smartphone JPKI since 2023-05-11, the record since 2025-06-24 [C]. */
  readonly since: string;
  readonly legalBasis: LegalBasis;
  /** The @mynakit/jpki REVOCATION_RULES entry the certificates follow; null when the table says it itself. */
  readonly jpki: JpkiLifeEvent | null;
  /** `revoke` ends or holds credentials; `reinstate` lifts a hold (certificateHold only). */
  readonly action: 'revoke' | 'reinstate';
  /** Per credential kind: the reason it is revoked with, or null when it survives the event. */
  readonly revokes: Readonly<Record<CredentialKind, RevocationReason | null>>;
  /** Whether the event ends the resident's active plastic card (`cards.state`). */
  readonly endsCard: boolean;
  /** Register facts the event must change (at least one of them), empty for events that change none. */
  readonly changes: readonly ResidentField[];
}

const SMARTPHONE_JPKI = '2023-05-11';

function reason(r: CrlReason | null): RevocationReason | null {
  if (r === null) return null;
  if (!isRevocationReason(r)) throw new Error(`REVOCATION_RULES names ${r}, which the issuer does not store`);
  return r;
}

/**
 * The certificates as REVOCATION_RULES says, the record as DOMAIN.md §4 says: with the signature
 * certificate (and so with the card, whose end ends the signature certificate).
 */
function fromJpki(event: JpkiLifeEvent): LifeEventRule['revokes'] {
  const decision = REVOCATION_RULES[event];
  const sign = reason(decision.signature);
  return { 'jpki-sign': sign, 'jpki-auth': reason(decision.userAuthentication), mdoc: sign };
}

function rule(
  event: LifeEventName,
  basis: LegalBasis,
  shape: { jpki: JpkiLifeEvent; endsCard?: boolean; changes?: readonly ResidentField[]; since?: string },
): LifeEventRule {
  return {
    event,
    since: shape.since ?? SMARTPHONE_JPKI,
    legalBasis: basis,
    jpki: shape.jpki,
    action: 'revoke',
    revokes: fromJpki(shape.jpki),
    endsCard: shape.endsCard ?? false,
    changes: shape.changes ?? [],
  };
}

// Legal bases. 公的個人認証法 = 電子署名等に係る地方公共団体情報システム機構の認証業務に関する法律.
const BASIC_FOUR: LegalBasis = {
  // [C] DOMAIN.md §3: any change of the basic four revokes the signature certificate (異動等失効);
  // [S] article: 公的個人認証法 §15 grounds, as a prefecture's guidance lists them.
  code: 'jpki.ido.basic-four',
  ja: '公的個人認証法に基づく異動等失効（基本4情報（氏名・生年月日・性別・住所）の変更）',
  en: 'JPKI Act: revocation on a change of the basic four (name, birth date, sex, address) in the resident register',
};
const DEATH: LegalBasis = {
  // [C] DOMAIN.md §3 (death revokes both); [C] DOMAIN.md §4 the card loses effect.
  code: 'jpki.ido.death',
  ja: '公的個人認証法に基づく異動等失効（死亡）及び個人番号カードの失効',
  en: 'JPKI Act: revocation on death; the Individual Number Card loses effect',
};
const EMIGRATION: LegalBasis = {
  // [C] DOMAIN.md §3 (moving abroad revokes both); [I] DOMAIN.md §4 lists moving abroad among the card's ends.
  code: 'jpki.ido.emigration',
  ja: '公的個人認証法に基づく異動等失効（国外転出）及び個人番号カードの失効',
  en: 'JPKI Act: revocation on moving abroad; the Individual Number Card loses effect',
};
const REGISTER_REMOVAL: LegalBasis = {
  // [C] DOMAIN.md §3 (removal from the resident register revokes both); [I] the card ends with it.
  code: 'jpki.ido.register-removal',
  ja: '公的個人認証法に基づく異動等失効（住民票の消除）',
  en: 'JPKI Act: revocation on removal from the resident register',
};
const CARD_ENDS: LegalBasis = {
  // [C] DOMAIN.md §3 smartphone certificates die with the card's; [I] DOMAIN.md §4 the record goes with the card.
  code: 'mynumber.card-ends',
  ja: '個人番号カードの失効（紛失・返納・再交付・更新）に伴うスマートフォン用電子証明書及びカード代替電磁的記録の失効',
  en: 'The Individual Number Card ends (lost, returned, re-issued, renewed): the smartphone certificates and the card-substitute record end with it',
};
const SUSPENSION: LegalBasis = {
  // [S] a temporary suspension (一時利用停止) holds both certificates; [I] the record is held with them.
  code: 'mynumber.suspension',
  ja: '個人番号カード及び電子証明書の一時利用停止',
  en: 'Temporary suspension of the Individual Number Card and its certificates',
};
const SUSPENSION_LIFTED: LegalBasis = {
  // [S] the suspension is lifted on the holder's application; [I] only what was held comes back.
  code: 'mynumber.suspension-lifted',
  ja: '個人番号カード及び電子証明書の一時利用停止の解除',
  en: 'Lifting of the temporary suspension of the Individual Number Card and its certificates',
};
const DEVICE_LOSS: LegalBasis = {
  // [C] DOMAIN.md §3 loss of the phone revokes both (keyCompromise); [I] DOMAIN.md §4 the record goes too.
  // [S] article: 公的個人認証法 §10 (届出による失効: the private key leaked, lost or at risk).
  code: 'jpki.key-compromise-report',
  ja: '公的個人認証法に基づく利用者符号の漏えい等の届出による失効（スマートフォンの紛失・盗難等）',
  en: "JPKI Act: revocation on the holder's report that the private key leaked or may have (lost or stolen phone)",
};
const HOLDER_REQUEST: LegalBasis = {
  // [C] DOMAIN.md §3 the holder's request revokes both; [S] article: 公的個人認証法 §9 (利用者の申請);
  // [I] the record goes too (DOMAIN.md §4), reason cessationOfOperation ("no longer needed", RFC 5280).
  code: 'jpki.holder-request',
  ja: '公的個人認証法に基づく利用者の申請による失効',
  en: "JPKI Act: revocation on the holder's request",
};

const RULES: readonly LifeEventRule[] = [
  rule('addressChanged', BASIC_FOUR, {
    jpki: 'addressChanged',
    // A move to another municipality changes its code and name too (both or neither).
    changes: ['address', 'municipalityCode', 'municipalityName'],
  }),
  rule('nameChanged', BASIC_FOUR, { jpki: 'nameChanged', changes: ['fullName', 'fullNameKana'] }),
  rule('sexChanged', BASIC_FOUR, { jpki: 'sexChanged', changes: ['sex'] }),
  rule('birthDateChanged', BASIC_FOUR, { jpki: 'birthDateChanged', changes: ['birthDate'] }),
  rule('death', DEATH, { jpki: 'death', endsCard: true }),
  rule('movedAbroad', EMIGRATION, { jpki: 'movedAbroad', endsCard: true }),
  rule('removedFromResidentRegister', REGISTER_REMOVAL, {
    jpki: 'removedFromResidentRegister',
    endsCard: true,
  }),
  // The card is gone: it ends, and its smartphone certificates with it (cessationOfOperation, not
  // keyCompromise: the phone's keys were not in the card) [I, on DOMAIN.md §3 C].
  rule('cardLost', CARD_ENDS, { jpki: 'cardInvalidated', endsCard: true }),
  rule('cardReturned', CARD_ENDS, { jpki: 'cardInvalidated', endsCard: true }),
  // Renewal / re-issue: the old card ends; the new one is issued by the card routes [I].
  rule('cardRenewed', CARD_ENDS, { jpki: 'cardInvalidated', endsCard: true }),
  // A hold, not an end: the card row stays active (cards.state has no suspended value) [I].
  rule('cardSuspended', SUSPENSION, { jpki: 'temporarySuspension' }),
  rule('phoneLost', DEVICE_LOSS, { jpki: 'deviceLost' }),
  rule('keyCompromiseSuspected', DEVICE_LOSS, { jpki: 'keyCompromiseSuspected' }),
  {
    event: 'cardSuspensionLifted',
    since: SMARTPHONE_JPKI,
    legalBasis: SUSPENSION_LIFTED,
    jpki: null,
    action: 'reinstate',
    // What was held with certificateHold comes back; what was revoked for good meanwhile does not.
    revokes: { 'jpki-sign': null, 'jpki-auth': null, mdoc: null },
    endsCard: false,
    changes: [],
  },
  {
    event: 'holderRequest',
    since: SMARTPHONE_JPKI,
    legalBasis: HOLDER_REQUEST,
    jpki: null,
    action: 'revoke',
    revokes: {
      'jpki-sign': 'cessationOfOperation',
      'jpki-auth': 'cessationOfOperation',
      mdoc: 'cessationOfOperation',
    },
    endsCard: false,
    changes: [],
  },
];

/** The table, by event name (a Map: an event arriving as text is never an Object.prototype member). */
export const LIFE_EVENT_RULES: ReadonlyMap<LifeEventName, LifeEventRule> = new Map(
  RULES.map((r) => [r.event, r]),
);

/** The legal bases by their stable code (for reading stored life events back). */
export const LEGAL_BASES: ReadonlyMap<string, LegalBasis> = new Map(
  RULES.map((r) => [r.legalBasis.code, r.legalBasis]),
);

/** Every event name of the table, in table order. */
export const LIFE_EVENT_NAMES: readonly LifeEventName[] = RULES.map((r) => r.event);

/** Whether `name` is an event of the table (own entries only: `constructor`, `__proto__` are not). */
export function isLifeEventName(name: unknown): name is LifeEventName {
  return typeof name === 'string' && LIFE_EVENT_RULES.has(name as LifeEventName);
}

/** The rule of `name`; ISSUER_INVALID_INPUT for anything else (the message does not repeat the text). */
export function lifeEventRule(name: unknown): LifeEventRule {
  if (!isLifeEventName(name))
    throw new IssuerError(
      'ISSUER_INVALID_INPUT',
      `unknown life event; expected one of ${LIFE_EVENT_NAMES.join(', ')}`,
    );
  return LIFE_EVENT_RULES.get(name) as LifeEventRule;
}
