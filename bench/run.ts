/**
 * `npm run bench [-- name…]`: runs the benchmarks, prints a table and merges the figures into
 * bench/results/latest.json (a JSON array of {name, value, unit, ratio_to?}). Merging by name means a partial
 * run never drops another benchmark's figures.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './figure.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(here, 'results', 'latest.json');

const suites: Record<string, () => Promise<BenchFigure[]>> = {
  mdoc: async () => (await import('./mdoc.bench.js')).runMdocBench(),
  jpki: async () => (await import('./jpki.bench.js')).runJpkiBench(),
  'status-list': async () => (await import('./status-list.bench.js')).runStatusListBench(),
  issuer: async () => (await import('./issuer.bench.js')).runIssuerBench(),
  'issuer-ocsp': async () => (await import('./issuer-ocsp.bench.js')).runIssuerOcspBench(),
  'issuer-status': async () => (await import('./issuer-status.bench.js')).runIssuerStatusBench(),
  'verifier-http': async () => (await import('./verifier-http.bench.js')).runVerifierHttpBench(),
};

function format(f: BenchFigure): string {
  const v = Math.abs(f.value) >= 100 ? f.value.toFixed(0) : f.value.toPrecision(3);
  return `${f.name.padEnd(44)} ${v.padStart(14)} ${f.unit.padEnd(10)} ${f.ratio_to ? `(÷ ${f.ratio_to})` : ''}`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length > 0 ? wanted : Object.keys(suites);
  const unknown = names.filter((n) => !(n in suites));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(64);
  }
  console.log(
    `node ${process.version} · ${platform()}/${arch()} · ${cpus()[0]?.model ?? '?'} · ${cpus().length} cores`,
  );
  const figures: BenchFigure[] = [];
  let failed = false;
  for (const name of names) {
    console.log(`\n== ${name}`);
    try {
      const got = await suites[name]!();
      for (const f of got) console.log(format(f));
      figures.push(...got);
    } catch (e) {
      failed = true;
      console.error(`benchmark ${name} failed: ${(e as Error).stack ?? e}`);
    }
  }
  const previous: BenchFigure[] = existsSync(resultsFile)
    ? JSON.parse(readFileSync(resultsFile, 'utf8'))
    : [];
  const merged = new Map(previous.map((f) => [f.name, f]));
  for (const f of figures) merged.set(f.name, f);
  mkdirSync(dirname(resultsFile), { recursive: true });
  const sorted = [...merged.values()].sort((a, b) => a.name.localeCompare(b.name));
  writeFileSync(resultsFile, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`\nwrote ${figures.length} figure(s) to ${resultsFile}`);
  if (failed) process.exit(1);
}

await main();
