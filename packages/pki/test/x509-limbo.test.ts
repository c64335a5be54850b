/**
 * The x509-limbo suite (C2SP/x509-limbo, vectors/x509-limbo) against `validateCertificatePath`.
 *
 * Every case a generic RFC 5280 validator can decide is run: anchors = `trusted_certs`, intermediates =
 * `untrusted_intermediates`, leaf = `peer_certificate`, `now` = `validation_time` (a fixed date when the
 * case leaves it to "now": the limbo certificates are valid 1970–2969). A certificate that does not parse
 * is a rejection. Not applicable: the `max-chain-depth` cases (no depth parameter) and the `webpki::san`
 * cases that fail only on the host name (host-name matching is the caller's, not path validation).
 *
 * Where we deliberately decide otherwise than the suite, the case is in the table of README.md
 * ("x509-limbo: cases decided otherwise"), with the reason. This test reads that table: a case listed
 * there must come out as the table says, every other case as the suite says, and the table must hold no
 * stale or inapplicable entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { hasVectors, vectorJson, vectorPath } from '@mynakit/test-vectors';
import { describe, expect, it } from 'vitest';
import { OID, parseCertificate, validateCertificatePath } from '../src/index.js';

interface LimboCase {
  readonly id: string;
  readonly features: readonly string[] | null;
  readonly trusted_certs: readonly string[];
  readonly untrusted_intermediates: readonly string[];
  readonly peer_certificate: string;
  readonly validation_time: string | null;
  readonly expected_result: 'SUCCESS' | 'FAILURE';
  readonly extended_key_usage: readonly string[] | null;
}

type Outcome = 'SUCCESS' | 'FAILURE';

/** Cases that fail only because the peer name does not match (RFC 6125 host-name matching). */
const HOST_NAME_CASES = new Set([
  'webpki::san::mismatch-domain-san',
  'webpki::san::mismatch-subdomain-san',
  'webpki::san::mismatch-subdomain-apex-san',
  'webpki::san::mismatch-apex-subdomain-san',
  'webpki::san::public-suffix-wildcard-san',
  'webpki::san::wildcard-embedded-leftmost-san',
  'webpki::san::wildcard-not-in-leftmost-san',
  'webpki::san::wildcard-match-across-labels-san',
  'webpki::san::wildcard-embedded-ulabel-san',
  'webpki::san::unicode-emoji-san',
  'webpki::san::no-san',
]);

const DEFAULT_NOW = new Date('2024-01-01T00:00:00Z');

/** The README table: `| \`case id\` | limbo expects | we decide | why |` (columns padded or not). */
function decidedOtherwise(): Map<string, { limbo: Outcome; ours: Outcome; why: string }> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('### x509-limbo: cases decided otherwise');
  expect(start, 'README.md has the x509-limbo table').toBeGreaterThan(0);
  const section = readme.slice(start).split(/\n#{2,3} /)[0]!;
  const table = new Map<string, { limbo: Outcome; ours: Outcome; why: string }>();
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(SUCCESS|FAILURE)\s*\|\s*(SUCCESS|FAILURE)\s*\|\s*(.+?)\s*\|$/.exec(
      line.trim(),
    );
    if (m === null) continue;
    expect(table.has(m[1]!), `${m[1]} is listed once`).toBe(false);
    table.set(m[1]!, { limbo: m[2] as Outcome, ours: m[3] as Outcome, why: m[4]!.trim() });
  }
  return table;
}

function loadCases(): { key: string; c: LimboCase }[] {
  const main = vectorJson<{ testcases: LimboCase[] }>('x509-limbo', 'limbo.json').testcases;
  const out = main.map((c) => ({ key: c.id, c }));
  // The newer real-world chains repeat ids of limbo.json: they are told apart by their folder.
  for (const f of readdirSync(vectorPath('x509-limbo', 'online-head')).sort()) {
    const j = vectorJson<LimboCase | { testcases: LimboCase[] }>('x509-limbo', 'online-head', f);
    for (const c of 'testcases' in j ? j.testcases : [j]) out.push({ key: `online-head/${c.id}`, c });
  }
  return out;
}

function applicable(c: LimboCase): boolean {
  return !(c.features ?? []).includes('max-chain-depth') && !HOST_NAME_CASES.has(c.id);
}

function run(c: LimboCase): { outcome: Outcome; why: string } {
  try {
    const r = validateCertificatePath({
      leaf: parseCertificate(c.peer_certificate),
      intermediates: c.untrusted_intermediates.map((p) => parseCertificate(p)),
      trustAnchors: c.trusted_certs.map((p) => parseCertificate(p)),
      now: c.validation_time === null ? DEFAULT_NOW : new Date(c.validation_time),
      ...(c.extended_key_usage?.includes('serverAuth') ? { requiredEku: OID.serverAuth } : {}),
    });
    return r.ok
      ? { outcome: 'SUCCESS', why: 'valid' }
      : { outcome: 'FAILURE', why: `${r.failure?.code}: ${r.failure?.detail}` };
  } catch (e) {
    return { outcome: 'FAILURE', why: `${(e as { code?: string }).code}: ${(e as Error).message}` };
  }
}

describe.skipIf(!hasVectors)('x509-limbo', () => {
  const cases = loadCases();
  const table = decidedOtherwise();
  const runnable = cases.filter(({ c }) => applicable(c));

  it('finds the suite: 149 cases, 133 applicable', () => {
    expect(cases).toHaveLength(149);
    expect(cases.length - runnable.length).toBe(16);
    expect(runnable).toHaveLength(133);
  });

  it('the README table lists only applicable cases, with the suite’s own expectation and a reason', () => {
    const byKey = new Map(runnable.map(({ key, c }) => [key, c]));
    for (const [key, t] of table) {
      const c = byKey.get(key);
      expect(c, `${key} is an applicable case`).toBeDefined();
      expect(t.limbo, key).toBe(c!.expected_result);
      expect(t.ours, key).not.toBe(t.limbo);
      expect(t.why.length, key).toBeGreaterThan(20);
    }
  });

  for (const { key, c } of runnable) {
    const listed = table.get(key);
    const want = listed?.ours ?? c.expected_result;
    it(`${key}: ${want}${listed ? ' (decided otherwise, see README)' : ''}`, () => {
      const got = run(c);
      expect(got.outcome, got.why).toBe(want);
    });
  }
});
