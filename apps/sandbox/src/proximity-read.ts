/**
 * The clinic desk's in-person read of the record over ISO/IEC 18013-5 proximity (DOMAIN.md §2, the
 * proximity row: SessionTranscript `[DeviceEngagementBytes, EReaderKeyBytes, Handover]`), with both halves
 * real and the radio simulated: the phone emulator shows its device engagement (§8.2.1.1, the `mdoc:` QR
 * content of §8.2.2.3) naming a loopback WebSocket it listens on (mynakit's stand-in for BLE/NFC), the
 * desk's reader — server-side in the sandbox — scans it, connects, sends SessionEstablishment with its
 * ephemeral key and the encrypted DeviceRequest (@mynakit/oid4vp ProximityReaderSession), the phone answers
 * with its owner's biometric and consent to exactly what was asked (services/wallet
 * `startProximityPresentation`), and the desk verifies the DeviceResponse over the transcript its own side
 * derived, against the sandbox IACAs (@mynakit/mdoc verifyDeviceResponse).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildDeviceRequest, buildJpMncRequest, verifyDeviceResponse } from '@mynakit/mdoc';
import {
  ProximityReaderSession,
  parseDeviceEngagementUri,
  webSocketRetrievalMethod,
  webSocketTransport,
  webSocketUrlOf,
} from '@mynakit/oid4vp';
import { startProximityPresentation, type WalletDevice, WalletError } from '@mynakit/wallet';
import { WebSocket, WebSocketServer } from 'ws';

const MNC = 'org.iso.23220.1.jp.mnc';

/** How a proximity read ended. */
export type ProximityReadOutcome =
  | {
      readonly kind: 'verified';
      /** `valid | invalid | undetermined` of the DeviceResponse. */
      readonly verdict: string;
      /** namespace → element → value; a byte string (the portrait) as base64. */
      readonly elements: Record<string, Record<string, unknown>>;
    }
  /** The phone refused (its stable WalletError code) or the session failed (the transport's code). */
  | { readonly kind: 'refused'; readonly code: string };

function displayable(value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

/**
 * Runs one proximity session between `phone` and the desk's reader over 127.0.0.1, asking `elements` of
 * the card-substitute record, and verifies the answer against `trustAnchors` (the sandbox IACAs, DER).
 */
export async function readRecordOverProximity(options: {
  readonly phone: WalletDevice;
  readonly elements: Readonly<Record<string, readonly string[]>>;
  readonly trustAnchors: readonly Uint8Array[];
}): Promise<ProximityReadOutcome> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const sockets: WebSocket[] = [];
  server.on('connection', (s: WebSocket) => {
    sockets.push(s);
  });
  try {
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const connection = once(server, 'connection');

    // The phone: shows the engagement, then answers what the reader asks.
    const handle = startProximityPresentation({
      device: options.phone,
      retrievalMethods: [webSocketRetrievalMethod(`ws://127.0.0.1:${port}`)],
    });
    const phoneSide = (async (): Promise<string | undefined> => {
      const [socket] = (await connection) as [WebSocket];
      try {
        const summary = await handle.accept(webSocketTransport(socket));
        const consent = Object.fromEntries(
          summary.documents.map((d) => {
            const approved = new Map<string, string[]>();
            for (const e of d.elements)
              if (e.held && e.withheld === undefined)
                approved.set(e.namespace, [...(approved.get(e.namespace) ?? []), e.identifier]);
            return [d.docType, Object.fromEntries(approved)];
          }),
        );
        await handle.answer({ consent, userAuthentication: { method: 'biometric', matched: true } });
        return undefined;
      } catch (e) {
        // The phone says no: the session ends (status 20), so the reader does not wait forever.
        await handle.decline().catch(() => undefined);
        if (e instanceof WalletError) return e.code;
        throw e;
      }
    })();

    // The desk's reader: scans the QR content, connects to the URL it names, asks.
    const engagement = parseDeviceEngagementUri(handle.qr);
    const socket = new WebSocket(webSocketUrlOf(engagement) ?? '');
    sockets.push(socket);
    await once(socket, 'open');
    const reader = new ProximityReaderSession({
      transport: webSocketTransport(socket),
      deviceEngagement: engagement.bytes,
    });
    const request = buildDeviceRequest({
      docRequests: [buildJpMncRequest({ elements: options.elements })],
    });
    const [response, refused] = await Promise.all([
      reader.request(request).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, code: String((e as { code?: unknown }).code ?? 'error') }),
      ),
      phoneSide,
    ]);
    await reader.terminate().catch(() => undefined);
    if (refused !== undefined) return { kind: 'refused', code: refused };
    if (!response.ok) return { kind: 'refused', code: response.code };
    const verified = await verifyDeviceResponse(response.r, {
      sessionTranscriptBytes: reader.sessionTranscriptBytes,
      trustAnchors: options.trustAnchors,
      now: new Date(),
      docType: MNC,
    });
    // Only what the desk asked is read back out (never indexed by a name the phone chose).
    const disclosed = verified.documents[0]?.elements ?? {};
    const elements: Record<string, Record<string, unknown>> = {};
    for (const [namespace, identifiers] of Object.entries(options.elements)) {
      const values = Object.hasOwn(disclosed, namespace) ? disclosed[namespace] : undefined;
      const shown: Record<string, unknown> = {};
      for (const identifier of identifiers)
        if (values !== undefined && Object.hasOwn(values, identifier))
          shown[identifier] = displayable(values[identifier]);
      elements[namespace] = shown;
    }
    return { kind: 'verified', verdict: verified.verdict, elements };
  } finally {
    for (const s of sockets) s.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
