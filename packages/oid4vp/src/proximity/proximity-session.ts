import { generateKeyPairSync } from 'node:crypto';
import { EncodedCbor } from '@mynakit/cbor';
import { buildProximitySessionTranscript, type ProximityHandover } from '@mynakit/mdoc';
import { coseKeyToP256Jwk, p256JwkToCoseKey } from '../cose-key-p256.js';
import { type P256PrivateJwk, type P256PublicJwk, publicPart, toP256PrivateJwk } from '../ec-keys.js';
import { Oid4vpError } from '../errors.js';
import { type DeviceEngagement, parseDeviceEngagement } from './device-engagement.js';
import { deriveSessionKeys, SessionEncryption } from './session-encryption.js';
import {
  decodeSessionData,
  decodeSessionEstablishment,
  encodeSessionData,
  encodeSessionEstablishment,
  SESSION_STATUS,
} from './session-messages.js';
import type { MessageTransport } from './transport.js';

/**
 * ISO/IEC 18013-5:2021 proximity presentation over any MessageTransport (§9.1.1: session
 * establishment, encrypted SessionData, termination with status 20).
 *
 * Reader: read the DeviceEngagement (QR `mdoc:` or NFC), pick an ephemeral EReaderKey, derive the
 * SessionTranscript `[DeviceEngagementBytes, EReaderKeyBytes, Handover]` and the session keys, send
 * SessionEstablishment with the encrypted DeviceRequest, receive the encrypted DeviceResponse.
 * mdoc (holder): the mirror image with EDeviceKey. The SessionTranscriptBytes each side derives are
 * what DeviceAuthentication signs, so they are exposed for presentMdoc / verifyDeviceResponse.
 */
function newEphemeralKey(): P256PrivateJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return toP256PrivateJwk(privateKey);
}

export interface ReaderSessionOptions {
  readonly transport: MessageTransport;
  /** The DeviceEngagement bytes as read from the QR code or the NFC Handover Select message. */
  readonly deviceEngagement: Uint8Array;
  readonly handover?: ProximityHandover;
  /** The reader's ephemeral key; generated when omitted. */
  readonly eReaderKey?: P256PrivateJwk;
}

export class ProximityReaderSession {
  readonly engagement: DeviceEngagement;
  readonly eReaderKey: P256PrivateJwk;
  readonly sessionTranscriptBytes: Uint8Array;
  readonly #transport: MessageTransport;
  readonly #crypto: SessionEncryption;
  readonly #eReaderKeyBytes: EncodedCbor;
  #established = false;
  #terminated = false;

  constructor(options: ReaderSessionOptions) {
    this.#transport = options.transport;
    this.engagement = parseDeviceEngagement(options.deviceEngagement);
    this.eReaderKey = options.eReaderKey ?? newEphemeralKey();
    this.#eReaderKeyBytes = EncodedCbor.of(p256JwkToCoseKey(publicPart(this.eReaderKey)));
    this.sessionTranscriptBytes = buildProximitySessionTranscript({
      deviceEngagement: options.deviceEngagement,
      eReaderKey: this.#eReaderKeyBytes,
      handover: options.handover ?? { kind: 'qr' },
    }).sessionTranscriptBytes;
    this.#crypto = new SessionEncryption(
      'reader',
      deriveSessionKeys(this.eReaderKey, this.engagement.eDeviceKey, this.sessionTranscriptBytes),
    );
  }

  /** The EReaderKey public part (for deviceMac verification: the mdoc MACs with EMacKey from it). */
  get eReaderPublicKey(): P256PublicJwk {
    return publicPart(this.eReaderKey);
  }

  /** Sends a DeviceRequest (in SessionEstablishment the first time) and returns the DeviceResponse. */
  async request(deviceRequest: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (this.#terminated) throw new Oid4vpError('SESSION_TERMINATED', 'the session is over');
    const data = this.#crypto.encrypt(deviceRequest);
    const message = this.#established
      ? encodeSessionData({ data })
      : encodeSessionEstablishment({ eReaderKeyBytes: this.#eReaderKeyBytes, data });
    this.#established = true;
    await this.#transport.send(message);
    const reply = decodeSessionData(await this.#transport.receive(signal));
    if (reply.data === undefined) {
      this.#terminated = true;
      throw new Oid4vpError('SESSION_TERMINATED', `the mdoc ended the session with status ${reply.status}`);
    }
    const deviceResponse = this.#crypto.decrypt(reply.data);
    if (reply.status === SESSION_STATUS.TERMINATION) this.#terminated = true;
    return deviceResponse;
  }

  /** Ends the session (SessionData {status: 20}) and closes the transport. */
  async terminate(): Promise<void> {
    if (!this.#terminated) {
      this.#terminated = true;
      await this.#transport
        .send(encodeSessionData({ status: SESSION_STATUS.TERMINATION }))
        .catch(() => undefined);
    }
    await this.#transport.close();
  }
}

export interface HolderSessionOptions {
  readonly transport: MessageTransport;
  /** The DeviceEngagement this holder showed (its bytes are part of the transcript). */
  readonly deviceEngagement: Uint8Array;
  /** The private EDeviceKey whose public part the engagement carries. */
  readonly eDeviceKey: P256PrivateJwk;
  readonly handover?: ProximityHandover;
}

export class ProximityHolderSession {
  readonly sessionTranscriptBytes: Uint8Array;
  /** The reader's ephemeral public key (for deviceMac, EMacKey). */
  readonly eReaderPublicKey: P256PublicJwk;
  readonly #transport: MessageTransport;
  readonly #crypto: SessionEncryption;
  #pending: Uint8Array | undefined;
  #terminated = false;

  private constructor(
    transport: MessageTransport,
    crypto: SessionEncryption,
    sessionTranscriptBytes: Uint8Array,
    eReaderPublicKey: P256PublicJwk,
    firstRequest: Uint8Array,
  ) {
    this.#transport = transport;
    this.#crypto = crypto;
    this.sessionTranscriptBytes = sessionTranscriptBytes;
    this.eReaderPublicKey = eReaderPublicKey;
    this.#pending = firstRequest;
  }

  /** Waits for SessionEstablishment and decrypts the first DeviceRequest. */
  static async accept(options: HolderSessionOptions, signal?: AbortSignal): Promise<ProximityHolderSession> {
    const engagement = parseDeviceEngagement(options.deviceEngagement);
    if (
      engagement.eDeviceKey.x !== options.eDeviceKey.x ||
      engagement.eDeviceKey.y !== options.eDeviceKey.y
    ) {
      throw new Oid4vpError('KEY_INVALID', 'eDeviceKey is not the key of the device engagement');
    }
    const establishment = decodeSessionEstablishment(await options.transport.receive(signal));
    const eReaderPublicKey = coseKeyToP256Jwk(establishment.eReaderKeyBytes.decode(), 'EReaderKey');
    const sessionTranscriptBytes = buildProximitySessionTranscript({
      deviceEngagement: options.deviceEngagement,
      eReaderKey: establishment.eReaderKeyBytes,
      handover: options.handover ?? { kind: 'qr' },
    }).sessionTranscriptBytes;
    const crypto = new SessionEncryption(
      'mdoc',
      deriveSessionKeys(options.eDeviceKey, eReaderPublicKey, sessionTranscriptBytes),
    );
    let first: Uint8Array;
    try {
      first = crypto.decrypt(establishment.data);
    } catch (e) {
      // §9.1.1.5: answer an undecryptable message with status 10 and end the session.
      await options.transport
        .send(encodeSessionData({ status: SESSION_STATUS.ENCRYPTION_ERROR }))
        .catch(() => undefined);
      throw e;
    }
    return new ProximityHolderSession(
      options.transport,
      crypto,
      sessionTranscriptBytes,
      eReaderPublicKey,
      first,
    );
  }

  /** The next DeviceRequest, or null when the reader ended the session. */
  async nextRequest(signal?: AbortSignal): Promise<Uint8Array | null> {
    if (this.#pending) {
      const r = this.#pending;
      this.#pending = undefined;
      return r;
    }
    if (this.#terminated) return null;
    const msg = decodeSessionData(await this.#transport.receive(signal));
    if (msg.data === undefined) {
      this.#terminated = true;
      return null;
    }
    try {
      return this.#crypto.decrypt(msg.data);
    } catch (e) {
      await this.#transport
        .send(encodeSessionData({ status: SESSION_STATUS.ENCRYPTION_ERROR }))
        .catch(() => undefined);
      this.#terminated = true;
      throw e;
    }
  }

  /** Sends the DeviceResponse; with `terminate`, in the same message as status 20 (§9.1.1.4). */
  async respond(deviceResponse: Uint8Array, options: { terminate?: boolean } = {}): Promise<void> {
    if (this.#terminated) throw new Oid4vpError('SESSION_TERMINATED', 'the session is over');
    const data = this.#crypto.encrypt(deviceResponse);
    if (options.terminate) this.#terminated = true;
    await this.#transport.send(
      encodeSessionData(options.terminate ? { data, status: SESSION_STATUS.TERMINATION } : { data }),
    );
  }

  async terminate(): Promise<void> {
    if (!this.#terminated) {
      this.#terminated = true;
      await this.#transport
        .send(encodeSessionData({ status: SESSION_STATUS.TERMINATION }))
        .catch(() => undefined);
    }
    await this.#transport.close();
  }
}
