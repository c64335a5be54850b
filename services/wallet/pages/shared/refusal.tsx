/**
 * Shared by the wallet's pages (services/wallet/pages/*): a refusal as the phone shows it — the Japanese
 * line, the wallet's own message (it names no personal data), the stable code, and the tries left.
 */
import { refusalJa } from './labels';
import type { WalletApiError } from './wallet-api';

export function Refusal({ error }: { readonly error: WalletApiError }) {
  return (
    <div class="refusal" role="alert" data-refusal={error.code}>
      <p>
        {refusalJa(error.code)} <span class="en">{error.message}</span> <code>{error.code}</code>
      </p>
      {error.remainingTries === undefined ? null : (
        <p data-remaining-tries={error.remainingTries}>
          残り {error.remainingTries} 回 <span class="en">{error.remainingTries} tries left</span>
        </p>
      )}
    </div>
  );
}
