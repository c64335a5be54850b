/**
 * The records' Token Status Lists end to end: a record issued through the real OpenID4VCI flow carries
 * `status: {status_list: {idx, uri}}` and its row the partition, index and DS name; GET /status-lists/:p
 * serves a CWT that @mynakit/status-list verifies under the record IACA; a revocation (store.revocations,
 * emitted on the hub) shows as INVALID, a suspension as SUSPENDED, and verifyDeviceResponse with a status
 * checker fetching from the app fails `status.revocation`; ETag / If-None-Match → 304; max-age is the
 * seconds until iat + ttl on a fixed clock and the token is re-signed after it; a second app on the same
 * store serves the same bytes and ETag; the sample mDL carries no status.
 */
import { createHash } from 'node:crypto';
import {
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  type StatusChecker,
  verifyDeviceResponse,
  verifyIssuerSigned,
} from '@mynakit/mdoc';
import { mdocCredentialsOf, parseCredentialResponse } from '@mynakit/oid4vci';
import { checkReferencedStatus, STATUS_LIST_CWT_MEDIA_TYPE, verifyStatusListCwt } from '@mynakit/status-list';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerApp } from '../src/app.js';
import { RECORD_CONFIGURATION_ID, SAMPLE_MDL_CONFIGURATION_ID } from '../src/oid4vci/metadata.js';
import { RevocationHub } from '../src/revocation/revocation-hub.js';
import { STATUS_LIST_TTL_SECONDS } from '../src/status-lists/partition-publisher.js';
import type { Credential, NewCredential } from '../src/store/index.js';
import {
  type IssuerFixture,
  issuerFixture,
  NOW,
  obtain,
  offerFor,
  ORIGIN,
  pendingInstallation,
} from './helpers/oid4vci-fixture.js';

const TRANSCRIPT = new Uint8Array([0x83, 0xf6, 0xf6, 0xf6]);

let f: IssuerFixture;
let hub: RevocationHub;
let app: Hono;
beforeAll(async () => {
  f = await issuerFixture();
  hub = new RevocationHub();
  // The app under test hears this hub, as the service's own default one would be heard.
  app = createIssuerApp({ ...f.deps, hub });
});
afterAll(async () => {
  await f?.close();
});

function jpkiCredentials(): NewCredential[] {
  const serial = () => `7${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 30)}`;
  const notAfter = NOW.getTime() + 365 * 86_400_000;
  return [
    { kind: 'jpki-sign', serial: serial(), notAfter, bytes: new Uint8Array([0x30, 0x00]) },
    { kind: 'jpki-auth', serial: serial(), notAfter, bytes: new Uint8Array([0x30, 0x00]) },
  ];
}

/** An Android installation made active by its certificates, then the record (or mDL) through OpenID4VCI. */
async function issued(configurationId = RECORD_CONFIGURATION_ID) {
  const pending = await pendingInstallation(f, 'android');
  await f.store.installations.complete(pending.installationId, jpkiCredentials(), { now: f.now().getTime() });
  const { response, deviceKey } = await obtain(f, await offerFor(f, pending.installationId), configurationId);
  expect(response.status).toBe(200);
  const [bytes] = mdocCredentialsOf(parseCredentialResponse(await response.json()));
  const rows = await f.store.credentials.listByInstallation(pending.installationId);
  const row = rows.find((c) => c.kind === 'mdoc') as Credential;
  return { bytes: bytes as Uint8Array, deviceKey, row };
}

async function fetchList(path: string, headers: Record<string, string> = {}, on: Hono = app) {
  const res = await on.request(path, { headers });
  return { res, body: new Uint8Array(await res.arrayBuffer()) };
}

/** What a relying party wires: fetch the list from the app, check it under the record IACA. */
const checker: StatusChecker = async (reference, ctx) => {
  const { res, body } = await fetchList(new URL(reference.uri).pathname);
  return checkReferencedStatus({
    reference,
    ...(res.status === 200 ? { token: body } : { fetchError: `HTTP ${res.status}` }),
    trustAnchors: [f.hierarchy.mnc.iaca.der],
    now: ctx.now,
  });
};

async function statusAt(idx: number, uriPath: string): Promise<number | undefined> {
  const { body } = await fetchList(uriPath);
  const v = await verifyStatusListCwt(body, {
    trustAnchors: [f.hierarchy.mnc.iaca.der],
    now: f.now(),
    expectedUri: `${ORIGIN}${uriPath}`,
  });
  expect(v.ok).toBe(true);
  return v.list?.get(idx);
}

describe('a record issued through OpenID4VCI', () => {
  let record: Awaited<ReturnType<typeof issued>>;
  let idx: number;
  let path: string;
  beforeAll(async () => {
    record = await issued();
    const v = await verifyIssuerSigned(record.bytes, {
      trustAnchors: [f.hierarchy.mnc.iaca.certificate],
      now: f.now(),
      docType: JP_MNC_DOCTYPE,
    });
    const status = v.documents[0]?.mso?.status as { idx: number; uri: string };
    idx = status.idx;
    path = new URL(status.uri).pathname;
  });

  it('carries the MSO status reference, and its row the partition, index and DS name', async () => {
    expect(path).toBe(`/status-lists/${record.row.statusListPartition}`);
    expect(record.row.statusListPartition).toBe(0);
    expect(record.row.statusListIndex).toBe(idx);
    expect(record.row.issuerCertificate).toBe(f.hierarchy.mnc.documentSigner.name);
    expect(idx).toBeGreaterThanOrEqual(0);
    expect(idx).toBeLessThan(2 ** 20);
  });

  it('is VALID in the served list, signed by the status-list signer (typ, sub, ttl, 2 bits)', async () => {
    const { res, body } = await fetchList(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(STATUS_LIST_CWT_MEDIA_TYPE);
    expect(res.headers.get('etag')).toBe(`"${createHash('sha256').update(body).digest('base64url')}"`);
    const v = await verifyStatusListCwt(body, {
      trustAnchors: [f.hierarchy.mnc.iaca.der],
      now: f.now(),
      expectedUri: `${ORIGIN}${path}`,
    });
    expect(v.ok).toBe(true);
    expect(v.ttl).toBe(STATUS_LIST_TTL_SECONDS);
    expect(v.list?.bits).toBe(2);
    expect(v.list?.size).toBe(2 ** 20);
    expect(
      Buffer.from(v.signerCertificate ?? []).equals(Buffer.from(f.hierarchy.mnc.statusListSigner.der)),
    ).toBe(true);
    expect(v.list?.get(idx)).toBe(0);
    const check = await checker({ idx, uri: `${ORIGIN}${path}` }, { now: f.now() } as never);
    expect(check.status).toBe('passed');
  });

  it('answers 304 to If-None-Match with its ETag, and the same token to a second instance', async () => {
    const first = await fetchList(path);
    const etag = first.res.headers.get('etag') as string;
    const again = await fetchList(path, { 'if-none-match': etag });
    expect(again.res.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.res.headers.get('etag')).toBe(etag);
    expect((await fetchList(path, { 'if-none-match': '"other"' })).res.status).toBe(200);

    const second = createIssuerApp({ ...f.deps, hub: new RevocationHub() });
    const there = await fetchList(path, {}, second);
    expect(there.res.headers.get('etag')).toBe(etag);
    expect(Buffer.from(there.body).equals(Buffer.from(first.body))).toBe(true);
  });

  it('shows SUSPENDED after a hold and INVALID after revocation; verifyDeviceResponse fails status.revocation', async () => {
    const before = (await fetchList(path)).res.headers.get('etag');
    const held = await f.store.revocations.revoke([record.row.id], 'certificateHold', f.now().getTime());
    expect(held.change.statusListPartitions).toEqual([0]);
    hub.emit(held.change);
    // The hub alone gets the partition signed again, before any GET asks for it.
    let row = await f.store.statusLists.get(0);
    for (let i = 0; i < 500 && row?.signedVersion !== row?.version; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      row = await f.store.statusLists.get(0);
    }
    expect(row?.signedVersion).toBe(row?.version);
    expect(await statusAt(idx, path)).toBe(2);
    const afterHold = (await fetchList(path)).res.headers.get('etag');
    expect(afterHold).not.toBe(before);

    const revoked = await f.store.revocations.revoke([record.row.id], 'keyCompromise', f.now().getTime());
    // Not emitted here: the GET finds the partition's version moved on its own (another instance's change).
    expect(revoked.revoked.map((r) => r.id)).toEqual([record.row.id]);
    expect(await statusAt(idx, path)).toBe(1);

    const deviceResponse = await presentMdoc({
      documents: [record.bytes],
      request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: record.deviceKey,
      mode: 'signature',
    });
    const verdict = await verifyDeviceResponse(deviceResponse, {
      trustAnchors: [f.hierarchy.mnc.iaca.certificate],
      now: f.now(),
      sessionTranscriptBytes: TRANSCRIPT,
      statusChecker: checker,
    });
    const status = verdict.checks.find((c) => c.id === 'status.revocation');
    expect(status?.status).toBe('failed');
    expect(verdict.verdict).not.toBe('valid');
  });

  it('max-age counts down to iat + ttl on a fixed clock; past it the token is signed again', async () => {
    const served = await fetchList(path);
    const iat = Date.parse(served.res.headers.get('last-modified') as string);
    f.setNow(new Date(iat + 100_500));
    const later = await fetchList(path);
    expect(later.res.headers.get('cache-control')).toBe(`public, max-age=${STATUS_LIST_TTL_SECONDS - 101}`);
    expect(later.res.headers.get('etag')).toBe(served.res.headers.get('etag'));

    // At iat + ttl exactly the token is stale: signed again, with a new iat = now.
    f.setNow(new Date(iat + STATUS_LIST_TTL_SECONDS * 1000));
    const refreshed = await fetchList(path);
    expect(refreshed.res.headers.get('cache-control')).toBe(`public, max-age=${STATUS_LIST_TTL_SECONDS}`);
    expect(refreshed.res.headers.get('etag')).not.toBe(served.res.headers.get('etag'));
    expect(Date.parse(refreshed.res.headers.get('last-modified') as string)).toBeGreaterThan(iat);
    f.setNow(NOW);
  });

  it('lists the partitions; unknown or malformed partitions are 404 problems', async () => {
    const res = await app.request('/status-lists');
    const { statusLists } = (await res.json()) as {
      statusLists: {
        partition: number;
        uri: string;
        capacity: number;
        allocated: number;
        signedAt: string;
      }[];
    };
    expect(statusLists[0]).toMatchObject({
      partition: 0,
      uri: `${ORIGIN}/status-lists/0`,
      capacity: 2 ** 20,
    });
    expect(statusLists[0]?.allocated).toBeGreaterThanOrEqual(1);
    expect(typeof statusLists[0]?.signedAt).toBe('string');
    for (const bad of ['/status-lists/999', '/status-lists/01', '/status-lists/-1', '/status-lists/abc']) {
      const r = await app.request(bad);
      expect(r.status).toBe(404);
      expect(((await r.json()) as { code: string }).code).toBe('ISSUER_NOT_FOUND');
    }
  });
});

describe('the sample mDL', () => {
  it('carries no status reference, and its row names its DS', async () => {
    const mdl = await issued(SAMPLE_MDL_CONFIGURATION_ID);
    const v = await verifyIssuerSigned(mdl.bytes, {
      trustAnchors: [f.hierarchy.mdl.iaca.certificate],
      now: f.now(),
    });
    expect(v.documents[0]?.mso?.status).toBeUndefined();
    expect(mdl.row.statusListPartition).toBeNull();
    expect(mdl.row.issuerCertificate).toBe(f.hierarchy.mdl.documentSigner.name);
  });
});
