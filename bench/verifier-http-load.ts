/**
 * The load of `verifier-http.bench.ts`, run in a process of its own: `<plan.json>` names the verifier's URL,
 * the relying party's API key and page origin, the documents a phone holds (IssuerSigned + device key) and
 * how many verifications to run with how many in flight. Each verification is what a relying party's page
 * and a phone do: `POST /sessions`, the phone's Annex C answer (@mynakit/oid4vp createAnnexCPresentation:
 * presentMdoc over the dcapi transcript, HPKE-sealed to the session's key), `POST /sessions/{id}/response`.
 * Prints one JSON line: `{ done, seconds, latencies_ms: [...] , verdicts: {...} }`. Bounded: it stops after
 * `count` verifications or `maxSeconds`, whichever comes first.
 *
 * The client is node:http with a keep-alive pool, as a relying party's back end would hold one; the WHATWG
 * `fetch` of Node 20 (undici) spends about four times its CPU per request here, and on two cores the load's CPU
 * is taken from the verifier's.
 */

import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
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
const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
const target = new URL(plan.url);

/** One POST of a JSON body; resolves the status and the parsed JSON answer. */
function postJson(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${plan.apiKey}`,
          'content-type': 'application/json',
          'content-length': bytes.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              json: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}
const latencies: number[] = [];
const verdicts = new Map<string, number>();
let next = 0;
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const deadline = started + plan.maxSeconds * 1000;

async function one(i: number): Promise<void> {
  const t = performance.now();
  // The bank works under 犯収法: the customer's declaration comes with every 取引時確認.
  const opened = await postJson('/sessions', {
    purpose: 'account-opening',
    origin: plan.origin,
    transactionPurpose: { code: 'living-expenses' },
    occupation: { code: 'company-employee' },
  });
  const session = opened.json as { sessionId?: string; request?: { data: unknown }; code?: string };
  if (opened.status !== 201 && opened.status !== 200)
    throw new Error(`POST /sessions answered ${opened.status} ${String(session.code)}`);
  if (session.sessionId === undefined || session.request === undefined)
    throw new Error(`POST /sessions answered ${opened.status} without a session`);
  const doc = documents[i % documents.length] as StoredMdoc;
  const { response } = await createAnnexCPresentation({
    data: session.request.data,
    origin: plan.origin,
    documents: [doc],
  });
  const answered = await postJson(`/sessions/${session.sessionId}/response`, { response });
  const answer = answered.json as { verdict?: string; code?: string };
  // An answer without a verdict is counted under its problem code, so that a failed run says why.
  const verdict = answer.verdict ?? `error:${answer.code ?? answered.status}`;
  latencies.push(performance.now() - t);
  verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
}

async function worker(): Promise<void> {
  while (next < plan.count && performance.now() < deadline) await one(next++);
}

await Promise.all(Array.from({ length: plan.concurrency }, worker));
agent.destroy();
process.stdout.write(
  `${JSON.stringify({
    done: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies_ms: latencies,
    verdicts: Object.fromEntries(verdicts),
    // The load's own CPU (the phone's work and the HTTP client), ms per verification.
    cpu_ms_per_verification: (() => {
      const cpu = process.cpuUsage(cpuAtStart);
      return (cpu.user + cpu.system) / 1000 / Math.max(latencies.length, 1);
    })(),
  })}\n`,
);
