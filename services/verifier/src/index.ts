/** @mynakit/verifier — the verifier service. */
export {};
