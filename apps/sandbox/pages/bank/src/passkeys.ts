/**
 * What the passkey views share: WebAuthn takes no IP address as RP ID (Chromium: SecurityError "invalid
 * domain"), so a page on 127.0.0.1 sends the visitor to its localhost twin, which reaches the same sandbox.
 */

import { ROOT } from './api';
import type { StatusData } from './components/status';
import { PASSKEY_REASONS, say } from './words';

/** On 127.0.0.1: the status saying passkeys need a domain name, with the twin's address; else undefined. */
export function ipHostStatus(): StatusData | undefined {
  if (location.hostname !== '127.0.0.1') return undefined;
  const twin = `http://localhost:${location.port}${ROOT}`;
  return {
    text: `パスキーは IP アドレスのページでは使えません。${twin} で開き直してください / Passkeys need a domain name: open ${twin}`,
    error: 'ip-host',
    link: twin,
  };
}

/** A failed passkey step: the SDK's reason (and the server's problem code) in words, with the codes. */
export function passkeyFailure(e: unknown): StatusData {
  const reason =
    typeof (e as { reason?: unknown })?.reason === 'string' ? (e as { reason: string }).reason : 'error';
  const problem = (e as { problemCode?: unknown })?.problemCode;
  const [ja, en] = say(PASSKEY_REASONS, reason, ['エラー', 'Error']);
  return {
    text: `${ja} / ${en}${typeof problem === 'string' ? `: ${problem}` : ''} (${reason})`,
    error: reason,
    ...(typeof problem === 'string' ? { problem } : {}),
  };
}
