/**
 * OpenID4VCI 1.0 against the issuer app, with the wallet half of @mynakit/oid4vci: metadata, the
 * pre-authorized code flow, key proofs with key attestations, and the record that comes out — checked by
 * @mynakit/mdoc (verifyIssuerSigned, and presented with presentMdoc then verifyDeviceResponse) and by
 * @owf/mdoc 0.6.0 as an independent oracle.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import {
  ISO_23220_NAMESPACE,
  isMyNumberCheckDigitValid,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  verifyDeviceResponse,
  verifyIssuerSigned,
} from '@mynakit/mdoc';
import {
  buildNotificationRequest,
  CACHE_CONTROL_NO_STORE,
  mdocCredentialsOf,
  parseAuthorizationServerMetadata,
  parseCredentialIssuerMetadata,
  parseCredentialResponse,
} from '@mynakit/oid4vci';
import { Holder, IssuerSigned } from '@owf/mdoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_DOCTYPE } from '../src/ca/sandbox-names.js';
import { RECORD_VALIDITY_MS } from '../src/records/issue-record.js';
import { MDL_NAMESPACE } from '../src/records/sample-mdl.js';
import type { NewCredential } from '../src/store/index.js';
import {
  credentialRequest,
  type IssuerFixture,
  issuerFixture,
  NOW,
  obtain,
  offerFor,
  ORIGIN,
  pendingInstallation,
} from './helpers/oid4vci-fixture.js';
import { owfOracle } from './helpers/oid4vci-owf-oracle.js';

let f: IssuerFixture;
beforeAll(async () => {
  f = await issuerFixture();
});
afterAll(async () => {
  await f?.close();
});

/** Placeholder JPKI certificates as the certificate step stages or stores them. */
function jpkiCredentials(): NewCredential[] {
  const serial = () => `7${randomBytes(15).toString('hex')}`;
  const notAfter = NOW.getTime() + 365 * 86_400_000;
  return [
    { kind: 'jpki-sign', serial: serial(), notAfter, bytes: new Uint8Array([0x30, 0x00]) },
    { kind: 'jpki-auth', serial: serial(), notAfter, bytes: new Uint8Array([0x30, 0x00]) },
  ];
}

/** An Android installation whose certificates completed it, and a fresh offer for the record. */
async function activeAndroid(resident: Parameters<typeof pendingInstallation>[2] = {}) {
  const pending = await pendingInstallation(f, 'android', resident);
  await f.store.installations.complete(pending.installationId, jpkiCredentials(), { now: NOW.getTime() });
  return { ...pending, ...(await offerFor(f, pending.installationId)) };
}

const SESSION_TRANSCRIPT = new Uint8Array([0x83, 0xf6, 0xf6, 0xf6]); // [null, null, null]: a test transcript

describe('metadata', () => {
  it('publishes the Credential Issuer Metadata with both mso_mdoc configurations (§12.2, Appendix A.2)', async () => {
    const res = await f.app.request('/.well-known/openid-credential-issuer');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      credential_configurations_supported: Record<
        string,
        {
          credential_signing_alg_values_supported: unknown[];
          credential_metadata: { display: { locale: string }[]; claims: unknown[] };
        }
      >;
    };
    const read = parseCredentialIssuerMetadata(body, ORIGIN);
    expect(read.credentialEndpoint).toBe(`${ORIGIN}/oid4vci/credential`);
    expect(read.nonceEndpoint).toBe(`${ORIGIN}/oid4vci/nonce`);
    expect(read.notificationEndpoint).toBe(`${ORIGIN}/oid4vci/notification`);
    expect([...read.configurations.keys()]).toEqual([JP_MNC_DOCTYPE, SANDBOX_DOCTYPE.mdl]);
    for (const id of [JP_MNC_DOCTYPE, SANDBOX_DOCTYPE.mdl]) {
      const c = body.credential_configurations_supported[id];
      if (c === undefined) throw new Error(`no configuration ${id}`);
      expect(c).toMatchObject({
        format: 'mso_mdoc',
        doctype: id,
        cryptographic_binding_methods_supported: ['cose_key'],
        credential_signing_alg_values_supported: [-7],
        proof_types_supported: {
          jwt: {
            proof_signing_alg_values_supported: ['ES256'],
            key_attestations_required: {
              key_storage: ['iso_18045_moderate'],
              user_authentication: ['iso_18045_moderate'],
            },
          },
        },
      });
      expect(typeof c.credential_signing_alg_values_supported[0]).toBe('number');
      expect(c.credential_metadata.display.map((d: { locale: string }) => d.locale)).toEqual(['ja', 'en']);
    }
    const claims = body.credential_configurations_supported[JP_MNC_DOCTYPE]?.credential_metadata.claims;
    expect(claims).toContainEqual(expect.objectContaining({ path: [JP_MNC_NAMESPACE, 'full_name_unicode'] }));
    expect(claims).toContainEqual(expect.objectContaining({ path: [ISO_23220_NAMESPACE, 'age_over_18'] }));
  });

  it('publishes the Authorization Server Metadata (RFC 8414) with anonymous pre-authorized access', async () => {
    const res = await f.app.request('/.well-known/oauth-authorization-server');
    const body = await res.json();
    const read = parseAuthorizationServerMetadata(body, ORIGIN);
    expect(read.tokenEndpoint).toBe(`${ORIGIN}/oid4vci/token`);
    expect(read.preAuthorizedGrantAnonymousAccessSupported).toBe(true);
    expect(read.grantTypesSupported).toEqual(['urn:ietf:params:oauth:grant-type:pre-authorized_code']);
  });

  it('lists every OpenID4VCI route in the OpenAPI document', async () => {
    const doc = (await (await f.app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of [
      '/.well-known/openid-credential-issuer',
      '/.well-known/oauth-authorization-server',
      '/oid4vci/token',
      '/oid4vci/nonce',
      '/oid4vci/credential',
      '/oid4vci/notification',
    ])
      expect(Object.hasOwn(doc.paths, p), p).toBe(true);
  });

  it('cannot be built for a plain-http origin off loopback (§12.2.1 requires https)', async () => {
    const { createIssuerApp } = await import('../src/app.js');
    expect(() =>
      createIssuerApp({ ...f.deps, config: { origin: 'http://issuer.example', sandbox: true } }),
    ).toThrow(TypeError);
  });
});

describe('the record through the pre-authorized code flow', () => {
  it('completes a pending iPhone installation with the record and its staged certificates', async () => {
    const pending = await pendingInstallation(f, 'iphone');
    await f.store.stagedCredentials.stage(pending.installationId, jpkiCredentials(), NOW.getTime());
    const { response, deviceKey, token } = await obtain(f, pending, JP_MNC_DOCTYPE);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(CACHE_CONTROL_NO_STORE);
    const parsed = parseCredentialResponse(await response.json());
    const [bytes] = mdocCredentialsOf(parsed);
    expect(bytes).toBeInstanceOf(Uint8Array);

    const installation = await f.store.installations.get(pending.installationId);
    expect(installation?.state).toBe('active');
    expect(installation?.keyAttestation).toMatch(/^ey/);
    const credentials = await f.store.credentials.listByInstallation(pending.installationId);
    expect(credentials.map((c) => c.kind).sort()).toEqual(['jpki-auth', 'jpki-sign', 'mdoc']);
    const record = credentials.find((c) => c.kind === 'mdoc');
    expect(parsed.notificationId).toBe(record?.id);
    expect(Buffer.from(record?.bytes ?? []).equals(Buffer.from(bytes as Uint8Array))).toBe(true);

    // Verified as issued: the sandbox IACA is the anchor, the device key is the attested proof key.
    const v = await verifyIssuerSigned(bytes as Uint8Array, {
      trustAnchors: [f.hierarchy.mnc.iaca.certificate],
      now: NOW,
      docType: JP_MNC_DOCTYPE,
    });
    expect(v.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(v.verdict).toBe('valid');
    const [doc] = v.documents;
    expect(doc?.mso?.digest).toBe(record?.msoDigest);
    expect(doc?.mso?.deviceKey).toMatchObject(
      createPublicKey(deviceKey).export({ format: 'jwk' }) as Record<string, string>,
    );
    expect(doc?.mso?.signed.getTime()).toBe(NOW.getTime());
    expect(doc?.mso?.validUntil.getTime()).toBeLessThanOrEqual(NOW.getTime() + RECORD_VALIDITY_MS);
    expect(doc?.mso?.validUntil.getTime()).toBeLessThanOrEqual(
      f.hierarchy.mnc.documentSigner.certificate.notAfter.getTime(),
    );
    expect(record?.notAfter).toBe(doc?.mso?.validUntil.getTime());
    const jp = doc?.elements[JP_MNC_NAMESPACE] as Record<string, unknown>;
    expect(jp.full_name_unicode).toBe('番号　花子');
    expect(isMyNumberCheckDigitValid(jp.individual_number_unicode as string)).toBe(true);

    // Presented by the holder's key and verified as a relying party would.
    const deviceResponse = await presentMdoc({
      documents: [bytes as Uint8Array],
      request: {
        docType: JP_MNC_DOCTYPE,
        elements: {
          [JP_MNC_NAMESPACE]: ['full_name_unicode', 'resident_address_unicode', 'portrait'],
          [ISO_23220_NAMESPACE]: ['age_over_18'],
        },
      },
      sessionTranscriptBytes: SESSION_TRANSCRIPT,
      deviceKey,
      mode: 'signature',
    });
    const presented = await verifyDeviceResponse(deviceResponse, {
      trustAnchors: [f.hierarchy.mnc.iaca.certificate],
      now: NOW,
      sessionTranscriptBytes: SESSION_TRANSCRIPT,
    });
    expect(presented.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(presented.verdict).toBe('valid');
    expect(presented.checks.find((c) => c.id === 'device.signature')?.status).toBe('passed');

    // @owf/mdoc decodes and verifies the same bytes with node:crypto underneath.
    await expect(
      Holder.verifyIssuerSigned(
        { issuerSigned: bytes as Uint8Array, trustedCertificates: [f.hierarchy.mnc.iaca.der], now: NOW },
        owfOracle,
      ),
    ).resolves.toBeUndefined();
    const owf = IssuerSigned.decode(bytes as Uint8Array);
    expect(owf.issuerAuth.mobileSecurityObject.docType).toBe(JP_MNC_DOCTYPE);
    expect(owf.getPrettyClaims(JP_MNC_NAMESPACE)).toMatchObject({
      full_name_unicode: '番号　花子',
      sex_unicode: '女',
    });

    // The wallet reports it kept the record (§11): logged, answered 204, idempotent.
    for (let i = 0; i < 2; i++) {
      const n = await credentialRequest(
        f,
        token,
        buildNotificationRequest({
          notificationId: parsed.notificationId as string,
          event: 'credential_accepted',
        }),
        '/oid4vci/notification',
      );
      expect(n.status).toBe(204);
    }
    const events = await f.store.events.listForResident(pending.residentId);
    expect(events.filter((e) => e.kind === 'oid4vci.notification')).toHaveLength(2);
    expect(events.some((e) => e.kind === 'oid4vci.credential_issued')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('番号');
  });

  it('adds the record later to an active Android installation, once', async () => {
    const active = await activeAndroid();
    const { response } = await obtain(f, active, JP_MNC_DOCTYPE);
    expect(response.status).toBe(200);
    const kinds = (await f.store.credentials.listByInstallation(active.installationId)).map((c) => c.kind);
    expect(kinds.sort()).toEqual(['jpki-auth', 'jpki-sign', 'mdoc']);

    const again = await obtain(f, await offerFor(f, active.installationId), JP_MNC_DOCTYPE);
    expect(again.response.status).toBe(400);
    expect(await again.response.json()).toMatchObject({ error: 'credential_request_denied' });
  });

  it('refuses the record to a pending Android installation: its certificates come first', async () => {
    const pending = await pendingInstallation(f, 'android');
    const { response } = await obtain(f, pending, JP_MNC_DOCTYPE);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'credential_request_denied' });
    expect((await f.store.installations.get(pending.installationId))?.state).toBe('pending');
  });

  it('refuses the record to a pending iPhone installation whose certificates are not issued yet', async () => {
    const pending = await pendingInstallation(f, 'iphone');
    const { response } = await obtain(f, pending, JP_MNC_DOCTYPE);
    expect(await response.json()).toMatchObject({ error: 'credential_request_denied' });
  });

  it('refuses the record to a holder whose card has no signature certificate (under 15)', async () => {
    const active = await activeAndroid({ birthDate: '2014-05-05', signatureCertificate: false });
    const { response } = await obtain(f, active, JP_MNC_DOCTYPE);
    expect(await response.json()).toMatchObject({ error: 'credential_request_denied' });
  });

  it('refuses a superseded installation: another device completed', async () => {
    const first = await activeAndroid();
    const second = await f.store.installations.begin(
      { residentId: first.residentId, family: 'android', cardId: first.cardId },
      NOW.getTime(),
    );
    await f.store.installations.complete(second.id, jpkiCredentials(), { now: NOW.getTime() });
    const { response } = await obtain(f, first, JP_MNC_DOCTYPE);
    expect(await response.json()).toMatchObject({ error: 'credential_request_denied' });
  });
});

describe('the sample mDL (sandbox)', () => {
  it('is issued to an active installation under its own IACA, once', async () => {
    const active = await activeAndroid();
    const { response } = await obtain(f, active, SANDBOX_DOCTYPE.mdl);
    expect(response.status).toBe(200);
    const [bytes] = mdocCredentialsOf(parseCredentialResponse(await response.json()));
    const v = await verifyIssuerSigned(bytes as Uint8Array, {
      trustAnchors: [f.hierarchy.mdl.iaca.certificate],
      now: NOW,
    });
    expect(v.verdict).toBe('valid');
    expect(v.documents[0]?.elements[MDL_NAMESPACE]).toMatchObject({
      family_name: 'BANGO',
      issuing_country: 'ZZ',
    });
    const wrongAnchor = await verifyIssuerSigned(bytes as Uint8Array, {
      trustAnchors: [f.hierarchy.mnc.iaca.certificate],
      now: NOW,
    });
    expect(wrongAnchor.verdict).toBe('invalid');
    await expect(
      Holder.verifyIssuerSigned(
        { issuerSigned: bytes as Uint8Array, trustedCertificates: [f.hierarchy.mdl.iaca.der], now: NOW },
        owfOracle,
      ),
    ).resolves.toBeUndefined();

    // The record still goes to the same installation, and the mDL is not issued twice.
    expect((await obtain(f, await offerFor(f, active.installationId), JP_MNC_DOCTYPE)).response.status).toBe(
      200,
    );
    const twice = await obtain(f, await offerFor(f, active.installationId), SANDBOX_DOCTYPE.mdl);
    expect(await twice.response.json()).toMatchObject({ error: 'credential_request_denied' });
  });

  it('is not issued to a pending installation', async () => {
    const pending = await pendingInstallation(f, 'iphone');
    const { response } = await obtain(f, pending, SANDBOX_DOCTYPE.mdl);
    expect(await response.json()).toMatchObject({ error: 'credential_request_denied' });
  });
});
