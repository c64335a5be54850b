/**
 * An open session: the QR code of the `openid4vp://` link handed to a phone emulator's scan screen
 * (pages/shared/link-handoff.tsx).
 */
import { LinkHandoff } from '../../../shared/link-handoff';
import type { PendingSession } from '../api';

export function QrView({ session }: { session: PendingSession }) {
  return (
    <LinkHandoff
      pending={session}
      phoneScreen="openid4vp"
      heading="h2"
      stateAttribute="data-session-state"
      statusId="cross-device-status"
    />
  );
}
