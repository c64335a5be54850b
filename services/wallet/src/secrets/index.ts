/** The phone's PIN and password, their try counters and locks. */
export * from './new-secret.js';
export * from './secret-policy.js';
export * from './secrets-user-verifier.js';
export * from './wallet-secrets.js';
