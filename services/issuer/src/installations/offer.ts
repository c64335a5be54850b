/**
 * The OpenID4VCI credential offer for the card-substitute record (OpenID4VCI 1.0 §4.1.1, pre-authorized
 * code grant with a Transaction Code). The offer names the installation it was made for: the token
 * endpoint (src/oid4vci) redeems the code through the store and issues the record to that installation.
 *
 * The tx_code binds the offer to the holder who read the card (§4.1.1: it prevents "replay of this code by
 * an attacker that, for example, scanned the QR code"); it must reach the holder on another channel than
 * the offer. In reality the card-reading app shows it; the sandbox returns it in the response field
 * `txCode`, next to the offer, so that the phone wallet emulator and tests can type it.
 */
import {
  type CredentialOffer,
  createCredentialOffer,
  createTxCode,
  credentialOfferUri,
} from '@mynakit/oid4vci';
import { SANDBOX_DOCTYPE } from '../ca/sandbox-names.js';
import type { IssuerRepositories } from '../store/issuer-store.js';

/** The record's credential configuration id at the OpenID4VCI endpoints: its docType (DOMAIN.md §2). */
export const RECORD_CREDENTIAL_CONFIGURATION_ID = SANDBOX_DOCTYPE.mnc;

/** A pre-authorized code lives 30 minutes. */
export const OFFER_TTL_SECONDS = 1800;

/** Digits of the Transaction Code. */
export const TX_CODE_LENGTH = 6;

/** An offer as the installation routes answer it. */
export interface RecordOffer {
  readonly credentialOffer: CredentialOffer;
  /** `openid-credential-offer://?credential_offer=…` (§4.1.2, by value). */
  readonly credentialOfferUri: string;
  /** The Transaction Code (sandbox: returned here; in reality shown by the card-reading app). */
  readonly txCode: string;
  readonly expiresAt: Date;
}

/** Makes and stores an offer of the record for `installationId` (code stored as SHA-256, tx_code as a verifier). */
export async function createRecordOffer(
  repos: Pick<IssuerRepositories, 'offers'>,
  input: {
    readonly credentialIssuer: string;
    readonly installationId: string;
    readonly random: (b: Uint8Array) => Uint8Array;
    readonly now: Date;
  },
): Promise<RecordOffer> {
  const preAuthorizedCode = Buffer.from(input.random(new Uint8Array(32))).toString('base64url');
  const txCode = createTxCode(TX_CODE_LENGTH, (n) => input.random(new Uint8Array(n)));
  const expiresAt = new Date(input.now.getTime() + OFFER_TTL_SECONDS * 1000);
  const credentialOffer = createCredentialOffer({
    credentialIssuer: input.credentialIssuer,
    credentialConfigurationIds: [RECORD_CREDENTIAL_CONFIGURATION_ID],
    preAuthorizedCode,
    txCode: {
      inputMode: 'numeric',
      length: TX_CODE_LENGTH,
      description: 'The code the card-reading app showed after reading your My Number Card',
    },
  });
  await repos.offers.create(
    { preAuthorizedCode, installationId: input.installationId, txCode, expiresAt: expiresAt.getTime() },
    input.now.getTime(),
  );
  return { credentialOffer, credentialOfferUri: credentialOfferUri(credentialOffer), txCode, expiresAt };
}
