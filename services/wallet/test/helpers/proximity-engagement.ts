/**
 * An ISO/IEC 18013-5 proximity session between a phone and a reader in tests, both halves real: the phone
 * (startProximityPresentation) listens on a loopback WebSocket (standing in for BLE/NFC) and shows its
 * device engagement naming it; the reader half of @mynakit/oid4vp scans that engagement, connects, and sends
 * `deviceRequest`; the phone accepts it and reads it for its consent screen. What comes back:
 *
 * - `handle` — the phone's session, accepted (answer or decline it);
 * - `summary` — the DeviceRequest as the consent screen shows it;
 * - `reader` and `response` — the reader's session and its pending answer (a rejection is already caught:
 *   await it where an answer, or a termination, is expected);
 * - `sent` — what the phone sent over the bearer, in order (nothing before the holder answers);
 * - `readerSocket` — the reader's end of the bearer, to end the reader's session from its side.
 *
 * Everything opened is closed by the `cleanups` the caller runs after each test.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  type MessageTransport,
  ProximityReaderSession,
  parseDeviceEngagementUri,
  webSocketRetrievalMethod,
  webSocketTransport,
  webSocketUrlOf,
} from '@mynakit/oid4vp';
import { WebSocket, WebSocketServer } from 'ws';
import { startProximityPresentation, type WalletDevice } from '../../src/index.js';

/** What the test runs once it is done (in reverse order). */
export type Cleanups = (() => Promise<void> | void)[];

/** Opens the session and lets the reader ask `deviceRequest` of `device` (see the file comment). */
export async function proximityEngagement(
  device: WalletDevice,
  deviceRequest: Uint8Array,
  cleanups: Cleanups,
) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as AddressInfo;
  const handle = startProximityPresentation({
    device,
    retrievalMethods: [webSocketRetrievalMethod(`ws://127.0.0.1:${port}`)],
  });
  const connection = once(server, 'connection').then(([s]) => {
    cleanups.push(() => (s as WebSocket).terminate());
    return s as WebSocket;
  });

  // The reader scans the QR content and connects to the transport it names.
  const scanned = parseDeviceEngagementUri(handle.qr);
  const readerSocket = new WebSocket(webSocketUrlOf(scanned) ?? '');
  await once(readerSocket, 'open');
  cleanups.push(() => readerSocket.terminate());
  const reader = new ProximityReaderSession({
    transport: webSocketTransport(readerSocket),
    deviceEngagement: scanned.bytes,
  });
  const response = reader.request(deviceRequest);
  response.catch(() => undefined); // awaited by the tests that expect an answer or its end

  // The phone's side of the bearer, recording what it sends.
  const base = webSocketTransport(await connection);
  const sent: Uint8Array[] = [];
  const transport: MessageTransport = {
    ...base,
    send: async (m) => {
      sent.push(m);
      await base.send(m);
    },
  };
  const summary = await handle.accept(transport);
  return { handle, summary, reader, response, sent, readerSocket };
}
