import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves a request handler on 127.0.0.1 at a free port; returns its origin and a closer. */
export async function serveOnLoopback(
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ origin: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
