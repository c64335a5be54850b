import { base64urlToBytes } from '@mynakit/cbor';
import { Hono } from 'hono';
import { exportJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateNonce, InMemoryNonceStore } from '../src/nonce-store.js';
import {
  type AuthorizationRequest,
  buildAuthorizationRequest,
  type ResponseMode,
} from '../src/openid4vp/authorization-request.js';
import {
  parseAuthorizationResponse,
  postAuthorizationResponse,
} from '../src/openid4vp/authorization-response.js';
import { createOpenId4VpPresentation } from '../src/openid4vp/create-presentation.js';
import { signRequestObject, verifyRequestObject } from '../src/openid4vp/request-object.js';
import {
  buildRequestUriInvocation,
  type Fetcher,
  fetchRequestObject,
  parseRequestUriInvocation,
  REQUEST_OBJECT_MEDIA_TYPE,
} from '../src/openid4vp/request-uri.js';
import { sessionTranscriptForRequest } from '../src/openid4vp/session-transcript.js';
import { verifyOpenId4VpResponse } from '../src/openid4vp/verify-authorization-response.js';
import type { PresentationVerification } from '../src/presentation-verification.js';
import { type Holder, issueHolder, JP_MNC, makeReaderPki, NOW, p256 } from './helpers/fixtures.js';

/**
 * A tiny verifier built in the test (not a service): it creates a transaction, serves the signed request
 * object at `request_uri` (GET, or POST with wallet_nonce) and accepts `direct_post` / `direct_post.jwt`
 * at a per-transaction `response_uri`. Everything runs through `app.request()`: no sockets.
 */
const HOST = 'https://rp.example';
const CLIENT_ID = 'x509_san_dns:rp.example';
const dcqlQuery = {
  credentials: [
    {
      id: 'mnc',
      format: 'mso_mdoc' as const,
      meta: { doctype_value: JP_MNC.docType },
      claims: [
        { path: [JP_MNC.jp, 'full_name_unicode'] as [string, string], intent_to_retain: true },
        { path: [JP_MNC.jp, 'resident_address_unicode'] as [string, string], intent_to_retain: true },
        { path: [JP_MNC.iso, 'age_over_18'] as [string, string] },
      ],
    },
  ],
};

interface Transaction {
  request: AuthorizationRequest;
  encryptionKey?: JWK;
  result?: PresentationVerification;
  postOnly: boolean;
}

function verifierApp(holder: Holder) {
  const rp = makeReaderPki('rp.example');
  const nonceStore = new InMemoryNonceStore();
  const transactions = new Map<string, Transaction>();
  let now = NOW;
  const app = new Hono();

  app.post('/transactions', async (c) => {
    const { mode, requestUriMethod } = (await c.req.json()) as {
      mode: ResponseMode;
      requestUriMethod?: 'get' | 'post';
    };
    const id = generateNonce().slice(0, 16);
    const nonce = generateNonce();
    await nonceStore.issue({ nonce, purpose: 'openid4vp', now, ttlSeconds: 300 });
    let encryptionKey: JWK | undefined;
    let publicJwk: JWK | undefined;
    if (mode === 'direct_post.jwt') {
      const k = p256();
      encryptionKey = { ...(await exportJWK(k.privateKey)), kid: `enc-${id}` };
      publicJwk = { ...(await exportJWK(k.publicKey)), kid: `enc-${id}` };
    }
    const request = buildAuthorizationRequest({
      responseMode: mode,
      clientId: CLIENT_ID,
      responseUri: `${HOST}/response/${id}`,
      nonce,
      state: `state-${id}`,
      dcqlQuery,
      ...(publicJwk ? { encryptionKeys: [publicJwk] } : {}),
    });
    transactions.set(id, {
      request,
      postOnly: requestUriMethod === 'post',
      ...(encryptionKey ? { encryptionKey } : {}),
    });
    const invocation = buildRequestUriInvocation({
      clientId: CLIENT_ID,
      requestUri: `${HOST}/request/${id}`,
      ...(requestUriMethod ? { requestUriMethod } : {}),
    });
    return c.json({ id, invocation });
  });

  const serveRequest = async (id: string, walletNonce?: string) => {
    const t = transactions.get(id);
    if (!t) return undefined;
    const request = walletNonce === undefined ? t.request : { ...t.request, wallet_nonce: walletNonce };
    return signRequestObject({ request, privateKey: rp.leafKey, certificateChain: [rp.leaf.der], now });
  };
  app.get('/request/:id', async (c) => {
    if (transactions.get(c.req.param('id'))?.postOnly)
      return c.json({ error: 'invalid_request_uri_method' }, 405);
    const jws = await serveRequest(c.req.param('id'));
    return jws
      ? c.body(jws, 200, { 'content-type': REQUEST_OBJECT_MEDIA_TYPE })
      : c.json({ error: 'invalid_request' }, 404);
  });
  app.post('/request/:id', async (c) => {
    const form = await c.req.parseBody();
    const jws = await serveRequest(
      c.req.param('id'),
      typeof form.wallet_nonce === 'string' ? form.wallet_nonce : undefined,
    );
    return jws
      ? c.body(jws, 200, { 'content-type': REQUEST_OBJECT_MEDIA_TYPE })
      : c.json({ error: 'invalid_request' }, 404);
  });
  app.post('/response/:id', async (c) => {
    const t = transactions.get(c.req.param('id'));
    if (!t) return c.json({ error: 'invalid_request' }, 404);
    const form = (await c.req.parseBody()) as Record<string, string>;
    const result = await verifyOpenId4VpResponse(
      form,
      { request: t.request, ...(t.encryptionKey ? { encryptionPrivateKey: t.encryptionKey } : {}) },
      { mdoc: { trustAnchors: [holder.chain.iaca], now }, nonceStore },
    );
    t.result = result;
    if (result.verdict !== 'valid')
      return c.json({ error: 'invalid_request', error_code: result.errorCode }, 400);
    return c.json({ redirect_uri: `${HOST}/done/${c.req.param('id')}` });
  });

  const fetcher: Fetcher = async (url, init) => app.request(url, init);
  return {
    app,
    rp,
    fetcher,
    transactions,
    nonceStore,
    setNow: (d: Date) => {
      now = d;
    },
    async start(mode: ResponseMode, requestUriMethod?: 'get' | 'post') {
      const res = await app.request(`${HOST}/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mode, ...(requestUriMethod ? { requestUriMethod } : {}) }),
      });
      return (await res.json()) as { id: string; invocation: string };
    },
  };
}

/** The wallet: scan the invocation, fetch and verify the request object, present, post. */
async function walletFetchesRequest(
  v: ReturnType<typeof verifierApp>,
  invocationUrl: string,
  walletNonce?: string,
) {
  const invocation = parseRequestUriInvocation(invocationUrl);
  const jws = await fetchRequestObject(invocation, v.fetcher, walletNonce ? { walletNonce } : undefined);
  return verifyRequestObject(jws, {
    trustAnchors: [v.rp.root],
    now: NOW,
    expectedClientId: invocation.clientId,
    ...(walletNonce ? { walletNonce } : {}),
  });
}

describe('OpenID4VP 1.0 cross-device flow (request_uri + direct_post) through Hono app.request()', () => {
  let holder: Holder;
  beforeAll(async () => {
    holder = await issueHolder();
  });
  const stored = () => [{ id: 'card', issuerSigned: holder.issuerSigned, deviceKey: holder.deviceKey }];

  it('direct_post: the verifier accepts and reports the verified claims', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    const presentation = await createOpenId4VpPresentation({ request, documents: stored() });
    const { redirectUri } = await postAuthorizationResponse(
      request.response_uri!,
      presentation.response,
      v.fetcher,
    );
    expect(redirectUri).toBe(`${HOST}/done/${id}`);
    const result = v.transactions.get(id)!.result!;
    expect(result.verdict).toBe('valid');
    const ids = result.checks.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'response.decode',
        'response.state',
        'request.nonce',
        'response.vp_token',
        'issuer.signature',
        'device.signature',
        'dcql.claims',
      ]),
    );
    const doc = result.presentations[0]!.verification.documents[0]!;
    expect(result.presentations[0]!.queryId).toBe('mnc');
    expect(doc.elements[JP_MNC.jp]).toHaveProperty('full_name_unicode');
    expect(doc.elements[JP_MNC.iso]).toEqual({ age_over_18: true });
    expect(doc.elements[JP_MNC.jp]).not.toHaveProperty('individual_number_unicode');
    // The transcript the verifier used is the OpenID4VPHandover over what it sent.
    const expected = await sessionTranscriptForRequest(v.transactions.get(id)!.request);
    expect(
      Buffer.from(result.sessionTranscriptBytes!).equals(Buffer.from(expected.sessionTranscriptBytes)),
    ).toBe(true);
    expect(
      Buffer.from(presentation.transcript.sessionTranscriptBytes).equals(
        Buffer.from(expected.sessionTranscriptBytes),
      ),
    ).toBe(true);
  });

  it('direct_post.jwt with request_uri_method=post: encrypted to the verifier key, wallet_nonce echoed', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post.jwt', 'post');
    const { request } = await walletFetchesRequest(v, invocation, 'wallet-nonce-123');
    expect(request.wallet_nonce).toBe('wallet-nonce-123');
    const presentation = await createOpenId4VpPresentation({ request, documents: stored() });
    expect(Object.keys(presentation.response)).toEqual(['response']);
    expect(presentation.response.response!.split('.')).toHaveLength(5);
    await postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher);
    const result = v.transactions.get(id)!.result!;
    expect(result.verdict).toBe('valid');
    expect(result.checks.find((c) => c.id === 'response.decrypt')?.status).toBe('passed');
  });

  it('invalid_request_uri_method: the wallet GETs a request_uri that only answers POST', async () => {
    const v = verifierApp(holder);
    const { invocation } = await v.start('direct_post', 'post');
    const getOnly = invocation.replace('&request_uri_method=post', '');
    await expect(walletFetchesRequest(v, getOnly)).rejects.toMatchObject({
      code: 'invalid_request_uri_method',
    });
  });

  it('NONCE_REUSED: the same response posted twice is refused the second time', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    const presentation = await createOpenId4VpPresentation({ request, documents: stored() });
    await postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher);
    await expect(
      postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(v.transactions.get(id)!.result!.errorCode).toBe('NONCE_REUSED');
  });

  it('NONCE_EXPIRED: a response after the nonce lifetime', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    const presentation = await createOpenId4VpPresentation({ request, documents: stored() });
    v.setNow(new Date(NOW.getTime() + 600_000));
    await expect(
      postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher),
    ).rejects.toBeDefined();
    expect(v.transactions.get(id)!.result!.errorCode).toBe('NONCE_EXPIRED');
  });

  it('NONCE_UNKNOWN: a transaction whose nonce this verifier never issued', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    const t = v.transactions.get(id)!;
    t.request = { ...t.request, nonce: 'never-issued-here' };
    const presentation = await createOpenId4VpPresentation({ request: t.request, documents: stored() });
    await expect(
      postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher),
    ).rejects.toBeDefined();
    expect(t.result!.errorCode).toBe('NONCE_UNKNOWN');
  });

  it('CLIENT_ID_MISMATCH: an invocation whose client_id is not the request object’s', async () => {
    const v = verifierApp(holder);
    const { invocation } = await v.start('direct_post');
    const tampered = invocation.replace(
      encodeURIComponent(CLIENT_ID),
      encodeURIComponent('x509_san_dns:bank.example'),
    );
    await expect(walletFetchesRequest(v, tampered)).rejects.toMatchObject({ code: 'CLIENT_ID_MISMATCH' });
  });

  it('TRANSCRIPT_MISMATCH: a response the wallet made for another response URI (relayed to this one)', async () => {
    const v = verifierApp(holder);
    const a = await v.start('direct_post');
    const b = await v.start('direct_post');
    const reqA = (await walletFetchesRequest(v, a.invocation)).request;
    const reqB = (await walletFetchesRequest(v, b.invocation)).request;
    // The wallet answers B's request but with A's response_uri in the transcript.
    const forged = { ...reqB, response_uri: reqA.response_uri! };
    const presentation = await createOpenId4VpPresentation({ request: forged, documents: stored() });
    await expect(
      postAuthorizationResponse(reqB.response_uri!, presentation.response, v.fetcher),
    ).rejects.toBeDefined();
    expect(v.transactions.get(b.id)!.result!.errorCode).toBe('TRANSCRIPT_MISMATCH');
  });

  it('TRANSCRIPT_MISMATCH: a DeviceResponse signed over another nonce', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    const presentation = await createOpenId4VpPresentation({
      request: { ...request, nonce: 'another-nonce' },
      documents: stored(),
    });
    await expect(
      postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher),
    ).rejects.toBeDefined();
    expect(v.transactions.get(id)!.result!.errorCode).toBe('TRANSCRIPT_MISMATCH');
  });

  it('TRANSCRIPT_MISMATCH: a DeviceResponse signed for another client id', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    const presentation = await createOpenId4VpPresentation({
      request: { ...request, client_id: 'x509_san_dns:other.example' },
      documents: stored(),
    });
    await expect(
      postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher),
    ).rejects.toBeDefined();
    expect(v.transactions.get(id)!.result!.errorCode).toBe('TRANSCRIPT_MISMATCH');
  });

  it('JWE_DECRYPT_FAILED: a direct_post.jwt response encrypted to another key', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post.jwt');
    const { request } = await walletFetchesRequest(v, invocation);
    const attackerKey = {
      ...(await exportJWK(p256().publicKey)),
      kid: request.client_metadata!.jwks!.keys[0]!.kid!,
    };
    const swapped = {
      ...request,
      client_metadata: {
        ...request.client_metadata,
        jwks: { keys: [{ ...attackerKey, alg: 'ECDH-ES', use: 'enc' }] },
      },
    };
    const presentation = await createOpenId4VpPresentation({ request: swapped, documents: stored() });
    await expect(
      postAuthorizationResponse(request.response_uri!, presentation.response, v.fetcher),
    ).rejects.toBeDefined();
    expect(v.transactions.get(id)!.result!.errorCode).toBe('JWE_DECRYPT_FAILED');
  });

  it('a wallet error response (access_denied) reaches the verifier with its code', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    await expect(
      postAuthorizationResponse(
        request.response_uri!,
        { error: 'access_denied', state: request.state },
        v.fetcher,
      ),
    ).rejects.toBeDefined();
    expect(v.transactions.get(id)!.result!.errorCode).toBe('access_denied');
    await expect(parseAuthorizationResponse({ error: 'wallet_unavailable' }, request)).rejects.toMatchObject({
      code: 'wallet_unavailable',
    });
  });

  it('response.vp_token: a presentation for a query that was not asked is refused', async () => {
    const v = verifierApp(holder);
    const { id, invocation } = await v.start('direct_post');
    const { request } = await walletFetchesRequest(v, invocation);
    const presentation = await createOpenId4VpPresentation({ request, documents: stored() });
    const body = { vp_token: { other: presentation.vpToken.mnc! }, state: request.state };
    await expect(postAuthorizationResponse(request.response_uri!, body, v.fetcher)).rejects.toBeDefined();
    expect(v.transactions.get(id)!.result!.checks.find((c) => c.id === 'response.vp_token')?.status).toBe(
      'failed',
    );
    expect(base64urlToBytes(presentation.vpToken.mnc![0]!)[0]).toBe(0xa3); // a DeviceResponse map {version, documents, status}
  });
});
