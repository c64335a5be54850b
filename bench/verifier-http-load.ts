/**
 * The load of `verifier-http.bench.ts`, run in a process of its own: `<plan.json>` names the verifier's URL,
 * the relying party's API key and page origin, the documents a phone holds (IssuerSigned + device key) and
 * how many verifications to run with how many in flight. Each verification is what a relying party's page
 * and a phone do: `POST /sessions`, the phone's Annex C answer (@mynakit/oid4vp createAnnexCPresentation:
 * presentMdoc over the dcapi transcript, HPKE-sealed to the session's key), `POST /sessions/{id}/response`.
 * Prints one JSON line: `{ done, seconds, latencies_ms: [...] , verdicts: {...} }`. Bounded: it stops after
 * `count` verifications or `maxSeconds`, whichever comes first.
 */

import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createAnnexCPresentation, type StoredMdoc } from '@mynakit/oid4vp';

interface Plan {
  readonly url: string;
  readonly apiKey: string;
  readonly origin: string;
  readonly documents: readonly { issuerSigned: string; deviceKey: string }[];
  readonly count: number;
  readonly concurrency: number;
  readonly maxSeconds: number;
}

const plan = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Plan;
const documents: StoredMdoc[] = plan.documents.map((d, i) => ({
  id: `doc-${i}`,
  issuerSigned: new Uint8Array(Buffer.from(d.issuerSigned, 'base64')),
  deviceKey: createPrivateKey({ key: Buffer.from(d.deviceKey, 'base64'), format: 'der', type: 'pkcs8' }),
}));
const headers = { authorization: `Bearer ${plan.apiKey}`, 'content-type': 'application/json' };
const latencies: number[] = [];
const verdicts = new Map<string, number>();
let next = 0;
const started = performance.now();
const deadline = started + plan.maxSeconds * 1000;

async function one(i: number): Promise<void> {
  const t = performance.now();
  const opened = await fetch(`${plan.url}/sessions`, {
    method: 'POST',
    headers,
    // The bank works under 犯収法: the customer's declaration comes with every 取引時確認.
    body: JSON.stringify({
      purpose: 'account-opening',
      origin: plan.origin,
      transactionPurpose: { code: 'living-expenses' },
      occupation: { code: 'company-employee' },
    }),
  });
  const session = (await opened.json()) as { sessionId?: string; request?: { data: unknown }; code?: string };
  if (!opened.ok || session.sessionId === undefined || session.request === undefined)
    throw new Error(`POST /sessions answered ${opened.status} ${String(session.code)}`);
  const doc = documents[i % documents.length] as StoredMdoc;
  const { response } = await createAnnexCPresentation({
    data: session.request.data,
    origin: plan.origin,
    documents: [doc],
  });
  const answered = await fetch(`${plan.url}/sessions/${session.sessionId}/response`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ response }),
  });
  const answer = (await answered.json()) as { verdict?: string; code?: string };
  // An answer without a verdict is counted under its problem code, so that a failed run says why.
  const verdict = answer.verdict ?? `error:${answer.code ?? answered.status}`;
  latencies.push(performance.now() - t);
  verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
}

async function worker(): Promise<void> {
  while (next < plan.count && performance.now() < deadline) await one(next++);
}

await Promise.all(Array.from({ length: plan.concurrency }, worker));
process.stdout.write(
  `${JSON.stringify({
    done: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies_ms: latencies,
    verdicts: Object.fromEntries(verdicts),
  })}\n`,
);
