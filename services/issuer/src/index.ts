/** The issuer service. */
export {};
