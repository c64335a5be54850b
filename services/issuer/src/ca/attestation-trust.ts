/**
 * The platform attestation roots a key attestation (OpenID4VCI 1.0 Appendix D.1) must chain to, as one
 * @mynakit/oid4vci AttesterTrust per hierarchy: the roots parsed once, and each attester chain validated
 * once and then kept by its exact `x5c` text — the time is still checked on every request (attester-trust.ts
 * in @mynakit/oid4vci). Both the certificate requests and the credential endpoint use the same one.
 */
import { AttesterTrust } from '@mynakit/oid4vci';
import type { SandboxHierarchy } from './sandbox-hierarchy.js';

const trusts = new WeakMap<SandboxHierarchy['attestation'], AttesterTrust>();

/** The AttesterTrust over the hierarchy's platform attestation roots (made on first use). */
export function attestationTrustOf(hierarchy: SandboxHierarchy): AttesterTrust {
  let trust = trusts.get(hierarchy.attestation);
  if (trust === undefined) {
    trust = new AttesterTrust(hierarchy.attestation.roots.map((r) => r.certificate));
    trusts.set(hierarchy.attestation, trust);
  }
  return trust;
}
