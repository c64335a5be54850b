/**
 * The floor of `verifier.http.*`: what one Annex C verification over HTTP costs when nothing but its
 * unavoidable work is done, measured with the same load process (verifier-http-load.ts), the same documents and
 * the same concurrency as the verifier service.
 *
 * The floor server is a bare node:http server in the benchmark's process, with no framework, no database, no
 * relying-party authentication, no body validation, no KYC method and no verification record. It answers the two
 * requests of the service's API shape and does what no implementation can skip:
 *   POST /sessions                  a fresh P-256 recipient key, a 32-byte nonce, the EncryptionInfo and the
 *                                   DeviceRequest for the same elements the service asks (ISO/IEC 18013-7 Annex C)
 *   POST /sessions/{id}/response    the session taken once from memory, then @mynakit/oid4vp verifyAnnexCResponse:
 *                                   HPKE open over the dcapi transcript, verifyDeviceResponse (the same work as
 *                                   the in-process rate), the nonce consumed
 *
 * Its rate ÷ the in-process rate is the best `verifier.http.vs_inprocess` this machine can show for that load:
 * the HTTP exchanges and the HPKE open are part of every verification through the API but not of the in-process
 * rate, and on two cores the load process (the phone's HPKE seal and device signature, the HTTP client) shares
 * the CPU with the server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bytesToBase64url } from '@mynakit/cbor';
import { buildDeviceRequest, buildJpMncRequest, JP_MNC_DOCTYPE } from '@mynakit/mdoc';
import {
  encodeEncryptionInfo,
  InMemoryNonceStore,
  toP256PublicJwk,
  verifyAnnexCResponse,
} from '@mynakit/oid4vp';
import { KYC_RECORD_ELEMENTS } from '../services/verifier/src/sessions/requested-elements.js';
import { newSessionScalarKey } from '../services/verifier/src/sessions/session-key.js';

interface FloorSession {
  readonly encryptionInfo: string;
  readonly origin: string;
  readonly d: Uint8Array;
}

/** The bound on a request body (the service's own limit for an answer is larger; these answers are ~40 KB). */
const MAX_BODY = 1024 * 1024;

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

/** Starts the floor server on 127.0.0.1 (an ephemeral port); `close` stops it. */
export async function startVerifierFloorServer(input: {
  readonly trustAnchors: readonly Uint8Array[];
}): Promise<{ url: string; close: () => Promise<void> }> {
  const sessions = new Map<string, FloorSession>();
  const nonces = new InMemoryNonceStore();
  const itemsRequest = buildJpMncRequest({ elements: KYC_RECORD_ELEMENTS, intentToRetain: true });

  async function openSession(body: unknown): Promise<unknown> {
    const origin = (body as { origin?: unknown }).origin;
    if (typeof origin !== 'string') throw new Error('an origin is required');
    const key = newSessionScalarKey();
    const nonce = new Uint8Array(randomBytes(32));
    const info = encodeEncryptionInfo({ nonce, recipientPublicKey: toP256PublicJwk(key.publicPoint) });
    await nonces.issue({
      nonce: bytesToBase64url(nonce),
      purpose: 'annex-c',
      now: new Date(),
      ttlSeconds: 300,
    });
    const deviceRequest = bytesToBase64url(buildDeviceRequest({ docRequests: [itemsRequest] }));
    const sessionId = randomUUID();
    sessions.set(sessionId, { encryptionInfo: info.encoded, origin, d: key.d });
    return { sessionId, request: { data: { deviceRequest, encryptionInfo: info.encoded } } };
  }

  async function verifyAnswer(sessionId: string, body: unknown): Promise<unknown> {
    const session = sessions.get(sessionId);
    if (session === undefined) return undefined;
    sessions.delete(sessionId);
    const verified = await verifyAnnexCResponse(
      body as { response?: unknown },
      {
        encryptionInfo: session.encryptionInfo,
        origin: session.origin,
        recipientPrivateKey: session.d,
        docType: JP_MNC_DOCTYPE,
      },
      {
        mdoc: { trustAnchors: input.trustAnchors, now: new Date() },
        nonceStore: nonces,
        noncePurpose: 'annex-c',
      },
    );
    return { verdict: verified.verdict };
  }

  const server = createServer((req, res) => {
    const path = req.url ?? '';
    void (async () => {
      try {
        const body = await readJson(req);
        if (req.method === 'POST' && path === '/sessions') return answer(res, 201, await openSession(body));
        const m = /^\/sessions\/([0-9a-f-]{36})\/response$/.exec(path);
        if (req.method === 'POST' && m !== null) {
          const verified = await verifyAnswer(m[1] as string, body);
          return verified === undefined
            ? answer(res, 404, { code: 'NOT_FOUND' })
            : answer(res, 200, verified);
        }
        answer(res, 404, { code: 'NOT_FOUND' });
      } catch {
        answer(res, 400, { code: 'INVALID_INPUT' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
