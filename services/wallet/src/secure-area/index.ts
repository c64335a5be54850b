/** The secure area: the interface, the sandbox implementation and the platform attestation. */
export * from './auth-tickets.js';
export * from './platform-attestation.js';
export * from './sandbox-secure-area.js';
export type * from './secure-area.js';
export type * from './user-verifier.js';
