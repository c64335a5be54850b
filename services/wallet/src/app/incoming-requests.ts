/**
 * Requests that reach a phone from its own operating system rather than from a link it opens: a web page's
 * Digital Credentials API request (`org-iso-mdoc`, ISO/IEC 18013-7 Annex C, as Safari hands it; or
 * `openid4vp-v1-signed`, OpenID4VP 1.0 over the DC API, as Chrome on Android does) when the browser hands it
 * to the wallet, a face-to-face reader's DeviceRequest over ISO/IEC 18013-5 proximity once the engagement has
 * been read, a relying party's request for a JPKI signature over a document, and one for a JPKI user
 * authentication — a sign-in: the user-authentication key signs the relying party's challenge (DOMAIN.md
 * §3). A real phone raises its consent screen for them; the emulator keeps them here, per phone, until the holder
 * answers on the phone's page (incoming-routes.ts) — whoever delivered the request (in the sandbox, the
 * labelled bridge standing in for the OS) waits for that answer:
 *
 * - `deliver` (a record), `deliverJpkiSignature` (a signature) and `deliverJpkiUserAuthentication` (a
 *   sign-in) show the request on the phone and resolve once the holder approved, declined (WALLET_DECLINED), or let it lapse (WALLET_REQUEST_EXPIRED
 *   after `waitMs` or the requester's own sooner deadline — a reader's session time —, or when the
 *   requester gave up: its AbortSignal);
 * - a record is approved with the device owner's biometric and the elements ticked: `approve` runs the
 *   channel's own presentation with that consent (the engine checks it against the request: elements not
 *   offered are WALLET_INVALID_INPUT, My Number without the requester's declared basis
 *   WALLET_MY_NUMBER_WITHHELD) — those refusals and a failed biometric (WALLET_BIOMETRIC_FAILED) leave the
 *   request waiting, as a phone's screen stays up for another try;
 * - a signature is approved with the signature password typed on the phone — never a biometric, and never
 *   through the relying party: the password reaches the phone's own screen only. A password of the wrong
 *   format (WALLET_SECRET_FORMAT, no try used), a wrong one (WALLET_SECRET_WRONG, one try used, the tries
 *   left said) and the requester's other secret (WALLET_INVALID_INPUT) leave it waiting; the last wrong
 *   try locks the password (WALLET_SECRET_LOCKED), which ends every signature request waiting on that
 *   phone. The screen shows who asks as the requester named itself (nothing proves it: the bridge says
 *   so), the document (its text when it is text, its size and SHA-256) and the tries left;
 * - a sign-in is approved with the 4-digit auth PIN typed on the phone's pad or the owner's biometric
 *   standing in for it (DOMAIN.md §3) — or, when the requester asks for the face check only (`unlock:
 *   'biometric'`, a clinic's reader for an iPhone holder), the biometric only: a PIN is then
 *   WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED. As for a signature, a PIN of the wrong format (no try used),
 *   a wrong one (the tries left said) and a biometric that did not match (WALLET_BIOMETRIC_FAILED, no try
 *   used) leave it waiting, and the last wrong try locks the PIN and ends every sign-in waiting on that
 *   phone. The screen shows who asks as named and the PIN's tries left; the challenge is signed, never
 *   shown;
 * - any other refusal ends the request; a wait that ended while the answer was being made is
 *   WALLET_REQUEST_EXPIRED to the holder too, and nothing was sent nor written in the history: each
 *   channel's presentation is given a `handOff` (presentation/hand-off.ts) that lets the answer go, with
 *   its history line, only while the requester still waits — once it goes, the wait ends with it;
 * - a request for nothing the phone holds in force (a superseded or revoked record, an unknown docType, no
 *   signature or user-authentication certificate in force) is refused at once with
 *   WALLET_DOCUMENT_NOT_HELD — an OS offers only a wallet holding a matching document — and a signature
 *   or sign-in whose secret is locked with WALLET_SECRET_LOCKED (the certificate stays unusable until it
 *   is installed again);
 * - a phone keeps at most `maxPerPhone` requests waiting (WALLET_PHONE_BUSY beyond), so nothing received
 *   grows without bound.
 *
 * Nothing here is stored: a request waits in this process only, and a restarted emulator has none. The
 * screen shows element names, the requester and the document to be signed, never a value of the record
 * nor the password or PIN.
 */
import { randomBytes } from 'node:crypto';
import { CHALLENGE_LENGTH } from '@mynakit/jpki';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError, type WalletErrorCode } from '../errors.js';
import {
  type JpkiSecret,
  jpkiTriesOf,
  type SignedDocumentView,
  signedDocumentViewOf,
} from '../jpki-use/jpki-screen-parts.js';
import { MAX_SIGNED_CONTENT_BYTES } from '../jpki-use/jpki-use.js';
import type { DeviceRequestSummary, PresentationConsent } from '../presentation/annex-c-presentation.js';
import type { HandOff } from '../presentation/hand-off.js';
import { requireFormat } from '../secrets/new-secret.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import { type ConsentScreenDocument, consentScreenDocuments } from './cross-device-routes.js';

/** The channels whose requests for a record reach the phone this way (the history's channel names). */
export type MdocIncomingChannel =
  | 'dc-api-org-iso-mdoc'
  | 'dc-api-openid4vp-v1-signed'
  | 'iso-18013-5-proximity';

/** Every channel of a request reaching the phone this way (the history's channel names). */
export type IncomingChannel = MdocIncomingChannel | 'jpki-signature' | 'jpki-user-authentication';

/** How long a request waits for its holder by default (a person reads the screen and looks at the phone). */
export const INCOMING_REQUEST_WAIT_MS = 3 * 60 * 1000;

/** Requests one phone keeps waiting by default. */
export const MAX_INCOMING_PER_PHONE = 4;

/** What the holder's answer discloses, per docType the [namespace, identifier] pairs. */
export type Disclosed = Readonly<Record<string, readonly (readonly [string, string])[]>>;

/** A request for a record handed to a phone. */
export interface IncomingRequestInput<T extends { readonly disclosed: Disclosed }> {
  readonly channel: MdocIncomingChannel;
  /** The web page's origin (the DC API, as the browser reports it); null for a face-to-face reader. */
  readonly origin: string | null;
  /** What is asked, read and reader-authenticated by the channel (readAnnexCRequest, accept). */
  readonly summary: DeviceRequestSummary;
  /** The channel's presentation of what the holder approved. */
  readonly present: (input: {
    readonly consent: PresentationConsent;
    readonly userAuthentication: UserAuthentication;
    /** Passed to the presentation: the answer and its history line go only while the requester waits. */
    readonly handOff: HandOff;
  }) => Promise<T>;
  /** The requester gave up (its page closed): the request leaves the phone. */
  readonly signal?: AbortSignal;
  /**
   * The requester's own deadline, when it keeps one (a reader in person waits only its session's time): the
   * screen shows it and the request lapses then, if sooner than the phone's own wait.
   */
  readonly expiresAt?: Date;
}

/** A request for a JPKI signature over `content` handed to a phone. */
export interface JpkiSignatureRequestInput<T extends { readonly signature: Uint8Array }> {
  readonly channel: 'jpki-signature';
  /** The requesting page's origin, when a page asked; null otherwise. */
  readonly origin: string | null;
  /** Who asks, as the requester (or the bridge carrying its request) names it: nothing proves it. */
  readonly relyingParty: string;
  /** The document to be signed, exactly these bytes (at most MAX_SIGNED_CONTENT_BYTES). */
  readonly content: Uint8Array;
  /** The signature once the holder typed the signature password (jpki-use.ts signWithJpki). */
  readonly present: (input: { readonly password: string; readonly handOff: HandOff }) => Promise<T>;
  /** The requester gave up (its page closed): the request leaves the phone. */
  readonly signal?: AbortSignal;
}

/**
 * What opens the user-authentication key for a request: the 4-digit auth PIN or the owner's biometric
 * standing in for it (DOMAIN.md §3), or the biometric only — a reader that asks for a face check (the
 * clinic's iPhone holder) offers no PIN pad.
 */
export type JpkiUserAuthenticationUnlock = 'pin-or-biometric' | 'biometric';

/** A request for a JPKI user authentication (sign-in) over `challenge` handed to a phone. */
export interface JpkiUserAuthenticationRequestInput<T extends { readonly signature: Uint8Array }> {
  readonly channel: 'jpki-user-authentication';
  /** The requesting page's origin, when a page asked; null otherwise. */
  readonly origin: string | null;
  /** Who asks, as the requester (or the bridge carrying its request) names it: nothing proves it. */
  readonly relyingParty: string;
  /** The relying party's challenge (CHALLENGE_LENGTH bytes): signed, never shown. */
  readonly challenge: Uint8Array;
  readonly unlock: JpkiUserAuthenticationUnlock;
  /** The signature over the challenge once the holder unlocked the key (jpki-use.ts authenticateWithJpki). */
  readonly present: (input: {
    readonly userAuthentication: UserAuthentication;
    readonly handOff: HandOff;
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

/** What every waiting request's view shows. */
interface IncomingRequestViewBase {
  readonly id: string;
  readonly origin: string | null;
  readonly receivedAt: string;
  readonly expiresAt: string;
  readonly phone: { readonly id: string; readonly family: string };
}

/** A waiting request for a record as the phone's consent screen shows it. */
export interface MdocIncomingRequestView extends IncomingRequestViewBase {
  readonly channel: MdocIncomingChannel;
  readonly reader: {
    readonly authentication: 'verified' | 'none';
    readonly subject: string | null;
    readonly myNumberLegalBasis: { readonly provision: string; readonly basisCode: string } | null;
  };
  readonly documents: readonly ConsentScreenDocument[];
}

/** A waiting request for a JPKI signature as the phone's consent screen shows it (never the password). */
export interface JpkiSignatureIncomingRequestView extends IncomingRequestViewBase {
  readonly channel: 'jpki-signature';
  /** Who asks, as named by the requester: `verified` is always false (no certificate proves the name). */
  readonly relyingParty: { readonly name: string; readonly verified: false };
  /** The document to be signed: its text when it is UTF-8 text, its size, its SHA-256 (hex). */
  readonly document: SignedDocumentView;
  /** The tries the signature password has left, as the phone counts them. */
  readonly remainingTries: number;
}

/**
 * A waiting request for a JPKI user authentication as the phone's screen shows it: who asks, how the key
 * opens and the auth PIN's tries left — never the challenge (the holder has nothing to read in it), never
 * the PIN.
 */
export interface JpkiUserAuthenticationIncomingRequestView extends IncomingRequestViewBase {
  readonly channel: 'jpki-user-authentication';
  /** Who asks, as named by the requester: `verified` is always false (no certificate proves the name). */
  readonly relyingParty: { readonly name: string; readonly verified: false };
  readonly unlock: JpkiUserAuthenticationUnlock;
  /** The tries the auth PIN has left, as the phone counts them. */
  readonly remainingTries: number;
}

/** A waiting request as the phone's consent screen shows it, by its channel. */
export type IncomingRequestView =
  | MdocIncomingRequestView
  | JpkiSignatureIncomingRequestView
  | JpkiUserAuthenticationIncomingRequestView;

/**
 * A waiting request as the phone's list of them shows it (GET /phones/:id/incoming, polled by its screen):
 * what it is, who asks and until when — for a signature the document's size and SHA-256, never its text
 * (up to MAX_SIGNED_CONTENT_BYTES, resent in every poll otherwise). The full view is read once per
 * request (`viewOf`). Its members keep the full view's names.
 */
export type IncomingRequestSummary =
  | Omit<MdocIncomingRequestView, 'documents'>
  | (Omit<JpkiSignatureIncomingRequestView, 'document' | 'remainingTries'> & {
      readonly document: Omit<SignedDocumentView, 'text'>;
    })
  | Omit<JpkiUserAuthenticationIncomingRequestView, 'unlock' | 'remainingTries'>;

/** The summary of `view` (see IncomingRequestSummary). */
function summaryOf(view: IncomingRequestView): IncomingRequestSummary {
  const { id, origin, receivedAt, expiresAt, phone } = view;
  const base = { id, origin, receivedAt, expiresAt, phone };
  if (view.channel === 'jpki-signature')
    return {
      ...base,
      channel: view.channel,
      relyingParty: view.relyingParty,
      document: { size: view.document.size, sha256: view.document.sha256 },
    };
  if (view.channel === 'jpki-user-authentication')
    return { ...base, channel: view.channel, relyingParty: view.relyingParty };
  return { ...base, channel: view.channel, reader: view.reader };
}

/** What the holder answers to a record's request. */
export interface MdocApproval {
  readonly consent: PresentationConsent;
  readonly userAuthentication: UserAuthentication;
}

/** What the holder answers to a signature's request: the signature password typed on the phone. */
export interface JpkiSignatureApproval {
  readonly password: string;
}

/**
 * What the holder answers to a user authentication's request: the auth PIN typed on the phone's pad, or the
 * owner's biometric.
 */
export type JpkiUserAuthenticationApproval =
  | { readonly pin: string }
  | { readonly biometric: 'matched' | 'failed' };

/** Every answer `approve` takes, by the waiting request's channel. */
export type IncomingApproval = MdocApproval | JpkiSignatureApproval | JpkiUserAuthenticationApproval;

/** Where a waiting request stands while an answer is made. */
interface WaitingState {
  /** An answer is being made (a second one, or a decline, is refused meanwhile). */
  answering: boolean;
  /** The answer is being handed over with its history line: the wait no longer ends before it settles. */
  handingOff: boolean;
  /** The wait ended (the time, or the requester's signal) while the answer was being handed over. */
  lapsed: boolean;
}

interface MdocWaiting extends WaitingState {
  readonly kind: 'mdoc';
  readonly view: MdocIncomingRequestView;
  readonly phoneId: string;
  readonly present: IncomingRequestInput<{ readonly disclosed: Disclosed }>['present'];
  readonly settle: (outcome: IncomingOutcome<{ readonly disclosed: Disclosed }>) => void;
}

interface JpkiWaiting extends WaitingState {
  readonly kind: 'jpki';
  /** Replaced when the tries left change. */
  view: JpkiSignatureIncomingRequestView;
  readonly phoneId: string;
  readonly device: WalletDevice;
  readonly present: JpkiSignatureRequestInput<{ readonly signature: Uint8Array }>['present'];
  readonly settle: (outcome: IncomingOutcome<{ readonly signature: Uint8Array }>) => void;
}

interface JpkiAuthWaiting extends WaitingState {
  readonly kind: 'jpki-auth';
  /** Replaced when the tries left change. */
  view: JpkiUserAuthenticationIncomingRequestView;
  readonly phoneId: string;
  readonly device: WalletDevice;
  readonly present: JpkiUserAuthenticationRequestInput<{ readonly signature: Uint8Array }>['present'];
  readonly settle: (outcome: IncomingOutcome<{ readonly signature: Uint8Array }>) => void;
}

type Waiting = MdocWaiting | JpkiWaiting | JpkiAuthWaiting;

/** Refusals after which a record's consent screen stays up for another try. */
const RETRYABLE_MDOC: ReadonlySet<WalletErrorCode> = new Set<WalletErrorCode>([
  'WALLET_INVALID_INPUT',
  'WALLET_MY_NUMBER_WITHHELD',
  'WALLET_BIOMETRIC_FAILED',
]);

/**
 * Refusals after which a signature's screen stays up for another try: a wrong password (one try used), one
 * of the wrong format (none used), the other secret, and the last try held by a concurrent attempt.
 */
const RETRYABLE_JPKI: ReadonlySet<WalletErrorCode> = new Set<WalletErrorCode>([
  'WALLET_INVALID_INPUT',
  'WALLET_SECRET_FORMAT',
  'WALLET_SECRET_WRONG',
  'WALLET_SECRET_BUSY',
]);

/**
 * Refusals after which a user authentication's screen stays up for another try: as for a signature, and a
 * biometric that did not match (nothing counted: the PIN's tries are the PIN's).
 */
const RETRYABLE_JPKI_AUTH: ReadonlySet<WalletErrorCode> = new Set<WalletErrorCode>([
  ...RETRYABLE_JPKI,
  'WALLET_BIOMETRIC_FAILED',
]);

const NOT_ANSWERING = { answering: false, handingOff: false, lapsed: false } as const;

const refused = (code: WalletErrorCode) => Promise.resolve({ kind: 'refused', code } as const);

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

  /**
   * Keeps the request `make` describes waiting on `phone` until it is settled, lapses or the requester
   * gives up; WALLET_PHONE_BUSY at once when the phone keeps as many as it may.
   */
  #wait<T>(
    phone: WalletDevice,
    signal: AbortSignal | undefined,
    deadline: Date | undefined,
    make: (
      id: string,
      times: { readonly receivedAt: string; readonly expiresAt: string },
      settle: (outcome: IncomingOutcome<T>) => void,
    ) => Waiting,
  ): Promise<IncomingOutcome<T>> {
    if (signal?.aborted) return refused('WALLET_REQUEST_EXPIRED');
    if (this.pendingFor(phone.id).length >= this.#maxPerPhone) return refused('WALLET_PHONE_BUSY');
    const id = randomBytes(16).toString('base64url');
    const received = this.#now();
    // The requester's own deadline shortens the wait, never lengthens it.
    const waitMs =
      deadline === undefined || Number.isNaN(deadline.getTime())
        ? this.#waitMs
        : Math.max(0, Math.min(this.#waitMs, deadline.getTime() - received.getTime()));
    const times = {
      receivedAt: received.toISOString(),
      expiresAt: new Date(received.getTime() + waitMs).toISOString(),
    };
    return new Promise<IncomingOutcome<T>>((resolve) => {
      const settle = (outcome: IncomingOutcome<T>): void => {
        if (this.#waiting.get(id) !== entry) return;
        this.#waiting.delete(id);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = (): void => {
        // An answer being handed over goes with its history line: the wait ends after it (#handOffOf).
        if (entry.handingOff) entry.lapsed = true;
        else settle({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
      };
      const timer = setTimeout(onAbort, waitMs);
      timer.unref?.();
      signal?.addEventListener('abort', onAbort, { once: true });
      const entry = make(id, times, settle);
      this.#waiting.set(id, entry);
    });
  }

  /** Shows the request for a record `input` on `phone` and waits for the holder (see the file comment). */
  deliver<T extends { readonly disclosed: Disclosed }>(
    phone: WalletDevice,
    input: IncomingRequestInput<T>,
  ): Promise<IncomingOutcome<T>> {
    if (input.signal?.aborted) return refused('WALLET_REQUEST_EXPIRED');
    // As a phone's OS offers only a wallet holding a matching document: nothing held, no screen to raise.
    if (!input.summary.documents.some((d) => d.available)) return refused('WALLET_DOCUMENT_NOT_HELD');
    const { reader } = input.summary;
    return this.#wait<T>(phone, input.signal, input.expiresAt, (id, times, settle) => ({
      kind: 'mdoc',
      view: {
        id,
        channel: input.channel,
        origin: input.origin,
        ...times,
        phone: { id: phone.id, family: phone.family },
        reader: {
          authentication: reader.authentication,
          subject: reader.subject ?? null,
          myNumberLegalBasis: reader.myNumberLegalBasis ?? null,
        },
        documents: consentScreenDocuments(input.summary.documents),
      },
      phoneId: phone.id,
      present: input.present,
      settle: settle as MdocWaiting['settle'],
      ...NOT_ANSWERING,
    }));
  }

  /**
   * Shows the request for a JPKI signature `input` on `phone` and waits for the holder to sign it with the
   * signature password typed on the phone, or to decline (see the file comment). Resolves after the phone's
   * store is read (its signature certificate in force and the password's tries).
   */
  async deliverJpkiSignature<T extends { readonly signature: Uint8Array }>(
    phone: WalletDevice,
    input: JpkiSignatureRequestInput<T>,
  ): Promise<IncomingOutcome<T>> {
    if (input.signal?.aborted) return refused('WALLET_REQUEST_EXPIRED');
    if (!(input.content instanceof Uint8Array) || input.content.length > MAX_SIGNED_CONTENT_BYTES)
      return refused('WALLET_INVALID_INPUT');
    // As for a record: without a signature certificate in force there is nothing to sign with.
    const certificate = await phone.store.certificates.active(phone.id, 'sign');
    const tries = await jpkiTriesOf(phone, 'signature-password');
    if (certificate === undefined || !tries.set) return refused('WALLET_DOCUMENT_NOT_HELD');
    // A locked password locks its certificate until it is installed again (DOMAIN.md §3).
    if (tries.locked) return refused('WALLET_SECRET_LOCKED');
    const document = signedDocumentViewOf(input.content);
    return this.#wait<T>(phone, input.signal, undefined, (id, times, settle) => ({
      kind: 'jpki',
      view: {
        id,
        channel: 'jpki-signature',
        origin: input.origin,
        ...times,
        phone: { id: phone.id, family: phone.family },
        relyingParty: { name: input.relyingParty, verified: false },
        document,
        remainingTries: tries.remaining,
      },
      phoneId: phone.id,
      device: phone,
      present: input.present,
      settle: settle as JpkiWaiting['settle'],
      ...NOT_ANSWERING,
    }));
  }

  /**
   * Shows the request for a JPKI user authentication `input` on `phone` and waits for the holder to unlock
   * the user-authentication key on the phone — the auth PIN on its pad or the biometric, as `unlock`
   * allows — or to decline (see the file comment). Resolves after the phone's store is read (its
   * user-authentication certificate in force and the PIN's tries).
   */
  async deliverJpkiUserAuthentication<T extends { readonly signature: Uint8Array }>(
    phone: WalletDevice,
    input: JpkiUserAuthenticationRequestInput<T>,
  ): Promise<IncomingOutcome<T>> {
    if (input.signal?.aborted) return refused('WALLET_REQUEST_EXPIRED');
    if (!(input.challenge instanceof Uint8Array) || input.challenge.length !== CHALLENGE_LENGTH)
      return refused('WALLET_INVALID_INPUT');
    if (input.unlock !== 'pin-or-biometric' && input.unlock !== 'biometric')
      return refused('WALLET_INVALID_INPUT');
    // Without a user-authentication certificate in force there is nothing to sign in with.
    const certificate = await phone.store.certificates.active(phone.id, 'auth');
    const tries = await jpkiTriesOf(phone, 'auth-pin-or-biometric');
    if (certificate === undefined || !tries.set) return refused('WALLET_DOCUMENT_NOT_HELD');
    // A locked PIN locks its certificate, and no biometric stands in for a locked PIN (DOMAIN.md §3).
    if (tries.locked) return refused('WALLET_SECRET_LOCKED');
    return this.#wait<T>(phone, input.signal, undefined, (id, times, settle) => ({
      kind: 'jpki-auth',
      view: {
        id,
        channel: 'jpki-user-authentication',
        origin: input.origin,
        ...times,
        phone: { id: phone.id, family: phone.family },
        relyingParty: { name: input.relyingParty, verified: false },
        unlock: input.unlock,
        remainingTries: tries.remaining,
      },
      phoneId: phone.id,
      device: phone,
      present: input.present,
      settle: settle as JpkiAuthWaiting['settle'],
      ...NOT_ANSWERING,
    }));
  }

  /** The requests waiting on phone `phoneId`, oldest first. */
  pendingFor(phoneId: string): IncomingRequestView[] {
    const out: IncomingRequestView[] = [];
    for (const w of this.#waiting.values()) if (w.phoneId === phoneId) out.push(w.view);
    return out;
  }

  /** The requests waiting on phone `phoneId`, oldest first, as its list shows them (IncomingRequestSummary). */
  summariesFor(phoneId: string): IncomingRequestSummary[] {
    return this.pendingFor(phoneId).map(summaryOf);
  }

  /** The full view of request `id` waiting on phone `phoneId`; WALLET_NOT_FOUND when none such waits. */
  viewOf(phoneId: string, id: string): IncomingRequestView {
    return this.#waitingOf(phoneId, id).view;
  }

  #waitingOf(phoneId: string, id: string): Waiting {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined || waiting.phoneId !== phoneId)
      throw new WalletError('WALLET_NOT_FOUND', 'no such request is waiting on this phone');
    return waiting;
  }

  /**
   * The holder approves request `id`: a record's with `consent` after `userAuthentication` (answers what
   * was disclosed), a signature's with the signature password (answers `{signed: true}`), a user
   * authentication's with the auth PIN or the biometric (answers `{authenticated: true}`). The channel's
   * refusal is thrown (see the file comment for which leave the request waiting).
   */
  approve(phoneId: string, id: string, input: MdocApproval): Promise<{ readonly disclosed: Disclosed }>;
  approve(phoneId: string, id: string, input: JpkiSignatureApproval): Promise<{ readonly signed: true }>;
  approve(
    phoneId: string,
    id: string,
    input: JpkiUserAuthenticationApproval,
  ): Promise<{ readonly authenticated: true }>;
  approve(
    phoneId: string,
    id: string,
    input: IncomingApproval,
  ): Promise<
    { readonly disclosed: Disclosed } | { readonly signed: true } | { readonly authenticated: true }
  >;
  async approve(
    phoneId: string,
    id: string,
    input: IncomingApproval,
  ): Promise<
    { readonly disclosed: Disclosed } | { readonly signed: true } | { readonly authenticated: true }
  > {
    const waiting = this.#waitingOf(phoneId, id);
    if (waiting.answering)
      throw new WalletError('WALLET_INVALID_INPUT', 'this request is already being answered');
    if (waiting.kind === 'jpki') return this.#sign(waiting, input);
    if (waiting.kind === 'jpki-auth') return this.#authenticate(waiting, input);
    if (!('consent' in input) || !('userAuthentication' in input))
      throw new WalletError('WALLET_INVALID_INPUT', 'a record is sent with consent and the biometric');
    waiting.answering = true;
    const { handOff, handedOff } = this.#handOffOf(waiting);
    let presentation: { readonly disclosed: Disclosed };
    try {
      presentation = await waiting.present({
        consent: input.consent,
        userAuthentication: input.userAuthentication,
        handOff,
      });
    } catch (e) {
      waiting.answering = false;
      if (!(e instanceof WalletError && RETRYABLE_MDOC.has(e.code)))
        waiting.settle({
          kind: 'refused',
          code: e instanceof WalletError ? e.code : 'WALLET_INVALID_INPUT',
        });
      throw e;
    }
    if (!handedOff()) this.#stillWaiting(waiting);
    waiting.settle({ kind: 'answered', presentation });
    return { disclosed: presentation.disclosed };
  }

  /** A signature's answer: the password typed on the phone opens the signature key (DOMAIN.md §3). */
  async #sign(waiting: JpkiWaiting, input: IncomingApproval): Promise<{ readonly signed: true }> {
    // Never a biometric, never a consent of elements: the signature password only.
    if (
      !('password' in input) ||
      typeof input.password !== 'string' ||
      'userAuthentication' in input ||
      'pin' in input ||
      'biometric' in input
    )
      throw new WalletError('WALLET_INVALID_INPUT', 'a signature opens with the signature password');
    // A password of the wrong format costs no try, whatever the channel's presentation does with it.
    requireFormat('signaturePassword', input.password);
    waiting.answering = true;
    const { handOff, handedOff } = this.#handOffOf(waiting);
    let presentation: { readonly signature: Uint8Array };
    try {
      presentation = await waiting.present({ password: input.password, handOff });
    } catch (e) {
      waiting.answering = false;
      await this.#triesChanged(waiting.device, 'signature-password');
      if (!(e instanceof WalletError && RETRYABLE_JPKI.has(e.code)))
        waiting.settle({
          kind: 'refused',
          code: e instanceof WalletError ? e.code : 'WALLET_INVALID_INPUT',
        });
      throw e;
    }
    if (!handedOff()) this.#stillWaiting(waiting);
    waiting.settle({ kind: 'answered', presentation });
    await this.#triesChanged(waiting.device, 'signature-password');
    return { signed: true };
  }

  /**
   * A user authentication's answer: the auth PIN typed on the phone's pad, or the owner's biometric standing
   * in for it, opens the user-authentication key (DOMAIN.md §3) — the PIN only where the request allows it.
   */
  async #authenticate(
    waiting: JpkiAuthWaiting,
    input: IncomingApproval,
  ): Promise<{ readonly authenticated: true }> {
    const userAuthentication = userAuthenticationOf(input);
    if (userAuthentication.method === 'pin') {
      // A reader asking for the face check (the biometric only) takes no PIN typed on the phone: not a
      // slip of the holder's (the screen offers no pad), so the request ends as any other refusal does.
      if (waiting.view.unlock === 'biometric') {
        waiting.settle({ kind: 'refused', code: 'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED' });
        throw new WalletError(
          'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
          'this request is approved with the biometric only',
        );
      }
      // A PIN of the wrong format costs no try, whatever the channel's presentation does with it.
      requireFormat('authPin', userAuthentication.value);
    }
    waiting.answering = true;
    const { handOff, handedOff } = this.#handOffOf(waiting);
    let presentation: { readonly signature: Uint8Array };
    try {
      presentation = await waiting.present({ userAuthentication, handOff });
    } catch (e) {
      waiting.answering = false;
      await this.#triesChanged(waiting.device, 'auth-pin-or-biometric');
      if (!(e instanceof WalletError && RETRYABLE_JPKI_AUTH.has(e.code)))
        waiting.settle({
          kind: 'refused',
          code: e instanceof WalletError ? e.code : 'WALLET_INVALID_INPUT',
        });
      throw e;
    }
    if (!handedOff()) this.#stillWaiting(waiting);
    waiting.settle({ kind: 'answered', presentation });
    await this.#triesChanged(waiting.device, 'auth-pin-or-biometric');
    return { authenticated: true };
  }

  /**
   * The wait ended while the answer was being made (it lapsed, or the requester gave up): the requester
   * has heard WALLET_REQUEST_EXPIRED and takes nothing more, so the phone must not say it was sent.
   */
  #stillWaiting(waiting: Waiting): void {
    if (this.#waiting.get(waiting.view.id) !== waiting)
      throw new WalletError(
        'WALLET_REQUEST_EXPIRED',
        'the requester stopped waiting before the answer was ready',
      );
  }

  /**
   * The hand-off a waiting request gives its channel's presentation (presentation/hand-off.ts): the answer
   * is handed over, with its history line, only while the requester still waits — else
   * WALLET_REQUEST_EXPIRED and nothing is sent or written — and the wait, once the hand-off began, ends
   * only with the answer (a lapse meanwhile counts only if the hand-off fails). `handedOff` says whether it
   * ran.
   */
  #handOffOf(waiting: Waiting): { readonly handOff: HandOff; readonly handedOff: () => boolean } {
    let handedOff = false;
    const handOff: HandOff = async (deliver) => {
      if (handedOff || waiting.handingOff)
        throw new WalletError('WALLET_INVALID_INPUT', 'this answer was already handed over');
      this.#stillWaiting(waiting);
      waiting.handingOff = true;
      try {
        await deliver();
      } catch (e) {
        waiting.handingOff = false;
        if (waiting.lapsed) {
          waiting.settle({ kind: 'refused', code: 'WALLET_REQUEST_EXPIRED' });
          throw new WalletError('WALLET_REQUEST_EXPIRED', 'the requester stopped waiting', { cause: e });
        }
        throw e;
      }
      handedOff = true;
    };
    return { handOff, handedOff: () => handedOff };
  }

  /**
   * After an attempt at `secret` of `device`: every request waiting on it that the secret opens (a
   * signature's the signature password, a user authentication's the auth PIN) shows the tries now left,
   * and ends with WALLET_SECRET_LOCKED once the secret is locked.
   */
  async #triesChanged(device: WalletDevice, secret: JpkiSecret): Promise<void> {
    let tries: Awaited<ReturnType<typeof jpkiTriesOf>>;
    try {
      tries = await jpkiTriesOf(device, secret);
    } catch {
      return; // the tries show as they were; the next attempt counts them again
    }
    const kind = secret === 'signature-password' ? 'jpki' : 'jpki-auth';
    for (const w of [...this.#waiting.values()]) {
      if (w.kind === 'mdoc' || w.kind !== kind || w.phoneId !== device.id) continue;
      if (tries.locked) w.settle({ kind: 'refused', code: 'WALLET_SECRET_LOCKED' });
      else if (w.kind === 'jpki') w.view = { ...w.view, remainingTries: tries.remaining };
      else w.view = { ...w.view, remainingTries: tries.remaining };
    }
  }

  /** The holder declines request `id`: nothing is sent, the requester hears WALLET_DECLINED. */
  decline(phoneId: string, id: string): void {
    const waiting = this.#waitingOf(phoneId, id);
    if (waiting.answering)
      throw new WalletError('WALLET_INVALID_INPUT', 'this request is already being answered');
    waiting.settle({ kind: 'refused', code: 'WALLET_DECLINED' });
  }
}

/** The user authentication an answer carries: exactly one of the auth PIN or the biometric's outcome. */
function userAuthenticationOf(input: IncomingApproval): UserAuthentication {
  // Never the signature password, never a consent of elements, never both a PIN and a biometric.
  if ('password' in input || 'consent' in input || 'userAuthentication' in input)
    throw new WalletError('WALLET_INVALID_INPUT', 'a sign-in opens with the auth PIN or the biometric');
  const pin = 'pin' in input ? input.pin : undefined;
  const biometric = 'biometric' in input ? input.biometric : undefined;
  if (typeof pin === 'string' && biometric === undefined) return { method: 'pin', value: pin };
  if ((biometric === 'matched' || biometric === 'failed') && pin === undefined)
    return { method: 'biometric', matched: biometric === 'matched' };
  throw new WalletError('WALLET_INVALID_INPUT', 'give the auth PIN or the biometric, matched or failed');
}
