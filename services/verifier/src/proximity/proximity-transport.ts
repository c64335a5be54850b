/**
 * The reader's connection to a phone's proximity transport. mynakit simulates the ISO/IEC 18013-5 §8.3.3
 * bearer (BLE, NFC, Wi-Fi Aware) with a WebSocket the phone's DeviceEngagement names (@mynakit/oid4vp
 * webSocketRetrievalMethod); the address therefore comes from what the phone shows, and the verifier makes
 * no outbound connection of its choosing (ARCHITECTURE.md rule 9): only a loopback IP literal (127.0.0.0/8,
 * ::1) or a host on the deployment's explicit allow-list (VerifierConfig.proximityTransportHosts) is ever
 * connected to, without redirects, with a bounded message size and a deadline.
 */
import { isIPv4 } from 'node:net';
import { type MessageTransport, webSocketTransport } from '@mynakit/oid4vp';
import { WebSocket } from 'ws';
import { VerifierError } from '../errors.js';

/**
 * Largest session message accepted from the phone: a DeviceResponse with a portrait JPEG (well under
 * 1 MiB, as POST /sessions/:id/response bounds it), encrypted in SessionData.
 */
export const MAX_PROXIMITY_MESSAGE_BYTES = 2 * 1024 * 1024;

/** The longest URL an engagement may name (it is a few dozen bytes in practice). */
const MAX_URL_LENGTH = 512;

function isLoopbackHost(hostname: string): boolean {
  // WHATWG URL keeps IPv6 literals in brackets and writes IPv4 in dotted decimal (0x7f.1 → 127.0.0.1).
  if (hostname === '[::1]') return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}

/**
 * The transport URL of an engagement, if the verifier may connect to it: `ws:` or `wss:`, no credentials,
 * a loopback IP literal or an allow-listed host (`host` or `host:port`, compared in lower case).
 * VERIFIER_PROXIMITY_ENGAGEMENT_INVALID for no usable URL, VERIFIER_PROXIMITY_HOST_NOT_ALLOWED for any other host.
 */
export function allowedTransportUrl(address: string, allowList: readonly string[] = []): URL {
  let url: URL;
  try {
    if (address.length > MAX_URL_LENGTH) throw new Error('too long');
    url = new URL(address);
  } catch (e) {
    throw new VerifierError(
      'VERIFIER_PROXIMITY_ENGAGEMENT_INVALID',
      'the engagement names no usable transport URL',
      { cause: e },
    );
  }
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.username !== '' || url.password !== '')
    throw new VerifierError(
      'VERIFIER_PROXIMITY_ENGAGEMENT_INVALID',
      'the engagement names no ws: or wss: transport without credentials',
    );
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  const listed = allowList.some((entry) => {
    const e = entry.toLowerCase();
    return e === hostname || e === host;
  });
  if (!isLoopbackHost(hostname) && !listed)
    throw new VerifierError(
      'VERIFIER_PROXIMITY_HOST_NOT_ALLOWED',
      'the proximity transport is neither loopback nor an allowed proximity transport host',
    );
  return url;
}

/** An open connection to the phone, and whether it failed for a message that was too large. */
export interface ProximityConnection {
  readonly transport: MessageTransport;
  /** True once the phone sent a message over MAX_PROXIMITY_MESSAGE_BYTES (the socket is then closed). */
  readonly oversized: () => boolean;
}

/**
 * Connects to `url` (already checked by allowedTransportUrl) within `signal`'s life.
 * VERIFIER_PROXIMITY_UNREACHABLE when the socket does not open; VERIFIER_PROXIMITY_TIMEOUT on the deadline.
 */
export async function connectProximityTransport(url: URL, signal: AbortSignal): Promise<ProximityConnection> {
  const socket = new WebSocket(url, {
    maxPayload: MAX_PROXIMITY_MESSAGE_BYTES,
    followRedirects: false,
    perMessageDeflate: false,
  });
  let oversized = false;
  socket.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') oversized = true;
  });
  await new Promise<void>((resolve, reject) => {
    const abort = () => {
      socket.terminate();
      reject(new VerifierError('VERIFIER_PROXIMITY_TIMEOUT', 'the phone did not answer in time'));
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    socket.once('open', () => {
      signal.removeEventListener('abort', abort);
      resolve();
    });
    socket.once('error', (e) => {
      signal.removeEventListener('abort', abort);
      reject(
        new VerifierError(
          'VERIFIER_PROXIMITY_UNREACHABLE',
          "the phone's proximity transport is unreachable",
          {
            cause: e,
          },
        ),
      );
    });
  });
  return { transport: webSocketTransport(socket), oversized: () => oversized };
}

/**
 * A transport that connects on its first send: the reader's session, its transcript and its signed
 * DeviceRequest are made (and the session stored) before anything is connected.
 */
export function connectOnFirstUse(connect: () => Promise<MessageTransport>): MessageTransport {
  let opened: Promise<MessageTransport> | undefined;
  const open = () => {
    opened ??= connect();
    return opened;
  };
  return {
    send: async (message) => (await open()).send(message),
    receive: async (signal) => (await open()).receive(signal),
    close: async () => {
      if (opened !== undefined) await (await opened.catch(() => undefined))?.close();
    },
  };
}
