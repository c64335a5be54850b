/**
 * CRL publishing (RFC 5280 §5; DOMAIN.md §3 "Status"), public as J-LIS's CRLs are to relying parties:
 *
 *   GET /crl                                   JSON index: every partition with its issuing CA, the
 *                                              distribution point's directoryName and its URL
 *   GET /crl/{issuerCertificate}/{partition}   the partition's CRL, application/pkix-crl (RFC 2585 §4.2), DER
 *   GET /ca/{caName}.crl                       the CRL of a CA whose certificates carry that URL (mdoc IACAs,
 *                                              the reader root): complete, normally empty
 *
 * `issuerCertificate` is a JPKI CA generation's hierarchy name (`jpki-auth-ca-g0`), `partition` a
 * municipality's 6-digit code with its check digit (jpki-scopes.ts). A CRL may be fetched for any
 * well-formed partition of a current generation — one without revoked certificates is empty; anything else
 * is 404 problem+json. Responses carry a strong ETag (If-None-Match → 304), Last-Modified = thisUpdate and
 * Cache-Control max-age bounded by nextUpdate (crl-publisher.ts).
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { SandboxCertificate, SandboxHierarchy } from '../ca/sandbox-hierarchy.js';
import { SANDBOX_URL_PATH } from '../ca/sandbox-names.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { SANDBOX_MUNICIPALITIES } from '../residents/seed-residents.js';
import { type CrlScope, certificateStatusRepositoryOf } from '../store/certificate-status-repository.js';
import { CRL_VALIDITY_MS, CrlPublisher, crlMaxAgeSeconds, type PublishedCrl } from './crl-publisher.js';
import { canonicalPartition, jpkiCaIndexOf, partitionDistributionPoint } from './jpki-scopes.js';

/** RFC 2585 §4.2. */
export const CRL_MEDIA_TYPE = 'application/pkix-crl';

/** How long GET /crl reuses the list of scopes that hold certificates, ms. */
export const INDEX_CACHE_MS = 60_000;

/** At most this many partitions in the index (GET /crl). */
export const MAX_INDEXED_PARTITIONS = 10_000;

const CrlIndexSchema = z
  .object({
    validityHours: z.number().meta({ description: 'nextUpdate − thisUpdate of every CRL (a day, as J-LIS)' }),
    partitions: z.array(
      z.object({
        issuerCertificate: z.string().meta({ description: 'the issuing CA generation (hierarchy name)' }),
        purpose: z.enum(['signature', 'userAuthentication']),
        partition: z.string().meta({ description: 'municipality code, 6 digits with the check digit' }),
        distributionPoint: z
          .string()
          .meta({ description: "the certificates' CRL distribution point directoryName" }),
        url: z.string(),
      }),
    ),
    caCrls: z.array(z.object({ ca: z.string(), url: z.string() })),
  })
  .meta({ id: 'CrlIndex' });

const notFound = {
  404: {
    description: 'no such CA or partition',
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  },
} as const;

/** Registers /crl, /crl/{issuerCertificate}/{partition} and /ca/{caName}.crl. */
export function registerCrlRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const publisher = new CrlPublisher(deps);
  // The scopes that hold certificates change only as municipalities get their first certificate: read at
  // most once a minute (a DISTINCT over the credentials index).
  let scopeCache: { at: number; scopes: readonly CrlScope[] } | undefined;
  const origin = deps.config.origin.replace(/\/+$/, '');

  registry.add({
    method: 'get',
    path: '/crl',
    operationId: 'listCrls',
    summary:
      'The CRL partitions: each JPKI CA generation × municipality, with its distribution point and URL',
    tags: ['revocation'],
    responses: { 200: { description: 'the index', schema: CrlIndexSchema } },
  });
  app.get('/crl', async (c) => {
    const index = jpkiCaIndexOf(deps.hierarchy);
    const wanted = new Map<string, { name: string; partition: string }>();
    // The seeded municipalities under every generation, and every scope that has certificates.
    for (const g of index.generations)
      for (const m of SANDBOX_MUNICIPALITIES)
        wanted.set(`${g.name}/${m.code}`, { name: g.name, partition: m.code });
    const now = deps.clock().getTime();
    if (scopeCache === undefined || now - scopeCache.at > INDEX_CACHE_MS || now < scopeCache.at)
      scopeCache = {
        at: now,
        scopes: await certificateStatusRepositoryOf(deps.store.db).scopes(MAX_INDEXED_PARTITIONS),
      };
    const scopes = scopeCache.scopes;
    for (const s of scopes)
      if (index.byName.has(s.issuerCertificate) && canonicalPartition(s.crlPartition) === s.crlPartition)
        wanted.set(`${s.issuerCertificate}/${s.crlPartition}`, {
          name: s.issuerCertificate,
          partition: s.crlPartition,
        });
    const partitions = [];
    for (const [path, w] of [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (partitions.length >= MAX_INDEXED_PARTITIONS) break;
      const g = index.byName.get(w.name);
      const dp = g && partitionDistributionPoint(g, w.partition);
      if (g === undefined || dp === undefined) continue;
      partitions.push({
        issuerCertificate: g.name,
        purpose: g.purpose,
        partition: w.partition,
        distributionPoint: dp.name,
        url: `${origin}/crl/${path}`,
      });
    }
    const caCrls = [...caCrlsOf(deps.hierarchy).keys()].sort().map((ca) => ({
      ca,
      url: `${origin}${SANDBOX_URL_PATH.crl(ca)}`,
    }));
    return c.json({ validityHours: CRL_VALIDITY_MS / 3_600_000, partitions, caCrls });
  });

  registry.add({
    method: 'get',
    path: '/crl/:issuerCertificate/:partition',
    operationId: 'getCrl',
    summary: "A JPKI CA generation's CRL for one municipality partition (DER)",
    tags: ['revocation'],
    responses: {
      200: { description: 'the CRL', mediaType: CRL_MEDIA_TYPE },
      304: { description: 'not modified (If-None-Match)' },
      ...notFound,
    },
  });
  app.get('/crl/:issuerCertificate/:partition', async (c) => {
    const g = jpkiCaIndexOf(deps.hierarchy).byName.get(c.req.param('issuerCertificate'));
    const partition = canonicalPartition(c.req.param('partition'));
    if (g === undefined || partition === undefined || partition !== c.req.param('partition'))
      throw new IssuerError(
        'ISSUER_NOT_FOUND',
        'no such CRL: name a current JPKI CA and a 6-digit municipality code',
      );
    return serveCrl(c, await publisher.jpki(g, partition), deps.clock().getTime());
  });

  registry.add({
    method: 'get',
    path: '/ca/:file',
    operationId: 'getCaCrl',
    summary: "A CA's CRL at the URL baked into its certificates (`/ca/<caName>.crl`; DER)",
    tags: ['revocation'],
    responses: {
      200: { description: 'the CRL', mediaType: CRL_MEDIA_TYPE },
      304: { description: 'not modified (If-None-Match)' },
      ...notFound,
    },
  });
  app.get('/ca/:file', async (c) => {
    const file = c.req.param('file');
    const ca = file.endsWith('.crl') ? caCrlsOf(deps.hierarchy).get(file.slice(0, -4)) : undefined;
    if (ca === undefined) throw new IssuerError('ISSUER_NOT_FOUND', 'no such CRL');
    return serveCrl(c, await publisher.ofCa(ca), deps.clock().getTime());
  });
}

function serveCrl(c: Context, crl: PublishedCrl, now: number): Response {
  const headers = {
    etag: crl.etag,
    'last-modified': crl.thisUpdate.toUTCString(),
    'cache-control': `public, max-age=${crlMaxAgeSeconds(crl, now)}`,
  };
  const match = c.req.header('if-none-match');
  if (match?.split(',').some((t) => t.trim() === crl.etag || t.trim() === '*'))
    return c.body(null, 304, headers);
  return c.body(crl.der as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': CRL_MEDIA_TYPE });
}

const caCrls = new WeakMap<SandboxHierarchy, ReadonlyMap<string, SandboxCertificate>>();

/**
 * The CAs whose CRL URL `<baseUrl>/ca/<name>.crl` is written into a certificate of the hierarchy (their
 * own, or one they issued), by name.
 */
export function caCrlsOf(hierarchy: SandboxHierarchy): ReadonlyMap<string, SandboxCertificate> {
  const known = caCrls.get(hierarchy);
  if (known !== undefined) return known;
  const all: SandboxCertificate[] = [
    ...hierarchy.mnc.iacas,
    hierarchy.mnc.documentSigner,
    hierarchy.mnc.statusListSigner,
    ...hierarchy.mdl.iacas,
    hierarchy.mdl.documentSigner,
    ...hierarchy.reader.roots,
    ...hierarchy.attestation.roots,
    hierarchy.attestation.ca,
    ...hierarchy.jpki.signature.cas,
    ...hierarchy.jpki.userAuthentication.cas,
  ];
  const byName = new Map(all.map((s) => [s.name, s]));
  const prefix = `${hierarchy.baseUrl}/ca/`;
  const out = new Map<string, SandboxCertificate>();
  for (const s of all)
    for (const dp of s.certificate.crlDistributionPoints) {
      const names =
        dp.distributionPoint && 'fullName' in dp.distributionPoint ? dp.distributionPoint.fullName : [];
      for (const n of names) {
        if (
          n.type !== 'uniformResourceIdentifier' ||
          !n.value.startsWith(prefix) ||
          !n.value.endsWith('.crl')
        )
          continue;
        const ca = byName.get(n.value.slice(prefix.length, -4));
        if (ca !== undefined && ca.certificate.basicConstraints?.ca === true) out.set(ca.name, ca);
      }
    }
  caCrls.set(hierarchy, out);
  return out;
}
