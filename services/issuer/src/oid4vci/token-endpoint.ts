/**
 * The Token Endpoint for the Pre-Authorized Code Flow (OpenID4VCI 1.0 §6, RFC 6749 §5): the code of a
 * Credential Offer and its Transaction Code → an access token for the installation the offer was made for.
 *
 * The store redeems the code once, with the tx_code attempt limit enforced atomically
 * (store/offer-repository.ts). Every way a code can be bad is `invalid_grant` (§6.3): unknown, already used,
 * expired, a wrong tx_code, or dead after too many wrong ones; a tx_code that is missing where the offer
 * requires one, or sent where the offer has none, is `invalid_request` (§6.3: the Authorization Server
 * "does not expect a Transaction Code … but the Client provides" one); neither spends the code. The error
 * never says which code or tx_code was sent.
 *
 * The access token is 256 random bits; only its SHA-256 is stored. §13.8: a Bearer token is not
 * sender-constrained, so it lives ACCESS_TOKEN_TTL_SECONDS (5 minutes, the most §13.8 calls short-lived).
 */
import {
  createTokenResponse,
  Oid4vciError,
  parseTokenRequest,
  unknownPreAuthorizedCode,
} from '@mynakit/oid4vci';
import type { Context } from 'hono';
import type { IssuerDeps } from '../context.js';
import type { RedeemResult } from '../store/index.js';
import { noStoreJson } from './oauth-response.js';
import { randomToken } from './random-token.js';

/** Lifetime of an access token, seconds (§13.8: Bearer tokens longer than 5 minutes are long-lived). */
export const ACCESS_TOKEN_TTL_SECONDS = 300;

/** The OAuth error for a code the store would not redeem. */
function refusal(result: Exclude<RedeemResult, { outcome: 'redeemed' }>, txCodeSent: boolean): Oid4vciError {
  switch (result.outcome) {
    case 'unknown':
      return unknownPreAuthorizedCode();
    case 'used':
      return new Oid4vciError(
        'invalid_grant',
        'pre_authorized_code.used',
        'the pre-authorized code was already used',
      );
    case 'expired':
      return new Oid4vciError(
        'invalid_grant',
        'pre_authorized_code.expired',
        'the pre-authorized code has expired',
      );
    case 'locked':
      return new Oid4vciError(
        'invalid_grant',
        'pre_authorized_code.attempts',
        'too many wrong transaction codes: the pre-authorized code is no longer valid',
      );
    case 'invalid_tx_code':
      return txCodeSent
        ? new Oid4vciError('invalid_grant', 'tx_code.mismatch', 'the transaction code is wrong')
        : new Oid4vciError('invalid_request', 'tx_code.missing', 'the offer requires a transaction code');
    case 'tx_code_unexpected':
      return new Oid4vciError(
        'invalid_request',
        'tx_code.unexpected',
        'no transaction code is expected for this offer',
      );
  }
}

/** Handles POST /oid4vci/token; Oid4vciError for every protocol failure (the route answers them). */
export async function handleTokenRequest(c: Context, deps: IssuerDeps): Promise<Response> {
  // The form was shape-checked by the validator; parseTokenRequest reads the raw text for what a parsed
  // form hides (a repeated parameter, RFC 6749 §3.2) and decides the grant type (§6.3).
  const request = parseTokenRequest(await c.req.text());
  const now = deps.clock();
  const accessToken = randomToken(deps);
  // One transaction: the code is spent exactly when its access token is stored. A wrong tx_code commits
  // only its counted attempt (OfferRepository.redeem reserves it before the check).
  const result = await deps.store.transaction(async (tx) => {
    const redeemed = await tx.offers.redeem({
      preAuthorizedCode: request.preAuthorizedCode,
      ...(request.txCode === undefined ? {} : { txCode: request.txCode }),
      now: now.getTime(),
    });
    if (redeemed.outcome === 'redeemed')
      await tx.accessTokens.create(
        {
          token: accessToken,
          installationId: redeemed.installationId,
          expiresAt: now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000,
        },
        now.getTime(),
      );
    return redeemed;
  });
  if (result.outcome !== 'redeemed') throw refusal(result, request.txCode !== undefined);
  return noStoreJson(c, createTokenResponse({ accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS }));
}
