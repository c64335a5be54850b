/**
 * The UserVerifier of a phone: a PIN is the JPKI user-authentication PIN, a password the signature
 * password, both checked and counted by WalletSecrets; a biometric is the platform's match (sandbox: the
 * emulator's flag), allowed for a key only as its policy says — and for a key guarded by the PIN only while
 * that PIN is not locked, never for a key guarded by the password (DOMAIN.md §1 "Two-factor use").
 */
import { WalletError } from '../errors.js';
import type { SecureKeyInfo, UserAuthentication } from '../secure-area/secure-area.js';
import type { UserVerifier } from '../secure-area/user-verifier.js';
import type { WalletSecrets } from './wallet-secrets.js';

/** A UserVerifier backed by the phone's secrets. */
export function secretsUserVerifier(secrets: WalletSecrets): UserVerifier {
  return {
    async verify(evidence: UserAuthentication, key: SecureKeyInfo): Promise<void> {
      const policy = key.userAuthentication === 'none' ? [] : key.userAuthentication;
      if (evidence.method === 'pin') return secrets.verify('authPin', evidence.value);
      if (evidence.method === 'password') return secrets.verify('signaturePassword', evidence.value);
      if (policy.includes('password'))
        throw new WalletError(
          'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
          'a biometric never stands in for the signature password',
        );
      if (policy.includes('pin')) await secrets.requireBiometricStandIn('authPin');
      if (evidence.matched !== true)
        throw new WalletError('WALLET_BIOMETRIC_FAILED', 'the biometric did not match');
    },
  };
}
