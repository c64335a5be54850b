import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Binds `server` to `host:port` and resolves with the port bound (0 picks a free one). A taken port
 * rejects with what `portInUse` makes of it — each service's own error with its stable code — so the CLI
 * can say so plainly; any other failure rejects as it came.
 */
export function listenOn(
  server: Server,
  port: number,
  host: string,
  portInUse: (cause: NodeJS.ErrnoException) => Error,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(e.code === 'EADDRINUSE' ? portInUse(e) : e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stops listening and ends the open connections (keep-alive ones would hold the close otherwise). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((e) => (e ? reject(e) : resolve()));
    server.closeAllConnections();
  });
}
