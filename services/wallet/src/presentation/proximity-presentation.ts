/**
 * Presenting in person over ISO/IEC 18013-5 proximity (DOMAIN.md §2, SessionTranscript
 * `[DeviceEngagementBytes, EReaderKeyBytes, Handover]`), the holder's half, in the steps a phone shows:
 *
 * 1. `startProximityPresentation` — a fresh ephemeral EDeviceKey (§9.1.1.4: one per session, it is not the
 *    document's device key) and the DeviceEngagement (§8.2.1.1) the phone shows as a QR code (§8.2.2.3);
 * 2. `accept(transport)` — the reader's SessionEstablishment arrives over the bearer (here any
 *    MessageTransport: BLE/NFC in a real phone, a WebSocket in tests and the sandbox); the session keys
 *    and transcript come from @mynakit/oid4vp's ProximityHolderSession (no second implementation of
 *    §9.1.1.5), and the DeviceRequest — the same structure as over Annex C — is read for the consent screen
 *    by the same code (readDeviceRequest): what is asked, what is held, My Number withheld unless a
 *    *verified* reader certificate declares a legal basis;
 * 3. `answer({consent, userAuthentication})` — the channels' shared consent check, the owner's biometric
 *    before anything is signed (a failure sends nothing), DeviceAuthentication over the proximity
 *    transcript signed in the secure area, the DeviceResponse sent encrypted in SessionData with status 20
 *    (§9.1.1.4: response and termination in one message) and, once sent, one history line per document —
 *    both only when the hand-off allows (hand-off.ts: the reader may have stopped waiting).
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeDeviceRequestBytes } from '@mynakit/mdoc';
import {
  buildDeviceEngagement,
  type DeviceRetrievalMethod,
  deviceEngagementToUri,
  type MessageTransport,
  ProximityHolderSession,
  toP256PrivateJwk,
  toP256PublicJwk,
} from '@mynakit/oid4vp';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import { type DeviceRequestSummary, readDeviceRequest } from './annex-c-presentation.js';
import {
  approvedDocuments,
  authenticateOwner,
  deviceResponseOf,
  disclosedOf,
  type PresentationConsent,
  recordPresentations,
} from './consented-documents.js';
import { type HandOff, handOffAtOnce } from './hand-off.js';

/** The history's name of this channel. */
export const PROXIMITY_CHANNEL = 'iso-18013-5-proximity';

/** The history's name of a reader that did not authenticate itself (no reader certificate to name it). */
export const UNAUTHENTICATED_READER = 'proximity reader (unauthenticated)';

/** What the reader asks, as the consent screen shows it. */
export type ProximityRequestSummary = DeviceRequestSummary;

/** What was presented. */
export interface ProximityPresentation {
  /** Per docType, the [namespace, identifier] pairs disclosed. */
  readonly disclosed: Readonly<Record<string, readonly (readonly [string, string])[]>>;
  /** The relying party the history names (the verified reader's subject, or UNAUTHENTICATED_READER). */
  readonly relyingParty: string;
}

/** One proximity session on the holder's side, from the QR code to the answer. */
export interface ProximityPresentationHandle {
  /** The DeviceEngagement bytes (what the SessionTranscript embeds). */
  readonly deviceEngagement: Uint8Array;
  /** The QR code content: `mdoc:` + base64url(DeviceEngagement) (§8.2.2.3). */
  readonly qr: string;
  /**
   * Waits for the reader's SessionEstablishment on `transport` and reads its DeviceRequest.
   * WALLET_INVALID_INPUT when the session cannot be established or the request read;
   * WALLET_READER_AUTH_INVALID when the reader signature does not verify (the session is then ended).
   */
  accept(transport: MessageTransport, signal?: AbortSignal): Promise<ProximityRequestSummary>;
  /**
   * Sends what the holder approved (WALLET_INVALID_INPUT, WALLET_MY_NUMBER_WITHHELD, WALLET_NOT_FOUND as
   * for the other channels); WALLET_BIOMETRIC_FAILED sends nothing and leaves the session open.
   */
  answer(input: {
    readonly consent: PresentationConsent;
    readonly userAuthentication: UserAuthentication;
    /** How the answer is sent with its history line (hand-off.ts); at once by default. */
    readonly handOff?: HandOff;
  }): Promise<ProximityPresentation>;
  /** Ends the session without presenting (SessionData status 20). */
  decline(): Promise<void>;
}

interface Accepted {
  readonly session: ProximityHolderSession;
  readonly summary: ProximityRequestSummary;
}

/** Step 1: the engagement the phone shows, and the handle for the rest of the session. */
export function startProximityPresentation(input: {
  readonly device: WalletDevice;
  /** How the reader reaches the phone (e.g. webSocketRetrievalMethod(url)); none for NFC-only engagement. */
  readonly retrievalMethods?: readonly DeviceRetrievalMethod[];
  /** Reader roots this phone trusts (DER); absent: the phone's own (WalletDevice.readerTrustAnchors). */
  readonly readerTrustAnchors?: readonly Uint8Array[];
}): ProximityPresentationHandle {
  const { device } = input;
  const eDeviceKey = toP256PrivateJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const engagement = buildDeviceEngagement({
    eDeviceKey: toP256PublicJwk({ kty: 'EC', crv: 'P-256', x: eDeviceKey.x, y: eDeviceKey.y }),
    ...(input.retrievalMethods ? { retrievalMethods: input.retrievalMethods } : {}),
  });
  let accepted: Accepted | undefined;
  let answered = false;

  return {
    deviceEngagement: engagement.bytes,
    qr: deviceEngagementToUri(engagement),

    async accept(transport, signal) {
      if (accepted !== undefined)
        throw new WalletError('WALLET_INVALID_INPUT', 'the session is already open');
      let session: ProximityHolderSession;
      let request: Uint8Array | null;
      try {
        session = await ProximityHolderSession.accept(
          { transport, deviceEngagement: engagement.bytes, eDeviceKey },
          signal,
        );
        request = await session.nextRequest(signal);
      } catch (e) {
        throw new WalletError('WALLET_INVALID_INPUT', 'the proximity session could not be established', {
          cause: e,
        });
      }
      if (request === null) throw new WalletError('WALLET_INVALID_INPUT', 'the reader ended the session');
      let summary: ProximityRequestSummary;
      try {
        const deviceRequest = decodeDeviceRequestBytes(request);
        const readerAuthentication =
          deviceRequest.readerAuthAll !== undefined && deviceRequest.readerAuthAll.length > 0
            ? 'readerAuthAll'
            : deviceRequest.docRequests.some((d) => d.readerAuth !== undefined)
              ? 'readerAuth'
              : 'none';
        summary = await readDeviceRequest({
          device,
          deviceRequest,
          deviceRequestBytes: request,
          readerAuthentication,
          sessionTranscriptBytes: session.sessionTranscriptBytes,
          ...(input.readerTrustAnchors ? { readerTrustAnchors: input.readerTrustAnchors } : {}),
        });
      } catch (e) {
        await session.terminate().catch(() => undefined);
        if (e instanceof WalletError) throw e;
        throw new WalletError('WALLET_INVALID_INPUT', 'the DeviceRequest cannot be read', { cause: e });
      }
      accepted = { session, summary };
      return summary;
    },

    async answer({ consent, userAuthentication, handOff }) {
      if (accepted === undefined) throw new WalletError('WALLET_INVALID_INPUT', 'no request has arrived');
      if (answered) throw new WalletError('WALLET_INVALID_INPUT', 'the request was already answered');
      const { session, summary } = accepted;
      const asked = new Map(summary.documents.map((d) => [d.docType, d.elements]));
      const approved = await approvedDocuments(device, asked, consent);
      // The owner authenticates before anything is signed or sent.
      const tickets = await authenticateOwner(device, approved, userAuthentication);
      const deviceResponse = await deviceResponseOf(
        device,
        approved,
        session.sessionTranscriptBytes,
        tickets,
      );
      const relyingParty = summary.reader.subject ?? UNAUTHENTICATED_READER;
      // Sent only once the hand-off allows it (the reader still waits), and recorded once sent.
      await (handOff ?? handOffAtOnce)(async () => {
        answered = true;
        await session.respond(deviceResponse, { terminate: true });
        await recordPresentations(device, approved, relyingParty, PROXIMITY_CHANNEL);
      });
      await session.terminate().catch(() => undefined);
      return { disclosed: disclosedOf(approved), relyingParty };
    },

    async decline() {
      answered = true;
      await accepted?.session.terminate();
    },
  };
}
