/**
 * The wallet's Notification Request (OpenID4VCI 1.0 §11): after a Credential Response that carried a
 * `notification_id` (§8.3), the phone tells the issuer what became of the credential, at the issuer's
 * `notification_endpoint` (§12.2.4), with the access token of the Credential Request (§11.1 "The Wallet
 * MUST present the Access Token"):
 *
 * - `credential_accepted` once the credential verified and is stored (receive-credentials.ts);
 * - `credential_failure` when the received credential fails the phone's checks (verify-received.ts) or
 *   cannot be kept.
 *
 * `credential_deleted` is not sent: the phone has no holder action that deletes a record (a record leaves
 * service only by a notice from the issuer itself, which knows already), and the access token lives only
 * minutes, so a deletion long after issuance could not present one.
 *
 * A notification is advice to the issuer, never a condition of keeping the credential: whatever the
 * issuer answers (an error, nothing at all), what was stored stays stored and nothing is thrown. §11 makes
 * the notification idempotent, so one more try after a 5xx answer or a transport error is safe. The log
 * line names the event and the refusal's code only — no notification id, no element of the credential.
 */
import { buildNotificationRequest, type NotificationEvent } from '@mynakit/oid4vci';
import type { IssuerClient } from './issuer-client.js';

/** Attempts per notification: the first, and one more after a 5xx answer or a transport error. */
const MAX_ATTEMPTS = 2;
/** How long one attempt may take before it is given up (ms): an unanswered issuer must not hold the phone. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/** What became of one notification. */
export type IssuerNotificationOutcome =
  | { readonly event: NotificationEvent; readonly delivered: true }
  | {
      readonly event: NotificationEvent;
      readonly delivered: false;
      /** Why: `HTTP_<status>` with the issuer's error code when it gave one, or `TRANSPORT`. */
      readonly reason: string;
    };

/** Input of `notifyIssuer`. */
export interface NotifyIssuerInput {
  readonly issuer: IssuerClient;
  /** The issuer metadata's `notification_endpoint`. */
  readonly endpoint: string;
  /** The access token the Credential Request used. */
  readonly accessToken: string;
  /** The Credential Response's `notification_id`. */
  readonly notificationId: string;
  readonly event: NotificationEvent;
  /** Printable ASCII for the issuer's operators (§11.1); never personal data. */
  readonly eventDescription?: string;
  /** Where a notification that could not be delivered is reported (no personal data). */
  readonly log?: (line: string) => void;
}

/** An issuer's error code as the log may show it (§11.3 codes are short ASCII words; anything else is not logged). */
const LOGGABLE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Sends one Notification Request (see the file comment); never throws. */
export async function notifyIssuer(input: NotifyIssuerInput): Promise<IssuerNotificationOutcome> {
  const body = buildNotificationRequest({
    notificationId: input.notificationId,
    event: input.event,
    ...(input.eventDescription === undefined ? {} : { eventDescription: input.eventDescription }),
  });
  let reason = 'TRANSPORT';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let retry = true;
    try {
      const answer = await input.issuer.postJsonStatus(
        input.endpoint,
        body,
        { authorization: `Bearer ${input.accessToken}` },
        AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      );
      // §11.2: success is 204 No Content.
      if (answer.status >= 200 && answer.status < 300) return { event: input.event, delivered: true };
      reason = `HTTP_${answer.status}${answer.code !== undefined && LOGGABLE_CODE.test(answer.code) ? ` ${answer.code}` : ''}`;
      // A 4xx (§11.3 invalid_notification_id, invalid_token…) is the same answer a second time.
      retry = answer.status >= 500;
    } catch {
      reason = 'TRANSPORT';
    }
    if (!retry) break;
  }
  input.log?.(`wallet: the issuer did not take the OpenID4VCI notification ${input.event} (${reason})`);
  return { event: input.event, delivered: false, reason };
}
