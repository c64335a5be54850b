/**
 * The sandbox bank's reader key (src/sandbox-reader-key.ts): the verifier makes it, the sandbox reader CA
 * certifies it from the CSR, and from then on the bank's sessions are signed (readerAuthAll, plus the
 * OpenID4VP request) — a phone trusting the reader CA names サンドボックス銀行 as the requester, and a
 * phone that does not trust it refuses the request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenedIssuer, openIssuer } from '@mynakit/issuer';
import { type OpenedVerifier, openVerifier } from '@mynakit/verifier';
import { openWalletDevice, readAnnexCRequest, type WalletDevice, WalletError } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandboxBank } from '../src/sandbox-bank.js';
import { issueSandboxReaderKey } from '../src/sandbox-reader-key.js';
import { DECLARED_JSON } from './helpers/bank-form.js';

const URL_ = 'http://127.0.0.1:8400';
const ADMIN = 'sandbox-reader-key-test-token';

describe('the sandbox bank signs its requests', () => {
  let dir: string;
  let issuer: OpenedIssuer;
  let verifier: OpenedVerifier;
  let trusting: WalletDevice;
  let untrusting: WalletDevice;
  let apiKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mynakit-sandbox-reader-'));
    issuer = await openIssuer({ dataDir: dir, origin: `${URL_}/issuer`, pinKdf: { N: 1024, r: 8, p: 1 } });
    verifier = await openVerifier({
      dataDir: dir,
      origin: `${URL_}/verifier`,
      adminToken: ADMIN,
      maintenanceIntervalMs: 0,
    });
    const bank = await ensureSandboxBank(verifier, issuer, ADMIN, URL_);
    apiKey = bank.apiKey;
    const subject = await issueSandboxReaderKey(verifier, issuer, ADMIN, bank.relyingPartyId);
    expect(subject).toContain('サンドボックス銀行');
    const roots = issuer.deps.hierarchy.reader.roots.map((c) => c.der);
    trusting = await openWalletDevice({
      dataDir: dir,
      deviceId: 'trusting',
      family: 'iphone',
      readerTrustAnchors: roots,
    });
    untrusting = await openWalletDevice({ dataDir: dir, deviceId: 'untrusting', family: 'android' });
  }, 180_000);
  afterAll(async () => {
    await trusting?.close();
    await untrusting?.close();
    await verifier?.close();
    await issuer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a phone trusting the sandbox reader CA names the bank; one that does not refuses', async () => {
    const res = await verifier.app.request('/sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      // The verifier's own session route: the bank's 取引時確認 carries the customer's declaration.
      body: JSON.stringify({ purpose: 'account-opening', origin: URL_, ...DECLARED_JSON }),
    });
    expect(res.status).toBe(201);
    const session = (await res.json()) as {
      request: { data: unknown };
      requests: { protocol: string }[];
      readerAuthentication: { form: string; readerCertificateSubject?: string };
    };
    expect(session.readerAuthentication.form).toBe('readerAuthAll');
    expect(session.requests.map((r) => r.protocol)).toEqual(['org-iso-mdoc', 'openid4vp-v1-signed']);
    const summary = await readAnnexCRequest({ device: trusting, data: session.request.data, origin: URL_ });
    expect(summary.reader.authentication).toBe('verified');
    expect(summary.reader.subject).toContain('サンドボックス銀行');
    expect(summary.reader.myNumberLegalBasis).toBeUndefined();
    await expect(
      readAnnexCRequest({ device: untrusting, data: session.request.data, origin: URL_ }),
    ).rejects.toSatisfy((e) => e instanceof WalletError && e.code === 'WALLET_READER_AUTH_INVALID');
  });
});
