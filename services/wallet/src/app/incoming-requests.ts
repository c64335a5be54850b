/**
 * Requests that reach a phone from its own operating system rather than from a link it opens: a web page's
 * Digital Credentials API request (`org-iso-mdoc`, ISO/IEC 18013-7 Annex C) when the browser hands it to the
 * wallet, and a face-to-face reader's DeviceRequest over ISO/IEC 18013-5 proximity once the engagement has
 * been read. A real phone raises its consent screen for them; the emulator keeps them here, per phone, until
 * the holder answers on the phone's page (incoming-routes.ts) — whoever delivered the request (in the
 * sandbox, the labelled bridge standing in for the OS) waits for that answer:
 *
 * - `deliver` shows the request on the phone and resolves once the holder approved (with the device
 *   owner's biometric and the elements ticked), declined (WALLET_DECLINED), or let it lapse
 *   (WALLET_REQUEST_EXPIRED after `waitMs`, or when the requester gave up: its AbortSignal);
 * - `approve` runs the channel's own presentation with that consent (the engine checks it against the
 *   request: elements not offered are WALLET_INVALID_INPUT, My Number without the requester's declared
 *   basis WALLET_MY_NUMBER_WITHHELD) — those refusals and a failed biometric (WALLET_BIOMETRIC_FAILED) leave
 *   the request waiting, as a phone's screen stays up for another try; any other refusal ends it; a wait
 *   that ended while the answer was being made is WALLET_REQUEST_EXPIRED to the holder too;
 * - a request for nothing the phone holds in force (a superseded or revoked record, an unknown docType) is
 *   refused at once with WALLET_DOCUMENT_NOT_HELD — an OS offers only a wallet holding a matching document;
 * - a phone keeps at most `maxPerPhone` requests waiting (WALLET_PHONE_BUSY beyond), so nothing received
 *   grows without bound.
 *
 * Nothing here is stored: a request waits in this process only, and a restarted emulator has none. The
 * screen shows element names and the requester, never a value.
 */
import { randomBytes } from 'node:crypto';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError, type WalletErrorCode } from '../errors.js';
import type { DeviceRequestSummary, PresentationConsent } from '../presentation/annex-c-presentation.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import { type ConsentScreenDocument, consentScreenDocuments } from './cross-device-routes.js';

/** The channels whose requests reach the phone this way (the history's channel names). */
export type IncomingChannel = 'dc-api-org-iso-mdoc' | 'iso-18013-5-proximity';

/** How long a request waits for its holder by default (a person reads the screen and looks at the phone). */
export const INCOMING_REQUEST_WAIT_MS = 3 * 60 * 1000;

/** Requests one phone keeps waiting by default. */
export const MAX_INCOMING_PER_PHONE = 4;

/** What the holder's answer discloses, per docType the [namespace, identifier] pairs. */
export type Disclosed = Readonly<Record<string, readonly (readonly [string, string])[]>>;

/** A request handed to a phone. */
export interface IncomingRequestInput<T extends { readonly disclosed: Disclosed }> {
  readonly channel: IncomingChannel;
  /** The web page's origin (the DC API, as the browser reports it); null for a face-to-face reader. */
  readonly origin: string | null;
  /** What is asked, read and reader-authenticated by the channel (readAnnexCRequest, accept). */
  readonly summary: DeviceRequestSummary;
  /** The channel's presentation of what the holder approved. */
  readonly present: (input: {
    readonly consent: PresentationConsent;
    readonly userAuthentication: UserAuthentication;
  }) => Promise<T>;
  /** The requester gave up (its page closed): the request leaves the phone. */
  readonly signal?: AbortSignal;
}

/** How a delivered request ended. */
export type IncomingOutcome<T> =
  | { readonly kind: 'answered'; readonly presentation: T }
  | {
      readonly kind: 'refused';
      /** WALLET_DECLINED, WALLET_REQUEST_EXPIRED, or the presentation's own refusal. */
      readonly code: WalletErrorCode;
    };

/** A waiting request as the phone's consent screen shows it. */
export interface IncomingRequestView {
  readonly id: string;
  readonly channel: IncomingChannel;
  readonly origin: string | null;
  readonly receivedAt: string;
  readonly expiresAt: string;
  readonly phone: { readonly id: string; readonly family: string };
  readonly reader: {
    readonly authentication: 'verified' | 'none';
    readonly subject: string | null;
    readonly myNumberLegalBasis: { readonly provision: string; readonly basisCode: string } | null;
  };
  readonly documents: readonly ConsentScreenDocument[];
}

interface Waiting {
  readonly view: IncomingRequestView;
  readonly phoneId: string;
  readonly present: IncomingRequestInput<{ readonly disclosed: Disclosed }>['present'];
  readonly settle: (outcome: IncomingOutcome<{ readonly disclosed: Disclosed }>) => void;
  answering: boolean;
}

/** Refusals after which the consent screen stays up for another try. */
const RETRYABLE: ReadonlySet<WalletErrorCode> = new Set<WalletErrorCode>([
  'WALLET_INVALID_INPUT',
  'WALLET_MY_NUMBER_WITHHELD',
  'WALLET_BIOMETRIC_FAILED',
]);

/** The requests waiting on the emulated phones (see the file comment). */
export class IncomingRequests {
  readonly #waiting = new Map<string, Waiting>();
  readonly #now: () => Date;
  readonly #waitMs: number;
  readonly #maxPerPhone: number;

  constructor(options: { now?: () => Date; waitMs?: number; maxPerPhone?: number } = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#waitMs = options.waitMs ?? INCOMING_REQUEST_WAIT_MS;
    this.#maxPerPhone = options.maxPerPhone ?? MAX_INCOMING_PER_PHONE;
  }

  /** Shows `input` on `phone` and waits for the holder (see the file comment). */
  deliver<T extends { readonly disclosed: Disclosed }>(
    phone: WalletDevice,
    input: IncomingRequestInput<T>,
  ): Promise<IncomingOutcome<T>> {
    if (input.signal?.aborted) return Promise.resolve({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
    // As a phone's OS offers only a wallet holding a matching document: nothing held, no screen to raise.
    if (!input.summary.documents.some((d) => d.available))
      return Promise.resolve({ kind: 'refused', code: 'WALLET_DOCUMENT_NOT_HELD' });
    if (this.pendingFor(phone.id).length >= this.#maxPerPhone)
      return Promise.resolve({ kind: 'refused', code: 'WALLET_PHONE_BUSY' });
    const id = randomBytes(16).toString('base64url');
    const received = this.#now();
    const { reader } = input.summary;
    const view: IncomingRequestView = {
      id,
      channel: input.channel,
      origin: input.origin,
      receivedAt: received.toISOString(),
      expiresAt: new Date(received.getTime() + this.#waitMs).toISOString(),
      phone: { id: phone.id, family: phone.family },
      reader: {
        authentication: reader.authentication,
        subject: reader.subject ?? null,
        myNumberLegalBasis: reader.myNumberLegalBasis ?? null,
      },
      documents: consentScreenDocuments(input.summary.documents),
    };
    return new Promise<IncomingOutcome<T>>((resolve) => {
      const end = (outcome: IncomingOutcome<T>): void => {
        if (this.#waiting.get(id)?.settle !== settle) return;
        this.#waiting.delete(id);
        clearTimeout(timer);
        input.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const settle = end as Waiting['settle'];
      const onAbort = (): void => end({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      const timer = setTimeout(onAbort, this.#waitMs);
      timer.unref?.();
      input.signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(id, {
        view,
        phoneId: phone.id,
        present: input.present,
        settle,
        answering: false,
      });
    });
  }

  /** The requests waiting on phone `phoneId`, oldest first. */
  pendingFor(phoneId: string): IncomingRequestView[] {
    const out: IncomingRequestView[] = [];
    for (const w of this.#waiting.values()) if (w.phoneId === phoneId) out.push(w.view);
    return out;
  }

  #waitingOf(phoneId: string, id: string): Waiting {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined || waiting.phoneId !== phoneId)
      throw new WalletError('WALLET_NOT_FOUND', 'no such request is waiting on this phone');
    return waiting;
  }

  /**
   * The holder approves request `id` with `consent` after `userAuthentication`: presents through the
   * request's channel and answers what was disclosed. The channel's refusal is thrown (see the file comment
   * for which leave the request waiting).
   */
  async approve(
    phoneId: string,
    id: string,
    input: { readonly consent: PresentationConsent; readonly userAuthentication: UserAuthentication },
  ): Promise<{ readonly disclosed: Disclosed }> {
    const waiting = this.#waitingOf(phoneId, id);
    if (waiting.answering)
      throw new WalletError('WALLET_INVALID_INPUT', 'this request is already being answered');
    waiting.answering = true;
    let presentation: { readonly disclosed: Disclosed };
    try {
      presentation = await waiting.present(input);
    } catch (e) {
      waiting.answering = false;
      if (!(e instanceof WalletError && RETRYABLE.has(e.code)))
        waiting.settle({
          kind: 'refused',
          code: e instanceof WalletError ? e.code : 'WALLET_INVALID_INPUT',
        });
      throw e;
    }
    // The wait ended while the answer was being made (it lapsed, or the requester gave up): the requester
    // has heard WALLET_REQUEST_EXPIRED and takes nothing more, so the phone must not say it was sent.
    if (this.#waiting.get(id) !== waiting)
      throw new WalletError(
        'WALLET_REQUEST_EXPIRED',
        'the requester stopped waiting before the answer was ready',
      );
    waiting.settle({ kind: 'answered', presentation });
    return { disclosed: presentation.disclosed };
  }

  /** The holder declines request `id`: nothing is sent, the requester hears WALLET_DECLINED. */
  decline(phoneId: string, id: string): void {
    const waiting = this.#waitingOf(phoneId, id);
    if (waiting.answering)
      throw new WalletError('WALLET_INVALID_INPUT', 'this request is already being answered');
    waiting.settle({ kind: 'refused', code: 'WALLET_DECLINED' });
  }
}
