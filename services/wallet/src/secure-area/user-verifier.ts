/**
 * Who checks the evidence behind a ticket. A real platform checks biometrics and the device passcode
 * itself; the wallet's JPKI PIN and signature password are checked by the wallet's secrets (try counters
 * in its database, DOMAIN.md §3). The sandbox secure area asks this verifier before it issues a ticket.
 */
import type { SecureKeyInfo, UserAuthentication } from './secure-area.js';

/** Checks one user authentication for one key; throws a WalletError when it fails or is not allowed. */
export interface UserVerifier {
  /** Resolves when `evidence` authenticates the holder for an operation of `key`. */
  verify(evidence: UserAuthentication, key: SecureKeyInfo): Promise<void>;
}
