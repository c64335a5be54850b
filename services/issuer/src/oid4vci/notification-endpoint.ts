/**
 * The Notification Endpoint (OpenID4VCI 1.0 §11): the Wallet says whether it kept the credential
 * (`credential_accepted`), could not (`credential_failure`) or deleted it (`credential_deleted`). The
 * `notification_id` of a Credential Response is the id of the stored credential; one that is not a
 * credential of the access token's installation is `invalid_notification_id` (§11.3). The event goes to the
 * append-only event log — ids and the event name only; the Wallet's free-text `event_description` is not
 * kept (it is not ours to vouch for, and could carry anything). §11.2: 204 No Content; the notification is
 * idempotent, so a repeated one is logged and answered the same.
 */
import { parseNotificationRequest, unknownNotificationId } from '@mynakit/oid4vci';
import type { Context } from 'hono';
import type { IssuerDeps } from '../context.js';
import { accessTokenGrant, jsonBody } from './request-support.js';
import { NotificationRequestSchema } from './schemas.js';

/** Handles POST /oid4vci/notification; Oid4vciError for every protocol failure (the route answers them). */
export async function handleNotificationRequest(c: Context, deps: IssuerDeps): Promise<Response> {
  const now = deps.clock();
  const grant = await accessTokenGrant(c, deps, now);
  const request = parseNotificationRequest(
    await jsonBody(
      c,
      NotificationRequestSchema,
      'invalid_notification_request',
      'notification_request.decode',
    ),
  );
  const credential = /^[A-Za-z0-9-]{1,64}$/.test(request.notificationId)
    ? await deps.store.credentials.get(request.notificationId)
    : undefined;
  if (credential === undefined || credential.installationId !== grant.installationId)
    throw unknownNotificationId();
  await deps.store.events.append({
    kind: 'oid4vci.notification',
    residentId: credential.residentId,
    detail: { installationId: credential.installationId, credentialId: credential.id, event: request.event },
    at: now.getTime(),
  });
  return c.body(null, 204);
}
