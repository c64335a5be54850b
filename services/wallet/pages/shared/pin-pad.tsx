/**
 * Shared by the wallet's pages (services/wallet/pages/*): the phone's PIN / password pad. A 4-digit PIN
 * (the JPKI user-authentication PIN, DOMAIN.md §3) gets a numeric keypad; the signature password (6 to 16
 * of A–Z and 0–9) the phone's keyboard, upper-cased as typed. The secret goes to `onSubmit` and from there
 * in a JSON body only — never in a URL — and the field is emptied after each try.
 *
 * `action` names the wallet route the pad's answer is sent to (the form is submitted by script: the page's
 * Content-Security-Policy lets no form navigate).
 */
import { useRef, useState } from 'preact/hooks';
import type { Label } from './labels';

export interface PinPadProps {
  readonly kind: 'pin' | 'password';
  /** The field's name (`pin`, `password`, …). */
  readonly name: string;
  readonly action?: string;
  readonly label: Label;
  readonly submit: Label;
  readonly busy?: boolean;
  /** Marks the submit button as the screen's approval (`data-approve`, the consent screens' selector). */
  readonly approve?: boolean;
  readonly onSubmit: (value: string) => void;
}

const PIN_LENGTH = 4;
const PASSWORD_MAX = 16;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

export function PinPad(props: PinPadProps) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const pin = props.kind === 'pin';
  const clean = (v: string) =>
    pin ? v.replace(/[^0-9]/g, '').slice(0, PIN_LENGTH) : v.toUpperCase().slice(0, PASSWORD_MAX);
  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') setValue('');
    else if (key === 'back') setValue((v) => v.slice(0, -1));
    else setValue((v) => clean(v + key));
    input.current?.focus();
  };
  const send = (e: Event) => {
    e.preventDefault();
    // The field's own value: what was typed or filled in, whether or not an input event was seen.
    const typed = clean(input.current?.value ?? value);
    if (typed === '' || props.busy) return;
    setValue('');
    if (input.current) input.current.value = '';
    props.onSubmit(typed);
  };
  return (
    <form class={`pad pad-${props.kind}`} method="post" action={props.action} onSubmit={send}>
      <label>
        {props.label.ja} <span class="en">{props.label.en}</span>
        <input
          ref={input}
          name={props.name}
          type="password"
          value={value}
          onInput={(e) => setValue(clean((e.target as HTMLInputElement).value))}
          autocomplete="off"
          autocapitalize={pin ? 'off' : 'characters'}
          spellcheck={false}
          {...(pin
            ? { inputMode: 'numeric', maxLength: PIN_LENGTH, pattern: '[0-9]{4}' }
            : { maxLength: PASSWORD_MAX })}
        />
      </label>
      {pin ? (
        <div class="keys">
          {KEYS.map((k) => (
            <button
              type="button"
              key={k}
              class={`key key-${k}`}
              data-key={k}
              onClick={() => press(k)}
              aria-label={k === 'back' ? '1文字消す / delete' : k === 'clear' ? '全部消す / clear' : k}
            >
              {k === 'back' ? '⌫' : k === 'clear' ? 'C' : k}
            </button>
          ))}
        </div>
      ) : null}
      <button
        type="submit"
        class="primary"
        disabled={props.busy}
        {...(props.approve ? { 'data-approve': true } : {})}
      >
        {props.submit.ja} / {props.submit.en}
      </button>
    </form>
  );
}
