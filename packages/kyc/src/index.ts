/** @mynakit/kyc — which legal KYC method a verification satisfies on a date. */
export {};
