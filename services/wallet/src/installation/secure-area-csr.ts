/**
 * A PKCS #10 request (RFC 2986 §4) whose signature the secure area makes.
 *
 *   CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
 *
 * @mynakit/pki's createCsr signs with a KeyObject only. Until it takes a signer, the request is built with
 * a stand-in RSA-2048 key for the same public key and subject, and the stand-in signature — the last 256
 * bytes of the DER, an RSA-2048 signature always being 256 bytes, so no length changes — is replaced by the
 * secure area's RS256 signature over the same CertificationRequestInfo bytes. The result is checked with
 * parseCsr (proof of possession) before it leaves the phone.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createCsr, derChildren, parseCsr, readDer } from '@mynakit/pki';
import { WalletError } from '../errors.js';
import type { AuthTicket, SecureArea } from '../secure-area/secure-area.js';

const RSA_2048_SIGNATURE_BYTES = 256;
let standIn: KeyObject | undefined;

/** The RSA-2048 key that signs requests before their signature is replaced (made once per process). */
function standInKey(): KeyObject {
  standIn ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return standIn;
}

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
  const draft = createCsr({ subject, publicKey: key.publicKey, privateKey: standInKey() });
  const info = derChildren(readDer(draft), 'CertificationRequest').next('certificationRequestInfo').bytes;
  const signature = await area.sign(alias, info, 'RS256', ticket);
  if (signature.length !== RSA_2048_SIGNATURE_BYTES)
    throw new WalletError('WALLET_KEY_INVALID', 'the signature is not that of an RSA-2048 key');
  const csr = new Uint8Array(draft);
  csr.set(signature, csr.length - RSA_2048_SIGNATURE_BYTES);
  if (!parseCsr(csr).signatureValid)
    throw new WalletError('WALLET_KEY_INVALID', 'the request does not verify');
  return csr;
}
