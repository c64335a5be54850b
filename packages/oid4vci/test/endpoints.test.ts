/**
 * What the issuer reads at its endpoints — Token Request and pre-authorized code record (§6),
 * Credential Request (§8.2), Notification Request (§11.1), the access token header (RFC 6750) — and the
 * error body it answers with: each negative case asserts the wire error code and the check.
 */
import { describe, expect, it } from 'vitest';
import {
  buildTokenRequest,
  checkPreAuthorizedCode,
  createTxCode,
  Oid4vciError,
  oauthErrorBody,
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  parseCredentialOffer,
  parseCredentialRequest,
  parseNotificationRequest,
  parseTokenRequest,
  readBearerToken,
  unknownNotificationId,
  unknownPreAuthorizedCode,
} from '../src/index.js';
import { errorOf, NOW } from './helpers/fixtures.js';

const later = new Date(NOW.getTime() + 300_000);

describe('Token Request', () => {
  it('reads the pre-authorized code grant', () => {
    const body = buildTokenRequest({ preAuthorizedCode: 'code-1', txCode: '493536', clientId: 'wallet' });
    expect(parseTokenRequest(body)).toEqual({
      grantType: PRE_AUTHORIZED_CODE_GRANT_TYPE,
      preAuthorizedCode: 'code-1',
      txCode: '493536',
      clientId: 'wallet',
    });
    expect(
      parseTokenRequest(
        `grant_type=${encodeURIComponent(PRE_AUTHORIZED_CODE_GRANT_TYPE)}&pre-authorized_code=c&x=1`,
      ),
    ).toMatchObject({ preAuthorizedCode: 'c' });
  });

  it('refuses malformed requests with invalid_request, other grants with unsupported_grant_type', async () => {
    expect(await errorOf(() => parseTokenRequest('pre-authorized_code=c'))).toMatchObject({
      code: 'invalid_request',
      check: 'token_request.grant_type',
    });
    expect(await errorOf(() => parseTokenRequest('grant_type=authorization_code&code=x'))).toMatchObject({
      code: 'unsupported_grant_type',
    });
    const g = `grant_type=${encodeURIComponent(PRE_AUTHORIZED_CODE_GRANT_TYPE)}`;
    expect((await errorOf(() => parseTokenRequest(g))).check).toBe('token_request.pre-authorized_code');
    expect(
      await errorOf(() => parseTokenRequest(`${g}&pre-authorized_code=a&pre-authorized_code=b`)),
    ).toMatchObject({
      code: 'invalid_request',
      check: 'token_request.decode',
    });
    expect(
      await errorOf(() =>
        parseTokenRequest(`${g}&pre-authorized_code=a`, { anonymousAccessSupported: false }),
      ),
    ).toMatchObject({ code: 'invalid_client', check: 'token_request.client_id' });
  });
});

describe('pre-authorized code record', () => {
  it('accepts the right transaction code before expiry', () => {
    expect(() =>
      checkPreAuthorizedCode({ expiresAt: later, txCode: '493536' }, { txCode: '493536' }, NOW),
    ).not.toThrow();
    expect(() =>
      checkPreAuthorizedCode({ expiresAt: later, txCode: (t) => t === '111111' }, { txCode: '111111' }, NOW),
    ).not.toThrow();
    expect(() => checkPreAuthorizedCode({ expiresAt: later }, {}, NOW)).not.toThrow();
  });

  it('a wrong transaction code is invalid_grant', async () => {
    expect(
      await errorOf(() =>
        checkPreAuthorizedCode({ expiresAt: later, txCode: '493536' }, { txCode: '493537' }, NOW),
      ),
    ).toMatchObject({ code: 'invalid_grant', check: 'tx_code.mismatch' });
    expect(
      (
        await errorOf(() =>
          checkPreAuthorizedCode({ expiresAt: later, txCode: '493536' }, { txCode: '4935360' }, NOW),
        )
      ).code,
    ).toBe('invalid_grant');
  });

  it('an expired, used or exhausted code is invalid_grant', async () => {
    expect(
      await errorOf(() => checkPreAuthorizedCode({ expiresAt: NOW, txCode: '1' }, { txCode: '1' }, NOW)),
    ).toMatchObject({
      code: 'invalid_grant',
      check: 'pre_authorized_code.expired',
    });
    expect(
      (await errorOf(() => checkPreAuthorizedCode({ expiresAt: later, usedAt: NOW }, {}, NOW))).check,
    ).toBe('pre_authorized_code.used');
    expect(
      (
        await errorOf(() =>
          checkPreAuthorizedCode({ expiresAt: later, txCode: '1', failedAttempts: 5 }, { txCode: '1' }, NOW),
        )
      ).check,
    ).toBe('pre_authorized_code.attempts');
    expect(unknownPreAuthorizedCode().code).toBe('invalid_grant');
  });

  it('a missing or unexpected transaction code is invalid_request', async () => {
    expect(
      await errorOf(() => checkPreAuthorizedCode({ expiresAt: later, txCode: '493536' }, {}, NOW)),
    ).toMatchObject({
      code: 'invalid_request',
      check: 'tx_code.missing',
    });
    expect(
      await errorOf(() => checkPreAuthorizedCode({ expiresAt: later }, { txCode: '1' }, NOW)),
    ).toMatchObject({
      code: 'invalid_request',
      check: 'tx_code.unexpected',
    });
  });

  it('creates numeric transaction codes from the given randomness', () => {
    let i = 0;
    const counting = (n: number) => Uint8Array.from({ length: n }, () => (i++ * 37) % 256);
    expect(createTxCode(6, counting)).toMatch(/^\d{6}$/);
    expect(() => createTxCode(6, () => new Uint8Array(12).fill(255))).toThrow(TypeError);
  });
});

describe('Credential Request', () => {
  const ids = ['jp.mnc'];

  it('refuses proof and proofs together, and more proofs than the batch size', async () => {
    const both = {
      credential_configuration_id: 'jp.mnc',
      proof: { proof_type: 'jwt', jwt: 'a.b.c' },
      proofs: { jwt: ['a.b.c'] },
    };
    expect(
      await errorOf(() => parseCredentialRequest(both, { credentialConfigurationIds: ids })),
    ).toMatchObject({
      code: 'invalid_credential_request',
      check: 'credential_request.proofs',
    });
    const three = { credential_configuration_id: 'jp.mnc', proofs: { jwt: ['a.b.c', 'd.e.f', 'g.h.i'] } };
    expect(
      await errorOf(() => parseCredentialRequest(three, { credentialConfigurationIds: ids, maxProofs: 2 })),
    ).toMatchObject({
      code: 'invalid_credential_request',
      check: 'credential_request.proof_count',
    });
    expect(
      (
        await errorOf(() =>
          parseCredentialRequest(
            { ...three, proofs: { jwt: ['a.b.c', 'd.e.f'] } },
            { credentialConfigurationIds: ids },
          ),
        )
      ).check,
    ).toBe('credential_request.proof_count');
  });

  it('reads the draft singular proof alone as one jwt proof', () => {
    const req = { credential_configuration_id: 'jp.mnc', proof: { proof_type: 'jwt', jwt: 'a.b.c' } };
    expect(parseCredentialRequest(req, { credentialConfigurationIds: ids }).proofs).toEqual(['a.b.c']);
  });

  it('maps identifiers and proofs problems to their codes', async () => {
    const parse = (body: unknown, extra: Partial<Parameters<typeof parseCredentialRequest>[1]> = {}) =>
      errorOf(() => parseCredentialRequest(body, { credentialConfigurationIds: ids, ...extra }));
    expect((await parse({ credential_configuration_id: 'other', proofs: { jwt: ['a.b.c'] } })).code).toBe(
      'unknown_credential_configuration',
    );
    expect((await parse({ proofs: { jwt: ['a.b.c'] } })).code).toBe('invalid_credential_request');
    expect(
      (
        await parse({
          credential_configuration_id: 'jp.mnc',
          credential_identifier: 'x',
          proofs: { jwt: ['a'] },
        })
      ).code,
    ).toBe('invalid_credential_request');
    expect((await parse({ credential_identifier: 'x', proofs: { jwt: ['a'] } })).code).toBe(
      'unknown_credential_identifier',
    );
    expect(
      (await parse({ credential_identifier: 'x', proofs: { jwt: ['a'] } }, { credentialIdentifiers: ['y'] }))
        .code,
    ).toBe('unknown_credential_identifier');
    expect(await parse({ credential_configuration_id: 'jp.mnc' })).toMatchObject({ code: 'invalid_proof' });
    expect((await parse({ credential_configuration_id: 'jp.mnc', proofs: { jwt: [] } })).code).toBe(
      'invalid_proof',
    );
    expect((await parse({ credential_configuration_id: 'jp.mnc', proofs: { di_vp: [{}] } })).code).toBe(
      'invalid_proof',
    );
    expect(
      (await parse({ credential_configuration_id: 'jp.mnc', proofs: { jwt: ['a'], attestation: ['b'] } }))
        .code,
    ).toBe('invalid_credential_request');
    expect((await parse({ credential_configuration_id: 'jp.mnc', proofs: { jwt: [42] } })).code).toBe(
      'invalid_proof',
    );
    expect(
      (
        await parse({
          credential_configuration_id: 'jp.mnc',
          proofs: { jwt: ['a'] },
          credential_response_encryption: {},
        })
      ).code,
    ).toBe('invalid_encryption_parameters');
    expect((await parse('not json')).check).toBe('credential_request.decode');
    expect((await parse([])).code).toBe('invalid_credential_request');
  });
});

describe('Notification Request', () => {
  it('reads the three events and refuses anything else', async () => {
    expect(
      parseNotificationRequest(
        '{"notification_id":"3fwe98js","event":"credential_failure","event_description":"Out of storage."}',
      ),
    ).toEqual({
      notificationId: '3fwe98js',
      event: 'credential_failure',
      eventDescription: 'Out of storage.',
    });
    expect(
      await errorOf(() => parseNotificationRequest({ notification_id: 'x', event: 'Credential_Accepted' })),
    ).toMatchObject({
      code: 'invalid_notification_request',
      check: 'notification_request.event',
    });
    expect((await errorOf(() => parseNotificationRequest({ event: 'credential_deleted' }))).check).toBe(
      'notification_request.notification_id',
    );
    expect(
      (
        await errorOf(() =>
          parseNotificationRequest({
            notification_id: 'x',
            event: 'credential_deleted',
            event_description: 'say "hi"',
          }),
        )
      ).check,
    ).toBe('notification_request.event_description');
    expect(unknownNotificationId().code).toBe('invalid_notification_id');
  });
});

describe('access token and error bodies', () => {
  it('reads a Bearer header, else invalid_token with 401', async () => {
    expect(readBearerToken('Bearer czZCaGRSa3F0MzpnWDFmQmF0M2JW')).toBe('czZCaGRSa3F0MzpnWDFmQmF0M2JW');
    const e = await errorOf(() => readBearerToken('Basic abc'));
    expect(e).toMatchObject({ code: 'invalid_token', check: 'access_token.malformed' });
    expect((await errorOf(() => readBearerToken(undefined))).check).toBe('access_token.missing');
  });

  it('the error body carries the code and a description that never echoes submitted values', () => {
    let caught: unknown;
    try {
      parseTokenRequest(
        `grant_type=${encodeURIComponent(PRE_AUTHORIZED_CODE_GRANT_TYPE)}&pre-authorized_code=SECRET-CODE&pre-authorized_code=SECRET-CODE`,
      );
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Oid4vciError);
    const body = oauthErrorBody(caught as Oid4vciError);
    expect(body.error).toBe('invalid_request');
    expect(JSON.stringify(body)).not.toContain('SECRET');
    expect(body.error_description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
    expect((caught as Oid4vciError).httpStatus).toBe(400);
    const quoted = oauthErrorBody(
      new Oid4vciError('invalid_proof', 'proof.decode', 'a "quoted" \\ text\nnext'),
    );
    expect(quoted.error_description).toBe("a 'quoted' ? text?next");
    expect(new Oid4vciError('invalid_client', 'token_request.client_id', 'x').httpStatus).toBe(401);
  });
});

describe('Credential Offer (Wallet)', () => {
  it('refuses offers that are not offers', async () => {
    expect(
      (
        await errorOf(() =>
          parseCredentialOffer({
            credential_issuer: 'http://issuer.example',
            credential_configuration_ids: ['a'],
          }),
        )
      ).check,
    ).toBe('credential_offer.decode');
    expect(
      (
        await errorOf(() =>
          parseCredentialOffer({
            credential_issuer: 'https://issuer.example',
            credential_configuration_ids: [],
          }),
        )
      ).code,
    ).toBe('invalid_request');
    expect(
      (
        await errorOf(() =>
          parseCredentialOffer({
            credential_issuer: 'https://issuer.example',
            credential_configuration_ids: ['a'],
            grants: {
              [PRE_AUTHORIZED_CODE_GRANT_TYPE]: {
                'pre-authorized_code': 'c',
                tx_code: { input_mode: 'emoji' },
              },
            },
          }),
        )
      ).check,
    ).toBe('credential_offer.decode');
  });
});
