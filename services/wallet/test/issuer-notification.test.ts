/**
 * The phone's OpenID4VCI notifications (OpenID4VCI 1.0 §11) against the real issuer app: a record verified
 * and stored is `credential_accepted`, one that fails the phone's checks is `credential_failure`, both
 * recorded in the issuer's event log (kind `oid4vci.notification`, the credential id and the event); an
 * issuer that refuses the notification (400) or fails on it (500) leaves the stored record installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type InstallInput,
  IssuerClient,
  installCredentials,
  notifyIssuer,
  type WalletDevice,
} from '../src/index.js';
import {
  cardPinsOf,
  ISSUER_ORIGIN,
  type IssuerEnvironment,
  issuerEnvironment,
} from './helpers/issuer-fixture.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const MDL = 'org.iso.18013.5.1.mDL';
const BIOMETRIC = { method: 'biometric', matched: true } as const;
const NOTIFICATION_PATH = '/oid4vci/notification';

let env: IssuerEnvironment;
beforeAll(async () => {
  env = await issuerEnvironment();
}, 120_000);
afterAll(async () => {
  await env?.close();
});

async function install(
  phone: WalletDevice,
  residentId: string,
  overrides: { [K in keyof InstallInput]?: InstallInput[K] | undefined } = {},
) {
  return installCredentials({
    device: phone,
    issuer: env.client,
    card: await env.card(residentId),
    cardPins: await cardPinsOf(env, residentId),
    liveness: { confirmed: true },
    newAuthPin: ['2468', '2468'],
    newSignaturePassword: ['PHONE2026', 'PHONE2026'],
    biometric: BIOMETRIC,
    trustAnchors: env.trustAnchors,
    jpkiTrust: env.jpkiTrust,
    ...overrides,
  } as InstallInput);
}

/** The notifications the issuer logged for a resident: credential id → events, oldest first. */
async function notificationsOf(residentId: string): Promise<Map<string, string[]>> {
  const events = await env.issuer.deps.store.events.listForResident(residentId);
  const byCredential = new Map<string, string[]>();
  for (const e of [...events].reverse()) {
    if (e.kind !== 'oid4vci.notification') continue;
    const id = String(e.detail.credentialId);
    byCredential.set(id, [...(byCredential.get(id) ?? []), String(e.detail.event)]);
  }
  return byCredential;
}

/** A client of the same issuer whose notification endpoint answers `status` instead; counts the tries. */
function clientAnswering(status: number): { client: IssuerClient; tries: () => number } {
  let tries = 0;
  const client = new IssuerClient({
    baseUrl: ISSUER_ORIGIN,
    fetch: (r) => {
      if (new URL(r.url).pathname !== NOTIFICATION_PATH) return env.issuer.app.fetch(r);
      tries++;
      return status >= 500
        ? new Response('upstream unavailable', { status })
        : Response.json(
            { error: 'invalid_notification_request' },
            { status, headers: { 'content-type': 'application/json' } },
          );
    },
  });
  return { client, tries: () => tries };
}

describe('OpenID4VCI notifications from the phone', () => {
  it('tells the issuer credential_accepted for each record stored, and the issuer logs it', async () => {
    const phone = await env.phone('iphone-notify-accepted', 'iphone');
    const lines: string[] = [];
    const result = await install(phone, 'sandbox-ordinary-female', {
      alsoRequest: [MDL],
      log: (l: string) => lines.push(l),
    });
    expect(result.documents.map((d) => d.docType)).toEqual([MNC, MDL]);
    const logged = await notificationsOf('sandbox-ordinary-female');
    for (const d of result.documents) {
      expect(d.notificationId).toBeDefined();
      expect(logged.get(d.notificationId as string), d.docType).toEqual(['credential_accepted']);
    }
    expect(lines).toEqual([]);
  }, 60_000);

  it('tells the issuer credential_failure when the record fails the phone’s checks, and keeps nothing', async () => {
    const phone = await env.phone('iphone-notify-failure', 'iphone');
    const before = await notificationsOf('sandbox-ordinary-male');
    // Only the mDL IACAs: the record's issuer signature has no trusted path (issuer.signature fails).
    const failure = install(phone, 'sandbox-ordinary-male', {
      trustAnchors: env.issuer.deps.hierarchy.mdl.iacas.map((c) => c.der),
    });
    await expect(failure).rejects.toMatchObject({ code: 'WALLET_CREDENTIAL_INVALID' });
    expect(await phone.store.documents.list(phone.id)).toEqual([]);
    const after = await notificationsOf('sandbox-ordinary-male');
    const fresh = [...after].filter(([id]) => !before.has(id));
    expect(fresh.map(([, events]) => events)).toEqual([['credential_failure']]);
    // The credential the issuer logged the failure for is the record it issued to this installation.
    const installation = await phone.store.installations.latest(phone.id);
    const issued = await env.issuer.deps.store.credentials.listByInstallation(installation?.id as string);
    const mdoc = issued.filter((c) => c.kind === 'mdoc').map((c) => c.id);
    expect(mdoc).toEqual([fresh[0]?.[0]]);
  }, 60_000);

  it.each([
    [500, 2, 'HTTP_500'],
    [400, 1, 'HTTP_400 invalid_notification_request'],
  ])(
    'an issuer answering %i to the notification leaves the record installed',
    async (status, tries, reason) => {
      const phone = await env.phone(`iphone-notify-${status}`, 'iphone');
      const resident = status === 500 ? 'sandbox-leap-day' : 'sandbox-heisei-first-day';
      const answering = clientAnswering(status);
      const lines: string[] = [];
      const result = await install(phone, resident, {
        issuer: answering.client,
        log: (l: string) => lines.push(l),
      });
      expect(result.state).toBe('active');
      expect(result.documents.map((d) => d.docType)).toEqual([MNC]);
      const held = await phone.store.documents.list(phone.id);
      expect(held.map((d) => `${d.docType}:${d.state}`)).toEqual([`${MNC}:active`]);
      // 5xx: tried once more (§11: the notification is idempotent); 4xx: the same answer again, not retried.
      expect(answering.tries()).toBe(tries);
      // The log names the event and the refusal only — nothing of the holder, not even the notification id.
      expect(lines).toEqual([
        `wallet: the issuer did not take the OpenID4VCI notification credential_accepted (${reason})`,
      ]);
      expect((await notificationsOf(resident)).size).toBe(0);
    },
    60_000,
  );

  it('answers, without throwing, what the issuer said of a notification with an unknown access token', async () => {
    const outcome = await notifyIssuer({
      issuer: env.client,
      endpoint: `${ISSUER_ORIGIN}${NOTIFICATION_PATH}`,
      accessToken: 'not-a-token',
      notificationId: 'no-such-credential',
      event: 'credential_deleted',
    });
    expect(outcome).toEqual({
      event: 'credential_deleted',
      delivered: false,
      reason: 'HTTP_401 invalid_token',
    });
  });
});
