import { createCrl, generateKeyPair, parseCertificate, type ReasonFlag } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  combineRevocationAnswers,
  consultRevocationSources,
  createJpkiCaCertificate,
  createUserAuthenticationCertificate,
  crlDistributionPointOfCa,
  crlRevocationSource,
  formatName,
  inMemoryRevocationSource,
  type RevocationSource,
  userAuthenticationCrlDistributionPoint,
} from '../src/index.js';
import { openssl, tempDir } from './helpers/openssl.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
let ca: ReturnType<typeof parseCertificate>;
let caKey: ReturnType<typeof generateKeyPair>;
let tsukuba: ReturnType<typeof parseCertificate>;
let mito: ReturnType<typeof parseCertificate>;

beforeAll(() => {
  caKey = generateKeyPair('RSA-2048');
  ca = parseCertificate(
    createJpkiCaCertificate({
      purpose: 'userAuthentication',
      publicKey: caKey.publicKey,
      privateKey: caKey.privateKey,
      notBefore: new Date('2023-01-01T00:00:00Z'),
      notAfter: new Date('2033-01-01T00:00:00Z'),
    }),
  );
  const holder = generateKeyPair('RSA-2048');
  const issue = (municipality: string, userId: string) =>
    parseCertificate(
      createUserAuthenticationCertificate({
        issuer: { certificate: ca, privateKey: caKey.privateKey },
        publicKey: holder.publicKey,
        userId,
        crlPartition: { prefecture: 'Ibaraki-ken', municipality },
        notBefore: new Date('2025-01-01T00:00:00Z'),
        notAfter: new Date('2030-01-01T14:59:59Z'),
      }),
    );
  tsukuba = issue('Tsukuba-shi', 'TSUKUBA0000000000000001');
  mito = issue('Mito-shi', 'MITO0000000000000000002');
});

function partitionCrl(
  municipality: string,
  entries: { serialNumber: string }[],
  extra: { delta?: boolean; nextUpdate?: Date; onlySomeReasons?: ReasonFlag[] } = {},
): Uint8Array {
  return createCrl({
    issuer: { certificate: ca, privateKey: caKey.privateKey },
    thisUpdate: new Date(NOW.getTime() - DAY),
    nextUpdate: extra.nextUpdate ?? new Date(NOW.getTime() + DAY),
    crlNumber: 7,
    entries: entries.map((e) => ({
      ...e,
      revocationDate: new Date(NOW.getTime() - 2 * DAY),
      reason: 'keyCompromise' as const,
    })),
    issuingDistributionPoint: {
      fullName: [
        {
          type: 'directoryName',
          // The partition under the (sandbox) CA's own name, as the certificates name it.
          value: crlDistributionPointOfCa(ca, { prefecture: 'Ibaraki-ken', municipality }) ?? [],
        },
      ],
      onlyContainsUserCerts: true,
      ...(extra.onlySomeReasons ? { onlySomeReasons: extra.onlySomeReasons } : {}),
    },
    ...(extra.delta ? { deltaCrlIndicator: 6 } : {}),
  });
}

describe('CRL partitions by municipality', () => {
  it('OpenSSL reads the partition name of the CRL', () => {
    const der = partitionCrl('Tsukuba-shi', []);
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], { input: der }).toString();
    expect(text).toContain(
      'DirName:C = JP, O = mynakit sandbox, OU = sandbox user authentication CA, OU = CRL Distribution Points, OU = Ibaraki-ken, CN = Tsukuba-shi CRLDP',
    );
    // Under J-LIS's CA name the same function gives the real partition name (DOMAIN.md §3).
    expect(formatName(userAuthenticationCrlDistributionPoint('Ibaraki-ken', 'Tsukuba-shi'))).toBe(
      'C=JP, O=JPKI, OU=JPKI for user authentication, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP',
    );
  });

  it('the municipality partition speaks for its own certificates only', async () => {
    const src = crlRevocationSource(partitionCrl('Tsukuba-shi', [{ serialNumber: mito.serialNumber }]));
    expect((await src.check(tsukuba, ca, NOW)).status).toBe('good');
    // A Mito certificate listed on the Tsukuba partition is out of scope: not evidence either way.
    expect((await src.check(mito, ca, NOW)).status).toBe('unusable');
    const own = crlRevocationSource(partitionCrl('Mito-shi', [{ serialNumber: mito.serialNumber }]));
    expect(await own.check(mito, ca, NOW)).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
  });

  it('a delta CRL can say revoked but never good', async () => {
    const delta = crlRevocationSource(
      partitionCrl('Tsukuba-shi', [{ serialNumber: tsukuba.serialNumber }], { delta: true }),
    );
    expect((await delta.check(tsukuba, ca, NOW)).status).toBe('revoked');
    const emptyDelta = crlRevocationSource(partitionCrl('Tsukuba-shi', [], { delta: true }));
    expect((await emptyDelta.check(tsukuba, ca, NOW)).status).toBe('unusable');
  });

  it('a CRL for only some reasons can say revoked but never good', async () => {
    const some = (entries: { serialNumber: string }[]) =>
      crlRevocationSource(partitionCrl('Tsukuba-shi', entries, { onlySomeReasons: ['keyCompromise'] }));
    expect((await some([{ serialNumber: tsukuba.serialNumber }]).check(tsukuba, ca, NOW)).status).toBe(
      'revoked',
    );
    const answer = await some([]).check(tsukuba, ca, NOW);
    expect(answer.status).toBe('unusable');
    expect(answer.detail).toContain('only some reasons');
  });

  it('a stale or unreadable CRL is unusable', async () => {
    const stale = crlRevocationSource(
      partitionCrl('Tsukuba-shi', [], { nextUpdate: new Date(NOW.getTime() - 1000) }),
    );
    expect((await stale.check(tsukuba, ca, NOW)).status).toBe('unusable');
    const garbage = crlRevocationSource(new Uint8Array([1, 2, 3]));
    expect((await garbage.check(tsukuba, ca, NOW)).status).toBe('unusable');
  });

  it('passes a clock tolerance to the CRL check: a CRL a second past nextUpdate is good within a minute of it', async () => {
    const der = partitionCrl('Tsukuba-shi', [], { nextUpdate: new Date(NOW.getTime() - 1000) });
    expect((await crlRevocationSource(der).check(tsukuba, ca, NOW)).status).toBe('unusable');
    const tolerant = crlRevocationSource(der, 'CRL', { clockToleranceSeconds: 60 });
    expect((await tolerant.check(tsukuba, ca, NOW)).status).toBe('good');
  });
});

describe('combining revocation sources (one status.revocation check)', () => {
  const a = (status: 'good' | 'revoked' | 'unusable') => ({
    kind: 'test',
    source: `S-${status}`,
    status,
    detail: 'x',
  });
  it('revoked wins; else good; else undetermined', () => {
    expect(combineRevocationAnswers([a('good'), a('revoked')]).status).toBe('failed');
    expect(combineRevocationAnswers([a('unusable'), a('good')]).status).toBe('passed');
    expect(combineRevocationAnswers([a('unusable'), a('unusable')]).status).toBe('undetermined');
    expect(combineRevocationAnswers([]).status).toBe('undetermined');
    const c = combineRevocationAnswers([a('unusable'), a('good')]);
    expect(c.id).toBe('status.revocation');
    expect(c.detail).toContain('S-unusable: unusable');
    expect(c.detail).toContain('S-good: good');
  });

  it('a source that throws is unusable, never good', async () => {
    const broken: RevocationSource = {
      kind: 'test',
      label: 'broken',
      check: async () => {
        throw new Error('boom');
      },
    };
    const answers = await consultRevocationSources([broken], tsukuba, ca, NOW);
    expect(answers[0]?.status).toBe('unusable');
    expect(combineRevocationAnswers(answers).status).toBe('undetermined');
  });

  it('in-memory table: listed, unlisted, other issuer', async () => {
    const table = inMemoryRevocationSource({
      issuer: ca,
      entries: [
        {
          serialNumber: tsukuba.serialNumber,
          status: 'revoked',
          reason: 'affiliationChanged',
          revocationDate: new Date(NOW.getTime() - DAY),
        },
      ],
    });
    expect(await table.check(tsukuba, ca, NOW)).toMatchObject({
      status: 'revoked',
      reason: 'affiliationChanged',
    });
    expect((await table.check(mito, ca, NOW)).status).toBe('unusable');
    expect((await table.check(tsukuba, mito, NOW)).status).toBe('unusable');
    const complete = inMemoryRevocationSource({ issuer: ca, entries: [], complete: true });
    expect((await complete.check(mito, ca, NOW)).status).toBe('good');
  });
});
