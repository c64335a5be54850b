import { randomBytes, scrypt } from 'node:crypto';
import { type ScryptParams, verifyPin } from '@mynakit/jpki';

/**
 * The OpenID4VCI tx_code (OpenID4VCI 1.0 §4.1.1: a short code sent to the holder on another channel, typed
 * into the wallet) is stored only as a salted scrypt verifier (RFC 7914), in the same self-describing form
 * as @mynakit/jpki's PIN verifiers — `scrypt$N$r$p$<salt>$<hash>` — so @mynakit/jpki's verifyPin checks it in
 * constant time. A 6-digit code cannot be protected by a KDF alone: the attempt limit is what protects it
 * online; the KDF protects it if the database leaks while the offer is alive.
 */

/** scrypt cost for tx_code verifiers: N=2^14, r=8, p=1 (16 MiB, tens of milliseconds; the code lives minutes). */
export const DEFAULT_TX_CODE_KDF: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };

/** Makes the stored verifier of a tx_code. */
export function createTxCodeVerifier(
  txCode: string,
  params: ScryptParams = DEFAULT_TX_CODE_KDF,
): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(txCode, 'utf8'),
      salt,
      32,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (err, hash) =>
        err
          ? reject(err)
          : resolve(
              `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`,
            ),
    );
  });
}

/** Whether `txCode` matches the stored verifier. */
export function verifyTxCode(txCode: string, verifier: string): Promise<boolean> {
  return verifyPin(txCode, verifier);
}
