/**
 * Where a phone's answer goes when the verifier does not take it: a real HTTP server on 127.0.0.1 that
 * refuses every answer POSTed to it with one status (and counts them), or a port on 127.0.0.1 that nobody
 * listens on. A phone's network (`verifierFetch`) sends its POSTs there and everything else (the request
 * object) to the real verifier app, as if the verifier's host failed between reading the request and
 * taking the answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server on 127.0.0.1 refusing every request with `status`. */
export interface RefusingServer {
  readonly port: number;
  readonly status: number;
  /** How many answers (POSTs) reached it. */
  posts(): number;
  close(): Promise<void>;
}

function listening(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closing(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts a server on 127.0.0.1 that reads each request and answers `status` with a problem body. */
export async function refusingServer(status: number): Promise<RefusingServer> {
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') posts += 1;
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: status < 500 ? 'invalid_request' : 'server_error' }));
    });
  });
  const port = await listening(server);
  return { port, status, posts: () => posts, close: () => closing(server) };
}

/** Starts a server on 127.0.0.1 that reads each request and never answers it (until closed). */
export async function silentServer(): Promise<{ port: number; posts(): number; close(): Promise<void> }> {
  let posts = 0;
  const server = createServer((req) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') posts += 1;
    });
  });
  const port = await listening(server);
  return {
    port,
    posts: () => posts,
    close: () => {
      server.closeAllConnections();
      return closing(server);
    },
  };
}

/** A port on 127.0.0.1 that was free a moment ago and is closed now: a connection to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listening(server);
  await closing(server);
  return port;
}

/** A `verifierFetch` whose POSTs go to `port` on 127.0.0.1 (same path) and everything else to `rest`. */
export function postsTo(
  port: number,
  rest: (url: string, init?: RequestInit) => Promise<Response>,
): (url: string, init?: RequestInit) => Promise<Response> {
  return (url, init) => {
    if (init?.method !== 'POST') return rest(url, init);
    const u = new URL(url);
    return fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`, init);
  };
}
