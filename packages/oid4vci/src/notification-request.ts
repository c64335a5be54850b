/**
 * Notification Request (OpenID4VCI 1.0 §11.1).
 *
 *   POST /notification   Content-Type: application/json   Authorization: Bearer …
 *   { "notification_id": string (REQUIRED, from the Credential Response),
 *     "event": "credential_accepted" | "credential_failure" | "credential_deleted" (REQUIRED, case sensitive),
 *     "event_description"?: ASCII in %x20-21 / %x23-5B / %x5D-7E }
 *
 * §11: "The notification from the Wallet is idempotent"; success is 204 No Content (§11.2). §11.3: a
 * malformed request → `invalid_notification_request`; a `notification_id` the issuer did not hand out
 * for this access token → `invalid_notification_id` (the store decides; `unknownNotificationId()` builds
 * the error). "The Credential Issuer MUST ignore any unrecognized parameters."
 */
import { Oid4vciError } from './errors.js';
import { LIMITS, own, Reader } from './json.js';

/** The three events of §11.1. */
export type NotificationEvent = 'credential_accepted' | 'credential_failure' | 'credential_deleted';

const EVENTS: ReadonlySet<string> = new Set<NotificationEvent>([
  'credential_accepted',
  'credential_failure',
  'credential_deleted',
]);

/** A Notification Request body (§11.1). */
export interface NotificationRequest {
  readonly notification_id: string;
  readonly event: NotificationEvent;
  readonly event_description?: string;
}

/** A Notification Request as the issuer reads it. */
export interface ParsedNotificationRequest {
  readonly notificationId: string;
  readonly event: NotificationEvent;
  readonly eventDescription?: string;
}

/** §11.1: `event_description` "MUST NOT include characters outside the set %x20-21 / %x23-5B / %x5D-7E". */
const DESCRIPTION_CHARS = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Wallet: the Notification Request body. */
export function buildNotificationRequest(input: {
  readonly notificationId: string;
  readonly event: NotificationEvent;
  readonly eventDescription?: string;
}): NotificationRequest {
  if (!EVENTS.has(input.event)) throw new TypeError('event is not one of the §11.1 events');
  if (input.eventDescription !== undefined && !DESCRIPTION_CHARS.test(input.eventDescription))
    throw new TypeError('eventDescription must be printable ASCII without " and \\');
  return {
    notification_id: input.notificationId,
    event: input.event,
    ...(input.eventDescription === undefined ? {} : { event_description: input.eventDescription }),
  };
}

/** Issuer: reads a Notification Request body (parsed JSON or text); throws `invalid_notification_request`. */
export function parseNotificationRequest(body: unknown): ParsedNotificationRequest {
  const r: Reader = new Reader(
    'invalid_notification_request',
    'notification_request.decode',
    'Notification Request',
  );
  const o = r.object(body);
  const notificationId = r.string(
    o,
    'notification_id',
    LIMITS.maxStringChars,
    'notification_request.notification_id',
  );
  const event = own(o, 'event');
  if (typeof event !== 'string' || !EVENTS.has(event))
    r.fail(
      'event is not credential_accepted, credential_failure or credential_deleted',
      'notification_request.event',
    );
  const eventDescription = r.optionalString(
    o,
    'event_description',
    LIMITS.maxDescriptionChars,
    'notification_request.event_description',
  );
  if (eventDescription !== undefined && !DESCRIPTION_CHARS.test(eventDescription))
    r.fail(
      'event_description has characters outside printable ASCII',
      'notification_request.event_description',
    );
  return {
    notificationId,
    event: event as NotificationEvent,
    ...(eventDescription === undefined ? {} : { eventDescription }),
  };
}

/** The `invalid_notification_id` error for a notification_id the store does not know (§11.3). */
export function unknownNotificationId(): Oid4vciError {
  return new Oid4vciError(
    'invalid_notification_id',
    'notification_request.notification_id',
    'the notification_id is not valid',
  );
}
