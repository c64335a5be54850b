/**
 * `/passkeys` — passkeys bound to the verified person (API key with the `rp` role: the relying party's
 * backend calls these and relays options and answers to and from its page, e.g. with
 * @mynakit/verifier-sdk's registerPasskey / signInWithPasskey):
 *
 * - `POST /passkeys/registration/options` `{sessionId, userName?, userDisplayName?, origin?}` →
 *   `{options, expiresAt}` for a session — DC API or JPKI signature — whose verification was valid, recent
 *   and unspent (proven-person.ts); `origin` names the page for a JPKI signature, which has none;
 * - `POST /passkeys/registration/verify` `{response}` → 201 `{accountId, credentialId, createdAt}`;
 * - `POST /passkeys/authentication/options` `{origin, accountId?}` → `{options, expiresAt}`;
 * - `POST /passkeys/authentication/verify` `{response}` → `{accountId, credentialId, stepUpRequired, verifiedAt}`;
 * - `GET /passkeys/accounts/:id`, `POST /passkeys/accounts/:id/step-up`,
 *   `POST /passkeys/accounts/:id/step-up/verify` `{sessionId}` → the account (step-up.ts).
 *
 * Bodies are bounded (the app's 64 KiB and each field's own bound) and validated by zod without echoing;
 * every refusal is a problem with a stable `VERIFIER_PASSKEY_…` code.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { authenticationOptions, verifyAuthentication } from './authentication.js';
import { PasskeyRepository } from './passkey-repository.js';
import { registrationOptions, verifyRegistration } from './registration.js';
import { accountView, completeStepUp, requestStepUp } from './step-up.js';

const SESSION_ID = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A base64url field of at most `max` characters. */
const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'base64url');
/** A label shown by the person's device: printable, no control characters. */
const Label = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'printable');
const Transport = z.string().regex(/^[a-z-]{1,32}$/);
const Extensions = z.record(z.string().max(64), z.unknown()).default({});

/** WebAuthn L3 §5.1 RegistrationResponseJSON (what @simplewebauthn/browser's startRegistration returns). */
const RegistrationResponseSchema = z
  .object({
    id: b64url(1400).min(1),
    rawId: b64url(1400).min(1),
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: b64url(8192),
      attestationObject: b64url(32_768),
      authenticatorData: b64url(32_768).optional(),
      transports: z.array(Transport).max(8).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: b64url(8192).optional(),
    }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: Extensions,
  })
  .meta({ id: 'RegistrationResponseJSON' });

/** WebAuthn L3 §5.1 AuthenticationResponseJSON (what startAuthentication returns). */
const AuthenticationResponseSchema = z
  .object({
    id: b64url(1400).min(1),
    rawId: b64url(1400).min(1),
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: b64url(8192),
      authenticatorData: b64url(32_768),
      signature: b64url(1400),
      userHandle: b64url(128).optional(),
    }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: Extensions,
  })
  .meta({ id: 'AuthenticationResponseJSON' });

const RegistrationOptionsBody = z
  .object({
    sessionId: SESSION_ID,
    userName: Label.optional(),
    userDisplayName: Label.optional(),
    origin: z.string().min(1).max(300).optional(),
  })
  .strict()
  .meta({ id: 'PasskeyRegistrationOptionsRequest' });
const RegistrationVerifyBody = z
  .object({ response: RegistrationResponseSchema })
  .strict()
  .meta({ id: 'PasskeyRegistrationVerifyRequest' });
const AuthenticationOptionsBody = z
  .object({ origin: z.string().min(1).max(300), accountId: z.string().regex(ACCOUNT_ID_PATTERN).optional() })
  .strict()
  .meta({ id: 'PasskeyAuthenticationOptionsRequest' });
const AuthenticationVerifyBody = z
  .object({ response: AuthenticationResponseSchema })
  .strict()
  .meta({ id: 'PasskeyAuthenticationVerifyRequest' });
const StepUpVerifyBody = z
  .object({ sessionId: SESSION_ID })
  .strict()
  .meta({ id: 'PasskeyStepUpVerifyRequest' });

const OptionsAnswer = z
  .object({
    options: z
      .record(z.string(), z.unknown())
      .describe('PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON'),
    expiresAt: z.string(),
  })
  .meta({ id: 'PasskeyOptions' });
const RegisteredAnswer = z
  .object({ accountId: z.string(), credentialId: z.string(), createdAt: z.string() })
  .meta({ id: 'RegisteredPasskey' });
const SignedInAnswer = z
  .object({
    accountId: z.string(),
    credentialId: z.string(),
    stepUpRequired: z.boolean(),
    verifiedAt: z.string(),
  })
  .meta({ id: 'PasskeySignIn' });
const AccountAnswer = z
  .object({
    accountId: z.string(),
    createdAt: z.string(),
    verifiedAt: z.string(),
    recordId: z.string(),
    stepUpRequired: z.boolean(),
    stepUpRequestedAt: z.string().nullable(),
    credentials: z.array(
      z.object({
        credentialId: z.string(),
        rpId: z.string(),
        transports: z.array(z.string()),
        backedUp: z.boolean(),
        createdAt: z.string(),
        lastUsedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'PasskeyAccount' });

/** Registers the `/passkeys` routes. */
export function registerPasskeyRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const rp = requireApiKey(deps.store, 'rp');
  const passkeys = new PasskeyRepository(deps.store.db);
  const security = ['apiKey'];
  const problem = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  const common = { 401: problem('No or unknown API key'), 403: problem('Not an rp key') };
  const ceremonyProblems = {
    400: problem(
      'Invalid body, unknown challenge, origin or RP ID mismatch, user not verified, or the response does not verify (VERIFIER_PASSKEY_…)',
    ),
    409: problem('The challenge was already used (VERIFIER_PASSKEY_CHALLENGE_USED)'),
    410: problem('The challenge has expired (VERIFIER_PASSKEY_CHALLENGE_EXPIRED)'),
  };
  const accountId = (id: string) => {
    if (!ACCOUNT_ID_PATTERN.test(id)) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such account');
    return id;
  };
  const json = (c: Context<VerifierEnv>, body: object, status: 200 | 201 = 200) => {
    c.header('Cache-Control', 'no-store');
    return c.json(body, status);
  };

  registry.add({
    method: 'post',
    path: '/passkeys/registration/options',
    operationId: 'passkeyRegistrationOptions',
    summary:
      'Options to create a passkey bound to the person a valid session (DC API or JPKI signature) just verified (that session only)',
    tags: ['passkeys'],
    requestBody: { mediaType: 'application/json', schema: RegistrationOptionsBody },
    responses: {
      200: {
        description: 'For @simplewebauthn/browser startRegistration({optionsJSON})',
        schema: OptionsAnswer,
      },
      400: problem('Invalid body, or an origin not configured (VERIFIER_ORIGIN_NOT_ALLOWED)'),
      ...common,
      404: problem('No such session'),
      409: problem(
        'The session has no valid verification (VERIFIER_PASSKEY_SESSION_NOT_VALID) or it was used (VERIFIER_PASSKEY_SESSION_USED)',
      ),
      410: problem('The verification is too old (VERIFIER_PASSKEY_OFFER_EXPIRED)'),
      422: problem(
        'The record names no person, or a JPKI user authentication (VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE)',
      ),
    },
    security,
  });
  app.post('/passkeys/registration/options', rp, validJson(RegistrationOptionsBody), async (c) => {
    const body = validated<z.output<typeof RegistrationOptionsBody>>(c);
    return json(c, await registrationOptions(deps, passkeys, c.get('caller'), body));
  });

  registry.add({
    method: 'post',
    path: '/passkeys/registration/verify',
    operationId: 'passkeyRegistrationVerify',
    summary: 'Verify the new passkey and create the account bound to the verified person',
    tags: ['passkeys'],
    requestBody: { mediaType: 'application/json', schema: RegistrationVerifyBody },
    responses: {
      201: { description: 'The account and its passkey', schema: RegisteredAnswer },
      ...ceremonyProblems,
      ...common,
      409: problem(
        'Challenge used, verification used (VERIFIER_PASSKEY_SESSION_USED) or passkey registered already',
      ),
    },
    security,
  });
  app.post('/passkeys/registration/verify', rp, validJson(RegistrationVerifyBody), async (c) => {
    const body = validated<z.output<typeof RegistrationVerifyBody>>(c);
    const response = body.response as unknown as RegistrationResponseJSON;
    return json(c, await verifyRegistration(deps, passkeys, c.get('caller'), response), 201);
  });

  registry.add({
    method: 'post',
    path: '/passkeys/authentication/options',
    operationId: 'passkeyAuthenticationOptions',
    summary: 'Options to sign in with a passkey on one of the relying party’s origins',
    tags: ['passkeys'],
    requestBody: { mediaType: 'application/json', schema: AuthenticationOptionsBody },
    responses: {
      200: { description: 'For startAuthentication({optionsJSON})', schema: OptionsAnswer },
      400: problem('Invalid body or origin not configured (VERIFIER_ORIGIN_NOT_ALLOWED)'),
      ...common,
      404: problem('No such account'),
    },
    security,
  });
  app.post('/passkeys/authentication/options', rp, validJson(AuthenticationOptionsBody), async (c) => {
    const body = validated<z.output<typeof AuthenticationOptionsBody>>(c);
    return json(c, await authenticationOptions(deps, passkeys, c.get('caller'), body));
  });

  registry.add({
    method: 'post',
    path: '/passkeys/authentication/verify',
    operationId: 'passkeyAuthenticationVerify',
    summary: 'Verify a passkey sign-in; answers the account id',
    tags: ['passkeys'],
    requestBody: { mediaType: 'application/json', schema: AuthenticationVerifyBody },
    responses: {
      200: { description: 'The account signed in', schema: SignedInAnswer },
      ...ceremonyProblems,
      ...common,
      404: problem('The passkey is not registered (VERIFIER_PASSKEY_CREDENTIAL_UNKNOWN)'),
      409: problem('Challenge used, or the counter went back (VERIFIER_PASSKEY_COUNTER_REGRESSION)'),
    },
    security,
  });
  app.post('/passkeys/authentication/verify', rp, validJson(AuthenticationVerifyBody), async (c) => {
    const body = validated<z.output<typeof AuthenticationVerifyBody>>(c);
    const response = body.response as unknown as AuthenticationResponseJSON;
    return json(c, await verifyAuthentication(deps, passkeys, c.get('caller'), response));
  });

  registry.add({
    method: 'get',
    path: '/passkeys/accounts/:id',
    operationId: 'getPasskeyAccount',
    summary: 'A passkey account: its binding, step-up state and passkeys (no personal data)',
    tags: ['passkeys'],
    responses: {
      200: { description: 'The account', schema: AccountAnswer },
      ...common,
      404: problem('No such account'),
    },
    security,
  });
  app.get('/passkeys/accounts/:id', rp, async (c) =>
    json(c, await accountView(passkeys, c.get('caller'), accountId(c.req.param('id')))),
  );

  registry.add({
    method: 'post',
    path: '/passkeys/accounts/:id/step-up',
    operationId: 'requestPasskeyStepUp',
    summary: 'Mark that the account needs a fresh card verification before a high-risk operation',
    tags: ['passkeys'],
    responses: {
      200: { description: 'The account', schema: AccountAnswer },
      ...common,
      404: problem('No such account'),
    },
    security,
  });
  app.post('/passkeys/accounts/:id/step-up', rp, async (c) =>
    json(c, await requestStepUp(deps, passkeys, c.get('caller'), accountId(c.req.param('id')))),
  );

  registry.add({
    method: 'post',
    path: '/passkeys/accounts/:id/step-up/verify',
    operationId: 'completePasskeyStepUp',
    summary: 'Complete the step-up with a new valid verification of the SAME person',
    tags: ['passkeys'],
    requestBody: { mediaType: 'application/json', schema: StepUpVerifyBody },
    responses: {
      200: { description: 'The account, bound to the new verification', schema: AccountAnswer },
      400: problem('Invalid body'),
      ...common,
      403: problem('Another person than the account’s (VERIFIER_PASSKEY_IDENTITY_MISMATCH)'),
      404: problem('No such account or session'),
      409: problem('No step-up pending, session not valid or already used'),
      410: problem('The verification is too old or older than the step-up request'),
      422: problem('The record names no person (VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE)'),
    },
    security,
  });
  app.post('/passkeys/accounts/:id/step-up/verify', rp, validJson(StepUpVerifyBody), async (c) => {
    const body = validated<z.output<typeof StepUpVerifyBody>>(c);
    const id = accountId(c.req.param('id'));
    return json(c, await completeStepUp(deps, passkeys, c.get('caller'), id, body.sessionId));
  });
}
