/**
 * What every JPKI consent screen of the phone shows the same way — the screen of a JPKI request by link or
 * QR code (jpki-screen.tsx) and the screen of a signature or user-authentication request the phone's OS
 * hands it (incoming-screen.tsx): the document to be signed (its text, or its size and SHA-256 when it is
 * not text), the tries the key's secret has left, the signature password's field — the phone's keyboard,
 * never a biometric (DOMAIN.md §3: a phone alone must not sign) — and the user authentication's unlock:
 * the 4-digit auth PIN on the pad or the owner's biometric standing in for it, or the biometric alone.
 */

import type { Label } from '../../shared/labels';
import { PinPad } from '../../shared/pin-pad';

/** A document to be signed; `mediaType` as the request declares it, when it declares one. */
export interface SignedDocument {
  readonly mediaType?: string;
  readonly text: string | null;
  readonly size: number;
  readonly sha256: string;
}

export function DocumentBlock({ document }: { document: SignedDocument }) {
  return (
    <>
      <h2>
        署名する文書 <small>The document to be signed</small>
      </h2>
      {document.text === null ? (
        <p data-document="binary">
          テキストではない文書 <small>not text</small>
          {document.mediaType === undefined ? null : <> ({document.mediaType})</>}:{' '}
          <span data-document-size>{document.size}</span> バイト <small>bytes</small>
        </p>
      ) : (
        <pre data-document="text" class="document">
          {document.text}
        </pre>
      )}
      <p class="small wrap">
        SHA-256: <code data-document-sha256>{document.sha256}</code>
      </p>
    </>
  );
}

/** The tries the key's secret has left, as the phone counts them. */
export function Tries({ remaining, of }: { remaining: number; of?: Label }) {
  return (
    <p class="small">
      {of === undefined ? null : `${of.ja}の`}残り{' '}
      <strong data-remaining-tries={String(remaining)}>{remaining}</strong> 回{' '}
      <small>
        {remaining} {of === undefined ? '' : `${of.en} `}tries left
      </small>
    </p>
  );
}

/**
 * The signature password's field (`input[name="password"]`, 6–16 of A–Z and 0–9) with the line saying a
 * biometric never signs; `approve` marks its button as the screen's approval (`data-approve`).
 */
export function SignaturePasswordField(props: {
  readonly submit: Label;
  readonly busy: boolean;
  readonly approve?: boolean;
  readonly onSubmit: (password: string) => void;
}) {
  return (
    <>
      <p class="small">
        署名は生体認証ではできません。<small>A signature never opens with a biometric.</small>
      </p>
      <PinPad
        kind="password"
        name="password"
        label={{
          ja: '署名用パスワード(英大文字と数字 6〜16 文字)',
          en: 'signature password (6–16 capital letters and digits)',
        }}
        submit={props.submit}
        busy={props.busy}
        {...(props.approve ? { approve: true } : {})}
        onSubmit={props.onSubmit}
      />
    </>
  );
}

/**
 * The user authentication's unlock: the auth PIN's pad (`input[name="pin"]`, 4 digits) unless `pin` is
 * null (the biometric only), the tries the PIN has left, and the button asking the owner's biometric —
 * marked `data-approve` where it is the screen's approval, `data-use-biometric` where the PIN's button is.
 * The biometric prompt itself is the caller's (useBiometric).
 */
export function AuthUnlock(props: {
  readonly pin: {
    readonly submit: Label;
    readonly approve?: boolean;
    readonly onSubmit: (pin: string) => void;
  } | null;
  readonly remaining: number;
  readonly biometric: {
    readonly label: Label;
    readonly marker: 'approve' | 'use-biometric';
    readonly onClick: () => void;
  };
  readonly busy: boolean;
}) {
  const { pin, biometric } = props;
  return (
    <>
      {pin === null ? null : (
        <PinPad
          kind="pin"
          name="pin"
          label={{ ja: '利用者証明用暗証番号(4桁)', en: 'auth PIN (4 digits)' }}
          submit={pin.submit}
          busy={props.busy}
          {...(pin.approve ? { approve: true } : {})}
          onSubmit={pin.onSubmit}
        />
      )}
      {/* The auth PIN's tries, whichever unlock is used: a locked PIN locks the key (DOMAIN.md §3). */}
      <Tries remaining={props.remaining} of={{ ja: '暗証番号', en: 'PIN' }} />
      {pin === null ? null : (
        <p class="small or">
          または <small>or</small>
        </p>
      )}
      <button
        type="button"
        class="primary approve"
        {...(biometric.marker === 'approve' ? { 'data-approve': true } : { 'data-use-biometric': true })}
        disabled={props.busy}
        onClick={biometric.onClick}
      >
        {biometric.label.ja} / {biometric.label.en}
      </button>
    </>
  );
}
