import { Oid4vpError } from '../errors.js';

/**
 * The proximity bearer, abstracted: ISO/IEC 18013-5 §8.3.3 carries whole SessionEstablishment /
 * SessionData messages over BLE, NFC or Wi-Fi Aware; the session code only needs "send one message"
 * and "receive the next one". Each bearer is an adapter to this interface.
 */
export interface MessageTransport {
  send(message: Uint8Array): Promise<void>;
  /** The next message; rejects with TRANSPORT_CLOSED when the peer is gone, or on `signal` abort. */
  receive(signal?: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * The subset of a WebSocket (the `ws` package's, or the WHATWG one with an adapter) the transport
 * uses. The socket is passed in already connected: opening connections is the caller's business.
 */
export interface WebSocketLike {
  send(data: Uint8Array, cb?: (err?: Error) => void): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(code?: number): void;
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) {
    const total = data.reduce((n: number, d: Uint8Array) => n + d.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const d of data as Uint8Array[]) {
      out.set(d, o);
      o += d.length;
    }
    return out;
  }
  return undefined;
}

/** A MessageTransport over a connected WebSocket: one binary WebSocket message per session message. */
export function webSocketTransport(socket: WebSocketLike): MessageTransport {
  const queue: Uint8Array[] = [];
  const waiters: { resolve: (m: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  let closed = false;
  const fail = () => {
    closed = true;
    for (const w of waiters.splice(0))
      w.reject(new Oid4vpError('TRANSPORT_CLOSED', 'the proximity connection closed'));
  };
  socket.on('message', (data: unknown, isBinary: boolean) => {
    const bytes = isBinary ? toBytes(data) : undefined;
    if (!bytes) return; // text frames are not session messages
    const w = waiters.shift();
    if (w) w.resolve(bytes);
    else queue.push(bytes);
  });
  socket.on('close', fail);
  socket.on('error', fail);
  return {
    send(message) {
      if (closed)
        return Promise.reject(new Oid4vpError('TRANSPORT_CLOSED', 'the proximity connection is closed'));
      return new Promise((resolve, reject) =>
        socket.send(message, (err) =>
          err ? reject(new Oid4vpError('TRANSPORT_CLOSED', 'send failed', { cause: err })) : resolve(),
        ),
      );
    },
    receive(signal) {
      const next = queue.shift();
      if (next) return Promise.resolve(next);
      if (closed)
        return Promise.reject(new Oid4vpError('TRANSPORT_CLOSED', 'the proximity connection is closed'));
      return new Promise((resolve, reject) => {
        const w = { resolve, reject };
        waiters.push(w);
        signal?.addEventListener(
          'abort',
          () => {
            const i = waiters.indexOf(w);
            if (i >= 0) waiters.splice(i, 1);
            reject(new Oid4vpError('TRANSPORT_CLOSED', 'receive aborted', { cause: signal.reason }));
          },
          { once: true },
        );
      });
    },
    async close() {
      if (!closed) {
        closed = true;
        socket.close(1000);
      }
    },
  };
}
