/**
 * Shared by the wallet's pages (services/wallet/pages/*): the phone's biometric prompt — Face ID on an
 * iPhone-like phone, the fingerprint on an Android-like one. The emulator has no sensor: the tester picks
 * the outcome (a match, or no match to see the refusal WALLET_BIOMETRIC_FAILED), and the outcome is what
 * the page sends as the evidence (`biometric: 'matched' | 'failed'`); cancelling sends nothing.
 *
 * `useBiometric()` gives the prompt to render and `ask(reason)`, a promise of the outcome (null when
 * cancelled).
 */
import { useRef, useState } from 'preact/hooks';
import { biometricLabel, type Label } from './labels';

export type BiometricOutcome = 'matched' | 'failed';

export interface BiometricPromptProps {
  readonly family: string;
  readonly reason: Label;
  readonly onAnswer: (outcome: BiometricOutcome | null) => void;
}

export function BiometricPrompt({ family, reason, onAnswer }: BiometricPromptProps) {
  const how = biometricLabel(family);
  return (
    <div
      class="biometric"
      role="dialog"
      aria-modal="true"
      aria-label={`${how.ja} / ${how.en}`}
      data-biometric-prompt
    >
      <div class="biometric-sheet">
        <div class="biometric-icon" aria-hidden="true">
          {family === 'iphone' ? '☺' : '◉'}
        </div>
        <p class="biometric-title">
          {how.ja} <span class="en">{how.en}</span>
        </p>
        <p>
          {reason.ja}
          <br />
          <span class="en">{reason.en}</span>
        </p>
        <p class="note">
          エミュレータ: 結果を選んでください <span class="en">emulator: choose the outcome</span>
        </p>
        <button type="button" class="primary" data-biometric="matched" onClick={() => onAnswer('matched')}>
          一致する / Match
        </button>
        <button type="button" data-biometric="failed" onClick={() => onAnswer('failed')}>
          一致しない / No match
        </button>
        <button type="button" class="link" data-biometric="cancel" onClick={() => onAnswer(null)}>
          キャンセル / Cancel
        </button>
      </div>
    </div>
  );
}

/** The prompt (render it where the phone's screen is) and `ask`, which shows it until answered. */
export function useBiometric(family: string) {
  const [asking, setAsking] = useState<Label | undefined>(undefined);
  const settle = useRef<((o: BiometricOutcome | null) => void) | undefined>(undefined);
  const ask = (reason: Label) =>
    new Promise<BiometricOutcome | null>((resolve) => {
      settle.current?.(null);
      settle.current = resolve;
      setAsking(reason);
    });
  const prompt =
    asking === undefined ? null : (
      <BiometricPrompt
        family={family}
        reason={asking}
        onAnswer={(o) => {
          setAsking(undefined);
          const s = settle.current;
          settle.current = undefined;
          s?.(o);
        }}
      />
    );
  return { prompt, ask };
}
