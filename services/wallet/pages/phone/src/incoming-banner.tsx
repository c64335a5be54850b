/**
 * The phone's notification of requests waiting on its consent screen (a web page's DC API request, a
 * reader's request in person, a request to sign with the JPKI signature certificate:
 * services/wallet/src/app/incoming-routes.ts) — every waiting request counts: the page asks the wallet every
 * ~2 s (`phones/<id>/incoming`, JSON) and, while something waits, shows how many with the link that opens
 * the consent screen (the request page at `phones/<id>/incoming`). Only the count is shown here — who asks
 * and what is for the consent screen.
 */
import { useEffect, useState } from 'preact/hooks';
import { callWallet } from '../../shared/wallet-api';

/** How often the phone asks whether a request waits. */
const POLL_MS = 2000;

export function IncomingBanner({ phoneId }: { readonly phoneId: string }) {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const { requests } = await callWallet<{ requests: readonly unknown[] }>(
          `phones/${encodeURIComponent(phoneId)}/incoming`,
        );
        if (!stopped) setCount(Array.isArray(requests) ? requests.length : 0);
      } catch {
        // The wallet did not answer: the notification shows again once it does.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [phoneId]);
  if (count === 0) return null;
  return (
    <p class="incoming-banner" role="status" data-incoming-count={count}>
      <a href={`phones/${encodeURIComponent(phoneId)}/incoming`} data-open-incoming={phoneId}>
        要求が届いています ({count}){' '}
        <span class="en">{count === 1 ? '1 request' : `${count} requests`} waiting</span>
      </a>
    </p>
  );
}
