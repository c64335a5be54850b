/**
 * An in-person read of the record over ISO/IEC 18013-5 proximity (DOMAIN.md §2, the proximity row:
 * SessionTranscript `[DeviceEngagementBytes, EReaderKeyBytes, Handover]`), for the clinic's front desk and
 * the bank's branch counter, with both halves real and the radio simulated:
 *
 * - the phone (services/wallet `startProximityPresentation`) shows its device engagement (§8.2.1.1, the
 *   `mdoc:` QR content of §8.2.2.3) naming a loopback WebSocket opened here — mynakit's stand-in for
 *   BLE/NFC — and, when the reader's SessionEstablishment arrives on it, shows the request on its consent
 *   screen (services/wallet `IncomingRequests`, what the phone's OS would raise): the holder approves there
 *   with the owner's biometric — or declines, and the session ends with status 20;
 * - the reader is the verifier service (POST /verifier/sessions/proximity with the relying party's API key,
 *   which stays on this server): it scans the engagement, connects to the loopback transport it names, sends
 *   the DeviceRequest (signed with the relying party's reader key when it has one), verifies the
 *   DeviceResponse over the transcript its own side derived — issuer, device authentication, revocation,
 *   the requested elements, the KYC method — and writes the verification record.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { webSocketRetrievalMethod, webSocketTransport } from '@mynakit/oid4vp';
import {
  type IncomingRequests,
  startProximityPresentation,
  type WalletDevice,
  WalletError,
} from '@mynakit/wallet';
import { type WebSocket, WebSocketServer } from 'ws';

/** The verifier's answer to a proximity read (services/verifier proximity/routes.ts). */
export interface ProximityAnswer {
  readonly verdict: string;
  readonly checks: readonly { id: string; status: string; detail?: string }[];
  readonly method: { id: string; letter: string; law?: string; name_ja?: string; name_en?: string } | null;
  readonly methodReasons: readonly string[];
  /** namespace → element → value (the portrait as base64); only when valid. */
  readonly elements?: Record<string, Record<string, unknown>>;
  readonly recordId: string;
  readonly sessionId: string;
  readonly flags: readonly string[];
  readonly errorCode?: string;
  readonly readerAuthentication?: { form: string; readerCertificateSubject?: string };
}

/** How a proximity read ended. */
export type ProximityReadOutcome =
  | { readonly kind: 'verified'; readonly answer: ProximityAnswer }
  /**
   * The phone refused — its stable WalletError code, WALLET_DECLINED when the holder said no on its screen —
   * or the verifier could not read it: its problem code, VERIFIER_PROXIMITY_TIMEOUT when nobody answered on
   * the phone while the reader waited (the reader's session ended, and the request on the phone with it).
   */
  | { readonly kind: 'refused'; readonly code: string };

/**
 * Runs one proximity session between `phone` and the verifier, reading `elements` of the card-substitute
 * record for the relying party whose API key `read` carries (`purpose` recorded as the transaction type).
 */
export async function readRecordOverProximity(options: {
  readonly phone: WalletDevice;
  readonly elements: Readonly<Record<string, readonly string[]>>;
  readonly purpose: string;
  /**
   * What the customer declared (purpose of the transaction, occupation): the verifier requires it for a
   * 取引時確認 under 犯収法 and records it.
   */
  readonly declaration?: {
    readonly transactionPurpose?: { readonly code: string; readonly detail?: string };
    readonly occupation?: { readonly code: string; readonly detail?: string };
  };
  /** POST to the verifier with the relying party's API key (jpki-page-parts.ts verifierCall). */
  readonly read: (path: string, body: unknown) => Promise<Response>;
  /** Where the phone's consent screen picks the reader's request up. */
  readonly incoming: IncomingRequests;
  /** The counter gave up waiting (its request closed): the request leaves the phone. */
  readonly signal?: AbortSignal;
  /**
   * How long the reader waits for the phone's answer (the verifier's configured proximity timeout): the
   * phone's screen shows the request until then, not for its own longer wait.
   */
  readonly readerTimeoutSeconds?: number;
}): Promise<ProximityReadOutcome> {
  // Counted from now, before the reader starts its own clock: the phone never shows more than the reader keeps.
  const readerDeadline =
    options.readerTimeoutSeconds === undefined
      ? undefined
      : new Date(Date.now() + options.readerTimeoutSeconds * 1000);
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 });
  const sockets: WebSocket[] = [];
  server.on('connection', (s: WebSocket) => {
    sockets.push(s);
  });
  // The phone's screen lasts as long as the read: once the reader is done (or the counter gave up), it goes.
  const readOver = new AbortController();
  // The reader ended its session (its answer read, or its deadline — the verifier's configured proximity
  // timeout, the one the read keeps — or a message it could not read) while the phone still waited.
  let endedByReader = false;
  const stopWaiting = (): void => readOver.abort();
  options.signal?.addEventListener('abort', stopWaiting, { once: true });
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
      // The request on the phone's screen lives as long as the reader's session: when the reader closes it,
      // the request leaves the phone (WALLET_REQUEST_EXPIRED, nothing sent or recorded) — a holder never
      // approves a read nobody will receive. An answer already being handed over goes with its history line.
      let phoneEnding = false;
      socket.once('close', () => {
        if (phoneEnding) return;
        endedByReader = true;
        readOver.abort();
      });
      try {
        const summary = await handle.accept(webSocketTransport(socket));
        const outcome = await options.incoming.deliver(options.phone, {
          channel: 'iso-18013-5-proximity',
          origin: null,
          summary,
          present: (approved) => handle.answer(approved),
          signal: readOver.signal,
          ...(readerDeadline === undefined ? {} : { expiresAt: readerDeadline }),
        });
        phoneEnding = true;
        if (outcome.kind === 'refused') throw new WalletError(outcome.code, 'the holder did not answer');
        return undefined;
      } catch (e) {
        phoneEnding = true;
        // The phone says no: the session ends (status 20), so the reader does not wait for it.
        await handle.decline().catch(() => undefined);
        if (e instanceof WalletError) return e.code;
        throw e;
      }
    })();

    // The reader: the verifier scans the QR content and reads the phone.
    const res = await options.read('/sessions/proximity', {
      purpose: options.purpose,
      elements: options.elements,
      ...options.declaration,
      engagement: handle.qr,
    });
    const body = (await res.json()) as ProximityAnswer & { code?: string };
    if (res.ok) return { kind: 'verified', answer: body };
    // The phone's own reason when it refused (it has ended the session by now); else the verifier's — also
    // when the reader ended first and the phone's request ended with it (WALLET_REQUEST_EXPIRED on its
    // screen): the reader's reason (VERIFIER_PROXIMITY_TIMEOUT when nobody answered in its time) is why.
    const phoneCode = await Promise.race([
      phoneSide.catch(() => undefined),
      delay(1000, undefined, { ref: false }),
    ]);
    const readerFirst = endedByReader && phoneCode === 'WALLET_REQUEST_EXPIRED' && body.code !== undefined;
    return {
      kind: 'refused',
      code: (readerFirst ? body.code : phoneCode) ?? body.code ?? `HTTP ${res.status}`,
    };
  } finally {
    readOver.abort();
    options.signal?.removeEventListener('abort', stopWaiting);
    for (const s of sockets) s.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
