/** OpenID for Verifiable Credential Issuance 1.0 — issuer and wallet halves. */
export {};
