/**
 * The JPKI request object (src/jpki-request): what the verifier signs, the wallet verifies — signature,
 * x5c chain to the reader roots, client_id naming the certificate, response_uri on its host
 * (OpenID4VP 1.0 §5.9.3), iat/exp with clock skew, bounds, the claims of each request type — and the link.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Oid4vpError } from '../src/errors.js';
import { buildJpkiRequestLink, parseJpkiRequestLink } from '../src/jpki-request/jpki-request-link.js';
import {
  JPKI_REQUEST_TYP,
  type JpkiRequestInput,
  MAX_JPKI_DOCUMENT_BYTES,
  signJpkiRequestObject,
  validateJpkiRequestClaims,
  verifyJpkiRequestObject,
} from '../src/jpki-request/jpki-request-object.js';
import { jpkiResponseBody } from '../src/jpki-request/jpki-response.js';
import { makeReaderPki, NOW } from './helpers/fixtures.js';

const rp = makeReaderPki('verifier.bank.example');
const stranger = makeReaderPki('verifier.bank.example');
const CLIENT_ID = 'x509_san_dns:verifier.bank.example';
const options = { trustAnchors: [rp.root], now: NOW };
const challenge = randomBytes(32);
const TEXT = '普通預金口座開設申込書\n取引の目的: 生計費決済';

const auth = (over: Partial<JpkiRequestInput> = {}): JpkiRequestInput =>
  ({
    clientId: CLIENT_ID,
    clientName: 'サンドボックス銀行',
    purpose: 'log-in',
    responseUri: 'https://verifier.bank.example/sessions/s1/jpki-response',
    now: NOW,
    requestType: 'jpki-user-authentication',
    challenge,
    ...over,
  }) as JpkiRequestInput;
const sign = (over: Partial<JpkiRequestInput> = {}): JpkiRequestInput =>
  ({
    ...auth(),
    purpose: 'account-opening',
    requestType: 'jpki-signature',
    document: new TextEncoder().encode(TEXT),
    mediaType: 'text/plain;charset=utf-8',
    ...over,
  }) as JpkiRequestInput;
const signed = (request: JpkiRequestInput, pki = rp) =>
  signJpkiRequestObject({ request, privateKey: pki.leafKey, certificateChain: [pki.leaf.der] });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Oid4vpError) return e.code;
    throw e;
  }
  return 'resolved';
}

describe('JPKI request objects', () => {
  it('a user authentication: verified, the challenge back, typed jpki-request+jwt', async () => {
    const jws = await signed(auth());
    const header = JSON.parse(Buffer.from(jws.split('.')[0] as string, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', typ: JPKI_REQUEST_TYP });
    expect(header.x5c).toEqual([Buffer.from(rp.leaf.der).toString('base64')]);
    const v = await verifyJpkiRequestObject(jws, { ...options, expectedClientId: CLIENT_ID });
    expect(v.claims.request_type).toBe('jpki-user-authentication');
    expect(v.claims.exp - v.claims.iat).toBe(300);
    expect(Buffer.from(v.challenge as Uint8Array).equals(challenge)).toBe(true);
    expect(v.document).toBeUndefined();
    expect(v.certificate.fingerprint256).toBe(rp.leaf.fingerprint256);
  });

  it('a signature: the document inline with its SHA-256 and media type', async () => {
    const v = await verifyJpkiRequestObject(await signed(sign()), options);
    expect(new TextDecoder().decode(v.document)).toBe(TEXT);
    expect(v.claims.document?.sha256).toBe(createHash('sha256').update(TEXT, 'utf8').digest('base64url'));
    expect(v.claims.nonce).toBeUndefined();
  });

  it('refuses an untrusted reader, another client id, a response_uri elsewhere, another typ', async () => {
    expect(await codeOf(verifyJpkiRequestObject(await signed(auth(), stranger), options))).toBe(
      'REQUEST_CERTIFICATE_UNTRUSTED',
    );
    expect(
      await codeOf(
        verifyJpkiRequestObject(await signed(auth()), {
          ...options,
          expectedClientId: 'x509_san_dns:other.example',
        }),
      ),
    ).toBe('CLIENT_ID_MISMATCH');
    expect(
      await codeOf(
        verifyJpkiRequestObject(await signed(auth({ clientId: 'x509_san_dns:other.example' })), options),
      ),
    ).toBe('CLIENT_ID_MISMATCH');
    expect(
      await codeOf(
        verifyJpkiRequestObject(
          await signed(auth({ responseUri: 'https://collector.example/sessions/s1/jpki-response' })),
          options,
        ),
      ),
    ).toBe('RESPONSE_URI_MISMATCH');
    const oid4vpTyped = await new SignJWT({ client_id: CLIENT_ID })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'oauth-authz-req+jwt',
        x5c: [Buffer.from(rp.leaf.der).toString('base64')],
      })
      .sign(rp.leafKey);
    expect(await codeOf(verifyJpkiRequestObject(oid4vpTyped, options))).toBe('REQUEST_SIGNATURE_INVALID');
    const [h, p] = (await signed(auth())).split('.');
    const [, , s] = (await signed(sign())).split('.');
    expect(await codeOf(verifyJpkiRequestObject(`${h}.${p}.${s}`, options))).toBe(
      'REQUEST_SIGNATURE_INVALID',
    );
  });

  it('exp and iat with the clock skew', async () => {
    const jws = await signed(auth());
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    await expect(verifyJpkiRequestObject(jws, { ...options, now: at(300 + 59) })).resolves.toBeDefined();
    expect(await codeOf(verifyJpkiRequestObject(jws, { ...options, now: at(300 + 60) }))).toBe(
      'REQUEST_EXPIRED',
    );
    expect(await codeOf(verifyJpkiRequestObject(jws, { ...options, now: at(-61) }))).toBe('REQUEST_EXPIRED');
    expect(
      await codeOf(verifyJpkiRequestObject(jws, { ...options, now: at(301), clockSkewSeconds: 0 })),
    ).toBe('REQUEST_EXPIRED');
  });

  it('bounds and claims: lifetime, document size, challenge length, mixed fields', async () => {
    expect(await codeOf(signed(auth({ lifetimeSeconds: 3600 })))).toBe('invalid_request');
    expect(await codeOf(signed(auth({ challenge: randomBytes(16) } as never)))).toBe('invalid_request');
    expect(
      await codeOf(
        signed(
          sign({
            document: new Uint8Array(MAX_JPKI_DOCUMENT_BYTES + 1),
            mediaType: 'application/octet-stream',
          } as never),
        ),
      ),
    ).toBe('invalid_request');
    expect(await codeOf(signed(sign({ document: Uint8Array.of(0xff, 0xfe) } as never)))).toBe(
      'invalid_request',
    );
    expect(await codeOf(signed(auth({ purpose: 'Account Opening' })))).toBe('invalid_request');
    // A signature whose claimed hash is not its content's, signed by a trusted reader: refused.
    const bad = await new SignJWT({
      client_id: CLIENT_ID,
      request_type: 'jpki-signature',
      purpose: 'account-opening',
      response_uri: 'https://verifier.bank.example/r',
      iat: Math.floor(NOW.getTime() / 1000),
      exp: Math.floor(NOW.getTime() / 1000) + 60,
      document: { media_type: 'application/octet-stream', sha256: 'A'.repeat(43), content: 'AAEC' },
    })
      .setProtectedHeader({
        alg: 'ES256',
        typ: JPKI_REQUEST_TYP,
        x5c: [Buffer.from(rp.leaf.der).toString('base64')],
      })
      .sign(rp.leafKey);
    expect(await codeOf(verifyJpkiRequestObject(bad, options))).toBe('invalid_request');
    expect(await codeOf(verifyJpkiRequestObject('x'.repeat(200_000), options))).toBe('DECODE');
  });

  it('claims are read as own properties only: a __proto__ key supplies nothing', () => {
    const iat = Math.floor(NOW.getTime() / 1000);
    const hostile = JSON.parse(
      `{"__proto__":{"client_id":"${CLIENT_ID}","request_type":"jpki-user-authentication"},"purpose":"log-in","response_uri":"https://verifier.bank.example/r","iat":${iat},"exp":${iat + 60},"nonce":"${challenge.toString('base64url')}"}`,
    ) as Record<string, unknown>;
    expect(() => validateJpkiRequestClaims(hostile)).toThrow(/client_id/);
    expect(() =>
      validateJpkiRequestClaims({ ...auth(), constructor: {} } as unknown as Record<string, unknown>),
    ).toThrow(Oid4vpError);
  });

  it('the link and the response body', () => {
    const link = buildJpkiRequestLink({
      clientId: CLIENT_ID,
      requestUri: 'https://verifier.bank.example/sessions/s1/jpki-request-object',
    });
    expect(
      link.startsWith('mynakit-jpki://?client_id=x509_san_dns%3Averifier.bank.example&request_uri='),
    ).toBe(true);
    expect(parseJpkiRequestLink(link)).toEqual({
      clientId: CLIENT_ID,
      requestUri: 'https://verifier.bank.example/sessions/s1/jpki-request-object',
    });
    expect(() => parseJpkiRequestLink(link.replace('mynakit-jpki:', 'openid4vp:'))).toThrow(Oid4vpError);
    expect(() => parseJpkiRequestLink('mynakit-jpki://?client_id=a&request_uri=file:///etc/passwd')).toThrow(
      /http/,
    );
    expect(jpkiResponseBody('jpki-signature', { cms: Uint8Array.of(1, 2, 3) })).toEqual({ cms: 'AQID' });
    expect(() => jpkiResponseBody('jpki-user-authentication', { cms: Uint8Array.of(1) })).toThrow(
      Oid4vpError,
    );
  });
});
