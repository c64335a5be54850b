/**
 * kill -9 in the middle of life events: a child process (life-events-crash-worker.ts) records life events
 * and supersessions against a SQLite file in a loop; the test kills it with SIGKILL right after it reported
 * some commits (so the kill lands inside a following transaction, not at a quiet moment), three times, then
 * reopens the file and checks that nothing is lost and nothing is half-done:
 * - every commit the worker reported is there;
 * - every credential's state is what the life events and supersessions recorded for it, replayed in order —
 *   so every life event has all its credentials changed with its reason, and every credential revoked has
 *   its life event or its supersession;
 * - no status-list partition's version is lower than the status changes recorded in it imply;
 * - every change of a credential has its notice in the credential's installation, numbered 1, 2, 3 …;
 * - every card a life event ended is revoked.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IssuerStore, openIssuerStore } from '../src/store/index.js';

const T0 = Date.UTC(2026, 11, 2);
const RESIDENTS = 24;
const PARTITIONS = [0, 1, 2];
/** Kill after this many reported commits, round by round. */
const ROUNDS = [
  { seed: 11, killAfter: 3 },
  { seed: 23, killAfter: 17 },
  { seed: 37, killAfter: 41 },
];
/** Steps a worker takes at most before it stops by itself. */
const ITERATIONS = 300;

const dir = mkdtempSync(join(tmpdir(), 'mynakit-life-events-crash-'));
const file = join(dir, 'issuer.sqlite');

async function seed(store: IssuerStore): Promise<void> {
  for (const partition of PARTITIONS)
    await store.db
      .insertInto('status_list_partitions')
      .values({
        partition,
        capacity: 1 << 30,
        allocated: 0,
        permutation_key: randomBytes(32),
        version: 0,
        signed_version: null,
        token: null,
        etag: null,
        signed_at: null,
        expires_at: null,
        created_at: T0,
      })
      .execute();
  for (let i = 0; i < RESIDENTS; i++) {
    const r = await store.residents.create(
      {
        id: `crash-${String(i).padStart(2, '0')}`,
        fullName: '試験\u3000花子',
        address: '東京都試験区見本町一丁目２番３号',
        birthDate: '1986-04-01',
        sex: 2,
        municipalityCode: '139904',
        municipalityName: '試験区',
      },
      T0,
    );
    await store.cards.create(
      {
        residentId: r.id,
        cardNumber: `C${randomBytes(8).toString('hex')}`,
        issuedAt: T0,
        expiresAt: T0 + 5 * 365 * 86_400_000,
        // Not read here: placeholders.
        signCert: new Uint8Array([0x30, 0x00]),
        authCert: new Uint8Array([0x30, 0x00]),
        signPasswordVerifier: 'placeholder',
        authPinVerifier: 'placeholder',
        supportPinVerifier: 'placeholder',
      },
      T0,
    );
    const inst = await store.installations.begin({ residentId: r.id, family: 'iphone' }, T0);
    const bytes = randomBytes(64);
    await store.installations.complete(
      inst.id,
      [
        {
          kind: 'mdoc',
          msoDigest: createHash('sha256').update(bytes).digest('hex'),
          notAfter: T0 + 86_400_000,
          bytes,
          statusListPartition: PARTITIONS[i % PARTITIONS.length] as number,
          statusListIndex: i,
        },
        { kind: 'jpki-sign', serial: randomBytes(16).toString('hex'), notAfter: T0 + 1, bytes },
        { kind: 'jpki-auth', serial: randomBytes(16).toString('hex'), notAfter: T0 + 1, bytes },
      ],
      { now: T0 },
    );
  }
}

/** Runs one worker; kills it with SIGKILL once it reported `killAfter` commits. Returns what it reported. */
async function round(seedValue: number, start: number, killAfter: number): Promise<string[]> {
  const worker = fileURLToPath(new URL('./life-events-crash-worker.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      tsx,
      worker,
      file,
      String(seedValue),
      String(start),
      String(ITERATIONS),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const reported: string[] = [];
  let buffered = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  child.stdout.on('data', (d) => {
    buffered += d;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('le ') || line.startsWith('sup ')) reported.push(line);
      if (reported.length >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    }
  });
  const { code, signal } = await closed;
  // Killed as planned, or (a slow machine never matters) finished by itself.
  if (signal !== 'SIGKILL') expect(code, err).toBe(0);
  expect(reported.length, err).toBeGreaterThanOrEqual(Math.min(killAfter, ITERATIONS));
  return reported;
}

interface Touch {
  at: number;
  action: 'revoke' | 'reinstate';
  reason: string | null;
  source: string;
}

describe('life events survive kill -9', () => {
  const reported: string[] = [];

  beforeAll(async () => {
    const store = await openIssuerStore({ url: `sqlite:${file}` });
    try {
      await seed(store);
    } finally {
      await store.close();
    }
    for (const [i, r] of ROUNDS.entries()) {
      // Rounds far apart in time: their instants (and status-list indexes) never meet.
      reported.push(...(await round(r.seed, T0 + (i + 1) * 1_000_000_000, r.killAfter)));
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no reported commit and leaves nothing half-done', async () => {
    const store = await openIssuerStore({ url: `sqlite:${file}` });
    try {
      const db = store.db;
      const lifeEvents = await db.selectFrom('life_events').selectAll().execute();
      const installations = await db.selectFrom('installations').selectAll().execute();
      const credentials = await db.selectFrom('credentials').selectAll().execute();
      const notices = await db
        .selectFrom('notices')
        .selectAll()
        .orderBy('installation_id')
        .orderBy('seq')
        .execute();
      const cards = new Map((await db.selectFrom('cards').selectAll().execute()).map((c) => [c.id, c]));
      const partitions = new Map(
        (await db.selectFrom('status_list_partitions').selectAll().execute()).map((p) => [
          Number(p.partition),
          Number(p.version),
        ]),
      );
      expect(lifeEvents.length).toBeGreaterThan(0);

      // Every reported commit is there.
      const eventIds = new Set(lifeEvents.map((e) => e.id));
      const installationById = new Map(installations.map((i) => [i.id, i]));
      for (const line of reported) {
        const [kind, id] = line.split(' ') as [string, string];
        if (kind === 'le') expect(eventIds.has(id), line).toBe(true);
        else expect(['active', 'superseded']).toContain(installationById.get(id)?.state);
      }

      // Replay: the touches each credential received, from life events and supersessions.
      const touches = new Map<string, Touch[]>();
      const touch = (id: string, t: Touch) => {
        const list = touches.get(id);
        if (list) list.push(t);
        else touches.set(id, [t]);
      };
      const touchedPartitions = new Map<number, Set<string>>();
      const credentialById = new Map(credentials.map((c) => [c.id, c]));
      const partitionTouched = (credentialId: string, source: string) => {
        const p = credentialById.get(credentialId)?.status_list_partition;
        if (p === null || p === undefined) return;
        const set = touchedPartitions.get(Number(p)) ?? new Set<string>();
        set.add(source);
        touchedPartitions.set(Number(p), set);
      };
      for (const e of lifeEvents) {
        const detail = JSON.parse(e.detail) as {
          revoked: { id: string; reason: string }[];
          reinstated: { id: string }[];
          endedCardId: string | null;
        };
        for (const c of detail.revoked) {
          touch(c.id, { at: Number(e.recorded_at), action: 'revoke', reason: c.reason, source: e.id });
          partitionTouched(c.id, e.id);
        }
        for (const c of detail.reinstated) {
          touch(c.id, { at: Number(e.recorded_at), action: 'reinstate', reason: null, source: e.id });
          partitionTouched(c.id, e.id);
        }
        if (detail.endedCardId !== null) expect(cards.get(detail.endedCardId)?.state).toBe('revoked');
      }
      for (const c of credentials) {
        if (c.revocation_reason !== 'superseded') continue;
        const inst = installationById.get(c.installation_id);
        expect(inst?.state, c.id).toBe('superseded');
        touch(c.id, {
          at: Number(inst?.ended_at),
          action: 'revoke',
          reason: 'superseded',
          source: `sup:${inst?.id}`,
        });
        partitionTouched(c.id, `sup:${inst?.id}`);
      }

      let revokedCount = 0;
      for (const c of credentials) {
        const list = (touches.get(c.id) ?? []).sort((a, b) => a.at - b.at);
        const last = list.at(-1);
        if (last === undefined || last.action === 'reinstate') {
          expect({ id: c.id, state: c.state, reason: c.revocation_reason }).toEqual({
            id: c.id,
            state: 'active',
            reason: null,
          });
        } else {
          revokedCount++;
          expect({ id: c.id, state: c.state, reason: c.revocation_reason, at: Number(c.revoked_at) }).toEqual(
            {
              id: c.id,
              state: 'revoked',
              reason: last.reason,
              at: last.at,
            },
          );
        }
        // Every change of the credential has its notice in its installation, at the same instant.
        for (const t of list) {
          const kinds =
            t.action === 'reinstate'
              ? ['credential.reinstated']
              : t.reason === 'certificateHold'
                ? ['credential.suspended']
                : ['credential.revoked'];
          const found = notices.some(
            (n) =>
              n.installation_id === c.installation_id &&
              Number(n.at) === t.at &&
              kinds.includes(n.kind) &&
              (JSON.parse(n.detail) as { credentials: { id: string }[] }).credentials.some(
                (x) => x.id === c.id,
              ),
          );
          expect(found, `${c.id} ${t.action} ${t.reason} at ${t.at}`).toBe(true);
        }
      }
      expect(revokedCount).toBeGreaterThan(0);

      // Notices numbered 1, 2, 3 … per installation, and each superseded phone told so.
      const seqs = new Map<string, number[]>();
      for (const n of notices)
        seqs.set(n.installation_id, [...(seqs.get(n.installation_id) ?? []), Number(n.seq)]);
      for (const [id, list] of seqs) expect(list, id).toEqual(list.map((_, i) => i + 1));
      for (const inst of installations)
        if (inst.state === 'superseded')
          expect(
            notices.some((n) => n.installation_id === inst.id && n.kind === 'installation.superseded'),
          ).toBe(true);

      // No partition's version lower than the transactions that changed a status in it.
      for (const [p, sources] of touchedPartitions)
        expect(partitions.get(p), `partition ${p}`).toBeGreaterThanOrEqual(sources.size);
    } finally {
      await store.close();
    }
  });
});
