/**
 * The guide "Verify a card-substitute record sent by a phone to your web page" (docs/guide/, English and
 * Japanese) shows only code a test runs: every ```ts block of each guide is one `#region` of the example
 * files (docs/guide/examples/), and each guide shows every region. The examples then run end to end against
 * the sandbox: a relying party created from the sandbox's files, the backend served on loopback, the page's
 * code calling @mynakit/verifier-sdk with the sandbox's iPhone standing in for the OS wallet behind the
 * Digital Credentials API (the wallet engine answers the real request for the page's real origin).
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { closeServer, listenOn } from '@mynakit/http-kit';
import { type RunningSandbox, startSandbox } from '@mynakit/sandbox';
import { presentAnnexC, readAnnexCRequest, type WalletDevice } from '@mynakit/wallet';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKycBackend, type VerifierReport } from '../../docs/guide/examples/backend.js';
import { type Declared, openAccount } from '../../docs/guide/examples/page.js';
import { createRelyingParty } from '../../docs/guide/examples/setup.js';

/** The customer's answers on the page's form: 生計費決済, 会社員. */
const DECLARED: Declared = {
  transactionPurpose: { code: 'living-expenses' },
  occupation: { code: 'company-employee' },
};

const root = fileURLToPath(new URL('../../', import.meta.url));
const GUIDES = [
  'docs/guide/verify-a-card-substitute-record.md',
  'docs/guide/verify-a-card-substitute-record.ja.md',
];
const EXAMPLES = [
  'docs/guide/examples/setup.ts',
  'docs/guide/examples/backend.ts',
  'docs/guide/examples/page.ts',
];

/** Removes the common indentation of a block. */
function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The `// #region name` … `// #endregion name` blocks of the example files, dedented. */
function regions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of EXAMPLES) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/^[ \t]*\/\/ #region ([\w-]+)\n([\s\S]*?)^[ \t]*\/\/ #endregion \1$/gm))
      out.set(m[1] as string, dedent(m[2] as string));
  }
  return out;
}

/** The ```ts blocks of a guide. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => dedent(m[1] as string));
}

describe('the guide’s snippets', () => {
  const known = regions();
  it('has the regions it shows', () => {
    expect([...known.keys()].sort()).toEqual(
      ['create-relying-party', 'open-session', 'submit-answer', 'verify-from-page'].sort(),
    );
  });
  for (const guide of GUIDES)
    it(`${guide}: every ts block is a region of the examples, and every region is shown`, () => {
      const blocks = tsBlocks(readFileSync(join(root, guide), 'utf8'));
      const shown = new Set<string>();
      for (const block of blocks) {
        const name = [...known].find(([, body]) => body === block)?.[0];
        expect(name, `a block not taken from the examples:\n${block.slice(0, 200)}`).toBeDefined();
        shown.add(name as string);
      }
      expect([...shown].sort()).toEqual([...known.keys()].sort());
    });
});

describe('the guide’s code against the sandbox', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-guide-'));
  let sandbox: RunningSandbox;
  let backendServer: Server;
  let backend: Hono | undefined;
  let pageOrigin: string;
  let iphone: WalletDevice;
  const verified: VerifierReport[] = [];
  /** What the stand-in OS wallet does with the next request. */
  let walletAnswers: 'present' | 'decline' = 'present';
  const saved = {
    location: Object.getOwnPropertyDescriptor(globalThis, 'location'),
    navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'),
    DigitalCredential: Object.getOwnPropertyDescriptor(globalThis, 'DigitalCredential'),
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
    iphone = sandbox.phones.find((p) => p.id === 'iphone') as WalletDevice;
    const installed = await fetch(`${sandbox.url}/wallet/phones/iphone/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        residentId: 'sandbox-ordinary-female',
        newAuthPin: '1234',
        newAuthPinAgain: '1234',
        newSignaturePassword: 'GUIDE2026',
        newSignaturePasswordAgain: 'GUIDE2026',
        liveness: 'confirmed',
      }).toString(),
      redirect: 'manual',
    });
    expect(installed.status).toBe(303);
    backendServer = createAdaptorServer({
      fetch: (request) => (backend ? backend.fetch(request) : new Response('starting', { status: 503 })),
    }) as Server;
    const port = await listenOn(backendServer, 0, '127.0.0.1', (cause) => cause as Error);
    pageOrigin = `http://127.0.0.1:${port}`;
    // The browser the page runs in: its location, and a Digital Credentials API whose wallet is the
    // sandbox's iPhone (consenting to exactly what is asked, the owner's biometric matched).
    const define = (name: string, value: unknown) =>
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    define('location', new URL(`${pageOrigin}/`));
    define('DigitalCredential', class DigitalCredential {});
    define('navigator', {
      credentials: {
        get: async (options: { digital: { requests: { protocol: string; data: unknown }[] } }) => {
          if (walletAnswers === 'decline') throw new DOMException('The holder declined', 'NotAllowedError');
          const request = options.digital.requests.find((r) => r.protocol === 'org-iso-mdoc');
          const asked = await readAnnexCRequest({ device: iphone, data: request?.data, origin: pageOrigin });
          const consent: Record<string, Record<string, string[]>> = {};
          for (const doc of asked.documents) {
            const approved: Record<string, string[]> = {};
            for (const e of doc.elements) {
              if (!e.held || e.withheld !== undefined) continue;
              const list = approved[e.namespace] ?? [];
              list.push(e.identifier);
              approved[e.namespace] = list;
            }
            consent[doc.docType] = approved;
          }
          const { response } = await presentAnnexC({
            device: iphone,
            data: request?.data,
            origin: pageOrigin,
            consent,
            userAuthentication: { method: 'biometric', matched: true },
          });
          return { protocol: 'org-iso-mdoc', data: { response } };
        },
      },
    });
  }, 120_000);

  afterAll(async () => {
    for (const [name, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
    if (backendServer) await closeServer(backendServer);
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the relying party, serves the backend, and the page verifies the phone’s record', async () => {
    const party = await createRelyingParty(sandbox.url, dataDir, pageOrigin);
    expect(party.apiKey).toMatch(/^mvk_/);
    backend = createKycBackend({
      verifierUrl: `${sandbox.url}/verifier`,
      apiKey: party.apiKey,
      pageOrigin,
      onVerified: (report) => {
        verified.push(report);
      },
    });
    const outcome = await openAccount(DECLARED);
    expect(outcome).toEqual({ shown: 'verified', name: expect.stringContaining('　'), method: 'none' });
    expect(verified).toHaveLength(1);
    const report = verified[0] as VerifierReport;
    expect(report.checks.find((c) => c.id === 'status.revocation')?.status).toBe('passed');
    // Not certified, so no method is claimed (the reason is stable); the record was written.
    expect(report.methodReasons).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(report.recordId).toMatch(/^[0-9a-f-]{36}$/);
    // The page got the name, never My Number.
    expect(JSON.stringify(report.elements)).not.toContain('individual_number');
  }, 60_000);

  it('tells the page to try again when the holder declines', async () => {
    walletAnswers = 'decline';
    try {
      expect(await openAccount(DECLARED)).toEqual({ shown: 'try-again', code: 'declined' });
    } finally {
      walletAnswers = 'present';
    }
  });
});
