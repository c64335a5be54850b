/**
 * The Nonce Endpoint (OpenID4VCI 1.0 §7): a fresh c_nonce for the Wallet's key proof and key attestation.
 * §7.1: the request is a bare POST, not protected by the access token. The nonce is stored in the issuer's
 * NonceStore (shared by every instance through the database) and consumed by the Credential Endpoint with
 * one compare-and-set, so it is good for exactly one Credential Request within C_NONCE_TTL_SECONDS.
 */
import { createNonceResponse } from '@mynakit/oid4vci';
import type { Context } from 'hono';
import type { IssuerDeps } from '../context.js';
import { noStoreJson } from './oauth-response.js';
import { randomToken } from './random-token.js';

/** The NonceStore purpose of OpenID4VCI c_nonces (the installation challenges use their own). */
export const C_NONCE_PURPOSE = 'oid4vci-c-nonce';

/** How long a c_nonce stays valid: the Wallet asks for it right before the Credential Request. */
export const C_NONCE_TTL_SECONDS = 300;

/** Handles POST /oid4vci/nonce (§7.2: 200, `{c_nonce}`, Cache-Control: no-store). */
export async function handleNonceRequest(c: Context, deps: IssuerDeps): Promise<Response> {
  const nonce = randomToken(deps);
  await deps.store.nonces.issue({
    nonce,
    purpose: C_NONCE_PURPOSE,
    now: deps.clock(),
    ttlSeconds: C_NONCE_TTL_SECONDS,
  });
  return noStoreJson(c, createNonceResponse(nonce));
}
