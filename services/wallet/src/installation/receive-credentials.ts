/**
 * The wallet half of OpenID4VCI 1.0 (pre-authorized code flow, @mynakit/oid4vci): metadata (§12.2,
 * RFC 8414), the Token Request with the Transaction Code (§6.1), a c_nonce (§7), and for each credential
 * a fresh P-256 device key in the secure area, guarded by the owner's biometric, a key attestation of it
 * carrying the c_nonce (Appendix D.1) in the `key_attestation` header of a `jwt` key proof (Appendix F.1)
 * that the secure area signs, the Credential Request (§8), the received IssuerSigned verified before it
 * is stored, and the issuer notified (§11, issuer-notification.ts): `credential_accepted` once stored,
 * `credential_failure` when it did not verify or could not be kept.
 */
import { randomUUID } from 'node:crypto';
import {
  authorizationServerMetadataUrl,
  buildCredentialRequest,
  buildTokenRequest,
  createProofJwt,
  credentialIssuerMetadataUrl,
  mdocCredentialsOf,
  type NotificationEvent,
  type ParsedCredentialIssuerMetadata,
  parseAuthorizationServerMetadata,
  parseCredentialIssuerMetadata,
  parseCredentialOffer,
  parseCredentialResponse,
  parseNonceResponse,
  parseTokenResponse,
} from '@mynakit/oid4vci';
import type { Certificate } from '@mynakit/pki';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import type { WalletDocument } from '../store/document-repository.js';
import type { IssuerClient } from './issuer-client.js';
import { notifyIssuer } from './issuer-notification.js';
import { verifyReceivedCredential } from './verify-received.js';

/** Input of `receiveCredentials`. */
export interface ReceiveCredentialsInput {
  readonly device: WalletDevice;
  readonly issuer: IssuerClient;
  /** The Credential Offer object (§4.1.1) as the issuer handed it. */
  readonly credentialOffer: unknown;
  /** The Transaction Code the holder was shown on another channel. */
  readonly txCode: string;
  /** The IACAs the phone trusts for these docTypes. */
  readonly trustAnchors: readonly (Uint8Array | Certificate)[];
  /** The owner's biometric, unlocking each new device key for its one key proof. */
  readonly biometric: UserAuthentication;
  /** The installation the documents belong to. */
  readonly installationId?: string;
  /** Configurations to ask for besides the offer's (the sandbox's sample mDL). */
  readonly alsoRequest?: readonly string[];
  /** Where a notification the issuer did not take is reported (issuer-notification.ts; no personal data). */
  readonly log?: (line: string) => void;
}

/** Redeems an offer and stores every credential it yields; returns the stored documents. */
export async function receiveCredentials(input: ReceiveCredentialsInput): Promise<WalletDocument[]> {
  const offer = parseCredentialOffer(input.credentialOffer);
  if (offer.preAuthorizedCode === undefined)
    throw new WalletError('WALLET_ISSUER_RESPONSE', 'the offer has no pre-authorized code');
  const ci = offer.credentialIssuer;
  const metadata = parseCredentialIssuerMetadata(
    await input.issuer.getJson(credentialIssuerMetadataUrl(ci)),
    ci,
  );
  const as = parseAuthorizationServerMetadata(
    await input.issuer.getJson(authorizationServerMetadataUrl(ci)),
    ci,
  );
  const token = parseTokenResponse(
    await input.issuer.postForm(
      as.tokenEndpoint,
      buildTokenRequest({ preAuthorizedCode: offer.preAuthorizedCode, txCode: input.txCode }),
    ),
  ).accessToken;
  const ids = [...offer.credentialConfigurationIds, ...(input.alsoRequest ?? [])];
  const documents: WalletDocument[] = [];
  for (const id of ids.slice(0, 8)) documents.push(await receiveOne(input, metadata, token, id));
  return documents;
}

async function receiveOne(
  input: ReceiveCredentialsInput,
  metadata: ParsedCredentialIssuerMetadata,
  accessToken: string,
  configurationId: string,
): Promise<WalletDocument> {
  const { device, issuer } = input;
  const configuration = metadata.configurations.get(configurationId);
  if (configuration?.doctype === undefined || metadata.nonceEndpoint === undefined)
    throw new WalletError('WALLET_ISSUER_RESPONSE', 'the issuer does not describe this mdoc configuration');
  const cNonce = parseNonceResponse(await issuer.postJson(metadata.nonceEndpoint));
  const alias = `mdoc-${randomUUID()}`;
  let stored: WalletDocument;
  let accepted: ((event: NotificationEvent) => Promise<unknown>) | undefined;
  const key = await device.secureArea.createKey({
    alias,
    type: 'ec-p256',
    userAuthentication: ['biometric'],
  });
  try {
    const keyAttestation = await device.secureArea.attest({ aliases: [alias], nonce: cNonce });
    const ticket = await device.secureArea.authenticate(alias, input.biometric);
    const proof = await createProofJwt({
      signer: { alg: 'ES256', sign: (data) => device.secureArea.sign(alias, data, 'ES256', ticket) },
      keyAttestation,
      kid: '0',
      audience: metadata.credentialIssuer,
      nonce: cNonce,
      iat: device.clock(),
    });
    const response = parseCredentialResponse(
      await issuer.postJson(
        metadata.credentialEndpoint,
        buildCredentialRequest({ credentialConfigurationId: configurationId, proofs: [proof] }),
        { authorization: `Bearer ${accessToken}` },
      ),
    );
    const notificationId = response.notificationId;
    // §11: the issuer hears what became of the credential, when it asked (a notification_id and an endpoint).
    const notify =
      notificationId === undefined || metadata.notificationEndpoint === undefined
        ? undefined
        : (event: NotificationEvent, eventDescription?: string) =>
            notifyIssuer({
              issuer,
              endpoint: metadata.notificationEndpoint as string,
              accessToken,
              notificationId,
              event,
              ...(eventDescription === undefined ? {} : { eventDescription }),
              ...(input.log === undefined ? {} : { log: input.log }),
            });
    try {
      const [issuerSigned] = mdocCredentialsOf(response);
      if (issuerSigned === undefined)
        throw new WalletError('WALLET_ISSUER_RESPONSE', 'no credential came back');
      const received = await verifyReceivedCredential(issuerSigned, {
        trustAnchors: input.trustAnchors,
        now: device.clock(),
        docType: configuration.doctype,
        deviceKey: key.publicKey,
      });
      stored = await device.store.documents.add(
        {
          deviceId: device.id,
          ...(input.installationId === undefined ? {} : { installationId: input.installationId }),
          docType: received.docType,
          issuerSigned,
          deviceKeyAlias: alias,
          credentialIssuer: metadata.credentialIssuer,
          ...(notificationId === undefined ? {} : { credentialId: notificationId, notificationId }),
          validUntil: received.validUntil,
        },
        device.clock().getTime(),
      );
    } catch (e) {
      await notify?.('credential_failure', failureDescriptionOf(e));
      throw e;
    }
    accepted = notify;
  } catch (e) {
    await device.secureArea.deleteKey(alias);
    throw e;
  }
  // Stored: the acceptance is told after the fact, and its fate changes nothing here (issuer-notification.ts).
  await accepted?.('credential_accepted');
  return stored;
}

/**
 * The `event_description` of a credential_failure (§11.1: printable ASCII): the phone's own message for a
 * credential that did not verify — it names check ids, never a value — or a fixed sentence.
 */
function failureDescriptionOf(e: unknown): string {
  if (
    e instanceof WalletError &&
    e.code === 'WALLET_CREDENTIAL_INVALID' &&
    e.message.length <= 200 &&
    /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(e.message)
  )
    return e.message;
  return 'the wallet could not keep the credential';
}
