/** Cards of the register and the sandbox's card files. */
export {
  CARD_FILE_FORMAT,
  CARD_FILE_NOTICE,
  type CardKey,
  type CardPins,
  cardFilePath,
  readCardFile,
  type SandboxCard,
  writeCardFile,
} from './card-file.js';
export { CARD_ADULT_AGE, CARD_VALIDITY_BIRTHDAYS, calendarDateOf, cardExpiry } from './card-validity.js';
export {
  basicFourOf,
  type CardIssuerDeps,
  type IssueCardOptions,
  type IssuedCard,
  issueCard,
  jpkiSexOf,
  SANDBOX_CARD_PIN_KDF,
} from './issue-card.js';
export { jpkiMunicipalityOf, ROMANISED_PREFECTURES } from './municipality.js';
