/**
 * A PKCS #10 request (RFC 2986 §4) whose signature the secure area makes: @mynakit/pki's
 * createCsrWithSigner writes the CertificationRequestInfo, the secure area signs it with RS256 after the
 * holder's authentication (the ticket), and the signature is verified under the key before the request
 * leaves the phone (proof of possession).
 */
import { createCsrWithSigner } from '@mynakit/pki';
import { WalletError } from '../errors.js';
import type { AuthTicket, SecureArea } from '../secure-area/secure-area.js';

/** A CSR for the RSA-2048 key `alias`, signed by the secure area with `ticket`. */
export async function secureAreaCsr(
  area: SecureArea,
  alias: string,
  ticket: AuthTicket,
  subject = 'CN=mynakit wallet key',
): Promise<Uint8Array> {
  const key = await area.getKey(alias);
  if (key === undefined || key.type !== 'rsa-2048')
    throw new WalletError('WALLET_KEY_INVALID', 'a JPKI request is for an RSA-2048 key of the secure area');
  try {
    return await createCsrWithSigner({
      subject,
      publicKey: key.publicKey,
      signer: {
        algorithm: 'sha256WithRSAEncryption',
        sign: (info) => area.sign(alias, info, 'RS256', ticket),
      },
    });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'INVALID_ARGUMENT')
      throw new WalletError('WALLET_KEY_INVALID', 'the request does not verify', { cause: e });
    throw e;
  }
}
