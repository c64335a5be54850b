/**
 * issueRecord: signed by the sandbox document signer through the KeySource, bound to the device key, with
 * the validity capped by the DS certificate and the card, and the status-list hook written into the MSO.
 */
import { generateKeyPairSync } from 'node:crypto';
import { JP_MNC_DOCTYPE, verifyIssuerSigned } from '@mynakit/mdoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHierarchy } from '../src/ca/sandbox-hierarchy.js';
import { IssuerError } from '../src/errors.js';
import { issueRecord, RECORD_VALIDITY_MS } from '../src/records/issue-record.js';
import { recordNameSpaces } from '../src/records/record-name-spaces.js';
import type { Resident } from '../src/store/index.js';
import { CA_EPOCH, sandboxAt, type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

const RESIDENT: Resident = {
  id: 'records-issue-resident',
  fullName: '試験　太郎',
  fullNameKana: 'シケン　タロウ',
  address: '大阪府見本市試験町四丁目５番６号',
  birthDate: '1990-01-02',
  sex: 1,
  municipalityCode: '279903',
  municipalityName: '見本市',
  createdAt: 0,
};
const NOW = new Date(CA_EPOCH.getTime() + 86_400_000 + 123);
const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });

let dir: TempDataDir;
let h: SandboxHierarchy;
beforeAll(async () => {
  dir = tempDataDir();
  h = await sandboxAt(dir.path);
});
afterAll(() => dir?.remove());

const issue = (now: Date, extra: Partial<Parameters<typeof issueRecord>[1]> = {}) =>
  issueRecord(h, {
    docType: JP_MNC_DOCTYPE,
    nameSpaces: recordNameSpaces(RESIDENT, now),
    deviceKey: device.publicKey,
    now,
    ...extra,
  });

describe('issueRecord', () => {
  it('signs a record that verifies against the IACA, valid one year from the whole second it was signed', async () => {
    const r = await issue(NOW);
    const v = await verifyIssuerSigned(r.bytes, { trustAnchors: [h.mnc.iaca.certificate], now: NOW });
    expect(v.verdict).toBe('valid');
    const mso = v.documents[0]?.mso;
    const signed = Math.floor(NOW.getTime() / 1000) * 1000;
    expect(mso?.signed.getTime()).toBe(signed);
    expect(mso?.validFrom.getTime()).toBe(signed);
    expect(mso?.validUntil.getTime()).toBe(signed + RECORD_VALIDITY_MS);
    expect(mso?.digest).toBe(r.msoDigest);
    expect(mso?.status).toBeUndefined();
    expect(r.credential).toMatchObject({
      kind: 'mdoc',
      msoDigest: r.msoDigest,
      notAfter: signed + RECORD_VALIDITY_MS,
    });
    expect(r.credential.statusListIndex).toBeUndefined();
  });

  it('never outlives the document signer certificate', async () => {
    const dsEnd = h.mnc.documentSigner.certificate.notAfter.getTime();
    const late = new Date(dsEnd - 30 * 86_400_000);
    const r = await issue(late);
    expect(r.validUntil.getTime()).toBeLessThanOrEqual(dsEnd);
    expect(r.validUntil.getTime()).toBe(Math.floor(dsEnd / 1000) * 1000);
    const v = await verifyIssuerSigned(r.bytes, { trustAnchors: [h.mnc.iaca.certificate], now: late });
    expect(v.verdict).toBe('valid');
  });

  it('never outlives the card', async () => {
    const cardEnd = NOW.getTime() + 40 * 86_400_000 + 999;
    const r = await issue(NOW, { notAfterCap: cardEnd });
    expect(r.validUntil.getTime()).toBe(Math.floor(cardEnd / 1000) * 1000);
  });

  it('is ISSUER_CA_UNAVAILABLE when no validity remains or no signer exists for the docType', async () => {
    await expect(issue(NOW, { notAfterCap: NOW.getTime() })).rejects.toMatchObject({
      code: 'ISSUER_CA_UNAVAILABLE',
    });
    await expect(issue(NOW, { docType: 'org.example.other' })).rejects.toBeInstanceOf(IssuerError);
  });

  it('writes the status-list reference the hook allocates (draft-ietf-oauth-status-list §6.3)', async () => {
    const r = await issue(NOW, {
      status: { uri: 'https://issuer.example/status-lists/1', index: 4711, partition: 1 },
    });
    const v = await verifyIssuerSigned(r.bytes, { trustAnchors: [h.mnc.iaca.certificate], now: NOW });
    expect(v.documents[0]?.mso?.status).toEqual({
      idx: 4711,
      uri: 'https://issuer.example/status-lists/1',
    });
    expect(r.credential).toMatchObject({
      statusListIndex: 4711,
      statusListPartition: 1,
      issuerCertificate: h.mnc.documentSigner.name,
    });
  });
});
